/* singly-contacts-page.c: the Contacts page: the table and its problems
 *
 * The file is read in a thread; the table's columns are made from its
 * header row once it is read. Changing the encoding or the delimiter reads
 * the file again with that choice forced; the address column is changed in
 * place and every check runs again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "singly-encoding.h"
#include "singly-contact-model.h"
#include "singly-contacts-page.h"
#include "singly-problem-model.h"
#include "singly-util.h"

struct _SinglyContactsPage
{
  AdwBin              parent_instance;

  GtkStack           *stack;
  GtkSpinner         *spinner;
  AdwStatusPage      *error_status;
  GtkLabel           *file_label;
  GtkLabel           *summary_label;
  GtkDropDown        *encoding_dropdown;
  GtkDropDown        *delimiter_dropdown;
  GtkDropDown        *address_dropdown;
  GtkColumnView      *column_view;
  GtkWidget          *problems_box;
  GtkLabel           *problems_label;
  GtkListView        *problems_view;

  SinglyDocument     *document;
  SinglyContactModel *contact_model;
  GtkSingleSelection *selection;
  SinglyProblemModel *problem_model;
  GtkStringList      *encodings;
  GtkStringList      *address_columns;

  GFile              *file;         /* being read, or read */
  char               *encoding;     /* forced, or NULL to detect */
  char                delimiter;    /* forced, or 0 to detect */
  char               *address_name; /* the address column asked for by name, or NULL */
  int                 chosen_address;  /* chosen by hand, kept across reloads; or -1 */
  guint               line_digits;     /* of the last line number, for the first column */
  GCancellable       *cancellable;
  char               *error;
  gboolean            loading;
  gboolean            updating;     /* the dropdowns are being set, not chosen */
};

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SinglyContactsPage, singly_contacts_page, ADW_TYPE_BIN)

static const char delimiters[] = { ',', ';', '\t', '|' };

typedef struct
{
  GFile *file;
  char  *encoding;
  char   delimiter;
  char  *address_name;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->file);
  g_free (data->encoding);
  g_free (data->address_name);
  g_free (data);
}

static void
set_loading (SinglyContactsPage *self,
             gboolean            loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  gtk_spinner_set_spinning (self->spinner, loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* The worker: reads and parses the file; touches nothing else */
static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  SinglyContactsOptions options = {
    .encoding = data->encoding,
    .delimiter = data->delimiter,
    .address_column = data->address_name,
  };
  g_autoptr(GError) error = NULL;
  SinglyContactList *contacts;

  contacts = singly_contact_list_new_from_file (data->file, &options, cancellable, &error);
  if (contacts == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, contacts, g_object_unref);
}

static void
show_toast (SinglyContactsPage *self,
            const char         *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (escaped));
}

static GtkWidget *
find_list_view (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      return child;
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* The table                                                                 */

static void
first_cell_set_up_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *list_item,
                      SinglyContactsPage       *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *check = gtk_check_button_new ();
  GtkWidget *line = gtk_inscription_new (NULL);
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

  gtk_widget_set_tooltip_text (check, _("Send to this row"));
  /* wide enough for the last line number: digits are never cut off */
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (line), self->line_digits);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (line), self->line_digits);
  gtk_inscription_set_xalign (GTK_INSCRIPTION (line), 1.0);
  gtk_widget_add_css_class (line, "numeric");
  gtk_widget_add_css_class (line, "dim-label");
  gtk_widget_add_css_class (icon, "warning");
  gtk_widget_set_tooltip_text (icon, _("This row has a problem: see the list below"));
  gtk_box_append (GTK_BOX (box), check);
  gtk_box_append (GTK_BOX (box), line);
  gtk_box_append (GTK_BOX (box), icon);
  g_object_bind_property (self->document, "busy", check, "sensitive",
                          G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  gtk_list_item_set_child (list_item, box);
  gtk_list_item_set_activatable (list_item, FALSE);
}

