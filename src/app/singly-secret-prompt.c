/* singly-secret-prompt.c: the password an account sends with, found or asked for
 *
 * Before a send (or a test send) through a server that wants a password:
 * the password typed earlier in this session, else the keyring (asked
 * without blocking), else the user, in a dialog that offers to save it in
 * the keyring, or says that it is kept only until Singly quits when there
 * is no keyring. An OAuth2 account has no password: its token command
 * runs each time a token is needed, in the worker thread.
 *
 * What is found goes into a #SinglySecretSource: the worker thread's
 * secret function copies the password out of it, and whoever started the
 * send wipes it when the send ends.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "singly-application.h"
#include "singly-secret.h"
#include "singly-secret-prompt.h"

struct _SinglySecretSource
{
  gatomicrefcount  ref_count;
  GMutex           mutex;
  char            *password;       /* (nullable) wiped by singly_secret_source_wipe() */
  char            *token_command;  /* (nullable) for OAuth2 */
};

G_DEFINE_BOXED_TYPE (SinglySecretSource, singly_secret_source,
                     singly_secret_source_ref, singly_secret_source_unref)

/* Where a password the user types goes */
typedef enum
{
  KEEP_IN_KEYRING,     /* the keyring, if they say so; else the session */
  KEEP_IN_SESSION,     /* there is no keyring */
  KEEP_NOWHERE,        /* an account made on the spot, with no id */
} Keep;

typedef struct
{
  SinglyAccount    *account;
  AdwMessageDialog *dialog;        /* (weak) */
  GtkWidget        *entry;         /* (weak) */
  GtkWidget        *save_check;    /* (weak) (nullable) */
  gboolean          returned;
} Request;

static void
request_free (gpointer data)
{
  Request *request = data;

  g_clear_weak_pointer (&request->dialog);
  g_clear_weak_pointer (&request->entry);
  g_clear_weak_pointer (&request->save_check);
  g_clear_pointer (&request->account, singly_account_free);
  g_free (request);
}

static SinglyApplication *
get_application (GTask *task)
{
  GtkWindow *parent = g_task_get_source_object (task);
  GtkApplication *app = parent ? gtk_window_get_application (parent) : NULL;

  return app != NULL && SINGLY_IS_APPLICATION (app) ? SINGLY_APPLICATION (app) : NULL;
}

static void
show_toast (GtkWindow  *window,
            const char *text)
{
  GtkWidget *content = ADW_IS_APPLICATION_WINDOW (window)
                       ? adw_application_window_get_content (ADW_APPLICATION_WINDOW (window)) : NULL;
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  if (content != NULL && ADW_IS_TOAST_OVERLAY (content))
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (content), adw_toast_new (escaped));
}

static void
return_source (GTask      *task,
               const char *password)
{
  Request *request = g_task_get_task_data (task);

  if (request->returned)
    return;
  request->returned = TRUE;
  g_task_return_pointer (task, singly_secret_source_new (request->account, password),
                         (GDestroyNotify) singly_secret_source_unref);
}

static void
return_cancelled (GTask *task)
{
  Request *request = g_task_get_task_data (task);

  if (request->returned)
    return;
  request->returned = TRUE;
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("No password was given"));
}

static void
secret_stored_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GtkWindow) window = user_data;
  g_autoptr(GError) error = NULL;

  if (!singly_secret_store_finish (result, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The password was not saved in the keyring: %s"), error->message);

      show_toast (window, text);
    }
}

static void
dialog_answered_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    GTask            *task)
{
  Request *request = g_task_get_task_data (task);
  SinglyApplication *app = get_application (task);
  const SinglyAccount *account = request->account;
  char *password;

  /* GTK 4.8's password entry must not have the focus when its dialog goes */
  gtk_window_set_focus (GTK_WINDOW (dialog), NULL);
  if (request->returned)
    return;
  if (!g_str_equal (response, "connect") || request->entry == NULL)
    {
      return_cancelled (task);
      return;
    }

  password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (request->entry)));
  gtk_editable_set_text (GTK_EDITABLE (request->entry), "");

  if (request->save_check != NULL && gtk_check_button_get_active (GTK_CHECK_BUTTON (request->save_check)))
    singly_secret_store (account->id, account->user, NULL, password, NULL, secret_stored_cb,
                         g_object_ref (g_task_get_source_object (task)));
  else if (app != NULL && account->id != NULL)
    /* not asked again before Singly quits */
    singly_application_set_session_secret (app, account->id, password);

  return_source (task, password);
  singly_secret_free (password);
}

