/* singly-encoding.c: turning office software's text files into UTF-8
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <uchardet.h>

#include "singly-encoding.h"
#include "singly-i18n.h"

G_DEFINE_QUARK (singly-encoding-error-quark, singly_encoding_error)

/* uchardet gets this much of the text: enough for its statistics, and an
 * 80 MB file is not read twice just to guess its encoding */
#define DETECT_WINDOW      (1024 * 1024)
/* the binary check looks at the start of the text only */
#define BINARY_WINDOW      (64 * 1024)
/* below this many non-ASCII bytes uchardet's guesses for short files are
 * close to random (a few Chinese names come out as Greek), so a simpler
 * rule decides */
#define MIN_EVIDENCE       64

typedef struct
{
  const char *alias;
  const char *canonical;
} Alias;

/* Names people (and other programs) use for the encodings office files
 * come in, mapped to the one name Singly shows.  GBK and GB2312 become
 * GB18030: it is their superset, so decoding with it never loses text. */
static const Alias aliases[] = {
  { "UTF8", "UTF-8" },
  { "UTF-8", "UTF-8" },
  { "UTF16", "UTF-16" },
  { "UTF-16", "UTF-16" },
  { "UNICODE", "UTF-16" },
  { "UTF16LE", "UTF-16LE" },
  { "UTF-16LE", "UTF-16LE" },
  { "UCS-2LE", "UTF-16LE" },
  { "UNICODELITTLE", "UTF-16LE" },
  { "UTF16BE", "UTF-16BE" },
  { "UTF-16BE", "UTF-16BE" },
  { "UCS-2BE", "UTF-16BE" },
  { "UNICODEBIG", "UTF-16BE" },
  { "UTF32", "UTF-32" },
  { "UTF-32", "UTF-32" },
  { "UTF32LE", "UTF-32LE" },
  { "UTF-32LE", "UTF-32LE" },
  { "UTF32BE", "UTF-32BE" },
  { "UTF-32BE", "UTF-32BE" },
  { "GB18030", "GB18030" },
  { "GBK", "GB18030" },
  { "X-GBK", "GB18030" },
  { "GB2312", "GB18030" },
  { "GB_2312-80", "GB18030" },
  { "CSGB2312", "GB18030" },
  { "EUC-CN", "GB18030" },
  { "EUCCN", "GB18030" },
  { "CP936", "GB18030" },
  { "MS936", "GB18030" },
  { "WINDOWS-936", "GB18030" },
  { "BIG5", "BIG5" },
  { "BIG-5", "BIG5" },
  { "CN-BIG5", "BIG5" },
  { "CSBIG5", "BIG5" },
  { "CP950", "BIG5" },
  { "SHIFT_JIS", "SHIFT_JIS" },
  { "SHIFT-JIS", "SHIFT_JIS" },
  { "SJIS", "SHIFT_JIS" },
  { "X-SJIS", "SHIFT_JIS" },
  { "MS_KANJI", "SHIFT_JIS" },
  { "CSSHIFTJIS", "SHIFT_JIS" },
  { "CP932", "SHIFT_JIS" },
  { "WINDOWS-31J", "SHIFT_JIS" },
  { "EUC-JP", "EUC-JP" },
  { "EUCJP", "EUC-JP" },
  { "EUC-KR", "EUC-KR" },
  { "EUCKR", "EUC-KR" },
  { "UHC", "EUC-KR" },
  { "CP949", "EUC-KR" },
  { "LATIN1", "ISO-8859-1" },
  { "LATIN-1", "ISO-8859-1" },
  { "L1", "ISO-8859-1" },
  { "LATIN2", "ISO-8859-2" },
  { "LATIN-2", "ISO-8859-2" },
  { "L2", "ISO-8859-2" },
  { "LATIN9", "ISO-8859-15" },
  { "LATIN-9", "ISO-8859-15" },
  { "MS-ANSI", "WINDOWS-1252" },
  { "ANSI", "WINDOWS-1252" },
  { "US-ASCII", "ASCII" },
  { "ANSI_X3.4-1968", "ASCII" },
};

