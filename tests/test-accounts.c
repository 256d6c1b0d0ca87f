/* test-accounts.c: the account store, accounts.ini, and the provider presets
 *
 * No keyring here (test-keyring.c has one): the session bus is pointed at
 * nothing before anything can connect, so that removing an account can
 * never reach the keyring of the person running the tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "singly-account-store.h"
#include "singly-presets.h"
#include "singly-secret.h"
#include "singly-test-util.h"

/* set in main() before GLib reads the environment */
static char *config_home;
static char *documents;

typedef struct
{
  char *tmpdir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->tmpdir = singly_test_tmpdir ();
  fixture->path = g_build_filename (fixture->tmpdir, "conf", "accounts.ini", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  singly_test_rm_rf (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->path);
}

static SinglyAccount *
office_account (void)
{
  SinglyAccount *account = singly_account_new_folder ("/nowhere", NULL, NULL);

  g_free (account->name);
  account->name = g_strdup ("公司邮箱 Office");
  account->sender_name = g_strdup ("Example Trading 示例贸易");
  account->sender_address = g_strdup ("office@example.org");
  account->user = g_strdup ("office@example.org");
  singly_preset_apply (singly_preset_lookup ("gmail"), account);
  return account;
}

static void
assert_accounts_equal (const SinglyAccount *a,
                       const SinglyAccount *b)
{
  g_assert_cmpint (a->kind, ==, b->kind);
  g_assert_cmpstr (a->id, ==, b->id);
  g_assert_cmpstr (a->name, ==, b->name);
  g_assert_cmpstr (a->preset, ==, b->preset);
  g_assert_cmpstr (a->sender_name, ==, b->sender_name);
  g_assert_cmpstr (a->sender_address, ==, b->sender_address);
  g_assert_cmpstr (a->folder, ==, b->folder);
  g_assert_cmpstr (a->host, ==, b->host);
  g_assert_cmpuint (a->port, ==, b->port);
  g_assert_cmpint (a->security, ==, b->security);
  g_assert_cmpstr (a->user, ==, b->user);
  g_assert_cmpint (a->auth, ==, b->auth);
  g_assert_cmpstr (a->token_command, ==, b->token_command);
  g_assert_cmpstr (a->ca_file, ==, b->ca_file);
  g_assert_cmpstr (a->pinned_sha256, ==, b->pinned_sha256);
  g_assert_cmpint (a->request_dsn, ==, b->request_dsn);
  g_assert_cmpuint (a->timeout_ms, ==, b->timeout_ms);
  g_assert_cmpfloat_with_epsilon (a->pacing.interval, b->pacing.interval, 1e-6);
  g_assert_cmpfloat_with_epsilon (a->pacing.jitter, b->pacing.jitter, 1e-6);
  g_assert_cmpuint (a->pacing.max_per_minute, ==, b->pacing.max_per_minute);
  g_assert_cmpuint (a->pacing.max_per_hour, ==, b->pacing.max_per_hour);
  g_assert_cmpuint (a->pacing.max_per_day, ==, b->pacing.max_per_day);
  g_assert_cmpuint (a->pacing.max_per_connection, ==, b->pacing.max_per_connection);
}

static SinglyAccountItem *
item_at (SinglyAccountStore *store,
         guint               position)
{
  g_autoptr(SinglyAccountItem) item = g_list_model_get_item (singly_account_store_get_accounts (store), position);

  return item;
}

static guint
n_accounts (SinglyAccountStore *store)
{
  return g_list_model_get_n_items (singly_account_store_get_accounts (store));
}

static SinglyAccountStore *
reload (const char *path)
{
  g_autoptr(SinglyAccountStore) store = singly_account_store_new (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (singly_account_store_load (store, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&store);
}

static void
test_only_default (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SinglyAccountStore) store = reload (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *default_folder = singly_account_store_default_folder ();
  SinglyAccountItem *item;
  const SinglyAccount *account;

  /* no file: "Save to folder" alone, and nothing written by reading */
  g_assert_cmpuint (n_accounts (store), ==, 1);
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
  item = item_at (store, 0);
  account = singly_account_item_get_account (item);
  g_assert_true (singly_account_item_is_default (item));
  g_assert_cmpstr (singly_account_item_get_id (item), ==, SINGLY_ACCOUNT_STORE_DEFAULT_ID);
  g_assert_cmpint (account->kind, ==, SINGLY_ACCOUNT_FOLDER);
  g_assert_cmpstr (account->name, ==, "Save to folder");

  /* Documents/Singly, the Documents folder being what user-dirs.dirs says */
  folder = g_build_filename (documents, "Singly", NULL);
  g_assert_cmpstr (account->folder, ==, folder);
  g_assert_cmpstr (default_folder, ==, folder);

  g_assert_true (singly_account_store_lookup_by_name (store, "save TO folder") == item);
  g_assert_true (singly_account_store_find (store, SINGLY_ACCOUNT_STORE_DEFAULT_ID) == item);
  g_assert_null (singly_account_store_find (store, "Office"));

  g_assert_false (singly_account_store_remove_sync (store, SINGLY_ACCOUNT_STORE_DEFAULT_ID, NULL, &error));
  g_assert_error (error, SINGLY_ACCOUNT_STORE_ERROR, SINGLY_ACCOUNT_STORE_ERROR_DEFAULT);
  g_assert_cmpuint (n_accounts (store), ==, 1);
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(SinglyAccountStore) store = singly_account_store_new (fixture->path);
  g_autoptr(SinglyAccountStore) again = NULL;
  g_autoptr(SinglyAccount) office = office_account ();
  g_autoptr(SinglyAccount) relay = NULL;
  g_autoptr(SinglyAccount) archive = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *folded = NULL;
  g_autofree char *office_id = NULL;
  g_autofree char *relay_id = NULL;
  g_autofree char *folder = NULL;
  SinglyAccountItem *item;
  GStatBuf st;

  item = singly_account_store_add (store, office, &error);
  g_assert_no_error (error);
  office_id = g_strdup (singly_account_item_get_id (item));
  g_assert_true (g_str_has_prefix (office_id, "account-"));
  g_assert_cmpstr (singly_account_item_get_account (item)->preset, ==, "gmail");

  relay = singly_account_new_smtp ("relay.example.org", 2525, SINGLY_SECURITY_STARTTLS,
                                   NULL, "news@example.org");
  relay->name = g_strdup ("Relay, with OAuth2");
  relay->user = g_strdup ("news@example.org");
  relay->auth = SINGLY_SMTP_AUTH_XOAUTH2;
  relay->token_command = g_strdup ("oauth2-helper --account news \"quoted\" = ok");
  relay->ca_file = g_strdup ("/etc/company/ca.pem");
  relay->pinned_sha256 = g_strdup ("AB:CD:EF");
  relay->request_dsn = FALSE;
  relay->timeout_ms = 12500;
  relay->pacing = (SinglyPacing) { 1.5, 0.25, 12, 300, 2000, 40 };
  item = singly_account_store_add (store, relay, &error);
  g_assert_no_error (error);
  relay_id = g_strdup (singly_account_item_get_id (item));
  g_assert_cmpstr (relay_id, !=, office_id);

  archive = singly_account_new_folder ("/srv/archive", NULL, "archive@example.org");
  g_free (archive->name);
  archive->name = g_strdup ("Archive");
  g_assert_nonnull (singly_account_store_add (store, archive, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_accounts (store), ==, 4);

  /* names are one account whatever the case */
  g_assert_true (singly_account_store_lookup_by_name (store, "公司邮箱 OFFICE") ==
                 singly_account_store_lookup (store, office_id));
  g_assert_true (singly_account_store_find (store, relay_id) ==
                 singly_account_store_lookup_by_name (store, "relay, WITH oauth2"));

  g_assert_true (singly_account_store_save (store, &error));
  g_assert_no_error (error);

  /* readable by the user alone, in a folder only the user can open */
  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  folder = g_path_get_dirname (fixture->path);
  g_assert_cmpint (g_stat (folder, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  /* no secret, nor anything called one */
  g_file_get_contents (fixture->path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%s", contents);
  folded = g_utf8_casefold (contents, -1);
  g_assert_null (strstr (folded, "password"));
  g_assert_null (strstr (folded, "passwd"));
  g_assert_nonnull (strstr (contents, "[account-"));
  /* the default account is not written until it is changed */
  g_assert_null (strstr (contents, "[" SINGLY_ACCOUNT_STORE_DEFAULT_ID "]"));

  again = reload (fixture->path);
  g_assert_cmpuint (n_accounts (again), ==, 4);
  for (guint i = 0; i < 4; i++)
    assert_accounts_equal (singly_account_item_get_account (item_at (store, i)),
                           singly_account_item_get_account (item_at (again, i)));
  g_assert_true (singly_account_item_is_default (item_at (again, 0)));
  g_assert_cmpstr (singly_account_item_get_id (item_at (again, 1)), ==, office_id);
  g_assert_cmpstr (singly_account_item_get_id (item_at (again, 2)), ==, relay_id);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *n_notified)
{
  (*n_notified)++;
}

static void
count_items_changed_cb (GListModel *model,
                        guint       position,
                        guint       removed,
                        guint       added,
                        GString    *log)
{
  g_string_append_printf (log, "%u-%u+%u ", position, removed, added);
}

static void
test_update_and_remove (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(SinglyAccountStore) store = singly_account_store_new (fixture->path);
  g_autoptr(SinglyAccountStore) again = NULL;
  g_autoptr(SinglyAccount) office = office_account ();
  g_autoptr(SinglyAccount) archive = singly_account_new_folder ("/srv/archive", NULL, NULL);
  g_autoptr(SinglyAccount) changed = NULL;
  g_autoptr(SinglyAccount) default_changed = NULL;
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *office_id = NULL;
  g_autofree char *archive_id = NULL;
  g_autofree char *contents = NULL;
  SinglyAccountItem *item;
  guint n_notified = 0;

  g_signal_connect (singly_account_store_get_accounts (store), "items-changed",
                    G_CALLBACK (count_items_changed_cb), log);

  item = singly_account_store_add (store, office, &error);
  g_assert_no_error (error);
  office_id = g_strdup (singly_account_item_get_id (item));
  g_free (archive->name);
  archive->name = g_strdup ("Archive");
  archive_id = g_strdup (singly_account_item_get_id (singly_account_store_add (store, archive, &error)));
  g_assert_no_error (error);
  g_assert_cmpstr (log->str, ==, "1-0+1 2-0+1 ");

  /* the item stays, its properties tell the rows bound to them */
  g_signal_connect (item, "notify::name", G_CALLBACK (count_notify_cb), &n_notified);
  changed = singly_account_copy (singly_account_item_get_account (item));
  g_free (changed->name);
  changed->name = g_strdup ("Renamed");
  changed->port = 587;
  changed->security = SINGLY_SECURITY_STARTTLS;
  g_free (changed->id);
  changed->id = g_strdup ("ignored");
  g_assert_true (singly_account_store_update (store, office_id, changed, &error));
  g_assert_no_error (error);
  g_assert_true (singly_account_store_lookup (store, office_id) == item);
  g_assert_cmpuint (n_notified, ==, 1);
  g_assert_cmpstr (singly_account_item_get_name (item), ==, "Renamed");
  g_assert_cmpstr (singly_account_item_get_id (item), ==, office_id);
  g_assert_null (singly_account_store_lookup_by_name (store, "公司邮箱 Office"));

  /* the default account: a folder and a sender of the user's choosing */
  default_changed = singly_account_new_folder ("/srv/outbox", "Office", "office@example.org");
  g_assert_true (singly_account_store_update (store, SINGLY_ACCOUNT_STORE_DEFAULT_ID, default_changed, &error));
  g_assert_no_error (error);
  default_changed->kind = SINGLY_ACCOUNT_SMTP;
  default_changed->host = g_strdup ("smtp.example.org");
  g_assert_false (singly_account_store_update (store, SINGLY_ACCOUNT_STORE_DEFAULT_ID, default_changed, &error));
  g_assert_error (error, SINGLY_ACCOUNT_STORE_ERROR, SINGLY_ACCOUNT_STORE_ERROR_DEFAULT);
  g_clear_error (&error);

  g_assert_false (singly_account_store_update (store, "account-none", changed, &error));
  g_assert_error (error, SINGLY_ACCOUNT_STORE_ERROR, SINGLY_ACCOUNT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* a folder account has no password: removed without the keyring */
  g_assert_true (singly_account_store_remove_sync (store, archive_id, NULL, &error));
  g_assert_no_error (error);

  /* an SMTP account's passwords cannot be deleted with no keyring: it is
   * gone from the list all the same, and the caller hears why */
  g_assert_false (singly_account_store_remove_sync (store, office_id, NULL, &error));
  g_assert_error (error, SINGLY_SECRET_ERROR, SINGLY_SECRET_ERROR_NO_SERVICE);
  g_clear_error (&error);
  g_assert_null (singly_account_store_lookup (store, office_id));
  g_assert_cmpstr (log->str, ==, "1-0+1 2-0+1 2-1+0 1-1+0 ");

  g_assert_false (singly_account_store_remove_sync (store, office_id, NULL, &error));
  g_assert_error (error, SINGLY_ACCOUNT_STORE_ERROR, SINGLY_ACCOUNT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (singly_account_store_save (store, &error));
  g_assert_no_error (error);
  g_file_get_contents (fixture->path, &contents, NULL, NULL);
  g_assert_nonnull (strstr (contents, "[" SINGLY_ACCOUNT_STORE_DEFAULT_ID "]"));
  g_assert_null (strstr (contents, "\nname="));

  again = reload (fixture->path);
  g_assert_cmpuint (n_accounts (again), ==, 1);
  {
    const SinglyAccount *account = singly_account_item_get_account (item_at (again, 0));

    g_assert_cmpstr (account->name, ==, "Save to folder");
    g_assert_cmpstr (account->folder, ==, "/srv/outbox");
    g_assert_cmpstr (account->sender_name, ==, "Office");
    g_assert_cmpstr (account->sender_address, ==, "office@example.org");
  }
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(SinglyAccountStore) store = singly_account_store_new (fixture->path);
  g_autoptr(SinglyAccount) office = office_account ();
  g_autoptr(SinglyAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (singly_account_store_add (store, office, &error));
  g_assert_no_error (error);

  /* a name taken, in another case; or the default account's */
  account = singly_account_copy (office);
  g_free (account->name);
  account->name = g_strdup ("  公司邮箱 OFFICE ");
  g_assert_null (singly_account_store_add (store, account, &error));
  g_assert_error (error, SINGLY_ACCOUNT_STORE_ERROR, SINGLY_ACCOUNT_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  g_free (account->name);
  account->name = g_strdup ("save to folder");
  g_assert_null (singly_account_store_add (store, account, &error));
  g_assert_error (error, SINGLY_ACCOUNT_STORE_ERROR, SINGLY_ACCOUNT_STORE_ERROR_EXISTS);
  g_clear_error (&error);

  g_free (account->name);
  account->name = g_strdup (" ");
  g_assert_null (singly_account_store_add (store, account, &error));
  g_assert_error (error, SINGLY_ACCOUNT_STORE_ERROR, SINGLY_ACCOUNT_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_free (account->name);
  account->name = g_strdup ("No server");
  g_clear_pointer (&account->host, g_free);
  g_assert_null (singly_account_store_add (store, account, &error));
  g_assert_error (error, SINGLY_ACCOUNT_STORE_ERROR, SINGLY_ACCOUNT_STORE_ERROR_INVALID);
  g_clear_error (&error);

  account->host = g_strdup ("smtp.example.org");
  g_free (account->sender_address);
  account->sender_address = g_strdup ("not an address");
  g_assert_null (singly_account_store_add (store, account, &error));
  g_assert_error (error, SINGLY_ACCOUNT_STORE_ERROR, SINGLY_ACCOUNT_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_cmpuint (n_accounts (store), ==, 2);
}

static void
test_default_path (void)
{
  g_autoptr(SinglyAccountStore) store = singly_account_store_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = g_build_filename (config_home, "singly", "accounts.ini", NULL);
  g_autofree char *folder = g_build_filename (config_home, "singly", NULL);
  GStatBuf st;

  g_assert_cmpstr (singly_account_store_get_path (store), ==, expected);

  /* Singly's folder is made private even when something else made it */
  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  g_assert_cmpint (g_chmod (folder, 0755), ==, 0);
  g_assert_true (singly_account_store_load (store, &error));
  g_assert_true (singly_account_store_save (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (folder, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (expected, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_broken_files (Fixture       *fixture,
                   gconstpointer  data)
{
  static const struct { const char *contents; guint line; const char *says; } cases[] = {
    { "[account-1]\nname=A\nhost=smtp.example.org\nport=abc\n", 4, "port" },
    { "# accounts\n\njust some words\n", 3, "neither" },
    { "name=A\n[account-1]\n", 1, "before" },
    { "[account-1]\nname=A\nkind=smtq\nhost=h\n", 3, "kind" },
    { "[account-1]\nname=A\nhost=h\nsecurity=ssl\n", 4, "security" },
    { "[account-1]\nname=A\nhost=h\nport=70000\n", 4, "port" },
    { "[account-1]\nname=A\nhost=h\ninterval=-1\n", 4, "interval" },
    { "[account-1]\nname=A\nhost=h\nrequest-dsn=maybe\n", 4, "request-dsn" },
    { "[account-1]\nname=A\nkind=smtp\n", 1, "host" },
    { "[account-1]\nhost=h\n", 1, "name" },
    { "[account-1]\nname=\xff\xfe\n", 2, "UTF-8" },
    { "[account-1]\nname=A\nhost=h\n\n[account-1]\nname=B\n", 5, "twice" },
    { "[account-1]\nname=A\nhost=h\n[account-2]\nname=a\nhost=h\n", 5, "already" },
    { "[account-1\nname=A\n", 1, "group" },
    { "[save-to-folder]\nkind=smtp\n", 2, "folder" },
    { "[account-1]\nname=A\nhost=h\nsender-address=nobody\n", 4, "nobody" },
  };
  g_autoptr(SinglyAccountStore) store = singly_account_store_new (fixture->path);
  g_autoptr(SinglyAccount) office = office_account ();
  g_autofree char *folder = g_path_get_dirname (fixture->path);
  g_autoptr(GError) error = NULL;

  /* what was loaded stays when a later load fails */
  g_assert_nonnull (singly_account_store_add (store, office, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *prefix = g_strdup_printf ("%s:%u: ", fixture->path, cases[i].line);

      g_file_set_contents (fixture->path, cases[i].contents, -1, &error);
      g_assert_no_error (error);
      g_assert_false (singly_account_store_load (store, &error));
      g_test_message ("case %u: %s", i, error->message);
      g_assert_error (error, SINGLY_ACCOUNT_STORE_ERROR, SINGLY_ACCOUNT_STORE_ERROR_PARSE);
      g_assert_true (g_str_has_prefix (error->message, prefix));
      g_assert_nonnull (strstr (error->message, cases[i].says));
      g_clear_error (&error);
      g_assert_cmpuint (n_accounts (store), ==, 2);
    }

  /* and what GKeyFile reads, the store reads: CRLF, comments, blanks,
   * spaces around "=", escapes, keys it does not know (a later version's) */
  g_file_set_contents (fixture->path,
                       "# hand-written\r\n\r\n[account-1]\r\n  name = Hand made\r\n"
                       "host=smtp.example.org\r\nfuture-key=whatever\r\n"
                       "sender-name=Line\\sone\r\n",
                       -1, &error);
  g_assert_no_error (error);
  g_assert_true (singly_account_store_load (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_accounts (store), ==, 2);
  g_assert_cmpstr (singly_account_item_get_name (item_at (store, 1)), ==, "Hand made");
  g_assert_cmpstr (singly_account_item_get_account (item_at (store, 1))->sender_name, ==, "Line one");
}

static void
test_presets_table (void)
{
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  const SinglyPreset *presets;
  const SinglyPreset *outlook, *gmail;
  guint n = 0;

  presets = singly_presets_get_all (&n);
  g_assert_cmpuint (n, >=, 7);
  g_assert_cmpstr (presets[n - 1].id, ==, SINGLY_PRESET_CUSTOM);

  for (guint i = 0; i < n; i++)
    {
      const SinglyPreset *preset = &presets[i];

      g_test_message ("%s: %s:%u", preset->id, preset->host, preset->port);
      g_assert_true (g_hash_table_add (ids, (gpointer) preset->id));
      g_assert_true (singly_preset_lookup (preset->id) == preset);
      g_assert_cmpstr (singly_preset_get_name (preset), !=, "");
      g_assert_nonnull (singly_preset_get_note (preset));
      g_assert_cmpuint (preset->port, >, 0);
      /* never a provider without encryption, and the usual port for each */
      g_assert_cmpint (preset->security, !=, SINGLY_SECURITY_NONE);
      if (preset->security == SINGLY_SECURITY_TLS)
        g_assert_cmpuint (preset->port, ==, 465);
      else
        g_assert_cmpuint (preset->port, ==, 587);
      g_assert_nonnull (preset->domains);

      if (g_str_equal (preset->id, SINGLY_PRESET_CUSTOM))
        {
          g_assert_null (preset->host);
          continue;
        }

      g_assert_nonnull (preset->host);
      g_assert_true (g_str_has_prefix (preset->host, "smtp."));
      /* every provider limits the day; Singly keeps a pace under it */
      g_assert_cmpuint (preset->pacing.max_per_day, >, 0);
      g_assert_cmpfloat (preset->pacing.interval, >, 0);
      g_assert_cmpuint (preset->pacing.max_per_minute, >, 0);
      if (preset->pacing.max_per_hour > 0)
        g_assert_cmpuint (preset->pacing.max_per_hour, <=, preset->pacing.max_per_day);
    }

  g_assert_null (singly_preset_lookup ("no-such-provider"));

  outlook = singly_preset_lookup ("outlook");
  g_assert_nonnull (outlook);
  g_assert_cmpstr (outlook->host, ==, "smtp.office365.com");
  g_assert_cmpint (outlook->security, ==, SINGLY_SECURITY_STARTTLS);
  g_assert_cmpuint (outlook->pacing.max_per_minute, >, 0);
  g_assert_cmpuint (outlook->pacing.max_per_minute, <=, 30);
  g_assert_cmpuint (outlook->pacing.max_per_day, <=, 10000);

  gmail = singly_preset_lookup ("gmail");
  g_assert_nonnull (gmail);
  g_assert_cmpuint (gmail->pacing.max_per_day, <=, 500);

  g_assert_cmpstr (singly_preset_lookup ("qq")->host, ==, "smtp.qq.com");
  g_assert_cmpstr (singly_preset_lookup ("163")->host, ==, "smtp.163.com");
  g_assert_cmpstr (singly_preset_lookup ("exmail")->host, ==, "smtp.exmail.qq.com");
  g_assert_cmpstr (singly_preset_lookup ("aliyun")->host, ==, "smtp.qiye.aliyun.com");
  g_assert_nonnull (strstr (singly_preset_get_note (singly_preset_lookup ("qq")), "授权码"));
  g_assert_nonnull (strstr (singly_preset_get_note (singly_preset_lookup ("163")), "客户端授权密码"));
}

static void
test_presets_guess (void)
{
  static const struct { const char *address; const char *id; } cases[] = {
    { "someone@gmail.com", "gmail" },
    { "Someone@GoogleMail.COM", "gmail" },
    { "someone@gmail.com.", "gmail" },
    { "someone@outlook.com", "outlook" },
    { "someone@hotmail.com", "outlook" },
    { "someone@live.com", "outlook" },
    { "12345@qq.com", "qq" },
    { "someone@foxmail.com", "qq" },
    { "someone@163.com", "163" },
    { "someone@example.com", NULL },
    { "someone@mail.gmail.com.evil.example", NULL },
    { "no-at-sign", NULL },
    { "trailing@", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const SinglyPreset *preset = singly_preset_guess (cases[i].address);

      g_assert_cmpstr (preset ? preset->id : NULL, ==, cases[i].id);
    }
}

static void
test_presets_apply (void)
{
  g_autoptr(SinglyAccount) account = singly_account_new_folder ("/srv/out", "Office", "office@163.com");
  const SinglyPreset *preset = singly_preset_guess (account->sender_address);

  account->user = g_strdup ("office@163.com");
  g_assert_nonnull (preset);
  singly_preset_apply (preset, account);
  g_assert_cmpint (account->kind, ==, SINGLY_ACCOUNT_SMTP);
  g_assert_cmpstr (account->preset, ==, "163");
  g_assert_cmpstr (account->host, ==, "smtp.163.com");
  g_assert_cmpuint (account->port, ==, 465);
  g_assert_cmpint (account->security, ==, SINGLY_SECURITY_TLS);
  g_assert_cmpuint (account->pacing.max_per_day, ==, preset->pacing.max_per_day);
  g_assert_cmpfloat_with_epsilon (account->pacing.interval, preset->pacing.interval, 1e-9);
  /* what is the user's stays */
  g_assert_cmpstr (account->user, ==, "office@163.com");
  g_assert_cmpstr (account->sender_name, ==, "Office");

  /* "Other": the server and limits are the user's to set */
  g_free (account->host);
  account->host = g_strdup ("mail.example.org");
  account->port = 2525;
  singly_preset_apply (singly_preset_lookup (SINGLY_PRESET_CUSTOM), account);
  g_assert_cmpstr (account->preset, ==, SINGLY_PRESET_CUSTOM);
  g_assert_cmpstr (account->host, ==, "mail.example.org");
  g_assert_cmpuint (account->port, ==, 2525);
  g_assert_cmpuint (account->pacing.max_per_day, ==, preset->pacing.max_per_day);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *root = NULL;
  g_autofree char *dirs = NULL;
  g_autofree char *dirs_path = NULL;
  int status;

  /* before anything reads the environment: a private configuration
   * folder, a Documents folder that user-dirs.dirs names, and no bus */
  root = singly_test_tmpdir ();
  config_home = g_build_filename (root, "config", NULL);
  documents = g_build_filename (root, "home", "Papers", NULL);
  g_mkdir_with_parents (config_home, 0700);
  dirs = g_strdup_printf ("XDG_DOCUMENTS_DIR=\"%s\"\n", documents);
  dirs_path = g_build_filename (config_home, "user-dirs.dirs", NULL);
  g_file_set_contents (dirs_path, dirs, -1, NULL);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/singly-test-bus", TRUE);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/accounts/only-default", test_only_default);
  ADD ("/accounts/round-trip", test_round_trip);
  ADD ("/accounts/update-and-remove", test_update_and_remove);
  ADD ("/accounts/refused", test_refused);
  ADD ("/accounts/broken-files", test_broken_files);
  g_test_add_func ("/accounts/default-path", test_default_path);
  g_test_add_func ("/presets/table", test_presets_table);
  g_test_add_func ("/presets/guess", test_presets_guess);
  g_test_add_func ("/presets/apply", test_presets_apply);

  status = g_test_run ();
  singly_test_rm_rf (root);
  g_free (config_home);
  g_free (documents);
  return status;
}
