/* singly-window.c: the main window
 *
 * Four pages over one document: Contacts, Template, Preview and Send.
 * Every command is an action of the window ("win.open-contacts", …), so
 * that menus, shortcuts and the tests all go the same way; the actions
 * that need a file show a file chooser and then call the public function
 * that takes the file.
 *
 * A campaign file (.singly) names the contact list (and how to read it),
 * the template, the account and the rows chosen by hand: opening one
 * reads the files again as they were, and offers to resume a send its
 * journal says was under way. Files opened are offered again from the
 * recent files, as GTK's recent manager keeps them for every program.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "singly-address.h"
#include "singly-campaign.h"
#include "singly-util.h"
#include "singly-window.h"

/* What the recent files say opened them, and the kinds they are of */
#define RECENT_APP_NAME       "Singly"
#define RECENT_APP_EXEC       "singly %u"
#define RECENT_GROUP_CAMPAIGN "singly-campaign"
#define RECENT_GROUP_CONTACTS "singly-contacts"
#define RECENT_GROUP_TEMPLATE "singly-template"
#define RECENT_PER_KIND       4
#define CAMPAIGN_MIME_TYPE    "application/x-singly-campaign"

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

  GMenu                *recent_menu;

  SinglyDocument       *document;
  GtkFileChooserNative *chooser;
  GFile                *campaign_file;     /* saved or opened */
  SinglyCampaign       *opening;           /* being opened: its files are read */
  GCancellable         *cancellable;
  guint                 opened_idle;
  gboolean              application_seen;
  gboolean              close_confirmed;
};

enum {
  PROP_0,
  PROP_CAMPAIGN_FILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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
  gboolean has_files = singly_document_get_contacts_file (self->document) != NULL ||
                       singly_document_get_template_file (self->document) != NULL;
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
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-campaign", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-recent", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-campaign", has_files);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-campaign-as", has_files);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.send-test",
                                 singly_document_get_builder (self->document) != NULL &&
                                 !singly_preview_page_get_testing (self->preview_page));

  adw_view_stack_page_set_badge_number (self->contacts_stack_page, n_problems);
  adw_view_stack_page_set_needs_attention (self->template_stack_page,
                                           singly_document_get_template_error (self->document) != NULL);
}

static void
state_changed_cb (SinglyWindow *self)
{
  update_actions (self);
}

/* The campaign's name, from its file: "invoices" for invoices.singly */
static char *
dup_campaign_title (SinglyWindow *self)
{
  g_autofree char *name = NULL;

  if (self->campaign_file == NULL)
    return NULL;
  name = g_file_get_basename (self->campaign_file);
  if (g_str_has_suffix (name, SINGLY_CAMPAIGN_EXTENSION) && strlen (name) > strlen (SINGLY_CAMPAIGN_EXTENSION))
    name[strlen (name) - strlen (SINGLY_CAMPAIGN_EXTENSION)] = '\0';
  return g_steal_pointer (&name);
}

static void
update_title (SinglyWindow *self)
{
  GFile *file = singly_document_get_template_file (self->document);
  g_autofree char *name = file ? g_file_get_basename (file) : NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *campaign = dup_campaign_title (self);

  if (name != NULL)
    subtitle = singly_template_page_get_modified (self->template_page) ? g_strconcat ("• ", name, NULL)
                                                                       : g_strdup (name);
  adw_view_switcher_title_set_subtitle (self->switcher_title, subtitle);
  adw_view_switcher_title_set_title (self->switcher_title, campaign ? campaign : _("Singly"));

  /* the window list and the overview name the campaign, else the template */
  if (campaign != NULL || subtitle != NULL)
    {
      /* Translators: the window title, "invoices — Singly" (the campaign,
       * or else the template) */
      g_autofree char *title = g_strdup_printf (_("%s — Singly"), campaign ? campaign : subtitle);

      gtk_window_set_title (GTK_WINDOW (self), title);
    }
  else
    gtk_window_set_title (GTK_WINDOW (self), _("Singly"));
}

