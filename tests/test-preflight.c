/* test-preflight.c: the warnings shown before a campaign is sent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "singly-preflight.h"
#include "singly-test-util.h"

typedef struct
{
  char                 *tmpdir;
  SinglyContactList    *contacts;
  SinglyTemplate       *template;
  SinglyMessageBuilder *builder;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->tmpdir = singly_test_tmpdir ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->builder);
  g_clear_object (&fixture->template);
  g_clear_object (&fixture->contacts);
  singly_test_rm_rf (fixture->tmpdir);
  g_free (fixture->tmpdir);
}

static void
fixture_clear (Fixture *fixture)
{
  g_clear_object (&fixture->builder);
  g_clear_object (&fixture->template);
  g_clear_object (&fixture->contacts);
}

static void
load_files (Fixture    *fixture,
            const char *contacts_path,
            const char *template_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) contacts_file = g_file_new_for_path (contacts_path);
  g_autoptr(GFile) template_file = g_file_new_for_path (template_path);

  fixture_clear (fixture);
  fixture->contacts = singly_contact_list_new_from_file (contacts_file, NULL, NULL, &error);
  g_assert_no_error (error);
  fixture->template = singly_template_new_from_file (template_file, NULL, &error);
  g_assert_no_error (error);
  fixture->builder = singly_message_builder_new (fixture->contacts, fixture->template, &error);
  g_assert_no_error (error);
  singly_message_builder_set_sender (fixture->builder, "Example Trading", "office@example.org");
  singly_message_builder_check (fixture->builder);
}

static char *
write_file (Fixture    *fixture,
            const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->tmpdir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
load_strings (Fixture    *fixture,
              const char *csv,
              const char *template_name,
              const char *template_text)
{
  g_autofree char *contacts_path = write_file (fixture, "contacts.csv", csv);
  g_autofree char *template_path = write_file (fixture, template_name, template_text);

  load_files (fixture, contacts_path, template_path);
}

/* "email,name" and @n_rows distinct recipients */
static char *
make_csv (guint n_rows)
{
  GString *csv = g_string_new ("email,name\n");

  for (guint i = 0; i < n_rows; i++)
    g_string_append_printf (csv, "person%u@example.com,Person %u\n", i + 1, i + 1);
  return g_string_free (csv, FALSE);
}

static GPtrArray *
check_message (Fixture *fixture,
               guint    row,
               gsize    size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyMessage) message = singly_message_builder_build (fixture->builder, row, &error);

  g_assert_no_error (error);
  return singly_preflight_check_message (fixture->builder, message, size);
}

static const SinglyWarning *
find_kind (GPtrArray         *warnings,
           SinglyWarningKind  kind)
{
  for (guint i = 0; i < warnings->len; i++)
    {
      const SinglyWarning *warning = warnings->pdata[i];

      if (warning->kind == kind)
        return warning;
    }
  return NULL;
}

/* Like find_kind(), for a warning that must be there */
static const SinglyWarning *
get_kind (GPtrArray         *warnings,
          SinglyWarningKind  kind)
{
  const SinglyWarning *warning = find_kind (warnings, kind);

  if (warning == NULL)
    g_error ("no %s warning", singly_warning_kind_name (kind));
  return warning;
}

static guint
count_kind (GPtrArray         *warnings,
            SinglyWarningKind  kind)
{
  guint n = 0;

  for (guint i = 0; i < warnings->len; i++)
    n += ((const SinglyWarning *) warnings->pdata[i])->kind == kind;
  return n;
}

/* The kinds, comma-separated in order, for assertions that read well */
static char *
kinds_of (GPtrArray *warnings)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < warnings->len; i++)
    {
      const SinglyWarning *warning = warnings->pdata[i];

      g_test_message ("warning: %s [%s]", warning->message, singly_warning_kind_name (warning->kind));
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, singly_warning_kind_name (warning->kind));
    }
  return g_string_free (out, FALSE);
}

static void
assert_kinds (GPtrArray  *warnings,
              const char *expected)
{
  g_autofree char *kinds = kinds_of (warnings);

  g_assert_cmpstr (kinds, ==, expected);
}

