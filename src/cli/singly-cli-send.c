/* singly-cli-send.c: singly-cli send
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>

#include "singly-cli.h"
#include "singly-i18n.h"
#include "singly-secret.h"
#include "singly-send-job.h"

/* Options left at these were not given: with --account, only the options
 * given change the stored account */
#define UNSET_INT G_MININT
#define UNSET_DOUBLE (-G_MAXDOUBLE)

static char *opt_account;
static char *opt_server;
static char *opt_security;
static char *opt_user;
static char *opt_auth;
static char *opt_ca_file;
static char *opt_pin;
static char *opt_password_command;
static char *opt_journal;
static char *opt_report;
static double opt_interval = UNSET_DOUBLE;
static double opt_jitter = UNSET_DOUBLE;
static int opt_max_per_minute = UNSET_INT;
static int opt_max_per_hour = UNSET_INT;
static int opt_max_per_day = UNSET_INT;
static int opt_max_per_connection = UNSET_INT;
static double opt_timeout = UNSET_DOUBLE;
static int opt_retries = 5;
static double opt_retry_delay = 60;
static gboolean opt_resend_unknown;
static gboolean opt_no_dsn;
static gboolean opt_verbose;

static const GOptionEntry send_entries[] = {
  { "account", 'a', 0, G_OPTION_ARG_STRING, &opt_account, N_("Send with this account of Singly’s (a name or id, see singly-cli accounts); the options below change it for this run"), N_("NAME") },
  { "server", 0, 0, G_OPTION_ARG_STRING, &opt_server, N_("The server: smtp://HOST:PORT (STARTTLS) or smtps://HOST:PORT (TLS)"), N_("URL") },
  { "security", 0, 0, G_OPTION_ARG_STRING, &opt_security, N_("starttls, tls or none (none only for a server you trust the network to)"), N_("MODE") },
  { "user", 'u', 0, G_OPTION_ARG_STRING, &opt_user, N_("Log in as this user"), N_("NAME") },
  { "auth", 0, 0, G_OPTION_ARG_STRING, &opt_auth, N_("plain, login or xoauth2 (default: what the server offers)"), N_("MECHANISM") },
  { "password-command", 0, 0, G_OPTION_ARG_STRING, &opt_password_command, N_("A command that prints the password or OAuth2 token (default with --account: the keyring)"), N_("COMMAND") },
  { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &opt_ca_file, N_("Also trust the certificates in this file"), N_("FILE") },
  { "pin", 0, 0, G_OPTION_ARG_STRING, &opt_pin, N_("Trust the certificate with this SHA-256 fingerprint"), N_("FINGERPRINT") },
  { "interval", 0, 0, G_OPTION_ARG_DOUBLE, &opt_interval, N_("At least this many seconds between two messages"), N_("SECONDS") },
  { "jitter", 0, 0, G_OPTION_ARG_DOUBLE, &opt_jitter, N_("Add up to this many seconds at random to each interval"), N_("SECONDS") },
  { "max-per-minute", 0, 0, G_OPTION_ARG_INT, &opt_max_per_minute, N_("Send at most N messages a minute"), N_("N") },
  { "max-per-hour", 0, 0, G_OPTION_ARG_INT, &opt_max_per_hour, N_("Send at most N messages an hour"), N_("N") },
  { "max-per-day", 0, 0, G_OPTION_ARG_INT, &opt_max_per_day, N_("Send at most N messages a day"), N_("N") },
  { "max-per-connection", 0, 0, G_OPTION_ARG_INT, &opt_max_per_connection, N_("Reconnect after N messages"), N_("N") },
  { "timeout", 0, 0, G_OPTION_ARG_DOUBLE, &opt_timeout, N_("Give up waiting for the server after this many seconds (default 60)"), N_("SECONDS") },
  { "retries", 0, 0, G_OPTION_ARG_INT, &opt_retries, N_("Try a temporarily refused recipient at most N times (default 5)"), N_("N") },
  { "retry-delay", 0, 0, G_OPTION_ARG_DOUBLE, &opt_retry_delay, N_("Wait this long before the first retry, twice as long each next time (default 60)"), N_("SECONDS") },
  { "journal", 'j', 0, G_OPTION_ARG_FILENAME, &opt_journal, N_("Keep the journal in this file (default: under ~/.local/state/singly)"), N_("FILE") },
  { "report", 0, 0, G_OPTION_ARG_FILENAME, &opt_report, N_("Write a CSV report of every recipient to this file"), N_("FILE") },
  { "resend-unknown", 0, 0, G_OPTION_ARG_NONE, &opt_resend_unknown, N_("Send again to recipients whose earlier message may or may not have arrived"), NULL },
  { "no-dsn", 0, 0, G_OPTION_ARG_NONE, &opt_no_dsn, N_("Do not ask for bounce notifications"), NULL },
  { "verbose", 'v', 0, G_OPTION_ARG_NONE, &opt_verbose, N_("A line for every recipient"), NULL },
  { NULL }
};

