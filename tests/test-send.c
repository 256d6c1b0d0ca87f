/* test-send.c: the send job, its journal and pacing, end to end
 *
 * The SMTP cases talk to real servers on 127.0.0.1 that the test starts:
 * Postfix's smtp-sink for speed and faults, and aiosmtpd (through
 * tests/fixtures/aiosmtpd-server.py) where each arrival must be counted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "singly-send-job.h"
#include "singly-test-server.h"
#include "singly-test-util.h"

typedef struct
{
  char                 *tmpdir;
  char                 *journal_path;
  SinglyContactList    *contacts;
  SinglyTemplate       *template;
  SinglyMessageBuilder *builder;
  GMainLoop            *loop;
  GError               *finish_error;
  guint                 n_progress;
  guint                 n_events;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->tmpdir = singly_test_tmpdir ();
  fixture->journal_path = g_build_filename (fixture->tmpdir, "campaign.journal", NULL);
  fixture->loop = g_main_loop_new (NULL, FALSE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->builder);
  g_clear_object (&fixture->template);
  g_clear_object (&fixture->contacts);
  g_clear_pointer (&fixture->loop, g_main_loop_unref);
  g_clear_error (&fixture->finish_error);
  singly_test_rm_rf (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->journal_path);
}

static void
load (Fixture    *fixture,
      const char *csv,
      const char *template_text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new (csv, strlen (csv));

  fixture->contacts = singly_contact_list_new_from_bytes (bytes, NULL, &error);
  g_assert_no_error (error);
  fixture->template = singly_template_new_from_data (template_text, -1, SINGLY_BODY_PLAIN,
                                                      fixture->tmpdir, &error);
  g_assert_no_error (error);
  fixture->builder = singly_message_builder_new (fixture->contacts, fixture->template, &error);
  g_assert_no_error (error);
  singly_message_builder_set_sender (fixture->builder, "Office", "office@example.org");
  singly_message_builder_check (fixture->builder);
}

static char *
numbered_csv (guint n)
{
  GString *csv = g_string_new ("email,name\n");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (csv, "user%u@example.com,User %u\n", i, i);
  return g_string_free (csv, FALSE);
}

static SinglyJournal *
open_journal (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  SinglyJournalIdentity identity = {
    .contacts_checksum = "contacts",
    .template_checksum = "template",
    .sender = "office@example.org",
    .n_rows = singly_contact_list_get_n_rows (fixture->contacts),
  };
  SinglyJournal *journal = singly_journal_open (fixture->journal_path, &identity, &error);

  g_assert_no_error (error);
  return journal;
}

static void
progress_cb (SinglySendJob         *job,
             const SinglySendEvent *events,
             guint                  n_events,
             Fixture               *fixture)
{
  fixture->n_progress++;
  fixture->n_events += n_events;
}

static void
finished_cb (SinglySendJob *job,
             const GError  *error,
             Fixture       *fixture)
{
  g_clear_error (&fixture->finish_error);
  if (error != NULL)
    fixture->finish_error = g_error_copy (error);
  g_main_loop_quit (fixture->loop);
}

static gboolean
timeout_cb (gpointer data)
{
  g_error ("the send job did not finish in time");
  return G_SOURCE_REMOVE;
}

/* Runs @job to its end in the test's main loop */
static void
run_job (Fixture       *fixture,
         SinglySendJob *job)
{
  guint timeout;

  g_signal_connect (job, "progress", G_CALLBACK (progress_cb), fixture);
  g_signal_connect (job, "finished", G_CALLBACK (finished_cb), fixture);
  timeout = g_timeout_add_seconds (120, timeout_cb, NULL);
  singly_send_job_start (job);
  g_main_loop_run (fixture->loop);
  g_source_remove (timeout);
  g_assert_false (singly_send_job_is_running (job));
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  if (d == NULL)
    return 0;
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
test_folder (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (fixture->tmpdir, "out", NULL);
  g_autoptr(SinglyAccount) account = singly_account_new_folder (folder, "Office", "office@example.org");
  g_autofree char *csv = numbered_csv (20);

  load (fixture, csv, "Subject: Hi {{name}}\n\nHello {{name}}\n");

  {
    g_autoptr(SinglyJournal) journal = open_journal (fixture);
    g_autoptr(SinglySendJob) job = singly_send_job_new (fixture->builder, account, journal);

    run_job (fixture, job);
    g_assert_no_error (fixture->finish_error);
    g_assert_cmpuint (singly_send_job_count (job, SINGLY_RECIPIENT_SENT), ==, 20);
    g_assert_cmpuint (count_files (folder), ==, 20);
    g_assert_cmpstr (singly_send_job_get_recipient (job, 3)->reply, ==, "Saved as 00004-user3@example.com.eml");
    g_assert_nonnull (singly_send_job_get_recipient (job, 3)->message_id);
    /* every state change was reported, in batches */
    g_assert_cmpuint (fixture->n_events, ==, 40);
    g_assert_cmpuint (fixture->n_progress, <=, fixture->n_events);
  }

  /* the same campaign again: the journal says everything went */
  {
    g_autoptr(SinglyJournal) journal = open_journal (fixture);
    g_autoptr(SinglySendJob) job = singly_send_job_new (fixture->builder, account, journal);
    g_autofree char *first = g_build_filename (folder, "00001-user0@example.com.eml", NULL);

    g_unlink (first);
    fixture->n_events = 0;
    run_job (fixture, job);
    g_assert_cmpuint (singly_send_job_count (job, SINGLY_RECIPIENT_SENT), ==, 20);
    g_assert_cmpuint (fixture->n_events, ==, 0);
    g_assert_cmpuint (count_files (folder), ==, 19);
  }
}

static void
test_skipped_rows (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (fixture->tmpdir, "out", NULL);
  g_autoptr(SinglyAccount) account = singly_account_new_folder (folder, NULL, "office@example.org");
  g_autoptr(SinglySendJob) job = NULL;

  load (fixture, "email,name\na@example.com,Ann\nnot-an-address,Ben\nc@example.com,\n",
        "Subject: Hi {{name}}\n\nHello\n");
  job = singly_send_job_new (fixture->builder, account, NULL);
  run_job (fixture, job);

  g_assert_cmpuint (singly_send_job_count (job, SINGLY_RECIPIENT_SENT), ==, 1);
  g_assert_cmpuint (singly_send_job_count (job, SINGLY_RECIPIENT_SKIPPED), ==, 2);
  g_assert_cmpint (singly_send_job_get_recipient (job, 1)->state, ==, SINGLY_RECIPIENT_SKIPPED);
  g_assert_nonnull (singly_send_job_get_recipient (job, 1)->reply);
  g_assert_cmpuint (count_files (folder), ==, 1);
}

static void
test_report (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (fixture->tmpdir, "out", NULL);
  g_autofree char *report = g_build_filename (fixture->tmpdir, "report.csv", NULL);
  g_autoptr(SinglyAccount) account = singly_account_new_folder (folder, NULL, "office@example.org");
  g_autoptr(SinglySendJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  load (fixture,
        "email,name\n"
        "a@example.com,\"=HYPERLINK(\"\"http://evil\"\")\"\n"
        "b@example.com,\"+1, -2\"\n"
        "bad,@me\n",
        "Subject: Hi\n\nHello\n");
  job = singly_send_job_new (fixture->builder, account, NULL);
  run_job (fixture, job);
  g_assert_true (singly_send_job_write_report (job, report, &error));
  g_assert_no_error (error);

  g_file_get_contents (report, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\r\n", 0);
  g_assert_cmpstr (lines[0], ==, "line,email,name,state,code,reply,message_id,time");
  g_assert_true (g_str_has_prefix (lines[1], "2,a@example.com,\"'=HYPERLINK(\"\"http://evil\"\")\",sent,,"));
  g_assert_true (g_str_has_prefix (lines[2], "3,b@example.com,\"'+1, -2\",sent,,"));
  g_assert_true (g_str_has_prefix (lines[3], "4,bad,\"'@me\",skipped,,"));
  g_assert_cmpstr (lines[4], ==, "");
  g_assert_null (lines[5]);
}

static void
test_smtp_sink (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(SinglyTestServer) server = singly_test_server_start_sink (NULL, NULL);
  g_autoptr(SinglyAccount) account = singly_account_new_smtp ("127.0.0.1", singly_test_server_get_port (server),
                                                              SINGLY_SECURITY_NONE, "Office", "office@example.org");
  g_autoptr(SinglyJournal) journal = NULL;
  g_autoptr(SinglySendJob) job = NULL;
  g_autofree char *csv = numbered_csv (200);

  load (fixture, csv, "Subject: Hi {{name}}\n\nHello {{name}}\n");
  journal = open_journal (fixture);
  job = singly_send_job_new (fixture->builder, account, journal);
  run_job (fixture, job);

  g_assert_no_error (fixture->finish_error);
  g_assert_cmpuint (singly_send_job_count (job, SINGLY_RECIPIENT_SENT), ==, 200);
  g_assert_cmpuint (singly_send_job_get_recipient (job, 199)->code, ==, 250);
}

static void
test_refused_recipient (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(SinglyTestServer) server = singly_test_server_start_aiosmtpd ("--refuse", "refused@example.com", NULL);
  g_autoptr(SinglyAccount) account = singly_account_new_smtp ("127.0.0.1", singly_test_server_get_port (server),
                                                              SINGLY_SECURITY_NONE, "Office", "office@example.org");
  g_autoptr(SinglyJournal) journal = NULL;
  g_autoptr(SinglySendJob) job = NULL;

  load (fixture, "email\na@example.com\nrefused@example.com\nc@example.com\n", "Subject: Hi\n\nHello\n");
  journal = open_journal (fixture);
  job = singly_send_job_new (fixture->builder, account, journal);
  run_job (fixture, job);

  g_assert_no_error (fixture->finish_error);
  g_assert_cmpint (singly_send_job_get_recipient (job, 0)->state, ==, SINGLY_RECIPIENT_SENT);
  g_assert_cmpint (singly_send_job_get_recipient (job, 1)->state, ==, SINGLY_RECIPIENT_FAILED);
  g_assert_cmpuint (singly_send_job_get_recipient (job, 1)->code, ==, 550);
  g_assert_cmpint (singly_send_job_get_recipient (job, 2)->state, ==, SINGLY_RECIPIENT_SENT);
  g_assert_cmpuint (singly_test_server_count_messages (server), ==, 2);
}

/* How many connections delivered the messages, from the client ports
 * aiosmtpd saw */
static guint
count_connections (SinglyTestServer *server)
{
  g_autoptr(GPtrArray) messages = singly_test_server_list_messages (server);
  g_autoptr(GHashTable) peers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < messages->len; i++)
    {
      const char *eml = messages->pdata[i];
      g_autofree char *json = g_strdup_printf ("%.*s.json", (int) strlen (eml) - 4, eml);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonArray *peer;

      json_parser_load_from_file (parser, json, &error);
      g_assert_no_error (error);
      peer = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "peer");
      g_hash_table_add (peers, g_strdup_printf ("%" G_GINT64_FORMAT, json_array_get_int_element (peer, 1)));
    }
  return g_hash_table_size (peers);
}

static SinglySendJob *
run_to_aiosmtpd (Fixture             *fixture,
                 SinglyTestServer    *server,
                 guint                n_rows,
                 const SinglyPacing  *pacing)
{
  g_autoptr(SinglyAccount) account = singly_account_new_smtp ("127.0.0.1", singly_test_server_get_port (server),
                                                              SINGLY_SECURITY_NONE, "Office", "office@example.org");
  g_autoptr(SinglyJournal) journal = NULL;
  g_autofree char *csv = numbered_csv (n_rows);
  SinglySendJob *job;

  if (pacing != NULL)
    account->pacing = *pacing;
  account->timeout_ms = 5000;
  load (fixture, csv, "Subject: Hi {{name}}\n\nHello {{name}}\n");
  journal = open_journal (fixture);
  job = singly_send_job_new (fixture->builder, account, journal);
  singly_send_job_set_retry (job, 5, 0.05);
  run_job (fixture, job);
  return job;
}

static void
test_reconnect_after_drop (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(SinglyTestServer) server = singly_test_server_start_aiosmtpd ("--drop-once", "user2@example.com", NULL);
  g_autoptr(SinglySendJob) job = run_to_aiosmtpd (fixture, server, 5, NULL);

  /* the connection broke before user2's final dot: not sent, so it is
   * tried again on a new connection, and nobody gets two copies */
  g_assert_no_error (fixture->finish_error);
  g_assert_cmpuint (singly_send_job_count (job, SINGLY_RECIPIENT_SENT), ==, 5);
  g_assert_cmpuint (singly_test_server_count_messages (server), ==, 5);
  g_assert_cmpuint (count_connections (server), >=, 2);
}

static void
test_reconnect_after_421 (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(SinglyTestServer) server = singly_test_server_start_aiosmtpd ("--busy-once", "user1@example.com", NULL);
  g_autoptr(SinglySendJob) job = run_to_aiosmtpd (fixture, server, 4, NULL);

  g_assert_no_error (fixture->finish_error);
  g_assert_cmpuint (singly_send_job_count (job, SINGLY_RECIPIENT_SENT), ==, 4);
  g_assert_cmpuint (singly_test_server_count_messages (server), ==, 4);
  g_assert_cmpuint (count_connections (server), >=, 2);
}

static void
test_max_per_connection (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(SinglyTestServer) server = singly_test_server_start_aiosmtpd (NULL, NULL);
  SinglyPacing pacing = { .max_per_connection = 2 };
  g_autoptr(SinglySendJob) job = run_to_aiosmtpd (fixture, server, 5, &pacing);

  g_assert_no_error (fixture->finish_error);
  g_assert_cmpuint (singly_send_job_count (job, SINGLY_RECIPIENT_SENT), ==, 5);
  g_assert_cmpuint (count_connections (server), ==, 3);
}

static void
test_interval (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(SinglyTestServer) server = singly_test_server_start_aiosmtpd (NULL, NULL);
  SinglyPacing pacing = { .interval = 0.2 };
  gint64 start = g_get_monotonic_time ();
  g_autoptr(SinglySendJob) job = run_to_aiosmtpd (fixture, server, 6, &pacing);

  /* five gaps of at least 0.2 s between six messages */
  g_assert_cmpuint (singly_send_job_count (job, SINGLY_RECIPIENT_SENT), ==, 6);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 1000 * 1000);
}

