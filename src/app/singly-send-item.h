/* singly-send-item.h: one recipient of a send, as the progress table shows it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "singly-recipient.h"

G_BEGIN_DECLS

#define SINGLY_TYPE_SEND_ITEM (singly_send_item_get_type ())
G_DECLARE_FINAL_TYPE (SinglySendItem, singly_send_item, SINGLY, SEND_ITEM, GObject)

SinglySendItem      *singly_send_item_new         (guint                 row,
                                                   guint                 line,
                                                   const char           *address,
                                                   const char           *name);
guint                singly_send_item_get_row     (SinglySendItem       *self);
guint                singly_send_item_get_line    (SinglySendItem       *self);
const char          *singly_send_item_get_address (SinglySendItem       *self);
const char          *singly_send_item_get_name    (SinglySendItem       *self);
SinglyRecipientState singly_send_item_get_state   (SinglySendItem       *self);
guint                singly_send_item_get_code    (SinglySendItem       *self);
const char          *singly_send_item_get_reply   (SinglySendItem       *self);
gint64               singly_send_item_get_time    (SinglySendItem       *self);
void                 singly_send_item_update      (SinglySendItem       *self,
                                                   SinglyRecipientState  state,
                                                   guint                 code,
                                                   const char           *reply,
                                                   gint64                time);

const char          *singly_send_item_state_label (SinglyRecipientState  state);
const char          *singly_send_item_state_icon  (SinglyRecipientState  state);
const char          *singly_send_item_state_style (SinglyRecipientState  state);

G_END_DECLS
