/* singly-window.c: the main window
 *
 * Four pages over one document: Contacts, Template, Preview and Send.
 * Every command is an action of the window ("win.open-contacts", …), so
 * that menus, shortcuts and the tests all go the same way; the actions
 * that need a file show a file chooser and then call the public function
 * that takes the file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "singly-address.h"
#include "singly-util.h"
#include "singly-window.h"

struct _SinglyWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  AdwViewStack         *view_stack;
  AdwViewStackPage     *contacts_stack_page;
  AdwViewStackPage     *template_stack_page;
  AdwViewStackPage     *send_stack_page;
  SinglyContactsPage   *contacts_page;
  SinglyTemplatePage   *template_page;
  SinglyPreviewPage    *preview_page;
  SinglySendPage       *send_page;

  SinglyDocument       *document;
  GtkFileChooserNative *chooser;
  gboolean              close_confirmed;
};

G_DEFINE_FINAL_TYPE (SinglyWindow, singly_window, ADW_TYPE_APPLICATION_WINDOW)

static GSettings *
get_settings (SinglyWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (app == NULL || !SINGLY_IS_APPLICATION (app))
    return NULL;
  return singly_application_get_settings (SINGLY_APPLICATION (app));
}

static void
remember_file (SinglyWindow *self,
               const char   *key,
               GFile        *file)
{
  GSettings *settings = get_settings (self);
  g_autofree char *uri = NULL;

  if (settings == NULL)
    return;
  uri = g_file_get_uri (file);
  g_settings_set_string (settings, key, uri);
}

/* The chooser starts where the last file of this kind was */
static void
set_chooser_folder (SinglyWindow   *self,
                    GtkFileChooser *chooser,
                    const char     *key)
{
  GSettings *settings = get_settings (self);
  g_autofree char *uri = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) parent = NULL;

  if (settings == NULL)
    return;
  uri = g_settings_get_string (settings, key);
  if (*uri == '\0')
    return;
  file = g_file_new_for_uri (uri);
  parent = g_file_get_parent (file);
  if (parent != NULL && g_file_query_exists (parent, NULL))
    gtk_file_chooser_set_current_folder (chooser, parent, NULL);
}

static void
update_actions (SinglyWindow *self)
{
  SinglySendPageState state = singly_send_page_get_state (self->send_page);
  gboolean busy = singly_document_get_busy (self->document);
  gboolean has_template = singly_template_page_get_has_template (self->template_page);
  guint n_problems = singly_document_get_n_problems (self->document);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-contacts", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-template", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-template", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-template", has_template);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-template-as", has_template);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.preview-next",
                                 singly_preview_page_can_go_next (self->preview_page));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.preview-previous",
                                 singly_preview_page_can_go_previous (self->preview_page));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.send", singly_send_page_can_send (self->send_page));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.pause", state == SINGLY_SEND_PAGE_RUNNING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.resume", state == SINGLY_SEND_PAGE_PAUSED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel",
                                 state == SINGLY_SEND_PAGE_RUNNING || state == SINGLY_SEND_PAGE_PAUSED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.retry-failed",
                                 state == SINGLY_SEND_PAGE_FINISHED && singly_send_page_has_failed (self->send_page));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-report",
                                 singly_send_page_get_job (self->send_page) != NULL &&
                                 state != SINGLY_SEND_PAGE_READY);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.choose-folder", !busy);

  adw_view_stack_page_set_badge_number (self->contacts_stack_page, n_problems);
  adw_view_stack_page_set_needs_attention (self->template_stack_page,
                                           singly_document_get_template_error (self->document) != NULL);
}

static void
state_changed_cb (SinglyWindow *self)
{
  update_actions (self);
}

static void
update_title (SinglyWindow *self)
{
  GFile *file = singly_document_get_template_file (self->document);
  g_autofree char *name = file ? g_file_get_basename (file) : NULL;
  g_autofree char *subtitle = NULL;

  if (name != NULL)
    subtitle = singly_template_page_get_modified (self->template_page) ? g_strconcat ("• ", name, NULL)
                                                                       : g_strdup (name);
  adw_view_switcher_title_set_subtitle (self->switcher_title, subtitle);

  /* the window list and the overview name the template */
  if (subtitle != NULL)
    {
      /* Translators: the window title, "invoice.md — Singly" */
      g_autofree char *title = g_strdup_printf (_("%s — Singly"), subtitle);

      gtk_window_set_title (GTK_WINDOW (self), title);
    }
  else
    gtk_window_set_title (GTK_WINDOW (self), _("Singly"));
}

