/* singly-template-page.c: the Template page: subject, headers and body
 *
 * The file is split for editing: the Subject header goes to an entry, the
 * other headers to a list of rows (those an .eml carries for its own
 * structure are kept out of sight, as they were), the body to the
 * editor. The parts are put together again to compile — a moment after
 * the last keystroke — and to save.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "singly-encoding.h"
#include "singly-gmime.h"
#include "singly-field-provider.h"
#include "singly-template-page.h"
#include "singly-util.h"

/* how long the text rests before it is compiled */
#define COMPILE_DELAY_MS 300

typedef struct
{
  char      *name;
  char      *value;   /* unfolded when shown; as the file had it when hidden */
  GtkWidget *row;     /* the AdwEntryRow, or NULL for a hidden header */
} Header;

typedef struct
{
  guint  line;        /* in the body, or 0 for a header */
  guint  column;
  char  *text;        /* as shown */
  char  *suggestion;  /* (nullable) */
} Diagnostic;

struct _SinglyTemplatePage
{
  AdwBin               parent_instance;

  GtkStack            *stack;
  AdwStatusPage       *error_status;
  GtkEntry            *subject_entry;
  GtkDropDown         *format_dropdown;
  GtkMenuButton       *insert_field_button;
  GtkMenuButton       *add_header_button;
  GtkListBox          *headers_list;
  GtkSourceView       *source_view;
  GtkRevealer         *diagnostics_revealer;
  GtkListBox          *diagnostics_list;

  GtkSourceBuffer     *buffer;
  GtkTextTag          *error_tag;
  SinglyFieldProvider *provider;
  GMenu               *field_menu;
  SinglyDocument      *document;

  GPtrArray           *headers;       /* Header *, in file order */
  guint                subject_index; /* where Subject goes among them */
  SinglyBodyFormat     format;
  GPtrArray           *diagnostics;   /* Diagnostic * */
  GtkWidget           *insert_target; /* the subject entry or the body */
  GCancellable        *cancellable;
  char                *error;
  guint                compile_id;
  gboolean             has_template;
  gboolean             loading;
  gboolean             modified;
  gboolean             filling;       /* the widgets are being filled, not edited */
};

enum {
  PROP_0,
  PROP_LOADING,
  PROP_MODIFIED,
  PROP_HAS_TEMPLATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SinglyTemplatePage, singly_template_page, ADW_TYPE_BIN)

static const struct
{
  SinglyBodyFormat  format;
  const char       *name;
} formats[] = {
  { SINGLY_BODY_PLAIN, N_("Plain Text") },
  { SINGLY_BODY_MARKDOWN, N_("Markdown") },
  { SINGLY_BODY_HTML, N_("HTML") },
  { SINGLY_BODY_EML, N_("E-mail Message") },
};

/* What an .eml carries for its own structure and transport: kept, not shown */
static gboolean
header_is_hidden (SinglyBodyFormat  format,
                  const char       *name)
{
  static const char * const shown[] = {
    "To", "Cc", "Bcc", "Reply-To", "Attach", "List-Unsubscribe", "List-Unsubscribe-Post",
    "Disposition-Notification-To", NULL
  };

  if (format != SINGLY_BODY_EML)
    return FALSE;
  for (guint i = 0; shown[i] != NULL; i++)
    if (g_ascii_strcasecmp (shown[i], name) == 0)
      return FALSE;
  return TRUE;
}

static void
header_free (Header *header)
{
  g_free (header->name);
  g_free (header->value);
  g_free (header);
}

static void
diagnostic_free (Diagnostic *diagnostic)
{
  g_free (diagnostic->text);
  g_free (diagnostic->suggestion);
  g_free (diagnostic);
}

static void
set_modified (SinglyTemplatePage *self,
              gboolean            modified)
{
  if (self->modified == modified)
    return;
  self->modified = modified;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

static void
set_has_template (SinglyTemplatePage *self,
                  gboolean            has_template)
{
  if (self->has_template == has_template)
    return;
  self->has_template = has_template;
  gtk_stack_set_visible_child_name (self->stack, has_template ? "editor" : "empty");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_TEMPLATE]);
}

static void
set_loading (SinglyTemplatePage *self,
             gboolean            loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
show_toast (SinglyTemplatePage *self,
            const char         *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (escaped));
}

static gboolean
is_header_line (const char *line,
                gsize       length)
{
  gsize i = 0;

  while (i < length && line[i] != ':' && line[i] > ' ' && line[i] < 0x7f)
    i++;
  return i > 0 && i < length && line[i] == ':';
}

static char *
unfold (const char *value)
{
  GString *out = g_string_new (NULL);

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\n')
        {
          /* a folded line goes on after its leading whitespace */
          while (p[1] == ' ' || p[1] == '\t')
            p++;
          g_string_append_c (out, ' ');
        }
      else
        g_string_append_c (out, *p);
    }
  return g_strstrip (g_string_free (out, FALSE));
}

static char *
value_text (GtkWidget *row)
{
  return g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));
}

/* Puts the parts together as a template file. @body_first_line gets the
 * line the body starts on; @header_lines the first line of each header
 * (in the order of self->headers, the subject at self->subject_index). */