static void
set_campaign_file (SinglyWindow *self,
                   GFile        *file)
{
  if (!g_set_object (&self->campaign_file, file))
    return;
  update_title (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAMPAIGN_FILE]);
}

/* ------------------------------------------------------------------------ */
/* Recent files                                                              */

static void
add_recent (GFile      *file,
            const char *group)
{
  g_autofree char *uri = g_file_get_uri (file);
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *content_type = NULL;
  g_autofree char *mime_type = NULL;
  const char *groups[] = { group, NULL };
  GtkRecentData data = { 0 };

  if (g_str_equal (group, RECENT_GROUP_CAMPAIGN))
    mime_type = g_strdup (CAMPAIGN_MIME_TYPE);
  else
    {
      content_type = g_content_type_guess (name, NULL, 0, NULL);
      mime_type = g_content_type_get_mime_type (content_type);
    }

  data.mime_type = mime_type ? mime_type : (char *) "application/octet-stream";
  data.app_name = (char *) RECENT_APP_NAME;
  data.app_exec = (char *) RECENT_APP_EXEC;
  data.groups = (char **) groups;
  gtk_recent_manager_add_full (gtk_recent_manager_get_default (), uri, &data);
}

static int
compare_recent (gconstpointer a,
                gconstpointer b)
{
  GtkRecentInfo *ia = *(GtkRecentInfo * const *) a;
  GtkRecentInfo *ib = *(GtkRecentInfo * const *) b;
  GDateTime *ma = gtk_recent_info_get_modified (ia);
  GDateTime *mb = gtk_recent_info_get_modified (ib);

  /* the newest first */
  return g_date_time_compare (mb, ma);
}

static char *
escape_underscores (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, "_", -1);

  return g_strjoinv ("__", parts);
}

/* Which kind of file an entry is: its group, or when GTK's recent list
 * lost the group (it rereads its file behind the application's back, and
 * was seen to drop one), its name */
static gboolean
recent_info_is_kind (GtkRecentInfo *info,
                     const char    *group)
{
  SinglyFileKind kind;

  if (gtk_recent_info_has_group (info, group))
    return TRUE;
  if (gtk_recent_info_has_group (info, RECENT_GROUP_CAMPAIGN) ||
      gtk_recent_info_has_group (info, RECENT_GROUP_CONTACTS) ||
      gtk_recent_info_has_group (info, RECENT_GROUP_TEMPLATE))
    return FALSE;
  kind = singly_util_classify_file (gtk_recent_info_get_display_name (info), NULL, 0);
  return (kind == SINGLY_FILE_CAMPAIGN && g_str_equal (group, RECENT_GROUP_CAMPAIGN)) ||
         (kind == SINGLY_FILE_CONTACTS && g_str_equal (group, RECENT_GROUP_CONTACTS)) ||
         (kind == SINGLY_FILE_TEMPLATE && g_str_equal (group, RECENT_GROUP_TEMPLATE));
}

static GMenu *
recent_section (GPtrArray  *infos,
                const char *group)
{
  GMenu *section = g_menu_new ();
  guint n = 0;

  for (guint i = 0; i < infos->len && n < RECENT_PER_KIND; i++)
    {
      GtkRecentInfo *info = infos->pdata[i];
      g_autoptr(GMenuItem) item = NULL;
      g_autofree char *label = NULL;

      if (!recent_info_is_kind (info, group) || !gtk_recent_info_has_application (info, RECENT_APP_NAME) ||
          !gtk_recent_info_is_local (info) || !gtk_recent_info_exists (info))
        continue;
      /* an underscore in a file name is not a mnemonic */
      label = escape_underscores (gtk_recent_info_get_display_name (info));
      item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target (item, "win.open-recent", "s", gtk_recent_info_get_uri (info));
      g_menu_append_item (section, item);
      n++;
    }
  return section;
}

