/* test-security.c: the rules of SECURITY.md that live in the core
 *
 * Attachments: a contact list can be written by anyone, so no value may
 * move an Attach path out of the folder its author meant, by "..", by an
 * absolute path or through a link. Files: what Singly writes (journal,
 * report, saved messages) never follows a link planted under its name,
 * and is readable by its owner alone. Each test fails if its rule goes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "singly-journal.h"
#include "singly-message.h"
#include "singly-send-job.h"
#include "singly-test-util.h"

#define SECRET "TOP-SECRET-outside-the-template-folder"

/* A template folder with files to attach, and a folder beside it that no
 * contact may reach:
 *
 *   tmp/outside/secret.txt         SECRET
 *   tmp/tpl/terms.pdf
 *   tmp/tpl/files/a.pdf
 *   tmp/tpl/files/link.pdf         -> tmp/outside/secret.txt
 *   tmp/tpl/files/inner-link.pdf   -> ../terms.pdf
 *   tmp/tpl/files/linkdir          -> tmp/outside
 *   tmp/tpl/files/pipe.pdf         a FIFO
 */
typedef struct
{
  char                 *tmpdir;
  char                 *outside;
  char                 *secret;
  char                 *tpl;
  char                 *files;
  SinglyContactList    *contacts;
  SinglyTemplate       *template;
  SinglyMessageBuilder *builder;
} Fixture;

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

static void
make_link (const char *target,
           const char *dir,
           const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_cmpint (symlink (target, path), ==, 0);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *terms = NULL;
  g_autofree char *a = NULL;
  g_autofree char *pipe = NULL;

  fixture->tmpdir = singly_test_tmpdir ();
  fixture->outside = g_build_filename (fixture->tmpdir, "outside", NULL);
  fixture->tpl = g_build_filename (fixture->tmpdir, "tpl", NULL);
  fixture->files = g_build_filename (fixture->tpl, "files", NULL);
  g_assert_cmpint (g_mkdir_with_parents (fixture->outside, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (fixture->files, 0700), ==, 0);

  fixture->secret = write_file (fixture->outside, "secret.txt", SECRET "\n");
  terms = write_file (fixture->tpl, "terms.pdf", "%PDF-1.4 terms\n");
  a = write_file (fixture->files, "a.pdf", "%PDF-1.4 invoice a\n");
  make_link (fixture->secret, fixture->files, "link.pdf");
  make_link ("../terms.pdf", fixture->files, "inner-link.pdf");
  make_link (fixture->outside, fixture->files, "linkdir");
  pipe = g_build_filename (fixture->files, "pipe.pdf", NULL);
  g_assert_cmpint (mkfifo (pipe, 0600), ==, 0);
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
  g_free (fixture->outside);
  g_free (fixture->secret);
  g_free (fixture->tpl);
  g_free (fixture->files);
}

/* Loads @csv and a template file named @name in the template folder;
 * returns the builder's error, if any. */
static GError *
load (Fixture    *fixture,
      const char *csv,
      const char *name,
      const char *template_text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new (csv, strlen (csv));
  g_autofree char *path = write_file (fixture->tpl, name, template_text);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  g_clear_object (&fixture->builder);
  g_clear_object (&fixture->template);
  g_clear_object (&fixture->contacts);

  fixture->contacts = singly_contact_list_new_from_bytes (bytes, NULL, &error);
  g_assert_no_error (error);
  fixture->template = singly_template_new_from_file (file, NULL, &error);
  g_assert_no_error (error);
  fixture->builder = singly_message_builder_new (fixture->contacts, fixture->template, &error);
  if (fixture->builder == NULL)
    return g_steal_pointer (&error);
  singly_message_builder_set_sender (fixture->builder, "Office", "office@example.org");
  singly_message_builder_check (fixture->builder);
  return NULL;
}

static const SinglyProblem *
find_problem (Fixture *fixture,
              guint    row)
{
  guint n = singly_message_builder_get_n_problems (fixture->builder);

  for (guint i = 0; i < n; i++)
    {
      const SinglyProblem *problem = singly_message_builder_get_problem (fixture->builder, i);

      if (problem->row == row)
        return problem;
    }
  return NULL;
}

static gboolean
row_has_problem (Fixture *fixture,
                 guint    row)
{
  return find_problem (fixture, row) != NULL;
}

/* The problem of @row, which must have one */
static const SinglyProblem *
row_problem (Fixture *fixture,
             guint    row)
{
  const SinglyProblem *problem = find_problem (fixture, row);

  if (problem == NULL)
    g_error ("row %u has no problem", row);
  return problem;
}

/* Builds @row and checks that the secret is in no byte of it */
static SinglyMessage *
build (Fixture  *fixture,
       guint     row,
       GError  **error)
{
  SinglyMessage *message = singly_message_builder_build (fixture->builder, row, error);

  if (message != NULL)
    {
      g_autoptr(GBytes) bytes = singly_message_to_bytes (message);
      g_autofree char *encoded = g_base64_encode ((const guchar *) SECRET, strlen (SECRET));

      g_assert_null (g_strstr_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), SECRET));
      g_assert_null (g_strstr_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), encoded));
    }
  return message;
}

