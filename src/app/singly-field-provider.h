/* singly-field-provider.h: completes column names after "{{"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtksourceview/gtksource.h>

#include "singly-contacts.h"

G_BEGIN_DECLS

#define SINGLY_TYPE_FIELD_PROVIDER (singly_field_provider_get_type ())
G_DECLARE_FINAL_TYPE (SinglyFieldProvider, singly_field_provider, SINGLY, FIELD_PROVIDER, GObject)

SinglyFieldProvider *singly_field_provider_new          (void);
void                 singly_field_provider_set_contacts (SinglyFieldProvider *self,
                                                         SinglyContactList   *contacts);
GListModel          *singly_field_provider_get_fields   (SinglyFieldProvider *self);
gboolean             singly_field_provider_is_field_start (const GtkTextIter *begin,
                                                         char                *opener);

G_END_DECLS
