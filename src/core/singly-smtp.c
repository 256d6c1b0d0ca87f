/* singly-smtp.c: a blocking SMTP client session for the send job's worker thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One protocol step per function, each saying which errors it returns; the
 * protocol state changes only in set_state().  Every wait is a poll() on the
 * socket and the cancellable's fd with the configured timeout, so nothing
 * blocks for longer than that and a cancel wakes any wait at once.
 *
 * Reply lines ending in a bare LF are accepted (be liberal in what you
 * accept): some appliances and test servers send them, and a stray LF
 * cannot be abused the way a stray CR could, because lines are split on LF
 * only and a CR right before it is dropped.  A line is at most
 * SMTP_MAX_LINE octets and a reply at most SMTP_MAX_REPLY_LINES lines; the
 * read buffer never grows, whatever the server sends.
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "singly-i18n.h"
#include "singly-smtp.h"

#define SMTP_MAX_LINE         4096    /* octets per reply line, line end included */
#define SMTP_MAX_REPLY_LINES  100
#define SMTP_READ_BUFFER      (2 * SMTP_MAX_LINE)
#define SMTP_WRITE_CHUNK      (32 * 1024)
#define SMTP_DEFAULT_TIMEOUT  60000
#define SMTP_QUIT_TIMEOUT     5000
#define SMTP_TLS_RECORD       16384
#define SHA256_LEN            32

typedef enum
{
  SMTP_STATE_DISCONNECTED,
  SMTP_STATE_CONNECTING,
  SMTP_STATE_TLS_HANDSHAKE,
  SMTP_STATE_GREETING,
  SMTP_STATE_EHLO,
  SMTP_STATE_HELO,
  SMTP_STATE_STARTTLS,
  SMTP_STATE_AUTH,
  SMTP_STATE_READY,
  SMTP_STATE_MAIL,
  SMTP_STATE_RCPT,
  SMTP_STATE_DATA,
  SMTP_STATE_BODY,
  SMTP_STATE_DOT,
  SMTP_STATE_RSET,
  SMTP_STATE_QUIT,
} SmtpState;

struct _SinglySmtpSession
{
  GObject                  parent_instance;

  /* configuration, copied */
  char                    *host;
  guint16                  port;
  SinglySecurity           security;
  char                    *ca_file;
  char                    *pinned_sha256;
  char                    *user;
  SinglySmtpAuth           auth;
  SinglySmtpSecretFunc     secret_func;
  gpointer                 secret_data;
  SinglySmtpBeforeDotFunc  before_dot_func;
  gpointer                 before_dot_data;
  char                    *helo_name;
  guint                    timeout_ms;
  gboolean                 request_dsn;

  /* connection */
  SmtpState                state;
  int                      fd;
  guint                    wait_ms;        /* the limit for the current waits */
  gboolean                 peer_is_loopback;
  char                    *local_literal;
  SSL_CTX                 *ssl_ctx;
  SSL                     *ssl;
  gboolean                 bio_eof;
  int                      bio_errno;
  gboolean                 pin_matched;
  gboolean                 peer_untrusted; /* the last handshake failed on the certificate */
  char                    *peer_fingerprint;

  /* what the server said about itself since the last EHLO */
  gboolean                 greeted;        /* an EHLO/HELO reply was seen */
  SinglySmtpExtensions     extensions;
  guint64                  max_size;
  GStrv                    auth_mechanisms;
  guint                    n_sent;

  /* I/O buffers: bounded, reused */
  char                     rbuf[SMTP_READ_BUFFER];
  gsize                    rpos;
  gsize                    rlen;
  GString                 *wbuf;
  gboolean                 wbuf_secret;
};

/* One message between its MAIL FROM and the report of its result. */
typedef struct
{
  const SinglySmtpMessage *message;
  SinglySmtpResult        *result;
  gboolean                 decided;        /* result is final */
  gboolean                 envelope_sent;
  gboolean                 mail_ok;
  guint                    n_accepted;
  gboolean                 data_ok;        /* 354 to DATA */
  gboolean                 need_utf8;
  gsize                    size;
} Transaction;

typedef char SecretString;

static void secret_string_free (SecretString *secret);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SSL_CTX, SSL_CTX_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SecretString, secret_string_free)

G_DEFINE_FINAL_TYPE (SinglySmtpSession, singly_smtp_session, G_TYPE_OBJECT)

G_DEFINE_QUARK (singly-smtp-error-quark, singly_smtp_error)

static const char * const state_names[] = {
  "DISCONNECTED", "CONNECTING", "TLS_HANDSHAKE", "GREETING", "EHLO", "HELO",
  "STARTTLS", "AUTH", "READY", "MAIL", "RCPT", "DATA", "BODY", "DOT", "RSET",
  "QUIT",
};
G_STATIC_ASSERT (G_N_ELEMENTS (state_names) == SMTP_STATE_QUIT + 1);

/* Helpers: state, secrets, text */

static void
set_state (SinglySmtpSession *self,
           SmtpState          next)
{
  if (self->state == next)
    return;
  g_debug ("smtp: %s -> %s", state_names[self->state], state_names[next]);
  self->state = next;
}

/* Secrets are wiped before their memory goes back to the allocator, so a
 * later heap dump or use-after-free elsewhere cannot show them. */
static void
secret_string_free (SecretString *secret)
{
  if (secret == NULL)
    return;
  OPENSSL_cleanse (secret, strlen (secret));
  g_free (secret);
}

static char *
secret_base64 (const char *raw,
               gsize       len)
{
  return g_base64_encode ((const guchar *) raw, len);
}

/* Server text goes into logs, errors and the UI: make it valid UTF-8 and
 * strip control characters so it cannot forge log lines or terminal escapes. */
static char *
sanitize_text (const char *text,
               gssize      len)
{
  char *valid = g_utf8_make_valid (text, len);
  char *p;

  for (p = valid; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      *p = '?';
  return valid;
}

static char *
format_reply (const SinglySmtpReply *reply)
{
  g_autofree char *flat = g_strdup (reply->text);

  g_strdelimit (flat, "\n", ' ');
  if (reply->enhanced != NULL)
    return g_strdup_printf ("%u %s %s", reply->code, reply->enhanced, flat);
  return g_strdup_printf ("%u %s", reply->code, flat);
}

static gboolean
parse_fingerprint (const char *text,
                   guint8      digest[SHA256_LEN])
{
  guint n = 0;
  const char *p;

  for (p = text; *p != '\0'; p++)
    {
      int hi, lo;

      if (*p == ':' || *p == ' ')
        continue;
      if (n == SHA256_LEN || p[1] == '\0')
        return FALSE;
      hi = g_ascii_xdigit_value (p[0]);
      lo = g_ascii_xdigit_value (p[1]);
      if (hi < 0 || lo < 0)
        return FALSE;
      digest[n++] = (guint8) (hi << 4 | lo);
      p++;
    }
  return n == SHA256_LEN;
}

static char *
format_fingerprint (const guint8 *digest,
                    guint         len)
{
  GString *out = g_string_sized_new (len * 3);
  guint i;

  for (i = 0; i < len; i++)
    g_string_append_printf (out, i == 0 ? "%02X" : ":%02X", digest[i]);
  return g_string_free (out, FALSE);
}

static gboolean
is_ascii (const char *text)
{
  const guchar *p;

  for (p = (const guchar *) text; *p != '\0'; p++)
    if (*p >= 0x80)
      return FALSE;
  return TRUE;
}

/* An address goes between angle brackets on a command line: anything that
 * could end the line or the path (CR, LF, space, <, >) would let a contact
 * list inject SMTP commands, so it never reaches the wire. */
static gboolean
address_fits_wire (const char *address)
{
  const guchar *p;

  for (p = (const guchar *) address; *p != '\0'; p++)
    if (*p <= 0x20 || *p == 0x7f || *p == '<' || *p == '>')
      return FALSE;
  return TRUE;
}

/* ORCPT (RFC 3461 §4.2): "rfc822;" and xtext for ASCII, "utf-8;" and the
 * RFC 6533 unitext form when the address needs SMTPUTF8 anyway. */
static char *
orcpt_value (const char *address)
{
  GString *out;
  const guchar *p;

  if (is_ascii (address))
    {
      g_autofree char *xtext = singly_smtp_xtext_encode (address);

      return g_strconcat ("rfc822;", xtext, NULL);
    }

  out = g_string_new ("utf-8;");
  for (p = (const guchar *) address; *p != '\0'; p++)
    {
      if (*p < 0x21 || *p == 0x7f || *p == '+' || *p == '=' || *p == '\\')
        g_string_append_printf (out, "\\x{%X}", *p);
      else
        g_string_append_c (out, (char) *p);
    }
  return g_string_free (out, FALSE);
}

/* The length of an RFC 3463 status code at @text ("5.1.1"), 0 if there is
 * none; its class must agree with the reply code's. */
static gsize
enhanced_code_length (const char *text,
                      guint       code)
{
  const char *p = text;
  guint part;

  if (*p != (char) ('0' + code / 100))
    return 0;
  p++;
  for (part = 0; part < 2; part++)
    {
      guint digits = 0;

      if (*p != '.')
        return 0;
      p++;
      while (g_ascii_isdigit (*p) && digits < 4)
        {
          p++;
          digits++;
        }
      if (digits == 0 || digits > 3)
        return 0;
    }
  if (*p != '\0' && *p != ' ')
    return 0;
  return (gsize) (p - text);
}

static gboolean
reply_is (const SinglySmtpReply *reply,
          guint                  klass)
{
  return reply->code / 100 == klass;
}

/* Connection */

static void
clear_write_buffer (SinglySmtpSession *self)
{
  if (self->wbuf_secret)
    OPENSSL_cleanse (self->wbuf->str, self->wbuf->len);
  self->wbuf_secret = FALSE;
  g_string_truncate (self->wbuf, 0);
}

/* Drops the connection without a word to the server: after a 421, an error,
 * a cancel or a refused hook there is nothing left worth saying. */
static void
drop_connection (SinglySmtpSession *self)
{
  g_clear_pointer (&self->ssl, SSL_free);
  if (self->fd >= 0)
    {
      close (self->fd);
      self->fd = -1;
    }
  self->rpos = self->rlen = 0;
  clear_write_buffer (self);
  set_state (self, SMTP_STATE_DISCONNECTED);
}

static void
forget_extensions (SinglySmtpSession *self)
{
  self->extensions = SINGLY_SMTP_EXTENSION_NONE;
  self->max_size = 0;
  g_clear_pointer (&self->auth_mechanisms, g_strfreev);
}

/* Waits until the socket is ready for @events.
 * Errors: SINGLY_SMTP_ERROR_TIMEOUT, G_IO_ERROR_CANCELLED. */
static gboolean
wait_socket (SinglySmtpSession  *self,
             short               events,
             GCancellable       *cancellable,
             GError            **error)
{
  struct pollfd fds[2];
  GPollFD cancel_fd;
  nfds_t n_fds = 1;
  gint64 deadline = g_get_monotonic_time () + (gint64) self->wait_ms * 1000;
  gboolean ok = FALSE;

  fds[0].fd = self->fd;
  fds[0].events = events;
  if (cancellable != NULL && g_cancellable_make_pollfd (cancellable, &cancel_fd))
    {
      fds[1].fd = cancel_fd.fd;
      fds[1].events = POLLIN;
      n_fds = 2;
    }

  for (;;)
    {
      gint64 remaining;
      int ret;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        break;
      remaining = (deadline - g_get_monotonic_time () + 999) / 1000;
      if (remaining <= 0)
        {
          g_set_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_TIMEOUT,
                       _("The server did not respond within %.1f seconds"),
                       self->wait_ms / 1000.0);
          break;
        }

      fds[0].revents = 0;
      if (n_fds == 2)
        fds[1].revents = 0;
      ret = poll (fds, n_fds, (int) MIN (remaining, G_MAXINT));
      if (ret < 0 && errno != EINTR)
        {
          int saved = errno;

          g_set_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_CONNECTION_LOST,
                       _("Could not wait for the server: %s"), g_strerror (saved));
          break;
        }
      /* POLLERR and POLLHUP count as ready: the next read or write says what went wrong */
      if (ret > 0 && fds[0].revents != 0)
        {
          ok = TRUE;
          break;
        }
    }

  if (n_fds == 2)
    g_cancellable_release_fd (cancellable);
  return ok;
}