static void
test_pause_resume_cancel (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (fixture->tmpdir, "out", NULL);
  g_autoptr(SinglyAccount) account = singly_account_new_folder (folder, NULL, "office@example.org");
  g_autoptr(SinglySendJob) job = NULL;
  g_autofree char *csv = numbered_csv (50);
  guint sent_while_paused;

  account->pacing.interval = 0.02;
  load (fixture, csv, "Subject: Hi\n\nHello\n");
  job = singly_send_job_new (fixture->builder, account, NULL);
  g_signal_connect (job, "finished", G_CALLBACK (finished_cb), fixture);
  singly_send_job_start (job);

  /* let a few go, pause, and check that nothing more goes */
  while (count_files (folder) < 3)
    g_main_context_iteration (NULL, TRUE);
  singly_send_job_pause (job);
  g_assert_true (singly_send_job_is_paused (job));
  g_usleep (100 * 1000);
  sent_while_paused = count_files (folder);
  g_usleep (300 * 1000);
  g_assert_cmpuint (count_files (folder), ==, sent_while_paused);

  singly_send_job_resume (job);
  while (count_files (folder) < sent_while_paused + 3)
    g_main_context_iteration (NULL, TRUE);

  singly_send_job_cancel (job);
  g_main_loop_run (fixture->loop);
  g_assert_false (singly_send_job_is_running (job));
  g_assert_cmpuint (count_files (folder), <, 50);
  g_assert_cmpuint (singly_send_job_count (job, SINGLY_RECIPIENT_SENT), ==, count_files (folder));
  g_assert_cmpuint (singly_send_job_count (job, SINGLY_RECIPIENT_QUEUED), ==, 50 - count_files (folder));
}

