/* test-app-contacts.c: the Contacts page in a real window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "singly-app-test.h"
#include "singly-contact-model.h"
#include "singly-problem-item.h"
#include "singly-test-util.h"

static guint
n_columns (SinglyWindow *window)
{
  GtkColumnView *view = singly_contacts_page_get_column_view (singly_window_get_contacts_page (window));

  return g_list_model_get_n_items (gtk_column_view_get_columns (view));
}

static void
test_open_sample (void)
{
  SinglyWindow *window = singly_app_test_new_window ();
  SinglyContactsPage *page = singly_window_get_contacts_page (window);
  g_autofree char *path = singly_app_test_sample_path ("contacts.csv");
  g_autofree char *encoding = NULL;
  GListModel *model;

  g_assert_cmpstr (singly_window_get_visible_page (window), ==, "contacts");
  singly_app_test_screenshot (GTK_WIDGET (window), "contacts-empty");

  singly_app_test_open_contacts (window, path);
  g_assert_null (singly_contacts_page_get_error (page));

  model = singly_contacts_page_get_contact_model (page);
  g_assert_nonnull (model);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 10);
  /* the six columns of the file, after the line and check column */
  g_assert_cmpuint (n_columns (window), ==, 6 + 1);
  {
    g_autoptr(GtkColumnViewColumn) column =
      g_list_model_get_item (gtk_column_view_get_columns (singly_contacts_page_get_column_view (page)), 1);

    g_assert_cmpstr (gtk_column_view_column_get_title (column), ==, "email");
  }

  encoding = singly_contacts_page_dup_encoding_label (page);
  g_assert_cmpstr (encoding, ==, "UTF-8");
  g_assert_cmpuint (g_list_model_get_n_items (singly_contacts_page_get_problem_model (page)), ==, 0);

  /* the check button is the contact list's inclusion */
  {
    g_autoptr(SinglyContactItem) item = g_list_model_get_item (model, 2);
    SinglyContactList *contacts = singly_document_get_contacts (singly_window_get_document (window));

    g_assert_true (singly_contact_item_get_included (item));
    g_assert_cmpuint (singly_contact_item_get_line (item), ==, 4);
    g_assert_cmpstr (singly_contact_item_get_value (item, 1), ==, "Chloé");
    g_object_set (item, "included", FALSE, NULL);
    g_assert_false (singly_contact_list_get_row_included (contacts, 2));
    g_assert_cmpuint (singly_contact_list_get_n_included (contacts), ==, 9);
    singly_contact_item_set_included (item, TRUE);
  }

  singly_app_test_screenshot (GTK_WIDGET (window), "contacts");

  /* another delimiter reads the file again: one column of everything */
  singly_contacts_page_set_delimiter (page, ';');
  SINGLY_WAIT_FOR (!singly_contacts_page_get_loading (page), 10000);
  g_assert_cmpint (singly_contact_list_get_delimiter (singly_document_get_contacts (singly_window_get_document (window))), ==, ';');
  g_assert_cmpuint (n_columns (window), ==, 1 + 1);
  singly_contacts_page_set_delimiter (page, ',');
  SINGLY_WAIT_FOR (!singly_contacts_page_get_loading (page), 10000);
  g_assert_cmpuint (n_columns (window), ==, 6 + 1);
  g_assert_cmpuint (g_list_model_get_n_items (singly_contacts_page_get_contact_model (page)), ==, 10);

  singly_app_test_close_window (window);
}

