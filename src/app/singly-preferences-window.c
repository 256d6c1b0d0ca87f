/* singly-preferences-window.c: accounts and defaults
 *
 * The "Accounts" page lists the application's account store, "Save to
 * folder" first; a row opens its editor as a subpage, as does "Add
 * Account". The list follows the store: a saved, renamed or deleted
 * account shows at once. The "Sending" page holds the limits a new
 * account for a server with no preset starts with.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "singly-preferences-window.h"

struct _SinglyPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  AdwPreferencesGroup  *store_error_group;
  AdwActionRow         *store_error_row;
  GtkListBox           *accounts_list;
  GtkSpinButton        *default_interval_spin;
  GtkSpinButton        *default_per_minute_spin;
  GtkSpinButton        *default_per_hour_spin;
  GtkSpinButton        *default_per_day_spin;

  SinglyApplication    *application;
  SinglyAccountEditor  *editor;   /* (weak) the subpage shown */
};

G_DEFINE_FINAL_TYPE (SinglyPreferencesWindow, singly_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static GtkWidget *
create_account_row (gpointer item,
                    gpointer user_data)
{
  SinglyAccountItem *account = SINGLY_ACCOUNT_ITEM (item);
  gboolean folder = singly_account_item_get_account (account)->kind == SINGLY_ACCOUNT_FOLDER;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_bind_property (account, "name", row, "title", G_BINDING_SYNC_CREATE);
  g_object_bind_property (account, "summary", row, "subtitle", G_BINDING_SYNC_CREATE);
  g_object_set_data_full (G_OBJECT (row), "singly-account-id",
                          g_strdup (singly_account_item_get_id (account)), g_free);

  icon = gtk_image_new_from_icon_name (folder ? "folder-symbolic" : "mail-send-symbolic");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  return row;
}

static void
editor_done_cb (SinglyPreferencesWindow *self,
                const char              *message,
                SinglyAccountEditor     *editor)
{
  if (message != NULL)
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (message));
  if (self->editor == editor)
    adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (self));
}

static SinglyAccountEditor *
open_editor (SinglyPreferencesWindow *self,
             SinglyAccountItem       *item)
{
  SinglyAccountEditor *editor = singly_account_editor_new (self->application, item);

  g_signal_connect_object (editor, "done", G_CALLBACK (editor_done_cb), self, G_CONNECT_SWAPPED);
  g_set_weak_pointer (&self->editor, editor);
  adw_preferences_window_present_subpage (ADW_PREFERENCES_WINDOW (self), GTK_WIDGET (editor));
  return editor;
}

static void
account_row_activated_cb (SinglyPreferencesWindow *self,
                          GtkListBoxRow           *row)
{
  const char *id = g_object_get_data (G_OBJECT (row), "singly-account-id");

  if (id != NULL)
    singly_preferences_window_edit_account (self, id);
}

static void
add_account_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  singly_preferences_window_add_account (SINGLY_PREFERENCES_WINDOW (widget));
}

static void
singly_preferences_window_dispose (GObject *object)
{
  SinglyPreferencesWindow *self = SINGLY_PREFERENCES_WINDOW (object);

  g_clear_weak_pointer (&self->editor);
  gtk_widget_dispose_template (GTK_WIDGET (self), SINGLY_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->application);

  G_OBJECT_CLASS (singly_preferences_window_parent_class)->dispose (object);
}

static void
singly_preferences_window_class_init (SinglyPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = singly_preferences_window_dispose;

  g_type_ensure (SINGLY_TYPE_ACCOUNT_EDITOR);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/singly/Singly/singly-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SinglyPreferencesWindow, store_error_group);
  gtk_widget_class_bind_template_child (widget_class, SinglyPreferencesWindow, store_error_row);
  gtk_widget_class_bind_template_child (widget_class, SinglyPreferencesWindow, accounts_list);
  gtk_widget_class_bind_template_child (widget_class, SinglyPreferencesWindow, default_interval_spin);
  gtk_widget_class_bind_template_child (widget_class, SinglyPreferencesWindow, default_per_minute_spin);
  gtk_widget_class_bind_template_child (widget_class, SinglyPreferencesWindow, default_per_hour_spin);
  gtk_widget_class_bind_template_child (widget_class, SinglyPreferencesWindow, default_per_day_spin);
  gtk_widget_class_bind_template_callback (widget_class, account_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "preferences.add-account", NULL, add_account_activated);
}