static char *
assemble (SinglyTemplatePage *self,
          guint              *body_first_line,
          GArray             *header_lines)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *body = NULL;
  GtkTextIter start, end;
  guint line = 1;

  for (guint i = 0; i <= self->headers->len; i++)
    {
      g_autofree char *value = NULL;
      const char *name;

      if (i == self->subject_index)
        {
          g_autofree char *subject = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->subject_entry)));

          g_strdelimit (subject, "\r\n", ' ');
          if (header_lines != NULL)
            g_array_append_val (header_lines, line);
          g_string_append_printf (out, "Subject: %s\n", subject);
          line++;
        }
      if (i == self->headers->len)
        break;

      name = ((Header *) self->headers->pdata[i])->name;
      if (((Header *) self->headers->pdata[i])->row != NULL)
        {
          value = value_text (((Header *) self->headers->pdata[i])->row);
          g_strdelimit (value, "\r\n", ' ');
        }
      else
        value = g_strdup (((Header *) self->headers->pdata[i])->value);

      if (header_lines != NULL)
        g_array_append_val (header_lines, line);
      g_string_append_printf (out, "%s: %s\n", name, value);
      for (const char *p = value; *p != '\0'; p++)
        line += *p == '\n';
      line++;
    }

  g_string_append_c (out, '\n');
  line++;
  if (body_first_line != NULL)
    *body_first_line = line;

  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->buffer), &start, &end);
  body = gtk_text_buffer_get_text (GTK_TEXT_BUFFER (self->buffer), &start, &end, TRUE);
  g_string_append (out, body);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ------------------------------------------------------------------------ */
/* Diagnostics                                                               */

static void
diagnostic_activated_cb (SinglyTemplatePage *self,
                         GtkListBoxRow      *row)
{
  int index = gtk_list_box_row_get_index (row);
  Diagnostic *diagnostic;
  GtkTextIter iter;

  if (index < 0 || (guint) index >= self->diagnostics->len)
    return;
  diagnostic = self->diagnostics->pdata[index];
  if (diagnostic->line == 0)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->subject_entry));
      return;
    }
  gtk_text_buffer_get_iter_at_line_offset (GTK_TEXT_BUFFER (self->buffer), &iter,
                                           diagnostic->line - 1, diagnostic->column - 1);
  gtk_text_buffer_place_cursor (GTK_TEXT_BUFFER (self->buffer), &iter);
  gtk_text_view_scroll_to_iter (GTK_TEXT_VIEW (self->source_view), &iter, 0.2, FALSE, 0, 0);
  gtk_widget_grab_focus (GTK_WIDGET (self->source_view));
}

/* Replaces the misspelt field at a diagnostic's position with the column
 * the template engine suggests. */
static void
use_suggestion_clicked_cb (GtkButton          *button,
                           SinglyTemplatePage *self)
{
  Diagnostic *diagnostic = g_object_get_data (G_OBJECT (button), "diagnostic");
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->buffer);
  GtkTextIter start, end;

  if (diagnostic == NULL || diagnostic->line == 0 || diagnostic->suggestion == NULL)
    return;
  if (!gtk_text_buffer_get_iter_at_line_offset (buffer, &start, diagnostic->line - 1, diagnostic->column - 1))
    return;

  /* past "{{", a sigil and blanks to the name; the name ends at "|" or "}" */
  while (!gtk_text_iter_ends_line (&start) &&
         strchr ("{#^/ \t", gtk_text_iter_get_char (&start)) != NULL)
    gtk_text_iter_forward_char (&start);
  end = start;
  while (!gtk_text_iter_ends_line (&end) && gtk_text_iter_get_char (&end) != '|' &&
         gtk_text_iter_get_char (&end) != '}')
    gtk_text_iter_forward_char (&end);
  while (gtk_text_iter_compare (&start, &end) < 0)
    {
      GtkTextIter before = end;

      gtk_text_iter_backward_char (&before);
      if (!g_unichar_isspace (gtk_text_iter_get_char (&before)))
        break;
      end = before;
    }

  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_delete (buffer, &start, &end);
  gtk_text_buffer_insert (buffer, &start, diagnostic->suggestion, -1);
  gtk_text_buffer_end_user_action (buffer);
}