static void
test_gbk (void)
{
  SinglyWindow *window = singly_app_test_new_window ();
  SinglyContactsPage *page = singly_window_get_contacts_page (window);
  g_autofree char *path = singly_app_test_sample_path ("contacts-excel-gbk.csv");
  g_autofree char *encoding = NULL;
  g_autofree char *chosen = NULL;
  SinglyContactList *contacts;

  singly_app_test_open_contacts (window, path);
  g_assert_null (singly_contacts_page_get_error (page));
  encoding = singly_contacts_page_dup_encoding_label (page);
  g_assert_cmpstr (encoding, ==, "GB18030");
  contacts = singly_document_get_contacts (singly_window_get_document (window));
  g_assert_true (singly_contact_list_get_encoding_detected (contacts));
  singly_app_test_screenshot (GTK_WIDGET (window), "contacts-gbk");

  /* an encoding the bytes are not valid in: the table stays as it was */
  singly_contacts_page_set_encoding (page, "UTF-8");
  SINGLY_WAIT_FOR (!singly_contacts_page_get_loading (page), 10000);
  g_assert_nonnull (singly_contacts_page_get_error (page));
  g_assert_true (singly_document_get_contacts (singly_window_get_document (window)) == contacts);
  g_clear_pointer (&chosen, g_free);
  chosen = singly_contacts_page_dup_encoding_label (page);
  g_assert_cmpstr (chosen, ==, "GB18030");

  /* choosing another encoding reads the file again in it */
  singly_contacts_page_set_encoding (page, "WINDOWS-1252");
  SINGLY_WAIT_FOR (!singly_contacts_page_get_loading (page), 10000);
  g_assert_null (singly_contacts_page_get_error (page));
  g_clear_pointer (&chosen, g_free);
  chosen = singly_contacts_page_dup_encoding_label (page);
  g_assert_cmpstr (chosen, ==, "WINDOWS-1252");
  contacts = singly_document_get_contacts (singly_window_get_document (window));
  g_assert_false (singly_contact_list_get_encoding_detected (contacts));

  singly_app_test_close_window (window);
}

static void
test_problems (void)
{
  SinglyWindow *window = singly_app_test_new_window ();
  SinglyContactsPage *page = singly_window_get_contacts_page (window);
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *path = NULL;
  GListModel *problems;
  gboolean seen_line_3 = FALSE, seen_line_4 = FALSE, seen_line_5 = FALSE;
  guint n;

  path = singly_app_test_write_tmp (tmpdir, "broken.csv",
                                    "email,name\n"
                                    "a@example.com,Ann\n"
                                    "not-an-address,Bert\n"
                                    "A@example.com,Carl\n"
                                    "d@example.com,Dora,extra\n"
                                    "e@example.com,Emil\n");
  singly_app_test_open_contacts (window, path);
  g_assert_null (singly_contacts_page_get_error (page));
  g_assert_cmpuint (g_list_model_get_n_items (singly_contacts_page_get_contact_model (page)), ==, 5);

  problems = singly_contacts_page_get_problem_model (page);
  n = g_list_model_get_n_items (problems);
  g_assert_cmpuint (n, >=, 3);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SinglyProblemItem) item = g_list_model_get_item (problems, i);
      g_autofree char *location = singly_problem_item_dup_location (item);

      g_test_message ("%s: %s", location, singly_problem_item_get_message (item));
      seen_line_3 |= singly_problem_item_get_line (item) == 3;
      seen_line_4 |= singly_problem_item_get_line (item) == 4;
      seen_line_5 |= singly_problem_item_get_line (item) == 5;
    }
  g_assert_true (seen_line_3);   /* not an address */
  g_assert_true (seen_line_4);   /* a duplicate, whatever the case */
  g_assert_true (seen_line_5);   /* a ragged row */

  /* a problem row is left out, and activating its problem shows it */
  {
    g_autoptr(SinglyContactItem) item = g_list_model_get_item (singly_contacts_page_get_contact_model (page), 1);
    GtkSelectionModel *selection = gtk_column_view_get_model (singly_contacts_page_get_column_view (page));
    g_autoptr(SinglyProblemItem) problem = NULL;
    guint position = GTK_INVALID_LIST_POSITION;

    g_assert_false (singly_contact_item_get_included (item));
    g_assert_true (singly_contact_item_get_problem (item));
    for (guint i = 0; i < n && position == GTK_INVALID_LIST_POSITION; i++)
      {
        g_autoptr(SinglyProblemItem) candidate = g_list_model_get_item (problems, i);

        if (singly_problem_item_get_row (candidate) == 3)
          position = i;
      }
    g_assert_cmpuint (position, !=, GTK_INVALID_LIST_POSITION);
    singly_contacts_page_activate_problem (page, position);
    g_assert_true (gtk_selection_model_is_selected (selection, 3));
  }

  /* the address column is chosen by hand: everything is checked again */
  singly_contacts_page_set_address_column (page, 1);
  g_assert_cmpuint (g_list_model_get_n_items (singly_contacts_page_get_problem_model (page)), >=, 5);
  singly_contacts_page_set_address_column (page, 0);
  g_assert_cmpuint (g_list_model_get_n_items (singly_contacts_page_get_problem_model (page)), ==, n);

  singly_app_test_screenshot (GTK_WIDGET (window), "contacts-problems");
  singly_app_test_close_window (window);
  singly_test_rm_rf (tmpdir);
}

