/* test-app-preferences.c: the Preferences window and its accounts, as a user goes through them
 *
 * Opens Preferences, adds an account from a provider preset, points it
 * at aiosmtpd (STARTTLS and AUTH) on 127.0.0.1 with a CA made by the
 * test, and presses Test Connection: success, a wrong password, an
 * untrusted certificate that is then trusted. Saves, reopens, deletes.
 *
 * Run twice by meson: with a keyring (SINGLY_TEST_KEYRING=1: GNOME
 * Keyring on the test's own session bus, in its own HOME), where the
 * password must land in the keyring and in no file under HOME; and
 * without one, in Chinese, where it must be kept for the session only
 * and the window must say so. SINGLY_SCREENSHOT_PREFIX names each run's
 * screenshots.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "singly-account-editor.h"
#include "singly-app-test.h"
#include "singly-presets.h"
#include "singly-preferences-window.h"
#include "singly-secret.h"
#include "singly-test-certs.h"
#include "singly-test-server.h"
#include "singly-test-util.h"

#define PASSWORD "Str0ng-Test-Pa55word"

static char *certs;
static gboolean with_keyring;

/* Helpers */

static void
shot (GtkWidget  *widget,
      const char *name)
{
  const char *prefix = g_getenv ("SINGLY_SCREENSHOT_PREFIX");
  g_autofree char *full = g_strconcat (prefix ? prefix : "", name, NULL);

  singly_app_test_screenshot (widget, full);
}

static gpointer
child (SinglyAccountEditor *editor,
       const char          *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (editor), SINGLY_TYPE_ACCOUNT_EDITOR, name);

  g_assert_nonnull (object);
  return object;
}

static void
type_into (SinglyAccountEditor *editor,
           const char          *row,
           const char          *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (editor, row)), text);
}

static const char *
text_of (SinglyAccountEditor *editor,
         const char          *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (child (editor, row)));
}

static guint
preset_index (const char *id)
{
  const SinglyPreset *presets;
  guint n;

  presets = singly_presets_get_all (&n);
  for (guint i = 0; i < n; i++)
    if (g_str_equal (presets[i].id, id))
      return i;
  g_assert_not_reached ();
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_descendant (c, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Scrolls the editor so that @target is near the top, as a user would
 * to read the result of a test */
static void
scroll_to (SinglyAccountEditor *editor,
           const char          *target)
{
  GtkWidget *scrolled = find_descendant (GTK_WIDGET (child (editor, "page")), GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment;
  graphene_point_t point;

  g_assert_nonnull (scrolled);
  singly_app_test_iterate (100);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (child (editor, target)), scrolled,
                                           &GRAPHENE_POINT_INIT (0, 0), &point));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + point.y - 60);
}

static SinglyPreferencesWindow *
find_preferences (void)
{
  SinglyPreferencesWindow *found = NULL;
  guint n = 0;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (singly_app_test_get_application ()));
       l != NULL; l = l->next)
    if (SINGLY_IS_PREFERENCES_WINDOW (l->data))
      {
        found = l->data;
        n++;
      }
  g_assert_cmpuint (n, <=, 1);
  return found;
}

static char *done_message;

static void
done_cb (SinglyAccountEditor *editor,
         const char          *message,
         guint               *n_done)
{
  g_free (done_message);
  done_message = g_strdup (message);
  (*n_done)++;
}

static const SinglyAccountCheckResult *
press_test (SinglyAccountEditor       *editor,
            SinglyAccountCheckOutcome  expected)
{
  const SinglyAccountCheckResult *result;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.test", NULL));
  /* in the background: the spinner turns while the window goes on */
  g_assert_true (singly_account_editor_get_checking (editor));
  g_assert_true (gtk_widget_get_visible (child (editor, "test_spinner")));
  g_assert_true (gtk_widget_get_visible (child (editor, "cancel_test_button")));
  SINGLY_WAIT_FOR (!singly_account_editor_get_checking (editor), 60000);

  result = singly_account_editor_get_check_result (editor);
  g_assert_nonnull (result);
  g_test_message ("test: %s\n%s", result->summary, result->detail);
  g_assert_cmpint (result->outcome, ==, expected);
  /* what the row shows is the sentence, the detail one click away */
  g_assert_true (gtk_widget_get_visible (child (editor, "result_row")));
  g_assert_cmpstr (adw_preferences_row_get_title (child (editor, "result_row")), ==, result->summary);
  g_assert_true (gtk_widget_get_visible (child (editor, "details_row")));
  g_assert_cmpstr (gtk_label_get_text (child (editor, "details_label")), ==, result->detail);
  return result;
}

