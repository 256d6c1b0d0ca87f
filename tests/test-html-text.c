/* test-html-text.c: the plain-text alternative of HTML bodies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "singly-html-text.h"
#include "singly-test-util.h"

typedef struct
{
  const char *name;
  const char *html;
  const char *text;
} Case;

static const Case cases[] = {
  /* paragraphs, whitespace, trimming */
  { "empty", "", "" },
  { "only-markup", "<p> </p><div>\n</div>", "" },
  { "paragraphs", "<p>Hello</p><p>World</p>", "Hello\n\nWorld\n" },
  { "collapse", "  <p>  Hello \n\t  world  </p>  ", "Hello world\n" },
  { "inline", "<p>a <b>bold</b> and <i>it</i>al<span>ic</span></p>", "a bold and italic\n" },
  { "div", "<div>a</div><div>b</div>", "a\nb\n" },
  { "text-outside", "one<p>two</p>three", "one\n\ntwo\n\nthree\n" },
  { "blank-lines", "<p>a</p><br><br><br><p>b</p>", "a\n\nb\n" },
  { "br", "a<br>b<br/><br />c", "a\nb\n\nc\n" },
  { "br-start", "<br><br>a", "a\n" },

  /* headings */
  { "h1", "<h1>Title</h1><p>x</p>", "Title\n=====\n\nx\n" },
  { "h2", "<p>x</p><h2>Sub <em>title</em></h2>y", "x\n\nSub title\n---------\n\ny\n" },
  { "h3", "<h3>Small</h3>text", "Small\n\ntext\n" },
  { "h1-wide", "<h1>你好 Li</h1>", "你好 Li\n=======\n" },

  /* lists */
  { "ul", "<ul><li>one</li><li>two</li></ul>", "- one\n- two\n" },
  { "ol", "<ol><li>one</li><li>two</li></ol>", "1. one\n2. two\n" },
  { "ol-start", "<ol start=\"9\"><li>nine</li><li>ten</li></ol>", "9. nine\n10. ten\n" },
  { "nested", "<ul><li>a<ul><li>b</li><li>c</li></ul></li><li>d</li></ul>", "- a\n  - b\n  - c\n- d\n" },
  { "ol-nested", "<ol><li>a<ul><li>b</li></ul></li></ol>", "1. a\n   - b\n" },
  { "text-loose-in-list", "<ul>x<li>y</li></ul>", "x\n- y\n" },
  { "list-around", "<p>Intro</p><ul><li>x</li></ul><p>End</p>", "Intro\n\n- x\n\nEnd\n" },
  { "loose-list", "<ul>\n<li>\n<p>a</p>\n</li>\n<li>\n<p>b</p>\n</li>\n</ul>", "- a\n\n- b\n" },
  { "li-br", "<ul><li>first<br>second</li></ul>", "- first\n  second\n" },
  { "stray-li", "<li>alone</li>", "- alone\n" },
  { "unclosed-li", "<ul><li>a<li>b</ul>", "- a\n- b\n" },

  /* quotes */
  { "blockquote", "<p>He said:</p><blockquote><p>Hi</p><p>there</p></blockquote><p>ok</p>",
    "He said:\n\n> Hi\n>\n> there\n\nok\n" },
  { "nested-quote", "<blockquote>a<blockquote>b</blockquote></blockquote>", "> a\n>\n> > b\n" },
  { "nested-quote-paragraphs", "<blockquote><blockquote><p>a</p><p>b</p></blockquote>c</blockquote>",
    "> > a\n> >\n> > b\n>\n> c\n" },

  /* links and images */
  { "link", "<a href=\"https://example.com/x\">Site</a>", "Site <https://example.com/x>\n" },
  { "link-same", "<a href=\"https://example.com\">https://example.com</a>", "https://example.com\n" },
  { "link-same-spaces", "<a href=\"https://example.com\"> https://example.com </a>", "https://example.com\n" },
  { "mailto-same", "<a href=\"mailto:a@example.com\">a@example.com</a>", "a@example.com\n" },
  { "mailto-other", "Write <a href=\"mailto:a@example.com\">to us</a>.", "Write to us <mailto:a@example.com>.\n" },
  { "javascript", "<a href=\"javascript:alert(1)\">Click</a> here", "Click here\n" },
  { "javascript-case", "<a href=\" JavaScript:void(0)\">Click</a>", "Click\n" },
  { "anchor", "<a href=\"#top\">Top</a>", "Top\n" },
  { "no-href", "<a name=\"x\">Here</a>", "Here\n" },
  { "href-entities", "<a href='https://x.example/?a=1&amp;b=2'>Go</a>", "Go <https://x.example/?a=1&b=2>\n" },
  { "link-in-li", "<ul><li><a href=\"https://x.example/\">https://x.example/</a></li></ul>", "- https://x.example/\n" },
  { "link-unquoted", "<a href=https://x.example/a>A</a>", "A <https://x.example/a>\n" },
  { "image-link", "<a href=\"https://x.example/\"><img src=\"l.png\"></a>", "<https://x.example/>\n" },
  { "img-alt", "<p>Logo: <img src=\"l.png\" alt=\"ACME &amp; Co\"></p>", "Logo: ACME & Co\n" },
  { "img-no-alt", "<p>a<img src=\"x.png\">b</p>", "ab\n" },

  /* rules, preformatted text, tables */
  { "hr", "<p>a</p><hr><p>b</p>", "a\n\n----------------------------------------\n\nb\n" },
  { "pre", "<p>before</p><pre>  line 1\n    line  2\n</pre><p>after</p>",
    "before\n\n  line 1\n    line  2\n\nafter\n" },
  { "pre-opens-body", "<pre>  x\n  y</pre>", "x\n  y\n" },
  { "pre-first-newline", "<pre>\nx\n\n\n\ny</pre>", "x\n\ny\n" },
  { "pre-code", "<pre><code>if (a &lt; b)\n  return;\n</code></pre>", "if (a < b)\n  return;\n" },
  { "table", "<table><tr><th>Name</th><th>Amount</th></tr><tr><td>Alice</td><td>1250</td></tr></table>",
    "Name | Amount\nAlice | 1250\n" },
  { "table-empty-cell", "<table><tr><td>a</td><td></td><td>c</td></tr></table>", "a | | c\n" },
  { "table-blocks", "<table><tr><td><p>a</p></td><td><p>b</p></td></tr></table><p>x</p>", "a | b\n\nx\n" },
  { "table-empty-last", "<table><tr><td>a</td><td></td></tr><tr><td>b</td><td>c</td></tr></table>", "a |\nb | c\n" },
  { "table-unclosed-cells", "<table><tr><td>a<td><tr><td>b</table>c", "a |\nb\n\nc\n" },
  { "table-tbody", "<table>\n<tbody>\n<tr>\n<td> 1 </td>\n<td> 2 </td>\n</tr>\n</tbody>\n</table>", "1 | 2\n" },

  /* what is not shown */
  { "head", "<html><head><title>T</title><style>p{color:red}</style><meta charset=utf-8></head>"
            "<body><!-- hidden --><p>Shown</p><script>var x = '</p>';</script></body></html>", "Shown\n" },
  { "head-unclosed", "<head><title>T</title><body>Shown", "Shown\n" },
  { "script-case", "a<SCRIPT type=x>b</ScRiPt>c", "ac\n" },
  { "style-unclosed", "a<style>b", "a\n" },
  { "comment", "a<!-- <p>b</p> -->c", "ac\n" },
  { "conditional", "a<!--[if mso]><p>b</p><![endif]-->c", "ac\n" },
  { "doctype", "<!DOCTYPE html><p>a</p>", "a\n" },
  { "hidden", "<div style=\"display: NONE\">Preview <div>x</div></div><p>Body</p>", "Body\n" },
  { "hidden-attr", "<p hidden>no</p><p>yes</p>", "yes\n" },
  { "hidden-img", "<img alt=\"x\" style=\"display:none\">y", "y\n" },

  /* entities */
  { "entities", "&amp; &lt; &gt; &quot; &apos; &copy; &reg; &euro; &hellip; &mdash; &ndash; "
                "&laquo; &raquo; &ldquo; &rdquo; &lsquo; &rsquo;",
    "& < > \" ' © ® € … — – « » “ ” ‘ ’\n" },
  { "numeric", "&#65;&#x42;&#X43; &#x1F600; &#228;", "ABC 😀 ä\n" },
  { "latin1", "Gr&uuml;&szlig;e, &Eacute;l&egrave;ve", "Grüße, Élève\n" },
  { "nbsp", "a&nbsp;&nbsp;b", "a  b\n" },
  { "nbsp-paragraph", "<p>a</p><p>&nbsp;</p><p>b</p>", "a\n\nb\n" },
  { "not-entities", "AT&T &bogus; &#; & x &", "AT&T &bogus; &#; & x &\n" },
  { "bad-numeric", "&#0; &#xD800; &#x110000; &#150; &#99999999999999999999;", "\uFFFD \uFFFD \uFFFD – \uFFFD\n" },
  { "entity-space", "a&#32;&#32;&#10;b", "a b\n" },
  { "soft-hyphen", "Web&shy;site\u200b!", "Website!\n" },

  /* garbage */
  { "lt-text", "1 < 2 and 3 > 2", "1 < 2 and 3 > 2\n" },
  { "lt-end", "abc <", "abc <\n" },
  { "unclosed-tag", "abc <b", "abc\n" },
  { "unclosed-attribute", "abc <a href=\"x", "abc\n" },
  { "unclosed-comment", "a <!-- b", "a\n" },
  { "end-tag-only", "a</p></ul></blockquote></a></h1></pre>b", "a\n\nb\n" },
  { "empty-tag", "a<>b</>c", "a<>bc\n" },
  { "invalid-utf8", "a\xff b\xe4\xbd", "a\uFFFD b\uFFFD\uFFFD\n" },
  { "control", "a\x01\x7f b", "a b\n" },
};

