/* test-cli-send.c: singly-cli send against real servers on 127.0.0.1
 *
 * What a person running the command would check: every recipient gets
 * exactly one message, the exit code says how it went, the password never
 * shows, and a killed run picks up where it stopped without sending
 * anybody a second copy.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "singly-test-server.h"
#include "singly-test-util.h"

#define PASSWORD "Tr0ub4dor&3-not-in-any-log"

typedef struct
{
  char *tmpdir;
  char *contacts;
  char *template;
  char *journal;
  char *report;
  char *state_home;
} Fixture;

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

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->tmpdir = singly_test_tmpdir ();
  fixture->contacts = g_build_filename (fixture->tmpdir, "list.csv", NULL);
  fixture->template = g_build_filename (fixture->tmpdir, "letter.txt", NULL);
  fixture->journal = g_build_filename (fixture->tmpdir, "send.journal", NULL);
  fixture->report = g_build_filename (fixture->tmpdir, "report.csv", NULL);
  fixture->state_home = g_build_filename (fixture->tmpdir, "state", NULL);
  g_file_set_contents (fixture->template, "Subject: Hello {{name}}\n\nDear {{name}},\nthis is for you.\n", -1, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  singly_test_rm_rf (fixture->state_home);
  singly_test_rm_rf (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->contacts);
  g_free (fixture->template);
  g_free (fixture->journal);
  g_free (fixture->report);
  g_free (fixture->state_home);
}

static void
write_contacts (Fixture *fixture,
                guint    n,
                ...)
{
  g_autoptr(GString) csv = g_string_new ("email,name\n");
  va_list args;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (csv, "user%u@example.com,User %u\n", i, i);
  va_start (args, n);
  for (const char *extra = va_arg (args, const char *); extra != NULL; extra = va_arg (args, const char *))
    g_string_append_printf (csv, "%s\n", extra);
  va_end (args);
  g_file_set_contents (fixture->contacts, csv->str, csv->len, NULL);
}

static GSubprocess *
spawn_send (Fixture            *fixture,
            SinglyTestServer   *server,
            GSubprocessFlags    flags,
            const char * const *extra)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_ptr_array_add (argv, g_strdup (g_getenv ("SINGLY_CLI")));
  g_ptr_array_add (argv, g_strdup ("send"));
  g_ptr_array_add (argv, g_strdup_printf ("--contacts=%s", fixture->contacts));
  g_ptr_array_add (argv, g_strdup_printf ("--template=%s", fixture->template));
  g_ptr_array_add (argv, g_strdup ("--from=office@example.org"));
  g_ptr_array_add (argv, g_strdup_printf ("--server=smtp://127.0.0.1:%u", singly_test_server_get_port (server)));
  g_ptr_array_add (argv, g_strdup ("--security=none"));
  g_ptr_array_add (argv, g_strdup_printf ("--journal=%s", fixture->journal));
  g_ptr_array_add (argv, g_strdup_printf ("--report=%s", fixture->report));
  g_ptr_array_add (argv, g_strdup ("--retry-delay=0.05"));
  g_ptr_array_add (argv, g_strdup ("--timeout=5"));
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (extra[i]));
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", fixture->state_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "SINGLY_PASSWORD", PASSWORD, TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "singly", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

static void
run_send (Run                *run,
          Fixture            *fixture,
          SinglyTestServer   *server,
          const char * const *extra)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  process = spawn_send (fixture, server, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, extra);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (process);
  g_test_message ("exit %d; stderr ends:\n%s", run->status,
                  strlen (run->err) > 2000 ? run->err + strlen (run->err) - 2000 : run->err);
}

/* How many copies each address received, from aiosmtpd's envelopes */
static GHashTable *
count_arrivals (SinglyTestServer *server)
{
  g_autoptr(GPtrArray) messages = singly_test_server_list_messages (server);
  GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < messages->len; i++)
    {
      const char *eml = messages->pdata[i];
      g_autofree char *json_path = g_strdup_printf ("%.*s.json", (int) strlen (eml) - 4, eml);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonArray *rcpts;

      json_parser_load_from_file (parser, json_path, &error);
      g_assert_no_error (error);
      rcpts = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "rcpt_tos");
      g_assert_cmpuint (json_array_get_length (rcpts), ==, 1);
      {
        const char *rcpt = json_array_get_string_element (rcpts, 0);
        guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, rcpt));

        g_hash_table_insert (counts, g_strdup (rcpt), GUINT_TO_POINTER (n + 1));
      }
    }
  return counts;
}

