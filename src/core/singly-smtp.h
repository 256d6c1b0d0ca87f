/* singly-smtp.h: a blocking SMTP client session for the send job's worker thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SINGLY_SMTP_ERROR (singly_smtp_error_quark ())

/**
 * SinglySmtpError:
 * @SINGLY_SMTP_ERROR_CONNECT: the host could not be resolved or no address
 *   accepted the connection
 * @SINGLY_SMTP_ERROR_TLS: the TLS handshake failed or the server's
 *   certificate is not trusted (see singly_smtp_session_get_peer_fingerprint())
 * @SINGLY_SMTP_ERROR_PROTOCOL: the server broke the protocol: garbage,
 *   response injection after STARTTLS, a reply line or reply too long, an
 *   endless AUTH exchange, an unexpected reply code
 * @SINGLY_SMTP_ERROR_AUTH: the server refused the credentials (535, 534,
 *   530, or another permanent AUTH failure)
 * @SINGLY_SMTP_ERROR_AUTH_NOT_ALLOWED: AUTH over an unencrypted connection
 *   to a server that is not on loopback; nothing was sent
 * @SINGLY_SMTP_ERROR_AUTH_UNAVAILABLE: a user is configured but the server
 *   offers no usable AUTH mechanism (or not the one asked for)
 * @SINGLY_SMTP_ERROR_STARTTLS_UNAVAILABLE: STARTTLS was required but not
 *   offered, or refused; nothing else was sent in plaintext
 * @SINGLY_SMTP_ERROR_TIMEOUT: a wait for the server took longer than the
 *   configured timeout
 * @SINGLY_SMTP_ERROR_SERVICE_UNAVAILABLE: the server is closing or refused
 *   the session for now (421 at any point, a 4xx greeting); try later
 * @SINGLY_SMTP_ERROR_REJECTED: the server refused the session (a 5xx
 *   greeting, or both EHLO and HELO refused)
 * @SINGLY_SMTP_ERROR_ACCOUNT_REFUSED: a 421 that refuses the account rather
 *   than the moment (see singly_smtp_reply_is_account_level())
 * @SINGLY_SMTP_ERROR_CONNECTION_LOST: the connection closed or broke
 *   unexpectedly
 *
 * Cancellation is reported as %G_IO_ERROR_CANCELLED.
 */
typedef enum
{
  SINGLY_SMTP_ERROR_CONNECT,
  SINGLY_SMTP_ERROR_TLS,
  SINGLY_SMTP_ERROR_PROTOCOL,
  SINGLY_SMTP_ERROR_AUTH,
  SINGLY_SMTP_ERROR_AUTH_NOT_ALLOWED,
  SINGLY_SMTP_ERROR_AUTH_UNAVAILABLE,
  SINGLY_SMTP_ERROR_STARTTLS_UNAVAILABLE,
  SINGLY_SMTP_ERROR_TIMEOUT,
  SINGLY_SMTP_ERROR_SERVICE_UNAVAILABLE,
  SINGLY_SMTP_ERROR_REJECTED,
  SINGLY_SMTP_ERROR_ACCOUNT_REFUSED,
  SINGLY_SMTP_ERROR_CONNECTION_LOST,
} SinglySmtpError;

/**
 * SinglySecurity:
 * @SINGLY_SECURITY_STARTTLS: plaintext connection upgraded with STARTTLS,
 *   which is required (usually port 587)
 * @SINGLY_SECURITY_TLS: TLS from the first byte (usually port 465)
 * @SINGLY_SECURITY_NONE: no encryption, only when asked for; AUTH is then
 *   refused unless the server is on loopback
 */
typedef enum
{
  SINGLY_SECURITY_STARTTLS,
  SINGLY_SECURITY_TLS,
  SINGLY_SECURITY_NONE,
} SinglySecurity;

/**
 * SinglySmtpAuth:
 * @SINGLY_SMTP_AUTH_AUTO: PLAIN if offered, else LOGIN (never XOAUTH2: a
 *   password is not a token)
 * @SINGLY_SMTP_AUTH_PLAIN: RFC 4616
 * @SINGLY_SMTP_AUTH_LOGIN: the old username/password exchange
 * @SINGLY_SMTP_AUTH_XOAUTH2: OAuth 2.0 bearer token (Gmail, Outlook)
 */
