/* test-keyring.c: account passwords in a real Secret Service
 *
 * Run by run-with-keyring.sh, which gives it a GNOME Keyring of its own on
 * a private session bus and a temporary HOME ($SINGLY_KEYRING_ROOT). Run
 * alone, every test skips: it never touches the user's own keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "singly-account-store.h"
#include "singly-secret.h"
#include "singly-test-util.h"

static gboolean
have_keyring (void)
{
  if (g_getenv ("SINGLY_KEYRING_ROOT") == NULL)
    {
      g_test_skip ("needs a keyring of its own: run under tests/run-with-keyring.sh");
      return FALSE;
    }
  return TRUE;
}

static char *
lookup (const char *account_id,
        const char *user)
{
  g_autoptr(GError) error = NULL;
  char *password = singly_secret_lookup_sync (account_id, user, NULL, &error);

  g_assert_no_error (error);
  return password;
}

static gboolean
has_password (const char *account_id,
              const char *user)
{
  g_autoptr(GError) error = NULL;
  gboolean has = FALSE;

  g_assert_true (singly_secret_has_password_sync (account_id, user, &has, NULL, &error));
  g_assert_no_error (error);
  return has;
}

static void
store (const char *account_id,
       const char *user,
       const char *password)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (singly_secret_store_sync (account_id, user, "Singly test", password, NULL, &error));
  g_assert_no_error (error);
}

static void
clear (const char *account_id)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (singly_secret_clear_sync (account_id, NULL, &error));
  g_assert_no_error (error);
}

static void
assert_password (const char *account_id,
                 const char *user,
                 const char *expected)
{
  g_autofree char *password = lookup (account_id, user);

  g_assert_cmpstr (password, ==, expected);
}

static void
test_sync_round_trip (void)
{
  if (!have_keyring ())
    return;

  g_assert_false (has_password ("account-sync", "office"));
  assert_password ("account-sync", "office", NULL);

  store ("account-sync", "office", "first password");
  store ("account-other", "office", "someone else's");
  g_assert_true (has_password ("account-sync", "office"));
  assert_password ("account-sync", "office", "first password");

  /* changed: replaced, not added */
  store ("account-sync", "office", "第二个密码 with spaces");
  assert_password ("account-sync", "office", "第二个密码 with spaces");

  /* another user: the old user's password goes, the other account's stays */
  store ("account-sync", "boss", "the boss's");
  assert_password ("account-sync", "boss", "the boss's");
  assert_password ("account-sync", "office", NULL);
  g_assert_false (has_password ("account-sync", "office"));
  assert_password ("account-other", "office", "someone else's");

  clear ("account-sync");
  assert_password ("account-sync", "boss", NULL);
  g_assert_false (has_password ("account-sync", "boss"));
  assert_password ("account-other", "office", "someone else's");

  /* clearing what is not there is no error */
  clear ("account-sync");
  clear ("account-other");
  assert_password ("account-other", "office", NULL);
}

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Wait;

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

/* Runs the main loop until the operation started last calls back */
static GAsyncResult *
wait_for (Wait *wait)
{
  g_main_loop_run (wait->loop);
  g_assert_nonnull (wait->result);
  return wait->result;
}

static void
wait_clear (Wait *wait)
{
  g_clear_object (&wait->result);
}

static void
test_async_round_trip (void)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  Wait wait = { loop, NULL };
  gboolean has = TRUE;
  char *password;

  if (!have_keyring ())
    return;

  singly_secret_store ("account-async", "office", NULL, "async password", NULL, done_cb, &wait);
  g_assert_true (singly_secret_store_finish (wait_for (&wait), &error));
  g_assert_no_error (error);
  wait_clear (&wait);

  singly_secret_lookup ("account-async", "office", NULL, done_cb, &wait);
  password = singly_secret_lookup_finish (wait_for (&wait), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "async password");
  singly_secret_free (password);
  wait_clear (&wait);

  singly_secret_has_password ("account-async", "office", NULL, done_cb, &wait);
  g_assert_true (singly_secret_has_password_finish (wait_for (&wait), &has, &error));
  g_assert_no_error (error);
  g_assert_true (has);
  wait_clear (&wait);

  /* changed, with another user: the first one's is gone */
  singly_secret_store ("account-async", "assistant", NULL, "changed", NULL, done_cb, &wait);
  g_assert_true (singly_secret_store_finish (wait_for (&wait), &error));
  g_assert_no_error (error);
  wait_clear (&wait);
  assert_password ("account-async", "assistant", "changed");
  assert_password ("account-async", "office", NULL);

  singly_secret_clear ("account-async", NULL, done_cb, &wait);
  g_assert_true (singly_secret_clear_finish (wait_for (&wait), &error));
  g_assert_no_error (error);
  wait_clear (&wait);

  singly_secret_lookup ("account-async", "assistant", NULL, done_cb, &wait);
  password = singly_secret_lookup_finish (wait_for (&wait), &error);
  g_assert_no_error (error);
  g_assert_null (password);
  wait_clear (&wait);

  singly_secret_has_password ("account-async", "assistant", NULL, done_cb, &wait);
  g_assert_true (singly_secret_has_password_finish (wait_for (&wait), &has, &error));
  g_assert_false (has);
  wait_clear (&wait);
}