static void
set_errno_error (GError     **error,
                 int          saved_errno)
{
  g_set_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_CONNECTION_LOST,
               _("The connection to the server broke: %s"), g_strerror (saved_errno));
}

static void
set_ssl_io_error (SinglySmtpSession  *self,
                  int                 ssl_error,
                  GError            **error)
{
  unsigned long code = ERR_peek_last_error ();

  if (ssl_error == SSL_ERROR_SYSCALL && self->bio_errno != 0)
    set_errno_error (error, self->bio_errno);
  else if (code != 0)
    g_set_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_CONNECTION_LOST,
                 _("The encrypted connection to the server broke: %s"),
                 ERR_reason_error_string (code) ? ERR_reason_error_string (code) : "?");
  else
    g_set_error_literal (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_CONNECTION_LOST,
                         _("The server closed the connection"));
}

/* Reads what is there, waiting only if @may_wait.
 * Returns: bytes read, 0 at the end of the stream, -1 on error, -2 when
 * nothing is there and @may_wait is FALSE.
 * Errors: CONNECTION_LOST, TIMEOUT, G_IO_ERROR_CANCELLED. */
static gssize
conn_read (SinglySmtpSession  *self,
           char               *buf,
           gsize               len,
           gboolean            may_wait,
           GCancellable       *cancellable,
           GError            **error)
{
  for (;;)
    {
      short wait_for = POLLIN;

      if (self->ssl != NULL)
        {
          size_t got = 0;
          int ret, ssl_error;

          ERR_clear_error ();
          self->bio_errno = 0;
          ret = SSL_read_ex (self->ssl, buf, len, &got);
          if (ret == 1)
            return (gssize) got;
          ssl_error = SSL_get_error (self->ssl, ret);
          if (ssl_error == SSL_ERROR_ZERO_RETURN)
            return 0;
          else if (ssl_error == SSL_ERROR_WANT_WRITE)
            wait_for = POLLOUT;
          else if (ssl_error != SSL_ERROR_WANT_READ)
            {
              /* A drop without close_notify is a plain end of stream for
               * SMTP: the protocol knows where its data ends. */
              if (self->bio_eof)
                return 0;
              set_ssl_io_error (self, ssl_error, error);
              return -1;
            }
        }
      else
        {
          gssize n = recv (self->fd, buf, len, 0);

          if (n >= 0)
            return n;
          if (errno == EINTR)
            continue;
          if (errno != EAGAIN && errno != EWOULDBLOCK)
            {
              set_errno_error (error, errno);
              return -1;
            }
        }

      if (!may_wait)
        return -2;
      if (!wait_socket (self, wait_for, cancellable, error))
        return -1;
    }
}

/* Writes all of @data; *@written says how much the kernel (or, with TLS,
 * OpenSSL) took before an error, so a caller knows whether a final dot left.
 * send() gets MSG_NOSIGNAL and the TLS BIO does the same: a peer that went
 * away gives EPIPE here instead of a SIGPIPE that kills the process.
 * Errors: CONNECTION_LOST, TIMEOUT, G_IO_ERROR_CANCELLED. */
static gboolean
conn_write_all (SinglySmtpSession  *self,
                const char         *data,
                gsize               len,
                gsize              *written,
                GCancellable       *cancellable,
                GError            **error)
{
  gsize done = 0;
  gboolean ok = TRUE;

  while (done < len)
    {
      short wait_for = POLLOUT;

      if (self->ssl != NULL)
        {
          /* one record at a time, so a failure leaves a known count */
          gsize chunk = MIN (len - done, SMTP_TLS_RECORD);
          size_t n = 0;
          int ret, ssl_error;

          ERR_clear_error ();
          self->bio_errno = 0;
          ret = SSL_write_ex (self->ssl, data + done, chunk, &n);
          if (ret == 1)
            {
              done += n;
              continue;
            }
          ssl_error = SSL_get_error (self->ssl, ret);
          if (ssl_error == SSL_ERROR_WANT_READ)
            wait_for = POLLIN;
          else if (ssl_error != SSL_ERROR_WANT_WRITE)
            {
              set_ssl_io_error (self, ssl_error, error);
              ok = FALSE;
              break;
            }
        }
      else
        {
          gssize n = send (self->fd, data + done, len - done, MSG_NOSIGNAL);

          if (n >= 0)
            {
              done += (gsize) n;
              continue;
            }
          if (errno == EINTR)
            continue;
          if (errno != EAGAIN && errno != EWOULDBLOCK)
            {
              set_errno_error (error, errno);
              ok = FALSE;
              break;
            }
        }

      if (!wait_socket (self, wait_for, cancellable, error))
        {
          ok = FALSE;
          break;
        }
    }

  if (written != NULL)
    *written = done;
  return ok;
}

/* The TLS BIO: OpenSSL's socket BIO writes with write(2), which raises
 * SIGPIPE on a dead connection. This one uses send(MSG_NOSIGNAL) and keeps
 * the errno for the error message. */

static int
socket_bio_write (BIO        *bio,
                  const char *data,
                  int         len)
{
  SinglySmtpSession *self = BIO_get_data (bio);
  gssize n;

  BIO_clear_retry_flags (bio);
  n = send (self->fd, data, (size_t) len, MSG_NOSIGNAL);
  if (n < 0)
    {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
        BIO_set_retry_write (bio);
      else
        self->bio_errno = errno;
      return -1;
    }
  return (int) n;
}

static int
socket_bio_read (BIO  *bio,
                 char *buf,
                 int   len)
{
  SinglySmtpSession *self = BIO_get_data (bio);
  gssize n;

  BIO_clear_retry_flags (bio);
  n = recv (self->fd, buf, (size_t) len, 0);
  if (n < 0)
    {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
        BIO_set_retry_read (bio);
      else
        self->bio_errno = errno;
      return -1;
    }
  if (n == 0)
    self->bio_eof = TRUE;
  return (int) n;
}

static long
socket_bio_ctrl (BIO  *bio,
                 int   cmd,
                 long  num,
                 void *ptr)
{
  SinglySmtpSession *self = BIO_get_data (bio);

  switch (cmd)
    {
    case BIO_CTRL_FLUSH:
      return 1;
    case BIO_CTRL_EOF:
      return self->bio_eof;
    default:
      return 0;
    }
}

static int
socket_bio_create (BIO *bio)
{
  BIO_set_init (bio, 1);
  return 1;
}

static BIO_METHOD *
socket_bio_method (void)
{
  static gsize initialized = 0;
  static BIO_METHOD *method = NULL;

  if (g_once_init_enter (&initialized))
    {
      method = BIO_meth_new (BIO_get_new_index () | BIO_TYPE_SOURCE_SINK,
                             "singly-smtp-socket");
      BIO_meth_set_write (method, socket_bio_write);
      BIO_meth_set_read (method, socket_bio_read);
      BIO_meth_set_ctrl (method, socket_bio_ctrl);
      BIO_meth_set_create (method, socket_bio_create);
      g_once_init_leave (&initialized, 1);
    }
  return method;
}

/* Records the leaf certificate's fingerprint for the error message and the
 * UI, and lets a pinned certificate through whatever its chain or name. */
static int
verify_callback (int             preverify_ok,
                 X509_STORE_CTX *store)
{
  SSL *ssl = X509_STORE_CTX_get_ex_data (store, SSL_get_ex_data_X509_STORE_CTX_idx ());
  SinglySmtpSession *self = SSL_get_app_data (ssl);
  X509 *leaf = X509_STORE_CTX_get0_cert (store);
  guint8 digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;

  if (leaf == NULL || !X509_digest (leaf, EVP_sha256 (), digest, &len) || len != SHA256_LEN)
    return preverify_ok;

  if (self->peer_fingerprint == NULL)
    self->peer_fingerprint = format_fingerprint (digest, len);

  if (self->pinned_sha256 != NULL)
    {
      guint8 pin[SHA256_LEN];

      if (parse_fingerprint (self->pinned_sha256, pin) && memcmp (pin, digest, SHA256_LEN) == 0)
        {
          self->pin_matched = TRUE;
          return 1;
        }
    }
  return preverify_ok;
}

/* Protocol steps */

static void
remember_local_literal (SinglySmtpSession *self)
{
  struct sockaddr_storage local;
  socklen_t local_len = sizeof local;
  g_autoptr(GSocketAddress) address = NULL;

  g_clear_pointer (&self->local_literal, g_free);
  if (getsockname (self->fd, (struct sockaddr *) &local, &local_len) == 0)
    address = g_socket_address_new_from_native (&local, local_len);
  if (address != NULL && G_IS_INET_SOCKET_ADDRESS (address))
    {
      GInetAddress *inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address));
      g_autofree char *text = g_inet_address_to_string (inet);

      if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
        self->local_literal = g_strdup_printf ("[IPv6:%s]", text);
      else
        self->local_literal = g_strdup_printf ("[%s]", text);
    }
  else
    self->local_literal = g_strdup ("[127.0.0.1]");
}

/* One connection attempt, leaving self->fd open on success.
 * Returns: 0, or the errno that made it fail (ETIMEDOUT after the timeout)
 * Errors: G_IO_ERROR_CANCELLED only (then returns ECANCELED). */
