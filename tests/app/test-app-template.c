/* test-app-template.c: the Template page in a real window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "singly-app-test.h"
#include "singly-field-proposal.h"
#include "singly-field-provider.h"
#include "singly-test-util.h"

static void
set_body (SinglyTemplatePage *page,
          const char         *text)
{
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (singly_template_page_get_buffer (page)), text, -1);
  singly_template_page_compile_now (page);
}

static void
test_open_markdown (void)
{
  SinglyWindow *window = singly_app_test_new_window ();
  SinglyTemplatePage *page = singly_window_get_template_page (window);
  SinglyDocument *document = singly_window_get_document (window);
  g_autofree char *contacts = singly_app_test_sample_path ("contacts.csv");
  g_autofree char *invoice = singly_app_test_sample_path ("invoice.md");
  g_autofree char *attach = NULL;
  g_auto(GStrv) diagnostics = NULL;
  GtkSourceLanguage *language;

  singly_window_set_visible_page (window, "template");
  singly_app_test_screenshot (GTK_WIDGET (window), "template-empty");

  singly_app_test_open_contacts (window, contacts);
  singly_app_test_open_template (window, invoice);
  g_assert_cmpstr (singly_window_get_visible_page (window), ==, "template");
  g_assert_true (singly_template_page_get_has_template (page));
  g_assert_false (singly_template_page_get_modified (page));
  g_assert_cmpint (singly_template_page_get_format (page), ==, SINGLY_BODY_MARKDOWN);

  /* Subject: to the entry, the other headers to their rows */
  g_assert_cmpstr (gtk_editable_get_text (singly_template_page_get_subject (page)), ==,
                   "Your invoice from Example Trading ({{amount}} EUR)");
  attach = singly_template_page_dup_header (page, "Attach");
  g_assert_cmpstr (attach, ==, "invoices/{{last_name}}.pdf");

  language = gtk_source_buffer_get_language (singly_template_page_get_buffer (page));
  g_assert_nonnull (language);
  g_assert_cmpstr (gtk_source_language_get_id (language), ==, "singly-template");

  diagnostics = singly_template_page_dup_diagnostics (page);
  g_assert_cmpuint (g_strv_length (diagnostics), ==, 0);
  g_assert_nonnull (singly_document_get_template (document));
  g_assert_nonnull (singly_document_get_builder (document));

  singly_app_test_screenshot (GTK_WIDGET (window), "template");
  singly_app_test_close_window (window);
}

static void
test_unknown_field (void)
{
  SinglyWindow *window = singly_app_test_new_window ();
  SinglyTemplatePage *page = singly_window_get_template_page (window);
  SinglyDocument *document = singly_window_get_document (window);
  g_autofree char *contacts = singly_app_test_sample_path ("contacts.csv");
  g_autofree char *invitation = singly_app_test_sample_path ("invitation.txt");
  g_auto(GStrv) diagnostics = NULL;
  g_auto(GStrv) fixed = NULL;

  singly_app_test_open_contacts (window, contacts);
  singly_app_test_open_template (window, invitation);
  g_assert_nonnull (singly_document_get_builder (document));

  /* a typo a line into the body: where, what, and the likely column */
  set_body (page, "Dear all,\nHello {{frist_name}}, from {{company}}.\n");
  g_assert_true (singly_template_page_get_modified (page));
  diagnostics = singly_template_page_dup_diagnostics (page);
  g_assert_cmpuint (g_strv_length (diagnostics), ==, 1);
  g_test_message ("%s", diagnostics[0]);
  g_assert_true (g_str_has_prefix (diagnostics[0], "Line 2, column 7: "));
  g_assert_nonnull (strstr (diagnostics[0], "frist_name"));
  g_assert_nonnull (strstr (diagnostics[0], "first_name"));
  /* nothing can be sent meanwhile */
  g_assert_null (singly_document_get_builder (document));
  g_assert_nonnull (singly_document_get_builder_error (document));
  singly_app_test_screenshot (GTK_WIDGET (window), "template-error");

  /* an unclosed section */
  set_body (page, "{{#note}}A note\n");
  g_clear_pointer (&diagnostics, g_strfreev);
  diagnostics = singly_template_page_dup_diagnostics (page);
  g_assert_cmpuint (g_strv_length (diagnostics), ==, 1);
  g_test_message ("%s", diagnostics[0]);
  g_assert_true (g_str_has_prefix (diagnostics[0], "Line 1, "));

  /* a field in the subject is reported as the subject's */
  set_body (page, "Fine\n");
  gtk_editable_set_text (singly_template_page_get_subject (page), "Hi {{nmae}}");
  singly_template_page_compile_now (page);
  g_clear_pointer (&diagnostics, g_strfreev);
  diagnostics = singly_template_page_dup_diagnostics (page);
  g_assert_cmpuint (g_strv_length (diagnostics), ==, 1);
  g_test_message ("%s", diagnostics[0]);
  g_assert_true (g_str_has_prefix (diagnostics[0], "Subject: "));

  /* fixed: the builder is back */
  gtk_editable_set_text (singly_template_page_get_subject (page), "Hi {{first_name}}");
  singly_template_page_compile_now (page);
  fixed = singly_template_page_dup_diagnostics (page);
  g_assert_cmpuint (g_strv_length (fixed), ==, 0);
  g_assert_nonnull (singly_document_get_builder (document));

  singly_app_test_close_window (window);
}

