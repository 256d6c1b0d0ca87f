/* singly-secret.c: account passwords in the Secret Service keyring
 *
 * Each password is one item of the user's default collection ("login"
 * in GNOME Keyring), filed under the schema io.github.singly.Singly with
 * the account's id and the user it logs in as. Seahorse shows the items
 * with their labels, so people can see and remove them there too.
 *
 * Everything goes through SecretService, i.e. over D-Bus to the running
 * Secret Service. libsecret's simpler secret_password_*() calls are not
 * used on purpose: since 0.20 they pick a "backend", which inside a
 * Flatpak sandbox, or with SECRET_BACKEND=file in the environment, is an
 * encrypted file of libsecret's own. A password Singly cannot give to a
 * real keyring is not kept at all: the caller hears
 * %SINGLY_SECRET_ERROR_NO_SERVICE and tells the user.
 *
 * Every password handed out is a g_malloc()ed copy (libsecret's own lives
 * in non-pageable memory and is wiped when its SecretValue goes), so it
 * can be given to an #SinglySmtpSecretFunc caller, which wipes and frees
 * it; other callers use singly_secret_free().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <libsecret/secret.h>

#include "singly-i18n.h"
#include "singly-secret.h"

G_DEFINE_QUARK (singly-secret-error-quark, singly_secret_error)

static const SecretSchema password_schema = {
  "io.github.singly.Singly",
  SECRET_SCHEMA_NONE,
  {
    { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

typedef struct
{
  char  *account_id;
  char  *user;
  GList *others;
} StoreData;

static void
store_data_free (gpointer data)
{
  StoreData *store = data;

  g_free (store->account_id);
  g_free (store->user);
  g_list_free_full (store->others, g_object_unref);
  g_free (store);
}

/* What the bus or the Secret Service said, as something to tell people.
 * Takes @error. */
static GError *
translate_error (GError *error)
{
  GError *translated;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;

  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    {
      translated = g_error_new_literal (SINGLY_SECRET_ERROR, SINGLY_SECRET_ERROR_LOCKED,
                                        _("The keyring is locked: unlock it (for example in Passwords "
                                          "and Keys) and try again"));
      g_error_free (error);
      return translated;
    }

  /* Connecting to the session bus fails with G_IO_ERROR (no bus at the
   * address, no address at all); a bus without a Secret Service answers
   * with one of these */
  if (error->domain == G_IO_ERROR ||
      g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
      g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER) ||
      g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NO_SERVER) ||
      g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NO_REPLY) ||
      g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_TIMEOUT) ||
      g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_TIMED_OUT) ||
      g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_DISCONNECTED) ||
      g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_FILE_NOT_FOUND) ||
      g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_BAD_ADDRESS) ||
      g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NOT_SUPPORTED) ||
      g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD) ||
      g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT) ||
      g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_INTERFACE) ||
      (error->domain == G_DBUS_ERROR &&
       error->code >= G_DBUS_ERROR_SPAWN_EXEC_FAILED &&
       error->code <= G_DBUS_ERROR_SPAWN_NO_MEMORY))
    {
      g_dbus_error_strip_remote_error (error);
      translated = g_error_new (SINGLY_SECRET_ERROR, SINGLY_SECRET_ERROR_NO_SERVICE,
                                _("There is no keyring: no Secret Service (such as GNOME Keyring) runs "
                                  "in this session (%s)"),
                                error->message);
      g_error_free (error);
      return translated;
    }

  g_dbus_error_strip_remote_error (error);
  translated = g_error_new (SINGLY_SECRET_ERROR, SINGLY_SECRET_ERROR_FAILED,
                            _("The keyring failed: %s"), error->message);
  g_error_free (error);
  return translated;
}

static void
propagate_error (GError **dest,
                 GError  *error)
{
  g_propagate_error (dest, translate_error (error));
}

/* The shared proxy, made in the caller's thread-default context. Left to
 * the blocking secret_service_*_sync() calls, it would be made in the
 * private context they iterate, where the proxy's signal subscriptions
 * are later released by idles that never run: a leak per process that
 * the sanitizer builds rightly report. */
static SecretService *
get_service_sync (GCancellable  *cancellable,
                  GError       **error)
{
  GError *local_error = NULL;
  SecretService *service;

  service = secret_service_get_sync (SECRET_SERVICE_NONE, cancellable, &local_error);
  if (service == NULL)
    propagate_error (error, local_error);
  return service;
}

