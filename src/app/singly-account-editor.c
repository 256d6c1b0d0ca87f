/* singly-account-editor.c: one account, as the preferences edit it
 *
 * Shown as a subpage of the preferences window, for a new account or one
 * of the store's. The widgets are the account: nothing changes in the
 * store until Save, which the store checks (a name, a server, a valid
 * address, a name nobody else has) and which files the password in the
 * keyring — never anywhere else. Without a keyring the password is kept
 * in memory until Singly quits, and the editor says so.
 *
 * For a new account the provider is guessed from the address as it is
 * typed, until the user picks one: picking a provider fills in its
 * server, port, encryption and sending limits.
 *
 * "Test Connection" runs singly_account_check_async() with what the
 * widgets say, the password typed (else the one kept for the session,
 * else the keyring's), and shows the outcome in plain words with the
 * technical reply one click away. An untrusted certificate can be pinned
 * from there.
 *
 * The password is never read back from the keyring into the entry: the
 * entry stays empty, and a label says that a password is saved.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "singly-account-editor.h"
#include "singly-presets.h"
#include "singly-secret.h"

typedef enum
{
  PASSWORD_UNKNOWN,
  PASSWORD_NONE,
  PASSWORD_KEYRING,
  PASSWORD_SESSION,
} PasswordState;

/* the order of the items of auth_row */
enum { AUTH_PASSWORD, AUTH_TOKEN };

struct _SinglyAccountEditor
{
  AdwBin                    parent_instance;

  AdwWindowTitle           *window_title;
  GtkWidget                *save_button;
  AdwPreferencesPage       *page;
  AdwPreferencesGroup      *error_group;
  AdwActionRow             *error_row;
  AdwPreferencesGroup      *provider_group;
  AdwComboRow              *preset_row;
  GtkLabel                 *preset_note_label;
  AdwPreferencesGroup      *folder_group;
  AdwActionRow             *folder_row;
  AdwPreferencesGroup      *account_group;
  AdwEntryRow              *name_row;
  AdwEntryRow              *sender_name_row;
  AdwEntryRow              *sender_address_row;
  AdwPreferencesGroup      *server_group;
  AdwEntryRow              *host_row;
  GtkSpinButton            *port_spin;
  AdwComboRow              *security_row;
  AdwActionRow             *security_warning_row;
  AdwPreferencesGroup      *login_group;
  AdwEntryRow              *user_row;
  AdwComboRow              *auth_row;
  AdwPasswordEntryRow      *password_row;
  GtkLabel                 *password_state_label;
  AdwEntryRow              *token_row;
  AdwPreferencesGroup      *test_group;
  AdwActionRow             *test_row;
  GtkSpinner               *test_spinner;
  GtkWidget                *test_button;
  GtkWidget                *cancel_test_button;
  AdwActionRow             *result_row;
  GtkImage                 *result_icon;
  AdwActionRow             *trust_row;
  AdwExpanderRow           *details_row;
  GtkLabel                 *details_label;
  AdwPreferencesGroup      *sending_group;
  GtkSwitch                *dsn_switch;
  GtkSpinButton            *interval_spin;
  GtkSpinButton            *per_minute_spin;
  GtkSpinButton            *per_hour_spin;
  GtkSpinButton            *per_day_spin;
  GtkSpinButton            *per_connection_spin;
  AdwPreferencesGroup      *advanced_group;
  AdwActionRow             *ca_row;
  GtkWidget                *ca_clear_button;
  AdwActionRow             *pinned_row;
  AdwPreferencesGroup      *delete_group;

  SinglyApplication        *application;
  SinglyAccountStore       *store;
  SinglyAccount            *original;      /* what the editor started from */
  char                     *account_id;    /* NULL until a new account is saved */
  char                     *folder;
  char                     *ca_file;
  char                     *pinned_sha256;
  double                    jitter;        /* not shown: the preset's, or the file's */
  SinglySecurity            security;      /* what security_row said last */

  GCancellable             *cancellable;   /* keyring probe */
  GCancellable             *check_cancellable;
  SinglyAccountCheckResult *result;
  GtkFileChooserNative     *chooser;
  char                     *error;
  char                     *notice;
  char                     *pending_password; /* until the keyring answers; wiped */
  PasswordState             password_state;

  gboolean                  filling;       /* the widgets are being set, not edited */
  gboolean                  preset_chosen; /* the user picked the provider */
  gboolean                  user_follows;  /* the user name is the address, as typed */
  gboolean                  name_follows;  /* the account name is the address, as typed */
  gboolean                  checking;
  gboolean                  busy;          /* saving or deleting */
  gboolean                  disposed;
};

enum {
  PROP_0,
  PROP_CHECKING,
  PROP_BUSY,
  N_PROPS
};

enum {
  DONE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SinglyAccountEditor, singly_account_editor, ADW_TYPE_BIN)

static void run_check (SinglyAccountEditor *self);

/* Helpers */

static guint16
default_port (SinglySecurity security)
{
  switch (security)
    {
    case SINGLY_SECURITY_TLS:      return 465;
    case SINGLY_SECURITY_NONE:     return 25;
    case SINGLY_SECURITY_STARTTLS:
    default:                       return 587;
    }
}

