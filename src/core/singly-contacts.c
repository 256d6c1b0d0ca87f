/* singly-contacts.c: a contact list read from a CSV file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <csv.h>

#include "singly-address.h"
#include "singly-contacts.h"
#include "singly-journal.h"
#include "singly-encoding.h"
#include "singly-i18n.h"

/* How the list is stored, because a million-row file must load in seconds
 * and in well under three times its size:
 *
 * - the decoded text of the file is the only big buffer.  Each finished
 *   row's cells are written back into it, over the raw bytes they came
 *   from: a cell's text plus its NUL is never longer than the raw cell
 *   plus its delimiter, so the write position never passes the read
 *   position;
 * - the cells are one array of n_rows × n_columns pointers into it;
 * - line numbers and per-row state are flat arrays. */

struct _SinglyContactList
{
  GObject        parent_instance;

  char          *encoding;
  gboolean       encoding_detected;
  gboolean       had_bom;
  char           delimiter;

  char          *storage;
  char          *checksum;      /* SHA-256 of the bytes read, as the journal names files */

  guint          n_columns;
  char         **column_names;
  char         **column_keys;

  guint          n_rows;
  guint          rows_allocated;
  const char   **cells;
  guint         *row_lines;
  guint8        *row_flags;

  GPtrArray     *parse_problems;
  GPtrArray     *address_problems;
  GPtrArray     *problems;

  int            address_column;
  const char   **addresses;
  GStringChunk  *trimmed_addresses;

  int            name_column;
  int            given_name_column;
  int            family_name_column;

  guint          n_included;
};

G_DEFINE_FINAL_TYPE (SinglyContactList, singly_contact_list, G_TYPE_OBJECT)

G_DEFINE_QUARK (singly-contacts-error-quark, singly_contacts_error)

enum {
  PROP_0,
  PROP_ADDRESS_COLUMN,
  PROP_N_INCLUDED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ROW_PARSE_PROBLEM   = 1 << 0,
  ROW_ADDRESS_PROBLEM = 1 << 1,
  ROW_INCLUDED        = 1 << 2,
};

#define CSV_OPTIONS (CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)

/* how many lines the delimiter sniffer and the address finder look at */
#define SNIFF_LINES       20
#define SNIFF_BYTES       (64 * 1024)
#define DETECT_ROWS       1000
/* libcsv is fed at most this much at once, so that one huge cell grows
 * its buffer in a few big steps rather than many small ones */
#define FEED_PIECE        (1024 * 1024)

static const char empty_cell[] = "";

/* Header names, after loose_key(), that mean "the address" */
static const char * const address_keys[] = {
  "email", "mail", "emailaddress", "mailaddress", "emailadress", "emailadresse",
  "email1", "email1value", "primaryemail", "emailaddress1",
  "adresseemail", "adressemail", "adresseélectronique", "courriel",
  "correo", "correoelectrónico", "correoelectronico", "direccióndecorreo",
  "endereçodeemail", "indirizzoemail", "epost", "epostadresse", "emailadres",
  "sähköposti", "почта", "электроннаяпочта",
  "邮箱", "电子邮件", "电子邮箱", "邮件地址", "邮件", "邮箱地址", "电邮", "电子邮件地址",
  "郵箱", "電子郵件", "電子郵箱", "電郵", "郵件地址", "電子郵件地址",
  "メール", "メールアドレス", "電子メール", "이메일", "전자우편", "이메일주소",
  NULL
};

/* Keys are compared after loose_key(), so they are written case-folded */
static const char * const name_keys[] = {
  "name", "fullname", "displayname", "contactname", "nomcomplet",
  "nombrecompleto", "vollständigername",
  "姓名", "名字", "联系人", "全名", "聯絡人", "氏名", "名前", "이름",
  NULL
};

static const char * const given_name_keys[] = {
  "firstname", "first", "givenname", "given", "forename", "vorname", "prénom",
  "prenom", "nombre", "имя", "名",
  NULL
};

static const char * const family_name_keys[] = {
  "lastname", "last", "surname", "familyname", "family", "nachname", "nom",
  "apellido", "apellidos", "фамилия", "姓", "姓氏", "苗字",
  NULL
};

typedef struct
{
  SinglyContactList *self;
  const char        *text;
  gsize              length;
  char              *write;
  char               delimiter;
  gsize              cell_budget;
  guint              estimated_rows;

  struct csv_parser  parser;

  /* the row being read: its cells, each NUL-terminated, one after the
   * other in row_text */
  GString           *row_text;
  GArray            *row_offsets;
  guint              row_n_fields;
  gboolean           row_blank;
  gboolean           row_has_nul;
  int                row_nul_column;
  gboolean           in_row;
  gsize              row_start;
  guint              row_line;

  GString           *scratch;
  gboolean           too_ragged;
} ParseState;

/* libcsv drops blanks around unquoted values unless told that nothing is
 * a blank; the cells must reach templates exactly as they were typed */
static int
never_space (unsigned char c)
{
  return 0;
}

static void
parser_init (ParseState *st)
{
  if (csv_init (&st->parser, CSV_OPTIONS) != 0)
    g_error ("libcsv: cannot initialise the parser");
  csv_set_delim (&st->parser, st->delimiter);
  csv_set_space_func (&st->parser, never_space);
}

static gboolean
is_blank_cell (const char *data,
               gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if (data[i] != ' ' && data[i] != '\t')
      return FALSE;
  return TRUE;
}

static void
reset_row (ParseState *st)
{
  g_string_truncate (st->row_text, 0);
  g_array_set_size (st->row_offsets, 0);
  st->row_n_fields = 0;
  st->row_blank = TRUE;
  st->row_has_nul = FALSE;
  st->row_nul_column = SINGLY_PROBLEM_NO_COLUMN;
}

static void
add_field (ParseState *st,
           const char *data,
           gsize       length)
{
  guint index = st->row_n_fields++;
  gboolean has_nul = memchr (data, '\0', length) != NULL;
  gsize offset = st->row_text->len;

  if (st->row_blank && !is_blank_cell (data, length))
    st->row_blank = FALSE;

  if (has_nul && !st->row_has_nul)
    {
      st->row_has_nul = TRUE;
      st->row_nul_column = (st->self->n_columns == 0 || index < st->self->n_columns)
                           ? (int) index : SINGLY_PROBLEM_NO_COLUMN;
    }

  /* cells past the header's width are dropped (and the row reported) */
  if (st->self->n_columns > 0 && index >= st->self->n_columns)
    return;

  g_array_append_val (st->row_offsets, offset);
  if (has_nul)
    {
      for (gsize i = 0; i < length; i++)
        if (data[i] != '\0')
          g_string_append_c (st->row_text, data[i]);
    }
  else
    g_string_append_len (st->row_text, data, length);
  g_string_append_c (st->row_text, '\0');
}

