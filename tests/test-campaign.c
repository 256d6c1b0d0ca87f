/* test-campaign.c: campaign files, written and read back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "singly-campaign.h"
#include "singly-test-util.h"

static char *
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static char *
read_text (const char *path)
{
  g_autoptr(GBytes) bytes = singly_test_read (path);

  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static gboolean
has_line (const char *text,
          const char *line)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  return g_strv_contains ((const char * const *) lines, line);
}

static void
test_new (void)
{
  g_autoptr(SinglyCampaign) campaign = singly_campaign_new ();
  SinglyContactsOptions options = { "junk", 'x', "junk" };
  const SinglyPacing *pacing = singly_campaign_get_pacing (campaign);
  guint n = 99;

  g_assert_null (singly_campaign_get_path (campaign));
  g_assert_null (singly_campaign_get_contacts_path (campaign));
  g_assert_null (singly_campaign_get_template_path (campaign));
  g_assert_null (singly_campaign_get_journal_path (campaign));
  g_assert_null (singly_campaign_get_account (campaign));
  g_assert_cmpint (singly_campaign_get_delimiter (campaign), ==, 0);
  g_assert_cmpfloat (pacing->interval, ==, 0);
  g_assert_cmpuint (pacing->max_per_day, ==, 0);
  g_assert_null (singly_campaign_get_lines (campaign, SINGLY_ROW_CHOICE_EXCLUDE, &n));
  g_assert_cmpuint (n, ==, 0);

  singly_campaign_get_contacts_options (campaign, &options);
  g_assert_null (options.encoding);
  g_assert_cmpint (options.delimiter, ==, 0);
  g_assert_null (options.address_column);
}

static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *dir = g_build_filename (tmpdir, "spring", NULL);
  g_autofree char *letters = g_build_filename (dir, "letters", NULL);
  g_autofree char *elsewhere = g_build_filename (tmpdir, "state", NULL);
  g_autofree char *contacts = g_build_filename (dir, "contacts.csv", NULL);
  g_autofree char *template = g_build_filename (letters, "invoice.md", NULL);
  g_autofree char *journal = g_build_filename (elsewhere, "spring.journal", NULL);
  g_autofree char *path = g_build_filename (dir, "spring" SINGLY_CAMPAIGN_EXTENSION, NULL);
  g_autofree char *text = NULL;
  g_autofree char *journal_line = g_strdup_printf ("Journal=%s", journal);
  g_autoptr(SinglyCampaign) campaign = singly_campaign_new ();
  g_autoptr(SinglyCampaign) loaded = NULL;
  SinglyPacing pacing = { 2.5, 1.25, 20, 300, 2000, 50 };
  const SinglyPacing *read_pacing;
  SinglyContactsOptions options = { 0 };
  const guint *lines;
  guint n_lines;
  GStatBuf st;

  g_mkdir_with_parents (letters, 0755);
  g_mkdir_with_parents (elsewhere, 0755);

  singly_campaign_set_contacts_path (campaign, contacts);
  singly_campaign_set_template_path (campaign, template);
  singly_campaign_set_journal_path (campaign, journal);
  singly_campaign_set_encoding (campaign, "GB18030");
  singly_campaign_set_delimiter (campaign, ';');
  singly_campaign_set_address_column (campaign, "邮箱");
  singly_campaign_set_account (campaign, "Office (smtp.example.com)");
  singly_campaign_set_pacing (campaign, &pacing);
  singly_campaign_set_row_choice (campaign, 12, SINGLY_ROW_CHOICE_EXCLUDE);
  singly_campaign_set_row_choice (campaign, 3, SINGLY_ROW_CHOICE_EXCLUDE);
  singly_campaign_set_row_choice (campaign, 7, SINGLY_ROW_CHOICE_INCLUDE);
  singly_campaign_set_row_choice (campaign, 9, SINGLY_ROW_CHOICE_INCLUDE);
  singly_campaign_set_row_choice (campaign, 9, SINGLY_ROW_CHOICE_DEFAULT);

  singly_campaign_save (campaign, path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (singly_campaign_get_path (campaign), ==, path);

  /* what a person sees when opening the file */
  text = read_text (path);
  g_test_message ("%s", text);
  g_assert_true (has_line (text, "[Campaign]"));
  g_assert_true (has_line (text, "Version=1"));
  g_assert_true (has_line (text, "Contacts=contacts.csv"));
  g_assert_true (has_line (text, "Template=letters/invoice.md"));
  g_assert_true (has_line (text, journal_line));
  g_assert_true (has_line (text, "Account=Office (smtp.example.com)"));
  g_assert_true (has_line (text, "Encoding=GB18030"));
  g_assert_true (has_line (text, "Delimiter=semicolon"));
  g_assert_true (has_line (text, "AddressColumn=邮箱"));
  g_assert_true (has_line (text, "ExcludedLines=3;12;"));
  g_assert_true (has_line (text, "IncludedLines=7;"));
  g_assert_true (has_line (text, "Interval=2.5"));
  g_assert_true (has_line (text, "MaxPerConnection=50"));
  g_assert_null (strstr (text, "assword"));

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0644);

  loaded = singly_campaign_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (singly_campaign_get_path (loaded), ==, path);
  g_assert_cmpstr (singly_campaign_get_contacts_path (loaded), ==, contacts);
  g_assert_cmpstr (singly_campaign_get_template_path (loaded), ==, template);
  g_assert_cmpstr (singly_campaign_get_journal_path (loaded), ==, journal);
  g_assert_cmpstr (singly_campaign_get_encoding (loaded), ==, "GB18030");
  g_assert_cmpint (singly_campaign_get_delimiter (loaded), ==, ';');
  g_assert_cmpstr (singly_campaign_get_address_column (loaded), ==, "邮箱");
  g_assert_cmpstr (singly_campaign_get_account (loaded), ==, "Office (smtp.example.com)");

  read_pacing = singly_campaign_get_pacing (loaded);
  g_assert_cmpfloat (read_pacing->interval, ==, 2.5);
  g_assert_cmpfloat (read_pacing->jitter, ==, 1.25);
  g_assert_cmpuint (read_pacing->max_per_minute, ==, 20);
  g_assert_cmpuint (read_pacing->max_per_hour, ==, 300);
  g_assert_cmpuint (read_pacing->max_per_day, ==, 2000);
  g_assert_cmpuint (read_pacing->max_per_connection, ==, 50);

  lines = singly_campaign_get_lines (loaded, SINGLY_ROW_CHOICE_EXCLUDE, &n_lines);
  g_assert_cmpuint (n_lines, ==, 2);
  g_assert_cmpuint (lines[0], ==, 3);
  g_assert_cmpuint (lines[1], ==, 12);
  lines = singly_campaign_get_lines (loaded, SINGLY_ROW_CHOICE_INCLUDE, &n_lines);
  g_assert_cmpuint (n_lines, ==, 1);
  g_assert_cmpuint (lines[0], ==, 7);
  g_assert_cmpint (singly_campaign_get_row_choice (loaded, 9), ==, SINGLY_ROW_CHOICE_DEFAULT);
  g_assert_cmpint (singly_campaign_get_row_choice (loaded, 12), ==, SINGLY_ROW_CHOICE_EXCLUDE);

  singly_campaign_get_contacts_options (loaded, &options);
  g_assert_cmpstr (options.encoding, ==, "GB18030");
  g_assert_cmpint (options.delimiter, ==, ';');
  g_assert_cmpstr (options.address_column, ==, "邮箱");

  /* the same campaign again gives the same file */
  {
    g_autofree char *again = singly_campaign_to_data (loaded, NULL, NULL);

    g_assert_cmpstr (again, ==, text);
  }

  singly_test_rm_rf (tmpdir);
}