typedef struct
{
  guint  ticks;
  gint64 last;
  gint64 longest;   /* the longest the main loop did not answer */
} Ticks;

static gboolean
count_tick_cb (gpointer data)
{
  Ticks *ticks = data;
  gint64 now = g_get_monotonic_time ();

  if (ticks->last > 0)
    ticks->longest = MAX (ticks->longest, now - ticks->last);
  ticks->last = now;
  ticks->ticks++;
  return G_SOURCE_CONTINUE;
}

static void
test_large (void)
{
  SinglyWindow *window = singly_app_test_new_window ();
  SinglyContactsPage *page = singly_window_get_contacts_page (window);
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *path = g_build_filename (tmpdir, "large.csv", NULL);
  g_autoptr(GString) csv = g_string_new ("email,first_name,last_name,company\n");
  g_autoptr(GFile) file = NULL;
  GtkAdjustment *adjustment;
  GListModel *model;
  Ticks ticks = { 0 };
  guint tick_id;
  gint64 start;

  for (guint i = 0; i < 100000; i++)
    g_string_append_printf (csv, "person%u@example.com,First%u,Last%u,Company %u\n", i, i, i, i % 97);
  g_assert_true (g_file_set_contents (path, csv->str, csv->len, NULL));

  /* the main loop goes on while the file is read */
  tick_id = g_timeout_add (10, count_tick_cb, &ticks);
  start = g_get_monotonic_time ();
  file = g_file_new_for_path (path);
  singly_window_open_contacts_file (window, file);
  g_assert_true (singly_contacts_page_get_loading (page));
  SINGLY_WAIT_FOR (!singly_contacts_page_get_loading (page), 60000);
  g_test_message ("100 000 rows read in %.2f s; the main loop ran %u times meanwhile, "
                  "and was busy for at most %.0f ms at a time",
                  (g_get_monotonic_time () - start) / 1e6, ticks.ticks, ticks.longest / 1e3);
  g_assert_cmpuint (ticks.ticks, >, 0);
  singly_app_test_iterate (500);
  g_source_remove (tick_id);
  g_test_message ("showing the table kept the main loop busy for at most %.0f ms at a time",
                  ticks.longest / 1e3);

  model = singly_contacts_page_get_contact_model (page);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 100000);
  singly_app_test_iterate (300);
  /* the table made items only for the rows it shows */
  g_assert_cmpuint (singly_contact_model_get_n_alive (SINGLY_CONTACT_MODEL (model)), <, 1000);

  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (singly_contacts_page_get_column_view (page)));
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 0);
  singly_contacts_page_scroll_to_row (page, 90000);
  /* the list scrolls at its next layout, later on a loaded machine */
  SINGLY_WAIT_FOR (gtk_adjustment_get_value (adjustment) > 0, 20000);
  g_assert_cmpuint (singly_contact_model_get_n_alive (SINGLY_CONTACT_MODEL (model)), <, 1000);

  singly_app_test_screenshot (GTK_WIDGET (window), "contacts-large");
  singly_app_test_close_window (window);
  singly_test_rm_rf (tmpdir);
}

static void
test_unreadable (void)
{
  SinglyWindow *window = singly_app_test_new_window ();
  SinglyContactsPage *page = singly_window_get_contacts_page (window);
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *path = g_build_filename (tmpdir, "missing.csv", NULL);

  singly_app_test_open_contacts (window, path);
  g_assert_nonnull (singly_contacts_page_get_error (page));
  g_assert_null (singly_document_get_contacts (singly_window_get_document (window)));
  singly_app_test_screenshot (GTK_WIDGET (window), "contacts-error");
  singly_app_test_close_window (window);
  singly_test_rm_rf (tmpdir);
}

static void
test_open_files (void)
{
  SinglyWindow *window = singly_app_test_new_window ();
  g_autoptr(GFile) contacts = singly_app_test_sample ("contacts.csv");
  g_autoptr(GFile) invitation = singly_app_test_sample ("invitation.txt");
  GFile *files[] = { contacts, invitation };
  SinglyDocument *document = singly_window_get_document (window);

  /* "singly contacts.csv invitation.txt": the .txt is a template, by its first line */
  singly_window_open_files (window, files, G_N_ELEMENTS (files));
  SINGLY_WAIT_FOR (singly_document_get_builder (document) != NULL, 10000);
  g_assert_true (g_file_equal (singly_document_get_contacts_file (document), contacts));
  g_assert_true (g_file_equal (singly_document_get_template_file (document), invitation));
  g_assert_cmpstr (singly_window_get_visible_page (window), ==, "contacts");
  singly_app_test_close_window (window);
}