static void
first_cell_bound_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *list_item,
                     SinglyContactsPage       *self)
{
  SinglyContactItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *check = gtk_widget_get_first_child (box);
  GtkWidget *line = gtk_widget_get_next_sibling (check);
  GtkWidget *icon = gtk_widget_get_next_sibling (line);
  g_autofree char *text = g_strdup_printf ("%u", singly_contact_item_get_line (item));
  GBinding *included, *problem;

  gtk_inscription_set_text (GTK_INSCRIPTION (line), text);
  included = g_object_bind_property (item, "included", check, "active",
                                     G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  problem = g_object_bind_property (item, "problem", icon, "visible", G_BINDING_SYNC_CREATE);
  g_object_set_data (G_OBJECT (list_item), "included-binding", included);
  g_object_set_data (G_OBJECT (list_item), "problem-binding", problem);
}

static void
first_cell_unbound_cb (GtkSignalListItemFactory *factory,
                       GtkListItem              *list_item,
                       SinglyContactsPage       *self)
{
  GBinding *binding;

  binding = g_object_steal_data (G_OBJECT (list_item), "included-binding");
  if (binding != NULL)
    g_binding_unbind (binding);
  binding = g_object_steal_data (G_OBJECT (list_item), "problem-binding");
  if (binding != NULL)
    g_binding_unbind (binding);
}

static void
value_cell_set_up_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *list_item,
                      gpointer                  user_data)
{
  GtkWidget *inscription = gtk_inscription_new (NULL);

  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (inscription), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (inscription), 6);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (inscription), 18);
  /* one line, whatever the value: rows keep one height */
  gtk_inscription_set_min_lines (GTK_INSCRIPTION (inscription), 1);
  gtk_inscription_set_nat_lines (GTK_INSCRIPTION (inscription), 1);
  /* given the row's full height (the check button's), an ellipsized value
   * would be laid out over two lines and sit high */
  gtk_widget_set_valign (inscription, GTK_ALIGN_CENTER);
  gtk_list_item_set_child (list_item, inscription);
}

static void
value_cell_bound_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *list_item,
                     gpointer                  user_data)
{
  SinglyContactItem *item = gtk_list_item_get_item (list_item);
  guint column = GPOINTER_TO_UINT (user_data);
  const char *value = singly_contact_item_get_value (item, column);
  GtkWidget *inscription = gtk_list_item_get_child (list_item);
  g_autofree char *one_line = NULL;

  /* a value over several lines shows on one, the rest in the tooltip */
  if (strchr (value, '\n') != NULL)
    {
      one_line = g_strdup (value);
      g_strdelimit (one_line, "\r\n", ' ');
      gtk_widget_set_tooltip_text (inscription, value);
    }
  else
    gtk_widget_set_tooltip_text (inscription, NULL);
  gtk_inscription_set_text (GTK_INSCRIPTION (inscription), one_line ? one_line : value);
}

static void
remove_columns (SinglyContactsPage *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);

  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);

      gtk_column_view_remove_column (self->column_view, column);
    }
}

static void
build_columns (SinglyContactsPage *self,
               SinglyContactList  *contacts)
{
  g_autoptr(GtkListItemFactory) first_factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) first = NULL;
  guint n_columns = singly_contact_list_get_n_columns (contacts);
  guint n_rows = singly_contact_list_get_n_rows (contacts);
  g_autofree char *last_line = g_strdup_printf ("%u", n_rows > 0 ? singly_contact_list_get_row_line (contacts, n_rows - 1) : 1);

  remove_columns (self);
  self->line_digits = MAX (strlen (last_line), 2);

  g_signal_connect (first_factory, "setup", G_CALLBACK (first_cell_set_up_cb), self);
  g_signal_connect (first_factory, "bind", G_CALLBACK (first_cell_bound_cb), self);
  g_signal_connect (first_factory, "unbind", G_CALLBACK (first_cell_unbound_cb), self);
  first = gtk_column_view_column_new (_("Line"), g_steal_pointer (&first_factory));
  gtk_column_view_append_column (self->column_view, first);

  for (guint c = 0; c < n_columns; c++)
    {
      g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (value_cell_set_up_cb), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (value_cell_bound_cb), GUINT_TO_POINTER (c));
      column = gtk_column_view_column_new (singly_contact_list_get_column_name (contacts, c),
                                           g_steal_pointer (&factory));
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_expand (column, TRUE);
      gtk_column_view_append_column (self->column_view, column);
    }
}

