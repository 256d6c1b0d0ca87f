/* singly-encoding.h: turning office software's text files into UTF-8
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SinglyDecoded:
 * @text: the text as NUL-terminated UTF-8, BOM removed (NUL bytes inside
 *   the text are kept; use @length)
 * @length: length of @text in bytes
 * @encoding: the canonical name of the source encoding ("UTF-8", "UTF-16LE",
 *   "GB18030", "WINDOWS-1252", …)
 * @had_bom: a byte order mark was found and removed
 * @detected: the encoding was detected rather than forced
 */
typedef struct
{
  char     *text;
  gsize     length;
  char     *encoding;
  gboolean  had_bom;
  gboolean  detected;
} SinglyDecoded;

SinglyDecoded *singly_decode_text   (const char     *data,
                                     gsize           length,
                                     const char     *forced_encoding,
                                     GError        **error);
void           singly_decoded_free  (SinglyDecoded  *decoded);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SinglyDecoded, singly_decoded_free)

G_END_DECLS
