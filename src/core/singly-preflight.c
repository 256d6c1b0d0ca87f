/* singly-preflight.c: what a careful colleague would say before you send
 *
 * Warnings never stop a send; problems (singly-problem.h) do. Everything
 * here reads the builder, the template and the contact list, so that the
 * command line and the window's preview say the same things.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "singly-core-resources.h"
#include "singly-html-text.h"
#include "singly-i18n.h"
#include "singly-preflight.h"

#define SPAM_WORDS_RESOURCE "/io/github/singly/Singly/core/spam-words.txt"

/* Stands in for every value when the template's own text is rendered: not
 * blank, so sections open, and not a letter, so it never joins two words
 * into a phrase of the list. */
#define NEUTRAL_VALUE "\xe2\x80\xa2"  /* U+2022 BULLET */

/* A subject "shouts" when a run of capitalised words has this many letters,
 * even if the rest is written normally: "FREE MONEY! Act now". Shorter runs
 * are usually abbreviations ("VAT", "IBM AG"). */
#define SHOUTING_RUN_LETTERS 8

typedef struct
{
  char     *word;       /* as the list writes it, for people */
  char     *key;        /* normalised as the text is, for matching */
  gboolean  substring;  /* Chinese and Japanese: no spaces between words */
} SpamWord;

/* What the template says about itself, worked out once per builder: the
 * template and the columns of a builder never change after it is made. */
typedef struct
{
  guint      n_columns;
  guint8    *used;
  guint8    *required;
  int        subject;             /* header index, or -1 */
  char     **spam_words;          /* found in the template's own text */
  gboolean   unsubscribe;         /* List-Unsubscribe, or the word in the text */
  gboolean   html_without_plain;  /* an .eml with HTML and no text/plain */
} Analysis;

#define ANALYSIS_KEY "singly-preflight-analysis"

/* ------------------------------------------------------------------------ */
/* SinglyWarning                                                             */

/**
 * singly_warning_new:
 * @kind: what the warning is about
 * @row: the row, or %SINGLY_PROBLEM_NO_ROW for the whole campaign
 * @format: a printf() format for the translated sentence
 *
 * Returns: (transfer full): a new warning; free it with singly_warning_free()
 */
SinglyWarning *
singly_warning_new (SinglyWarningKind  kind,
                    guint              row,
                    const char        *format,
                    ...)
{
  SinglyWarning *warning;
  va_list args;

  g_return_val_if_fail (format != NULL, NULL);

  warning = g_new0 (SinglyWarning, 1);
  warning->kind = kind;
  warning->row = row;
  va_start (args, format);
  warning->message = g_strdup_vprintf (format, args);
  va_end (args);

  return warning;
}

/**
 * singly_warning_free:
 * @warning: (nullable): a warning
 */
void
singly_warning_free (SinglyWarning *warning)
{
  if (warning == NULL)
    return;
  g_free (warning->message);
  g_free (warning);
}

/**
 * singly_warning_kind_name:
 *
 * Returns: a stable, untranslated identifier for @kind, as used in reports
 *   and machine-readable output
 */
const char *
singly_warning_kind_name (SinglyWarningKind kind)
{
  switch (kind)
    {
    case SINGLY_WARNING_PROBLEM_ROWS:       return "problem-rows";
    case SINGLY_WARNING_EMPTY_FIELD:        return "empty-field";
    case SINGLY_WARNING_MISSING_ATTACHMENT: return "missing-attachment";
    case SINGLY_WARNING_LARGE_MESSAGE:      return "large-message";
    case SINGLY_WARNING_EMPTY_SUBJECT:      return "empty-subject";
    case SINGLY_WARNING_SUBJECT_CAPS:       return "subject-caps";
    case SINGLY_WARNING_SUBJECT_EXCLAIM:    return "subject-exclaim";
    case SINGLY_WARNING_SPAM_WORDS:         return "spam-words";
    case SINGLY_WARNING_NO_PLAIN_TEXT:      return "no-plain-text";
    case SINGLY_WARNING_NO_UNSUBSCRIBE:     return "no-unsubscribe";
    default:                                return "unknown";
    }
}

/* ------------------------------------------------------------------------ */
/* Text tests                                                                */