/* A folder holding the campaign and its files can be moved as a whole. */
static void
test_moved_folder (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *before = g_build_filename (tmpdir, "before", NULL);
  g_autofree char *after = g_build_filename (tmpdir, "after", NULL);
  g_autofree char *path = g_build_filename (before, "c.singly", NULL);
  g_autofree char *moved_path = g_build_filename (after, "c.singly", NULL);
  g_autofree char *contacts = g_build_filename (before, "list.csv", NULL);
  g_autofree char *template = g_build_filename (before, "t.txt", NULL);
  g_autofree char *moved_contacts = g_build_filename (after, "list.csv", NULL);
  g_autofree char *moved_template = g_build_filename (after, "t.txt", NULL);
  g_autoptr(SinglyCampaign) campaign = singly_campaign_new ();
  g_autoptr(SinglyCampaign) moved = NULL;

  g_mkdir (before, 0755);
  singly_campaign_set_contacts_path (campaign, contacts);
  singly_campaign_set_template_path (campaign, template);
  singly_campaign_save (campaign, path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_rename (before, after), ==, 0);

  moved = singly_campaign_load (moved_path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (singly_campaign_get_contacts_path (moved), ==, moved_contacts);
  g_assert_cmpstr (singly_campaign_get_template_path (moved), ==, moved_template);

  singly_test_rm_rf (tmpdir);
}

/* Paths are stored relative to the campaign's folder only when inside it;
 * a relative path handed to a setter is taken from the current folder. */
static void
test_paths (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *dir = g_build_filename (tmpdir, "c", NULL);
  g_autofree char *sibling = g_build_filename (tmpdir, "c2", "list.csv", NULL);
  g_autofree char *dotted = g_build_filename (dir, "sub", "..", "t.txt", NULL);
  g_autofree char *clean = g_build_filename (dir, "t.txt", NULL);
  /* not UTF-8: a key file cannot hold it as text */
  g_autofree char *latin1 = g_build_filename (dir, "caf\xe9.csv", NULL);
  g_autofree char *path = g_build_filename (dir, "c.singly", NULL);
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *from_cwd = g_build_filename (cwd, "journal.log", NULL);
  g_autoptr(SinglyCampaign) campaign = singly_campaign_new ();
  g_autoptr(SinglyCampaign) loaded = NULL;
  g_autofree char *text = NULL;
  g_autofree char *sibling_line = g_strdup_printf ("Contacts=%s", sibling);

  g_mkdir (dir, 0755);

  singly_campaign_set_journal_path (campaign, "journal.log");
  g_assert_cmpstr (singly_campaign_get_journal_path (campaign), ==, from_cwd);
  singly_campaign_set_template_path (campaign, dotted);
  g_assert_cmpstr (singly_campaign_get_template_path (campaign), ==, clean);
  singly_campaign_set_template_path (campaign, "");
  g_assert_null (singly_campaign_get_template_path (campaign));
  singly_campaign_set_template_path (campaign, clean);

  /* "c2" starts with "c" but is not inside it */
  singly_campaign_set_contacts_path (campaign, sibling);
  singly_campaign_set_journal_path (campaign, latin1);
  text = singly_campaign_to_data (campaign, path, NULL);
  g_test_message ("%s", text);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_true (has_line (text, sibling_line));
  g_assert_true (has_line (text, "Template=t.txt"));
  g_assert_nonnull (strstr (text, "Journal=file:///"));
  g_assert_nonnull (strstr (text, "caf%E9.csv"));

  singly_campaign_save (campaign, path, &error);
  g_assert_no_error (error);
  loaded = singly_campaign_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (singly_campaign_get_contacts_path (loaded), ==, sibling);
  g_assert_cmpstr (singly_campaign_get_template_path (loaded), ==, clean);
  g_assert_cmpstr (singly_campaign_get_journal_path (loaded), ==, latin1);

  singly_test_rm_rf (tmpdir);
}

static void
test_delimiters (void)
{
  const struct {
    char        delimiter;
    const char *line;
  } cases[] = {
    { ',',  "Delimiter=comma" },
    { ';',  "Delimiter=semicolon" },
    { '\t', "Delimiter=tab" },
    { '|',  "Delimiter=pipe" },
    { ':',  "Delimiter=:" },
    { '#',  "Delimiter=#" },
    { ' ',  "Delimiter=\\s" },
  };
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *path = g_build_filename (tmpdir, "d.singly", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SinglyCampaign) campaign = singly_campaign_new ();
      g_autoptr(SinglyCampaign) loaded = NULL;
      g_autofree char *text = NULL;

      singly_campaign_set_delimiter (campaign, cases[i].delimiter);
      singly_campaign_save (campaign, path, &error);
      g_assert_no_error (error);
      text = read_text (path);
      g_test_message ("%s", text);
      g_assert_true (has_line (text, cases[i].line));

      loaded = singly_campaign_load (path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (singly_campaign_get_delimiter (loaded), ==, cases[i].delimiter);
    }

  singly_test_rm_rf (tmpdir);
}

static void
test_bad_files (void)
{
  const struct {
    const char *name;
    const char *contents;   /* NULL: the file does not exist */
    GQuark      domain;
    int         code;
    const char *fragment;
  } cases[] = {
    { "missing.singly", NULL, G_FILE_ERROR, G_FILE_ERROR_NOENT, NULL },
    { "garbage.singly", "this is not a key file\n", 0, SINGLY_CAMPAIGN_ERROR_INVALID, NULL },
    { "binary.singly", "[Campaign]\nContacts=\xff\xfe\n", 0, SINGLY_CAMPAIGN_ERROR_INVALID, NULL },
    { "other.singly", "[Desktop Entry]\nName=Foo\n", 0, SINGLY_CAMPAIGN_ERROR_INVALID, "[Campaign]" },
    { "delimiter.singly", "[Campaign]\n[Contacts]\nDelimiter=ab\n", 0, SINGLY_CAMPAIGN_ERROR_INVALID, "Delimiter" },
    { "quote.singly", "[Campaign]\n[Contacts]\nDelimiter=\"\n", 0, SINGLY_CAMPAIGN_ERROR_INVALID, "Delimiter" },
    { "interval.singly", "[Campaign]\n[Pacing]\nInterval=soon\n", 0, SINGLY_CAMPAIGN_ERROR_INVALID, "Interval" },
    { "negative.singly", "[Campaign]\n[Pacing]\nJitter=-1\n", 0, SINGLY_CAMPAIGN_ERROR_INVALID, "Jitter" },
    { "nan.singly", "[Campaign]\n[Pacing]\nInterval=nan\n", 0, SINGLY_CAMPAIGN_ERROR_INVALID, "Interval" },
    { "limit.singly", "[Campaign]\n[Pacing]\nMaxPerDay=-5\n", 0, SINGLY_CAMPAIGN_ERROR_INVALID, "MaxPerDay" },
    { "huge.singly", "[Campaign]\n[Pacing]\nMaxPerHour=99999999999\n", 0, SINGLY_CAMPAIGN_ERROR_INVALID, "MaxPerHour" },
    { "line0.singly", "[Campaign]\n[Contacts]\nExcludedLines=0;\n", 0, SINGLY_CAMPAIGN_ERROR_INVALID, "ExcludedLines" },
    { "lines.singly", "[Campaign]\n[Contacts]\nIncludedLines=a;b;\n", 0, SINGLY_CAMPAIGN_ERROR_INVALID, "IncludedLines" },
    { "both.singly", "[Campaign]\n[Contacts]\nIncludedLines=4;\nExcludedLines=2;4;\n", 0,
      SINGLY_CAMPAIGN_ERROR_INVALID, "line 4" },
    { "uri.singly", "[Campaign]\nContacts=file://host/x%zz\n", 0, SINGLY_CAMPAIGN_ERROR_INVALID, "Contacts" },
  };
  g_autofree char *tmpdir = singly_test_tmpdir ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SinglyCampaign) campaign = NULL;
      g_autofree char *path = g_build_filename (tmpdir, cases[i].name, NULL);
      GQuark domain = cases[i].domain != 0 ? cases[i].domain : SINGLY_CAMPAIGN_ERROR;

      if (cases[i].contents != NULL)
        g_free (write_file (tmpdir, cases[i].name, cases[i].contents));

      campaign = singly_campaign_load (path, &error);
      g_assert_null (campaign);
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_error (error, domain, cases[i].code);
      g_assert_nonnull (strstr (error->message, path));
      if (cases[i].fragment != NULL)
        g_assert_nonnull (strstr (error->message, cases[i].fragment));
    }

  singly_test_rm_rf (tmpdir);
}