/* memmem(), which is a GNU extension */
static gboolean
holds_bytes (const char *data,
             gsize       length,
             const char *needle)
{
  gsize needle_length = strlen (needle);

  for (gsize i = 0; needle_length <= length && i <= length - needle_length; i++)
    if (memcmp (data + i, needle, needle_length) == 0)
      return TRUE;
  return FALSE;
}

static void
assert_no_file_holds (const char *dir,
                      const char *secret)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  if (listing == NULL)
    return;
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        assert_no_file_holds (path, secret);
      else if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          g_autofree char *contents = NULL;
          gsize length = 0;

          if (g_file_get_contents (path, &contents, &length, NULL) &&
              holds_bytes (contents, length, secret))
            g_error ("%s holds the password", path);
        }
    }
}

static char *
read_accounts_ini (void)
{
  SinglyAccountStore *store = singly_application_get_account_store (singly_app_test_get_application ());
  char *contents = NULL;

  if (!g_file_get_contents (singly_account_store_get_path (store), &contents, NULL, NULL))
    return g_strdup ("");
  return contents;
}

static SinglyPreferencesWindow *
open_preferences (SinglyWindow *window)
{
  SinglyApplication *app = singly_app_test_get_application ();
  SinglyPreferencesWindow *prefs;

  /* the primary menu's "Preferences", or Ctrl+comma */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  prefs = find_preferences ();
  g_assert_nonnull (prefs);
  SINGLY_WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (prefs)), 10000);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (prefs)) == GTK_WINDOW (window));

  /* one at a time */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  g_assert_true (find_preferences () == prefs);
  return prefs;
}

/* Tests */

static void
test_menu_and_accel (void)
{
  SinglyApplication *app = singly_app_test_get_application ();
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.preferences");

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "preferences"));
  g_assert_nonnull (accels);
  g_assert_cmpstr (accels[0], ==, "<Control>comma");
}

