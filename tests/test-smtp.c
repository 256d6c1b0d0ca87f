/* test-smtp.c: the SMTP session against real servers on loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three kinds of server, each started by the test on 127.0.0.1 (or ::1)
 * with a free port and always stopped by it:
 *  - Postfix's smtp-sink, for real pipelining and its fault options;
 *  - aiosmtpd (tests/fixtures/aiosmtpd-server.py), for real STARTTLS,
 *    implicit TLS, AUTH and SMTPUTF8;
 *  - tests/fixtures/scripted-smtp.py, which plays a script and records
 *    every byte it receives, so a case can assert the exact transcript.
 * A server that outlives a crashed test is killed by PR_SET_PDEATHSIG.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "singly-smtp.h"
#include "singly-test-util.h"

#define PASSWORD "s3cr3t-Pa55"

static char *certs_dir;

/* Debug log capture: the session's transcript, to check that secrets never
 * reach it. */

static GMutex log_mutex;
static GString *log_text;

static void
capture_log (const char     *domain,
             GLogLevelFlags  level,
             const char     *message,
             gpointer        user_data)
{
  g_mutex_lock (&log_mutex);
  g_string_append (log_text, message);
  g_string_append_c (log_text, '\n');
  g_mutex_unlock (&log_mutex);
}

static void
clear_log (void)
{
  g_mutex_lock (&log_mutex);
  g_string_truncate (log_text, 0);
  g_mutex_unlock (&log_mutex);
}

static char *
take_log (void)
{
  char *text;

  g_mutex_lock (&log_mutex);
  text = g_strdup (log_text->str);
  g_string_truncate (log_text, 0);
  g_mutex_unlock (&log_mutex);
  return text;
}

/* Servers */

typedef struct
{
  GPid      pid;
  guint16   port;
  char     *dir;
  char     *transcript;
  char     *maildir;
  char     *log;
} Server;

/* In the child: die with the test, and keep the server's chatter (aiosmtpd
 * logs every failed handshake with a traceback) in its folder. */
static void
server_child_setup (gpointer user_data)
{
  const char *log_path = user_data;
  int fd;

  prctl (PR_SET_PDEATHSIG, SIGKILL);
  fd = open (log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd >= 0)
    {
      dup2 (fd, STDERR_FILENO);
      close (fd);
    }
}

static gboolean
server_wait (Server *server,
             guint   timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (server->pid != 0)
    {
      int status;
      pid_t ret = waitpid (server->pid, &status, WNOHANG);

      if (ret == server->pid || (ret < 0 && errno == ECHILD))
        {
          g_spawn_close_pid (server->pid);
          server->pid = 0;
          break;
        }
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_usleep (5000);
    }
  return TRUE;
}

static void
server_free (Server *server)
{
  if (server->pid != 0)
    {
      kill (server->pid, SIGTERM);
      if (!server_wait (server, 3000))
        {
          kill (server->pid, SIGKILL);
          server_wait (server, 3000);
        }
    }
  singly_test_rm_rf (server->dir);
  g_free (server->dir);
  g_free (server->transcript);
  g_free (server->maildir);
  g_free (server->log);
  g_free (server);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Server, server_free)

static Server *
server_new (void)
{
  Server *server = g_new0 (Server, 1);

  server->dir = singly_test_tmpdir ();
  server->transcript = g_build_filename (server->dir, "transcript", NULL);
  server->maildir = g_build_filename (server->dir, "mail", NULL);
  server->log = g_build_filename (server->dir, "server.log", NULL);
  g_assert_cmpint (g_mkdir (server->maildir, 0777), ==, 0);
  return server;
}

/* Starts a server that prints its port on its first line of output. */
static void
server_spawn (Server     *server,
              GPtrArray  *argv)
{
  g_autoptr(GError) error = NULL;
  char line[32] = { 0 };
  gsize len = 0;
  int out_fd = -1;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_ptr_array_add (argv, NULL);
  g_spawn_async_with_pipes (NULL, (char **) argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                            server_child_setup, server->log, &server->pid, NULL, &out_fd, NULL, &error);
  g_assert_no_error (error);

  while (len < sizeof line - 1 && strchr (line, '\n') == NULL)
    {
      struct pollfd pfd = { out_fd, POLLIN, 0 };
      gssize n;

      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (poll (&pfd, 1, 100) <= 0)
        continue;
      n = read (out_fd, line + len, sizeof line - 1 - len);
      g_assert_cmpint (n, >, 0);
      len += (gsize) n;
    }
  close (out_fd);
  server->port = (guint16) g_ascii_strtoull (line, NULL, 10);
  g_assert_cmpuint (server->port, >, 0);
}

static const char *
python (void)
{
  const char *path = g_getenv ("PYTHON");

  return path != NULL ? path : "/usr/bin/python3";
}

static char *
cert_path (const char *name)
{
  return g_build_filename (certs_dir, name, NULL);
}

/* Script builder for scripted-smtp.py: JSON without a JSON library. */

static void
json_string (GString    *out,
             const char *text)
{
  const char *p;

  g_string_append_c (out, '"');
  for (p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_printf (out, "\\%c", *p);
      else if ((guchar) *p < 0x20)
        g_string_append_printf (out, "\\u%04x", (guchar) *p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
step_raw (GString    *script,
          const char *json)
{
  g_string_append (script, script->len > 1 ? ",\n" : "\n");
  g_string_append (script, json);
}

static void
step_text (GString    *script,
           const char *key,
           const char *text)
{
  g_autoptr(GString) step = g_string_new ("{\"");

  g_string_append_printf (step, "%s\": ", key);
  json_string (step, text);
  g_string_append_c (step, '}');
  step_raw (script, step->str);
}

static void
step_send (GString    *script,
           const char *text)
{
  step_text (script, "send", text);
}

static void
step_read (GString *script,
           guint    n)
{
  g_autofree char *json = g_strdup_printf ("{\"read\": %u}", n);

  step_raw (script, json);
}

static void
step_data (GString *script)
{
  step_raw (script, "{\"data\": true}");
}

/* greeting, then EHLO answered with @ehlo */
static GString *
script_new (const char *ehlo)
{
  GString *script = g_string_new ("[");

  step_send (script, "220 scripted.test ESMTP\r\n");
  if (ehlo != NULL)
    {
      step_read (script, 1);
      step_send (script, ehlo);
    }
  return script;
}

static Server *
scripted_start_full (GString    *script,
                     const char *host)
{
  Server *server = server_new ();
  g_autofree char *script_path = g_build_filename (server->dir, "script.json", NULL);
  g_autofree char *fixture = g_build_filename (TEST_SRCDIR, "fixtures", "scripted-smtp.py", NULL);
  g_autofree char *cert = cert_path ("server.pem");
  g_autofree char *key = cert_path ("server.key");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  g_string_append (script, "\n]\n");
  g_file_set_contents (script_path, script->str, -1, &error);
  g_assert_no_error (error);

  g_ptr_array_add (argv, (char *) python ());
  g_ptr_array_add (argv, fixture);
  g_ptr_array_add (argv, "--script");
  g_ptr_array_add (argv, script_path);
  g_ptr_array_add (argv, "--transcript");
  g_ptr_array_add (argv, server->transcript);
  g_ptr_array_add (argv, "--cert");
  g_ptr_array_add (argv, cert);
  g_ptr_array_add (argv, "--key");
  g_ptr_array_add (argv, key);
  g_ptr_array_add (argv, "--timeout");
  g_ptr_array_add (argv, "10");
  g_ptr_array_add (argv, "--host");
  g_ptr_array_add (argv, (char *) (host ? host : "127.0.0.1"));
  server_spawn (server, argv);
  return server;
}

static Server *
scripted_start (GString *script)
{
  return scripted_start_full (script, NULL);
}

/* The bytes the scripted server received, once it has finished. */
static char *
scripted_transcript (Server *server)
{
  char *text = NULL;

  g_assert_true (server_wait (server, 10000));
  if (!g_file_get_contents (server->transcript, &text, NULL, NULL))
    text = g_strdup ("");
  return text;
}

typedef struct
{
  const char *mode;
  const char *cert;       /* server.pem, self.pem, wrong.pem */
  const char *tls_max;
  gboolean    auth;
  gboolean    smtputf8;
} AioOptions;

static Server *
aiosmtpd_start (const AioOptions *options)
{
  Server *server = server_new ();
  g_autofree char *fixture = g_build_filename (TEST_SRCDIR, "fixtures", "aiosmtpd-server.py", NULL);
  g_autofree char *cert = cert_path (options->cert ? options->cert : "server.pem");
  g_autofree char *key = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  key = g_strdup (cert);
  strcpy (key + strlen (key) - 3, "key");

  g_ptr_array_add (argv, (char *) python ());
  g_ptr_array_add (argv, fixture);
  g_ptr_array_add (argv, "--maildir");
  g_ptr_array_add (argv, server->maildir);
  g_ptr_array_add (argv, "--mode");
  g_ptr_array_add (argv, (char *) options->mode);
  g_ptr_array_add (argv, "--cert");
  g_ptr_array_add (argv, cert);
  g_ptr_array_add (argv, "--key");
  g_ptr_array_add (argv, key);
  if (options->tls_max != NULL)
    {
      g_ptr_array_add (argv, "--tls-max");
      g_ptr_array_add (argv, (char *) options->tls_max);
    }
  if (options->auth)
    {
      g_ptr_array_add (argv, "--user");
      g_ptr_array_add (argv, "alice");
      g_ptr_array_add (argv, "--password");
      g_ptr_array_add (argv, PASSWORD);
    }
  if (options->smtputf8)
    g_ptr_array_add (argv, "--smtputf8");
  server_spawn (server, argv);
  return server;
}

static guint16
free_port (void)
{
  struct sockaddr_in address = { 0 };
  socklen_t len = sizeof address;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &address, sizeof address), ==, 0);
  g_assert_cmpint (getsockname (fd, (struct sockaddr *) &address, &len), ==, 0);
  close (fd);
  return ntohs (address.sin_port);
}

static gboolean
port_accepts (guint16 port)
{
  struct sockaddr_in address = { 0 };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  gboolean ok;

  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  address.sin_port = htons (port);
  ok = connect (fd, (struct sockaddr *) &address, sizeof address) == 0;
  close (fd);
  return ok;
}

/* smtp-sink with @options (NULL-terminated), dumping each message into the
 * server's maildir. */
static Server *
sink_start (const char *first_option,
            ...)
{
  Server *server = server_new ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  gint64 deadline;
  const char *option;
  va_list args;

  if (!g_file_test ("/usr/sbin/smtp-sink", G_FILE_TEST_IS_EXECUTABLE))
    {
      server_free (server);
      return NULL;
    }

  server->port = free_port ();
  g_ptr_array_add (argv, g_strdup ("/usr/sbin/smtp-sink"));
  if (getuid () == 0)
    {
      /* smtp-sink refuses to run as root; its dumps are then written as nobody */
      g_ptr_array_add (argv, g_strdup ("-u"));
      g_ptr_array_add (argv, g_strdup ("nobody"));
      g_chmod (server->dir, 0711);
      g_chmod (server->maildir, 0777);
    }
  g_ptr_array_add (argv, g_strdup ("-d"));
  g_ptr_array_add (argv, g_strdup_printf ("%s/%%M.", server->maildir));
  va_start (args, first_option);
  for (option = first_option; option != NULL; option = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (option));
  va_end (args);
  g_ptr_array_add (argv, g_strdup_printf ("127.0.0.1:%u", server->port));
  g_ptr_array_add (argv, g_strdup ("100"));
  g_ptr_array_add (argv, NULL);

  {
    g_autoptr(GError) error = NULL;

    g_spawn_async (NULL, (char **) argv->pdata, NULL,
                   G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                   server_child_setup, server->log, &server->pid, &error);
    g_assert_no_error (error);
  }

  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (!port_accepts (server->port))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (10000);
    }
  return server;
}

/* The messages smtp-sink dumped, sorted by name, waiting for @n of them. */
static GPtrArray *
sink_dumps (Server *server,
            guint   n)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(GPtrArray) dumps = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GDir) dir = g_dir_open (server->maildir, 0, NULL);
      const char *name;

      g_assert_nonnull (dir);
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (server->maildir, name, NULL);
          char *contents = NULL;

          if (g_file_get_contents (path, &contents, NULL, NULL))
            g_ptr_array_add (dumps, contents);
        }
      if (dumps->len >= n || g_get_monotonic_time () > deadline)
        {
          g_assert_cmpuint (dumps->len, ==, n);
          return g_steal_pointer (&dumps);
        }
      g_usleep (20000);
    }
}

/* Messages and streams */

typedef struct
{
  SinglySmtpMessage  message;
  const char        *rcpts[4];
} TestMessage;

