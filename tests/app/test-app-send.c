/* test-app-send.c: the Send page in a real window, to real servers
 *
 * Postfix's smtp-sink and aiosmtpd, started on 127.0.0.1 by the tests;
 * and "Save to folder". Journals go to the temporary home the wrapper
 * makes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "singly-app-test.h"
#include "singly-send-item.h"
#include "singly-test-server.h"
#include "singly-test-util.h"
#include "singly-util.h"

#define SENDER "office@example.org"

static SinglyWindow *
open_campaign (const SinglyAccount *account)
{
  SinglyWindow *window = singly_app_test_new_window ();
  g_autofree char *contacts = singly_app_test_sample_path ("contacts.csv");
  g_autofree char *invoice = singly_app_test_sample_path ("invoice.md");

  singly_window_set_account (window, account);
  singly_app_test_open_contacts (window, contacts);
  singly_app_test_open_template (window, invoice);
  SINGLY_WAIT_FOR (singly_document_get_builder (singly_window_get_document (window)) != NULL, 10000);
  singly_window_set_visible_page (window, "send");
  return window;
}

/* "Send": the confirmation, answered */
static void
send_confirmed (SinglyWindow *window,
                const char   *expected_body)
{
  AdwMessageDialog *dialog;

  singly_app_test_activate (window, "win.send");
  dialog = singly_app_test_find_dialog ();
  g_assert_nonnull (dialog);
  g_test_message ("confirmation: %s", adw_message_dialog_get_body (dialog));
  if (expected_body != NULL)
    g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), expected_body));
  adw_message_dialog_response (dialog, "send");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
wait_finished (SinglyWindow *window)
{
  SinglySendPage *page = singly_window_get_send_page (window);

  SINGLY_WAIT_FOR (singly_send_page_get_state (page) == SINGLY_SEND_PAGE_FINISHED, 60000);
  /* the last batch of rows reaches the table */
  singly_app_test_iterate (100);
}

static guint
count_items (GListModel           *model,
             SinglyRecipientState  state)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SinglySendItem) item = g_list_model_get_item (model, i);

      n += singly_send_item_get_state (item) == state;
    }
  return n;
}

static guint
count_files (const char *dir,
             const char *suffix)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  if (handle == NULL)
    return 0;
  while ((name = g_dir_read_name (handle)) != NULL)
    n += g_str_has_suffix (name, suffix);
  return n;
}

static void
test_folder (void)
{
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *out = g_build_filename (tmpdir, "out", NULL);
  g_autoptr(SinglyAccount) account = singly_account_new_folder (out, "Example Trading", SENDER);
  SinglyWindow *window = open_campaign (account);
  SinglySendPage *page = singly_window_get_send_page (window);
  GListModel *model;
  AdwMessageDialog *dialog;

  g_assert_true (singly_send_page_can_send (page));
  singly_app_test_screenshot (GTK_WIDGET (window), "send-ready");

  send_confirmed (window, "Save 10 messages from " SENDER " as files into");
  g_assert_cmpint (singly_send_page_get_state (page), !=, SINGLY_SEND_PAGE_READY);
  /* nothing may change under the worker */
  g_assert_true (singly_document_get_busy (singly_window_get_document (window)) ||
                 singly_send_page_get_state (page) == SINGLY_SEND_PAGE_FINISHED);
  wait_finished (window);

  g_assert_false (singly_document_get_busy (singly_window_get_document (window)));
  g_assert_cmpuint (count_files (out, ".eml"), ==, 10);
  model = singly_send_page_get_model (page);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 10);
  g_assert_cmpuint (count_items (model, SINGLY_RECIPIENT_SENT), ==, 10);
  g_assert_cmpuint (singly_send_job_count (singly_send_page_get_job (page), SINGLY_RECIPIENT_SENT), ==, 10);
  /* the table's filter works in steps */
  SINGLY_WAIT_FOR (g_list_model_get_n_items (singly_send_page_get_filtered (page)) == 10, 5000);
  singly_app_test_screenshot (GTK_WIDGET (window), "send-folder");

  /* the same campaign again: the journal knows it was all sent */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.send", NULL));
  dialog = singly_app_test_find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Everything Was Sent");
  g_assert_true (adw_message_dialog_has_response (dialog, "close"));
  g_assert_false (adw_message_dialog_has_response (dialog, "send"));
  gtk_window_destroy (GTK_WINDOW (dialog));

  singly_app_test_close_window (window);
  singly_test_rm_rf (tmpdir);
}