/* The recent files menu: campaigns, contact lists and templates, the
 * newest first */
static void
update_recent_menu (SinglyWindow *self)
{
  GList *items = gtk_recent_manager_get_items (gtk_recent_manager_get_default ());
  g_autoptr(GPtrArray) infos = g_ptr_array_new_with_free_func ((GDestroyNotify) gtk_recent_info_unref);
  const struct
  {
    const char *group;
    const char *title;
  } kinds[] = {
    { RECENT_GROUP_CAMPAIGN, N_("Campaigns") },
    { RECENT_GROUP_CONTACTS, N_("Contact Lists") },
    { RECENT_GROUP_TEMPLATE, N_("Templates") },
  };
  gboolean empty = TRUE;

  for (GList *l = items; l != NULL; l = l->next)
    g_ptr_array_add (infos, l->data);
  g_list_free (items);
  g_ptr_array_sort (infos, compare_recent);

  g_menu_remove_all (self->recent_menu);
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autoptr(GMenu) section = recent_section (infos, kinds[k].group);

      if (g_menu_model_get_n_items (G_MENU_MODEL (section)) == 0)
        continue;
      g_menu_append_section (self->recent_menu, _(kinds[k].title), G_MENU_MODEL (section));
      empty = FALSE;
    }
  if (empty)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (_("No Recent Files"), "win.no-recent");

      g_menu_append_item (self->recent_menu, item);
    }
}

/**
 * singly_window_get_recent_menu:
 *
 * Returns: (transfer none): the menu of recent files
 */
GMenuModel *
singly_window_get_recent_menu (SinglyWindow *self)
{
  g_return_val_if_fail (SINGLY_IS_WINDOW (self), NULL);
  return G_MENU_MODEL (self->recent_menu);
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

/* The file an Open dialog chose goes where its "singly-open" function says */
typedef void (*OpenFunc) (SinglyWindow *self,
                          GFile        *file);

static void
open_answered_cb (SinglyWindow         *self,
                  int                   response,
                  GtkFileChooserNative *chooser)
{
  OpenFunc open = g_object_get_data (G_OBJECT (chooser), "singly-open");
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file != NULL)
    open (self, file);
}

static void
show_open_chooser (SinglyWindow         *self,
                   GtkFileChooserNative *chooser,
                   OpenFunc              open)
{
  g_object_set_data (G_OBJECT (chooser), "singly-open", open);
  g_signal_connect_object (chooser, "response", G_CALLBACK (open_answered_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
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
  show_open_chooser (self, chooser, singly_window_open_contacts_file);
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
  show_open_chooser (self, chooser, singly_window_open_template_file);
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

/* ------------------------------------------------------------------------ */
/* Campaigns                                                                 */

/* The campaign as the window has it now */
static SinglyCampaign *
make_campaign (SinglyWindow *self)
{
  SinglyCampaign *campaign = singly_campaign_new ();
  SinglyContactList *contacts = singly_document_get_contacts (self->document);
  GFile *contacts_file = singly_document_get_contacts_file (self->document);
  GFile *template_file = singly_document_get_template_file (self->document);
  const SinglyAccount *account = singly_document_get_account (self->document);
  g_autofree char *contacts_path = contacts_file ? g_file_get_path (contacts_file) : NULL;
  g_autofree char *template_path = template_file ? g_file_get_path (template_file) : NULL;
  g_autofree char *journal_path = singly_send_page_dup_journal_path (self->send_page);

  singly_campaign_set_contacts_path (campaign, contacts_path);
  singly_campaign_set_template_path (campaign, template_path);
  singly_campaign_set_journal_path (campaign, journal_path);
  singly_campaign_set_account (campaign, account->id);
  singly_campaign_set_pacing (campaign, &account->pacing);

  if (contacts != NULL)
    {
      int address = singly_contact_list_get_address_column (contacts);

      /* a detected encoding is detected again; one chosen by hand is kept */
      if (!singly_contact_list_get_encoding_detected (contacts))
        singly_campaign_set_encoding (campaign, singly_contact_list_get_encoding (contacts));
      singly_campaign_set_delimiter (campaign, singly_contact_list_get_delimiter (contacts));
      if (address >= 0)
        singly_campaign_set_address_column (campaign, singly_contact_list_get_column_name (contacts, address));
      singly_document_save_row_choices (self->document, campaign);
    }
  return campaign;
}

static void
campaign_saved_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(SinglyWindow) self = user_data;
  GFile *file = G_FILE (source);
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (file, result, NULL, &error))
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("Cannot save the campaign: %s"), error->message);
      singly_window_show_toast (self, text);
      return;
    }
  set_campaign_file (self, file);
  add_recent (file, RECENT_GROUP_CAMPAIGN);
  singly_window_show_toast (self, _("Campaign saved"));
}