static TestMessage *
test_message_new (const char *from,
                  const char *rcpt,
                  const char *data,
                  gssize      len)
{
  TestMessage *tm = g_new0 (TestMessage, 1);

  tm->rcpts[0] = rcpt;
  tm->message.mail_from = from;
  tm->message.rcpts = tm->rcpts;
  tm->message.n_rcpts = 1;
  tm->message.data = g_bytes_new (data, len < 0 ? strlen (data) : (gsize) len);
  return tm;
}

static void
test_message_free (TestMessage *tm)
{
  g_bytes_unref (tm->message.data);
  g_free (tm);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestMessage, test_message_free)

typedef struct
{
  GPtrArray *messages;   /* TestMessage */
  guint      taken;
  GPtrArray *results;    /* SinglySmtpResult, in the order reported */
  GPtrArray *reported;   /* the messages, in the order reported */
} Stream;

static Stream *
stream_new (void)
{
  Stream *stream = g_new0 (Stream, 1);

  stream->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) test_message_free);
  stream->results = g_ptr_array_new_with_free_func ((GDestroyNotify) singly_smtp_result_free);
  stream->reported = g_ptr_array_new ();
  return stream;
}

static void
stream_free (Stream *stream)
{
  g_ptr_array_unref (stream->messages);
  g_ptr_array_unref (stream->results);
  g_ptr_array_unref (stream->reported);
  g_free (stream);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Stream, stream_free)

static TestMessage *
stream_add (Stream     *stream,
            const char *rcpt,
            const char *data)
{
  TestMessage *tm = test_message_new ("sender@example.org", rcpt, data, -1);

  g_ptr_array_add (stream->messages, tm);
  return tm;
}

static const SinglySmtpMessage *
stream_next (gpointer user_data)
{
  Stream *stream = user_data;
  TestMessage *tm;

  if (stream->taken == stream->messages->len)
    return NULL;
  tm = g_ptr_array_index (stream->messages, stream->taken++);
  return &tm->message;
}

static void
stream_done (const SinglySmtpMessage *message,
             SinglySmtpResult        *result,
             gpointer                 user_data)
{
  Stream *stream = user_data;

  g_ptr_array_add (stream->reported, (gpointer) message);
  g_ptr_array_add (stream->results, result);
}

static const SinglySmtpResult *
stream_result (Stream *stream,
               guint   i)
{
  g_assert_cmpuint (i, <, stream->results->len);
  return g_ptr_array_index (stream->results, i);
}

static gboolean
stream_run (Stream             *stream,
            SinglySmtpSession  *session,
            GError            **error)
{
  gboolean ok = singly_smtp_session_send_stream (session, stream_next, stream_done, stream,
                                                 NULL, error);

  /* every message taken is reported, in order */
  g_assert_cmpuint (stream->reported->len, ==, stream->taken);
  return ok;
}

static SinglySmtpConfig
config_for (guint16 port)
{
  SinglySmtpConfig config = { 0 };

  config.host = "127.0.0.1";
  config.port = port;
  config.security = SINGLY_SECURITY_NONE;
  config.timeout_ms = 5000;
  return config;
}

typedef struct
{
  const char *secret;
  guint       n_calls;
} SecretSource;

static char *
give_secret (gpointer   user_data,
             GError   **error)
{
  SecretSource *source = user_data;

  source->n_calls++;
  return g_strdup (source->secret);
}

static const char simple_data[] = "Subject: hello\r\n\r\nHello.\r\n";

#define EHLO_LINE "EHLO [127.0.0.1]\r\n"
#define SIMPLE_WIRE "Subject: hello\r\n\r\nHello.\r\n.\r\n"

/* Tests: pure functions */

