/* singly-preview-page.c: the Preview page: each recipient's message
 *
 * Recipient by recipient, the message exactly as the builder makes it for
 * the send, with the warnings a careful colleague would give: those about
 * the whole campaign and those about this one message. "Send a test to
 * myself" sends the message shown to the sender alone, outside the
 * campaign and its journal.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "singly-message-view.h"
#include "singly-preflight.h"
#include "singly-preview-page.h"
#include "singly-secret-prompt.h"
#include "singly-send-one.h"
#include "singly-util.h"

struct _SinglyPreviewPage
{
  AdwBin             parent_instance;

  GtkStack          *stack;
  AdwStatusPage     *empty_status;
  GtkLabel          *position_label;
  GtkSearchEntry    *search_entry;
  GtkToggleButton   *source_button;
  GtkRevealer       *banner_revealer;
  GtkLabel          *banner_label;
  GtkStack          *message_stack;
  SinglyMessageView *message_view;
  AdwStatusPage     *message_error;
  GtkListBox        *warnings_list;

  SinglyDocument    *document;
  GtkStringList     *warnings;
  GPtrArray         *campaign_warnings;  /* char *, for every row */
  guint              row;
  guint              n_rows;
  GCancellable      *cancellable;        /* of the test send */
  gboolean           testing;
  char              *test_result;
};

enum {
  PROP_0,
  PROP_ROW,
  PROP_TESTING,
  N_PROPS
};

/* A test send, from the password to the outcome */
typedef struct
{
  SinglyPreviewPage *self;
  SinglyMessage     *message;
  SinglyAccount     *account;
} TestSend;

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SinglyPreviewPage, singly_preview_page, ADW_TYPE_BIN)

static GtkWidget *
create_warning_row (gpointer item,
                    gpointer user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  GtkWidget *label = gtk_label_new (gtk_string_object_get_string (item));

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 9);
  gtk_widget_set_margin_bottom (box, 9);
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_add_css_class (icon, "warning");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  return box;
}

static GtkWidget *
create_placeholder (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name ("emblem-ok-symbolic");
  GtkWidget *label = gtk_label_new (_("Nothing to worry about"));

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 9);
  gtk_widget_set_margin_bottom (box, 9);
  gtk_widget_add_css_class (icon, "success");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  return box;
}

static void
set_row (SinglyPreviewPage *self,
         guint              row)
{
  if (self->row == row)
    return;
  self->row = row;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROW]);
}

/* Why @row will not be sent, or NULL when it will */
static char *
dup_not_sent_reason (SinglyPreviewPage *self,
                     guint              row)
{
  SinglyMessageBuilder *builder = singly_document_get_builder (self->document);
  SinglyContactList *contacts = singly_document_get_contacts (self->document);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GString) reasons = NULL;

  if (singly_message_builder_row_is_sendable (builder, row))
    return NULL;

  problems = singly_document_dup_row_problems (self->document, row);
  reasons = g_string_new (NULL);
  for (guint i = 0; i < problems->len; i++)
    {
      const SinglyProblem *problem = problems->pdata[i];

      if (reasons->len > 0)
        g_string_append (reasons, "; ");
      g_string_append (reasons, problem->message);
    }
  if (reasons->len == 0 && !singly_contact_list_get_row_included (contacts, row))
    g_string_append (reasons, _("it was excluded on the Contacts page"));
  return g_string_free (g_steal_pointer (&reasons), FALSE);
}