/* ------------------------------------------------------------------------ */
/* Opening files                                                             */

static SinglyFileKind
classify (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autoptr(GFileInputStream) stream = NULL;
  char head[512];
  gssize n;
  SinglyFileKind kind;

  kind = singly_util_classify_file (name, NULL, 0);
  if (kind != SINGLY_FILE_UNKNOWN)
    return kind;

  /* a .txt file: the first line tells (a few hundred bytes, read here) */
  stream = g_file_read (file, NULL, NULL);
  if (stream == NULL)
    return SINGLY_FILE_CONTACTS;
  n = g_input_stream_read (G_INPUT_STREAM (stream), head, sizeof head, NULL, NULL);
  if (n <= 0)
    return SINGLY_FILE_CONTACTS;
  kind = singly_util_classify_file (name, head, n);
  return kind == SINGLY_FILE_UNKNOWN ? SINGLY_FILE_CONTACTS : kind;
}

static void
open_contacts_answered_cb (SinglyWindow         *self,
                           int                   response,
                           GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file != NULL)
    singly_window_open_contacts_file (self, file);
}

static void
open_template_answered_cb (SinglyWindow         *self,
                           int                   response,
                           GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file != NULL)
    singly_window_open_template_file (self, file);
}

static void
save_template_answered_cb (SinglyWindow         *self,
                           int                   response,
                           GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file != NULL)
    {
      singly_template_page_save (self->template_page, file);
      remember_file (self, "last-template", file);
    }
}

static void
export_report_answered_cb (SinglyWindow         *self,
                           int                   response,
                           GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file == NULL)
    return;
  if (!singly_window_export_report (self, file, &error))
    singly_window_show_toast (self, error->message);
  else
    singly_window_show_toast (self, _("Report saved"));
}

static GtkFileChooserNative *
new_chooser (SinglyWindow         *self,
             const char           *title,
             GtkFileChooserAction  action,
             const char           *accept)
{
  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), action, accept, NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  return self->chooser;
}

