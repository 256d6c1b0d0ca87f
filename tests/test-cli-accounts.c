/* test-cli-accounts.c: singly-cli with the accounts Singly keeps
 *
 * `singly-cli send --account NAME` to a real server on 127.0.0.1 that
 * asks for a password, which comes from the keyring; `singly-cli
 * accounts`. Run by run-with-keyring.sh (a keyring of its own on a private
 * bus); run alone, the tests that need the keyring skip, and the others
 * point the bus at nothing. Every run of singly-cli has its own
 * XDG_CONFIG_HOME.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>

#include "singly-account-store.h"
#include "singly-secret.h"
#include "singly-test-server.h"
#include "singly-test-util.h"

#define PASSWORD "Keyring-only-3141-not-in-any-log"

typedef struct
{
  char               *tmpdir;
  char               *config_home;
  char               *state_home;
  char               *contacts;
  char               *template;
  char               *journal;
  SinglyAccountStore *store;
  GPtrArray          *ids;
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

static gboolean
have_keyring (void)
{
  if (g_getenv ("SINGLY_KEYRING_ROOT") == NULL)
    {
      g_test_skip ("needs a keyring of its own: run under tests/run-with-keyring.sh");
      return FALSE;
    }
  return TRUE;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GString) csv = g_string_new ("email,name\n");

  fixture->tmpdir = singly_test_tmpdir ();
  fixture->config_home = g_build_filename (fixture->tmpdir, "config", NULL);
  fixture->state_home = g_build_filename (fixture->tmpdir, "state", NULL);
  fixture->contacts = g_build_filename (fixture->tmpdir, "list.csv", NULL);
  fixture->template = g_build_filename (fixture->tmpdir, "letter.txt", NULL);
  fixture->journal = g_build_filename (fixture->tmpdir, "send.journal", NULL);
  fixture->ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < 3; i++)
    g_string_append_printf (csv, "user%u@example.com,User %u\n", i, i);
  g_file_set_contents (fixture->contacts, csv->str, csv->len, NULL);
  g_file_set_contents (fixture->template, "Subject: Hello {{name}}\n\nDear {{name}},\nthis is for you.\n", -1, NULL);

  path = g_build_filename (fixture->config_home, "singly", "accounts.ini", NULL);
  fixture->store = singly_account_store_new (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  /* the keyring outlives the test's folder: leave nothing there */
  if (g_getenv ("SINGLY_KEYRING_ROOT") != NULL)
    for (guint i = 0; i < fixture->ids->len; i++)
      {
        g_autoptr(GError) error = NULL;

        singly_secret_clear_sync (fixture->ids->pdata[i], NULL, &error);
        g_assert_no_error (error);
      }

  singly_test_rm_rf (fixture->tmpdir);
  g_clear_object (&fixture->store);
  g_ptr_array_unref (fixture->ids);
  g_free (fixture->tmpdir);
  g_free (fixture->config_home);
  g_free (fixture->state_home);
  g_free (fixture->contacts);
  g_free (fixture->template);
  g_free (fixture->journal);
}

/* Adds an account on the loopback server and saves the store; returns its id */
static const char *
add_account (Fixture    *fixture,
             const char *name,
             guint16     port,
             const char *user)
{
  g_autoptr(SinglyAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  SinglyAccountItem *item;

  account = singly_account_new_smtp ("127.0.0.1", port, SINGLY_SECURITY_NONE,
                                     "Example Trading", "office@example.org");
  account->name = g_strdup (name);
  account->user = g_strdup (user);
  account->timeout_ms = 5000;
  item = singly_account_store_add (fixture->store, account, &error);
  g_assert_no_error (error);
  g_assert_true (singly_account_store_save (fixture->store, &error));
  g_assert_no_error (error);
  /* the fixture's copy: the item's goes when the account is updated */
  g_ptr_array_add (fixture->ids, g_strdup (singly_account_item_get_id (item)));
  return fixture->ids->pdata[fixture->ids->len - 1];
}

static void
store_password (const char *id,
                const char *user,
                const char *password)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (singly_secret_store_sync (id, user, NULL, password, NULL, &error));
  g_assert_no_error (error);
}

/* Runs singly-cli with the fixture's configuration; @env is NULL or
 * "NAME=VALUE" pairs to add */
static void
run_cli (Run                *run,
         Fixture            *fixture,
         const char * const *env,
         const char         *first_arg,
         ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("SINGLY_CLI"));
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", fixture->config_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", fixture->state_home, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "SINGLY_PASSWORD");
  g_subprocess_launcher_unsetenv (launcher, "EMAIL");
  /* without the test keyring, no keyring at all: never the user's */
  if (g_getenv ("SINGLY_KEYRING_ROOT") == NULL)
    g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/singly-bus", TRUE);
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (env[i], "=", 2);

      g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (process);
  g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", run->status, run->out, run->err);
}

