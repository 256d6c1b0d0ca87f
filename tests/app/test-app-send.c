/* test-app-send.c: the Send page in a real window, to real servers
 *
 * Postfix's smtp-sink and aiosmtpd, started on 127.0.0.1 by the tests;
 * and "Save to folder". Journals go to the temporary home the wrapper
 * makes. The session bus of the tests has no keyring: passwords come from
 * the application's session cache, or from the dialog that asks for them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "singly-app-test.h"
#include "singly-secret.h"
#include "singly-secret-prompt.h"
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

/* The samples in a window that sends with the account chosen in it */
static SinglyWindow *
open_samples (void)
{
  SinglyWindow *window = singly_app_test_new_window ();
  g_autofree char *contacts = singly_app_test_sample_path ("contacts.csv");
  g_autofree char *invoice = singly_app_test_sample_path ("invoice.md");

  singly_app_test_open_contacts (window, contacts);
  singly_app_test_open_template (window, invoice);
  SINGLY_WAIT_FOR (singly_document_get_builder (singly_window_get_document (window)) != NULL, 10000);
  singly_window_set_visible_page (window, "send");
  return window;
}

/* An SMTP account in the application's store, as the preferences add one */
static const char *
add_store_account (const char *name,
                   guint16     port,
                   const char *sender,
                   const char *user)
{
  SinglyAccountStore *store = singly_application_get_account_store (singly_app_test_get_application ());
  g_autoptr(SinglyAccount) account = singly_account_new_smtp ("127.0.0.1", port, SINGLY_SECURITY_NONE,
                                                              "Example Trading", sender);
  g_autoptr(GError) error = NULL;
  SinglyAccountItem *item;

  account->name = g_strdup (name);
  account->user = g_strdup (user);
  item = singly_account_store_add (store, account, &error);
  g_assert_no_error (error);
  return singly_account_item_get_id (item);
}

static guint
combo_position (SinglyWindow *window,
                const char   *id)
{
  AdwComboRow *row = singly_send_page_get_account_row (singly_window_get_send_page (window));
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SinglyAccountItem) item = g_list_model_get_item (model, i);

      if (g_str_equal (singly_account_item_get_id (item), id))
        return i;
    }
  g_assert_not_reached ();
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

  /* "Retry failed", the failed ones shown: a new job for that one
   * recipient, the same journal, the same table */
  singly_send_page_set_filter (page, SINGLY_RECIPIENT_FAILED);
  SINGLY_WAIT_FOR (g_list_model_get_n_items (filtered) == 1, 5000);
  singly_app_test_activate (window, "win.retry-failed");
  g_assert_true (singly_send_page_get_job (page) != first);
  wait_finished (window);
  SINGLY_WAIT_FOR (g_list_model_get_n_items (filtered) == 1, 5000);
  {
    g_autoptr(SinglySendItem) item = g_list_model_get_item (filtered, 0);

    g_assert_cmpstr (singly_send_item_get_address (item), ==, "bob.oneil@example.org");
    g_assert_cmpint (singly_send_item_get_state (item), ==, SINGLY_RECIPIENT_FAILED);
  }
  singly_send_page_set_filter (page, -1);
  SINGLY_WAIT_FOR (g_list_model_get_n_items (filtered) == 10, 5000);
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

typedef struct
{
  guint  n;
  char  *id;
  char  *title;
  char  *body;
} Notified;

static void
notified_cb (const char *id,
             const char *title,
             const char *body,
             gpointer    user_data)
{
  Notified *notified = user_data;

  notified->n++;
  g_free (notified->id);
  notified->id = g_strdup (id);
  g_free (notified->title);
  notified->title = g_strdup (title);
  g_free (notified->body);
  notified->body = g_strdup (body);
}

