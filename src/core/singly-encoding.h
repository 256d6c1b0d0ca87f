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

#define SINGLY_ENCODING_ERROR (singly_encoding_error_quark ())

/**
 * SinglyEncodingError:
 * @SINGLY_ENCODING_ERROR_UNKNOWN_ENCODING: the chosen encoding is not one
 *   the system can convert from
 * @SINGLY_ENCODING_ERROR_INVALID: the bytes are not valid text in the chosen
 *   (or declared, or detected) encoding
 * @SINGLY_ENCODING_ERROR_BINARY: the data is not text at all (an image, a
 *   spreadsheet workbook, random bytes, …)
 */
typedef enum
{
  SINGLY_ENCODING_ERROR_UNKNOWN_ENCODING,
  SINGLY_ENCODING_ERROR_INVALID,
  SINGLY_ENCODING_ERROR_BINARY,
} SinglyEncodingError;

GQuark         singly_encoding_error_quark     (void);

SinglyDecoded *singly_decode_text   (const char     *data,
                                     gsize           length,
                                     const char     *forced_encoding,
                                     GError        **error);
SinglyDecoded *singly_decode_text_take (char        *data,
                                        gsize        length,
                                        const char  *forced_encoding,
                                        GError     **error);
void           singly_decoded_free  (SinglyDecoded  *decoded);

char          *singly_encoding_canonical_name  (const char     *name);
const char * const *singly_encoding_get_common (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SinglyDecoded, singly_decoded_free)

G_END_DECLS