typedef enum
{
  SINGLY_SMTP_AUTH_AUTO,
  SINGLY_SMTP_AUTH_PLAIN,
  SINGLY_SMTP_AUTH_LOGIN,
  SINGLY_SMTP_AUTH_XOAUTH2,
} SinglySmtpAuth;

typedef enum
{
  SINGLY_SMTP_EXTENSION_NONE                = 0,
  SINGLY_SMTP_EXTENSION_SIZE                = 1 << 0,
  SINGLY_SMTP_EXTENSION_PIPELINING          = 1 << 1,
  SINGLY_SMTP_EXTENSION_8BITMIME            = 1 << 2,
  SINGLY_SMTP_EXTENSION_SMTPUTF8            = 1 << 3,
  SINGLY_SMTP_EXTENSION_DSN                 = 1 << 4,
  SINGLY_SMTP_EXTENSION_ENHANCEDSTATUSCODES = 1 << 5,
  SINGLY_SMTP_EXTENSION_STARTTLS            = 1 << 6,
  SINGLY_SMTP_EXTENSION_AUTH                = 1 << 7,
} SinglySmtpExtensions;

/**
 * SinglySmtpStatus:
 * @SINGLY_SMTP_STATUS_SENT: the server answered 2xx to the final dot
 * @SINGLY_SMTP_STATUS_TEMPORARY: not sent: a 4xx reply, or the connection
 *   was lost before the final dot was written; retry later
 * @SINGLY_SMTP_STATUS_PERMANENT: not sent: a 5xx reply, or refused before
 *   sending anything (SMTPUTF8 needed but not offered, over the SIZE limit,
 *   an address that cannot go on the wire)
 * @SINGLY_SMTP_STATUS_UNKNOWN: the final dot was written but no reply came
 *   (drop, timeout, cancel): the message may have been delivered and must
 *   not be resent without asking
 */
typedef enum
{
  SINGLY_SMTP_STATUS_SENT,
  SINGLY_SMTP_STATUS_TEMPORARY,
  SINGLY_SMTP_STATUS_PERMANENT,
  SINGLY_SMTP_STATUS_UNKNOWN,
} SinglySmtpStatus;

/**
 * SinglySmtpStage:
 * @SINGLY_SMTP_STAGE_NONE: nothing was sent for this message
 * @SINGLY_SMTP_STAGE_MAIL: MAIL FROM
 * @SINGLY_SMTP_STAGE_RCPT: RCPT TO
 * @SINGLY_SMTP_STAGE_DATA: DATA, or the message data before the final dot
 * @SINGLY_SMTP_STAGE_DOT: the final dot
 *
 * The step whose reply (or failure) decided a message's status.
 */
typedef enum
{
  SINGLY_SMTP_STAGE_NONE,
  SINGLY_SMTP_STAGE_MAIL,
  SINGLY_SMTP_STAGE_RCPT,
  SINGLY_SMTP_STAGE_DATA,
  SINGLY_SMTP_STAGE_DOT,
} SinglySmtpStage;

/**
 * SinglySmtpReply:
 * @code: the three-digit reply code, e.g. 250
 * @enhanced: (nullable): the RFC 3463 enhanced status code ("5.1.1") when
 *   the server gives one
 * @text: the reply text, lines joined with "\n", without codes; valid UTF-8
 *   with control characters replaced
 */
typedef struct
{
  guint  code;
  char  *enhanced;
  char  *text;
} SinglySmtpReply;

/**
 * SinglySmtpResult:
 * @status: what happened to the message
 * @stage: the step that decided @status
 * @reply: (nullable): the server reply that decided @status; %NULL when no
 *   reply did (sent nothing, or the connection was lost)
 * @rcpt_replies: (element-type SinglySmtpReply): the reply to each RCPT TO,
 *   in the message's recipient order, as far as they were answered; a
 *   message is %SINGLY_SMTP_STATUS_SENT when at least one recipient was
 *   accepted, so look here for the refused ones
 * @detail: (nullable): a sentence for people when no @reply explains the
 *   status (SMTPUTF8 missing, connection lost, …)
 */
