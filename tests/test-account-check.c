/* test-account-check.c: "Test Connection" against real servers on loopback
 *
 * aiosmtpd with STARTTLS and AUTH, Postfix's smtp-sink (no STARTTLS), a
 * port nobody listens on and a socket that never greets, all on
 * 127.0.0.1, started by the test. No address outside 127.0.0.0/8 is ever
 * contacted: refusing AUTH over plaintext to another machine is checked
 * through the mapping of the session's error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "singly-account-check.h"
#include "singly-secret.h"
#include "singly-test-certs.h"
#include "singly-test-server.h"
#include "singly-test-util.h"

#define PASSWORD "c0rrect-Horse"

static char *certs;

static void
got_result_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static SinglyAccountCheckResult *
run_check_full (const SinglyAccount  *account,
                const char           *password,
                GCancellable         *cancellable,
                GError              **error)
{
  g_autoptr(GAsyncResult) async_result = NULL;
  SinglyAccountCheckResult *result;

  singly_account_check_async (account, password, cancellable, got_result_cb, &async_result);
  while (async_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  result = singly_account_check_finish (async_result, error);
  if (result != NULL)
    g_test_message ("%s\n%s", result->summary, result->detail);
  return result;
}

static SinglyAccountCheckResult *
run_check (const SinglyAccount *account,
           const char          *password)
{
  g_autoptr(GError) error = NULL;
  SinglyAccountCheckResult *result = run_check_full (account, password, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_nonnull (result->summary);
  g_assert_nonnull (result->detail);
  return result;
}

static SinglyTestServer *
start_starttls_auth (void)
{
  g_autofree char *cert = singly_test_certs_path (certs, "server.pem");
  g_autofree char *key = singly_test_certs_path (certs, "server.key");

  return singly_test_server_start_aiosmtpd ("--mode", "starttls", "--cert", cert, "--key", key,
                                            "--user", "alice", "--password", PASSWORD, NULL);
}

static SinglyAccount *
account_for (SinglyTestServer *server,
             SinglySecurity    security)
{
  SinglyAccount *account = singly_account_new_smtp ("127.0.0.1", singly_test_server_get_port (server),
                                                    security, "Office", "office@example.org");

  account->name = g_strdup ("Office");
  account->user = g_strdup ("alice");
  return account;
}

static void
test_starttls_success (void)
{
  g_autoptr(SinglyTestServer) server = start_starttls_auth ();
  g_autoptr(SinglyAccount) account = account_for (server, SINGLY_SECURITY_STARTTLS);
  g_autoptr(SinglyAccountCheckResult) result = NULL;
  g_autofree char *fingerprint = singly_test_certs_fingerprint (certs, "server.pem");
  g_autofree char *where = g_strdup_printf ("127.0.0.1:%u (STARTTLS)", singly_test_server_get_port (server));

  account->ca_file = singly_test_certs_path (certs, "ca.pem");
  result = run_check (account, PASSWORD);
  g_assert_cmpint (result->outcome, ==, SINGLY_ACCOUNT_CHECK_SUCCESS);
  g_assert_cmpstr (result->summary, ==,
                   singly_account_check_outcome_describe (SINGLY_ACCOUNT_CHECK_SUCCESS, account));
  g_assert_nonnull (strstr (result->summary, "logged in"));
  g_assert_nonnull (strstr (result->detail, where));
  g_assert_nonnull (strstr (result->detail, "AUTH"));
  g_assert_cmpstr (result->fingerprint, ==, fingerprint);
  /* the password reaches neither sentence */
  g_assert_null (strstr (result->detail, PASSWORD));
  /* nothing was sent */
  g_assert_cmpuint (singly_test_server_count_messages (server), ==, 0);
}

static void
test_wrong_password (void)
{
  g_autoptr(SinglyTestServer) server = start_starttls_auth ();
  g_autoptr(SinglyAccount) account = account_for (server, SINGLY_SECURITY_STARTTLS);
  g_autoptr(SinglyAccountCheckResult) result = NULL;

  account->ca_file = singly_test_certs_path (certs, "ca.pem");
  result = run_check (account, "not-the-password");
  g_assert_cmpint (result->outcome, ==, SINGLY_ACCOUNT_CHECK_WRONG_PASSWORD);
  g_assert_cmpstr (result->summary, ==,
                   "The password was not accepted. If your provider asks for an app password, use "
                   "that instead of your normal password.");
  /* the server's reply, code and text */
  g_assert_nonnull (strstr (result->detail, "535"));
  g_assert_null (strstr (result->detail, "not-the-password"));
}

