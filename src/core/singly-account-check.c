/* singly-account-check.c: "Test Connection", in words people understand
 *
 * A test does what a send does up to the first message, and stops there:
 * connect, encrypt (TLS or STARTTLS, with the same certificate checks),
 * EHLO, log in, QUIT. No MAIL FROM is ever sent, so nothing can go out.
 * It runs on a GTask thread with the blocking session of the send job;
 * the window stays responsive and can cancel it at any time.
 *
 * What went wrong is told twice: once in a sentence for the office worker
 * who set the account up ("The password was not accepted…"), once in
 * detail for whoever helps them (the server's reply code and text, the
 * host and port, the certificate's fingerprint).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "singly-account-check.h"
#include "singly-i18n.h"
#include "singly-secret.h"
#include "singly-smtp.h"

/* A test waits less than a send: someone is watching a spinner */
#define CHECK_TIMEOUT_MS 20000

typedef struct
{
  SinglyAccount             *account;
  char                      *password;       /* (nullable), wiped when done */
  GCancellable              *cancellable;
  gboolean                   secret_missing; /* the secret function found none */
  SinglyAccountCheckOutcome  secret_outcome;
} CheckData;

G_DEFINE_BOXED_TYPE (SinglyAccountCheckResult, singly_account_check_result,
                     singly_account_check_result_copy, singly_account_check_result_free)

static void
check_data_free (gpointer user_data)
{
  CheckData *data = user_data;

  singly_account_free (data->account);
  singly_secret_free (data->password);
  g_clear_object (&data->cancellable);
  g_free (data);
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  while (g_ascii_isspace (*text))
    text++;
  return *text == '\0';
}

static SinglyAccountCheckResult *
result_new (SinglyAccountCheckOutcome  outcome,
            const SinglyAccount       *account,
            char                      *detail,
            const char                *fingerprint)
{
  SinglyAccountCheckResult *result = g_new0 (SinglyAccountCheckResult, 1);

  result->outcome = outcome;
  result->summary = g_strdup (singly_account_check_outcome_describe (outcome, account));
  result->detail = detail;
  result->fingerprint = g_strdup (fingerprint);
  return result;
}

/* The password for AUTH, asked for by the session on this thread: the one
 * given, else a fresh OAuth2 token, else the keyring's */
static char *
check_secret_cb (gpointer   user_data,
                 GError   **error)
{
  CheckData *data = user_data;
  const SinglyAccount *account = data->account;
  GError *local_error = NULL;
  char *secret;

  if (data->password != NULL)
    return g_strdup (data->password);

  if (account->auth == SINGLY_SMTP_AUTH_XOAUTH2 && !is_blank (account->token_command))
    {
      secret = singly_secret_run_command (account->token_command, &local_error);
      if (secret == NULL)
        {
          data->secret_missing = TRUE;
          data->secret_outcome = SINGLY_ACCOUNT_CHECK_TOKEN_FAILED;
          g_propagate_error (error, local_error);
        }
      return secret;
    }

  data->secret_missing = TRUE;
  data->secret_outcome = SINGLY_ACCOUNT_CHECK_NO_PASSWORD;
  if (account->id == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("No password was given for %s"), account->user);
      return NULL;
    }

  secret = singly_secret_lookup_sync (account->id, account->user, data->cancellable, &local_error);
  if (secret != NULL)
    {
      data->secret_missing = FALSE;
      return secret;
    }
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 _("The keyring holds no password for %s"), account->user);
  return NULL;
}

static void
add_line (GString    *text,
          const char *format,
          ...) G_GNUC_PRINTF (2, 3);

static void
add_line (GString    *text,
          const char *format,
          ...)
{
  va_list args;

  if (text->len > 0)
    g_string_append_c (text, '\n');
  va_start (args, format);
  g_string_append_vprintf (text, format, args);
  va_end (args);
}

