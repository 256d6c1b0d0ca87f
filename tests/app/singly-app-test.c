/* singly-app-test.c: opening real windows in the application tests
 *
 * The tests run the real application object (registered on the D-Bus
 * session the wrapper starts), open real windows and drive them through
 * their actions and public functions, as a user would through menus,
 * never through a file chooser. Each writes a screenshot of what it
 * tested into the build tree, for people to look at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "singly-app-test.h"
#include "singly-test-util.h"

static SinglyApplication *app;

void
singly_app_test_init (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;

  const char *locale = g_getenv ("SINGLY_TEST_LOCALE");
  const char *localedir = g_getenv ("SINGLY_LOCALEDIR");

  /* English unless a test asks for a language, with the catalogues of the
   * build tree */
  g_setenv ("LC_ALL", locale != NULL ? locale : "C.UTF-8", TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_test_init (argc, argv, NULL);
  gtk_init ();
  adw_init ();

  app = singly_application_new ();
  /* several test programs may run on one session bus */
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("cannot register the application: %s", error->message);
}

SinglyApplication *
singly_app_test_get_application (void)
{
  return app;
}

SinglyWindow *
singly_app_test_new_window (void)
{
  SinglyWindow *window = singly_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  gtk_window_present (GTK_WINDOW (window));
  SINGLY_WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (window)), 10000);
  return window;
}

void
singly_app_test_close_window (SinglyWindow *window)
{
  SinglySendPageState state = singly_send_page_get_state (singly_window_get_send_page (window));

  if (state == SINGLY_SEND_PAGE_RUNNING || state == SINGLY_SEND_PAGE_PAUSED)
    {
      singly_send_page_cancel (singly_window_get_send_page (window));
      SINGLY_WAIT_FOR (singly_send_page_get_state (singly_window_get_send_page (window)) == SINGLY_SEND_PAGE_FINISHED,
                       30000);
    }
  gtk_window_destroy (GTK_WINDOW (window));
  singly_app_test_iterate (50);
}

static gboolean
wake_up_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* One blocking iteration, woken up at least every 5 ms (at a low priority,
 * so that drawing is never starved): the main context stays owned by this
 * thread, as in a running application. */
void
singly_app_test_iterate_once (void)
{
  static guint wake_up_id;

  if (wake_up_id == 0)
    wake_up_id = g_timeout_add_full (G_PRIORITY_LOW, 5, wake_up_cb, NULL, NULL);
  g_main_context_iteration (NULL, TRUE);
}

/* Runs the main loop for @ms, so that layout and drawing catch up */
void
singly_app_test_iterate (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    singly_app_test_iterate_once ();
}

/* Renders @widget as it is on screen into tests/screenshots/@name.png in
 * the build tree. */
void
singly_app_test_screenshot (GtkWidget  *widget,
                            const char *name)
{
  const char *dir = g_getenv ("SINGLY_SCREENSHOTS");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer;
  int width, height;

  if (dir == NULL)
    return;
  g_mkdir_with_parents (dir, 0755);

  /* what was just set up is drawn before it is shot */
  singly_app_test_iterate (400);

  paintable = gtk_widget_paintable_new (widget);
  for (guint attempt = 0; node == NULL && attempt < 20; attempt++)
    {
      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
      if (node == NULL)
        {
          g_test_message ("nothing drawn yet (mapped %d, %d×%d); waiting",
                          gtk_widget_get_mapped (widget), width, height);
          gtk_widget_queue_draw (widget);
          singly_app_test_iterate (100);
        }
    }
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  file_name = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file_name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

char *
singly_app_test_sample_path (const char *name)
{
  return singly_test_sample_path (name);
}

GFile *
singly_app_test_sample (const char *name)
{
  g_autofree char *path = singly_test_sample_path (name);

  return g_file_new_for_path (path);
}

/* Opens a contact list as the window's "Open Contacts" does after the file
 * chooser, and waits until it is read. */
void
singly_app_test_open_contacts (SinglyWindow *window,
                               const char   *path)
{
  SinglyContactsPage *page = singly_window_get_contacts_page (window);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  SinglyDocument *document = singly_window_get_document (window);

  singly_window_open_contacts_file (window, file);
  SINGLY_WAIT_FOR (!singly_contacts_page_get_loading (page), 60000);
  if (singly_contacts_page_get_error (page) == NULL)
    g_assert_true (g_file_equal (singly_document_get_contacts_file (document), file));
}

void
singly_app_test_open_template (SinglyWindow *window,
                               const char   *path)
{
  SinglyTemplatePage *page = singly_window_get_template_page (window);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  singly_window_open_template_file (window, file);
  SINGLY_WAIT_FOR (!singly_template_page_get_loading (page), 10000);
}

void
singly_app_test_activate (SinglyWindow *window,
                          const char   *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), action, NULL));
}

/* The message dialog shown last, if any */
AdwMessageDialog *
singly_app_test_find_dialog (void)
{
  g_autoptr(GListModel) toplevels = NULL;
  AdwMessageDialog *found = NULL;

  toplevels = gtk_window_get_toplevels ();
  g_object_ref (toplevels);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        found = ADW_MESSAGE_DIALOG (window);
    }
  return found;
}

char *
singly_app_test_write_tmp (const char *dir,
                           const char *name,
                           const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

/* Drops @files on the window as a file manager does: the window's drop
 * target gets a GdkFileList */
gboolean
singly_app_test_drop_files (SinglyWindow  *window,
                            GFile        **files,
                            guint          n_files)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  GtkDropTarget *target = NULL;
  GValue value = G_VALUE_INIT;
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && target == NULL; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        target = GTK_DROP_TARGET (controller);
    }
  g_assert_nonnull (target);

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_array (files, n_files));
  g_signal_emit_by_name (target, "drop", &value, 20.0, 20.0, &handled);
  g_value_unset (&value);
  return handled;
}

static void
collect_widgets (GtkWidget *widget,
                 GType      type,
                 GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_widgets (child, type, found);
}

/* Every widget of @type inside @root (and @root itself), in tree order */
GPtrArray *
singly_app_test_find_widgets (GtkWidget *root,
                              GType      type)
{
  GPtrArray *found = g_ptr_array_new ();

  collect_widgets (root, type, found);
  return found;
}