static void
field_parsed_cb (void   *data,
                 size_t  length,
                 void   *user_data)
{
  add_field (user_data, data, length);
}

static gboolean
is_trim_space (gunichar c)
{
  return g_unichar_isspace (c) || c == 0xfeff;
}

/* Trims Unicode white space (and a stray BOM) from both ends */
static const char *
trim_span (const char *s,
           gsize      *length,
           gboolean  (*is_space) (gunichar))
{
  const char *start = s;
  const char *end = s + strlen (s);

  while (start < end && is_space (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);

      if (!is_space (g_utf8_get_char (prev)))
        break;
      end = prev;
    }
  *length = end - start;
  return start;
}

static char *
trim_dup (const char *s,
          gboolean  (*is_space) (gunichar))
{
  gsize length;
  const char *start = trim_span (s, &length, is_space);

  return g_strndup (start, length);
}

/* Spaces around an address are a typing accident; a tab or a line break
 * is not, and is reported as a control character instead of trimmed. */
static gboolean
is_address_space (gunichar c)
{
  return c == ' ' || g_unichar_type (c) == G_UNICODE_SPACE_SEPARATOR;
}

static char *
column_key (const char *name)
{
  g_autofree char *folded = g_utf8_casefold (name, -1);

  return g_utf8_normalize (folded, -1, G_NORMALIZE_NFC);
}

/* "E-Mail Address", "email_address" and "EmailAddress" are one name */
static char *
loose_key (const char *name)
{
  g_autofree char *key = column_key (name);
  GString *out = g_string_sized_new (strlen (key));

  for (const char *p = key; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '-' || c == '_' || c == '.' || c == 0x2010 || c == 0x2011 ||
          c == 0x30fb || g_unichar_isspace (c))
        continue;
      g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

static void
set_header (ParseState *st)
{
  SinglyContactList *self = st->self;
  guint n = st->row_offsets->len;
  guint64 rows;

  self->n_columns = n;
  self->column_names = g_new0 (char *, n + 1);
  self->column_keys = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    {
      const char *cell = st->row_text->str + g_array_index (st->row_offsets, gsize, i);
      char *name = trim_dup (cell, is_trim_space);

      if (name[0] == '\0')
        {
          g_free (name);
          name = g_strdup_printf (_("Column %u"), i + 1);
        }
      self->column_names[i] = name;
      self->column_keys[i] = column_key (name);
    }

  rows = MIN ((guint64) st->estimated_rows, st->cell_budget / n);
  self->rows_allocated = MAX (rows, 1);
  self->cells = g_new (const char *, (gsize) self->rows_allocated * n);
  self->row_lines = g_new (guint, self->rows_allocated);
  self->row_flags = g_new (guint8, self->rows_allocated);
}

static void
add_parse_problem (SinglyContactList *self,
                   SinglyProblemKind  kind,
                   guint              row,
                   int                column,
                   const char        *message)
{
  g_ptr_array_add (self->parse_problems,
                   singly_problem_new (kind, row, self->row_lines[row], column, "%s", message));
  self->row_flags[row] |= ROW_PARSE_PROBLEM;
}

static gboolean
ensure_rows (ParseState *st,
             guint       needed)
{
  SinglyContactList *self = st->self;
  guint allocated;

  if (needed <= self->rows_allocated)
    return TRUE;

  /* Rows shorter than the header still take a pointer per column; a file
   * of a million one-cell lines under a header of ten thousand names would
   * take gigabytes.  That is a wrong delimiter or not a contact list. */
  if ((guint64) needed * self->n_columns > st->cell_budget)
    {
      st->too_ragged = TRUE;
      return FALSE;
    }

  allocated = MAX (needed, self->rows_allocated * 2);
  if ((guint64) allocated * self->n_columns > st->cell_budget)
    allocated = st->cell_budget / self->n_columns;
  allocated = MAX (allocated, needed);

  self->cells = g_renew (const char *, self->cells, (gsize) allocated * self->n_columns);
  self->row_lines = g_renew (guint, self->row_lines, allocated);
  self->row_flags = g_renew (guint8, self->row_flags, allocated);
  self->rows_allocated = allocated;
  return TRUE;
}

static void
commit_row (ParseState *st,
            int         quote_problem,
            int         quote_column)
{
  SinglyContactList *self = st->self;
  guint n = self->n_columns;
  guint row = self->n_rows;
  guint stored = st->row_offsets->len;
  const char **cells;

  if (!ensure_rows (st, row + 1))
    return;

  cells = self->cells + (gsize) row * n;
  for (guint c = 0; c < n; c++)
    {
      gsize start, end;

      if (c >= stored)
        {
          cells[c] = empty_cell;
          continue;
        }

      start = g_array_index (st->row_offsets, gsize, c);
      end = c + 1 < stored ? g_array_index (st->row_offsets, gsize, c + 1) : st->row_text->len;
      if (end - start == 1)
        {
          cells[c] = empty_cell;
          continue;
        }

      memcpy (st->write, st->row_text->str + start, end - start);
      cells[c] = st->write;
      st->write += end - start;
    }

  self->row_lines[row] = st->row_line;
  self->row_flags[row] = 0;
  self->n_rows++;

  if (quote_problem == SINGLY_PROBLEM_UNCLOSED_QUOTE)
    add_parse_problem (self, SINGLY_PROBLEM_UNCLOSED_QUOTE, row, quote_column,
                       _("A quoted value is never closed; the rest of its line was read as plain text"));
  else if (quote_problem == SINGLY_PROBLEM_STRAY_QUOTE)
    add_parse_problem (self, SINGLY_PROBLEM_STRAY_QUOTE, row, quote_column,
                       _("A quotation mark is out of place; the value was read as plain text"));

  if (st->row_n_fields != n)
    {
      g_autofree char *message = NULL;

      if (st->row_n_fields > n)
        message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "The row has %u cells but the header has %u column; the extra cells were left out",
                                                "The row has %u cells but the header has %u columns; the extra cells were left out",
                                                n),
                                   st->row_n_fields, n);
      else
        message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "The row has %u cell but the header has %u columns; the missing cells are empty",
                                                "The row has %u cells but the header has %u columns; the missing cells are empty",
                                                st->row_n_fields),
                                   st->row_n_fields, n);
      add_parse_problem (self, SINGLY_PROBLEM_RAGGED_ROW, row, SINGLY_PROBLEM_NO_COLUMN, message);
    }

  if (st->row_has_nul)
    add_parse_problem (self, SINGLY_PROBLEM_NUL_BYTE, row, st->row_nul_column,
                       _("The row contains NUL bytes, which were removed"));
}