static void
test_drop (void)
{
  SinglyWindow *window = singly_app_test_new_window ();
  g_autoptr(GFile) contacts = singly_app_test_sample ("contacts.csv");
  g_autoptr(GFile) invoice = singly_app_test_sample ("invoice.md");
  GFile *files[] = { invoice, contacts };
  SinglyDocument *document = singly_window_get_document (window);
  SinglyContactsPage *page = singly_window_get_contacts_page (window);
  GtkRecentInfo *info;
  g_autofree char *uri = g_file_get_uri (contacts);

  /* the files of a file manager, dropped anywhere on the window */
  singly_window_set_visible_page (window, "preview");
  g_assert_true (singly_app_test_drop_files (window, files, G_N_ELEMENTS (files)));
  SINGLY_WAIT_FOR (!singly_contacts_page_get_loading (page) && singly_document_get_builder (document) != NULL, 10000);
  g_assert_true (g_file_equal (singly_document_get_contacts_file (document), contacts));
  g_assert_true (g_file_equal (singly_document_get_template_file (document), invoice));
  g_assert_cmpuint (singly_contact_list_get_n_rows (singly_document_get_contacts (document)), ==, 10);
  /* the table first: that is where what is wrong shows */
  g_assert_cmpstr (singly_window_get_visible_page (window), ==, "contacts");

  /* what was dropped is offered again among the recent files */
  info = gtk_recent_manager_lookup_item (gtk_recent_manager_get_default (), uri, NULL);
  g_assert_nonnull (info);
  g_assert_true (gtk_recent_info_has_application (info, "Singly"));
  gtk_recent_info_unref (info);
  singly_app_test_screenshot (GTK_WIDGET (window), "contacts-dropped");

  /* nothing to open: the drop is refused */
  g_assert_false (singly_app_test_drop_files (window, NULL, 0));
  singly_app_test_close_window (window);
}

static void
test_narrow (void)
{
  SinglyWindow *window = singly_window_new (singly_app_test_get_application ());
  g_autofree char *contacts = singly_app_test_sample_path ("contacts.csv");
  g_autofree char *invoice = singly_app_test_sample_path ("invoice.md");
  const char *pages[] = { "contacts", "template", "preview", "send" };

  /* a phone's width: the switcher moves to the bottom */
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 700);
  gtk_window_present (GTK_WINDOW (window));
  SINGLY_WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (window)), 10000);
  singly_app_test_open_contacts (window, contacts);
  singly_app_test_open_template (window, invoice);
  SINGLY_WAIT_FOR (singly_document_get_builder (singly_window_get_document (window)) != NULL, 10000);

  {
    GtkWidget *widgets[] = {
      GTK_WIDGET (singly_window_get_contacts_page (window)),
      GTK_WIDGET (singly_window_get_template_page (window)),
      GTK_WIDGET (singly_window_get_preview_page (window)),
      GTK_WIDGET (singly_window_get_send_page (window)),
    };

    for (guint i = 0; i < G_N_ELEMENTS (widgets); i++)
      {
        int minimum = 0;

        gtk_widget_measure (widgets[i], GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
        g_test_message ("the %s page needs %d px", pages[i], minimum);
      }
  }

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *name = g_strconcat (pages[i], "-narrow", NULL);
      int minimum = 0;

      singly_window_set_visible_page (window, pages[i]);
      singly_app_test_iterate (100);
      gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
      g_test_message ("the window is at least %d px wide on the %s page", minimum, pages[i]);
      singly_app_test_screenshot (GTK_WIDGET (window), name);
    }
  singly_app_test_close_window (window);
}

int
main (int    argc,
      char **argv)
{
  singly_app_test_init (&argc, &argv);

  g_test_add_func ("/app/contacts/open-sample", test_open_sample);
  g_test_add_func ("/app/contacts/gbk", test_gbk);
  g_test_add_func ("/app/contacts/problems", test_problems);
  g_test_add_func ("/app/contacts/large", test_large);
  g_test_add_func ("/app/contacts/unreadable", test_unreadable);
  g_test_add_func ("/app/contacts/open-files", test_open_files);
  g_test_add_func ("/app/contacts/drop", test_drop);
  g_test_add_func ("/app/contacts/narrow", test_narrow);

  return g_test_run ();
}