static void
test_notification (void)
{
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *out = g_build_filename (tmpdir, "out", NULL);
  g_autofree char *other = g_build_filename (tmpdir, "other", NULL);
  g_autoptr(SinglyAccount) account = singly_account_new_folder (out, "Example Trading", "notify@example.org");
  g_autoptr(SinglyAccount) slower = singly_account_new_folder (other, "Example Trading", "notify@example.org");
  SinglyWindow *window = NULL;
  Notified notified = { 0 };

  singly_util_set_notification_func (notified_cb, &notified);

  /* a send of a moment: the user is still there, nothing pops up */
  window = open_campaign (account);
  send_confirmed (window, NULL);
  wait_finished (window);
  g_assert_cmpuint (notified.n, ==, 0);

  /* a long one (long enough, with the bar lowered): the desktop hears of
   * its end */
  singly_send_page_set_notify_after (singly_window_get_send_page (window), 0.3);
  slower->pacing.interval = 0.1;
  singly_window_set_account (window, slower);
  send_confirmed (window, "one every 0.1 s");
  wait_finished (window);
  g_assert_cmpuint (notified.n, ==, 1);
  g_assert_cmpstr (notified.id, ==, "send-finished");
  g_assert_cmpstr (notified.title, ==, "Sending Finished");
  g_assert_cmpstr (notified.body, ==, "10 sent, 0 not sent");

  singly_util_set_notification_func (NULL, NULL);
  g_free (notified.id);
  g_free (notified.title);
  g_free (notified.body);
  singly_app_test_close_window (window);
  singly_test_rm_rf (tmpdir);
}

static void
assert_all_insensitive (GtkWidget *root,
                        GType      type,
                        guint      at_least)
{
  g_autoptr(GPtrArray) widgets = singly_app_test_find_widgets (root, type);

  g_assert_cmpuint (widgets->len, >=, at_least);
  for (guint i = 0; i < widgets->len; i++)
    g_assert_false (gtk_widget_is_sensitive (widgets->pdata[i]));
}

static void
test_locked_while_sending (void)
{
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *out = g_build_filename (tmpdir, "out", NULL);
  g_autoptr(SinglyAccount) account = singly_account_new_folder (out, "Example Trading", "locked@example.org");
  g_autoptr(GFile) other = singly_app_test_sample ("contacts-excel-gbk.csv");
  SinglyWindow *window = NULL;
  SinglyContactsPage *contacts_page;
  SinglyDocument *document;
  SinglyContactList *contacts;
  GtkWidget *account_row;

  account->pacing.interval = 0.3;
  window = open_campaign (account);
  contacts_page = singly_window_get_contacts_page (window);
  document = singly_window_get_document (window);
  contacts = singly_document_get_contacts (document);
  account_row = GTK_WIDGET (singly_send_page_get_account_row (singly_window_get_send_page (window)));
  g_assert_true (gtk_widget_is_sensitive (account_row));

  send_confirmed (window, NULL);
  g_assert_true (singly_document_get_busy (document));

  /* the worker reads the list: it stays as it is */
  singly_window_set_visible_page (window, "contacts");
  singly_app_test_iterate (200);
  /* the encoding, delimiter and address column dropdowns */
  assert_all_insensitive (GTK_WIDGET (contacts_page), GTK_TYPE_DROP_DOWN, 3);
  /* the check button of each row */
  assert_all_insensitive (GTK_WIDGET (singly_contacts_page_get_column_view (contacts_page)),
                          GTK_TYPE_CHECK_BUTTON, 10);
  singly_app_test_screenshot (GTK_WIDGET (window), "contacts-while-sending");

  singly_contacts_page_set_address_column (contacts_page, 1);
  g_assert_cmpint (singly_contact_list_get_address_column (contacts), ==, 0);
  singly_contacts_page_set_encoding (contacts_page, "WINDOWS-1252");
  singly_contacts_page_set_delimiter (contacts_page, ';');
  g_assert_false (singly_contacts_page_get_loading (contacts_page));
  singly_window_open_contacts_file (window, other);
  g_assert_false (singly_contacts_page_get_loading (contacts_page));
  g_assert_true (singly_document_get_contacts (document) == contacts);
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-contacts", NULL) &&
                  singly_contacts_page_get_loading (contacts_page));

  /* nor where it goes */
  g_assert_false (gtk_widget_is_sensitive (account_row));

  singly_app_test_activate (window, "win.cancel");
  wait_finished (window);
  g_assert_false (singly_document_get_busy (document));
  {
    g_autoptr(GPtrArray) dropdowns = singly_app_test_find_widgets (GTK_WIDGET (contacts_page), GTK_TYPE_DROP_DOWN);

    for (guint i = 0; i < dropdowns->len; i++)
      g_assert_true (gtk_widget_is_sensitive (dropdowns->pdata[i]));
  }
  g_assert_true (gtk_widget_is_sensitive (account_row));

  singly_app_test_close_window (window);
  singly_test_rm_rf (tmpdir);
}

