/* singly-html-text.c: the plain-text alternative of an HTML body
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "singly-html-text.h"

/* A tolerant, single-pass reader: every byte of the input is looked at a
 * bounded number of times, whatever the markup, so that a broken or hostile
 * body can neither crash nor stall the sending of a campaign. Nesting is
 * tracked up to MAX_DEPTH levels; deeper levels are indented like the
 * deepest one, which keeps every output line's prefix bounded too. */
#define MAX_DEPTH 16
#define MAX_LINKS 8
#define MAX_TAG_NAME 16
#define RULE "----------------------------------------"

typedef struct
{
  gboolean ordered;
  guint    counter;
  guint    marker_width;
} ListLevel;

typedef struct
{
  const char *href;         /* into the input, entities not yet decoded */
  gsize       href_length;
  gsize       text_start;   /* where the link's text begins in the output */
  gboolean    text_started;
} Link;

typedef struct
{
  const char *name;
  gsize       name_length;
  const char *value;
  gsize       value_length;
} Attribute;

typedef struct
{
  GString   *out;

  guint      pending_newlines;  /* line breaks owed before the next text */
  gboolean   pending_space;     /* collapsed whitespace owed */
  gboolean   at_line_start;     /* the line's prefix is not written yet */
  gsize      line_content_start;
  guint      line_quote_depth;

  guint      quote_depth;
  guint      list_depth;
  ListLevel  lists[MAX_DEPTH];
  gboolean   marker_pending;
  char       marker[16];

  guint      pre_depth;
  gboolean   pre_skip_newline;

  guint      heading_level;
  gsize      heading_out_start;

  guint      cell_index;
  gboolean   cell_start;        /* a separator was written, no cell text yet */

  gboolean   in_head;
  char       skip_name[MAX_TAG_NAME + 1];  /* a hidden element being skipped */
  guint      skip_depth;

  Link       links[MAX_LINKS];
  guint      n_links;           /* open links, counting those beyond MAX_LINKS */
  gboolean   link_start_pending;
} Converter;

typedef struct
{
  const char *name;
  gunichar    ch;
} Entity;

/* Latin-1 in code point order from U+00A0, so the table needs no values. */
static const char * const latin1_entities[] = {
  "nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect",
  "uml", "copy", "ordf", "laquo", "not", "shy", "reg", "macr",
  "deg", "plusmn", "sup2", "sup3", "acute", "micro", "para", "middot",
  "cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
  "Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil",
  "Egrave", "Eacute", "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml",
  "ETH", "Ntilde", "Ograve", "Oacute", "Ocirc", "Otilde", "Ouml", "times",
  "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute", "THORN", "szlig",
  "agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil",
  "egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml",
  "eth", "ntilde", "ograve", "oacute", "ocirc", "otilde", "ouml", "divide",
  "oslash", "ugrave", "uacute", "ucirc", "uuml", "yacute", "thorn", "yuml",
};
G_STATIC_ASSERT (G_N_ELEMENTS (latin1_entities) == 0x100 - 0xA0);

