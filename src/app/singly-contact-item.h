/* singly-contact-item.h: one row of the contact list, as the table shows it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "singly-contacts.h"

G_BEGIN_DECLS

#define SINGLY_TYPE_CONTACT_ITEM (singly_contact_item_get_type ())
G_DECLARE_FINAL_TYPE (SinglyContactItem, singly_contact_item, SINGLY, CONTACT_ITEM, GObject)

SinglyContactItem *singly_contact_item_new          (SinglyContactList *contacts,
                                                     guint              row,
                                                     gboolean           problem);
guint              singly_contact_item_get_row      (SinglyContactItem *self);
guint              singly_contact_item_get_line     (SinglyContactItem *self);
const char        *singly_contact_item_get_value    (SinglyContactItem *self,
                                                     guint              column);
gboolean           singly_contact_item_get_included (SinglyContactItem *self);
void               singly_contact_item_set_included (SinglyContactItem *self,
                                                     gboolean           included);
gboolean           singly_contact_item_get_problem  (SinglyContactItem *self);
void               singly_contact_item_set_problem  (SinglyContactItem *self,
                                                     gboolean           problem);
void               singly_contact_item_refresh      (SinglyContactItem *self);

G_END_DECLS
