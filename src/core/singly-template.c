/* singly-template.c: the {{field}} template language and template files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

/* cmark would otherwise #define NODE_TEXT and other short names */
#define CMARK_NO_SHORT_NAMES 1
#include <cmark.h>
#include <gmime/gmime.h>

#include "singly-encoding.h"
#include "singly-i18n.h"
#include "singly-template.h"

/* ------------------------------------------------------------------------ */
/* SinglyTemplateText                                                        */

/* A compiled text is a flat array of nodes walked once from left to right.
 * Sections are not a tree: a section node holds the index of the node after
 * its end, so rendering a skipped section is one assignment. */
typedef enum
{
  NODE_TEXT,        /* literal from the pool */
  NODE_FIELD,       /* a value, inserted as it is */
  NODE_FIELD_HTML,  /* a value, HTML-escaped */
  NODE_SECTION,     /* {{#name}}: skip to jump when the value is blank */
  NODE_INVERTED,    /* {{^name}}: skip to jump when the value is not blank */
} NodeKind;

typedef struct
{
  guint8 kind;
  guint8 has_fallback;
  guint  column;   /* fields and sections: the bound column */
  guint  offset;   /* text, or the fallback: in the pool */
  guint  length;
  guint  ref;      /* fields and sections: index in refs */
  guint  jump;     /* sections: index of the node after the section */
} Node;

/* Everything about a field reference that only compile and bind need, kept
 * out of the nodes so that rendering walks a compact array. */
typedef struct
{
  char  *name;     /* as written, trimmed */
  char  *key;      /* as matched: NFKC, case-folded */
  guint  line;
  guint  column;
} FieldRef;

struct _SinglyTemplateText
{
  gatomicrefcount  ref_count;
  Node            *nodes;
  guint            n_nodes;
  char            *pool;
  FieldRef        *refs;
  guint            n_refs;
  gboolean         bound;
};

typedef enum
{
  TAG_FIELD,
  TAG_RAW,
  TAG_SECTION,
  TAG_INVERTED,
  TAG_CLOSE,
} TagKind;

/* A tag as found in the source, before it becomes nodes. */
typedef struct
{
  TagKind  kind;
  gsize    start;           /* the tag, braces included */
  gsize    end;
  gsize    trim_start;      /* what the tag removes from the output: */
  gsize    trim_end;        /*   more than itself on a standalone line */
  gsize    name_start;
  gsize    name_end;
  gsize    fallback_start;
  gsize    fallback_end;
  gboolean has_fallback;
  guint    line;
  guint    column;
} Tag;

/* Positions are counted as the scan moves forward, so finding the line and
 * column of every tag costs one pass over the text in all. */
typedef struct
{
  const char *source;
  gsize       offset;
  guint       line;
  guint       column;
} Cursor;

/* The columns of a contact list, prepared once for many lookups. */
typedef struct
{
  GHashTable  *by_key;  /* key → index + 1 */
  char       **names;   /* trimmed, as written */
  char       **keys;
  guint        n_columns;
} ColumnIndex;

static void column_index_free (ColumnIndex *index);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ColumnIndex, column_index_free)

/**
 * singly_template_error_quark:
 *
 * Returns: the error domain of templates, %SINGLY_TEMPLATE_ERROR
 */
G_DEFINE_QUARK (singly-template-error-quark, singly_template_error)

/* Bytes that HTML-escaping must look at; NUL ends the value. */
static const guint8 html_special[256] = {
  ['\0'] = 1, ['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 1,
};

static void set_error_at (GError     **error,
                          int          code,
                          guint        line,
                          guint        column,
                          const char  *format,
                          ...) G_GNUC_PRINTF (5, 6);

static void
set_error_at (GError     **error,
              int          code,
              guint        line,
              guint        column,
              const char  *format,
              ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, SINGLY_TEMPLATE_ERROR, code, "%u:%u: %s", line, column, message);
}

static void
cursor_advance (Cursor *cursor,
                gsize   offset)
{
  for (; cursor->offset < offset; cursor->offset++)
    {
      guchar c = cursor->source[cursor->offset];

      if (c == '\n')
        {
          cursor->line++;
          cursor->column = 1;
        }
      else if ((c & 0xC0) != 0x80)
        cursor->column++;
    }
}

static inline gboolean
is_blank_char (char c)
{
  return c == ' ' || c == '\t' || c == '\r';
}

/* Whitespace-only values count as empty: a cell holding a lone space is
 * how spreadsheets often leave a field "blank". */
static inline gboolean
value_is_blank (const char *value)
{
  const guchar *p = (const guchar *) value;

  if (p == NULL)
    return TRUE;

  for (;;)
    {
      gunichar c;

      if (*p == ' ' || (*p >= '\t' && *p <= '\r'))
        {
          p++;
          continue;
        }
      if (*p == '\0')
        return TRUE;
      if (*p < 0x80)
        return FALSE;

      c = g_utf8_get_char_validated ((const char *) p, -1);
      if (c == (gunichar) -1 || c == (gunichar) -2 || !g_unichar_isspace (c))
        return FALSE;
      p = (const guchar *) g_utf8_next_char (p);
    }
}

static inline void
append_html_escaped (GString    *out,
                     const char *value)
{
  const char *run = value;
  const char *p = value;

  for (;;)
    {
      const char *entity;
      gsize entity_length;

      /* Most values hold no special byte at all: they go in one append. */
      while (!html_special[(guchar) *p])
        p++;

      if (p > run)
        g_string_append_len (out, run, p - run);

      switch (*p)
        {
        case '&':  entity = "&amp;";  entity_length = 5; break;
        case '<':  entity = "&lt;";   entity_length = 4; break;
        case '>':  entity = "&gt;";   entity_length = 4; break;
        case '"':  entity = "&quot;"; entity_length = 6; break;
        case '\'': entity = "&#39;";  entity_length = 5; break;
        default:   return;
        }

      g_string_append_len (out, entity, entity_length);
      run = ++p;
    }
}

/* Field names and column names meet in one normal form: NFKC turns
 * full-width letters typed with a CJK input method into plain ones, and
 * case folding ignores case in every script. */
static char *
make_key (const char *name,
          gssize      length)
{
  g_autofree char *valid = g_utf8_make_valid (name, length);
  g_autofree char *normal = g_utf8_normalize (valid, -1, G_NORMALIZE_NFKC);

  return g_utf8_casefold (normal != NULL ? normal : valid, -1);
}

static void
trim_span (const char *source,
           gsize      *start,
           gsize      *end)
{
  while (*start < *end && is_blank_char (source[*start]))
    (*start)++;
  while (*end > *start && is_blank_char (source[*end - 1]))
    (*end)--;
}

static const char *
tag_sigil (TagKind kind)
{
  switch (kind)
    {
    case TAG_SECTION:  return "#";
    case TAG_INVERTED: return "^";
    case TAG_CLOSE:    return "/";
    case TAG_FIELD:
    case TAG_RAW:
    default:           return "";
    }
}

static gboolean
tag_is_section (const Tag *tag)
{
  return tag->kind == TAG_SECTION || tag->kind == TAG_INVERTED || tag->kind == TAG_CLOSE;
}

/* Mustache's standalone rule: a section tag alone on its line takes the
 * line with it, so that a template can put {{#x}} and {{/x}} on lines of
 * their own without leaving blank lines in the output. */
static void
tag_find_standalone (const char *source,
                     gsize       length,
                     Tag        *tag)
{
  gsize before = tag->start;
  gsize after = tag->end;

  tag->trim_start = tag->start;
  tag->trim_end = tag->end;

  if (!tag_is_section (tag))
    return;

  while (before > 0 && (source[before - 1] == ' ' || source[before - 1] == '\t'))
    before--;
  if (before > 0 && source[before - 1] != '\n')
    return;

  while (after < length && (source[after] == ' ' || source[after] == '\t'))
    after++;
  if (after < length)
    {
      if (source[after] == '\n')
        after++;
      else if (source[after] == '\r' && after + 1 < length && source[after + 1] == '\n')
        after += 2;
      else
        return;
    }

  tag->trim_start = before;
  tag->trim_end = after;
}