static void
test_account_from_preset (void)
{
  SinglyApplication *app = singly_app_test_get_application ();
  SinglyAccountStore *store = singly_application_get_account_store (app);
  GListModel *accounts = singly_account_store_get_accounts (store);
  g_autoptr(SinglyTestServer) server = NULL;
  g_autofree char *cert = singly_test_certs_path (certs, "server.pem");
  g_autofree char *key = singly_test_certs_path (certs, "server.key");
  g_autofree char *ca = singly_test_certs_path (certs, "ca.pem");
  g_autofree char *fingerprint = singly_test_certs_fingerprint (certs, "server.pem");
  g_autofree char *account_id = NULL;
  g_autofree char *ini = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *session = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyAccountEditor) editor = NULL;
  const SinglyAccountCheckResult *result;
  const SinglyPreset *outlook = singly_preset_lookup ("outlook");
  SinglyPreferencesWindow *prefs;
  SinglyWindow *window;
  GtkListBox *list;
  GtkListBoxRow *row;
  AdwMessageDialog *dialog;
  guint n_done = 0;

  server = singly_test_server_start_aiosmtpd ("--mode", "starttls", "--cert", cert, "--key", key,
                                              "--user", "alice", "--password", PASSWORD, NULL);

  window = singly_app_test_new_window ();
  prefs = open_preferences (window);
  list = singly_preferences_window_get_accounts_list (prefs);

  /* a fresh machine: "Save to folder" alone */
  g_assert_cmpuint (g_list_model_get_n_items (accounts), ==, 1);
  row = gtk_list_box_get_row_at_index (list, 0);
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, _("Save to folder"));
  g_assert_null (gtk_list_box_get_row_at_index (list, 1));
  shot (GTK_WIDGET (prefs), "preferences-accounts");

  /* "Add Account" */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (prefs), "preferences.add-account", NULL));
  editor = g_object_ref (singly_preferences_window_get_editor (prefs));
  g_assert_nonnull (editor);
  g_signal_connect (editor, "done", G_CALLBACK (done_cb), &n_done);
  g_assert_false (gtk_widget_get_visible (child (editor, "delete_group")));
  shot (GTK_WIDGET (prefs), "preferences-new-account");

  /* typing a Gmail address guesses the provider */
  type_into (editor, "sender_address_row", "office@gmail.com");
  g_assert_cmpuint (adw_combo_row_get_selected (child (editor, "preset_row")), ==, preset_index ("gmail"));
  g_assert_cmpstr (text_of (editor, "host_row"), ==, "smtp.gmail.com");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (child (editor, "port_spin")), ==, 465);
  g_assert_cmpuint (adw_combo_row_get_selected (child (editor, "security_row")), ==, SINGLY_SECURITY_TLS);
  g_assert_cmpstr (text_of (editor, "user_row"), ==, "office@gmail.com");

  /* the user picks the provider: its server, limits and note */
  adw_combo_row_set_selected (child (editor, "preset_row"), preset_index ("outlook"));
  g_assert_cmpstr (text_of (editor, "host_row"), ==, "smtp.office365.com");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (child (editor, "port_spin")), ==, 587);
  g_assert_cmpuint (adw_combo_row_get_selected (child (editor, "security_row")), ==, SINGLY_SECURITY_STARTTLS);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (child (editor, "per_minute_spin")), ==,
                   outlook->pacing.max_per_minute);
  /* inside Microsoft's 30 a minute */
  g_assert_cmpint (gtk_spin_button_get_value_as_int (child (editor, "per_minute_spin")), <, 30);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (child (editor, "per_day_spin")), ==,
                   outlook->pacing.max_per_day);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (child (editor, "per_connection_spin")), ==,
                   outlook->pacing.max_per_connection);
  g_assert_cmpfloat (gtk_spin_button_get_value (child (editor, "interval_spin")), ==, outlook->pacing.interval);
  g_assert_true (gtk_widget_get_visible (child (editor, "preset_note_label")));
  g_assert_cmpstr (gtk_label_get_text (child (editor, "preset_note_label")), ==, singly_preset_get_note (outlook));
  shot (GTK_WIDGET (prefs), "preferences-preset");

  /* a picked provider stays picked whatever the address */
  type_into (editor, "sender_address_row", "office@example.org");
  g_assert_cmpuint (adw_combo_row_get_selected (child (editor, "preset_row")), ==, preset_index ("outlook"));
  g_assert_cmpstr (text_of (editor, "user_row"), ==, "office@example.org");

  /* no encryption: warned, and the usual port follows */
  adw_combo_row_set_selected (child (editor, "security_row"), SINGLY_SECURITY_NONE);
  g_assert_true (gtk_widget_get_visible (child (editor, "security_warning_row")));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (child (editor, "port_spin")), ==, 25);
  scroll_to (editor, "server_group");
  shot (GTK_WIDGET (prefs), "preferences-no-encryption");
  adw_combo_row_set_selected (child (editor, "security_row"), SINGLY_SECURITY_STARTTLS);
  g_assert_false (gtk_widget_get_visible (child (editor, "security_warning_row")));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (child (editor, "port_spin")), ==, 587);

  /* the company's server on this machine, with its own CA */
  type_into (editor, "name_row", "Office");
  type_into (editor, "sender_name_row", "Example Trading");
  type_into (editor, "host_row", "127.0.0.1");
  gtk_spin_button_set_value (child (editor, "port_spin"), singly_test_server_get_port (server));
  type_into (editor, "user_row", "alice");
  type_into (editor, "password_row", PASSWORD);
  singly_account_editor_set_ca_file (editor, ca);

  result = press_test (editor, SINGLY_ACCOUNT_CHECK_SUCCESS);
  g_assert_cmpstr (result->fingerprint, ==, fingerprint);
  g_assert_false (gtk_widget_get_visible (child (editor, "trust_row")));
  g_assert_cmpuint (singly_test_server_count_messages (server), ==, 0);
  scroll_to (editor, "login_group");
  shot (GTK_WIDGET (prefs), "preferences-test-success");

  /* a wrong password, in plain words */
  type_into (editor, "password_row", "not-the-password");
  result = press_test (editor, SINGLY_ACCOUNT_CHECK_WRONG_PASSWORD);
  g_assert_cmpstr (result->summary, ==,
                   _("The password was not accepted. If your provider asks for an app password, use that "
                     "instead of your normal password."));
  g_assert_nonnull (strstr (result->detail, "535"));
  scroll_to (editor, "login_group");
  shot (GTK_WIDGET (prefs), "preferences-test-wrong-password");

  /* without the CA: not trusted, with the fingerprint to compare */
  type_into (editor, "password_row", PASSWORD);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.clear-ca-file", NULL));
  result = press_test (editor, SINGLY_ACCOUNT_CHECK_CERTIFICATE_UNTRUSTED);
  g_assert_cmpstr (result->fingerprint, ==, fingerprint);
  g_assert_nonnull (strstr (gtk_label_get_text (child (editor, "details_label")), fingerprint));
  g_assert_true (gtk_widget_get_visible (child (editor, "trust_row")));
  g_assert_cmpstr (adw_action_row_get_subtitle (child (editor, "trust_row")), ==, fingerprint);
  adw_expander_row_set_expanded (child (editor, "details_row"), TRUE);
  scroll_to (editor, "test_group");
  shot (GTK_WIDGET (prefs), "preferences-test-untrusted");
  adw_expander_row_set_expanded (child (editor, "details_row"), FALSE);

  /* "Trust This Certificate" pins it, and tests again */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.trust-certificate", NULL));
  g_assert_true (singly_account_editor_get_checking (editor));
  SINGLY_WAIT_FOR (!singly_account_editor_get_checking (editor), 60000);
  result = singly_account_editor_get_check_result (editor);
  g_assert_cmpint (result->outcome, ==, SINGLY_ACCOUNT_CHECK_SUCCESS);
  g_assert_true (gtk_widget_get_visible (child (editor, "pinned_row")));
  g_assert_cmpstr (adw_action_row_get_subtitle (child (editor, "pinned_row")), ==, fingerprint);
  scroll_to (editor, "test_group");
  shot (GTK_WIDGET (prefs), "preferences-test-trusted");
  g_assert_false (gtk_widget_get_visible (child (editor, "ca_clear_button")));
  scroll_to (editor, "sending_group");
  shot (GTK_WIDGET (prefs), "preferences-limits-advanced");

  /* Save */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  SINGLY_WAIT_FOR (n_done == 1, 30000);
  g_assert_false (singly_account_editor_get_busy (editor));
  g_assert_null (singly_account_editor_get_error (editor));
  account_id = g_strdup (singly_account_editor_get_account_id (editor));
  g_assert_nonnull (account_id);

  /* in the list and in accounts.ini, without the password */
  g_assert_cmpuint (g_list_model_get_n_items (accounts), ==, 2);
  g_assert_nonnull (singly_account_store_lookup_by_name (store, "Office"));
  g_assert_cmpstr (singly_account_item_get_account (singly_account_store_lookup (store, account_id))->pinned_sha256,
                   ==, fingerprint);
  ini = read_accounts_ini ();
  g_assert_nonnull (strstr (ini, account_id));
  g_assert_nonnull (strstr (ini, "name=Office"));
  g_assert_nonnull (strstr (ini, "host=127.0.0.1"));
  g_assert_nonnull (strstr (ini, "preset=outlook"));
  g_assert_null (strstr (ini, PASSWORD));
  SINGLY_WAIT_FOR (gtk_list_box_get_row_at_index (list, 1) != NULL, 5000);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (gtk_list_box_get_row_at_index (list, 1))),
                   ==, "Office");

  stored = singly_secret_lookup_sync (account_id, "alice", NULL, &error);
  session = singly_application_dup_session_secret (app, account_id);
  if (with_keyring)
    {
      /* the keyring has it, and nothing else */
      g_assert_no_error (error);
      g_assert_cmpstr (stored, ==, PASSWORD);
      g_assert_null (session);
      g_assert_null (singly_account_editor_get_notice (editor));
      g_assert_null (done_message);
    }
  else
    {
      /* no keyring: kept in memory until Singly quits, and said so */
      g_assert_error (error, SINGLY_SECRET_ERROR, SINGLY_SECRET_ERROR_NO_SERVICE);
      g_assert_null (stored);
      g_assert_cmpstr (session, ==, PASSWORD);
      g_assert_cmpstr (singly_account_editor_get_notice (editor), ==,
                       _("No keyring is running: the password is kept until Singly quits"));
      g_assert_cmpstr (adw_preferences_group_get_description (child (editor, "login_group")), ==,
                       singly_account_editor_get_notice (editor));
      /* and the window shows it when the editor closes */
      g_assert_cmpstr (done_message, ==, singly_account_editor_get_notice (editor));
    }
  g_clear_error (&error);
  g_clear_pointer (&stored, singly_secret_free);
  g_clear_pointer (&session, singly_secret_free);
  if (with_keyring)
    {
      /* the keyring's own file is under HOME too: the search covers it */
      g_autofree char *keyrings = g_build_filename (g_get_user_data_dir (), "keyrings", NULL);

      g_assert_true (g_file_test (keyrings, G_FILE_TEST_IS_DIR));
    }
  assert_no_file_holds (g_get_home_dir (), PASSWORD);
  shot (GTK_WIDGET (prefs), "preferences-saved");
  g_clear_object (&editor);

  /* opened again: the password is not read back, only said to be there */
  SINGLY_WAIT_FOR (singly_preferences_window_get_editor (prefs) == NULL, 10000);
  gtk_widget_activate (GTK_WIDGET (gtk_list_box_get_row_at_index (list, 1)));
  editor = g_object_ref (singly_preferences_window_get_editor (prefs));
  g_assert_nonnull (editor);
  g_signal_connect (editor, "done", G_CALLBACK (done_cb), &n_done);
  g_assert_cmpstr (singly_account_editor_get_account_id (editor), ==, account_id);
  g_assert_cmpstr (text_of (editor, "password_row"), ==, "");
  g_assert_cmpstr (text_of (editor, "name_row"), ==, "Office");
  g_assert_true (gtk_widget_get_visible (child (editor, "delete_group")));
  SINGLY_WAIT_FOR (gtk_widget_get_visible (child (editor, "password_state_label")), 10000);
  g_assert_cmpstr (gtk_label_get_text (child (editor, "password_state_label")), ==,
                   with_keyring ? _("Saved in the keyring") : _("Kept until Singly quits"));
  /* and the test logs in with it */
  press_test (editor, SINGLY_ACCOUNT_CHECK_SUCCESS);
  scroll_to (editor, "login_group");
  shot (GTK_WIDGET (prefs), "preferences-reopened");

  /* a second account cannot take the name */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.back", NULL));
  SINGLY_WAIT_FOR (n_done == 2, 5000);
  g_assert_null (done_message);
  g_clear_object (&editor);
  SINGLY_WAIT_FOR (singly_preferences_window_get_editor (prefs) == NULL, 10000);
  editor = g_object_ref (singly_preferences_window_add_account (prefs));
  type_into (editor, "name_row", "OFFICE");
  type_into (editor, "host_row", "smtp.example.org");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  g_assert_nonnull (singly_account_editor_get_error (editor));
  g_assert_true (gtk_widget_get_visible (child (editor, "error_group")));
  g_assert_cmpstr (adw_preferences_row_get_title (child (editor, "error_row")), ==,
                   singly_account_editor_get_error (editor));
  g_assert_cmpuint (g_list_model_get_n_items (accounts), ==, 2);
  shot (GTK_WIDGET (prefs), "preferences-duplicate-name");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.back", NULL));
  g_clear_object (&editor);
  SINGLY_WAIT_FOR (singly_preferences_window_get_editor (prefs) == NULL, 10000);

  /* the user name changes, no password typed: the saved one follows it */
  editor = g_object_ref (singly_preferences_window_edit_account (prefs, account_id));
  n_done = 0;
  g_signal_connect (editor, "done", G_CALLBACK (done_cb), &n_done);
  type_into (editor, "user_row", "alice.office");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  SINGLY_WAIT_FOR (n_done == 1, 30000);
  if (with_keyring)
    {
      stored = singly_secret_lookup_sync (account_id, "alice.office", NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (stored, ==, PASSWORD);
      g_clear_pointer (&stored, singly_secret_free);
      stored = singly_secret_lookup_sync (account_id, "alice", NULL, &error);
      g_assert_no_error (error);
      g_assert_null (stored);
    }
  else
    {
      /* the session's password is the account's, whatever the user name */
      session = singly_application_dup_session_secret (app, account_id);
      g_assert_cmpstr (session, ==, PASSWORD);
      g_clear_pointer (&session, singly_secret_free);
    }
  g_clear_object (&editor);
  SINGLY_WAIT_FOR (singly_preferences_window_get_editor (prefs) == NULL, 10000);

  /* Delete, confirmed: gone from the list, the file and the keyring */
  editor = g_object_ref (singly_preferences_window_edit_account (prefs, account_id));
  n_done = 0;
  g_signal_connect (editor, "done", G_CALLBACK (done_cb), &n_done);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.delete", NULL));
  dialog = singly_app_test_find_dialog ();
  g_assert_nonnull (dialog);
  shot (GTK_WIDGET (dialog), "preferences-delete-confirm");
  adw_message_dialog_response (dialog, "delete");
  gtk_window_destroy (GTK_WINDOW (dialog));
  SINGLY_WAIT_FOR (n_done == 1, 30000);
  g_assert_cmpuint (g_list_model_get_n_items (accounts), ==, 1);
  g_assert_null (singly_account_store_lookup (store, account_id));
  g_clear_pointer (&ini, g_free);
  ini = read_accounts_ini ();
  g_assert_null (strstr (ini, account_id));
  stored = singly_secret_lookup_sync (account_id, "alice.office", NULL, with_keyring ? &error : NULL);
  g_assert_no_error (error);
  g_assert_null (stored);
  session = singly_application_dup_session_secret (app, account_id);
  g_assert_null (session);
  g_clear_object (&editor);
  SINGLY_WAIT_FOR (gtk_list_box_get_row_at_index (list, 1) == NULL, 5000);
  shot (GTK_WIDGET (prefs), "preferences-deleted");

  gtk_window_destroy (GTK_WINDOW (prefs));
  singly_app_test_close_window (window);
}