static void
test_resource (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_auto(GStrv) found = NULL;
  const char *data;

  /* the generated constructor registered the core's resource in this
   * executable, although the core is a static library */
  bytes = g_resources_lookup_data ("/io/github/singly/Singly/core/spam-words.txt",
                                   G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (bytes, NULL);
  g_assert_nonnull (g_strstr_len (data, g_bytes_get_size (bytes), "\nfree money\n"));
  g_assert_nonnull (g_strstr_len (data, g_bytes_get_size (bytes), "\n中奖\n"));

  /* a comment line is not a word */
  found = singly_preflight_find_spam_words ("# English");
  g_assert_cmpuint (g_strv_length (found), ==, 0);
}

static void
test_kind_names (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (int kind = SINGLY_WARNING_PROBLEM_ROWS; kind <= SINGLY_WARNING_NO_UNSUBSCRIBE; kind++)
    {
      const char *name = singly_warning_kind_name (kind);

      g_assert_cmpstr (name, !=, "unknown");
      g_assert_false (g_hash_table_contains (seen, name));
      g_hash_table_add (seen, (gpointer) name);
    }
  g_assert_cmpstr (singly_warning_kind_name (SINGLY_WARNING_SPAM_WORDS), ==, "spam-words");
}

static void
test_spam_words (void)
{
  const struct {
    const char *text;
    const char *found;   /* "|"-separated, in list order */
  } cases[] = {
    { "FREE MONEY!!! Act now", "act now|free money" },
    { "Carefree moneybox", "" },
    { "Click  here\nto order now", "click here|order now" },
    { "ＦＲＥＥ ＭＯＮＥＹ", "free money" },
    { "免费领取，恭喜中奖", "免费|中奖" },
    { "You’re a WINNER", "you're a winner" },
    { "The winners of the chess cup", "" },
    { "Winner!", "winner" },
    { "100% free shipping", "100% free" },
    { "A risk-free trial", "free trial|risk-free" },
    { "Reply urgently", "" },
    { "Urgent: your invoice", "urgent" },
    { "请加QQ123456", "加QQ" },
    { "免费free money", "free money|免费" },
    { "Dear friend,", "dear friend" },
    { "", "" },
    { "Invoice 2025-04 for Acme Ltd", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(GStrv) found = singly_preflight_find_spam_words (cases[i].text);
      g_autofree char *joined = g_strjoinv ("|", found);

      g_test_message ("“%s”", cases[i].text);
      g_assert_cmpstr (joined, ==, cases[i].found);
    }
}

static void
test_shouting (void)
{
  const struct {
    const char *text;
    gboolean    shouting;
    const char *words;   /* NULL when the whole text shouts */
  } cases[] = {
    { "FREE MONEY!!! Act now", TRUE, "FREE MONEY" },
    { "URGENT", TRUE, NULL },
    { "HELLO WORLD, HOW ARE YOU", TRUE, NULL },
    { "Your invoice from ACME", FALSE, NULL },
    { "News from IBM AG", FALSE, NULL },
    { "ABC", FALSE, NULL },
    { "Invoice 2025 for O'NEIL & SONS LTD", TRUE, "O'NEIL & SONS LTD" },
    { "Ｈｅｌｌｏ there", FALSE, NULL },
    { "ＨＥＬＬＯ ＴＨＥＲＥ", TRUE, NULL },
    { "免费中奖", FALSE, NULL },
    { "Invitation to our spring open day, Bob", FALSE, NULL },
    { "", FALSE, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *words = NULL;

      g_test_message ("“%s”", cases[i].text);
      g_assert_cmpint (singly_preflight_is_shouting (cases[i].text, &words), ==, cases[i].shouting);
      g_assert_cmpstr (words, ==, cases[i].words);
      g_assert_cmpint (singly_preflight_is_shouting (cases[i].text, NULL), ==, cases[i].shouting);
    }
}

static void
test_exclamation (void)
{
  const struct {
    const char *text;
    gboolean    expected;
  } cases[] = {
    { "Hello!", FALSE },
    { "Hello!!", TRUE },
    { "Act now!!!", TRUE },
    { "Really?!", TRUE },
    { "Really!?", TRUE },
    { "Why??", FALSE },
    { "Why?", FALSE },
    { "好消息！！", TRUE },
    { "好消息！", FALSE },
    { "What⁉", TRUE },
    { "Wow‼", TRUE },
    { "One! Two!", FALSE },
    { "¡Hola!", FALSE },
    { "", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("“%s”", cases[i].text);
      g_assert_cmpint (singly_preflight_has_exclamation (cases[i].text), ==, cases[i].expected);
    }
}

/* The samples are honest letters: nothing to warn about for the campaign,
 * and for each message only fields that are empty. */
static void
test_samples (Fixture       *fixture,
              gconstpointer  data)
{
  const struct {
    const char *template;
    guint       n_empty_field;   /* over all messages */
  } cases[] = {
    { "newsletter.html", 0 },
    { "invitation.txt", 8 },     /* "note" is empty for 8 of 10 contacts */
    { "invoice.md", 0 },
  };
  g_autofree char *contacts = singly_test_sample_path ("contacts.csv");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *template = singly_test_sample_path (cases[i].template);
      g_autoptr(GPtrArray) warnings = NULL;
      guint n_rows, n_empty_field = 0;

      g_test_message ("%s", cases[i].template);
      load_files (fixture, contacts, template);
      warnings = singly_preflight_check_campaign (fixture->builder);
      assert_kinds (warnings, "");

      n_rows = singly_contact_list_get_n_rows (fixture->contacts);
      for (guint row = 0; row < n_rows; row++)
        {
          g_autoptr(GPtrArray) message_warnings = check_message (fixture, row, 0);

          n_empty_field += count_kind (message_warnings, SINGLY_WARNING_EMPTY_FIELD);
          g_assert_cmpuint (count_kind (message_warnings, SINGLY_WARNING_EMPTY_FIELD), ==, message_warnings->len);
        }
      g_assert_cmpuint (n_empty_field, ==, cases[i].n_empty_field);
    }
}

static void
test_spammy_subject (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *csv = make_csv (3);
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GPtrArray) message_warnings = NULL;
  const SinglyWarning *spam;
  const SinglyWarning *caps;

  load_strings (fixture, csv, "t.txt", "Subject: FREE MONEY!!! Act now\n\nHello {{name}},\nsee you.\n");

  warnings = singly_preflight_check_campaign (fixture->builder);
  assert_kinds (warnings, "subject-caps,subject-exclaim,spam-words");
  spam = get_kind (warnings, SINGLY_WARNING_SPAM_WORDS);
  g_assert_nonnull (strstr (spam->message, "“free money”"));
  g_assert_nonnull (strstr (spam->message, "“act now”"));
  g_assert_cmpuint (spam->row, ==, SINGLY_PROBLEM_NO_ROW);
  caps = get_kind (warnings, SINGLY_WARNING_SUBJECT_CAPS);
  g_assert_nonnull (strstr (caps->message, "FREE MONEY"));

  /* and for each message, about its own subject */
  message_warnings = check_message (fixture, 1, 0);
  assert_kinds (message_warnings, "subject-caps,subject-exclaim,spam-words");
  for (guint i = 0; i < message_warnings->len; i++)
    g_assert_cmpuint (((const SinglyWarning *) message_warnings->pdata[i])->row, ==, 1);
}

static void
test_subjects (Fixture       *fixture,
               gconstpointer  data)
{
  const struct {
    const char *subject;
    const char *kinds;
    const char *caps;   /* in the subject-caps warning, if any */
  } cases[] = {
    { "URGENT REPLY NEEDED", "subject-caps,spam-words", "mostly capital letters" },
    { "Invoice for O'NEIL & SONS LTD", "subject-caps", "(“O'NEIL & SONS LTD”)" },
    { "Quarterly report?!", "subject-exclaim", NULL },
    { "好消息！！", "subject-exclaim", NULL },
    { "Your invoice from ACME, {{name}}", "", NULL },
    { "Hello {{name}}!", "", NULL },
  };
  g_autofree char *csv = make_csv (2);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf ("Subject: %s\n\nHello\n", cases[i].subject);
      g_autoptr(GPtrArray) warnings = NULL;
      g_autoptr(GPtrArray) message_warnings = NULL;

      g_test_message ("%s", cases[i].subject);
      load_strings (fixture, csv, "t.txt", text);
      warnings = singly_preflight_check_campaign (fixture->builder);
      assert_kinds (warnings, cases[i].kinds);
      if (cases[i].caps != NULL)
        g_assert_nonnull (strstr (get_kind (warnings, SINGLY_WARNING_SUBJECT_CAPS)->message, cases[i].caps));

      /* the message's own subject says the same */
      message_warnings = check_message (fixture, 0, 0);
      assert_kinds (message_warnings, cases[i].kinds);
    }
}

/* The template's text counts in every branch, fallbacks and sections
 * included; the contacts' values do not. */
static void
test_spam_words_in_body (Fixture       *fixture,
                         gconstpointer  data)
{
  const struct {
    const char *name;
    const char *text;
    const char *expected;   /* the words, "|"-separated, or "" */
  } cases[] = {
    { "plain.txt", "Subject: News\n\nDear {{name|friend}},\nclick here.\n", "“click here”, “dear friend”" },
    { "section.txt", "Subject: News\n\n{{#name}}Order now, {{name}}{{/name}}\n", "“order now”" },
    { "inverted.txt", "Subject: News\n\n{{^name}}You are a winner{{/name}}\n", "“winner”" },
    { "page.html", "Subject: News\n\n<p>Please <a href=\"https://example.com/\">click here</a></p>\n", "“click here”" },
    { "attr.html", "Subject: News\n\n<p class=\"free money\">Hello</p>\n", "" },
    { "note.md", "Subject: News\n\n**限时抢购**，点击领取\n", "“限时抢购”, “点击领取”" },
    { "value.txt", "Subject: News\n\nHello {{name}}\n", "" },
  };
  const char *csv = "email,name\na@example.com,Winner Free Money\n";

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) warnings = NULL;
      const SinglyWarning *spam;

      g_test_message ("%s", cases[i].name);
      load_strings (fixture, csv, cases[i].name, cases[i].text);
      warnings = singly_preflight_check_campaign (fixture->builder);
      spam = find_kind (warnings, SINGLY_WARNING_SPAM_WORDS);
      if (*cases[i].expected == '\0')
        {
          g_assert_null (spam);
          continue;
        }
      spam = get_kind (warnings, SINGLY_WARNING_SPAM_WORDS);
      g_assert_true (g_str_has_suffix (spam->message, cases[i].expected));
    }
}

