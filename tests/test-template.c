/* test-template.c: the template language and template files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "singly-template.h"
#include "singly-test-util.h"

/* The columns of the sample contacts.csv, and some of its rows, written
 * out here so that these tests do not depend on the contacts module. */
static const char * const columns[] = {
  "email", "first_name", "last_name", "company", "amount", "note",
};
#define N_COLUMNS G_N_ELEMENTS (columns)

static const char * const alice[] = {
  "alice.martin@example.com", "Alice", "Martin", "Acme Ltd", "1250.00", "",
};
static const char * const bob[] = {
  "bob.oneil@example.org", "Bob", "O'Neil", "O'Neil & Sons", "80.5", "Prefers \"Bob\"",
};
static const char * const wang[] = {
  "wang.xiaoming@example.cn", "小明", "王", "北京示例科技有限公司", "3200", "",
};
/* Whitespace-only cells count as empty: space, tab, NBSP, ideographic space. */
static const char * const blank[] = {
  "x@example.com", " \t", "", "\u00a0\u3000", "", "  ",
};

static char *
render (SinglyTemplateText *text,
        const char * const *values)
{
  g_autoptr(GString) out = g_string_new (NULL);

  singly_template_text_render (text, values, out);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
compile_and_render (const char         *source,
                    SinglyEscape        escape,
                    const char * const *values)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyTemplateText) text = singly_template_text_new (source, -1, escape, 1, 1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (text);
  singly_template_text_bind (text, columns, N_COLUMNS, &error);
  g_assert_no_error (error);
  return render (text, values);
}

/* ------------------------------------------------------------------------ */
/* Rendering                                                                 */

typedef struct
{
  const char          *name;
  const char          *source;
  SinglyEscape         escape;
  const char * const  *values;
  const char          *expected;
} RenderCase;

#define NONE SINGLY_ESCAPE_NONE
#define HTML SINGLY_ESCAPE_HTML

static const RenderCase render_cases[] = {
  { "field", "Hello {{first_name}}!", NONE, alice, "Hello Alice!" },
  { "field-spaces", "Hello {{ first_name }} {{\tlast_name\t}}", NONE, alice, "Hello Alice Martin" },
  { "field-case", "{{FIRST_NAME}} {{First_Name}}", NONE, alice, "Alice Alice" },
  { "adjacent", "{{first_name}}{{last_name}}", NONE, bob, "BobO'Neil" },
  { "unicode-value", "你好，{{last_name}}{{first_name}}！", NONE, wang, "你好，王小明！" },
  { "no-tags", "plain text { } }} {x}", NONE, alice, "plain text { } }} {x}" },
  { "stray-close", "a }} b }}}", NONE, alice, "a }} b }}}" },
  { "empty", "", NONE, alice, "" },

  { "fallback-unused", "Dear {{first_name|Customer}}", NONE, alice, "Dear Alice" },
  { "fallback-empty", "Dear {{first_name|Customer}}", NONE, blank, "Dear Customer" },
  { "fallback-trimmed", "Dear {{ first_name | valued customer }}!", NONE, blank, "Dear valued customer!" },
  { "fallback-whitespace-value", "[{{company|none}}]", NONE, blank, "[none]" },
  { "fallback-explicit-empty", "[{{note|}}]", NONE, blank, "[]" },
  { "fallback-bar", "{{note|a|b}}", NONE, alice, "a|b" },
  { "no-fallback-blank", "[{{note}}]", NONE, blank, "[  ]" },

  { "section-on", "A{{#note}}[{{note}}]{{/note}}B", NONE, bob, "A[Prefers \"Bob\"]B" },
  { "section-off", "A{{#note}}[{{note}}]{{/note}}B", NONE, alice, "AB" },
  { "section-blank", "A{{#note}}[{{note}}]{{/note}}B", NONE, blank, "AB" },
  { "inverted-on", "{{^note}}No notes.{{/note}}", NONE, alice, "No notes." },
  { "inverted-off", "{{^note}}No notes.{{/note}}", NONE, bob, "" },
  { "both", "{{#note}}Note: {{note}}{{/note}}{{^note}}No notes.{{/note}}", NONE, bob, "Note: Prefers \"Bob\"" },
  { "section-spaces", "{{ # note }}x{{ / NOTE }}", NONE, bob, "x" },
  { "nested-on", "{{#company}}{{company}}{{#note}} ({{note}}){{/note}}{{/company}}.", NONE, bob,
    "O'Neil & Sons (Prefers \"Bob\")." },
  { "nested-inner-off", "{{#company}}{{company}}{{#note}} ({{note}}){{/note}}{{/company}}.", NONE, alice,
    "Acme Ltd." },
  { "nested-outer-off", "{{#first_name}}{{#company}}x{{/company}}y{{/first_name}}z", NONE, blank, "z" },
  { "nested-same", "{{#note}}{{^note}}never{{/note}}{{note}}{{/note}}", NONE, bob, "Prefers \"Bob\"" },
  { "empty-section", "a{{#note}}{{/note}}b", NONE, bob, "ab" },

  /* Mustache's standalone lines */
  { "standalone-on", "A\n{{#note}}\nNote: {{note}}\n{{/note}}\nB", NONE, bob, "A\nNote: Prefers \"Bob\"\nB" },
  { "standalone-off", "A\n{{#note}}\nNote: {{note}}\n{{/note}}\nB", NONE, alice, "A\nB" },
  { "standalone-indented", "A\n  {{#note}}\t\n  N\n\t{{/note}}  \nB", NONE, alice, "A\nB" },
  { "standalone-indented-on", "A\n  {{#note}}\t\n  N\n\t{{/note}}  \nB", NONE, bob, "A\n  N\nB" },
  { "standalone-crlf", "A\r\n{{#note}}\r\nN\r\n{{/note}}\r\nB", NONE, bob, "A\r\nN\r\nB" },
  { "standalone-first-line", "{{#note}}\nN\n{{/note}}", NONE, alice, "" },
  { "standalone-last-line", "{{#note}}\nN\n{{/note}}", NONE, bob, "N\n" },
  { "standalone-inverted", "A\n{{^note}}\nnone\n{{/note}}\nB", NONE, alice, "A\nnone\nB" },
  { "standalone-consecutive", "A\n{{#note}}\n{{#company}}\nC\n{{/company}}\n{{/note}}\nB", NONE, bob, "A\nC\nB" },
  { "not-standalone", "A {{#note}}\nN{{/note}} B", NONE, alice, "A  B" },
  { "not-standalone-two-tags", "A\n{{#note}}{{/note}}\nB", NONE, alice, "A\n\nB" },
  { "field-not-standalone", "A\n{{note}}\nB", NONE, alice, "A\n\nB" },

  /* HTML */
  { "html-escape", "<p>{{company}}</p>", HTML, bob, "<p>O&#39;Neil &amp; Sons</p>" },
  { "html-escape-quotes", "<a title=\"{{note}}\">", HTML, bob, "<a title=\"Prefers &quot;Bob&quot;\">" },
  { "html-escape-lt", "{{x}}", HTML, NULL, "&lt;b&gt;&amp;&lt;/b&gt;" },
  { "html-raw", "{{{company}}}", HTML, bob, "O'Neil & Sons" },
  { "html-raw-spaces", "{{{ company }}}", HTML, bob, "O'Neil & Sons" },
  { "html-raw-fallback", "{{{note|<i>none</i>}}}", HTML, alice, "<i>none</i>" },
  { "html-fallback-as-written", "{{note|<i>none</i> &amp; more}}", HTML, alice, "<i>none</i> &amp; more" },
  { "html-literal", "<b>&amp;</b> {{first_name}}", HTML, alice, "<b>&amp;</b> Alice" },
  { "html-unicode", "<p>{{company}}</p>", HTML, wang, "<p>北京示例科技有限公司</p>" },
  { "none-no-escape", "{{company}} {{{company}}}", NONE, bob, "O'Neil & Sons O'Neil & Sons" },
};

