/* singly-application.c: the Singly application
 *
 * One instance per session: "singly contacts.csv letter.md" run a second
 * time opens the files in the window that is already there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "singly-application.h"
#include "singly-preferences-window.h"
#include "singly-resources.h"
#include "singly-window.h"

struct _SinglyApplication
{
  AdwApplication  parent_instance;

  GSettings          *settings;
  SinglyAccountStore *accounts;
  char               *accounts_error;

  /* passwords typed "for this session only": account id → password; wiped
   * when the application goes */
  GHashTable         *session_secrets;

  /* (weak) one at a time */
  SinglyPreferencesWindow *preferences;
};

G_DEFINE_FINAL_TYPE (SinglyApplication, singly_application, ADW_TYPE_APPLICATION)

static const struct
{
  const char *action;
  const char *accels[3];
} app_accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "win.open-contacts", { "<Control>o", NULL } },
  { "win.open-template", { "<Control><Shift>o", NULL } },
  { "win.open-campaign", { "<Control><Alt>o", NULL } },
  { "win.save-campaign", { "<Control><Alt>s", NULL } },
  { "win.new-template", { "<Control>n", NULL } },
  { "win.save-template", { "<Control>s", NULL } },
  { "win.save-template-as", { "<Control><Shift>s", NULL } },
  { "win.preview-next", { "<Alt>Right", NULL } },
  { "win.preview-previous", { "<Alt>Left", NULL } },
  { "win.find-recipient", { "<Control>f", NULL } },
  { "win.send", { "<Control>Return", NULL } },
  { "win.show-page('contacts')", { "<Alt>1", NULL } },
  { "win.show-page('template')", { "<Alt>2", NULL } },
  { "win.show-page('preview')", { "<Alt>3", NULL } },
  { "win.show-page('send')", { "<Alt>4", NULL } },
  { "window.close", { "<Control>w", NULL } },
};