static char *
describe_extensions (SinglySmtpExtensions extensions)
{
  static const struct
  {
    SinglySmtpExtensions  flag;
    const char           *name;
  } names[] = {
    { SINGLY_SMTP_EXTENSION_AUTH, "AUTH" },
    { SINGLY_SMTP_EXTENSION_SIZE, "SIZE" },
    { SINGLY_SMTP_EXTENSION_PIPELINING, "PIPELINING" },
    { SINGLY_SMTP_EXTENSION_8BITMIME, "8BITMIME" },
    { SINGLY_SMTP_EXTENSION_SMTPUTF8, "SMTPUTF8" },
    { SINGLY_SMTP_EXTENSION_DSN, "DSN" },
    { SINGLY_SMTP_EXTENSION_ENHANCEDSTATUSCODES, "ENHANCEDSTATUSCODES" },
  };
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (extensions & names[i].flag)
      g_string_append_printf (text, "%s%s", text->len > 0 ? " " : "", names[i].name);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static SinglyAccountCheckResult *
check_server (CheckData     *data,
              GCancellable  *cancellable,
              GError       **error)
{
  const SinglyAccount *account = data->account;
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) detail = g_string_new (NULL);
  g_autofree char *host = NULL;
  g_autofree char *user = NULL;
  g_autofree char *where = NULL;
  SinglyAccountCheckOutcome outcome;
  SinglySmtpConfig config = { 0 };
  const char *fingerprint;

  if (is_blank (account->host))
    return result_new (SINGLY_ACCOUNT_CHECK_INCOMPLETE, account,
                       g_strdup (_("No server is set.")), NULL);

  host = g_strstrip (g_strdup (account->host));
  if (!is_blank (account->user))
    user = g_strstrip (g_strdup (account->user));

  config.host = host;
  config.port = account->port;
  config.security = account->security;
  config.ca_file = is_blank (account->ca_file) ? NULL : account->ca_file;
  config.pinned_sha256 = is_blank (account->pinned_sha256) ? NULL : account->pinned_sha256;
  config.user = user;
  config.auth = account->auth;
  config.secret_func = check_secret_cb;
  config.secret_data = data;
  config.timeout_ms = account->timeout_ms ? account->timeout_ms : CHECK_TIMEOUT_MS;
  config.request_dsn = account->request_dsn;

  session = singly_smtp_session_new (&config);
  if (singly_smtp_session_open (session, cancellable, &local_error))
    {
      g_autofree char *offered = describe_extensions (singly_smtp_session_get_extensions (session));

      outcome = SINGLY_ACCOUNT_CHECK_SUCCESS;
      singly_smtp_session_close (session, cancellable);
      add_line (detail, "%s", user != NULL ? _("Connected and logged in; nothing was sent.")
                                           : _("Connected; nothing was sent."));
      if (*offered != '\0')
        add_line (detail, _("The server offers: %s"), offered);
    }
  else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  else
    {
      if (data->secret_missing)
        outcome = data->secret_outcome;
      else if (g_error_matches (local_error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_TLS) &&
               singly_smtp_session_get_peer_untrusted (session))
        outcome = SINGLY_ACCOUNT_CHECK_CERTIFICATE_UNTRUSTED;
      else
        outcome = singly_account_check_outcome_for_error (local_error);
      add_line (detail, "%s", local_error->message);
    }

  where = singly_account_describe (account);
  add_line (detail, _("Server: %s"), where);
  if (user != NULL)
    add_line (detail, _("User: %s"), user);
  fingerprint = singly_smtp_session_get_peer_fingerprint (session);
  if (fingerprint != NULL)
    add_line (detail, _("Certificate SHA-256 fingerprint: %s"), fingerprint);
  if (config.ca_file != NULL)
    add_line (detail, _("CA certificate file: %s"), config.ca_file);
  if (config.pinned_sha256 != NULL)
    add_line (detail, _("Trusted certificate: %s"), config.pinned_sha256);

  return result_new (outcome, account, g_string_free (g_steal_pointer (&detail), FALSE), fingerprint);
}

/* What a send would do first: make the folder if need be, and write into
 * it. The folder is not made here; the nearest folder that exists is
 * checked instead. */
static SinglyAccountCheckResult *
check_folder (const SinglyAccount *account)
{
  g_autofree char *folder = NULL;
  g_autofree char *existing = NULL;
  g_autofree char *problem = NULL;

  if (is_blank (account->folder))
    return result_new (SINGLY_ACCOUNT_CHECK_INCOMPLETE, account,
                       g_strdup (_("No folder is set.")), NULL);

  folder = g_strdup (account->folder);
  existing = g_strdup (folder);
  while (!g_file_test (existing, G_FILE_TEST_EXISTS))
    {
      g_autofree char *parent = g_path_get_dirname (existing);

      if (g_str_equal (parent, existing))
        break;
      g_free (existing);
      existing = g_steal_pointer (&parent);
    }

  if (!g_file_test (existing, G_FILE_TEST_IS_DIR))
    problem = g_strdup_printf (_("%s is not a folder"), existing);
  else if (access (existing, W_OK | X_OK) != 0)
    {
      int saved_errno = errno;

      problem = g_strdup_printf (_("Cannot write into %s: %s"), existing, g_strerror (saved_errno));
    }
  else if (g_str_equal (existing, folder))
    {
      /* access() says yes to root and knows nothing of read-only mounts */
      g_autofree char *probe = g_build_filename (folder, ".singly-test-XXXXXX", NULL);
      int fd = g_mkstemp_full (probe, O_RDWR | O_CLOEXEC, 0600);

      if (fd < 0)
        {
          int saved_errno = errno;

          problem = g_strdup_printf (_("Cannot write into %s: %s"), folder, g_strerror (saved_errno));
        }
      else
        {
          close (fd);
          g_unlink (probe);
        }
    }

  if (problem != NULL)
    return result_new (SINGLY_ACCOUNT_CHECK_FOLDER_NOT_WRITABLE, account,
                       g_strdup_printf ("%s\n%s", problem, folder), NULL);
  return result_new (SINGLY_ACCOUNT_CHECK_SUCCESS, account,
                     g_strdup_printf (g_str_equal (existing, folder)
                                      ? _("Messages will be written into %s.")
                                      : _("Messages will be written into %s, which will be created."),
                                      folder),
                     NULL);
}

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CheckData *data = task_data;
  SinglyAccountCheckResult *result;
  GError *error = NULL;

  if (data->account->kind == SINGLY_ACCOUNT_FOLDER)
    result = check_folder (data->account);
  else
    result = check_server (data, cancellable, &error);

  /* the password is not needed once logged in */
  g_clear_pointer (&data->password, singly_secret_free);

  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) singly_account_check_result_free);
}