static char *
campaign_arg (const char *option,
              const char *value)
{
  return g_strdup_printf ("--%s=%s", option, value);
}

static void
assert_authenticated_arrivals (SinglyTestServer *server,
                               guint             n)
{
  g_autoptr(GPtrArray) messages = singly_test_server_list_messages (server);

  g_assert_cmpuint (messages->len, ==, n);
  for (guint i = 0; i < messages->len; i++)
    {
      const char *eml = messages->pdata[i];
      g_autofree char *json_path = g_strdup_printf ("%.*s.json", (int) strlen (eml) - 4, eml);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GBytes) bytes = singly_test_read (eml);
      g_autoptr(GError) error = NULL;
      JsonObject *envelope;

      json_parser_load_from_file (parser, json_path, &error);
      g_assert_no_error (error);
      envelope = json_node_get_object (json_parser_get_root (parser));
      g_assert_true (json_object_get_boolean_member (envelope, "authenticated"));
      /* the account's sender, with its name, without --from */
      g_assert_cmpstr (json_object_get_string_member (envelope, "mail_from"), ==, "office@example.org");
      g_assert_nonnull (g_strstr_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                      "From: Example Trading <office@example.org>"));
    }
}

static void
assert_secret_not_shown (const Run *run)
{
  g_assert_null (strstr (run->out, PASSWORD));
  g_assert_null (strstr (run->err, PASSWORD));
}

static void
test_send_with_keyring (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(SinglyTestServer) server = NULL;
  g_autofree char *contacts = campaign_arg ("contacts", fixture->contacts);
  g_autofree char *template = campaign_arg ("template", fixture->template);
  g_autofree char *journal = campaign_arg ("journal", fixture->journal);
  g_auto(Run) run = { 0 };
  const char *id;

  if (!have_keyring ())
    return;

  server = singly_test_server_start_aiosmtpd ("--user", "office", "--password", PASSWORD, NULL);
  id = add_account (fixture, "Office", singly_test_server_get_port (server), "office");
  store_password (id, "office", PASSWORD);

  /* by name, in any case; the transcript on, to see it never shows */
  run_cli (&run, fixture, (const char *[]) { "G_MESSAGES_DEBUG=singly", NULL },
           "send", "--account=office", contacts, template, journal, "--retry-delay=0.05", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.err, "Sent 3, failed 0"));
  g_assert_nonnull (strstr (run.err, "smtp: > AUTH PLAIN ****"));
  assert_secret_not_shown (&run);
  assert_authenticated_arrivals (server, 3);
}

static void
test_send_overrides (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(SinglyTestServer) server = NULL;
  g_autoptr(SinglyAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contacts = campaign_arg ("contacts", fixture->contacts);
  g_autofree char *template = campaign_arg ("template", fixture->template);
  g_autofree char *journal = campaign_arg ("journal", fixture->journal);
  g_autofree char *server_url = NULL;
  g_autofree char *account_arg = NULL;
  g_auto(Run) run = { 0 };
  const char *id;

  if (!have_keyring ())
    return;

  /* stored for a server that is not this one (TEST-NET, never reached):
   * --server and --security win for this run, the password still comes
   * from the keyring by the account's id */
  server = singly_test_server_start_aiosmtpd ("--user", "office", "--password", PASSWORD, NULL);
  id = add_account (fixture, "Elsewhere", 587, "office");
  account = singly_account_copy (singly_account_item_get_account (singly_account_store_lookup (fixture->store, id)));
  g_free (account->host);
  account->host = g_strdup ("192.0.2.1");
  account->security = SINGLY_SECURITY_STARTTLS;
  g_assert_true (singly_account_store_update (fixture->store, id, account, &error));
  g_assert_true (singly_account_store_save (fixture->store, &error));
  g_assert_no_error (error);
  store_password (id, "office", PASSWORD);

  server_url = g_strdup_printf ("--server=smtp://127.0.0.1:%u", singly_test_server_get_port (server));
  account_arg = g_strdup_printf ("--account=%s", id);
  run_cli (&run, fixture, NULL, "send", account_arg, server_url, "--security=none", "--timeout=5",
           contacts, template, journal, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.err, "127.0.0.1"));
  g_assert_null (strstr (run.err, "192.0.2.1"));
  assert_secret_not_shown (&run);
  assert_authenticated_arrivals (server, 3);
}

