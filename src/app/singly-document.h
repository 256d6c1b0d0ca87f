/* singly-document.h: what a window works on: contacts, template, account
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "singly-account.h"
#include "singly-campaign.h"
#include "singly-contacts.h"
#include "singly-message.h"
#include "singly-template.h"

G_BEGIN_DECLS

#define SINGLY_TYPE_DOCUMENT (singly_document_get_type ())
G_DECLARE_FINAL_TYPE (SinglyDocument, singly_document, SINGLY, DOCUMENT, GObject)

SinglyDocument       *singly_document_new                (void);

GFile                *singly_document_get_contacts_file  (SinglyDocument       *self);
SinglyContactList    *singly_document_get_contacts       (SinglyDocument       *self);
void                  singly_document_set_contacts       (SinglyDocument       *self,
                                                          GFile                *file,
                                                          SinglyContactList    *contacts);
void                  singly_document_set_address_column (SinglyDocument       *self,
                                                          int                   column);

GFile                *singly_document_get_template_file  (SinglyDocument       *self);
void                  singly_document_set_template_file  (SinglyDocument       *self,
                                                          GFile                *file);
SinglyTemplate       *singly_document_get_template       (SinglyDocument       *self);
void                  singly_document_set_template       (SinglyDocument       *self,
                                                          SinglyTemplate       *template,
                                                          const char           *error_message);
const char           *singly_document_get_template_error (SinglyDocument       *self);

const SinglyAccount  *singly_document_get_account        (SinglyDocument       *self);
void                  singly_document_set_account        (SinglyDocument       *self,
                                                          const SinglyAccount  *account);
void                  singly_document_set_folder         (SinglyDocument       *self,
                                                          const char           *folder);
gboolean              singly_document_get_folder_is_default (SinglyDocument    *self);
void                  singly_document_set_sender         (SinglyDocument       *self,
                                                          const char           *name,
                                                          const char           *address);

SinglyMessageBuilder *singly_document_get_builder        (SinglyDocument       *self);
const char           *singly_document_get_builder_error  (SinglyDocument       *self);
guint                 singly_document_get_n_problems     (SinglyDocument       *self);
const SinglyProblem  *singly_document_get_problem        (SinglyDocument       *self,
                                                          guint                 index);
GPtrArray            *singly_document_dup_row_problems   (SinglyDocument       *self,
                                                          guint                 row);

gboolean              singly_document_get_busy           (SinglyDocument       *self);
void                  singly_document_set_busy           (SinglyDocument       *self,
                                                          gboolean              busy);

char                 *singly_document_dup_campaign_name  (SinglyDocument       *self);
void                  singly_document_save_row_choices   (SinglyDocument       *self,
                                                          SinglyCampaign       *campaign);
guint                 singly_document_apply_row_choices  (SinglyDocument       *self,
                                                          SinglyCampaign       *campaign);

G_END_DECLS