static void
save_campaign_answered_cb (SinglyWindow         *self,
                           int                   response,
                           GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file == NULL)
    return;
  /* the chooser may leave the extension off */
  if (classify (file) != SINGLY_FILE_CAMPAIGN)
    {
      g_autofree char *path = g_file_get_path (file);
      g_autofree char *with_extension = g_strconcat (path, SINGLY_CAMPAIGN_EXTENSION, NULL);

      g_object_unref (file);
      file = g_file_new_for_path (with_extension);
    }
  singly_window_save_campaign_file (self, file);
}

static void
add_campaign_filter (GtkFileChooser *chooser)
{
  const char *patterns[] = { "*" SINGLY_CAMPAIGN_EXTENSION, NULL };
  const char *mime_types[] = { CAMPAIGN_MIME_TYPE, NULL };

  add_filter (chooser, _("Campaigns"), patterns, mime_types);
}

static void
save_campaign_as (SinglyWindow *self)
{
  GtkFileChooserNative *chooser;
  g_autofree char *campaign = singly_document_dup_campaign_name (self->document);
  g_autofree char *name = NULL;
  GFile *near = self->campaign_file ? self->campaign_file : singly_document_get_template_file (self->document);

  chooser = new_chooser (self, _("Save Campaign"), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"));
  add_campaign_filter (GTK_FILE_CHOOSER (chooser));
  if (near != NULL)
    {
      g_autoptr(GFile) parent = g_file_get_parent (near);

      if (parent != NULL)
        gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), parent, NULL);
    }
  if (self->campaign_file != NULL)
    name = g_file_get_basename (self->campaign_file);
  else
    name = g_strconcat (campaign, SINGLY_CAMPAIGN_EXTENSION, NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect_object (chooser, "response", G_CALLBACK (save_campaign_answered_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
save_campaign_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  SinglyWindow *self = SINGLY_WINDOW (widget);

  if (self->campaign_file != NULL)
    singly_window_save_campaign_file (self, self->campaign_file);
  else
    save_campaign_as (self);
}

static void
save_campaign_as_activated (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  save_campaign_as (SINGLY_WINDOW (widget));
}

static void
open_campaign_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  SinglyWindow *self = SINGLY_WINDOW (widget);
  const char *all[] = { "*", NULL };
  GtkFileChooserNative *chooser;

  chooser = new_chooser (self, _("Open Campaign"), GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"));
  add_campaign_filter (GTK_FILE_CHOOSER (chooser));
  add_filter (GTK_FILE_CHOOSER (chooser), _("All files"), all, NULL);
  if (self->campaign_file != NULL)
    {
      g_autoptr(GFile) parent = g_file_get_parent (self->campaign_file);

      if (parent != NULL)
        gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), parent, NULL);
    }
  show_open_chooser (self, chooser, singly_window_open_campaign_file);
}

static void
no_recent_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
}

