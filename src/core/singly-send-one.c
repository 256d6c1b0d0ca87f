/* singly-send-one.c: one message, sent to its own sender as a test
 *
 * "Send a test to myself": the message one recipient will get, made into
 * a message for the sender alone (To: and the envelope are the sender,
 * Cc: and Bcc: are dropped, the subject says it is a test) and sent with
 * one SMTP session in a thread, or written into the folder of "Save to
 * folder". No journal is involved: a test is not part of the campaign.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>

#include "singly-address.h"
#include "singly-i18n.h"
#include "singly-send-one.h"
#include "singly-smtp.h"

typedef struct
{
  SinglyMessage        *message;
  SinglyAccount        *account;
  char                 *original_to;   /* whose message it is, for the file name */
  SinglySmtpSecretFunc  secret_func;
  gpointer              secret_data;
  GDestroyNotify        secret_destroy;
} SendData;

/**
 * singly_send_one_error_quark:
 *
 * Returns: the error domain of test sends, %SINGLY_SEND_ONE_ERROR
 */
G_DEFINE_QUARK (singly-send-one-error-quark, singly_send_one_error)

static void
send_data_free (gpointer data)
{
  SendData *send = data;

  if (send->secret_destroy != NULL)
    send->secret_destroy (send->secret_data);
  g_clear_pointer (&send->message, singly_message_free);
  g_clear_pointer (&send->account, singly_account_free);
  g_free (send->original_to);
  g_free (send);
}

static char *
format_reply (const SinglySmtpReply *reply)
{
  if (reply == NULL)
    return NULL;
  if (reply->enhanced != NULL)
    return g_strdup_printf ("%u %s %s", reply->code, reply->enhanced, reply->text);
  return g_strdup_printf ("%u %s", reply->code, reply->text);
}

static char *
send_smtp (SendData      *send,
           GCancellable  *cancellable,
           GError       **error)
{
  SinglyAccount *account = send->account;
  SinglyMessage *message = send->message;
  SinglySmtpConfig config = {
    .host = account->host,
    .port = account->port,
    .security = account->security,
    .ca_file = account->ca_file,
    .pinned_sha256 = account->pinned_sha256,
    .user = account->user,
    .auth = account->auth,
    .secret_func = send->secret_func,
    .secret_data = send->secret_data,
    .timeout_ms = account->timeout_ms,
    /* a bounce of a test would only confuse */
    .request_dsn = FALSE,
  };
  g_autoptr(SinglySmtpSession) session = NULL;
  g_autoptr(SinglySmtpResult) result = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *reply = NULL;
  SinglySmtpMessage smtp = { 0 };
  gboolean ok;

  if (account->host == NULL)
    {
      g_set_error_literal (error, SINGLY_SMTP_ERROR, SINGLY_SMTP_ERROR_CONNECT,
                           _("The account has no server"));
      return NULL;
    }

  data = singly_message_to_bytes (message);
  smtp.mail_from = message->envelope_from;
  smtp.rcpts = (const char * const *) message->recipients->pdata;
  smtp.n_rcpts = message->recipients->len;
  smtp.data = data;
  smtp.smtputf8 = message->smtputf8;
  smtp.envid = message->message_id;

  session = singly_smtp_session_new (&config);
  if (!singly_smtp_session_open (session, cancellable, error))
    return NULL;
  ok = singly_smtp_session_send (session, &smtp, &result, cancellable, &local_error);
  if (ok)
    singly_smtp_session_close (session, NULL);

  /* the session sets a result even when the connection broke */
  if (result == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  reply = format_reply (result->reply);
  /* a connection that broke after the server took the message took it */
  if (result->status == SINGLY_SMTP_STATUS_SENT)
    return reply != NULL ? g_steal_pointer (&reply) : g_strdup ("250");
  if (!ok && result->status != SINGLY_SMTP_STATUS_UNKNOWN)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  switch (result->status)
    {

    case SINGLY_SMTP_STATUS_UNKNOWN:
      g_set_error (error, SINGLY_SEND_ONE_ERROR, SINGLY_SEND_ONE_ERROR_UNKNOWN, "%s",
                   result->detail ? result->detail : _("The server did not answer after the message"));
      return NULL;

    case SINGLY_SMTP_STATUS_SENT:
    case SINGLY_SMTP_STATUS_TEMPORARY:
    case SINGLY_SMTP_STATUS_PERMANENT:
    default:
      g_set_error (error, SINGLY_SEND_ONE_ERROR, SINGLY_SEND_ONE_ERROR_REFUSED, "%s",
                   reply ? reply : result->detail ? result->detail : _("The server refused the message"));
      return NULL;
    }
}

static char *
save_to_folder (SendData  *send,
                GError   **error)
{
  const char *folder = send->account->folder;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GBytes) data = NULL;

  if (folder == NULL || *folder == '\0')
    {
      g_set_error_literal (error, SINGLY_SEND_ONE_ERROR, SINGLY_SEND_ONE_ERROR_FOLDER,
                           _("No folder is set to save the message into"));
      return NULL;
    }
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, SINGLY_SEND_ONE_ERROR, SINGLY_SEND_ONE_ERROR_FOLDER,
                   _("Cannot create the folder %s: %s"), folder, g_strerror (saved_errno));
      return NULL;
    }

  /* beside the campaign's messages, never mistaken for one of them */
  {
    g_autofree char *base = singly_message_file_name (send->message->row, send->original_to);

    name = g_strconcat ("test-", base, NULL);
  }
  path = g_build_filename (folder, name, NULL);
  data = singly_message_to_bytes (send->message);
  if (!g_file_set_contents_full (path, g_bytes_get_data (data, NULL), g_bytes_get_size (data),
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    {
      if (error != NULL && *error != NULL)
        {
          /* one domain for the folder, with the file system's words */
          GError *folder_error = g_error_new_literal (SINGLY_SEND_ONE_ERROR, SINGLY_SEND_ONE_ERROR_FOLDER,
                                                      (*error)->message);

          g_clear_error (error);
          g_propagate_error (error, folder_error);
        }
      return NULL;
    }
  return g_steal_pointer (&path);
}

/* The worker: owns the message, the account copy and one session */
static void
send_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SendData *send = task_data;
  g_autoptr(GError) error = NULL;
  char *outcome;

  if (send->account->kind == SINGLY_ACCOUNT_FOLDER)
    outcome = save_to_folder (send, &error);
  else
    outcome = send_smtp (send, cancellable, &error);

  if (outcome == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, outcome, g_free);
}