static gboolean
value_is_blank (const char *value)
{
  if (value == NULL)
    return TRUE;
  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* Scripts written without spaces between words: a word of the list in
 * one of them can only be found as a substring. */
static gboolean
unichar_is_unspaced (gunichar c)
{
  switch (g_unichar_get_script (c))
    {
    case G_UNICODE_SCRIPT_HAN:
    case G_UNICODE_SCRIPT_HIRAGANA:
    case G_UNICODE_SCRIPT_KATAKANA:
    case G_UNICODE_SCRIPT_THAI:
    case G_UNICODE_SCRIPT_LAO:
    case G_UNICODE_SCRIPT_KHMER:
    case G_UNICODE_SCRIPT_MYANMAR:
      return TRUE;
    default:
      return FALSE;
    }
}

/* A character that continues a Latin-script word: "free" in "freedom" is
 * no match, "free" in "free!" or "免费free" is. */
static gboolean
unichar_is_word (gunichar c)
{
  return g_unichar_isalnum (c) && !unichar_is_unspaced (c);
}

/* The form both the list and the text are compared in: compatibility
 * forms folded (ＦＲＥＥ → free), case folded, typographic apostrophes
 * made plain, and each run of white space one space, so that a phrase
 * broken over two lines is still found. */
static char *
normalise (const char *text)
{
  g_autofree char *nfkc = g_utf8_normalize (text, -1, G_NORMALIZE_ALL_COMPOSE);
  g_autofree char *folded = NULL;
  g_autoptr(GString) out = NULL;
  gboolean in_space = FALSE;

  if (nfkc == NULL)  /* not UTF-8: nothing we could match */
    return g_strdup ("");
  folded = g_utf8_casefold (nfkc, -1);
  out = g_string_sized_new (strlen (folded));

  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          if (!in_space)
            g_string_append_c (out, ' ');
          in_space = TRUE;
          continue;
        }
      in_space = FALSE;
      if (c == 0x2019 || c == 0x2018 || c == 0x02BC)
        g_string_append_c (out, '\'');
      else
        g_string_append_unichar (out, c);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
spam_word_free (gpointer data)
{
  SpamWord *word = data;

  g_free (word->word);
  g_free (word->key);
  g_free (word);
}

static GPtrArray *
spam_words_parse (const char *data,
                  gsize       length)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (spam_word_free);
  g_auto(GStrv) lines = NULL;
  g_autofree char *text = g_strndup (data, length);

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      SpamWord *word;

      if (*line == '\0' || *line == '#' || !g_utf8_validate (line, -1, NULL))
        continue;

      word = g_new0 (SpamWord, 1);
      word->word = g_strdup (line);
      word->key = normalise (line);
      for (const char *p = word->key; *p != '\0' && !word->substring; p = g_utf8_next_char (p))
        word->substring = unichar_is_unspaced (g_utf8_get_char (p));
      if (*word->key == '\0')
        spam_word_free (word);
      else
        g_ptr_array_add (words, word);
    }

  return words;
}

/* The list is compiled into the core library (singly-core.gresource.xml),
 * read once and kept for the life of the process. Looking it up in our
 * own resource rather than the global ones means it is found whether or
 * not the generated constructor ran: a static library may lose it. */
static GPtrArray *
spam_words_get (void)
{
  static GPtrArray *words;

  if (g_once_init_enter (&words))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      GPtrArray *parsed;

      bytes = g_resource_lookup_data (singly_core_get_resource (), SPAM_WORDS_RESOURCE,
                                      G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
      if (bytes == NULL)
        {
          g_critical ("%s: %s", SPAM_WORDS_RESOURCE, error->message);
          parsed = g_ptr_array_new_with_free_func (spam_word_free);
        }
      else
        parsed = spam_words_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      g_once_init_leave (&words, parsed);
    }

  return words;
}