void
singly_cli_send_add_options (GOptionContext *context)
{
  g_option_context_add_main_entries (context, send_entries, GETTEXT_PACKAGE);
}

typedef struct
{
  GMainLoop     *loop;
  SinglySendJob *job;
  gboolean       tty;
  guint          n_interrupts;
} SendRun;

/* Where the password comes from: SINGLY_PASSWORD, else what a command
 * prints (--password-command, or an OAuth2 account's token command), else
 * the keyring for a stored account. Never an argument, which every user
 * of the machine could read. Asked each time the session logs in, on the
 * send job's worker thread: a token command runs again, since tokens
 * expire. */
typedef struct
{
  char *command;
  char *account_id;
  char *user;
} SecretSource;

static void
secret_source_free (gpointer data)
{
  SecretSource *source = data;

  g_free (source->command);
  g_free (source->account_id);
  g_free (source->user);
  g_free (source);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SecretSource, secret_source_free)

static char *
find_secret (SecretSource  *source,
             GError       **error)
{
  const char *env = g_getenv ("SINGLY_PASSWORD");
  char *secret;

  if (env != NULL)
    return g_strdup (env);
  if (source->command != NULL)
    return singly_secret_run_command (source->command, error);

  if (source->account_id == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("No password: set SINGLY_PASSWORD or give --password-command"));
      return NULL;
    }
  secret = singly_secret_lookup_sync (source->account_id, source->user, NULL, error);
  if (secret == NULL && (error == NULL || *error == NULL))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 _("The keyring holds no password for %s: save it in Singly’s preferences, "
                   "set SINGLY_PASSWORD or give --password-command"), source->user);
  return secret;
}

static char *
secret_cb (gpointer   user_data,
           GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  char *secret;

  secret = find_secret (user_data, &local_error);
  if (secret == NULL)
    {
      /* no password is no login: stop at once, as the server refusing it
       * would, rather than reconnect and ask again and again */
      g_set_error_literal (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_AUTH, local_error->message);
      return NULL;
    }
  return secret;
}

/* Before connecting: a stored account whose password is not in the
 * keyring fails now, not after the greeting. Asked without unlocking. */
static gboolean
check_keyring (const SinglyAccount *account,
               SecretSource        *source)
{
  g_autoptr(GError) error = NULL;
  gboolean has_password = FALSE;

  if (g_getenv ("SINGLY_PASSWORD") != NULL || source->command != NULL)
    return TRUE;
  if (source->account_id == NULL)
    {
      singly_cli_printerr (_("%s asks for a password: set SINGLY_PASSWORD, give --password-command, "
                             "or send with an --account whose password is in the keyring"),
                           account->host);
      return FALSE;
    }
  if (!singly_secret_has_password_sync (source->account_id, source->user, &has_password, NULL, &error))
    {
      singly_cli_printerr ("%s", error->message);
      singly_cli_printerr (_("set SINGLY_PASSWORD or give --password-command instead"));
      return FALSE;
    }
  if (!has_password)
    {
      singly_cli_printerr (_("the keyring holds no password for %s of the account “%s”: save it in "
                             "Singly’s preferences, set SINGLY_PASSWORD or give --password-command"),
                           source->user, account->name);
      return FALSE;
    }
  return TRUE;
}

static void
print_counter (SendRun *run)
{
  SinglySendJob *job = run->job;

  fprintf (stderr, _("\r%u sent, %u failed, %u deferred, %u to go "),
           singly_send_job_count (job, SINGLY_RECIPIENT_SENT),
           singly_send_job_count (job, SINGLY_RECIPIENT_FAILED),
           singly_send_job_count (job, SINGLY_RECIPIENT_DEFERRED),
           singly_send_job_count (job, SINGLY_RECIPIENT_QUEUED) +
           singly_send_job_count (job, SINGLY_RECIPIENT_SENDING));
}

