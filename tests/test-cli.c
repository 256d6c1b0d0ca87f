/* test-cli.c: singly-cli check, preview and export, run as a person would
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "singly-test-util.h"

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs singly-cli with the arguments (NULL-terminated) and returns its
 * exit status and output. */
static void
run_cli (Run        *run,
         const char *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  const char *cli = g_getenv ("SINGLY_CLI");
  va_list args;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "EMAIL");
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);

  run->status = g_subprocess_get_exit_status (process);
  run->out = g_strndup (g_bytes_get_size (out) ? g_bytes_get_data (out, NULL) : "", g_bytes_get_size (out));
  run->err = g_strndup (g_bytes_get_size (err) ? g_bytes_get_data (err, NULL) : "", g_bytes_get_size (err));
  g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", run->status, run->out, run->err);
}

static char *
write_tmp (const char *dir,
           const char *name,
           const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_help (void)
{
  const char *commands[] = { "check", "preview", "export" };

  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "--help", NULL);
    g_assert_cmpint (run.status, ==, 0);
    for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
      g_assert_nonnull (strstr (run.out, commands[i]));
  }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(Run) run = { 0 };

      run_cli (&run, commands[i], "--help", NULL);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_nonnull (strstr (run.out, "--contacts"));
      g_assert_nonnull (strstr (run.out, "--template"));
    }

  {
    g_auto(Run) run = { 0 };

    run_cli (&run, NULL, NULL);
    g_assert_cmpint (run.status, ==, 2);
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "frobnicate", NULL);
    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "“frobnicate” is not a command"));
  }
}

static void
test_check_samples (void)
{
  const struct {
    const char *contacts;
    const char *template;
    const char *lines[4];
  } cases[] = {
    { "contacts.csv", "invitation.txt",
      { "Encoding:   UTF-8 (detected)", "Delimiter:  comma", "Recipients: 10 of 10 rows can be sent", "Addresses:  column “email”" } },
    { "contacts-excel-semicolon-bom.csv", NULL,
      { "Encoding:   UTF-8 (detected, with byte order mark)", "Delimiter:  semicolon", "Addresses:  column “E-Mail”", "Recipients: 10 of 10" } },
    { "contacts-excel-utf16.txt", NULL,
      { "Encoding:   UTF-16LE", "Delimiter:  tab", "Columns:    email, name, company", "Recipients: 10 of 10" } },
    { "contacts-excel-gbk.csv", NULL,
      { "Encoding:   GB18030 (detected)", "Columns:    姓名, 邮箱, 公司, 金额", "Addresses:  column “邮箱”", "Recipients: 5 of 5" } },
  };
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *generic = write_tmp (tmpdir, "generic.txt", "Subject: Hello\n\nHello.\n");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run = { 0 };
      g_autofree char *contacts = singly_test_sample_path (cases[i].contacts);
      g_autofree char *template = cases[i].template ? singly_test_sample_path (cases[i].template) : g_strdup (generic);

      run_cli (&run, "check", "--contacts", contacts, "--template", template, NULL);
      g_assert_cmpint (run.status, ==, 0);
      for (guint j = 0; j < G_N_ELEMENTS (cases[i].lines); j++)
        g_assert_nonnull (strstr (run.out, cases[i].lines[j]));
    }

  singly_test_rm_rf (tmpdir);
}

static void
test_check_problems (void)
{
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *contacts = write_tmp (tmpdir, "list.csv",
                                         "email,name\n"
                                         "ann@example.com,Ann\n"
                                         "not-an-address,Ben\n"
                                         "ANN@example.com,Ann again\n"
                                         "cid@example.com,\n");
  g_autofree char *template = write_tmp (tmpdir, "t.txt", "Subject: Hi {{name}}\n\nHi\n");
  g_auto(Run) run = { 0 };
  g_autofree char *line3 = g_strdup_printf ("%s:3: column “email”:", contacts);
  g_autofree char *line4 = g_strdup_printf ("%s:4: column “email”:", contacts);
  g_autofree char *line5 = g_strdup_printf ("%s:5: column “name”:", contacts);

  run_cli (&run, "check", "--contacts", contacts, "--template", template, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "Recipients: 1 of 4 rows can be sent"));
  g_assert_nonnull (strstr (run.out, line3));
  g_assert_nonnull (strstr (run.out, "[invalid-address]"));
  g_assert_nonnull (strstr (run.out, line4));
  g_assert_nonnull (strstr (run.out, "[duplicate-address]"));
  g_assert_nonnull (strstr (run.out, line5));
  g_assert_nonnull (strstr (run.out, "[empty-field]"));

  singly_test_rm_rf (tmpdir);
}