static void
show_diagnostics (SinglyTemplatePage *self)
{
  GtkWidget *child;
  GtkTextIter start, end;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->diagnostics_list))) != NULL)
    gtk_list_box_remove (self->diagnostics_list, child);

  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->buffer), &start, &end);
  gtk_text_buffer_remove_tag (GTK_TEXT_BUFFER (self->buffer), self->error_tag, &start, &end);

  for (guint i = 0; i < self->diagnostics->len; i++)
    {
      Diagnostic *diagnostic = self->diagnostics->pdata[i];
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");
      GtkWidget *label = gtk_label_new (diagnostic->text);

      gtk_widget_set_margin_start (box, 12);
      gtk_widget_set_margin_end (box, 12);
      gtk_widget_set_margin_top (box, 6);
      gtk_widget_set_margin_bottom (box, 6);
      gtk_widget_add_css_class (icon, "error");
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (GTK_LABEL (label), FALSE);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_box_append (GTK_BOX (box), icon);
      gtk_box_append (GTK_BOX (box), label);

      if (diagnostic->suggestion != NULL && diagnostic->line > 0)
        {
          g_autofree char *text = g_strdup_printf (_("Use “%s”"), diagnostic->suggestion);
          GtkWidget *button = gtk_button_new_with_label (text);

          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          g_object_set_data (G_OBJECT (button), "diagnostic", diagnostic);
          g_signal_connect (button, "clicked", G_CALLBACK (use_suggestion_clicked_cb), self);
          gtk_box_append (GTK_BOX (box), button);
        }
      gtk_list_box_append (self->diagnostics_list, box);

      if (diagnostic->line > 0 &&
          gtk_text_buffer_get_iter_at_line_offset (GTK_TEXT_BUFFER (self->buffer), &start,
                                                   diagnostic->line - 1, diagnostic->column - 1))
        {
          GtkTextIter line_end = start;

          gtk_text_iter_forward_to_line_end (&line_end);
          end = start;
          /* the tag, up to its closing braces, or the rest of the line */
          if (!gtk_text_iter_forward_search (&start, "}}", 0, NULL, &end, &line_end))
            end = line_end;
          if (gtk_text_iter_equal (&start, &end))
            gtk_text_iter_forward_char (&end);
          gtk_text_buffer_apply_tag (GTK_TEXT_BUFFER (self->buffer), self->error_tag, &start, &end);
        }
    }

  gtk_revealer_set_reveal_child (self->diagnostics_revealer, self->diagnostics->len > 0);
}

/* A diagnostic at a line of the assembled file: in the body, the line of
 * the editor; in the headers, the header's name. */
static void
add_diagnostic (SinglyTemplatePage *self,
                guint               line,
                guint               column,
                const char         *message,
                const char         *suggestion,
                guint               body_first_line,
                GArray             *header_lines)
{
  Diagnostic *diagnostic = g_new0 (Diagnostic, 1);

  diagnostic->suggestion = g_strdup (suggestion);
  if (line >= body_first_line)
    {
      diagnostic->line = line - body_first_line + 1;
      diagnostic->column = MAX (column, 1);
      diagnostic->text = g_strdup_printf (_("Line %u, column %u: %s"), diagnostic->line,
                                          diagnostic->column, message);
    }
  else
    {
      const char *name = NULL;

      for (guint i = 0; i < header_lines->len; i++)
        if (g_array_index (header_lines, guint, i) <= line)
          {
            if (i == self->subject_index)
              name = _("Subject");
            else
              name = ((Header *) self->headers->pdata[i > self->subject_index ? i - 1 : i])->name;
          }
      diagnostic->text = name ? g_strdup_printf (_("%s: %s"), name, message) : g_strdup (message);
    }
  g_ptr_array_add (self->diagnostics, diagnostic);
}

static gboolean
compile (SinglyTemplatePage *self)
{
  g_autoptr(GArray) header_lines = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(SinglyTemplate) template = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *base_dir = NULL;
  GFile *file = singly_document_get_template_file (self->document);
  SinglyContactList *contacts = singly_document_get_contacts (self->document);
  guint body_first_line = 1;

  g_clear_handle_id (&self->compile_id, g_source_remove);
  g_ptr_array_set_size (self->diagnostics, 0);

  if (!self->has_template || singly_document_get_busy (self->document))
    return G_SOURCE_REMOVE;

  text = assemble (self, &body_first_line, header_lines);
  if (file != NULL)
    {
      g_autoptr(GFile) parent = g_file_get_parent (file);

      base_dir = parent ? g_file_get_path (parent) : NULL;
    }

  template = singly_template_new_from_data (text, -1, self->format, base_dir, &error);
  if (template == NULL)
    {
      const char *message = error->message;
      guint line = 0, column = 0;

      if (singly_util_parse_position (error->message, &line, &column, &message))
        add_diagnostic (self, line, column, message, NULL, body_first_line, header_lines);
      else
        add_diagnostic (self, body_first_line, 1, message, NULL, body_first_line, header_lines);
    }
  else if (contacts != NULL)
    {
      g_autoptr(GPtrArray) found = singly_template_check (template,
                                                          singly_contact_list_get_column_names (contacts),
                                                          singly_contact_list_get_n_columns (contacts));

      for (guint i = 0; i < found->len; i++)
        {
          SinglyTemplateDiagnostic *diagnostic = found->pdata[i];

          add_diagnostic (self, diagnostic->line, diagnostic->column, diagnostic->message,
                          diagnostic->suggestion, body_first_line, header_lines);
        }
    }

  show_diagnostics (self);

  if (self->diagnostics->len > 0)
    singly_document_set_template (self->document, NULL,
                                  ((Diagnostic *) self->diagnostics->pdata[0])->text);
  else
    singly_document_set_template (self->document, template, NULL);

  return G_SOURCE_REMOVE;
}

static void
schedule_compile (SinglyTemplatePage *self)
{
  g_clear_handle_id (&self->compile_id, g_source_remove);
  self->compile_id = g_timeout_add (COMPILE_DELAY_MS, (GSourceFunc) compile, self);
}

static void
edited (SinglyTemplatePage *self)
{
  if (self->filling)
    return;
  set_modified (self, TRUE);
  schedule_compile (self);
}

/* ------------------------------------------------------------------------ */
/* Headers                                                                   */

static void
update_headers_visible (SinglyTemplatePage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->headers_list),
                          gtk_widget_get_first_child (GTK_WIDGET (self->headers_list)) != NULL);
}