static int
connect_address (SinglySmtpSession  *self,
                 GInetAddress       *inet,
                 GCancellable       *cancellable,
                 GError            **error)
{
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (inet, self->port);
  g_autoptr(GError) local_error = NULL;
  struct sockaddr_storage native;
  socklen_t soerr_len;
  int soerr = 0;
  int one = 1;

  if (!g_socket_address_to_native (address, &native, sizeof native, NULL))
    return EAFNOSUPPORT;

  self->fd = socket (native.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (self->fd < 0)
    return errno;

  soerr_len = sizeof soerr;
  if (connect (self->fd, (struct sockaddr *) &native, (socklen_t) g_socket_address_get_native_size (address)) < 0 &&
      errno != EINPROGRESS)
    soerr = errno;
  else if (!wait_socket (self, POLLOUT, cancellable, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          soerr = ECANCELED;
        }
      else
        soerr = ETIMEDOUT;
    }
  else if (getsockopt (self->fd, SOL_SOCKET, SO_ERROR, &soerr, &soerr_len) < 0)
    soerr = errno;

  if (soerr != 0)
    {
      close (self->fd);
      self->fd = -1;
      return soerr;
    }

  /* we batch writes ourselves; Nagle would hold back a final dot that
   * follows the last data chunk until the server's ACK */
  setsockopt (self->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  self->peer_is_loopback = singly_smtp_address_is_loopback (inet);
  remember_local_literal (self);
  return 0;
}

/* Resolves the host (GResolver: cancellable, and "localhost" is loopback
 * without asking DNS, RFC 6761) and connects to each address in turn.
 * Errors: CONNECT, TIMEOUT (every address timed out), G_IO_ERROR_CANCELLED. */
static gboolean
connect_socket (SinglySmtpSession  *self,
                GCancellable       *cancellable,
                GError            **error)
{
  g_autoptr(GResolver) resolver = g_resolver_get_default ();
  g_autoptr(GString) failures = g_string_new (NULL);
  g_autoptr(GError) local_error = NULL;
  gboolean all_timed_out = TRUE;
  GList *addresses;
  GList *l;

  set_state (self, SMTP_STATE_CONNECTING);
  g_debug ("smtp: connecting to %s port %u", self->host, self->port);

  addresses = g_resolver_lookup_by_name (resolver, self->host, cancellable, &local_error);
  if (addresses == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_CONNECT,
                     _("Could not find the server “%s”: %s"), self->host, local_error->message);
      return FALSE;
    }

  for (l = addresses; l != NULL && local_error == NULL; l = l->next)
    {
      g_autofree char *shown = g_inet_address_to_string (l->data);
      int soerr = connect_address (self, l->data, cancellable, &local_error);

      if (soerr == 0)
        {
          g_debug ("smtp: connected to %s", shown);
          break;
        }
      g_debug ("smtp: could not connect to %s: %s", shown, g_strerror (soerr));
      if (soerr != ETIMEDOUT)
        all_timed_out = FALSE;
      g_string_append_printf (failures, "%s%s: %s", failures->len > 0 ? "; " : "", shown, g_strerror (soerr));
    }
  g_resolver_free_addresses (addresses);

  if (self->fd >= 0)
    return TRUE;
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_set_error (error, SINGLY_SMTP_ERROR,
               all_timed_out ? SINGLY_SMTP_ERROR_TIMEOUT : SINGLY_SMTP_ERROR_CONNECT,
               _("Could not connect to %s port %u (%s)"), self->host, self->port, failures->str);
  return FALSE;
}

static SSL_CTX *
create_ssl_context (SinglySmtpSession  *self,
                    GError            **error)
{
  g_autoptr(SSL_CTX) ctx = SSL_CTX_new (TLS_client_method ());

  if (ctx == NULL)
    {
      g_set_error_literal (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_TLS,
                           _("Could not set up TLS"));
      return NULL;
    }
  SSL_CTX_set_min_proto_version (ctx, TLS1_2_VERSION);
  SSL_CTX_set_options (ctx, SSL_OP_NO_RENEGOTIATION);
  /* No system store is not fatal: a CA file or a pin may still do */
  if (!SSL_CTX_set_default_verify_paths (ctx))
    ERR_clear_error ();
  if (self->ca_file != NULL && !SSL_CTX_load_verify_locations (ctx, self->ca_file, NULL))
    {
      unsigned long code = ERR_peek_last_error ();

      g_set_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_TLS,
                   _("Could not read the CA file “%s”: %s"), self->ca_file,
                   ERR_reason_error_string (code) ? ERR_reason_error_string (code) : "?");
      ERR_clear_error ();
      return NULL;
    }
  SSL_CTX_set_verify (ctx, SSL_VERIFY_PEER, verify_callback);
  return g_steal_pointer (&ctx);
}

/* TLS handshake on the connected socket, with certificate and host name
 * checks (or the pin).
 * Errors: TLS, TIMEOUT, G_IO_ERROR_CANCELLED. */
static gboolean
tls_handshake (SinglySmtpSession  *self,
               GCancellable       *cancellable,
               GError            **error)
{
  BIO *bio;
  guint8 pin[SHA256_LEN];

  set_state (self, SMTP_STATE_TLS_HANDSHAKE);

  if (self->pinned_sha256 != NULL && !parse_fingerprint (self->pinned_sha256, pin))
    {
      g_set_error_literal (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_TLS,
                           _("The pinned certificate fingerprint is not a SHA-256 fingerprint"));
      return FALSE;
    }
  if (self->ssl_ctx == NULL)
    {
      self->ssl_ctx = create_ssl_context (self, error);
      if (self->ssl_ctx == NULL)
        return FALSE;
    }

  self->ssl = SSL_new (self->ssl_ctx);
  SSL_set_app_data (self->ssl, self);
  self->pin_matched = FALSE;
  self->peer_untrusted = FALSE;
  g_clear_pointer (&self->peer_fingerprint, g_free);

  /* RFC 6066 §3: no SNI for address literals. A name the checker cannot
   * take (an IPv6 scope, say) must fail here: without it any trusted
   * certificate would do. */
  SSL_set_hostflags (self->ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  if (g_hostname_is_ip_address (self->host)
      ? !X509_VERIFY_PARAM_set1_ip_asc (SSL_get0_param (self->ssl), self->host)
      : !SSL_set_tlsext_host_name (self->ssl, self->host) || !SSL_set1_host (self->ssl, self->host))
    {
      g_set_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_TLS,
                   _("The server name “%s” cannot be checked against a certificate"), self->host);
      ERR_clear_error ();
      return FALSE;
    }

  bio = BIO_new (socket_bio_method ());
  BIO_set_data (bio, self);
  SSL_set_bio (self->ssl, bio, bio);
  SSL_set_connect_state (self->ssl);
  self->bio_eof = FALSE;

  for (;;)
    {
      int ret, ssl_error;
      short wait_for;

      ERR_clear_error ();
      self->bio_errno = 0;
      ret = SSL_do_handshake (self->ssl);
      if (ret == 1)
        break;

      ssl_error = SSL_get_error (self->ssl, ret);
      if (ssl_error == SSL_ERROR_WANT_READ)
        wait_for = POLLIN;
      else if (ssl_error == SSL_ERROR_WANT_WRITE)
        wait_for = POLLOUT;
      else
        {
          long verify = SSL_get_verify_result (self->ssl);
          unsigned long code = ERR_peek_last_error ();

          if (verify != X509_V_OK)
            {
              self->peer_untrusted = TRUE;
              g_set_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_TLS,
                           _("The server’s certificate is not trusted: %s. Its SHA-256 fingerprint is %s."),
                           X509_verify_cert_error_string (verify),
                           self->peer_fingerprint ? self->peer_fingerprint : "?");
            }
          else if (code != 0)
            g_set_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_TLS,
                         _("The TLS handshake with the server failed: %s"),
                         ERR_reason_error_string (code) ? ERR_reason_error_string (code) : "?");
          else if (self->bio_errno != 0)
            g_set_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_TLS,
                         _("The TLS handshake with the server failed: %s"),
                         g_strerror (self->bio_errno));
          else
            g_set_error_literal (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_TLS,
                                 _("The server closed the connection during the TLS handshake"));
          ERR_clear_error ();
          return FALSE;
        }

      if (!wait_socket (self, wait_for, cancellable, error))
        return FALSE;
    }

  /* The callback already failed the handshake for an untrusted chain; this
   * is the belt to its braces. */
  if (!self->pin_matched && SSL_get_verify_result (self->ssl) != X509_V_OK)
    {
      self->peer_untrusted = TRUE;
      g_set_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_TLS,
                   _("The server’s certificate is not trusted: %s. Its SHA-256 fingerprint is %s."),
                   X509_verify_cert_error_string (SSL_get_verify_result (self->ssl)),
                   self->peer_fingerprint ? self->peer_fingerprint : "?");
      return FALSE;
    }

  g_debug ("smtp: %s with %s, certificate %s%s", SSL_get_version (self->ssl),
           SSL_get_cipher_name (self->ssl),
           self->peer_fingerprint ? self->peer_fingerprint : "?",
           self->pin_matched ? " (pinned)" : "");
  return TRUE;
}

/* Reads one line into the read buffer.
 * Returns: (transfer none): the line without its end, NUL-terminated, valid
 *   until the next read
 * Errors: PROTOCOL (longer than SMTP_MAX_LINE), CONNECTION_LOST, TIMEOUT,
 *   G_IO_ERROR_CANCELLED. */
static char *
read_line (SinglySmtpSession  *self,
           gsize              *length,
           GCancellable       *cancellable,
           GError            **error)
{
  for (;;)
    {
      char *start = self->rbuf + self->rpos;
      gsize available = self->rlen - self->rpos;
      char *lf = memchr (start, '\n', available);
      gssize n;

      if (lf != NULL)
        {
          gsize len = (gsize) (lf - start);

          if (len + 1 > SMTP_MAX_LINE)
            break;
          self->rpos += len + 1;
          if (len > 0 && start[len - 1] == '\r')
            len--;
          start[len] = '\0';
          *length = len;
          return start;
        }
      if (available >= SMTP_MAX_LINE)
        break;

      if (self->rpos > 0)
        {
          memmove (self->rbuf, start, available);
          self->rpos = 0;
          self->rlen = available;
        }
      n = conn_read (self, self->rbuf + self->rlen, sizeof self->rbuf - self->rlen,
                     TRUE, cancellable, error);
      if (n < 0)
        return NULL;
      if (n == 0)
        {
          g_set_error_literal (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_CONNECTION_LOST,
                               _("The server closed the connection"));
          return NULL;
        }
      self->rlen += (gsize) n;
    }

  g_set_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_PROTOCOL,
               _("The server sent a reply line longer than %u bytes"), SMTP_MAX_LINE);
  return NULL;
}

/* Reads one reply, all its lines.
 * Errors: PROTOCOL (not a reply, codes that disagree, too many lines, a
 *   line too long), CONNECTION_LOST, TIMEOUT, G_IO_ERROR_CANCELLED. */
static SinglySmtpReply *
read_reply (SinglySmtpSession  *self,
            GCancellable       *cancellable,
            GError            **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *enhanced = NULL;
  /* Many servers put RFC 3463 codes in their replies without offering
   * ENHANCEDSTATUSCODES (aiosmtpd, some Exchange relays). A code that
   * agrees with the reply's class and stands apart is read either way:
   * "550 5.4.5 quota" must stop the job whatever the EHLO said. */
  const gboolean want_enhanced = TRUE;
  SinglySmtpReply *reply;
  guint code = 0;
  guint n_lines;

  for (n_lines = 0; ; n_lines++)
    {
      g_autofree char *clean = NULL;
      const char *rest;
      guint this_code;
      gsize len;
      char *line;

      if (n_lines == SMTP_MAX_REPLY_LINES)
        {
          g_set_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_PROTOCOL,
                       _("The server sent a reply of more than %u lines"), SMTP_MAX_REPLY_LINES);
          return NULL;
        }
      line = read_line (self, &len, cancellable, error);
      if (line == NULL)
        return NULL;
      clean = sanitize_text (line, (gssize) len);
      g_debug ("smtp: < %s", clean);

      if (len < 3 ||
          line[0] < '2' || line[0] > '5' ||
          line[1] < '0' || line[1] > '5' ||
          !g_ascii_isdigit (line[2]) ||
          (len > 3 && line[3] != ' ' && line[3] != '-'))
        {
          /* "%.80s" counts bytes: cut at a character boundary first, or
           * the message could end in half a character, not UTF-8 */
          if (strlen (clean) > 80)
            *g_utf8_find_prev_char (clean, clean + 81) = '\0';
          g_set_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_PROTOCOL,
                       _("The server sent something that is not an SMTP reply: “%.80s”"), clean);
          return NULL;
        }
      this_code = (guint) ((line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0'));
      if (n_lines > 0 && this_code != code)
        {
          g_set_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_PROTOCOL,
                       _("The server sent a reply whose lines have different codes (%u, then %u)"),
                       code, this_code);
          return NULL;
        }
      code = this_code;

      rest = len > 4 ? clean + 4 : "";
      if (want_enhanced)
        {
          gsize elen = enhanced_code_length (rest, code);

          if (n_lines == 0 && elen > 0)
            enhanced = g_strndup (rest, elen);
          if (enhanced != NULL && elen == strlen (enhanced) && strncmp (rest, enhanced, elen) == 0)
            rest += elen + (rest[elen] == ' ' ? 1 : 0);
        }
      if (n_lines > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, rest);

      if (len == 3 || line[3] == ' ')
        break;
    }

  reply = g_new0 (SinglySmtpReply, 1);
  reply->code = code;
  reply->enhanced = g_steal_pointer (&enhanced);
  reply->text = g_string_free (g_steal_pointer (&text), FALSE);
  return reply;
}

