/* test-app-preview.c: the Preview page in a real window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "singly-app-test.h"
#include "singly-test-server.h"
#include "singly-test-util.h"

static SinglyWindow *
open_campaign (const char *contacts_name,
               const char *template_path)
{
  SinglyWindow *window = singly_app_test_new_window ();
  g_autofree char *contacts = singly_app_test_sample_path (contacts_name);
  g_autoptr(SinglyAccount) folder = singly_account_new_folder ("/nonexistent", "Example Trading",
                                                              "office@example.org");

  singly_window_set_account (window, folder);
  singly_app_test_open_contacts (window, contacts);
  singly_app_test_open_template (window, template_path);
  SINGLY_WAIT_FOR (singly_document_get_builder (singly_window_get_document (window)) != NULL, 10000);
  singly_window_set_visible_page (window, "preview");
  return window;
}

static void
test_step (void)
{
  g_autofree char *invoice = singly_app_test_sample_path ("invoice.md");
  SinglyWindow *window = open_campaign ("contacts.csv", invoice);
  SinglyPreviewPage *page = singly_window_get_preview_page (window);
  g_autofree char *plain = NULL;

  g_assert_cmpuint (singly_preview_page_get_row (page), ==, 0);
  g_assert_cmpstr (singly_preview_page_get_from_text (page), ==, "Example Trading <office@example.org>");
  g_assert_nonnull (strstr (singly_preview_page_get_to_text (page), "alice.martin@example.com"));
  g_assert_cmpstr (singly_preview_page_get_subject_text (page), ==, "Your invoice from Example Trading (1250.00 EUR)");
  g_assert_nonnull (strstr (singly_preview_page_get_html (page), "<strong>Alice</strong>"));
  plain = singly_preview_page_dup_plain_text (page);
  g_assert_nonnull (strstr (plain, "Alice"));
  g_assert_cmpuint (singly_preview_page_get_n_attachments (page), ==, 1);
  singly_app_test_screenshot (GTK_WIDGET (window), "preview");

  /* through the window's actions, as the keyboard does */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (window), "win.preview-previous", NULL) &&
                  singly_preview_page_get_row (page) != 0);
  singly_app_test_activate (window, "win.preview-next");
  g_assert_cmpuint (singly_preview_page_get_row (page), ==, 1);
  g_assert_nonnull (strstr (singly_preview_page_get_to_text (page), "bob.oneil@example.org"));
  g_assert_cmpstr (singly_preview_page_get_subject_text (page), ==, "Your invoice from Example Trading (80.5 EUR)");

  singly_app_test_activate (window, "win.preview-next");
  singly_app_test_activate (window, "win.preview-next");
  g_assert_cmpuint (singly_preview_page_get_row (page), ==, 3);
  g_assert_nonnull (strstr (singly_preview_page_get_to_text (page), "juergen.gross@example.de"));
  g_assert_cmpstr (singly_preview_page_get_subject_text (page), ==, "Your invoice from Example Trading (12.00 EUR)");

  singly_app_test_activate (window, "win.preview-previous");
  g_assert_cmpuint (singly_preview_page_get_row (page), ==, 2);
  g_assert_nonnull (strstr (singly_preview_page_get_to_text (page), "chloe.dubois@example.fr"));

  /* the last row: "next" is off */
  singly_preview_page_set_row (page, 9);
  g_assert_nonnull (strstr (singly_preview_page_get_to_text (page), "olafur@example.is"));
  singly_app_test_iterate (50);
  g_assert_false (singly_preview_page_can_go_next (page));

  /* a search by name or address */
  g_assert_true (singly_preview_page_find (page, "wang"));
  g_assert_cmpuint (singly_preview_page_get_row (page), ==, 4);
  g_assert_nonnull (strstr (singly_preview_page_get_to_text (page), "wang.xiaoming@example.cn"));
  g_assert_true (singly_preview_page_find (page, "jónsson"));
  g_assert_cmpuint (singly_preview_page_get_row (page), ==, 9);
  g_assert_false (singly_preview_page_find (page, "nobody-at-all"));

  singly_preview_page_set_show_source (page, TRUE);
  singly_app_test_screenshot (GTK_WIDGET (window), "preview-source");
  singly_preview_page_set_show_source (page, FALSE);

  singly_app_test_close_window (window);
}

static void
test_warnings (void)
{
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *template = singly_app_test_write_tmp (tmpdir, "shout.html",
                                                        "Subject: FREE OFFER FOR YOU!!!\n"
                                                        "\n"
                                                        "<p>Dear {{first_name}}, click <a href=\"https://t.example/x\">here</a>"
                                                        "<img src=\"https://t.example/pixel.gif\"></p>\n");
  SinglyWindow *window = open_campaign ("contacts.csv", template);
  SinglyPreviewPage *page = singly_window_get_preview_page (window);
  GListModel *warnings = singly_preview_page_get_warnings (page);

  g_assert_cmpuint (g_list_model_get_n_items (warnings), >=, 2);
  for (guint i = 0; i < g_list_model_get_n_items (warnings); i++)
    {
      g_autoptr(GtkStringObject) warning = g_list_model_get_item (warnings, i);

      g_test_message ("warning: %s", gtk_string_object_get_string (warning));
    }
  singly_app_test_screenshot (GTK_WIDGET (window), "preview-warnings");

  singly_app_test_close_window (window);
  singly_test_rm_rf (tmpdir);
}

