/* test-app-campaign.c: campaign files and recent files in real windows
 *
 * A campaign is saved from one window and opened in another, as a user
 * closes Singly in the evening and goes on the next morning: through the
 * window's function (the Open dialog's end), the command line, and drag
 * and drop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "singly-app-test.h"
#include "singly-contact-item.h"
#include "singly-test-util.h"
#include "singly-util.h"

/* An SMTP account in the application's store, as the preferences add one */
static char *
add_store_account (const char *name,
                   const char *sender)
{
  SinglyAccountStore *store = singly_application_get_account_store (singly_app_test_get_application ());
  g_autoptr(SinglyAccount) account = singly_account_new_smtp ("127.0.0.1", 2525, SINGLY_SECURITY_NONE,
                                                              "Example Trading", sender);
  g_autoptr(GError) error = NULL;
  SinglyAccountItem *item;

  account->name = g_strdup (name);
  item = singly_account_store_add (store, account, &error);
  g_assert_no_error (error);
  return g_strdup (singly_account_item_get_id (item));
}

static void
remove_store_account (const char *id)
{
  SinglyAccountStore *store = singly_application_get_account_store (singly_app_test_get_application ());

  /* no keyring runs to forget its password in: that is said, and ignored */
  singly_account_store_remove_sync (store, id, NULL, NULL);
}

static SinglyWindow *
open_samples (void)
{
  SinglyWindow *window = singly_app_test_new_window ();
  g_autofree char *contacts = singly_app_test_sample_path ("contacts.csv");
  g_autofree char *invoice = singly_app_test_sample_path ("invoice.md");

  singly_app_test_open_contacts (window, contacts);
  singly_app_test_open_template (window, invoice);
  SINGLY_WAIT_FOR (singly_document_get_builder (singly_window_get_document (window)) != NULL, 10000);
  return window;
}

static void
save_campaign (SinglyWindow *window,
               GFile        *file)
{
  singly_window_save_campaign_file (window, file);
  SINGLY_WAIT_FOR (singly_window_get_campaign_file (window) != NULL &&
                   g_file_equal (singly_window_get_campaign_file (window), file), 10000);
}

/* Waits until the campaign and the files it names are read */
static void
wait_opened (SinglyWindow *window,
             GFile        *file)
{
  SINGLY_WAIT_FOR (singly_window_get_campaign_file (window) != NULL &&
                   g_file_equal (singly_window_get_campaign_file (window), file) &&
                   !singly_window_get_opening_campaign (window), 20000);
}

static gboolean
menu_has_label (GMenuModel *menu,
                const char *label)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      g_autofree char *text = NULL;

      if (section != NULL && menu_has_label (section, label))
        return TRUE;
      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &text) &&
          g_str_equal (text, label))
        return TRUE;
    }
  return FALSE;
}

static gboolean
is_recent (const char *uri,
           const char *group)
{
  GtkRecentInfo *info = gtk_recent_manager_lookup_item (gtk_recent_manager_get_default (), uri, NULL);
  gboolean found;

  if (info == NULL)
    return FALSE;
  /* the group is what Singly files it under; GTK's list was seen to lose
   * it when it rereads its file (the window then goes by the name) */
  if (!gtk_recent_info_has_group (info, group))
    g_test_message ("%s lost its group %s in GTK's recent list", uri, group);
  found = gtk_recent_info_has_application (info, "Singly");
  gtk_recent_info_unref (info);
  return found;
}

/* The recent manager writes its file in the background and reads it again
 * when it changes, so what was just added may take a moment to show */
static void
assert_recent (GFile      *file,
               const char *group)
{
  g_autofree char *uri = g_file_get_uri (file);

  SINGLY_WAIT_FOR (is_recent (uri, group), 10000);
}