static void
queue_command (SinglySmtpSession *self,
               const char        *command)
{
  g_debug ("smtp: > %s", command);
  g_string_append (self->wbuf, command);
  g_string_append_len (self->wbuf, "\r\n", 2);
}

/* A line that holds a secret: the log shows @shown instead, and the write
 * buffer is wiped after it is sent. The buffer is preallocated for this, so
 * appending never moves the secret to a new block and frees the old one
 * unwiped. */
static void
queue_secret (SinglySmtpSession *self,
              const char        *line,
              const char        *shown)
{
  g_debug ("smtp: > %s", shown);
  self->wbuf_secret = TRUE;
  g_string_append (self->wbuf, line);
  g_string_append_len (self->wbuf, "\r\n", 2);
}

/* Sends what is queued.
 * Errors: CONNECTION_LOST, TIMEOUT, G_IO_ERROR_CANCELLED. */
static gboolean
flush_queue (SinglySmtpSession  *self,
             gsize              *written,
             GCancellable       *cancellable,
             GError            **error)
{
  gboolean ok;

  if (written != NULL)
    *written = 0;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      clear_write_buffer (self);
      return FALSE;
    }
  ok = conn_write_all (self, self->wbuf->str, self->wbuf->len, written, cancellable, error);
  clear_write_buffer (self);
  return ok;
}

/* Sends one command and reads its reply: the lockstep case.
 * Errors: those of flush_queue() and read_reply(). */
static SinglySmtpReply *
command (SinglySmtpSession  *self,
         const char         *line,
         GCancellable       *cancellable,
         GError            **error)
{
  queue_command (self, line);
  if (!flush_queue (self, NULL, cancellable, error))
    return NULL;
  return read_reply (self, cancellable, error);
}

/* A 421 may come at any point (RFC 5321 §3.8): the server is closing, so no
 * RSET and no QUIT, just drop and let the caller come back later.
 * Returns: TRUE (and sets @error) when @reply is a 421. */
static gboolean
handle_421 (SinglySmtpSession      *self,
            const SinglySmtpReply  *reply,
            GError                **error)
{
  g_autofree char *shown = NULL;

  if (reply->code != 421)
    return FALSE;
  shown = format_reply (reply);
  drop_connection (self);
  if (singly_smtp_reply_is_account_level (reply))
    g_set_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_ACCOUNT_REFUSED,
                 _("The server refuses to take more mail from this account for now: %s"), shown);
  else
    g_set_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_SERVICE_UNAVAILABLE,
                 _("The server is not available right now: %s"), shown);
  return TRUE;
}

static void
set_reply_error (GError                **error,
                 SinglySmtpError         code,
                 const char             *what,
                 const SinglySmtpReply  *reply)
{
  g_autofree char *shown = format_reply (reply);

  g_set_error (error, SINGLY_SMTP_ERROR, code, "%s: %s", what, shown);
}

/* Reads the greeting.
 * Errors: SERVICE_UNAVAILABLE (4xx), REJECTED (5xx), those of read_reply(). */
static gboolean
read_greeting (SinglySmtpSession  *self,
               GCancellable       *cancellable,
               GError            **error)
{
  g_autoptr(SinglySmtpReply) reply = NULL;

  set_state (self, SMTP_STATE_GREETING);
  reply = read_reply (self, cancellable, error);
  if (reply == NULL || handle_421 (self, reply, error))
    return FALSE;
  if (reply_is (reply, 2))
    return TRUE;
  if (reply_is (reply, 4))
    set_reply_error (error, SINGLY_SMTP_ERROR_SERVICE_UNAVAILABLE,
                     _("The server is not available right now"), reply);
  else
    set_reply_error (error, SINGLY_SMTP_ERROR_REJECTED,
                     _("The server refused the connection"), reply);
  return FALSE;
}

static void
parse_extensions (SinglySmtpSession     *self,
                  const SinglySmtpReply *reply)
{
  g_auto(GStrv) lines = g_strsplit (reply->text, "\n", -1);
  g_autoptr(GPtrArray) mechanisms = g_ptr_array_new_with_free_func (g_free);
  guint i;

  /* the first line is the server's name, the rest are keywords; a bare
   * "250" splits into no lines at all, not one empty line */
  for (i = 1; lines[0] != NULL && lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      gsize keyword_len = strcspn (line, " =");
      const char *params = line + keyword_len;

      while (*params == ' ' || *params == '=')
        params++;

#define IS_KEYWORD(k) (keyword_len == strlen (k) && g_ascii_strncasecmp (line, k, keyword_len) == 0)
      if (IS_KEYWORD ("SIZE"))
        {
          self->extensions |= SINGLY_SMTP_EXTENSION_SIZE;
          self->max_size = g_ascii_strtoull (params, NULL, 10);
        }
      else if (IS_KEYWORD ("PIPELINING"))
        self->extensions |= SINGLY_SMTP_EXTENSION_PIPELINING;
      else if (IS_KEYWORD ("8BITMIME"))
        self->extensions |= SINGLY_SMTP_EXTENSION_8BITMIME;
      else if (IS_KEYWORD ("SMTPUTF8"))
        self->extensions |= SINGLY_SMTP_EXTENSION_SMTPUTF8;
      else if (IS_KEYWORD ("DSN"))
        self->extensions |= SINGLY_SMTP_EXTENSION_DSN;
      else if (IS_KEYWORD ("ENHANCEDSTATUSCODES"))
        self->extensions |= SINGLY_SMTP_EXTENSION_ENHANCEDSTATUSCODES;
      else if (IS_KEYWORD ("STARTTLS"))
        self->extensions |= SINGLY_SMTP_EXTENSION_STARTTLS;
      else if (IS_KEYWORD ("AUTH"))
        {
          /* "AUTH=" is the pre-RFC 4954 form some old servers still send */
          g_auto(GStrv) words = g_strsplit (params, " ", -1);
          guint j;

          self->extensions |= SINGLY_SMTP_EXTENSION_AUTH;
          for (j = 0; words[j] != NULL; j++)
            if (words[j][0] != '\0')
              g_ptr_array_add (mechanisms, g_ascii_strup (words[j], -1));
        }
#undef IS_KEYWORD
    }

  g_clear_pointer (&self->auth_mechanisms, g_strfreev);
  g_ptr_array_add (mechanisms, NULL);
  self->auth_mechanisms = (GStrv) g_ptr_array_free (g_steal_pointer (&mechanisms), FALSE);
}

/* EHLO, or HELO when EHLO is refused with 5xx (RFC 5321 §3.2).
 * Errors: SERVICE_UNAVAILABLE, REJECTED, those of command(). */
static gboolean
say_ehlo (SinglySmtpSession  *self,
          GCancellable       *cancellable,
          GError            **error)
{
  g_autoptr(SinglySmtpReply) reply = NULL;
  g_autofree char *line = NULL;
  const char *name = self->helo_name ? self->helo_name : self->local_literal;

  forget_extensions (self);
  set_state (self, SMTP_STATE_EHLO);
  line = g_strdup_printf ("EHLO %s", name);
  reply = command (self, line, cancellable, error);
  if (reply == NULL || handle_421 (self, reply, error))
    return FALSE;
  self->greeted = TRUE;
  if (reply_is (reply, 2))
    {
      parse_extensions (self, reply);
      return TRUE;
    }
  if (reply_is (reply, 4))
    {
      set_reply_error (error, SINGLY_SMTP_ERROR_SERVICE_UNAVAILABLE,
                       _("The server is not available right now"), reply);
      return FALSE;
    }

  set_state (self, SMTP_STATE_HELO);
  g_clear_pointer (&reply, singly_smtp_reply_free);
  g_free (line);
  line = g_strdup_printf ("HELO %s", name);
  reply = command (self, line, cancellable, error);
  if (reply == NULL || handle_421 (self, reply, error))
    return FALSE;
  if (reply_is (reply, 2))
    return TRUE;
  set_reply_error (error,
                   reply_is (reply, 4) ? SINGLY_SMTP_ERROR_SERVICE_UNAVAILABLE : SINGLY_SMTP_ERROR_REJECTED,
                   _("The server refused the greeting"), reply);
  return FALSE;
}

/* Anything the server sent that nobody asked for: in the read buffer, in
 * OpenSSL's, or waiting on the socket. */
static gboolean
unsolicited_data (SinglySmtpSession *self)
{
  char c;

  if (self->rpos < self->rlen)
    return TRUE;
  if (self->ssl != NULL && SSL_pending (self->ssl) > 0)
    return TRUE;
  return self->ssl == NULL && recv (self->fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) > 0;
}

/* STARTTLS (RFC 3207), the handshake, and EHLO again over TLS.
 * Errors: STARTTLS_UNAVAILABLE (not offered, or refused), PROTOCOL
 *   (response injection), those of tls_handshake() and say_ehlo(). */
static gboolean
say_starttls (SinglySmtpSession  *self,
              GCancellable       *cancellable,
              GError            **error)
{
  g_autoptr(SinglySmtpReply) reply = NULL;

  if (!(self->extensions & SINGLY_SMTP_EXTENSION_STARTTLS))
    {
      g_set_error_literal (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_STARTTLS_UNAVAILABLE,
                           _("The server does not offer STARTTLS, so the connection cannot be encrypted"));
      return FALSE;
    }

  set_state (self, SMTP_STATE_STARTTLS);
  reply = command (self, "STARTTLS", cancellable, error);
  if (reply == NULL || handle_421 (self, reply, error))
    return FALSE;
  if (reply->code != 220)
    {
      set_reply_error (error, SINGLY_SMTP_ERROR_STARTTLS_UNAVAILABLE,
                       _("The server refused STARTTLS"), reply);
      return FALSE;
    }

  /* The TLS client speaks first, so any byte here was sent before the
   * handshake and would be read as if it came over TLS (CVE-2011-0411). */
  if (unsolicited_data (self))
    {
      g_set_error_literal (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_PROTOCOL,
                           _("The server sent more data right after agreeing to STARTTLS; "
                             "someone may be tampering with the connection"));
      return FALSE;
    }

  if (!tls_handshake (self, cancellable, error))
    return FALSE;

  /* RFC 3207 §4.2: forget everything learned in plaintext */
  self->greeted = FALSE;
  return say_ehlo (self, cancellable, error);
}