static void
test_not_sent (void)
{
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *contacts = singly_app_test_write_tmp (tmpdir, "some.csv",
                                                        "email,name\n"
                                                        "a@example.com,Ann\n"
                                                        "broken,Bert\n");
  g_autofree char *template = singly_app_test_write_tmp (tmpdir, "hi.txt", "Subject: Hi {{name}}\n\nHello {{name}}\n");
  SinglyWindow *window = singly_app_test_new_window ();
  SinglyPreviewPage *page = singly_window_get_preview_page (window);

  singly_app_test_open_contacts (window, contacts);
  singly_app_test_open_template (window, template);
  SINGLY_WAIT_FOR (singly_document_get_builder (singly_window_get_document (window)) != NULL, 10000);
  singly_window_set_visible_page (window, "preview");
  singly_preview_page_set_row (page, 1);
  g_assert_cmpuint (singly_preview_page_get_row (page), ==, 1);
  singly_app_test_screenshot (GTK_WIDGET (window), "preview-not-sent");

  singly_app_test_close_window (window);
  singly_test_rm_rf (tmpdir);
}

static void
test_nothing (void)
{
  SinglyWindow *window = singly_app_test_new_window ();

  singly_window_set_visible_page (window, "preview");
  g_assert_false (singly_preview_page_can_go_next (singly_window_get_preview_page (window)));
  singly_app_test_screenshot (GTK_WIDGET (window), "preview-empty");
  singly_app_test_close_window (window);
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
test_send_test (void)
{
  g_autoptr(SinglyTestServer) server = singly_test_server_start_aiosmtpd (NULL, NULL);
  g_autoptr(SinglyAccount) account = singly_account_new_smtp ("127.0.0.1", singly_test_server_get_port (server),
                                                              SINGLY_SECURITY_NONE, "Example Trading",
                                                              "tester@example.org");
  g_autofree char *invoice = singly_app_test_sample_path ("invoice.md");
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *out = g_build_filename (tmpdir, "out", NULL);
  g_autofree char *journal = NULL;
  g_autofree char *eml = NULL;
  g_autofree char *envelope = NULL;
  g_autofree char *saved = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  SinglyWindow *window = open_campaign ("contacts.csv", invoice);
  SinglyPreviewPage *page = singly_window_get_preview_page (window);
  g_autoptr(SinglyAccount) folder = singly_account_new_folder (out, "Example Trading", "tester@example.org");

  singly_window_set_account (window, account);
  singly_preview_page_set_row (page, 1);
  g_assert_nonnull (strstr (singly_preview_page_get_to_text (page), "bob.oneil@example.org"));

  singly_app_test_activate (window, "win.send-test");
  g_assert_true (singly_preview_page_get_testing (page));
  /* one at a time */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (window), "win.send-test", NULL) &&
                  !singly_preview_page_get_testing (page));
  SINGLY_WAIT_FOR (!singly_preview_page_get_testing (page), 20000);
  g_assert_cmpstr (singly_preview_page_get_test_result (page), ==, "Test message sent to tester@example.org");
  singly_app_test_screenshot (GTK_WIDGET (window), "preview-test-sent");

  /* Bob's message, to the sender alone */
  messages = singly_test_server_list_messages (server);
  g_assert_cmpuint (messages->len, ==, 1);
  eml = read_text (messages->pdata[0]);
  g_assert_nonnull (strstr (eml, "\r\nTo: Example Trading <tester@example.org>\r\n"));
  g_assert_nonnull (strstr (eml, "\r\nSubject: [Test] Your invoice from Example Trading (80.5 EUR)\r\n"));
  g_assert_null (strstr (eml, "bob.oneil@example.org"));
  g_assert_null (strstr (eml, "\r\nCc:"));
  {
    g_autofree char *json = g_strdup_printf ("%.*s.json", (int) strlen (messages->pdata[0]) - 4,
                                             (char *) messages->pdata[0]);

    envelope = read_text (json);
  }
  g_assert_nonnull (strstr (envelope, "\"mail_from\": \"tester@example.org\""));
  g_assert_nonnull (strstr (envelope, "\"rcpt_tos\": [\"tester@example.org\"]"));

  /* a test is not part of the campaign: no journal says anything was sent */
  journal = singly_send_page_dup_journal_path (singly_window_get_send_page (window));
  g_assert_nonnull (journal);
  g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));

  /* "Save to folder" saves the test beside where the messages go */
  singly_window_set_account (window, folder);
  singly_app_test_activate (window, "win.send-test");
  SINGLY_WAIT_FOR (!singly_preview_page_get_testing (page), 20000);
  g_assert_cmpstr (singly_preview_page_get_test_result (page), ==,
                   "Test message saved as test-00002-bob.oneil@example.org.eml");
  saved = g_build_filename (out, "test-00002-bob.oneil@example.org.eml", NULL);
  g_assert_true (g_file_test (saved, G_FILE_TEST_IS_REGULAR));
  g_clear_pointer (&journal, g_free);
  journal = singly_send_page_dup_journal_path (singly_window_get_send_page (window));
  g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
  singly_app_test_screenshot (GTK_WIDGET (window), "preview-test-saved");

  singly_app_test_close_window (window);
  singly_test_rm_rf (tmpdir);
}

int
main (int    argc,
      char **argv)
{
  singly_app_test_init (&argc, &argv);

  g_test_add_func ("/app/preview/step", test_step);
  g_test_add_func ("/app/preview/warnings", test_warnings);
  g_test_add_func ("/app/preview/not-sent", test_not_sent);
  g_test_add_func ("/app/preview/nothing", test_nothing);
  g_test_add_func ("/app/preview/send-test", test_send_test);

  return g_test_run ();
}