static void
test_send_all (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(SinglyTestServer) server = singly_test_server_start_aiosmtpd (NULL, NULL);
  g_autoptr(GHashTable) arrivals = NULL;
  g_autofree char *report = NULL;
  g_auto(Run) run = { 0 };

  write_contacts (fixture, 25, NULL);
  run_send (&run, fixture, server, NULL);

  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.err, "Sent 25, failed 0, unknown 0, skipped 0, not sent yet 0"));
  arrivals = count_arrivals (server);
  g_assert_cmpuint (g_hash_table_size (arrivals), ==, 25);
  for (guint i = 0; i < 25; i++)
    {
      g_autofree char *address = g_strdup_printf ("user%u@example.com", i);

      g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (arrivals, address)), ==, 1);
    }

  g_file_get_contents (fixture->report, &report, NULL, NULL);
  g_assert_true (g_str_has_prefix (report, "line,email,name,state,code,reply,message_id,time\r\n"));
  g_assert_nonnull (strstr (report, "\r\n2,user0@example.com,User 0,sent,250,"));

  /* again: the journal says all went, nothing is sent twice */
  {
    g_auto(Run) again = { 0 };

    run_send (&again, fixture, server, NULL);
    g_assert_cmpint (again.status, ==, 0);
    g_assert_cmpuint (singly_test_server_count_messages (server), ==, 25);
  }
}

static void
test_failures_and_retries (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(SinglyTestServer) server = singly_test_server_start_aiosmtpd ("--refuse", "nobody@example.com",
                                                                           "--defer", "user1@example.com:2",
                                                                           NULL);
  g_autoptr(GHashTable) arrivals = NULL;
  g_autofree char *report = NULL;
  g_auto(Run) run = { 0 };

  write_contacts (fixture, 3, "nobody@example.com,Nobody", "broken-address,Broken", NULL);
  run_send (&run, fixture, server, (const char *[]) { "-v", NULL });

  /* 550 fails that one recipient, the others still go; 451 twice, then sent */
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "Sent 3, failed 1, unknown 0, skipped 1, not sent yet 0"));
  g_assert_nonnull (strstr (run.err, "deferred user1@example.com: 451 4.3.0"));
  g_assert_nonnull (strstr (run.err, "failed   nobody@example.com: 550 5.1.1"));
  arrivals = count_arrivals (server);
  g_assert_cmpuint (g_hash_table_size (arrivals), ==, 3);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (arrivals, "user1@example.com")), ==, 1);
  g_assert_null (g_hash_table_lookup (arrivals, "nobody@example.com"));

  g_file_get_contents (fixture->report, &report, NULL, NULL);
  g_assert_nonnull (strstr (report, "\r\n5,nobody@example.com,Nobody,failed,550,"));
  g_assert_nonnull (strstr (report, "User unknown"));
  g_assert_nonnull (strstr (report, "\r\n6,broken-address,Broken,skipped,,"));
}

static void
test_account_limit_stops (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(SinglyTestServer) server = singly_test_server_start_aiosmtpd ("--limit-after", "3", NULL);
  g_auto(Run) run = { 0 };

  write_contacts (fixture, 10, NULL);
  run_send (&run, fixture, server, NULL);

  /* 550 5.4.5 refuses the account, not the recipient: stop, do not fail
   * the remaining seven one by one */
  g_assert_cmpint (run.status, ==, 3);
  g_assert_cmpuint (singly_test_server_count_messages (server), ==, 3);
  g_assert_nonnull (strstr (run.err, "Sent 3, failed 0, unknown 0, skipped 0, not sent yet 7"));
  g_assert_nonnull (strstr (run.err, "5.4.5"));
}

static void
test_wrong_password (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(SinglyTestServer) server = singly_test_server_start_aiosmtpd ("--user", "office",
                                                                           "--password", "the-right-one",
                                                                           NULL);
  g_autofree char *journal = NULL;
  g_auto(Run) run = { 0 };
  gint64 start = g_get_monotonic_time ();

  write_contacts (fixture, 5, NULL);
  run_send (&run, fixture, server, (const char *[]) { "--user=office", "-v", NULL });

  /* 535: at once, no retry loop, exit 3, and the password nowhere */
  g_assert_cmpint (run.status, ==, 3);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 20 * G_USEC_PER_SEC);
  g_assert_cmpuint (singly_test_server_count_messages (server), ==, 0);
  g_assert_nonnull (strstr (run.err, "535"));
  g_assert_null (strstr (run.err, PASSWORD));
  g_assert_null (strstr (run.out, PASSWORD));
  g_file_get_contents (fixture->journal, &journal, NULL, NULL);
  g_assert_null (strstr (journal, PASSWORD));
}

