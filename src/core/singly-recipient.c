/* singly-recipient.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "singly-recipient.h"

static const char * const state_names[SINGLY_RECIPIENT_N_STATES] = {
  [SINGLY_RECIPIENT_QUEUED]   = "queued",
  [SINGLY_RECIPIENT_SENDING]  = "sending",
  [SINGLY_RECIPIENT_SENT]     = "sent",
  [SINGLY_RECIPIENT_DEFERRED] = "deferred",
  [SINGLY_RECIPIENT_FAILED]   = "failed",
  [SINGLY_RECIPIENT_SKIPPED]  = "skipped",
  [SINGLY_RECIPIENT_UNKNOWN]  = "unknown",
};

/**
 * singly_recipient_state_name:
 *
 * Returns: the stable, untranslated name of @state, as the journal and the
 *   report write it
 */
const char *
singly_recipient_state_name (SinglyRecipientState state)
{
  g_return_val_if_fail (state < SINGLY_RECIPIENT_N_STATES, "unknown");
  return state_names[state];
}

gboolean
singly_recipient_state_parse (const char           *name,
                              SinglyRecipientState *state)
{
  for (guint i = 0; i < SINGLY_RECIPIENT_N_STATES; i++)
    if (g_strcmp0 (name, state_names[i]) == 0)
      {
        *state = i;
        return TRUE;
      }
  return FALSE;
}