static void
test_save_to_folder (void)
{
  SinglyApplication *app = singly_app_test_get_application ();
  SinglyAccountStore *store = singly_application_get_account_store (app);
  g_autofree char *folder = g_build_filename (g_get_home_dir (), "Outbox", NULL);
  g_autoptr(SinglyAccountEditor) editor = NULL;
  SinglyPreferencesWindow *prefs;
  SinglyWindow *window;
  SinglyAccountItem *item;
  guint n_done = 0;

  window = singly_app_test_new_window ();
  prefs = open_preferences (window);

  gtk_widget_activate (GTK_WIDGET (gtk_list_box_get_row_at_index (singly_preferences_window_get_accounts_list (prefs), 0)));
  editor = g_object_ref (singly_preferences_window_get_editor (prefs));
  g_signal_connect (editor, "done", G_CALLBACK (done_cb), &n_done);
  g_assert_cmpstr (singly_account_editor_get_account_id (editor), ==, SINGLY_ACCOUNT_STORE_DEFAULT_ID);

  /* a folder and a sender; no server, and no way to delete it */
  g_assert_true (gtk_widget_get_visible (child (editor, "folder_group")));
  g_assert_false (gtk_widget_get_visible (child (editor, "server_group")));
  g_assert_false (gtk_widget_get_visible (child (editor, "login_group")));
  g_assert_false (gtk_widget_get_visible (child (editor, "delete_group")));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.delete", NULL) &&
                  singly_app_test_find_dialog () != NULL);

  singly_account_editor_set_folder (editor, folder);
  g_assert_cmpstr (adw_action_row_get_subtitle (child (editor, "folder_row")), ==, folder);
  press_test (editor, SINGLY_ACCOUNT_CHECK_SUCCESS);
  shot (GTK_WIDGET (prefs), "preferences-folder");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  SINGLY_WAIT_FOR (n_done == 1, 10000);
  item = singly_account_store_lookup (store, SINGLY_ACCOUNT_STORE_DEFAULT_ID);
  g_assert_cmpstr (singly_account_item_get_account (item)->folder, ==, folder);

  gtk_window_destroy (GTK_WINDOW (prefs));
  singly_app_test_close_window (window);
}