static void
dialog_destroyed_cb (AdwMessageDialog *dialog,
                     GTask            *task)
{
  /* closed with its window, without an answer */
  return_cancelled (task);
}

static void
entry_changed_cb (GtkEditable      *entry,
                  AdwMessageDialog *dialog)
{
  adw_message_dialog_set_response_enabled (dialog, "connect", *gtk_editable_get_text (entry) != '\0');
}

/* The user is asked */
static void
ask (GTask *task,
     Keep   keep)
{
  Request *request = g_task_get_task_data (task);
  const SinglyAccount *account = request->account;
  GtkWindow *parent = g_task_get_source_object (task);
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *box, *entry;

  /* Translators: "smtp.example.org asks for the password of office@example.org." */
  body = g_strdup_printf (_("%s asks for the password of %s."), account->host, account->user);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Password Needed"), body));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  entry = gtk_password_entry_new ();
  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (entry), TRUE);
  g_object_set (entry, "activates-default", TRUE, "placeholder-text", _("Password"), NULL);
  gtk_box_append (GTK_BOX (box), entry);
  g_set_weak_pointer (&request->entry, entry);

  if (keep == KEEP_IN_KEYRING)
    {
      GtkWidget *check = gtk_check_button_new_with_mnemonic (_("_Save in the keyring"));

      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
      gtk_box_append (GTK_BOX (box), check);
      g_set_weak_pointer (&request->save_check, check);
    }
  else if (keep == KEEP_IN_SESSION)
    {
      GtkWidget *label = gtk_label_new (_("No keyring is running: the password is kept only until Singly quits."));

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (box), label);
    }
  adw_message_dialog_set_extra_child (dialog, box);

  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "connect", _("C_onnect"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "connect", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "connect");
  adw_message_dialog_set_close_response (dialog, "cancel");
  adw_message_dialog_set_response_enabled (dialog, "connect", FALSE);
  g_signal_connect_object (entry, "changed", G_CALLBACK (entry_changed_cb), dialog, 0);

  /* the dialog keeps the request until it goes */
  g_signal_connect_data (dialog, "response", G_CALLBACK (dialog_answered_cb),
                         g_object_ref (task), (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  g_signal_connect (dialog, "destroy", G_CALLBACK (dialog_destroyed_cb), task);
  g_set_weak_pointer (&request->dialog, dialog);

  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
looked_up_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *password;

  password = singly_secret_lookup_finish (result, &error);
  if (password != NULL)
    {
      return_source (task, password);
      singly_secret_free (password);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      return_cancelled (task);
      return;
    }
  if (error != NULL)
    g_debug ("secret-prompt: the keyring gave no password: %s", error->message);
  ask (task, g_error_matches (error, SINGLY_SECRET_ERROR, SINGLY_SECRET_ERROR_NO_SERVICE)
             ? KEEP_IN_SESSION : KEEP_IN_KEYRING);
}

/**
 * singly_secret_source_new:
 * @account: the account it is for
 * @password: (nullable): its password, copied
 *
 * Returns: (transfer full): a source of the password (or, for an OAuth2
 *   account, of tokens from its token command)
 */
SinglySecretSource *
singly_secret_source_new (const SinglyAccount *account,
                          const char          *password)
{
  SinglySecretSource *self;

  g_return_val_if_fail (account != NULL, NULL);

  self = g_new0 (SinglySecretSource, 1);
  g_atomic_ref_count_init (&self->ref_count);
  g_mutex_init (&self->mutex);
  self->password = g_strdup (password);
  if (account->auth == SINGLY_SMTP_AUTH_XOAUTH2)
    self->token_command = g_strdup (account->token_command);
  return self;
}

SinglySecretSource *
singly_secret_source_ref (SinglySecretSource *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
singly_secret_source_unref (SinglySecretSource *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  singly_secret_source_wipe (self);
  g_free (self->token_command);
  g_mutex_clear (&self->mutex);
  g_free (self);
}

/**
 * singly_secret_source_wipe:
 *
 * Overwrites the password and forgets it: the send it was for is over.
 */
void
singly_secret_source_wipe (SinglySecretSource *self)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->mutex);
  g_clear_pointer (&self->password, singly_secret_free);
  g_mutex_unlock (&self->mutex);
}

/**
 * singly_secret_source_dup_secret:
 * @self: (type SinglySecretSource): a source
 *
 * A #SinglySmtpSecretFunc, for the worker thread: a copy of the password,
 * or a fresh token from the account's token command.
 *
 * Returns: (transfer full): the secret; free with singly_secret_free()
 */