typedef struct
{
  SinglySmtpStatus  status;
  SinglySmtpStage   stage;
  SinglySmtpReply  *reply;
  GPtrArray        *rcpt_replies;
  char             *detail;
} SinglySmtpResult;

/**
 * SinglySmtpMessage:
 * @mail_from: the envelope sender (reverse path) without angle brackets;
 *   "" for the null sender
 * @rcpts: (array length=n_rcpts): the envelope recipients
 * @n_rcpts: at least 1
 * @data: the message, canonical CRLF bytes, not dot-stuffed
 * @eight_bit: @data holds 8-bit octets; BODY=8BITMIME is claimed when the
 *   server offers it (without it, re-encoding to 7 bit is the caller's job)
 * @smtputf8: an address or header needs SMTPUTF8; without the extension
 *   the message fails permanently, unsent
 * @envid: (nullable): the DSN envelope identifier, sent as ENVID= when DSN
 *   is requested and offered
 * @user_data: the caller's, untouched
 *
 * The session reads the message, never keeps it past the call that reports
 * its result.
 */
typedef struct
{
  const char         *mail_from;
  const char * const *rcpts;
  guint               n_rcpts;
  GBytes             *data;
  gboolean            eight_bit;
  gboolean            smtputf8;
  const char         *envid;
  gpointer            user_data;
} SinglySmtpMessage;

/**
 * SinglySmtpSecretFunc:
 * @user_data: the config's secret_data
 * @error: return location for an error
 *
 * Returns the password (or, for XOAUTH2, the access token) when AUTH needs
 * it. The session wipes and frees it as soon as the AUTH payload is built.
 *
 * Returns: (transfer full) (nullable): the secret, or %NULL with @error set
 */
typedef char     *(*SinglySmtpSecretFunc)    (gpointer                  user_data,
                                              GError                  **error);

/**
 * SinglySmtpBeforeDotFunc:
 * @message: the message whose data has just been written
 * @user_data: the config's before_dot_data
 * @error: return location for an error
 *
 * Called exactly once per message, right before the write that carries its
 * final dot (the send job makes its journal durable here). Returning %FALSE
 * abandons the message unsent: the connection is dropped without the dot,
 * because inside DATA nothing but the dot ends the transaction (an RSET
 * would only be more message text), and a server discards a message whose
 * connection closes before the dot (RFC 5321 §4.1.1.4).
 *
 * Returns: %TRUE to send the dot
 */
typedef gboolean  (*SinglySmtpBeforeDotFunc) (const SinglySmtpMessage  *message,
                                              gpointer                  user_data,
                                              GError                  **error);

/**
 * SinglySmtpNextFunc:
 * @user_data: the data given to singly_smtp_session_send_stream()
 *
 * Called between messages, and right after a final dot when the server
 * offers PIPELINING; it must not block and must not call into the session.
 *
 * Returns: (nullable): the next message to send, or %NULL when none is
 *   ready right now (pacing); it must stay valid until its
 *   #SinglySmtpDoneFunc has been called
 */
typedef const SinglySmtpMessage *(*SinglySmtpNextFunc) (gpointer user_data);

/**
 * SinglySmtpDoneFunc:
 * @message: a message returned by the #SinglySmtpNextFunc
 * @result: (transfer full): its outcome; free with singly_smtp_result_free()
 * @user_data: the data given to singly_smtp_session_send_stream()
 *
 * Called once for every message taken, in the order they were taken; it
 * must not call into the session.
 */
typedef void      (*SinglySmtpDoneFunc)      (const SinglySmtpMessage  *message,
                                              SinglySmtpResult         *result,
                                              gpointer                  user_data);