static gboolean
find_key (const char     *text,
          const SpamWord *word)
{
  gsize key_length = strlen (word->key);

  if (word->substring)
    return strstr (text, word->key) != NULL;

  for (const char *hit = strstr (text, word->key); hit != NULL; hit = strstr (hit + 1, word->key))
    {
      const char *after = hit + key_length;
      gboolean starts_word = unichar_is_word (g_utf8_get_char (word->key));
      gboolean ends_word = unichar_is_word (g_utf8_get_char (g_utf8_prev_char (after)));

      /* only sides of the entry that are word characters need a boundary:
       * "100% free" may follow anything that is not part of a word */
      if (starts_word && hit > text &&
          unichar_is_word (g_utf8_get_char (g_utf8_prev_char (hit))))
        continue;
      if (ends_word && *after != '\0' && unichar_is_word (g_utf8_get_char (after)))
        continue;
      return TRUE;
    }

  return FALSE;
}

/**
 * singly_preflight_find_spam_words:
 * @text: UTF-8 text: a subject, or a body as text
 *
 * Finds the words and phrases of Singly's spam-word list in @text. Case
 * and character width do not matter; English entries match whole words
 * only ("free money", not "carefree moneybox"), Chinese ones anywhere. An
 * entry found only as part of a longer one that is found ("winner" in
 * "you're a winner") is not named twice.
 *
 * Returns: (transfer full) (array zero-terminated=1): the entries found, as
 *   the list writes them, in list order; empty when there are none
 */
char **
singly_preflight_find_spam_words (const char *text)
{
  GPtrArray *list;
  g_autofree char *normal = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GStrvBuilder) result = g_strv_builder_new ();

  g_return_val_if_fail (text != NULL, NULL);

  list = spam_words_get ();
  normal = normalise (text);
  found = g_ptr_array_new ();

  for (guint i = 0; i < list->len; i++)
    if (find_key (normal, list->pdata[i]))
      g_ptr_array_add (found, list->pdata[i]);

  for (guint i = 0; i < found->len; i++)
    {
      const SpamWord *word = found->pdata[i];
      gboolean inside = FALSE;

      for (guint j = 0; j < found->len && !inside; j++)
        {
          const SpamWord *other = found->pdata[j];

          inside = j != i && strlen (other->key) > strlen (word->key) &&
                   strstr (other->key, word->key) != NULL;
        }
      if (!inside)
        g_strv_builder_add (result, word->word);
    }

  return g_strv_builder_end (result);
}

/**
 * singly_preflight_is_shouting:
 * @text: UTF-8 text, usually a subject
 * @words: (out) (optional) (nullable) (transfer full): the capitalised
 *   words when only part of @text shouts, %NULL when all of it does
 *
 * Whether @text is written in capitals, as spam filters and readers take
 * it: either mostly (at least five letters that have a case, and 70% of
 * them capitals), or with a run of capitalised words long enough not to be
 * an abbreviation ("FREE MONEY! Act now").
 *
 * Returns: %TRUE when @text shouts
 */
gboolean
singly_preflight_is_shouting (const char  *text,
                              char       **words)
{
  guint n_cased = 0, n_upper = 0;
  const char *run_start = NULL, *run_end = NULL;
  guint run_words = 0, run_letters = 0;
  const char *best_start = NULL, *best_end = NULL;
  guint best_letters = 0;
  const char *p;

  if (words != NULL)
    *words = NULL;
  g_return_val_if_fail (text != NULL, FALSE);

  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;

  p = text;
  while (*p != '\0')
    {
      const char *word_start;
      guint upper = 0, lower = 0;

      if (!g_unichar_isalnum (g_utf8_get_char (p)))
        {
          p = g_utf8_next_char (p);
          continue;
        }

      /* one word: letters and digits, with inner apostrophes and hyphens */
      word_start = p;
      while (*p != '\0')
        {
          gunichar c = g_utf8_get_char (p);
          const char *next = g_utf8_next_char (p);

          if (g_unichar_isupper (c) || g_unichar_istitle (c))
            upper++;
          else if (g_unichar_islower (c))
            lower++;
          else if (!g_unichar_isalnum (c) &&
                   !((c == '\'' || c == '-' || c == 0x2019) && g_unichar_isalnum (g_utf8_get_char (next))))
            break;
          p = next;
        }

      n_cased += upper + lower;
      n_upper += upper;

      if (upper > 0 && lower == 0)
        {
          if (run_words == 0)
            run_start = word_start;
          run_end = p;
          run_words++;
          run_letters += upper;
          if (run_words >= 2 && run_letters > best_letters)
            {
              best_start = run_start;
              best_end = run_end;
              best_letters = run_letters;
            }
        }
      else if (lower > 0)
        {
          run_words = 0;
          run_letters = 0;
        }
      /* words without case (numbers, Chinese) neither extend nor end a run */
    }

  if (n_cased >= 5 && n_upper * 10 >= n_cased * 7)
    return TRUE;
  if (best_letters < SHOUTING_RUN_LETTERS)
    return FALSE;
  if (words != NULL)
    *words = g_strndup (best_start, best_end - best_start);
  return TRUE;
}