static void
assert_refused (Fixture    *fixture,
                guint       row,
                const char *sentence)
{
  const SinglyProblem *problem = row_problem (fixture, row);
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyMessage) message = NULL;

  g_test_message ("row %u: %s", row, problem->message);
  g_assert_cmpint (problem->kind, ==, SINGLY_PROBLEM_ATTACHMENT_OUTSIDE);
  g_assert_cmpuint (problem->line, ==, row + 2);
  g_assert_nonnull (strstr (problem->message, sentence));
  g_assert_false (singly_message_builder_row_is_sendable (fixture->builder, row));

  /* asked directly, the builder refuses too */
  message = build (fixture, row, &error);
  g_assert_null (message);
  g_assert_error (error, SINGLY_MESSAGE_ERROR, SINGLY_MESSAGE_ERROR_ATTACHMENT_OUTSIDE);
}

static void
assert_attached (Fixture    *fixture,
                 guint       row,
                 const char *expected_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyMessage) message = NULL;

  g_assert_false (row_has_problem (fixture, row));
  message = build (fixture, row, &error);
  g_assert_no_error (error);
  /* the full path, for the preview to show where the file comes from */
  g_assert_cmpuint (message->attachment_paths->len, ==, 1);
  g_assert_cmpstr (message->attachment_paths->pdata[0], ==, expected_path);
}

/* "files/{{file}}": whatever the cell holds, the file is in the template's
 * folder, and a link there to elsewhere is refused */
static void
test_attach_values_stay_inside (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *csv = g_strdup_printf ("email,file\n"
                                          "a@example.com,a.pdf\n"
                                          "b@example.com,../../outside/secret.txt\n"
                                          "c@example.com,%s\n"
                                          "d@example.com,sub/../a.pdf\n"
                                          "e@example.com,../terms.pdf\n"
                                          "f@example.com,link.pdf\n"
                                          "g@example.com,inner-link.pdf\n"
                                          "h@example.com,linkdir/secret.txt\n"
                                          "i@example.com,pipe.pdf\n"
                                          "j@example.com,../../tpl/files/a.pdf\n",
                                          fixture->secret);
  g_autofree char *a = g_build_filename (fixture->files, "a.pdf", NULL);
  g_autofree char *terms = g_build_filename (fixture->tpl, "terms.pdf", NULL);
  g_autofree char *inner = g_build_filename (fixture->files, "inner-link.pdf", NULL);
  GError *error;

  error = load (fixture, csv, "t.txt", "Subject: Invoice\nAttach: files/{{file}}\n\nHello\n");
  g_assert_no_error (error);

  assert_attached (fixture, 0, a);
  /* ".." that climbs out, and a path of its own */
  assert_refused (fixture, 1, "The attachment “files/../../outside/secret.txt” is outside the template’s folder");
  /* an absolute value after the pattern's folder is a name in that folder */
  g_assert_cmpint (row_problem (fixture, 2)->kind, ==, SINGLY_PROBLEM_MISSING_ATTACHMENT);
  g_assert_nonnull (strstr (row_problem (fixture, 2)->message, "does not exist"));
  /* ".." that stays in the folder is only a longer name */
  assert_attached (fixture, 3, a);
  assert_attached (fixture, 4, terms);
  /* links: out of the folder refused, within it followed */
  assert_refused (fixture, 5, "The attachment “files/link.pdf” is a link to a file outside the template’s folder");
  assert_attached (fixture, 6, inner);
  assert_refused (fixture, 7, "is a link to a file outside the template’s folder");
  /* a FIFO is no file, and does not hang the check */
  g_assert_cmpint (row_problem (fixture, 8)->kind, ==, SINGLY_PROBLEM_MISSING_ATTACHMENT);
  g_assert_cmpstr (row_problem (fixture, 8)->message, ==, "The attachment “files/pipe.pdf” is not a file");
  /* out and back in again is in */
  assert_attached (fixture, 9, a);

  g_assert_cmpuint (singly_message_builder_get_n_problems (fixture->builder), ==, 5);
  g_assert_cmpuint (singly_message_builder_get_n_sendable (fixture->builder), ==, 5);
}