/* ------------------------------------------------------------------------ */
/* The problems                                                              */

static void
problem_set_up_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *list_item,
                   gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *location = gtk_label_new (NULL);
  GtkWidget *message = gtk_label_new (NULL);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 3);
  gtk_widget_set_margin_bottom (box, 3);
  gtk_label_set_xalign (GTK_LABEL (location), 0);
  gtk_label_set_width_chars (GTK_LABEL (location), 26);
  gtk_label_set_max_width_chars (GTK_LABEL (location), 26);
  gtk_label_set_ellipsize (GTK_LABEL (location), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (location, "dim-label");
  gtk_widget_add_css_class (location, "numeric");
  gtk_label_set_xalign (GTK_LABEL (message), 0);
  gtk_label_set_wrap (GTK_LABEL (message), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (message), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_hexpand (message, TRUE);
  gtk_box_append (GTK_BOX (box), location);
  gtk_box_append (GTK_BOX (box), message);
  gtk_list_item_set_child (list_item, box);
}

static void
problem_bound_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  gpointer                  user_data)
{
  SinglyProblemItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *location = gtk_widget_get_first_child (box);
  GtkWidget *message = gtk_widget_get_next_sibling (location);
  g_autofree char *where = singly_problem_item_dup_location (item);

  gtk_label_set_text (GTK_LABEL (location), where);
  gtk_label_set_text (GTK_LABEL (message), singly_problem_item_get_message (item));
}

static void
problems_view_activated_cb (SinglyContactsPage *self,
                            guint               position)
{
  singly_contacts_page_activate_problem (self, position);
}

/* ------------------------------------------------------------------------ */
/* The controls above the table                                              */

static void
update_summary (SinglyContactsPage *self)
{
  SinglyContactList *contacts = singly_document_get_contacts (self->document);
  SinglyMessageBuilder *builder = singly_document_get_builder (self->document);
  g_autofree char *rows = NULL;
  g_autofree char *columns = NULL;
  g_autofree char *sendable = NULL;
  g_autofree char *text = NULL;
  guint n_rows;

  if (contacts == NULL)
    return;

  n_rows = singly_contact_list_get_n_rows (contacts);
  rows = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u row", "%u rows", n_rows), n_rows);
  columns = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u column", "%u columns",
                                          singly_contact_list_get_n_columns (contacts)),
                             singly_contact_list_get_n_columns (contacts));
  if (builder != NULL)
    {
      guint n = singly_message_builder_get_n_sendable (builder);

      sendable = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u to send", "%u to send", n), n);
    }
  else
    {
      guint n = singly_contact_list_get_n_included (contacts);

      sendable = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u included", "%u included", n), n);
    }

  /* Translators: rows, columns and how many will be sent, as "10 rows · 6 columns · 9 to send" */
  text = g_strdup_printf (_("%s · %s · %s"), rows, columns, sendable);
  gtk_label_set_text (self->summary_label, text);
}

static void
update_encoding_dropdown (SinglyContactsPage *self,
                          SinglyContactList  *contacts)
{
  const char * const *common = singly_encoding_get_common ();
  const char *current = singly_contact_list_get_encoding (contacts);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  guint selected = 0;

  for (guint i = 0; common[i] != NULL; i++)
    g_ptr_array_add (names, (gpointer) common[i]);
  if (!g_strv_contains (common, current))
    g_ptr_array_add (names, (gpointer) current);
  g_ptr_array_add (names, NULL);

  for (guint i = 0; names->pdata[i] != NULL; i++)
    if (g_str_equal (names->pdata[i], current))
      selected = i;

  gtk_string_list_splice (self->encodings, 0, g_list_model_get_n_items (G_LIST_MODEL (self->encodings)),
                          (const char * const *) names->pdata);
  gtk_drop_down_set_selected (self->encoding_dropdown, selected);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->encoding_dropdown),
                               singly_contact_list_get_encoding_detected (contacts)
                               ? _("Detected; choose another if the text looks wrong")
                               : _("Chosen by hand"));
}