/* Keys Singly does not know are ignored, and a password someone wrote
 * into the file by hand is never written back. */
static void
test_unknown_keys (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *path = write_file (tmpdir, "future.singly",
                                      "# written by a newer Singly\n"
                                      "[Campaign]\n"
                                      "Version=7\n"
                                      "Contacts=list.csv\n"
                                      "Password=hunter2\n"
                                      "Colour=green\n"
                                      "Account=\n"
                                      "[Contacts]\n"
                                      "Delimiter=\n"
                                      "ExcludedLines=\n"
                                      "[Pacing]\n"
                                      "MaxPerWeek=10\n"
                                      "MaxPerMinute=30\n"
                                      "[Schedule]\n"
                                      "Start=tomorrow\n");
  g_autofree char *contacts = g_build_filename (tmpdir, "list.csv", NULL);
  g_autoptr(SinglyCampaign) campaign = NULL;
  g_autofree char *text = NULL;
  guint n_lines = 0;

  campaign = singly_campaign_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (singly_campaign_get_contacts_path (campaign), ==, contacts);
  g_assert_null (singly_campaign_get_account (campaign));
  g_assert_cmpint (singly_campaign_get_delimiter (campaign), ==, 0);
  g_assert_null (singly_campaign_get_lines (campaign, SINGLY_ROW_CHOICE_EXCLUDE, &n_lines));
  g_assert_cmpuint (singly_campaign_get_pacing (campaign)->max_per_minute, ==, 30);

  singly_campaign_save (campaign, path, &error);
  g_assert_no_error (error);
  text = read_text (path);
  g_assert_null (strstr (text, "hunter2"));
  g_assert_null (strstr (text, "Password"));
  g_assert_true (has_line (text, "Version=1"));
  g_assert_true (has_line (text, "Contacts=list.csv"));
  g_assert_true (has_line (text, "MaxPerMinute=30"));

  singly_test_rm_rf (tmpdir);
}