/* The template author's own paths: relative ones stay in the template's
 * folder too; an absolute one is the file named, and with a field, it
 * stays in the folder written before the field */
static void
test_attach_template_paths (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *text = NULL;
  g_autofree char *csv = NULL;
  GError *error;

  /* a relative path written in the template that climbs out */
  error = load (fixture, "email\na@example.com\n", "t1.txt",
                "Subject: x\nAttach: ../outside/secret.txt\n\nHi\n");
  g_assert_error (error, SINGLY_MESSAGE_ERROR, SINGLY_MESSAGE_ERROR_ATTACHMENT_OUTSIDE);
  g_assert_cmpstr (error->message, ==, "The attachment “../outside/secret.txt” is outside the template’s folder");
  g_clear_error (&error);

  /* a fixed file that is a link to elsewhere */
  error = load (fixture, "email\na@example.com\n", "t2.txt",
                "Subject: x\nAttach: files/link.pdf\n\nHi\n");
  g_assert_error (error, SINGLY_MESSAGE_ERROR, SINGLY_MESSAGE_ERROR_ATTACHMENT_OUTSIDE);
  g_clear_error (&error);

  /* an absolute path written in full: the author's choice, shown in full */
  text = g_strdup_printf ("Subject: x\nAttach: %s\n\nHi\n", fixture->secret);
  error = load (fixture, "email\na@example.com\n", "t3.txt", text);
  g_assert_no_error (error);
  {
    g_autoptr(SinglyMessage) message = singly_message_builder_build (fixture->builder, 0, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (message->attachment_paths->len, ==, 1);
    g_assert_cmpstr (message->attachment_paths->pdata[0], ==, fixture->secret);
  }
  g_free (text);

  /* an absolute folder with a field: the value stays in that folder */
  text = g_strdup_printf ("Subject: x\nAttach: %s/{{file}}\n\nHi\n", fixture->outside);
  error = load (fixture, "email,file\na@example.com,secret.txt\nb@example.com,../tpl/terms.pdf\n",
                "t4.txt", text);
  g_assert_no_error (error);
  g_assert_false (row_has_problem (fixture, 0));
  assert_refused (fixture, 1, "is outside the folder");
  g_assert_nonnull (strstr (row_problem (fixture, 1)->message, fixture->outside));

  /* a field first makes a relative path, whatever the value */
  csv = g_strdup_printf ("email,file\na@example.com,%s\n", fixture->secret);
  error = load (fixture, csv, "t5.txt", "Subject: x\nAttach: {{file}}\n\nHi\n");
  g_assert_no_error (error);
  assert_refused (fixture, 0, "is outside the template’s folder");
}

/* An .eml used as the template obeys the same rules */
static void
test_attach_eml_template (Fixture       *fixture,
                          gconstpointer  data)
{
  GError *error;

  error = load (fixture, "email,file\na@example.com,a.pdf\nb@example.com,../../outside/secret.txt\n",
                "t.eml",
                "From: someone@example.org\r\n"
                "Subject: Invoice\r\n"
                "Attach: files/{{file}}\r\n"
                "MIME-Version: 1.0\r\n"
                "Content-Type: text/plain; charset=utf-8\r\n"
                "\r\n"
                "Hello\r\n");
  g_assert_no_error (error);
  g_assert_false (row_has_problem (fixture, 0));
  assert_refused (fixture, 1, "is outside the template’s folder");
}

/* The To: display name comes from the contact's name when the template
 * has no To: line: a line break there is a problem, like in any header */
static void
test_display_name_injection (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) build_error = NULL;
  g_autoptr(SinglyMessage) message = NULL;
  const SinglyProblem *problem;
  GError *error;

  error = load (fixture, "email,name\r\na@example.com,\"Ann\r\nBcc: victim@example.net\"\r\nb@example.com,Ben\r\n",
                "t.txt", "Subject: Hello\n\nBody\n");
  g_assert_no_error (error);
  problem = row_problem (fixture, 0);
  g_assert_cmpint (problem->kind, ==, SINGLY_PROBLEM_CONTROL_CHARACTER);
  g_assert_cmpint (problem->column, ==, 1);
  g_assert_false (row_has_problem (fixture, 1));
  message = singly_message_builder_build (fixture->builder, 0, &build_error);
  g_assert_null (message);
  g_assert_error (build_error, SINGLY_MESSAGE_ERROR, SINGLY_MESSAGE_ERROR_ROW);

  /* a To: line of the template's own replaces the name: no problem then */
  error = load (fixture, "email,name\r\na@example.com,\"Ann\r\nBcc: victim@example.net\"\r\n",
                "t2.txt", "Subject: Hello\nTo: Customer\n\nBody\n");
  g_assert_no_error (error);
  g_assert_cmpuint (singly_message_builder_get_n_problems (fixture->builder), ==, 0);
}