static void
test_save_and_open (void)
{
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *path = g_build_filename (tmpdir, "spring.singly", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) contacts_file = singly_app_test_sample ("contacts.csv");
  g_autoptr(GFile) template_file = singly_app_test_sample ("invoice.md");
  g_autofree char *id = add_store_account ("Campaign Relay", "campaign@example.org");
  g_autofree char *text = NULL;
  SinglyWindow *window = open_samples ();
  SinglyDocument *document = singly_window_get_document (window);
  SinglyContactList *contacts;

  g_assert_true (singly_send_page_select_account (singly_window_get_send_page (window), id));
  /* Chloé, on line 4, is left out by hand */
  {
    GListModel *model = singly_contacts_page_get_contact_model (singly_window_get_contacts_page (window));
    g_autoptr(SinglyContactItem) item = g_list_model_get_item (model, 2);

    g_assert_cmpuint (singly_contact_item_get_line (item), ==, 4);
    g_object_set (item, "included", FALSE, NULL);
  }
  g_assert_cmpuint (singly_message_builder_get_n_sendable (singly_document_get_builder (document)), ==, 9);

  save_campaign (window, file);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "spring — Singly");
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "\nExcludedLines=4;\n"));
  g_assert_nonnull (strstr (text, id));
  singly_app_test_close_window (window);

  /* the next morning, another window */
  window = singly_app_test_new_window ();
  document = singly_window_get_document (window);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Singly");
  singly_window_open_campaign_file (window, file);
  wait_opened (window, file);
  SINGLY_WAIT_FOR (singly_document_get_builder (document) != NULL, 10000);

  g_assert_true (g_file_equal (singly_document_get_contacts_file (document), contacts_file));
  g_assert_true (g_file_equal (singly_document_get_template_file (document), template_file));
  contacts = singly_document_get_contacts (document);
  g_assert_cmpuint (singly_contact_list_get_n_rows (contacts), ==, 10);
  g_assert_false (singly_contact_list_get_row_included (contacts, 2));
  g_assert_true (singly_contact_list_get_row_included (contacts, 1));
  g_assert_cmpuint (singly_message_builder_get_n_sendable (singly_document_get_builder (document)), ==, 9);
  /* the table shows the row left out */
  {
    GListModel *model = singly_contacts_page_get_contact_model (singly_window_get_contacts_page (window));
    g_autoptr(SinglyContactItem) item = g_list_model_get_item (model, 2);

    g_assert_false (singly_contact_item_get_included (item));
  }
  g_assert_cmpstr (singly_document_get_account (document)->id, ==, id);
  g_assert_cmpstr (singly_document_get_account (document)->sender_address, ==, "campaign@example.org");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "spring — Singly");
  /* nothing was sent yet: ready to look at what goes */
  g_assert_cmpstr (singly_window_get_visible_page (window), ==, "preview");

  /* the campaign and its files are offered again */
  assert_recent (file, "singly-campaign");
  assert_recent (contacts_file, "singly-contacts");
  assert_recent (template_file, "singly-template");
  SINGLY_WAIT_FOR (menu_has_label (singly_window_get_recent_menu (window), "spring.singly"), 10000);
  SINGLY_WAIT_FOR (menu_has_label (singly_window_get_recent_menu (window), "contacts.csv"), 10000);
  SINGLY_WAIT_FOR (menu_has_label (singly_window_get_recent_menu (window), "invoice.md"), 10000);

  singly_window_set_visible_page (window, "contacts");
  singly_app_test_screenshot (GTK_WIDGET (window), "campaign-opened");

  /* saved again where it was */
  singly_app_test_activate (window, "win.save-campaign");
  singly_app_test_iterate (200);
  g_assert_true (g_file_equal (singly_window_get_campaign_file (window), file));

  singly_app_test_close_window (window);
  remove_store_account (id);
  singly_test_rm_rf (tmpdir);
}