static void
test_check_unusable (void)
{
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *empty = write_tmp (tmpdir, "empty.csv", "");
  g_autofree char *header_only = write_tmp (tmpdir, "header.csv", "email,name\n");
  g_autofree char *good = write_tmp (tmpdir, "good.csv", "email,first_name\na@example.com,Ann\n");
  g_autofree char *no_address = write_tmp (tmpdir, "names.csv", "name,city\nAnn,Paris\n");
  g_autofree char *template = write_tmp (tmpdir, "t.txt", "Subject: Hi\n\nHi\n");
  g_autofree char *typo = write_tmp (tmpdir, "typo.txt", "Subject: Hi\n\nDear {{frist_name}},\n");
  g_autofree char *missing = g_build_filename (tmpdir, "missing.csv", NULL);

  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "check", "--contacts", empty, "--template", template, NULL);
    g_assert_cmpint (run.status, ==, 2);
    g_assert_true (g_str_has_prefix (run.err, "singly-cli: "));
    g_assert_nonnull (strstr (run.err, empty));
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "check", "--contacts", header_only, "--template", template, NULL);
    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "no recipients"));
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "check", "--contacts", missing, "--template", template, NULL);
    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, missing));
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "check", "--contacts", no_address, "--template", template, NULL);
    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "--address-column"));
  }
  {
    g_auto(Run) run = { 0 };
    g_autofree char *where = g_strdup_printf ("%s:3:6:", typo);

    run_cli (&run, "check", "--contacts", good, "--template", typo, NULL);
    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, where));
    g_assert_nonnull (strstr (run.err, "first_name"));
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "check", "--contacts", good, NULL);
    g_assert_cmpint (run.status, ==, 2);
  }

  singly_test_rm_rf (tmpdir);
}

static void
test_overrides (void)
{
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *contacts = write_tmp (tmpdir, "list.txt", "who|where\nann@example.com|Paris\n");
  g_autofree char *template = write_tmp (tmpdir, "t.txt", "Subject: Hi\n\nHi from {{where}}\n");
  g_autofree char *generic = write_tmp (tmpdir, "generic.txt", "Subject: Hi\n\nHi\n");
  g_autofree char *gbk = singly_test_sample_path ("contacts-excel-gbk.csv");

  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "check", "--contacts", contacts, "--template", template,
             "--delimiter", "pipe", "--address-column", "who", NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "Delimiter:  vertical bar"));
    g_assert_nonnull (strstr (run.out, "Addresses:  column “who”"));
  }
  {
    g_auto(Run) run = { 0 };

    /* read as Latin-1 on purpose: it is what the user asked for */
    run_cli (&run, "check", "--contacts", gbk, "--template", generic,
             "--encoding", "ISO-8859-1", NULL);
    g_assert_nonnull (strstr (run.out, "Encoding:   ISO-8859-1 (chosen)"));
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "check", "--contacts", contacts, "--template", template,
             "--delimiter", "pipe", "--address-column", "nowhere", NULL);
    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "nowhere"));
  }

  singly_test_rm_rf (tmpdir);
}

static void
test_preview (void)
{
  g_autofree char *contacts = singly_test_sample_path ("contacts.csv");
  g_autofree char *template = singly_test_sample_path ("invitation.txt");

  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "preview", "--contacts", contacts, "--template", template,
             "--row", "2", "--from", "events@example.com", NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.err, ==, "MAIL FROM:<events@example.com>\nRCPT TO:<bob.oneil@example.org>\n");
    g_assert_nonnull (strstr (run.out, "\r\nTo: Bob O'Neil <bob.oneil@example.org>\r\n"));
    g_assert_nonnull (strstr (run.out, "\r\nSubject: Invitation to our spring open day, Bob\r\n"));
    g_assert_nonnull (strstr (run.out, "A note we kept for you: Prefers \"Bob\"\r\n"));
    g_assert_null (strstr (run.out, "alice"));
    /* CRLF only */
    for (const char *p = run.out; (p = strchr (p, '\n')) != NULL; p++)
      g_assert_true (p > run.out && p[-1] == '\r');
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "preview", "--contacts", contacts, "--template", template, "--row", "11", NULL);
    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "between 1 and 10"));
  }
}

/* Warnings are advice: printed after the problems (check) or after the
 * envelope (preview), and they never change the exit code. */