static void
test_chinese_subject (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GPtrArray) message_warnings = NULL;
  const SinglyWarning *spam;

  load_strings (fixture, "邮箱,姓名\nwang@example.cn,王小明\n", "t.txt",
                "Subject: 免费领取大礼包，恭喜中奖\n\n{{姓名}}，您好。\n");

  warnings = singly_preflight_check_campaign (fixture->builder);
  assert_kinds (warnings, "spam-words");
  spam = get_kind (warnings, SINGLY_WARNING_SPAM_WORDS);
  g_assert_nonnull (strstr (spam->message, "“免费”"));
  g_assert_nonnull (strstr (spam->message, "“中奖”"));

  message_warnings = check_message (fixture, 0, 0);
  assert_kinds (message_warnings, "spam-words");
}

static void
test_unsubscribe (Fixture       *fixture,
                  gconstpointer  data)
{
  const struct {
    const char *name;
    guint       n_rows;
    const char *text;
    gboolean    warned;
  } cases[] = {
    { "none.txt", 150, "Subject: News\n\nHello {{name}}\n", TRUE },
    { "header.txt", 150, "Subject: News\nList-Unsubscribe: <mailto:leave@example.com>\n\nHello {{name}}\n", FALSE },
    { "word.txt", 150, "Subject: News\n\nHello {{name}}\nTo unsubscribe, reply with STOP.\n", FALSE },
    { "link.html", 150, "Subject: News\n\n<p>Hello</p><p><a href=\"https://example.com/unsubscribe?u={{email}}\">Leave</a></p>\n", FALSE },
    { "zh.txt", 150, "Subject: 新闻\n\n您好 {{name}}\n退订请回复 TD\n", FALSE },
    { "zh2.txt", 150, "Subject: 新闻\n\n您好 {{name}}\n如需取消订阅，请回复。\n", FALSE },
    { "small.txt", SINGLY_PREFLIGHT_LARGE_SEND, "Subject: News\n\nHello {{name}}\n", FALSE },
    { "just-over.txt", SINGLY_PREFLIGHT_LARGE_SEND + 1, "Subject: News\n\nHello {{name}}\n", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *csv = make_csv (cases[i].n_rows);
      g_autoptr(GPtrArray) warnings = NULL;
      const SinglyWarning *warning;

      g_test_message ("%s", cases[i].name);
      load_strings (fixture, csv, cases[i].name, cases[i].text);
      g_assert_cmpuint (singly_message_builder_get_n_sendable (fixture->builder), ==, cases[i].n_rows);
      warnings = singly_preflight_check_campaign (fixture->builder);
      warning = find_kind (warnings, SINGLY_WARNING_NO_UNSUBSCRIBE);
      g_assert_cmpint (warning != NULL, ==, cases[i].warned);
      if (warning != NULL)
        {
          g_autofree char *count = g_strdup_printf (" %u ", cases[i].n_rows);

          g_assert_nonnull (strstr (warning->message, count));
          assert_kinds (warnings, "no-unsubscribe");
        }
      else
        assert_kinds (warnings, "");
    }
}

static void
test_eml (Fixture       *fixture,
          gconstpointer  data)
{
  const struct {
    const char *name;
    const char *text;
    const char *kinds;
  } cases[] = {
    { "html-only.eml",
      "Subject: News for {{name}}\nContent-Type: text/html; charset=utf-8\n\n<p>Hello {{name}}</p>\n",
      "no-plain-text" },
    { "html-with-text-attachment.eml",
      "Subject: News\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n"
      "--b\nContent-Type: text/html; charset=utf-8\n\n<p>Hello {{name}}</p>\n"
      "--b\nContent-Type: text/plain\nContent-Disposition: attachment; filename=\"notes.txt\"\n\nnotes\n"
      "--b--\n",
      "no-plain-text" },
    { "alternative.eml",
      "Subject: News\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=\"b\"\n\n"
      "--b\nContent-Type: text/plain; charset=utf-8\n\nHello {{name}}\n"
      "--b\nContent-Type: text/html; charset=utf-8\n\n<p>Hello {{name}}</p>\n"
      "--b--\n",
      "" },
    { "plain.eml", "Subject: News\nContent-Type: text/plain; charset=utf-8\n\nHello {{name}}\n", "" },
    { "spam-body.eml",
      "Subject: News\nContent-Type: text/html; charset=utf-8\n\n<p>Hello, <a href=\"https://example.com/\">click here</a></p>\n",
      "spam-words,no-plain-text" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) warnings = NULL;

      g_test_message ("%s", cases[i].name);
      load_strings (fixture, "email,name\na@example.com,Ann\n", cases[i].name, cases[i].text);
      warnings = singly_preflight_check_campaign (fixture->builder);
      assert_kinds (warnings, cases[i].kinds);
    }
}

/* Fields used only in the body of an .eml template count too. */
static void
test_eml_empty_field (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;

  load_strings (fixture, "email,name,city\na@example.com,Ann,\nb@example.com,Ben,Paris\n", "t.eml",
                "Subject: News\nContent-Type: text/plain; charset=utf-8\n\n"
                "Hello {{name}}, greetings to {{city|your town}}\n");

  first = check_message (fixture, 0, 0);
  assert_kinds (first, "empty-field");
  g_assert_nonnull (strstr (((const SinglyWarning *) first->pdata[0])->message, "“city”"));
  second = check_message (fixture, 1, 0);
  assert_kinds (second, "");
}

static void
test_large_message (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *big = g_build_filename (fixture->tmpdir, "big.bin", NULL);
  g_autofree char *blob = g_malloc (11 * 1024 * 1024);
  g_autoptr(GPtrArray) measured = NULL;
  g_autoptr(GPtrArray) given = NULL;
  g_autoptr(GPtrArray) small = NULL;
  g_autoptr(SinglyMessage) message = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const SinglyWarning *warning;
  g_autofree char *size_text = NULL;
  GRand *rand = g_rand_new_with_seed (42);

  /* random bytes, so the size is not an artefact of compression anywhere */
  for (gsize i = 0; i < 11 * 1024 * 1024; i++)
    blob[i] = g_rand_int (rand);
  g_rand_free (rand);
  g_file_set_contents (big, blob, 11 * 1024 * 1024, &error);
  g_assert_no_error (error);

  load_strings (fixture, "email,name\na@example.com,Ann\n", "t.txt",
                "Subject: The file\nAttach: big.bin\n\nHello {{name}}, here it is.\n");

  message = singly_message_builder_build (fixture->builder, 0, &error);
  g_assert_no_error (error);
  bytes = singly_message_to_bytes (message);
  g_assert_cmpuint (g_bytes_get_size (bytes), >, SINGLY_PREFLIGHT_LARGE_MESSAGE);

  measured = singly_preflight_check_message (fixture->builder, message, 0);
  assert_kinds (measured, "large-message");
  warning = get_kind (measured, SINGLY_WARNING_LARGE_MESSAGE);
  g_assert_cmpuint (warning->row, ==, 0);
  /* base64 makes the 11 MB file a message of about 15 MB */
  size_text = g_strdup_printf ("%.1f MB", g_bytes_get_size (bytes) / (1024.0 * 1024.0));
  g_assert_nonnull (strstr (warning->message, size_text));

  given = singly_preflight_check_message (fixture->builder, message, g_bytes_get_size (bytes));
  assert_kinds (given, "large-message");
  small = singly_preflight_check_message (fixture->builder, message, 1000);
  assert_kinds (small, "");

  /* the campaign itself is fine */
  {
    g_autoptr(GPtrArray) warnings = singly_preflight_check_campaign (fixture->builder);

    assert_kinds (warnings, "");
  }
}

static void
test_empty_field (Fixture       *fixture,
                  gconstpointer  data)
{
  const struct {
    const char *name;
    const char *text;
    const char *fragment;   /* in the warning for row 0 */
    const char *campaign;
  } cases[] = {
    { "section.txt", "Subject: Hi {{name}}\n\nHello {{name}}\n{{#note}}Note: {{note}}{{/note}}\n",
      "“note” is empty", "" },
    { "fallback.txt", "Subject: Hi {{name}}\n\nHello {{name}}\nNote: {{note|none}}\n",
      "“note” is empty: the fallback", "" },
    { "required.txt", "Subject: Hi {{name}}\n\nHello {{name}}\nNote: {{note}}\n",
      "without a fallback", "problem-rows" },
    { "subject.txt", "Subject: Hi {{name}}{{#note}} ({{note}}){{/note}}\n\nHello\n",
      "“note” is empty", "" },
  };
  const char *csv = "email,name,note,unused\na@example.com,Ann,,\nb@example.com,Ben,hello,\nc@example.com,Cid, ,\n";

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) campaign = NULL;
      g_autoptr(GPtrArray) first = NULL;
      g_autoptr(GPtrArray) second = NULL;
      g_autoptr(GPtrArray) third = NULL;
      const SinglyWarning *warning;

      g_test_message ("%s", cases[i].name);
      load_strings (fixture, csv, cases[i].name, cases[i].text);

      campaign = singly_preflight_check_campaign (fixture->builder);
      assert_kinds (campaign, cases[i].campaign);

      first = check_message (fixture, 0, 0);
      assert_kinds (first, "empty-field");
      warning = first->pdata[0];
      g_assert_cmpuint (warning->row, ==, 0);
      g_assert_nonnull (strstr (warning->message, cases[i].fragment));

      second = check_message (fixture, 1, 0);
      assert_kinds (second, "");

      /* a lone space is empty too, as the template sees it */
      third = check_message (fixture, 2, 0);
      assert_kinds (third, "empty-field");
    }
}