static void
job_progress_cb (SinglySendJob         *job,
                 const SinglySendEvent *events,
                 guint                  n_events,
                 SendRun               *run)
{
  SinglyContactList *contacts = NULL;

  if (opt_verbose)
    {
      contacts = g_object_get_data (G_OBJECT (job), "contacts");
      for (guint i = 0; i < n_events; i++)
        {
          const SinglySendEvent *event = &events[i];

          if (event->state == SINGLY_RECIPIENT_SENDING)
            continue;
          fprintf (stderr, "%-8s %s%s%s\n", singly_recipient_state_name (event->state),
                   singly_contact_list_get_address (contacts, event->row),
                   event->reply ? ": " : "", event->reply ? event->reply : "");
        }
    }
  else if (run->tty)
    print_counter (run);
}

static void
job_finished_cb (SinglySendJob *job,
                 const GError  *error,
                 SendRun       *run)
{
  g_main_loop_quit (run->loop);
}

static gboolean
interrupted_cb (gpointer data)
{
  SendRun *run = data;

  if (run->n_interrupts++ == 0)
    {
      fprintf (stderr, _("\nStopping after the message on its way… (press Ctrl+C again to quit at once)\n"));
      singly_send_job_cancel (run->job);
      return G_SOURCE_CONTINUE;
    }
  _exit (SINGLY_CLI_EXIT_SOME_FAILED);
}

static gboolean
parse_security (const char     *text,
                SinglySecurity *security)
{
  if (g_ascii_strcasecmp (text, "starttls") == 0)
    *security = SINGLY_SECURITY_STARTTLS;
  else if (g_ascii_strcasecmp (text, "tls") == 0)
    *security = SINGLY_SECURITY_TLS;
  else if (g_ascii_strcasecmp (text, "none") == 0)
    *security = SINGLY_SECURITY_NONE;
  else
    return FALSE;
  return TRUE;
}

static gboolean
parse_auth (const char     *text,
            SinglySmtpAuth *auth)
{
  if (g_ascii_strcasecmp (text, "plain") == 0)
    *auth = SINGLY_SMTP_AUTH_PLAIN;
  else if (g_ascii_strcasecmp (text, "login") == 0)
    *auth = SINGLY_SMTP_AUTH_LOGIN;
  else if (g_ascii_strcasecmp (text, "xoauth2") == 0)
    *auth = SINGLY_SMTP_AUTH_XOAUTH2;
  else
    return FALSE;
  return TRUE;
}

/* What names the journal with the two files: the sender for a server;
 * the sender and the folder for "Save to folder", as the application
 * does, so that saving the messages to look at them does not count as
 * sending them */
static char *
journal_key (const SinglyAccount *account,
             const char          *sender)
{
  g_autofree char *folder = NULL;

  if (account->kind != SINGLY_ACCOUNT_FOLDER || account->folder == NULL)
    return g_strdup (sender);
  folder = g_canonicalize_filename (account->folder, NULL);
  return g_strconcat (sender, "\nfolder:", folder, NULL);
}

static SinglyJournal *
open_journal (SinglyCliCampaign   *campaign,
              const SinglyAccount *account,
              const char          *sender)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *key = NULL;
  g_autofree char *contacts_sum = NULL;
  g_autofree char *template_sum = NULL;
  SinglyJournalIdentity identity;
  SinglyJournal *journal;

  contacts_sum = singly_checksum_file (campaign->contacts_path, &error);
  if (contacts_sum != NULL)
    template_sum = singly_checksum_file (campaign->template_path, &error);
  if (template_sum == NULL)
    {
      singly_cli_printerr ("%s", error->message);
      return NULL;
    }

  key = journal_key (account, sender);
  path = opt_journal ? g_strdup (opt_journal)
                     : singly_journal_default_path (campaign->contacts_path, campaign->template_path, key);
  identity.contacts_checksum = contacts_sum;
  identity.template_checksum = template_sum;
  identity.sender = sender;
  identity.n_rows = singly_contact_list_get_n_rows (campaign->contacts);

  journal = singly_journal_open (path, &identity, &error);
  if (journal == NULL)
    {
      singly_cli_printerr ("%s", error->message);
      if (g_error_matches (error, SINGLY_JOURNAL_ERROR, SINGLY_JOURNAL_ERROR_MISMATCH))
        singly_cli_printerr (_("to start a new campaign with these files, give another --journal, or remove %s"), path);
      return NULL;
    }
  return journal;
}