char *
singly_secret_source_dup_secret (gpointer   self,
                                 GError   **error)
{
  SinglySecretSource *source = self;
  g_autofree char *command = NULL;
  char *secret = NULL;

  g_return_val_if_fail (source != NULL, NULL);

  g_mutex_lock (&source->mutex);
  command = g_strdup (source->token_command);
  if (command == NULL && source->password != NULL)
    secret = g_strdup (source->password);
  g_mutex_unlock (&source->mutex);

  /* tokens expire within the hour: a new one each time */
  if (command != NULL)
    return singly_secret_run_command (command, error);
  if (secret == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                         _("The server asks for a password, and none was given"));
  return secret;
}

/**
 * singly_secret_prompt_needs_password:
 *
 * Returns: whether sending through @account takes a password
 */
gboolean
singly_secret_prompt_needs_password (const SinglyAccount *account)
{
  g_return_val_if_fail (account != NULL, FALSE);

  return account->kind == SINGLY_ACCOUNT_SMTP && account->user != NULL && *account->user != '\0' &&
         account->auth != SINGLY_SMTP_AUTH_XOAUTH2;
}

/**
 * singly_secret_prompt_lookup_now:
 * @parent: the window that asks
 * @account: the account to send with
 *
 * What singly_secret_prompt_request() finds without waiting: nothing to
 * find (no password needed, or an OAuth2 token command), or the password
 * typed earlier in this session.
 *
 * Returns: (transfer full) (nullable): the source, or %NULL when the
 *   keyring or the user must be asked
 */
SinglySecretSource *
singly_secret_prompt_lookup_now (GtkWindow           *parent,
                                 const SinglyAccount *account)
{
  GtkApplication *app;
  g_autofree char *password = NULL;
  SinglySecretSource *source;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (account != NULL, NULL);

  if (account->kind == SINGLY_ACCOUNT_SMTP && account->auth == SINGLY_SMTP_AUTH_XOAUTH2 &&
      account->user != NULL && (account->token_command == NULL || *account->token_command == '\0'))
    return NULL;
  if (!singly_secret_prompt_needs_password (account))
    return singly_secret_source_new (account, NULL);

  app = parent ? gtk_window_get_application (parent) : NULL;
  if (app == NULL || !SINGLY_IS_APPLICATION (app) || account->id == NULL)
    return NULL;
  password = singly_application_dup_session_secret (SINGLY_APPLICATION (app), account->id);
  if (password == NULL)
    return NULL;
  source = singly_secret_source_new (account, password);
  explicit_bzero (password, strlen (password));
  return source;
}

/**
 * singly_secret_prompt_request:
 * @parent: the window that asks, and that a password dialog belongs to
 * @account: the account to send with
 * @cancellable: (nullable): to give up
 * @callback: called when the password is there, or not
 * @user_data: for @callback
 *
 * Finds the password of @account: in the session's memory, in the
 * keyring, or from the user. Never blocks.
 */
void
singly_secret_prompt_request (GtkWindow           *parent,
                              const SinglyAccount *account,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SinglySecretSource) source = NULL;
  Request *request;

  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (account != NULL);

  task = g_task_new (parent, cancellable, callback, user_data);
  g_task_set_source_tag (task, singly_secret_prompt_request);
  request = g_new0 (Request, 1);
  request->account = singly_account_copy (account);
  g_task_set_task_data (task, request, request_free);

  if (account->kind == SINGLY_ACCOUNT_SMTP && account->auth == SINGLY_SMTP_AUTH_XOAUTH2 &&
      account->user != NULL && (account->token_command == NULL || *account->token_command == '\0'))
    {
      request->returned = TRUE;
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("The account logs in with OAuth2 but has no command that gives a token: set one in Preferences"));
      return;
    }
  source = singly_secret_prompt_lookup_now (parent, account);
  if (source != NULL)
    {
      request->returned = TRUE;
      g_task_return_pointer (task, g_steal_pointer (&source), (GDestroyNotify) singly_secret_source_unref);
      return;
    }

  /* an account made on the spot is in no keyring */
  if (account->id == NULL)
    {
      ask (task, KEEP_NOWHERE);
      return;
    }
  singly_secret_lookup (account->id, account->user, cancellable, looked_up_cb, g_steal_pointer (&task));
}

/**
 * singly_secret_prompt_request_finish:
 *
 * Returns: (transfer full): where the send job gets its password or
 *   token; %NULL with %G_IO_ERROR_CANCELLED when the user gave none
 */
SinglySecretSource *
singly_secret_prompt_request_finish (GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == singly_secret_prompt_request, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