static void
update_delimiter_dropdown (SinglyContactsPage *self,
                           SinglyContactList  *contacts)
{
  char current = singly_contact_list_get_delimiter (contacts);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = GTK_INVALID_LIST_POSITION;

  for (guint i = 0; i < G_N_ELEMENTS (delimiters); i++)
    {
      gtk_string_list_append (names, singly_util_delimiter_name (delimiters[i]));
      if (delimiters[i] == current)
        selected = i;
    }
  if (selected == GTK_INVALID_LIST_POSITION)
    {
      g_autofree char *other = g_strdup_printf ("“%c”", current);

      gtk_string_list_append (names, other);
      selected = G_N_ELEMENTS (delimiters);
    }
  gtk_drop_down_set_model (self->delimiter_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->delimiter_dropdown, selected);
}

static void
update_address_dropdown (SinglyContactsPage *self,
                         SinglyContactList  *contacts)
{
  int address = singly_contact_list_get_address_column (contacts);

  gtk_string_list_splice (self->address_columns, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->address_columns)),
                          singly_contact_list_get_column_names (contacts));
  gtk_drop_down_set_selected (self->address_dropdown,
                              address >= 0 ? (guint) address : GTK_INVALID_LIST_POSITION);
}

static void
encoding_selected_cb (SinglyContactsPage *self,
                      GParamSpec         *pspec,
                      GtkDropDown        *dropdown)
{
  GtkStringObject *item = gtk_drop_down_get_selected_item (dropdown);

  if (self->updating || item == NULL)
    return;
  singly_contacts_page_set_encoding (self, gtk_string_object_get_string (item));
}

static void
delimiter_selected_cb (SinglyContactsPage *self,
                       GParamSpec         *pspec,
                       GtkDropDown        *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (self->updating || selected >= G_N_ELEMENTS (delimiters))
    return;
  singly_contacts_page_set_delimiter (self, delimiters[selected]);
}

static void
address_selected_cb (SinglyContactsPage *self,
                     GParamSpec         *pspec,
                     GtkDropDown        *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (self->updating || selected == GTK_INVALID_LIST_POSITION)
    return;
  singly_contacts_page_set_address_column (self, (int) selected);
}

/* ------------------------------------------------------------------------ */
/* Following the document                                                    */

static void
document_contacts_changed_cb (SinglyContactsPage *self,
                              GParamSpec         *pspec,
                              SinglyDocument     *document)
{
  SinglyContactList *contacts = singly_document_get_contacts (document);
  GFile *file = singly_document_get_contacts_file (document);
  g_autofree char *name = NULL;

  g_clear_object (&self->contact_model);
  if (contacts == NULL)
    {
      gtk_single_selection_set_model (self->selection, NULL);
      remove_columns (self);
      if (!self->loading && self->error == NULL)
        gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  self->updating = TRUE;
  /* the new columns must never see the old rows */
  gtk_single_selection_set_model (self->selection, NULL);
  self->contact_model = singly_contact_model_new (contacts);
  build_columns (self, contacts);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->contact_model));
  update_encoding_dropdown (self, contacts);
  update_delimiter_dropdown (self, contacts);
  update_address_dropdown (self, contacts);
  self->updating = FALSE;

  name = file != NULL ? g_file_get_basename (file) : g_strdup (_("Contacts"));
  gtk_label_set_text (self->file_label, name);
  gtk_stack_set_visible_child_name (self->stack, "table");
}