static const Entity other_entities[] = {
  { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
  { "OElig", 0x152 }, { "oelig", 0x153 }, { "Scaron", 0x160 }, { "scaron", 0x161 },
  { "Yuml", 0x178 }, { "fnof", 0x192 }, { "circ", 0x2C6 }, { "tilde", 0x2DC },
  { "ensp", 0x2002 }, { "emsp", 0x2003 }, { "thinsp", 0x2009 }, { "zwnj", 0x200C },
  { "zwj", 0x200D }, { "lrm", 0x200E }, { "rlm", 0x200F }, { "ndash", 0x2013 },
  { "mdash", 0x2014 }, { "lsquo", 0x2018 }, { "rsquo", 0x2019 }, { "sbquo", 0x201A },
  { "ldquo", 0x201C }, { "rdquo", 0x201D }, { "bdquo", 0x201E }, { "dagger", 0x2020 },
  { "Dagger", 0x2021 }, { "bull", 0x2022 }, { "hellip", 0x2026 }, { "permil", 0x2030 },
  { "prime", 0x2032 }, { "Prime", 0x2033 }, { "lsaquo", 0x2039 }, { "rsaquo", 0x203A },
  { "euro", 0x20AC }, { "trade", 0x2122 }, { "larr", 0x2190 }, { "uarr", 0x2191 },
  { "rarr", 0x2192 }, { "darr", 0x2193 }, { "harr", 0x2194 }, { "hearts", 0x2665 },
};

/* What browsers show for the C1 range of numeric references: the
 * Windows-1252 characters that old editors meant. */
static const gunichar windows_1252_c1[32] = {
  0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
  0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

static inline gboolean
is_html_space (guchar c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Characters that take no room in plain text. */
static inline gboolean
is_dropped_char (gunichar ch)
{
  return ch == 0x00AD || ch == 0x200B || ch == 0xFEFF;
}

static gboolean
entity_name_is (const char *entity,
                const char *name,
                gsize       length)
{
  return entity[0] == name[0] && strncmp (entity, name, length) == 0 && entity[length] == '\0';
}

static gunichar
lookup_named_entity (const char *name,
                     gsize       length)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (other_entities); i++)
    if (entity_name_is (other_entities[i].name, name, length))
      return other_entities[i].ch;
  for (i = 0; i < G_N_ELEMENTS (latin1_entities); i++)
    if (entity_name_is (latin1_entities[i], name, length))
      return 0xA0 + i;
  return 0;
}

/* Decodes the character reference at @p (which points at '&'). Returns
 * the character and sets @end after the reference, or returns 0 when @p
 * starts no reference that we know, and the '&' is then text. */
static gunichar
decode_entity (const char  *p,
               const char  *limit,
               const char **end)
{
  const char *q = p + 1;

  if (q < limit && *q == '#')
    {
      gboolean hex = FALSE;
      guint32 value = 0;
      const char *digits;

      q++;
      if (q < limit && (*q == 'x' || *q == 'X'))
        {
          hex = TRUE;
          q++;
        }
      digits = q;
      while (q < limit && (hex ? g_ascii_isxdigit (*q) : g_ascii_isdigit (*q)))
        {
          /* Saturate rather than overflow: anything this big is invalid. */
          if (value <= 0x10FFFF)
            value = value * (hex ? 16 : 10) + (hex ? (guint32) g_ascii_xdigit_value (*q) : (guint32) (*q - '0'));
          q++;
        }
      if (q == digits)
        return 0;
      if (q < limit && *q == ';')
        q++;
      *end = q;

      if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
        return 0xFFFD;
      if (value >= 0x80 && value <= 0x9F)
        return windows_1252_c1[value - 0x80];
      return value;
    }
  else
    {
      gunichar ch;

      while (q < limit && q - p <= 32 && g_ascii_isalnum (*q))
        q++;
      if (q == p + 1 || q >= limit || *q != ';')
        return 0;
      ch = lookup_named_entity (p + 1, q - p - 1);
      if (ch == 0)
        return 0;
      *end = q + 1;
      return ch;
    }
}

/* Attribute values, entities decoded and made valid UTF-8. */
static char *
decode_attribute (const char *value,
                  gsize       length)
{
  GString *decoded = g_string_sized_new (length);
  const char *limit = value + length;
  const char *p = value;
  char *valid;

  while (p < limit)
    {
      const char *amp = memchr (p, '&', limit - p);
      const char *end;
      gunichar ch;

      if (amp == NULL)
        {
          g_string_append_len (decoded, p, limit - p);
          break;
        }
      g_string_append_len (decoded, p, amp - p);
      ch = decode_entity (amp, limit, &end);
      if (ch == 0)
        {
          g_string_append_c (decoded, '&');
          p = amp + 1;
        }
      else
        {
          g_string_append_unichar (decoded, ch);
          p = end;
        }
    }

  valid = g_utf8_make_valid (decoded->str, decoded->len);
  g_string_free (decoded, TRUE);
  return valid;
}

static void
write_prefix (Converter *c)
{
  guint quotes = MIN (c->quote_depth, MAX_DEPTH);
  guint depth = MIN (c->list_depth, MAX_DEPTH);
  guint i, j;

  for (i = 0; i < quotes; i++)
    g_string_append (c->out, "> ");

  if (depth == 0)
    return;

  /* Each list level indents its content by the width of its marker. */
  for (i = 0; i + 1 < depth; i++)
    for (j = 0; j < c->lists[i].marker_width; j++)
      g_string_append_c (c->out, ' ');

  if (c->marker_pending)
    {
      g_string_append (c->out, c->marker);
      c->marker_pending = FALSE;
    }
  else
    {
      for (j = 0; j < c->lists[depth - 1].marker_width; j++)
        g_string_append_c (c->out, ' ');
    }
}

/* Everything visible goes through here: it pays the line breaks and the
 * space that collapsed whitespace owes, and writes the line's prefix. */
static void
begin_content (Converter *c)
{
  guint i;

  if (c->pending_newlines > 0 && c->out->len > 0)
    {
      g_string_append_c (c->out, '\n');
      for (i = 1; i < c->pending_newlines; i++)
        {
          guint quotes = MIN (MIN (c->quote_depth, c->line_quote_depth), MAX_DEPTH);
          guint j;

          /* A blank line inside a quote stays in the quote. */
          for (j = 0; j < quotes; j++)
            g_string_append (c->out, "> ");
          g_string_append_c (c->out, '\n');
        }
      c->at_line_start = TRUE;
    }
  c->pending_newlines = 0;
  c->cell_start = FALSE;

  if (c->at_line_start)
    {
      write_prefix (c);
      c->at_line_start = FALSE;
      c->pending_space = FALSE;
      c->line_content_start = c->out->len;
      c->line_quote_depth = c->quote_depth;
    }
  else if (c->pending_space)
    {
      g_string_append_c (c->out, ' ');
      c->pending_space = FALSE;
    }

  if (c->link_start_pending)
    {
      guint i_link;

      for (i_link = 0; i_link < MIN (c->n_links, MAX_LINKS); i_link++)
        {
          if (!c->links[i_link].text_started)
            {
              c->links[i_link].text_started = TRUE;
              c->links[i_link].text_start = c->out->len;
            }
        }
      c->link_start_pending = FALSE;
    }
}

static void
request_break (Converter *c,
               guint      newlines)
{
  /* The paragraphs inside a table cell do not push it down a line. */
  if (c->cell_start)
    return;
  c->pending_newlines = MAX (c->pending_newlines, newlines);
}

static inline gboolean
line_has_content (Converter *c)
{
  return !c->at_line_start && c->out->len > c->line_content_start;
}

static gboolean
skipping (Converter *c)
{
  return c->in_head || c->skip_depth > 0;
}

/* Text without markup: whitespace collapses outside <pre>, invalid UTF-8
 * becomes U+FFFD, control characters go. */
static void
emit_plain (Converter  *c,
            const char *s,
            gsize       length)
{
  const char *limit = s + length;

  if (skipping (c))
    return;

  while (s < limit)
    {
      const char *run = s;
      guchar b = *s;
      gunichar ch = 0;

      if (is_html_space (b))
        {
          if (c->pre_depth == 0)
            c->pending_space = TRUE;
          else if (b == '\n')
            {
              if (!c->pre_skip_newline)
                c->pending_newlines = MIN (c->pending_newlines + 1, 2);
            }
          else if (b != '\r')
            {
              begin_content (c);
              g_string_append_c (c->out, b);
            }
          c->pre_skip_newline = FALSE;
          s++;
          continue;
        }
      c->pre_skip_newline = FALSE;

      while (s < limit)
        {
          b = *s;
          if (b < 0x80)
            {
              if (is_html_space (b) || b < 0x20 || b == 0x7F)
                break;
              s++;
            }
          else
            {
              ch = g_utf8_get_char_validated (s, limit - s);
              if (ch == (gunichar) -1 || ch == (gunichar) -2 || ch == 0xA0 || is_dropped_char (ch))
                break;
              s = g_utf8_next_char (s);
            }
        }

      if (s > run)
        {
          begin_content (c);
          g_string_append_len (c->out, run, s - run);
          continue;
        }

      /* @s stopped at a character that needs care. */
      if (b < 0x80)
        s++;
      else if (ch == (gunichar) -1 || ch == (gunichar) -2)
        {
          begin_content (c);
          g_string_append (c->out, "\xEF\xBF\xBD");
          s++;
        }
      else if (ch == 0xA0)
        {
          /* A no-break space is a space that does not collapse. */
          begin_content (c);
          g_string_append_c (c->out, ' ');
          s = g_utf8_next_char (s);
        }
      else
        s = g_utf8_next_char (s);
    }
}

static void
emit_unichar (Converter *c,
              gunichar   ch)
{
  char buffer[6];
  int n = g_unichar_to_utf8 (ch, buffer);

  emit_plain (c, buffer, n);
}

static void
emit_literal (Converter  *c,
              const char *text)
{
  if (skipping (c))
    return;
  begin_content (c);
  g_string_append (c->out, text);
}

static guint
display_width (const char *text,
               gsize       length)
{
  const char *limit = text + length;
  guint width = 0;

  for (; text < limit; text = g_utf8_next_char (text))
    {
      gunichar ch = g_utf8_get_char (text);

      if (g_unichar_iszerowidth (ch))
        continue;
      width += g_unichar_iswide (ch) ? 2 : 1;
    }
  return width;
}

static gboolean
link_text_is_url (const char *text,
                  const char *href)
{
  if (g_ascii_strncasecmp (href, "mailto:", 7) == 0 && g_ascii_strcasecmp (text, href + 7) == 0)
    return TRUE;
  return strcmp (text, href) == 0;
}

static void
finish_link (Converter *c,
             Link      *link)
{
  g_autofree char *href = NULL;
  g_autofree char *text = NULL;
  char *p, *q;

  if (link->href == NULL)
    return;

  href = g_strstrip (decode_attribute (link->href, link->href_length));
  /* A URL split over lines in the source is one URL. */
  for (p = q = href; *p != '\0'; p++)
    if (*p != '\n' && *p != '\r' && *p != '\t')
      *q++ = *p;
  *q = '\0';

  if (href[0] == '\0' || href[0] == '#' || g_ascii_strncasecmp (href, "javascript:", 11) == 0)
    return;

  if (link->text_started && link->text_start <= c->out->len)
    {
      text = g_strstrip (g_strndup (c->out->str + link->text_start, c->out->len - link->text_start));
      if (link_text_is_url (text, href))
        return;
    }

  c->pending_space = TRUE;
  begin_content (c);
  g_string_append_c (c->out, '<');
  g_string_append (c->out, href);
  g_string_append_c (c->out, '>');
}

static void
start_list_item (Converter *c)
{
  ListLevel *level;

  request_break (c, 1);
  if (c->list_depth == 0)
    {
      /* An <li> outside any list still reads as an item. */
      c->list_depth = 1;
      c->lists[0].ordered = FALSE;
      c->lists[0].counter = 0;
    }

  level = &c->lists[MIN (c->list_depth, MAX_DEPTH) - 1];
  level->counter++;
  if (level->ordered)
    g_snprintf (c->marker, sizeof c->marker, "%u. ", level->counter);
  else
    g_strlcpy (c->marker, "- ", sizeof c->marker);
  level->marker_width = strlen (c->marker);
  c->marker_pending = TRUE;
}

static void
underline_heading (Converter *c)
{
  guint width;
  guint i;

  if (c->out->len <= c->heading_out_start || c->at_line_start || c->heading_level > 2)
    return;

  width = display_width (c->out->str + c->line_content_start, c->out->len - c->line_content_start);
  g_string_append_c (c->out, '\n');
  c->at_line_start = TRUE;
  /* The underline belongs right under the text, whatever breaks are owed. */
  c->pending_newlines = 0;
  begin_content (c);
  for (i = 0; i < width; i++)
    g_string_append_c (c->out, c->heading_level == 1 ? '=' : '-');
}

static const char *
find_attribute (const Attribute *attributes,
                guint            n_attributes,
                const char      *name,
                gsize           *length)
{
  guint i;

  for (i = 0; i < n_attributes; i++)
    {
      if (attributes[i].name_length == strlen (name) &&
          g_ascii_strncasecmp (attributes[i].name, name, attributes[i].name_length) == 0)
        {
          *length = attributes[i].value_length;
          return attributes[i].value != NULL ? attributes[i].value : "";
        }
    }
  return NULL;
}

/* Elements hidden from readers: newsletters put preview text in them. */
static gboolean
element_is_hidden (const Attribute *attributes,
                   guint            n_attributes)
{
  g_autofree char *style = NULL;
  const char *value;
  gsize length;
  char *p, *q;

  if (find_attribute (attributes, n_attributes, "hidden", &length) != NULL)
    return TRUE;

  value = find_attribute (attributes, n_attributes, "style", &length);
  if (value == NULL)
    return FALSE;

  style = decode_attribute (value, length);
  for (p = q = style; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      *q++ = g_ascii_tolower (*p);
  *q = '\0';
  return strstr (style, "display:none") != NULL;
}

typedef enum
{
  EL_OTHER,
  EL_A,
  EL_BLOCKQUOTE,
  EL_BODY,
  EL_BR,
  EL_HEAD,
  EL_HEADING,
  EL_HR,
  EL_IMG,
  EL_LI,
  EL_LIST,
  EL_PRE,
  EL_RAW_TEXT,   /* script, style, title, textarea: text that is not shown */
  EL_TABLE,
  EL_TEMPLATE,
  EL_CELL,
  EL_TR,
} ElementKind;

enum
{
  BREAK_NONE,
  BREAK_LINE,       /* starts and ends on a line of its own */
  BREAK_PARAGRAPH,  /* with a blank line around */
};

typedef struct
{
  const char *name;
  guint8      kind;
  guint8      breaks;
  guint8      is_void;
} Element;

/* Sorted by name for a binary search: one lookup per tag. */
static const Element elements[] = {
  { "a",          EL_A,          BREAK_NONE,      FALSE },
  { "address",    EL_OTHER,      BREAK_LINE,      FALSE },
  { "area",       EL_OTHER,      BREAK_NONE,      TRUE },
  { "article",    EL_OTHER,      BREAK_LINE,      FALSE },
  { "aside",      EL_OTHER,      BREAK_LINE,      FALSE },
  { "base",       EL_OTHER,      BREAK_NONE,      TRUE },
  { "blockquote", EL_BLOCKQUOTE, BREAK_PARAGRAPH, FALSE },
  { "body",       EL_BODY,       BREAK_NONE,      FALSE },
  { "br",         EL_BR,         BREAK_NONE,      TRUE },
  { "caption",    EL_OTHER,      BREAK_LINE,      FALSE },
  { "center",     EL_OTHER,      BREAK_LINE,      FALSE },
  { "col",        EL_OTHER,      BREAK_NONE,      TRUE },
  { "dd",         EL_OTHER,      BREAK_LINE,      FALSE },
  { "details",    EL_OTHER,      BREAK_LINE,      FALSE },
  { "div",        EL_OTHER,      BREAK_LINE,      FALSE },
  { "dl",         EL_OTHER,      BREAK_PARAGRAPH, FALSE },
  { "dt",         EL_OTHER,      BREAK_LINE,      FALSE },
  { "embed",      EL_OTHER,      BREAK_NONE,      TRUE },
  { "fieldset",   EL_OTHER,      BREAK_LINE,      FALSE },
  { "figcaption", EL_OTHER,      BREAK_LINE,      FALSE },
  { "figure",     EL_OTHER,      BREAK_LINE,      FALSE },
  { "footer",     EL_OTHER,      BREAK_LINE,      FALSE },
  { "form",       EL_OTHER,      BREAK_LINE,      FALSE },
  { "h1",         EL_HEADING,    BREAK_PARAGRAPH, FALSE },
  { "h2",         EL_HEADING,    BREAK_PARAGRAPH, FALSE },
  { "h3",         EL_HEADING,    BREAK_PARAGRAPH, FALSE },
  { "h4",         EL_HEADING,    BREAK_PARAGRAPH, FALSE },
  { "h5",         EL_HEADING,    BREAK_PARAGRAPH, FALSE },
  { "h6",         EL_HEADING,    BREAK_PARAGRAPH, FALSE },
  { "head",       EL_HEAD,       BREAK_NONE,      FALSE },
  { "header",     EL_OTHER,      BREAK_LINE,      FALSE },
  { "hr",         EL_HR,         BREAK_PARAGRAPH, TRUE },
  { "img",        EL_IMG,        BREAK_NONE,      TRUE },
  { "input",      EL_OTHER,      BREAK_NONE,      TRUE },
  { "li",         EL_LI,         BREAK_LINE,      FALSE },
  { "link",       EL_OTHER,      BREAK_NONE,      TRUE },
  { "main",       EL_OTHER,      BREAK_LINE,      FALSE },
  { "meta",       EL_OTHER,      BREAK_NONE,      TRUE },
  { "nav",        EL_OTHER,      BREAK_LINE,      FALSE },
  { "ol",         EL_LIST,       BREAK_NONE,      FALSE },
  { "p",          EL_OTHER,      BREAK_PARAGRAPH, FALSE },
  { "param",      EL_OTHER,      BREAK_NONE,      TRUE },
  { "pre",        EL_PRE,        BREAK_PARAGRAPH, FALSE },
  { "script",     EL_RAW_TEXT,   BREAK_NONE,      FALSE },
  { "section",    EL_OTHER,      BREAK_LINE,      FALSE },
  { "source",     EL_OTHER,      BREAK_NONE,      TRUE },
  { "style",      EL_RAW_TEXT,   BREAK_NONE,      FALSE },
  { "summary",    EL_OTHER,      BREAK_LINE,      FALSE },
  { "table",      EL_TABLE,      BREAK_PARAGRAPH, FALSE },
  { "td",         EL_CELL,       BREAK_NONE,      FALSE },
  { "template",   EL_TEMPLATE,   BREAK_NONE,      FALSE },
  { "textarea",   EL_RAW_TEXT,   BREAK_NONE,      FALSE },
  { "th",         EL_CELL,       BREAK_NONE,      FALSE },
  { "title",      EL_RAW_TEXT,   BREAK_NONE,      FALSE },
  { "tr",         EL_TR,         BREAK_LINE,      FALSE },
  { "track",      EL_OTHER,      BREAK_NONE,      TRUE },
  { "ul",         EL_LIST,       BREAK_NONE,      FALSE },
  { "wbr",        EL_OTHER,      BREAK_NONE,      TRUE },
};

static const Element other_element = { "", EL_OTHER, BREAK_NONE, FALSE };

/* Tag names are short: comparing them inline beats calling strcmp(). */
static inline int
compare_names (const char *a,
               const char *b)
{
  while (*a != '\0' && *a == *b)
    {
      a++;
      b++;
    }
  return (guchar) *a - (guchar) *b;
}

static const Element *
lookup_element (const char *name)
{
  gsize low = 0;
  gsize high = G_N_ELEMENTS (elements);

  while (low < high)
    {
      gsize middle = (low + high) / 2;
      int order = compare_names (name, elements[middle].name);

      if (order == 0)
        return &elements[middle];
      if (order < 0)
        high = middle;
      else
        low = middle + 1;
    }
  return &other_element;
}

static void
handle_start_tag (Converter       *c,
                  const char      *name,
                  const Element   *element,
                  const Attribute *attributes,
                  guint            n_attributes)
{
  const char *value;
  gsize length;

  if (c->skip_depth > 0)
    {
      if (!element->is_void && strcmp (name, c->skip_name) == 0)
        c->skip_depth++;
      return;
    }

  if (element->kind == EL_BODY)
    {
      c->in_head = FALSE;
      return;
    }
  if (c->in_head)
    return;

  if (element->kind == EL_HEAD)
    {
      c->in_head = TRUE;
      return;
    }

  if (element->kind == EL_TEMPLATE || (n_attributes > 0 && element_is_hidden (attributes, n_attributes)))
    {
      if (!element->is_void)
        {
          g_strlcpy (c->skip_name, name, sizeof c->skip_name);
          c->skip_depth = 1;
        }
      return;
    }

  if (element->kind == EL_TR || element->kind == EL_TABLE)
    c->cell_start = FALSE;
  if (element->breaks != BREAK_NONE)
    request_break (c, element->breaks == BREAK_PARAGRAPH ? 2 : 1);

  switch ((ElementKind) element->kind)
    {
    case EL_HEADING:
      if (c->heading_level == 0)
        {
          c->heading_level = name[1] - '0';
          c->heading_out_start = c->out->len;
        }
      break;

    case EL_BR:
      if (c->out->len > 0)
        c->pending_newlines = MIN (c->pending_newlines + 1, 2);
      break;

    case EL_HR:
      emit_literal (c, RULE);
      request_break (c, 2);
      break;

    case EL_LIST:
      request_break (c, c->list_depth == 0 ? 2 : 1);
      c->list_depth++;
      if (c->list_depth <= MAX_DEPTH)
        {
          ListLevel *list = &c->lists[c->list_depth - 1];

          list->ordered = name[0] == 'o';
          list->counter = 0;
          list->marker_width = 2;
          if (list->ordered && (value = find_attribute (attributes, n_attributes, "start", &length)) != NULL)
            {
              g_autofree char *start = decode_attribute (value, length);
              gint64 first = g_ascii_strtoll (start, NULL, 10);

              if (first > 0 && first < G_MAXINT)
                list->counter = first - 1;
            }
        }
      break;

    case EL_LI:
      start_list_item (c);
      break;

    case EL_BLOCKQUOTE:
      c->quote_depth++;
      break;

    case EL_PRE:
      c->pre_depth++;
      c->pre_skip_newline = TRUE;
      break;

    case EL_TR:
      c->cell_index = 0;
      break;

    case EL_CELL:
      if (c->cell_index++ > 0)
        {
          /* A cell's own paragraphs do not push the next cell down. */
          if (c->pending_newlines > 0 && line_has_content (c))
            c->pending_newlines = 0;
          c->pending_space = FALSE;
          if (line_has_content (c) && c->pending_newlines == 0)
            emit_literal (c, " |");
          else
            emit_literal (c, "|");
          c->pending_space = TRUE;
          c->cell_start = TRUE;
        }
      break;

    case EL_A:
      if (c->n_links < MAX_LINKS)
        {
          Link *link = &c->links[c->n_links];

          link->href = find_attribute (attributes, n_attributes, "href", &link->href_length);
          link->text_started = FALSE;
          c->link_start_pending = TRUE;
        }
      c->n_links++;
      break;

    case EL_IMG:
      value = find_attribute (attributes, n_attributes, "alt", &length);
      if (value != NULL)
        {
          g_autofree char *alt = decode_attribute (value, length);

          emit_plain (c, alt, strlen (alt));
        }
      break;

    default:
      break;
    }
}

static void
handle_end_tag (Converter     *c,
                const char    *name,
                const Element *element)
{
  if (c->skip_depth > 0)
    {
      if (strcmp (name, c->skip_name) == 0)
        c->skip_depth--;
      return;
    }

  if (element->kind == EL_HEAD)
    {
      c->in_head = FALSE;
      return;
    }
  if (c->in_head)
    return;

  /* Whatever a cell held, its end lets rows and tables break lines again. */
  if (element->kind == EL_CELL || element->kind == EL_TR || element->kind == EL_TABLE)
    c->cell_start = FALSE;
  if (element->breaks != BREAK_NONE)
    request_break (c, element->breaks == BREAK_PARAGRAPH ? 2 : 1);

  switch ((ElementKind) element->kind)
    {
    case EL_HEADING:
      if (c->heading_level > 0)
        underline_heading (c);
      c->heading_level = 0;
      request_break (c, 2);
      break;

    case EL_LIST:
      if (c->list_depth > 0)
        c->list_depth--;
      c->marker_pending = FALSE;
      request_break (c, c->list_depth == 0 ? 2 : 1);
      break;

    case EL_LI:
      c->marker_pending = FALSE;
      break;

    case EL_BLOCKQUOTE:
      if (c->quote_depth > 0)
        c->quote_depth--;
      break;

    case EL_PRE:
      if (c->pre_depth > 0)
        c->pre_depth--;
      break;

    case EL_A:
      if (c->n_links > 0)
        {
          c->n_links--;
          if (c->n_links < MAX_LINKS)
            finish_link (c, &c->links[c->n_links]);
        }
      break;

    default:
      break;
    }
}

/* Skips the contents of <script>, <style> and <title>, which are text
 * that is not shown, up to their end tag. */
static const char *
skip_raw_text (const char *p,
               const char *limit,
               const char *name)
{
  gsize length = strlen (name);

  while (p < limit)
    {
      const char *lt = memchr (p, '<', limit - p);

      if (lt == NULL)
        return limit;
      if ((gsize) (limit - lt) > length + 2 && lt[1] == '/' &&
          g_ascii_strncasecmp (lt + 2, name, length) == 0 &&
          !g_ascii_isalnum (lt[2 + length]))
        return lt;
      p = lt + 1;
    }
  return limit;
}

static const char *
find_string (const char *p,
             const char *limit,
             const char *needle)
{
  gsize length = strlen (needle);

  while (p < limit)
    {
      const char *first = memchr (p, needle[0], limit - p);

      if (first == NULL || (gsize) (limit - first) < length)
        return NULL;
      if (memcmp (first, needle, length) == 0)
        return first;
      p = first + 1;
    }
  return NULL;
}

static const char *
skip_past (const char *p,
           const char *limit,
           const char *needle)
{
  const char *found = find_string (p, limit, needle);

  return found != NULL ? found + strlen (needle) : limit;
}

/* Reads a tag name into @name, lower case; names too long for the buffer
 * are no element we know and come out empty. */
static const char *
read_tag_name (const char *p,
               const char *limit,
               char       *name)
{
  gsize n = 0;

  while (p < limit && !is_html_space (*p) && *p != '/' && *p != '>')
    {
      if (n < MAX_TAG_NAME)
        name[n] = (*p >= 'A' && *p <= 'Z') ? *p + ('a' - 'A') : *p;
      n++;
      p++;
    }
  name[n <= MAX_TAG_NAME ? n : 0] = '\0';
  return p;
}

#define MAX_ATTRIBUTES 32

/* @p points at '<'. Returns where reading goes on. */
static const char *
handle_markup (Converter  *c,
               const char *p,
               const char *limit)
{
  char name[MAX_TAG_NAME + 1];
  Attribute attributes[MAX_ATTRIBUTES];
  guint n_attributes = 0;
  const Element *element;
  const char *q;

  if (p + 1 >= limit)
    {
      emit_plain (c, "<", 1);
      return limit;
    }

  if (p[1] == '!')
    {
      if (limit - p >= 4 && memcmp (p, "<!--", 4) == 0)
        return skip_past (p + 4, limit, "-->");
      return skip_past (p + 2, limit, ">");
    }

  if (p[1] == '?')
    return skip_past (p + 2, limit, ">");

  if (p[1] == '/')
    {
      if (p + 2 < limit && g_ascii_isalpha (p[2]))
        {
          q = read_tag_name (p + 2, limit, name);
          q = skip_past (q, limit, ">");
          handle_end_tag (c, name, lookup_element (name));
          return q;
        }
      return skip_past (p + 2, limit, ">");
    }

  if (!g_ascii_isalpha (p[1]))
    {
      emit_plain (c, "<", 1);
      return p + 1;
    }

  q = read_tag_name (p + 1, limit, name);

  for (;;)
    {
      Attribute attribute = { 0 };

      while (q < limit && (is_html_space (*q) || *q == '/'))
        q++;
      if (q >= limit)
        return limit;  /* a tag cut off by the end of the input is dropped */
      if (*q == '>')
        {
          q++;
          break;
        }

      attribute.name = q;
      while (q < limit && !is_html_space (*q) && *q != '>' && *q != '=' && *q != '/')
        q++;
      if (q == attribute.name)
        q++;  /* a lone '=': step over it */
      attribute.name_length = q - attribute.name;

      while (q < limit && is_html_space (*q))
        q++;
      if (q < limit && *q == '=')
        {
          q++;
          while (q < limit && is_html_space (*q))
            q++;
          if (q < limit && (*q == '"' || *q == '\''))
            {
              const char *close = memchr (q + 1, *q, limit - q - 1);

              if (close == NULL)
                return limit;
              attribute.value = q + 1;
              attribute.value_length = close - q - 1;
              q = close + 1;
            }
          else
            {
              attribute.value = q;
              while (q < limit && !is_html_space (*q) && *q != '>')
                q++;
              attribute.value_length = q - attribute.value;
            }
        }

      if (n_attributes < MAX_ATTRIBUTES)
        attributes[n_attributes++] = attribute;
    }

  element = lookup_element (name);
  handle_start_tag (c, name, element, attributes, n_attributes);

  if (element->kind == EL_RAW_TEXT)
    return skip_raw_text (q, limit, name);

  return q;
}

/* Trailing spaces go, runs of blank lines become one, and the text is
 * trimmed and ends with one newline. The first line starts with what is
 * visible: the indentation of text loose in a list, or of a <pre> that
 * opens the body, would make the message look broken before it begins. */
static char *
finish_text (GString *raw)
{
  GString *text = g_string_sized_new (raw->len + 1);
  const char *p = raw->str;
  const char *limit = raw->str + raw->len;
  gboolean blank_pending = FALSE;

  while (p < limit)
    {
      const char *newline = memchr (p, '\n', limit - p);
      const char *end = newline != NULL ? newline : limit;
      const char *trimmed = end;

      if (text->len == 0)
        while (p < end && g_ascii_isspace (*p))
          p++;
      while (trimmed > p && (trimmed[-1] == ' ' || trimmed[-1] == '\t'))
        trimmed--;

      if (trimmed == p)
        blank_pending = text->len > 0;
      else
        {
          if (text->len > 0)
            g_string_append (text, blank_pending ? "\n\n" : "\n");
          g_string_append_len (text, p, trimmed - p);
          blank_pending = FALSE;
        }

      p = newline != NULL ? newline + 1 : limit;
    }

  if (text->len > 0)
    g_string_append_c (text, '\n');

  return g_string_free (text, FALSE);
}

/**
 * singly_html_to_text:
 * @html: an HTML document or fragment
 * @length: length of @html in bytes, or -1 if it is NUL-terminated
 *
 * Makes the plain-text alternative of an HTML body: what a reader would
 * see, as text. Paragraphs and headings are separated by blank lines, lists
 * become "- item" and "1. item", quotes get "> ", a link's address follows
 * its text in angle brackets, table cells are separated by " | ". Lines are
 * not wrapped. Any input is accepted, in time linear in its length.
 *
 * Returns: (transfer full): valid UTF-8, trimmed, ending with one newline,
 *   or "" when there is no text at all
 */
char *
singly_html_to_text (const char *html,
                     gssize      length)
{
  g_autoptr(GString) raw = NULL;
  Converter c = { 0 };
  const char *p;
  const char *limit;

  g_return_val_if_fail (html != NULL || length == 0, NULL);

  if (html == NULL)
    html = "";
  if (length < 0)
    length = strlen (html);

  raw = g_string_sized_new (length / 2 + 16);
  c.out = raw;
  c.at_line_start = TRUE;

  p = html;
  limit = html + length;

  while (p < limit)
    {
      const char *special = p;
      const char *end;
      gunichar ch;

      while (special < limit && *special != '<' && *special != '&')
        special++;

      if (special > p)
        emit_plain (&c, p, special - p);
      if (special >= limit)
        break;

      if (*special == '<')
        {
          p = handle_markup (&c, special, limit);
          continue;
        }

      ch = decode_entity (special, limit, &end);
      if (ch == 0)
        {
          emit_plain (&c, "&", 1);
          p = special + 1;
        }
      else
        {
          emit_unichar (&c, ch);
          p = end;
        }
    }

  return finish_text (raw);
}