static void
test_password_never_shown (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(SinglyTestServer) server = singly_test_server_start_aiosmtpd ("--user", "office",
                                                                           "--password", PASSWORD,
                                                                           NULL);
  g_autofree char *journal = NULL;
  g_autofree char *report = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *plain = NULL;
  g_auto(Run) run = { 0 };

  write_contacts (fixture, 3, NULL);
  run_send (&run, fixture, server, (const char *[]) { "--user=office", "-v", NULL });

  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpuint (singly_test_server_count_messages (server), ==, 3);
  /* the transcript was on (G_MESSAGES_DEBUG=singly) */
  g_assert_nonnull (strstr (run.err, "smtp: > AUTH PLAIN"));

  /* neither the password nor its AUTH PLAIN encoding shows anywhere */
  plain = g_strdup_printf ("%c%s%c%s", 0, "office", 0, PASSWORD);
  encoded = g_base64_encode ((const guchar *) plain, 2 + strlen ("office") + strlen (PASSWORD));
  g_file_get_contents (fixture->journal, &journal, NULL, NULL);
  g_file_get_contents (fixture->report, &report, NULL, NULL);
  for (guint i = 0; i < 2; i++)
    {
      const char *secret = i == 0 ? PASSWORD : encoded;

      g_assert_null (strstr (run.err, secret));
      g_assert_null (strstr (run.out, secret));
      g_assert_null (strstr (journal, secret));
      g_assert_null (strstr (report, secret));
    }
}

static void
test_header_injection_never_on_wire (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(SinglyTestServer) server = singly_test_server_start_aiosmtpd (NULL, NULL);
  g_autoptr(GPtrArray) messages = NULL;
  g_auto(Run) run = { 0 };

  g_file_set_contents (fixture->contacts,
                       "email,name\n"
                       "ok@example.com,Fine\n"
                       "\"evil@example.com\r\nRCPT TO:<victim@example.net>\",Evil\n"
                       "other@example.com,\"Eve\r\nBcc: victim@example.net\"\n",
                       -1, NULL);
  run_send (&run, fixture, server, NULL);

  g_assert_cmpint (run.status, ==, 1);
  messages = singly_test_server_list_messages (server);
  g_assert_cmpuint (messages->len, ==, 1);
  {
    g_autoptr(GBytes) bytes = singly_test_read (messages->pdata[0]);

    g_assert_null (g_strstr_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "victim"));
  }
}

static void
test_unknown_not_resent (Fixture       *fixture,
                         gconstpointer  data)
{
  /* smtp-sink -q .: hang up after the final dot, before the reply */
  g_autoptr(SinglyTestServer) server = singly_test_server_start_sink ("-q", ".", NULL);
  g_autoptr(SinglyTestServer) good = NULL;
  g_auto(Run) run = { 0 };
  g_auto(Run) again = { 0 };
  g_auto(Run) decided = { 0 };

  write_contacts (fixture, 1, NULL);
  run_send (&run, fixture, server, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "Sent 0, failed 0, unknown 1"));

  /* the next run, to a server that works, leaves it alone... */
  good = singly_test_server_start_aiosmtpd (NULL, NULL);
  run_send (&again, fixture, good, NULL);
  g_assert_cmpint (again.status, ==, 1);
  g_assert_cmpuint (singly_test_server_count_messages (good), ==, 0);
  g_assert_nonnull (strstr (again.err, "--resend-unknown"));

  /* ...until the user decides */
  run_send (&decided, fixture, good, (const char *[]) { "--resend-unknown", NULL });
  g_assert_cmpint (decided.status, ==, 0);
  g_assert_cmpuint (singly_test_server_count_messages (good), ==, 1);
}