/* NULL for an empty or blank entry */
static char *
dup_text (gpointer editable)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (editable))));

  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

/* The password as typed: spaces are part of it */
static char *
dup_password (SinglyAccountEditor *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  return *text != '\0' ? g_strdup (text) : NULL;
}

static void
set_text (gpointer    editable,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (editable), text ? text : "");
}

static guint
preset_index (const char *id)
{
  const SinglyPreset *presets;
  guint n;

  presets = singly_presets_get_all (&n);
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (presets[i].id, id) == 0)
      return i;
  return n - 1;  /* "Other (custom)" */
}

static const SinglyPreset *
selected_preset (SinglyAccountEditor *self)
{
  const SinglyPreset *presets;
  guint n, selected;

  presets = singly_presets_get_all (&n);
  selected = adw_combo_row_get_selected (self->preset_row);
  return &presets[selected < n ? selected : n - 1];
}

static gboolean
is_folder (SinglyAccountEditor *self)
{
  return self->original->kind == SINGLY_ACCOUNT_FOLDER;
}

static gboolean
uses_password (SinglyAccountEditor *self)
{
  return adw_combo_row_get_selected (self->auth_row) == AUTH_PASSWORD;
}

static void
set_checking (SinglyAccountEditor *self,
              gboolean             checking)
{
  if (self->checking == checking)
    return;
  self->checking = checking;

  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), checking);
  gtk_spinner_set_spinning (self->test_spinner, checking);
  gtk_widget_set_visible (self->cancel_test_button, checking);
  gtk_widget_set_visible (self->test_button, !checking);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.test", !checking);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.cancel-test", checking);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKING]);
}

static void
set_busy (SinglyAccountEditor *self,
          gboolean             busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.delete", !busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* The page's top, where the error is; libadwaita 1.2 has no call for it */
static void
scroll_to_top (SinglyAccountEditor *self)
{
  GtkWidget *scrolled = gtk_widget_get_first_child (GTK_WIDGET (self->page));

  if (GTK_IS_SCROLLED_WINDOW (scrolled))
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled)), 0);
}

static void
show_error (SinglyAccountEditor *self,
            const char          *error)
{
  g_free (self->error);
  self->error = g_strdup (error);
  if (error != NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->error_row), error);
      scroll_to_top (self);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->error_group), error != NULL);
}

static void
set_notice (SinglyAccountEditor *self,
            const char          *notice)
{
  g_free (self->notice);
  self->notice = g_strdup (notice);
  adw_preferences_group_set_description (self->login_group, notice);
}

static void
update_password_state (SinglyAccountEditor *self)
{
  const char *text = NULL;
  gboolean typed;

  typed = *gtk_editable_get_text (GTK_EDITABLE (self->password_row)) != '\0';
  if (self->password_state == PASSWORD_KEYRING)
    text = _("Saved in the keyring");
  else if (self->password_state == PASSWORD_SESSION)
    text = _("Kept until Singly quits");

  gtk_label_set_text (self->password_state_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->password_state_label), text != NULL && !typed);
}

static void
update_auth_rows (SinglyAccountEditor *self)
{
  gboolean password = uses_password (self);

  gtk_widget_set_visible (GTK_WIDGET (self->password_row), password);
  gtk_widget_set_visible (GTK_WIDGET (self->token_row), !password);
}