static void
test_account_chooser (void)
{
  SinglyApplication *app = singly_app_test_get_application ();
  GListModel *accounts = singly_account_store_get_accounts (singly_application_get_account_store (app));
  g_autoptr(SinglyTestServer) server = singly_test_server_start_sink (NULL, NULL);
  SinglyWindow *window = open_samples ();
  SinglySendPage *page = singly_window_get_send_page (window);
  SinglyDocument *document = singly_window_get_document (window);
  AdwComboRow *row = singly_send_page_get_account_row (page);
  g_autofree char *id = NULL;
  g_autofree char *last = NULL;
  const SinglyAccount *account;

  /* "Save to folder" first, as on a fresh machine */
  g_assert_cmpstr (singly_document_get_account (document)->id, ==, SINGLY_ACCOUNT_STORE_DEFAULT_ID);
  g_assert_true (adw_combo_row_get_model (row) == accounts);

  /* an account added in the preferences is offered at once */
  id = g_strdup (add_store_account ("Office Relay", singly_test_server_get_port (server),
                                    "relay@example.org", "office"));
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (row)), ==,
                    g_list_model_get_n_items (accounts));
  /* typed in this session, not kept in any keyring */
  singly_application_set_session_secret (app, id, "s3cret");

  adw_combo_row_set_selected (row, combo_position (window, id));
  account = singly_document_get_account (document);
  g_assert_cmpstr (account->id, ==, id);
  g_assert_cmpint (account->kind, ==, SINGLY_ACCOUNT_SMTP);
  g_assert_cmpstr (account->sender_address, ==, "relay@example.org");
  g_assert_cmpstr (account->user, ==, "office");
  singly_app_test_screenshot (GTK_WIDGET (window), "send-account-chosen");

  send_confirmed (window, "Send 10 messages from relay@example.org through 127.0.0.1");
  /* no dialog asked for the password: the session had it */
  g_assert_cmpint (singly_send_page_get_state (page), !=, SINGLY_SEND_PAGE_READY);
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (row)));
  wait_finished (window);
  g_assert_null (singly_send_job_get_error (singly_send_page_get_job (page)));
  g_assert_cmpuint (singly_send_job_count (singly_send_page_get_job (page), SINGLY_RECIPIENT_SENT), ==, 10);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (row)));

  /* the account used is the one offered next time */
  last = g_settings_get_string (singly_application_get_settings (app), "last-account");
  g_assert_cmpstr (last, ==, id);
  singly_app_test_close_window (window);
  window = open_samples ();
  g_assert_cmpstr (singly_document_get_account (singly_window_get_document (window))->id, ==, id);

  /* the account removed in the preferences: mail is saved to a folder */
  /* (no keyring runs to forget its password in: that is said, and ignored) */
  singly_account_store_remove_sync (singly_application_get_account_store (app), id, NULL, NULL);
  g_assert_cmpstr (singly_document_get_account (singly_window_get_document (window))->id, ==,
                   SINGLY_ACCOUNT_STORE_DEFAULT_ID);
  g_assert_cmpint (singly_document_get_account (singly_window_get_document (window))->kind, ==,
                   SINGLY_ACCOUNT_FOLDER);
  singly_app_test_close_window (window);
  singly_application_set_session_secret (app, id, NULL);
  g_settings_reset (singly_application_get_settings (app), "last-account");
}

/* Finds the dialog that asks for a password, and what it holds */
static AdwMessageDialog *
wait_for_password_dialog (GtkWidget **entry)
{
  AdwMessageDialog *dialog = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  SINGLY_WAIT_FOR ((dialog = singly_app_test_find_dialog ()) != NULL &&
                   g_strcmp0 (adw_message_dialog_get_heading (dialog), "Password Needed") == 0, 10000);
  entries = singly_app_test_find_widgets (adw_message_dialog_get_extra_child (dialog), GTK_TYPE_PASSWORD_ENTRY);
  g_assert_cmpuint (entries->len, ==, 1);
  *entry = entries->pdata[0];
  return dialog;
}