static void
test_save_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *nowhere = g_build_filename (tmpdir, "no", "such", "folder", "c.singly", NULL);
  g_autofree char *path = write_file (tmpdir, "c.singly", "old contents\n");
  g_autoptr(SinglyCampaign) campaign = singly_campaign_new ();
  g_autofree char *text = NULL;
  SinglyPacing bad = { NAN, -3, 0, 0, 0, 0 };

  g_assert_false (singly_campaign_save (campaign, nowhere, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_null (singly_campaign_get_path (campaign));
  g_clear_error (&error);

  /* the file is replaced as a whole */
  singly_campaign_set_pacing (campaign, &bad);
  g_assert_cmpfloat (singly_campaign_get_pacing (campaign)->interval, ==, 0);
  g_assert_cmpfloat (singly_campaign_get_pacing (campaign)->jitter, ==, 0);
  g_assert_true (singly_campaign_save (campaign, path, &error));
  g_assert_no_error (error);
  text = read_text (path);
  g_assert_null (strstr (text, "old contents"));
  g_assert_null (strstr (text, "[Pacing]"));
  g_assert_null (strstr (text, "nan"));

  singly_test_rm_rf (tmpdir);
}

static void
test_contacts_options (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *contacts = write_file (tmpdir, "list.txt", "who:where\nann@example.com:Paris\n");
  g_autofree char *path = write_file (tmpdir, "c.singly",
                                      "[Campaign]\nContacts=list.txt\n"
                                      "[Contacts]\nDelimiter=:\nAddressColumn=who\nEncoding=ISO-8859-1\n");
  g_autoptr(SinglyCampaign) campaign = NULL;
  g_autoptr(SinglyContactList) list = NULL;
  g_autoptr(GFile) file = NULL;
  SinglyContactsOptions options = { 0 };

  campaign = singly_campaign_load (path, &error);
  g_assert_no_error (error);
  singly_campaign_get_contacts_options (campaign, &options);
  file = g_file_new_for_path (singly_campaign_get_contacts_path (campaign));
  list = singly_contact_list_new_from_file (file, &options, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpint (singly_contact_list_get_delimiter (list), ==, ':');
  g_assert_cmpstr (singly_contact_list_get_encoding (list), ==, "ISO-8859-1");
  g_assert_false (singly_contact_list_get_encoding_detected (list));
  g_assert_cmpint (singly_contact_list_get_address_column (list), ==, 0);
  g_assert_cmpstr (singly_contact_list_get_address (list, 0), ==, "ann@example.com");

  singly_test_rm_rf (tmpdir);
}

/* Rows are remembered by the line where they start, which a quoted line
 * break pushes apart from the row number. */
static void
test_row_choices (void)
{
  g_autoptr(GError) error = NULL;
  static const char csv_text[] = "email,note\n"          /* line 1 */
                                 "a@example.com,\n"      /* line 2: row 0 */
                                 "b@example.com,\"one\n" /* line 3: row 1 */
                                 "two\"\n"
                                 "not-an-address,\n"     /* line 5: row 2 */
                                 "d@example.com,\n";     /* line 6: row 3 */
  g_autoptr(GBytes) csv = g_bytes_new_static (csv_text, sizeof csv_text - 1);
  g_autoptr(SinglyContactList) list = singly_contact_list_new_from_bytes (csv, NULL, &error);
  g_autoptr(SinglyCampaign) campaign = singly_campaign_new ();
  const struct {
    guint           line;
    SinglyRowChoice choice;
  } choices[] = {
    { 3,  SINGLY_ROW_CHOICE_EXCLUDE },
    { 5,  SINGLY_ROW_CHOICE_INCLUDE },
    { 99, SINGLY_ROW_CHOICE_EXCLUDE },  /* the file has changed since */
    { 4,  SINGLY_ROW_CHOICE_EXCLUDE },  /* inside a row: no row starts there */
  };
  const gboolean expected[] = { TRUE, FALSE, TRUE, TRUE };

  g_assert_no_error (error);
  g_assert_cmpuint (singly_contact_list_get_n_rows (list), ==, 4);
  g_assert_cmpuint (singly_contact_list_get_row_line (list, 2), ==, 5);
  g_assert_false (singly_contact_list_get_row_included (list, 2));

  g_assert_cmpuint (singly_campaign_apply_row_choices (campaign, list), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (choices); i++)
    {
      singly_campaign_set_row_choice (campaign, choices[i].line, choices[i].choice);
      g_assert_cmpint (singly_campaign_get_row_choice (campaign, choices[i].line), ==, choices[i].choice);
    }
  /* one choice per line: the last one */
  singly_campaign_set_row_choice (campaign, 3, SINGLY_ROW_CHOICE_INCLUDE);
  singly_campaign_set_row_choice (campaign, 3, SINGLY_ROW_CHOICE_EXCLUDE);
  g_assert_cmpint (singly_campaign_get_row_choice (campaign, 3), ==, SINGLY_ROW_CHOICE_EXCLUDE);

  g_assert_cmpuint (singly_campaign_apply_row_choices (campaign, list), ==, 2);
  for (guint row = 0; row < G_N_ELEMENTS (expected); row++)
    g_assert_cmpint (singly_contact_list_get_row_included (list, row), ==, expected[row]);

  singly_campaign_clear_row_choices (campaign);
  g_assert_cmpint (singly_campaign_get_row_choice (campaign, 3), ==, SINGLY_ROW_CHOICE_DEFAULT);
  g_assert_cmpuint (singly_campaign_apply_row_choices (campaign, list), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/campaign/new", test_new);
  g_test_add_func ("/campaign/round-trip", test_round_trip);
  g_test_add_func ("/campaign/moved-folder", test_moved_folder);
  g_test_add_func ("/campaign/paths", test_paths);
  g_test_add_func ("/campaign/delimiters", test_delimiters);
  g_test_add_func ("/campaign/bad-files", test_bad_files);
  g_test_add_func ("/campaign/unknown-keys", test_unknown_keys);
  g_test_add_func ("/campaign/save-errors", test_save_errors);
  g_test_add_func ("/campaign/contacts-options", test_contacts_options);
  g_test_add_func ("/campaign/row-choices", test_row_choices);

  return g_test_run ();
}