static void
update_ca_rows (SinglyAccountEditor *self)
{
  adw_action_row_set_subtitle (self->ca_row, self->ca_file ? self->ca_file
                                                          : _("None: the system’s certificates are trusted"));
  gtk_widget_set_visible (self->ca_clear_button, self->ca_file != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.clear-ca-file", self->ca_file != NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->pinned_row), self->pinned_sha256 != NULL);
  if (self->pinned_sha256 != NULL)
    adw_action_row_set_subtitle (self->pinned_row, self->pinned_sha256);
}

static void
update_folder_row (SinglyAccountEditor *self)
{
  adw_action_row_set_subtitle (self->folder_row, self->folder ? self->folder : "");
}

static void
set_pacing (SinglyAccountEditor *self,
            const SinglyPacing  *pacing)
{
  gtk_spin_button_set_value (self->interval_spin, pacing->interval);
  gtk_spin_button_set_value (self->per_minute_spin, pacing->max_per_minute);
  gtk_spin_button_set_value (self->per_hour_spin, pacing->max_per_hour);
  gtk_spin_button_set_value (self->per_day_spin, pacing->max_per_day);
  gtk_spin_button_set_value (self->per_connection_spin, pacing->max_per_connection);
  self->jitter = pacing->jitter;
}

static void
show_preset_note (SinglyAccountEditor *self,
                  const SinglyPreset  *preset)
{
  const char *note = singly_preset_get_note (preset);

  gtk_label_set_text (self->preset_note_label, note ? note : "");
  gtk_widget_set_visible (GTK_WIDGET (self->preset_note_label), note != NULL);
}

/* The provider's server and limits; "Other (custom)" leaves them be */
static void
apply_preset (SinglyAccountEditor *self,
              const SinglyPreset  *preset)
{
  gboolean was_filling = self->filling;

  self->filling = TRUE;
  adw_combo_row_set_selected (self->preset_row, preset_index (preset->id));
  show_preset_note (self, preset);
  if (preset->host != NULL)
    {
      set_text (self->host_row, preset->host);
      self->security = preset->security;
      adw_combo_row_set_selected (self->security_row, preset->security);
      gtk_spin_button_set_value (self->port_spin, preset->port);
      adw_combo_row_set_selected (self->auth_row,
                                  preset->auth == SINGLY_SMTP_AUTH_XOAUTH2 ? AUTH_TOKEN : AUTH_PASSWORD);
      set_pacing (self, &preset->pacing);
      update_auth_rows (self);
      gtk_widget_set_visible (GTK_WIDGET (self->security_warning_row), preset->security == SINGLY_SECURITY_NONE);
    }
  self->filling = was_filling;
}

static void
fill (SinglyAccountEditor *self)
{
  const SinglyAccount *account = self->original;
  gboolean folder = is_folder (self);

  self->filling = TRUE;

  adw_window_title_set_title (self->window_title, account->name ? account->name : _("Add Account"));
  set_text (self->name_row, account->name);
  set_text (self->sender_name_row, account->sender_name);
  set_text (self->sender_address_row, account->sender_address);
  self->folder = g_strdup (account->folder);
  update_folder_row (self);

  adw_combo_row_set_selected (self->preset_row, preset_index (account->preset));
  show_preset_note (self, selected_preset (self));
  set_text (self->host_row, account->host);
  self->security = account->security;
  adw_combo_row_set_selected (self->security_row, account->security);
  gtk_spin_button_set_value (self->port_spin, account->port ? account->port : default_port (account->security));
  gtk_widget_set_visible (GTK_WIDGET (self->security_warning_row), account->security == SINGLY_SECURITY_NONE);
  set_text (self->user_row, account->user);
  adw_combo_row_set_selected (self->auth_row,
                              account->auth == SINGLY_SMTP_AUTH_XOAUTH2 ? AUTH_TOKEN : AUTH_PASSWORD);
  set_text (self->token_row, account->token_command);
  update_auth_rows (self);
  gtk_switch_set_active (self->dsn_switch, account->request_dsn);
  set_pacing (self, &account->pacing);
  self->ca_file = g_strdup (account->ca_file);
  self->pinned_sha256 = g_strdup (account->pinned_sha256);
  update_ca_rows (self);

  gtk_widget_set_visible (GTK_WIDGET (self->folder_group), folder);
  gtk_widget_set_visible (GTK_WIDGET (self->name_row), !folder);
  gtk_widget_set_visible (GTK_WIDGET (self->provider_group), !folder);
  gtk_widget_set_visible (GTK_WIDGET (self->server_group), !folder);
  gtk_widget_set_visible (GTK_WIDGET (self->login_group), !folder);
  gtk_widget_set_visible (GTK_WIDGET (self->sending_group), !folder);
  gtk_widget_set_visible (GTK_WIDGET (self->advanced_group), !folder);
  /* "Save to folder" stays, and a new account is not there to delete */
  gtk_widget_set_visible (GTK_WIDGET (self->delete_group), !folder && self->account_id != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.delete", !folder && self->account_id != NULL);
  if (folder)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->test_row), _("Test the Folder"));
      adw_action_row_set_subtitle (self->test_row, _("Checks that messages can be saved there"));
    }

  self->filling = FALSE;
}

/* What the widgets say, as an account */
static SinglyAccount *
build_account (SinglyAccountEditor *self)
{
  SinglyAccount *account = singly_account_copy (self->original);
  GtkSpinButton *spins[] = {
    self->port_spin, self->interval_spin, self->per_minute_spin, self->per_hour_spin,
    self->per_day_spin, self->per_connection_spin,
  };

  /* a number typed but not yet entered counts */
  for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
    gtk_spin_button_update (spins[i]);

  g_free (account->id);
  account->id = g_strdup (self->account_id);
  g_free (account->sender_name);
  account->sender_name = dup_text (self->sender_name_row);
  g_free (account->sender_address);
  account->sender_address = dup_text (self->sender_address_row);

  if (is_folder (self))
    {
      g_free (account->folder);
      account->folder = g_strdup (self->folder);
      return account;
    }

  g_free (account->name);
  account->name = dup_text (self->name_row);
  g_free (account->preset);
  account->preset = g_strdup (selected_preset (self)->id);
  g_free (account->host);
  account->host = dup_text (self->host_row);
  account->port = (guint16) gtk_spin_button_get_value_as_int (self->port_spin);
  account->security = (SinglySecurity) adw_combo_row_get_selected (self->security_row);
  g_free (account->user);
  account->user = dup_text (self->user_row);
  if (!uses_password (self))
    account->auth = SINGLY_SMTP_AUTH_XOAUTH2;
  else if (account->auth == SINGLY_SMTP_AUTH_XOAUTH2)
    account->auth = SINGLY_SMTP_AUTH_AUTO;
  g_free (account->token_command);
  account->token_command = dup_text (self->token_row);
  g_free (account->ca_file);
  account->ca_file = g_strdup (self->ca_file);
  g_free (account->pinned_sha256);
  account->pinned_sha256 = g_strdup (self->pinned_sha256);
  account->request_dsn = gtk_switch_get_active (self->dsn_switch);
  account->pacing.interval = gtk_spin_button_get_value (self->interval_spin);
  account->pacing.jitter = self->jitter;
  account->pacing.max_per_minute = gtk_spin_button_get_value_as_int (self->per_minute_spin);
  account->pacing.max_per_hour = gtk_spin_button_get_value_as_int (self->per_hour_spin);
  account->pacing.max_per_day = gtk_spin_button_get_value_as_int (self->per_day_spin);
  account->pacing.max_per_connection = gtk_spin_button_get_value_as_int (self->per_connection_spin);
  return account;
}