static const char *
choose_mechanism (SinglySmtpSession *self)
{
  static const char * const names[] = {
    [SINGLY_SMTP_AUTH_PLAIN] = "PLAIN",
    [SINGLY_SMTP_AUTH_LOGIN] = "LOGIN",
    [SINGLY_SMTP_AUTH_XOAUTH2] = "XOAUTH2",
  };
  const char * const *offered = (const char * const *) self->auth_mechanisms;

  if (offered == NULL)
    return NULL;
  if (self->auth != SINGLY_SMTP_AUTH_AUTO)
    return g_strv_contains (offered, names[self->auth]) ? names[self->auth] : NULL;
  if (g_strv_contains (offered, "PLAIN"))
    return "PLAIN";
  if (g_strv_contains (offered, "LOGIN"))
    return "LOGIN";
  return NULL;
}

/* AUTH (RFC 4954) with the mechanism chosen from what the server offers now
 * (after TLS). The secret is asked for here and wiped once encoded.
 * Errors: AUTH_NOT_ALLOWED (plaintext to a non-loopback server),
 *   AUTH_UNAVAILABLE, AUTH (refused), SERVICE_UNAVAILABLE (4xx), PROTOCOL
 *   (an endless exchange), the secret function's, those of command(). */
static gboolean
authenticate (SinglySmtpSession  *self,
              GCancellable       *cancellable,
              GError            **error)
{
  g_autoptr(SecretString) secret = NULL;
  g_autoptr(SecretString) first = NULL;
  g_autoptr(SecretString) response0 = NULL;
  g_autoptr(SecretString) response1 = NULL;
  const char *responses[2] = { NULL, NULL };
  g_autofree char *shown = NULL;
  guint n_responses = 0;
  guint next_response = 0;
  guint rounds;
  const char *mechanism;
  gsize user_len;

  if (self->user == NULL)
    return TRUE;

  if (self->ssl == NULL && !self->peer_is_loopback)
    {
      g_set_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_AUTH_NOT_ALLOWED,
                   _("The password will not be sent to %s over an unencrypted connection; "
                     "choose STARTTLS or TLS"), self->host);
      return FALSE;
    }

  mechanism = choose_mechanism (self);
  if (mechanism == NULL)
    {
      g_set_error_literal (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_AUTH_UNAVAILABLE,
                           self->auth == SINGLY_SMTP_AUTH_AUTO
                           ? _("The server offers no way to log in that Singly supports")
                           : _("The server does not offer the chosen way to log in"));
      return FALSE;
    }

  if (self->secret_func != NULL)
    {
      GError *local_error = NULL;

      secret = self->secret_func (self->secret_data, &local_error);
      if (secret == NULL && local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
    }
  if (secret == NULL)
    {
      g_set_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_AUTH,
                   _("There is no password for %s"), self->user);
      return FALSE;
    }

  user_len = strlen (self->user);
  if (g_str_equal (mechanism, "PLAIN"))
    {
      /* RFC 4616: authzid NUL authcid NUL passwd */
      gsize secret_len = strlen (secret);
      gsize raw_len = 1 + user_len + 1 + secret_len;
      g_autoptr(SecretString) raw = g_malloc0 (raw_len + 1);
      g_autoptr(SecretString) encoded = NULL;

      memcpy (raw + 1, self->user, user_len);
      memcpy (raw + 2 + user_len, secret, secret_len);
      encoded = secret_base64 (raw, raw_len);
      OPENSSL_cleanse (raw, raw_len);
      first = g_strconcat ("AUTH PLAIN ", encoded, NULL);
      shown = g_strdup ("AUTH PLAIN ****");
    }
  else if (g_str_equal (mechanism, "LOGIN"))
    {
      first = g_strdup ("AUTH LOGIN");
      shown = g_strdup ("AUTH LOGIN");
      response0 = secret_base64 (self->user, user_len);
      response1 = secret_base64 (secret, strlen (secret));
      responses[0] = response0;
      responses[1] = response1;
      n_responses = 2;
    }
  else
    {
      /* g_strconcat() copies with memcpy, leaving no stray formatted copies */
      g_autoptr(SecretString) raw = g_strconcat ("user=", self->user, "\001auth=Bearer ", secret, "\001\001", NULL);
      g_autoptr(SecretString) encoded = secret_base64 (raw, strlen (raw));

      first = g_strconcat ("AUTH XOAUTH2 ", encoded, NULL);
      shown = g_strdup ("AUTH XOAUTH2 ****");
      /* on failure the server sends a JSON error as a 334 challenge and
       * waits for an empty line before its final 5xx */
      responses[0] = "";
      n_responses = 1;
    }
  g_clear_pointer (&secret, secret_string_free);

  set_state (self, SMTP_STATE_AUTH);
  queue_secret (self, first, shown);
  if (!flush_queue (self, NULL, cancellable, error))
    return FALSE;

  /* one 334 per response we have, one more answered with "*" to cancel
   * (RFC 4954 §4), and that is all: a server that keeps asking is stuck */
  for (rounds = 0; ; rounds++)
    {
      g_autoptr(SinglySmtpReply) reply = read_reply (self, cancellable, error);

      if (reply == NULL || handle_421 (self, reply, error))
        return FALSE;
      if (reply->code == 334)
        {
          if (rounds > n_responses)
            {
              g_set_error_literal (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_PROTOCOL,
                                   _("The server keeps asking for more during login"));
              return FALSE;
            }
          if (next_response < n_responses)
            queue_secret (self, responses[next_response++], "****");
          else
            queue_command (self, "*");
          if (!flush_queue (self, NULL, cancellable, error))
            return FALSE;
          continue;
        }
      if (reply_is (reply, 2))
        return TRUE;
      if (reply_is (reply, 4))
        set_reply_error (error, SINGLY_SMTP_ERROR_SERVICE_UNAVAILABLE,
                         _("The server could not check the login right now"), reply);
      else if (reply_is (reply, 5))
        set_reply_error (error, SINGLY_SMTP_ERROR_AUTH,
                         _("The server refused the login"), reply);
      else
        set_reply_error (error, SINGLY_SMTP_ERROR_PROTOCOL,
                         _("The server answered the login unexpectedly"), reply);
      return FALSE;
    }
}

/* Transactions */

static Transaction *
transaction_new (SinglySmtpSession       *self,
                 const SinglySmtpMessage *message)
{
  Transaction *txn = g_new0 (Transaction, 1);
  guint i;

  txn->message = message;
  txn->result = g_new0 (SinglySmtpResult, 1);
  txn->result->status = SINGLY_SMTP_STATUS_TEMPORARY;
  txn->result->stage = SINGLY_SMTP_STAGE_NONE;
  txn->result->rcpt_replies = g_ptr_array_new_with_free_func ((GDestroyNotify) singly_smtp_reply_free);
  txn->size = message->data != NULL ? g_bytes_get_size (message->data) : 0;

  /* refusals decided here cost nothing on the wire */
  txn->need_utf8 = message->smtputf8 || (message->mail_from != NULL && !is_ascii (message->mail_from));
  for (i = 0; i < message->n_rcpts; i++)
    if (message->rcpts[i] != NULL && !is_ascii (message->rcpts[i]))
      txn->need_utf8 = TRUE;

  if (message->mail_from == NULL || message->n_rcpts == 0 || message->rcpts == NULL || message->data == NULL)
    txn->result->detail = g_strdup (_("The message has no sender, recipient or content"));
  else if (!address_fits_wire (message->mail_from))
    txn->result->detail = g_strdup (_("The sender address contains characters that cannot be sent"));
  else
    {
      for (i = 0; i < message->n_rcpts; i++)
        if (message->rcpts[i] == NULL || message->rcpts[i][0] == '\0' || !address_fits_wire (message->rcpts[i]))
          {
            txn->result->detail = g_strdup (_("A recipient address contains characters that cannot be sent"));
            break;
          }
    }
  if (txn->result->detail == NULL && txn->need_utf8 &&
      !(self->extensions & SINGLY_SMTP_EXTENSION_SMTPUTF8))
    txn->result->detail = g_strdup (_("The message needs international address support (SMTPUTF8), "
                                      "which the server does not offer"));
  if (txn->result->detail == NULL && self->max_size > 0 && txn->size > self->max_size)
    {
      /* "10.5 MB (10,485,761 bytes)": the exact figures, when they are close */
      g_autofree char *size = g_format_size_full (txn->size, G_FORMAT_SIZE_LONG_FORMAT);
      g_autofree char *max_size = g_format_size_full (self->max_size, G_FORMAT_SIZE_LONG_FORMAT);

      txn->result->detail = g_strdup_printf (_("The message (%s) is larger than the server accepts (%s)"),
                                             size, max_size);
    }
  if (txn->result->detail != NULL)
    {
      txn->result->status = SINGLY_SMTP_STATUS_PERMANENT;
      txn->decided = TRUE;
    }
  return txn;
}

static void
transaction_free (Transaction *txn)
{
  if (txn->result != NULL)
    singly_smtp_result_free (txn->result);
  g_free (txn);
}

/* Decides @txn's result unless already decided. @reply is copied. */
static void
transaction_decide (Transaction           *txn,
                    SinglySmtpStatus       status,
                    SinglySmtpStage        stage,
                    const SinglySmtpReply *reply,
                    const char            *detail)
{
  if (txn->decided)
    return;
  txn->decided = TRUE;
  txn->result->status = status;
  txn->result->stage = stage;
  if (reply != NULL)
    txn->result->reply = singly_smtp_reply_copy (reply);
  if (detail != NULL)
    txn->result->detail = g_strdup (detail);
}

static SinglySmtpStatus
status_for_reply (const SinglySmtpReply *reply)
{
  return reply_is (reply, 4) ? SINGLY_SMTP_STATUS_TEMPORARY : SINGLY_SMTP_STATUS_PERMANENT;
}

/* The connection failed while @txn was in flight: before the final dot was
 * written the message cannot have been delivered, after it nobody knows. */
static void
transaction_lost (Transaction      *txn,
                  SinglySmtpStage   stage,
                  gboolean          dot_written,
                  const GError     *error)
{
  g_autofree char *detail = NULL;

  if (dot_written)
    detail = g_strdup_printf (_("The connection was lost after the message was sent and before "
                                "the server confirmed it, so it may or may not have been "
                                "delivered (%s)"), error->message);
  else
    detail = g_strdup (error->message);
  transaction_decide (txn,
                      dot_written ? SINGLY_SMTP_STATUS_UNKNOWN : SINGLY_SMTP_STATUS_TEMPORARY,
                      stage, NULL, detail);
}

static SinglySmtpStage
stage_of_state (SmtpState state)
{
  switch (state)
    {
    case SMTP_STATE_RCPT:
      return SINGLY_SMTP_STAGE_RCPT;
    case SMTP_STATE_DATA:
    case SMTP_STATE_BODY:
      return SINGLY_SMTP_STAGE_DATA;
    case SMTP_STATE_DOT:
      return SINGLY_SMTP_STAGE_DOT;
    default:
      return SINGLY_SMTP_STAGE_MAIL;
    }
}