static void
test_xtext (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "user@example.org", "user@example.org" },
    { "a+b=c d", "a+2Bb+3Dc+20d" },
    { "<id.1@example.org>", "<id.1@example.org>" },
    { "\x01" "é", "+01+C3+A9" },
    { "", "" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = singly_smtp_xtext_encode (cases[i].in);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

static void
test_loopback (void)
{
  static const struct { const char *address; gboolean loopback; } cases[] = {
    { "127.0.0.1", TRUE },
    { "127.1.2.3", TRUE },
    { "::1", TRUE },
    { "::ffff:127.0.0.1", TRUE },
    { "192.0.2.1", FALSE },
    { "10.0.0.1", FALSE },
    { "0.0.0.0", FALSE },
    { "::ffff:192.0.2.1", FALSE },
    { "2001:db8::1", FALSE },
    { "::", FALSE },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (cases[i].address);

      g_assert_nonnull (address);
      g_assert_cmpint (singly_smtp_address_is_loopback (address), ==, cases[i].loopback);
    }
}

static void
test_account_level (void)
{
  static const struct { guint code; const char *enhanced; gboolean account; } cases[] = {
    { 535, "5.7.8", TRUE },
    { 535, NULL, TRUE },
    { 534, "5.7.9", TRUE },
    { 530, "5.7.0", TRUE },
    { 550, "5.4.5", TRUE },
    { 554, "5.2.0", TRUE },
    { 421, "4.7.0", TRUE },
    { 421, "4.7.28", TRUE },
    { 421, "4.3.2", FALSE },
    { 421, NULL, FALSE },
    { 550, "5.1.1", FALSE },
    { 550, NULL, FALSE },
    { 552, "5.2.2", FALSE },
    { 450, "4.2.0", FALSE },
    { 451, "4.4.5", TRUE },
    { 250, "2.0.0", FALSE },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SinglySmtpReply reply = { cases[i].code, (char *) cases[i].enhanced, (char *) "text" };

      g_assert_cmpint (singly_smtp_reply_is_account_level (&reply), ==, cases[i].account);
    }
}

/* Tests: smtp-sink */

static void
test_sink_pipelined_batch (void)
{
  g_autoptr(Server) server = sink_start (NULL);
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(Stream) stream = stream_new ();
  g_autoptr(GPtrArray) dumps = NULL;
  g_autoptr(GError) error = NULL;
  SinglySmtpConfig config;
  SinglySmtpExtensions wanted = SINGLY_SMTP_EXTENSION_PIPELINING | SINGLY_SMTP_EXTENSION_8BITMIME |
                                SINGLY_SMTP_EXTENSION_DSN | SINGLY_SMTP_EXTENSION_ENHANCEDSTATUSCODES;
  guint i;

  if (server == NULL)
    {
      g_test_skip ("smtp-sink is not installed");
      return;
    }

  config = config_for (server->port);
  config.request_dsn = TRUE;
  session = singly_smtp_session_new (&config);
  singly_smtp_session_open (session, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (singly_smtp_session_get_extensions (session) & wanted, ==, wanted);

  for (i = 0; i < 5; i++)
    {
      g_autofree char *rcpt = g_strdup_printf ("rcpt%u@example.org", i);
      g_autofree char *data = g_strdup_printf ("Subject: %u\r\n\r\ncafé %u\r\n", i, i);
      TestMessage *tm = stream_add (stream, g_intern_string (rcpt), g_intern_string (data));

      tm->message.eight_bit = TRUE;
      tm->message.envid = g_intern_string (rcpt);
    }
  g_assert_true (stream_run (stream, session, &error));
  g_assert_no_error (error);
  for (i = 0; i < 5; i++)
    {
      g_assert_cmpint (stream_result (stream, i)->status, ==, SINGLY_SMTP_STATUS_SENT);
      g_assert_cmpuint (stream_result (stream, i)->reply->code, ==, 250);
      g_assert_cmpstr (stream_result (stream, i)->reply->enhanced, ==, "2.0.0");
    }
  g_assert_cmpuint (singly_smtp_session_get_n_sent (session), ==, 5);
  singly_smtp_session_close (session, NULL);
  g_assert_false (singly_smtp_session_is_open (session));

  dumps = sink_dumps (server, 5);
  for (i = 0; i < 5; i++)
    {
      const char *dump = g_ptr_array_index (dumps, i);

      g_assert_nonnull (strstr (dump, "X-Mail-Args: <sender@example.org> BODY=8BITMIME RET=HDRS ENVID=rcpt"));
      g_assert_nonnull (strstr (dump, "X-Rcpt-Args: <rcpt"));
      g_assert_nonnull (strstr (dump, "@example.org> NOTIFY=FAILURE,DELAY ORCPT=rfc822;rcpt"));
      g_assert_nonnull (strstr (dump, "\ncafé "));
    }
}

static void
test_sink_no_8bitmime (void)
{
  g_autoptr(Server) server = sink_start ("-8", "-N", NULL);
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(TestMessage) tm = test_message_new ("sender@example.org", "rcpt@example.org", simple_data, -1);
  g_autoptr(SinglySmtpResult) result = NULL;
  g_autoptr(GPtrArray) dumps = NULL;
  g_autoptr(GError) error = NULL;
  SinglySmtpConfig config;
  const char *dump;

  if (server == NULL)
    {
      g_test_skip ("smtp-sink is not installed");
      return;
    }

  config = config_for (server->port);
  config.request_dsn = TRUE;
  session = singly_smtp_session_new (&config);
  singly_smtp_session_open (session, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (singly_smtp_session_get_extensions (session) & SINGLY_SMTP_EXTENSION_8BITMIME);
  g_assert_false (singly_smtp_session_get_extensions (session) & SINGLY_SMTP_EXTENSION_DSN);

  tm->message.eight_bit = TRUE;
  tm->message.envid = "id";
  g_assert_true (singly_smtp_session_send (session, &tm->message, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, SINGLY_SMTP_STATUS_SENT);
  singly_smtp_session_close (session, NULL);

  dumps = sink_dumps (server, 1);
  dump = g_ptr_array_index (dumps, 0);
  g_assert_nonnull (strstr (dump, "X-Mail-Args: <sender@example.org>\n"));
  g_assert_nonnull (strstr (dump, "X-Rcpt-Args: <rcpt@example.org>\n"));
}

static void
test_sink_drop_after_dot (void)
{
  /* -q: disconnect without replying after the named command */
  g_autoptr(Server) server = sink_start ("-q", ".", NULL);
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(TestMessage) tm = test_message_new ("sender@example.org", "rcpt@example.org", simple_data, -1);
  g_autoptr(SinglySmtpResult) result = NULL;
  g_autoptr(GError) error = NULL;
  SinglySmtpConfig config;

  if (server == NULL)
    {
      g_test_skip ("smtp-sink is not installed");
      return;
    }

  config = config_for (server->port);
  session = singly_smtp_session_new (&config);
  singly_smtp_session_open (session, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (singly_smtp_session_send (session, &tm->message, &result, NULL, &error));
  g_assert_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_CONNECTION_LOST);
  g_assert_cmpint (result->status, ==, SINGLY_SMTP_STATUS_UNKNOWN);
  g_assert_cmpint (result->stage, ==, SINGLY_SMTP_STAGE_DOT);
  g_assert_nonnull (result->detail);
  g_assert_false (singly_smtp_session_is_open (session));
  /* it went out, so it counts against a per-connection limit */
  g_assert_cmpuint (singly_smtp_session_get_n_sent (session), ==, 1);
}

static void
test_sink_soft_reject_lockstep (void)
{
  /* -r implies -p: no PIPELINING, so this runs in lockstep */
  g_autoptr(Server) server = sink_start ("-r", "RCPT", NULL);
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(Stream) stream = stream_new ();
  g_autoptr(GError) error = NULL;
  SinglySmtpConfig config;

  if (server == NULL)
    {
      g_test_skip ("smtp-sink is not installed");
      return;
    }

  config = config_for (server->port);
  session = singly_smtp_session_new (&config);
  singly_smtp_session_open (session, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (singly_smtp_session_get_extensions (session) & SINGLY_SMTP_EXTENSION_PIPELINING);

  stream_add (stream, "a@example.org", simple_data);
  stream_add (stream, "b@example.org", simple_data);
  g_assert_true (stream_run (stream, session, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stream_result (stream, 0)->status, ==, SINGLY_SMTP_STATUS_TEMPORARY);
  g_assert_cmpint (stream_result (stream, 0)->stage, ==, SINGLY_SMTP_STAGE_RCPT);
  g_assert_cmpuint (stream_result (stream, 0)->reply->code, ==, 450);
  g_assert_cmpint (stream_result (stream, 1)->status, ==, SINGLY_SMTP_STATUS_TEMPORARY);
  g_assert_true (singly_smtp_session_is_open (session));
  singly_smtp_session_close (session, NULL);
}

static void
test_sink_421_after_rcpt (void)
{
  /* -Q: a 421 and a disconnect after the named command */
  g_autoptr(Server) server = sink_start ("-Q", "RCPT", NULL);
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(TestMessage) tm = test_message_new ("sender@example.org", "rcpt@example.org", simple_data, -1);
  g_autoptr(SinglySmtpResult) result = NULL;
  g_autoptr(GError) error = NULL;
  SinglySmtpConfig config;

  if (server == NULL)
    {
      g_test_skip ("smtp-sink is not installed");
      return;
    }

  config = config_for (server->port);
  session = singly_smtp_session_new (&config);
  singly_smtp_session_open (session, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (singly_smtp_session_send (session, &tm->message, &result, NULL, &error));
  g_assert_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_SERVICE_UNAVAILABLE);
  g_assert_cmpint (result->status, ==, SINGLY_SMTP_STATUS_TEMPORARY);
  g_assert_cmpint (result->stage, ==, SINGLY_SMTP_STAGE_RCPT);
  g_assert_cmpuint (result->reply->code, ==, 421);
  g_assert_false (singly_smtp_session_is_open (session));
}

static void
test_sink_abort_in_data (void)
{
  /* -A 0: a 550 right after the 354, and no more reading */
  g_autoptr(Server) server = sink_start ("-A", "0", NULL);
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(TestMessage) tm = test_message_new ("sender@example.org", "rcpt@example.org", simple_data, -1);
  g_autoptr(SinglySmtpResult) result = NULL;
  g_autoptr(GError) error = NULL;
  SinglySmtpConfig config;

  if (server == NULL)
    {
      g_test_skip ("smtp-sink is not installed");
      return;
    }

  config = config_for (server->port);
  config.timeout_ms = 1000;
  session = singly_smtp_session_new (&config);
  singly_smtp_session_open (session, NULL, &error);
  g_assert_no_error (error);
  /* Whether the 550 is seen before the dot (then the connection is
   * dropped) or taken as the dot's reply depends on timing; the message
   * failed either way. */
  singly_smtp_session_send (session, &tm->message, &result, NULL, &error);
  g_assert_cmpint (result->status, ==, SINGLY_SMTP_STATUS_PERMANENT);
  g_assert_cmpuint (result->reply->code, ==, 550);
  singly_smtp_session_close (session, NULL);
}

/* Tests: aiosmtpd */

static SinglySmtpSession *
aiosmtpd_session (Server         *server,
                  SinglySecurity  security,
                  const char     *host,
                  const char     *ca_file,
                  const char     *pin,
                  SecretSource   *secret,
                  SinglySmtpAuth  auth)
{
  SinglySmtpConfig config = config_for (server->port);
  g_autofree char *ca_path = ca_file ? cert_path (ca_file) : NULL;

  config.security = security;
  config.host = host ? host : "127.0.0.1";
  config.ca_file = ca_path;
  config.pinned_sha256 = pin;
  if (secret != NULL)
    {
      config.user = "alice";
      config.secret_func = give_secret;
      config.secret_data = secret;
      config.auth = auth;
    }
  return singly_smtp_session_new (&config);
}

static char *
fingerprint_of (const char *name)
{
  g_autofree char *path = cert_path (name);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "openssl", "x509", "-in", path, "-noout", "-fingerprint", "-sha256", NULL };
  int status;
  char *eq;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  eq = strchr (out, '=');
  g_assert_nonnull (eq);
  return g_strdup (g_strstrip (eq + 1));
}

static const char intact_data[] =
  "From: Sender <sender@example.org>\r\n"
  "To: <rcpt@example.org>\r\n"
  "Subject: =?UTF-8?B?5L2g5aW9?=\r\n"
  "Content-Type: text/plain; charset=UTF-8\r\n"
  "Content-Transfer-Encoding: 8bit\r\n"
  "\r\n"
  "你好, café.\r\n"
  ".\r\n"
  "..two dots\r\n"
  ".x\r\n"
  "end\r\n";

static void
check_arrived (Server     *server,
               const char *expected)
{
  g_autofree char *path = g_build_filename (server->maildir, "1.eml", NULL);
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpmem (contents, len, expected, strlen (expected));
}

static char *
arrived_envelope (Server *server)
{
  g_autofree char *path = g_build_filename (server->maildir, "1.json", NULL);
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return contents;
}

static void
test_aiosmtpd_starttls_auth (gconstpointer data)
{
  SinglySmtpAuth auth = GPOINTER_TO_INT (data);
  AioOptions options = { "starttls", NULL, NULL, TRUE, FALSE };
  g_autoptr(Server) server = aiosmtpd_start (&options);
  SecretSource secret = { PASSWORD, 0 };
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(TestMessage) tm = test_message_new ("sender@example.org", "rcpt@example.org", intact_data, -1);
  g_autoptr(SinglySmtpResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *envelope = NULL;
  g_autofree char *log = NULL;
  g_autofree char *b64 = g_base64_encode ((const guchar *) PASSWORD, strlen (PASSWORD));
  static const char plain[] = "\0alice\0" PASSWORD;
  g_autofree char *plain64 = g_base64_encode ((const guchar *) plain, sizeof plain - 1);

  /* "localhost": SNI and the DNS name check, not the IP one */
  session = aiosmtpd_session (server, SINGLY_SECURITY_STARTTLS, "localhost", "ca.pem", NULL, &secret, auth);
  clear_log ();
  singly_smtp_session_open (session, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (secret.n_calls, ==, 1);
  g_assert_true (singly_smtp_session_get_extensions (session) & SINGLY_SMTP_EXTENSION_8BITMIME);
  g_assert_false (singly_smtp_session_get_extensions (session) & SINGLY_SMTP_EXTENSION_STARTTLS);
  g_assert_nonnull (singly_smtp_session_get_peer_fingerprint (session));

  tm->message.eight_bit = TRUE;
  g_assert_true (singly_smtp_session_send (session, &tm->message, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, SINGLY_SMTP_STATUS_SENT);
  singly_smtp_session_close (session, NULL);

  check_arrived (server, intact_data);
  envelope = arrived_envelope (server);
  g_assert_nonnull (strstr (envelope, "\"tls\": true"));
  g_assert_nonnull (strstr (envelope, "\"authenticated\": true"));
  g_assert_nonnull (strstr (envelope, "\"BODY=8BITMIME\""));

  log = take_log ();
  g_assert_nonnull (strstr (log, auth == SINGLY_SMTP_AUTH_LOGIN ? "smtp: > AUTH LOGIN\n" : "smtp: > AUTH PLAIN ****\n"));
  g_assert_nonnull (strstr (log, "smtp: TLS_HANDSHAKE -> EHLO\n"));
  /* "localhost" is ::1 and 127.0.0.1; the server only listens on the latter */
  g_assert_nonnull (strstr (log, "smtp: connected to 127.0.0.1\n"));
  g_assert_null (strstr (log, PASSWORD));
  g_assert_null (strstr (log, b64));
  g_assert_null (strstr (log, plain64));
}

static void
test_aiosmtpd_wrong_password (void)
{
  AioOptions options = { "starttls", NULL, NULL, TRUE, FALSE };
  g_autoptr(Server) server = aiosmtpd_start (&options);
  SecretSource secret = { "wrong", 0 };
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = aiosmtpd_session (server, SINGLY_SECURITY_STARTTLS, NULL, "ca.pem", NULL, &secret, SINGLY_SMTP_AUTH_AUTO);
  g_assert_false (singly_smtp_session_open (session, NULL, &error));
  g_assert_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "535"));
  g_assert_false (singly_smtp_session_is_open (session));
}

static void
test_aiosmtpd_self_signed (void)
{
  AioOptions options = { "starttls", "self.pem", NULL, FALSE, FALSE };
  g_autoptr(Server) server = aiosmtpd_start (&options);
  g_autofree char *fingerprint = fingerprint_of ("self.pem");
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = aiosmtpd_session (server, SINGLY_SECURITY_STARTTLS, NULL, NULL, NULL, NULL, 0);
  g_assert_false (singly_smtp_session_open (session, NULL, &error));
  g_assert_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_TLS);
  g_test_message ("self-signed: %s", error->message);
  g_assert_nonnull (strstr (error->message, fingerprint));
  g_assert_cmpstr (singly_smtp_session_get_peer_fingerprint (session), ==, fingerprint);
  g_clear_object (&session);
  g_clear_error (&error);

  /* trusted through a CA file: the same certificate */
  session = aiosmtpd_session (server, SINGLY_SECURITY_STARTTLS, NULL, "self.pem", NULL, NULL, 0);
  singly_smtp_session_open (session, NULL, &error);
  g_assert_no_error (error);
  singly_smtp_session_close (session, NULL);
  g_clear_object (&session);

  /* pinned, no CA file; lower case and no colons are fine too */
  {
    g_autofree char *pin = g_ascii_strdown (fingerprint, -1);

    session = aiosmtpd_session (server, SINGLY_SECURITY_STARTTLS, NULL, NULL, pin, NULL, 0);
    singly_smtp_session_open (session, NULL, &error);
    g_assert_no_error (error);
    singly_smtp_session_close (session, NULL);
    g_clear_object (&session);
  }

  /* a pin for another certificate does not help */
  session = aiosmtpd_session (server, SINGLY_SECURITY_STARTTLS, NULL, NULL,
                              "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
                              "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF", NULL, 0);
  g_assert_false (singly_smtp_session_open (session, NULL, &error));
  g_assert_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_TLS);
}

static void
test_aiosmtpd_wrong_name (void)
{
  AioOptions options = { "starttls", "wrong.pem", NULL, FALSE, FALSE };
  g_autoptr(Server) server = aiosmtpd_start (&options);
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(GError) error = NULL;

  /* signed by the trusted CA, but for wrong.example */
  session = aiosmtpd_session (server, SINGLY_SECURITY_STARTTLS, "localhost", "ca.pem", NULL, NULL, 0);
  g_assert_false (singly_smtp_session_open (session, NULL, &error));
  g_assert_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, "mismatch"));
  g_clear_object (&session);
  g_clear_error (&error);

  session = aiosmtpd_session (server, SINGLY_SECURITY_STARTTLS, "127.0.0.1", "ca.pem", NULL, NULL, 0);
  g_assert_false (singly_smtp_session_open (session, NULL, &error));
  g_assert_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, "mismatch"));
}