static void
finished_thread_cb (SinglySendJob *job,
                    const GError  *error,
                    GThread      **thread)
{
  *thread = g_thread_self ();
}

/* The worker used to report its end with g_main_context_invoke_full(),
 * which runs the function at once in the calling thread when that thread
 * can acquire the context: the default one, whenever the main thread was
 * not iterating it. The worker then emitted "finished" itself and joined
 * its own thread ("Resource deadlock avoided"). Fixed with an idle source
 * in 8486dcb; this keeps it fixed, deterministically. */
static void
test_finish_while_main_busy (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (fixture->tmpdir, "out", NULL);
  g_autoptr(SinglyAccount) account = singly_account_new_folder (folder, NULL, "office@example.org");
  g_autoptr(SinglySendJob) job = NULL;
  g_autofree char *csv = numbered_csv (3);
  GThread *finished_in = NULL;

  load (fixture, csv, "Subject: Hi\n\nHello\n");
  job = singly_send_job_new (fixture->builder, account, NULL);
  g_signal_connect (job, "finished", G_CALLBACK (finished_cb), fixture);
  g_signal_connect (job, "finished", G_CALLBACK (finished_thread_cb), &finished_in);
  singly_send_job_start (job);

  /* the main thread is busy elsewhere while the worker ends */
  while (count_files (folder) < 3)
    g_usleep (10 * 1000);
  g_usleep (200 * 1000);

  g_main_loop_run (fixture->loop);
  g_assert_true (finished_in == g_thread_self ());
  g_assert_false (singly_send_job_is_running (job));
  g_assert_cmpuint (singly_send_job_count (job, SINGLY_RECIPIENT_SENT), ==, 3);
}