/**
 * singly_preflight_has_exclamation:
 * @text: UTF-8 text, usually a subject
 *
 * Whether @text has two or more exclamation marks in a row, or an
 * exclamation mark next to a question mark ("?!", "!?"), in their ASCII or
 * full-width forms.
 *
 * Returns: %TRUE when spam filters would count the punctuation against it
 */
gboolean
singly_preflight_has_exclamation (const char *text)
{
  g_autofree char *nfkc = NULL;
  guint run = 0;
  gboolean run_has_bang = FALSE;

  g_return_val_if_fail (text != NULL, FALSE);

  /* NFKC makes ！ and ？ ASCII, and splits ‼ and ⁉ into two marks */
  nfkc = g_utf8_normalize (text, -1, G_NORMALIZE_ALL_COMPOSE);
  if (nfkc == NULL)
    return FALSE;

  for (const char *p = nfkc; ; p++)
    {
      if (*p == '!' || *p == '?')
        {
          run++;
          run_has_bang |= *p == '!';
          continue;
        }
      if (run >= 2 && run_has_bang)
        return TRUE;
      run = 0;
      run_has_bang = FALSE;
      if (*p == '\0')
        break;
    }

  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* What the template says about itself                                       */

static void
analysis_free (gpointer data)
{
  Analysis *analysis = data;

  g_free (analysis->used);
  g_free (analysis->required);
  g_strfreev (analysis->spam_words);
  g_free (analysis);
}

/* Renders @text once with every value blank and once with every value
 * present, so that the template's own words in every branch — fallbacks,
 * {{^field}} and {{#field}} sections — are seen, and no contact's. */
static void
append_template_words (SinglyTemplateText *text,
                       gboolean            is_html,
                       const char * const *blank,
                       const char * const *neutral,
                       GString            *words,
                       GString            *raw)
{
  const char * const *values[] = { blank, neutral };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      gsize start = raw->len;

      singly_template_text_render (text, values[i], raw);
      if (is_html)
        {
          g_autofree char *plain = singly_html_to_text (raw->str + start, raw->len - start);

          g_string_append (words, plain);
        }
      else
        g_string_append_len (words, raw->str + start, raw->len - start);
      g_string_append_c (words, '\n');
      g_string_append_c (raw, '\n');
    }
}

static void
collect_text_parts (GMimeObject *object,
                    GPtrArray   *parts)
{
  if (GMIME_IS_MULTIPART (object))
    {
      GMimeMultipart *multipart = GMIME_MULTIPART (object);
      int n = g_mime_multipart_get_count (multipart);

      for (int i = 0; i < n; i++)
        collect_text_parts (g_mime_multipart_get_part (multipart, i), parts);
    }
  else if (GMIME_IS_MESSAGE_PART (object))
    return;  /* a forwarded message is content, not the template's text */
  else if (GMIME_IS_TEXT_PART (object) && !g_mime_part_is_attachment (GMIME_PART (object)))
    g_ptr_array_add (parts, object);
}

/* The text parts of an .eml template, compiled and bound as the builder
 * does (its compiled parts are its own); also whether it has HTML without
 * plain text, which the builder keeps as it is. */