/* The encodings the detector (or a person) names that are written with two
 * bytes per character: single-byte rules must not second-guess them */
static const char * const multibyte_encodings[] = {
  "GB18030", "BIG5", "BIG5-HKSCS", "SHIFT_JIS", "EUC-JP", "EUC-KR", "EUC-TW",
  "ISO-2022-JP", "ISO-2022-KR", "ISO-2022-CN", "HZ-GB-2312", "JOHAB",
  "UTF-8", "UTF-16", "UTF-16LE", "UTF-16BE", "UTF-32", "UTF-32LE", "UTF-32BE",
  NULL
};

static const char * const common_encodings[] = {
  "UTF-8",
  "UTF-16LE",
  "UTF-16BE",
  "GB18030",
  "BIG5",
  "SHIFT_JIS",
  "EUC-JP",
  "EUC-KR",
  "WINDOWS-1252",
  "WINDOWS-1250",
  "WINDOWS-1251",
  "ISO-8859-1",
  "ISO-8859-2",
  "ISO-8859-15",
  "KOI8-R",
  NULL
};

static gboolean
is_multibyte (const char *canonical)
{
  return g_strv_contains (multibyte_encodings, canonical);
}

/* Windows files use Microsoft's supersets of the East Asian standards
 * (a few more characters, the euro sign), so those go first; the
 * standard tables are the fallback when a file really is the standard. */
static const char * const *
iconv_names_for (const char *canonical,
                 const char *fallback[2])
{
  static const char * const gb[] = { "GB18030", NULL };
  static const char * const big5[] = { "CP950", "BIG5-HKSCS", "BIG5", NULL };
  static const char * const sjis[] = { "CP932", "SHIFT_JIS", NULL };
  static const char * const euckr[] = { "CP949", "EUC-KR", NULL };

  if (g_str_equal (canonical, "GB18030"))
    return gb;
  if (g_str_equal (canonical, "BIG5"))
    return big5;
  if (g_str_equal (canonical, "SHIFT_JIS"))
    return sjis;
  if (g_str_equal (canonical, "EUC-KR"))
    return euckr;

  fallback[0] = canonical;
  fallback[1] = NULL;
  return fallback;
}

static guint
count_lines_before (const char *data,
                    gsize       offset)
{
  guint line = 1;

  for (gsize i = 0; i < offset; i++)
    {
      if (data[i] == '\n')
        line++;
      else if (data[i] == '\r' && (i + 1 >= offset || data[i + 1] != '\n'))
        line++;
    }
  return line;
}

/* Valid UTF-8 where NUL bytes are allowed: a CSV with a stray NUL is still
 * a UTF-8 file, and the contact list reports the NUL on its row. */
static gboolean
validate_utf8 (const char *data,
               gsize       length,
               gsize      *bad_offset,
               gsize      *n_nuls)
{
  const char *p = data;
  const char *end = data + length;
  gsize nuls = 0;

  while (p < end)
    {
      const char *stop;

      if (g_utf8_validate_len (p, end - p, &stop))
        break;
      if (stop < end && *stop == '\0')
        {
          nuls++;
          p = stop + 1;
          continue;
        }
      if (bad_offset != NULL)
        *bad_offset = stop - data;
      return FALSE;
    }

  if (n_nuls != NULL)
    *n_nuls = nuls;
  return TRUE;
}

static gboolean
is_binary_control (guchar c)
{
  return (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' &&
          c != '\v' && c != 0x1b) || c == 0x7f;
}

/* Too many controls for text: a few stray ones are a damaged CSV (its rows
 * say where), a file of them is not a CSV at all */
static gboolean
too_many_controls (gsize controls,
                   gsize n,
                   guint percent)
{
  return controls * 4 > n || (controls >= 8 && controls * 100 > n * percent);
}