static GHashTable *
build_attributes (const char *account_id,
                  const char *user)
{
  if (user == NULL)
    return secret_attributes_build (&password_schema, "account", account_id, NULL);
  return secret_attributes_build (&password_schema, "account", account_id, "user", user, NULL);
}

static char *
default_label (const char *label,
               const char *user)
{
  if (label != NULL)
    return g_strdup (label);
  /* TRANSLATORS: what the keyring (Passwords and Keys) lists the item as */
  return g_strdup_printf (_("Singly: password of %s"), user);
}

static SecretValue *
password_value_new (const char *password)
{
  return secret_value_new (password, -1, "text/plain");
}

/* An ordinary heap copy of the secret; libsecret's copy is wiped as the
 * value goes */
static char *
value_dup_password (SecretValue *value)
{
  const char *text;
  gsize length = 0;

  if (value == NULL)
    return NULL;
  text = secret_value_get (value, &length);
  return g_strndup (text, length);
}

/* Items of the account filed under another user: left over when the
 * account's user changed, and never found again */
static GList *
steal_other_users (GList      *items,
                   const char *user)
{
  GList *others = NULL;

  for (GList *l = items; l != NULL; l = l->next)
    {
      SecretItem *item = l->data;
      g_autoptr(GHashTable) attributes = secret_item_get_attributes (item);
      const char *item_user = g_hash_table_lookup (attributes, "user");

      if (g_strcmp0 (item_user, user) != 0)
        others = g_list_prepend (others, g_object_ref (item));
    }
  g_list_free_full (items, g_object_unref);
  return others;
}

static void store_delete_next (GTask *task);

static void
store_deleted_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* the new password is in place: a stale item left behind is untidy,
   * not a failure */
  if (!secret_item_delete_finish (SECRET_ITEM (object), result, &error))
    g_debug ("secret: cannot delete an old item: %s", error->message);
  store_delete_next (g_steal_pointer (&task));
}

static void
store_delete_next (GTask *task)
{
  StoreData *data = g_task_get_task_data (task);
  SecretItem *item;

  if (data->others == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  item = data->others->data;
  data->others = g_list_delete_link (data->others, data->others);
  secret_item_delete (item, g_task_get_cancellable (task), store_deleted_cb, task);
  g_object_unref (item);
}

static void
store_searched_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  StoreData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GList *items;

  items = secret_service_search_finish (NULL, result, &error);
  if (error != NULL)
    g_debug ("secret: cannot look for old items: %s", error->message);
  data->others = steal_other_users (items, data->user);
  store_delete_next (task);
}

static void
store_stored_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  StoreData *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  if (!secret_service_store_finish (NULL, result, &error))
    {
      g_task_return_error (task, translate_error (error));
      g_object_unref (task);
      return;
    }

  attributes = build_attributes (data->account_id, NULL);
  secret_service_search (NULL, &password_schema, attributes, SECRET_SEARCH_ALL,
                         g_task_get_cancellable (task), store_searched_cb, task);
}

/**
 * singly_secret_store:
 * @account_id: the account's id (#SinglyAccount.id)
 * @user: the user the password logs in as
 * @label: (nullable): what the keyring shows for the item, e.g.
 *   "Singly: Office (office@example.org)"
 * @password: the password; not kept beyond the call (libsecret copies it
 *   into memory that is never swapped out)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context when done
 * @user_data: for @callback
 *
 * Keeps @password in the default keyring for @account_id and @user,
 * replacing the one there, and forgets the account's passwords for other
 * users (the user changed).
 */
void
singly_secret_store (const char          *account_id,
                     const char          *user,
                     const char          *label,
                     const char          *password,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(SecretValue) value = NULL;
  g_autofree char *item_label = NULL;
  StoreData *data;
  GTask *task;

  g_return_if_fail (account_id != NULL);
  g_return_if_fail (user != NULL);
  g_return_if_fail (password != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, singly_secret_store);
  data = g_new0 (StoreData, 1);
  data->account_id = g_strdup (account_id);
  data->user = g_strdup (user);
  g_task_set_task_data (task, data, store_data_free);

  attributes = build_attributes (account_id, user);
  value = password_value_new (password);
  item_label = default_label (label, user);
  secret_service_store (NULL, &password_schema, attributes, SECRET_COLLECTION_DEFAULT,
                        item_label, value, cancellable, store_stored_cb, task);
}

/**
 * singly_secret_store_finish:
 *
 * Returns: %TRUE when the password is in the keyring
 */
