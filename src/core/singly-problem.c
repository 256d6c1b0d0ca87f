/* singly-problem.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "singly-problem.h"

SinglyProblem *
singly_problem_new (SinglyProblemKind  kind,
                    guint              row,
                    guint              line,
                    int                column,
                    const char        *format,
                    ...)
{
  SinglyProblem *problem = g_new0 (SinglyProblem, 1);
  va_list args;

  problem->kind = kind;
  problem->row = row;
  problem->line = line;
  problem->column = column;

  va_start (args, format);
  problem->message = g_strdup_vprintf (format, args);
  va_end (args);

  return problem;
}

void
singly_problem_free (SinglyProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->message);
  g_free (problem);
}

/**
 * singly_problem_kind_name:
 *
 * Returns: a stable, untranslated identifier for @kind, as used in reports
 *   and machine-readable output.
 */
const char *
singly_problem_kind_name (SinglyProblemKind kind)
{
  switch (kind)
    {
    case SINGLY_PROBLEM_EMPTY_ADDRESS:       return "empty-address";
    case SINGLY_PROBLEM_INVALID_ADDRESS:     return "invalid-address";
    case SINGLY_PROBLEM_LOCAL_PART_TOO_LONG: return "local-part-too-long";
    case SINGLY_PROBLEM_DUPLICATE_ADDRESS:   return "duplicate-address";
    case SINGLY_PROBLEM_CONTROL_CHARACTER:   return "control-character";
    case SINGLY_PROBLEM_NUL_BYTE:            return "nul-byte";
    case SINGLY_PROBLEM_RAGGED_ROW:          return "ragged-row";
    case SINGLY_PROBLEM_UNCLOSED_QUOTE:      return "unclosed-quote";
    case SINGLY_PROBLEM_STRAY_QUOTE:         return "stray-quote";
    case SINGLY_PROBLEM_EMPTY_FIELD:         return "empty-field";
    case SINGLY_PROBLEM_MISSING_ATTACHMENT:  return "missing-attachment";
    case SINGLY_PROBLEM_INVALID_HEADER:      return "invalid-header";
    case SINGLY_PROBLEM_ATTACHMENT_OUTSIDE:  return "attachment-outside";
    default:                                 return "unknown";
    }
}