static const char * const html_columns[] = { "x" };
static const char * const html_values[] = { "<b>&</b>" };

static void
test_render_case (gconstpointer data)
{
  const RenderCase *test = data;
  g_autofree char *result = NULL;

  if (test->values == NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SinglyTemplateText) text = singly_template_text_new (test->source, -1, test->escape, 1, 1, &error);

      g_assert_no_error (error);
      singly_template_text_bind (text, html_columns, 1, &error);
      g_assert_no_error (error);
      result = render (text, html_values);
    }
  else
    result = compile_and_render (test->source, test->escape, test->values);

  g_assert_cmpstr (result, ==, test->expected);
}

static void
test_render_appends (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyTemplateText) text = singly_template_text_new ("{{first_name}};", -1, NONE, 1, 1, &error);
  g_autoptr(GString) out = g_string_new ("start:");

  g_assert_no_error (error);
  g_assert_true (singly_template_text_bind (text, columns, N_COLUMNS, &error));
  singly_template_text_render (text, alice, out);
  singly_template_text_render (text, bob, out);
  g_assert_cmpstr (out->str, ==, "start:Alice;Bob;");
}

static void
test_render_explicit_length (void)
{
  g_autoptr(GError) error = NULL;
  /* Only "Hi {{first_name}}" is the template; the rest must be ignored. */
  g_autoptr(SinglyTemplateText) text = singly_template_text_new ("Hi {{first_name}}{{oops", 17, NONE, 1, 1, &error);
  g_autofree char *result = NULL;

  g_assert_no_error (error);
  g_assert_true (singly_template_text_bind (text, columns, N_COLUMNS, &error));
  result = render (text, bob);
  g_assert_cmpstr (result, ==, "Hi Bob");
}

static void
test_constant (void)
{
  static const struct { const char *source; gboolean constant; } cases[] = {
    { "", TRUE },
    { "no fields }} {", TRUE },
    { "{{a}}", FALSE },
    { "{{{a}}}", FALSE },
    { "{{#a}}{{/a}}", FALSE },
    { "{{^a}}x{{/a}}", FALSE },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SinglyTemplateText) text = singly_template_text_new (cases[i].source, -1, NONE, 1, 1, &error);

      g_assert_no_error (error);
      g_assert_cmpint (singly_template_text_is_constant (text), ==, cases[i].constant);
    }
}

/* A constant text renders without being bound. */
static void
test_constant_unbound (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyTemplateText) text = singly_template_text_new ("Reply-To: x", -1, NONE, 1, 1, &error);
  g_autofree char *result = NULL;

  g_assert_no_error (error);
  result = render (text, NULL);
  g_assert_cmpstr (result, ==, "Reply-To: x");
}

static void
test_refcount (void)
{
  g_autoptr(GError) error = NULL;
  SinglyTemplateText *text = singly_template_text_new ("x", -1, NONE, 1, 1, &error);

  g_assert_no_error (error);
  g_assert_true (singly_template_text_ref (text) == text);
  singly_template_text_unref (text);
  singly_template_text_unref (text);
}

/* ------------------------------------------------------------------------ */
/* Syntax errors                                                             */

typedef struct
{
  const char *name;
  const char *source;
  const char *message;
} ErrorCase;

static const ErrorCase syntax_cases[] = {
  { "unclosed", "Hello {{first_name", "1:7: “{{” is not closed on its line" },
  { "unclosed-line", "a\nb {{x\n}}", "2:3: “{{” is not closed on its line" },
  { "unclosed-end", "a {{", "1:3: “{{” is not closed on its line" },
  { "unclosed-triple", "{{{x", "1:1: “{{{” is not closed on its line" },
  { "triple-double-close", "a {{{x}} b", "1:3: “{{{” must be closed with “}}}”" },
  { "empty", "{{}}", "1:1: empty field name" },
  { "empty-spaces", "x\n  {{  }}", "2:3: empty field name" },
  { "empty-section", "{{#}}", "1:1: empty field name" },
  { "empty-close", "{{#a}}{{/ }}", "1:7: empty field name" },
  { "empty-with-fallback", "{{|x}}", "1:1: empty field name" },
  { "empty-triple", "{{{ }}}", "1:1: empty field name" },
  { "brace-in-name", "{{a{b}}", "1:1: “a{b” is not a valid field name" },
  { "sigil-in-name", "{{# #a}}", "1:1: “#a” is not a valid field name" },
  { "triple-section", "{{{#a}}}", "1:1: “#a” is not a valid field name" },
  { "section-fallback", "{{#a|x}}{{/a}}", "1:1: a section tag cannot have a fallback" },
  { "mismatch", "{{#a}}x{{/b}}", "1:8: “{{/b}}” does not close “{{#a}}” opened at 1:1" },
  { "mismatch-inverted", "x\n  {{^note}}\n{{/nope}}", "3:1: “{{/nope}}” does not close “{{^note}}” opened at 2:3" },
  { "mismatch-nested", "{{#a}}{{#b}}{{/a}}{{/b}}", "1:13: “{{/a}}” does not close “{{#b}}” opened at 1:7" },
  { "close-without-open", "x\n  {{#a}}\n{{/a}}{{/a}}", "3:7: “{{/a}}” closes a section that was never opened" },
  { "never-closed", "{{#a}}\n{{^b}}\n{{/b}}", "1:1: “{{#a}}” is never closed" },
  { "never-closed-inner", "{{#a}}\n  {{^b}}\n{{/a}}", "3:1: “{{/a}}” does not close “{{^b}}” opened at 2:3" },
  { "columns-are-characters", "é中 {{x", "1:4: “{{” is not closed on its line" },
};

static void
test_syntax_case (gconstpointer data)
{
  const ErrorCase *test = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyTemplateText) text = singly_template_text_new (test->source, -1, NONE, 1, 1, &error);

  g_assert_error (error, SINGLY_TEMPLATE_ERROR, SINGLY_TEMPLATE_ERROR_SYNTAX);
  g_assert_null (text);
  g_assert_cmpstr (error->message, ==, test->message);
}

/* Positions count from where the text sits in its file. */
static void
test_syntax_offset (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyTemplateText) text = singly_template_text_new ("ab {{x", -1, NONE, 5, 10, &error);
  g_autoptr(SinglyTemplateText) text2 = NULL;

  g_assert_error (error, SINGLY_TEMPLATE_ERROR, SINGLY_TEMPLATE_ERROR_SYNTAX);
  g_assert_cmpstr (error->message, ==, "5:13: “{{” is not closed on its line");
  g_clear_error (&error);

  /* The first column only applies to the first line. */
  text2 = singly_template_text_new ("ab\ncd {{}}", -1, NONE, 5, 10, &error);
  g_assert_error (error, SINGLY_TEMPLATE_ERROR, SINGLY_TEMPLATE_ERROR_SYNTAX);
  g_assert_cmpstr (error->message, ==, "6:4: empty field name");
}

static void
test_invalid_utf8 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyTemplateText) text = singly_template_text_new ("a\xff", -1, NONE, 1, 1, &error);

  g_assert_error (error, SINGLY_TEMPLATE_ERROR, SINGLY_TEMPLATE_ERROR_ENCODING);
  g_assert_null (text);
}

/* ------------------------------------------------------------------------ */
/* Binding                                                                   */

