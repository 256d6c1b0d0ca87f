/* singly-secret.h: account passwords in the Secret Service keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SINGLY_SECRET_ERROR (singly_secret_error_quark ())

/**
 * SinglySecretError:
 * @SINGLY_SECRET_ERROR_NO_SERVICE: there is no session bus, or no Secret
 *   Service (such as GNOME Keyring or KWallet) on it; nothing was stored
 *   anywhere else
 * @SINGLY_SECRET_ERROR_LOCKED: the keyring is locked and was not unlocked
 * @SINGLY_SECRET_ERROR_FAILED: the Secret Service refused or failed
 *
 * Cancellation is reported as %G_IO_ERROR_CANCELLED.
 */
typedef enum
{
  SINGLY_SECRET_ERROR_NO_SERVICE,
  SINGLY_SECRET_ERROR_LOCKED,
  SINGLY_SECRET_ERROR_FAILED,
} SinglySecretError;

GQuark    singly_secret_error_quark          (void);

/* The main thread: never blocks */
void      singly_secret_store                (const char           *account_id,
                                              const char           *user,
                                              const char           *label,
                                              const char           *password,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean  singly_secret_store_finish         (GAsyncResult         *result,
                                              GError              **error);
void      singly_secret_lookup               (const char           *account_id,
                                              const char           *user,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
char     *singly_secret_lookup_finish        (GAsyncResult         *result,
                                              GError              **error);
void      singly_secret_has_password         (const char           *account_id,
                                              const char           *user,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean  singly_secret_has_password_finish  (GAsyncResult         *result,
                                              gboolean             *has_password,
                                              GError              **error);
void      singly_secret_clear                (const char           *account_id,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean  singly_secret_clear_finish         (GAsyncResult         *result,
                                              GError              **error);

/* singly-cli, the send job's worker thread, tests */
gboolean  singly_secret_store_sync           (const char           *account_id,
                                              const char           *user,
                                              const char           *label,
                                              const char           *password,
                                              GCancellable         *cancellable,
                                              GError              **error);
char     *singly_secret_lookup_sync          (const char           *account_id,
                                              const char           *user,
                                              GCancellable         *cancellable,
                                              GError              **error);
gboolean  singly_secret_has_password_sync    (const char           *account_id,
                                              const char           *user,
                                              gboolean             *has_password,
                                              GCancellable         *cancellable,
                                              GError              **error);
gboolean  singly_secret_clear_sync           (const char           *account_id,
                                              GCancellable         *cancellable,
                                              GError              **error);

char     *singly_secret_run_command          (const char           *command,
                                              GError              **error);

void      singly_secret_free                 (char                 *secret);

G_END_DECLS