static void
test_smtp_sink (void)
{
  g_autoptr(SinglyTestServer) server = singly_test_server_start_sink (NULL, NULL);
  g_autoptr(SinglyAccount) account = singly_account_new_smtp ("127.0.0.1", singly_test_server_get_port (server),
                                                              SINGLY_SECURITY_NONE, "Example Trading", SENDER);
  SinglyWindow *window = open_campaign (account);
  SinglySendPage *page = singly_window_get_send_page (window);
  GListModel *model;

  send_confirmed (window, "Send 10 messages from " SENDER " through 127.0.0.1");
  wait_finished (window);

  g_assert_null (singly_send_job_get_error (singly_send_page_get_job (page)));
  model = singly_send_page_get_model (page);
  g_assert_cmpuint (count_items (model, SINGLY_RECIPIENT_SENT), ==, 10);
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(SinglySendItem) item = g_list_model_get_item (model, i);

      g_assert_cmpstr (singly_send_item_state_label (singly_send_item_get_state (item)), ==, "Sent");
      g_assert_cmpuint (singly_send_item_get_code (item), ==, 250);
      g_assert_cmpstr (singly_send_item_state_style (singly_send_item_get_state (item)), ==, "success");
    }
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (window), "win.retry-failed", NULL) &&
                  singly_send_page_get_state (page) == SINGLY_SEND_PAGE_RUNNING);
  singly_app_test_screenshot (GTK_WIDGET (window), "send-smtp");

  singly_app_test_close_window (window);
}

static void
test_failed_and_retry (void)
{
  g_autoptr(SinglyTestServer) server = singly_test_server_start_aiosmtpd ("--refuse", "bob.oneil@example.org", NULL);
  /* each test its own sender, so each its own campaign journal */
  g_autoptr(SinglyAccount) account = singly_account_new_smtp ("127.0.0.1", singly_test_server_get_port (server),
                                                              SINGLY_SECURITY_NONE, "Example Trading", "retry@example.org");
  SinglyWindow *window = open_campaign (account);
  SinglySendPage *page = singly_window_get_send_page (window);
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *report_path = g_build_filename (tmpdir, "report.csv", NULL);
  g_autoptr(GFile) report = g_file_new_for_path (report_path);
  g_autofree char *report_text = NULL;
  g_autoptr(GError) error = NULL;
  SinglySendJob *first;
  GListModel *filtered;

  send_confirmed (window, NULL);
  wait_finished (window);
  first = singly_send_page_get_job (page);
  g_assert_cmpuint (singly_send_job_count (first, SINGLY_RECIPIENT_SENT), ==, 9);
  g_assert_cmpuint (singly_send_job_count (first, SINGLY_RECIPIENT_FAILED), ==, 1);
  g_assert_cmpuint (singly_test_server_count_messages (server), ==, 9);
  g_assert_true (singly_send_page_has_failed (page));

  /* the table shows the failed one alone when asked */
  filtered = singly_send_page_get_filtered (page);
  singly_send_page_set_filter (page, SINGLY_RECIPIENT_FAILED);
  SINGLY_WAIT_FOR (g_list_model_get_n_items (filtered) == 1, 5000);
  {
    g_autoptr(SinglySendItem) item = g_list_model_get_item (filtered, 0);

    g_assert_cmpstr (singly_send_item_get_address (item), ==, "bob.oneil@example.org");
    g_assert_cmpuint (singly_send_item_get_code (item), ==, 550);
    g_assert_cmpstr (singly_send_item_state_style (singly_send_item_get_state (item)), ==, "error");
  }
  singly_app_test_screenshot (GTK_WIDGET (window), "send-failed");
  singly_send_page_set_filter (page, -1);
  singly_send_page_set_search (page, "oneil");
  SINGLY_WAIT_FOR (g_list_model_get_n_items (filtered) == 1, 5000);
  singly_send_page_set_search (page, NULL);
  SINGLY_WAIT_FOR (g_list_model_get_n_items (filtered) == 10, 5000);

  g_assert_true (singly_window_export_report (window, report, &error));
  g_assert_no_error (error);
  g_file_get_contents (report_path, &report_text, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (report_text, "line,email,name,state,code,reply,message_id,time\r\n"));
  g_assert_nonnull (strstr (report_text, "bob.oneil@example.org,Bob O'Neil,failed,550,"));

  /* "Retry failed": a new job for that one recipient, the same journal */
  singly_app_test_activate (window, "win.retry-failed");
  g_assert_true (singly_send_page_get_job (page) != first);
  wait_finished (window);
  g_assert_cmpuint (singly_send_job_count (singly_send_page_get_job (page), SINGLY_RECIPIENT_SENT), ==, 9);
  g_assert_cmpuint (singly_send_job_count (singly_send_page_get_job (page), SINGLY_RECIPIENT_FAILED), ==, 1);
  /* the nine were not sent again */
  g_assert_cmpuint (singly_test_server_count_messages (server), ==, 9);

  singly_app_test_close_window (window);
  singly_test_rm_rf (tmpdir);
}

/* A journal as a crash would leave it: row 0 handed to the server, no reply */
static void
leave_unknown (const SinglyAccount *account)
{
  g_autofree char *contacts = singly_app_test_sample_path ("contacts.csv");
  g_autofree char *invoice = singly_app_test_sample_path ("invoice.md");
  g_autofree char *contacts_sum = singly_checksum_file (contacts, NULL);
  g_autofree char *template_sum = singly_checksum_file (invoice, NULL);
  g_autofree char *key = singly_util_journal_key (account);
  g_autofree char *path = singly_journal_default_path (contacts, invoice, key);
  g_autoptr(SinglyJournal) journal = NULL;
  g_autoptr(GError) error = NULL;
  SinglyJournalIdentity identity = {
    .contacts_checksum = contacts_sum,
    .template_checksum = template_sum,
    .sender = account->sender_address,
    .n_rows = 10,
  };

  journal = singly_journal_open (path, &identity, &error);
  g_assert_no_error (error);
  g_assert_true (singly_journal_record_attempt (journal, 0, "alice.martin@example.com", "crash@example.org", &error));
  g_assert_true (singly_journal_sync (journal, &error));
}