static void
test_warnings (void)
{
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *contacts = write_tmp (tmpdir, "list.csv",
                                         "email,name,note\n"
                                         "ann@example.com,Ann,\n"
                                         "ben@example.com,Ben,hello\n");
  g_autofree char *spammy = write_tmp (tmpdir, "spammy.txt",
                                       "Subject: FREE MONEY!!! Act now\n\nHi {{name}}\n{{#note}}{{note}}{{/note}}\n");
  g_autofree char *samples = singly_test_sample_path ("contacts.csv");
  g_autofree char *newsletter = singly_test_sample_path ("newsletter.html");

  {
    g_auto(Run) run = { 0 };
    const char *warnings;
    const char *expected[] = {
      "  warning: The subject has words in capitals (“FREE MONEY”), which spam filters count against it [subject-caps]\n",
      "  warning: The subject has several exclamation marks in a row, which spam filters count against it [subject-exclaim]\n",
      "  warning: The template has words that spam filters count against it: “act now”, “free money” [spam-words]\n",
    };

    run_cli (&run, "check", "--contacts", contacts, "--template", spammy, NULL);
    g_assert_cmpint (run.status, ==, 0);
    warnings = strstr (run.out, "\nWarnings:\n");
    g_assert_nonnull (warnings);
    g_assert_true (strstr (run.out, "Recipients: 2 of 2 rows can be sent") < warnings);
    for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
      g_assert_nonnull (strstr (warnings, expected[i]));
  }
  {
    g_auto(Run) run = { 0 };

    /* with a problem row: the problems first, then the warnings, exit 1 as before */
    g_autofree char *broken = write_tmp (tmpdir, "broken.csv", "email,name,note\nann@example.com,Ann,\nbroken,Ben,\n");

    run_cli (&run, "check", "--contacts", broken, "--template", spammy, NULL);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.out, "1 problem:\n"));
    g_assert_true (strstr (run.out, "1 problem:\n") < strstr (run.out, "Warnings:\n"));
    g_assert_nonnull (strstr (run.out, "  warning: 1 row will not be sent: see the problems list [problem-rows]\n"));
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "check", "--contacts", samples, "--template", newsletter, NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_null (strstr (run.out, "Warnings:"));
    g_assert_null (strstr (run.out, "warning:"));
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "preview", "--contacts", contacts, "--template", spammy, "--row", "1",
             "--from", "office@example.com", NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (g_str_has_prefix (run.err, "MAIL FROM:<office@example.com>\nRCPT TO:<ann@example.com>\nwarning: "));
    g_assert_nonnull (strstr (run.err, "\nwarning: “note” is empty: the fallback or the text for an empty value is used [empty-field]\n"));
    g_assert_nonnull (strstr (run.err, "\nwarning: The subject has words that spam filters count against it: “act now”, “free money” [spam-words]\n"));
    g_assert_nonnull (strstr (run.err, "[subject-caps]\n"));
    g_assert_nonnull (strstr (run.err, "[subject-exclaim]\n"));
    g_assert_nonnull (strstr (run.out, "\r\nSubject: FREE MONEY!!! Act now\r\n"));
    /* stdout is the message alone */
    g_assert_null (strstr (run.out, "warning"));
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "preview", "--contacts", contacts, "--template", spammy, "--row", "2",
             "--from", "office@example.com", NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_null (strstr (run.err, "[empty-field]"));
  }

  singly_test_rm_rf (tmpdir);
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (d);
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
test_export (void)
{
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *out = g_build_filename (tmpdir, "out", NULL);
  g_autofree char *contacts = singly_test_sample_path ("contacts.csv");
  g_autofree char *template = singly_test_sample_path ("invoice.md");
  g_autofree char *first = g_build_filename (out, "00001-alice.martin@example.com.eml", NULL);
  g_autofree char *fifth = g_build_filename (out, "00005-wang.xiaoming@example.cn.eml", NULL);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;

  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "export", "--contacts", contacts, "--template", template, "--output", out, NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpuint (count_files (out), ==, 10);
    g_assert_true (g_file_test (first, G_FILE_TEST_IS_REGULAR));
    g_assert_true (g_file_test (fifth, G_FILE_TEST_IS_REGULAR));
    g_assert_nonnull (strstr (run.err, "10 messages written"));
  }

  before = singly_test_read (first);
  {
    g_auto(Run) run = { 0 };

    /* never overwrites without --force */
    run_cli (&run, "export", "--contacts", contacts, "--template", template, "--output", out, NULL);
    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "--force"));
    after = singly_test_read (first);
    g_assert_true (g_bytes_equal (before, after));
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "export", "--contacts", contacts, "--template", template, "--output", out, "--force", NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpuint (count_files (out), ==, 10);
  }

  singly_test_rm_rf (out);
  singly_test_rm_rf (tmpdir);
}