static void
assert_bind_error (const char         *source,
                   const char * const *bind_columns,
                   guint               n_columns,
                   const char         *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyTemplateText) text = singly_template_text_new (source, -1, NONE, 1, 1, &error);

  g_assert_no_error (error);
  g_assert_false (singly_template_text_bind (text, bind_columns, n_columns, &error));
  g_assert_error (error, SINGLY_TEMPLATE_ERROR, SINGLY_TEMPLATE_ERROR_UNKNOWN_FIELD);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_bind_unknown (void)
{
  static const char * const chinese[] = { "姓名", "邮箱", "公司" };

  assert_bind_error ("Dear {{frist_name}},", columns, N_COLUMNS,
                     "1:6: unknown field “frist_name” (did you mean “first_name”?)");
  assert_bind_error ("x\n  {{#nte}}{{/nte}}", columns, N_COLUMNS,
                     "2:3: unknown field “nte” (did you mean “note”?)");
  assert_bind_error ("{{ Emial }}", columns, N_COLUMNS,
                     "1:1: unknown field “Emial” (did you mean “email”?)");
  assert_bind_error ("{{first name}}", columns, N_COLUMNS,
                     "1:1: unknown field “first name” (did you mean “first_name”?)");
  /* Nothing close enough: no suggestion. */
  assert_bind_error ("{{zzz}}", columns, N_COLUMNS, "1:1: unknown field “zzz”");
  assert_bind_error ("{{phone_number}}", columns, N_COLUMNS, "1:1: unknown field “phone_number”");
  assert_bind_error ("{{x}}", columns, N_COLUMNS, "1:1: unknown field “x”");
  assert_bind_error ("{{a}}", NULL, 0, "1:1: unknown field “a”");
  /* The first unknown field is the error. */
  assert_bind_error ("{{email}} {{amout}} {{nothing}}", columns, N_COLUMNS,
                     "1:11: unknown field “amout” (did you mean “amount”?)");
  assert_bind_error ("{{姓命}}", chinese, G_N_ELEMENTS (chinese),
                     "1:1: unknown field “姓命” (did you mean “姓名”?)");
}

static void
test_bind_names (void)
{
  static const char * const sheet[] = { " First Name ", "E-Mail", "Straße", "姓名", "email" };
  static const char * const values[] = { "Alice", "a@example.com", "Hauptstraße 1", "王小明", "second@example.com" };
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyTemplateText) text = NULL;
  g_autofree char *result = NULL;

  text = singly_template_text_new ("{{first name}}|{{FIRST NAME}}|{{ e-mail }}|{{STRASSE}}|{{straße}}|{{姓名}}|{{ＥＭＡＩＬ}}",
                                   -1, NONE, 1, 1, &error);
  g_assert_no_error (error);
  g_assert_true (singly_template_text_bind (text, sheet, G_N_ELEMENTS (sheet), &error));
  g_assert_no_error (error);
  result = render (text, values);
  g_assert_cmpstr (result, ==, "Alice|Alice|a@example.com|Hauptstraße 1|Hauptstraße 1|王小明|second@example.com");
}

/* Two columns of one name: the first one wins. */
static void
test_bind_duplicate_columns (void)
{
  static const char * const sheet[] = { "Name", "name" };
  static const char * const values[] = { "first", "second" };
  g_autofree char *result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyTemplateText) text = singly_template_text_new ("{{name}}", -1, NONE, 1, 1, &error);

  g_assert_true (singly_template_text_bind (text, sheet, 2, &error));
  result = render (text, values);
  g_assert_cmpstr (result, ==, "first");
}

static void
test_bind_again (void)
{
  static const char * const first[] = { "a", "b" };
  static const char * const first_values[] = { "1", "2" };
  static const char * const second[] = { "B" };
  static const char * const second_values[] = { "x" };
  static const char * const third[] = { "c" };
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyTemplateText) text = singly_template_text_new ("[{{b}}]", -1, NONE, 1, 1, &error);
  g_autofree char *one = NULL;
  g_autofree char *two = NULL;
  g_autofree char *three = NULL;

  g_assert_true (singly_template_text_bind (text, first, 2, &error));
  one = render (text, first_values);
  g_assert_true (singly_template_text_bind (text, second, 1, &error));
  two = render (text, second_values);

  /* A failed bind keeps the previous binding. */
  g_assert_false (singly_template_text_bind (text, third, 1, &error));
  g_assert_error (error, SINGLY_TEMPLATE_ERROR, SINGLY_TEMPLATE_ERROR_UNKNOWN_FIELD);
  three = render (text, second_values);

  g_assert_cmpstr (one, ==, "[2]");
  g_assert_cmpstr (two, ==, "[x]");
  g_assert_cmpstr (three, ==, "[x]");
}

static void
test_text_check (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyTemplateText) text = singly_template_text_new ("{{frist_name}} {{email}}\n  {{#zzz}}{{lst_name}}{{/zzz}}",
                                                                 -1, NONE, 3, 1, &error);
  g_autoptr(GPtrArray) diagnostics = NULL;
  g_autoptr(GPtrArray) none = NULL;
  SinglyTemplateDiagnostic *d;

  g_assert_no_error (error);
  diagnostics = singly_template_text_check (text, columns, N_COLUMNS);
  g_assert_cmpuint (diagnostics->len, ==, 3);

  d = diagnostics->pdata[0];
  g_assert_cmpuint (d->line, ==, 3);
  g_assert_cmpuint (d->column, ==, 1);
  g_assert_cmpstr (d->message, ==, "unknown field “frist_name” (did you mean “first_name”?)");
  g_assert_cmpstr (d->suggestion, ==, "first_name");

  d = diagnostics->pdata[1];
  g_assert_cmpuint (d->line, ==, 4);
  g_assert_cmpuint (d->column, ==, 3);
  g_assert_cmpstr (d->message, ==, "unknown field “zzz”");
  g_assert_null (d->suggestion);

  d = diagnostics->pdata[2];
  g_assert_cmpuint (d->line, ==, 4);
  g_assert_cmpuint (d->column, ==, 11);
  g_assert_cmpstr (d->suggestion, ==, "last_name");

  none = singly_template_text_check (text, (const char * const[]) { "frist_name", "email", "zzz", "lst_name" }, 4);
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_mark_columns (void)
{
  static const char * const sheet[] = { "a", "b", "c", "d", "e", "f", "g" };
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyTemplateText) text = NULL;
  guint8 used[7] = { 0 };
  guint8 required[7] = { 0 };
  const guint8 expected_used[7] = { 1, 1, 1, 1, 1, 0, 1 };
  const guint8 expected_required[7] = { 1, 0, 0, 1, 1, 0, 0 };

  /* a: plain; b: fallback; c: guarded by its own section; d: inside
   * another column's section; e: inside its own inverted section; g: only
   * a section */
  text = singly_template_text_new ("{{a}} {{b|x}} {{#c}}[{{{c}}}]{{/c}} {{#a}}{{d}}{{/a}} {{^e}}{{e}}{{/e}} {{#g}}{{/g}}",
                                   -1, NONE, 1, 1, &error);
  g_assert_no_error (error);
  g_assert_true (singly_template_text_bind (text, sheet, 7, &error));

  singly_template_text_mark_columns (text, used, required);
  g_assert_cmpmem (used, 7, expected_used, 7);
  g_assert_cmpmem (required, 7, expected_required, 7);
}

/* After a section closes, its guard ends. */
static void
test_mark_columns_scope (void)
{
  static const char * const sheet[] = { "a" };
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyTemplateText) guarded = singly_template_text_new ("{{#a}}{{a}}{{/a}}", -1, NONE, 1, 1, &error);
  g_autoptr(SinglyTemplateText) after = singly_template_text_new ("{{#a}}{{a}}{{/a}}{{a}}", -1, NONE, 1, 1, &error);
  guint8 used = 0;
  guint8 required = 0;

  g_assert_true (singly_template_text_bind (guarded, sheet, 1, &error));
  g_assert_true (singly_template_text_bind (after, sheet, 1, &error));

  singly_template_text_mark_columns (guarded, &used, &required);
  g_assert_cmpuint (used, ==, 1);
  g_assert_cmpuint (required, ==, 0);

  singly_template_text_mark_columns (after, NULL, &required);
  g_assert_cmpuint (required, ==, 1);
}

/* ------------------------------------------------------------------------ */
/* Template files                                                            */