static void
test_untrusted_then_pinned (void)
{
  g_autoptr(SinglyTestServer) server = start_starttls_auth ();
  g_autoptr(SinglyAccount) account = account_for (server, SINGLY_SECURITY_STARTTLS);
  g_autoptr(SinglyAccountCheckResult) result = NULL;
  g_autoptr(SinglyAccountCheckResult) pinned = NULL;
  g_autofree char *fingerprint = singly_test_certs_fingerprint (certs, "server.pem");

  /* no CA file: the test CA is nobody's */
  result = run_check (account, PASSWORD);
  g_assert_cmpint (result->outcome, ==, SINGLY_ACCOUNT_CHECK_CERTIFICATE_UNTRUSTED);
  g_assert_cmpstr (result->fingerprint, ==, fingerprint);
  g_assert_nonnull (strstr (result->detail, fingerprint));
  g_assert_nonnull (strstr (result->summary, "not trusted"));

  /* "Trust This Certificate" */
  account->pinned_sha256 = g_strdup (result->fingerprint);
  pinned = run_check (account, PASSWORD);
  g_assert_cmpint (pinned->outcome, ==, SINGLY_ACCOUNT_CHECK_SUCCESS);
}

static void
test_tls_on_starttls_port (void)
{
  g_autoptr(SinglyTestServer) server = start_starttls_auth ();
  g_autoptr(SinglyAccount) account = account_for (server, SINGLY_SECURITY_TLS);
  g_autoptr(SinglyAccountCheckResult) result = NULL;

  /* implicit TLS to a port that greets in plaintext: not a certificate
   * problem, and no fingerprint to offer */
  account->ca_file = singly_test_certs_path (certs, "ca.pem");
  account->timeout_ms = 5000;
  result = run_check (account, PASSWORD);
  g_assert_cmpint (result->outcome, ==, SINGLY_ACCOUNT_CHECK_TLS_FAILED);
  g_assert_null (result->fingerprint);
}

static void
test_unreachable (void)
{
  g_autoptr(SinglyAccount) account =
    singly_account_new_smtp ("127.0.0.1", singly_test_free_port (), SINGLY_SECURITY_STARTTLS,
                             NULL, "office@example.org");
  g_autoptr(SinglyAccountCheckResult) result = NULL;

  account->user = g_strdup ("alice");
  result = run_check (account, PASSWORD);
  g_assert_cmpint (result->outcome, ==, SINGLY_ACCOUNT_CHECK_UNREACHABLE);
  g_assert_nonnull (strstr (result->summary, "could not reach"));
  g_assert_nonnull (strstr (result->detail, "127.0.0.1"));
  g_assert_null (result->fingerprint);
}

static void
test_starttls_missing (void)
{
  g_autoptr(SinglyTestServer) server = singly_test_server_start_sink ("-8", NULL);
  g_autoptr(SinglyAccount) account = account_for (server, SINGLY_SECURITY_STARTTLS);
  g_autoptr(SinglyAccountCheckResult) result = NULL;

  result = run_check (account, PASSWORD);
  g_assert_cmpint (result->outcome, ==, SINGLY_ACCOUNT_CHECK_STARTTLS_UNAVAILABLE);
  g_assert_nonnull (strstr (result->summary, "STARTTLS"));
}

/* Security "none" with AUTH: allowed to loopback only. The refusal for
 * another machine is what the session's error maps to: the test never
 * contacts one. */
static void
test_plaintext_auth (void)
{
  g_autoptr(SinglyTestServer) server =
    singly_test_server_start_aiosmtpd ("--mode", "plain", "--user", "alice", "--password", PASSWORD, NULL);
  g_autoptr(SinglyAccount) account = account_for (server, SINGLY_SECURITY_NONE);
  g_autoptr(SinglyAccountCheckResult) result = NULL;
  g_autoptr(GError) refused = NULL;

  result = run_check (account, PASSWORD);
  g_assert_cmpint (result->outcome, ==, SINGLY_ACCOUNT_CHECK_SUCCESS);
  g_assert_null (result->fingerprint);

  refused = g_error_new (SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_AUTH_NOT_ALLOWED,
                         "The password will not be sent to smtp.example.org over an unencrypted connection");
  g_assert_cmpint (singly_account_check_outcome_for_error (refused), ==,
                   SINGLY_ACCOUNT_CHECK_AUTH_NOT_ALLOWED);
  g_assert_nonnull (strstr (singly_account_check_outcome_describe (SINGLY_ACCOUNT_CHECK_AUTH_NOT_ALLOWED, account),
                            "unencrypted"));
}