static void
analyse_eml (Analysis            *analysis,
             SinglyTemplate      *template,
             const char * const  *columns,
             guint                n_columns,
             const char * const  *blank,
             const char * const  *neutral,
             GString             *words,
             GString             *raw)
{
  GBytes *eml = singly_template_get_eml (template);
  g_autoptr(GMimeStream) stream = NULL;
  g_autoptr(GMimeParser) parser = NULL;
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  gboolean has_html = FALSE, has_plain = FALSE;

  if (eml == NULL)
    return;

  /* GMime is ready: the template's class_init set it up */
  stream = g_mime_stream_mem_new_with_buffer (g_bytes_get_data (eml, NULL), g_bytes_get_size (eml));
  parser = g_mime_parser_new_with_stream (stream);
  message = g_mime_parser_construct_message (parser, NULL);
  if (message != NULL && g_mime_message_get_mime_part (message) != NULL)
    collect_text_parts (g_mime_message_get_mime_part (message), parts);

  for (guint i = 0; i < parts->len; i++)
    {
      GMimeTextPart *part = parts->pdata[i];
      GMimeContentType *type = g_mime_object_get_content_type (GMIME_OBJECT (part));
      gboolean is_html = g_mime_content_type_is_type (type, "text", "html");
      g_autoptr(SinglyTemplateText) text = NULL;
      g_autofree char *source = g_mime_text_part_get_text (part);

      has_html |= is_html;
      has_plain |= g_mime_content_type_is_type (type, "text", "plain");

      text = singly_template_text_new (source ? source : "", -1,
                                       is_html ? SINGLY_ESCAPE_HTML : SINGLY_ESCAPE_NONE,
                                       1, 1, NULL);
      /* the builder compiled and bound the same parts, so this holds */
      if (text == NULL || !singly_template_text_bind (text, columns, n_columns, NULL))
        continue;
      singly_template_text_mark_columns (text, analysis->used, analysis->required);
      append_template_words (text, is_html, blank, neutral, words, raw);
    }

  analysis->html_without_plain = has_html && !has_plain;
}

static gboolean
mentions_unsubscribe (const char *text)
{
  static const char * const phrases[] = { "unsubscribe", "退订", "取消订阅" };
  g_autofree char *folded = g_utf8_casefold (text, -1);

  for (guint i = 0; i < G_N_ELEMENTS (phrases); i++)
    if (strstr (folded, phrases[i]) != NULL)
      return TRUE;
  return FALSE;
}

static Analysis *
analysis_get (SinglyMessageBuilder *builder)
{
  SinglyContactList *contacts = singly_message_builder_get_contacts (builder);
  SinglyTemplate *template = singly_message_builder_get_template (builder);
  Analysis *analysis = g_object_get_data (G_OBJECT (builder), ANALYSIS_KEY);
  const char * const *columns;
  g_autofree const char **blank = NULL;
  g_autofree const char **neutral = NULL;
  g_autoptr(GString) words = NULL;
  g_autoptr(GString) raw = NULL;
  SinglyTemplateText *body;
  gboolean body_is_html;
  guint n_headers;

  if (analysis != NULL)
    return analysis;

  analysis = g_new0 (Analysis, 1);
  analysis->n_columns = singly_contact_list_get_n_columns (contacts);
  analysis->used = g_new0 (guint8, MAX (analysis->n_columns, 1));
  analysis->required = g_new0 (guint8, MAX (analysis->n_columns, 1));
  analysis->subject = singly_template_find_header (template, "Subject");
  columns = singly_contact_list_get_column_names (contacts);

  blank = g_new0 (const char *, analysis->n_columns + 1);
  neutral = g_new0 (const char *, analysis->n_columns + 1);
  for (guint c = 0; c < analysis->n_columns; c++)
    {
      blank[c] = "";
      neutral[c] = NEUTRAL_VALUE;
    }

  words = g_string_new (NULL);
  raw = g_string_new (NULL);

  n_headers = singly_template_get_n_headers (template);
  for (guint i = 0; i < n_headers; i++)
    singly_template_text_mark_columns (singly_template_get_header (template, i),
                                       analysis->used, analysis->required);
  if (analysis->subject >= 0)
    {
      g_autoptr(GString) subject_raw = g_string_new (NULL);

      append_template_words (singly_template_get_header (template, analysis->subject), FALSE,
                             blank, neutral, words, subject_raw);
    }

  body = singly_template_get_body (template);
  body_is_html = singly_template_get_format (template) != SINGLY_BODY_PLAIN;
  if (body != NULL)
    {
      singly_template_text_mark_columns (body, analysis->used, analysis->required);
      append_template_words (body, body_is_html, blank, neutral, words, raw);
    }
  if (singly_template_get_format (template) == SINGLY_BODY_EML)
    analyse_eml (analysis, template, columns, analysis->n_columns, blank, neutral, words, raw);

  analysis->spam_words = singly_preflight_find_spam_words (words->str);
  /* a link in the HTML counts: the word is often only in its address */
  analysis->unsubscribe = singly_template_find_header (template, "List-Unsubscribe") >= 0 ||
                          mentions_unsubscribe (raw->str) || mentions_unsubscribe (words->str);

  g_object_set_data_full (G_OBJECT (builder), ANALYSIS_KEY, analysis, analysis_free);
  return analysis;
}