static SinglyTemplate *
load_data (const char       *data,
           SinglyBodyFormat  format)
{
  g_autoptr(GError) error = NULL;
  SinglyTemplate *template = singly_template_new_from_data (data, -1, format, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (template);
  return template;
}

static char *
render_header (SinglyTemplate     *template,
               const char         *name,
               const char * const *values)
{
  int index = singly_template_find_header (template, name);

  g_assert_cmpint (index, >=, 0);
  return render (singly_template_get_header (template, index), values);
}

static char *
render_body (SinglyTemplate     *template,
             const char * const *values)
{
  return render (singly_template_get_body (template), values);
}

static void
bind_sample (SinglyTemplate *template)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (singly_template_bind (template, columns, N_COLUMNS, &error));
  g_assert_no_error (error);
}

static void
test_format_for_path (void)
{
  static const struct { const char *path; SinglyBodyFormat format; } cases[] = {
    { "invitation.txt", SINGLY_BODY_PLAIN },
    { "a.text", SINGLY_BODY_PLAIN },
    { "/x/y/README", SINGLY_BODY_PLAIN },
    { "notes.rtf", SINGLY_BODY_PLAIN },
    { "invoice.md", SINGLY_BODY_MARKDOWN },
    { "Invoice.MD", SINGLY_BODY_MARKDOWN },
    { "a.markdown", SINGLY_BODY_MARKDOWN },
    { "news.html", SINGLY_BODY_HTML },
    { "NEWS.HTM", SINGLY_BODY_HTML },
    { "/tmp/draft.eml", SINGLY_BODY_EML },
    { "/dir.md/file", SINGLY_BODY_PLAIN },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (singly_template_format_for_path (cases[i].path), ==, cases[i].format);
}

static void
test_sample_invitation (void)
{
  g_autofree char *sample = singly_test_sample_path ("invitation.txt");
  g_autoptr(GFile) file = g_file_new_for_path (sample);
  /* GFile gives the path in canonical form, ".." resolved. */
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyTemplate) template = singly_template_new_from_file (file, NULL, &error);
  g_autofree char *subject = NULL;
  g_autofree char *reply_to = NULL;
  g_autofree char *for_bob = NULL;
  g_autofree char *for_alice = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (singly_template_get_format (template), ==, SINGLY_BODY_PLAIN);
  g_assert_cmpstr (singly_template_get_path (template), ==, path);
  g_assert_cmpstr (singly_template_get_base_dir (template), ==, dir);
  g_assert_null (singly_template_get_eml (template));
  g_assert_null (singly_template_get_markdown (template));

  g_assert_cmpuint (singly_template_get_n_headers (template), ==, 2);
  g_assert_cmpstr (singly_template_get_header_name (template, 0), ==, "Subject");
  g_assert_cmpstr (singly_template_get_header_name (template, 1), ==, "Reply-To");
  g_assert_cmpint (singly_template_find_header (template, "subject"), ==, 0);
  g_assert_cmpint (singly_template_find_header (template, "REPLY-TO"), ==, 1);
  g_assert_cmpint (singly_template_find_header (template, "Attach"), ==, -1);
  g_assert_true (singly_template_text_is_constant (singly_template_get_header (template, 1)));

  bind_sample (template);
  subject = render_header (template, "Subject", alice);
  reply_to = render_header (template, "Reply-To", alice);
  g_assert_cmpstr (subject, ==, "Invitation to our spring open day, Alice");
  g_assert_cmpstr (reply_to, ==, "events@example.com");

  for_bob = render_body (template, bob);
  g_assert_cmpstr (for_bob, ==,
                   "Dear Bob O'Neil,\n"
                   "\n"
                   "We would be glad to welcome you and your colleagues from O'Neil & Sons to our\n"
                   "open day on 14 April.\n"
                   "A note we kept for you: Prefers \"Bob\"\n"
                   "Kind regards,\n"
                   "The Events Team\n");

  for_alice = render_body (template, alice);
  g_assert_cmpstr (for_alice, ==,
                   "Dear Alice Martin,\n"
                   "\n"
                   "We would be glad to welcome you and your colleagues from Acme Ltd to our\n"
                   "open day on 14 April.\n"
                   "Kind regards,\n"
                   "The Events Team\n");
}

static void
test_sample_invoice (void)
{
  g_autofree char *path = singly_test_sample_path ("invoice.md");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyTemplate) template = singly_template_new_from_file (file, NULL, &error);
  g_autofree char *subject = NULL;
  g_autofree char *attach = NULL;
  g_autofree char *for_alice = NULL;
  g_autofree char *for_bob = NULL;
  g_autofree char *markdown = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (singly_template_get_format (template), ==, SINGLY_BODY_MARKDOWN);
  g_assert_cmpuint (singly_template_get_n_headers (template), ==, 2);
  g_assert_cmpstr (singly_template_get_header_name (template, 0), ==, "Subject");
  g_assert_cmpstr (singly_template_get_header_name (template, 1), ==, "Attach");
  g_assert_nonnull (singly_template_get_markdown (template));

  bind_sample (template);
  subject = render_header (template, "Subject", alice);
  attach = render_header (template, "attach", bob);
  g_assert_cmpstr (subject, ==, "Your invoice from Example Trading (1250.00 EUR)");
  g_assert_cmpstr (attach, ==, "invoices/O'Neil.pdf");

  for_alice = render_body (template, alice);
  g_assert_cmpstr (for_alice, ==,
                   "<p>Hello <strong>Alice</strong>,</p>\n"
                   "<p>please find attached the invoice for <strong>Acme Ltd</strong> over <em>1250.00 EUR</em>.</p>\n"
                   "<ul>\n"
                   "<li>Payment within 30 days</li>\n"
                   "<li>Questions? Reply to this message.</li>\n"
                   "</ul>\n"
                   "<p>Best regards</p>\n");

  for_bob = render_body (template, bob);
  g_assert_nonnull (strstr (for_bob, "<strong>O&#39;Neil &amp; Sons</strong> over <em>80.5 EUR</em>"));

  /* The Markdown source renders too: it reads well as plain text. */
  markdown = render (singly_template_get_markdown (template), alice);
  g_assert_true (g_str_has_prefix (markdown, "Hello **Alice**,\n\nplease find attached the invoice for **Acme Ltd**"));
}

static void
test_sample_newsletter (void)
{
  g_autofree char *path = singly_test_sample_path ("newsletter.html");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyTemplate) template = singly_template_new_from_file (file, NULL, &error);
  g_autofree char *subject = NULL;
  g_autofree char *body = NULL;
  g_autofree char *chinese = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (singly_template_get_format (template), ==, SINGLY_BODY_HTML);
  g_assert_cmpuint (singly_template_get_n_headers (template), ==, 1);

  bind_sample (template);
  subject = render_header (template, "Subject", bob);
  g_assert_cmpstr (subject, ==, "Bob, our news for O'Neil & Sons");

  body = render_body (template, bob);
  g_assert_cmpstr (body, ==,
                   "<html><body>\n"
                   "<h1>Hello Bob!</h1>\n"
                   "<p>Here is what changed this quarter at <b>Example Trading</b>.</p>\n"
                   "<p>You receive this as a customer of O&#39;Neil &amp; Sons.</p>\n"
                   "</body></html>\n");

  chinese = render_body (template, wang);
  g_assert_nonnull (strstr (chinese, "<h1>Hello 小明!</h1>"));
}

/* The field names survive cmark, whatever Markdown would make of them. */
static void
test_markdown_tags (void)
{
  static const char * const sheet[] = { "url", "a_b", "_a", "b_", "x", "raw", "email", "first_name" };
  static const char * const values[] = { "https://example.com/?q=1&r=2", "AB", "A", "B", "", "<i>raw</i>",
                                         "bob@example.org", "Bob" };
  g_autoptr(SinglyTemplate) template = load_data (
    "Subject: x\n"
    "\n"
    "[Pay here]({{url}}) {{a_b}} {{_a}} and {{b_}}\n"
    "\n"
    "{{x|Dear \"customer\" & co}}, {{{raw}}} <{{email}}> **{{first_name}}**\n"
    "\n"
    "    code {{first_name}}\n"
    "\n"
    "<div class=\"{{first_name}}\">{{first_name}}</div>\n",
    SINGLY_BODY_MARKDOWN);
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;

  g_assert_true (singly_template_bind (template, sheet, G_N_ELEMENTS (sheet), &error));
  g_assert_no_error (error);
  body = render_body (template, values);
  g_assert_cmpstr (body, ==,
                   "<p><a href=\"https://example.com/?q=1&amp;r=2\">Pay here</a> AB A and B</p>\n"
                   "<p>Dear &quot;customer&quot; &amp; co, <i>raw</i> &lt;bob@example.org&gt; <strong>Bob</strong></p>\n"
                   "<pre><code>code Bob\n"
                   "</code></pre>\n"
                   "<div class=\"Bob\">Bob</div>\n");
}