static void
finished_flag_cb (SinglySendJob *job,
                  const GError  *error,
                  gboolean      *finished)
{
  *finished = TRUE;
}

/* The preview page builds messages with the document's builder on the
 * main thread while a job's worker builds, with the same builder, the
 * messages it sends. Both rendered into the builder's one scratch string,
 * so a message could leave with text rendered for another recipient (and
 * ThreadSanitizer, bench/tsan.sh, reports the race). */
static void
test_preview_while_sending (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (fixture->tmpdir, "out", NULL);
  g_autoptr(SinglyAccount) account = singly_account_new_folder (folder, NULL, "office@example.org");
  g_autoptr(SinglySendJob) job = NULL;
  g_autofree char *csv = numbered_csv (200);
  gboolean finished = FALSE;
  guint n_previews = 0;

  load (fixture, csv, "Subject: Hi {{name}}\n\nHello {{name}}, this is for {{email}} only.\n");
  job = singly_send_job_new (fixture->builder, account, NULL);
  g_signal_connect (job, "finished", G_CALLBACK (finished_flag_cb), &finished);
  singly_send_job_start (job);

  while (!finished)
    {
      g_autoptr(SinglyMessage) message = singly_message_builder_build (fixture->builder, n_previews++ % 200, NULL);

      g_assert_nonnull (message);
      g_main_context_iteration (NULL, FALSE);
    }

  g_assert_cmpuint (singly_send_job_count (job, SINGLY_RECIPIENT_SENT), ==, 200);
  for (guint row = 0; row < 200; row++)
    {
      g_autofree char *address = g_strdup_printf ("user%u@example.com", row);
      g_autofree char *name = singly_message_file_name (row, address);
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_autofree char *contents = NULL;
      g_autofree char *subject = g_strdup_printf ("Subject: Hi User %u\r\n", row);
      g_autofree char *body = g_strdup_printf ("Hello User %u, this is for %s only.\r\n", row, address);

      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      g_assert_nonnull (strstr (contents, subject));
      g_assert_nonnull (strstr (contents, body));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/send/folder", test_folder);
  ADD ("/send/skipped-rows", test_skipped_rows);
  ADD ("/send/report", test_report);
  ADD ("/send/smtp-sink", test_smtp_sink);
  ADD ("/send/refused-recipient", test_refused_recipient);
  ADD ("/send/reconnect-after-drop", test_reconnect_after_drop);
  ADD ("/send/reconnect-after-421", test_reconnect_after_421);
  ADD ("/send/max-per-connection", test_max_per_connection);
  ADD ("/send/interval", test_interval);
  ADD ("/send/pause-resume-cancel", test_pause_resume_cancel);
  ADD ("/send/finish-while-main-busy", test_finish_while_main_busy);
  ADD ("/send/preview-while-sending", test_preview_while_sending);

  return g_test_run ();
}