/* Raw bytes in a legacy encoding: C0 controls do not occur in text in any
 * of them, while images, archives and random bytes have one in ten */
static gboolean
looks_binary_raw (const char *data,
                  gsize       length)
{
  gsize n = MIN (length, BINARY_WINDOW);
  gsize controls = 0;

  for (gsize i = 0; i < n; i++)
    if (is_binary_control (data[i]))
      controls++;
  return too_many_controls (controls, n, 5);
}

/* Decoded text: C0 and C1 controls (junk read as Latin-1 is full of both) */
static gboolean
looks_binary (const char *text,
              gsize       length)
{
  gsize n = MIN (length, BINARY_WINDOW);
  gsize controls = 0;

  for (gsize i = 0; i < n; i++)
    {
      guchar c = text[i];

      if (is_binary_control (c))
        controls++;
      else if (c == 0xc2 && i + 1 < n && (guchar) text[i + 1] >= 0x80 && (guchar) text[i + 1] <= 0x9f)
        controls++;
    }
  return too_many_controls (controls, n, 10);
}

static gboolean
has_prefix (const char *data,
            gsize       length,
            const char *magic,
            gsize       magic_length)
{
  return length >= magic_length && memcmp (data, magic, magic_length) == 0;
}

/* People pick the .xlsx instead of the exported .csv all the time; say
 * so instead of showing a table of garbage. */