static void
remove_header_clicked_cb (GtkButton          *button,
                          SinglyTemplatePage *self)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (button), "row");

  for (guint i = 0; i < self->headers->len; i++)
    if (((Header *) self->headers->pdata[i])->row == row)
      {
        g_ptr_array_remove_index (self->headers, i);
        if (self->subject_index > i)
          self->subject_index--;
        break;
      }
  gtk_list_box_remove (self->headers_list, row);
  update_headers_visible (self);
  edited (self);
}

static void
header_changed_cb (SinglyTemplatePage *self)
{
  edited (self);
}

static GtkWidget *
add_header_row (SinglyTemplatePage *self,
                Header             *header)
{
  GtkWidget *row = adw_entry_row_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), header->name);
  gtk_editable_set_text (GTK_EDITABLE (row), header->value);
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (remove, _("Remove This Header"));
  gtk_widget_add_css_class (remove, "flat");
  g_object_set_data (G_OBJECT (remove), "row", row);
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_header_clicked_cb), self);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), remove);
  g_signal_connect_swapped (row, "changed", G_CALLBACK (header_changed_cb), self);
  gtk_list_box_append (self->headers_list, row);
  header->row = row;
  return row;
}

static void
clear_headers (SinglyTemplatePage *self)
{
  GtkWidget *child;

  g_ptr_array_set_size (self->headers, 0);
  self->subject_index = 0;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->headers_list))) != NULL)
    gtk_list_box_remove (self->headers_list, child);
  update_headers_visible (self);
}

static void
add_header_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  SinglyTemplatePage *self = SINGLY_TEMPLATE_PAGE (widget);
  Header *header = g_new0 (Header, 1);
  GtkWidget *row;

  header->name = g_variant_dup_string (parameter, NULL);
  header->value = g_strdup ("");
  g_ptr_array_add (self->headers, header);
  row = add_header_row (self, header);
  update_headers_visible (self);
  gtk_widget_grab_focus (row);
  edited (self);
}

/* ------------------------------------------------------------------------ */
/* Fields                                                                    */

static void
insert_field_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  singly_template_page_insert_field (SINGLY_TEMPLATE_PAGE (widget), g_variant_get_string (parameter, NULL));
}

static void
update_field_menu (SinglyTemplatePage *self)
{
  SinglyContactList *contacts = singly_document_get_contacts (self->document);

  g_menu_remove_all (self->field_menu);
  singly_field_provider_set_contacts (self->provider, contacts);
  if (contacts != NULL)
    {
      guint n = singly_contact_list_get_n_columns (contacts);

      for (guint c = 0; c < n; c++)
        {
          const char *name = singly_contact_list_get_column_name (contacts, c);
          g_autoptr(GMenuItem) item = g_menu_item_new (name, NULL);

          /* the name as a label: no mnemonic underscores */
          g_menu_item_set_attribute (item, "use-markup", "b", FALSE);
          g_menu_item_set_action_and_target (item, "template.insert-field", "s", name);
          g_menu_append_item (self->field_menu, item);
        }
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->insert_field_button), contacts != NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->insert_field_button),
                               contacts != NULL
                               ? _("Insert a column of the contact list; typing {{ proposes them too")
                               : _("Open a contact list to insert its columns"));
}

static void
insert_target_entered_cb (GtkEventControllerFocus *controller,
                          SinglyTemplatePage      *self)
{
  self->insert_target = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
}

/* ------------------------------------------------------------------------ */
/* Following the document and the widgets                                    */

static void
document_contacts_changed_cb (SinglyTemplatePage *self)
{
  update_field_menu (self);
  /* the fields are checked against the new columns */
  if (self->has_template)
    compile (self);
}

static void
document_busy_changed_cb (SinglyTemplatePage *self)
{
  gboolean busy = singly_document_get_busy (self->document);

  /* the send job renders with the template: it cannot change meanwhile */
  gtk_text_view_set_editable (GTK_TEXT_VIEW (self->source_view), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->subject_entry), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->headers_list), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->format_dropdown), !busy && self->format != SINGLY_BODY_EML);
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_header_button), !busy);
}

static void
buffer_changed_cb (SinglyTemplatePage *self)
{
  edited (self);
}

static void
subject_changed_cb (SinglyTemplatePage *self)
{
  edited (self);
}

static void
format_selected_cb (SinglyTemplatePage *self)
{
  guint selected = gtk_drop_down_get_selected (self->format_dropdown);

  if (self->filling || selected >= G_N_ELEMENTS (formats))
    return;
  if (self->format == formats[selected].format)
    return;
  self->format = formats[selected].format;
  edited (self);
}

static void
update_format_dropdown (SinglyTemplatePage *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint n = self->format == SINGLY_BODY_EML ? G_N_ELEMENTS (formats) : G_N_ELEMENTS (formats) - 1;

  /* an .eml keeps its MIME structure: its format cannot be changed */
  for (guint i = 0; i < n; i++)
    gtk_string_list_append (names, _(formats[i].name));
  gtk_drop_down_set_model (self->format_dropdown, G_LIST_MODEL (names));
  for (guint i = 0; i < n; i++)
    if (formats[i].format == self->format)
      gtk_drop_down_set_selected (self->format_dropdown, i);
  gtk_widget_set_sensitive (GTK_WIDGET (self->format_dropdown), self->format != SINGLY_BODY_EML);
}