/**
 * singly_account_check_result_copy:
 *
 * Returns: (transfer full): a copy of @result
 */
SinglyAccountCheckResult *
singly_account_check_result_copy (const SinglyAccountCheckResult *result)
{
  SinglyAccountCheckResult *copy;

  g_return_val_if_fail (result != NULL, NULL);

  copy = g_new0 (SinglyAccountCheckResult, 1);
  copy->outcome = result->outcome;
  copy->summary = g_strdup (result->summary);
  copy->detail = g_strdup (result->detail);
  copy->fingerprint = g_strdup (result->fingerprint);
  return copy;
}

void
singly_account_check_result_free (SinglyAccountCheckResult *result)
{
  if (result == NULL)
    return;
  g_free (result->summary);
  g_free (result->detail);
  g_free (result->fingerprint);
  g_free (result);
}

/**
 * singly_account_check_outcome_for_error:
 * @error: an error from singly_smtp_session_open()
 *
 * What an SMTP error means to the user. A certificate that is not
 * trusted cannot be told from another TLS failure by the error alone:
 * ask singly_smtp_session_get_peer_untrusted().
 *
 * Returns: the outcome
 */
SinglyAccountCheckOutcome
singly_account_check_outcome_for_error (const GError *error)
{
  g_return_val_if_fail (error != NULL, SINGLY_ACCOUNT_CHECK_PROTOCOL);

  if (error->domain == SINGLY_SECRET_ERROR)
    return SINGLY_ACCOUNT_CHECK_NO_PASSWORD;
  if (error->domain != SINGLY_SMTP_ERROR)
    return SINGLY_ACCOUNT_CHECK_PROTOCOL;

  switch ((SinglySmtpError) error->code)
    {
    case SINGLY_SMTP_ERROR_CONNECT:              return SINGLY_ACCOUNT_CHECK_UNREACHABLE;
    case SINGLY_SMTP_ERROR_TIMEOUT:              return SINGLY_ACCOUNT_CHECK_TIMEOUT;
    case SINGLY_SMTP_ERROR_TLS:                  return SINGLY_ACCOUNT_CHECK_TLS_FAILED;
    case SINGLY_SMTP_ERROR_STARTTLS_UNAVAILABLE: return SINGLY_ACCOUNT_CHECK_STARTTLS_UNAVAILABLE;
    case SINGLY_SMTP_ERROR_AUTH:                 return SINGLY_ACCOUNT_CHECK_WRONG_PASSWORD;
    case SINGLY_SMTP_ERROR_AUTH_NOT_ALLOWED:     return SINGLY_ACCOUNT_CHECK_AUTH_NOT_ALLOWED;
    case SINGLY_SMTP_ERROR_AUTH_UNAVAILABLE:     return SINGLY_ACCOUNT_CHECK_AUTH_UNAVAILABLE;
    case SINGLY_SMTP_ERROR_SERVICE_UNAVAILABLE:
    case SINGLY_SMTP_ERROR_REJECTED:
    case SINGLY_SMTP_ERROR_ACCOUNT_REFUSED:      return SINGLY_ACCOUNT_CHECK_SERVER_REFUSED;
    case SINGLY_SMTP_ERROR_CONNECTION_LOST:      return SINGLY_ACCOUNT_CHECK_CONNECTION_LOST;
    case SINGLY_SMTP_ERROR_PROTOCOL:
    default:                                     return SINGLY_ACCOUNT_CHECK_PROTOCOL;
    }
}

/**
 * singly_account_check_outcome_describe:
 * @outcome: what a test found
 * @account: (nullable): the account tested, for a sentence that fits it
 *
 * Returns: (transfer none): one sentence for people, translated
 */
