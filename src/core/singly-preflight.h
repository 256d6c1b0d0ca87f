/* singly-preflight.h: what a careful colleague would say before you send
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "singly-message.h"

G_BEGIN_DECLS

typedef enum
{
  SINGLY_WARNING_PROBLEM_ROWS,       /* some rows will not be sent */
  SINGLY_WARNING_EMPTY_FIELD,        /* a field the template uses is empty for this row */
  SINGLY_WARNING_MISSING_ATTACHMENT,
  SINGLY_WARNING_LARGE_MESSAGE,      /* over SINGLY_PREFLIGHT_LARGE_MESSAGE bytes */
  SINGLY_WARNING_EMPTY_SUBJECT,
  SINGLY_WARNING_SUBJECT_CAPS,       /* an all-caps subject */
  SINGLY_WARNING_SUBJECT_EXCLAIM,    /* "!!!" and the like */
  SINGLY_WARNING_SPAM_WORDS,         /* words spam filters weigh against you */
  SINGLY_WARNING_NO_PLAIN_TEXT,      /* HTML without a plain-text part */
  SINGLY_WARNING_NO_UNSUBSCRIBE,     /* a large send without a way to unsubscribe */
} SinglyWarningKind;

#define SINGLY_PREFLIGHT_LARGE_MESSAGE (10 * 1024 * 1024)
#define SINGLY_PREFLIGHT_LARGE_SEND    100

/**
 * SinglyWarning:
 * @kind: what it is about
 * @row: the row it is about, or %SINGLY_PROBLEM_NO_ROW for the whole campaign
 * @message: a translated sentence for people
 */
typedef struct
{
  SinglyWarningKind  kind;
  guint              row;
  char              *message;
} SinglyWarning;

SinglyWarning *singly_warning_new           (SinglyWarningKind     kind,
                                             guint                 row,
                                             const char           *format,
                                             ...) G_GNUC_PRINTF (3, 4);
void       singly_warning_free              (SinglyWarning        *warning);
const char *singly_warning_kind_name        (SinglyWarningKind     kind);

GPtrArray *singly_preflight_check_campaign  (SinglyMessageBuilder *builder);
GPtrArray *singly_preflight_check_message   (SinglyMessageBuilder *builder,
                                             SinglyMessage        *message,
                                             gsize                 size);

/* The tests behind the subject and spam-word warnings, for editors that
 * flag text as it is typed */
char     **singly_preflight_find_spam_words (const char           *text);
gboolean   singly_preflight_is_shouting     (const char           *text,
                                             char                **words);
gboolean   singly_preflight_has_exclamation (const char           *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SinglyWarning, singly_warning_free)

G_END_DECLS
