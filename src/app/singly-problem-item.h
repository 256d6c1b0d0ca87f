/* singly-problem-item.h: one problem of a row, as the problems list shows it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SINGLY_TYPE_PROBLEM_ITEM (singly_problem_item_get_type ())
G_DECLARE_FINAL_TYPE (SinglyProblemItem, singly_problem_item, SINGLY, PROBLEM_ITEM, GObject)

SinglyProblemItem *singly_problem_item_new         (guint              row,
                                                    guint              line,
                                                    const char        *column_name,
                                                    const char        *message);
guint              singly_problem_item_get_row     (SinglyProblemItem *self);
guint              singly_problem_item_get_line    (SinglyProblemItem *self);
const char        *singly_problem_item_get_column_name (SinglyProblemItem *self);
const char        *singly_problem_item_get_message (SinglyProblemItem *self);
char              *singly_problem_item_dup_location (SinglyProblemItem *self);

G_END_DECLS