static void
show_row (SinglyPreviewPage *self)
{
  SinglyMessageBuilder *builder = singly_document_get_builder (self->document);
  SinglyContactList *contacts = singly_document_get_contacts (self->document);
  g_autoptr(SinglyMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) message_warnings = NULL;
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();
  g_autofree char *position = NULL;
  g_autofree char *reason = NULL;

  if (builder == NULL || self->n_rows == 0)
    return;

  position = g_strdup_printf (_("Recipient %u of %u"), self->row + 1, self->n_rows);
  gtk_label_set_text (self->position_label, position);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->position_label), singly_contact_list_get_address (contacts, self->row));

  reason = dup_not_sent_reason (self, self->row);
  if (reason != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("This recipient will not be sent the message: %s"), reason);

      gtk_label_set_text (self->banner_label, text);
    }
  gtk_revealer_set_reveal_child (self->banner_revealer, reason != NULL);

  message = singly_message_builder_build (builder, self->row, &error);
  if (message == NULL)
    {
      adw_status_page_set_description (self->message_error, error->message);
      gtk_stack_set_visible_child_name (self->message_stack, "error");
      singly_message_view_set_message (self->message_view, NULL);
    }
  else
    {
      singly_message_view_set_message (self->message_view, message);
      gtk_stack_set_visible_child_name (self->message_stack, "message");
      message_warnings = singly_preflight_check_message (builder, message,
                                                         singly_message_view_get_size (self->message_view));
    }

  for (guint i = 0; i < self->campaign_warnings->len; i++)
    g_ptr_array_add (texts, self->campaign_warnings->pdata[i]);
  /* the subject's tone is the campaign's and this message's: said once */
  for (guint i = 0; message_warnings != NULL && i < message_warnings->len; i++)
    {
      const char *text = ((SinglyWarning *) message_warnings->pdata[i])->message;
      gboolean seen = FALSE;

      for (guint j = 0; j < texts->len && !seen; j++)
        seen = g_str_equal (texts->pdata[j], text);
      if (!seen)
        g_ptr_array_add (texts, (gpointer) text);
    }
  g_ptr_array_add (texts, NULL);
  gtk_string_list_splice (self->warnings, 0, g_list_model_get_n_items (G_LIST_MODEL (self->warnings)),
                          (const char * const *) texts->pdata);
}

static void
document_changed_cb (SinglyPreviewPage *self)
{
  SinglyMessageBuilder *builder = singly_document_get_builder (self->document);
  SinglyContactList *contacts = singly_document_get_contacts (self->document);
  g_autoptr(GPtrArray) warnings = NULL;
  guint row;

  g_ptr_array_set_size (self->campaign_warnings, 0);
  self->n_rows = contacts ? singly_contact_list_get_n_rows (contacts) : 0;

  if (builder == NULL || self->n_rows == 0)
    {
      adw_status_page_set_description (self->empty_status,
                                       self->n_rows == 0 && contacts != NULL
                                       ? _("The contact list has no rows, only a header.")
                                       : singly_document_get_builder_error (self->document));
      gtk_stack_set_visible_child_name (self->stack, "empty");
      singly_message_view_set_message (self->message_view, NULL);
      set_row (self, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROW]);
      return;
    }

  warnings = singly_preflight_check_campaign (builder);
  for (guint i = 0; i < warnings->len; i++)
    g_ptr_array_add (self->campaign_warnings, g_strdup (((SinglyWarning *) warnings->pdata[i])->message));

  /* the first row that will be sent, when the list was just opened */
  row = MIN (self->row, self->n_rows - 1);
  if (gtk_stack_get_visible_child_name (self->stack) != NULL &&
      g_str_equal (gtk_stack_get_visible_child_name (self->stack), "empty"))
    {
      for (row = 0; row < self->n_rows; row++)
        if (singly_message_builder_row_is_sendable (builder, row))
          break;
      if (row == self->n_rows)
        row = 0;
    }
  gtk_stack_set_visible_child_name (self->stack, "preview");
  set_row (self, row);
  show_row (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROW]);
}

static gboolean
row_matches (SinglyPreviewPage *self,
             guint              row,
             const char        *folded)
{
  SinglyContactList *contacts = singly_document_get_contacts (self->document);
  g_autofree char *name = singly_contact_list_dup_display_name (contacts, row);

  return singly_util_matches (singly_contact_list_get_address (contacts, row), folded) ||
         singly_util_matches (name, folded);
}

/* Goes to the first row from @start on (wrapping) that matches @text */
static gboolean
find_from (SinglyPreviewPage *self,
           guint              start,
           const char        *text)
{
  g_autofree char *folded = NULL;

  if (self->n_rows == 0 || singly_document_get_builder (self->document) == NULL ||
      text == NULL || *text == '\0')
    return FALSE;

  folded = g_utf8_casefold (text, -1);
  for (guint i = 0; i < self->n_rows; i++)
    {
      guint row = (start + i) % self->n_rows;

      if (row_matches (self, row, folded))
        {
          singly_preview_page_set_row (self, row);
          return TRUE;
        }
    }
  return FALSE;
}

static void
search_changed_cb (SinglyPreviewPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  gboolean found = find_from (self, self->row, text);

  if (!found && *text != '\0')
    gtk_widget_add_css_class (GTK_WIDGET (self->search_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->search_entry), "error");
}