/* The Sending page: the limits a new account for a server with no preset
 * starts with, kept in the settings */
static void
test_default_limits (void)
{
  GSettings *settings = singly_application_get_settings (singly_app_test_get_application ());
  g_autoptr(SinglyAccountEditor) editor = NULL;
  SinglyPreferencesWindow *prefs;
  SinglyWindow *window;
  GtkSpinButton *interval;
  GtkSpinButton *per_hour;

  window = singly_app_test_new_window ();
  prefs = open_preferences (window);
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (prefs), "sending");
  interval = GTK_SPIN_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (prefs), SINGLY_TYPE_PREFERENCES_WINDOW,
                                                             "default_interval_spin"));
  per_hour = GTK_SPIN_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (prefs), SINGLY_TYPE_PREFERENCES_WINDOW,
                                                             "default_per_hour_spin"));
  g_assert_cmpfloat (gtk_spin_button_get_value (interval), ==, g_settings_get_double (settings, "default-interval"));
  gtk_spin_button_set_value (interval, 3.5);
  gtk_spin_button_set_value (per_hour, 400);
  g_assert_cmpfloat (g_settings_get_double (settings, "default-interval"), ==, 3.5);
  g_assert_cmpuint (g_settings_get_uint (settings, "default-max-per-hour"), ==, 400);
  shot (GTK_WIDGET (prefs), "preferences-sending");

  /* a new account starts with them */
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (prefs), "accounts");
  editor = g_object_ref (singly_preferences_window_add_account (prefs));
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (child (editor, "interval_spin"))), ==, 3.5);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (child (editor, "per_hour_spin"))), ==, 400);

  g_settings_reset (settings, "default-interval");
  g_settings_reset (settings, "default-max-per-hour");
  gtk_window_destroy (GTK_WINDOW (prefs));
  singly_app_test_close_window (window);
}

int
main (int    argc,
      char **argv)
{
  int ret;

  singly_app_test_init (&argc, &argv);
  with_keyring = g_strcmp0 (g_getenv ("SINGLY_TEST_KEYRING"), "1") == 0;
  certs = singly_test_certs_make ();

  g_test_add_func ("/app/preferences/menu-and-accel", test_menu_and_accel);
  g_test_add_func ("/app/preferences/account-from-preset", test_account_from_preset);
  g_test_add_func ("/app/preferences/save-to-folder", test_save_to_folder);
  g_test_add_func ("/app/preferences/default-limits", test_default_limits);

  ret = g_test_run ();
  singly_test_rm_rf (certs);
  g_free (certs);
  return ret;
}