static void
add_filter (GtkFileChooser      *chooser,
            const char          *name,
            const char * const  *patterns,
            const char * const  *mime_types)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  for (guint i = 0; patterns != NULL && patterns[i] != NULL; i++)
    gtk_file_filter_add_pattern (filter, patterns[i]);
  for (guint i = 0; mime_types != NULL && mime_types[i] != NULL; i++)
    gtk_file_filter_add_mime_type (filter, mime_types[i]);
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
open_contacts_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  SinglyWindow *self = SINGLY_WINDOW (widget);
  const char *patterns[] = { "*.csv", "*.CSV", "*.tsv", "*.txt", "*.TXT", NULL };
  const char *mime_types[] = { "text/csv", "text/tab-separated-values", NULL };
  const char *all[] = { "*", NULL };
  GtkFileChooserNative *chooser;

  chooser = new_chooser (self, _("Open Contacts"), GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"));
  add_filter (GTK_FILE_CHOOSER (chooser), _("Contact lists (CSV)"), patterns, mime_types);
  add_filter (GTK_FILE_CHOOSER (chooser), _("All files"), all, NULL);
  set_chooser_folder (self, GTK_FILE_CHOOSER (chooser), "last-contacts");
  g_signal_connect_object (chooser, "response", G_CALLBACK (open_contacts_answered_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
open_template_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  SinglyWindow *self = SINGLY_WINDOW (widget);
  const char *patterns[] = { "*.txt", "*.md", "*.markdown", "*.html", "*.htm", "*.eml", NULL };
  const char *all[] = { "*", NULL };
  GtkFileChooserNative *chooser;

  chooser = new_chooser (self, _("Open Template"), GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"));
  add_filter (GTK_FILE_CHOOSER (chooser), _("Templates (text, Markdown, HTML, e-mail)"), patterns, NULL);
  add_filter (GTK_FILE_CHOOSER (chooser), _("All files"), all, NULL);
  set_chooser_folder (self, GTK_FILE_CHOOSER (chooser), "last-template");
  g_signal_connect_object (chooser, "response", G_CALLBACK (open_template_answered_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
new_template_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  SinglyWindow *self = SINGLY_WINDOW (widget);

  singly_template_page_new_template (self->template_page);
  singly_window_set_visible_page (self, "template");
}

static void
save_template_as (SinglyWindow *self)
{
  GtkFileChooserNative *chooser;
  GFile *file = singly_document_get_template_file (self->document);
  const char *extension;
  g_autofree char *name = NULL;

  switch (singly_template_page_get_format (self->template_page))
    {
    case SINGLY_BODY_MARKDOWN: extension = ".md"; break;
    case SINGLY_BODY_HTML:     extension = ".html"; break;
    case SINGLY_BODY_EML:      extension = ".eml"; break;
    case SINGLY_BODY_PLAIN:
    default:                   extension = ".txt"; break;
    }

  chooser = new_chooser (self, _("Save Template"), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"));
  if (file != NULL)
    {
      g_autofree char *base = g_file_get_basename (file);
      char *dot = strrchr (base, '.');
      g_autoptr(GFile) parent = g_file_get_parent (file);

      if (dot != NULL)
        *dot = '\0';
      name = g_strconcat (base, extension, NULL);
      if (parent != NULL)
        gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), parent, NULL);
    }
  else
    name = g_strconcat (_("Template"), extension, NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect_object (chooser, "response", G_CALLBACK (save_template_answered_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
save_template_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  SinglyWindow *self = SINGLY_WINDOW (widget);
  GFile *file = singly_document_get_template_file (self->document);
  g_autofree char *path = file ? g_file_get_path (file) : NULL;

  /* a template whose format no longer matches its extension would be read
   * back as another format: it gets a new name */
  if (file == NULL || path == NULL ||
      singly_template_format_for_path (path) != singly_template_page_get_format (self->template_page))
    save_template_as (self);
  else
    singly_template_page_save (self->template_page, NULL);
}

static void
save_template_as_activated (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  save_template_as (SINGLY_WINDOW (widget));
}

static void
preview_next_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  singly_preview_page_next (SINGLY_WINDOW (widget)->preview_page);
}

static void
preview_previous_activated (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  singly_preview_page_previous (SINGLY_WINDOW (widget)->preview_page);
}

static void
find_recipient_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  SinglyWindow *self = SINGLY_WINDOW (widget);

  singly_window_set_visible_page (self, "preview");
  singly_preview_page_focus_search (self->preview_page);
}

static void
send_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SinglyWindow *self = SINGLY_WINDOW (widget);
  GFile *file = singly_document_get_template_file (self->document);
  g_autofree char *path = file ? g_file_get_path (file) : NULL;

  /* what is sent is what the file says: the journal that keeps anyone
   * from getting the message twice belongs to the file */
  if (singly_template_page_get_has_template (self->template_page) &&
      (path == NULL || singly_template_format_for_path (path) != singly_template_page_get_format (self->template_page)))
    {
      singly_window_show_toast (self, _("Save the template first"));
      save_template_as (self);
      return;
    }
  if (singly_template_page_get_modified (self->template_page))
    singly_template_page_save (self->template_page, NULL);
  /* the last keystrokes count too */
  singly_template_page_compile_now (self->template_page);

  singly_window_set_visible_page (self, "send");
  singly_send_page_confirm (self->send_page);
}

static void
pause_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  singly_send_page_pause (SINGLY_WINDOW (widget)->send_page);
}

static void
resume_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  singly_send_page_resume (SINGLY_WINDOW (widget)->send_page);
}

static void
cancel_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  singly_send_page_cancel (SINGLY_WINDOW (widget)->send_page);
}

static void
retry_failed_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  SinglyWindow *self = SINGLY_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!singly_send_page_retry_failed (self->send_page, &error))
    singly_window_show_toast (self, error->message);
}