/* @quote_problem is -1 for a row libcsv read without complaint */
static void
finish_row (ParseState *st,
            int         quote_problem,
            int         quote_column)
{
  st->in_row = FALSE;

  if (st->too_ragged)
    ;
  else if (st->row_blank && !st->row_has_nul && quote_problem < 0)
    ;
  else if (st->self->n_columns == 0)
    set_header (st);
  else
    commit_row (st, quote_problem, quote_column);

  reset_row (st);
}

static void
row_parsed_cb (int   terminator,
               void *user_data)
{
  finish_row (user_data, -1, SINGLY_PROBLEM_NO_COLUMN);
}

static gsize
line_break_length (const char *text,
                   gsize       length,
                   gsize       pos)
{
  if (pos >= length)
    return 0;
  if (text[pos] == '\r')
    return (pos + 1 < length && text[pos + 1] == '\n') ? 2 : 1;
  return text[pos] == '\n' ? 1 : 0;
}

static guint
count_line_breaks (const char *text,
                   gsize       length)
{
  guint breaks = 0;

  for (gsize i = 0; i < length; i++)
    {
      if (text[i] == '\n')
        breaks++;
      else if (text[i] == '\r' && (i + 1 >= length || text[i + 1] != '\n'))
        breaks++;
    }
  return breaks;
}

/* Copies an unquoted value (quotes and all) up to the next delimiter or
 * line break; returns where it stopped */
static gsize
scan_literal (ParseState *st,
              gsize       pos,
              GString    *field)
{
  gsize start = pos;

  while (pos < st->length && st->text[pos] != st->delimiter &&
         st->text[pos] != '\r' && st->text[pos] != '\n')
    pos++;
  g_string_append_len (field, st->text + start, pos - start);
  return pos;
}

static gboolean
is_blank_char (ParseState *st,
               char        c)
{
  return (c == ' ' || c == '\t') && c != st->delimiter;
}

/* Reads the row starting at @start the forgiving way, after strict libcsv
 * refused it.  A field is quoted only if its quotes are well formed: the
 * closing quote followed by a delimiter, a line break or the end (blanks
 * around the quotes are allowed, as in `a@example.com, "Smith, J"`, and
 * are no problem).  Anything else is plain text up to the next delimiter
 * on the same line, so one bad quote costs one row, never the rest of the
 * file.  Sets @kind to the quote problem found (-1 for none) and returns
 * the offset just after the row's line break. */
static gsize
parse_row_leniently (ParseState *st,
                     gsize       start,
                     int        *kind,
                     int        *column)
{
  const char *text = st->text;
  gsize length = st->length;
  gsize pos = start;
  guint index = 0;
  gboolean unclosed = FALSE;
  int problem_column = SINGLY_PROBLEM_NO_COLUMN;
  GString *field = st->scratch;

  for (;;)
    {
      gsize open = pos;

      g_string_truncate (field, 0);
      while (open < length && is_blank_char (st, text[open]))
        open++;

      if (open < length && text[open] == '"')
        {
          gsize q = open + 1;
          gsize after = length;
          gboolean closed = FALSE;

          while (q < length)
            {
              if (text[q] == '"')
                {
                  if (q + 1 < length && text[q + 1] == '"')
                    {
                      g_string_append_c (field, '"');
                      q += 2;
                      continue;
                    }
                  after = q + 1;
                  while (after < length && is_blank_char (st, text[after]))
                    after++;
                  closed = (after == length || text[after] == st->delimiter ||
                            text[after] == '\r' || text[after] == '\n');
                  break;
                }
              g_string_append_c (field, text[q]);
              q++;
            }

          if (closed)
            pos = after;
          else
            {
              if (problem_column == SINGLY_PROBLEM_NO_COLUMN)
                {
                  problem_column = index;
                  unclosed = q >= length;
                }
              g_string_truncate (field, 0);
              pos = scan_literal (st, pos, field);
            }
        }
      else
        {
          gsize field_start = pos;

          pos = scan_literal (st, pos, field);
          if (problem_column == SINGLY_PROBLEM_NO_COLUMN &&
              memchr (text + field_start, '"', pos - field_start) != NULL)
            problem_column = index;
        }

      add_field (st, field->str, field->len);
      index++;

      if (pos < length && text[pos] == st->delimiter)
        {
          pos++;
          continue;
        }
      break;
    }

  if (problem_column == SINGLY_PROBLEM_NO_COLUMN)
    *kind = -1;
  else
    *kind = unclosed ? SINGLY_PROBLEM_UNCLOSED_QUOTE : SINGLY_PROBLEM_STRAY_QUOTE;
  *column = (st->self->n_columns == 0 || problem_column < (int) st->self->n_columns)
            ? problem_column : SINGLY_PROBLEM_NO_COLUMN;
  return pos + line_break_length (text, length, pos);
}

/* Throws away what strict libcsv read of the current row, reads it
 * leniently, and returns where strict parsing resumes; @line becomes that
 * position's line. */
static gsize
recover_row (ParseState *st,
             guint      *line)
{
  int kind;
  int column;
  gsize end;

  g_assert (st->in_row);

  csv_free (&st->parser);
  parser_init (st);
  reset_row (st);

  end = parse_row_leniently (st, st->row_start, &kind, &column);
  *line = st->row_line + count_line_breaks (st->text + st->row_start, end - st->row_start);
  finish_row (st, kind, column);
  return end;
}

static gboolean
feed (ParseState *st,
      gsize       start,
      gsize       end)
{
  for (gsize pos = start; pos < end; )
    {
      gsize piece = MIN (end - pos, FEED_PIECE);

      /* grow libcsv's cell buffer geometrically: it adds blk_size at a time */
      csv_set_blk_size (&st->parser, MAX (128, csv_get_buffer_size (&st->parser)));
      if (csv_parse (&st->parser, st->text + pos, piece, field_parsed_cb, row_parsed_cb, st) != piece)
        {
          if (csv_error (&st->parser) != CSV_EPARSE)
            g_error ("libcsv: %s", csv_strerror (csv_error (&st->parser)));
          return FALSE;
        }
      pos += piece;
    }
  return TRUE;
}

/* Feeds libcsv one physical line at a time: that is how each row learns
 * the line it starts on (line breaks inside quoted values included) and
 * where to go back to when strict parsing fails. */