static void
test_password_dialog (void)
{
  SinglyApplication *app = singly_app_test_get_application ();
  g_autoptr(SinglyTestServer) server = singly_test_server_start_aiosmtpd ("--user", "office", "--password", "pa55word",
                                                                          NULL);
  SinglyWindow *window = open_samples ();
  SinglySendPage *page = singly_window_get_send_page (window);
  g_autofree char *id = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *entry = NULL;
  gboolean said_no_keyring = FALSE;

  id = g_strdup (add_store_account ("Checked Relay", singly_test_server_get_port (server),
                                    "checked@example.org", "office"));
  g_assert_true (singly_send_page_select_account (page, id));

  /* no keyring runs on the tests' bus: the user is asked */
  send_confirmed (window, NULL);
  dialog = wait_for_password_dialog (&entry);
  g_test_message ("asks: %s", adw_message_dialog_get_body (dialog));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "127.0.0.1"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "office"));
  labels = singly_app_test_find_widgets (adw_message_dialog_get_extra_child (dialog), GTK_TYPE_LABEL);
  for (guint i = 0; i < labels->len; i++)
    said_no_keyring |= g_str_has_prefix (gtk_label_get_text (labels->pdata[i]), "No keyring is running");
  g_assert_true (said_no_keyring);
  /* nothing typed, nothing to confirm */
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "connect"));
  g_assert_cmpint (singly_send_page_get_state (page), ==, SINGLY_SEND_PAGE_READY);
  gtk_editable_set_text (GTK_EDITABLE (entry), "pa55word");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "connect"));
  singly_app_test_screenshot (GTK_WIDGET (dialog), "send-password-dialog");
  adw_message_dialog_response (dialog, "connect");
  gtk_window_destroy (GTK_WINDOW (dialog));

  SINGLY_WAIT_FOR (singly_send_page_get_job (page) != NULL, 10000);
  wait_finished (window);
  g_assert_null (singly_send_job_get_error (singly_send_page_get_job (page)));
  g_assert_cmpuint (singly_send_job_count (singly_send_page_get_job (page), SINGLY_RECIPIENT_SENT), ==, 10);
  /* the server had the password it asked for, for every message */
  messages = singly_test_server_list_messages (server);
  g_assert_cmpuint (messages->len, ==, 10);

  /* kept until Singly quits, not asked again */
  kept = singly_application_dup_session_secret (app, id);
  g_assert_cmpstr (kept, ==, "pa55word");
  singly_secret_free (g_steal_pointer (&kept));

  singly_app_test_close_window (window);
  singly_application_set_session_secret (app, id, NULL);
  singly_account_store_remove_sync (singly_application_get_account_store (app), id, NULL, NULL);
}

static void
test_wrong_password (void)
{
  SinglyApplication *app = singly_app_test_get_application ();
  g_autoptr(SinglyTestServer) server = singly_test_server_start_aiosmtpd ("--user", "office", "--password", "pa55word",
                                                                          NULL);
  SinglyWindow *window = open_samples ();
  SinglySendPage *page = singly_window_get_send_page (window);
  g_autofree char *id = NULL;
  g_autofree char *kept = NULL;
  const GError *error;

  id = g_strdup (add_store_account ("Refusing Relay", singly_test_server_get_port (server),
                                    "refused@example.org", "office"));
  g_assert_true (singly_send_page_select_account (page, id));
  singly_application_set_session_secret (app, id, "wrong");

  send_confirmed (window, NULL);
  wait_finished (window);
  error = singly_send_job_get_error (singly_send_page_get_job (page));
  g_assert_error ((GError *) error, SINGLY_SEND_JOB_ERROR, SINGLY_SEND_JOB_ERROR_ACCOUNT);
  g_assert_cmpuint (singly_test_server_count_messages (server), ==, 0);
  singly_app_test_screenshot (GTK_WIDGET (window), "send-wrong-password");

  /* the password the server refused is not used again: the user is asked */
  kept = singly_application_dup_session_secret (app, id);
  g_assert_null (kept);

  singly_app_test_close_window (window);
  singly_account_store_remove_sync (singly_application_get_account_store (app), id, NULL, NULL);
}

/* With a keyring (the app-send-keyring run): a password saved there is
 * used without asking */