static void
document_changed_cb (SinglyContactsPage *self,
                     SinglyDocument     *document)
{
  SinglyContactList *contacts = singly_document_get_contacts (document);
  g_autofree char *heading = NULL;
  const guint8 *flags;
  guint n_rows, n_problems;

  g_clear_object (&self->problem_model);
  self->problem_model = singly_problem_model_new (document);
  {
    g_autoptr(GtkNoSelection) selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->problem_model)));

    gtk_list_view_set_model (self->problems_view, GTK_SELECTION_MODEL (selection));
  }

  n_problems = g_list_model_get_n_items (G_LIST_MODEL (self->problem_model));
  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Problem", "%u Problems", n_problems), n_problems);
  gtk_label_set_text (self->problems_label, heading);
  gtk_widget_set_visible (self->problems_box, n_problems > 0);

  if (contacts == NULL || self->contact_model == NULL)
    return;

  /* a new address column includes and excludes rows */
  flags = singly_problem_model_get_row_flags (self->problem_model, &n_rows);
  singly_contact_model_set_problems (self->contact_model, flags);
  singly_contact_model_refresh (self->contact_model);

  self->updating = TRUE;
  update_address_dropdown (self, contacts);
  self->updating = FALSE;
  update_summary (self);
}

static void
contacts_n_included_changed_cb (SinglyContactsPage *self)
{
  update_summary (self);
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  SinglyContactsPage *self = SINGLY_CONTACTS_PAGE (source);
  g_autoptr(SinglyContactList) contacts = NULL;
  g_autoptr(GError) error = NULL;
  LoadData *data = g_task_get_task_data (G_TASK (result));

  contacts = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_loading (self, FALSE);

  if (contacts == NULL && self->contact_model != NULL &&
      g_file_equal (data->file, singly_document_get_contacts_file (self->document)))
    {
      /* another encoding or delimiter for the file shown did not work: the
       * table stays as it was */
      SinglyContactList *shown = singly_document_get_contacts (self->document);

      g_free (self->error);
      self->error = g_strdup (error->message);
      self->updating = TRUE;
      update_encoding_dropdown (self, shown);
      update_delimiter_dropdown (self, shown);
      self->updating = FALSE;
      gtk_stack_set_visible_child_name (self->stack, "table");
      show_toast (self, error->message);
      return;
    }

  if (contacts == NULL)
    {
      g_free (self->error);
      self->error = g_strdup (error->message);
      adw_status_page_set_title (self->error_status, _("Cannot Read the Contact List"));
      adw_status_page_set_description (self->error_status, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  if (singly_document_get_busy (self->document))
    {
      g_free (self->error);
      self->error = g_strdup (_("A send is running: the contact list cannot change now."));
      return;
    }

  g_clear_pointer (&self->error, g_free);
  /* a column asked for by name (a campaign's) is then kept as one chosen */
  if (data->address_name != NULL)
    {
      int found = singly_contact_list_find_column (contacts, data->address_name);

      if (found >= 0)
        self->chosen_address = found;
      g_clear_pointer (&self->address_name, g_free);
    }
  /* a column chosen by hand stays chosen when the file is read again (its
   * name may read differently in another encoding) */
  if (self->chosen_address >= 0 &&
      (guint) self->chosen_address < singly_contact_list_get_n_columns (contacts))
    singly_contact_list_set_address_column (contacts, self->chosen_address);
  g_signal_connect_object (contacts, "notify::n-included", G_CALLBACK (contacts_n_included_changed_cb),
                           self, G_CONNECT_SWAPPED);
  singly_document_set_contacts (self->document, data->file, contacts);
}

static void
start_load (SinglyContactsPage *self)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_pointer (&self->error, g_free);

  data = g_new0 (LoadData, 1);
  data->file = g_object_ref (self->file);
  data->encoding = g_strdup (self->encoding);
  data->delimiter = self->delimiter;
  data->address_name = g_strdup (self->address_name);

  set_loading (self, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "loading");

  task = g_task_new (self, self->cancellable, loaded_cb, NULL);
  g_task_set_source_tag (task, start_load);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_thread);
}