gboolean
singly_secret_store_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == singly_secret_store, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(SecretValue) value = NULL;
  GError *error = NULL;

  value = secret_service_lookup_finish (NULL, result, &error);
  if (error != NULL)
    g_task_return_error (task, translate_error (error));
  else
    g_task_return_pointer (task, value_dup_password (value), (GDestroyNotify) singly_secret_free);
}

/**
 * singly_secret_lookup:
 * @account_id: the account's id
 * @user: the user the password logs in as
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context when done
 * @user_data: for @callback
 *
 * Reads the account's password, unlocking the keyring if it must (the
 * Secret Service then asks the user).
 */
void
singly_secret_lookup (const char          *account_id,
                      const char          *user,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  GTask *task;

  g_return_if_fail (account_id != NULL);
  g_return_if_fail (user != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, singly_secret_lookup);
  attributes = build_attributes (account_id, user);
  secret_service_lookup (NULL, &password_schema, attributes, cancellable, lookup_cb, task);
}

/**
 * singly_secret_lookup_finish:
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the password, to be freed with
 *   singly_secret_free(); %NULL without @error set when none is stored
 */
char *
singly_secret_lookup_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == singly_secret_lookup, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
has_password_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GList *items;

  items = secret_service_search_finish (NULL, result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, translate_error (error));
      return;
    }
  g_task_return_int (task, items != NULL);
  g_list_free_full (items, g_object_unref);
}

/**
 * singly_secret_has_password:
 * @account_id: the account's id
 * @user: the user the password logs in as
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context when done
 * @user_data: for @callback
 *
 * Finds out whether the keyring holds a password for the account, without
 * reading it, so without unlocking anything or asking the user.
 */
void
singly_secret_has_password (const char          *account_id,
                            const char          *user,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  GTask *task;

  g_return_if_fail (account_id != NULL);
  g_return_if_fail (user != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, singly_secret_has_password);
  attributes = build_attributes (account_id, user);
  secret_service_search (NULL, &password_schema, attributes, SECRET_SEARCH_NONE,
                         cancellable, has_password_cb, task);
}

/**
 * singly_secret_has_password_finish:
 * @result: the result given to the callback
 * @has_password: (out): whether a password is stored
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the keyring could be asked
 */