static void
singly_preferences_window_init (SinglyPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * singly_preferences_window_new:
 * @application: the application, whose accounts are shown
 *
 * Returns: (transfer full): a new preferences window
 */
SinglyPreferencesWindow *
singly_preferences_window_new (SinglyApplication *application)
{
  SinglyPreferencesWindow *self;
  SinglyAccountStore *store;
  GSettings *settings;
  const char *error;

  g_return_val_if_fail (SINGLY_IS_APPLICATION (application), NULL);

  self = g_object_new (SINGLY_TYPE_PREFERENCES_WINDOW, "application", application, NULL);
  self->application = g_object_ref (application);

  store = singly_application_get_account_store (application);
  gtk_list_box_bind_model (self->accounts_list, singly_account_store_get_accounts (store),
                           create_account_row, self, NULL);

  /* the limits for new accounts; without the schema (a build tree) the
   * page shows them and forgets them */
  settings = singly_application_get_settings (application);
  if (settings != NULL)
    {
      g_settings_bind (settings, "default-interval", self->default_interval_spin, "value", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "default-max-per-minute", self->default_per_minute_spin, "value",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "default-max-per-hour", self->default_per_hour_spin, "value",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "default-max-per-day", self->default_per_day_spin, "value",
                       G_SETTINGS_BIND_DEFAULT);
    }

  error = singly_application_get_account_store_error (application);
  gtk_widget_set_visible (GTK_WIDGET (self->store_error_group), error != NULL);
  if (error != NULL)
    adw_action_row_set_subtitle (self->store_error_row, error);
  return self;
}

/**
 * singly_preferences_window_add_account:
 *
 * What "Add Account" does: shows the editor for a new account.
 *
 * Returns: (transfer none): the editor
 */
SinglyAccountEditor *
singly_preferences_window_add_account (SinglyPreferencesWindow *self)
{
  g_return_val_if_fail (SINGLY_IS_PREFERENCES_WINDOW (self), NULL);

  return open_editor (self, NULL);
}

/**
 * singly_preferences_window_edit_account:
 * @account_id: an account's id
 *
 * What activating an account's row does.
 *
 * Returns: (transfer none) (nullable): the editor, or %NULL when there is
 *   no such account
 */
SinglyAccountEditor *
singly_preferences_window_edit_account (SinglyPreferencesWindow *self,
                                        const char              *account_id)
{
  SinglyAccountItem *item;

  g_return_val_if_fail (SINGLY_IS_PREFERENCES_WINDOW (self), NULL);
  g_return_val_if_fail (account_id != NULL, NULL);

  item = singly_account_store_lookup (singly_application_get_account_store (self->application), account_id);
  if (item == NULL)
    return NULL;
  return open_editor (self, item);
}

/**
 * singly_preferences_window_get_editor:
 *
 * Returns: (transfer none) (nullable): the account editor shown, if any
 */
SinglyAccountEditor *
singly_preferences_window_get_editor (SinglyPreferencesWindow *self)
{
  g_return_val_if_fail (SINGLY_IS_PREFERENCES_WINDOW (self), NULL);

  return self->editor;
}

/**
 * singly_preferences_window_get_accounts_list:
 *
 * Returns: (transfer none): the list of accounts, a row per account of
 *   the store
 */
GtkListBox *
singly_preferences_window_get_accounts_list (SinglyPreferencesWindow *self)
{
  g_return_val_if_fail (SINGLY_IS_PREFERENCES_WINDOW (self), NULL);

  return self->accounts_list;
}