static void
style_dark_changed_cb (SinglyTemplatePage *self,
                       GParamSpec         *pspec,
                       AdwStyleManager    *style_manager)
{
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  const char *id = adw_style_manager_get_dark (style_manager) ? "Adwaita-dark" : "Adwaita";

  gtk_source_buffer_set_style_scheme (self->buffer, gtk_source_style_scheme_manager_get_scheme (schemes, id));
}

/* Fills the editor from a template file's text (UTF-8, LF line ends) */
static void
fill (SinglyTemplatePage *self,
      const char         *text,
      SinglyBodyFormat    format)
{
  const char *p = text;
  const char *body = text;
  g_autofree char *subject = NULL;
  GString *value = NULL;
  char *name = NULL;

  self->filling = TRUE;
  clear_headers (self);
  self->format = format;
  self->subject_index = 0;

  /* a header block only when the first line is a header, as the engine reads it */
  if (is_header_line (p, strcspn (p, "\n")))
    {
      while (*p != '\0')
        {
          gsize length = strcspn (p, "\n");
          const char *next = p[length] == '\n' ? p + length + 1 : p + length;

          if (length == 0 || (length == 1 && p[0] == '\r'))
            {
              p = next;
              break;
            }
          if ((p[0] == ' ' || p[0] == '\t') && value != NULL)
            {
              g_string_append_c (value, '\n');
              g_string_append_len (value, p, length);
            }
          else if (is_header_line (p, length))
            {
              const char *colon = memchr (p, ':', length);

              if (name != NULL)
                {
                  Header *header = g_new0 (Header, 1);

                  header->name = name;
                  header->value = g_string_free (value, FALSE);
                  g_ptr_array_add (self->headers, header);
                }
              name = g_strndup (p, colon - p);
              value = g_string_new_len (colon + 1, length - (colon + 1 - p));
            }
          else
            break;
          p = next;
        }
      if (name != NULL)
        {
          Header *header = g_new0 (Header, 1);

          header->name = name;
          header->value = g_string_free (value, FALSE);
          g_ptr_array_add (self->headers, header);
        }
      body = p;
    }

  /* the subject to its entry; the others shown or kept */
  for (guint i = 0; i < self->headers->len; i++)
    {
      Header *header = self->headers->pdata[i];

      if (subject == NULL && g_ascii_strcasecmp (header->name, "Subject") == 0)
        {
          subject = unfold (header->value);
          if (format == SINGLY_BODY_EML)
            {
              char *decoded = g_mime_utils_header_decode_text (NULL, subject);

              g_free (subject);
              subject = decoded;
            }
          self->subject_index = i;
          g_ptr_array_remove_index (self->headers, i);
          i--;
          continue;
        }
      if (!header_is_hidden (format, header->name))
        {
          char *unfolded = unfold (header->value);

          g_free (header->value);
          header->value = unfolded;
          add_header_row (self, header);
        }
      else if (g_str_has_prefix (header->value, " "))
        {
          /* kept as the file had it, after "Name:" */
          memmove (header->value, header->value + 1, strlen (header->value));
        }
    }
  update_headers_visible (self);

  gtk_editable_set_text (GTK_EDITABLE (self->subject_entry), subject ? subject : "");
  gtk_text_buffer_begin_irreversible_action (GTK_TEXT_BUFFER (self->buffer));
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->buffer), body, -1);
  gtk_text_buffer_end_irreversible_action (GTK_TEXT_BUFFER (self->buffer));
  {
    GtkTextIter start;

    gtk_text_buffer_get_start_iter (GTK_TEXT_BUFFER (self->buffer), &start);
    gtk_text_buffer_place_cursor (GTK_TEXT_BUFFER (self->buffer), &start);
  }
  update_format_dropdown (self);
  document_busy_changed_cb (self);
  self->filling = FALSE;

  set_modified (self, FALSE);
  set_has_template (self, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "editor");
}

/* Template files as office software writes them: maybe not UTF-8, maybe
 * with CRLF line ends; the editor gets UTF-8 with LF. */
static char *
decode (const char  *data,
        gsize        length,
        GError     **error)
{
  g_autoptr(SinglyDecoded) decoded = NULL;
  GString *out;

  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
    }
  if (!g_utf8_validate_len (data, length, NULL))
    {
      decoded = singly_decode_text (data, length, NULL, error);
      if (decoded == NULL)
        return NULL;
      data = decoded->text;
      length = decoded->length;
    }
  if (memchr (data, '\0', length) != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The file holds NUL bytes: it is not a text file"));
      return NULL;
    }

  out = g_string_sized_new (length);
  for (gsize i = 0; i < length; i++)
    {
      if (data[i] == '\r')
        {
          g_string_append_c (out, '\n');
          if (i + 1 < length && data[i + 1] == '\n')
            i++;
        }
      else
        g_string_append_c (out, data[i]);
    }
  return g_string_free (out, FALSE);
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  SinglyTemplatePage *self = user_data;
  GFile *file = G_FILE (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;
  gsize length = 0;

  if (!g_file_load_contents_finish (file, result, &contents, &length, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
    }
  else
    text = decode (contents, length, &error);

  set_loading (self, FALSE);

  if (text == NULL)
    {
      g_free (self->error);
      self->error = g_strdup (error->message);
      if (!self->has_template)
        {
          adw_status_page_set_description (self->error_status, error->message);
          gtk_stack_set_visible_child_name (self->stack, "error");
        }
      else
        show_toast (self, error->message);
      return;
    }

  if (singly_document_get_busy (self->document))
    return;

  path = g_file_get_path (file);
  singly_document_set_template_file (self->document, file);
  fill (self, text, singly_template_format_for_path (path ? path : ""));
  compile (self);
}

/* ------------------------------------------------------------------------ */

static void
singly_template_page_dispose (GObject *object)
{
  SinglyTemplatePage *self = SINGLY_TEMPLATE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->compile_id, g_source_remove);
  g_clear_object (&self->document);
  g_clear_object (&self->provider);
  g_clear_object (&self->field_menu);


  G_OBJECT_CLASS (singly_template_page_parent_class)->dispose (object);
}

