/* singly-problem.h: one thing wrong with one row (or the whole file)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SINGLY_PROBLEM_EMPTY_ADDRESS,
  SINGLY_PROBLEM_INVALID_ADDRESS,
  SINGLY_PROBLEM_LOCAL_PART_TOO_LONG,
  SINGLY_PROBLEM_DUPLICATE_ADDRESS,
  SINGLY_PROBLEM_CONTROL_CHARACTER,   /* CR, LF or NUL in a header- or envelope-bound value */
  SINGLY_PROBLEM_NUL_BYTE,
  SINGLY_PROBLEM_RAGGED_ROW,
  SINGLY_PROBLEM_UNCLOSED_QUOTE,
  SINGLY_PROBLEM_STRAY_QUOTE,
  SINGLY_PROBLEM_EMPTY_FIELD,         /* a field the template requires is empty */
  SINGLY_PROBLEM_MISSING_ATTACHMENT,
  SINGLY_PROBLEM_INVALID_HEADER,      /* a rendered Cc/Bcc/Reply-To is not an address list */
  SINGLY_PROBLEM_ATTACHMENT_OUTSIDE,  /* an Attach path leads out of the folder it must stay in */
} SinglyProblemKind;

#define SINGLY_PROBLEM_NO_ROW    G_MAXUINT
#define SINGLY_PROBLEM_NO_COLUMN (-1)

/**
 * SinglyProblem:
 * @kind: what is wrong
 * @row: index of the row in the contact list, or %SINGLY_PROBLEM_NO_ROW
 * @line: 1-based line of the file where the row starts (0 when unknown)
 * @column: index of the column concerned, or %SINGLY_PROBLEM_NO_COLUMN
 * @message: a translated sentence for people, without the line number
 */
typedef struct
{
  SinglyProblemKind  kind;
  guint              row;
  guint              line;
  int                column;
  char              *message;
} SinglyProblem;

SinglyProblem *singly_problem_new       (SinglyProblemKind  kind,
                                         guint              row,
                                         guint              line,
                                         int                column,
                                         const char        *format,
                                         ...) G_GNUC_PRINTF (5, 6);
void           singly_problem_free      (SinglyProblem     *problem);
const char    *singly_problem_kind_name (SinglyProblemKind  kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SinglyProblem, singly_problem_free)

G_END_DECLS