/* Binary-safe: the keyring file holds NUL bytes */
static gboolean
contains_bytes (const char *haystack,
                gsize       length,
                const char *needle)
{
  gsize needle_length = strlen (needle);

  for (gsize i = 0; i + needle_length <= length; i++)
    if (memcmp (haystack + i, needle, needle_length) == 0)
      return TRUE;
  return FALSE;
}

/* Every regular file under @path holding @needle */
static void
find_in_files (const char *path,
               const char *needle,
               GPtrArray  *found,
               guint      *n_files)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        {
          find_in_files (child, needle, found, n_files);
          continue;
        }
      if (!g_file_test (child, G_FILE_TEST_IS_REGULAR) ||
          !g_file_get_contents (child, &contents, &length, NULL))
        continue;
      (*n_files)++;
      if (contains_bytes (contents, length, needle))
        g_ptr_array_add (found, g_steal_pointer (&child));
    }
}

static void
test_not_on_disk (void)
{
  const char *password = "Zebra-Quartz-7781-never-on-disk";
  const char *root = g_getenv ("SINGLY_KEYRING_ROOT");
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SinglyAccountStore) accounts = NULL;
  g_autoptr(SinglyAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *keyring = NULL;
  g_autofree char *path = NULL;
  SinglyAccountItem *item;
  GStatBuf st;
  guint n_files = 0;

  if (!have_keyring ())
    return;

  /* as the preferences do it: an account in accounts.ini, its password
   * in the keyring */
  path = g_build_filename (g_get_user_config_dir (), "singly", "accounts.ini", NULL);
  accounts = singly_account_store_new (path);
  account = singly_account_new_smtp ("smtp.example.org", 587, SINGLY_SECURITY_STARTTLS,
                                     "Office", "office@example.org");
  account->name = g_strdup ("Office");
  account->user = g_strdup ("office@example.org");
  item = singly_account_store_add (accounts, account, &error);
  g_assert_no_error (error);
  g_assert_true (singly_account_store_save (accounts, &error));
  g_assert_no_error (error);
  store (singly_account_item_get_id (item), "office@example.org", password);
  assert_password (singly_account_item_get_id (item), "office@example.org", password);

  /* GNOME Keyring writes the keyring file as soon as an item changes */
  keyring = g_build_filename (g_get_user_data_dir (), "keyrings", "login.keyring", NULL);
  g_assert_cmpint (g_stat (keyring, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 0);

  find_in_files (root, password, found, &n_files);
  for (guint i = 0; i < found->len; i++)
    g_test_message ("the password is in clear in %s", (const char *) found->pdata[i]);
  g_assert_cmpuint (found->len, ==, 0);
  /* the keyring and accounts.ini at least were read */
  g_assert_cmpuint (n_files, >=, 2);

  clear (singly_account_item_get_id (item));
}

static void
test_removing_account_clears_password (void)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(SinglyAccountStore) accounts = NULL;
  g_autoptr(SinglyAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *first_id = NULL;
  g_autofree char *second_id = NULL;
  Wait wait = { loop, NULL };
  SinglyAccountItem *item;

  if (!have_keyring ())
    return;

  tmpdir = singly_test_tmpdir ();
  path = g_build_filename (tmpdir, "accounts.ini", NULL);
  accounts = singly_account_store_new (path);
  account = singly_account_new_smtp ("smtp.example.org", 465, SINGLY_SECURITY_TLS, NULL, "a@example.org");
  account->name = g_strdup ("First");
  account->user = g_strdup ("a@example.org");
  item = singly_account_store_add (accounts, account, &error);
  g_assert_no_error (error);
  first_id = g_strdup (singly_account_item_get_id (item));
  g_free (account->name);
  account->name = g_strdup ("Second");
  item = singly_account_store_add (accounts, account, &error);
  g_assert_no_error (error);
  second_id = g_strdup (singly_account_item_get_id (item));

  store (first_id, "a@example.org", "first");
  store (second_id, "a@example.org", "second");

  /* blocking, as singly-cli would */
  g_assert_true (singly_account_store_remove_sync (accounts, first_id, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (singly_account_store_lookup (accounts, first_id));
  assert_password (first_id, "a@example.org", NULL);
  assert_password (second_id, "a@example.org", "second");

  /* from the main loop, as the preferences will: out of the list at once */
  singly_account_store_remove (accounts, second_id, NULL, done_cb, &wait);
  g_assert_null (singly_account_store_lookup (accounts, second_id));
  g_assert_true (singly_account_store_remove_finish (accounts, wait_for (&wait), &error));
  g_assert_no_error (error);
  wait_clear (&wait);
  assert_password (second_id, "a@example.org", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (singly_account_store_get_accounts (accounts)), ==, 1);

  singly_test_rm_rf (tmpdir);
}

typedef struct
{
  goffset size;
  gint64  mtime;
} FileState;

static void
snapshot_files (const char *path,
                GHashTable *files)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      GStatBuf st;

      if (g_lstat (child, &st) != 0)
        continue;
      if (S_ISDIR (st.st_mode))
        snapshot_files (child, files);
      g_hash_table_insert (files, g_strdup (child),
                           g_strdup_printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
                                            (gint64) st.st_size, (gint64) st.st_mtime));
    }
}

