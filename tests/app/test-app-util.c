/* test-app-util.c: the window's small pure helpers, from tables
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "singly-message-view.h"
#include "singly-util.h"

static void
test_classify (void)
{
  static const struct
  {
    const char     *name;
    const char     *head;
    SinglyFileKind  kind;
  } cases[] = {
    { "contacts.csv", NULL, SINGLY_FILE_CONTACTS },
    { "LIST.CSV", NULL, SINGLY_FILE_CONTACTS },
    { "list.tsv", NULL, SINGLY_FILE_CONTACTS },
    { "invoice.md", NULL, SINGLY_FILE_TEMPLATE },
    { "newsletter.html", NULL, SINGLY_FILE_TEMPLATE },
    { "saved.eml", NULL, SINGLY_FILE_TEMPLATE },
    { "invitation.txt", "Subject: Hello {{name}}\n\nDear", SINGLY_FILE_TEMPLATE },
    { "invitation.txt", "\xEF\xBB\xBFSubject: Hello\n", SINGLY_FILE_TEMPLATE },
    { "export.txt", "email\tname\na@example.com\tA\n", SINGLY_FILE_CONTACTS },
    { "export.txt", "\xFF\xFE" "e\0m\0", SINGLY_FILE_CONTACTS },
    { "export.txt", "email,name\n", SINGLY_FILE_CONTACTS },
    { "spring.singly", NULL, SINGLY_FILE_CAMPAIGN },
    { "SPRING.SINGLY", "[Campaign]\n", SINGLY_FILE_CAMPAIGN },
    { "notes.txt", NULL, SINGLY_FILE_UNKNOWN },
    { "picture.png", "\x89PNG", SINGLY_FILE_UNKNOWN },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize length = cases[i].head ? strlen (cases[i].head) : 0;

      /* the UTF-16 case holds NULs: its length is the four bytes */
      if (cases[i].head != NULL && (guchar) cases[i].head[0] == 0xFF)
        length = 6;
      g_assert_cmpint (singly_util_classify_file (cases[i].name, cases[i].head, length), ==, cases[i].kind);
    }
}

static void
test_parse_position (void)
{
  static const struct
  {
    const char *message;
    gboolean    found;
    guint       line;
    guint       column;
    const char *rest;
  } cases[] = {
    { "3:6: unknown field “frist_name”", TRUE, 3, 6, "unknown field “frist_name”" },
    { "/home/a/letter.md:12:1: unclosed tag", TRUE, 12, 1, "unclosed tag" },
    { "C:/x/y.txt:2:3: bad", TRUE, 2, 3, "bad" },
    { "no position here", FALSE, 0, 0, NULL },
    { "3: only a line", FALSE, 0, 0, NULL },
    { "", FALSE, 0, 0, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint line = 0, column = 0;
      const char *rest = NULL;

      g_assert_cmpint (singly_util_parse_position (cases[i].message, &line, &column, &rest), ==, cases[i].found);
      if (cases[i].found)
        {
          g_assert_cmpuint (line, ==, cases[i].line);
          g_assert_cmpuint (column, ==, cases[i].column);
          g_assert_cmpstr (rest, ==, cases[i].rest);
        }
    }
}

static void
test_format_duration (void)
{
  static const struct
  {
    double      seconds;
    const char *text;
  } cases[] = {
    { 0.2, "less than a second" },
    { 1, "about 1 second" },
    { 44.6, "about 45 seconds" },
    { 60, "about 1 minute" },
    { 2468, "about 41 minutes" },
    { 5400, "about 2 hours" },
    { 3 * 86400, "about 3 days" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = singly_util_format_duration (cases[i].seconds);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_campaign_name (void)
{
  g_autoptr(GFile) contacts = g_file_new_for_path ("/tmp/customers.csv");
  g_autoptr(GFile) template = g_file_new_for_path ("/tmp/spring invoice.md");
  g_autoptr(GFile) dotfile = g_file_new_for_path ("/tmp/.hidden");
  g_autofree char *both = singly_util_campaign_name (contacts, template);
  g_autofree char *only_contacts = singly_util_campaign_name (contacts, NULL);
  g_autofree char *none = singly_util_campaign_name (NULL, NULL);
  g_autofree char *hidden = singly_util_campaign_name (NULL, dotfile);
  g_autofree char *folder = singly_util_default_folder ("spring invoice");

  g_assert_cmpstr (both, ==, "spring invoice");
  g_assert_cmpstr (only_contacts, ==, "customers");
  g_assert_cmpstr (none, ==, "Untitled");
  g_assert_cmpstr (hidden, ==, ".hidden");
  g_assert_true (g_str_has_suffix (folder, "/Singly/spring invoice"));
}

static void
test_matches (void)
{
  g_autofree char *needle = g_utf8_casefold ("JÜRGEN", -1);

  g_assert_true (singly_util_matches ("juergen.gross@example.de", "gross"));
  g_assert_true (singly_util_matches ("Jürgen Groß", needle));
  g_assert_false (singly_util_matches (NULL, "x"));
  g_assert_true (singly_util_matches (NULL, ""));
  g_assert_false (singly_util_matches ("alice", "bob"));
}

static void
test_wrap_html (void)
{
  g_autofree char *html = singly_message_view_wrap_html ("<html><body><img src=\"https://t.example/p.gif\"></body></html>");

  /* the policy comes first, so that the parser takes it into the head */
  g_assert_true (g_str_has_prefix (html, "<meta http-equiv=\"Content-Security-Policy\""));
  g_assert_nonnull (strstr (html, "default-src 'none'"));
  g_assert_null (strstr (html, "img-src http"));
  g_assert_true (g_str_has_suffix (html, "</html>"));
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/util/classify", test_classify);
  g_test_add_func ("/app/util/parse-position", test_parse_position);
  g_test_add_func ("/app/util/format-duration", test_format_duration);
  g_test_add_func ("/app/util/campaign-name", test_campaign_name);
  g_test_add_func ("/app/util/matches", test_matches);
  g_test_add_func ("/app/util/wrap-html", test_wrap_html);

  return g_test_run ();
}
