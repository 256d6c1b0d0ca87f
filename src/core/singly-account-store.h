/* singly-account-store.h: the user's accounts, kept in accounts.ini
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "singly-account.h"

G_BEGIN_DECLS

#define SINGLY_ACCOUNT_STORE_ERROR (singly_account_store_error_quark ())

/**
 * SinglyAccountStoreError:
 * @SINGLY_ACCOUNT_STORE_ERROR_PARSE: accounts.ini is broken; the message
 *   names the file and the line
 * @SINGLY_ACCOUNT_STORE_ERROR_NOT_FOUND: no account has that id or name
 * @SINGLY_ACCOUNT_STORE_ERROR_INVALID: the account lacks what it needs (a
 *   name, a server, a valid sender address)
 * @SINGLY_ACCOUNT_STORE_ERROR_EXISTS: another account has that name
 * @SINGLY_ACCOUNT_STORE_ERROR_DEFAULT: the "Save to folder" account
 *   cannot be removed, nor made something else
 */
typedef enum
{
  SINGLY_ACCOUNT_STORE_ERROR_PARSE,
  SINGLY_ACCOUNT_STORE_ERROR_NOT_FOUND,
  SINGLY_ACCOUNT_STORE_ERROR_INVALID,
  SINGLY_ACCOUNT_STORE_ERROR_EXISTS,
  SINGLY_ACCOUNT_STORE_ERROR_DEFAULT,
} SinglyAccountStoreError;

/**
 * SINGLY_ACCOUNT_STORE_DEFAULT_ID:
 *
 * The id of the "Save to folder" account that always exists.
 */
#define SINGLY_ACCOUNT_STORE_DEFAULT_ID "save-to-folder"

#define SINGLY_TYPE_ACCOUNT_ITEM (singly_account_item_get_type ())
G_DECLARE_FINAL_TYPE (SinglyAccountItem, singly_account_item, SINGLY, ACCOUNT_ITEM, GObject)

#define SINGLY_TYPE_ACCOUNT_STORE (singly_account_store_get_type ())
G_DECLARE_FINAL_TYPE (SinglyAccountStore, singly_account_store, SINGLY, ACCOUNT_STORE, GObject)

GQuark               singly_account_store_error_quark      (void);

const SinglyAccount *singly_account_item_get_account       (SinglyAccountItem   *self);
const char          *singly_account_item_get_id            (SinglyAccountItem   *self);
const char          *singly_account_item_get_name          (SinglyAccountItem   *self);
char                *singly_account_item_dup_summary       (SinglyAccountItem   *self);
gboolean             singly_account_item_is_default        (SinglyAccountItem   *self);

SinglyAccountStore  *singly_account_store_new              (const char          *path);
char                *singly_account_store_default_path     (void);
char                *singly_account_store_default_folder   (void);
const char          *singly_account_store_get_path         (SinglyAccountStore  *self);

gboolean             singly_account_store_load             (SinglyAccountStore  *self,
                                                            GError             **error);
gboolean             singly_account_store_save             (SinglyAccountStore  *self,
                                                            GError             **error);

GListModel          *singly_account_store_get_accounts     (SinglyAccountStore  *self);
SinglyAccountItem   *singly_account_store_lookup           (SinglyAccountStore  *self,
                                                            const char          *id);
SinglyAccountItem   *singly_account_store_lookup_by_name   (SinglyAccountStore  *self,
                                                            const char          *name);
SinglyAccountItem   *singly_account_store_find             (SinglyAccountStore  *self,
                                                            const char          *id_or_name);

SinglyAccountItem   *singly_account_store_add              (SinglyAccountStore  *self,
                                                            const SinglyAccount *account,
                                                            GError             **error);
gboolean             singly_account_store_update           (SinglyAccountStore  *self,
                                                            const char          *id,
                                                            const SinglyAccount *account,
                                                            GError             **error);
void                 singly_account_store_remove           (SinglyAccountStore  *self,
                                                            const char          *id,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
gboolean             singly_account_store_remove_finish    (SinglyAccountStore  *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);
gboolean             singly_account_store_remove_sync      (SinglyAccountStore  *self,
                                                            const char          *id,
                                                            GCancellable        *cancellable,
                                                            GError             **error);

G_END_DECLS