static gboolean
check_signature (const char  *data,
                 gsize        length,
                 GError     **error)
{
  static const struct { const char *magic; gsize length; gboolean workbook; } signatures[] = {
    { "PK\003\004", 4, TRUE },                          /* xlsx, ods, zip */
    { "\320\317\021\340\241\261\032\341", 8, TRUE },    /* xls (OLE2) */
    { "\211PNG\r\n\032\n", 8, FALSE },
    { "GIF87a", 6, FALSE },
    { "GIF89a", 6, FALSE },
    { "\377\330\377", 3, FALSE },                       /* JPEG */
    { "%PDF-", 5, FALSE },
    { "\037\213", 2, FALSE },                           /* gzip */
    { "\177ELF", 4, FALSE },
    { "Rar!\032\007", 6, FALSE },
    { "7z\274\257\047\034", 6, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (signatures); i++)
    {
      if (!has_prefix (data, length, signatures[i].magic, signatures[i].length))
        continue;

      if (signatures[i].workbook)
        g_set_error_literal (error, SINGLY_ENCODING_ERROR, SINGLY_ENCODING_ERROR_BINARY,
                             _("The file is a spreadsheet workbook or another archive, not a CSV file; save it as CSV in the spreadsheet program first"));
      else
        g_set_error_literal (error, SINGLY_ENCODING_ERROR, SINGLY_ENCODING_ERROR_BINARY,
                             _("The file holds binary data such as an image or a document, not text"));
      return FALSE;
    }
  return TRUE;
}

static void
set_binary_error (GError **error)
{
  g_set_error_literal (error, SINGLY_ENCODING_ERROR, SINGLY_ENCODING_ERROR_BINARY,
                       _("The file holds binary data such as an image or a document, not text"));
}

/* Excel's "Unicode text" without its BOM, or a BOM lost on the way:
 * ASCII characters (every delimiter and line break) leave a zero byte on
 * the same side of each pair. */
static const char *
sniff_utf16 (const char *data,
             gsize       length)
{
  gsize n = MIN (length, BINARY_WINDOW) & ~(gsize) 1;
  gsize pairs = n / 2;
  gsize zero_even = 0;
  gsize zero_odd = 0;

  if (pairs < 2 || length % 2 != 0)
    return NULL;

  for (gsize i = 0; i < n; i += 2)
    {
      if (data[i] == '\0')
        zero_even++;
      if (data[i + 1] == '\0')
        zero_odd++;
    }

  if (zero_odd * 10 >= pairs * 3 && zero_even * 20 <= zero_odd)
    return "UTF-16LE";
  if (zero_even * 10 >= pairs * 3 && zero_odd * 20 <= zero_even)
    return "UTF-16BE";
  return NULL;
}

/* GBK writes common Chinese as two bytes that are both 0xA1 or above;
 * Latin-1 text puts an ASCII letter or a space after most accented
 * letters, which GBK either rejects or reads as a rare character. */
static gboolean
looks_like_gbk (const guchar *s,
                gsize         n)
{
  gsize high_pairs = 0;
  gsize low_pairs = 0;
  gsize i = 0;

  while (i < n)
    {
      guchar c = s[i];

      if (c < 0x80)
        {
          i++;
          continue;
        }
      if (c == 0x80 || c == 0xff)
        return FALSE;
      if (i + 1 >= n)
        break;

      if (s[i + 1] >= 0x30 && s[i + 1] <= 0x39)
        {
          /* a GB18030 four-byte sequence */
          if (i + 3 >= n)
            break;
          high_pairs++;
          i += 4;
        }
      else if (s[i + 1] >= 0xa1 && s[i + 1] <= 0xfe)
        {
          high_pairs++;
          i += 2;
        }
      else if (s[i + 1] >= 0x40 && s[i + 1] != 0x7f && s[i + 1] != 0xff)
        {
          low_pairs++;
          i += 2;
        }
      else
        return FALSE;
    }

  return high_pairs > 0 && high_pairs >= 4 * low_pairs;
}

/* Converts with the first of @canonical's iconv names that the system
 * knows.  Returns %NULL with @error set: UNKNOWN_ENCODING when none is
 * known, INVALID when the bytes do not convert. */
static char *
convert_to_utf8 (const char  *data,
                 gsize        length,
                 const char  *canonical,
                 gsize       *out_length,
                 gsize       *bad_offset,
                 GError     **error)
{
  const char *fallback[2];
  const char * const *names = iconv_names_for (canonical, fallback);
  gboolean known = FALSE;
  gsize first_bad = 0;

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      gsize bytes_read = 0;
      gsize bytes_written = 0;
      char *text;

      text = g_convert (data, length, "UTF-8", names[i],
                        &bytes_read, &bytes_written, &local_error);
      if (text != NULL && bytes_read == length)
        {
          *out_length = bytes_written;
          return text;
        }
      /* g_convert() succeeds on a character cut off at the end, and
       * reports it only through bytes_read: a truncated file */
      g_free (text);
      if (g_error_matches (local_error, G_CONVERT_ERROR, G_CONVERT_ERROR_NO_CONVERSION))
        continue;

      if (!known || bytes_read > first_bad)
        first_bad = bytes_read;
      known = TRUE;
    }

  if (!known)
    {
      g_set_error (error, SINGLY_ENCODING_ERROR, SINGLY_ENCODING_ERROR_UNKNOWN_ENCODING,
                   _("The text encoding “%s” is not supported"), canonical);
      return NULL;
    }

  if (bad_offset != NULL)
    *bad_offset = first_bad;
  g_set_error (error, SINGLY_ENCODING_ERROR, SINGLY_ENCODING_ERROR_INVALID,
               _("The file is not valid %s text"), canonical);
  return NULL;
}

static gboolean
is_ascii_compatible (const char *canonical)
{
  return !g_str_has_prefix (canonical, "UTF-16") && !g_str_has_prefix (canonical, "UTF-32");
}

/* Names the line of the bad byte when that is meaningful, because "not
 * valid GB18030 text" alone leaves people searching a big file. */
static void
set_invalid_error (GError     **error,
                   const char  *canonical,
                   const char  *data,
                   gsize        bad_offset)
{
  if (is_ascii_compatible (canonical))
    g_set_error (error, SINGLY_ENCODING_ERROR, SINGLY_ENCODING_ERROR_INVALID,
                 _("The file is not valid %s text (line %u); choose its encoding by hand"),
                 canonical, count_lines_before (data, bad_offset));
  else
    g_set_error (error, SINGLY_ENCODING_ERROR, SINGLY_ENCODING_ERROR_INVALID,
                 _("The file is not valid %s text; choose its encoding by hand"),
                 canonical);
}

