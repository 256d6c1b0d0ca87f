/* singly-send-one.h: one message, sent to its own sender as a test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "singly-account.h"
#include "singly-message.h"

G_BEGIN_DECLS

#define SINGLY_SEND_ONE_ERROR (singly_send_one_error_quark ())

/**
 * SinglySendOneError:
 * @SINGLY_SEND_ONE_ERROR_SENDER: the account's sender is not an address
 *   a message can go to
 * @SINGLY_SEND_ONE_ERROR_REFUSED: the server did not take the message;
 *   the error message holds its reply
 * @SINGLY_SEND_ONE_ERROR_UNKNOWN: the connection broke after the message
 *   went out and before the server answered
 * @SINGLY_SEND_ONE_ERROR_FOLDER: the folder of "Save to folder" cannot be
 *   written
 *
 * Connecting and logging in fail with %SINGLY_SMTP_ERROR; cancellation is
 * %G_IO_ERROR_CANCELLED.
 */
typedef enum
{
  SINGLY_SEND_ONE_ERROR_SENDER,
  SINGLY_SEND_ONE_ERROR_REFUSED,
  SINGLY_SEND_ONE_ERROR_UNKNOWN,
  SINGLY_SEND_ONE_ERROR_FOLDER,
} SinglySendOneError;

GQuark    singly_send_one_error_quark    (void);

gboolean  singly_send_one_make_test      (SinglyMessage         *message,
                                          const char            *sender_name,
                                          const char            *sender_address,
                                          GError               **error);
void      singly_send_one_async          (SinglyMessage         *message,
                                          const SinglyAccount   *account,
                                          SinglySmtpSecretFunc   secret_func,
                                          gpointer               secret_data,
                                          GDestroyNotify         secret_destroy,
                                          GCancellable          *cancellable,
                                          GAsyncReadyCallback    callback,
                                          gpointer               user_data);
char     *singly_send_one_finish         (GAsyncResult          *result,
                                          GError               **error);

G_END_DECLS