static void
test_empty_subject (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *csv = "email,topic\na@example.com,Spring\nb@example.com,\nc@example.com,\n";

  {
    g_autoptr(GPtrArray) warnings = NULL;
    g_autoptr(GPtrArray) message_warnings = NULL;

    load_strings (fixture, csv, "none.txt", "Reply-To: a@example.com\n\nHello\n");
    warnings = singly_preflight_check_campaign (fixture->builder);
    assert_kinds (warnings, "empty-subject");
    g_assert_nonnull (strstr (((const SinglyWarning *) warnings->pdata[0])->message, "no subject"));
    message_warnings = check_message (fixture, 0, 0);
    assert_kinds (message_warnings, "empty-subject");
  }
  {
    g_autoptr(GPtrArray) warnings = NULL;
    g_autoptr(GPtrArray) first = NULL;
    g_autoptr(GPtrArray) second = NULL;

    load_strings (fixture, csv, "some.txt", "Subject: {{#topic}}{{topic}}{{/topic}}\n\nHello\n");
    warnings = singly_preflight_check_campaign (fixture->builder);
    assert_kinds (warnings, "empty-subject");
    g_assert_nonnull (strstr (((const SinglyWarning *) warnings->pdata[0])->message, "empty for 2 rows"));
    first = check_message (fixture, 0, 0);
    assert_kinds (first, "");
    second = check_message (fixture, 1, 0);
    assert_kinds (second, "empty-field,empty-subject");
  }
}