static void
singly_template_page_finalize (GObject *object)
{
  SinglyTemplatePage *self = SINGLY_TEMPLATE_PAGE (object);

  g_ptr_array_unref (self->headers);
  g_ptr_array_unref (self->diagnostics);
  g_free (self->error);

  G_OBJECT_CLASS (singly_template_page_parent_class)->finalize (object);
}

static void
singly_template_page_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  SinglyTemplatePage *self = SINGLY_TEMPLATE_PAGE (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_MODIFIED:
      g_value_set_boolean (value, self->modified);
      break;
    case PROP_HAS_TEMPLATE:
      g_value_set_boolean (value, self->has_template);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
singly_template_page_class_init (SinglyTemplatePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkSourceLanguageManager *languages;

  object_class->dispose = singly_template_page_dispose;
  object_class->finalize = singly_template_page_finalize;
  object_class->get_property = singly_template_page_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODIFIED] =
    g_param_spec_boolean ("modified", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_TEMPLATE] =
    g_param_spec_boolean ("has-template", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  /* GMime reads .eml subjects before any template exists; SinglyTemplate
   * initialises it */
  g_type_class_unref (g_type_class_ref (SINGLY_TYPE_TEMPLATE));

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/singly/Singly/singly-template-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SinglyTemplatePage, stack);
  gtk_widget_class_bind_template_child (widget_class, SinglyTemplatePage, error_status);
  gtk_widget_class_bind_template_child (widget_class, SinglyTemplatePage, subject_entry);
  gtk_widget_class_bind_template_child (widget_class, SinglyTemplatePage, format_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SinglyTemplatePage, insert_field_button);
  gtk_widget_class_bind_template_child (widget_class, SinglyTemplatePage, add_header_button);
  gtk_widget_class_bind_template_child (widget_class, SinglyTemplatePage, headers_list);
  gtk_widget_class_bind_template_child (widget_class, SinglyTemplatePage, source_view);
  gtk_widget_class_bind_template_child (widget_class, SinglyTemplatePage, diagnostics_revealer);
  gtk_widget_class_bind_template_child (widget_class, SinglyTemplatePage, diagnostics_list);
  gtk_widget_class_bind_template_callback (widget_class, diagnostic_activated_cb);

  gtk_widget_class_install_action (widget_class, "template.insert-field", "s", insert_field_activated);
  gtk_widget_class_install_action (widget_class, "template.add-header", "s", add_header_activated);

  /* the template language comes with the application's resources */
  languages = gtk_source_language_manager_get_default ();
  gtk_source_language_manager_append_search_path (languages, "resource:///io/github/singly/Singly/language-specs");
}

static void
singly_template_page_init (SinglyTemplatePage *self)
{
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  GtkEventController *focus;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->headers = g_ptr_array_new_with_free_func ((GDestroyNotify) header_free);
  self->diagnostics = g_ptr_array_new_with_free_func ((GDestroyNotify) diagnostic_free);
  self->format = SINGLY_BODY_PLAIN;

  self->buffer = GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->source_view)));
  gtk_source_buffer_set_language (self->buffer, gtk_source_language_manager_get_language (languages, "singly-template"));
  gtk_source_buffer_set_highlight_syntax (self->buffer, TRUE);
  self->error_tag = gtk_text_buffer_create_tag (GTK_TEXT_BUFFER (self->buffer), "singly-error",
                                                "underline", PANGO_UNDERLINE_ERROR, NULL);
  g_signal_connect_object (style_manager, "notify::dark", G_CALLBACK (style_dark_changed_cb),
                           self, G_CONNECT_SWAPPED);
  style_dark_changed_cb (self, NULL, style_manager);

  self->provider = singly_field_provider_new ();
  gtk_source_completion_add_provider (gtk_source_view_get_completion (self->source_view),
                                      GTK_SOURCE_COMPLETION_PROVIDER (self->provider));

  self->field_menu = g_menu_new ();
  gtk_menu_button_set_menu_model (self->insert_field_button, G_MENU_MODEL (self->field_menu));

  g_signal_connect_swapped (self->buffer, "changed", G_CALLBACK (buffer_changed_cb), self);
  g_signal_connect_swapped (self->subject_entry, "changed", G_CALLBACK (subject_changed_cb), self);
  g_signal_connect_swapped (self->format_dropdown, "notify::selected", G_CALLBACK (format_selected_cb), self);

  /* "Insert field" goes where the user was typing: subject or body */
  self->insert_target = GTK_WIDGET (self->source_view);
  focus = gtk_event_controller_focus_new ();
  g_signal_connect (focus, "enter", G_CALLBACK (insert_target_entered_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->subject_entry), focus);
  focus = gtk_event_controller_focus_new ();
  g_signal_connect (focus, "enter", G_CALLBACK (insert_target_entered_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->source_view), focus);

  update_format_dropdown (self);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