static void
show_result (SinglyAccountEditor            *self,
             const SinglyAccountCheckResult *result)
{
  const char *icon;
  const char *style;
  gboolean untrusted;

  g_clear_pointer (&self->result, singly_account_check_result_free);
  gtk_widget_remove_css_class (GTK_WIDGET (self->result_icon), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->result_icon), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->result_icon), "error");

  if (result == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->result_row), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->trust_row), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->details_row), FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.trust-certificate", FALSE);
      return;
    }
  self->result = singly_account_check_result_copy (result);

  switch (result->outcome)
    {
    case SINGLY_ACCOUNT_CHECK_SUCCESS:
      icon = "emblem-ok-symbolic";
      style = "success";
      break;
    case SINGLY_ACCOUNT_CHECK_CERTIFICATE_UNTRUSTED:
    case SINGLY_ACCOUNT_CHECK_INCOMPLETE:
    case SINGLY_ACCOUNT_CHECK_NO_PASSWORD:
      icon = "dialog-warning-symbolic";
      style = "warning";
      break;
    default:
      icon = "dialog-error-symbolic";
      style = "error";
      break;
    }
  gtk_image_set_from_icon_name (self->result_icon, icon);
  gtk_widget_add_css_class (GTK_WIDGET (self->result_icon), style);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->result_row), result->summary);
  untrusted = result->outcome == SINGLY_ACCOUNT_CHECK_CERTIFICATE_UNTRUSTED && result->fingerprint != NULL;
  if (untrusted)
    adw_action_row_set_subtitle (self->trust_row, result->fingerprint);
  gtk_widget_set_visible (GTK_WIDGET (self->trust_row), untrusted);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.trust-certificate", untrusted);
  gtk_label_set_text (self->details_label, result->detail);
  gtk_widget_set_visible (GTK_WIDGET (self->result_row), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->details_row), TRUE);
}

/* @message: (nullable): what to tell the user once the editor is gone */
static void
emit_done (SinglyAccountEditor *self,
           const char          *message)
{
  if (self->disposed)
    return;
  g_signal_emit (self, signals[DONE], 0, message);
}

/* Async callbacks: each holds a reference to the editor, which may have
 * been disposed meanwhile (the window closed): then no widget is touched */

static void
has_password_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SinglyAccountEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean has_password = FALSE;

  if (!singly_secret_has_password_finish (result, &has_password, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->disposed)
        return;
      if (g_error_matches (error, SINGLY_SECRET_ERROR, SINGLY_SECRET_ERROR_NO_SERVICE))
        set_notice (self, _("No keyring is running: the password is kept until Singly quits"));
      else
        g_debug ("keyring: %s", error->message);
      return;
    }
  if (self->disposed)
    return;
  if (has_password)
    {
      self->password_state = PASSWORD_KEYRING;
      update_password_state (self);
    }
}

static void
check_done_cb (GObject      *object,
               GAsyncResult *async_result,
               gpointer      user_data)
{
  g_autoptr(SinglyAccountEditor) self = user_data;
  g_autoptr(SinglyAccountCheckResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = singly_account_check_finish (async_result, &error);
  /* cancelled: a newer test runs, or the editor went, or the user said so */
  if (result == NULL)
    return;
  g_clear_object (&self->check_cancellable);
  set_checking (self, FALSE);
  show_result (self, result);
}

static void
secret_stored_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SinglyAccountEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  char *password = g_steal_pointer (&self->pending_password);
  const char *id = self->account_id;

  if (singly_secret_store_finish (result, &error))
    {
      singly_application_set_session_secret (self->application, id, NULL);
      self->password_state = PASSWORD_KEYRING;
    }
  else if (g_error_matches (error, SINGLY_SECRET_ERROR, SINGLY_SECRET_ERROR_NO_SERVICE))
    {
      /* never a file: memory, for as long as Singly runs */
      singly_application_set_session_secret (self->application, id, password);
      self->password_state = PASSWORD_SESSION;
      if (!self->disposed)
        set_notice (self, _("No keyring is running: the password is kept until Singly quits"));
    }
  else
    {
      singly_application_set_session_secret (self->application, id, password);
      self->password_state = PASSWORD_SESSION;
      if (!self->disposed)
        {
          g_autofree char *message =
            g_strdup_printf (_("The password could not be saved in the keyring, so it is kept until "
                               "Singly quits: %s"), error->message);

          set_notice (self, message);
        }
    }
  singly_secret_free (password);

  if (self->disposed)
    return;
  set_text (self->password_row, "");
  update_password_state (self);
  set_busy (self, FALSE);
  emit_done (self, self->notice);
}

