/* test-send-one.c: "Send a test to myself", end to end
 *
 * aiosmtpd on 127.0.0.1 (tests/fixtures/aiosmtpd-server.py) records each
 * message it takes with its envelope: the test message must reach the
 * sender alone, whatever the template's Cc and Bcc said.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "singly-send-one.h"
#include <glib/gstdio.h>

#include "singly-test-server.h"
#include "singly-test-util.h"

#define SENDER "office@example.org"

typedef struct
{
  char                 *tmpdir;
  SinglyContactList    *contacts;
  SinglyTemplate       *template;
  SinglyMessageBuilder *builder;
  GMainLoop            *loop;
  char                 *outcome;
  GError               *error;
  guint                 n_secrets;
  int                   secret_freed;
} Fixture;

static const char csv[] =
  "email,name,manager\n"
  "alice@example.com,Alice,boss@example.com\n"
  "bob@example.com,Bob,chief@example.com\n";

static const char template_text[] =
  "Subject: Your invoice, {{name}}\n"
  "Cc: {{manager}}\n"
  "Bcc: archive@example.com\n"
  "Reply-To: billing@example.org\n"
  "\n"
  "Dear {{name}},\n"
  "your invoice is attached.\n";

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_static (csv, strlen (csv));

  fixture->tmpdir = singly_test_tmpdir ();
  fixture->loop = g_main_loop_new (NULL, FALSE);
  fixture->contacts = singly_contact_list_new_from_bytes (bytes, NULL, &error);
  g_assert_no_error (error);
  fixture->template = singly_template_new_from_data (template_text, -1, SINGLY_BODY_PLAIN,
                                                      fixture->tmpdir, &error);
  g_assert_no_error (error);
  fixture->builder = singly_message_builder_new (fixture->contacts, fixture->template, &error);
  g_assert_no_error (error);
  singly_message_builder_set_sender (fixture->builder, "Office", SENDER);
  singly_message_builder_check (fixture->builder);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->builder);
  g_clear_object (&fixture->template);
  g_clear_object (&fixture->contacts);
  g_clear_pointer (&fixture->loop, g_main_loop_unref);
  g_clear_pointer (&fixture->outcome, g_free);
  g_clear_error (&fixture->error);
  singly_test_rm_rf (fixture->tmpdir);
  g_free (fixture->tmpdir);
}

static char *
secret_cb (gpointer   user_data,
           GError   **error)
{
  Fixture *fixture = user_data;

  g_atomic_int_inc (&fixture->n_secrets);
  return g_strdup ("s3cret");
}

static void
secret_freed_cb (gpointer user_data)
{
  Fixture *fixture = user_data;

  g_atomic_int_set (&fixture->secret_freed, TRUE);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fixture *fixture = user_data;

  fixture->outcome = singly_send_one_finish (result, &fixture->error);
  g_main_loop_quit (fixture->loop);
}

/* Sends the message of @row as a test and waits for the outcome */
static void
send_test (Fixture             *fixture,
           const SinglyAccount *account,
           guint                row)
{
  g_autoptr(GError) error = NULL;
  SinglyMessage *message = singly_message_builder_build (fixture->builder, row, &error);

  g_assert_no_error (error);
  g_assert_nonnull (message);
  singly_send_one_async (message, account, secret_cb, fixture, secret_freed_cb, NULL, sent_cb, fixture);
  g_main_loop_run (fixture->loop);
  /* the task lets go of its data once both the callback and the worker
   * thread have let go of it */
  for (guint i = 0; i < 2000 && !g_atomic_int_get (&fixture->secret_freed); i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_true (fixture->secret_freed);
}

static JsonObject *
read_envelope (JsonParser *parser,
               const char *eml)
{
  g_autofree char *json = g_strdup_printf ("%.*s.json", (int) strlen (eml) - 4, eml);
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, json, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

/* The header block of a message file, with folded lines unfolded */
static char *
read_headers (const char *path)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) fold = g_regex_new ("\r?\n[ \t]+", 0, 0, NULL);
  char *end;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  end = strstr (text, "\r\n\r\n");
  g_assert_nonnull (end);
  *end = '\0';
  return g_regex_replace_literal (fold, text, -1, 0, " ", 0, NULL);
}

static gboolean
has_header (const char *headers,
            const char *name)
{
  /* header names are case-insensitive: GMime writes "Message-Id" */
  g_autofree char *lower = g_ascii_strdown (headers, -1);
  g_autofree char *wanted = g_ascii_strdown (name, -1);
  g_autofree char *at_start = g_strconcat (wanted, ":", NULL);
  g_autofree char *inside = g_strconcat ("\r\n", wanted, ":", NULL);

  return g_str_has_prefix (lower, at_start) || strstr (lower, inside) != NULL;
}