static char *
uchardet_guess (const char *data,
                gsize       length)
{
  uchardet_t detector = uchardet_new ();
  const char *charset;
  char *result = NULL;

  if (uchardet_handle_data (detector, data, length) == 0)
    {
      uchardet_data_end (detector);
      charset = uchardet_get_charset (detector);
      if (charset != NULL && charset[0] != '\0')
        result = singly_encoding_canonical_name (charset);
    }
  uchardet_delete (detector);
  return result;
}

/* Two single-byte encodings that give the same text for this file cannot
 * be told apart, and Windows-1252 is what such a file almost always is. */
static gboolean
same_as_windows_1252 (const char *window,
                      gsize       window_length,
                      const char *canonical)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  gsize a_length = 0;
  gsize b_length = 0;

  a = g_convert (window, window_length, "UTF-8", canonical, NULL, &a_length, NULL);
  b = g_convert (window, window_length, "UTF-8", "WINDOWS-1252", NULL, &b_length, NULL);
  return a != NULL && b != NULL && a_length == b_length && memcmp (a, b, a_length) == 0;
}

/* Picks the encodings to try, most likely first, for text that is not
 * UTF-8 and has no BOM. */
static GPtrArray *
legacy_candidates (const char *data,
                   gsize       length,
                   gsize       first_high)
{
  GPtrArray *candidates = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *guess = NULL;
  gsize start = first_high > 512 ? first_high - 512 : 0;
  gsize window_length = MIN (length - start, DETECT_WINDOW);
  const char *window = data + start;
  gsize n_high = 0;

  for (gsize i = 0; i < window_length; i++)
    if ((guchar) window[i] >= 0x80)
      n_high++;

  guess = uchardet_guess (window, window_length);

  if (guess != NULL && g_str_equal (guess, "UTF-8"))
    {
      /* uchardet saw mostly UTF-8: the file is damaged UTF-8, and reading
       * it as anything else would garble every accented letter */
      g_ptr_array_add (candidates, g_steal_pointer (&guess));
      return candidates;
    }

  if (guess != NULL && (is_multibyte (guess) || n_high >= MIN_EVIDENCE))
    {
      if (!is_multibyte (guess) && !g_str_equal (guess, "WINDOWS-1252") &&
          same_as_windows_1252 (window, window_length, guess))
        g_ptr_array_add (candidates, g_strdup ("WINDOWS-1252"));
      g_ptr_array_add (candidates, g_steal_pointer (&guess));
    }
  else if (looks_like_gbk ((const guchar *) window, window_length))
    g_ptr_array_add (candidates, g_strdup ("GB18030"));

  g_ptr_array_add (candidates, g_strdup ("WINDOWS-1252"));
  /* every byte is a character in Latin-1, so something always comes out */
  g_ptr_array_add (candidates, g_strdup ("ISO-8859-1"));
  return candidates;
}

static SinglyDecoded *
decoded_new (char       *text,
             gsize       length,
             const char *encoding,
             gboolean    had_bom,
             gboolean    detected)
{
  SinglyDecoded *decoded = g_new0 (SinglyDecoded, 1);

  decoded->text = text;
  decoded->length = length;
  decoded->encoding = g_strdup (encoding);
  decoded->had_bom = had_bom;
  decoded->detected = detected;
  return decoded;
}

/* UTF-8 input needs no conversion: when the caller gave us its buffer the
 * text stays where it is, so a big file is never held twice. */
static char *
utf8_text (char       *owned,
           const char *data,
           gsize       length,
           gsize       offset)
{
  char *text;

  if (owned != NULL)
    {
      if (offset > 0)
        memmove (owned, owned + offset, length - offset);
      owned[length - offset] = '\0';
      return owned;
    }

  text = g_malloc (length - offset + 1);
  memcpy (text, data + offset, length - offset);
  text[length - offset] = '\0';
  return text;
}

