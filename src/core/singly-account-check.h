/* singly-account-check.h: "Test Connection", in words people understand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "singly-account.h"

G_BEGIN_DECLS

/**
 * SinglyAccountCheckOutcome:
 * @SINGLY_ACCOUNT_CHECK_SUCCESS: connected, encrypted as configured and
 *   logged in (or, for a folder, the folder can be written)
 * @SINGLY_ACCOUNT_CHECK_INCOMPLETE: the account lacks a server (or folder)
 *   to try
 * @SINGLY_ACCOUNT_CHECK_UNREACHABLE: the server's name is unknown, or
 *   nothing answers on its port
 * @SINGLY_ACCOUNT_CHECK_TIMEOUT: the server did not answer in time
 * @SINGLY_ACCOUNT_CHECK_CERTIFICATE_UNTRUSTED: the server's certificate is
 *   not trusted; see #SinglyAccountCheckResult:fingerprint
 * @SINGLY_ACCOUNT_CHECK_TLS_FAILED: the encrypted connection could not be
 *   set up for another reason (often the wrong port for the security)
 * @SINGLY_ACCOUNT_CHECK_STARTTLS_UNAVAILABLE: STARTTLS is required but the
 *   server does not offer it, or refused it
 * @SINGLY_ACCOUNT_CHECK_WRONG_PASSWORD: the server refused the user name
 *   or the password
 * @SINGLY_ACCOUNT_CHECK_AUTH_NOT_ALLOWED: Singly refused to send the
 *   password over an unencrypted connection to another machine
 * @SINGLY_ACCOUNT_CHECK_AUTH_UNAVAILABLE: the server offers no login
 *   method Singly can use (or not the chosen one)
 * @SINGLY_ACCOUNT_CHECK_SERVER_REFUSED: the server refused the session,
 *   or is closing or busy
 * @SINGLY_ACCOUNT_CHECK_CONNECTION_LOST: the connection broke off
 * @SINGLY_ACCOUNT_CHECK_PROTOCOL: the server does not speak SMTP as it
 *   should
 * @SINGLY_ACCOUNT_CHECK_NO_PASSWORD: there is no password to log in with
 * @SINGLY_ACCOUNT_CHECK_TOKEN_FAILED: the OAuth2 token command failed
 * @SINGLY_ACCOUNT_CHECK_FOLDER_NOT_WRITABLE: the "Save to folder" account's
 *   folder cannot be written
 *
 * What a connection test found, from the user's point of view.
 */
typedef enum
{
  SINGLY_ACCOUNT_CHECK_SUCCESS,
  SINGLY_ACCOUNT_CHECK_INCOMPLETE,
  SINGLY_ACCOUNT_CHECK_UNREACHABLE,
  SINGLY_ACCOUNT_CHECK_TIMEOUT,
  SINGLY_ACCOUNT_CHECK_CERTIFICATE_UNTRUSTED,
  SINGLY_ACCOUNT_CHECK_TLS_FAILED,
  SINGLY_ACCOUNT_CHECK_STARTTLS_UNAVAILABLE,
  SINGLY_ACCOUNT_CHECK_WRONG_PASSWORD,
  SINGLY_ACCOUNT_CHECK_AUTH_NOT_ALLOWED,
  SINGLY_ACCOUNT_CHECK_AUTH_UNAVAILABLE,
  SINGLY_ACCOUNT_CHECK_SERVER_REFUSED,
  SINGLY_ACCOUNT_CHECK_CONNECTION_LOST,
  SINGLY_ACCOUNT_CHECK_PROTOCOL,
  SINGLY_ACCOUNT_CHECK_NO_PASSWORD,
  SINGLY_ACCOUNT_CHECK_TOKEN_FAILED,
  SINGLY_ACCOUNT_CHECK_FOLDER_NOT_WRITABLE,
} SinglyAccountCheckOutcome;

/**
 * SinglyAccountCheckResult:
 * @outcome: see #SinglyAccountCheckOutcome
 * @summary: one sentence for someone who is not a mail expert, translated
 * @detail: the technical account: the server, port and security, the
 *   error with the server's reply code and text, the certificate's
 *   fingerprint; several lines
 * @fingerprint: (nullable): the SHA-256 fingerprint of the server's
 *   certificate ("AA:BB:…") when one was seen; the one to pin for
 *   %SINGLY_ACCOUNT_CHECK_CERTIFICATE_UNTRUSTED
 */
typedef struct
{
  SinglyAccountCheckOutcome  outcome;
  char                      *summary;
  char                      *detail;
  char                      *fingerprint;
} SinglyAccountCheckResult;

#define SINGLY_TYPE_ACCOUNT_CHECK_RESULT (singly_account_check_result_get_type ())

GType                      singly_account_check_result_get_type (void) G_GNUC_CONST;
SinglyAccountCheckResult  *singly_account_check_result_copy     (const SinglyAccountCheckResult *result);
void                       singly_account_check_result_free     (SinglyAccountCheckResult       *result);
SinglyAccountCheckOutcome  singly_account_check_outcome_for_error (const GError                 *error);
const char                *singly_account_check_outcome_describe (SinglyAccountCheckOutcome      outcome,
                                                                   const SinglyAccount           *account);

void                       singly_account_check_async           (const SinglyAccount            *account,
                                                                 const char                     *password,
                                                                 GCancellable                   *cancellable,
                                                                 GAsyncReadyCallback             callback,
                                                                 gpointer                        user_data);
SinglyAccountCheckResult  *singly_account_check_finish          (GAsyncResult                   *result,
                                                                 GError                        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SinglyAccountCheckResult, singly_account_check_result_free)

G_END_DECLS