static gboolean
parse_text (ParseState    *st,
            GCancellable  *cancellable,
            GError       **error)
{
  const char *text = st->text;
  gsize length = st->length;
  gsize pos = 0;
  guint line = 1;
  guint lines_fed = 0;

  for (;;)
    {
      while (pos < length && !st->too_ragged)
        {
          gsize eol = pos;
          gsize next;

          while (eol < length && text[eol] != '\n' && text[eol] != '\r')
            eol++;
          next = eol + line_break_length (text, length, eol);

          if (!st->in_row && eol > pos)
            {
              st->in_row = TRUE;
              st->row_start = pos;
              st->row_line = line;
            }

          if (!feed (st, pos, next))
            {
              pos = recover_row (st, &line);
              continue;
            }

          pos = next;
          line++;

          if (++lines_fed % 65536 == 0 &&
              g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
        }

      if (st->too_ragged || csv_fini (&st->parser, field_parsed_cb, row_parsed_cb, st) == 0)
        break;

      /* the file ended inside a quoted value */
      pos = recover_row (st, &line);
    }

  if (st->too_ragged)
    {
      g_set_error_literal (error, SINGLY_CONTACTS_ERROR, SINGLY_CONTACTS_ERROR_HEADER,
                           _("Most rows have far fewer cells than the header row; check the delimiter"));
      return FALSE;
    }
  return TRUE;
}

static guint
estimate_lines (const char *text,
                gsize       length)
{
  gsize breaks = 1;
  const char *p = text;
  const char *end = text + length;

  while ((p = memchr (p, '\n', end - p)) != NULL)
    {
      breaks++;
      p++;
    }
  /* old Mac files break lines with CR alone */
  if (breaks == 1)
    for (p = text; (p = memchr (p, '\r', end - p)) != NULL; p++)
      breaks++;
  return MIN (breaks, G_MAXUINT - 1);
}

static gboolean
parse (SinglyContactList  *self,
       gsize               length,
       GCancellable       *cancellable,
       GError            **error)
{
  ParseState st = { 0, };
  gboolean ok;

  st.self = self;
  st.text = self->storage;
  st.length = length;
  st.write = self->storage;
  st.delimiter = self->delimiter;
  st.row_text = g_string_sized_new (1024);
  st.row_offsets = g_array_new (FALSE, FALSE, sizeof (gsize));
  st.scratch = g_string_new (NULL);
  /* complete rows cost at most one pointer per byte of the file; this
   * leaves room for ragged ones while refusing absurd ones */
  st.cell_budget = 2 * (guint64) length + 1024 * 1024;
  /* the cell array is sized from the line count up front: there cannot
   * be more rows than lines, and pages never touched cost no memory */
  st.estimated_rows = estimate_lines (st.text, length);
  reset_row (&st);
  parser_init (&st);

  ok = parse_text (&st, cancellable, error);

  csv_free (&st.parser);
  g_string_free (st.row_text, TRUE);
  g_array_unref (st.row_offsets);
  g_string_free (st.scratch, TRUE);
  return ok;
}

/* The delimiter that splits the first lines into the same number of
 * fields (more than one) most often; quotes are honoured roughly, which is
 * enough to step over "Berg, Berg & Co".  Ties go to the comma. */
static char
sniff_delimiter (const char *text,
                 gsize       length)
{
  static const char candidates[] = { ',', ';', '\t', '|' };
  guint counts[G_N_ELEMENTS (candidates)][SNIFF_LINES];
  guint current[G_N_ELEMENTS (candidates)] = { 0, };
  gsize limit = MIN (length, SNIFF_BYTES);
  guint n_lines = 0;
  gboolean quoted = FALSE;
  gboolean has_content = FALSE;
  guint best_score = 0;
  char best = ',';

  for (gsize i = 0; i <= limit && n_lines < SNIFF_LINES; i++)
    {
      char c = i < length ? text[i] : '\n';

      if (i == limit && i < length)
        break;

      if (c == '"')
        quoted = !quoted;
      else if (!quoted && (c == '\n' || c == '\r'))
        {
          if (has_content)
            {
              for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
                counts[k][n_lines] = current[k] + 1;
              n_lines++;
            }
          memset (current, 0, sizeof current);
          has_content = FALSE;
          continue;
        }
      else if (!quoted)
        {
          for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
            if (c == candidates[k])
              current[k]++;
        }

      if (c != ' ')
        has_content = TRUE;
    }

  for (guint k = 0; k < G_N_ELEMENTS (candidates) && n_lines > 0; k++)
    {
      guint header = counts[k][0];
      guint score = 0;

      if (header < 2)
        continue;
      for (guint l = 0; l < n_lines; l++)
        if (counts[k][l] == header)
          score++;
      if (score > best_score)
        {
          best_score = score;
          best = candidates[k];
        }
    }
  return best;
}

static int
find_column_by_keys (SinglyContactList  *self,
                     const char * const *keys,
                     int                 skip)
{
  for (guint i = 0; i < self->n_columns; i++)
    {
      g_autofree char *key = NULL;

      if ((int) i == skip)
        continue;
      key = loose_key (self->column_names[i]);
      if (g_strv_contains (keys, key))
        return i;
    }
  return -1;
}

/* A file without an "email" header: the column where most values are
 * addresses, as long as that is more than half the rows looked at */
static int
find_address_column_by_content (SinglyContactList *self)
{
  guint n_sampled = MIN (self->n_rows, DETECT_ROWS);
  guint best_count = 0;
  int best = -1;

  for (guint c = 0; c < self->n_columns; c++)
    {
      guint count = 0;

      for (guint r = 0; r < n_sampled; r++)
        {
          const char *cell = self->cells[(gsize) r * self->n_columns + c];
          g_autofree char *address = NULL;

          if (strchr (cell, '@') == NULL)
            continue;
          address = trim_dup (cell, is_address_space);
          if (singly_address_is_valid (address))
            count++;
        }

      if (count > best_count)
        {
          best_count = count;
          best = c;
        }
    }

  return best_count * 2 > n_sampled ? best : -1;
}

static gboolean
is_cjk_name (const char *name)
{
  if (name[0] == '\0')
    return FALSE;

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      switch (g_unichar_get_script (g_utf8_get_char (p)))
        {
        case G_UNICODE_SCRIPT_HAN:
        case G_UNICODE_SCRIPT_HIRAGANA:
        case G_UNICODE_SCRIPT_KATAKANA:
        case G_UNICODE_SCRIPT_HANGUL:
          break;
        default:
          return FALSE;
        }
    }
  return TRUE;
}