static SinglyWindow *
get_or_create_window (SinglyApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (singly_window_new (self));
  return SINGLY_WINDOW (window);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  SinglyApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* closing each window lets it ask about unsaved work or a running send */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  SinglyApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  const char *developers[] = { _("The Singly developers"), NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "application-name", _("Singly"),
                        "application-icon", APPLICATION_ID,
                        "version", PACKAGE_VERSION,
                        "comments", _("Send personalised mail, one recipient per message"),
                        "developers", developers,
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: your names, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  SinglyApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (self->preferences == NULL)
    g_set_weak_pointer (&self->preferences, singly_preferences_window_new (self));
  if (parent != NULL && parent != GTK_WINDOW (self->preferences))
    {
      gtk_window_set_transient_for (GTK_WINDOW (self->preferences), parent);
      gtk_window_set_modal (GTK_WINDOW (self->preferences), TRUE);
      gtk_window_set_destroy_with_parent (GTK_WINDOW (self->preferences), TRUE);
    }
  gtk_window_present (GTK_WINDOW (self->preferences));
}

/* A broken accounts.ini is not a reason to refuse to start: the window
 * says what is wrong, and only the "Save to folder" account is offered
 * until it is mended. The file is not overwritten meanwhile. */
static void
load_accounts (SinglyApplication *self)
{
  g_autoptr(GError) error = NULL;

  self->accounts = singly_account_store_new (NULL);
  if (!singly_account_store_load (self->accounts, &error))
    {
      g_warning ("%s", error->message);
      self->accounts_error = g_strdup (error->message);
    }
}

static void
secret_free (gpointer data)
{
  char *secret = data;

  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

static const GActionEntry app_entries[] = {
  { .name = "quit", .activate = quit_activated },
  { .name = "about", .activate = about_activated },
  { .name = "preferences", .activate = preferences_activated },
};

static void
singly_application_startup (GApplication *application)
{
  SinglyApplication *self = SINGLY_APPLICATION (application);

  G_APPLICATION_CLASS (singly_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_entries, G_N_ELEMENTS (app_entries), self);
  for (guint i = 0; i < G_N_ELEMENTS (app_accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), app_accels[i].action, app_accels[i].accels);

  gtk_window_set_default_icon_name (APPLICATION_ID);

  load_accounts (self);
}

static void
singly_application_activate (GApplication *application)
{
  gtk_window_present (GTK_WINDOW (get_or_create_window (SINGLY_APPLICATION (application))));
}

static void
singly_application_open (GApplication  *application,
                         GFile        **files,
                         int            n_files,
                         const char    *hint)
{
  SinglyWindow *window = get_or_create_window (SINGLY_APPLICATION (application));

  singly_window_open_files (window, files, n_files);
  gtk_window_present (GTK_WINDOW (window));
}

static void
singly_application_dispose (GObject *object)
{
  SinglyApplication *self = SINGLY_APPLICATION (object);

  g_clear_weak_pointer (&self->preferences);
  g_clear_object (&self->settings);
  g_clear_object (&self->accounts);
  g_clear_pointer (&self->accounts_error, g_free);
  g_clear_pointer (&self->session_secrets, g_hash_table_unref);

  G_OBJECT_CLASS (singly_application_parent_class)->dispose (object);
}

static void
singly_application_class_init (SinglyApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = singly_application_dispose;
  application_class->startup = singly_application_startup;
  application_class->activate = singly_application_activate;
  application_class->open = singly_application_open;

  /* before any startup: GtkApplication reads style.css and the shortcuts
   * window from the resource base path then */
  singly_register_resource ();
}

static void
singly_application_init (SinglyApplication *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  self->session_secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, secret_free);

  /* Run from the build tree the schema may not be installed: the window
   * then works without remembering anything rather than abort. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema != NULL)
    self->settings = g_settings_new (APPLICATION_ID);
  else
    g_debug ("the GSettings schema %s is not installed; settings are not kept", APPLICATION_ID);
}

/**
 * singly_application_new:
 *
 * Returns: (transfer full): the application
 */
SinglyApplication *
singly_application_new (void)
{
  return g_object_new (SINGLY_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/singly/Singly",
                       NULL);
}

/**
 * singly_application_get_settings:
 *
 * Returns: (transfer none) (nullable): the settings, or %NULL when the
 *   schema is not installed
 */
GSettings *
singly_application_get_settings (SinglyApplication *self)
{
  g_return_val_if_fail (SINGLY_IS_APPLICATION (self), NULL);

  return self->settings;
}

/**
 * singly_application_get_account_store:
 *
 * The user's accounts, loaded at startup from accounts.ini (see
 * singly_account_store_default_path()). Always holds at least the
 * "Save to folder" account.
 *
 * Returns: (transfer none): the account store
 */
SinglyAccountStore *
singly_application_get_account_store (SinglyApplication *self)
{
  g_return_val_if_fail (SINGLY_IS_APPLICATION (self), NULL);

  if (self->accounts == NULL)  /* before startup, in tests */
    load_accounts (self);
  return self->accounts;
}

/**
 * singly_application_get_account_store_error:
 *
 * Returns: (nullable): why accounts.ini could not be read at startup, or
 *   %NULL when it could
 */
const char *
singly_application_get_account_store_error (SinglyApplication *self)
{
  g_return_val_if_fail (SINGLY_IS_APPLICATION (self), NULL);

  return self->accounts_error;
}

/**
 * singly_application_set_session_secret:
 * @account_id: the account's id
 * @secret: (nullable): the password, or %NULL to forget it
 *
 * Keeps a password in memory until the application quits, for when there
 * is no keyring or the user chose not to save it there. Never written
 * anywhere.
 */
void
singly_application_set_session_secret (SinglyApplication *self,
                                       const char        *account_id,
                                       const char        *secret)
{
  g_return_if_fail (SINGLY_IS_APPLICATION (self));
  g_return_if_fail (account_id != NULL);

  if (secret == NULL)
    g_hash_table_remove (self->session_secrets, account_id);
  else
    g_hash_table_replace (self->session_secrets, g_strdup (account_id), g_strdup (secret));
}

/**
 * singly_application_dup_session_secret:
 * @account_id: the account's id
 *
 * Returns: (transfer full) (nullable): a copy of the password kept for
 *   this session; free with singly_secret_free()
 */
char *
singly_application_dup_session_secret (SinglyApplication *self,
                                       const char        *account_id)
{
  g_return_val_if_fail (SINGLY_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (account_id != NULL, NULL);

  return g_strdup (g_hash_table_lookup (self->session_secrets, account_id));
}