static void
test_unknown_decision (void)
{
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *out = g_build_filename (tmpdir, "out", NULL);
  g_autoptr(SinglyAccount) account = singly_account_new_folder (out, "Example Trading", "unknown@example.org");
  SinglyWindow *window = NULL;
  SinglySendPage *page;
  AdwMessageDialog *dialog;
  GtkWidget *extra, *check = NULL;

  leave_unknown (account);
  window = open_campaign (account);
  page = singly_window_get_send_page (window);
  singly_app_test_screenshot (GTK_WIDGET (window), "send-resume");

  singly_app_test_activate (window, "win.send");
  dialog = singly_app_test_find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Resume Sending?");
  g_test_message ("confirmation: %s", adw_message_dialog_get_body (dialog));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Save 9 messages"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "1 recipient may have got it already"));
  /* the unknown recipient is listed, with the choice to send again */
  extra = adw_message_dialog_get_extra_child (dialog);
  g_assert_nonnull (extra);
  for (GtkWidget *child = gtk_widget_get_first_child (extra); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_CHECK_BUTTON (child))
      check = child;
  g_assert_nonnull (check);
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  singly_app_test_screenshot (GTK_WIDGET (dialog), "send-unknown-dialog");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  adw_message_dialog_response (dialog, "send");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wait_finished (window);

  g_assert_cmpuint (singly_send_job_count (singly_send_page_get_job (page), SINGLY_RECIPIENT_SENT), ==, 10);
  g_assert_cmpuint (singly_send_job_count (singly_send_page_get_job (page), SINGLY_RECIPIENT_UNKNOWN), ==, 0);
  g_assert_cmpuint (count_files (out, ".eml"), ==, 10);

  singly_app_test_close_window (window);
  singly_test_rm_rf (tmpdir);
}

static void
test_pause_resume_cancel (void)
{
  g_autoptr(SinglyTestServer) server = singly_test_server_start_sink (NULL, NULL);
  g_autoptr(SinglyAccount) account = singly_account_new_smtp ("127.0.0.1", singly_test_server_get_port (server),
                                                              SINGLY_SECURITY_NONE, "Example Trading", "pace@example.org");
  SinglyWindow *window = NULL;
  SinglySendPage *page;
  SinglySendJob *job;
  guint sent;

  account->pacing.interval = 0.4;
  window = open_campaign (account);
  page = singly_window_get_send_page (window);
  send_confirmed (window, "one every 0.4 s");
  job = singly_send_page_get_job (page);

  SINGLY_WAIT_FOR (singly_send_job_count (job, SINGLY_RECIPIENT_SENT) >= 1, 10000);
  singly_app_test_activate (window, "win.pause");
  g_assert_cmpint (singly_send_page_get_state (page), ==, SINGLY_SEND_PAGE_PAUSED);
  g_assert_true (singly_send_job_is_paused (job));
  singly_app_test_iterate (600);
  sent = singly_send_job_count (job, SINGLY_RECIPIENT_SENT);
  singly_app_test_iterate (1000);
  /* paused: nothing more goes out */
  g_assert_cmpuint (singly_send_job_count (job, SINGLY_RECIPIENT_SENT), ==, sent);
  singly_app_test_screenshot (GTK_WIDGET (window), "send-paused");

  singly_app_test_activate (window, "win.resume");
  g_assert_cmpint (singly_send_page_get_state (page), ==, SINGLY_SEND_PAGE_RUNNING);
  SINGLY_WAIT_FOR (singly_send_job_count (job, SINGLY_RECIPIENT_SENT) > sent, 10000);
  singly_app_test_activate (window, "win.cancel");
  wait_finished (window);
  g_assert_cmpuint (singly_send_job_count (job, SINGLY_RECIPIENT_SENT), <, 10);
  g_assert_cmpuint (singly_send_job_count (job, SINGLY_RECIPIENT_QUEUED), >, 0);
  singly_app_test_screenshot (GTK_WIDGET (window), "send-stopped");

  singly_app_test_close_window (window);
}

int
main (int    argc,
      char **argv)
{
  singly_app_test_init (&argc, &argv);

  g_test_add_func ("/app/send/folder", test_folder);
  g_test_add_func ("/app/send/smtp-sink", test_smtp_sink);
  g_test_add_func ("/app/send/failed-and-retry", test_failed_and_retry);
  g_test_add_func ("/app/send/unknown-decision", test_unknown_decision);
  g_test_add_func ("/app/send/pause-resume-cancel", test_pause_resume_cancel);

  return g_test_run ();
}