static void
test_error_mapping (void)
{
  static const struct
  {
    SinglySmtpError            code;
    SinglyAccountCheckOutcome  outcome;
  } table[] = {
    { SINGLY_SMTP_ERROR_CONNECT, SINGLY_ACCOUNT_CHECK_UNREACHABLE },
    { SINGLY_SMTP_ERROR_TIMEOUT, SINGLY_ACCOUNT_CHECK_TIMEOUT },
    { SINGLY_SMTP_ERROR_TLS, SINGLY_ACCOUNT_CHECK_TLS_FAILED },
    { SINGLY_SMTP_ERROR_STARTTLS_UNAVAILABLE, SINGLY_ACCOUNT_CHECK_STARTTLS_UNAVAILABLE },
    { SINGLY_SMTP_ERROR_AUTH, SINGLY_ACCOUNT_CHECK_WRONG_PASSWORD },
    { SINGLY_SMTP_ERROR_AUTH_NOT_ALLOWED, SINGLY_ACCOUNT_CHECK_AUTH_NOT_ALLOWED },
    { SINGLY_SMTP_ERROR_AUTH_UNAVAILABLE, SINGLY_ACCOUNT_CHECK_AUTH_UNAVAILABLE },
    { SINGLY_SMTP_ERROR_SERVICE_UNAVAILABLE, SINGLY_ACCOUNT_CHECK_SERVER_REFUSED },
    { SINGLY_SMTP_ERROR_REJECTED, SINGLY_ACCOUNT_CHECK_SERVER_REFUSED },
    { SINGLY_SMTP_ERROR_ACCOUNT_REFUSED, SINGLY_ACCOUNT_CHECK_SERVER_REFUSED },
    { SINGLY_SMTP_ERROR_CONNECTION_LOST, SINGLY_ACCOUNT_CHECK_CONNECTION_LOST },
    { SINGLY_SMTP_ERROR_PROTOCOL, SINGLY_ACCOUNT_CHECK_PROTOCOL },
  };
  g_autoptr(GError) no_keyring = g_error_new_literal (SINGLY_SECRET_ERROR, SINGLY_SECRET_ERROR_NO_SERVICE, "none");

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (SINGLY_SMTP_ERROR, table[i].code, "x");

      g_assert_cmpint (singly_account_check_outcome_for_error (error), ==, table[i].outcome);
    }
  g_assert_cmpint (singly_account_check_outcome_for_error (no_keyring), ==, SINGLY_ACCOUNT_CHECK_NO_PASSWORD);

  /* every outcome has its sentence */
  for (int outcome = SINGLY_ACCOUNT_CHECK_SUCCESS; outcome <= SINGLY_ACCOUNT_CHECK_FOLDER_NOT_WRITABLE; outcome++)
    {
      const char *sentence = singly_account_check_outcome_describe (outcome, NULL);

      g_assert_nonnull (sentence);
      g_assert_true (g_str_has_suffix (sentence, "."));
    }
}

static void
test_no_password (void)
{
  g_autoptr(SinglyTestServer) server = start_starttls_auth ();
  g_autoptr(SinglyAccount) account = account_for (server, SINGLY_SECURITY_STARTTLS);
  g_autoptr(SinglyAccountCheckResult) result = NULL;

  /* an account not saved yet has no keyring entry to ask */
  account->ca_file = singly_test_certs_path (certs, "ca.pem");
  result = run_check (account, NULL);
  g_assert_cmpint (result->outcome, ==, SINGLY_ACCOUNT_CHECK_NO_PASSWORD);
  g_assert_nonnull (strstr (result->detail, "alice"));
}

static void
test_auth_unavailable (void)
{
  g_autoptr(SinglyTestServer) server = start_starttls_auth ();
  g_autoptr(SinglyAccount) account = account_for (server, SINGLY_SECURITY_STARTTLS);
  g_autoptr(SinglyAccountCheckResult) result = NULL;

  /* aiosmtpd offers PLAIN and LOGIN, not XOAUTH2; the token command is
   * not even run */
  account->ca_file = singly_test_certs_path (certs, "ca.pem");
  account->auth = SINGLY_SMTP_AUTH_XOAUTH2;
  account->token_command = g_strdup ("exit 1");
  result = run_check (account, NULL);
  g_assert_cmpint (result->outcome, ==, SINGLY_ACCOUNT_CHECK_AUTH_UNAVAILABLE);
}

