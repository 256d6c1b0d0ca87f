/* singly-recipient.h: where one recipient's message stands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SinglyRecipientState:
 * @SINGLY_RECIPIENT_QUEUED: waiting to be sent
 * @SINGLY_RECIPIENT_SENDING: the message is on its way to the server
 * @SINGLY_RECIPIENT_SENT: the server took the message (250 to the final dot)
 * @SINGLY_RECIPIENT_DEFERRED: a temporary failure; it will be tried again
 * @SINGLY_RECIPIENT_FAILED: the server refused it for good
 * @SINGLY_RECIPIENT_SKIPPED: excluded, or the row has a problem
 * @SINGLY_RECIPIENT_UNKNOWN: the connection broke after the final dot and
 *   before the server's reply: the message may or may not have arrived, so
 *   it is not sent again without the user's say
 */
typedef enum
{
  SINGLY_RECIPIENT_QUEUED,
  SINGLY_RECIPIENT_SENDING,
  SINGLY_RECIPIENT_SENT,
  SINGLY_RECIPIENT_DEFERRED,
  SINGLY_RECIPIENT_FAILED,
  SINGLY_RECIPIENT_SKIPPED,
  SINGLY_RECIPIENT_UNKNOWN,
} SinglyRecipientState;

#define SINGLY_RECIPIENT_N_STATES (SINGLY_RECIPIENT_UNKNOWN + 1)

const char *singly_recipient_state_name  (SinglyRecipientState  state);
gboolean    singly_recipient_state_parse (const char           *name,
                                          SinglyRecipientState *state);

G_END_DECLS