/* Reads the inside of one tag: sigil, name and fallback. */
static gboolean
tag_parse_inside (const char  *source,
                  gboolean     triple,
                  gsize        inner_start,
                  gsize        inner_end,
                  Tag         *tag,
                  GError     **error)
{
  gsize a = inner_start;
  gsize b = inner_end;
  const char *bar;
  gsize i;

  trim_span (source, &a, &b);

  tag->kind = triple ? TAG_RAW : TAG_FIELD;
  if (!triple && a < b && strchr ("#^/", source[a]) != NULL)
    {
      tag->kind = source[a] == '#' ? TAG_SECTION : source[a] == '^' ? TAG_INVERTED : TAG_CLOSE;
      a++;
      trim_span (source, &a, &b);
    }

  bar = memchr (source + a, '|', b - a);
  if (bar != NULL)
    {
      if (tag_is_section (tag))
        {
          set_error_at (error, SINGLY_TEMPLATE_ERROR_SYNTAX, tag->line, tag->column,
                        _("a section tag cannot have a fallback"));
          return FALSE;
        }
      tag->has_fallback = TRUE;
      tag->fallback_start = bar - source + 1;
      tag->fallback_end = b;
      trim_span (source, &tag->fallback_start, &tag->fallback_end);
      b = bar - source;
      trim_span (source, &a, &b);
    }

  if (a == b)
    {
      set_error_at (error, SINGLY_TEMPLATE_ERROR_SYNTAX, tag->line, tag->column,
                    _("empty field name"));
      return FALSE;
    }

  for (i = a; i < b; i++)
    {
      if (source[i] == '{' || source[i] == '}' || (i == a && strchr ("#^/", source[i]) != NULL))
        {
          set_error_at (error, SINGLY_TEMPLATE_ERROR_SYNTAX, tag->line, tag->column,
                        _("“%.*s” is not a valid field name"), (int) (b - a), source + a);
          return FALSE;
        }
    }

  tag->name_start = a;
  tag->name_end = b;
  return TRUE;
}

/* Finds every tag, in order. A tag never spans lines: an unclosed “{{”
 * is then reported where it is, instead of swallowing the rest of the
 * file up to some later “}}”. */
static gboolean
scan_tags (const char  *source,
           gsize        length,
           guint        first_line,
           guint        first_column,
           GArray      *tags,
           GError     **error)
{
  Cursor cursor = { source, 0, first_line, first_column };
  gsize p = 0;

  while (p + 1 < length)
    {
      const char *brace = memchr (source + p, '{', length - p - 1);
      Tag tag = { 0 };
      gboolean triple;
      gsize inner_start;
      gsize q;

      if (brace == NULL)
        break;
      if (brace[1] != '{')
        {
          p = brace - source + 1;
          continue;
        }

      tag.start = brace - source;
      cursor_advance (&cursor, tag.start);
      tag.line = cursor.line;
      tag.column = cursor.column;

      triple = tag.start + 2 < length && source[tag.start + 2] == '{';
      inner_start = tag.start + (triple ? 3 : 2);

      for (q = inner_start; q + 1 < length; q++)
        {
          if (source[q] == '\n' || (source[q] == '}' && source[q + 1] == '}'))
            break;
        }
      if (q + 1 >= length || source[q] == '\n')
        {
          set_error_at (error, SINGLY_TEMPLATE_ERROR_SYNTAX, tag.line, tag.column,
                        _("“%s” is not closed on its line"), triple ? "{{{" : "{{");
          return FALSE;
        }

      if (triple)
        {
          if (q + 2 >= length || source[q + 2] != '}')
            {
              set_error_at (error, SINGLY_TEMPLATE_ERROR_SYNTAX, tag.line, tag.column,
                            _("“{{{” must be closed with “}}}”"));
              return FALSE;
            }
          tag.end = q + 3;
        }
      else
        tag.end = q + 2;

      if (!tag_parse_inside (source, triple, inner_start, q, &tag, error))
        return FALSE;

      tag_find_standalone (source, length, &tag);
      g_array_append_val (tags, tag);
      p = tag.end;
    }

  return TRUE;
}

typedef struct
{
  GArray  *nodes;
  GArray  *refs;
  GString *pool;
} Builder;

/* In header values (unfold), a line break and the indentation after it
 * become one space, as when a folded header is read back. */
static void
builder_add_text (Builder    *builder,
                  const char *text,
                  gsize       length,
                  gboolean    unfold)
{
  Node node = { .kind = NODE_TEXT, .ref = G_MAXUINT };
  gsize i;

  node.offset = builder->pool->len;

  if (!unfold)
    g_string_append_len (builder->pool, text, length);
  else
    {
      for (i = 0; i < length; i++)
        {
          if (text[i] == '\n')
            {
              while (i + 1 < length && is_blank_char (text[i + 1]))
                i++;
              g_string_append_c (builder->pool, ' ');
            }
          else if (text[i] != '\r')
            g_string_append_c (builder->pool, text[i]);
        }
    }

  node.length = builder->pool->len - node.offset;
  if (node.length > 0)
    g_array_append_val (builder->nodes, node);
}

static guint
builder_add_ref (Builder    *builder,
                 const char *source,
                 const Tag  *tag)
{
  FieldRef ref;

  ref.name = g_strndup (source + tag->name_start, tag->name_end - tag->name_start);
  ref.key = make_key (ref.name, -1);
  ref.line = tag->line;
  ref.column = tag->column;
  g_array_append_val (builder->refs, ref);

  return builder->refs->len - 1;
}

static void
field_ref_clear (FieldRef *ref)
{
  g_free (ref->name);
  g_free (ref->key);
}

static void
singly_template_text_free (SinglyTemplateText *self)
{
  guint i;

  for (i = 0; i < self->n_refs; i++)
    field_ref_clear (&self->refs[i]);
  g_free (self->refs);
  g_free (self->nodes);
  g_free (self->pool);
  g_free (self);
}

/* Turns the tags into nodes and checks that sections pair up. */
static SinglyTemplateText *
build_text (const char    *source,
            gsize          length,
            SinglyEscape   escape,
            gboolean       unfold,
            GArray        *tags,
            GError       **error)
{
  g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (Node));
  g_autoptr(GArray) refs = g_array_new (FALSE, FALSE, sizeof (FieldRef));
  g_autoptr(GArray) open = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GString) pool = g_string_new (NULL);
  Builder builder = { nodes, refs, pool };
  SinglyTemplateText *self;
  gsize from = 0;
  guint i;

  g_array_set_clear_func (refs, (GDestroyNotify) field_ref_clear);

  for (i = 0; i < tags->len; i++)
    {
      const Tag *tag = &g_array_index (tags, Tag, i);
      Node node = { 0 };

      builder_add_text (&builder, source + from, tag->trim_start - from, unfold);
      from = tag->trim_end;

      if (tag->kind == TAG_CLOSE)
        {
          g_autofree char *key = make_key (source + tag->name_start, tag->name_end - tag->name_start);
          const Tag *opener;
          Node *open_node;
          int name_length = tag->name_end - tag->name_start;

          if (open->len == 0)
            {
              set_error_at (error, SINGLY_TEMPLATE_ERROR_SYNTAX, tag->line, tag->column,
                            _("“{{/%.*s}}” closes a section that was never opened"),
                            name_length, source + tag->name_start);
              return NULL;
            }

          open_node = &g_array_index (nodes, Node, g_array_index (open, guint, open->len - 1));
          opener = &g_array_index (tags, Tag, open_node->jump);
          if (g_strcmp0 (key, g_array_index (refs, FieldRef, open_node->ref).key) != 0)
            {
              set_error_at (error, SINGLY_TEMPLATE_ERROR_SYNTAX, tag->line, tag->column,
                            _("“{{/%.*s}}” does not close “{{%s%.*s}}” opened at %u:%u"),
                            name_length, source + tag->name_start,
                            tag_sigil (opener->kind),
                            (int) (opener->name_end - opener->name_start), source + opener->name_start,
                            opener->line, opener->column);
              return NULL;
            }

          open_node->jump = nodes->len;
          g_array_set_size (open, open->len - 1);
          continue;
        }

      node.ref = builder_add_ref (&builder, source, tag);
      switch (tag->kind)
        {
        case TAG_FIELD:
          node.kind = escape == SINGLY_ESCAPE_HTML ? NODE_FIELD_HTML : NODE_FIELD;
          break;
        case TAG_RAW:
          node.kind = NODE_FIELD;
          break;
        case TAG_SECTION:
          node.kind = NODE_SECTION;
          break;
        case TAG_INVERTED:
          node.kind = NODE_INVERTED;
          break;
        case TAG_CLOSE:
        default:
          g_assert_not_reached ();
        }

      if (tag->has_fallback)
        {
          node.has_fallback = TRUE;
          node.offset = pool->len;
          node.length = tag->fallback_end - tag->fallback_start;
          g_string_append_len (pool, source + tag->fallback_start, node.length);
        }

      if (node.kind == NODE_SECTION || node.kind == NODE_INVERTED)
        {
          guint index = nodes->len;

          /* Until the close is found, jump remembers the opening tag. */
          node.jump = i;
          g_array_append_val (open, index);
        }
      g_array_append_val (nodes, node);
    }

  builder_add_text (&builder, source + from, length - from, unfold);

  if (open->len > 0)
    {
      const Node *open_node = &g_array_index (nodes, Node, g_array_index (open, guint, open->len - 1));
      const Tag *opener = &g_array_index (tags, Tag, open_node->jump);

      set_error_at (error, SINGLY_TEMPLATE_ERROR_SYNTAX, opener->line, opener->column,
                    _("“{{%s%.*s}}” is never closed"),
                    tag_sigil (opener->kind),
                    (int) (opener->name_end - opener->name_start), source + opener->name_start);
      return NULL;
    }

  self = g_new0 (SinglyTemplateText, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->n_nodes = nodes->len;
  self->nodes = (Node *) g_array_free (g_steal_pointer (&nodes), FALSE);
  self->n_refs = refs->len;
  g_array_set_clear_func (refs, NULL);
  self->refs = (FieldRef *) g_array_free (g_steal_pointer (&refs), FALSE);
  self->pool = g_string_free (g_steal_pointer (&pool), FALSE);

  return self;
}