/* ------------------------------------------------------------------------ */
/* Warnings                                                                  */

static char *
quote_list (const char * const *items)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; items[i] != NULL; i++)
    {
      if (i > 0)
        /* Translators: between the items of a list of quoted words */
        g_string_append (out, _(", "));
      g_string_append_printf (out, _("“%s”"), items[i]);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The subject's tone, which only makes sense for a rendered subject */
static void
check_subject (GPtrArray  *warnings,
               guint       row,
               const char *subject,
               gboolean    whole_campaign)
{
  g_autofree char *shouting = NULL;
  g_auto(GStrv) spam = NULL;

  if (singly_preflight_is_shouting (subject, &shouting))
    {
      if (shouting == NULL)
        g_ptr_array_add (warnings, singly_warning_new (SINGLY_WARNING_SUBJECT_CAPS, row,
                                                       _("The subject is mostly capital letters, which spam filters count against it")));
      else
        g_ptr_array_add (warnings, singly_warning_new (SINGLY_WARNING_SUBJECT_CAPS, row,
                                                       _("The subject has words in capitals (“%s”), which spam filters count against it"),
                                                       shouting));
    }

  if (singly_preflight_has_exclamation (subject))
    g_ptr_array_add (warnings, singly_warning_new (SINGLY_WARNING_SUBJECT_EXCLAIM, row,
                                                   _("The subject has several exclamation marks in a row, which spam filters count against it")));

  /* the campaign names the words of the whole template instead */
  if (whole_campaign)
    return;

  spam = singly_preflight_find_spam_words (subject);
  if (spam[0] != NULL)
    {
      g_autofree char *list = quote_list ((const char * const *) spam);
      guint n = g_strv_length (spam);

      g_ptr_array_add (warnings, singly_warning_new (SINGLY_WARNING_SPAM_WORDS, row,
                                                     g_dngettext (GETTEXT_PACKAGE,
                                                                  "The subject has a word that spam filters count against it: %s",
                                                                  "The subject has words that spam filters count against it: %s",
                                                                  n),
                                                     list));
    }
}

static guint
first_sendable_row (SinglyMessageBuilder *builder,
                    guint                 n_rows)
{
  for (guint row = 0; row < n_rows; row++)
    if (singly_message_builder_row_is_sendable (builder, row))
      return row;
  return n_rows;
}

/**
 * singly_preflight_check_campaign:
 * @builder: a builder on which singly_message_builder_check() has run
 *
 * What to tell the user about the campaign as a whole before it is sent:
 * rows that will not be sent, missing attachments, an empty or shouting
 * subject, words that spam filters weigh, HTML without plain text, a large
 * send without a way to unsubscribe. None of these stops a send.
 *
 * The template's analysis is kept on @builder; call this and
 * singly_preflight_check_message() from the thread that owns @builder.
 *
 * Returns: (transfer full) (element-type SinglyWarning): the warnings, in
 *   the order of #SinglyWarningKind's concerns; empty when all is well
 */
GPtrArray *
singly_preflight_check_campaign (SinglyMessageBuilder *builder)
{
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GHashTable) missing_rows = NULL;
  SinglyContactList *contacts;
  SinglyTemplate *template;
  Analysis *analysis;
  guint n_rows, n_sendable, n_problem_rows = 0;
  guint n_problems;

  g_return_val_if_fail (SINGLY_IS_MESSAGE_BUILDER (builder), NULL);

  warnings = g_ptr_array_new_with_free_func ((GDestroyNotify) singly_warning_free);
  contacts = singly_message_builder_get_contacts (builder);
  template = singly_message_builder_get_template (builder);
  analysis = analysis_get (builder);
  n_rows = singly_contact_list_get_n_rows (contacts);
  n_sendable = 0;

  for (guint row = 0; row < n_rows; row++)
    {
      if (singly_message_builder_row_is_sendable (builder, row))
        n_sendable++;
      else if (singly_contact_list_row_has_problem (contacts, row) ||
               singly_message_builder_row_has_problem (builder, row))
        n_problem_rows++;
    }

  if (n_problem_rows > 0)
    g_ptr_array_add (warnings, singly_warning_new (SINGLY_WARNING_PROBLEM_ROWS, SINGLY_PROBLEM_NO_ROW,
                                                   g_dngettext (GETTEXT_PACKAGE,
                                                                "%u row will not be sent: see the problems list",
                                                                "%u rows will not be sent: see the problems list",
                                                                n_problem_rows),
                                                   n_problem_rows));

  missing_rows = g_hash_table_new (NULL, NULL);
  n_problems = singly_message_builder_get_n_problems (builder);
  for (guint i = 0; i < n_problems; i++)
    {
      const SinglyProblem *problem = singly_message_builder_get_problem (builder, i);

      if (problem->kind == SINGLY_PROBLEM_MISSING_ATTACHMENT)
        g_hash_table_add (missing_rows, GUINT_TO_POINTER (problem->row));
    }
  if (g_hash_table_size (missing_rows) > 0)
    {
      guint n = g_hash_table_size (missing_rows);

      g_ptr_array_add (warnings, singly_warning_new (SINGLY_WARNING_MISSING_ATTACHMENT, SINGLY_PROBLEM_NO_ROW,
                                                     g_dngettext (GETTEXT_PACKAGE,
                                                                  "An attachment is missing for %u row",
                                                                  "An attachment is missing for %u rows",
                                                                  n),
                                                     n));
    }

  if (analysis->subject < 0)
    g_ptr_array_add (warnings, singly_warning_new (SINGLY_WARNING_EMPTY_SUBJECT, SINGLY_PROBLEM_NO_ROW,
                                                   _("The template has no subject")));
  else
    {
      SinglyTemplateText *subject = singly_template_get_header (template, analysis->subject);
      g_autoptr(GString) rendered = g_string_new (NULL);
      guint n_empty = 0;
      guint first;

      for (guint row = 0; row < n_rows; row++)
        {
          if (!singly_message_builder_row_is_sendable (builder, row))
            continue;
          g_string_truncate (rendered, 0);
          singly_template_text_render (subject, singly_contact_list_get_row (contacts, row), rendered);
          n_empty += value_is_blank (rendered->str);
        }
      if (n_empty > 0)
        g_ptr_array_add (warnings, singly_warning_new (SINGLY_WARNING_EMPTY_SUBJECT, SINGLY_PROBLEM_NO_ROW,
                                                       g_dngettext (GETTEXT_PACKAGE,
                                                                    "The subject is empty for %u row",
                                                                    "The subject is empty for %u rows",
                                                                    n_empty),
                                                       n_empty));

      /* the first message stands for all: the tone is the template's */
      first = first_sendable_row (builder, n_rows);
      if (first == n_rows && n_rows > 0)
        first = 0;
      if (first < n_rows)
        {
          g_string_truncate (rendered, 0);
          singly_template_text_render (subject, singly_contact_list_get_row (contacts, first), rendered);
          check_subject (warnings, SINGLY_PROBLEM_NO_ROW, g_strstrip (rendered->str), TRUE);
        }
    }

  if (analysis->spam_words[0] != NULL)
    {
      g_autofree char *list = quote_list ((const char * const *) analysis->spam_words);
      guint n = g_strv_length (analysis->spam_words);

      g_ptr_array_add (warnings, singly_warning_new (SINGLY_WARNING_SPAM_WORDS, SINGLY_PROBLEM_NO_ROW,
                                                     g_dngettext (GETTEXT_PACKAGE,
                                                                  "The template has a word that spam filters count against it: %s",
                                                                  "The template has words that spam filters count against it: %s",
                                                                  n),
                                                     list));
    }

  if (analysis->html_without_plain)
    g_ptr_array_add (warnings, singly_warning_new (SINGLY_WARNING_NO_PLAIN_TEXT, SINGLY_PROBLEM_NO_ROW,
                                                   _("The message has HTML but no plain-text part; spam filters count that against it, and some readers see nothing")));

  if (n_sendable > SINGLY_PREFLIGHT_LARGE_SEND && !analysis->unsubscribe)
    g_ptr_array_add (warnings, singly_warning_new (SINGLY_WARNING_NO_UNSUBSCRIBE, SINGLY_PROBLEM_NO_ROW,
                                                   g_dngettext (GETTEXT_PACKAGE,
                                                                "This goes to %u recipient with no way to unsubscribe: add a List-Unsubscribe header or an unsubscribe link",
                                                                "This goes to %u recipients with no way to unsubscribe: add a List-Unsubscribe header or an unsubscribe link",
                                                                n_sendable),
                                                   n_sendable));

  return g_steal_pointer (&warnings);
}