static void
test_changed_contacts_refused (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(SinglyTestServer) server = singly_test_server_start_aiosmtpd (NULL, NULL);
  g_auto(Run) run = { 0 };
  g_auto(Run) again = { 0 };

  write_contacts (fixture, 2, NULL);
  run_send (&run, fixture, server, NULL);
  g_assert_cmpint (run.status, ==, 0);

  write_contacts (fixture, 2, "new@example.com,New", NULL);
  run_send (&again, fixture, server, NULL);
  g_assert_cmpint (again.status, ==, 2);
  g_assert_nonnull (strstr (again.err, "contact list"));
  g_assert_cmpuint (singly_test_server_count_messages (server), ==, 2);
}

static void
test_pacing (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(SinglyTestServer) server = singly_test_server_start_aiosmtpd (NULL, NULL);
  g_autoptr(GPtrArray) messages = NULL;
  g_auto(Run) run = { 0 };
  GStatBuf first, last;

  /* 30 a minute: the 31st message waits until a minute after the first */
  write_contacts (fixture, 31, NULL);
  run_send (&run, fixture, server, (const char *[]) { "--max-per-minute=30", NULL });
  g_assert_cmpint (run.status, ==, 0);

  messages = singly_test_server_list_messages (server);
  g_assert_cmpuint (messages->len, ==, 31);
  g_assert_cmpint (g_stat (messages->pdata[0], &first), ==, 0);
  g_assert_cmpint (g_stat (messages->pdata[30], &last), ==, 0);
  g_assert_cmpint (last.st_mtime - first.st_mtime, >=, 59);
}

static void
test_kill_and_resume (Fixture       *fixture,
                      gconstpointer  data)
{
  const guint n = 2000;
  g_autoptr(SinglyTestServer) server = singly_test_server_start_aiosmtpd (NULL, NULL);
  g_autoptr(GHashTable) arrivals = NULL;
  g_auto(Run) last = { 0 };
  guint n_kills = 0, n_unknown_allowed, n_twice = 0;
  GHashTableIter iter;
  gpointer key, value;

  write_contacts (fixture, n, NULL);

  /* kill -9 at moments spread over the run, as long as it is not done */
  for (guint round = 0; round < 4; round++)
    {
      g_autoptr(GSubprocess) process = spawn_send (fixture, server, G_SUBPROCESS_FLAGS_STDERR_SILENCE, NULL);
      guint before = singly_test_server_count_messages (server);
      guint wait_ms = g_test_rand_int_range (200, 900);

      g_usleep (wait_ms * 1000);
      /* GLib reaps the child on its worker thread: no identifier, no process */
      if (g_subprocess_get_identifier (process) == NULL || singly_test_server_count_messages (server) >= n)
        {
          g_subprocess_wait (process, NULL, NULL);
          break;
        }
      g_subprocess_send_signal (process, SIGKILL);
      g_subprocess_wait (process, NULL, NULL);
      g_test_message ("round %u: killed after %u ms, %u → %u messages", round, wait_ms,
                      before, singly_test_server_count_messages (server));
      n_kills++;
    }

  /* then finish: unknown ones stay unknown, everything else goes */
  run_send (&last, fixture, server, NULL);
  arrivals = count_arrivals (server);

  g_hash_table_iter_init (&iter, arrivals);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_assert_cmpuint (GPOINTER_TO_UINT (value), ==, 1);
      if (GPOINTER_TO_UINT (value) > 1)
        n_twice++;
    }
  g_assert_cmpuint (n_twice, ==, 0);

  /* at most one recipient per kill is missing (unknown, not resent) */
  n_unknown_allowed = n_kills;
  g_assert_cmpuint (g_hash_table_size (arrivals), >=, n - n_unknown_allowed);
  g_assert_cmpuint (g_hash_table_size (arrivals), <=, n);
  g_test_message ("%u kills, %u of %u arrived once each", n_kills, g_hash_table_size (arrivals), n);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/cli-send/all", test_send_all);
  ADD ("/cli-send/failures-and-retries", test_failures_and_retries);
  ADD ("/cli-send/account-limit-stops", test_account_limit_stops);
  ADD ("/cli-send/wrong-password", test_wrong_password);
  ADD ("/cli-send/password-never-shown", test_password_never_shown);
  ADD ("/cli-send/header-injection", test_header_injection_never_on_wire);
  ADD ("/cli-send/unknown-not-resent", test_unknown_not_resent);
  ADD ("/cli-send/changed-contacts-refused", test_changed_contacts_refused);
  ADD ("/cli-send/kill-and-resume", test_kill_and_resume);
  ADD ("/cli-send/pacing", test_pacing);

  return g_test_run ();
}