static void
search_activated_cb (SinglyPreviewPage *self)
{
  find_from (self, self->row + 1, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
source_toggled_cb (SinglyPreviewPage *self)
{
  singly_message_view_set_show_source (self->message_view, gtk_toggle_button_get_active (self->source_button));
}

/* ------------------------------------------------------------------------ */
/* Send a test to myself                                                     */

static void
test_send_free (TestSend *test)
{
  g_clear_object (&test->self);
  g_clear_pointer (&test->message, singly_message_free);
  g_clear_pointer (&test->account, singly_account_free);
  g_free (test);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestSend, test_send_free)

static void
set_testing (SinglyPreviewPage *self,
             gboolean           testing)
{
  if (self->testing == testing)
    return;
  self->testing = testing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TESTING]);
}

/* Says how the test went, in a toast, and keeps it for who asks */
static void
report_test (SinglyPreviewPage *self,
             const char        *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  g_free (self->test_result);
  self->test_result = g_strdup (text);
  if (overlay != NULL)
    {
      AdwToast *toast = adw_toast_new (escaped);

      adw_toast_set_timeout (toast, 8);
      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
    }
}

static void
test_sent_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TestSend) test = user_data;
  SinglyPreviewPage *self = test->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *outcome = NULL;
  g_autofree char *text = NULL;

  outcome = singly_send_one_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_testing (self, FALSE);

  if (outcome == NULL)
    text = g_strdup_printf (_("The test message was not sent: %s"), error->message);
  else if (test->account->kind == SINGLY_ACCOUNT_FOLDER)
    {
      g_autofree char *name = g_path_get_basename (outcome);

      text = g_strdup_printf (_("Test message saved as %s"), name);
    }
  else
    text = g_strdup_printf (_("Test message sent to %s"), test->account->sender_address);
  report_test (self, text);
}

static void
send_test_with (TestSend           *test,
                SinglySecretSource *secret)
{
  SinglyPreviewPage *self = test->self;

  singly_send_one_async (g_steal_pointer (&test->message), test->account,
                         singly_secret_source_dup_secret, singly_secret_source_ref (secret),
                         (GDestroyNotify) singly_secret_source_unref,
                         self->cancellable, test_sent_cb, test);
}

static void
test_secret_found_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  TestSend *test = user_data;
  g_autoptr(SinglySecretSource) secret = NULL;
  g_autoptr(GError) error = NULL;

  secret = singly_secret_prompt_request_finish (result, &error);
  if (secret == NULL)
    {
      SinglyPreviewPage *self = test->self;

      if (!g_cancellable_is_cancelled (self->cancellable))
        {
          set_testing (self, FALSE);
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_autofree char *text = g_strdup_printf (_("The test message was not sent: %s"), error->message);

              report_test (self, text);
            }
        }
      test_send_free (test);
      return;
    }
  send_test_with (test, secret);
}

/* ------------------------------------------------------------------------ */

static void
singly_preview_page_dispose (GObject *object)
{
  SinglyPreviewPage *self = SINGLY_PREVIEW_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->document);
  g_clear_object (&self->warnings);


  G_OBJECT_CLASS (singly_preview_page_parent_class)->dispose (object);
}

static void
singly_preview_page_finalize (GObject *object)
{
  SinglyPreviewPage *self = SINGLY_PREVIEW_PAGE (object);

  g_ptr_array_unref (self->campaign_warnings);
  g_free (self->test_result);

  G_OBJECT_CLASS (singly_preview_page_parent_class)->finalize (object);
}

static void
singly_preview_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  SinglyPreviewPage *self = SINGLY_PREVIEW_PAGE (object);

  switch (prop_id)
    {
    case PROP_ROW:
      g_value_set_uint (value, self->row);
      break;
    case PROP_TESTING:
      g_value_set_boolean (value, self->testing);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
singly_preview_page_class_init (SinglyPreviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = singly_preview_page_dispose;
  object_class->finalize = singly_preview_page_finalize;
  object_class->get_property = singly_preview_page_get_property;

  properties[PROP_ROW] =
    g_param_spec_uint ("row", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TESTING] =
    g_param_spec_boolean ("testing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SINGLY_TYPE_MESSAGE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/singly/Singly/singly-preview-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SinglyPreviewPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SinglyPreviewPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, SinglyPreviewPage, position_label);
  gtk_widget_class_bind_template_child (widget_class, SinglyPreviewPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SinglyPreviewPage, source_button);
  gtk_widget_class_bind_template_child (widget_class, SinglyPreviewPage, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, SinglyPreviewPage, banner_label);
  gtk_widget_class_bind_template_child (widget_class, SinglyPreviewPage, message_stack);
  gtk_widget_class_bind_template_child (widget_class, SinglyPreviewPage, message_view);
  gtk_widget_class_bind_template_child (widget_class, SinglyPreviewPage, message_error);
  gtk_widget_class_bind_template_child (widget_class, SinglyPreviewPage, warnings_list);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, source_toggled_cb);

  /* Page Up/Down step through recipients when nothing inside took them */
  gtk_widget_class_add_shortcut (widget_class,
                                 gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Page_Down, 0),
                                                   gtk_named_action_new ("win.preview-next")));
  gtk_widget_class_add_shortcut (widget_class,
                                 gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Page_Up, 0),
                                                   gtk_named_action_new ("win.preview-previous")));
}