/* Section tags on lines of their own become standalone lines in the HTML. */
static void
test_markdown_sections (void)
{
  g_autoptr(SinglyTemplate) template = load_data (
    "Subject: x\n"
    "\n"
    "A\n"
    "\n"
    "{{#note}}\n"
    "\n"
    "Note: *{{note}}*\n"
    "\n"
    "{{/note}}\n"
    "{{^note}}\n"
    "\n"
    "- no notes\n"
    "\n"
    "{{/note}}\n"
    "\n"
    "B\n",
    SINGLY_BODY_MARKDOWN);
  g_autofree char *for_alice = NULL;
  g_autofree char *for_bob = NULL;

  bind_sample (template);
  for_alice = render_body (template, alice);
  for_bob = render_body (template, bob);
  g_assert_cmpstr (for_alice, ==, "<p>A</p>\n<ul>\n<li>no notes</li>\n</ul>\n<p>B</p>\n");
  g_assert_cmpstr (for_bob, ==, "<p>A</p>\n<p>Note: <em>Prefers &quot;Bob&quot;</em></p>\n<p>B</p>\n");
}

/* Errors point into the Markdown source, not into the HTML made from it. */
static void
test_markdown_positions (void)
{
  g_autoptr(SinglyTemplate) template = load_data ("Subject: x\n\n# Title\n\nHello **{{frist_name}}**\n",
                                                  SINGLY_BODY_MARKDOWN);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) diagnostics = NULL;
  g_autoptr(SinglyTemplate) broken = NULL;

  g_assert_false (singly_template_bind (template, columns, N_COLUMNS, &error));
  g_assert_error (error, SINGLY_TEMPLATE_ERROR, SINGLY_TEMPLATE_ERROR_UNKNOWN_FIELD);
  g_assert_cmpstr (error->message, ==, "5:9: unknown field “frist_name” (did you mean “first_name”?)");
  g_clear_error (&error);

  diagnostics = singly_template_check (template, columns, N_COLUMNS);
  g_assert_cmpuint (diagnostics->len, ==, 1);
  g_assert_cmpuint (((SinglyTemplateDiagnostic *) diagnostics->pdata[0])->line, ==, 5);

  broken = singly_template_new_from_data ("Subject: x\n\n# Title\n\n{{#a}}\n", -1, SINGLY_BODY_MARKDOWN, NULL, &error);
  g_assert_null (broken);
  g_assert_error (error, SINGLY_TEMPLATE_ERROR, SINGLY_TEMPLATE_ERROR_SYNTAX);
  g_assert_cmpstr (error->message, ==, "5:1: “{{#a}}” is never closed");
}

/* The placeholder that carries tags through cmark cannot clash with text. */
static void
test_markdown_marker_in_text (void)
{
  g_autoptr(SinglyTemplate) template = load_data ("9SinglyTag0Z 9SinglyTagx {{first_name}}\n", SINGLY_BODY_MARKDOWN);
  g_autofree char *body = NULL;

  bind_sample (template);
  body = render_body (template, alice);
  g_assert_cmpstr (body, ==, "<p>9SinglyTag0Z 9SinglyTagx Alice</p>\n");
}

/* Braces that Markdown escapes stay text: they start no tag in the HTML. */
static void
test_markdown_literal_braces (void)
{
  g_autoptr(SinglyTemplate) template = load_data ("\\{\\{not a tag}} &#123;&#123;x}} &#123;{{first_name}}\n",
                                                  SINGLY_BODY_MARKDOWN);
  g_autofree char *body = NULL;

  bind_sample (template);
  body = render_body (template, alice);
  g_assert_cmpstr (body, ==, "<p>&#123;{not a tag}} &#123;{x}} &#123;Alice</p>\n");
}

static void
test_html_body (void)
{
  g_autoptr(SinglyTemplate) template = load_data ("Subject: {{company}}\n\n<p title=\"{{note}}\">{{company}} {{{company}}}</p>\n",
                                                  SINGLY_BODY_HTML);
  g_autofree char *subject = NULL;
  g_autofree char *body = NULL;

  bind_sample (template);
  subject = render_header (template, "Subject", bob);
  body = render_body (template, bob);
  /* Headers are never HTML-escaped. */
  g_assert_cmpstr (subject, ==, "O'Neil & Sons");
  g_assert_cmpstr (body, ==, "<p title=\"Prefers &quot;Bob&quot;\">O&#39;Neil &amp; Sons O'Neil & Sons</p>\n");
}

static void
test_header_block (void)
{
  g_autoptr(SinglyTemplate) template = load_data (
    "Subject: Hello\n"
    "  {{first_name}},\n"
    "\tand welcome\n"
    "To: {{first_name}} {{last_name}} <{{email}}>\n"
    "cc: boss@example.com\n"
    "Bcc:\n"
    "Attach: invoices/{{last_name}}.pdf\n"
    "Attach: terms.pdf\n"
    "X-Campaign: spring-2025\n"
    "List-Unsubscribe: <mailto:unsubscribe@example.com?subject={{email}}>\n"
    "\n"
    "Body: not a header\n"
    "Dear {{first_name}}\n",
    SINGLY_BODY_PLAIN);
  static const char * const names[] = {
    "Subject", "To", "cc", "Bcc", "Attach", "Attach", "X-Campaign", "List-Unsubscribe",
  };
  g_autofree char *subject = NULL;
  g_autofree char *to = NULL;
  g_autofree char *bcc = NULL;
  g_autofree char *attach = NULL;
  g_autofree char *unsubscribe = NULL;
  g_autofree char *body = NULL;
  guint i;

  g_assert_cmpuint (singly_template_get_n_headers (template), ==, G_N_ELEMENTS (names));
  for (i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_cmpstr (singly_template_get_header_name (template, i), ==, names[i]);
  g_assert_cmpint (singly_template_find_header (template, "CC"), ==, 2);
  g_assert_cmpint (singly_template_find_header (template, "attach"), ==, 4);
  g_assert_cmpint (singly_template_find_header (template, "x-campaign"), ==, 6);
  g_assert_null (singly_template_get_base_dir (template));
  g_assert_null (singly_template_get_path (template));

  bind_sample (template);
  subject = render_header (template, "Subject", alice);
  to = render_header (template, "To", bob);
  bcc = render_header (template, "Bcc", bob);
  attach = render (singly_template_get_header (template, 4), wang);
  unsubscribe = render_header (template, "List-Unsubscribe", alice);
  body = render_body (template, alice);

  g_assert_cmpstr (subject, ==, "Hello Alice, and welcome");
  g_assert_cmpstr (to, ==, "Bob O'Neil <bob.oneil@example.org>");
  g_assert_cmpstr (bcc, ==, "");
  g_assert_cmpstr (attach, ==, "invoices/王.pdf");
  g_assert_cmpstr (unsubscribe, ==, "<mailto:unsubscribe@example.com?subject=alice.martin@example.com>");
  g_assert_cmpstr (body, ==, "Body: not a header\nDear Alice\n");
}

/* Header values carry their file positions, continuation lines included. */
static void
test_header_positions (void)
{
  g_autoptr(SinglyTemplate) template = load_data (
    "Subject:   Hi {{frist_name}}\n"
    "Cc: a@example.com,\n"
    "  {{mangaer}}\n"
    "\n"
    "Body {{lst_name}}\n",
    SINGLY_BODY_PLAIN);
  g_autoptr(GPtrArray) diagnostics = singly_template_check (template, columns, N_COLUMNS);
  g_autoptr(GError) error = NULL;
  static const struct { guint line, column; const char *suggestion; } expected[] = {
    { 1, 15, "first_name" },
    { 3, 3, NULL },
    { 5, 6, "last_name" },
  };
  guint i;

  g_assert_cmpuint (diagnostics->len, ==, G_N_ELEMENTS (expected));
  for (i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      SinglyTemplateDiagnostic *d = diagnostics->pdata[i];

      g_assert_cmpuint (d->line, ==, expected[i].line);
      g_assert_cmpuint (d->column, ==, expected[i].column);
      g_assert_cmpstr (d->suggestion, ==, expected[i].suggestion);
    }

  g_assert_false (singly_template_bind (template, columns, N_COLUMNS, &error));
  g_assert_cmpstr (error->message, ==, "1:15: unknown field “frist_name” (did you mean “first_name”?)");
}

static void
test_no_header_block (void)
{
  static const struct { const char *source; const char *body; } cases[] = {
    { "Dear {{first_name}},\nSubject: not a header\n", "Dear Alice,\nSubject: not a header\n" },
    { "\nSubject: after a blank line\n", "\nSubject: after a blank line\n" },
    { "Dear customer: hello\n", "Dear customer: hello\n" },
    { " Subject: indented\n", " Subject: indented\n" },
    { "", "" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SinglyTemplate) template = load_data (cases[i].source, SINGLY_BODY_PLAIN);
      g_autofree char *body = NULL;

      bind_sample (template);
      g_assert_cmpuint (singly_template_get_n_headers (template), ==, 0);
      body = render_body (template, alice);
      g_assert_cmpstr (body, ==, cases[i].body);
    }
}

/* Headers with no body, and a body line numbered after the header block. */
static void
test_headers_only (void)
{
  g_autoptr(SinglyTemplate) template = load_data ("Subject: only\nX-A: b", SINGLY_BODY_PLAIN);
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyTemplate) broken = NULL;
  g_autofree char *body = NULL;

  g_assert_cmpuint (singly_template_get_n_headers (template), ==, 2);
  body = render_body (template, alice);
  g_assert_cmpstr (body, ==, "");

  broken = singly_template_new_from_data ("Subject: x\n  \nline\n{{#a}}", -1, SINGLY_BODY_PLAIN, NULL, &error);
  g_assert_error (error, SINGLY_TEMPLATE_ERROR, SINGLY_TEMPLATE_ERROR_SYNTAX);
  g_assert_cmpstr (error->message, ==, "4:1: “{{#a}}” is never closed");
}