static void
queue_mail (SinglySmtpSession *self,
            Transaction       *txn)
{
  const SinglySmtpMessage *message = txn->message;
  g_autoptr(GString) line = g_string_new (NULL);
  gboolean dsn = self->request_dsn && (self->extensions & SINGLY_SMTP_EXTENSION_DSN);

  g_string_printf (line, "MAIL FROM:<%s>", message->mail_from);
  if (self->extensions & SINGLY_SMTP_EXTENSION_SIZE)
    g_string_append_printf (line, " SIZE=%" G_GSIZE_FORMAT, txn->size);
  if (message->eight_bit && (self->extensions & SINGLY_SMTP_EXTENSION_8BITMIME))
    g_string_append (line, " BODY=8BITMIME");
  if (txn->need_utf8)
    g_string_append (line, " SMTPUTF8");
  if (dsn)
    {
      g_string_append (line, " RET=HDRS");
      if (message->envid != NULL && message->envid[0] != '\0')
        {
          g_autofree char *envid = singly_smtp_xtext_encode (message->envid);

          g_string_append_printf (line, " ENVID=%s", envid);
        }
    }
  queue_command (self, line->str);
}

static void
queue_rcpt (SinglySmtpSession *self,
            const char        *rcpt)
{
  g_autoptr(GString) line = g_string_new (NULL);

  g_string_printf (line, "RCPT TO:<%s>", rcpt);
  if (self->request_dsn && (self->extensions & SINGLY_SMTP_EXTENSION_DSN))
    {
      g_autofree char *orcpt = orcpt_value (rcpt);

      g_string_append_printf (line, " NOTIFY=FAILURE,DELAY ORCPT=%s", orcpt);
    }
  queue_command (self, line->str);
}

/* Queues the envelope: MAIL alone in lockstep, or MAIL, every RCPT and
 * DATA as one group with PIPELINING (RFC 2920 §3.1). */
static void
queue_envelope (SinglySmtpSession *self,
                Transaction       *txn)
{
  guint i;

  txn->envelope_sent = TRUE;
  queue_mail (self, txn);
  if (!(self->extensions & SINGLY_SMTP_EXTENSION_PIPELINING))
    return;
  for (i = 0; i < txn->message->n_rcpts; i++)
    queue_rcpt (self, txn->message->rcpts[i]);
  queue_command (self, "DATA");
}

/* Reads one envelope reply, sending the command first in lockstep.
 * Returns: (transfer full): the reply, or NULL with @error for a
 *   connection-level failure (421 included; the connection is then gone).
 * Errors: SERVICE_UNAVAILABLE, ACCOUNT_REFUSED, PROTOCOL (an impossible
 *   code), those of command(). */
static SinglySmtpReply *
envelope_reply (SinglySmtpSession  *self,
                Transaction        *txn,
                const char         *lockstep_line,
                SinglySmtpStage     stage,
                GCancellable       *cancellable,
                GError            **error)
{
  g_autoptr(SinglySmtpReply) reply = NULL;

  if (lockstep_line != NULL)
    queue_command (self, lockstep_line);
  if (lockstep_line != NULL && !flush_queue (self, NULL, cancellable, error))
    return NULL;
  reply = read_reply (self, cancellable, error);
  if (reply == NULL)
    return NULL;
  if (reply->code == 421)
    {
      transaction_decide (txn, SINGLY_SMTP_STATUS_TEMPORARY, stage, reply, NULL);
      handle_421 (self, reply, error);
      return NULL;
    }
  if (!(reply_is (reply, 2) || reply_is (reply, 4) || reply_is (reply, 5) ||
        (stage == SINGLY_SMTP_STAGE_DATA && reply->code == 354)) ||
      (stage == SINGLY_SMTP_STAGE_DATA && reply_is (reply, 2)))
    {
      set_reply_error (error, SINGLY_SMTP_ERROR_PROTOCOL,
                       _("The server answered with an unexpected code"), reply);
      return NULL;
    }
  return g_steal_pointer (&reply);
}

/* MAIL, RCPT and DATA replies, read in order (and, in lockstep, each
 * command sent only when the last one succeeded). On return with TRUE,
 * txn->data_ok says whether the data may follow; otherwise the result is
 * decided.
 * Errors: those of envelope_reply(); the connection is then unusable. */
static gboolean
read_envelope (SinglySmtpSession  *self,
               Transaction        *txn,
               GCancellable       *cancellable,
               GError            **error)
{
  const SinglySmtpMessage *message = txn->message;
  gboolean pipelined = (self->extensions & SINGLY_SMTP_EXTENSION_PIPELINING) != 0;
  g_autoptr(SinglySmtpReply) mail = NULL;
  g_autoptr(SinglySmtpReply) data = NULL;
  const SinglySmtpReply *first_failure = NULL;
  const SinglySmtpReply *first_temporary = NULL;
  guint i;

  set_state (self, SMTP_STATE_MAIL);
  mail = envelope_reply (self, txn, NULL, SINGLY_SMTP_STAGE_MAIL, cancellable, error);
  if (mail == NULL)
    return FALSE;
  txn->mail_ok = reply_is (mail, 2);
  if (!txn->mail_ok && !pipelined)
    {
      transaction_decide (txn, status_for_reply (mail), SINGLY_SMTP_STAGE_MAIL, mail, NULL);
      return TRUE;
    }

  set_state (self, SMTP_STATE_RCPT);
  for (i = 0; i < message->n_rcpts; i++)
    {
      SinglySmtpReply *rcpt;

      if (!pipelined)
        {
          queue_rcpt (self, message->rcpts[i]);
          if (!flush_queue (self, NULL, cancellable, error))
            return FALSE;
        }
      rcpt = envelope_reply (self, txn, NULL, SINGLY_SMTP_STAGE_RCPT, cancellable, error);
      if (rcpt == NULL)
        return FALSE;
      g_ptr_array_add (txn->result->rcpt_replies, rcpt);
      if (reply_is (rcpt, 2))
        txn->n_accepted++;
      else
        {
          if (first_failure == NULL)
            first_failure = rcpt;
          if (first_temporary == NULL && reply_is (rcpt, 4))
            first_temporary = rcpt;
        }
    }

  if (!pipelined && txn->n_accepted == 0)
    {
      const SinglySmtpReply *decisive = first_temporary ? first_temporary : first_failure;

      g_assert (decisive != NULL);
      transaction_decide (txn, status_for_reply (decisive), SINGLY_SMTP_STAGE_RCPT, decisive, NULL);
      return TRUE;
    }

  set_state (self, SMTP_STATE_DATA);
  data = envelope_reply (self, txn, pipelined ? NULL : "DATA", SINGLY_SMTP_STAGE_DATA,
                         cancellable, error);
  if (data == NULL)
    return FALSE;

  if (!txn->mail_ok)
    transaction_decide (txn, status_for_reply (mail), SINGLY_SMTP_STAGE_MAIL, mail, NULL);
  else if (txn->n_accepted == 0)
    {
      const SinglySmtpReply *decisive = first_temporary ? first_temporary : first_failure;

      g_assert (decisive != NULL);
      transaction_decide (txn, status_for_reply (decisive), SINGLY_SMTP_STAGE_RCPT, decisive, NULL);
    }
  else if (data->code != 354)
    transaction_decide (txn, status_for_reply (data), SINGLY_SMTP_STAGE_DATA, data, NULL);

  if (data->code == 354 && txn->decided)
    {
      /* RFC 2920 §3.1: a server that took DATA with nobody to deliver to
       * gets an empty message, which it must refuse */
      g_autoptr(SinglySmtpReply) dot = NULL;

      set_state (self, SMTP_STATE_DOT);
      queue_command (self, ".");
      if (!flush_queue (self, NULL, cancellable, error))
        return FALSE;
      dot = read_reply (self, cancellable, error);
      if (dot == NULL || handle_421 (self, dot, error))
        return FALSE;
      return TRUE;
    }

  txn->data_ok = data->code == 354;
  return TRUE;
}

/* Sends RSET after a failed transaction so the connection can be reused.
 * Errors: PROTOCOL (RSET refused), those of command() and handle_421(). */
static gboolean
say_rset (SinglySmtpSession  *self,
          GCancellable       *cancellable,
          GError            **error)
{
  g_autoptr(SinglySmtpReply) reply = NULL;

  set_state (self, SMTP_STATE_RSET);
  reply = command (self, "RSET", cancellable, error);
  if (reply == NULL || handle_421 (self, reply, error))
    return FALSE;
  if (!reply_is (reply, 2))
    {
      set_reply_error (error, SINGLY_SMTP_ERROR_PROTOCOL, _("The server refused RSET"), reply);
      return FALSE;
    }
  set_state (self, SMTP_STATE_READY);
  return TRUE;
}

/* Streams the message data with CRLF line ends and dot-stuffing (RFC 5321
 * §4.5.2), in chunks of at most SMTP_WRITE_CHUNK; the last chunk stays
 * queued so the final dot can go in the same write.
 * Errors: those of flush_queue(). */
static gboolean
write_data (SinglySmtpSession  *self,
            GBytes             *bytes,
            GCancellable       *cancellable,
            GError            **error)
{
  gsize len;
  const char *p = g_bytes_get_data (bytes, &len);
  const char *end = p + len;
  gboolean line_start = TRUE;

  set_state (self, SMTP_STATE_BODY);
  g_debug ("smtp: > [message data, %" G_GSIZE_FORMAT " bytes]", len);

  while (p < end)
    {
      const char *eol = p;

      if (line_start && *p == '.')
        g_string_append_c (self->wbuf, '.');
      line_start = FALSE;

      while (eol < end && *eol != '\r' && *eol != '\n')
        eol++;

      /* a long line is cut into chunks, never into a bigger buffer */
      while (p < eol)
        {
          gsize room = SMTP_WRITE_CHUNK - MIN (self->wbuf->len, SMTP_WRITE_CHUNK);
          gsize n = MIN (room, (gsize) (eol - p));

          g_string_append_len (self->wbuf, p, (gssize) n);
          p += n;
          if (self->wbuf->len >= SMTP_WRITE_CHUNK && !flush_queue (self, NULL, cancellable, error))
            return FALSE;
        }

      if (p < end)
        {
          /* CRLF, a bare CR or a bare LF: each is one line end, sent as CRLF */
          p += (*p == '\r' && p + 1 < end && p[1] == '\n') ? 2 : 1;
          g_string_append_len (self->wbuf, "\r\n", 2);
          line_start = TRUE;
          if (self->wbuf->len >= SMTP_WRITE_CHUNK && !flush_queue (self, NULL, cancellable, error))
            return FALSE;
        }
    }
  if (!line_start)
    g_string_append_len (self->wbuf, "\r\n", 2);
  return TRUE;
}

/* Before the dot: a server that has already answered (or gone) while we
 * sent the data would take our dot as the start of a new command or never
 * see it; either way this message cannot be sent here.
 * Returns: TRUE when nothing came.
 * Errors: CONNECTION_LOST (the reply is then in @txn), those of
 *   read_reply(). */
static gboolean
check_early_reply (SinglySmtpSession  *self,
                   Transaction        *txn,
                   GCancellable       *cancellable,
                   GError            **error)
{
  g_autoptr(SinglySmtpReply) reply = NULL;
  g_autofree char *shown = NULL;

  if (self->rpos == self->rlen)
    {
      gssize n = conn_read (self, self->rbuf, sizeof self->rbuf, FALSE, cancellable, error);

      if (n == -2)
        return TRUE;
      if (n < 0)
        return FALSE;
      if (n == 0)
        {
          g_set_error_literal (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_CONNECTION_LOST,
                               _("The server closed the connection before the end of the message"));
          return FALSE;
        }
      self->rpos = 0;
      self->rlen = (gsize) n;
    }

  reply = read_reply (self, cancellable, error);
  if (reply == NULL)
    return FALSE;
  transaction_decide (txn, status_for_reply (reply), SINGLY_SMTP_STAGE_DATA, reply, NULL);
  shown = format_reply (reply);
  g_set_error (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_CONNECTION_LOST,
               _("The server answered before the end of the message: %s"), shown);
  return FALSE;
}

