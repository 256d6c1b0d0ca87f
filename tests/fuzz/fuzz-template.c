/* fuzz-template.c: any bytes as a template file, and as template text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The same bytes are loaded as a plain-text, a Markdown and an HTML
 * template (the header block, decoding, the {{…}} compiler, cmark and the
 * tag protection around it), checked and bound against a fixed column
 * list, and rendered for a fixed contact; then compiled as bare template
 * text, the way the message builder compiles the text parts of an .eml.
 * Checked on the way: errors and diagnostics are UTF-8 with sane
 * positions, binding succeeds exactly when checking finds nothing, and
 * whatever is rendered from UTF-8 is UTF-8.
 */
#include "config.h"

#include <string.h>

#include "fuzz-util.h"
#include "singly-template.h"

/* The columns of the sample contact list, a CJK name, and one that
 * differs from a field only in spacing and case */
static const char * const columns[] = {
  "email", "first_name", "last_name", "company", "amount", "note", "Manager Email", "url", "名字",
};

/* Values with what escaping, fallbacks and sections must handle: HTML
 * specials, an empty one, a blank one, a line break, non-ASCII */
static const char * const values[] = {
  "alice@example.org", "Alice <b>&amp;\"'", "O'Neil", "   ", "1250.00", "two\nlines", "",
  "https://example.org/?a=1&b=2", "小明",
};

G_STATIC_ASSERT (G_N_ELEMENTS (columns) == G_N_ELEMENTS (values));

static void
check_error (const GError *error)
{
  fuzz_check (error != NULL && error->domain == SINGLY_TEMPLATE_ERROR);
  fuzz_check (fuzz_is_utf8 (error->message));
}

static void
render_checked (SinglyTemplateText *text,
                GString            *out)
{
  g_string_truncate (out, 0);
  singly_template_text_render (text, values, out);
  fuzz_check (g_utf8_validate (out->str, out->len, NULL));
}

static void
fuzz_template (const char       *data,
               gsize             size,
               SinglyBodyFormat  format)
{
  g_autoptr(SinglyTemplate) template = NULL;
  g_autoptr(GPtrArray) diagnostics = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  guint n_headers;
  gboolean bound;

  template = singly_template_new_from_data (data, (gssize) size, format, NULL, &error);
  if (template == NULL)
    {
      check_error (error);
      return;
    }
  fuzz_check (singly_template_get_format (template) == format);
  fuzz_check (singly_template_get_body (template) != NULL);
  fuzz_check ((singly_template_get_markdown (template) != NULL) == (format == SINGLY_BODY_MARKDOWN));

  n_headers = singly_template_get_n_headers (template);
  for (guint i = 0; i < n_headers; i++)
    {
      const char *name = singly_template_get_header_name (template, i);

      fuzz_check (name != NULL && name[0] != '\0' && fuzz_is_utf8 (name));
      fuzz_check (singly_template_find_header (template, name) >= 0);
      fuzz_check (singly_template_find_header (template, name) <= (int) i);
    }

  diagnostics = singly_template_check (template, columns, G_N_ELEMENTS (columns));
  for (guint i = 0; i < diagnostics->len; i++)
    {
      const SinglyTemplateDiagnostic *diagnostic = diagnostics->pdata[i];

      fuzz_check (diagnostic->line >= 1 && diagnostic->column >= 1);
      fuzz_check (fuzz_is_utf8 (diagnostic->message));
      fuzz_check (diagnostic->suggestion == NULL ||
                  g_strv_contains ((const char * const *) columns, diagnostic->suggestion) ||
                  fuzz_is_utf8 (diagnostic->suggestion));
    }

  bound = singly_template_bind (template, columns, G_N_ELEMENTS (columns), &error);
  if (!bound)
    {
      check_error (error);
      fuzz_check (error->code == SINGLY_TEMPLATE_ERROR_UNKNOWN_FIELD);
    }
  /* the editor's list of problems and the send button must agree */
  fuzz_check (bound == (diagnostics->len == 0));
  if (!bound)
    return;

  for (guint i = 0; i < n_headers; i++)
    render_checked (singly_template_get_header (template, i), out);
  render_checked (singly_template_get_body (template), out);
  if (format == SINGLY_BODY_MARKDOWN)
    render_checked (singly_template_get_markdown (template), out);
}

static void
fuzz_text (const char   *data,
           gsize         size,
           SinglyEscape  escape)
{
  g_autoptr(SinglyTemplateText) text = NULL;
  g_autoptr(GPtrArray) diagnostics = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *used = g_new0 (guint8, G_N_ELEMENTS (columns));
  g_autofree guint8 *required = g_new0 (guint8, G_N_ELEMENTS (columns));
  gboolean bound;

  text = singly_template_text_new (data, (gssize) size, escape, 3, 7, &error);
  if (text == NULL)
    {
      check_error (error);
      fuzz_check (error->code == SINGLY_TEMPLATE_ERROR_SYNTAX);
      return;
    }

  diagnostics = singly_template_text_check (text, columns, G_N_ELEMENTS (columns));
  bound = singly_template_text_bind (text, columns, G_N_ELEMENTS (columns), &error);
  fuzz_check (bound == (diagnostics->len == 0));
  if (!bound)
    {
      check_error (error);
      return;
    }

  singly_template_text_mark_columns (text, used, required);
  render_checked (text, out);
  if (singly_template_text_is_constant (text))
    {
      /* a constant text renders as itself, with no values at all */
      g_autoptr(GString) constant = g_string_new (NULL);

      singly_template_text_render (text, NULL, constant);
      fuzz_check (g_string_equal (constant, out));
    }
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;

  fuzz_template (text, size, SINGLY_BODY_PLAIN);
  fuzz_template (text, size, SINGLY_BODY_MARKDOWN);
  fuzz_template (text, size, SINGLY_BODY_HTML);

  /* bare template text is UTF-8 by contract; the file loaders decode */
  if (g_utf8_validate_len (text, size, NULL))
    {
      fuzz_text (text, size, SINGLY_ESCAPE_NONE);
      fuzz_text (text, size, SINGLY_ESCAPE_HTML);
    }

  return 0;
}
