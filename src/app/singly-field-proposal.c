/* singly-field-proposal.c: a column name offered by the template editor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "singly-field-proposal.h"

struct _SinglyFieldProposal
{
  GObject  parent_instance;

  char    *name;
  char    *example;   /* a value from the list, to tell columns apart */
};

static void singly_field_proposal_proposal_init (GtkSourceCompletionProposalInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SinglyFieldProposal, singly_field_proposal, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GTK_SOURCE_TYPE_COMPLETION_PROPOSAL,
                                                      singly_field_proposal_proposal_init))

static char *
singly_field_proposal_get_typed_text (GtkSourceCompletionProposal *proposal)
{
  return g_strdup (SINGLY_FIELD_PROPOSAL (proposal)->name);
}

static void
singly_field_proposal_proposal_init (GtkSourceCompletionProposalInterface *iface)
{
  iface->get_typed_text = singly_field_proposal_get_typed_text;
}

static void
singly_field_proposal_finalize (GObject *object)
{
  SinglyFieldProposal *self = SINGLY_FIELD_PROPOSAL (object);

  g_free (self->name);
  g_free (self->example);

  G_OBJECT_CLASS (singly_field_proposal_parent_class)->finalize (object);
}

static void
singly_field_proposal_class_init (SinglyFieldProposalClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = singly_field_proposal_finalize;
}

static void
singly_field_proposal_init (SinglyFieldProposal *self)
{
}

/**
 * singly_field_proposal_new:
 * @name: a column name
 * @example: (nullable): a value of that column
 *
 * Returns: (transfer full): a proposal
 */
SinglyFieldProposal *
singly_field_proposal_new (const char *name,
                           const char *example)
{
  SinglyFieldProposal *self;

  g_return_val_if_fail (name != NULL, NULL);

  self = g_object_new (SINGLY_TYPE_FIELD_PROPOSAL, NULL);
  self->name = g_strdup (name);
  self->example = g_strdup (example);
  return self;
}

const char *
singly_field_proposal_get_name (SinglyFieldProposal *self)
{
  g_return_val_if_fail (SINGLY_IS_FIELD_PROPOSAL (self), NULL);
  return self->name;
}

/**
 * singly_field_proposal_get_example:
 *
 * Returns: (nullable): a value of the column
 */
const char *
singly_field_proposal_get_example (SinglyFieldProposal *self)
{
  g_return_val_if_fail (SINGLY_IS_FIELD_PROPOSAL (self), NULL);
  return self->example;
}