static void
export_report_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  SinglyWindow *self = SINGLY_WINDOW (widget);
  const char *patterns[] = { "*.csv", NULL };
  GtkFileChooserNative *chooser;
  g_autofree char *campaign = singly_document_dup_campaign_name (self->document);
  g_autofree char *name = NULL;

  chooser = new_chooser (self, _("Export Report"), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"));
  add_filter (GTK_FILE_CHOOSER (chooser), _("CSV files"), patterns, NULL);
  /* Translators: the file name of a report, after the campaign's name */
  name = g_strdup_printf (_("%s report.csv"), campaign);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect_object (chooser, "response", G_CALLBACK (export_report_answered_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
choose_folder_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  singly_send_page_choose_folder (SINGLY_WINDOW (widget)->send_page);
}

static void
show_page_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  singly_window_set_visible_page (SINGLY_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

/* ------------------------------------------------------------------------ */
/* Drag and drop                                                             */

static gboolean
files_dropped_cb (GtkDropTarget *target,
                  const GValue  *value,
                  double         x,
                  double         y,
                  SinglyWindow  *self)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new ();

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      for (GSList *l = g_value_get_boxed (value); l != NULL; l = l->next)
        g_ptr_array_add (files, l->data);
    }
  else if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    g_ptr_array_add (files, g_value_get_object (value));

  if (files->len == 0 || singly_document_get_busy (self->document))
    return FALSE;
  singly_window_open_files (self, (GFile **) files->pdata, files->len);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Closing                                                                   */

static void
close_dialog_answered_cb (SinglyWindow     *self,
                          const char       *response,
                          AdwMessageDialog *dialog)
{
  if (g_str_equal (response, "cancel"))
    return;
  if (g_str_equal (response, "save"))
    {
      GFile *file = singly_document_get_template_file (self->document);

      if (file == NULL)
        {
          save_template_as (self);
          return;
        }
      singly_template_page_save (self->template_page, NULL);
    }
  singly_send_page_cancel (self->send_page);
  self->close_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

static void
save_window_state (SinglyWindow *self)
{
  GSettings *settings = get_settings (self);
  int width, height;

  if (settings == NULL)
    return;
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)))
    {
      g_settings_set_int (settings, "window-width", width);
      g_settings_set_int (settings, "window-height", height);
    }
}

static gboolean
singly_window_close_request (GtkWindow *window)
{
  SinglyWindow *self = SINGLY_WINDOW (window);
  SinglySendPageState state = singly_send_page_get_state (self->send_page);
  gboolean sending = state == SINGLY_SEND_PAGE_RUNNING || state == SINGLY_SEND_PAGE_PAUSED;
  gboolean modified = singly_template_page_get_modified (self->template_page);
  AdwMessageDialog *dialog;

  if (self->close_confirmed || (!sending && !modified))
    {
      save_window_state (self);
      singly_send_page_cancel (self->send_page);
      return GTK_WINDOW_CLASS (singly_window_parent_class)->close_request (window);
    }

  if (sending)
    {
      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window, _("Stop Sending?"),
                                                           _("Messages are still being sent. Closing the window stops after the message on its way; the journal keeps what was sent, so sending can resume later.")));
      adw_message_dialog_add_responses (dialog, "cancel", _("_Keep Sending"), "close", _("_Stop and Close"), NULL);
      adw_message_dialog_set_response_appearance (dialog, "close", ADW_RESPONSE_DESTRUCTIVE);
    }
  else
    {
      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window, _("Save Changes?"),
                                                           _("The template has changes that are not saved.")));
      adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "close", _("_Discard"),
                                        "save", _("_Save"), NULL);
      adw_message_dialog_set_response_appearance (dialog, "close", ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (dialog, "save");
    }
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (close_dialog_answered_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

/* ------------------------------------------------------------------------ */

static void
singly_window_constructed (GObject *object)
{
  SinglyWindow *self = SINGLY_WINDOW (object);
  GSettings *settings;

  G_OBJECT_CLASS (singly_window_parent_class)->constructed (object);

  settings = get_settings (self);
  if (settings != NULL)
    {
      g_autofree char *name = g_settings_get_string (settings, "sender-name");
      g_autofree char *address = g_settings_get_string (settings, "sender-address");
      g_autofree char *folder = g_settings_get_string (settings, "save-folder");

      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (settings, "window-width"),
                                   g_settings_get_int (settings, "window-height"));
      if (g_settings_get_boolean (settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));

      /* the sender and the folder chosen last time */
      if (*folder != '\0')
        singly_document_set_folder (self->document, folder);
      if (singly_address_is_valid (address))
        singly_document_set_sender (self->document, name, address);
    }
}

