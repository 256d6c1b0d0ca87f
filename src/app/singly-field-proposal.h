/* singly-field-proposal.h: a column name offered by the template editor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtksourceview/gtksource.h>

G_BEGIN_DECLS

#define SINGLY_TYPE_FIELD_PROPOSAL (singly_field_proposal_get_type ())
G_DECLARE_FINAL_TYPE (SinglyFieldProposal, singly_field_proposal, SINGLY, FIELD_PROPOSAL, GObject)

SinglyFieldProposal *singly_field_proposal_new         (const char          *name,
                                                        const char          *example);
const char          *singly_field_proposal_get_name    (SinglyFieldProposal *self);
const char          *singly_field_proposal_get_example (SinglyFieldProposal *self);

G_END_DECLS