void
singly_template_page_set_document (SinglyTemplatePage *self,
                                   SinglyDocument     *document)
{
  g_return_if_fail (SINGLY_IS_TEMPLATE_PAGE (self));
  g_return_if_fail (SINGLY_IS_DOCUMENT (document));
  g_return_if_fail (self->document == NULL);

  self->document = g_object_ref (document);
  g_signal_connect_object (document, "notify::contacts", G_CALLBACK (document_contacts_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (document, "notify::busy", G_CALLBACK (document_busy_changed_cb),
                           self, G_CONNECT_SWAPPED);
  update_field_menu (self);
}

/**
 * singly_template_page_open_file:
 *
 * Reads @file into the editor, without blocking.
 */
void
singly_template_page_open_file (SinglyTemplatePage *self,
                                GFile              *file)
{
  g_return_if_fail (SINGLY_IS_TEMPLATE_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_pointer (&self->error, g_free);
  set_loading (self, TRUE);
  g_file_load_contents_async (file, self->cancellable, loaded_cb, self);
}

/**
 * singly_template_page_new_template:
 *
 * Starts an empty template, not yet saved anywhere.
 */
void
singly_template_page_new_template (SinglyTemplatePage *self)
{
  g_return_if_fail (SINGLY_IS_TEMPLATE_PAGE (self));

  if (singly_document_get_busy (self->document))
    return;
  singly_document_set_template_file (self->document, NULL);
  fill (self, "", SINGLY_BODY_PLAIN);
  compile (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->subject_entry));
}

/**
 * singly_template_page_save:
 * @file: (nullable): where to save, or %NULL for the template's own file
 *
 * Writes the template (a small file, written at once). Failures are shown
 * to the user.
 */
void
singly_template_page_save (SinglyTemplatePage *self,
                           GFile              *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (SINGLY_IS_TEMPLATE_PAGE (self));
  g_return_if_fail (file == NULL || G_IS_FILE (file));

  if (!self->has_template)
    return;
  if (file == NULL)
    file = singly_document_get_template_file (self->document);
  g_return_if_fail (file != NULL);

  text = assemble (self, NULL, NULL);
  if (!g_file_replace_contents (file, text, strlen (text), NULL, FALSE, G_FILE_CREATE_NONE,
                                NULL, NULL, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Cannot save the template: %s"), error->message);

      show_toast (self, message);
      return;
    }

  if (singly_document_get_template_file (self->document) == NULL ||
      !g_file_equal (file, singly_document_get_template_file (self->document)))
    {
      singly_document_set_template_file (self->document, file);
      /* attachments are relative to the new folder */
      compile (self);
    }
  set_modified (self, FALSE);
}

gboolean
singly_template_page_get_loading (SinglyTemplatePage *self)
{
  g_return_val_if_fail (SINGLY_IS_TEMPLATE_PAGE (self), FALSE);
  return self->loading;
}

gboolean
singly_template_page_get_modified (SinglyTemplatePage *self)
{
  g_return_val_if_fail (SINGLY_IS_TEMPLATE_PAGE (self), FALSE);
  return self->modified;
}

gboolean
singly_template_page_get_has_template (SinglyTemplatePage *self)
{
  g_return_val_if_fail (SINGLY_IS_TEMPLATE_PAGE (self), FALSE);
  return self->has_template;
}

/**
 * singly_template_page_get_error:
 *
 * Returns: (nullable): why the last file could not be opened
 */
const char *
singly_template_page_get_error (SinglyTemplatePage *self)
{
  g_return_val_if_fail (SINGLY_IS_TEMPLATE_PAGE (self), NULL);
  return self->error;
}

/**
 * singly_template_page_get_subject:
 *
 * Returns: (transfer none): the subject entry
 */
GtkEditable *
singly_template_page_get_subject (SinglyTemplatePage *self)
{
  g_return_val_if_fail (SINGLY_IS_TEMPLATE_PAGE (self), NULL);
  return GTK_EDITABLE (self->subject_entry);
}

/**
 * singly_template_page_get_buffer:
 *
 * Returns: (transfer none): the body
 */
GtkSourceBuffer *
singly_template_page_get_buffer (SinglyTemplatePage *self)
{
  g_return_val_if_fail (SINGLY_IS_TEMPLATE_PAGE (self), NULL);
  return self->buffer;
}

SinglyBodyFormat
singly_template_page_get_format (SinglyTemplatePage *self)
{
  g_return_val_if_fail (SINGLY_IS_TEMPLATE_PAGE (self), SINGLY_BODY_PLAIN);
  return self->format;
}

void
singly_template_page_set_format (SinglyTemplatePage *self,
                                 SinglyBodyFormat    format)
{
  g_return_if_fail (SINGLY_IS_TEMPLATE_PAGE (self));
  g_return_if_fail (format != SINGLY_BODY_EML);

  for (guint i = 0; i < G_N_ELEMENTS (formats) - 1; i++)
    if (formats[i].format == format)
      gtk_drop_down_set_selected (self->format_dropdown, i);
}

/**
 * singly_template_page_set_header:
 * @name: a header other than Subject
 * @value: (nullable): its value, or %NULL to remove it
 */
void
singly_template_page_set_header (SinglyTemplatePage *self,
                                 const char         *name,
                                 const char         *value)
{
  g_return_if_fail (SINGLY_IS_TEMPLATE_PAGE (self));
  g_return_if_fail (name != NULL);

  if (g_ascii_strcasecmp (name, "Subject") == 0)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->subject_entry), value ? value : "");
      return;
    }

  for (guint i = 0; i < self->headers->len; i++)
    {
      Header *header = self->headers->pdata[i];

      if (g_ascii_strcasecmp (header->name, name) != 0 || header->row == NULL)
        continue;
      if (value == NULL)
        {
          gtk_list_box_remove (self->headers_list, header->row);
          g_ptr_array_remove_index (self->headers, i);
          if (self->subject_index > i)
            self->subject_index--;
          update_headers_visible (self);
          edited (self);
        }
      else
        gtk_editable_set_text (GTK_EDITABLE (header->row), value);
      return;
    }

  if (value != NULL)
    {
      g_autoptr(GVariant) parameter = g_variant_ref_sink (g_variant_new_string (name));

      add_header_activated (GTK_WIDGET (self), "template.add-header", parameter);
      gtk_editable_set_text (GTK_EDITABLE (((Header *) self->headers->pdata[self->headers->len - 1])->row), value);
    }
}