/* Open */

static gboolean
open_session (SinglySmtpSession  *self,
              GCancellable       *cancellable,
              GError            **error)
{
  if (!connect_socket (self, cancellable, error))
    return FALSE;

  if (self->security == SINGLY_SECURITY_TLS && !tls_handshake (self, cancellable, error))
    return FALSE;

  if (!read_greeting (self, cancellable, error) ||
      !say_ehlo (self, cancellable, error))
    return FALSE;

  if (self->security == SINGLY_SECURITY_STARTTLS && !say_starttls (self, cancellable, error))
    return FALSE;

  if (!authenticate (self, cancellable, error))
    return FALSE;

  set_state (self, SMTP_STATE_READY);
  return TRUE;
}

/* GObject */

static void
singly_smtp_session_finalize (GObject *object)
{
  SinglySmtpSession *self = SINGLY_SMTP_SESSION (object);

  drop_connection (self);
  g_clear_pointer (&self->ssl_ctx, SSL_CTX_free);
  forget_extensions (self);
  g_free (self->host);
  g_free (self->ca_file);
  g_free (self->pinned_sha256);
  g_free (self->user);
  g_free (self->helo_name);
  g_free (self->local_literal);
  g_free (self->peer_fingerprint);
  g_string_free (self->wbuf, TRUE);

  G_OBJECT_CLASS (singly_smtp_session_parent_class)->finalize (object);
}

static void
singly_smtp_session_class_init (SinglySmtpSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = singly_smtp_session_finalize;
}

static void
singly_smtp_session_init (SinglySmtpSession *self)
{
  self->fd = -1;
  self->state = SMTP_STATE_DISCONNECTED;
  /* room for the largest AUTH line, so a secret is never reallocated */
  self->wbuf = g_string_sized_new (SMTP_WRITE_CHUNK + SMTP_MAX_LINE * 4);
}

/* Public API */

/**
 * singly_smtp_session_new:
 * @config: the server and account; copied
 *
 * Creates a session; nothing happens on the network until
 * singly_smtp_session_open().
 *
 * Returns: (transfer full): a new session
 */
SinglySmtpSession *
singly_smtp_session_new (const SinglySmtpConfig *config)
{
  SinglySmtpSession *self;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (config->host != NULL && config->host[0] != '\0', NULL);

  self = g_object_new (SINGLY_TYPE_SMTP_SESSION, NULL);
  self->host = g_strdup (config->host);
  self->security = config->security;
  self->port = config->port;
  if (self->port == 0)
    self->port = config->security == SINGLY_SECURITY_TLS ? 465
               : config->security == SINGLY_SECURITY_STARTTLS ? 587 : 25;
  self->ca_file = g_strdup (config->ca_file);
  self->pinned_sha256 = g_strdup (config->pinned_sha256);
  self->user = g_strdup (config->user);
  self->auth = config->auth;
  self->secret_func = config->secret_func;
  self->secret_data = config->secret_data;
  self->before_dot_func = config->before_dot_func;
  self->before_dot_data = config->before_dot_data;
  self->helo_name = g_strdup (config->helo_name);
  self->timeout_ms = config->timeout_ms ? config->timeout_ms : SMTP_DEFAULT_TIMEOUT;
  self->wait_ms = self->timeout_ms;
  self->request_dsn = config->request_dsn;
  return self;
}

/**
 * singly_smtp_session_open:
 * @self: a closed session
 * @cancellable: (nullable): wakes any wait
 * @error: return location for an error
 *
 * Connects (every address of the host in turn), sets up TLS as configured,
 * greets the server and logs in. On failure the connection is closed.
 *
 * Errors: every #SinglySmtpError but ACCOUNT_REFUSED for a 421 that is not
 * account-level; %G_IO_ERROR_CANCELLED; the secret function's own error.
 *
 * Returns: %TRUE when the session is ready to send
 */