gboolean
singly_secret_has_password_finish (GAsyncResult  *result,
                                   gboolean      *has_password,
                                   GError       **error)
{
  GError *local_error = NULL;
  gssize found;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == singly_secret_has_password, FALSE);
  g_return_val_if_fail (has_password != NULL, FALSE);

  found = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  *has_password = found != 0;
  return TRUE;
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* FALSE without an error: there was nothing to delete, which is fine */
  if (!secret_service_clear_finish (NULL, result, &error) && error != NULL)
    g_task_return_error (task, translate_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * singly_secret_clear:
 * @account_id: the account's id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context when done
 * @user_data: for @callback
 *
 * Deletes every password of the account, whatever the user; for an
 * account that is removed.
 */
void
singly_secret_clear (const char          *account_id,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  GTask *task;

  g_return_if_fail (account_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, singly_secret_clear);
  attributes = build_attributes (account_id, NULL);
  secret_service_clear (NULL, &password_schema, attributes, cancellable, clear_cb, task);
}

/**
 * singly_secret_clear_finish:
 *
 * Returns: %TRUE when the account has no password left in the keyring
 */
gboolean
singly_secret_clear_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == singly_secret_clear, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * singly_secret_store_sync:
 *
 * Blocking singly_secret_store(), for singly-cli and the tests.
 *
 * Returns: %TRUE when the password is in the keyring
 */
gboolean
singly_secret_store_sync (const char    *account_id,
                          const char    *user,
                          const char    *label,
                          const char    *password,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GHashTable) account_only = NULL;
  g_autoptr(SecretValue) value = NULL;
  g_autofree char *item_label = NULL;
  GError *local_error = NULL;
  GList *items, *others;

  g_return_val_if_fail (account_id != NULL, FALSE);
  g_return_val_if_fail (user != NULL, FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  service = get_service_sync (cancellable, error);
  if (service == NULL)
    return FALSE;
  attributes = build_attributes (account_id, user);
  value = password_value_new (password);
  item_label = default_label (label, user);
  if (!secret_service_store_sync (service, &password_schema, attributes, SECRET_COLLECTION_DEFAULT,
                                  item_label, value, cancellable, &local_error))
    {
      propagate_error (error, local_error);
      return FALSE;
    }

  account_only = build_attributes (account_id, NULL);
  items = secret_service_search_sync (service, &password_schema, account_only, SECRET_SEARCH_ALL,
                                      cancellable, &local_error);
  if (local_error != NULL)
    {
      g_debug ("secret: cannot look for old items: %s", local_error->message);
      g_clear_error (&local_error);
    }
  others = steal_other_users (items, user);
  for (GList *l = others; l != NULL; l = l->next)
    if (!secret_item_delete_sync (l->data, cancellable, &local_error))
      {
        g_debug ("secret: cannot delete an old item: %s", local_error->message);
        g_clear_error (&local_error);
      }
  g_list_free_full (others, g_object_unref);
  return TRUE;
}

/**
 * singly_secret_lookup_sync:
 * @account_id: the account's id
 * @user: the user the password logs in as
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Blocking singly_secret_lookup(): for singly-cli, and for the
 * #SinglySmtpSecretFunc that the send job calls on its worker thread.
 *
 * Returns: (transfer full) (nullable): the password, to be freed with
 *   singly_secret_free(); %NULL without @error set when none is stored
 */
char *
singly_secret_lookup_sync (const char    *account_id,
                           const char    *user,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(SecretValue) value = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (account_id != NULL, NULL);
  g_return_val_if_fail (user != NULL, NULL);

  service = get_service_sync (cancellable, error);
  if (service == NULL)
    return NULL;
  attributes = build_attributes (account_id, user);
  value = secret_service_lookup_sync (service, &password_schema, attributes, cancellable, &local_error);
  if (local_error != NULL)
    {
      propagate_error (error, local_error);
      return NULL;
    }
  return value_dup_password (value);
}

/**
 * singly_secret_has_password_sync:
 * @account_id: the account's id
 * @user: the user the password logs in as
 * @has_password: (out): whether a password is stored
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Blocking singly_secret_has_password().
 *
 * Returns: %TRUE when the keyring could be asked
 */
gboolean
singly_secret_has_password_sync (const char    *account_id,
                                 const char    *user,
                                 gboolean      *has_password,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  GError *local_error = NULL;
  GList *items;

  g_return_val_if_fail (account_id != NULL, FALSE);
  g_return_val_if_fail (user != NULL, FALSE);
  g_return_val_if_fail (has_password != NULL, FALSE);

  service = get_service_sync (cancellable, error);
  if (service == NULL)
    return FALSE;
  attributes = build_attributes (account_id, user);
  items = secret_service_search_sync (service, &password_schema, attributes, SECRET_SEARCH_NONE,
                                      cancellable, &local_error);
  if (local_error != NULL)
    {
      propagate_error (error, local_error);
      return FALSE;
    }
  *has_password = items != NULL;
  g_list_free_full (items, g_object_unref);
  return TRUE;
}

/**
 * singly_secret_clear_sync:
 *
 * Blocking singly_secret_clear().
 *
 * Returns: %TRUE when the account has no password left in the keyring
 */
gboolean
singly_secret_clear_sync (const char    *account_id,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (account_id != NULL, FALSE);

  service = get_service_sync (cancellable, error);
  if (service == NULL)
    return FALSE;
  attributes = build_attributes (account_id, NULL);
  if (!secret_service_clear_sync (service, &password_schema, attributes, cancellable, &local_error) &&
      local_error != NULL)
    {
      propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

/**
 * singly_secret_free:
 * @secret: (nullable): a password from this module
 *
 * Wipes the password, then frees it.
 */
void
singly_secret_free (char *secret)
{
  if (secret == NULL)
    return;
  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

/**
 * singly_secret_run_command:
 * @command: a shell command line the user set, such as one that prints a
 *   fresh OAuth2 access token
 *
 * Runs @command with /bin/sh and returns the first line it prints. Blocks:
 * for the send job's worker thread and singly-cli. What the command prints
 * on standard error is dropped, never logged, since it may hold the
 * secret.
 *
 * Returns: (transfer full): the secret; free with singly_secret_free()
 */
char *
singly_secret_run_command (const char  *command,
                           GError     **error)
{
  const char *argv[] = { "/bin/sh", "-c", command, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  char *end;

  g_return_val_if_fail (command != NULL, NULL);

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                     &out, &err, &status, error))
    return NULL;
  if (err != NULL)
    explicit_bzero (err, strlen (err));
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The password command failed"));
      if (out != NULL)
        explicit_bzero (out, strlen (out));
      return NULL;
    }

  end = strpbrk (out, "\r\n");
  if (end != NULL)
    explicit_bzero (end, strlen (end));  /* lines after the first, too */
  if (*out == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The password command printed nothing"));
      return NULL;
    }
  return g_steal_pointer (&out);
}