static void
singly_preview_page_init (SinglyPreviewPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->campaign_warnings = g_ptr_array_new_with_free_func (g_free);
  self->cancellable = g_cancellable_new ();
  self->warnings = gtk_string_list_new (NULL);
  gtk_list_box_bind_model (self->warnings_list, G_LIST_MODEL (self->warnings), create_warning_row, NULL, NULL);
  gtk_list_box_set_placeholder (self->warnings_list, create_placeholder ());
  gtk_search_entry_set_key_capture_widget (self->search_entry, NULL);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

void
singly_preview_page_set_document (SinglyPreviewPage *self,
                                  SinglyDocument    *document)
{
  g_return_if_fail (SINGLY_IS_PREVIEW_PAGE (self));
  g_return_if_fail (SINGLY_IS_DOCUMENT (document));
  g_return_if_fail (self->document == NULL);

  self->document = g_object_ref (document);
  g_signal_connect_object (document, "changed", G_CALLBACK (document_changed_cb), self, G_CONNECT_SWAPPED);
  document_changed_cb (self);
}

/**
 * singly_preview_page_get_row:
 *
 * Returns: the contact row shown
 */
guint
singly_preview_page_get_row (SinglyPreviewPage *self)
{
  g_return_val_if_fail (SINGLY_IS_PREVIEW_PAGE (self), 0);
  return self->row;
}

/**
 * singly_preview_page_set_row:
 *
 * Shows the message for contact row @row.
 */
void
singly_preview_page_set_row (SinglyPreviewPage *self,
                             guint              row)
{
  g_return_if_fail (SINGLY_IS_PREVIEW_PAGE (self));

  if (row >= self->n_rows)
    return;
  set_row (self, row);
  show_row (self);
}

gboolean
singly_preview_page_can_go_next (SinglyPreviewPage *self)
{
  g_return_val_if_fail (SINGLY_IS_PREVIEW_PAGE (self), FALSE);
  return singly_document_get_builder (self->document) != NULL && self->row + 1 < self->n_rows;
}

gboolean
singly_preview_page_can_go_previous (SinglyPreviewPage *self)
{
  g_return_val_if_fail (SINGLY_IS_PREVIEW_PAGE (self), FALSE);
  return singly_document_get_builder (self->document) != NULL && self->row > 0 && self->n_rows > 0;
}

void
singly_preview_page_next (SinglyPreviewPage *self)
{
  g_return_if_fail (SINGLY_IS_PREVIEW_PAGE (self));
  if (singly_preview_page_can_go_next (self))
    singly_preview_page_set_row (self, self->row + 1);
}

void
singly_preview_page_previous (SinglyPreviewPage *self)
{
  g_return_if_fail (SINGLY_IS_PREVIEW_PAGE (self));
  if (singly_preview_page_can_go_previous (self))
    singly_preview_page_set_row (self, self->row - 1);
}

/**
 * singly_preview_page_find:
 * @text: part of a name or an address
 *
 * Goes to the next recipient (after the one shown, wrapping) that matches.
 *
 * Returns: whether one did
 */
gboolean
singly_preview_page_find (SinglyPreviewPage *self,
                          const char        *text)
{
  g_return_val_if_fail (SINGLY_IS_PREVIEW_PAGE (self), FALSE);
  return find_from (self, self->row + 1, text);
}

void
singly_preview_page_focus_search (SinglyPreviewPage *self)
{
  g_return_if_fail (SINGLY_IS_PREVIEW_PAGE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
singly_preview_page_set_show_source (SinglyPreviewPage *self,
                                     gboolean           show_source)
{
  g_return_if_fail (SINGLY_IS_PREVIEW_PAGE (self));
  gtk_toggle_button_set_active (self->source_button, show_source);
}

const char *
singly_preview_page_get_from_text (SinglyPreviewPage *self)
{
  g_return_val_if_fail (SINGLY_IS_PREVIEW_PAGE (self), NULL);
  return singly_message_view_get_from (self->message_view);
}

const char *
singly_preview_page_get_to_text (SinglyPreviewPage *self)
{
  g_return_val_if_fail (SINGLY_IS_PREVIEW_PAGE (self), NULL);
  return singly_message_view_get_to (self->message_view);
}

const char *
singly_preview_page_get_subject_text (SinglyPreviewPage *self)
{
  g_return_val_if_fail (SINGLY_IS_PREVIEW_PAGE (self), NULL);
  return singly_message_view_get_subject (self->message_view);
}

/**
 * singly_preview_page_dup_plain_text:
 *
 * Returns: (transfer full): the plain-text part shown
 */
char *
singly_preview_page_dup_plain_text (SinglyPreviewPage *self)
{
  g_return_val_if_fail (SINGLY_IS_PREVIEW_PAGE (self), NULL);
  return singly_message_view_dup_plain (self->message_view);
}

/**
 * singly_preview_page_get_html:
 *
 * Returns: (nullable): the HTML part shown
 */
const char *
singly_preview_page_get_html (SinglyPreviewPage *self)
{
  g_return_val_if_fail (SINGLY_IS_PREVIEW_PAGE (self), NULL);
  return singly_message_view_get_html (self->message_view);
}

/**
 * singly_preview_page_get_warnings:
 *
 * Returns: (transfer none): the warnings shown, of #GtkStringObject
 */
GListModel *
singly_preview_page_get_warnings (SinglyPreviewPage *self)
{
  g_return_val_if_fail (SINGLY_IS_PREVIEW_PAGE (self), NULL);
  return G_LIST_MODEL (self->warnings);
}

guint
singly_preview_page_get_n_attachments (SinglyPreviewPage *self)
{
  g_return_val_if_fail (SINGLY_IS_PREVIEW_PAGE (self), 0);
  return singly_message_view_get_n_attachments (self->message_view);
}

/**
 * singly_preview_page_send_test:
 *
 * Sends the message shown to the sender's own address (or saves it into
 * the folder of "Save to folder" as "test-….eml"), after asking for the
 * password if need be; a toast says how it went. The campaign's journal
 * knows nothing of it.
 */
void
singly_preview_page_send_test (SinglyPreviewPage *self)
{
  SinglyMessageBuilder *builder;
  GtkRoot *root;
  GtkWindow *window;
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglySecretSource) secret = NULL;
  TestSend *test;

  g_return_if_fail (SINGLY_IS_PREVIEW_PAGE (self));

  builder = singly_document_get_builder (self->document);
  if (builder == NULL || self->testing || self->row >= self->n_rows)
    return;

  test = g_new0 (TestSend, 1);
  test->message = singly_message_builder_build (builder, self->row, &error);
  if (test->message == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The test message was not sent: %s"), error->message);

      test_send_free (test);
      report_test (self, text);
      return;
    }
  test->self = g_object_ref (self);
  test->account = singly_account_copy (singly_document_get_account (self->document));
  set_testing (self, TRUE);

  root = gtk_widget_get_root (GTK_WIDGET (self));
  window = GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
  secret = singly_secret_prompt_lookup_now (window, test->account);
  if (secret == NULL && window == NULL)
    secret = singly_secret_source_new (test->account, NULL);
  if (secret != NULL)
    send_test_with (test, secret);
  else
    singly_secret_prompt_request (window, test->account, self->cancellable, test_secret_found_cb, test);
}

/**
 * singly_preview_page_get_testing:
 *
 * Returns: whether a test message is on its way
 */
gboolean
singly_preview_page_get_testing (SinglyPreviewPage *self)
{
  g_return_val_if_fail (SINGLY_IS_PREVIEW_PAGE (self), FALSE);
  return self->testing;
}

/**
 * singly_preview_page_get_test_result:
 *
 * Returns: (nullable): what the last test send's toast said
 */
const char *
singly_preview_page_get_test_result (SinglyPreviewPage *self)
{
  g_return_val_if_fail (SINGLY_IS_PREVIEW_PAGE (self), NULL);
  return self->test_result;
}
