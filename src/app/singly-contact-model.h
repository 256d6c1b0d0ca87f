/* singly-contact-model.h: the rows of a contact list as a GListModel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "singly-contact-item.h"

G_BEGIN_DECLS

#define SINGLY_TYPE_CONTACT_MODEL (singly_contact_model_get_type ())
G_DECLARE_FINAL_TYPE (SinglyContactModel, singly_contact_model, SINGLY, CONTACT_MODEL, GObject)

SinglyContactModel *singly_contact_model_new          (SinglyContactList  *contacts);
SinglyContactList  *singly_contact_model_get_contacts (SinglyContactModel *self);
void                singly_contact_model_set_problems (SinglyContactModel *self,
                                                       const guint8       *row_has_problem);
void                singly_contact_model_refresh      (SinglyContactModel *self);
guint               singly_contact_model_get_n_alive  (SinglyContactModel *self);

G_END_DECLS