static void
open_recent_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SinglyWindow *self = SINGLY_WINDOW (widget);
  g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (parameter, NULL));

  singly_window_open_files (self, &file, 1);
}

/* Everything the campaign names is read: its rows chosen by hand are
 * applied, and a send it left half done is offered to go on */
static void
campaign_files_opened (SinglyWindow *self)
{
  g_autoptr(SinglyCampaign) campaign = g_steal_pointer (&self->opening);
  GFile *contacts_file = singly_document_get_contacts_file (self->document);
  g_autofree char *contacts_path = contacts_file ? g_file_get_path (contacts_file) : NULL;
  const char *wanted = singly_campaign_get_contacts_path (campaign);

  if (contacts_path != NULL && wanted != NULL && g_str_equal (contacts_path, wanted))
    singly_document_apply_row_choices (self->document, campaign);

  if (singly_send_page_can_send (self->send_page) && singly_send_page_has_journal (self->send_page))
    {
      singly_window_set_visible_page (self, "send");
      singly_send_page_confirm (self->send_page);
    }
  else if (singly_document_get_builder (self->document) != NULL)
    singly_window_set_visible_page (self, "preview");
  else
    singly_window_set_visible_page (self, "contacts");
}

static gboolean
campaign_opened_idle_cb (gpointer user_data)
{
  SinglyWindow *self = user_data;

  self->opened_idle = 0;
  if (self->opening != NULL &&
      !singly_contacts_page_get_loading (self->contacts_page) &&
      !singly_template_page_get_loading (self->template_page))
    campaign_files_opened (self);
  return G_SOURCE_REMOVE;
}

/* The files a campaign names are read in threads: once both are, and the
 * document has them, the campaign is applied */
static void
campaign_file_read_cb (SinglyWindow *self)
{
  if (self->opening == NULL || self->opened_idle != 0)
    return;
  self->opened_idle = g_idle_add (campaign_opened_idle_cb, self);
}

static void
apply_campaign (SinglyWindow   *self,
                GFile          *file,
                SinglyCampaign *campaign)
{
  const char *account = singly_campaign_get_account (campaign);
  const char *contacts_path = singly_campaign_get_contacts_path (campaign);
  const char *template_path = singly_campaign_get_template_path (campaign);

  set_campaign_file (self, file);
  add_recent (file, RECENT_GROUP_CAMPAIGN);
  g_set_object (&self->opening, campaign);

  if (account == NULL || !singly_send_page_select_account (self->send_page, account))
    {
      /* an id says nothing to people: the account is named by what it was */
      if (account != NULL)
        singly_window_show_toast (self, _("The account of this campaign no longer exists: messages are saved to a folder instead"));
      singly_send_page_select_account (self->send_page, SINGLY_ACCOUNT_STORE_DEFAULT_ID);
    }

  if (template_path != NULL)
    {
      g_autoptr(GFile) template_file = g_file_new_for_path (template_path);

      singly_template_page_open_file (self->template_page, template_file);
    }
  if (contacts_path != NULL)
    {
      g_autoptr(GFile) contacts_file = g_file_new_for_path (contacts_path);
      SinglyContactsOptions options;

      singly_campaign_get_contacts_options (campaign, &options);
      singly_contacts_page_open_file_with_options (self->contacts_page, contacts_file, &options);
    }
  campaign_file_read_cb (self);
}

static void
campaign_load_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  SinglyCampaign *campaign = singly_campaign_load (task_data, &error);

  if (campaign == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, campaign, g_object_unref);
}

static void
campaign_loaded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  SinglyWindow *self = SINGLY_WINDOW (source);
  g_autoptr(GFile) file = user_data;
  g_autoptr(SinglyCampaign) campaign = NULL;
  g_autoptr(GError) error = NULL;

  campaign = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (campaign == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Cannot open the campaign: %s"), error->message);

      singly_window_show_toast (self, text);
      return;
    }
  if (singly_document_get_busy (self->document))
    {
      singly_window_show_toast (self, _("A send is running: another campaign cannot be opened now"));
      return;
    }
  apply_campaign (self, file, campaign);
}