static void
test_aiosmtpd_implicit_tls (void)
{
  AioOptions options = { "tls", NULL, NULL, TRUE, FALSE };
  g_autoptr(Server) server = aiosmtpd_start (&options);
  SecretSource secret = { PASSWORD, 0 };
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(TestMessage) tm = test_message_new ("sender@example.org", "rcpt@example.org", intact_data, -1);
  g_autoptr(SinglySmtpResult) result = NULL;
  g_autoptr(GError) error = NULL;

  session = aiosmtpd_session (server, SINGLY_SECURITY_TLS, NULL, "ca.pem", NULL, &secret, SINGLY_SMTP_AUTH_AUTO);
  singly_smtp_session_open (session, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (singly_smtp_session_send (session, &tm->message, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, SINGLY_SMTP_STATUS_SENT);
  singly_smtp_session_close (session, NULL);
  check_arrived (server, intact_data);
}

static void
test_aiosmtpd_old_tls (void)
{
  AioOptions options = { "tls", NULL, "1.1", FALSE, FALSE };
  g_autoptr(Server) server = aiosmtpd_start (&options);
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = aiosmtpd_session (server, SINGLY_SECURITY_TLS, NULL, "ca.pem", NULL, NULL, 0);
  g_assert_false (singly_smtp_session_open (session, NULL, &error));
  g_assert_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_TLS);
  g_test_message ("TLS 1.1 server: %s", error->message);
}

/* SNI (RFC 6066): the server learns which name is wanted, so a host with
 * several names can show the right certificate; none for an address */
static void
test_aiosmtpd_sni (void)
{
  AioOptions options = { "tls", NULL, NULL, FALSE, FALSE };
  g_autoptr(Server) server = aiosmtpd_start (&options);
  static const struct { const char *host; const char *sni; } cases[] = {
    { "localhost", "\"sni\": \"localhost\"" },
    { "127.0.0.1", "\"sni\": null" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SinglySmtpSession) session = NULL;
      g_autoptr(TestMessage) tm = test_message_new ("sender@example.org", "rcpt@example.org", intact_data, -1);
      g_autoptr(SinglySmtpResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_strdup_printf ("%u.json", i + 1);
      g_autofree char *path = g_build_filename (server->maildir, name, NULL);
      g_autofree char *envelope = NULL;

      session = aiosmtpd_session (server, SINGLY_SECURITY_TLS, cases[i].host, "ca.pem", NULL, NULL, 0);
      singly_smtp_session_open (session, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (singly_smtp_session_send (session, &tm->message, &result, NULL, &error));
      g_assert_cmpint (result->status, ==, SINGLY_SMTP_STATUS_SENT);
      singly_smtp_session_close (session, NULL);

      g_assert_true (g_file_get_contents (path, &envelope, NULL, NULL));
      g_test_message ("%s: %s", cases[i].host, envelope);
      g_assert_nonnull (strstr (envelope, cases[i].sni));
    }
}

/* Without a CA file or a pin, the system's trust store decides. OpenSSL
 * takes the store's file from SSL_CERT_FILE, so the test CA stands in for
 * the system's here; without the store, the same server is refused (see
 * test_aiosmtpd_self_signed). */
static void
test_aiosmtpd_system_trust (void)
{
  AioOptions options = { "starttls", NULL, NULL, FALSE, FALSE };
  g_autoptr(Server) server = aiosmtpd_start (&options);
  g_autofree char *ca = cert_path ("ca.pem");
  g_autofree char *saved = g_strdup (g_getenv ("SSL_CERT_FILE"));
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(GError) error = NULL;

  g_setenv ("SSL_CERT_FILE", ca, TRUE);
  session = aiosmtpd_session (server, SINGLY_SECURITY_STARTTLS, "localhost", NULL, NULL, NULL, 0);
  singly_smtp_session_open (session, NULL, &error);
  if (saved != NULL)
    g_setenv ("SSL_CERT_FILE", saved, TRUE);
  else
    g_unsetenv ("SSL_CERT_FILE");
  g_assert_no_error (error);
  singly_smtp_session_close (session, NULL);
}

static void
test_aiosmtpd_smtputf8 (void)
{
  AioOptions options = { "plain", NULL, NULL, FALSE, TRUE };
  g_autoptr(Server) server = aiosmtpd_start (&options);
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(TestMessage) tm = test_message_new ("发件人@example.org", "用户@例子.广告",
                                                "Subject: 你好\r\n\r\n你好\r\n", -1);
  g_autoptr(SinglySmtpResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *envelope = NULL;
  SinglySmtpConfig config = config_for (server->port);

  session = singly_smtp_session_new (&config);
  singly_smtp_session_open (session, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (singly_smtp_session_get_extensions (session) & SINGLY_SMTP_EXTENSION_SMTPUTF8);
  tm->message.smtputf8 = TRUE;
  tm->message.eight_bit = TRUE;
  g_assert_true (singly_smtp_session_send (session, &tm->message, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, SINGLY_SMTP_STATUS_SENT);
  singly_smtp_session_close (session, NULL);

  check_arrived (server, "Subject: 你好\r\n\r\n你好\r\n");
  envelope = arrived_envelope (server);
  g_assert_nonnull (strstr (envelope, "\"SMTPUTF8\""));
  g_assert_nonnull (strstr (envelope, "\\u7528\\u6237@"));   /* 用户@ */
}

/* Tests: scripted server */

static SinglySmtpSession *
scripted_session (Server         *server,
                  SinglySecurity  security,
                  SecretSource   *secret,
                  SinglySmtpAuth  auth)
{
  SinglySmtpConfig config = config_for (server->port);
  g_autofree char *ca = cert_path ("ca.pem");

  config.security = security;
  config.ca_file = ca;
  if (secret != NULL)
    {
      config.user = "alice";
      config.secret_func = give_secret;
      config.secret_data = secret;
      config.auth = auth;
    }
  return singly_smtp_session_new (&config);
}

static void
test_starttls_injection (void)
{
  g_autoptr(GString) script = script_new ("250-scripted.test\r\n250-STARTTLS\r\n250 AUTH PLAIN\r\n");
  g_autoptr(Server) server = NULL;
  g_autoptr(SinglySmtpSession) session = NULL;
  SecretSource secret = { PASSWORD, 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *transcript = NULL;

  step_read (script, 1);
  /* the reply and an injected one in the same packet */
  step_send (script, "220 2.0.0 Ready to start TLS\r\n250-scripted.test\r\n250 AUTH PLAIN\r\n");
  step_raw (script, "{\"tls\": true}");
  server = scripted_start (script);

  session = scripted_session (server, SINGLY_SECURITY_STARTTLS, &secret, SINGLY_SMTP_AUTH_AUTO);
  g_assert_false (singly_smtp_session_open (session, NULL, &error));
  g_assert_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_PROTOCOL);
  g_assert_cmpuint (secret.n_calls, ==, 0);
  g_clear_object (&session);

  transcript = scripted_transcript (server);
  g_assert_cmpstr (transcript, ==, EHLO_LINE "STARTTLS\r\n");
}

static void
test_starttls_missing (void)
{
  g_autoptr(GString) script = script_new ("250-scripted.test\r\n250-PIPELINING\r\n250 AUTH PLAIN LOGIN\r\n");
  g_autoptr(Server) server = scripted_start (script);
  g_autoptr(SinglySmtpSession) session = NULL;
  SecretSource secret = { PASSWORD, 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *transcript = NULL;

  session = scripted_session (server, SINGLY_SECURITY_STARTTLS, &secret, SINGLY_SMTP_AUTH_AUTO);
  g_assert_false (singly_smtp_session_open (session, NULL, &error));
  g_assert_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_STARTTLS_UNAVAILABLE);
  g_assert_cmpuint (secret.n_calls, ==, 0);
  g_clear_object (&session);

  transcript = scripted_transcript (server);
  g_assert_cmpstr (transcript, ==, EHLO_LINE);
}

static void
test_starttls_refused (void)
{
  g_autoptr(GString) script = script_new ("250-scripted.test\r\n250-STARTTLS\r\n250 AUTH PLAIN\r\n");
  g_autoptr(Server) server = NULL;
  g_autoptr(SinglySmtpSession) session = NULL;
  SecretSource secret = { PASSWORD, 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *transcript = NULL;

  step_read (script, 1);
  step_send (script, "454 4.7.0 TLS not available due to temporary reason\r\n");
  server = scripted_start (script);

  session = scripted_session (server, SINGLY_SECURITY_STARTTLS, &secret, SINGLY_SMTP_AUTH_AUTO);
  g_assert_false (singly_smtp_session_open (session, NULL, &error));
  g_assert_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_STARTTLS_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, "454 4.7.0 TLS not available"));
  g_clear_object (&session);

  transcript = scripted_transcript (server);
  g_assert_cmpstr (transcript, ==, EHLO_LINE "STARTTLS\r\n");
}

static void
test_starttls_forgets (void)
{
  /* before TLS: SIZE and PLAIN; after: only LOGIN, and no SIZE */
  g_autoptr(GString) script = script_new ("250-scripted.test\r\n250-SIZE 1000\r\n250-STARTTLS\r\n"
                                          "250 AUTH PLAIN LOGIN\r\n");
  g_autoptr(Server) server = NULL;
  g_autoptr(SinglySmtpSession) session = NULL;
  SecretSource secret = { PASSWORD, 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *transcript = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *user64 = g_base64_encode ((const guchar *) "alice", 5);
  g_autofree char *pass64 = g_base64_encode ((const guchar *) PASSWORD, strlen (PASSWORD));

  step_read (script, 1);
  step_send (script, "220 2.0.0 Ready to start TLS\r\n");
  step_raw (script, "{\"tls\": true}");
  step_read (script, 1);
  step_send (script, "250-scripted.test\r\n250-8BITMIME\r\n250 AUTH LOGIN\r\n");
  step_read (script, 1);
  step_send (script, "334 VXNlcm5hbWU6\r\n");
  step_read (script, 1);
  step_send (script, "334 UGFzc3dvcmQ6\r\n");
  step_read (script, 1);
  step_send (script, "235 2.7.0 Authentication successful\r\n");
  step_read (script, 1);
  step_send (script, "221 2.0.0 Bye\r\n");
  server = scripted_start (script);

  session = scripted_session (server, SINGLY_SECURITY_STARTTLS, &secret, SINGLY_SMTP_AUTH_AUTO);
  singly_smtp_session_open (session, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (singly_smtp_session_get_extensions (session), ==,
                   SINGLY_SMTP_EXTENSION_8BITMIME | SINGLY_SMTP_EXTENSION_AUTH);
  g_assert_cmpuint (singly_smtp_session_get_max_size (session), ==, 0);
  singly_smtp_session_close (session, NULL);
  g_clear_object (&session);

  transcript = scripted_transcript (server);
  expected = g_strconcat (EHLO_LINE "STARTTLS\r\n" EHLO_LINE "AUTH LOGIN\r\n",
                          user64, "\r\n", pass64, "\r\nQUIT\r\n", NULL);
  g_assert_cmpstr (transcript, ==, expected);
}

static void
test_auth_plaintext_loopback (void)
{
  g_autoptr(GString) script = script_new ("250-scripted.test\r\n250 AUTH PLAIN LOGIN\r\n");
  g_autoptr(Server) server = NULL;
  g_autoptr(SinglySmtpSession) session = NULL;
  SecretSource secret = { PASSWORD, 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *transcript = NULL;

  step_read (script, 1);
  step_send (script, "235 2.7.0 OK\r\n");
  step_read (script, 1);
  step_send (script, "221 2.0.0 Bye\r\n");
  server = scripted_start (script);

  /* security "none" is allowed AUTH only because 127.0.0.1 is loopback;
   * test_loopback covers the addresses for which it is not */
  session = scripted_session (server, SINGLY_SECURITY_NONE, &secret, SINGLY_SMTP_AUTH_AUTO);
  singly_smtp_session_open (session, NULL, &error);
  g_assert_no_error (error);
  singly_smtp_session_close (session, NULL);
  g_clear_object (&session);

  transcript = scripted_transcript (server);
  g_assert_cmpstr (transcript, ==, EHLO_LINE "AUTH PLAIN AGFsaWNlAHMzY3IzdC1QYTU1\r\nQUIT\r\n");
}

static void
test_auth_535 (void)
{
  g_autoptr(GString) script = script_new ("250-scripted.test\r\n250 AUTH PLAIN\r\n");
  g_autoptr(Server) server = NULL;
  g_autoptr(SinglySmtpSession) session = NULL;
  SecretSource secret = { PASSWORD, 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *transcript = NULL;

  step_read (script, 1);
  step_send (script, "535 5.7.8 Authentication credentials invalid\r\n");
  server = scripted_start (script);

  session = scripted_session (server, SINGLY_SECURITY_NONE, &secret, SINGLY_SMTP_AUTH_AUTO);
  g_assert_false (singly_smtp_session_open (session, NULL, &error));
  g_assert_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "535 5.7.8 Authentication credentials invalid"));
  g_clear_object (&session);

  transcript = scripted_transcript (server);
  g_assert_cmpstr (transcript, ==, EHLO_LINE "AUTH PLAIN AGFsaWNlAHMzY3IzdC1QYTU1\r\n");
}

static void
test_auth_endless_334 (void)
{
  g_autoptr(GString) script = script_new ("250-scripted.test\r\n250 AUTH PLAIN LOGIN\r\n");
  g_autoptr(Server) server = NULL;
  g_autoptr(SinglySmtpSession) session = NULL;
  SecretSource secret = { PASSWORD, 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *transcript = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *user64 = g_base64_encode ((const guchar *) "alice", 5);
  g_autofree char *pass64 = g_base64_encode ((const guchar *) PASSWORD, strlen (PASSWORD));

  step_text (script, "reply_all", "334 VXNlcm5hbWU6\r\n");
  server = scripted_start (script);

  session = scripted_session (server, SINGLY_SECURITY_NONE, &secret, SINGLY_SMTP_AUTH_LOGIN);
  g_assert_false (singly_smtp_session_open (session, NULL, &error));
  g_assert_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_PROTOCOL);
  g_clear_object (&session);

  /* user, password, one "*" to cancel, then give up */
  transcript = scripted_transcript (server);
  expected = g_strconcat (EHLO_LINE "AUTH LOGIN\r\n", user64, "\r\n", pass64, "\r\n*\r\n", NULL);
  g_assert_cmpstr (transcript, ==, expected);
}

static void
test_auth_xoauth2_secret_hidden (void)
{
  g_autoptr(GString) script = script_new ("250-scripted.test\r\n250 AUTH PLAIN LOGIN XOAUTH2\r\n");
  g_autoptr(Server) server = NULL;
  g_autoptr(SinglySmtpSession) session = NULL;
  SecretSource secret = { "ya29.token-" PASSWORD, 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *transcript = NULL;
  g_autofree char *log = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *payload64 = NULL;
  const char *raw = "user=alice\001auth=Bearer ya29.token-" PASSWORD "\001\001";

  /* the XOAUTH2 failure dance: a JSON challenge, an empty answer, 535 */
  step_read (script, 1);
  step_send (script, "334 eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIn0=\r\n");
  step_read (script, 1);
  step_send (script, "535 5.7.8 Username and Password not accepted\r\n");
  server = scripted_start (script);

  clear_log ();
  session = scripted_session (server, SINGLY_SECURITY_NONE, &secret, SINGLY_SMTP_AUTH_XOAUTH2);
  g_assert_false (singly_smtp_session_open (session, NULL, &error));
  g_assert_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_AUTH);
  g_assert_null (strstr (error->message, PASSWORD));
  g_clear_object (&session);

  payload64 = g_base64_encode ((const guchar *) raw, strlen (raw));
  transcript = scripted_transcript (server);
  payload = g_strconcat (EHLO_LINE "AUTH XOAUTH2 ", payload64, "\r\n\r\n", NULL);
  g_assert_cmpstr (transcript, ==, payload);

  log = take_log ();
  g_assert_nonnull (strstr (log, "smtp: > AUTH XOAUTH2 ****\n"));
  g_assert_nonnull (strstr (log, "smtp: > ****\n"));
  g_assert_null (strstr (log, PASSWORD));
  g_assert_null (strstr (log, payload64));
}

/* A pipelining server that takes one message and says goodbye. */
static void
script_one_message (GString    *script,
                    const char *dot_reply)
{
  step_read (script, 3);
  step_send (script, "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n");
  step_data (script);
  step_send (script, dot_reply);
  step_read (script, 1);
  step_send (script, "221 2.0.0 Bye\r\n");
}

#define PIPELINING_EHLO "250-scripted.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 ENHANCEDSTATUSCODES\r\n"
#define ENVELOPE "MAIL FROM:<sender@example.org>\r\nRCPT TO:<rcpt@example.org>\r\nDATA\r\n"

static void
send_one (Server            *server,
          const char        *data,
          gssize             len,
          SinglySmtpStatus   status)
{
  SinglySmtpConfig config = config_for (server->port);
  g_autoptr(SinglySmtpSession) session = singly_smtp_session_new (&config);
  g_autoptr(TestMessage) tm = test_message_new ("sender@example.org", "rcpt@example.org", data, len);
  g_autoptr(SinglySmtpResult) result = NULL;
  g_autoptr(GError) error = NULL;

  singly_smtp_session_open (session, NULL, &error);
  g_assert_no_error (error);
  singly_smtp_session_send (session, &tm->message, &result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, status);
  singly_smtp_session_close (session, NULL);
}

static void
test_data_dot_stuffing (void)
{
  g_autoptr(GString) script = script_new (PIPELINING_EHLO);
  g_autoptr(Server) server = NULL;
  g_autofree char *transcript = NULL;
  /* ".", ".x", a bare CR around a dot, a bare LF around a dot, no final line end */
  static const char data[] = "Subject: dots\r\n\r\n.\r\n.x\r\na\r.\rb\n.\nc";

  script_one_message (script, "250 2.0.0 Ok: queued\r\n");
  server = scripted_start (script);
  send_one (server, data, -1, SINGLY_SMTP_STATUS_SENT);

  transcript = scripted_transcript (server);
  g_assert_cmpstr (transcript, ==,
                   EHLO_LINE ENVELOPE
                   "Subject: dots\r\n\r\n..\r\n..x\r\na\r\n..\r\nb\r\n..\r\nc\r\n.\r\n"
                   "QUIT\r\n");
}

static void
test_data_long_line (void)
{
  g_autoptr(GString) script = script_new (PIPELINING_EHLO);
  g_autoptr(Server) server = NULL;
  g_autoptr(GString) data = g_string_new ("Subject: long\r\n\r\n");
  g_autofree char *transcript = NULL;
  g_autofree char *expected = NULL;
  guint i;

  for (i = 0; i < 1300; i++)
    g_string_append_c (data, (char) ('a' + i % 26));
  g_string_append (data, "\r\n");

  script_one_message (script, "250 2.0.0 Ok\r\n");
  server = scripted_start (script);
  send_one (server, data->str, (gssize) data->len, SINGLY_SMTP_STATUS_SENT);

  transcript = scripted_transcript (server);
  expected = g_strconcat (EHLO_LINE ENVELOPE, data->str, ".\r\n" "QUIT\r\n", NULL);
  g_assert_cmpstr (transcript, ==, expected);
}

static void
test_data_empty (void)
{
  g_autoptr(GString) script = script_new (PIPELINING_EHLO);
  g_autoptr(Server) server = NULL;
  g_autofree char *transcript = NULL;

  script_one_message (script, "250 2.0.0 Ok\r\n");
  server = scripted_start (script);
  send_one (server, "", 0, SINGLY_SMTP_STATUS_SENT);

  transcript = scripted_transcript (server);
  g_assert_cmpstr (transcript, ==, EHLO_LINE ENVELOPE ".\r\nQUIT\r\n");
}

static void
test_lf_replies (void)
{
  GString *script = g_string_new ("[");
  g_autoptr(Server) server = NULL;
  g_autofree char *transcript = NULL;

  step_send (script, "220 lf.test ESMTP\n");
  step_read (script, 1);
  step_send (script, "250-lf.test\n250 PIPELINING\n");
  step_read (script, 3);
  step_send (script, "250 Ok\n250 Ok\n354 go\n");
  step_data (script);
  step_send (script, "250 Ok\n");
  step_read (script, 1);
  step_send (script, "221 Bye\n");
  server = scripted_start (script);
  g_string_free (script, TRUE);
  send_one (server, simple_data, -1, SINGLY_SMTP_STATUS_SENT);

  transcript = scripted_transcript (server);
  g_assert_cmpstr (transcript, ==, EHLO_LINE ENVELOPE SIMPLE_WIRE "QUIT\r\n");
}

/* "250" alone is a whole EHLO reply: no name, no extensions. It split
 * into no lines, and the session read past the end of the array (found
 * by tests/fuzz/fuzz-smtp-reply). */
static void
test_ehlo_bare_code (void)
{
  g_autoptr(GString) script = script_new ("250\r\n");
  g_autoptr(Server) server = NULL;
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *transcript = NULL;
  SinglySmtpConfig config;

  step_read (script, 1);
  step_send (script, "221 Bye\r\n");
  server = scripted_start (script);

  config = config_for (server->port);
  session = singly_smtp_session_new (&config);
  g_assert_true (singly_smtp_session_open (session, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (singly_smtp_session_get_extensions (session), ==, SINGLY_SMTP_EXTENSION_NONE);
  singly_smtp_session_close (session, NULL);

  transcript = scripted_transcript (server);
  g_assert_cmpstr (transcript, ==, EHLO_LINE "QUIT\r\n");
}

static void
test_helo_fallback (void)
{
  g_autoptr(GString) script = script_new ("502 5.5.2 Error: command not recognized\r\n");
  g_autoptr(Server) server = NULL;
  g_autofree char *transcript = NULL;

  step_read (script, 1);
  step_send (script, "250 old.test\r\n");
  step_read (script, 1);
  step_raw (script, "{\"idle\": 0.2}");
  step_send (script, "250 Ok\r\n");
  step_read (script, 1);
  step_raw (script, "{\"idle\": 0.2}");
  step_send (script, "250 Ok\r\n");
  step_read (script, 1);
  step_send (script, "354 go\r\n");
  step_data (script);
  step_send (script, "250 Ok\r\n");
  step_read (script, 1);
  step_send (script, "221 Bye\r\n");
  server = scripted_start (script);
  send_one (server, simple_data, -1, SINGLY_SMTP_STATUS_SENT);

  /* lockstep: nothing arrived early (no "<<EARLY>>"), no ESMTP parameters */
  transcript = scripted_transcript (server);
  g_assert_cmpstr (transcript, ==, EHLO_LINE "HELO [127.0.0.1]\r\n" ENVELOPE SIMPLE_WIRE "QUIT\r\n");
}

static void
test_greeting_421 (void)
{
  GString *script = g_string_new ("[");
  g_autoptr(Server) server = NULL;
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *transcript = NULL;
  SinglySmtpConfig config;

  step_send (script, "421 4.3.2 Service shutting down\r\n");
  server = scripted_start (script);
  g_string_free (script, TRUE);

  config = config_for (server->port);
  session = singly_smtp_session_new (&config);
  g_assert_false (singly_smtp_session_open (session, NULL, &error));
  g_assert_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_SERVICE_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, "421 4.3.2 Service shutting down"));
  g_clear_object (&session);

  transcript = scripted_transcript (server);
  g_assert_cmpstr (transcript, ==, "");
}

/* What the server says goes into errors, logs and the window: a terminal
 * escape or a line break of its own there could forge what people read */
static void
test_reply_controls_replaced (void)
{
  GString *script = g_string_new ("[");
  g_autoptr(Server) server = NULL;
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;
  SinglySmtpConfig config;

  step_send (script, "554-5.7.1 \033[2J\033[31mgo away\r\n554 5.7.1 Sent: 250 OK\a\b\r\n");
  server = scripted_start (script);
  g_string_free (script, TRUE);

  clear_log ();
  config = config_for (server->port);
  session = singly_smtp_session_new (&config);
  g_assert_false (singly_smtp_session_open (session, NULL, &error));
  g_assert_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_REJECTED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "?[2J?[31mgo away Sent: 250 OK??"));
  log = take_log ();
  for (const char *p = error->message; *p != '\0'; p++)
    g_assert_cmpint ((guchar) *p, >=, 0x20);
  g_assert_null (strchr (log, '\033'));
}

static void
test_greeting_garbage (void)
{
  static const char * const greetings[] = {
    "hello there\r\n",
    "220-first\r\n230 second\r\n",
    "22\r\n",
    "2200 x\r\n",
    "620 x\r\n",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (greetings); i++)
    {
      GString *script = g_string_new ("[");
      g_autoptr(Server) server = NULL;
      g_autoptr(SinglySmtpSession) session = NULL;
      g_autoptr(GError) error = NULL;
      SinglySmtpConfig config;

      step_send (script, greetings[i]);
      server = scripted_start (script);
      g_string_free (script, TRUE);

      config = config_for (server->port);
      session = singly_smtp_session_new (&config);
      g_assert_false (singly_smtp_session_open (session, NULL, &error));
      g_assert_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_PROTOCOL);
    }
}

/* The error quotes the start of a garbage line; cut by bytes, it could end
 * in half a character and not be UTF-8. Found by tests/fuzz/fuzz-smtp-reply
 * with NUL bytes, which the session shows as U+FFFD (three bytes each). */
static void
expect_garbage_error_utf8 (const char *send_step)
{
  GString *script = g_string_new ("[");
  g_autoptr(Server) server = NULL;
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(GError) error = NULL;
  SinglySmtpConfig config;

  step_raw (script, send_step);
  server = scripted_start (script);
  g_string_free (script, TRUE);

  config = config_for (server->port);
  session = singly_smtp_session_new (&config);
  g_assert_false (singly_smtp_session_open (session, NULL, &error));
  g_assert_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_PROTOCOL);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

static void
test_greeting_garbage_utf8 (void)
{
  g_autoptr(GString) nuls = g_string_new ("{\"send\": \"2");
  g_autoptr(GString) accents = g_string_new ("{\"send\": \"hello");

  /* the 80th byte falls inside a character either way */
  for (guint n = 0; n < 40; n++)
    {
      g_string_append (nuls, "\\u0000");
      g_string_append (accents, "\\u00e9");
    }
  g_string_append (nuls, "\\r\\n\"}");
  g_string_append (accents, "\\r\\n\"}");

  expect_garbage_error_utf8 (nuls->str);
  expect_garbage_error_utf8 (accents->str);
}

static void
test_reply_too_long (void)
{
  GString *script = g_string_new ("[");
  g_autoptr(Server) server = NULL;
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(GError) error = NULL;
  SinglySmtpConfig config;

  step_send (script, "220 ");
  step_raw (script, "{\"send_repeat\": [\"x\", 100000]}");
  step_send (script, "\r\n");
  server = scripted_start (script);
  g_string_free (script, TRUE);

  config = config_for (server->port);
  session = singly_smtp_session_new (&config);
  g_assert_false (singly_smtp_session_open (session, NULL, &error));
  g_assert_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "longer than"));
}

static void
test_reply_endless (void)
{
  g_autoptr(GString) script = script_new (NULL);
  g_autoptr(Server) server = NULL;
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(GError) error = NULL;
  SinglySmtpConfig config;

  step_read (script, 1);
  step_text (script, "flood", "250-more\r\n");
  server = scripted_start (script);

  config = config_for (server->port);
  session = singly_smtp_session_new (&config);
  g_assert_false (singly_smtp_session_open (session, NULL, &error));
  g_assert_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "lines"));
}

