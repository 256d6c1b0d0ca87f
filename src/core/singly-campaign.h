/* singly-campaign.h: a campaign file (.singly): which contacts, which
 * template, how to read them, where to send and how fast
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "singly-account.h"
#include "singly-contacts.h"

G_BEGIN_DECLS

#define SINGLY_CAMPAIGN_EXTENSION ".singly"

#define SINGLY_CAMPAIGN_ERROR (singly_campaign_error_quark ())

typedef enum
{
  SINGLY_CAMPAIGN_ERROR_INVALID,  /* not a campaign file, or a value that makes no sense */
} SinglyCampaignError;

/**
 * SinglyRowChoice:
 * @SINGLY_ROW_CHOICE_DEFAULT: the row is sent unless it has a problem
 * @SINGLY_ROW_CHOICE_INCLUDE: the user included the row by hand
 * @SINGLY_ROW_CHOICE_EXCLUDE: the user excluded the row by hand
 *
 * Rows are named by the 1-based line of the contact file where they start,
 * which stays right when the file is read again.
 */
typedef enum
{
  SINGLY_ROW_CHOICE_DEFAULT,
  SINGLY_ROW_CHOICE_INCLUDE,
  SINGLY_ROW_CHOICE_EXCLUDE,
} SinglyRowChoice;

#define SINGLY_TYPE_CAMPAIGN (singly_campaign_get_type ())
G_DECLARE_FINAL_TYPE (SinglyCampaign, singly_campaign, SINGLY, CAMPAIGN, GObject)

GQuark          singly_campaign_error_quark         (void);

SinglyCampaign *singly_campaign_new                 (void);
SinglyCampaign *singly_campaign_load                (const char             *path,
                                                     GError                **error);
gboolean        singly_campaign_save                (SinglyCampaign         *self,
                                                     const char             *path,
                                                     GError                **error);
char           *singly_campaign_to_data             (SinglyCampaign         *self,
                                                     const char             *path,
                                                     gsize                  *length);

const char     *singly_campaign_get_path            (SinglyCampaign         *self);

const char     *singly_campaign_get_contacts_path   (SinglyCampaign         *self);
void            singly_campaign_set_contacts_path   (SinglyCampaign         *self,
                                                     const char             *path);
const char     *singly_campaign_get_template_path   (SinglyCampaign         *self);
void            singly_campaign_set_template_path   (SinglyCampaign         *self,
                                                     const char             *path);
const char     *singly_campaign_get_journal_path    (SinglyCampaign         *self);
void            singly_campaign_set_journal_path    (SinglyCampaign         *self,
                                                     const char             *path);

const char     *singly_campaign_get_encoding        (SinglyCampaign         *self);
void            singly_campaign_set_encoding        (SinglyCampaign         *self,
                                                     const char             *encoding);
char            singly_campaign_get_delimiter       (SinglyCampaign         *self);
void            singly_campaign_set_delimiter       (SinglyCampaign         *self,
                                                     char                    delimiter);
const char     *singly_campaign_get_address_column  (SinglyCampaign         *self);
void            singly_campaign_set_address_column  (SinglyCampaign         *self,
                                                     const char             *column);
void            singly_campaign_get_contacts_options (SinglyCampaign        *self,
                                                     SinglyContactsOptions  *options);

const char     *singly_campaign_get_account         (SinglyCampaign         *self);
void            singly_campaign_set_account         (SinglyCampaign         *self,
                                                     const char             *account);
const SinglyPacing *singly_campaign_get_pacing      (SinglyCampaign         *self);
void            singly_campaign_set_pacing          (SinglyCampaign         *self,
                                                     const SinglyPacing     *pacing);

SinglyRowChoice singly_campaign_get_row_choice      (SinglyCampaign         *self,
                                                     guint                   line);
void            singly_campaign_set_row_choice      (SinglyCampaign         *self,
                                                     guint                   line,
                                                     SinglyRowChoice         choice);
const guint    *singly_campaign_get_lines           (SinglyCampaign         *self,
                                                     SinglyRowChoice         choice,
                                                     guint                  *n_lines);
void            singly_campaign_clear_row_choices   (SinglyCampaign         *self);
guint           singly_campaign_apply_row_choices   (SinglyCampaign         *self,
                                                     SinglyContactList      *contacts);

G_END_DECLS