/* A forced encoding with its own BOM (or a BOM iconv leaves in) must not
 * end up in the first column name */
static gboolean
strip_decoded_bom (char  *text,
                   gsize *length)
{
  if (*length >= 3 && memcmp (text, "\357\273\277", 3) == 0)
    {
      memmove (text, text + 3, *length - 3 + 1);
      *length -= 3;
      return TRUE;
    }
  return FALSE;
}

static const char *
sniff_bom (const char *data,
           gsize       length,
           gsize      *bom_length)
{
  if (has_prefix (data, length, "\357\273\277", 3))
    {
      *bom_length = 3;
      return "UTF-8";
    }
  if (has_prefix (data, length, "\377\376\0\0", 4))
    {
      *bom_length = 4;
      return "UTF-32LE";
    }
  if (has_prefix (data, length, "\0\0\376\377", 4))
    {
      *bom_length = 4;
      return "UTF-32BE";
    }
  if (has_prefix (data, length, "\377\376", 2))
    {
      *bom_length = 2;
      return "UTF-16LE";
    }
  if (has_prefix (data, length, "\376\377", 2))
    {
      *bom_length = 2;
      return "UTF-16BE";
    }
  *bom_length = 0;
  return NULL;
}

/* Wraps already validated UTF-8; takes @owned (which is @data or %NULL) */
static SinglyDecoded *
finish_utf8 (char        *owned,
             const char  *data,
             gsize        length,
             gsize        bom_length,
             gboolean     detected,
             GError     **error)
{
  if (looks_binary (data + bom_length, length - bom_length))
    {
      g_free (owned);
      set_binary_error (error);
      return NULL;
    }

  return decoded_new (utf8_text (owned, data, length, bom_length), length - bom_length,
                      "UTF-8", bom_length > 0, detected);
}

/* Decodes @data as @canonical; @bom_length bytes of BOM are skipped first.
 * Takes @owned (which is @data or %NULL) in every case. */
