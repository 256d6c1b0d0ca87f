/* singly-secret-prompt.h: the password an account sends with, found or asked for
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "singly-account.h"

G_BEGIN_DECLS

typedef struct _SinglySecretSource SinglySecretSource;

#define SINGLY_TYPE_SECRET_SOURCE (singly_secret_source_get_type ())

GType               singly_secret_source_get_type        (void) G_GNUC_CONST;
SinglySecretSource *singly_secret_source_new             (const SinglyAccount  *account,
                                                          const char           *password);
SinglySecretSource *singly_secret_source_ref             (SinglySecretSource   *self);
void                singly_secret_source_unref           (SinglySecretSource   *self);
void                singly_secret_source_wipe            (SinglySecretSource   *self);
char               *singly_secret_source_dup_secret      (gpointer              self,
                                                          GError              **error);

gboolean            singly_secret_prompt_needs_password  (const SinglyAccount  *account);
SinglySecretSource *singly_secret_prompt_lookup_now      (GtkWindow            *parent,
                                                          const SinglyAccount  *account);
void                singly_secret_prompt_request         (GtkWindow            *parent,
                                                          const SinglyAccount  *account,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
SinglySecretSource *singly_secret_prompt_request_finish  (GAsyncResult         *result,
                                                          GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SinglySecretSource, singly_secret_source_unref)

G_END_DECLS