static int
compare_problems (gconstpointer a,
                  gconstpointer b)
{
  const SinglyProblem *pa = *(SinglyProblem * const *) a;
  const SinglyProblem *pb = *(SinglyProblem * const *) b;

  if (pa->line != pb->line)
    return pa->line < pb->line ? -1 : 1;
  if (pa->row != pb->row)
    return pa->row < pb->row ? -1 : 1;
  if (pa->kind != pb->kind)
    return pa->kind < pb->kind ? -1 : 1;
  if (pa->column != pb->column)
    return pa->column < pb->column ? -1 : 1;
  return 0;
}

static void
set_n_included (SinglyContactList *self,
                guint              n_included)
{
  if (self->n_included == n_included)
    return;
  self->n_included = n_included;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_INCLUDED]);
}

static SinglyProblem *
check_address (SinglyContactList *self,
               guint              row,
               GHashTable        *seen)
{
  const char *address = self->addresses[row];
  guint line = self->row_lines[row];
  int column = self->address_column;
  const char *reason = NULL;
  gpointer first;

  switch (singly_address_check_full (address, NULL, NULL, &reason))
    {
    case SINGLY_ADDRESS_OK:
      break;
    case SINGLY_ADDRESS_EMPTY:
      return singly_problem_new (SINGLY_PROBLEM_EMPTY_ADDRESS, row, line, column,
                                 "%s", _("The address is empty"));
    case SINGLY_ADDRESS_CONTROL_CHARACTER:
      return singly_problem_new (SINGLY_PROBLEM_CONTROL_CHARACTER, row, line, column, "%s", reason);
    case SINGLY_ADDRESS_LOCAL_TOO_LONG:
      return singly_problem_new (SINGLY_PROBLEM_LOCAL_PART_TOO_LONG, row, line, column, "%s", reason);
    case SINGLY_ADDRESS_SYNTAX:
    case SINGLY_ADDRESS_DOMAIN:
    default:
      return singly_problem_new (SINGLY_PROBLEM_INVALID_ADDRESS, row, line, column, "%s", reason);
    }

  if (g_hash_table_lookup_extended (seen, address, NULL, &first))
    return singly_problem_new (SINGLY_PROBLEM_DUPLICATE_ADDRESS, row, line, column,
                               _("The same address is already on line %u"),
                               self->row_lines[GPOINTER_TO_UINT (first)]);

  g_hash_table_insert (seen, (gpointer) address, GUINT_TO_POINTER (row));
  return NULL;
}

/* Everything that depends on the address column: the trimmed addresses,
 * their problems, and which rows are included */
static void
recompute_addresses (SinglyContactList *self)
{
  g_autoptr(GHashTable) seen = NULL;
  int column = self->address_column;
  guint n_included = 0;

  g_ptr_array_set_size (self->address_problems, 0);
  g_clear_pointer (&self->addresses, g_free);
  g_clear_pointer (&self->trimmed_addresses, g_string_chunk_free);

  if (column >= 0)
    {
      self->addresses = g_new (const char *, MAX (self->n_rows, 1));
      self->trimmed_addresses = g_string_chunk_new (4096);
      seen = g_hash_table_new (singly_address_hash, singly_address_equal);
    }

  for (guint row = 0; row < self->n_rows; row++)
    {
      guint8 flags = self->row_flags[row] & ROW_PARSE_PROBLEM;

      if (column >= 0)
        {
          const char *cell = self->cells[(gsize) row * self->n_columns + column];
          SinglyProblem *problem;
          const char *start;
          gsize length;

          start = trim_span (cell, &length, is_address_space);
          if (start == cell && start[length] == '\0')
            self->addresses[row] = cell;
          else
            self->addresses[row] = g_string_chunk_insert_len (self->trimmed_addresses, start, length);

          problem = check_address (self, row, seen);
          if (problem != NULL)
            {
              g_ptr_array_add (self->address_problems, problem);
              flags |= ROW_ADDRESS_PROBLEM;
            }
        }

      if (flags == 0)
        {
          flags |= ROW_INCLUDED;
          n_included++;
        }
      self->row_flags[row] = flags;
    }

  g_ptr_array_set_size (self->problems, 0);
  for (guint i = 0; i < self->parse_problems->len; i++)
    g_ptr_array_add (self->problems, self->parse_problems->pdata[i]);
  for (guint i = 0; i < self->address_problems->len; i++)
    g_ptr_array_add (self->problems, self->address_problems->pdata[i]);
  g_ptr_array_sort (self->problems, compare_problems);

  set_n_included (self, n_included);
}

static void
find_name_columns (SinglyContactList *self)
{
  self->name_column = find_column_by_keys (self, name_keys, self->address_column);
  self->given_name_column = -1;
  self->family_name_column = -1;

  if (self->name_column >= 0)
    return;

  self->given_name_column = find_column_by_keys (self, given_name_keys, self->address_column);
  if (self->given_name_column >= 0)
    self->family_name_column = find_column_by_keys (self, family_name_keys, self->address_column);
}

static SinglyContactList *
load (char                         *data,
      gsize                         length,
      const SinglyContactsOptions  *options,
      GCancellable                 *cancellable,
      GError                      **error)
{
  g_autoptr(SinglyContactList) self = NULL;
  g_autoptr(SinglyDecoded) decoded = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *checksum = NULL;
  gsize text_length;

  /* before the bytes are decoded in place: what the journal knows the
   * file by, taken here, in the loader's thread, rather than read again
   * when a send starts */
  checksum = singly_checksum_data (data, length);
  decoded = singly_decode_text_take (data, length, options != NULL ? options->encoding : NULL,
                                     &local_error);
  if (decoded == NULL)
    {
      g_set_error_literal (error, SINGLY_CONTACTS_ERROR,
                           g_error_matches (local_error, SINGLY_ENCODING_ERROR,
                                            SINGLY_ENCODING_ERROR_BINARY)
                           ? SINGLY_CONTACTS_ERROR_BINARY : SINGLY_CONTACTS_ERROR_ENCODING,
                           local_error->message);
      return NULL;
    }

  self = g_object_new (SINGLY_TYPE_CONTACT_LIST, NULL);
  self->checksum = g_steal_pointer (&checksum);
  self->encoding = g_steal_pointer (&decoded->encoding);
  self->encoding_detected = decoded->detected;
  self->had_bom = decoded->had_bom;
  self->storage = g_steal_pointer (&decoded->text);
  text_length = decoded->length;
  g_clear_pointer (&decoded, singly_decoded_free);

  if (options != NULL && options->delimiter != '\0')
    self->delimiter = options->delimiter;
  else
    self->delimiter = sniff_delimiter (self->storage, text_length);

  if (!parse (self, text_length, cancellable, error))
    return NULL;

  if (self->n_columns == 0)
    {
      g_set_error_literal (error, SINGLY_CONTACTS_ERROR, SINGLY_CONTACTS_ERROR_EMPTY,
                           _("The file is empty"));
      return NULL;
    }

  if (self->rows_allocated > self->n_rows)
    {
      guint n = MAX (self->n_rows, 1);

      self->cells = g_renew (const char *, self->cells, (gsize) n * self->n_columns);
      self->row_lines = g_renew (guint, self->row_lines, n);
      self->row_flags = g_renew (guint8, self->row_flags, n);
      self->rows_allocated = n;
    }

  if (options != NULL && options->address_column != NULL)
    {
      self->address_column = singly_contact_list_find_column (self, options->address_column);
      if (self->address_column < 0)
        {
          g_set_error (error, SINGLY_CONTACTS_ERROR, SINGLY_CONTACTS_ERROR_HEADER,
                       _("The file has no column named “%s”"), options->address_column);
          return NULL;
        }
    }
  else
    {
      self->address_column = find_column_by_keys (self, address_keys, -1);
      if (self->address_column < 0)
        self->address_column = find_address_column_by_content (self);
    }

  find_name_columns (self);
  recompute_addresses (self);
  return g_steal_pointer (&self);
}