static void
removed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SinglyAccountEditor) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!singly_account_store_remove_finish (SINGLY_ACCOUNT_STORE (object), result, &error) &&
      !g_error_matches (error, SINGLY_SECRET_ERROR, SINGLY_SECRET_ERROR_NO_SERVICE))
    {
      /* the account is gone; its password may not be */
      g_warning ("%s", error->message);
      if (!self->disposed)
        set_notice (self, error->message);
    }
  if (self->disposed)
    return;
  set_busy (self, FALSE);
  emit_done (self, self->notice);
}

/* Signal handlers */

static void
preset_selected_cb (SinglyAccountEditor *self)
{
  if (self->filling)
    return;
  self->preset_chosen = TRUE;
  apply_preset (self, selected_preset (self));
}

static void
security_selected_cb (SinglyAccountEditor *self)
{
  SinglySecurity security = (SinglySecurity) adw_combo_row_get_selected (self->security_row);

  gtk_widget_set_visible (GTK_WIDGET (self->security_warning_row), security == SINGLY_SECURITY_NONE);
  if (self->filling)
    return;
  /* the usual port follows the encryption; a port the user chose stays */
  if (gtk_spin_button_get_value_as_int (self->port_spin) == default_port (self->security))
    gtk_spin_button_set_value (self->port_spin, default_port (security));
  self->security = security;
}

static void
auth_selected_cb (SinglyAccountEditor *self)
{
  update_auth_rows (self);
}

static void
sender_address_changed_cb (SinglyAccountEditor *self)
{
  g_autofree char *address = NULL;
  const SinglyPreset *preset;

  if (self->filling)
    return;
  address = dup_text (self->sender_address_row);

  if (!self->preset_chosen && address != NULL)
    {
      preset = singly_preset_guess (address);
      if (preset != NULL && preset != selected_preset (self))
        apply_preset (self, preset);
    }

  self->filling = TRUE;
  if (self->user_follows)
    set_text (self->user_row, address);
  if (self->name_follows)
    set_text (self->name_row, address);
  self->filling = FALSE;
}

static void
user_changed_cb (SinglyAccountEditor *self)
{
  if (!self->filling)
    self->user_follows = FALSE;
}

static void
name_changed_cb (SinglyAccountEditor *self)
{
  if (!self->filling)
    self->name_follows = FALSE;
}

static void
password_changed_cb (SinglyAccountEditor *self)
{
  update_password_state (self);
}

/* What a file chooser's choice is for: the CA file, or the folder */
typedef void (*ChosenFunc) (SinglyAccountEditor *self,
                            const char          *path);

static void
chooser_response_cb (SinglyAccountEditor  *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  ChosenFunc chosen = g_object_get_data (G_OBJECT (chooser), "singly-chosen");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        chosen (self, path);
    }
  g_clear_object (&self->chooser);
}

static void
delete_response_cb (SinglyAccountEditor *self,
                    const char          *response)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "delete") != 0 || self->account_id == NULL || self->busy)
    return;

  set_busy (self, TRUE);
  singly_application_set_session_secret (self->application, self->account_id, NULL);
  /* not cancelled with the editor: the password must go even if the
   * window closes at once */
  singly_account_store_remove (self->store, self->account_id, NULL, removed_cb, g_object_ref (self));
  if (!singly_account_store_save (self->store, &error))
    set_notice (self, error->message);
}

/* Actions */

static void
back_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SinglyAccountEditor *self = SINGLY_ACCOUNT_EDITOR (widget);

  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  emit_done (self, NULL);
}

static void
run_check (SinglyAccountEditor *self)
{
  g_autoptr(SinglyAccount) account = build_account (self);
  g_autofree char *password = NULL;

  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  self->check_cancellable = g_cancellable_new ();

  if (!is_folder (self) && uses_password (self))
    {
      password = dup_password (self);
      if (password == NULL && self->account_id != NULL)
        password = singly_application_dup_session_secret (self->application, self->account_id);
    }

  show_result (self, NULL);
  set_checking (self, TRUE);
  singly_account_check_async (account, password, self->check_cancellable, check_done_cb, g_object_ref (self));
  if (password != NULL)
    singly_secret_free (g_steal_pointer (&password));
}

static void
test_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  run_check (SINGLY_ACCOUNT_EDITOR (widget));
}

static void
cancel_test_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SinglyAccountEditor *self = SINGLY_ACCOUNT_EDITOR (widget);

  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  set_checking (self, FALSE);
}

static void
trust_certificate_activated (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  SinglyAccountEditor *self = SINGLY_ACCOUNT_EDITOR (widget);

  if (self->result == NULL || self->result->fingerprint == NULL)
    return;
  g_free (self->pinned_sha256);
  self->pinned_sha256 = g_strdup (self->result->fingerprint);
  update_ca_rows (self);
  /* show at once that the server is now trusted */
  run_check (self);
}