static const ErrorCase header_cases[] = {
  { "from", "From: me@example.com\n\nx", "1:1: “From” cannot be set in a template: Singly writes this header itself" },
  { "date", "Subject: x\nDate: today\n\nx", "2:1: “Date” cannot be set in a template: Singly writes this header itself" },
  { "message-id", "Message-ID: <a@b>\n\nx", "1:1: “Message-ID” cannot be set in a template: Singly writes this header itself" },
  { "mime-version", "MIME-Version: 1.0\n\nx", "1:1: “MIME-Version” cannot be set in a template: Singly writes this header itself" },
  { "content-type", "content-type: text/html\n\nx", "1:1: “content-type” cannot be set in a template: Singly writes this header itself" },
  { "cte", "Content-Transfer-Encoding: 8bit\n\nx", "1:1: “Content-Transfer-Encoding” cannot be set in a template: Singly writes this header itself" },
  { "received", "Received: from x\n\nx", "1:1: “Received” cannot be set in a template: Singly writes this header itself" },
  { "return-path", "Return-Path: <x@y>\n\nx", "1:1: “Return-Path” cannot be set in a template: Singly writes this header itself" },
  { "sender", "SENDER: x@y\n\nx", "1:1: “SENDER” cannot be set in a template: Singly writes this header itself" },
  { "subject-twice", "Subject: a\nTo: b\nsubject: c\n\nx", "3:1: “subject” appears more than once (first on line 1)" },
  { "to-twice", "To: a\nTo: b\n\nx", "2:1: “To” appears more than once (first on line 1)" },
  { "not-a-header", "Subject: x\nnot a header\n\nbody", "2:1: this line is not a header; a blank line must separate the headers from the body" },
  { "bad-name", "Subject: x\nX_Bad: y\n\nbody", "2:1: this line is not a header; a blank line must separate the headers from the body" },
};

static void
test_header_error_case (gconstpointer data)
{
  const ErrorCase *test = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyTemplate) template = singly_template_new_from_data (test->source, -1, SINGLY_BODY_PLAIN, NULL, &error);

  g_assert_null (template);
  g_assert_error (error, SINGLY_TEMPLATE_ERROR, SINGLY_TEMPLATE_ERROR_HEADER);
  g_assert_cmpstr (error->message, ==, test->message);
}

static void
test_header_syntax_error (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyTemplate) template = singly_template_new_from_data ("X-A: b\nSubject: Hi {{first_name\n\nx", -1,
                                                                      SINGLY_BODY_PLAIN, NULL, &error);

  g_assert_null (template);
  g_assert_error (error, SINGLY_TEMPLATE_ERROR, SINGLY_TEMPLATE_ERROR_SYNTAX);
  g_assert_cmpstr (error->message, ==, "2:13: “{{” is not closed on its line");
}

static void
test_crlf_and_bom (void)
{
  g_autoptr(SinglyTemplate) template = load_data (
    "\xEF\xBB\xBFSubject: Hi {{first_name}}\r\n"
    "Reply-To: a@example.com\r\n"
    "\r\n"
    "Line 1\r\n"
    "{{#note}}\r\n"
    "Note: {{note}}\r\n"
    "{{/note}}\r\n"
    "End\r\n",
    SINGLY_BODY_PLAIN);
  g_autofree char *subject = NULL;
  g_autofree char *reply_to = NULL;
  g_autofree char *for_alice = NULL;
  g_autofree char *for_bob = NULL;

  g_assert_cmpuint (singly_template_get_n_headers (template), ==, 2);
  g_assert_cmpstr (singly_template_get_header_name (template, 0), ==, "Subject");

  bind_sample (template);
  subject = render_header (template, "Subject", alice);
  reply_to = render_header (template, "Reply-To", alice);
  for_alice = render_body (template, alice);
  for_bob = render_body (template, bob);

  g_assert_cmpstr (subject, ==, "Hi Alice");
  g_assert_cmpstr (reply_to, ==, "a@example.com");
  g_assert_cmpstr (for_alice, ==, "Line 1\nEnd\n");
  g_assert_cmpstr (for_bob, ==, "Line 1\nNote: Prefers \"Bob\"\nEnd\n");
}

static void
test_check (void)
{
  g_autoptr(SinglyTemplate) template = load_data ("Subject: {{frist_name}}\nTo: {{email}}\n\nHi {{lst_name}} {{zzz}}\n",
                                                  SINGLY_BODY_PLAIN);
  g_autoptr(GPtrArray) diagnostics = singly_template_check (template, columns, N_COLUMNS);
  g_autoptr(GPtrArray) none = NULL;
  SinglyTemplateDiagnostic *d;

  g_assert_cmpuint (diagnostics->len, ==, 3);

  d = diagnostics->pdata[0];
  g_assert_cmpuint (d->line, ==, 1);
  g_assert_cmpuint (d->column, ==, 10);
  g_assert_cmpstr (d->message, ==, "unknown field “frist_name” (did you mean “first_name”?)");
  g_assert_cmpstr (d->suggestion, ==, "first_name");

  d = diagnostics->pdata[1];
  g_assert_cmpuint (d->line, ==, 4);
  g_assert_cmpuint (d->column, ==, 4);
  g_assert_cmpstr (d->message, ==, "unknown field “lst_name” (did you mean “last_name”?)");

  d = diagnostics->pdata[2];
  g_assert_cmpuint (d->line, ==, 4);
  g_assert_cmpuint (d->column, ==, 17);
  g_assert_cmpstr (d->message, ==, "unknown field “zzz”");
  g_assert_null (d->suggestion);

  none = singly_template_check (template, (const char * const[]) { "frist_name", "email", "lst_name", "zzz" }, 4);
  g_assert_cmpuint (none->len, ==, 0);
}