/**
 * singly_send_one_make_test:
 * @message: a message as singly_message_builder_build() made it
 * @sender_name: (nullable): the sender's display name
 * @sender_address: the sender's address
 *
 * Readdresses @message to its sender alone: To: and the envelope become
 * the sender, Cc: and Bcc: go, and the subject starts with "[Test]".
 * Everything else (body, attachments, Reply-To, Message-ID) stays as the
 * recipient would have it.
 *
 * Returns: %FALSE when @sender_address is not an address to send to
 */
gboolean
singly_send_one_make_test (SinglyMessage  *message,
                           const char     *sender_name,
                           const char     *sender_address,
                           GError        **error)
{
  g_autofree char *wire = NULL;
  g_autofree char *subject = NULL;
  SinglyAddressFlags flags = 0;
  InternetAddressList *list;
  const char *old_subject;

  g_return_val_if_fail (message != NULL, FALSE);
  g_return_val_if_fail (GMIME_IS_MESSAGE (message->mime), FALSE);

  if (sender_address == NULL || singly_address_check (sender_address, &wire, &flags) != SINGLY_ADDRESS_OK)
    {
      g_set_error (error, SINGLY_SEND_ONE_ERROR, SINGLY_SEND_ONE_ERROR_SENDER,
                   _("The sender “%s” is not a valid e-mail address"), sender_address ? sender_address : "");
      return FALSE;
    }

  list = g_mime_message_get_addresses (message->mime, GMIME_ADDRESS_TYPE_TO);
  internet_address_list_clear (list);
  {
    g_autoptr(InternetAddress) to = internet_address_mailbox_new (sender_name ? sender_name : "", wire);

    internet_address_list_add (list, to);
  }
  internet_address_list_clear (g_mime_message_get_addresses (message->mime, GMIME_ADDRESS_TYPE_CC));
  internet_address_list_clear (g_mime_message_get_addresses (message->mime, GMIME_ADDRESS_TYPE_BCC));
  /* an empty list still leaves its header behind */
  g_mime_object_remove_header (GMIME_OBJECT (message->mime), "Cc");
  g_mime_object_remove_header (GMIME_OBJECT (message->mime), "Bcc");

  old_subject = g_mime_message_get_subject (message->mime);
  /* Translators: the subject of "Send a test to myself", before the
   * campaign's subject */
  subject = g_strdup_printf (_("[Test] %s"), old_subject ? old_subject : "");
  g_mime_message_set_subject (message->mime, subject, "utf-8");

  g_ptr_array_set_size (message->recipients, 0);
  g_ptr_array_add (message->recipients, g_strdup (wire));
  g_free (message->envelope_from);
  message->envelope_from = g_strdup (wire);
  message->smtputf8 = (flags & SINGLY_ADDRESS_FLAG_UTF8_LOCAL) != 0;
  return TRUE;
}

/**
 * singly_send_one_async:
 * @message: (transfer full): the message as the builder made it for its
 *   recipient
 * @account: where it goes (copied); its sender gets the message
 * @secret_func: (nullable): gives the password or token when the server
 *   asks, called in the worker thread
 * @secret_data: for @secret_func
 * @secret_destroy: (nullable): frees @secret_data when the send is over
 * @cancellable: (nullable): to stop it
 * @callback: called in the thread-default main context when done
 * @user_data: for @callback
 *
 * Sends @message, readdressed with singly_send_one_make_test(), to the
 * sender of @account over one SMTP session in a thread, or, for "Save to
 * folder", writes it into the account's folder as "test-….eml".
 */
void
singly_send_one_async (SinglyMessage        *message,
                       const SinglyAccount  *account,
                       SinglySmtpSecretFunc  secret_func,
                       gpointer              secret_data,
                       GDestroyNotify        secret_destroy,
                       GCancellable         *cancellable,
                       GAsyncReadyCallback   callback,
                       gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  SendData *send;

  g_return_if_fail (message != NULL);
  g_return_if_fail (account != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  send = g_new0 (SendData, 1);
  send->original_to = g_strdup (message->to_address);
  send->message = message;
  send->account = singly_account_copy (account);
  send->secret_func = secret_func;
  send->secret_data = secret_data;
  send->secret_destroy = secret_destroy;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, singly_send_one_async);
  g_task_set_task_data (task, send, send_data_free);

  if (!singly_send_one_make_test (message, account->sender_name, account->sender_address, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_run_in_thread (task, send_thread);
}

/**
 * singly_send_one_finish:
 *
 * Returns: (transfer full): the server's reply to the message ("250 2.0.0
 *   OK"), or for "Save to folder" the path of the file written; %NULL
 *   with @error set when it was not sent
 */
char *
singly_send_one_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == singly_send_one_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
