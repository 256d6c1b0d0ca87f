/* singly-contacts-page.h: the Contacts page: the table and its problems
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "singly-document.h"

G_BEGIN_DECLS

#define SINGLY_TYPE_CONTACTS_PAGE (singly_contacts_page_get_type ())
G_DECLARE_FINAL_TYPE (SinglyContactsPage, singly_contacts_page, SINGLY, CONTACTS_PAGE, AdwBin)

void           singly_contacts_page_set_document       (SinglyContactsPage *self,
                                                        SinglyDocument     *document);
void           singly_contacts_page_open_file          (SinglyContactsPage *self,
                                                        GFile              *file);
void           singly_contacts_page_open_file_with_options (SinglyContactsPage          *self,
                                                        GFile                       *file,
                                                        const SinglyContactsOptions *options);
gboolean       singly_contacts_page_get_loading        (SinglyContactsPage *self);
const char    *singly_contacts_page_get_error          (SinglyContactsPage *self);

void           singly_contacts_page_set_encoding       (SinglyContactsPage *self,
                                                        const char         *encoding);
char          *singly_contacts_page_dup_encoding_label (SinglyContactsPage *self);
void           singly_contacts_page_set_delimiter      (SinglyContactsPage *self,
                                                        char                delimiter);
void           singly_contacts_page_set_address_column (SinglyContactsPage *self,
                                                        int                 column);

GtkColumnView *singly_contacts_page_get_column_view    (SinglyContactsPage *self);
GListModel    *singly_contacts_page_get_contact_model  (SinglyContactsPage *self);
GListModel    *singly_contacts_page_get_problem_model  (SinglyContactsPage *self);
void           singly_contacts_page_activate_problem   (SinglyContactsPage *self,
                                                        guint               position);
void           singly_contacts_page_scroll_to_row      (SinglyContactsPage *self,
                                                        guint               row);

G_END_DECLS