/* Errors of a file start with its path, GNU style. */
static void
test_file_errors (void)
{
  g_autofree char *path = singly_test_data_path ("templates/invoice-typo.md");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyTemplate) template = singly_template_new_from_file (file, NULL, &error);
  g_autoptr(GPtrArray) diagnostics = NULL;
  g_autofree char *expected = NULL;

  g_assert_no_error (error);
  g_assert_false (singly_template_bind (template, columns, N_COLUMNS, &error));
  g_assert_error (error, SINGLY_TEMPLATE_ERROR, SINGLY_TEMPLATE_ERROR_UNKNOWN_FIELD);
  g_assert_true (g_str_has_suffix (singly_template_get_path (template), "/tests/data/templates/invoice-typo.md"));
  expected = g_strdup_printf ("%s:5:12: unknown field “frist_name” (did you mean “first_name”?)",
                              singly_template_get_path (template));
  g_assert_cmpstr (error->message, ==, expected);

  diagnostics = singly_template_check (template, columns, N_COLUMNS);
  g_assert_cmpuint (diagnostics->len, ==, 2);
  g_assert_cmpuint (((SinglyTemplateDiagnostic *) diagnostics->pdata[1])->line, ==, 7);
  g_assert_cmpstr (((SinglyTemplateDiagnostic *) diagnostics->pdata[1])->suggestion, ==, "company");
}

static void
test_file_syntax_and_io_errors (void)
{
  g_autofree char *dir = singly_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "broken.txt", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.txt", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) missing_file = g_file_new_for_path (missing);
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyTemplate) broken = NULL;
  g_autoptr(SinglyTemplate) not_found = NULL;
  g_autofree char *expected = NULL;

  g_assert_true (g_file_set_contents (path, "Subject: x\nFrom: y\n\nbody", -1, NULL));
  broken = singly_template_new_from_file (file, NULL, &error);
  g_assert_null (broken);
  g_assert_error (error, SINGLY_TEMPLATE_ERROR, SINGLY_TEMPLATE_ERROR_HEADER);
  expected = g_strdup_printf ("%s:2:1: “From” cannot be set in a template: Singly writes this header itself", path);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  not_found = singly_template_new_from_file (missing_file, NULL, &error);
  g_assert_null (not_found);
  g_assert_error (error, SINGLY_TEMPLATE_ERROR, SINGLY_TEMPLATE_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, missing));

  singly_test_rm_rf (dir);
}

static void
test_eml (void)
{
  g_autofree char *path = singly_test_data_path ("templates/campaign.eml");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GBytes) bytes = singly_test_read (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyTemplate) template = singly_template_new_from_file (file, NULL, &error);
  g_autoptr(GPtrArray) diagnostics = NULL;
  static const char * const names[] = { "To", "Subject", "X-Campaign", "Reply-To" };
  static const char * const no_first_name[] = { "email", "last_name" };
  g_autofree char *to = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *campaign = NULL;
  guint i;

  g_assert_no_error (error);
  g_assert_cmpint (singly_template_get_format (template), ==, SINGLY_BODY_EML);
  g_assert_null (singly_template_get_body (template));
  g_assert_true (g_bytes_equal (singly_template_get_eml (template), bytes));

  /* From, Date, Message-ID, MIME-Version, Content-Type and the Mozilla
   * header are not carried. */
  g_assert_cmpuint (singly_template_get_n_headers (template), ==, G_N_ELEMENTS (names));
  for (i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_cmpstr (singly_template_get_header_name (template, i), ==, names[i]);

  bind_sample (template);
  to = render_header (template, "To", bob);
  subject = render_header (template, "Subject", wang);
  campaign = render_header (template, "X-Campaign", alice);
  g_assert_cmpstr (to, ==, "Bob O'Neil <bob.oneil@example.org>");
  g_assert_cmpstr (subject, ==, "Grüße, 小明!");
  g_assert_cmpstr (campaign, ==, "Frühling 2025");

  /* Diagnostics point at the header's line. */
  diagnostics = singly_template_check (template, no_first_name, G_N_ELEMENTS (no_first_name));
  g_assert_cmpuint (diagnostics->len, ==, 2);
  g_assert_cmpuint (((SinglyTemplateDiagnostic *) diagnostics->pdata[0])->line, ==, 2);
  g_assert_cmpuint (((SinglyTemplateDiagnostic *) diagnostics->pdata[1])->line, ==, 4);
}

static void
test_eml_from_data (void)
{
  g_autoptr(SinglyTemplate) template = load_data ("Subject: Hi {{first_name}}\nFrom: a@b\nX-A: {{note|none}}\n\nBody {{first_name}}\n",
                                                  SINGLY_BODY_EML);
  g_autofree char *x_a = NULL;

  g_assert_cmpuint (singly_template_get_n_headers (template), ==, 2);
  g_assert_cmpuint (g_bytes_get_size (singly_template_get_eml (template)), ==,
                    strlen ("Subject: Hi {{first_name}}\nFrom: a@b\nX-A: {{note|none}}\n\nBody {{first_name}}\n"));
  bind_sample (template);
  x_a = render_header (template, "X-A", alice);
  g_assert_cmpstr (x_a, ==, "none");
}

/* GMime reads any bytes before a colon as a header name; one that is not
 * printable ASCII went into every message, and its name into a message
 * that was not UTF-8 (found by tests/fuzz/fuzz-eml). */
static void
test_eml_bad_header_name (void)
{
  static const char eml[] = "Reply-To: team@example.org\n\346ubject: {{first_name}}\n\nBody\n";
  g_autoptr(SinglyTemplate) template = NULL;
  g_autoptr(GError) error = NULL;

  template = singly_template_new_from_data (eml, -1, SINGLY_BODY_EML, NULL, &error);
  g_assert_error (error, SINGLY_TEMPLATE_ERROR, SINGLY_TEMPLATE_ERROR_HEADER);
  g_assert_null (template);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_true (g_str_has_prefix (error->message, "2:1: "));
}

/* GMime cut a header at a NUL byte and lost its line end: the body was
 * then read as headers, a second To: among them (found by
 * tests/fuzz/fuzz-eml). A message holds no NUL. */
static void
test_eml_nul (void)
{
  static const char eml[] = "Subject: Hi\nContent-Type: multipart/rela\001\000\000ted; boundary=\"b\"\n"
                            "\nTo: someone@example.org\n\nBody\n";
  g_autoptr(SinglyTemplate) template = NULL;
  g_autoptr(GError) error = NULL;

  template = singly_template_new_from_data (eml, sizeof eml - 1, SINGLY_BODY_EML, NULL, &error);
  g_assert_error (error, SINGLY_TEMPLATE_ERROR, SINGLY_TEMPLATE_ERROR_ENCODING);
  g_assert_null (template);
}