int
singly_cli_command_send (int    argc,
                         char **argv)
{
  g_autoptr(SinglyCliCampaign) campaign = NULL;
  g_autoptr(SinglyAccount) account = NULL;
  g_autoptr(SinglyJournal) journal = NULL;
  g_autoptr(SinglySendJob) job = NULL;
  g_autoptr(SecretSource) source = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  const GError *job_error;
  SendRun run = { 0 };
  guint sigint_id, sigterm_id;
  guint n_sent, n_not_sent;

  if (opt_account == NULL && (singly_cli_get_from () == NULL || opt_server == NULL))
    {
      singly_cli_printerr (_("send needs --from and --server, or --account (see --help)"));
      return SINGLY_CLI_EXIT_USAGE;
    }
  if ((opt_interval != UNSET_DOUBLE && opt_interval < 0) ||
      (opt_jitter != UNSET_DOUBLE && opt_jitter < 0) ||
      (opt_timeout != UNSET_DOUBLE && opt_timeout < 0) ||
      (opt_max_per_minute != UNSET_INT && opt_max_per_minute < 0) ||
      (opt_max_per_hour != UNSET_INT && opt_max_per_hour < 0) ||
      (opt_max_per_day != UNSET_INT && opt_max_per_day < 0) ||
      (opt_max_per_connection != UNSET_INT && opt_max_per_connection < 0) ||
      opt_retries < 1 || opt_retry_delay < 0)
    {
      singly_cli_printerr (_("pacing and retry values cannot be negative"));
      return SINGLY_CLI_EXIT_USAGE;
    }

  if (opt_account != NULL)
    {
      g_autoptr(SinglyAccountStore) store = singly_cli_load_accounts ();
      SinglyAccountItem *item;

      if (store == NULL)
        return SINGLY_CLI_EXIT_USAGE;
      item = singly_account_store_find (store, opt_account);
      if (item == NULL)
        {
          singly_cli_printerr (_("there is no account “%s” (see singly-cli accounts)"), opt_account);
          return SINGLY_CLI_EXIT_USAGE;
        }
      account = singly_account_copy (singly_account_item_get_account (item));
      if (singly_cli_get_from () == NULL && account->sender_address == NULL)
        {
          singly_cli_printerr (_("the account “%s” has no sender address: give --from"), account->name);
          return SINGLY_CLI_EXIT_USAGE;
        }
      singly_cli_set_sender_fallback (account->sender_name, account->sender_address);
    }
  else
    account = singly_account_new_smtp ("localhost", 0, SINGLY_SECURITY_STARTTLS,
                                       singly_cli_get_from_name (), singly_cli_get_from ());

  if (opt_server != NULL && !singly_account_parse_server (account, opt_server, &error))
    {
      singly_cli_printerr ("%s", error->message);
      return SINGLY_CLI_EXIT_USAGE;
    }
  if (opt_security != NULL && !parse_security (opt_security, &account->security))
    {
      singly_cli_printerr (_("--security takes starttls, tls or none"));
      return SINGLY_CLI_EXIT_USAGE;
    }
  if (opt_auth != NULL && !parse_auth (opt_auth, &account->auth))
    {
      singly_cli_printerr (_("--auth takes plain, login or xoauth2"));
      return SINGLY_CLI_EXIT_USAGE;
    }

  if (opt_user != NULL)
    {
      g_free (account->user);
      account->user = g_strdup (opt_user);
    }
  if (opt_ca_file != NULL)
    {
      g_free (account->ca_file);
      account->ca_file = g_strdup (opt_ca_file);
    }
  if (opt_pin != NULL)
    {
      g_free (account->pinned_sha256);
      account->pinned_sha256 = g_strdup (opt_pin);
    }
  if (opt_no_dsn)
    account->request_dsn = FALSE;
  if (opt_timeout != UNSET_DOUBLE)
    account->timeout_ms = (guint) (opt_timeout * 1000);
  if (opt_interval != UNSET_DOUBLE)
    account->pacing.interval = opt_interval;
  if (opt_jitter != UNSET_DOUBLE)
    account->pacing.jitter = opt_jitter;
  if (opt_max_per_minute != UNSET_INT)
    account->pacing.max_per_minute = opt_max_per_minute;
  if (opt_max_per_hour != UNSET_INT)
    account->pacing.max_per_hour = opt_max_per_hour;
  if (opt_max_per_day != UNSET_INT)
    account->pacing.max_per_day = opt_max_per_day;
  if (opt_max_per_connection != UNSET_INT)
    account->pacing.max_per_connection = opt_max_per_connection;

  source = g_new0 (SecretSource, 1);
  source->command = g_strdup (opt_password_command);
  if (source->command == NULL && account->auth == SINGLY_SMTP_AUTH_XOAUTH2)
    source->command = g_strdup (account->token_command);
  source->account_id = g_strdup (account->id);
  source->user = g_strdup (account->user);

  campaign = singly_cli_campaign_load ();
  if (campaign == NULL)
    return SINGLY_CLI_EXIT_USAGE;
  if (singly_contact_list_get_n_rows (campaign->contacts) == 0)
    {
      singly_cli_printerr (_("%s has no recipients, only a header row"), campaign->contacts_path);
      return SINGLY_CLI_EXIT_USAGE;
    }

  if (account->kind == SINGLY_ACCOUNT_SMTP && account->user != NULL && !check_keyring (account, source))
    return SINGLY_CLI_EXIT_CONNECT;

  journal = open_journal (campaign, account, singly_message_builder_get_sender_address (campaign->builder));
  if (journal == NULL)
    return SINGLY_CLI_EXIT_USAGE;

  job = singly_send_job_new (campaign->builder, account, journal);
  singly_send_job_set_secret_func (job, secret_cb, g_steal_pointer (&source), secret_source_free);
  singly_send_job_set_retry (job, opt_retries, opt_retry_delay);
  singly_send_job_set_resend_unknown (job, opt_resend_unknown);
  g_object_set_data (G_OBJECT (job), "contacts", campaign->contacts);

  loop = g_main_loop_new (NULL, FALSE);
  run.loop = loop;
  run.job = job;
  run.tty = isatty (STDERR_FILENO);
  g_signal_connect (job, "progress", G_CALLBACK (job_progress_cb), &run);
  g_signal_connect (job, "finished", G_CALLBACK (job_finished_cb), &run);
  sigint_id = g_unix_signal_add (SIGINT, interrupted_cb, &run);
  sigterm_id = g_unix_signal_add (SIGTERM, interrupted_cb, &run);

  {
    g_autofree char *where = singly_account_describe (account);

    fprintf (stderr, _("Sending to %u recipients through %s; journal %s\n"),
             singly_send_job_count (job, SINGLY_RECIPIENT_QUEUED), where, singly_journal_get_path (journal));
  }

  singly_send_job_start (job);
  if (singly_send_job_count (job, SINGLY_RECIPIENT_UNKNOWN) > 0 && !opt_resend_unknown)
    singly_cli_printerr (_("%u recipients are unknown from an earlier run (the connection broke after their message); they are not sent again unless you give --resend-unknown"),
                         singly_send_job_count (job, SINGLY_RECIPIENT_UNKNOWN));
  g_main_loop_run (loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  if (run.tty && !opt_verbose)
    fputc ('\n', stderr);

  n_sent = singly_send_job_count (job, SINGLY_RECIPIENT_SENT);
  n_not_sent = singly_send_job_get_n_rows (job) - n_sent;
  fprintf (stderr, _("Sent %u, failed %u, unknown %u, skipped %u, not sent yet %u\n"),
           n_sent,
           singly_send_job_count (job, SINGLY_RECIPIENT_FAILED),
           singly_send_job_count (job, SINGLY_RECIPIENT_UNKNOWN),
           singly_send_job_count (job, SINGLY_RECIPIENT_SKIPPED),
           singly_send_job_count (job, SINGLY_RECIPIENT_QUEUED) +
           singly_send_job_count (job, SINGLY_RECIPIENT_DEFERRED));

  if (opt_report != NULL && !singly_send_job_write_report (job, opt_report, &error))
    {
      singly_cli_printerr (_("cannot write the report: %s"), error->message);
      g_clear_error (&error);
    }

  job_error = singly_send_job_get_error (job);
  if (job_error != NULL)
    {
      singly_cli_printerr ("%s", job_error->message);
      if (g_error_matches (job_error, SINGLY_SEND_JOB_ERROR, SINGLY_SEND_JOB_ERROR_ACCOUNT) ||
          g_error_matches (job_error, SINGLY_SEND_JOB_ERROR, SINGLY_SEND_JOB_ERROR_CONNECT))
        return SINGLY_CLI_EXIT_CONNECT;
    }

  return n_not_sent == 0 ? SINGLY_CLI_EXIT_OK : SINGLY_CLI_EXIT_SOME_FAILED;
}
