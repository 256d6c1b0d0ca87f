/* singly-message-view.h: one merged message, as its recipient will see it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "singly-message.h"

G_BEGIN_DECLS

#define SINGLY_TYPE_MESSAGE_VIEW (singly_message_view_get_type ())
G_DECLARE_FINAL_TYPE (SinglyMessageView, singly_message_view, SINGLY, MESSAGE_VIEW, AdwBin)

void        singly_message_view_set_message       (SinglyMessageView *self,
                                                   SinglyMessage     *message);
void        singly_message_view_set_show_source   (SinglyMessageView *self,
                                                   gboolean           show_source);
const char *singly_message_view_get_from          (SinglyMessageView *self);
const char *singly_message_view_get_to            (SinglyMessageView *self);
const char *singly_message_view_get_subject       (SinglyMessageView *self);
const char *singly_message_view_get_html          (SinglyMessageView *self);
char       *singly_message_view_dup_plain         (SinglyMessageView *self);
guint       singly_message_view_get_n_attachments (SinglyMessageView *self);
gsize       singly_message_view_get_size          (SinglyMessageView *self);
char       *singly_message_view_wrap_html         (const char        *html);

G_END_DECLS