static void
test_case (gconstpointer data)
{
  const Case *test = data;
  g_autofree char *text = singly_html_to_text (test->html, -1);

  g_assert_cmpstr (text, ==, test->text);
}

static void
test_length (void)
{
  g_autofree char *text = singly_html_to_text ("<p>a</p><p>b</p>", 8);
  g_autofree char *with_nul = singly_html_to_text ("a\0b", 3);

  g_assert_cmpstr (text, ==, "a\n");
  g_assert_cmpstr (with_nul, ==, "ab\n");
}

/* What cmark makes of the invoice sample, and the newsletter sample as
 * it comes out of the template. */
static void
test_samples (void)
{
  const char *invoice =
    "<p>Hello <strong>Bob</strong>,</p>\n"
    "<p>please find attached the invoice for <strong>O&#39;Neil &amp; Sons</strong> over <em>80.5 EUR</em>.</p>\n"
    "<ul>\n"
    "<li>Payment within 30 days</li>\n"
    "<li>Questions? Reply to this message.</li>\n"
    "</ul>\n"
    "<p>Best regards</p>\n";
  const char *newsletter =
    "<html><body>\n"
    "<h1>Hello Bob!</h1>\n"
    "<p>Here is what changed this quarter at <b>Example Trading</b>.</p>\n"
    "<p>You receive this as a customer of O&#39;Neil &amp; Sons.</p>\n"
    "</body></html>\n";
  g_autofree char *invoice_text = singly_html_to_text (invoice, -1);
  g_autofree char *newsletter_text = singly_html_to_text (newsletter, -1);

  g_assert_cmpstr (invoice_text, ==,
                   "Hello Bob,\n"
                   "\n"
                   "please find attached the invoice for O'Neil & Sons over 80.5 EUR.\n"
                   "\n"
                   "- Payment within 30 days\n"
                   "- Questions? Reply to this message.\n"
                   "\n"
                   "Best regards\n");
  g_assert_cmpstr (newsletter_text, ==,
                   "Hello Bob!\n"
                   "==========\n"
                   "\n"
                   "Here is what changed this quarter at Example Trading.\n"
                   "\n"
                   "You receive this as a customer of O'Neil & Sons.\n");
}