/* ------------------------------------------------------------------------ */

static void
singly_contacts_page_dispose (GObject *object)
{
  SinglyContactsPage *self = SINGLY_CONTACTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_clear_object (&self->document);
  g_clear_object (&self->contact_model);
  g_clear_object (&self->problem_model);
  g_clear_object (&self->selection);
  g_clear_object (&self->encodings);
  g_clear_object (&self->address_columns);
  g_clear_object (&self->file);


  G_OBJECT_CLASS (singly_contacts_page_parent_class)->dispose (object);
}

static void
singly_contacts_page_finalize (GObject *object)
{
  SinglyContactsPage *self = SINGLY_CONTACTS_PAGE (object);

  g_free (self->encoding);
  g_free (self->address_name);
  g_free (self->error);

  G_OBJECT_CLASS (singly_contacts_page_parent_class)->finalize (object);
}

static void
singly_contacts_page_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  SinglyContactsPage *self = SINGLY_CONTACTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
singly_contacts_page_class_init (SinglyContactsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = singly_contacts_page_dispose;
  object_class->finalize = singly_contacts_page_finalize;
  object_class->get_property = singly_contacts_page_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/singly/Singly/singly-contacts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SinglyContactsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SinglyContactsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, SinglyContactsPage, error_status);
  gtk_widget_class_bind_template_child (widget_class, SinglyContactsPage, file_label);
  gtk_widget_class_bind_template_child (widget_class, SinglyContactsPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, SinglyContactsPage, encoding_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SinglyContactsPage, delimiter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SinglyContactsPage, address_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SinglyContactsPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, SinglyContactsPage, problems_box);
  gtk_widget_class_bind_template_child (widget_class, SinglyContactsPage, problems_label);
  gtk_widget_class_bind_template_child (widget_class, SinglyContactsPage, problems_view);
  gtk_widget_class_bind_template_callback (widget_class, problems_view_activated_cb);
}

