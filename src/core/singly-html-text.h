/* singly-html-text.h: the plain-text alternative of an HTML body
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *singly_html_to_text (const char *html,
                           gssize      length);

G_END_DECLS