static void
test_keyring_password (void)
{
  g_autoptr(SinglyTestServer) server = singly_test_server_start_aiosmtpd ("--user", "office", "--password", "k3yring",
                                                                          NULL);
  SinglyWindow *window = open_samples ();
  SinglySendPage *page = singly_window_get_send_page (window);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  id = g_strdup (add_store_account ("Keyring Relay", singly_test_server_get_port (server),
                                    "keyring@example.org", "office"));
  g_assert_true (singly_secret_store_sync (id, "office", NULL, "k3yring", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (singly_send_page_select_account (page, id));

  send_confirmed (window, NULL);
  SINGLY_WAIT_FOR (singly_send_page_get_job (page) != NULL, 10000);
  g_assert_null (singly_app_test_find_dialog ());
  wait_finished (window);
  g_assert_null (singly_send_job_get_error (singly_send_page_get_job (page)));
  g_assert_cmpuint (singly_test_server_count_messages (server), ==, 10);

  singly_app_test_close_window (window);
  singly_account_store_remove_sync (singly_application_get_account_store (singly_app_test_get_application ()), id,
                                    NULL, &error);
  g_assert_no_error (error);
}

/* Whether any file under @dir holds @needle */
static gboolean
tree_contains (const char *dir,
               const char *needle)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          if (tree_contains (path, needle))
            return TRUE;
        }
      else if (g_file_get_contents (path, &contents, &length, NULL) &&
               g_strstr_len (contents, length, needle) != NULL)
        {
          g_test_message ("%s holds the password", path);
          return TRUE;
        }
    }
  return FALSE;
}

/* With a keyring: the password typed in the dialog is saved there when
 * asked, and is in no file */
static void
test_keyring_save (void)
{
  g_autoptr(SinglyTestServer) server = singly_test_server_start_aiosmtpd ("--user", "office", "--password",
                                                                          "typed-Pa55", NULL);
  SinglyWindow *window = open_samples ();
  SinglySendPage *page = singly_window_get_send_page (window);
  g_autoptr(GPtrArray) checks = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *stored = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *entry = NULL;

  id = g_strdup (add_store_account ("Asking Relay", singly_test_server_get_port (server),
                                    "asking@example.org", "office"));
  g_assert_true (singly_send_page_select_account (page, id));

  send_confirmed (window, NULL);
  dialog = wait_for_password_dialog (&entry);
  /* a keyring runs: saving there is offered, and on */
  checks = singly_app_test_find_widgets (adw_message_dialog_get_extra_child (dialog), GTK_TYPE_CHECK_BUTTON);
  g_assert_cmpuint (checks->len, ==, 1);
  g_assert_true (gtk_check_button_get_active (checks->pdata[0]));
  gtk_editable_set_text (GTK_EDITABLE (entry), "typed-Pa55");
  singly_app_test_screenshot (GTK_WIDGET (dialog), "send-password-dialog-keyring");
  adw_message_dialog_response (dialog, "connect");
  gtk_window_destroy (GTK_WINDOW (dialog));

  SINGLY_WAIT_FOR (singly_send_page_get_job (page) != NULL, 10000);
  wait_finished (window);
  g_assert_null (singly_send_job_get_error (singly_send_page_get_job (page)));
  g_assert_cmpuint (singly_test_server_count_messages (server), ==, 10);

  /* in the keyring, and in no file of the home folder */
  SINGLY_WAIT_FOR ((stored = singly_secret_lookup_sync (id, "office", NULL, NULL)) != NULL, 10000);
  g_assert_cmpstr (stored, ==, "typed-Pa55");
  g_assert_false (tree_contains (g_get_home_dir (), "typed-Pa55"));

  singly_app_test_close_window (window);
  singly_account_store_remove_sync (singly_application_get_account_store (singly_app_test_get_application ()), id,
                                    NULL, &error);
  g_assert_no_error (error);
  /* gone with the account */
  g_assert_null (singly_secret_lookup_sync (id, "office", NULL, NULL));
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
  g_test_add_func ("/app/send/notification", test_notification);
  g_test_add_func ("/app/send/locked-while-sending", test_locked_while_sending);
  g_test_add_func ("/app/send/account-chooser", test_account_chooser);
  g_test_add_func ("/app/send/password-dialog", test_password_dialog);
  g_test_add_func ("/app/send/wrong-password", test_wrong_password);
  /* only where the wrapper started a keyring (app-send-keyring) */
  if (g_strcmp0 (g_getenv ("SINGLY_TEST_KEYRING"), "1") == 0)
    {
      g_test_add_func ("/app/send/keyring/password", test_keyring_password);
      g_test_add_func ("/app/send/keyring/save", test_keyring_save);
    }

  return g_test_run ();
}