static SinglyDecoded *
decode_as (char        *owned,
           const char  *data,
           gsize        length,
           gsize        bom_length,
           const char  *canonical,
           gboolean     detected,
           GError     **error)
{
  g_autofree char *owned_data = owned;
  char *text;
  gsize text_length = 0;
  gsize bad_offset = 0;
  gboolean had_bom = bom_length > 0;

  if (g_str_equal (canonical, "UTF-8"))
    {
      if (!validate_utf8 (data + bom_length, length - bom_length, &bad_offset, NULL))
        {
          set_invalid_error (error, canonical, data, bom_length + bad_offset);
          return NULL;
        }
      return finish_utf8 (g_steal_pointer (&owned_data), data, length, bom_length,
                          detected, error);
    }
  else
    {
      g_autoptr(GError) local_error = NULL;

      text = convert_to_utf8 (data + bom_length, length - bom_length, canonical,
                              &text_length, &bad_offset, &local_error);
      if (text == NULL)
        {
          if (g_error_matches (local_error, SINGLY_ENCODING_ERROR, SINGLY_ENCODING_ERROR_INVALID))
            set_invalid_error (error, canonical, data, bom_length + bad_offset);
          else
            g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      had_bom |= strip_decoded_bom (text, &text_length);
    }

  if (looks_binary (text, text_length))
    {
      g_free (text);
      set_binary_error (error);
      return NULL;
    }

  return decoded_new (text, text_length, canonical, had_bom, detected);
}

static SinglyDecoded *
decode_forced (char        *owned,
               const char  *data,
               gsize        length,
               const char  *forced_encoding,
               GError     **error)
{
  g_autofree char *canonical = singly_encoding_canonical_name (forced_encoding);
  gsize bom_length = 0;
  const char *bom = sniff_bom (data, length, &bom_length);

  if (canonical[0] == '\0')
    {
      g_free (owned);
      g_set_error (error, SINGLY_ENCODING_ERROR, SINGLY_ENCODING_ERROR_UNKNOWN_ENCODING,
                   _("The text encoding “%s” is not supported"), forced_encoding);
      return NULL;
    }

  /* "UTF-16" without a byte order: the BOM says which, else Windows' */
  if (g_str_equal (canonical, "UTF-16") || g_str_equal (canonical, "UTF-32"))
    {
      const char *order = "LE";
      char *resolved;

      if (bom != NULL && g_str_has_prefix (bom, canonical))
        order = bom + strlen (canonical);
      resolved = g_strconcat (canonical, order, NULL);
      g_free (canonical);
      canonical = resolved;
    }

  if (bom == NULL || !g_str_equal (bom, canonical))
    bom_length = 0;

  return decode_as (owned, data, length, bom_length, canonical, FALSE, error);
}

static SinglyDecoded *
decode_detect (char        *owned,
               const char  *data,
               gsize        length,
               GError     **error)
{
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GError) last_error = NULL;
  gsize bom_length = 0;
  const char *bom = sniff_bom (data, length, &bom_length);
  const char *utf16;
  gsize bad_offset = 0;
  gsize n_nuls = 0;
  gboolean is_utf8;

  if (bom != NULL)
    return decode_as (owned, data, length, bom_length, bom, TRUE, error);

  if (!check_signature (data, length, error))
    {
      g_free (owned);
      return NULL;
    }

  /* ASCII text in UTF-16 is valid UTF-8 with a NUL in every other byte:
   * look for that before taking NULs as stray */
  utf16 = sniff_utf16 (data, length);
  is_utf8 = validate_utf8 (data, length, &bad_offset, &n_nuls);
  if (is_utf8 && (n_nuls == 0 || utf16 == NULL))
    return finish_utf8 (owned, data, length, 0, TRUE, error);

  if (utf16 != NULL)
    {
      SinglyDecoded *decoded = decode_as (NULL, data, length, 0, utf16, TRUE, NULL);

      if (decoded != NULL)
        {
          g_free (owned);
          return decoded;
        }
    }

  if (is_utf8)
    return finish_utf8 (owned, data, length, 0, TRUE, error);

  /* no legacy encoding turns this many control bytes into text */
  if (looks_binary_raw (data, length))
    {
      g_free (owned);
      set_binary_error (error);
      return NULL;
    }

  candidates = legacy_candidates (data, length, bad_offset);
  for (guint i = 0; i < candidates->len; i++)
    {
      SinglyDecoded *decoded;

      g_clear_error (&last_error);
      decoded = decode_as (NULL, data, length, 0, candidates->pdata[i], TRUE, &last_error);
      if (decoded != NULL)
        {
          g_free (owned);
          return decoded;
        }
      if (g_error_matches (last_error, SINGLY_ENCODING_ERROR, SINGLY_ENCODING_ERROR_BINARY))
        break;
    }

  g_free (owned);
  g_propagate_error (error, g_steal_pointer (&last_error));
  return NULL;
}

/**
 * singly_decode_text:
 * @data: (array length=length): the bytes of a text file
 * @length: the number of bytes in @data
 * @forced_encoding: (nullable): the encoding to use instead of detecting one
 * @error: return location for a #SinglyEncodingError
 *
 * Turns the contents of a text file into UTF-8.  Without @forced_encoding a
 * byte order mark decides; else valid UTF-8 is taken as it is; else text
 * that looks like UTF-16 without a BOM is read as such; else the encoding
 * is guessed among the legacy ones office software writes (GB18030, Big5,
 * Shift_JIS, Windows-1252, ISO-8859-x, …).  NUL bytes in the text are kept
 * (see #SinglyDecoded:length).
 *
 * Returns: (transfer full) (nullable): the decoded text, or %NULL with
 *   @error set when the data is binary, cannot be decoded, or
 *   @forced_encoding is not known
 */