static void
assert_well_formed (const char *text)
{
  gsize length = strlen (text);

  g_assert_true (g_utf8_validate (text, -1, NULL));
  if (length == 0)
    return;
  g_assert_cmpint (text[length - 1], ==, '\n');
  g_assert_false (g_ascii_isspace (text[0]));
  g_assert_null (strstr (text, "\n\n\n"));
  g_assert_null (strstr (text, " \n"));
  if (length >= 2)
    g_assert_false (g_ascii_isspace (text[length - 2]));
}

/* Random bytes, biased towards markup so that the tokenizer's corners get
 * visited: the output is always well-formed text. */
static void
test_garbage (void)
{
  static const char alphabet[] = "<>&#;/=\"' \n\tab-!xp?lu&amp;<p><a href=<li><pre><!--";
  guint iteration;

  for (iteration = 0; iteration < 3000; iteration++)
    {
      guint length = g_test_rand_int_range (0, 600);
      g_autofree char *html = g_malloc (length + 1);
      g_autofree char *text = NULL;
      guint i;

      for (i = 0; i < length; i++)
        {
          if (g_test_rand_int_range (0, 4) == 0)
            html[i] = (char) g_test_rand_int_range (0, 256);
          else
            html[i] = alphabet[g_test_rand_int_range (0, sizeof alphabet - 1)];
        }
      html[length] = '\0';

      text = singly_html_to_text (html, length);
      assert_well_formed (text);
    }
}

