/* test-app-tour.c: every page, dialog and sending state, in one language
 *
 * Run once in English and once in Chinese (SINGLY_TEST_LOCALE=zh_CN.UTF-8,
 * the catalogue from the build tree): a person looks at the screenshots,
 * tour-LANG-*.png, for untranslated or cut-off text. What a program can
 * check is checked here: the window speaks the language, and each state is
 * reached.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "singly-app-test.h"
#include "singly-test-server.h"
#include "singly-test-util.h"

#define SENDER "office@example.org"

static const char *lang;

static void
shot (GtkWidget  *widget,
      const char *what)
{
  g_autofree char *name = g_strdup_printf ("tour-%s-%s", lang, what);

  singly_app_test_screenshot (widget, name);
}

/* The dialog shown now, screenshotted, then answered */
static void
answer_dialog (const char *what,
               const char *response)
{
  AdwMessageDialog *dialog;

  SINGLY_WAIT_FOR ((dialog = singly_app_test_find_dialog ()) != NULL, 10000);
  shot (GTK_WIDGET (dialog), what);
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static SinglyWindow *
open_samples (const SinglyAccount *account)
{
  SinglyWindow *window = singly_app_test_new_window ();
  g_autofree char *contacts = singly_app_test_sample_path ("contacts.csv");
  g_autofree char *invoice = singly_app_test_sample_path ("invoice.md");

  if (account != NULL)
    singly_window_set_account (window, account);
  singly_app_test_open_contacts (window, contacts);
  singly_app_test_open_template (window, invoice);
  SINGLY_WAIT_FOR (singly_document_get_builder (singly_window_get_document (window)) != NULL, 10000);
  return window;
}

static void
test_language (void)
{
  /* the catalogue is found and used: a string every window shows */
  if (g_str_equal (lang, "zh_CN"))
    g_assert_cmpstr (_("Contacts"), ==, "联系人");
  else
    g_assert_cmpstr (_("Contacts"), ==, "Contacts");
}

static void
test_pages (void)
{
  SinglyWindow *window = singly_app_test_new_window ();
  g_autofree char *gbk = singly_app_test_sample_path ("contacts-excel-gbk.csv");
  g_autofree char *contacts = singly_app_test_sample_path ("contacts.csv");
  g_autofree char *invoice = singly_app_test_sample_path ("invoice.md");
  g_auto(GStrv) diagnostics = NULL;
  SinglyTemplatePage *template_page = singly_window_get_template_page (window);
  SinglyPreviewPage *preview = singly_window_get_preview_page (window);
  GtkTextIter end;

  shot (GTK_WIDGET (window), "start");

  singly_app_test_open_contacts (window, gbk);
  singly_window_set_visible_page (window, "contacts");
  g_assert_cmpuint (g_list_model_get_n_items (singly_contacts_page_get_contact_model (singly_window_get_contacts_page (window))),
                    >, 0);
  shot (GTK_WIDGET (window), "contacts");

  /* the template's fields are the English sample's */
  singly_app_test_open_contacts (window, contacts);
  singly_app_test_open_template (window, invoice);
  singly_window_set_visible_page (window, "template");
  shot (GTK_WIDGET (window), "template");

  /* a mistake while typing: the error under the editor, in this language */
  gtk_text_buffer_get_end_iter (GTK_TEXT_BUFFER (singly_template_page_get_buffer (template_page)), &end);
  gtk_text_buffer_insert (GTK_TEXT_BUFFER (singly_template_page_get_buffer (template_page)), &end,
                          "\n{{frist_name}}\n", -1);
  singly_template_page_compile_now (template_page);
  diagnostics = singly_template_page_dup_diagnostics (template_page);
  g_assert_cmpuint (g_strv_length (diagnostics), ==, 1);
  g_test_message ("%s", diagnostics[0]);
  g_assert_nonnull (strstr (diagnostics[0], "first_name"));
  shot (GTK_WIDGET (window), "template-error");
  gtk_text_buffer_get_end_iter (GTK_TEXT_BUFFER (singly_template_page_get_buffer (template_page)), &end);
  {
    GtkTextIter start = end;

    gtk_text_iter_backward_chars (&start, strlen ("\n{{frist_name}}\n"));
    gtk_text_buffer_delete (GTK_TEXT_BUFFER (singly_template_page_get_buffer (template_page)), &start, &end);
  }
  singly_template_page_compile_now (template_page);
  SINGLY_WAIT_FOR (singly_document_get_builder (singly_window_get_document (window)) != NULL, 10000);

  singly_window_set_visible_page (window, "preview");
  singly_preview_page_set_row (preview, 1);
  shot (GTK_WIDGET (window), "preview");
  singly_preview_page_set_show_source (preview, TRUE);
  shot (GTK_WIDGET (window), "preview-source");
  singly_preview_page_set_show_source (preview, FALSE);

  singly_window_set_visible_page (window, "send");
  shot (GTK_WIDGET (window), "send-ready");

  singly_app_test_close_window (window);
}

static void
test_sending (void)
{
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *out = g_build_filename (tmpdir, "out", NULL);
  g_autoptr(SinglyAccount) account = singly_account_new_folder (out, "Example Trading", SENDER);
  SinglyWindow *window;
  SinglySendPage *page;

  /* slow enough to be caught sending and paused */
  account->pacing.interval = 0.3;
  window = open_samples (account);
  page = singly_window_get_send_page (window);
  singly_window_set_visible_page (window, "send");

  singly_app_test_activate (window, "win.send");
  answer_dialog ("send-confirm", "send");
  SINGLY_WAIT_FOR (singly_send_job_count (singly_send_page_get_job (page), SINGLY_RECIPIENT_SENT) >= 2, 20000);
  singly_app_test_activate (window, "win.pause");
  g_assert_cmpint (singly_send_page_get_state (page), ==, SINGLY_SEND_PAGE_PAUSED);
  shot (GTK_WIDGET (window), "send-paused");

  /* closing while a send is paused asks first */
  gtk_window_close (GTK_WINDOW (window));
  answer_dialog ("close-while-sending", "cancel");

  singly_app_test_activate (window, "win.resume");
  g_assert_cmpint (singly_send_page_get_state (page), ==, SINGLY_SEND_PAGE_RUNNING);
  shot (GTK_WIDGET (window), "send-running");
  SINGLY_WAIT_FOR (singly_send_page_get_state (page) == SINGLY_SEND_PAGE_FINISHED, 60000);
  singly_app_test_iterate (100);
  shot (GTK_WIDGET (window), "send-finished");

  singly_app_test_close_window (window);
}

static void
test_failures (void)
{
  g_autoptr(SinglyTestServer) server = singly_test_server_start_aiosmtpd ("--refuse", "bob.oneil@example.org", NULL);
  g_autoptr(SinglyAccount) account = NULL;
  SinglyWindow *window;
  SinglySendPage *page;

  account = singly_account_new_smtp ("127.0.0.1", singly_test_server_get_port (server), SINGLY_SECURITY_NONE,
                                     "Example Trading", SENDER);
  window = open_samples (account);
  page = singly_window_get_send_page (window);
  singly_window_set_visible_page (window, "send");

  singly_app_test_activate (window, "win.send");
  answer_dialog ("send-confirm-smtp", "send");
  SINGLY_WAIT_FOR (singly_send_page_get_state (page) == SINGLY_SEND_PAGE_FINISHED, 60000);
  singly_app_test_iterate (100);
  g_assert_true (singly_send_page_has_failed (page));
  shot (GTK_WIDGET (window), "send-failed");

  singly_send_page_set_filter (page, SINGLY_RECIPIENT_FAILED);
  SINGLY_WAIT_FOR (g_list_model_get_n_items (singly_send_page_get_filtered (page)) == 1, 10000);
  shot (GTK_WIDGET (window), "send-failed-filter");
  singly_send_page_set_filter (page, -1);

  singly_app_test_close_window (window);
}

/* The dark style, as libadwaita gives it: nothing of Singly's own may
 * stay light */
static void
test_dark (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  SinglyWindow *window;

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  window = open_samples (NULL);
  g_assert_true (adw_style_manager_get_dark (style));
  singly_window_set_visible_page (window, "preview");
  shot (GTK_WIDGET (window), "dark-preview");
  singly_window_set_visible_page (window, "template");
  shot (GTK_WIDGET (window), "dark-template");
  singly_app_test_close_window (window);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

static void
test_windows (void)
{
  SinglyWindow *window = singly_app_test_new_window ();
  GtkWindow *about = NULL;
  g_autoptr(GListModel) toplevels = NULL;

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (singly_app_test_get_application ()), "about"));
  g_action_group_activate_action (G_ACTION_GROUP (singly_app_test_get_application ()), "about", NULL);
  toplevels = g_object_ref (gtk_window_get_toplevels ());
  SINGLY_WAIT_FOR (({
    for (guint i = 0; i < g_list_model_get_n_items (toplevels) && about == NULL; i++)
      {
        g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

        if (ADW_IS_ABOUT_WINDOW (toplevel))
          about = GTK_WINDOW (toplevel);
      }
    about != NULL; }), 10000);
  SINGLY_WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (about)), 10000);
  shot (GTK_WIDGET (about), "about");
  gtk_window_destroy (about);

  /* the keyboard shortcuts, every one of them named */
  singly_app_test_activate (window, "win.show-help-overlay");
  {
    GtkWindow *shortcuts = NULL;

    SINGLY_WAIT_FOR (({
      for (guint i = 0; i < g_list_model_get_n_items (toplevels) && shortcuts == NULL; i++)
        {
          g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

          if (GTK_IS_SHORTCUTS_WINDOW (toplevel) && gtk_widget_get_mapped (GTK_WIDGET (toplevel)))
            shortcuts = GTK_WINDOW (toplevel);
        }
      shortcuts != NULL; }), 10000);
    shot (GTK_WIDGET (shortcuts), "shortcuts");
    gtk_window_close (shortcuts);
  }

  singly_app_test_close_window (window);
}

int
main (int    argc,
      char **argv)
{
  const char *locale = g_getenv ("SINGLY_TEST_LOCALE");

  lang = locale != NULL && g_str_has_prefix (locale, "zh_CN") ? "zh_CN" : "en";
  singly_app_test_init (&argc, &argv);

  g_test_add_func ("/tour/language", test_language);
  g_test_add_func ("/tour/pages", test_pages);
  g_test_add_func ("/tour/sending", test_sending);
  g_test_add_func ("/tour/failures", test_failures);
  g_test_add_func ("/tour/dark", test_dark);
  g_test_add_func ("/tour/windows", test_windows);
  return g_test_run ();
}