static void
test_recent_menu (void)
{
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *path = g_build_filename (tmpdir, "autumn_sale.singly", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  SinglyWindow *window = open_samples ();
  GMenuModel *menu = singly_window_get_recent_menu (window);
  g_autoptr(GPtrArray) buttons = NULL;

  save_campaign (window, file);
  /* an underscore in a name is no mnemonic */
  SINGLY_WAIT_FOR (menu_has_label (menu, "autumn__sale.singly"), 5000);
  singly_app_test_close_window (window);

  /* a recent campaign opens from the menu's action */
  window = singly_app_test_new_window ();
  {
    g_autofree char *uri = g_file_get_uri (file);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-recent", "s", uri));
  }
  wait_opened (window, file);
  g_assert_nonnull (singly_document_get_contacts (singly_window_get_document (window)));

  /* the menu hangs from the Open button, as GNOME's programs do */
  buttons = singly_app_test_find_widgets (GTK_WIDGET (window), ADW_TYPE_SPLIT_BUTTON);
  g_assert_cmpuint (buttons->len, ==, 1);
  g_assert_true (adw_split_button_get_menu_model (buttons->pdata[0]) == singly_window_get_recent_menu (window));
  gtk_menu_button_popup (GTK_MENU_BUTTON (gtk_widget_get_last_child (buttons->pdata[0])));
  singly_app_test_iterate (300);
  {
    g_autoptr(GPtrArray) popovers = singly_app_test_find_widgets (buttons->pdata[0], GTK_TYPE_POPOVER_MENU);

    g_assert_cmpuint (popovers->len, ==, 1);
    singly_app_test_screenshot (popovers->pdata[0], "campaign-recent-menu");
    gtk_popover_popdown (popovers->pdata[0]);
  }

  singly_app_test_close_window (window);
  singly_test_rm_rf (tmpdir);
}

static void
test_command_line_and_drop (void)
{
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *path = g_build_filename (tmpdir, "winter.singly", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GApplication *app = G_APPLICATION (singly_app_test_get_application ());
  SinglyWindow *window = open_samples ();
  GtkWindow *active;

  save_campaign (window, file);
  singly_app_test_close_window (window);

  /* "singly winter.singly", with a window open */
  window = singly_app_test_new_window ();
  g_application_open (app, &file, 1, "");
  active = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (SINGLY_IS_WINDOW (active));
  wait_opened (SINGLY_WINDOW (active), file);
  g_assert_nonnull (singly_document_get_template_file (singly_window_get_document (SINGLY_WINDOW (active))));
  /* the window there was, not a new one */
  g_assert_true ((gpointer) active == (gpointer) window);
  singly_app_test_close_window (window);

  /* dropped from the file manager, with other files: the campaign names
   * its own */
  window = singly_app_test_new_window ();
  {
    g_autoptr(GFile) other = singly_app_test_sample ("contacts-excel-gbk.csv");
    GFile *files[] = { other, file };

    g_assert_true (singly_app_test_drop_files (window, files, G_N_ELEMENTS (files)));
  }
  wait_opened (window, file);
  {
    g_autoptr(GFile) contacts = singly_app_test_sample ("contacts.csv");

    SINGLY_WAIT_FOR (singly_document_get_contacts_file (singly_window_get_document (window)) != NULL, 10000);
    g_assert_true (g_file_equal (singly_document_get_contacts_file (singly_window_get_document (window)), contacts));
  }
  singly_app_test_close_window (window);
  singly_test_rm_rf (tmpdir);
}

static void
test_how_contacts_are_read (void)
{
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *path = g_build_filename (tmpdir, "legacy.singly", NULL);
  g_autofree char *gbk = singly_app_test_sample_path ("contacts-excel-gbk.csv");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  SinglyWindow *window = singly_app_test_new_window ();
  SinglyContactsPage *page = singly_window_get_contacts_page (window);
  SinglyContactList *contacts;
  g_autofree char *encoding = NULL;
  g_autofree char *address = NULL;

  /* read, by hand, in another encoding than the one detected */
  singly_app_test_open_contacts (window, gbk);
  singly_contacts_page_set_encoding (page, "WINDOWS-1252");
  SINGLY_WAIT_FOR (!singly_contacts_page_get_loading (page), 10000);
  contacts = singly_document_get_contacts (singly_window_get_document (window));
  g_assert_false (singly_contact_list_get_encoding_detected (contacts));
  g_assert_cmpint (singly_contact_list_get_address_column (contacts), ==, 1);
  address = g_strdup (singly_contact_list_get_column_name (contacts, 1));
  save_campaign (window, file);
  singly_app_test_close_window (window);

  window = singly_app_test_new_window ();
  page = singly_window_get_contacts_page (window);
  singly_window_open_campaign_file (window, file);
  wait_opened (window, file);
  contacts = singly_document_get_contacts (singly_window_get_document (window));
  g_assert_nonnull (contacts);
  encoding = singly_contacts_page_dup_encoding_label (page);
  g_assert_cmpstr (encoding, ==, "WINDOWS-1252");
  g_assert_false (singly_contact_list_get_encoding_detected (contacts));
  g_assert_cmpint (singly_contact_list_get_delimiter (contacts), ==, ',');
  g_assert_cmpint (singly_contact_list_get_address_column (contacts), ==, 1);
  g_assert_cmpstr (singly_contact_list_get_column_name (contacts, 1), ==, address);
  singly_app_test_screenshot (GTK_WIDGET (window), "campaign-encoding");

  singly_app_test_close_window (window);
  singly_test_rm_rf (tmpdir);
}

static void
test_account_gone (void)
{
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *contacts = singly_app_test_sample_path ("contacts.csv");
  g_autofree char *invoice = singly_app_test_sample_path ("invoice.md");
  g_autofree char *text = g_strdup_printf ("[Campaign]\nVersion=1\nContacts=%s\nTemplate=%s\nAccount=account-gone\n",
                                           contacts, invoice);
  g_autofree char *path = singly_app_test_write_tmp (tmpdir, "old.singly", text);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  SinglyWindow *window = singly_app_test_new_window ();
  SinglyDocument *document = singly_window_get_document (window);

  singly_window_open_campaign_file (window, file);
  wait_opened (window, file);
  /* said in a toast, and the default account is used */
  g_assert_cmpstr (singly_document_get_account (document)->id, ==, SINGLY_ACCOUNT_STORE_DEFAULT_ID);
  g_assert_cmpint (singly_document_get_account (document)->kind, ==, SINGLY_ACCOUNT_FOLDER);
  singly_window_set_visible_page (window, "send");
  singly_app_test_screenshot (GTK_WIDGET (window), "campaign-account-gone");
  singly_app_test_close_window (window);
  singly_test_rm_rf (tmpdir);
}

static void
test_broken (void)
{
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *path = singly_app_test_write_tmp (tmpdir, "broken.singly", "this is not a campaign\n");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  SinglyWindow *window = singly_app_test_new_window ();

  singly_window_open_campaign_file (window, file);
  singly_app_test_iterate (500);
  g_assert_null (singly_window_get_campaign_file (window));
  g_assert_null (singly_document_get_contacts (singly_window_get_document (window)));
  singly_app_test_close_window (window);
  singly_test_rm_rf (tmpdir);
}

/* A journal as a crash leaves it: row 0 went out with no reply, row 1 was
 * sent */
static void
leave_progress (SinglyWindow *window)
{
  SinglyDocument *document = singly_window_get_document (window);
  GFile *contacts_file = singly_document_get_contacts_file (document);
  GFile *template_file = singly_document_get_template_file (document);
  g_autofree char *contacts = g_file_get_path (contacts_file);
  g_autofree char *template = g_file_get_path (template_file);
  g_autofree char *contacts_sum = singly_checksum_file (contacts, NULL);
  g_autofree char *template_sum = singly_checksum_file (template, NULL);
  g_autofree char *path = singly_send_page_dup_journal_path (singly_window_get_send_page (window));
  g_autoptr(SinglyJournal) journal = NULL;
  g_autoptr(GError) error = NULL;
  SinglyJournalIdentity identity = {
    .contacts_checksum = contacts_sum,
    .template_checksum = template_sum,
    .sender = singly_document_get_account (document)->sender_address,
    .n_rows = 10,
  };

  journal = singly_journal_open (path, &identity, &error);
  g_assert_no_error (error);
  g_assert_true (singly_journal_record_attempt (journal, 0, "alice.martin@example.com", "a@example.org", &error));
  g_assert_true (singly_journal_record_attempt (journal, 1, "bob.oneil@example.org", "b@example.org", &error));
  g_assert_true (singly_journal_record_outcome (journal, 1, SINGLY_RECIPIENT_SENT, 250, "OK", &error));
  g_assert_true (singly_journal_sync (journal, &error));
}

static void
test_resume (void)
{
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *path = g_build_filename (tmpdir, "resume.singly", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *id = add_store_account ("Resume Relay", "resume@example.org");
  SinglyWindow *window = open_samples ();
  AdwMessageDialog *dialog;
  GtkWidget *extra;
  g_autoptr(GPtrArray) checks = NULL;

  g_assert_true (singly_send_page_select_account (singly_window_get_send_page (window), id));
  save_campaign (window, file);
  leave_progress (window);
  singly_app_test_close_window (window);

  window = singly_app_test_new_window ();
  singly_window_open_campaign_file (window, file);
  wait_opened (window, file);

  /* the send page offers to go on, and asks about the unknown one */
  g_assert_cmpstr (singly_window_get_visible_page (window), ==, "send");
  g_assert_true (singly_send_page_has_journal (singly_window_get_send_page (window)));
  dialog = singly_app_test_find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Resume Sending?");
  g_test_message ("%s", adw_message_dialog_get_body (dialog));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Send 8 messages from resume@example.org"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "1 recipient got the message in an earlier run"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "1 recipient may have got it already"));
  extra = adw_message_dialog_get_extra_child (dialog);
  g_assert_nonnull (extra);
  checks = singly_app_test_find_widgets (extra, GTK_TYPE_CHECK_BUTTON);
  g_assert_cmpuint (checks->len, ==, 1);
  g_assert_false (gtk_check_button_get_active (checks->pdata[0]));
  singly_app_test_screenshot (GTK_WIDGET (dialog), "campaign-resume-dialog");
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  singly_app_test_screenshot (GTK_WIDGET (window), "campaign-resume");

  singly_app_test_close_window (window);
  remove_store_account (id);
  singly_test_rm_rf (tmpdir);
}

int
main (int    argc,
      char **argv)
{
  singly_app_test_init (&argc, &argv);

  g_test_add_func ("/app/campaign/save-and-open", test_save_and_open);
  g_test_add_func ("/app/campaign/recent-menu", test_recent_menu);
  g_test_add_func ("/app/campaign/command-line-and-drop", test_command_line_and_drop);
  g_test_add_func ("/app/campaign/how-contacts-are-read", test_how_contacts_are_read);
  g_test_add_func ("/app/campaign/account-gone", test_account_gone);
  g_test_add_func ("/app/campaign/broken", test_broken);
  g_test_add_func ("/app/campaign/resume", test_resume);

  return g_test_run ();
}