/* Inputs that would take quadratic time or space in a naive converter. */
static void
test_pathological (void)
{
  const guint n = 200000;
  g_autoptr(GString) nested = g_string_new (NULL);
  g_autoptr(GString) attribute = g_string_new ("<a href=\"");
  g_autoptr(GString) links = g_string_new (NULL);
  g_autofree char *nested_text = NULL;
  g_autofree char *attribute_text = NULL;
  g_autofree char *links_text = NULL;
  gint64 start = g_get_monotonic_time ();
  guint i;

  for (i = 0; i < n / 10; i++)
    g_string_append (nested, "<ul><li><blockquote>x");
  for (i = 0; i < n * 10; i++)
    g_string_append_c (attribute, 'a');
  g_string_append (attribute, "\">text</a>");
  for (i = 0; i < n / 10; i++)
    g_string_append (links, "<a href=\"u\"><h1>");

  nested_text = singly_html_to_text (nested->str, nested->len);
  attribute_text = singly_html_to_text (attribute->str, attribute->len);
  links_text = singly_html_to_text (links->str, links->len);

  assert_well_formed (nested_text);
  g_assert_true (g_str_has_prefix (attribute_text, "text <aaaa"));
  g_assert_cmpuint (strlen (attribute_text), ==, strlen ("text <>\n") + n * 10);
  assert_well_formed (links_text);
  /* Linear work is a few milliseconds here; quadratic would be minutes. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 20 * G_USEC_PER_SEC);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/html-text/case/%s", cases[i].name);

      g_test_add_data_func (path, &cases[i], test_case);
    }
  g_test_add_func ("/html-text/length", test_length);
  g_test_add_func ("/html-text/samples", test_samples);
  g_test_add_func ("/html-text/garbage", test_garbage);
  g_test_add_func ("/html-text/pathological", test_pathological);

  return g_test_run ();
}