static void
test_environment_first (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(SinglyTestServer) server = NULL;
  g_autofree char *contacts = campaign_arg ("contacts", fixture->contacts);
  g_autofree char *template = campaign_arg ("template", fixture->template);
  g_autofree char *journal = campaign_arg ("journal", fixture->journal);
  g_auto(Run) run = { 0 };
  g_auto(Run) command = { 0 };
  const char *id;

  if (!have_keyring ())
    return;

  /* an old password in the keyring: SINGLY_PASSWORD, then
   * --password-command, come first */
  server = singly_test_server_start_aiosmtpd ("--user", "office", "--password", PASSWORD, NULL);
  id = add_account (fixture, "Office", singly_test_server_get_port (server), "office");
  store_password (id, "office", "an-old-password");

  run_cli (&run, fixture, (const char *[]) { "SINGLY_PASSWORD=" PASSWORD, NULL },
           "send", "--account=Office", contacts, template, journal, NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_authenticated_arrivals (server, 3);

  g_unlink (fixture->journal);
  run_cli (&command, fixture, NULL, "send", "--account=Office", "--password-command=echo " PASSWORD,
           contacts, template, journal, NULL);
  g_assert_cmpint (command.status, ==, 0);
  assert_secret_not_shown (&command);
  assert_authenticated_arrivals (server, 6);
}

static void
test_no_password (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SinglyTestServer) server = NULL;
  g_autofree char *contacts = campaign_arg ("contacts", fixture->contacts);
  g_autofree char *template = campaign_arg ("template", fixture->template);
  g_autofree char *journal = campaign_arg ("journal", fixture->journal);
  g_auto(Run) run = { 0 };
  g_auto(Run) no_keyring = { 0 };
  gint64 start;

  if (!have_keyring ())
    return;

  server = singly_test_server_start_aiosmtpd ("--user", "office", "--password", PASSWORD, NULL);
  add_account (fixture, "Office", singly_test_server_get_port (server), "office");

  /* nothing in the keyring: said at once, exit 3, nothing sent */
  start = g_get_monotonic_time ();
  run_cli (&run, fixture, NULL, "send", "--account=Office", contacts, template, journal, NULL);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_nonnull (strstr (run.err, "keyring holds no password for office"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  g_assert_cmpuint (singly_test_server_count_messages (server), ==, 0);

  /* no keyring at all: the same, saying so */
  run_cli (&no_keyring, fixture,
           (const char *[]) { "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/singly-bus", NULL },
           "send", "--account=Office", contacts, template, journal, NULL);
  g_assert_cmpint (no_keyring.status, ==, 3);
  g_assert_nonnull (strstr (no_keyring.err, "no Secret Service"));
  g_assert_nonnull (strstr (no_keyring.err, "SINGLY_PASSWORD"));
  g_assert_cmpuint (singly_test_server_count_messages (server), ==, 0);
}

static void
test_send_to_folder (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(SinglyAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *folder = g_build_filename (fixture->tmpdir, "out", NULL);
  g_autofree char *contacts = campaign_arg ("contacts", fixture->contacts);
  g_autofree char *template = campaign_arg ("template", fixture->template);
  g_auto(Run) run = { 0 };
  g_auto(Run) again = { 0 };
  guint n_files = 0;
  const char *name;

  /* the default account, pointed at a folder: no server, no password */
  account = singly_account_new_folder (folder, "Example Trading", "office@example.org");
  g_assert_true (singly_account_store_update (fixture->store, SINGLY_ACCOUNT_STORE_DEFAULT_ID, account, &error));
  g_assert_true (singly_account_store_save (fixture->store, &error));
  g_assert_no_error (error);

  run_cli (&run, fixture, NULL, "send", "--account=Save to folder", contacts, template, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.err, "Sent 3, failed 0"));

  dir = g_dir_open (folder, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_autoptr(GBytes) bytes = singly_test_read (path);

      g_assert_true (g_str_has_suffix (name, ".eml"));
      g_assert_nonnull (g_strstr_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                      "From: Example Trading <office@example.org>"));
      n_files++;
    }
  g_assert_cmpuint (n_files, ==, 3);

  /* the journal (under XDG_STATE_HOME) says they are done */
  run_cli (&again, fixture, NULL, "send", "--account=save-to-folder", contacts, template, NULL);
  g_assert_cmpint (again.status, ==, 0);
  g_assert_nonnull (strstr (again.err, "Sent 3, failed 0"));
}

static void
test_unknown_and_broken (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *contacts = campaign_arg ("contacts", fixture->contacts);
  g_autofree char *template = campaign_arg ("template", fixture->template);
  g_autofree char *path = g_build_filename (fixture->config_home, "singly", "accounts.ini", NULL);
  g_autofree char *where = g_strdup_printf ("%s:3:", path);
  g_auto(Run) unknown = { 0 };
  g_auto(Run) no_from = { 0 };
  g_auto(Run) broken = { 0 };
  g_auto(Run) listed = { 0 };

  add_account (fixture, "Office", 25, NULL);

  run_cli (&unknown, fixture, NULL, "send", "--account=Nobody", contacts, template, NULL);
  g_assert_cmpint (unknown.status, ==, 2);
  g_assert_nonnull (strstr (unknown.err, "no account “Nobody”"));

  /* neither --account nor --server */
  run_cli (&no_from, fixture, NULL, "send", contacts, template, NULL);
  g_assert_cmpint (no_from.status, ==, 2);
  g_assert_nonnull (strstr (no_from.err, "--account"));

  g_file_set_contents (path, "[account-1]\nname=Office\nport=twenty-five\nhost=h\n", -1, NULL);
  run_cli (&broken, fixture, NULL, "send", "--account=Office", contacts, template, NULL);
  g_assert_cmpint (broken.status, ==, 2);
  g_assert_nonnull (strstr (broken.err, where));

  run_cli (&listed, fixture, NULL, "accounts", NULL);
  g_assert_cmpint (listed.status, ==, 2);
  g_assert_nonnull (strstr (listed.err, where));
}

/* The row of `singly-cli accounts` that starts with @name */
static char *
find_row (const char *out,
          const char *name)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], name) && lines[i][strlen (name)] == ' ')
      return g_strdup (lines[i]);
  return NULL;
}