/* The compiler behind singly_template_text_new(); @unfold joins folded
 * header lines, @tags_out hands the tags to the Markdown converter. */
static SinglyTemplateText *
text_compile (const char    *source,
              gsize          length,
              SinglyEscape   escape,
              guint          first_line,
              guint          first_column,
              gboolean       unfold,
              GArray       **tags_out,
              GError       **error)
{
  g_autoptr(GArray) tags = g_array_new (FALSE, FALSE, sizeof (Tag));
  SinglyTemplateText *self;

  if (!g_utf8_validate_len (source, length, NULL))
    {
      g_set_error (error, SINGLY_TEMPLATE_ERROR, SINGLY_TEMPLATE_ERROR_ENCODING,
                   "%u:%u: %s", first_line, first_column,
                   _("the text is not valid UTF-8 or holds a NUL byte"));
      return NULL;
    }

  if (!scan_tags (source, length, first_line, first_column, tags, error))
    return NULL;

  self = build_text (source, length, escape, unfold, tags, error);
  if (self != NULL && tags_out != NULL)
    *tags_out = g_steal_pointer (&tags);

  return self;
}

static void
column_index_free (ColumnIndex *index)
{
  g_hash_table_unref (index->by_key);
  g_strfreev (index->names);
  g_strfreev (index->keys);
  g_free (index);
}

static ColumnIndex *
column_index_new (const char * const *columns,
                  guint               n_columns)
{
  ColumnIndex *index = g_new0 (ColumnIndex, 1);
  guint i;

  index->by_key = g_hash_table_new (g_str_hash, g_str_equal);
  index->names = g_new0 (char *, n_columns + 1);
  index->keys = g_new0 (char *, n_columns + 1);
  index->n_columns = n_columns;

  for (i = 0; i < n_columns; i++)
    {
      index->names[i] = g_strstrip (g_strdup (columns[i] != NULL ? columns[i] : ""));
      index->keys[i] = make_key (index->names[i], -1);

      /* With two columns of one name, the first one wins, as a reader of
       * the sheet would expect. */
      if (!g_hash_table_contains (index->by_key, index->keys[i]))
        g_hash_table_insert (index->by_key, index->keys[i], GUINT_TO_POINTER (i + 1));
    }

  return index;
}

static gboolean
column_index_lookup (ColumnIndex *index,
                     const char  *key,
                     guint       *column)
{
  gpointer found = g_hash_table_lookup (index->by_key, key);

  if (found == NULL)
    return FALSE;
  *column = GPOINTER_TO_UINT (found) - 1;
  return TRUE;
}

static gsize
levenshtein (const gunichar *a,
             gsize           n_a,
             const gunichar *b,
             gsize           n_b)
{
  g_autofree gsize *row = g_new (gsize, n_b + 1);
  gsize i, j;

  for (j = 0; j <= n_b; j++)
    row[j] = j;

  for (i = 1; i <= n_a; i++)
    {
      gsize diagonal = row[0];

      row[0] = i;
      for (j = 1; j <= n_b; j++)
        {
          gsize above = row[j];
          gsize cost = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);

          cost = MIN (cost, above + 1);
          cost = MIN (cost, row[j - 1] + 1);
          row[j] = cost;
          diagonal = above;
        }
    }

  return row[n_b];
}

/* The closest column name, or NULL when none is close enough to be what
 * the author meant; a suggestion as far away as the name itself is long
 * would only confuse. */
static const char *
column_index_suggest (ColumnIndex *index,
                      const char  *key)
{
  glong n_key = 0;
  g_autofree gunichar *chars = g_utf8_to_ucs4_fast (key, -1, &n_key);
  gsize best = G_MAXSIZE;
  const char *best_name = NULL;
  gsize threshold = MAX (2, n_key / 3);
  guint i;

  for (i = 0; i < index->n_columns; i++)
    {
      glong n_column = 0;
      g_autofree gunichar *column = g_utf8_to_ucs4_fast (index->keys[i], -1, &n_column);
      gsize distance = levenshtein (chars, n_key, column, n_column);

      if (distance < best)
        {
          best = distance;
          best_name = index->names[i];
        }
    }

  if (best <= threshold && best < (gsize) n_key)
    return best_name;
  return NULL;
}

static char *
unknown_field_message (const FieldRef *ref,
                       const char     *suggestion)
{
  if (suggestion != NULL)
    return g_strdup_printf (_("unknown field “%s” (did you mean “%s”?)"), ref->name, suggestion);
  return g_strdup_printf (_("unknown field “%s”"), ref->name);
}

/* Binds @self to the columns of @index. With @diagnostics, every unknown
 * field is collected and nothing is bound; otherwise the first unknown
 * field is the error. */
static gboolean
text_resolve (SinglyTemplateText  *self,
              ColumnIndex         *index,
              GPtrArray           *diagnostics,
              GError             **error)
{
  gboolean ok = TRUE;
  guint column;
  guint i;

  for (i = 0; i < self->n_refs; i++)
    {
      const FieldRef *ref = &self->refs[i];
      const char *suggestion;
      g_autofree char *message = NULL;

      if (column_index_lookup (index, ref->key, &column))
        continue;

      ok = FALSE;
      suggestion = column_index_suggest (index, ref->key);
      message = unknown_field_message (ref, suggestion);

      if (diagnostics == NULL)
        {
          g_set_error (error, SINGLY_TEMPLATE_ERROR, SINGLY_TEMPLATE_ERROR_UNKNOWN_FIELD,
                       "%u:%u: %s", ref->line, ref->column, message);
          return FALSE;
        }
      else
        {
          SinglyTemplateDiagnostic *diagnostic = g_new0 (SinglyTemplateDiagnostic, 1);

          diagnostic->line = ref->line;
          diagnostic->column = ref->column;
          diagnostic->message = g_steal_pointer (&message);
          diagnostic->suggestion = g_strdup (suggestion);
          g_ptr_array_add (diagnostics, diagnostic);
        }
    }

  if (!ok || diagnostics != NULL)
    return ok;

  for (i = 0; i < self->n_nodes; i++)
    {
      Node *node = &self->nodes[i];

      if (node->kind != NODE_TEXT)
        column_index_lookup (index, self->refs[node->ref].key, &node->column);
    }
  self->bound = TRUE;

  return TRUE;
}

/**
 * singly_template_diagnostic_free:
 * @diagnostic: (nullable): a diagnostic
 *
 * Frees a diagnostic returned by singly_template_check().
 */
void
singly_template_diagnostic_free (SinglyTemplateDiagnostic *diagnostic)
{
  if (diagnostic == NULL)
    return;
  g_free (diagnostic->message);
  g_free (diagnostic->suggestion);
  g_free (diagnostic);
}

