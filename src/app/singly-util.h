/* singly-util.h: small pure helpers of the window, tested from tables
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "singly-account.h"

G_BEGIN_DECLS

typedef enum
{
  SINGLY_FILE_UNKNOWN,
  SINGLY_FILE_CONTACTS,
  SINGLY_FILE_TEMPLATE,
  SINGLY_FILE_CAMPAIGN,
} SinglyFileKind;

/**
 * SinglyNotificationFunc:
 * @id: the notification's id
 * @title: its title
 * @body: (nullable): its text
 * @user_data: what was given with the function
 *
 * Where desktop notifications go instead of the desktop: tests.
 */
typedef void (*SinglyNotificationFunc) (const char *id,
                                        const char *title,
                                        const char *body,
                                        gpointer    user_data);

SinglyFileKind  singly_util_classify_file     (const char  *name,
                                               const char  *head,
                                               gsize        head_length);
const char     *singly_util_delimiter_name    (char         delimiter);
char           *singly_util_format_duration   (double       seconds);
gboolean        singly_util_parse_position    (const char  *message,
                                               guint       *line,
                                               guint       *column,
                                               const char **rest);
char           *singly_util_campaign_name     (GFile       *contacts_file,
                                               GFile       *template_file);
char           *singly_util_default_folder    (const char  *campaign_name);
char           *singly_util_journal_key       (const SinglyAccount *account);
gboolean        singly_util_matches           (const char  *haystack,
                                               const char  *needle_casefolded);

void            singly_util_send_notification (const char             *id,
                                               const char             *title,
                                               const char             *body);
void            singly_util_set_notification_func (SinglyNotificationFunc  func,
                                               gpointer                user_data);

G_END_DECLS