/**
 * singly_preflight_check_message:
 * @builder: the builder that made @message
 * @message: a message
 * @size: the size of @message in bytes as it will be sent, or 0 to have
 *   it measured
 *
 * What to tell the user about one message: fields the template uses that
 * are empty for this contact (even when a fallback fills the gap), a size
 * many servers refuse, and the tone of this message's subject.
 *
 * Returns: (transfer full) (element-type SinglyWarning): the warnings;
 *   empty when all is well
 */
GPtrArray *
singly_preflight_check_message (SinglyMessageBuilder *builder,
                                SinglyMessage        *message,
                                gsize                 size)
{
  g_autoptr(GPtrArray) warnings = NULL;
  SinglyContactList *contacts;
  Analysis *analysis;
  const char * const *values;
  const char *subject;
  int address_column;
  guint row;

  g_return_val_if_fail (SINGLY_IS_MESSAGE_BUILDER (builder), NULL);
  g_return_val_if_fail (message != NULL, NULL);
  g_return_val_if_fail (GMIME_IS_MESSAGE (message->mime), NULL);

  contacts = singly_message_builder_get_contacts (builder);
  g_return_val_if_fail (message->row < singly_contact_list_get_n_rows (contacts), NULL);

  warnings = g_ptr_array_new_with_free_func ((GDestroyNotify) singly_warning_free);
  analysis = analysis_get (builder);
  row = message->row;
  values = singly_contact_list_get_row (contacts, row);
  address_column = singly_contact_list_get_address_column (contacts);

  for (guint c = 0; c < analysis->n_columns; c++)
    {
      const char *name = singly_contact_list_get_column_name (contacts, c);

      if (!analysis->used[c] || (int) c == address_column || !value_is_blank (values[c]))
        continue;
      /* a required empty field is a problem row already; said here too,
       * since a preview may show a row that will not be sent */
      if (analysis->required[c])
        g_ptr_array_add (warnings, singly_warning_new (SINGLY_WARNING_EMPTY_FIELD, row,
                                                       _("“%s” is empty, and the template uses it without a fallback"),
                                                       name));
      else
        g_ptr_array_add (warnings, singly_warning_new (SINGLY_WARNING_EMPTY_FIELD, row,
                                                       _("“%s” is empty: the fallback or the text for an empty value is used"),
                                                       name));
    }

  if (size == 0)
    {
      g_autoptr(GBytes) bytes = singly_message_to_bytes (message);

      size = g_bytes_get_size (bytes);
    }
  if (size > SINGLY_PREFLIGHT_LARGE_MESSAGE)
    g_ptr_array_add (warnings, singly_warning_new (SINGLY_WARNING_LARGE_MESSAGE, row,
                                                   _("The message is %.1f MB; many servers refuse messages over %u MB"),
                                                   size / (1024.0 * 1024.0),
                                                   (guint) (SINGLY_PREFLIGHT_LARGE_MESSAGE / (1024 * 1024))));

  subject = g_mime_message_get_subject (message->mime);
  if (subject == NULL || value_is_blank (subject))
    g_ptr_array_add (warnings, singly_warning_new (SINGLY_WARNING_EMPTY_SUBJECT, row,
                                                   _("The subject is empty")));
  else
    check_subject (warnings, row, subject, FALSE);

  return g_steal_pointer (&warnings);
}