static void
test_list (Fixture       *fixture,
           gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) no_keyring = { 0 };
  g_autofree char *office = NULL;
  g_autofree char *backup = NULL;
  g_autofree char *relay = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *header = NULL;
  const char *office_id;

  if (!have_keyring ())
    return;

  office_id = add_account (fixture, "Office", 2525, "office");
  store_password (office_id, "office", PASSWORD);
  add_account (fixture, "Backup 备用", 2526, "backup");
  add_account (fixture, "Relay", 2527, NULL);

  run_cli (&run, fixture, NULL, "accounts", NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_secret_not_shown (&run);

  header = find_row (run.out, "NAME");
  folder = find_row (run.out, "Save to folder");
  office = find_row (run.out, "Office");
  backup = find_row (run.out, "Backup 备用");
  relay = find_row (run.out, "Relay");
  g_assert_nonnull (header);
  g_assert_nonnull (strstr (header, "PASSWORD"));
  g_assert_nonnull (folder);
  g_assert_nonnull (strstr (folder, " folder "));
  g_assert_nonnull (strstr (folder, "not needed"));
  g_assert_nonnull (office);
  g_assert_nonnull (strstr (office, " smtp "));
  g_assert_nonnull (strstr (office, "Example Trading <office@example.org>"));
  g_assert_nonnull (strstr (office, "127.0.0.1:2525 (no encryption) as office"));
  g_assert_nonnull (strstr (office, " yes "));
  g_assert_nonnull (strstr (office, office_id));
  g_assert_nonnull (backup);
  g_assert_nonnull (strstr (backup, " no "));
  g_assert_nonnull (relay);
  g_assert_nonnull (strstr (relay, "not needed"));

  /* columns line up, the Chinese name taking two cells a character */
  g_assert_cmpuint (strstr (office, " smtp ") - office, ==, strstr (relay, " smtp ") - relay);
  g_assert_cmpuint (g_utf8_pointer_to_offset (backup, strstr (backup, " smtp ")) + 2, ==,
                    strstr (relay, " smtp ") - relay);

  run_cli (&no_keyring, fixture,
           (const char *[]) { "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/singly-bus", NULL },
           "accounts", NULL);
  g_assert_cmpint (no_keyring.status, ==, 0);
  g_clear_pointer (&office, g_free);
  office = find_row (no_keyring.out, "Office");
  g_assert_nonnull (office);
  g_assert_nonnull (strstr (office, "unknown (no keyring)"));
  g_assert_nonnull (strstr (no_keyring.err, "no Secret Service"));
}

int
main (int    argc,
      char **argv)
{
  int status;

  /* this process too: without the test keyring, no keyring at all */
  if (g_getenv ("SINGLY_KEYRING_ROOT") == NULL)
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/singly-bus", TRUE);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/cli-accounts/send-with-keyring", test_send_with_keyring);
  ADD ("/cli-accounts/send-overrides", test_send_overrides);
  ADD ("/cli-accounts/environment-first", test_environment_first);
  ADD ("/cli-accounts/no-password", test_no_password);
  ADD ("/cli-accounts/send-to-folder", test_send_to_folder);
  ADD ("/cli-accounts/unknown-and-broken", test_unknown_and_broken);
  ADD ("/cli-accounts/list", test_list);

  status = g_test_run ();
  secret_service_disconnect ();
  return status;
}
