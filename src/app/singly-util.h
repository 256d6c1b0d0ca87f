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
} SinglyFileKind;

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

G_END_DECLS