static void
assert_same_files (GHashTable *before,
                   GHashTable *after)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *was = g_hash_table_lookup (before, key);

      if (was == NULL)
        g_test_message ("new: %s", (const char *) key);
      g_assert_nonnull (was);
      g_assert_cmpstr (was, ==, value);
    }
  g_assert_cmpuint (g_hash_table_size (before), ==, g_hash_table_size (after));
}

static void
assert_no_service (GError *error)
{
  g_assert_error (error, SINGLY_SECRET_ERROR, SINGLY_SECRET_ERROR_NO_SERVICE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "no Secret Service"));
}

static void
no_service_child (void)
{
  const char *root = g_getenv ("SINGLY_KEYRING_ROOT");
  g_autoptr(GHashTable) before = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) after = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *address = g_strdup_printf ("unix:path=%s/no-such-bus", root);
  g_autoptr(GError) error = NULL;
  Wait wait = { loop, NULL };
  gint64 start;
  gboolean has = FALSE;
  char *password;

  /* before anything connects: this process has never seen a bus */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
  snapshot_files (root, before);
  start = g_get_monotonic_time ();

  password = singly_secret_lookup_sync ("account-x", "office", NULL, &error);
  g_assert_null (password);
  assert_no_service (error);
  g_clear_error (&error);

  g_assert_false (singly_secret_store_sync ("account-x", "office", NULL, "nowhere to go", NULL, &error));
  assert_no_service (error);
  g_clear_error (&error);

  g_assert_false (singly_secret_has_password_sync ("account-x", "office", &has, NULL, &error));
  assert_no_service (error);
  g_clear_error (&error);

  g_assert_false (singly_secret_clear_sync ("account-x", NULL, &error));
  assert_no_service (error);
  g_clear_error (&error);

  singly_secret_store ("account-x", "office", NULL, "nowhere to go", NULL, done_cb, &wait);
  g_assert_false (singly_secret_store_finish (wait_for (&wait), &error));
  assert_no_service (error);
  g_clear_error (&error);
  wait_clear (&wait);

  singly_secret_lookup ("account-x", "office", NULL, done_cb, &wait);
  g_assert_null (singly_secret_lookup_finish (wait_for (&wait), &error));
  assert_no_service (error);
  g_clear_error (&error);
  wait_clear (&wait);

  /* at once, not after a D-Bus timeout */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);

  /* and no file of libsecret's own instead */
  snapshot_files (root, after);
  assert_same_files (before, after);
}

static void
test_no_service (void)
{
  if (!have_keyring ())
    return;

  if (g_test_subprocess ())
    {
      no_service_child ();
      return;
    }
  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/keyring/sync-round-trip", test_sync_round_trip);
  g_test_add_func ("/keyring/async-round-trip", test_async_round_trip);
  g_test_add_func ("/keyring/not-on-disk", test_not_on_disk);
  g_test_add_func ("/keyring/removing-account-clears-password", test_removing_account_clears_password);
  g_test_add_func ("/keyring/no-service", test_no_service);

  status = g_test_run ();
  /* libsecret's shared connection, so that leak checks see none */
  secret_service_disconnect ();
  return status;
}