/**
 * singly_template_text_new:
 * @source: the template text, UTF-8
 * @length: length of @source in bytes, or -1 if it is NUL-terminated
 * @escape: how values are inserted
 * @first_line: the 1-based line of @source[0] in its file
 * @first_column: the 1-based column (in characters) of @source[0]
 * @error: return location for a #GError
 *
 * Compiles one piece of template text: `{{field}}`, `{{field|fallback}}`,
 * `{{{field}}}`, `{{#field}}…{{/field}}` and `{{^field}}…{{/field}}`.
 * Errors are %SINGLY_TEMPLATE_ERROR_SYNTAX with a message that starts with
 * "LINE:COLUMN: ", positions counted from @first_line and @first_column.
 *
 * Returns: (transfer full) (nullable): the compiled text, or %NULL on error
 */
SinglyTemplateText *
singly_template_text_new (const char    *source,
                          gssize         length,
                          SinglyEscape   escape,
                          guint          first_line,
                          guint          first_column,
                          GError       **error)
{
  g_return_val_if_fail (source != NULL || length == 0, NULL);
  g_return_val_if_fail (first_line > 0 && first_column > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (source == NULL)
    source = "";
  if (length < 0)
    length = strlen (source);

  return text_compile (source, length, escape, first_line, first_column, FALSE, NULL, error);
}

/**
 * singly_template_text_ref:
 * @self: a compiled text
 *
 * Returns: (transfer full): @self
 */
SinglyTemplateText *
singly_template_text_ref (SinglyTemplateText *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * singly_template_text_unref:
 * @self: (transfer full): a compiled text
 *
 * Drops a reference, freeing @self with the last one.
 */
void
singly_template_text_unref (SinglyTemplateText *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    singly_template_text_free (self);
}

/**
 * singly_template_text_bind:
 * @self: a compiled text
 * @columns: (array length=n_columns): the column names of the contact list
 * @n_columns: the number of columns
 * @error: return location for a #GError
 *
 * Resolves every field name to a column: names are trimmed and compared
 * without regard to case. The first unknown field is a
 * %SINGLY_TEMPLATE_ERROR_UNKNOWN_FIELD error, "LINE:COLUMN: unknown field
 * “x” (did you mean “y”?)". A text can be bound again to other columns;
 * on error the previous binding stays.
 *
 * Returns: %TRUE when every field is a column
 */
gboolean
singly_template_text_bind (SinglyTemplateText  *self,
                           const char * const  *columns,
                           guint                n_columns,
                           GError             **error)
{
  g_autoptr(ColumnIndex) index = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (columns != NULL || n_columns == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  index = column_index_new (columns, n_columns);
  return text_resolve (self, index, NULL, error);
}

/**
 * singly_template_text_check:
 * @self: a compiled text
 * @columns: (array length=n_columns): the column names of the contact list
 * @n_columns: the number of columns
 *
 * Like singly_template_text_bind(), but reports every unknown field and
 * binds nothing.
 *
 * Returns: (transfer full) (element-type SinglyTemplateDiagnostic): the
 *   diagnostics in text order; empty when every field is a column
 */
GPtrArray *
singly_template_text_check (SinglyTemplateText *self,
                            const char * const *columns,
                            guint               n_columns)
{
  g_autoptr(ColumnIndex) index = NULL;
  GPtrArray *diagnostics;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (columns != NULL || n_columns == 0, NULL);

  index = column_index_new (columns, n_columns);
  diagnostics = g_ptr_array_new_with_free_func ((GDestroyNotify) singly_template_diagnostic_free);
  text_resolve (self, index, diagnostics, NULL);

  return diagnostics;
}

/**
 * singly_template_text_render:
 * @self: a bound text
 * @values: (array): one value per bound column, non-%NULL UTF-8 strings
 * @out: where the result is appended
 *
 * Renders @self for one contact. Nothing is allocated except for @out to
 * grow, so a caller that reuses @out renders without touching the heap.
 */
void
singly_template_text_render (SinglyTemplateText *self,
                             const char * const *values,
                             GString            *out)
{
  const Node *nodes;
  const char *pool;
  guint n_nodes;
  guint i = 0;

  g_return_if_fail (self != NULL);
  g_return_if_fail (out != NULL);
  g_return_if_fail (self->bound || self->n_refs == 0);
  g_return_if_fail (values != NULL || self->n_refs == 0);

  nodes = self->nodes;
  n_nodes = self->n_nodes;
  pool = self->pool;

  while (i < n_nodes)
    {
      const Node *node = &nodes[i];
      const char *value;

      switch ((NodeKind) node->kind)
        {
        case NODE_TEXT:
          g_string_append_len (out, pool + node->offset, node->length);
          i++;
          break;

        case NODE_FIELD:
        case NODE_FIELD_HTML:
          value = values[node->column];
          if (node->has_fallback && value_is_blank (value))
            g_string_append_len (out, pool + node->offset, node->length);
          else if (value == NULL)
            ;
          else if (node->kind == NODE_FIELD_HTML)
            append_html_escaped (out, value);
          else
            g_string_append (out, value);
          i++;
          break;

        case NODE_SECTION:
          i = value_is_blank (values[node->column]) ? node->jump : i + 1;
          break;

        case NODE_INVERTED:
          i = value_is_blank (values[node->column]) ? i + 1 : node->jump;
          break;

        default:
          g_assert_not_reached ();
        }
    }
}

/**
 * singly_template_text_is_constant:
 * @self: a compiled text
 *
 * Returns: %TRUE when @self refers to no field, so it renders the same
 *   for every contact
 */
gboolean
singly_template_text_is_constant (SinglyTemplateText *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->n_refs == 0;
}

/**
 * singly_template_text_dup_prefix:
 * @self: a compiled text
 *
 * The literal text that every rendering of @self starts with: the text up
 * to the first field or section, which no contact's value can change. For
 * a constant text, all of it.
 *
 * Returns: (transfer full): the prefix, possibly empty
 */
char *
singly_template_text_dup_prefix (SinglyTemplateText *self)
{
  g_autoptr(GString) prefix = g_string_new (NULL);

  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->n_nodes && self->nodes[i].kind == NODE_TEXT; i++)
    g_string_append_len (prefix, self->pool + self->nodes[i].offset, self->nodes[i].length);
  return g_string_free (g_steal_pointer (&prefix), FALSE);
}

/**
 * singly_template_text_mark_columns:
 * @self: a bound text
 * @used: (array) (nullable): one byte per column, set to 1 for every
 *   column that @self refers to
 * @required: (array) (nullable): one byte per column, set to 1 for every
 *   column whose emptiness would leave a hole: inserted without a fallback
 *   and not guarded by a `{{#column}}` section
 *
 * Marks the columns @self uses; bytes of other columns are left alone, so
 * one pair of arrays can collect the marks of several texts.
 */
void
singly_template_text_mark_columns (SinglyTemplateText *self,
                                   guint8             *used,
                                   guint8             *required)
{
  g_autofree guint *open = NULL;
  guint depth = 0;
  guint i, j;

  g_return_if_fail (self != NULL);
  g_return_if_fail (self->bound || self->n_refs == 0);

  open = g_new (guint, self->n_nodes + 1);

  for (i = 0; i < self->n_nodes; i++)
    {
      const Node *node = &self->nodes[i];
      gboolean guarded = FALSE;

      while (depth > 0 && self->nodes[open[depth - 1]].jump <= i)
        depth--;

      switch ((NodeKind) node->kind)
        {
        case NODE_TEXT:
          break;

        case NODE_SECTION:
        case NODE_INVERTED:
          if (used != NULL)
            used[node->column] = 1;
          open[depth++] = i;
          break;

        case NODE_FIELD:
        case NODE_FIELD_HTML:
          if (used != NULL)
            used[node->column] = 1;
          if (node->has_fallback || required == NULL)
            break;
          for (j = 0; j < depth && !guarded; j++)
            {
              const Node *section = &self->nodes[open[j]];

              guarded = section->kind == NODE_SECTION && section->column == node->column;
            }
          if (!guarded)
            required[node->column] = 1;
          break;

        default:
          g_assert_not_reached ();
        }
    }
}

/* ------------------------------------------------------------------------ */
/* SinglyTemplate                                                            */

typedef struct
{
  char               *name;
  SinglyTemplateText *text;
  guint               line;
} Header;

struct _SinglyTemplate
{
  GObject             parent_instance;

  SinglyBodyFormat    format;
  char               *path;
  char               *base_dir;
  GArray             *headers;   /* Header */
  SinglyTemplateText *body;
  SinglyTemplateText *markdown;  /* the Markdown source, for diagnostics */
  GBytes             *eml;
};

G_DEFINE_FINAL_TYPE (SinglyTemplate, singly_template, G_TYPE_OBJECT)

/* Headers that Singly writes itself, or that describe the MIME structure
 * which the message builder owns. */
static const char * const forbidden_headers[] = {
  "From", "Sender", "Date", "Message-ID", "MIME-Version", "Received", "Return-Path", NULL
};

/* RFC 5322 allows these once per message. */
static const char * const single_headers[] = {
  "Subject", "To", "Cc", "Bcc", "Reply-To", NULL
};

/* What an .eml saved by a mail client carries that belongs to that one
 * message, its transport or its structure, not to a template. */
static const char * const eml_dropped_headers[] = {
  "From", "Sender", "Date", "Message-ID", "MIME-Version", "Received", "Return-Path",
  "DKIM-Signature", "Delivered-To", "X-Received", "Received-SPF",
  "Authentication-Results", "In-Reply-To", "References", "Status", "X-Status",
  "X-Unsent", "X-Account-Key", "X-Identity-Key", NULL
};
static const char * const eml_dropped_prefixes[] = {
  "Content-", "X-Mozilla-", "ARC-", NULL
};

static void
header_clear (Header *header)
{
  g_free (header->name);
  g_clear_pointer (&header->text, singly_template_text_unref);
}

static gboolean
name_in_list (const char         *name,
              const char * const *list)
{
  for (; *list != NULL; list++)
    if (g_ascii_strcasecmp (name, *list) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
name_has_prefix (const char         *name,
                 const char * const *prefixes)
{
  for (; *prefixes != NULL; prefixes++)
    if (g_ascii_strncasecmp (name, *prefixes, strlen (*prefixes)) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
header_is_forbidden (const char *name)
{
  /* Content-Language describes the text, not the structure: let it be. */
  if (g_ascii_strcasecmp (name, "Content-Language") == 0)
    return FALSE;
  return name_in_list (name, forbidden_headers) || g_ascii_strncasecmp (name, "Content-", 8) == 0;
}

/* Adds a header after the checks shared by text and .eml templates. */
static gboolean
template_add_header (SinglyTemplate      *self,
                     const char          *name,
                     SinglyTemplateText  *text,
                     guint                line,
                     GError             **error)
{
  Header header;
  int previous;

  if (name_in_list (name, single_headers) && (previous = singly_template_find_header (self, name)) >= 0)
    {
      set_error_at (error, SINGLY_TEMPLATE_ERROR_HEADER, line, 1,
                    _("“%s” appears more than once (first on line %u)"),
                    name, g_array_index (self->headers, Header, previous).line);
      singly_template_text_unref (text);
      return FALSE;
    }

  header.name = g_strdup (name);
  header.text = text;
  header.line = line;
  g_array_append_val (self->headers, header);
  return TRUE;
}

static gsize
header_name_length (const char *line,
                    gsize       length)
{
  gsize i = 0;

  while (i < length && (g_ascii_isalnum (line[i]) || line[i] == '-'))
    i++;
  if (i == 0 || i >= length || line[i] != ':')
    return 0;
  return i;
}

static gboolean
line_is_blank (const char *line,
               gsize       length)
{
  gsize i;

  for (i = 0; i < length; i++)
    if (!is_blank_char (line[i]))
      return FALSE;
  return TRUE;
}

/* Compiles one header of a text template: @value spans the value from
 * after the colon to the end of its last continuation line. */
static gboolean
template_finish_header (SinglyTemplate  *self,
                        const char      *text,
                        gsize            name_start,
                        gsize            name_length,
                        gsize            value_end,
                        guint            line,
                        GError         **error)
{
  g_autofree char *name = g_strndup (text + name_start, name_length);
  Cursor cursor = { text, name_start, line, 1 };
  gsize value_start = name_start + name_length + 1;
  SinglyTemplateText *value;

  if (header_is_forbidden (name))
    {
      set_error_at (error, SINGLY_TEMPLATE_ERROR_HEADER, line, 1,
                    _("“%s” cannot be set in a template: Singly writes this header itself"), name);
      return FALSE;
    }

  while (value_start < value_end && g_ascii_isspace (text[value_start]))
    value_start++;
  while (value_end > value_start && g_ascii_isspace (text[value_end - 1]))
    value_end--;

  cursor_advance (&cursor, value_start);
  value = text_compile (text + value_start, value_end - value_start, SINGLY_ESCAPE_NONE,
                        cursor.line, cursor.column, TRUE, NULL, error);
  if (value == NULL)
    return FALSE;

  return template_add_header (self, name, value, line, error);
}

/* Markdown bodies */

/* cmark would mangle template tags: it percent-encodes “{” in link
 * destinations ([x]({{url}}) becomes %7B%7Burl%7D%7D) and reads emphasis
 * into {{_a}} … {{b_}}. So each tag goes through cmark as a token that
 * Markdown leaves alone — digits and letters, starting with a digit so
 * that <{{email}}> cannot become an HTML tag — and comes back afterwards.
 * The marker's first character occurs in it only once, so an occurrence
 * can never start inside the text before a token. */
static char *
markdown_choose_marker (const char *source,
                        gsize       length)
{
  GString *marker = g_string_new ("9SinglyTag");

  while (g_strstr_len (source, length, marker->str) != NULL)
    g_string_append_c (marker, 'x');

  return g_string_free (marker, FALSE);
}

static gboolean
markdown_parse_token (const char  *html,
                      const char  *marker,
                      gsize        marker_length,
                      guint        n_tags,
                      guint       *index,
                      const char **end)
{
  const char *p = html;
  guint64 value = 0;

  if (strncmp (p, marker, marker_length) != 0)
    return FALSE;
  p += marker_length;
  if (!g_ascii_isdigit (*p))
    return FALSE;
  while (g_ascii_isdigit (*p) && value < n_tags)
    value = value * 10 + (*p++ - '0');
  if (*p != 'Z' || value >= n_tags)
    return FALSE;

  *index = value;
  *end = p + 1;
  return TRUE;
}

static void
markdown_append_tag (GString    *out,
                     const char *source,
                     const Tag  *tag)
{
  gsize i;

  g_string_append (out, tag->kind == TAG_RAW ? "{{{" : "{{");
  g_string_append (out, tag_sigil (tag->kind));
  g_string_append_len (out, source + tag->name_start, tag->name_end - tag->name_start);

  /* The fallback is text, inserted into HTML as written: escape it now. */
  if (tag->has_fallback)
    {
      g_string_append_c (out, '|');
      for (i = tag->fallback_start; i < tag->fallback_end; i++)
        {
          switch (source[i])
            {
            case '&': g_string_append (out, "&amp;"); break;
            case '<': g_string_append (out, "&lt;"); break;
            case '>': g_string_append (out, "&gt;"); break;
            case '"': g_string_append (out, "&quot;"); break;
            default:  g_string_append_c (out, source[i]); break;
            }
        }
    }

  g_string_append (out, tag->kind == TAG_RAW ? "}}}" : "}}");
}

/* A section tag on a line of its own in Markdown becomes a paragraph of
 * its own: <p>{{#note}}</p>. Without the <p> the tags are standalone lines
 * in the HTML and disappear cleanly instead of leaving empty paragraphs.
 * Returns the end of the paragraph when @p (just after "<p>") starts such
 * a paragraph. */
static const char *
markdown_section_paragraph (const char *p,
                            const char *marker,
                            gsize       marker_length,
                            GArray     *tags)
{
  for (;;)
    {
      guint index;
      const char *end;

      if (!markdown_parse_token (p, marker, marker_length, tags->len, &index, &end) ||
          !tag_is_section (&g_array_index (tags, Tag, index)))
        return NULL;
      p = end;
      if (g_str_has_prefix (p, "</p>"))
        return p + 4;
      if (*p != '\n')
        return NULL;
      p++;
    }
}

/* Every tag of the source went through cmark as a token, so braces in
 * cmark's output are the author's literal text (\{\{ or &#123; in
 * Markdown): they must not start a tag in the HTML. */
static void
markdown_append_html (GString    *out,
                      const char *html,
                      gsize       length,
                      gboolean    before_tag)
{
  gsize i;

  for (i = 0; i < length; i++)
    {
      if (html[i] == '{' && (i + 1 < length ? html[i + 1] == '{' : before_tag))
        g_string_append (out, "&#123;");
      else
        g_string_append_c (out, html[i]);
    }
}

static GString *
markdown_restore_tags (const char *html,
                       const char *marker,
                       const char *source,
                       GArray     *tags)
{
  GString *out = g_string_new (NULL);
  gsize marker_length = strlen (marker);
  const char *p = html;
  const char *found;

  while ((found = strstr (p, marker)) != NULL)
    {
      const char *paragraph_end;
      const char *end;
      guint index;

      markdown_append_html (out, p, found - p, TRUE);

      if (out->len >= 3 && strcmp (out->str + out->len - 3, "<p>") == 0 &&
          (paragraph_end = markdown_section_paragraph (found, marker, marker_length, tags)) != NULL)
        {
          g_string_truncate (out, out->len - 3);
          for (p = found; p < paragraph_end - 4; p = end)
            {
              if (*p == '\n')
                {
                  g_string_append_c (out, '\n');
                  p++;
                }
              markdown_parse_token (p, marker, marker_length, tags->len, &index, &end);
              markdown_append_tag (out, source, &g_array_index (tags, Tag, index));
            }
          p = paragraph_end;
          continue;
        }

      if (markdown_parse_token (found, marker, marker_length, tags->len, &index, &end))
        {
          markdown_append_tag (out, source, &g_array_index (tags, Tag, index));
          p = end;
        }
      else
        {
          g_string_append_len (out, found, marker_length);
          p = found + marker_length;
        }
    }

  markdown_append_html (out, p, strlen (p), FALSE);
  return out;
}

/* The Markdown source is compiled as a template of its own, so that
 * errors point into the file; the body is the HTML made from it once. */
static gboolean
template_compile_markdown (SinglyTemplate  *self,
                           const char      *source,
                           gsize            length,
                           guint            first_line,
                           GError         **error)
{
  g_autoptr(GArray) tags = NULL;
  g_autoptr(GString) protected = NULL;
  g_autoptr(GString) html = NULL;
  g_autofree char *marker = NULL;
  char *converted;
  gsize from = 0;
  guint i;

  self->markdown = text_compile (source, length, SINGLY_ESCAPE_NONE, first_line, 1, FALSE, &tags, error);
  if (self->markdown == NULL)
    return FALSE;

  marker = markdown_choose_marker (source, length);
  protected = g_string_sized_new (length + 16 * tags->len);
  for (i = 0; i < tags->len; i++)
    {
      const Tag *tag = &g_array_index (tags, Tag, i);

      g_string_append_len (protected, source + from, tag->start - from);
      g_string_append_printf (protected, "%s%uZ", marker, i);
      from = tag->end;
    }
  g_string_append_len (protected, source + from, length - from);

  /* UNSAFE keeps the author's own HTML; SMART stays off so that quotes
   * and dashes are what was typed. */
  converted = cmark_markdown_to_html (protected->str, protected->len, CMARK_OPT_UNSAFE);
  html = markdown_restore_tags (converted, marker, source, tags);
  free (converted);

  /* Only a section tag that cmark dropped or repeated (one inside an
   * unused link reference definition, say) can make this fail. */
  self->body = text_compile (html->str, html->len, SINGLY_ESCAPE_HTML, 1, 1, FALSE, NULL, error);
  if (self->body == NULL)
    {
      g_prefix_error (error, "%u:1: %s", first_line, _("in the HTML made from the Markdown: "));
      return FALSE;
    }

  return TRUE;
}

static gboolean
template_compile_body (SinglyTemplate  *self,
                       const char      *body,
                       gsize            length,
                       guint            first_line,
                       GError         **error)
{
  switch (self->format)
    {
    case SINGLY_BODY_PLAIN:
      self->body = text_compile (body, length, SINGLY_ESCAPE_NONE, first_line, 1, FALSE, NULL, error);
      return self->body != NULL;

    case SINGLY_BODY_HTML:
      self->body = text_compile (body, length, SINGLY_ESCAPE_HTML, first_line, 1, FALSE, NULL, error);
      return self->body != NULL;

    case SINGLY_BODY_MARKDOWN:
      return template_compile_markdown (self, body, length, first_line, error);

    case SINGLY_BODY_EML:
    default:
      g_assert_not_reached ();
    }
}

/* Reads a text template: @text is UTF-8 with LF line ends. */
static gboolean
template_load_text (SinglyTemplate  *self,
                    const char      *text,
                    gsize            length,
                    GError         **error)
{
  gsize pos = 0;
  guint line = 1;
  gsize name_start = 0;
  gsize name_length = 0;
  guint header_line = 0;
  gsize value_end = 0;

  /* No header block unless the very first line is a header: a body that
   * happens to contain "Note: …" further down stays a body. */
  if (header_name_length (text, length) == 0)
    return template_compile_body (self, text, length, 1, error);

  while (pos < length)
    {
      const char *newline = memchr (text + pos, '\n', length - pos);
      gsize end = newline != NULL ? (gsize) (newline - text) : length;
      gsize next = newline != NULL ? end + 1 : length;
      gsize n;

      if (line_is_blank (text + pos, end - pos))
        {
          pos = next;
          line++;
          break;
        }

      if (text[pos] == ' ' || text[pos] == '\t')
        value_end = end;
      else if ((n = header_name_length (text + pos, end - pos)) > 0)
        {
          if (name_length > 0 &&
              !template_finish_header (self, text, name_start, name_length, value_end, header_line, error))
            return FALSE;
          name_start = pos;
          name_length = n;
          header_line = line;
          value_end = end;
        }
      else
        {
          set_error_at (error, SINGLY_TEMPLATE_ERROR_HEADER, line, 1,
                        _("this line is not a header; a blank line must separate the headers from the body"));
          return FALSE;
        }

      pos = next;
      line++;
    }

  if (name_length > 0 &&
      !template_finish_header (self, text, name_start, name_length, value_end, header_line, error))
    return FALSE;

  return template_compile_body (self, text + pos, length - pos, line, error);
}

static gboolean
eml_header_is_carried (const char *name)
{
  return !name_in_list (name, eml_dropped_headers) && !name_has_prefix (name, eml_dropped_prefixes);
}

static gboolean
eml_header_name_is_valid (const char *name)
{
  if (*name == '\0')
    return FALSE;
  for (const guchar *p = (const guchar *) name; *p != '\0'; p++)
    if (*p < 33 || *p > 126 || *p == ':')
      return FALSE;
  return TRUE;
}

static guint
line_at_offset (const char *data,
                gsize       length,
                gint64      offset)
{
  guint line = 1;
  gsize i;

  if (offset < 0)
    return 1;
  for (i = 0; i < length && i < (gsize) offset; i++)
    if (data[i] == '\n')
      line++;
  return line;
}

/* An .eml template: GMime reads the headers; the message builder later
 * takes the MIME parts from the bytes, which are kept as they are. */
static gboolean
template_load_eml (SinglyTemplate  *self,
                   const char      *data,
                   gsize            length,
                   GError         **error)
{
  GMimeStream *stream;
  GMimeParser *parser;
  GMimeMessage *message;
  GMimeHeaderList *list;
  g_autofree char *mended = NULL;
  gboolean ok = TRUE;
  int n_headers;
  int i;

  /* GMime cuts a header at a NUL byte and loses its line end with it:
   * the blank line after the headers then ends that header, and the body
   * is read as more headers, To: and Bcc: among them (found by
   * tests/fuzz/fuzz-eml). A message holds no NUL (RFC 5322 §2.3), and
   * binary parts need BINARYMIME, which Singly never asks for. */
  if (memchr (data, '\0', length) != NULL)
    {
      g_set_error_literal (error, SINGLY_TEMPLATE_ERROR, SINGLY_TEMPLATE_ERROR_ENCODING,
                           _("the file holds NUL bytes: it is not a text file"));
      return FALSE;
    }

  /* GMime ends lines at LF only, so a CR alone stays inside a header
   * value and went out as it was; the SMTP session sends it as a line
   * break, and what followed it became a header of its own, a Bcc: even
   * (found by tests/fuzz/fuzz-eml). A CR alone ends a line here too,
   * as in text templates, so GMime reads what the server will. */
  for (gsize k = 0; k < length; k++)
    if (data[k] == '\r' && (k + 1 == length || data[k + 1] != '\n'))
      {
        if (mended == NULL)
          mended = g_memdup2 (data, length);
        mended[k] = '\n';
      }
  if (mended != NULL)
    data = mended;

  self->eml = g_bytes_new (data, length);

  /* GMime 3.2 declares no g_autoptr() cleanups for its types. */
  stream = g_mime_stream_mem_new_with_buffer (data, length);
  parser = g_mime_parser_new_with_stream (stream);
  message = g_mime_parser_construct_message (parser, NULL);
  g_object_unref (parser);
  g_object_unref (stream);
  if (message == NULL)
    {
      set_error_at (error, SINGLY_TEMPLATE_ERROR_HEADER, 1, 1, _("not an e-mail message"));
      return FALSE;
    }

  list = g_mime_object_get_header_list (GMIME_OBJECT (message));
  n_headers = g_mime_header_list_get_count (list);

  for (i = 0; i < n_headers; i++)
    {
      GMimeHeader *header = g_mime_header_list_get_header_at (list, i);
      const char *name = g_mime_header_get_name (header);
      const char *raw = g_mime_header_get_raw_value (header);
      g_autofree char *unfolded = NULL;
      g_autofree char *decoded = NULL;
      SinglyTemplateText *text;
      guint line;
      char *p, *q;

      if (name == NULL || !eml_header_is_carried (name))
        continue;

      /* GMime takes any bytes before a colon as a name; such a header
       * would go into every message as it is (found by
       * tests/fuzz/fuzz-eml). RFC 5322 §2.2: printable ASCII, no colon. */
      if (!eml_header_name_is_valid (name))
        {
          g_autofree char *shown = g_utf8_make_valid (name, -1);

          set_error_at (error, SINGLY_TEMPLATE_ERROR_HEADER,
                        line_at_offset (data, length, g_mime_header_get_offset (header)), 1,
                        _("“%s” is not a valid header name"), shown);
          ok = FALSE;
          break;
        }

      /* RFC 5322 unfolding: line breaks go, the whitespace stays. */
      unfolded = g_strdup (raw != NULL ? raw : "");
      for (p = q = unfolded; *p != '\0'; p++)
        if (*p != '\r' && *p != '\n')
          *q++ = *p;
      *q = '\0';

      decoded = g_mime_utils_header_decode_text (NULL, g_strstrip (unfolded));
      line = line_at_offset (data, length, g_mime_header_get_offset (header));
      text = text_compile (decoded, strlen (decoded), SINGLY_ESCAPE_NONE,
                           line, g_utf8_strlen (name, -1) + 3, FALSE, NULL, error);
      if (text == NULL || !template_add_header (self, name, text, line, error))
        {
          ok = FALSE;
          break;
        }
    }

  g_object_unref (message);
  return ok;
}

/* Returns UTF-8 text with LF line ends, whatever the file had. */
static char *
template_decode (const char  *data,
                 gsize        length,
                 gsize       *out_length,
                 GError     **error)
{
  g_autoptr(SinglyDecoded) decoded = NULL;
  g_autofree char *copy = NULL;
  const char *text;
  gsize i, j;

  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
    }

  if (g_utf8_validate_len (data, length, NULL))
    {
      text = data;
    }
  else
    {
      g_autoptr(GError) local_error = NULL;

      decoded = singly_decode_text (data, length, NULL, &local_error);
      if (decoded == NULL)
        {
          g_set_error (error, SINGLY_TEMPLATE_ERROR, SINGLY_TEMPLATE_ERROR_ENCODING,
                       _("the file is not text in a known encoding: %s"), local_error->message);
          return NULL;
        }
      if (memchr (decoded->text, '\0', decoded->length) != NULL)
        {
          g_set_error_literal (error, SINGLY_TEMPLATE_ERROR, SINGLY_TEMPLATE_ERROR_ENCODING,
                               _("the file holds NUL bytes: it is not a text file"));
          return NULL;
        }
      text = decoded->text;
      length = decoded->length;
    }

  copy = g_malloc (length + 1);
  for (i = j = 0; i < length; i++)
    {
      if (text[i] == '\r')
        {
          copy[j++] = '\n';
          if (i + 1 < length && text[i + 1] == '\n')
            i++;
        }
      else
        copy[j++] = text[i];
    }
  copy[j] = '\0';
  *out_length = j;

  return g_steal_pointer (&copy);
}

static gboolean
template_load (SinglyTemplate  *self,
               const char      *data,
               gsize            length,
               GError         **error)
{
  g_autofree char *text = NULL;
  gsize text_length = 0;
  gboolean ok;

  if (self->format == SINGLY_BODY_EML)
    {
      ok = template_load_eml (self, data, length, error);
    }
  else
    {
      text = template_decode (data, length, &text_length, error);
      if (text == NULL)
        {
          if (self->path != NULL)
            g_prefix_error (error, "%s: ", self->path);
          return FALSE;
        }
      ok = template_load_text (self, text, text_length, error);
    }

  if (!ok && self->path != NULL)
    g_prefix_error (error, "%s:", self->path);

  return ok;
}

static void
singly_template_finalize (GObject *object)
{
  SinglyTemplate *self = SINGLY_TEMPLATE (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->base_dir, g_free);
  g_clear_pointer (&self->headers, g_array_unref);
  g_clear_pointer (&self->body, singly_template_text_unref);
  g_clear_pointer (&self->markdown, singly_template_text_unref);
  g_clear_pointer (&self->eml, g_bytes_unref);

  G_OBJECT_CLASS (singly_template_parent_class)->finalize (object);
}

static void
singly_template_class_init (SinglyTemplateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = singly_template_finalize;

  /* .eml templates need GMime. g_mime_init() counts its calls (3.2 keeps a
   * plain counter), so one more from here is harmless; class_init runs
   * once per process, under GType's lock. */
  g_mime_init ();
}

static void
singly_template_init (SinglyTemplate *self)
{
  self->headers = g_array_new (FALSE, FALSE, sizeof (Header));
  g_array_set_clear_func (self->headers, (GDestroyNotify) header_clear);
}

/* ------------------------------------------------------------------------ */
/* Public API                                                                */

/**
 * singly_template_format_for_path:
 * @path: a file name or path
 *
 * Returns: the body format that the extension of @path selects: `.md` and
 *   `.markdown` Markdown, `.html` and `.htm` HTML, `.eml` a message, and
 *   plain text for everything else
 */
SinglyBodyFormat
singly_template_format_for_path (const char *path)
{
  g_autofree char *base = NULL;
  const char *dot;

  g_return_val_if_fail (path != NULL, SINGLY_BODY_PLAIN);

  base = g_path_get_basename (path);
  dot = strrchr (base, '.');
  if (dot == NULL)
    return SINGLY_BODY_PLAIN;
  if (g_ascii_strcasecmp (dot, ".md") == 0 || g_ascii_strcasecmp (dot, ".markdown") == 0)
    return SINGLY_BODY_MARKDOWN;
  if (g_ascii_strcasecmp (dot, ".html") == 0 || g_ascii_strcasecmp (dot, ".htm") == 0)
    return SINGLY_BODY_HTML;
  if (g_ascii_strcasecmp (dot, ".eml") == 0)
    return SINGLY_BODY_EML;
  return SINGLY_BODY_PLAIN;
}

/**
 * singly_template_new_from_file:
 * @file: the template file
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Loads a template file; its extension gives the body format (see
 * singly_template_format_for_path()). Text in another encoding than UTF-8
 * is converted; CRLF line ends are accepted. Error messages start with the
 * file's path, "PATH:LINE:COLUMN: …".
 *
 * Returns: (transfer full) (nullable): the template, or %NULL on error
 */
SinglyTemplate *
singly_template_new_from_file (GFile         *file,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_autoptr(SinglyTemplate) self = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *path = NULL;
  gsize length = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  path = g_file_get_path (file);
  if (path == NULL)
    path = g_file_get_parse_name (file);

  if (!g_file_load_contents (file, cancellable, &contents, &length, NULL, &local_error))
    {
      g_set_error (error, SINGLY_TEMPLATE_ERROR, SINGLY_TEMPLATE_ERROR_IO,
                   "%s: %s", path, local_error->message);
      return NULL;
    }

  self = g_object_new (SINGLY_TYPE_TEMPLATE, NULL);
  self->format = singly_template_format_for_path (path);
  self->base_dir = g_path_get_dirname (path);
  self->path = g_steal_pointer (&path);

  if (!template_load (self, contents, length, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * singly_template_new_from_data:
 * @data: the template file's contents
 * @length: length of @data in bytes, or -1 if it is NUL-terminated
 * @format: the body format
 * @base_dir: (nullable): the folder that attachment paths are relative to
 * @error: return location for a #GError
 *
 * Like singly_template_new_from_file(), from memory; error messages start
 * with "LINE:COLUMN: ".
 *
 * Returns: (transfer full) (nullable): the template, or %NULL on error
 */
SinglyTemplate *
singly_template_new_from_data (const char        *data,
                               gssize             length,
                               SinglyBodyFormat   format,
                               const char        *base_dir,
                               GError           **error)
{
  g_autoptr(SinglyTemplate) self = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (format >= SINGLY_BODY_PLAIN && format <= SINGLY_BODY_EML, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (data == NULL)
    data = "";
  if (length < 0)
    length = strlen (data);

  self = g_object_new (SINGLY_TYPE_TEMPLATE, NULL);
  self->format = format;
  self->base_dir = g_strdup (base_dir);

  if (!template_load (self, data, length, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * singly_template_get_format:
 * @self: a template
 *
 * Returns: the body format
 */
SinglyBodyFormat
singly_template_get_format (SinglyTemplate *self)
{
  g_return_val_if_fail (SINGLY_IS_TEMPLATE (self), SINGLY_BODY_PLAIN);

  return self->format;
}

/**
 * singly_template_get_path:
 * @self: a template
 *
 * Returns: (nullable): the file the template was loaded from
 */
const char *
singly_template_get_path (SinglyTemplate *self)
{
  g_return_val_if_fail (SINGLY_IS_TEMPLATE (self), NULL);

  return self->path;
}

/**
 * singly_template_get_base_dir:
 * @self: a template
 *
 * Returns: (nullable): the folder that `Attach:` paths are relative to
 */
const char *
singly_template_get_base_dir (SinglyTemplate *self)
{
  g_return_val_if_fail (SINGLY_IS_TEMPLATE (self), NULL);

  return self->base_dir;
}

/**
 * singly_template_get_n_headers:
 * @self: a template
 *
 * Returns: the number of headers, in file order
 */
guint
singly_template_get_n_headers (SinglyTemplate *self)
{
  g_return_val_if_fail (SINGLY_IS_TEMPLATE (self), 0);

  return self->headers->len;
}

/**
 * singly_template_get_header_name:
 * @self: a template
 * @index: a header index
 *
 * Returns: the header's name as the file writes it
 */
const char *
singly_template_get_header_name (SinglyTemplate *self,
                                 guint           index)
{
  g_return_val_if_fail (SINGLY_IS_TEMPLATE (self), NULL);
  g_return_val_if_fail (index < self->headers->len, NULL);

  return g_array_index (self->headers, Header, index).name;
}

/**
 * singly_template_get_header:
 * @self: a template
 * @index: a header index
 *
 * Returns: (transfer none): the header's value, compiled without escaping
 */
SinglyTemplateText *
singly_template_get_header (SinglyTemplate *self,
                            guint           index)
{
  g_return_val_if_fail (SINGLY_IS_TEMPLATE (self), NULL);
  g_return_val_if_fail (index < self->headers->len, NULL);

  return g_array_index (self->headers, Header, index).text;
}

/**
 * singly_template_find_header:
 * @self: a template
 * @name: a header name, matched without regard to case
 *
 * Returns: the index of the first header called @name, or -1
 */
int
singly_template_find_header (SinglyTemplate *self,
                             const char     *name)
{
  guint i;

  g_return_val_if_fail (SINGLY_IS_TEMPLATE (self), -1);
  g_return_val_if_fail (name != NULL, -1);

  for (i = 0; i < self->headers->len; i++)
    if (g_ascii_strcasecmp (g_array_index (self->headers, Header, i).name, name) == 0)
      return i;
  return -1;
}

/**
 * singly_template_get_body:
 * @self: a template
 *
 * The body: plain text (%SINGLY_ESCAPE_NONE) for plain templates, HTML
 * (%SINGLY_ESCAPE_HTML) for HTML templates and for Markdown ones, whose
 * Markdown has been converted to HTML.
 *
 * Returns: (transfer none) (nullable): the body, or %NULL for .eml
 *   templates (see singly_template_get_eml())
 */
SinglyTemplateText *
singly_template_get_body (SinglyTemplate *self)
{
  g_return_val_if_fail (SINGLY_IS_TEMPLATE (self), NULL);

  return self->body;
}

/**
 * singly_template_get_markdown:
 * @self: a template
 *
 * The Markdown source of a Markdown template, compiled without escaping:
 * it is readable as it is, and can serve as the plain-text alternative.
 *
 * Returns: (transfer none) (nullable): the Markdown source, or %NULL for
 *   other formats
 */
SinglyTemplateText *
singly_template_get_markdown (SinglyTemplate *self)
{
  g_return_val_if_fail (SINGLY_IS_TEMPLATE (self), NULL);

  return self->markdown;
}

/**
 * singly_template_get_eml:
 * @self: a template
 *
 * Returns: (transfer none) (nullable): the whole file of an .eml template,
 *   or %NULL for other formats
 */
GBytes *
singly_template_get_eml (SinglyTemplate *self)
{
  g_return_val_if_fail (SINGLY_IS_TEMPLATE (self), NULL);

  return self->eml;
}

/**
 * singly_template_bind:
 * @self: a template
 * @columns: (array length=n_columns): the column names of the contact list
 * @n_columns: the number of columns
 * @error: return location for a #GError
 *
 * Binds every header and the body to the columns. The first unknown field
 * is a %SINGLY_TEMPLATE_ERROR_UNKNOWN_FIELD error, "PATH:LINE:COLUMN:
 * unknown field “x” (did you mean “y”?)"; positions in a Markdown template
 * are those of its Markdown source.
 *
 * Returns: %TRUE when every field is a column
 */
gboolean
singly_template_bind (SinglyTemplate      *self,
                      const char * const  *columns,
                      guint                n_columns,
                      GError             **error)
{
  g_autoptr(ColumnIndex) index = NULL;
  gboolean ok = TRUE;
  guint i;

  g_return_val_if_fail (SINGLY_IS_TEMPLATE (self), FALSE);
  g_return_val_if_fail (columns != NULL || n_columns == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  index = column_index_new (columns, n_columns);

  for (i = 0; i < self->headers->len && ok; i++)
    ok = text_resolve (g_array_index (self->headers, Header, i).text, index, NULL, error);

  /* The source goes first so that errors name Markdown positions. */
  if (ok && self->markdown != NULL)
    ok = text_resolve (self->markdown, index, NULL, error);
  if (ok && self->body != NULL)
    ok = text_resolve (self->body, index, NULL, error);

  if (!ok && self->path != NULL)
    g_prefix_error (error, "%s:", self->path);

  return ok;
}

/**
 * singly_template_check:
 * @self: a template
 * @columns: (array length=n_columns): the column names of the contact list
 * @n_columns: the number of columns
 *
 * Finds every unknown field of the template, for an editor or a report;
 * binds nothing.
 *
 * Returns: (transfer full) (element-type SinglyTemplateDiagnostic): the
 *   diagnostics in file order; empty when every field is a column
 */
GPtrArray *
singly_template_check (SinglyTemplate     *self,
                       const char * const *columns,
                       guint               n_columns)
{
  g_autoptr(ColumnIndex) index = NULL;
  GPtrArray *diagnostics;
  guint i;

  g_return_val_if_fail (SINGLY_IS_TEMPLATE (self), NULL);
  g_return_val_if_fail (columns != NULL || n_columns == 0, NULL);

  index = column_index_new (columns, n_columns);
  diagnostics = g_ptr_array_new_with_free_func ((GDestroyNotify) singly_template_diagnostic_free);

  for (i = 0; i < self->headers->len; i++)
    text_resolve (g_array_index (self->headers, Header, i).text, index, diagnostics, NULL);

  if (self->markdown != NULL)
    text_resolve (self->markdown, index, diagnostics, NULL);
  else if (self->body != NULL)
    text_resolve (self->body, index, diagnostics, NULL);

  return diagnostics;
}