static void
forget_certificate_activated (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  SinglyAccountEditor *self = SINGLY_ACCOUNT_EDITOR (widget);

  g_clear_pointer (&self->pinned_sha256, g_free);
  update_ca_rows (self);
}

static void
choose_file (SinglyAccountEditor  *self,
             const char           *title,
             GtkFileChooserAction  action,
             ChosenFunc            chosen)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               action, _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_object_set_data (G_OBJECT (self->chooser), "singly-chosen", chosen);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
choose_ca_file_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  choose_file (SINGLY_ACCOUNT_EDITOR (widget), _("Choose a CA Certificate"),
               GTK_FILE_CHOOSER_ACTION_OPEN, singly_account_editor_set_ca_file);
}

static void
clear_ca_file_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  singly_account_editor_set_ca_file (SINGLY_ACCOUNT_EDITOR (widget), NULL);
}

static void
choose_folder_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  choose_file (SINGLY_ACCOUNT_EDITOR (widget), _("Choose Where to Save Messages"),
               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, singly_account_editor_set_folder);
}

/* The user name changed and no new password was typed: the keyring's
 * password moves to the new name (it is filed under account and user),
 * rather than stay behind under the old one and be asked for again */
static void
password_cleared_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(SinglyAccountEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *user = NULL;

  if (!singly_secret_clear_finish (result, &error))
    g_debug ("the old password stays in the keyring: %s", error->message);
  user = dup_text (self->user_row);
  singly_secret_store (self->account_id, user, NULL, self->pending_password,
                       NULL, secret_stored_cb, g_object_ref (self));
}

static void
password_found_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(SinglyAccountEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  char *password = singly_secret_lookup_finish (result, &error);

  if (password == NULL)
    {
      /* nothing to move: no keyring, or nothing saved */
      if (!self->disposed)
        {
          set_busy (self, FALSE);
          update_password_state (self);
          emit_done (self, NULL);
        }
      return;
    }
  singly_secret_free (self->pending_password);
  self->pending_password = password;
  singly_secret_clear (self->account_id, NULL, password_cleared_cb, g_object_ref (self));
}

static void
save_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SinglyAccountEditor *self = SINGLY_ACCOUNT_EDITOR (widget);
  g_autoptr(SinglyAccount) account = build_account (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;

  if (self->busy)
    return;

  /* an account is most often called by its address */
  if (account->kind == SINGLY_ACCOUNT_SMTP && account->name == NULL)
    account->name = g_strdup (account->sender_address);

  if (self->account_id == NULL)
    {
      SinglyAccountItem *item = singly_account_store_add (self->store, account, &error);

      if (item == NULL)
        {
          show_error (self, error->message);
          return;
        }
      self->account_id = g_strdup (singly_account_item_get_id (item));
    }
  else if (!singly_account_store_update (self->store, self->account_id, account, &error))
    {
      show_error (self, error->message);
      return;
    }
  show_error (self, NULL);

  if (!singly_account_store_save (self->store, &error))
    {
      show_error (self, error->message);
      return;
    }

  if (account->kind == SINGLY_ACCOUNT_SMTP && account->user != NULL && uses_password (self))
    password = dup_password (self);
  if (password == NULL && account->kind == SINGLY_ACCOUNT_SMTP && account->user != NULL &&
      uses_password (self) && self->original->user != NULL &&
      g_strcmp0 (self->original->user, account->user) != 0)
    {
      g_autofree char *old_user = g_strdup (self->original->user);

      g_clear_pointer (&self->original, singly_account_free);
      self->original = singly_account_copy (account);
      set_busy (self, TRUE);
      singly_secret_lookup (self->account_id, old_user, NULL, password_found_cb, g_object_ref (self));
      return;
    }
  g_clear_pointer (&self->original, singly_account_free);
  self->original = singly_account_copy (account);
  if (password == NULL)
    {
      emit_done (self, NULL);
      return;
    }

  set_busy (self, TRUE);
  /* kept until the keyring answers, for the session if there is none */
  singly_secret_free (self->pending_password);
  self->pending_password = g_steal_pointer (&password);
  singly_secret_store (self->account_id, account->user, NULL, self->pending_password,
                       NULL, secret_stored_cb, g_object_ref (self));
}

static void
delete_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SinglyAccountEditor *self = SINGLY_ACCOUNT_EDITOR (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  if (self->account_id == NULL || is_folder (self))
    return;

  heading = g_strdup_printf (_("Delete “%s”?"), self->original->name);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       heading,
                                                       _("The account and its password in the keyring are "
                                                         "deleted. Messages already sent are not affected.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Overrides */

static void
singly_account_editor_dispose (GObject *object)
{
  SinglyAccountEditor *self = SINGLY_ACCOUNT_EDITOR (object);

  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);
  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), SINGLY_TYPE_ACCOUNT_EDITOR);

  G_OBJECT_CLASS (singly_account_editor_parent_class)->dispose (object);
}