static void
test_problem_rows (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *files = g_build_filename (fixture->tmpdir, "files", NULL);
  g_autofree char *present = g_build_filename (files, "a.pdf", NULL);

  g_mkdir (files, 0755);
  g_file_set_contents (present, "%PDF-1.4\n", -1, &error);
  g_assert_no_error (error);

  {
    g_autoptr(GPtrArray) warnings = NULL;
    const SinglyWarning *warning;

    load_strings (fixture,
                  "email,name\na@example.com,Ann\nnot-an-address,Ben\nA@example.com,Ann again\nc@example.com,Cid\n",
                  "t.txt", "Subject: Hello {{name}}\n\nHello\n");
    warnings = singly_preflight_check_campaign (fixture->builder);
    assert_kinds (warnings, "problem-rows");
    warning = warnings->pdata[0];
    g_assert_cmpstr (warning->message, ==, "2 rows will not be sent: see the problems list");
    g_assert_cmpuint (warning->row, ==, SINGLY_PROBLEM_NO_ROW);
  }
  {
    g_autoptr(GPtrArray) warnings = NULL;

    load_strings (fixture, "email,name\na@example.com,Ann\nnot-an-address,Ben\n",
                  "t.txt", "Subject: Hello {{name}}\n\nHello\n");
    warnings = singly_preflight_check_campaign (fixture->builder);
    g_assert_cmpstr (((const SinglyWarning *) warnings->pdata[0])->message, ==,
                     "1 row will not be sent: see the problems list");

    /* a row excluded by hand is the user's choice, not a problem */
    g_clear_pointer (&warnings, g_ptr_array_unref);
    singly_contact_list_set_row_included (fixture->contacts, 0, FALSE);
    singly_message_builder_check (fixture->builder);
    warnings = singly_preflight_check_campaign (fixture->builder);
    g_assert_cmpstr (((const SinglyWarning *) warnings->pdata[0])->message, ==,
                     "1 row will not be sent: see the problems list");
  }
  {
    g_autoptr(GPtrArray) warnings = NULL;
    const SinglyWarning *warning;

    load_strings (fixture, "email,file\na@example.com,a.pdf\nb@example.com,b.pdf\nc@example.com,c.pdf\n",
                  "t.txt", "Subject: Your file\nAttach: files/{{file}}\n\nHello\n");
    warnings = singly_preflight_check_campaign (fixture->builder);
    assert_kinds (warnings, "problem-rows,missing-attachment");
    warning = get_kind (warnings, SINGLY_WARNING_MISSING_ATTACHMENT);
    g_assert_cmpstr (warning->message, ==, "An attachment is missing for 2 rows");
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/preflight/resource", test_resource);
  g_test_add_func ("/preflight/kind-names", test_kind_names);
  g_test_add_func ("/preflight/text/spam-words", test_spam_words);
  g_test_add_func ("/preflight/text/shouting", test_shouting);
  g_test_add_func ("/preflight/text/exclamation", test_exclamation);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/preflight/samples", test_samples);
  ADD ("/preflight/campaign/spammy-subject", test_spammy_subject);
  ADD ("/preflight/campaign/subjects", test_subjects);
  ADD ("/preflight/campaign/spam-words-in-body", test_spam_words_in_body);
  ADD ("/preflight/campaign/chinese-subject", test_chinese_subject);
  ADD ("/preflight/campaign/unsubscribe", test_unsubscribe);
  ADD ("/preflight/campaign/eml", test_eml);
  ADD ("/preflight/campaign/empty-subject", test_empty_subject);
  ADD ("/preflight/campaign/problem-rows", test_problem_rows);
  ADD ("/preflight/message/eml-empty-field", test_eml_empty_field);
  ADD ("/preflight/message/large", test_large_message);
  ADD ("/preflight/message/empty-field", test_empty_field);

#undef ADD

  return g_test_run ();
}
