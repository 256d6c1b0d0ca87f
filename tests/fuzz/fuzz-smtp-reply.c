/* fuzz-smtp-reply.c: any bytes as what an SMTP server says
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reply parser is static inside singly-smtp.c, and what matters is
 * how the whole session reacts to what it reads, so the fuzzer plays the
 * server: a real SinglySmtpSession connects to a listener on 127.0.0.1,
 * and a thread answers it with the input's bytes, no TLS.
 *
 * Input: two option bytes, then the server's side of the conversation.
 *   byte 0: bits 0-2 AUTH (0 none, 1 auto, 2 PLAIN, 3 LOGIN, 4 XOAUTH2,
 *           else none), bit 3 ask for DSN, bit 4 "dump" (below), bit 5
 *           the second message needs SMTPUTF8, bit 6 two recipients per
 *           message, bit 7 the before-dot hook refuses the second message
 *   byte 1: bits 0-1 how many messages (0-3), bit 2 8-bit data
 *
 * The server answers like a real one, so that every reply is read where
 * the session expects it: the greeting, then one reply for every command
 * line it receives, none for the message data between a 354 to DATA and
 * the final dot. A reply is the input's next lines up to the first that
 * is not a continuation ("250-"), which is exactly where the session
 * stops reading too. When the input runs out the server shuts its side,
 * so the session sees the end of the stream instead of waiting. In dump
 * mode the server writes the whole input at once instead, which sends
 * replies early, pipelined and unasked, the way a broken or hostile
 * server does.
 *
 * Either way nothing ever waits for the session's timeout, so a timeout
 * is a failure: the session and the server disagree on where a reply
 * ends, and a real server would hang it the same way.
 */
#define _GNU_SOURCE   /* accept4() */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz-util.h"
#include "singly-smtp.h"

#define N_OPTION_BYTES      2
#define CLIENT_TIMEOUT_MS   2000
#define SERVER_WAIT_MS      5000
#define MAX_MESSAGES        3

typedef struct
{
  const char *input;
  gsize       length;
  gsize       pos;
  gboolean    dump;
  gboolean    shut;
  int         fd;
} FakeServer;

typedef struct
{
  SinglySmtpMessage messages[MAX_MESSAGES];
  guint             n_messages;
  guint             n_taken;
  guint             n_done;
  gboolean          refuse_second_dot;
} Campaign;

static int listen_fd = -1;
static guint16 listen_port;

/* a small message with a line that needs dot-stuffing and a bare LF, and
 * a large one that goes out in more than one write */
static GBytes *small_message;
static GBytes *large_message;

/* Fake server */