static void
test_smtp (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(SinglyTestServer) server = singly_test_server_start_aiosmtpd (NULL, NULL);
  g_autoptr(SinglyAccount) account = singly_account_new_smtp ("127.0.0.1", singly_test_server_get_port (server),
                                                              SINGLY_SECURITY_NONE, "Office", SENDER);
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *headers = NULL;
  JsonObject *envelope;
  JsonArray *rcpts;

  send_test (fixture, account, 1);
  g_assert_no_error (fixture->error);
  g_test_message ("reply: %s", fixture->outcome);
  g_assert_true (g_str_has_prefix (fixture->outcome, "250"));
  /* no AUTH asked for: no password either */
  g_assert_cmpuint (fixture->n_secrets, ==, 0);

  messages = singly_test_server_list_messages (server);
  g_assert_cmpuint (messages->len, ==, 1);

  envelope = read_envelope (parser, messages->pdata[0]);
  g_assert_cmpstr (json_object_get_string_member (envelope, "mail_from"), ==, SENDER);
  rcpts = json_object_get_array_member (envelope, "rcpt_tos");
  /* neither Bob, nor his manager in Cc, nor the archive in Bcc */
  g_assert_cmpuint (json_array_get_length (rcpts), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (rcpts, 0), ==, SENDER);

  headers = read_headers (messages->pdata[0]);
  g_test_message ("headers:\n%s", headers);
  g_assert_nonnull (strstr (headers, "\r\nTo: Office <" SENDER ">"));
  g_assert_null (strstr (headers, "bob@example.com"));
  g_assert_false (has_header (headers, "Cc"));
  g_assert_false (has_header (headers, "Bcc"));
  g_assert_null (strstr (headers, "chief@example.com"));
  g_assert_null (strstr (headers, "archive@example.com"));
  g_assert_nonnull (strstr (headers, "\r\nSubject: [Test] Your invoice, Bob"));
  /* the rest is what Bob would get */
  g_assert_nonnull (strstr (headers, "\r\nReply-To: billing@example.org"));
  g_assert_true (has_header (headers, "Message-ID"));
}

static void
test_auth (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(SinglyTestServer) server = singly_test_server_start_aiosmtpd ("--user", "office", "--password", "s3cret", NULL);
  g_autoptr(SinglyAccount) account = singly_account_new_smtp ("127.0.0.1", singly_test_server_get_port (server),
                                                              SINGLY_SECURITY_NONE, NULL, SENDER);
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *envelope;

  account->user = g_strdup ("office");
  send_test (fixture, account, 0);
  g_assert_no_error (fixture->error);
  g_assert_cmpuint (fixture->n_secrets, ==, 1);

  messages = singly_test_server_list_messages (server);
  g_assert_cmpuint (messages->len, ==, 1);
  envelope = read_envelope (parser, messages->pdata[0]);
  g_assert_true (json_object_get_boolean_member (envelope, "authenticated"));
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(SinglyTestServer) server = singly_test_server_start_aiosmtpd ("--refuse", SENDER, NULL);
  g_autoptr(SinglyAccount) account = singly_account_new_smtp ("127.0.0.1", singly_test_server_get_port (server),
                                                              SINGLY_SECURITY_NONE, NULL, SENDER);

  send_test (fixture, account, 0);
  g_assert_error (fixture->error, SINGLY_SEND_ONE_ERROR, SINGLY_SEND_ONE_ERROR_REFUSED);
  g_test_message ("error: %s", fixture->error->message);
  /* the server's own words reach the user */
  g_assert_true (g_str_has_prefix (fixture->error->message, "550"));
  g_assert_nonnull (strstr (fixture->error->message, "User unknown"));
  g_assert_cmpuint (singly_test_server_count_messages (server), ==, 0);
}

static void
test_no_server (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(SinglyAccount) account = singly_account_new_smtp ("127.0.0.1", singly_test_free_port (),
                                                              SINGLY_SECURITY_NONE, NULL, SENDER);

  account->timeout_ms = 5000;
  send_test (fixture, account, 0);
  g_assert_error (fixture->error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_CONNECT);
}

static void
test_folder (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (fixture->tmpdir, "out", "campaign", NULL);
  g_autoptr(SinglyAccount) account = singly_account_new_folder (folder, "Office", SENDER);
  g_autoptr(GDir) dir = NULL;
  g_autofree char *headers = NULL;
  const char *name;
  guint n = 0;

  send_test (fixture, account, 0);
  g_assert_no_error (fixture->error);
  g_test_message ("saved as %s", fixture->outcome);
  g_assert_true (g_str_has_prefix (fixture->outcome, folder));

  dir = g_dir_open (folder, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      n++;
      /* never taken for one of the campaign's messages */
      g_assert_true (g_str_has_prefix (name, "test-"));
      g_assert_true (g_str_has_suffix (name, ".eml"));
    }
  g_assert_cmpuint (n, ==, 1);
  /* the campaign's messages' mode: one person's message */
  {
    GStatBuf st;

    g_assert_cmpint (g_stat (fixture->outcome, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  }

  headers = read_headers (fixture->outcome);
  g_assert_nonnull (strstr (headers, "\r\nTo: Office <" SENDER ">"));
  g_assert_false (has_header (headers, "Cc"));
  g_assert_nonnull (strstr (headers, "\r\nSubject: [Test] Your invoice, Alice"));
}

static void
test_bad_sender (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (fixture->tmpdir, "out", NULL);
  g_autoptr(SinglyAccount) account = singly_account_new_folder (folder, NULL, "not an address");

  send_test (fixture, account, 0);
  g_assert_error (fixture->error, SINGLY_SEND_ONE_ERROR, SINGLY_SEND_ONE_ERROR_SENDER);
  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/send-one/smtp", test_smtp);
  ADD ("/send-one/auth", test_auth);
  ADD ("/send-one/refused", test_refused);
  ADD ("/send-one/no-server", test_no_server);
  ADD ("/send-one/folder", test_folder);
  ADD ("/send-one/bad-sender", test_bad_sender);

  return g_test_run ();
}