static void
singly_account_editor_finalize (GObject *object)
{
  SinglyAccountEditor *self = SINGLY_ACCOUNT_EDITOR (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->application);
  g_clear_object (&self->store);
  g_clear_pointer (&self->original, singly_account_free);
  g_clear_pointer (&self->result, singly_account_check_result_free);
  g_free (self->account_id);
  g_free (self->folder);
  g_free (self->ca_file);
  g_free (self->pinned_sha256);
  g_free (self->error);
  g_free (self->notice);
  singly_secret_free (self->pending_password);

  G_OBJECT_CLASS (singly_account_editor_parent_class)->finalize (object);
}

static void
singly_account_editor_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SinglyAccountEditor *self = SINGLY_ACCOUNT_EDITOR (object);

  switch (prop_id)
    {
    case PROP_CHECKING:
      g_value_set_boolean (value, self->checking);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
singly_account_editor_class_init (SinglyAccountEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = singly_account_editor_dispose;
  object_class->finalize = singly_account_editor_finalize;
  object_class->get_property = singly_account_editor_get_property;

  properties[PROP_CHECKING] =
    g_param_spec_boolean ("checking", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SinglyAccountEditor::done:
   * @message: (nullable): what the user should be told, such as that the
   *   password is kept for this session only
   *
   * The editor is finished with: saved, deleted, or left with Back.
   */
  signals[DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/singly/Singly/singly-account-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, page);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, error_group);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, error_row);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, provider_group);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, preset_row);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, preset_note_label);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, folder_group);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, folder_row);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, account_group);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, sender_name_row);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, sender_address_row);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, server_group);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, host_row);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, port_spin);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, security_row);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, security_warning_row);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, login_group);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, user_row);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, auth_row);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, password_row);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, password_state_label);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, token_row);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, test_group);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, test_row);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, test_button);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, cancel_test_button);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, result_row);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, result_icon);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, trust_row);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, details_row);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, details_label);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, sending_group);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, dsn_switch);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, interval_spin);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, per_minute_spin);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, per_hour_spin);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, per_day_spin);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, per_connection_spin);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, advanced_group);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, ca_row);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, ca_clear_button);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, pinned_row);
  gtk_widget_class_bind_template_child (widget_class, SinglyAccountEditor, delete_group);

  gtk_widget_class_install_action (widget_class, "editor.back", NULL, back_activated);
  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_activated);
  gtk_widget_class_install_action (widget_class, "editor.test", NULL, test_activated);
  gtk_widget_class_install_action (widget_class, "editor.cancel-test", NULL, cancel_test_activated);
  gtk_widget_class_install_action (widget_class, "editor.trust-certificate", NULL, trust_certificate_activated);
  gtk_widget_class_install_action (widget_class, "editor.forget-certificate", NULL, forget_certificate_activated);
  gtk_widget_class_install_action (widget_class, "editor.choose-ca-file", NULL, choose_ca_file_activated);
  gtk_widget_class_install_action (widget_class, "editor.clear-ca-file", NULL, clear_ca_file_activated);
  gtk_widget_class_install_action (widget_class, "editor.choose-folder", NULL, choose_folder_activated);
  gtk_widget_class_install_action (widget_class, "editor.delete", NULL, delete_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save", NULL);
}

static void
singly_account_editor_init (SinglyAccountEditor *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  const SinglyPreset *presets;
  guint n;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->password_state = PASSWORD_UNKNOWN;

  presets = singly_presets_get_all (&n);
  for (guint i = 0; i < n; i++)
    gtk_string_list_append (names, singly_preset_get_name (&presets[i]));
  adw_combo_row_set_model (self->preset_row, G_LIST_MODEL (names));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.cancel-test", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.trust-certificate", FALSE);

  g_signal_connect_swapped (self->preset_row, "notify::selected", G_CALLBACK (preset_selected_cb), self);
  g_signal_connect_swapped (self->security_row, "notify::selected", G_CALLBACK (security_selected_cb), self);
  g_signal_connect_swapped (self->auth_row, "notify::selected", G_CALLBACK (auth_selected_cb), self);
  g_signal_connect_swapped (self->sender_address_row, "changed", G_CALLBACK (sender_address_changed_cb), self);
  g_signal_connect_swapped (self->user_row, "changed", G_CALLBACK (user_changed_cb), self);
  g_signal_connect_swapped (self->name_row, "changed", G_CALLBACK (name_changed_cb), self);
  g_signal_connect_swapped (self->password_row, "changed", G_CALLBACK (password_changed_cb), self);
}

/* The limits a new account starts with, from the Sending preferences */
static void
read_default_pacing (SinglyApplication *application,
                     SinglyPacing      *pacing)
{
  GSettings *settings = singly_application_get_settings (application);

  if (settings == NULL)
    return;
  pacing->interval = g_settings_get_double (settings, "default-interval");
  pacing->max_per_minute = g_settings_get_uint (settings, "default-max-per-minute");
  pacing->max_per_hour = g_settings_get_uint (settings, "default-max-per-hour");
  pacing->max_per_day = g_settings_get_uint (settings, "default-max-per-day");
}

/* Public API */