static gboolean
write_all (int         fd,
           const char *data,
           gsize       length)
{
  while (length > 0)
    {
      ssize_t n = send (fd, data, length, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      length -= (gsize) n;
    }
  return TRUE;
}

static void
shut_output (FakeServer *server)
{
  if (server->shut)
    return;
  shutdown (server->fd, SHUT_WR);
  server->shut = TRUE;
}

/* Sends the next reply: lines up to and including the first one that is
 * not "xyz-…" (the session reads a line as a continuation only then).
 * Returns: (transfer none): where the reply starts in the input */
static const char *
send_reply (FakeServer *server)
{
  const char *start = server->input + server->pos;

  if (server->shut)
    return start;

  while (server->pos < server->length)
    {
      const char *line = server->input + server->pos;
      const char *lf = memchr (line, '\n', server->length - server->pos);
      gsize length = lf != NULL ? (gsize) (lf - line) : server->length - server->pos;
      gsize content = length;

      server->pos += lf != NULL ? length + 1 : length;
      if (content > 0 && line[content - 1] == '\r')
        content--;
      if (!(content > 3 && line[3] == '-'))
        break;
    }

  if (!write_all (server->fd, start, (gsize) (server->input + server->pos - start)) ||
      server->pos == server->length)
    shut_output (server);
  return start;
}

static gpointer
serve (gpointer user_data)
{
  FakeServer *server = user_data;
  struct pollfd pfd = { listen_fd, POLLIN, 0 };
  g_autoptr(GString) line = g_string_new (NULL);
  gboolean in_data = FALSE;
  char buf[4096];

  if (poll (&pfd, 1, SERVER_WAIT_MS) <= 0)
    return NULL;
  server->fd = accept4 (listen_fd, NULL, NULL, SOCK_CLOEXEC);
  if (server->fd < 0)
    return NULL;
  /* replies to a pipelined group go out one by one; Nagle would hold
   * each back for the session's delayed ACK, 40 ms an input */
  setsockopt (server->fd, IPPROTO_TCP, TCP_NODELAY, &(int) { 1 }, sizeof (int));

  if (server->dump)
    {
      write_all (server->fd, server->input, server->length);
      shut_output (server);
    }
  else
    send_reply (server);   /* the greeting */

  /* read the session's lines until it hangs up; the session never waits
   * longer than its own timeout, so neither does this */
  for (;;)
    {
      ssize_t n;

      pfd.fd = server->fd;
      if (poll (&pfd, 1, SERVER_WAIT_MS) <= 0)
        break;
      n = recv (server->fd, buf, sizeof buf, 0);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      if (server->dump)
        continue;

      for (ssize_t i = 0; i < n; i++)
        {
          if (buf[i] != '\n')
            {
              /* only the start of a line matters: "DATA" or "." */
              if (line->len < 16)
                g_string_append_c (line, buf[i]);
              continue;
            }
          if (line->len > 0 && line->str[line->len - 1] == '\r')
            g_string_truncate (line, line->len - 1);

          if (in_data)
            {
              if (g_str_equal (line->str, "."))
                {
                  in_data = FALSE;
                  send_reply (server);
                }
            }
          else
            {
              const char *reply = send_reply (server);

              if (g_ascii_strcasecmp (line->str, "DATA") == 0 &&
                  server->input + server->length - reply >= 3 && strncmp (reply, "354", 3) == 0)
                in_data = TRUE;
            }
          g_string_truncate (line, 0);
        }
    }

  close (server->fd);
  return NULL;
}

/* The session's side */

static char *
secret_cb (gpointer   user_data,
           GError   **error)
{
  return g_strdup ("fuzz-password");
}

static gboolean
before_dot_cb (const SinglySmtpMessage  *message,
               gpointer                  user_data,
               GError                  **error)
{
  Campaign *campaign = user_data;

  return !(campaign->refuse_second_dot && message == &campaign->messages[1]);
}

static const SinglySmtpMessage *
next_cb (gpointer user_data)
{
  Campaign *campaign = user_data;

  if (campaign->n_taken == campaign->n_messages)
    return NULL;
  return &campaign->messages[campaign->n_taken++];
}

static void
check_reply (const SinglySmtpReply *reply)
{
  fuzz_check (reply->code >= 200 && reply->code <= 559);
  /* "valid UTF-8 with control characters replaced": it is shown in the
   * send table and written to the report and the journal */
  fuzz_check (fuzz_is_utf8 (reply->text));
  for (const guchar *p = (const guchar *) reply->text; *p != '\0'; p++)
    fuzz_check (*p >= 0x20 || *p == '\n');
  if (reply->enhanced != NULL)
    {
      fuzz_check (fuzz_is_utf8 (reply->enhanced));
      fuzz_check (reply->enhanced[0] == '0' + (char) (reply->code / 100));
      fuzz_check (reply->enhanced[1] == '.');
      fuzz_check (strlen (reply->enhanced) <= 9);
    }
}

static void
done_cb (const SinglySmtpMessage *message,
         SinglySmtpResult        *result,
         gpointer                 user_data)
{
  Campaign *campaign = user_data;

  /* each message once, in the order taken */
  fuzz_check (campaign->n_done < campaign->n_taken);
  fuzz_check (message == &campaign->messages[campaign->n_done]);
  campaign->n_done++;

  fuzz_check (result != NULL && result->rcpt_replies != NULL);
  fuzz_check (result->status <= SINGLY_SMTP_STATUS_UNKNOWN);
  fuzz_check (result->rcpt_replies->len <= message->n_rcpts);
  if (result->reply != NULL)
    check_reply (result->reply);
  for (guint i = 0; i < result->rcpt_replies->len; i++)
    check_reply (result->rcpt_replies->pdata[i]);
  fuzz_check (result->detail == NULL || fuzz_is_utf8 (result->detail));

  switch (result->status)
    {
    case SINGLY_SMTP_STATUS_SENT:
      /* sent means a 2xx to the final dot, and nothing less */
      fuzz_check (result->stage == SINGLY_SMTP_STAGE_DOT);
      fuzz_check (result->reply != NULL && result->reply->code / 100 == 2);
      fuzz_check (!(campaign->refuse_second_dot && message == &campaign->messages[1]));
      break;
    case SINGLY_SMTP_STATUS_UNKNOWN:
      fuzz_check (result->stage == SINGLY_SMTP_STAGE_DOT);
      break;
    case SINGLY_SMTP_STATUS_TEMPORARY:
    case SINGLY_SMTP_STATUS_PERMANENT:
    default:
      break;
    }
  singly_smtp_result_free (result);
}

static void
check_error (const GError *error)
{
  fuzz_check (error != NULL);
  fuzz_check (error->domain == SINGLY_SMTP_ERROR);
  fuzz_check (fuzz_is_utf8 (error->message));
  fuzz_check (error->code != SINGLY_SMTP_ERROR_TIMEOUT);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  static const char small_text[] = "Subject: fuzz\r\n\r\nHello\r\n.leading dot\nbare LF\r\n";
  struct sockaddr_in address = { 0, };
  socklen_t length = sizeof address;
  GString *large_text;

  fuzz_init ();

  small_message = g_bytes_new_static (small_text, sizeof small_text - 1);
  large_text = g_string_new ("Subject: large\r\n\r\n");
  for (guint i = 0; i < 700; i++)
    g_string_append (large_text, "A line of the large message, long enough to add up to 40 KB.\r\n");
  large_message = g_string_free_to_bytes (large_text);

  listen_fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  fuzz_check (listen_fd >= 0);
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  /* fuzz_check(), not g_assert(): these must run even with G_DISABLE_ASSERT */
  fuzz_check (bind (listen_fd, (struct sockaddr *) &address, sizeof address) == 0);
  fuzz_check (listen (listen_fd, 4) == 0);
  fuzz_check (getsockname (listen_fd, (struct sockaddr *) &address, &length) == 0);
  listen_port = ntohs (address.sin_port);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const SinglySmtpAuth auths[] = {
    SINGLY_SMTP_AUTH_AUTO, SINGLY_SMTP_AUTH_AUTO, SINGLY_SMTP_AUTH_PLAIN,
    SINGLY_SMTP_AUTH_LOGIN, SINGLY_SMTP_AUTH_XOAUTH2,
  };
  static const char * const one_rcpt[] = { "alice@example.org" };
  static const char * const two_rcpts[] = { "alice@example.org", "bob@example.net" };
  static const char * const utf8_rcpt[] = { "léa@xn--fsqu00a.xn--fiqs8s" };
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(GError) error = NULL;
  SinglySmtpConfig config = { 0, };
  FakeServer server = { 0, };
  Campaign campaign = { 0, };
  GThread *thread;
  guint auth_mode;

  if (size < N_OPTION_BYTES)
    return -1;

  auth_mode = data[0] & 0x07;
  config.host = "127.0.0.1";
  config.port = listen_port;
  config.security = SINGLY_SECURITY_NONE;
  config.user = auth_mode >= 1 && auth_mode <= 4 ? "fuzz@example.org" : NULL;
  config.auth = auth_mode <= 4 ? auths[auth_mode] : SINGLY_SMTP_AUTH_AUTO;
  config.secret_func = secret_cb;
  config.before_dot_func = before_dot_cb;
  config.before_dot_data = &campaign;
  config.timeout_ms = CLIENT_TIMEOUT_MS;
  config.request_dsn = (data[0] & 0x08) != 0;

  campaign.n_messages = data[1] & 0x03;
  campaign.refuse_second_dot = (data[0] & 0x80) != 0;
  for (guint i = 0; i < MAX_MESSAGES; i++)
    {
      SinglySmtpMessage *message = &campaign.messages[i];

      message->mail_from = "sender@example.org";
      message->rcpts = (data[0] & 0x40) ? two_rcpts : one_rcpt;
      message->n_rcpts = (data[0] & 0x40) ? 2 : 1;
      message->data = i == 2 ? large_message : small_message;
      message->eight_bit = (data[1] & 0x04) != 0;
      message->envid = "fuzz+1=2";
    }
  if (data[0] & 0x20)
    {
      campaign.messages[1].rcpts = utf8_rcpt;
      campaign.messages[1].n_rcpts = 1;
      campaign.messages[1].smtputf8 = TRUE;
    }

  server.input = (const char *) data + N_OPTION_BYTES;
  server.length = size - N_OPTION_BYTES;
  server.dump = (data[0] & 0x10) != 0;
  server.fd = -1;

  session = singly_smtp_session_new (&config);
  thread = g_thread_new ("fuzz-smtp-server", serve, &server);

  if (singly_smtp_session_open (session, NULL, &error))
    {
      fuzz_check (singly_smtp_session_is_open (session));
      if (!singly_smtp_session_send_stream (session, next_cb, done_cb, &campaign, NULL, &error))
        {
          check_error (error);
          fuzz_check (!singly_smtp_session_is_open (session));
        }
      /* every message taken was reported, also when the connection broke */
      fuzz_check (campaign.n_done == campaign.n_taken);
    }
  else
    {
      check_error (error);
      fuzz_check (!singly_smtp_session_is_open (session));
    }

  singly_smtp_session_close (session, NULL);
  g_thread_join (thread);

  return 0;
}