static void
singly_contact_list_finalize (GObject *object)
{
  SinglyContactList *self = SINGLY_CONTACT_LIST (object);

  g_free (self->encoding);
  g_free (self->checksum);
  g_free (self->storage);
  g_strfreev (self->column_names);
  g_strfreev (self->column_keys);
  g_free (self->cells);
  g_free (self->row_lines);
  g_free (self->row_flags);
  g_ptr_array_unref (self->problems);
  g_ptr_array_unref (self->address_problems);
  g_ptr_array_unref (self->parse_problems);
  g_free (self->addresses);
  g_clear_pointer (&self->trimmed_addresses, g_string_chunk_free);

  G_OBJECT_CLASS (singly_contact_list_parent_class)->finalize (object);
}

static void
singly_contact_list_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  SinglyContactList *self = SINGLY_CONTACT_LIST (object);

  switch (prop_id)
    {
    case PROP_ADDRESS_COLUMN:
      g_value_set_int (value, self->address_column);
      break;
    case PROP_N_INCLUDED:
      g_value_set_uint (value, self->n_included);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
singly_contact_list_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  SinglyContactList *self = SINGLY_CONTACT_LIST (object);

  switch (prop_id)
    {
    case PROP_ADDRESS_COLUMN:
      singly_contact_list_set_address_column (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
singly_contact_list_class_init (SinglyContactListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = singly_contact_list_finalize;
  object_class->get_property = singly_contact_list_get_property;
  object_class->set_property = singly_contact_list_set_property;

  /**
   * SinglyContactList:address-column:
   *
   * The index of the column holding the addresses, or -1.
   */
  properties[PROP_ADDRESS_COLUMN] =
    g_param_spec_int ("address-column", NULL, NULL,
                      -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SinglyContactList:n-included:
   *
   * How many rows are included in the mailing.
   */
  properties[PROP_N_INCLUDED] =
    g_param_spec_uint ("n-included", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
singly_contact_list_init (SinglyContactList *self)
{
  self->delimiter = ',';
  self->parse_problems = g_ptr_array_new_with_free_func ((GDestroyNotify) singly_problem_free);
  self->address_problems = g_ptr_array_new_with_free_func ((GDestroyNotify) singly_problem_free);
  self->problems = g_ptr_array_new ();
  self->address_column = -1;
  self->name_column = -1;
  self->given_name_column = -1;
  self->family_name_column = -1;
}

/**
 * singly_contact_list_new_from_file:
 * @file: the CSV file
 * @options: (nullable): what to force instead of detecting it
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #SinglyContactsError (or
 *   %G_IO_ERROR_CANCELLED)
 *
 * Reads a contact list: decodes the file (see singly_decode_text()), finds
 * its delimiter, takes the first row as the header, finds the address and
 * name columns, and checks every row.  Broken rows are kept and reported
 * as problems; only a file that is unreadable, empty, binary or
 * undecodable is an error.  Safe to call from a worker thread.
 *
 * Returns: (transfer full) (nullable): the list, or %NULL with @error set
 */
SinglyContactList *
singly_contact_list_new_from_file (GFile                        *file,
                                   const SinglyContactsOptions  *options,
                                   GCancellable                 *cancellable,
                                   GError                      **error)
{
  g_autoptr(GError) local_error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (options == NULL || (options->delimiter != '"' && options->delimiter != '\n' &&
                                            options->delimiter != '\r'), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_load_contents (file, cancellable, &contents, &length, NULL, &local_error))
    {
      g_autofree char *name = g_file_get_parse_name (file);

      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, SINGLY_CONTACTS_ERROR, SINGLY_CONTACTS_ERROR_IO,
                     _("Could not read “%s”: %s"), name, local_error->message);
      return NULL;
    }

  return load (contents, length, options, cancellable, error);
}

/**
 * singly_contact_list_new_from_bytes:
 * @bytes: the contents of a CSV file
 * @options: (nullable): what to force instead of detecting it
 * @error: return location for a #SinglyContactsError
 *
 * Like singly_contact_list_new_from_file(), for contents already in memory.
 * The list keeps one copy of @bytes' data, not a reference.
 *
 * Returns: (transfer full) (nullable): the list, or %NULL with @error set
 */
SinglyContactList *
singly_contact_list_new_from_bytes (GBytes                       *bytes,
                                    const SinglyContactsOptions  *options,
                                    GError                      **error)
{
  gconstpointer data;
  gsize length = 0;
  char *copy;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (options == NULL || (options->delimiter != '"' && options->delimiter != '\n' &&
                                            options->delimiter != '\r'), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &length);
  copy = g_malloc (length + 1);
  if (length > 0)
    memcpy (copy, data, length);
  copy[length] = '\0';

  return load (copy, length, options, NULL, error);
}

/**
 * singly_contact_list_get_encoding:
 * @self: a #SinglyContactList
 *
 * Returns: (transfer none): the canonical name of the encoding the file
 *   was read in ("UTF-8", "GB18030", "WINDOWS-1252", …)
 */
const char *
singly_contact_list_get_encoding (SinglyContactList *self)
{
  g_return_val_if_fail (SINGLY_IS_CONTACT_LIST (self), NULL);

  return self->encoding;
}

/**
 * singly_contact_list_get_encoding_detected:
 * @self: a #SinglyContactList
 *
 * Returns: %TRUE if the encoding was detected, %FALSE if it was forced
 */
gboolean
singly_contact_list_get_encoding_detected (SinglyContactList *self)
{
  g_return_val_if_fail (SINGLY_IS_CONTACT_LIST (self), FALSE);

  return self->encoding_detected;
}

/**
 * singly_contact_list_get_had_bom:
 * @self: a #SinglyContactList
 *
 * Returns: whether the file started with a byte order mark
 */
gboolean
singly_contact_list_get_had_bom (SinglyContactList *self)
{
  g_return_val_if_fail (SINGLY_IS_CONTACT_LIST (self), FALSE);

  return self->had_bom;
}

/**
 * singly_contact_list_get_delimiter:
 * @self: a #SinglyContactList
 *
 * Returns: the delimiter the file was read with (`,` `;` tab `|` or the
 *   forced one)
 */
char
singly_contact_list_get_delimiter (SinglyContactList *self)
{
  g_return_val_if_fail (SINGLY_IS_CONTACT_LIST (self), ',');

  return self->delimiter;
}

/**
 * singly_contact_list_get_n_columns:
 * @self: a #SinglyContactList
 *
 * Returns: the number of columns, as given by the header row
 */
guint
singly_contact_list_get_n_columns (SinglyContactList *self)
{
  g_return_val_if_fail (SINGLY_IS_CONTACT_LIST (self), 0);

  return self->n_columns;
}

/**
 * singly_contact_list_get_column_name:
 * @self: a #SinglyContactList
 * @column: a column index
 *
 * Returns: (transfer none): the trimmed header name of @column ("Column N"
 *   when the header cell is empty)
 */
const char *
singly_contact_list_get_column_name (SinglyContactList *self,
                                     guint              column)
{
  g_return_val_if_fail (SINGLY_IS_CONTACT_LIST (self), NULL);
  g_return_val_if_fail (column < self->n_columns, NULL);

  return self->column_names[column];
}

/**
 * singly_contact_list_get_column_names:
 * @self: a #SinglyContactList
 *
 * Returns: (transfer none) (array zero-terminated=1): all column names
 */
const char * const *
singly_contact_list_get_column_names (SinglyContactList *self)
{
  g_return_val_if_fail (SINGLY_IS_CONTACT_LIST (self), NULL);

  return (const char * const *) self->column_names;
}

/**
 * singly_contact_list_find_column:
 * @self: a #SinglyContactList
 * @name: a column name
 *
 * Finds a column by name, ignoring surrounding spaces and letter case, as
 * template fields do.  With duplicate names the first column wins.
 *
 * Returns: the column index, or -1
 */
int
singly_contact_list_find_column (SinglyContactList *self,
                                 const char        *name)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *key = NULL;

  g_return_val_if_fail (SINGLY_IS_CONTACT_LIST (self), -1);
  g_return_val_if_fail (name != NULL, -1);

  trimmed = trim_dup (name, is_trim_space);
  key = column_key (trimmed);
  for (guint i = 0; i < self->n_columns; i++)
    if (g_str_equal (self->column_keys[i], key))
      return i;
  return -1;
}

/**
 * singly_contact_list_get_address_column:
 * @self: a #SinglyContactList
 *
 * Returns: the column holding the addresses, or -1 if none was found
 */
int
singly_contact_list_get_address_column (SinglyContactList *self)
{
  g_return_val_if_fail (SINGLY_IS_CONTACT_LIST (self), -1);

  return self->address_column;
}

/**
 * singly_contact_list_set_address_column:
 * @self: a #SinglyContactList
 * @column: a column index, or -1 for none
 *
 * Makes @column the address column.  Every row's address problems are
 * checked again and every row's inclusion goes back to its default (rows
 * with problems excluded), even if @column does not change.
 */
void
singly_contact_list_set_address_column (SinglyContactList *self,
                                        int                column)
{
  gboolean changed;

  g_return_if_fail (SINGLY_IS_CONTACT_LIST (self));
  g_return_if_fail (column >= -1 && column < (int) self->n_columns);

  changed = self->address_column != column;
  self->address_column = column;
  find_name_columns (self);
  recompute_addresses (self);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ADDRESS_COLUMN]);
}

/**
 * singly_contact_list_get_name_column:
 * @self: a #SinglyContactList
 *
 * Returns: the column holding full names ("name", "full name", "姓名", …),
 *   or -1 (names may still come from a given/family name pair)
 */
int
singly_contact_list_get_name_column (SinglyContactList *self)
{
  g_return_val_if_fail (SINGLY_IS_CONTACT_LIST (self), -1);

  return self->name_column;
}

/**
 * singly_contact_list_get_given_name_column:
 * @self: a #SinglyContactList
 *
 * Returns: the column of given names ("first name", "vorname", "名", …)
 *   used when there is no full-name column, or -1
 */
int
singly_contact_list_get_given_name_column (SinglyContactList *self)
{
  g_return_val_if_fail (SINGLY_IS_CONTACT_LIST (self), -1);

  return self->given_name_column;
}

/**
 * singly_contact_list_get_family_name_column:
 * @self: a #SinglyContactList
 *
 * Returns: the column of family names ("last name", "nachname", "姓", …)
 *   used with the given names when there is no full-name column, or -1
 */
int
singly_contact_list_get_family_name_column (SinglyContactList *self)
{
  g_return_val_if_fail (SINGLY_IS_CONTACT_LIST (self), -1);

  return self->family_name_column;
}

/**
 * singly_contact_list_get_n_rows:
 * @self: a #SinglyContactList
 *
 * Returns: the number of rows, not counting the header and blank lines
 */
guint
singly_contact_list_get_n_rows (SinglyContactList *self)
{
  g_return_val_if_fail (SINGLY_IS_CONTACT_LIST (self), 0);

  return self->n_rows;
}

/**
 * singly_contact_list_get_row_line:
 * @self: a #SinglyContactList
 * @row: a row index
 *
 * Returns: the 1-based line of the file where @row starts, counting every
 *   line break (CRLF, LF or CR), blank lines and breaks inside quoted
 *   values included
 */
guint
singly_contact_list_get_row_line (SinglyContactList *self,
                                  guint              row)
{
  g_return_val_if_fail (SINGLY_IS_CONTACT_LIST (self), 0);
  g_return_val_if_fail (row < self->n_rows, 0);

  return self->row_lines[row];
}

/**
 * singly_contact_list_get_row:
 * @self: a #SinglyContactList
 * @row: a row index
 *
 * Returns: (transfer none) (array): exactly
 *   singly_contact_list_get_n_columns() values, none %NULL, as the cells
 *   hold them (not trimmed; "" for missing cells; NUL bytes removed)
 */
const char * const *
singly_contact_list_get_row (SinglyContactList *self,
                             guint              row)
{
  g_return_val_if_fail (SINGLY_IS_CONTACT_LIST (self), NULL);
  g_return_val_if_fail (row < self->n_rows, NULL);

  return (const char * const *) self->cells + (gsize) row * self->n_columns;
}

/**
 * singly_contact_list_get_value:
 * @self: a #SinglyContactList
 * @row: a row index
 * @column: a column index
 *
 * Returns: (transfer none): the value of one cell, never %NULL
 */
const char *
singly_contact_list_get_value (SinglyContactList *self,
                               guint              row,
                               guint              column)
{
  g_return_val_if_fail (SINGLY_IS_CONTACT_LIST (self), NULL);
  g_return_val_if_fail (row < self->n_rows, NULL);
  g_return_val_if_fail (column < self->n_columns, NULL);

  return self->cells[(gsize) row * self->n_columns + column];
}

/**
 * singly_contact_list_get_address:
 * @self: a #SinglyContactList
 * @row: a row index
 *
 * Returns: (transfer none): the row's address with surrounding spaces
 *   removed, or "" when there is no address column
 */
const char *
singly_contact_list_get_address (SinglyContactList *self,
                                 guint              row)
{
  g_return_val_if_fail (SINGLY_IS_CONTACT_LIST (self), NULL);
  g_return_val_if_fail (row < self->n_rows, NULL);

  if (self->addresses == NULL)
    return empty_cell;
  return self->addresses[row];
}

/**
 * singly_contact_list_dup_display_name:
 * @self: a #SinglyContactList
 * @row: a row index
 *
 * The name to show beside the address in To:.  From the full-name column
 * if there is one, else "Given Family" — or "FamilyGiven" without a space
 * when both are Chinese, Japanese or Korean (王 and 小明 give 王小明).
 *
 * Returns: (transfer full) (nullable): the trimmed name, or %NULL when the
 *   file has no name columns or the row's are empty
 */
char *
singly_contact_list_dup_display_name (SinglyContactList *self,
                                      guint              row)
{
  const char * const *cells;
  g_autofree char *given = NULL;
  g_autofree char *family = NULL;

  g_return_val_if_fail (SINGLY_IS_CONTACT_LIST (self), NULL);
  g_return_val_if_fail (row < self->n_rows, NULL);

  cells = singly_contact_list_get_row (self, row);

  if (self->name_column >= 0)
    {
      char *name = trim_dup (cells[self->name_column], is_trim_space);

      if (name[0] == '\0')
        g_clear_pointer (&name, g_free);
      return name;
    }

  if (self->given_name_column < 0)
    return NULL;

  given = trim_dup (cells[self->given_name_column], is_trim_space);
  family = self->family_name_column >= 0
           ? trim_dup (cells[self->family_name_column], is_trim_space)
           : g_strdup ("");

  if (given[0] == '\0' && family[0] == '\0')
    return NULL;
  if (family[0] == '\0')
    return g_steal_pointer (&given);
  if (given[0] == '\0')
    return g_steal_pointer (&family);
  if (is_cjk_name (given) && is_cjk_name (family))
    return g_strconcat (family, given, NULL);
  return g_strconcat (given, " ", family, NULL);
}

/**
 * singly_contact_list_get_n_problems:
 * @self: a #SinglyContactList
 *
 * Returns: the number of problems in all rows
 */
guint
singly_contact_list_get_n_problems (SinglyContactList *self)
{
  g_return_val_if_fail (SINGLY_IS_CONTACT_LIST (self), 0);

  return self->problems->len;
}

/**
 * singly_contact_list_get_problem:
 * @self: a #SinglyContactList
 * @index: a problem index
 *
 * Problems are sorted by line (then by kind).  A row can have several.
 *
 * Returns: (transfer none): the problem
 */
const SinglyProblem *
singly_contact_list_get_problem (SinglyContactList *self,
                                 guint              index)
{
  g_return_val_if_fail (SINGLY_IS_CONTACT_LIST (self), NULL);
  g_return_val_if_fail (index < self->problems->len, NULL);

  return self->problems->pdata[index];
}

/**
 * singly_contact_list_row_has_problem:
 * @self: a #SinglyContactList
 * @row: a row index
 *
 * Returns: whether @row has at least one problem
 */
gboolean
singly_contact_list_row_has_problem (SinglyContactList *self,
                                     guint              row)
{
  g_return_val_if_fail (SINGLY_IS_CONTACT_LIST (self), FALSE);
  g_return_val_if_fail (row < self->n_rows, FALSE);

  return (self->row_flags[row] & (ROW_PARSE_PROBLEM | ROW_ADDRESS_PROBLEM)) != 0;
}

/**
 * singly_contact_list_get_row_included:
 * @self: a #SinglyContactList
 * @row: a row index
 *
 * Returns: whether @row is to be sent to; by default every row without
 *   a problem is
 */
gboolean
singly_contact_list_get_row_included (SinglyContactList *self,
                                      guint              row)
{
  g_return_val_if_fail (SINGLY_IS_CONTACT_LIST (self), FALSE);
  g_return_val_if_fail (row < self->n_rows, FALSE);

  return (self->row_flags[row] & ROW_INCLUDED) != 0;
}

/**
 * singly_contact_list_set_row_included:
 * @self: a #SinglyContactList
 * @row: a row index
 * @included: whether to send to @row
 *
 * Includes or excludes one row, whatever its problems.
 */
void
singly_contact_list_set_row_included (SinglyContactList *self,
                                      guint              row,
                                      gboolean           included)
{
  g_return_if_fail (SINGLY_IS_CONTACT_LIST (self));
  g_return_if_fail (row < self->n_rows);

  if (!!(self->row_flags[row] & ROW_INCLUDED) == !!included)
    return;

  if (included)
    {
      self->row_flags[row] |= ROW_INCLUDED;
      set_n_included (self, self->n_included + 1);
    }
  else
    {
      self->row_flags[row] &= ~ROW_INCLUDED;
      set_n_included (self, self->n_included - 1);
    }
}

/**
 * singly_contact_list_get_n_included:
 * @self: a #SinglyContactList
 *
 * Returns: the number of rows to send to
 */
guint
singly_contact_list_get_n_included (SinglyContactList *self)
{
  g_return_val_if_fail (SINGLY_IS_CONTACT_LIST (self), 0);

  return self->n_included;
}

/**
 * singly_contact_list_get_checksum:
 *
 * The SHA-256 of the bytes the list was read from, in hex: what
 * singly_checksum_file() gives for the file, as long as it has not
 * changed since. The journal knows a campaign's contact list by it.
 *
 * Returns: the checksum
 */
const char *
singly_contact_list_get_checksum (SinglyContactList *self)
{
  g_return_val_if_fail (SINGLY_IS_CONTACT_LIST (self), NULL);

  return self->checksum;
}