static void
singly_window_dispose (GObject *object)
{
  SinglyWindow *self = SINGLY_WINDOW (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  /* the switchers let go of the stack before it goes (libadwaita 1.2
   * would otherwise unparent buttons of pages already gone) */
  if (self->switcher_bar != NULL)
    adw_view_switcher_bar_set_stack (self->switcher_bar, NULL);
  if (self->switcher_title != NULL)
    adw_view_switcher_title_set_stack (self->switcher_title, NULL);


  g_clear_object (&self->document);

  G_OBJECT_CLASS (singly_window_parent_class)->dispose (object);
}

static void
singly_window_class_init (SinglyWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = singly_window_constructed;
  object_class->dispose = singly_window_dispose;
  window_class->close_request = singly_window_close_request;

  g_type_ensure (SINGLY_TYPE_CONTACTS_PAGE);
  g_type_ensure (SINGLY_TYPE_TEMPLATE_PAGE);
  g_type_ensure (SINGLY_TYPE_PREVIEW_PAGE);
  g_type_ensure (SINGLY_TYPE_SEND_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/singly/Singly/singly-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SinglyWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SinglyWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, SinglyWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, SinglyWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, SinglyWindow, contacts_stack_page);
  gtk_widget_class_bind_template_child (widget_class, SinglyWindow, template_stack_page);
  gtk_widget_class_bind_template_child (widget_class, SinglyWindow, send_stack_page);
  gtk_widget_class_bind_template_child (widget_class, SinglyWindow, contacts_page);
  gtk_widget_class_bind_template_child (widget_class, SinglyWindow, template_page);
  gtk_widget_class_bind_template_child (widget_class, SinglyWindow, preview_page);
  gtk_widget_class_bind_template_child (widget_class, SinglyWindow, send_page);

  gtk_widget_class_install_action (widget_class, "win.open-contacts", NULL, open_contacts_activated);
  gtk_widget_class_install_action (widget_class, "win.open-template", NULL, open_template_activated);
  gtk_widget_class_install_action (widget_class, "win.new-template", NULL, new_template_activated);
  gtk_widget_class_install_action (widget_class, "win.save-template", NULL, save_template_activated);
  gtk_widget_class_install_action (widget_class, "win.save-template-as", NULL, save_template_as_activated);
  gtk_widget_class_install_action (widget_class, "win.preview-next", NULL, preview_next_activated);
  gtk_widget_class_install_action (widget_class, "win.preview-previous", NULL, preview_previous_activated);
  gtk_widget_class_install_action (widget_class, "win.find-recipient", NULL, find_recipient_activated);
  gtk_widget_class_install_action (widget_class, "win.send", NULL, send_activated);
  gtk_widget_class_install_action (widget_class, "win.pause", NULL, pause_activated);
  gtk_widget_class_install_action (widget_class, "win.resume", NULL, resume_activated);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, cancel_activated);
  gtk_widget_class_install_action (widget_class, "win.retry-failed", NULL, retry_failed_activated);
  gtk_widget_class_install_action (widget_class, "win.export-report", NULL, export_report_activated);
  gtk_widget_class_install_action (widget_class, "win.choose-folder", NULL, choose_folder_activated);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_activated);
}