/* A socket that accepts (the kernel's backlog does) and never greets */
static GSocket *
silent_listener (guint16 *port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  GSocket *socket;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (socket, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return socket;
}

static void
test_timeout (void)
{
  guint16 port = 0;
  g_autoptr(GSocket) listener = silent_listener (&port);
  g_autoptr(SinglyAccount) account =
    singly_account_new_smtp ("127.0.0.1", port, SINGLY_SECURITY_STARTTLS, NULL, "office@example.org");
  g_autoptr(SinglyAccountCheckResult) result = NULL;

  account->timeout_ms = 300;
  result = run_check (account, NULL);
  g_assert_cmpint (result->outcome, ==, SINGLY_ACCOUNT_CHECK_TIMEOUT);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (void)
{
  guint16 port = 0;
  g_autoptr(GSocket) listener = silent_listener (&port);
  g_autoptr(SinglyAccount) account =
    singly_account_new_smtp ("127.0.0.1", port, SINGLY_SECURITY_STARTTLS, NULL, "office@example.org");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(SinglyAccountCheckResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  g_timeout_add (100, cancel_cb, cancellable);
  result = run_check_full (account, NULL, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (result);
  /* well before the 20 s a test waits for the greeting */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
}

static void
test_incomplete (void)
{
  g_autoptr(SinglyAccount) account = singly_account_new_smtp ("  ", 0, SINGLY_SECURITY_STARTTLS, NULL, NULL);
  g_autoptr(SinglyAccountCheckResult) result = run_check (account, NULL);

  g_assert_cmpint (result->outcome, ==, SINGLY_ACCOUNT_CHECK_INCOMPLETE);
}

static void
test_folder (void)
{
  g_autofree char *dir = singly_test_tmpdir ();
  g_autofree char *later = g_build_filename (dir, "not", "yet", NULL);
  g_autofree char *file = g_build_filename (dir, "file.txt", NULL);
  g_autofree char *under_file = g_build_filename (file, "inside", NULL);
  g_autoptr(SinglyAccount) account = singly_account_new_folder (dir, NULL, NULL);
  g_autoptr(SinglyAccountCheckResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) listing = NULL;

  result = run_check (account, NULL);
  g_assert_cmpint (result->outcome, ==, SINGLY_ACCOUNT_CHECK_SUCCESS);
  /* the probe is gone */
  listing = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  g_assert_null (g_dir_read_name (listing));
  g_clear_pointer (&result, singly_account_check_result_free);

  /* a folder a send would make */
  g_free (account->folder);
  account->folder = g_strdup (later);
  result = run_check (account, NULL);
  g_assert_cmpint (result->outcome, ==, SINGLY_ACCOUNT_CHECK_SUCCESS);
  g_assert_false (g_file_test (later, G_FILE_TEST_EXISTS));
  g_clear_pointer (&result, singly_account_check_result_free);

  /* a file where a folder should be */
  g_file_set_contents (file, "x", -1, &error);
  g_assert_no_error (error);
  g_free (account->folder);
  account->folder = g_strdup (under_file);
  result = run_check (account, NULL);
  g_assert_cmpint (result->outcome, ==, SINGLY_ACCOUNT_CHECK_FOLDER_NOT_WRITABLE);
  g_assert_nonnull (strstr (result->detail, "file.txt"));

  singly_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  certs = singly_test_certs_make ();

  g_test_add_func ("/account-check/error-mapping", test_error_mapping);
  g_test_add_func ("/account-check/incomplete", test_incomplete);
  g_test_add_func ("/account-check/starttls-success", test_starttls_success);
  g_test_add_func ("/account-check/wrong-password", test_wrong_password);
  g_test_add_func ("/account-check/untrusted-then-pinned", test_untrusted_then_pinned);
  g_test_add_func ("/account-check/tls-on-starttls-port", test_tls_on_starttls_port);
  g_test_add_func ("/account-check/unreachable", test_unreachable);
  g_test_add_func ("/account-check/starttls-missing", test_starttls_missing);
  g_test_add_func ("/account-check/plaintext-auth", test_plaintext_auth);
  g_test_add_func ("/account-check/no-password", test_no_password);
  g_test_add_func ("/account-check/auth-unavailable", test_auth_unavailable);
  g_test_add_func ("/account-check/timeout", test_timeout);
  g_test_add_func ("/account-check/cancel", test_cancel);
  g_test_add_func ("/account-check/folder", test_folder);

  ret = g_test_run ();
  singly_test_rm_rf (certs);
  g_free (certs);
  return ret;
}