static void
test_edit_and_save (void)
{
  SinglyWindow *window = singly_app_test_new_window ();
  SinglyTemplatePage *page = singly_window_get_template_page (window);
  SinglyDocument *document = singly_window_get_document (window);
  g_autofree char *contacts = singly_app_test_sample_path ("contacts.csv");
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *path = g_build_filename (tmpdir, "letter.html", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *saved = NULL;
  g_autoptr(GError) error = NULL;

  singly_app_test_open_contacts (window, contacts);
  singly_app_test_activate (window, "win.new-template");
  g_assert_true (singly_template_page_get_has_template (page));
  g_assert_cmpstr (singly_window_get_visible_page (window), ==, "template");

  gtk_editable_set_text (singly_template_page_get_subject (page), "News for {{company}}");
  singly_template_page_set_format (page, SINGLY_BODY_HTML);
  set_body (page, "<p>Hello ");
  /* "Insert field" goes where the user types: the subject, then the body */
  singly_template_page_insert_field (page, "title");
  g_assert_cmpstr (gtk_editable_get_text (singly_template_page_get_subject (page)), ==, "{{title}}News for {{company}}");
  gtk_editable_set_text (singly_template_page_get_subject (page), "News for {{company}}");
  singly_template_page_focus_body (page);
  {
    GtkTextIter end;

    gtk_text_buffer_get_end_iter (GTK_TEXT_BUFFER (singly_template_page_get_buffer (page)), &end);
    gtk_text_buffer_place_cursor (GTK_TEXT_BUFFER (singly_template_page_get_buffer (page)), &end);
  }
  singly_template_page_insert_field (page, "first_name");
  singly_template_page_set_header (page, "Reply-To", "news@example.org");
  singly_template_page_compile_now (page);
  g_assert_nonnull (singly_document_get_builder (document));

  singly_template_page_save (page, file);
  g_assert_false (singly_template_page_get_modified (page));
  g_assert_true (g_file_equal (singly_document_get_template_file (document), file));
  g_file_get_contents (path, &saved, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (saved, ==,
                   "Subject: News for {{company}}\n"
                   "Reply-To: news@example.org\n"
                   "\n"
                   "<p>Hello {{first_name}}");

  /* the saved file reads back the same */
  singly_app_test_open_template (window, path);
  g_assert_cmpint (singly_template_page_get_format (page), ==, SINGLY_BODY_HTML);
  g_assert_cmpstr (gtk_editable_get_text (singly_template_page_get_subject (page)), ==, "News for {{company}}");
  g_free (saved);
  saved = singly_template_page_dup_header (page, "Reply-To");
  g_assert_cmpstr (saved, ==, "news@example.org");

  singly_app_test_close_window (window);
  singly_test_rm_rf (tmpdir);
}

static void
test_eml (void)
{
  SinglyWindow *window = singly_app_test_new_window ();
  SinglyTemplatePage *page = singly_window_get_template_page (window);
  SinglyDocument *document = singly_window_get_document (window);
  g_autofree char *contacts = singly_app_test_sample_path ("contacts.csv");
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *path = singly_app_test_write_tmp (tmpdir, "saved.eml",
                                                    "From: Someone <someone@example.net>\n"
                                                    "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=, {{first_name}}\n"
                                                    "Cc: boss@example.org\n"
                                                    "MIME-Version: 1.0\n"
                                                    "Content-Type: text/plain; charset=utf-8\n"
                                                    "Content-Transfer-Encoding: 8bit\n"
                                                    "\n"
                                                    "Hello {{first_name}}\n");
  g_autofree char *text = NULL;
  g_autofree char *cc = NULL;

  singly_app_test_open_contacts (window, contacts);
  singly_app_test_open_template (window, path);
  g_assert_cmpint (singly_template_page_get_format (page), ==, SINGLY_BODY_EML);
  /* the subject decoded for the entry; Cc shown; the structure kept out of sight */
  g_assert_cmpstr (gtk_editable_get_text (singly_template_page_get_subject (page)), ==, "Grüße, {{first_name}}");
  cc = singly_template_page_dup_header (page, "Cc");
  g_assert_cmpstr (cc, ==, "boss@example.org");
  text = singly_template_page_dup_text (page);
  g_assert_nonnull (strstr (text, "Content-Type: text/plain; charset=utf-8\n"));
  g_assert_nonnull (strstr (text, "MIME-Version: 1.0\n"));
  g_assert_true (g_str_has_suffix (text, "\n\nHello {{first_name}}\n"));
  SINGLY_WAIT_FOR (singly_document_get_builder (document) != NULL, 5000);

  singly_app_test_screenshot (GTK_WIDGET (window), "template-eml");
  singly_app_test_close_window (window);
  singly_test_rm_rf (tmpdir);
}

static void
test_completion (void)
{
  SinglyWindow *window = singly_app_test_new_window ();
  g_autofree char *contacts = singly_app_test_sample_path ("contacts.csv");
  g_autoptr(SinglyFieldProvider) provider = singly_field_provider_new ();
  g_autoptr(GtkTextBuffer) buffer = gtk_text_buffer_new (NULL);
  static const struct
  {
    const char *text;
    int         offset;
    gboolean    field;
    char        opener;
  } cases[] = {
    { "Dear {{", 7, TRUE, 0 },
    { "Dear {{fir", 7, TRUE, 0 },
    { "{{#", 3, TRUE, '#' },
    { "{{/", 3, TRUE, '/' },
    { "{{{", 3, TRUE, '{' },
    { "Dear {", 6, FALSE, 0 },
    { "Dear ", 5, FALSE, 0 },
    { "{{", 2, TRUE, 0 },
  };
  GListModel *fields;

  singly_app_test_open_contacts (window, contacts);
  singly_field_provider_set_contacts (provider, singly_document_get_contacts (singly_window_get_document (window)));
  fields = singly_field_provider_get_fields (provider);
  g_assert_cmpuint (g_list_model_get_n_items (fields), ==, 6);
  {
    g_autoptr(SinglyFieldProposal) first = g_list_model_get_item (fields, 1);

    g_assert_cmpstr (singly_field_proposal_get_name (first), ==, "first_name");
    g_assert_cmpstr (singly_field_proposal_get_example (first), ==, "Alice");
  }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GtkTextIter iter;
      char opener = 'x';

      gtk_text_buffer_set_text (buffer, cases[i].text, -1);
      gtk_text_buffer_get_iter_at_offset (buffer, &iter, cases[i].offset);
      g_assert_cmpint (singly_field_provider_is_field_start (&iter, &opener), ==, cases[i].field);
      g_assert_cmpint (opener, ==, cases[i].opener);
    }

  singly_app_test_close_window (window);
}

/* The names the completion popup shows, in order */
static GPtrArray *
shown_proposals (GtkWidget *view)
{
  g_autoptr(GPtrArray) cells = singly_app_test_find_widgets (view, GTK_SOURCE_TYPE_COMPLETION_CELL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < cells->len; i++)
    {
      GtkSourceCompletionCell *cell = cells->pdata[i];
      GtkWidget *child = gtk_source_completion_cell_get_widget (cell);

      /* the list keeps rows it does not show */
      if (gtk_source_completion_cell_get_column (cell) != GTK_SOURCE_COMPLETION_COLUMN_TYPED_TEXT ||
          !gtk_widget_is_drawable (GTK_WIDGET (cell)) || !GTK_IS_LABEL (child))
        continue;
      if (*gtk_label_get_text (GTK_LABEL (child)) != '\0')
        g_ptr_array_add (names, g_strdup (gtk_label_get_text (GTK_LABEL (child))));
    }
  return names;
}

static GPtrArray *
refresh_proposals (GPtrArray **names,
                   GtkWidget  *view)
{
  g_clear_pointer (names, g_ptr_array_unref);
  *names = shown_proposals (view);
  return *names;
}

/* Types @text into the body, asks for completion at its end, and waits
 * for the popup to show @n_expected proposals */
static GPtrArray *
complete (SinglyTemplatePage *page,
          GtkWidget          *view,
          const char         *text,
          guint               n_expected)
{
  GtkSourceCompletion *completion = gtk_source_view_get_completion (GTK_SOURCE_VIEW (view));
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (singly_template_page_get_buffer (page));
  GtkTextIter end;
  GPtrArray *names = NULL;

  gtk_source_completion_hide (completion);
  singly_app_test_iterate (50);
  gtk_text_buffer_set_text (buffer, text, -1);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_place_cursor (buffer, &end);
  gtk_widget_grab_focus (view);
  gtk_source_completion_show (completion);
  SINGLY_WAIT_FOR (refresh_proposals (&names, view)->len == n_expected, 10000);
  return names;
}

static void
test_completion_popup (void)
{
  SinglyWindow *window = singly_app_test_new_window ();
  SinglyTemplatePage *page = singly_window_get_template_page (window);
  g_autofree char *contacts = singly_app_test_sample_path ("contacts.csv");
  g_autofree char *invitation = singly_app_test_sample_path ("invitation.txt");
  g_autoptr(GPtrArray) views = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GPtrArray) popovers = NULL;
  GtkWidget *view;

  singly_app_test_open_contacts (window, contacts);
  singly_app_test_open_template (window, invitation);
  views = singly_app_test_find_widgets (GTK_WIDGET (page), GTK_SOURCE_TYPE_VIEW);
  g_assert_cmpuint (views->len, ==, 1);
  view = views->pdata[0];

  /* after "{{", the columns whose names hold what was typed */
  names = complete (page, view, "Dear {{fir", 1);
  g_assert_cmpstr (names->pdata[0], ==, "first_name");
  g_clear_pointer (&names, g_ptr_array_unref);

  names = complete (page, view, "Hello {{NA", 2);
  g_assert_cmpstr (names->pdata[0], ==, "first_name");
  g_assert_cmpstr (names->pdata[1], ==, "last_name");
  g_clear_pointer (&names, g_ptr_array_unref);
  /* the popup is a surface of its own: shot on its own */
  popovers = singly_app_test_find_widgets (view, GTK_TYPE_POPOVER);
  for (guint i = 0; i < popovers->len; i++)
    if (gtk_widget_get_visible (popovers->pdata[i]))
      singly_app_test_screenshot (popovers->pdata[i], "template-completion");

  /* a section's opener is completed too */
  names = complete (page, view, "{{#no", 1);
  g_assert_cmpstr (names->pdata[0], ==, "note");


  gtk_source_completion_hide (gtk_source_view_get_completion (GTK_SOURCE_VIEW (view)));
  singly_app_test_close_window (window);
}