/**
 * singly_template_page_dup_header:
 *
 * Returns: (transfer full) (nullable): the value of header @name
 */
char *
singly_template_page_dup_header (SinglyTemplatePage *self,
                                 const char         *name)
{
  g_return_val_if_fail (SINGLY_IS_TEMPLATE_PAGE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (g_ascii_strcasecmp (name, "Subject") == 0)
    return g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->subject_entry)));
  for (guint i = 0; i < self->headers->len; i++)
    {
      Header *header = self->headers->pdata[i];

      if (g_ascii_strcasecmp (header->name, name) == 0)
        return header->row ? value_text (header->row) : g_strdup (header->value);
    }
  return NULL;
}

/**
 * singly_template_page_insert_field:
 * @name: a column name
 *
 * Inserts {{@name}} where the user was typing, the subject or the body.
 */
void
singly_template_page_insert_field (SinglyTemplatePage *self,
                                   const char         *name)
{
  g_autofree char *tag = NULL;

  g_return_if_fail (SINGLY_IS_TEMPLATE_PAGE (self));
  g_return_if_fail (name != NULL);

  if (!self->has_template || singly_document_get_busy (self->document))
    return;

  tag = g_strdup_printf ("{{%s}}", name);
  if (self->insert_target == GTK_WIDGET (self->subject_entry))
    {
      int position = gtk_editable_get_position (GTK_EDITABLE (self->subject_entry));

      gtk_editable_insert_text (GTK_EDITABLE (self->subject_entry), tag, -1, &position);
      gtk_editable_set_position (GTK_EDITABLE (self->subject_entry), position);
      gtk_widget_grab_focus (GTK_WIDGET (self->subject_entry));
    }
  else
    {
      gtk_text_buffer_begin_user_action (GTK_TEXT_BUFFER (self->buffer));
      gtk_text_buffer_insert_at_cursor (GTK_TEXT_BUFFER (self->buffer), tag, -1);
      gtk_text_buffer_end_user_action (GTK_TEXT_BUFFER (self->buffer));
      gtk_widget_grab_focus (GTK_WIDGET (self->source_view));
    }
}

/**
 * singly_template_page_focus_body:
 *
 * Puts the keyboard focus, and so "Insert field", in the body.
 */
void
singly_template_page_focus_body (SinglyTemplatePage *self)
{
  g_return_if_fail (SINGLY_IS_TEMPLATE_PAGE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->source_view));
}

/**
 * singly_template_page_compile_now:
 *
 * Compiles without waiting for the typing to stop.
 */
void
singly_template_page_compile_now (SinglyTemplatePage *self)
{
  g_return_if_fail (SINGLY_IS_TEMPLATE_PAGE (self));
  compile (self);
}

/**
 * singly_template_page_dup_diagnostics:
 *
 * Returns: (transfer full): what the page shows under the editor
 */
char **
singly_template_page_dup_diagnostics (SinglyTemplatePage *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (SINGLY_IS_TEMPLATE_PAGE (self), NULL);

  for (guint i = 0; i < self->diagnostics->len; i++)
    g_strv_builder_add (builder, ((Diagnostic *) self->diagnostics->pdata[i])->text);
  return g_strv_builder_end (builder);
}

/**
 * singly_template_page_dup_text:
 *
 * Returns: (transfer full): the template file as it would be saved
 */
char *
singly_template_page_dup_text (SinglyTemplatePage *self)
{
  g_return_val_if_fail (SINGLY_IS_TEMPLATE_PAGE (self), NULL);
  return assemble (self, NULL, NULL);
}