static void
test_no_greeting_timeout (void)
{
  GString *script = g_string_new ("[");
  g_autoptr(Server) server = NULL;
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(GError) error = NULL;
  SinglySmtpConfig config;
  gint64 start;

  step_raw (script, "{\"hang\": true}");
  server = scripted_start (script);
  g_string_free (script, TRUE);

  config = config_for (server->port);
  config.timeout_ms = 1000;
  session = singly_smtp_session_new (&config);
  start = g_get_monotonic_time ();
  g_assert_false (singly_smtp_session_open (session, NULL, &error));
  g_assert_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 900 * 1000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
}

static gpointer
cancel_later (gpointer data)
{
  g_usleep (200 * 1000);
  g_cancellable_cancel (data);
  return NULL;
}

static void
test_cancel_stalled (void)
{
  GString *script = g_string_new ("[");
  g_autoptr(Server) server = NULL;
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  SinglySmtpConfig config;
  GThread *thread;
  gint64 start;

  step_raw (script, "{\"hang\": true}");
  server = scripted_start (script);
  g_string_free (script, TRUE);

  config = config_for (server->port);
  config.timeout_ms = 20000;
  session = singly_smtp_session_new (&config);
  start = g_get_monotonic_time ();
  thread = g_thread_new ("cancel", cancel_later, cancellable);
  g_assert_false (singly_smtp_session_open (session, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  g_thread_join (thread);
  g_assert_false (singly_smtp_session_is_open (session));
}

static void
test_connect_refused (void)
{
  SinglySmtpConfig config = config_for (free_port ());
  g_autoptr(SinglySmtpSession) session = singly_smtp_session_new (&config);
  g_autoptr(GError) error = NULL;

  g_assert_false (singly_smtp_session_open (session, NULL, &error));
  g_assert_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_CONNECT);
}

static void
test_ipv6 (void)
{
  g_autoptr(GString) script = script_new ("250 scripted.test\r\n");
  g_autoptr(Server) server = NULL;
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *transcript = NULL;
  SinglySmtpConfig config;
  int fd = socket (AF_INET6, SOCK_STREAM, 0);
  struct sockaddr_in6 any = { 0 };

  any.sin6_family = AF_INET6;
  any.sin6_addr = in6addr_loopback;
  if (fd < 0 || bind (fd, (struct sockaddr *) &any, sizeof any) < 0)
    {
      if (fd >= 0)
        close (fd);
      g_test_skip ("no IPv6 loopback");
      return;
    }
  close (fd);

  step_read (script, 1);
  step_send (script, "221 Bye\r\n");
  server = scripted_start_full (script, "::1");
  config = config_for (server->port);
  config.host = "::1";
  session = singly_smtp_session_new (&config);
  singly_smtp_session_open (session, NULL, &error);
  g_assert_no_error (error);
  singly_smtp_session_close (session, NULL);
  g_clear_object (&session);

  transcript = scripted_transcript (server);
  g_assert_cmpstr (transcript, ==, "EHLO [IPv6:::1]\r\nQUIT\r\n");
}

static void
test_421_after_rcpt (void)
{
  g_autoptr(GString) script = script_new (PIPELINING_EHLO);
  g_autoptr(Server) server = NULL;
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(TestMessage) tm = test_message_new ("sender@example.org", "rcpt@example.org", simple_data, -1);
  g_autoptr(SinglySmtpResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *transcript = NULL;
  SinglySmtpConfig config;

  step_read (script, 3);
  step_send (script, "250 2.1.0 Ok\r\n421 4.4.2 Timeout, closing connection\r\n");
  step_raw (script, "{\"close\": true}");
  server = scripted_start (script);

  config = config_for (server->port);
  session = singly_smtp_session_new (&config);
  singly_smtp_session_open (session, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (singly_smtp_session_send (session, &tm->message, &result, NULL, &error));
  g_assert_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_SERVICE_UNAVAILABLE);
  g_assert_cmpint (result->status, ==, SINGLY_SMTP_STATUS_TEMPORARY);
  g_assert_cmpint (result->stage, ==, SINGLY_SMTP_STAGE_RCPT);
  g_assert_cmpuint (result->reply->code, ==, 421);
  g_assert_cmpstr (result->reply->enhanced, ==, "4.4.2");
  g_assert_false (singly_smtp_session_is_open (session));
  g_clear_object (&session);

  /* no RSET, no QUIT */
  transcript = scripted_transcript (server);
  g_assert_cmpstr (transcript, ==, EHLO_LINE ENVELOPE);
}

static void
test_421_at_dot_account (void)
{
  g_autoptr(GString) script = script_new (PIPELINING_EHLO);
  g_autoptr(Server) server = NULL;
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(TestMessage) tm = test_message_new ("sender@example.org", "rcpt@example.org", simple_data, -1);
  g_autoptr(SinglySmtpResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *transcript = NULL;
  SinglySmtpConfig config;

  step_read (script, 3);
  step_send (script, "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n");
  step_data (script);
  step_text (script, "send_close", "421 4.7.0 Try again later, closing connection.\r\n");
  server = scripted_start (script);

  config = config_for (server->port);
  session = singly_smtp_session_new (&config);
  singly_smtp_session_open (session, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (singly_smtp_session_send (session, &tm->message, &result, NULL, &error));
  /* a 421 with a policy code: the account, not the moment */
  g_assert_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_ACCOUNT_REFUSED);
  g_assert_cmpint (result->status, ==, SINGLY_SMTP_STATUS_TEMPORARY);
  g_assert_cmpint (result->stage, ==, SINGLY_SMTP_STAGE_DOT);
  g_assert_cmpstr (result->reply->enhanced, ==, "4.7.0");
  g_clear_object (&session);

  transcript = scripted_transcript (server);
  g_assert_cmpstr (transcript, ==, EHLO_LINE ENVELOPE SIMPLE_WIRE);
}

static void
test_no_valid_recipient_but_354 (void)
{
  g_autoptr(GString) script = script_new (PIPELINING_EHLO);
  g_autoptr(Server) server = NULL;
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(TestMessage) tm = test_message_new ("sender@example.org", "rcpt@example.org", simple_data, -1);
  g_autoptr(SinglySmtpResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *transcript = NULL;
  SinglySmtpConfig config;

  step_read (script, 3);
  step_send (script, "250 2.1.0 Ok\r\n550 5.1.1 No such user\r\n354 go\r\n");
  step_read (script, 1);
  step_send (script, "554 5.5.1 No valid recipients\r\n");
  step_read (script, 1);
  step_send (script, "250 2.0.0 Ok\r\n");
  step_read (script, 1);
  step_send (script, "221 Bye\r\n");
  server = scripted_start (script);

  config = config_for (server->port);
  session = singly_smtp_session_new (&config);
  singly_smtp_session_open (session, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (singly_smtp_session_send (session, &tm->message, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, SINGLY_SMTP_STATUS_PERMANENT);
  g_assert_cmpint (result->stage, ==, SINGLY_SMTP_STAGE_RCPT);
  g_assert_cmpuint (result->reply->code, ==, 550);
  g_assert_cmpuint (singly_smtp_session_get_n_sent (session), ==, 0);
  singly_smtp_session_close (session, NULL);
  g_clear_object (&session);

  /* RFC 2920: the data phase the server opened is closed with an empty
   * message, never with this message's data */
  transcript = scripted_transcript (server);
  g_assert_cmpstr (transcript, ==, EHLO_LINE ENVELOPE ".\r\nRSET\r\nQUIT\r\n");
}

static void
test_rcpt_temporary (void)
{
  /* lockstep this time: no PIPELINING */
  g_autoptr(GString) script = script_new ("250-scripted.test\r\n250 ENHANCEDSTATUSCODES\r\n");
  g_autoptr(Server) server = NULL;
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(Stream) stream = stream_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *transcript = NULL;
  static const char * const replies[] = {
    "450 4.2.0 <a@example.org>: Recipient address rejected: Greylisted\r\n",
    "451 4.3.0 Temporary lookup failure\r\n",
    "452 4.5.3 Too many recipients\r\n",
  };
  SinglySmtpConfig config;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (replies); i++)
    {
      step_read (script, 1);
      step_send (script, "250 2.1.0 Ok\r\n");
      step_read (script, 1);
      step_send (script, replies[i]);
      step_read (script, 1);
      step_send (script, "250 2.0.0 Ok\r\n");
    }
  step_read (script, 1);
  step_send (script, "221 Bye\r\n");
  server = scripted_start (script);

  config = config_for (server->port);
  session = singly_smtp_session_new (&config);
  singly_smtp_session_open (session, NULL, &error);
  g_assert_no_error (error);
  for (i = 0; i < G_N_ELEMENTS (replies); i++)
    stream_add (stream, "a@example.org", simple_data);
  g_assert_true (stream_run (stream, session, &error));
  g_assert_no_error (error);
  for (i = 0; i < G_N_ELEMENTS (replies); i++)
    {
      const SinglySmtpResult *result = stream_result (stream, i);

      g_assert_cmpint (result->status, ==, SINGLY_SMTP_STATUS_TEMPORARY);
      g_assert_cmpint (result->stage, ==, SINGLY_SMTP_STAGE_RCPT);
      g_assert_cmpuint (result->reply->code, ==, 450 + i);
      g_assert_cmpuint (result->rcpt_replies->len, ==, 1);
    }
  g_assert_cmpstr (stream_result (stream, 0)->reply->enhanced, ==, "4.2.0");
  g_assert_cmpstr (stream_result (stream, 0)->reply->text, ==,
                   "<a@example.org>: Recipient address rejected: Greylisted");
  singly_smtp_session_close (session, NULL);
  g_clear_object (&session);

  transcript = scripted_transcript (server);
  g_assert_cmpstr (transcript, ==,
                   EHLO_LINE
                   "MAIL FROM:<sender@example.org>\r\nRCPT TO:<a@example.org>\r\nRSET\r\n"
                   "MAIL FROM:<sender@example.org>\r\nRCPT TO:<a@example.org>\r\nRSET\r\n"
                   "MAIL FROM:<sender@example.org>\r\nRCPT TO:<a@example.org>\r\nRSET\r\n"
                   "QUIT\r\n");
}

static void
test_rcpt_permanent_then_next (void)
{
  g_autoptr(GString) script = script_new (PIPELINING_EHLO);
  g_autoptr(Server) server = NULL;
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(Stream) stream = stream_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *transcript = NULL;
  SinglySmtpConfig config;

  step_read (script, 3);
  step_send (script, "250 2.1.0 Ok\r\n550 5.1.1 <nobody@example.org>: Recipient address rejected\r\n"
                     "554 5.5.1 Error: no valid recipients\r\n");
  step_read (script, 1);
  step_send (script, "250 2.0.0 Ok\r\n");
  script_one_message (script, "250 2.0.0 Ok: queued as 4F2A\r\n");
  server = scripted_start (script);

  config = config_for (server->port);
  session = singly_smtp_session_new (&config);
  singly_smtp_session_open (session, NULL, &error);
  g_assert_no_error (error);
  stream_add (stream, "nobody@example.org", simple_data);
  stream_add (stream, "rcpt@example.org", simple_data);
  g_assert_true (stream_run (stream, session, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stream_result (stream, 0)->status, ==, SINGLY_SMTP_STATUS_PERMANENT);
  g_assert_cmpint (stream_result (stream, 0)->stage, ==, SINGLY_SMTP_STAGE_RCPT);
  g_assert_cmpuint (stream_result (stream, 0)->reply->code, ==, 550);
  g_assert_cmpstr (stream_result (stream, 0)->reply->enhanced, ==, "5.1.1");
  g_assert_false (singly_smtp_reply_is_account_level (stream_result (stream, 0)->reply));
  g_assert_cmpint (stream_result (stream, 1)->status, ==, SINGLY_SMTP_STATUS_SENT);
  g_assert_cmpstr (stream_result (stream, 1)->reply->text, ==, "Ok: queued as 4F2A");
  g_assert_cmpuint (singly_smtp_session_get_n_sent (session), ==, 1);
  singly_smtp_session_close (session, NULL);
  g_clear_object (&session);

  transcript = scripted_transcript (server);
  g_assert_cmpstr (transcript, ==,
                   EHLO_LINE
                   "MAIL FROM:<sender@example.org>\r\nRCPT TO:<nobody@example.org>\r\nDATA\r\n"
                   "RSET\r\n"
                   ENVELOPE SIMPLE_WIRE "QUIT\r\n");
}

static void
test_account_level_refusal (void)
{
  g_autoptr(GString) script = script_new (PIPELINING_EHLO);
  g_autoptr(Server) server = NULL;
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(TestMessage) tm = test_message_new ("sender@example.org", "rcpt@example.org", simple_data, -1);
  g_autoptr(SinglySmtpResult) result = NULL;
  g_autoptr(GError) error = NULL;
  SinglySmtpConfig config;

  step_read (script, 3);
  step_send (script, "550-5.4.5 Daily user sending limit exceeded. For more information\r\n"
                     "550 5.4.5 see the help page\r\n"
                     "503 5.5.1 Error: need MAIL command\r\n503 5.5.1 Error: need RCPT command\r\n");
  step_read (script, 1);
  step_send (script, "250 2.0.0 Ok\r\n");
  step_read (script, 1);
  step_send (script, "221 Bye\r\n");
  server = scripted_start (script);

  config = config_for (server->port);
  session = singly_smtp_session_new (&config);
  singly_smtp_session_open (session, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (singly_smtp_session_send (session, &tm->message, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, SINGLY_SMTP_STATUS_PERMANENT);
  g_assert_cmpint (result->stage, ==, SINGLY_SMTP_STAGE_MAIL);
  g_assert_cmpstr (result->reply->enhanced, ==, "5.4.5");
  g_assert_cmpstr (result->reply->text, ==, "Daily user sending limit exceeded. For more information\n"
                                            "see the help page");
  g_assert_true (singly_smtp_reply_is_account_level (result->reply));
  singly_smtp_session_close (session, NULL);
}

static void
test_multiple_recipients (void)
{
  g_autoptr(GString) script = script_new (PIPELINING_EHLO);
  g_autoptr(Server) server = NULL;
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(TestMessage) tm = test_message_new ("sender@example.org", "bad@example.org", simple_data, -1);
  g_autoptr(SinglySmtpResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *transcript = NULL;
  SinglySmtpConfig config;
  const SinglySmtpReply *reply;

  step_read (script, 4);
  step_send (script, "250 2.1.0 Ok\r\n550 5.1.1 unknown\r\n250 2.1.5 Ok\r\n354 go\r\n");
  step_data (script);
  step_send (script, "250 2.0.0 Ok\r\n");
  step_read (script, 1);
  step_send (script, "221 Bye\r\n");
  server = scripted_start (script);

  config = config_for (server->port);
  session = singly_smtp_session_new (&config);
  singly_smtp_session_open (session, NULL, &error);
  g_assert_no_error (error);
  tm->rcpts[1] = "good@example.org";
  tm->message.n_rcpts = 2;
  g_assert_true (singly_smtp_session_send (session, &tm->message, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, SINGLY_SMTP_STATUS_SENT);
  g_assert_cmpuint (result->rcpt_replies->len, ==, 2);
  reply = g_ptr_array_index (result->rcpt_replies, 0);
  g_assert_cmpuint (reply->code, ==, 550);
  reply = g_ptr_array_index (result->rcpt_replies, 1);
  g_assert_cmpuint (reply->code, ==, 250);
  singly_smtp_session_close (session, NULL);
  g_clear_object (&session);

  transcript = scripted_transcript (server);
  g_assert_cmpstr (transcript, ==,
                   EHLO_LINE "MAIL FROM:<sender@example.org>\r\nRCPT TO:<bad@example.org>\r\n"
                   "RCPT TO:<good@example.org>\r\nDATA\r\n" SIMPLE_WIRE "QUIT\r\n");
}

static void
test_drop_before_dot (void)
{
  g_autoptr(GString) script = script_new (PIPELINING_EHLO);
  g_autoptr(Server) server = NULL;
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(TestMessage) tm = test_message_new ("sender@example.org", "rcpt@example.org", simple_data, -1);
  g_autoptr(SinglySmtpResult) result = NULL;
  g_autoptr(GError) error = NULL;
  SinglySmtpConfig config;

  step_read (script, 3);
  /* the 354 and the FIN in one segment: gone before the data could end */
  step_text (script, "send_close", "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go ahead\r\n");
  server = scripted_start (script);

  config = config_for (server->port);
  session = singly_smtp_session_new (&config);
  singly_smtp_session_open (session, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (singly_smtp_session_send (session, &tm->message, &result, NULL, &error));
  g_assert_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_CONNECTION_LOST);
  g_assert_cmpint (result->status, ==, SINGLY_SMTP_STATUS_TEMPORARY);
  g_assert_cmpint (result->stage, ==, SINGLY_SMTP_STAGE_DATA);
  g_assert_false (singly_smtp_session_is_open (session));
}

static void
test_drop_after_dot (void)
{
  g_autoptr(GString) script = script_new (PIPELINING_EHLO);
  g_autoptr(Server) server = NULL;
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(TestMessage) tm = test_message_new ("sender@example.org", "rcpt@example.org", simple_data, -1);
  g_autoptr(SinglySmtpResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *transcript = NULL;
  SinglySmtpConfig config;

  step_read (script, 3);
  step_send (script, "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go ahead\r\n");
  step_data (script);
  step_raw (script, "{\"close\": true}");
  server = scripted_start (script);

  config = config_for (server->port);
  session = singly_smtp_session_new (&config);
  singly_smtp_session_open (session, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (singly_smtp_session_send (session, &tm->message, &result, NULL, &error));
  g_assert_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_CONNECTION_LOST);
  g_assert_cmpint (result->status, ==, SINGLY_SMTP_STATUS_UNKNOWN);
  g_assert_cmpint (result->stage, ==, SINGLY_SMTP_STAGE_DOT);
  g_assert_null (result->reply);
  g_clear_object (&session);

  transcript = scripted_transcript (server);
  g_assert_cmpstr (transcript, ==, EHLO_LINE ENVELOPE SIMPLE_WIRE);
}

static void
test_timeout_after_dot (void)
{
  g_autoptr(GString) script = script_new (PIPELINING_EHLO);
  g_autoptr(Server) server = NULL;
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(TestMessage) tm = test_message_new ("sender@example.org", "rcpt@example.org", simple_data, -1);
  g_autoptr(SinglySmtpResult) result = NULL;
  g_autoptr(GError) error = NULL;
  SinglySmtpConfig config;

  step_read (script, 3);
  step_send (script, "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go ahead\r\n");
  step_data (script);
  step_raw (script, "{\"hang\": true}");
  server = scripted_start (script);

  config = config_for (server->port);
  config.timeout_ms = 500;
  session = singly_smtp_session_new (&config);
  singly_smtp_session_open (session, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (singly_smtp_session_send (session, &tm->message, &result, NULL, &error));
  g_assert_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_TIMEOUT);
  g_assert_cmpint (result->status, ==, SINGLY_SMTP_STATUS_UNKNOWN);
}

static void
reset_during_data (gboolean tls)
{
  g_autoptr(GString) script = NULL;
  g_autoptr(Server) server = NULL;
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(TestMessage) tm = NULL;
  g_autoptr(SinglySmtpResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *big = NULL;
  /* more than both ends' socket buffers can hold: the data cannot all be
   * written before the reset */
  gsize size = 16 * 1024 * 1024;
  SinglySmtpConfig config;

  if (tls)
    {
      script = script_new ("250-scripted.test\r\n250-STARTTLS\r\n250 PIPELINING\r\n");
      step_read (script, 1);
      step_send (script, "220 go\r\n");
      step_raw (script, "{\"tls\": true}");
      step_read (script, 1);
      step_send (script, "250-scripted.test\r\n250 PIPELINING\r\n");
    }
  else
    script = script_new (PIPELINING_EHLO);
  step_read (script, 3);
  step_send (script, "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go ahead\r\n");
  step_raw (script, "{\"reset\": true}");
  server = scripted_start (script);

  big = g_malloc (size);
  memset (big, 'x', size);
  memcpy (big, "Subject: big\r\n\r\n", 16);
  tm = test_message_new ("sender@example.org", "rcpt@example.org", big, (gssize) size);

  config = config_for (server->port);
  if (tls)
    {
      g_autofree char *ca = cert_path ("ca.pem");

      config.security = SINGLY_SECURITY_STARTTLS;
      config.ca_file = ca;
      session = singly_smtp_session_new (&config);
    }
  else
    session = singly_smtp_session_new (&config);
  singly_smtp_session_open (session, NULL, &error);
  g_assert_no_error (error);
  /* SIGPIPE is at its default here: it would kill the test */
  g_assert_false (singly_smtp_session_send (session, &tm->message, &result, NULL, &error));
  g_assert_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_CONNECTION_LOST);
  g_assert_cmpint (result->status, ==, SINGLY_SMTP_STATUS_TEMPORARY);
}

static void
test_reset_during_data (void)
{
  reset_during_data (FALSE);
}

static void
test_reset_during_data_tls (void)
{
  reset_during_data (TRUE);
}

typedef struct
{
  Server   *server;
  guint     n_calls;
  gboolean  fail;
} DotHook;

static gboolean
before_dot (const SinglySmtpMessage  *message,
            gpointer                  user_data,
            GError                  **error)
{
  DotHook *hook = user_data;
  g_autofree char *seen = NULL;
  guint n_dots = 0;
  const char *p;

  /* the server has all earlier final dots, and not this one */
  g_assert_true (g_file_get_contents (hook->server->transcript, &seen, NULL, NULL));
  for (p = seen; (p = strstr (p, "\r\n.\r\n")) != NULL; p += 5)
    n_dots++;
  g_assert_cmpuint (n_dots, ==, hook->n_calls);
  hook->n_calls++;

  if (hook->fail)
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_NOSPC, "journal: no space left");
      return FALSE;
    }
  return TRUE;
}

static void
test_before_dot_hook (void)
{
  g_autoptr(GString) script = script_new (PIPELINING_EHLO);
  g_autoptr(Server) server = NULL;
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(Stream) stream = stream_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *transcript = NULL;
  DotHook hook = { NULL, 0, FALSE };
  SinglySmtpConfig config;
  guint i;

  /* Cross-message pipelining: the next envelope must arrive before the
   * server answers the previous dot, or this script waits forever. */
  step_read (script, 3);
  step_send (script, "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n");
  step_data (script);
  step_read (script, 3);
  step_send (script, "250 2.0.0 Ok: 1\r\n250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n");
  step_data (script);
  step_read (script, 3);
  step_send (script, "250 2.0.0 Ok: 2\r\n250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n");
  step_data (script);
  step_raw (script, "{\"idle\": 0.1}");
  step_send (script, "250 2.0.0 Ok: 3\r\n");
  step_read (script, 1);
  step_send (script, "221 Bye\r\n");
  server = scripted_start (script);
  hook.server = server;

  config = config_for (server->port);
  config.before_dot_func = before_dot;
  config.before_dot_data = &hook;
  session = singly_smtp_session_new (&config);
  singly_smtp_session_open (session, NULL, &error);
  g_assert_no_error (error);
  for (i = 0; i < 3; i++)
    stream_add (stream, "rcpt@example.org", simple_data);
  g_assert_true (stream_run (stream, session, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (hook.n_calls, ==, 3);
  for (i = 0; i < 3; i++)
    {
      g_autofree char *text = g_strdup_printf ("Ok: %u", i + 1);

      g_assert_cmpint (stream_result (stream, i)->status, ==, SINGLY_SMTP_STATUS_SENT);
      g_assert_cmpstr (stream_result (stream, i)->reply->text, ==, text);
      g_assert_true (g_ptr_array_index (stream->reported, i) ==
                     &((TestMessage *) g_ptr_array_index (stream->messages, i))->message);
    }
  g_assert_cmpuint (singly_smtp_session_get_n_sent (session), ==, 3);
  singly_smtp_session_close (session, NULL);
  g_clear_object (&session);

  transcript = scripted_transcript (server);
  g_assert_cmpstr (transcript, ==,
                   EHLO_LINE
                   ENVELOPE SIMPLE_WIRE ENVELOPE SIMPLE_WIRE ENVELOPE SIMPLE_WIRE
                   "QUIT\r\n");
}

static void
test_before_dot_hook_fails (void)
{
  g_autoptr(GString) script = script_new (PIPELINING_EHLO);
  g_autoptr(Server) server = NULL;
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(TestMessage) tm = test_message_new ("sender@example.org", "rcpt@example.org", simple_data, -1);
  g_autoptr(SinglySmtpResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *transcript = NULL;
  DotHook hook = { NULL, 0, TRUE };
  SinglySmtpConfig config;

  step_read (script, 3);
  step_send (script, "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n");
  step_raw (script, "{\"hang\": true}");
  server = scripted_start (script);
  hook.server = server;

  config = config_for (server->port);
  config.before_dot_func = before_dot;
  config.before_dot_data = &hook;
  session = singly_smtp_session_new (&config);
  singly_smtp_session_open (session, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (singly_smtp_session_send (session, &tm->message, &result, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOSPC);
  g_assert_cmpuint (hook.n_calls, ==, 1);
  g_assert_cmpint (result->status, ==, SINGLY_SMTP_STATUS_TEMPORARY);
  g_assert_cmpint (result->stage, ==, SINGLY_SMTP_STAGE_DATA);
  g_assert_false (singly_smtp_session_is_open (session));
  g_clear_object (&session);

  /* the data never got its dot (inside DATA an RSET would be message text):
   * the connection was dropped, so the server discards the message */
  transcript = scripted_transcript (server);
  g_assert_cmpstr (transcript, ==, EHLO_LINE ENVELOPE);
}

static void
test_dsn_and_utf8 (void)
{
  g_autoptr(GString) script = script_new ("250-scripted.test\r\n250-PIPELINING\r\n250-DSN\r\n"
                                          "250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 10000\r\n");
  g_autoptr(Server) server = NULL;
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(Stream) stream = stream_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *transcript = NULL;
  g_autofree char *expected = NULL;
  SinglySmtpConfig config;
  TestMessage *tm;
  g_autoptr(GString) big = g_string_new ("Subject: big\r\n\r\n");

  step_read (script, 3);
  step_send (script, "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n");
  step_data (script);
  step_read (script, 3);
  step_send (script, "250 2.0.0 Ok\r\n250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n");
  step_data (script);
  step_send (script, "250 2.0.0 Ok\r\n");
  step_read (script, 1);
  step_send (script, "221 Bye\r\n");
  server = scripted_start (script);

  config = config_for (server->port);
  config.request_dsn = TRUE;
  session = singly_smtp_session_new (&config);
  singly_smtp_session_open (session, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (singly_smtp_session_get_max_size (session), ==, 10000);

  tm = stream_add (stream, "rcpt+tag@example.org", "Subject: caf\xc3\xa9\r\n\r\nx\r\n");
  tm->message.eight_bit = TRUE;
  tm->message.envid = "<id+1=x@example.org>";
  tm = stream_add (stream, "用户@例子.广告", simple_data);
  tm->message.smtputf8 = TRUE;
  /* over SIZE: refused before a byte is sent */
  while (big->len <= 10000)
    g_string_append (big, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\r\n");
  tm = stream_add (stream, "rcpt@example.org", g_intern_string (big->str));

  g_assert_true (stream_run (stream, session, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stream_result (stream, 0)->status, ==, SINGLY_SMTP_STATUS_SENT);
  g_assert_cmpint (stream_result (stream, 1)->status, ==, SINGLY_SMTP_STATUS_SENT);
  g_assert_cmpint (stream_result (stream, 2)->status, ==, SINGLY_SMTP_STATUS_PERMANENT);
  g_assert_cmpint (stream_result (stream, 2)->stage, ==, SINGLY_SMTP_STAGE_NONE);
  g_assert_nonnull (stream_result (stream, 2)->detail);
  /* both sizes, exactly */
  g_assert_nonnull (strstr (stream_result (stream, 2)->detail, "10000 bytes"));
  singly_smtp_session_close (session, NULL);
  g_clear_object (&session);

  transcript = scripted_transcript (server);
  expected = g_strdup_printf (EHLO_LINE
                              "MAIL FROM:<sender@example.org> SIZE=21 BODY=8BITMIME RET=HDRS ENVID=<id+2B1+3Dx@example.org>\r\n"
                              "RCPT TO:<rcpt+tag@example.org> NOTIFY=FAILURE,DELAY ORCPT=rfc822;rcpt+2Btag@example.org\r\n"
                              "DATA\r\n"
                              "Subject: caf\xc3\xa9\r\n\r\nx\r\n.\r\n"
                              "MAIL FROM:<sender@example.org> SIZE=%u SMTPUTF8 RET=HDRS\r\n"
                              "RCPT TO:<用户@例子.广告> NOTIFY=FAILURE,DELAY ORCPT=utf-8;用户@例子.广告\r\n"
                              "DATA\r\n"
                              SIMPLE_WIRE
                              "QUIT\r\n", (guint) strlen (simple_data));
  g_assert_cmpstr (transcript, ==, expected);
}

static void
test_smtputf8_unavailable (void)
{
  g_autoptr(GString) script = script_new (PIPELINING_EHLO);
  g_autoptr(Server) server = NULL;
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(TestMessage) tm = test_message_new ("sender@example.org", "用户@例子.广告", simple_data, -1);
  g_autoptr(TestMessage) evil = test_message_new ("sender@example.org", "a@b>\r\nRCPT TO:<c@d", simple_data, -1);
  g_autoptr(TestMessage) evil_from = test_message_new ("a@b>\r\nRCPT TO:<c@d", "rcpt@example.org", simple_data, -1);
  g_autoptr(SinglySmtpResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *transcript = NULL;
  SinglySmtpConfig config;

  step_read (script, 1);
  step_send (script, "221 Bye\r\n");
  server = scripted_start (script);

  config = config_for (server->port);
  session = singly_smtp_session_new (&config);
  singly_smtp_session_open (session, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (singly_smtp_session_send (session, &tm->message, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, SINGLY_SMTP_STATUS_PERMANENT);
  g_assert_cmpint (result->stage, ==, SINGLY_SMTP_STAGE_NONE);
  g_assert_nonnull (strstr (result->detail, "SMTPUTF8"));
  g_clear_pointer (&result, singly_smtp_result_free);

  /* an address that would inject a command never reaches the wire */
  g_assert_true (singly_smtp_session_send (session, &evil->message, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, SINGLY_SMTP_STATUS_PERMANENT);
  g_assert_cmpint (result->stage, ==, SINGLY_SMTP_STAGE_NONE);
  g_clear_pointer (&result, singly_smtp_result_free);
  g_assert_true (singly_smtp_session_send (session, &evil_from->message, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, SINGLY_SMTP_STATUS_PERMANENT);
  g_assert_cmpint (result->stage, ==, SINGLY_SMTP_STAGE_NONE);
  singly_smtp_session_close (session, NULL);
  g_clear_object (&session);

  transcript = scripted_transcript (server);
  g_assert_cmpstr (transcript, ==, EHLO_LINE "QUIT\r\n");
}

/* Certificates for the TLS cases, made with the openssl command. */

static void
run_openssl (const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  guint i;

  g_ptr_array_add (argv, "openssl");
  for (i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (certs_dir, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("openssl %s failed: %s", args[0], err);
}

static void
write_file (const char *name,
            const char *contents)
{
  g_autofree char *path = cert_path (name);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static void
make_leaf (const char *name,
           const char *san)
{
  g_autofree char *key = g_strconcat (name, ".key", NULL);
  g_autofree char *csr = g_strconcat (name, ".csr", NULL);
  g_autofree char *pem = g_strconcat (name, ".pem", NULL);
  g_autofree char *ext = g_strconcat (name, ".ext", NULL);
  g_autofree char *ext_text = g_strdup_printf ("basicConstraints = CA:FALSE\n"
                                               "keyUsage = digitalSignature\n"
                                               "extendedKeyUsage = serverAuth\n"
                                               "subjectAltName = %s\n", san);
  const char *req[] = { "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                        "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=Singly test server", NULL };
  const char *sign[] = { "x509", "-req", "-in", csr, "-CA", "ca.pem", "-CAkey", "ca.key",
                         "-set_serial", "2", "-days", "3", "-out", pem, "-extfile", ext, NULL };

  write_file (ext, ext_text);
  run_openssl (req);
  run_openssl (sign);
}

static void
make_certificates (void)
{
  const char *ca[] = { "req", "-x509", "-config", "ca.cnf", "-extensions", "v3", "-newkey", "ec",
                       "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                       "-keyout", "ca.key", "-out", "ca.pem", "-days", "3", NULL };
  const char *self[] = { "req", "-x509", "-config", "self.cnf", "-extensions", "v3", "-newkey", "ec",
                         "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                         "-keyout", "self.key", "-out", "self.pem", "-days", "3", NULL };

  certs_dir = singly_test_tmpdir ();
  write_file ("ca.cnf",
              "[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = Singly Test CA\n"
              "[v3]\nbasicConstraints = critical,CA:TRUE\nkeyUsage = critical,keyCertSign,cRLSign\n"
              "subjectKeyIdentifier = hash\n");
  write_file ("self.cnf",
              "[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = localhost\n"
              "[v3]\nsubjectAltName = DNS:localhost,IP:127.0.0.1\n");
  run_openssl (ca);
  run_openssl (self);
  make_leaf ("server", "DNS:localhost,IP:127.0.0.1,IP:::1");
  make_leaf ("wrong", "DNS:wrong.example");
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  log_text = g_string_new (NULL);
  g_log_set_handler (G_LOG_DOMAIN, G_LOG_LEVEL_DEBUG, capture_log, NULL);
  make_certificates ();

  g_test_add_func ("/smtp/xtext", test_xtext);
  g_test_add_func ("/smtp/loopback", test_loopback);
  g_test_add_func ("/smtp/account-level", test_account_level);

  g_test_add_func ("/smtp/sink/pipelined-batch", test_sink_pipelined_batch);
  g_test_add_func ("/smtp/sink/no-8bitmime", test_sink_no_8bitmime);
  g_test_add_func ("/smtp/sink/drop-after-dot", test_sink_drop_after_dot);
  g_test_add_func ("/smtp/sink/soft-reject-lockstep", test_sink_soft_reject_lockstep);
  g_test_add_func ("/smtp/sink/421-after-rcpt", test_sink_421_after_rcpt);
  g_test_add_func ("/smtp/sink/abort-in-data", test_sink_abort_in_data);

  g_test_add_data_func ("/smtp/aiosmtpd/starttls-auth-plain", GINT_TO_POINTER (SINGLY_SMTP_AUTH_AUTO),
                        test_aiosmtpd_starttls_auth);
  g_test_add_data_func ("/smtp/aiosmtpd/starttls-auth-login", GINT_TO_POINTER (SINGLY_SMTP_AUTH_LOGIN),
                        test_aiosmtpd_starttls_auth);
  g_test_add_func ("/smtp/aiosmtpd/wrong-password", test_aiosmtpd_wrong_password);
  g_test_add_func ("/smtp/aiosmtpd/self-signed", test_aiosmtpd_self_signed);
  g_test_add_func ("/smtp/aiosmtpd/wrong-name", test_aiosmtpd_wrong_name);
  g_test_add_func ("/smtp/aiosmtpd/implicit-tls", test_aiosmtpd_implicit_tls);
  g_test_add_func ("/smtp/aiosmtpd/tls-1.1-refused", test_aiosmtpd_old_tls);
  g_test_add_func ("/smtp/aiosmtpd/smtputf8", test_aiosmtpd_smtputf8);
  g_test_add_func ("/smtp/aiosmtpd/sni", test_aiosmtpd_sni);
  g_test_add_func ("/smtp/aiosmtpd/system-trust", test_aiosmtpd_system_trust);

  g_test_add_func ("/smtp/scripted/starttls-injection", test_starttls_injection);
  g_test_add_func ("/smtp/scripted/starttls-missing", test_starttls_missing);
  g_test_add_func ("/smtp/scripted/starttls-refused", test_starttls_refused);
  g_test_add_func ("/smtp/scripted/starttls-forgets", test_starttls_forgets);
  g_test_add_func ("/smtp/scripted/auth-plaintext-loopback", test_auth_plaintext_loopback);
  g_test_add_func ("/smtp/scripted/auth-535", test_auth_535);
  g_test_add_func ("/smtp/scripted/auth-endless-334", test_auth_endless_334);
  g_test_add_func ("/smtp/scripted/auth-xoauth2-secret-hidden", test_auth_xoauth2_secret_hidden);
  g_test_add_func ("/smtp/scripted/data-dot-stuffing", test_data_dot_stuffing);
  g_test_add_func ("/smtp/scripted/data-long-line", test_data_long_line);
  g_test_add_func ("/smtp/scripted/data-empty", test_data_empty);
  g_test_add_func ("/smtp/scripted/lf-replies", test_lf_replies);
  g_test_add_func ("/smtp/scripted/ehlo-bare-code", test_ehlo_bare_code);
  g_test_add_func ("/smtp/scripted/helo-fallback", test_helo_fallback);
  g_test_add_func ("/smtp/scripted/greeting-421", test_greeting_421);
  g_test_add_func ("/smtp/scripted/greeting-garbage", test_greeting_garbage);
  g_test_add_func ("/smtp/scripted/reply-controls-replaced", test_reply_controls_replaced);
  g_test_add_func ("/smtp/scripted/greeting-garbage-utf8", test_greeting_garbage_utf8);
  g_test_add_func ("/smtp/scripted/reply-too-long", test_reply_too_long);
  g_test_add_func ("/smtp/scripted/reply-endless", test_reply_endless);
  g_test_add_func ("/smtp/scripted/no-greeting-timeout", test_no_greeting_timeout);
  g_test_add_func ("/smtp/scripted/cancel-stalled", test_cancel_stalled);
  g_test_add_func ("/smtp/scripted/connect-refused", test_connect_refused);
  g_test_add_func ("/smtp/scripted/ipv6", test_ipv6);
  g_test_add_func ("/smtp/scripted/421-after-rcpt", test_421_after_rcpt);
  g_test_add_func ("/smtp/scripted/421-at-dot-account", test_421_at_dot_account);
  g_test_add_func ("/smtp/scripted/no-valid-recipient-but-354", test_no_valid_recipient_but_354);
  g_test_add_func ("/smtp/scripted/rcpt-temporary", test_rcpt_temporary);
  g_test_add_func ("/smtp/scripted/rcpt-permanent-then-next", test_rcpt_permanent_then_next);
  g_test_add_func ("/smtp/scripted/account-level-refusal", test_account_level_refusal);
  g_test_add_func ("/smtp/scripted/multiple-recipients", test_multiple_recipients);
  g_test_add_func ("/smtp/scripted/drop-before-dot", test_drop_before_dot);
  g_test_add_func ("/smtp/scripted/drop-after-dot", test_drop_after_dot);
  g_test_add_func ("/smtp/scripted/timeout-after-dot", test_timeout_after_dot);
  g_test_add_func ("/smtp/scripted/reset-during-data", test_reset_during_data);
  g_test_add_func ("/smtp/scripted/reset-during-data-tls", test_reset_during_data_tls);
  g_test_add_func ("/smtp/scripted/before-dot-hook", test_before_dot_hook);
  g_test_add_func ("/smtp/scripted/before-dot-hook-fails", test_before_dot_hook_fails);
  g_test_add_func ("/smtp/scripted/dsn-and-utf8", test_dsn_and_utf8);
  g_test_add_func ("/smtp/scripted/smtputf8-unavailable", test_smtputf8_unavailable);

  ret = g_test_run ();

  singly_test_rm_rf (certs_dir);
  g_free (certs_dir);
  g_string_free (log_text, TRUE);
  return ret;
}