static void
singly_contacts_page_init (SinglyContactsPage *self)
{
  g_autoptr(GtkListItemFactory) problem_factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->chosen_address = -1;
  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  self->encodings = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->encoding_dropdown, G_LIST_MODEL (self->encodings));
  self->address_columns = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->address_dropdown, G_LIST_MODEL (self->address_columns));
  gtk_drop_down_set_enable_search (self->address_dropdown, TRUE);
  {
    /* the dropdowns search their items by the strings */
    g_autoptr(GtkExpression) expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");

    gtk_drop_down_set_expression (self->address_dropdown, expression);
  }

  g_signal_connect_swapped (self->encoding_dropdown, "notify::selected", G_CALLBACK (encoding_selected_cb), self);
  g_signal_connect_swapped (self->delimiter_dropdown, "notify::selected", G_CALLBACK (delimiter_selected_cb), self);
  g_signal_connect_swapped (self->address_dropdown, "notify::selected", G_CALLBACK (address_selected_cb), self);

  g_signal_connect (problem_factory, "setup", G_CALLBACK (problem_set_up_cb), NULL);
  g_signal_connect (problem_factory, "bind", G_CALLBACK (problem_bound_cb), NULL);
  gtk_list_view_set_factory (self->problems_view, problem_factory);

  gtk_widget_set_visible (self->problems_box, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

/**
 * singly_contacts_page_set_document:
 *
 * The page shows @document's contacts and problems, and reads files into it.
 */
void
singly_contacts_page_set_document (SinglyContactsPage *self,
                                   SinglyDocument     *document)
{
  g_return_if_fail (SINGLY_IS_CONTACTS_PAGE (self));
  g_return_if_fail (SINGLY_IS_DOCUMENT (document));
  g_return_if_fail (self->document == NULL);

  self->document = g_object_ref (document);
  /* while a job sends, the list it reads stays as it is */
  g_object_bind_property (document, "busy", self->encoding_dropdown, "sensitive",
                          G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  g_object_bind_property (document, "busy", self->delimiter_dropdown, "sensitive",
                          G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  g_object_bind_property (document, "busy", self->address_dropdown, "sensitive",
                          G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  g_signal_connect_object (document, "notify::contacts", G_CALLBACK (document_contacts_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (document, "changed", G_CALLBACK (document_changed_cb),
                           self, G_CONNECT_SWAPPED);
  document_contacts_changed_cb (self, NULL, document);
  document_changed_cb (self, document);
}

/**
 * singly_contacts_page_open_file:
 * @file: a contact list
 *
 * Reads @file in a thread, detecting its encoding, delimiter and address
 * column; the document gets it when it is read.
 */
void
singly_contacts_page_open_file (SinglyContactsPage *self,
                                GFile              *file)
{
  g_return_if_fail (SINGLY_IS_CONTACTS_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  singly_contacts_page_open_file_with_options (self, file, NULL);
}

/**
 * singly_contacts_page_open_file_with_options:
 * @file: a contact list
 * @options: (nullable): the encoding, delimiter and address column to
 *   read it with (a campaign's); what is unset is detected
 *
 * Reads @file in a thread; the document gets it when it is read.
 */
void
singly_contacts_page_open_file_with_options (SinglyContactsPage          *self,
                                             GFile                       *file,
                                             const SinglyContactsOptions *options)
{
  g_return_if_fail (SINGLY_IS_CONTACTS_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  g_set_object (&self->file, file);
  g_free (self->encoding);
  self->encoding = options ? g_strdup (options->encoding) : NULL;
  self->delimiter = options ? options->delimiter : 0;
  g_free (self->address_name);
  self->address_name = options ? g_strdup (options->address_column) : NULL;
  self->chosen_address = -1;
  start_load (self);
}

gboolean
singly_contacts_page_get_loading (SinglyContactsPage *self)
{
  g_return_val_if_fail (SINGLY_IS_CONTACTS_PAGE (self), FALSE);
  return self->loading;
}

/**
 * singly_contacts_page_get_error:
 *
 * Returns: (nullable): why the last file could not be read
 */
const char *
singly_contacts_page_get_error (SinglyContactsPage *self)
{
  g_return_val_if_fail (SINGLY_IS_CONTACTS_PAGE (self), NULL);
  return self->error;
}

/**
 * singly_contacts_page_set_encoding:
 * @encoding: (nullable): read the file in this encoding, or %NULL to detect
 */
void
singly_contacts_page_set_encoding (SinglyContactsPage *self,
                                   const char         *encoding)
{
  SinglyContactList *contacts;

  g_return_if_fail (SINGLY_IS_CONTACTS_PAGE (self));

  contacts = singly_document_get_contacts (self->document);
  if (self->file == NULL || singly_document_get_busy (self->document))
    return;
  if (contacts != NULL && encoding != NULL &&
      g_ascii_strcasecmp (singly_contact_list_get_encoding (contacts), encoding) == 0)
    return;

  g_free (self->encoding);
  self->encoding = g_strdup (encoding);
  start_load (self);
}

/**
 * singly_contacts_page_dup_encoding_label:
 *
 * Returns: (transfer full) (nullable): the encoding the page shows
 */
char *
singly_contacts_page_dup_encoding_label (SinglyContactsPage *self)
{
  GtkStringObject *item;

  g_return_val_if_fail (SINGLY_IS_CONTACTS_PAGE (self), NULL);

  item = gtk_drop_down_get_selected_item (self->encoding_dropdown);
  return item != NULL ? g_strdup (gtk_string_object_get_string (item)) : NULL;
}

/**
 * singly_contacts_page_set_delimiter:
 * @delimiter: read the file with this delimiter, or 0 to detect
 */
void
singly_contacts_page_set_delimiter (SinglyContactsPage *self,
                                    char                delimiter)
{
  SinglyContactList *contacts;

  g_return_if_fail (SINGLY_IS_CONTACTS_PAGE (self));

  contacts = singly_document_get_contacts (self->document);
  if (self->file == NULL || singly_document_get_busy (self->document))
    return;
  if (contacts != NULL && singly_contact_list_get_delimiter (contacts) == delimiter)
    return;

  self->delimiter = delimiter;
  /* the encoding that was read stays; the columns will be others */
  if (contacts != NULL && self->encoding == NULL)
    self->encoding = g_strdup (singly_contact_list_get_encoding (contacts));
  /* other columns: the address column is found again */
  self->chosen_address = -1;
  start_load (self);
}

/**
 * singly_contacts_page_set_address_column:
 * @column: the column of addresses
 */
void
singly_contacts_page_set_address_column (SinglyContactsPage *self,
                                         int                 column)
{
  SinglyContactList *contacts;

  g_return_if_fail (SINGLY_IS_CONTACTS_PAGE (self));

  contacts = singly_document_get_contacts (self->document);
  if (contacts == NULL || singly_document_get_busy (self->document))
    return;
  g_return_if_fail (column >= -1 && column < (int) singly_contact_list_get_n_columns (contacts));

  self->chosen_address = column;
  singly_document_set_address_column (self->document, column);
}

/**
 * singly_contacts_page_get_column_view:
 *
 * Returns: (transfer none): the table
 */
GtkColumnView *
singly_contacts_page_get_column_view (SinglyContactsPage *self)
{
  g_return_val_if_fail (SINGLY_IS_CONTACTS_PAGE (self), NULL);
  return self->column_view;
}

/**
 * singly_contacts_page_get_contact_model:
 *
 * Returns: (transfer none) (nullable): the rows, a #SinglyContactModel
 */
GListModel *
singly_contacts_page_get_contact_model (SinglyContactsPage *self)
{
  g_return_val_if_fail (SINGLY_IS_CONTACTS_PAGE (self), NULL);
  return G_LIST_MODEL (self->contact_model);
}

/**
 * singly_contacts_page_get_problem_model:
 *
 * Returns: (transfer none) (nullable): the problems, of #SinglyProblemItem
 */
GListModel *
singly_contacts_page_get_problem_model (SinglyContactsPage *self)
{
  g_return_val_if_fail (SINGLY_IS_CONTACTS_PAGE (self), NULL);
  return G_LIST_MODEL (self->problem_model);
}

/**
 * singly_contacts_page_scroll_to_row:
 *
 * Shows @row in the table and selects it.
 */
void
singly_contacts_page_scroll_to_row (SinglyContactsPage *self,
                                    guint               row)
{
  GtkWidget *list_view;

  g_return_if_fail (SINGLY_IS_CONTACTS_PAGE (self));

  if (self->contact_model == NULL || row >= g_list_model_get_n_items (G_LIST_MODEL (self->contact_model)))
    return;

  gtk_single_selection_set_selected (self->selection, row);
  /* GTK 4.8 has no gtk_column_view_scroll_to(): its inner list view has
   * the action that scrolls */
  list_view = find_list_view (GTK_WIDGET (self->column_view));
  if (list_view != NULL)
    gtk_widget_activate_action (list_view, "list.scroll-to-item", "u", row);
}

/**
 * singly_contacts_page_activate_problem:
 * @position: a position in the problems list
 *
 * Shows the row of that problem in the table.
 */
void
singly_contacts_page_activate_problem (SinglyContactsPage *self,
                                       guint               position)
{
  g_autoptr(SinglyProblemItem) item = NULL;
  guint row;

  g_return_if_fail (SINGLY_IS_CONTACTS_PAGE (self));

  if (self->problem_model == NULL)
    return;
  item = g_list_model_get_item (G_LIST_MODEL (self->problem_model), position);
  if (item == NULL)
    return;
  row = singly_problem_item_get_row (item);
  if (row != SINGLY_PROBLEM_NO_ROW)
    singly_contacts_page_scroll_to_row (self, row);
}