/**
 * singly_account_editor_new:
 * @application: the application, whose account store is edited
 * @item: (nullable): the account to edit, or %NULL for a new one
 *
 * Returns: (transfer floating): the editor
 */
SinglyAccountEditor *
singly_account_editor_new (SinglyApplication *application,
                           SinglyAccountItem *item)
{
  SinglyAccountEditor *self;

  g_return_val_if_fail (SINGLY_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (item == NULL || SINGLY_IS_ACCOUNT_ITEM (item), NULL);

  self = g_object_new (SINGLY_TYPE_ACCOUNT_EDITOR, NULL);
  self->application = g_object_ref (application);
  self->store = g_object_ref (singly_application_get_account_store (application));

  if (item != NULL)
    {
      self->original = singly_account_copy (singly_account_item_get_account (item));
      self->account_id = g_strdup (singly_account_item_get_id (item));
      self->preset_chosen = TRUE;
    }
  else
    {
      self->original = singly_account_new_smtp ("", 0, SINGLY_SECURITY_STARTTLS, NULL, NULL);
      g_clear_pointer (&self->original->host, g_free);
      self->original->preset = g_strdup (SINGLY_PRESET_CUSTOM);
      self->user_follows = TRUE;
      self->name_follows = TRUE;
      read_default_pacing (application, &self->original->pacing);
    }
  fill (self);

  if (self->account_id != NULL && !is_folder (self))
    {
      g_autofree char *session = singly_application_dup_session_secret (application, self->account_id);

      if (session != NULL)
        {
          self->password_state = PASSWORD_SESSION;
          singly_secret_free (g_steal_pointer (&session));
        }
      else if (self->original->user != NULL)
        singly_secret_has_password (self->account_id, self->original->user, self->cancellable,
                                    has_password_cb, g_object_ref (self));
      update_password_state (self);
    }
  return self;
}

/**
 * singly_account_editor_get_account_id:
 *
 * Returns: (nullable): the id of the account edited; %NULL for a new
 *   account until it is saved
 */
const char *
singly_account_editor_get_account_id (SinglyAccountEditor *self)
{
  g_return_val_if_fail (SINGLY_IS_ACCOUNT_EDITOR (self), NULL);
  return self->account_id;
}

/**
 * singly_account_editor_dup_account:
 *
 * Returns: (transfer full): the account as the widgets describe it now
 */
SinglyAccount *
singly_account_editor_dup_account (SinglyAccountEditor *self)
{
  g_return_val_if_fail (SINGLY_IS_ACCOUNT_EDITOR (self), NULL);
  return build_account (self);
}

/**
 * singly_account_editor_set_ca_file:
 * @path: (nullable): a PEM file of CA certificates to trust on top of the
 *   system's, or %NULL for the system's alone
 *
 * What the CA certificate's file chooser does.
 */
void
singly_account_editor_set_ca_file (SinglyAccountEditor *self,
                                   const char          *path)
{
  g_return_if_fail (SINGLY_IS_ACCOUNT_EDITOR (self));

  g_free (self->ca_file);
  self->ca_file = path && *path ? g_strdup (path) : NULL;
  update_ca_rows (self);
}

/**
 * singly_account_editor_set_folder:
 * @path: where "Save to folder" writes
 *
 * What the folder chooser does.
 */
void
singly_account_editor_set_folder (SinglyAccountEditor *self,
                                  const char          *path)
{
  g_return_if_fail (SINGLY_IS_ACCOUNT_EDITOR (self));
  g_return_if_fail (path != NULL);

  g_free (self->folder);
  self->folder = g_strdup (path);
  update_folder_row (self);
}

gboolean
singly_account_editor_get_checking (SinglyAccountEditor *self)
{
  g_return_val_if_fail (SINGLY_IS_ACCOUNT_EDITOR (self), FALSE);
  return self->checking;
}

/**
 * singly_account_editor_get_busy:
 *
 * Returns: whether a save or a delete waits for the keyring
 */
gboolean
singly_account_editor_get_busy (SinglyAccountEditor *self)
{
  g_return_val_if_fail (SINGLY_IS_ACCOUNT_EDITOR (self), FALSE);
  return self->busy;
}

/**
 * singly_account_editor_get_check_result:
 *
 * Returns: (nullable): what the last finished test found, as shown
 */
const SinglyAccountCheckResult *
singly_account_editor_get_check_result (SinglyAccountEditor *self)
{
  g_return_val_if_fail (SINGLY_IS_ACCOUNT_EDITOR (self), NULL);
  return self->result;
}

/**
 * singly_account_editor_get_error:
 *
 * Returns: (nullable): why the last Save failed, as shown
 */
const char *
singly_account_editor_get_error (SinglyAccountEditor *self)
{
  g_return_val_if_fail (SINGLY_IS_ACCOUNT_EDITOR (self), NULL);
  return self->error;
}

/**
 * singly_account_editor_get_notice:
 *
 * Returns: (nullable): what the user should know about where the
 *   password is, such as that no keyring runs
 */
const char *
singly_account_editor_get_notice (SinglyAccountEditor *self)
{
  g_return_val_if_fail (SINGLY_IS_ACCOUNT_EDITOR (self), NULL);
  return self->notice;
}