/* Files Singly writes */

static void
assert_mode (const char *path,
             guint       mode)
{
  GStatBuf st;

  g_assert_cmpint (g_lstat (path, &st), ==, 0);
  g_assert_true (S_ISREG (st.st_mode) || S_ISDIR (st.st_mode));
  g_assert_cmpint (st.st_mode & 0777, ==, mode);
}

static void
assert_untouched (const char *path)
{
  g_autofree char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, SECRET "\n");
}

static void
test_journal_symlink (Fixture       *fixture,
                      gconstpointer  data)
{
  SinglyJournalIdentity identity = { "contacts", "template", "office@example.org", 2 };
  g_autofree char *link = g_build_filename (fixture->tmpdir, "planted.journal", NULL);
  g_autofree char *dangling = g_build_filename (fixture->tmpdir, "dangling.journal", NULL);
  g_autofree char *created = g_build_filename (fixture->outside, "created-through-link", NULL);
  g_autofree char *fresh_dir = g_build_filename (fixture->tmpdir, "state", "journals", NULL);
  g_autofree char *fresh = g_build_filename (fresh_dir, "c.journal", NULL);
  g_autoptr(GError) error = NULL;
  SinglyJournal *journal;

  /* a link to an existing file: refused, the file untouched */
  g_assert_cmpint (symlink (fixture->secret, link), ==, 0);
  journal = singly_journal_open (link, &identity, &error);
  g_assert_null (journal);
  g_assert_error (error, SINGLY_JOURNAL_ERROR, SINGLY_JOURNAL_ERROR_IO);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, link));
  g_assert_nonnull (strstr (error->message, "is a symbolic link"));
  assert_untouched (fixture->secret);
  g_clear_error (&error);

  /* a link to nothing yet: refused, nothing created at its target */
  g_assert_cmpint (symlink (created, dangling), ==, 0);
  journal = singly_journal_open (dangling, &identity, &error);
  g_assert_null (journal);
  g_assert_error (error, SINGLY_JOURNAL_ERROR, SINGLY_JOURNAL_ERROR_IO);
  g_assert_false (g_file_test (created, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* a new journal: 0600 in a folder of 0700 */
  journal = singly_journal_open (fresh, &identity, &error);
  g_assert_no_error (error);
  g_object_unref (journal);
  assert_mode (fresh, 0600);
  assert_mode (fresh_dir, 0700);
}

static void
job_finished_cb (SinglySendJob *job,
                 const GError  *error,
                 gpointer       user_data)
{
  g_assert_no_error ((GError *) error);
  g_main_loop_quit (user_data);
}

static gboolean
job_timeout_cb (gpointer data)
{
  g_error ("the send job did not finish in time");
  return G_SOURCE_REMOVE;
}

static SinglySendJob *
run_folder_job (Fixture    *fixture,
                const char *folder)
{
  g_autoptr(SinglyAccount) account = singly_account_new_folder (folder, "Office", "office@example.org");
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  SinglySendJob *job = singly_send_job_new (fixture->builder, account, NULL);
  guint timeout = g_timeout_add_seconds (60, job_timeout_cb, NULL);

  g_signal_connect (job, "finished", G_CALLBACK (job_finished_cb), loop);
  singly_send_job_start (job);
  g_main_loop_run (loop);
  g_source_remove (timeout);
  return job;
}

static void
test_report_symlink (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *report = g_build_filename (fixture->tmpdir, "report.csv", NULL);
  g_autofree char *dangling = g_build_filename (fixture->tmpdir, "report2.csv", NULL);
  g_autofree char *created = g_build_filename (fixture->outside, "created-through-link", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(SinglyAccount) account = singly_account_new_folder (fixture->outside, NULL, "office@example.org");
  g_autoptr(SinglySendJob) job = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (load (fixture, "email,name\na@example.com,Ann\n", "t.txt", "Subject: Hi\n\nHello\n"));
  job = singly_send_job_new (fixture->builder, account, NULL);

  /* a link at the report's name is replaced, never written through */
  g_assert_cmpint (symlink (fixture->secret, report), ==, 0);
  g_assert_true (singly_send_job_write_report (job, report, &error));
  g_assert_no_error (error);
  assert_untouched (fixture->secret);
  assert_mode (report, 0600);
  g_file_get_contents (report, &contents, NULL, NULL);
  g_assert_true (g_str_has_prefix (contents, "line,email,name,state"));

  /* the same for a link to nothing yet */
  g_assert_cmpint (symlink (created, dangling), ==, 0);
  g_assert_true (singly_send_job_write_report (job, dangling, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (created, G_FILE_TEST_EXISTS));
  assert_mode (dangling, 0600);

  /* written again: replaced whole, still 0600 */
  g_assert_true (singly_send_job_write_report (job, report, &error));
  assert_mode (report, 0600);
}

static void
test_folder_symlink (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *fresh = g_build_filename (fixture->tmpdir, "saved", "new", NULL);
  g_autofree char *fresh_message = g_build_filename (fresh, "00001-a@example.com.eml", NULL);
  g_autofree char *planted = g_build_filename (fixture->tmpdir, "planted", NULL);
  g_autofree char *first = g_build_filename (planted, "00001-a@example.com.eml", NULL);
  g_autofree char *second = g_build_filename (planted, "00002-b@example.com.eml", NULL);
  g_autofree char *created = g_build_filename (fixture->outside, "created-through-link", NULL);
  g_autofree char *contents = NULL;

  g_assert_null (load (fixture, "email,name\na@example.com,Ann\nb@example.com,Ben\n", "t.txt",
                       "Subject: Hi {{name}}\n\nHello\n"));

  /* a folder made for the messages: 0700, each message 0600 */
  {
    g_autoptr(SinglySendJob) job = run_folder_job (fixture, fresh);

    g_assert_cmpuint (singly_send_job_count (job, SINGLY_RECIPIENT_SENT), ==, 2);
  }
  assert_mode (fresh, 0700);
  assert_mode (fresh_message, 0600);

  /* links planted under the messages' names: replaced, not followed */
  g_assert_cmpint (g_mkdir (planted, 0700), ==, 0);
  g_assert_cmpint (symlink (fixture->secret, first), ==, 0);
  g_assert_cmpint (symlink (created, second), ==, 0);
  {
    g_autoptr(SinglySendJob) job = run_folder_job (fixture, planted);

    g_assert_cmpuint (singly_send_job_count (job, SINGLY_RECIPIENT_SENT), ==, 2);
  }
  assert_untouched (fixture->secret);
  g_assert_false (g_file_test (created, G_FILE_TEST_EXISTS));
  assert_mode (first, 0600);
  assert_mode (second, 0600);
  g_file_get_contents (first, &contents, NULL, NULL);
  g_assert_nonnull (strstr (contents, "Subject: Hi Ann"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/security/attach/values-stay-inside", test_attach_values_stay_inside);
  ADD ("/security/attach/template-paths", test_attach_template_paths);
  ADD ("/security/attach/eml-template", test_attach_eml_template);
  ADD ("/security/header/display-name", test_display_name_injection);
  ADD ("/security/files/journal-symlink", test_journal_symlink);
  ADD ("/security/files/report-symlink", test_report_symlink);
  ADD ("/security/files/folder-symlink", test_folder_symlink);

  return g_test_run ();
}