static void
test_export_skips_problem_rows (void)
{
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *out = g_build_filename (tmpdir, "out", NULL);
  g_autofree char *contacts = write_tmp (tmpdir, "list.csv", "email\na@example.com\nbroken\nb@example.com\n");
  g_autofree char *template = write_tmp (tmpdir, "t.txt", "Subject: Hi\n\nHi\n");
  g_auto(Run) run = { 0 };

  run_cli (&run, "export", "--contacts", contacts, "--template", template, "--output", out, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpuint (count_files (out), ==, 2);
  g_assert_nonnull (strstr (run.err, "1 row skipped"));

  singly_test_rm_rf (out);
  singly_test_rm_rf (tmpdir);
}

/* A password on the command line would be in every process listing and
 * shell history: there is no option for one */
static void
test_no_password_option (void)
{
  g_auto(Run) run = { 0 };

  run_cli (&run, "send", "--password=s3cr3t-Pa55", "--contacts", "x.csv", "--template", "t.txt", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "Unknown option --password"));
}

static void
assert_mode (const char *path,
             guint       mode)
{
  GStatBuf st;

  g_assert_cmpint (g_lstat (path, &st), ==, 0);
  g_assert_false (S_ISLNK (st.st_mode));
  g_assert_cmpint (st.st_mode & 0777, ==, mode);
}

/* The folder made for the messages is the owner's, each message 0600; a
 * link planted under a message's name is never written through: refused
 * without --force, replaced with it */
static void
test_export_links_and_modes (void)
{
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *out = g_build_filename (tmpdir, "out", "new", NULL);
  g_autofree char *first = g_build_filename (out, "00001-a@example.com.eml", NULL);
  g_autofree char *second = g_build_filename (out, "00002-b@example.com.eml", NULL);
  g_autofree char *precious = write_tmp (tmpdir, "precious.txt", "precious\n");
  g_autofree char *created = g_build_filename (tmpdir, "created-through-link", NULL);
  g_autofree char *contacts = write_tmp (tmpdir, "list.csv", "email\na@example.com\nb@example.com\n");
  g_autofree char *template = write_tmp (tmpdir, "t.txt", "Subject: Hi\n\nHi\n");
  g_autofree char *contents = NULL;

  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "export", "--contacts", contacts, "--template", template, "--output", out, NULL);
    g_assert_cmpint (run.status, ==, 0);
    assert_mode (out, 0700);
    assert_mode (first, 0600);
    assert_mode (second, 0600);
  }

  g_assert_cmpint (g_unlink (first), ==, 0);
  g_assert_cmpint (g_unlink (second), ==, 0);
  g_assert_cmpint (symlink (precious, first), ==, 0);
  g_assert_cmpint (symlink (created, second), ==, 0);
  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "export", "--contacts", contacts, "--template", template, "--output", out, NULL);
    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "exists already; use --force to replace it"));
    g_assert_true (g_file_test (first, G_FILE_TEST_IS_SYMLINK));
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "export", "--contacts", contacts, "--template", template, "--output", out, "--force", NULL);
    g_assert_cmpint (run.status, ==, 0);
    assert_mode (first, 0600);
    assert_mode (second, 0600);
  }
  g_file_get_contents (precious, &contents, NULL, NULL);
  g_assert_cmpstr (contents, ==, "precious\n");
  g_assert_false (g_file_test (created, G_FILE_TEST_EXISTS));

  singly_test_rm_rf (out);
  singly_test_rm_rf (tmpdir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/help", test_help);
  g_test_add_func ("/cli/check/samples", test_check_samples);
  g_test_add_func ("/cli/check/problems", test_check_problems);
  g_test_add_func ("/cli/check/unusable", test_check_unusable);
  g_test_add_func ("/cli/check/overrides", test_overrides);
  g_test_add_func ("/cli/preview", test_preview);
  g_test_add_func ("/cli/warnings", test_warnings);
  g_test_add_func ("/cli/export", test_export);
  g_test_add_func ("/cli/export/skips-problem-rows", test_export_skips_problem_rows);
  g_test_add_func ("/cli/export/links-and-modes", test_export_links_and_modes);
  g_test_add_func ("/cli/no-password-option", test_no_password_option);

  return g_test_run ();
}