/* Text that is not UTF-8 is converted; NUL bytes mean it is no text. */
static void
test_encoding (void)
{
  g_autofree char *dir = singly_test_tmpdir ();
  g_autofree char *latin1_path = g_build_filename (dir, "latin1.txt", NULL);
  g_autofree char *utf16_path = g_build_filename (dir, "utf16.txt", NULL);
  g_autoptr(GFile) latin1_file = g_file_new_for_path (latin1_path);
  g_autoptr(GFile) utf16_file = g_file_new_for_path (utf16_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyTemplate) latin1 = NULL;
  g_autoptr(SinglyTemplate) utf16 = NULL;
  g_autoptr(SinglyTemplate) binary = NULL;
  const char *latin1_text =
    "Subject: Gr\xfc\xdf" "e aus M\xfcnchen, {{first_name}}\n"
    "\n"
    "Liebe Kundin, lieber Kunde,\n"
    "wir freuen uns \xfc" "ber Ihren Besuch und gr\xfc\xdf" "en Sie herzlich.\n"
    "Sch\xf6ne Gr\xfc\xdf" "e aus M\xfcnchen und D\xfcsseldorf, \xe0 bient\xf4t.\n";
  g_autofree char *utf16_text = NULL;
  gsize utf16_length = 0;
  g_autofree char *subject = NULL;
  g_autofree char *body = NULL;
  g_autofree char *utf16_subject = NULL;

  g_assert_true (g_file_set_contents (latin1_path, latin1_text, -1, NULL));
  latin1 = singly_template_new_from_file (latin1_file, NULL, &error);
  g_assert_no_error (error);
  bind_sample (latin1);
  subject = render_header (latin1, "Subject", alice);
  body = render_body (latin1, alice);
  g_assert_cmpstr (subject, ==, "Grüße aus München, Alice");
  g_assert_nonnull (strstr (body, "Schöne Grüße aus München und Düsseldorf, à bientôt."));

  utf16_text = g_convert ("\xEF\xBB\xBFSubject: Grüße, {{first_name}}\r\n\r\nBody\r\n", -1,
                          "UTF-16LE", "UTF-8", NULL, &utf16_length, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (utf16_path, utf16_text, utf16_length, NULL));
  utf16 = singly_template_new_from_file (utf16_file, NULL, &error);
  g_assert_no_error (error);
  bind_sample (utf16);
  utf16_subject = render_header (utf16, "Subject", bob);
  g_assert_cmpstr (utf16_subject, ==, "Grüße, Bob");

  binary = singly_template_new_from_data ("Subject: x\n\n\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10", 27,
                                          SINGLY_BODY_PLAIN, NULL, &error);
  g_assert_null (binary);
  g_assert_error (error, SINGLY_TEMPLATE_ERROR, SINGLY_TEMPLATE_ERROR_ENCODING);

  singly_test_rm_rf (dir);
}

/* Random input, biased towards template syntax: compiling, loading and
 * rendering either work or fail with an error, and never crash. */
static void
test_garbage (void)
{
  static const char alphabet[] = "{{}}{}#^/|  \n\r\tab:AB-é中<>&*_[]()";
  static const char * const sheet[] = { "a", "b", "ab" };
  static const char * const values[] = { "x", "", "<&>" };
  guint iteration;

  for (iteration = 0; iteration < 3000; iteration++)
    {
      guint length = g_test_rand_int_range (0, 200);
      g_autoptr(GString) source = g_string_new (NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(SinglyTemplateText) text = NULL;
      g_autoptr(SinglyTemplate) template = NULL;
      SinglyBodyFormat format = g_test_rand_int_range (SINGLY_BODY_PLAIN, SINGLY_BODY_EML + 1);
      guint i;

      for (i = 0; i < length; i++)
        {
          if (g_test_rand_int_range (0, 8) == 0)
            g_string_append_c (source, (char) g_test_rand_int_range (1, 256));
          else
            g_string_append_c (source, alphabet[g_test_rand_int_range (0, sizeof alphabet - 1)]);
        }

      text = singly_template_text_new (source->str, source->len, g_test_rand_bit () ? HTML : NONE, 1, 1, &error);
      if (text == NULL)
        g_assert_true (error != NULL && error->domain == SINGLY_TEMPLATE_ERROR);
      else if (singly_template_text_bind (text, sheet, G_N_ELEMENTS (sheet), &error))
        {
          g_autofree char *result = render (text, values);

          g_assert_nonnull (result);
        }
      g_clear_error (&error);

      template = singly_template_new_from_data (source->str, source->len, format, NULL, &error);
      if (template == NULL)
        g_assert_true (error != NULL && error->domain == SINGLY_TEMPLATE_ERROR);
      else
        {
          g_autoptr(GPtrArray) diagnostics = singly_template_check (template, sheet, G_N_ELEMENTS (sheet));

          if (singly_template_bind (template, sheet, G_N_ELEMENTS (sheet), &error) &&
              singly_template_get_body (template) != NULL)
            {
              g_autofree char *body = render_body (template, values);

              g_assert_true (g_utf8_validate (body, -1, NULL));
            }
        }
    }
}

int
main (int    argc,
      char **argv)
{
  guint i;

  g_test_init (&argc, &argv, NULL);

  for (i = 0; i < G_N_ELEMENTS (render_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/template/render/%s", render_cases[i].name);

      g_test_add_data_func (path, &render_cases[i], test_render_case);
    }
  g_test_add_func ("/template/render-appends", test_render_appends);
  g_test_add_func ("/template/render-explicit-length", test_render_explicit_length);
  g_test_add_func ("/template/constant", test_constant);
  g_test_add_func ("/template/constant-unbound", test_constant_unbound);
  g_test_add_func ("/template/refcount", test_refcount);

  for (i = 0; i < G_N_ELEMENTS (syntax_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/template/syntax/%s", syntax_cases[i].name);

      g_test_add_data_func (path, &syntax_cases[i], test_syntax_case);
    }
  g_test_add_func ("/template/syntax-offset", test_syntax_offset);
  g_test_add_func ("/template/invalid-utf8", test_invalid_utf8);

  g_test_add_func ("/template/bind/unknown", test_bind_unknown);
  g_test_add_func ("/template/bind/names", test_bind_names);
  g_test_add_func ("/template/bind/duplicate-columns", test_bind_duplicate_columns);
  g_test_add_func ("/template/bind/again", test_bind_again);
  g_test_add_func ("/template/bind/check", test_text_check);
  g_test_add_func ("/template/mark-columns", test_mark_columns);
  g_test_add_func ("/template/mark-columns-scope", test_mark_columns_scope);

  g_test_add_func ("/template/file/format-for-path", test_format_for_path);
  g_test_add_func ("/template/file/sample-invitation", test_sample_invitation);
  g_test_add_func ("/template/file/sample-invoice", test_sample_invoice);
  g_test_add_func ("/template/file/sample-newsletter", test_sample_newsletter);
  g_test_add_func ("/template/file/markdown-tags", test_markdown_tags);
  g_test_add_func ("/template/file/markdown-sections", test_markdown_sections);
  g_test_add_func ("/template/file/markdown-positions", test_markdown_positions);
  g_test_add_func ("/template/file/markdown-marker-in-text", test_markdown_marker_in_text);
  g_test_add_func ("/template/file/markdown-literal-braces", test_markdown_literal_braces);
  g_test_add_func ("/template/file/html-body", test_html_body);
  g_test_add_func ("/template/file/header-block", test_header_block);
  g_test_add_func ("/template/file/header-positions", test_header_positions);
  g_test_add_func ("/template/file/no-header-block", test_no_header_block);
  g_test_add_func ("/template/file/headers-only", test_headers_only);
  for (i = 0; i < G_N_ELEMENTS (header_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/template/file/header-error/%s", header_cases[i].name);

      g_test_add_data_func (path, &header_cases[i], test_header_error_case);
    }
  g_test_add_func ("/template/file/header-syntax-error", test_header_syntax_error);
  g_test_add_func ("/template/file/crlf-and-bom", test_crlf_and_bom);
  g_test_add_func ("/template/file/check", test_check);
  g_test_add_func ("/template/file/errors", test_file_errors);
  g_test_add_func ("/template/file/syntax-and-io-errors", test_file_syntax_and_io_errors);
  g_test_add_func ("/template/file/eml", test_eml);
  g_test_add_func ("/template/file/eml-from-data", test_eml_from_data);
  g_test_add_func ("/template/file/eml-bad-header-name", test_eml_bad_header_name);
  g_test_add_func ("/template/file/eml-nul", test_eml_nul);
  g_test_add_func ("/template/file/encoding", test_encoding);
  g_test_add_func ("/template/garbage", test_garbage);

  return g_test_run ();
}