SinglyDecoded *
singly_decode_text (const char  *data,
                    gsize        length,
                    const char  *forced_encoding,
                    GError     **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (data == NULL)
    data = "";

  if (forced_encoding != NULL)
    return decode_forced (NULL, data, length, forced_encoding, error);
  return decode_detect (NULL, data, length, error);
}

/**
 * singly_decode_text_take:
 * @data: (transfer full) (array length=length): the bytes of a text file,
 *   allocated with g_malloc() and followed by a NUL byte at @data[@length]
 *   (as g_file_load_contents() returns them)
 * @length: the number of bytes in @data, not counting that NUL
 * @forced_encoding: (nullable): the encoding to use instead of detecting one
 * @error: return location for a #SinglyEncodingError
 *
 * Like singly_decode_text(), but takes @data: when the text is UTF-8
 * already, #SinglyDecoded:text is @data itself (with the BOM moved out), so
 * a big file costs one buffer instead of two.  @data is freed on error.
 *
 * Returns: (transfer full) (nullable): the decoded text, or %NULL with
 *   @error set
 */
SinglyDecoded *
singly_decode_text_take (char        *data,
                         gsize        length,
                         const char  *forced_encoding,
                         GError     **error)
{
  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (forced_encoding != NULL)
    return decode_forced (data, data, length, forced_encoding, error);
  return decode_detect (data, data, length, error);
}

/**
 * singly_decoded_free:
 * @decoded: (nullable): a #SinglyDecoded
 *
 * Frees @decoded and its text.
 */
void
singly_decoded_free (SinglyDecoded *decoded)
{
  if (decoded == NULL)
    return;
  g_free (decoded->text);
  g_free (decoded->encoding);
  g_free (decoded);
}

/**
 * singly_encoding_canonical_name:
 * @name: an encoding name as a person or a program wrote it
 *
 * Maps the many names of an encoding to the one Singly shows and reports:
 * "utf8" → "UTF-8", "cp1252" → "WINDOWS-1252", "GBK" and "GB2312" →
 * "GB18030" (their superset), "latin1" → "ISO-8859-1", "SJIS" → "SHIFT_JIS".
 * Names it does not know come back in upper case.
 *
 * Returns: (transfer full): the canonical name (empty when @name is blank)
 */
char *
singly_encoding_canonical_name (const char *name)
{
  g_autofree char *upper = NULL;
  guint number = 0;
  char tail = '\0';

  g_return_val_if_fail (name != NULL, NULL);

  upper = g_ascii_strup (name, -1);
  g_strstrip (upper);

  for (guint i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (g_str_equal (upper, aliases[i].alias))
      return g_strdup (aliases[i].canonical);

  /* CP1250…CP1258, WINDOWS1252, WIN1251 */
  if ((sscanf (upper, "CP%u%c", &number, &tail) == 1 ||
       sscanf (upper, "WINDOWS%u%c", &number, &tail) == 1 ||
       sscanf (upper, "WINDOWS-%u%c", &number, &tail) == 1 ||
       sscanf (upper, "WIN%u%c", &number, &tail) == 1) &&
      number >= 1250 && number <= 1258)
    return g_strdup_printf ("WINDOWS-%u", number);

  /* ISO8859-1, ISO_8859-15, ISO-8859-2, ISO88591 */
  if ((sscanf (upper, "ISO8859-%u%c", &number, &tail) == 1 ||
       sscanf (upper, "ISO_8859-%u%c", &number, &tail) == 1 ||
       sscanf (upper, "ISO-8859-%u%c", &number, &tail) == 1 ||
       sscanf (upper, "ISO8859%u%c", &number, &tail) == 1) &&
      number >= 1 && number <= 16)
    return g_strdup_printf ("ISO-8859-%u", number);

  return g_steal_pointer (&upper);
}

/**
 * singly_encoding_get_common:
 *
 * The encodings worth offering when someone chooses one by hand, most
 * common first, by their canonical names.
 *
 * Returns: (transfer none) (array zero-terminated=1): the names
 */
const char * const *
singly_encoding_get_common (void)
{
  return common_encodings;
}