gboolean
singly_smtp_session_open (SinglySmtpSession  *self,
                          GCancellable       *cancellable,
                          GError            **error)
{
  g_return_val_if_fail (SINGLY_IS_SMTP_SESSION (self), FALSE);
  g_return_val_if_fail (self->state == SMTP_STATE_DISCONNECTED, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  forget_extensions (self);
  self->greeted = FALSE;
  self->n_sent = 0;
  self->peer_is_loopback = FALSE;
  self->peer_untrusted = FALSE;
  self->wait_ms = self->timeout_ms;
  g_clear_pointer (&self->peer_fingerprint, g_free);

  if (!open_session (self, cancellable, error))
    {
      drop_connection (self);
      return FALSE;
    }
  return TRUE;
}

/**
 * singly_smtp_session_close:
 * @self: a session
 * @cancellable: (nullable): wakes the wait for QUIT's reply
 *
 * Says QUIT when the connection is healthy and between messages (waiting a
 * few seconds at most for the reply), then closes it. Safe on a closed
 * session.
 */
void
singly_smtp_session_close (SinglySmtpSession *self,
                           GCancellable      *cancellable)
{
  g_return_if_fail (SINGLY_IS_SMTP_SESSION (self));

  if (self->state == SMTP_STATE_READY)
    {
      g_autoptr(SinglySmtpReply) reply = NULL;

      set_state (self, SMTP_STATE_QUIT);
      self->wait_ms = MIN (self->timeout_ms, SMTP_QUIT_TIMEOUT);
      reply = command (self, "QUIT", cancellable, NULL);
      if (reply != NULL && self->ssl != NULL)
        {
          ERR_clear_error ();
          SSL_shutdown (self->ssl);
          ERR_clear_error ();
        }
      self->wait_ms = self->timeout_ms;
    }
  drop_connection (self);
}

/**
 * singly_smtp_session_is_open:
 * @self: a session
 *
 * Returns: %TRUE while connected
 */
gboolean
singly_smtp_session_is_open (SinglySmtpSession *self)
{
  g_return_val_if_fail (SINGLY_IS_SMTP_SESSION (self), FALSE);

  return self->state != SMTP_STATE_DISCONNECTED;
}

/**
 * singly_smtp_session_get_extensions:
 * @self: a session
 *
 * Returns: the extensions the server offered in its last EHLO reply (after
 *   TLS when STARTTLS was used)
 */
SinglySmtpExtensions
singly_smtp_session_get_extensions (SinglySmtpSession *self)
{
  g_return_val_if_fail (SINGLY_IS_SMTP_SESSION (self), SINGLY_SMTP_EXTENSION_NONE);

  return self->extensions;
}

/**
 * singly_smtp_session_get_max_size:
 * @self: a session
 *
 * Returns: the SIZE limit in bytes, 0 when there is none or it is unknown
 */
guint64
singly_smtp_session_get_max_size (SinglySmtpSession *self)
{
  g_return_val_if_fail (SINGLY_IS_SMTP_SESSION (self), 0);

  return self->max_size;
}

/**
 * singly_smtp_session_get_n_sent:
 * @self: a session
 *
 * How many messages went out in full (final dot written) on the current
 * (or last) connection, whatever the server then answered: what a
 * provider's per-connection limit counts. It already includes a message
 * whose reply is pending when the #SinglySmtpNextFunc is asked for the
 * next one.
 *
 * Returns: the number of messages sent on this connection
 */
guint
singly_smtp_session_get_n_sent (SinglySmtpSession *self)
{
  g_return_val_if_fail (SINGLY_IS_SMTP_SESSION (self), 0);

  return self->n_sent;
}

/**
 * singly_smtp_session_get_peer_fingerprint:
 * @self: a session
 *
 * The SHA-256 fingerprint of the server's certificate from the last TLS
 * handshake, also when it failed, so the UI can show it and offer to pin it.
 *
 * Returns: (nullable): "AA:BB:…", or %NULL before any certificate was seen
 */
const char *
singly_smtp_session_get_peer_fingerprint (SinglySmtpSession *self)
{
  g_return_val_if_fail (SINGLY_IS_SMTP_SESSION (self), NULL);

  return self->peer_fingerprint;
}

/**
 * singly_smtp_session_get_peer_untrusted:
 * @self: a session
 *
 * Whether the last TLS handshake failed because the server's certificate
 * is not trusted (unknown issuer, self-signed, expired, another name),
 * as opposed to a handshake that failed for another reason. The
 * certificate is then the one singly_smtp_session_get_peer_fingerprint()
 * describes, which the user may choose to pin.
 *
 * Returns: %TRUE when the certificate was refused
 */
gboolean
singly_smtp_session_get_peer_untrusted (SinglySmtpSession *self)
{
  g_return_val_if_fail (SINGLY_IS_SMTP_SESSION (self), FALSE);

  return self->peer_untrusted;
}

typedef struct
{
  const SinglySmtpMessage *message;
  SinglySmtpResult        *result;
} SendOne;

static const SinglySmtpMessage *
send_one_next (gpointer user_data)
{
  SendOne *one = user_data;

  return g_steal_pointer (&one->message);
}

static void
send_one_done (const SinglySmtpMessage *message,
               SinglySmtpResult        *result,
               gpointer                 user_data)
{
  SendOne *one = user_data;

  one->result = result;
}

/**
 * singly_smtp_session_send:
 * @self: an open session
 * @message: the message
 * @result: (out) (transfer full): the message's outcome, set even when the
 *   call fails
 * @cancellable: (nullable): wakes any wait
 * @error: return location for a connection-level error
 *
 * Sends one message; see singly_smtp_session_send_stream().
 *
 * Returns: %TRUE when the connection is still usable; %FALSE with @error
 *   when it was closed
 */
gboolean
singly_smtp_session_send (SinglySmtpSession        *self,
                          const SinglySmtpMessage  *message,
                          SinglySmtpResult        **result,
                          GCancellable             *cancellable,
                          GError                  **error)
{
  SendOne one = { message, NULL };
  gboolean ok;

  g_return_val_if_fail (SINGLY_IS_SMTP_SESSION (self), FALSE);
  g_return_val_if_fail (message != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (self->state == SMTP_STATE_READY, FALSE);

  ok = singly_smtp_session_send_stream (self, send_one_next, send_one_done, &one,
                                        cancellable, error);
  g_assert (one.result != NULL);
  *result = one.result;
  return ok;
}

static void
report (Transaction        **txn,
        SinglySmtpDoneFunc   done_func,
        gpointer             user_data)
{
  Transaction *finished = g_steal_pointer (txn);

  if (finished == NULL)
    return;
  g_assert (finished->decided);
  done_func (finished->message, g_steal_pointer (&finished->result), user_data);
  transaction_free (finished);
}

/**
 * singly_smtp_session_send_stream:
 * @self: an open session
 * @next_func: gives the next message, or %NULL when none is ready now
 * @done_func: takes each message's result, in order
 * @user_data: for both functions
 * @cancellable: (nullable): wakes any wait; checked between steps
 * @error: return location for a connection-level error
 *
 * Sends messages until @next_func returns %NULL, one transaction each: MAIL
 * FROM (with SIZE, BODY=8BITMIME, SMTPUTF8, RET and ENVID as offered and
 * needed), RCPT TO (NOTIFY and ORCPT with DSN), DATA, the data and the
 * final dot. With PIPELINING the envelope is one write and the next
 * message's envelope follows the previous final dot before its reply, so a
 * message costs about one round trip. A failed transaction is followed by
 * RSET and the connection is reused; the final dot is preceded by the
 * config's before-dot function.
 *
 * Every message taken from @next_func is reported to @done_func exactly
 * once, also when the call fails (then as TEMPORARY, or UNKNOWN when its
 * final dot had been written).
 *
 * Errors: SERVICE_UNAVAILABLE or ACCOUNT_REFUSED (421), CONNECTION_LOST,
 *   TIMEOUT, PROTOCOL, %G_IO_ERROR_CANCELLED, the before-dot function's own
 *   error.
 *
 * Returns: %TRUE when @next_func ran dry and the connection is still
 *   usable; %FALSE with @error when the connection was closed
 */
gboolean
singly_smtp_session_send_stream (SinglySmtpSession   *self,
                                 SinglySmtpNextFunc   next_func,
                                 SinglySmtpDoneFunc   done_func,
                                 gpointer             user_data,
                                 GCancellable        *cancellable,
                                 GError             **error)
{
  Transaction *current = NULL;
  Transaction *following = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (SINGLY_IS_SMTP_SESSION (self), FALSE);
  g_return_val_if_fail (next_func != NULL && done_func != NULL, FALSE);
  g_return_val_if_fail (self->state == SMTP_STATE_READY, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  self->wait_ms = self->timeout_ms;

  for (;;)
    {
      g_autoptr(SinglySmtpReply) dot = NULL;
      gsize dot_at, written = 0;

      if (current == NULL)
        {
          const SinglySmtpMessage *message;

          if (g_cancellable_set_error_if_cancelled (cancellable, &local_error))
            goto failed;
          message = next_func (user_data);
          if (message == NULL)
            break;
          current = transaction_new (self, message);
          if (current->decided)
            {
              report (&current, done_func, user_data);
              continue;
            }
          queue_envelope (self, current);
          if (!flush_queue (self, NULL, cancellable, &local_error))
            {
              transaction_lost (current, SINGLY_SMTP_STAGE_MAIL, FALSE, local_error);
              goto failed;
            }
        }

      if (!read_envelope (self, current, cancellable, &local_error))
        {
          transaction_lost (current, stage_of_state (self->state), FALSE, local_error);
          goto failed;
        }

      if (!current->data_ok)
        {
          report (&current, done_func, user_data);
          if (!say_rset (self, cancellable, &local_error))
            goto failed;
          continue;
        }

      if (!write_data (self, current->message->data, cancellable, &local_error) ||
          !check_early_reply (self, current, cancellable, &local_error))
        {
          transaction_lost (current, SINGLY_SMTP_STAGE_DATA, FALSE, local_error);
          goto failed;
        }

      if (self->before_dot_func != NULL &&
          !self->before_dot_func (current->message, self->before_dot_data, &local_error))
        {
          /* Inside DATA only the dot ends the transaction, and it would
           * deliver the message: dropping the connection is the only abort */
          if (local_error == NULL)
            g_set_error_literal (&local_error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_CONNECTION_LOST,
                                 _("The message was abandoned before its end"));
          transaction_lost (current, SINGLY_SMTP_STAGE_DATA, FALSE, local_error);
          goto failed;
        }

      set_state (self, SMTP_STATE_DOT);
      dot_at = self->wbuf->len;
      queue_command (self, ".");
      if (!flush_queue (self, &written, cancellable, &local_error))
        {
          transaction_lost (current, SINGLY_SMTP_STAGE_DOT, written >= dot_at + 3, local_error);
          goto failed;
        }
      /* counted now, not at the reply: with PIPELINING the caller is asked
       * for the next message before that, and its per-connection limit
       * must already see this one */
      self->n_sent++;

      /* RFC 2920 §3.1: message content may open a group, so the next
       * envelope goes out now and its replies queue behind the dot's */
      if ((self->extensions & SINGLY_SMTP_EXTENSION_PIPELINING) &&
          !g_cancellable_is_cancelled (cancellable))
        {
          const SinglySmtpMessage *message = next_func (user_data);

          if (message != NULL)
            {
              following = transaction_new (self, message);
              if (!following->decided)
                {
                  queue_envelope (self, following);
                  if (!flush_queue (self, NULL, cancellable, &local_error))
                    {
                      transaction_lost (current, SINGLY_SMTP_STAGE_DOT, TRUE, local_error);
                      transaction_lost (following, SINGLY_SMTP_STAGE_MAIL, FALSE, local_error);
                      goto failed;
                    }
                }
            }
        }

      dot = read_reply (self, cancellable, &local_error);
      if (dot == NULL)
        {
          transaction_lost (current, SINGLY_SMTP_STAGE_DOT, TRUE, local_error);
          goto failed;
        }
      if (dot->code == 421)
        {
          transaction_decide (current, SINGLY_SMTP_STATUS_TEMPORARY, SINGLY_SMTP_STAGE_DOT, dot, NULL);
          handle_421 (self, dot, &local_error);
          goto failed;
        }
      if (reply_is (dot, 2))
        {
          transaction_decide (current, SINGLY_SMTP_STATUS_SENT, SINGLY_SMTP_STAGE_DOT, dot, NULL);
        }
      else if (reply_is (dot, 4) || reply_is (dot, 5))
        transaction_decide (current, status_for_reply (dot), SINGLY_SMTP_STAGE_DOT, dot, NULL);
      else
        {
          set_reply_error (&local_error, SINGLY_SMTP_ERROR_PROTOCOL,
                           _("The server answered the end of the message with an unexpected code"), dot);
          transaction_lost (current, SINGLY_SMTP_STAGE_DOT, TRUE, local_error);
          goto failed;
        }
      /* the dot's reply ends the transaction either way (RFC 5321
       * §4.1.1.4): no RSET, which would also undo a pipelined envelope */
      report (&current, done_func, user_data);
      set_state (self, SMTP_STATE_READY);

      if (following != NULL)
        {
          if (following->decided)
            report (&following, done_func, user_data);
          else
            current = g_steal_pointer (&following);
        }
    }

  set_state (self, SMTP_STATE_READY);
  return TRUE;

failed:
  g_assert (local_error != NULL);
  drop_connection (self);
  if (current != NULL)
    transaction_lost (current, current->envelope_sent ? SINGLY_SMTP_STAGE_MAIL : SINGLY_SMTP_STAGE_NONE,
                      FALSE, local_error);
  if (following != NULL)
    transaction_lost (following, following->envelope_sent ? SINGLY_SMTP_STAGE_MAIL : SINGLY_SMTP_STAGE_NONE,
                      FALSE, local_error);
  report (&current, done_func, user_data);
  report (&following, done_func, user_data);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/**
 * singly_smtp_reply_copy:
 * @reply: a reply
 *
 * Returns: (transfer full): a copy
 */
SinglySmtpReply *
singly_smtp_reply_copy (const SinglySmtpReply *reply)
{
  SinglySmtpReply *copy;

  g_return_val_if_fail (reply != NULL, NULL);

  copy = g_new0 (SinglySmtpReply, 1);
  copy->code = reply->code;
  copy->enhanced = g_strdup (reply->enhanced);
  copy->text = g_strdup (reply->text);
  return copy;
}

/**
 * singly_smtp_reply_free:
 * @reply: (nullable): a reply
 */
void
singly_smtp_reply_free (SinglySmtpReply *reply)
{
  if (reply == NULL)
    return;
  g_free (reply->enhanced);
  g_free (reply->text);
  g_free (reply);
}

/**
 * singly_smtp_reply_is_account_level:
 * @reply: a reply
 *
 * Tells whether a refusal is about the sending account rather than one
 * recipient or message, so the send job should stop rather than go on
 * with the next recipient: authentication replies (530, 534, 535, and the
 * x.7.8, x.7.9, x.7.11, x.7.13 codes of RFC 4954 and RFC 5248), daily or
 * rate limits (x.4.5 as Gmail sends it, 554 5.2.0 as Outlook's submission
 * limits send it) and a 421 with a policy code (4.7.x: rate or reputation).
 *
 * Returns: %TRUE for an account-level refusal
 */
gboolean
singly_smtp_reply_is_account_level (const SinglySmtpReply *reply)
{
  const char *subject_detail;

  g_return_val_if_fail (reply != NULL, FALSE);

  if (reply->code == 530 || reply->code == 534 || reply->code == 535)
    return TRUE;
  if (reply->enhanced == NULL || reply_is (reply, 2))
    return FALSE;

  subject_detail = reply->enhanced + 1;   /* ".y.z" */
  if (reply->code == 421)
    return g_str_has_prefix (subject_detail, ".7.");
  if (g_str_equal (subject_detail, ".4.5"))
    return TRUE;
  if (reply->code == 554 && g_str_equal (reply->enhanced, "5.2.0"))
    return TRUE;
  return g_str_equal (subject_detail, ".7.8") || g_str_equal (subject_detail, ".7.9") ||
         g_str_equal (subject_detail, ".7.11") || g_str_equal (subject_detail, ".7.13");
}

/**
 * singly_smtp_result_free:
 * @result: (nullable): a result
 */
void
singly_smtp_result_free (SinglySmtpResult *result)
{
  if (result == NULL)
    return;
  singly_smtp_reply_free (result->reply);
  g_clear_pointer (&result->rcpt_replies, g_ptr_array_unref);
  g_free (result->detail);
  g_free (result);
}

/**
 * singly_smtp_address_is_loopback:
 * @address: an IPv4 or IPv6 address
 *
 * Whether @address is on this machine's loopback: 127.0.0.0/8, ::1, or
 * 127.0.0.0/8 mapped into IPv6 (::ffff:127.x.y.z). Decides whether AUTH
 * may go over an unencrypted connection.
 *
 * Returns: %TRUE for a loopback address
 */
gboolean
singly_smtp_address_is_loopback (GInetAddress *address)
{
  const guint8 *bytes;

  g_return_val_if_fail (G_IS_INET_ADDRESS (address), FALSE);

  if (g_inet_address_get_is_loopback (address))
    return TRUE;
  if (g_inet_address_get_family (address) != G_SOCKET_FAMILY_IPV6)
    return FALSE;

  bytes = g_inet_address_to_bytes (address);
  {
    static const guint8 v4_mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

    return memcmp (bytes, v4_mapped, sizeof v4_mapped) == 0 && bytes[12] == 127;
  }
}

/**
 * singly_smtp_xtext_encode:
 * @text: a string
 *
 * Encodes @text as RFC 3461 xtext, as ENVID and ORCPT values need: "!"
 * to "~" stay as they are except "+" and "=", every other octet becomes
 * "+XX".
 *
 * Returns: (transfer full): the xtext
 */
char *
singly_smtp_xtext_encode (const char *text)
{
  GString *out;
  const guchar *p;

  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_sized_new (strlen (text));
  for (p = (const guchar *) text; *p != '\0'; p++)
    {
      if (*p >= '!' && *p <= '~' && *p != '+' && *p != '=')
        g_string_append_c (out, (char) *p);
      else
        g_string_append_printf (out, "+%02X", *p);
    }
  return g_string_free (out, FALSE);
}