const char *
singly_account_check_outcome_describe (SinglyAccountCheckOutcome  outcome,
                                       const SinglyAccount       *account)
{
  gboolean folder = account != NULL && account->kind == SINGLY_ACCOUNT_FOLDER;
  gboolean logs_in = account != NULL && !is_blank (account->user);

  switch (outcome)
    {
    case SINGLY_ACCOUNT_CHECK_SUCCESS:
      if (folder)
        return _("Singly can save messages in this folder.");
      return logs_in ? _("Singly connected to the server and logged in. The account is ready.")
                     : _("Singly connected to the server. The account is ready.");
    case SINGLY_ACCOUNT_CHECK_INCOMPLETE:
      return folder ? _("Choose a folder first.") : _("Type the name of the server first.");
    case SINGLY_ACCOUNT_CHECK_UNREACHABLE:
      return _("Singly could not reach the server. Check the server name and the port, and that this "
               "computer is online.");
    case SINGLY_ACCOUNT_CHECK_TIMEOUT:
      return _("The server did not answer in time. Check the server name and the port; a firewall may "
               "be blocking the connection.");
    case SINGLY_ACCOUNT_CHECK_CERTIFICATE_UNTRUSTED:
      return _("The server’s certificate is not trusted, so someone could be listening in. Trust it "
               "only if your administrator confirms its fingerprint.");
    case SINGLY_ACCOUNT_CHECK_TLS_FAILED:
      return _("The encrypted connection could not be set up. Check that the encryption matches the "
               "port: TLS for port 465, STARTTLS for port 587.");
    case SINGLY_ACCOUNT_CHECK_STARTTLS_UNAVAILABLE:
      return _("The server does not offer encryption (STARTTLS) on this port, so Singly did not log in. "
               "Try TLS on port 465, or ask your provider for the right settings.");
    case SINGLY_ACCOUNT_CHECK_WRONG_PASSWORD:
      return _("The password was not accepted. If your provider asks for an app password, use that "
               "instead of your normal password.");
    case SINGLY_ACCOUNT_CHECK_AUTH_NOT_ALLOWED:
      return _("Singly does not send a password over an unencrypted connection. Choose STARTTLS or "
               "TLS.");
    case SINGLY_ACCOUNT_CHECK_AUTH_UNAVAILABLE:
      return _("The server offers no way of logging in that Singly can use. Check the port, or choose "
               "another authentication.");
    case SINGLY_ACCOUNT_CHECK_SERVER_REFUSED:
      return _("The server refused the connection or is busy right now. Try again later, or ask your "
               "provider.");
    case SINGLY_ACCOUNT_CHECK_CONNECTION_LOST:
      return _("The connection to the server broke off. Try again; if it keeps happening, check the "
               "port and the encryption.");
    case SINGLY_ACCOUNT_CHECK_PROTOCOL:
      return _("The server answered in a way Singly does not understand. Check the port: it may not "
               "be a mail server’s.");
    case SINGLY_ACCOUNT_CHECK_NO_PASSWORD:
      return _("There is no password to log in with. Type the password, then test again.");
    case SINGLY_ACCOUNT_CHECK_TOKEN_FAILED:
      return _("The token command did not give a token. Run it in a terminal to see what goes wrong.");
    case SINGLY_ACCOUNT_CHECK_FOLDER_NOT_WRITABLE:
      return _("Singly cannot save messages in this folder. Choose another folder, or check that you "
               "may write in it.");
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * singly_account_check_async:
 * @account: the account to test (copied); its id finds the password in
 *   the keyring
 * @password: (nullable): the password to log in with, such as the one
 *   just typed; %NULL to run the account's token command (OAuth2), or
 *   else to ask the keyring
 * @cancellable: (nullable): stops the test at any point
 * @callback: called in the thread-default main context when done
 * @user_data: for @callback
 *
 * Tests the account in the background: for a server, connects, sets up
 * encryption, greets and logs in, then says QUIT, sending no message; for
 * "Save to folder", finds out whether the folder can be written.
 */
void
singly_account_check_async (const SinglyAccount *account,
                            const char          *password,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CheckData *data;

  g_return_if_fail (account != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (CheckData, 1);
  data->account = singly_account_copy (account);
  data->password = g_strdup (password);
  data->cancellable = cancellable ? g_object_ref (cancellable) : NULL;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, singly_account_check_async);
  g_task_set_name (task, "singly-account-check");
  g_task_set_task_data (task, data, check_data_free);
  g_task_run_in_thread (task, check_thread);
}

/**
 * singly_account_check_finish:
 * @result: the result given to the callback
 * @error: return location for a #GError: only %G_IO_ERROR_CANCELLED
 *
 * Returns: (transfer full) (nullable): what the test found, or %NULL when
 *   it was cancelled
 */
SinglyAccountCheckResult *
singly_account_check_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == singly_account_check_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