/**
 * SinglySmtpConfig:
 * @host: the server's host name or IP address literal (no brackets)
 * @port: 0 for the security's usual port (587, 465, 25)
 * @security: see #SinglySecurity
 * @ca_file: (nullable): extra trusted CA certificates (PEM), on top of the
 *   system's
 * @pinned_sha256: (nullable): a certificate's SHA-256 fingerprint (hex,
 *   colons optional) accepted whatever its chain and name
 * @user: (nullable): the AUTH user; %NULL for no AUTH
 * @auth: the mechanism
 * @secret_func: (nullable): gives the password or token when AUTH needs it
 * @secret_data: for @secret_func
 * @before_dot_func: (nullable): see #SinglySmtpBeforeDotFunc
 * @before_dot_data: for @before_dot_func
 * @helo_name: (nullable): the EHLO argument; %NULL for the address literal
 *   of the local end of the connection ("[192.0.2.7]", RFC 5321 §4.1.4),
 *   which never leaks the machine's name
 * @timeout_ms: the limit for every single wait (connect, each read, each
 *   write); 0 for 60 seconds
 * @request_dsn: ask for delivery status notifications (RFC 3461) of
 *   failures and delays when the server offers DSN
 *
 * The session copies the strings; the functions and their data must
 * outlive it.
 */
typedef struct
{
  const char              *host;
  guint16                  port;
  SinglySecurity           security;
  const char              *ca_file;
  const char              *pinned_sha256;
  const char              *user;
  SinglySmtpAuth           auth;
  SinglySmtpSecretFunc     secret_func;
  gpointer                 secret_data;
  SinglySmtpBeforeDotFunc  before_dot_func;
  gpointer                 before_dot_data;
  const char              *helo_name;
  guint                    timeout_ms;
  gboolean                 request_dsn;
} SinglySmtpConfig;

#define SINGLY_TYPE_SMTP_SESSION (singly_smtp_session_get_type ())

G_DECLARE_FINAL_TYPE (SinglySmtpSession, singly_smtp_session, SINGLY, SMTP_SESSION, GObject)

GQuark                singly_smtp_error_quark                  (void);

SinglySmtpSession    *singly_smtp_session_new                  (const SinglySmtpConfig   *config);
gboolean              singly_smtp_session_open                 (SinglySmtpSession        *self,
                                                                GCancellable             *cancellable,
                                                                GError                  **error);
void                  singly_smtp_session_close                (SinglySmtpSession        *self,
                                                                GCancellable             *cancellable);
gboolean              singly_smtp_session_is_open              (SinglySmtpSession        *self);
SinglySmtpExtensions  singly_smtp_session_get_extensions       (SinglySmtpSession        *self);
guint64               singly_smtp_session_get_max_size         (SinglySmtpSession        *self);
guint                 singly_smtp_session_get_n_sent           (SinglySmtpSession        *self);
const char           *singly_smtp_session_get_peer_fingerprint (SinglySmtpSession        *self);
gboolean              singly_smtp_session_get_peer_untrusted   (SinglySmtpSession        *self);
gboolean              singly_smtp_session_send                 (SinglySmtpSession        *self,
                                                                const SinglySmtpMessage  *message,
                                                                SinglySmtpResult        **result,
                                                                GCancellable             *cancellable,
                                                                GError                  **error);
gboolean              singly_smtp_session_send_stream          (SinglySmtpSession        *self,
                                                                SinglySmtpNextFunc        next_func,
                                                                SinglySmtpDoneFunc        done_func,
                                                                gpointer                  user_data,
                                                                GCancellable             *cancellable,
                                                                GError                  **error);

SinglySmtpReply      *singly_smtp_reply_copy                   (const SinglySmtpReply    *reply);
void                  singly_smtp_reply_free                   (SinglySmtpReply          *reply);
gboolean              singly_smtp_reply_is_account_level       (const SinglySmtpReply    *reply);
void                  singly_smtp_result_free                  (SinglySmtpResult         *result);

gboolean              singly_smtp_address_is_loopback          (GInetAddress             *address);
char                 *singly_smtp_xtext_encode                 (const char               *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SinglySmtpReply, singly_smtp_reply_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SinglySmtpResult, singly_smtp_result_free)

G_END_DECLS