static void
send_test_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  singly_preview_page_send_test (SINGLY_WINDOW (widget)->preview_page);
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

/* What the window remembers comes from the application: GtkWindow's
 * :application is set after construction, so it is read when it is */
static void
application_set_cb (SinglyWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GSettings *settings;

  if (self->application_seen || app == NULL || !SINGLY_IS_APPLICATION (app))
    return;
  self->application_seen = TRUE;

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

      /* the sender and the folder chosen last time: an account of the
       * store that has its own sender sends as it */
      if (*folder != '\0')
        singly_document_set_folder (self->document, folder);
      if (singly_address_is_valid (address))
        singly_document_set_sender (self->document, name, address);
    }

  {
    g_autofree char *last = settings ? g_settings_get_string (settings, "last-account") : g_strdup ("");

    singly_send_page_set_account_store (self->send_page,
                                        singly_application_get_account_store (SINGLY_APPLICATION (app)));
    /* the account used last, while it exists */
    if (*last == '\0' || !singly_send_page_select_account (self->send_page, last))
      singly_send_page_select_account (self->send_page, SINGLY_ACCOUNT_STORE_DEFAULT_ID);
  }
}

static void
singly_window_dispose (GObject *object)
{
  SinglyWindow *self = SINGLY_WINDOW (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->opened_idle, g_source_remove);
  g_clear_object (&self->opening);
  g_clear_object (&self->campaign_file);
  g_signal_handlers_disconnect_by_data (gtk_recent_manager_get_default (), self);

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
singly_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SinglyWindow *self = SINGLY_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CAMPAIGN_FILE:
      g_value_set_object (value, self->campaign_file);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
singly_window_class_init (SinglyWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = singly_window_dispose;
  object_class->get_property = singly_window_get_property;
  window_class->close_request = singly_window_close_request;

  /**
   * SinglyWindow:campaign-file:
   *
   * The campaign file last saved or opened, or %NULL.
   */
  properties[PROP_CAMPAIGN_FILE] =
    g_param_spec_object ("campaign-file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

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
  gtk_widget_class_bind_template_child (widget_class, SinglyWindow, recent_menu);

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
  gtk_widget_class_install_action (widget_class, "win.open-campaign", NULL, open_campaign_activated);
  gtk_widget_class_install_action (widget_class, "win.save-campaign", NULL, save_campaign_activated);
  gtk_widget_class_install_action (widget_class, "win.save-campaign-as", NULL, save_campaign_as_activated);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", open_recent_activated);
  /* the place of "No Recent Files" in the menu: never enabled */
  gtk_widget_class_install_action (widget_class, "win.no-recent", NULL, no_recent_activated);
  gtk_widget_class_install_action (widget_class, "win.send-test", NULL, send_test_activated);
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
  g_signal_connect_object (self->preview_page, "notify::testing", G_CALLBACK (state_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->document, "notify::contacts-file", G_CALLBACK (state_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->document, "notify::template-file", G_CALLBACK (state_changed_cb), self, G_CONNECT_SWAPPED);

  /* the files of a campaign being opened, as they are read */
  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (self->contacts_page, "notify::loading", G_CALLBACK (campaign_file_read_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->template_page, "notify::loading", G_CALLBACK (campaign_file_read_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->document, "notify::contacts", G_CALLBACK (campaign_file_read_cb),
                           self, G_CONNECT_SWAPPED);

  g_signal_connect (self, "notify::application", G_CALLBACK (application_set_cb), NULL);
  g_signal_connect_object (gtk_recent_manager_get_default (), "changed", G_CALLBACK (update_recent_menu),
                           self, G_CONNECT_SWAPPED);
  update_recent_menu (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.no-recent", FALSE);

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
 * it is: the command line and drag and drop come here. A campaign among
 * them is opened alone.
 */
void
singly_window_open_files (SinglyWindow  *self,
                          GFile        **files,
                          int            n_files)
{
  gboolean contacts = FALSE;

  g_return_if_fail (SINGLY_IS_WINDOW (self));

  /* a campaign names its own contacts and template */
  for (int i = 0; i < n_files; i++)
    if (classify (files[i]) == SINGLY_FILE_CAMPAIGN)
      {
        singly_window_open_campaign_file (self, files[i]);
        return;
      }

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
  add_recent (file, RECENT_GROUP_CONTACTS);
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
  add_recent (file, RECENT_GROUP_TEMPLATE);
  singly_window_set_visible_page (self, "template");
}

/**
 * singly_window_open_campaign_file:
 * @file: a campaign (.singly)
 *
 * Reads @file (in a thread), then its contact list as it says to read it,
 * its template and its account; when both files are read, applies the
 * rows it includes or excludes, and offers to resume a send its journal
 * says is under way.
 */
void
singly_window_open_campaign_file (SinglyWindow *self,
                                  GFile        *file)
{
  g_autoptr(GTask) task = NULL;
  char *path;

  g_return_if_fail (SINGLY_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (singly_document_get_busy (self->document))
    {
      singly_window_show_toast (self, _("A send is running: another campaign cannot be opened now"));
      return;
    }
  path = g_file_get_path (file);
  if (path == NULL)
    {
      singly_window_show_toast (self, _("Only a campaign on this computer can be opened"));
      return;
    }

  task = g_task_new (self, self->cancellable, campaign_loaded_cb, g_object_ref (file));
  g_task_set_source_tag (task, singly_window_open_campaign_file);
  g_task_set_task_data (task, path, g_free);
  g_task_run_in_thread (task, campaign_load_thread);
}

/**
 * singly_window_save_campaign_file:
 * @file: where to save the campaign
 *
 * Writes what the window has (the files, how the contact list is read,
 * the account, the rows chosen by hand) into @file, without waiting;
 * #SinglyWindow:campaign-file becomes @file once it is written.
 */
void
singly_window_save_campaign_file (SinglyWindow *self,
                                  GFile        *file)
{
  g_autoptr(SinglyCampaign) campaign = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *path = NULL;
  GFile *template_file;
  char *data;
  gsize length;

  g_return_if_fail (SINGLY_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_path (file);
  if (path == NULL)
    {
      singly_window_show_toast (self, _("A campaign can only be saved on this computer"));
      return;
    }

  /* the campaign names the template's file: it must hold what is shown */
  template_file = singly_document_get_template_file (self->document);
  if (singly_template_page_get_has_template (self->template_page) && template_file == NULL)
    {
      singly_window_show_toast (self, _("Save the template first"));
      save_template_as (self);
      return;
    }
  if (singly_template_page_get_modified (self->template_page))
    singly_template_page_save (self->template_page, NULL);

  campaign = make_campaign (self);
  data = singly_campaign_to_data (campaign, path, &length);
  bytes = g_bytes_new_take (data, length);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_NONE, self->cancellable,
                                       campaign_saved_cb, g_object_ref (self));
}

/**
 * singly_window_get_campaign_file:
 *
 * Returns: (transfer none) (nullable): the campaign file last saved or
 *   opened
 */
GFile *
singly_window_get_campaign_file (SinglyWindow *self)
{
  g_return_val_if_fail (SINGLY_IS_WINDOW (self), NULL);
  return self->campaign_file;
}

/**
 * singly_window_get_opening_campaign:
 *
 * Returns: whether a campaign's files are still being read
 */
gboolean
singly_window_get_opening_campaign (SinglyWindow *self)
{
  g_return_val_if_fail (SINGLY_IS_WINDOW (self), FALSE);
  return self->opening != NULL;
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
