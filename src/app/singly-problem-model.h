/* singly-problem-model.h: the problems of a campaign as a GListModel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "singly-document.h"
#include "singly-problem-item.h"

G_BEGIN_DECLS

#define SINGLY_TYPE_PROBLEM_MODEL (singly_problem_model_get_type ())
G_DECLARE_FINAL_TYPE (SinglyProblemModel, singly_problem_model, SINGLY, PROBLEM_MODEL, GObject)

SinglyProblemModel *singly_problem_model_new     (SinglyDocument     *document);
const guint8       *singly_problem_model_get_row_flags (SinglyProblemModel *self,
                                                  guint              *n_rows);

G_END_DECLS