static void
test_window_actions (void)
{
  SinglyWindow *window = singly_app_test_new_window ();
  GtkApplication *app = GTK_APPLICATION (singly_app_test_get_application ());
  static const struct
  {
    const char *accel;
    const char *action;
  } accels[] = {
    { "<Control>o", "win.open-contacts" },
    { "<Control><Shift>o", "win.open-template" },
    { "<Control>s", "win.save-template" },
    { "<Alt>Right", "win.preview-next" },
    { "<Alt>Left", "win.preview-previous" },
    { "<Control>Return", "win.send" },
    { "<Alt>3", "win.show-page::preview" },
  };
  g_autoptr(GListModel) toplevels = NULL;
  gboolean about = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    {
      g_auto(GStrv) actions = gtk_application_get_actions_for_accel (app, accels[i].accel);

      g_assert_true (g_strv_contains ((const char * const *) actions, accels[i].action));
    }

  /* pages by action, as Alt+1…4 do */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "send"));
  g_assert_cmpstr (singly_window_get_visible_page (window), ==, "send");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "contacts"));
  g_assert_cmpstr (singly_window_get_visible_page (window), ==, "contacts");

  /* nothing to send, save or step through yet */
  g_assert_false (singly_send_page_can_send (singly_window_get_send_page (window)));
  g_assert_false (singly_preview_page_can_go_next (singly_window_get_preview_page (window)));

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  toplevels = g_object_ref (gtk_window_get_toplevels ());
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_ABOUT_WINDOW (toplevel))
        {
          about = TRUE;
          singly_app_test_screenshot (GTK_WIDGET (toplevel), "about");
          gtk_window_destroy (toplevel);
          break;
        }
    }
  g_assert_true (about);

  singly_app_test_close_window (window);
}

int
main (int    argc,
      char **argv)
{
  singly_app_test_init (&argc, &argv);

  g_test_add_func ("/app/template/open-markdown", test_open_markdown);
  g_test_add_func ("/app/template/unknown-field", test_unknown_field);
  g_test_add_func ("/app/template/edit-and-save", test_edit_and_save);
  g_test_add_func ("/app/template/eml", test_eml);
  g_test_add_func ("/app/template/completion", test_completion);
  g_test_add_func ("/app/template/completion-popup", test_completion_popup);
  g_test_add_func ("/app/window/actions", test_window_actions);

  return g_test_run ();
}