static void
singly_window_init (SinglyWindow *self)
{
  GtkDropTarget *target;
  GType types[] = { GDK_TYPE_FILE_LIST, G_TYPE_FILE };

  gtk_widget_init_template (GTK_WIDGET (self));

  self->document = singly_document_new ();
  singly_contacts_page_set_document (self->contacts_page, self->document);
  singly_template_page_set_document (self->template_page, self->document);
  singly_preview_page_set_document (self->preview_page, self->document);
  singly_send_page_set_document (self->send_page, self->document);

  g_signal_connect_object (self->document, "changed", G_CALLBACK (state_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->document, "notify::busy", G_CALLBACK (state_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->document, "notify::template-file", G_CALLBACK (update_title), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->template_page, "notify::modified", G_CALLBACK (update_title), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->template_page, "notify::has-template", G_CALLBACK (state_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->preview_page, "notify::row", G_CALLBACK (state_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->send_page, "notify::state", G_CALLBACK (state_changed_cb), self, G_CONNECT_SWAPPED);

  /* files dropped anywhere on the window: contacts or template by name */
  target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (target, types, G_N_ELEMENTS (types));
  g_signal_connect (target, "drop", G_CALLBACK (files_dropped_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));

  update_actions (self);
  update_title (self);
}

/**
 * singly_window_new:
 *
 * Returns: (transfer full): a new window of @application
 */
SinglyWindow *
singly_window_new (SinglyApplication *application)
{
  return g_object_new (SINGLY_TYPE_WINDOW, "application", application, NULL);
}

/**
 * singly_window_get_document:
 *
 * Returns: (transfer none): what the window works on
 */
SinglyDocument *
singly_window_get_document (SinglyWindow *self)
{
  g_return_val_if_fail (SINGLY_IS_WINDOW (self), NULL);
  return self->document;
}

/**
 * singly_window_open_files:
 * @files: (array length=n_files): contact lists and templates
 *
 * Opens each file as what its name (or, for .txt, its first line) says
 * it is: the command line and drag and drop come here.
 */
void
singly_window_open_files (SinglyWindow  *self,
                          GFile        **files,
                          int            n_files)
{
  gboolean contacts = FALSE;

  g_return_if_fail (SINGLY_IS_WINDOW (self));

  for (int i = 0; i < n_files; i++)
    {
      if (classify (files[i]) == SINGLY_FILE_TEMPLATE)
        singly_window_open_template_file (self, files[i]);
      else
        {
          singly_window_open_contacts_file (self, files[i]);
          contacts = TRUE;
        }
    }
  /* the table first: that is where what is wrong shows */
  if (contacts)
    singly_window_set_visible_page (self, "contacts");
}

/**
 * singly_window_open_contacts_file:
 *
 * Reads @file as the contact list (in a thread) and shows the Contacts page.
 */
void
singly_window_open_contacts_file (SinglyWindow *self,
                                  GFile        *file)
{
  g_return_if_fail (SINGLY_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (singly_document_get_busy (self->document))
    {
      singly_window_show_toast (self, _("A send is running: the contact list cannot change now"));
      return;
    }
  singly_contacts_page_open_file (self->contacts_page, file);
  remember_file (self, "last-contacts", file);
  singly_window_set_visible_page (self, "contacts");
}

/**
 * singly_window_open_template_file:
 *
 * Reads @file into the template editor and shows the Template page.
 */
void
singly_window_open_template_file (SinglyWindow *self,
                                  GFile        *file)
{
  g_return_if_fail (SINGLY_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (singly_document_get_busy (self->document))
    {
      singly_window_show_toast (self, _("A send is running: the template cannot change now"));
      return;
    }
  singly_template_page_open_file (self->template_page, file);
  remember_file (self, "last-template", file);
  singly_window_set_visible_page (self, "template");
}

/**
 * singly_window_set_account:
 * @account: where messages go (copied)
 */
void
singly_window_set_account (SinglyWindow        *self,
                           const SinglyAccount *account)
{
  g_return_if_fail (SINGLY_IS_WINDOW (self));
  g_return_if_fail (account != NULL);

  if (singly_document_get_busy (self->document))
    {
      singly_window_show_toast (self, _("A send is running: the account cannot change now"));
      return;
    }
  singly_document_set_account (self->document, account);
}

/**
 * singly_window_export_report:
 * @file: a CSV file to write
 *
 * Writes the report of the last send job.
 */
gboolean
singly_window_export_report (SinglyWindow  *self,
                             GFile         *file,
                             GError       **error)
{
  g_return_val_if_fail (SINGLY_IS_WINDOW (self), FALSE);
  return singly_send_page_export_report (self->send_page, file, error);
}

const char *
singly_window_get_visible_page (SinglyWindow *self)
{
  g_return_val_if_fail (SINGLY_IS_WINDOW (self), NULL);
  return adw_view_stack_get_visible_child_name (self->view_stack);
}

void
singly_window_set_visible_page (SinglyWindow *self,
                                const char   *name)
{
  g_return_if_fail (SINGLY_IS_WINDOW (self));
  g_return_if_fail (name != NULL);

  if (adw_view_stack_get_child_by_name (self->view_stack, name) != NULL)
    adw_view_stack_set_visible_child_name (self->view_stack, name);
}

void
singly_window_show_toast (SinglyWindow *self,
                          const char   *text)
{
  g_autofree char *escaped = NULL;

  g_return_if_fail (SINGLY_IS_WINDOW (self));
  g_return_if_fail (text != NULL);

  /* a toast's title is markup; error messages are text */
  escaped = g_markup_escape_text (text, -1);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

SinglyContactsPage *
singly_window_get_contacts_page (SinglyWindow *self)
{
  g_return_val_if_fail (SINGLY_IS_WINDOW (self), NULL);
  return self->contacts_page;
}

SinglyTemplatePage *
singly_window_get_template_page (SinglyWindow *self)
{
  g_return_val_if_fail (SINGLY_IS_WINDOW (self), NULL);
  return self->template_page;
}

SinglyPreviewPage *
singly_window_get_preview_page (SinglyWindow *self)
{
  g_return_val_if_fail (SINGLY_IS_WINDOW (self), NULL);
  return self->preview_page;
}

SinglySendPage *
singly_window_get_send_page (SinglyWindow *self)
{
  g_return_val_if_fail (SINGLY_IS_WINDOW (self), NULL);
  return self->send_page;
}
