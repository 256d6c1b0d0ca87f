/* test-app-security.c: the HTML preview keeps what it shows to itself
 *
 * A template pasted from elsewhere may carry a tracking pixel, scripts
 * and links. Previewing it must load nothing from anywhere, run nothing,
 * and go nowhere, whatever is clicked. The test serves HTTP on 127.0.0.1
 * itself, points every kind of remote load in the template at it, and
 * counts what arrives: nothing may.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <dlfcn.h>
#include <string.h>

#include <gdk/x11/gdkx.h>
#include <webkit/webkit.h>

#include "singly-app-test.h"
#include "singly-message-view.h"
#include "singly-test-util.h"

/* What connects to the test's HTTP port, and what it asks for */
typedef struct
{
  GSocketService *service;
  guint16         port;
  guint           n_connections;
  GString        *requests;
} Listener;

static void
request_read_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GSocketConnection) connection = user_data;
  Listener *listener = g_object_get_data (G_OBJECT (connection), "listener");
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);
  static const char reply[] = "HTTP/1.0 204 No Content\r\nConnection: close\r\n\r\n";
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));

  if (bytes != NULL && g_bytes_get_size (bytes) > 0)
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

      text[strcspn (text, "\r\n")] = '\0';
      g_string_append_printf (listener->requests, "%s; ", text);
    }
  g_output_stream_write_all (out, reply, sizeof reply - 1, NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             Listener          *listener)
{
  listener->n_connections++;
  g_object_set_data (G_OBJECT (connection), "listener", listener);
  g_input_stream_read_bytes_async (g_io_stream_get_input_stream (G_IO_STREAM (connection)), 2048,
                                   G_PRIORITY_DEFAULT, NULL, request_read_cb, g_object_ref (connection));
  return TRUE;
}

static void
listener_start (Listener *listener)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  listener->service = g_socket_service_new ();
  listener->requests = g_string_new (NULL);
  g_socket_listener_add_address (G_SOCKET_LISTENER (listener->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  listener->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (listener->service, "incoming", G_CALLBACK (incoming_cb), listener);
  g_socket_service_start (listener->service);
}

static void
listener_stop (Listener *listener)
{
  g_socket_service_stop (listener->service);
  g_socket_listener_close (G_SOCKET_LISTENER (listener->service));
  g_clear_object (&listener->service);
  g_string_free (listener->requests, TRUE);
}

static WebKitWebView *
find_web_view (GtkWidget *widget)
{
  if (WEBKIT_IS_WEB_VIEW (widget))
    return WEBKIT_WEB_VIEW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      WebKitWebView *found = find_web_view (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* What the web view did, as its signals tell it */
typedef struct
{
  guint  n_finished;
  char  *hovered_link;
} ViewEvents;

static void
load_changed_cb (WebKitWebView   *web_view,
                 WebKitLoadEvent  event,
                 ViewEvents      *events)
{
  if (event == WEBKIT_LOAD_FINISHED)
    events->n_finished++;
}

static void
mouse_target_changed_cb (WebKitWebView       *web_view,
                         WebKitHitTestResult *hit,
                         guint                modifiers,
                         ViewEvents          *events)
{
  g_free (events->hovered_link);
  events->hovered_link = webkit_hit_test_result_context_is_link (hit)
                         ? g_strdup (webkit_hit_test_result_get_link_uri (hit)) : NULL;
}

/* A user's click, through the X server's XTEST extension: the one way to
 * give WebKit a click that it takes for a person's. libXtst is looked up
 * at run time, so building the tests needs no headers of its own. */
typedef int (*FakeMotionFunc) (Display *display, int screen, int x, int y, unsigned long delay);
typedef int (*FakeButtonFunc) (Display *display, unsigned int button, Bool is_press, unsigned long delay);
typedef int (*FlushFunc) (Display *display);
typedef Bool (*TranslateFunc) (Display *display, Window src, Window dest, int src_x, int src_y,
                               int *dest_x, int *dest_y, Window *child);

typedef struct
{
  FakeMotionFunc  fake_motion;
  FakeButtonFunc  fake_button;
  FlushFunc       flush;
  TranslateFunc   translate;
} Xtest;

/* Loaded once and kept: XTEST keeps what it knows of the display in the
 * library, which must outlive the display's use */
static gboolean
xtest_open (Xtest *xtest)
{
  static void *library;

  if (library == NULL)
    library = dlopen ("libXtst.so.6", RTLD_NOW | RTLD_LOCAL);
  if (library == NULL)
    return FALSE;
  xtest->fake_motion = (FakeMotionFunc) dlsym (library, "XTestFakeMotionEvent");
  xtest->fake_button = (FakeButtonFunc) dlsym (library, "XTestFakeButtonEvent");
  xtest->flush = (FlushFunc) dlsym (library, "XFlush");
  xtest->translate = (TranslateFunc) dlsym (library, "XTranslateCoordinates");
  return xtest->fake_motion != NULL && xtest->fake_button != NULL &&
         xtest->flush != NULL && xtest->translate != NULL;
}

/* Moves the pointer to (@x, @y) of @widget, in the X server's own terms */
static void
xtest_move_to (Xtest     *xtest,
               GtkWidget *widget,
               double     x,
               double     y)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GdkSurface *surface = gtk_native_get_surface (native);
  Display *display = gdk_x11_display_get_xdisplay (gtk_widget_get_display (widget));
  graphene_point_t point;
  double surface_x, surface_y;
  int root_x, root_y;
  Window child;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native), &GRAPHENE_POINT_INIT (x, y), &point));
  gtk_native_get_surface_transform (native, &surface_x, &surface_y);
  xtest->translate (display, gdk_x11_surface_get_xid (surface),
                    gdk_x11_display_get_xrootwindow (gtk_widget_get_display (widget)),
                    (int) (point.x + surface_x), (int) (point.y + surface_y), &root_x, &root_y, &child);
  xtest->fake_motion (display, -1, root_x, root_y, 0);
  xtest->flush (display);
}

static void
xtest_click (Xtest     *xtest,
             GtkWidget *widget)
{
  Display *display = gdk_x11_display_get_xdisplay (gtk_widget_get_display (widget));

  xtest->fake_button (display, 1, True, 0);
  xtest->fake_button (display, 1, False, 0);
  xtest->flush (display);
}

/* A page that reaches out every way it can: images, style, frames,
 * scripts, a refresh, and a link as big as the page, so that a click
 * anywhere lands on it. Without @refresh, for a view that has no
 * navigation policy. */
static char *
tracked_html (Listener   *listener,
              gboolean    refresh)
{
  guint port = listener->port;
  g_autofree char *meta = refresh
                          ? g_strdup_printf ("<meta http-equiv=\"refresh\" content=\"0; url=http://127.0.0.1:%u/refresh\">\n", port)
                          : g_strdup ("");

  return g_strdup_printf ("<!DOCTYPE html>\n"
                          "<html><head><title>untouched</title>\n"
                          "%s"
                          "<link rel=\"stylesheet\" href=\"http://127.0.0.1:%u/style.css\">\n"
                          "<script src=\"http://127.0.0.1:%u/script.js\"></script>\n"
                          "<script>document.title = 'script ran';"
                          " new Image ().src = 'http://127.0.0.1:%u/from-script';</script>\n"
                          "</head>\n"
                          "<body onload=\"document.title = 'onload ran'\""
                          " style=\"margin: 0; background: url(http://127.0.0.1:%u/background.png)\">\n"
                          "<a href=\"http://127.0.0.1:%u/link\" style=\"display: block; height: 2000px\">\n"
                          "<img src=\"http://127.0.0.1:%u/pixel.png\" width=\"1\" height=\"1\">\n"
                          "Dear {{first_name}}, the whole page is a link.</a>\n"
                          "<iframe src=\"http://127.0.0.1:%u/frame\"></iframe>\n"
                          "</body></html>\n",
                          meta, port, port, port, port, port, port, port);
}

/* A window previewing @html as an HTML template, its web view watched */
static SinglyWindow *
open_preview (const char     *tmpdir,
              const char     *html,
              ViewEvents     *events,
              WebKitWebView **web_view_out)
{
  g_autofree char *contacts = singly_app_test_write_tmp (tmpdir, "list.csv",
                                                        "email,first_name\na@example.com,Ann\n");
  g_autofree char *text = g_strconcat ("Subject: Hello {{first_name}}\n\n", html, NULL);
  g_autofree char *template = singly_app_test_write_tmp (tmpdir, "tracked.html", text);
  g_autoptr(SinglyAccount) folder = singly_account_new_folder ("/nonexistent", "Example Trading",
                                                              "office@example.org");
  SinglyWindow *window = singly_app_test_new_window ();
  WebKitWebView *web_view = find_web_view (GTK_WIDGET (singly_window_get_preview_page (window)));

  g_assert_nonnull (web_view);
  g_signal_connect (web_view, "load-changed", G_CALLBACK (load_changed_cb), events);
  g_signal_connect (web_view, "mouse-target-changed", G_CALLBACK (mouse_target_changed_cb), events);

  singly_window_set_account (window, folder);
  singly_app_test_open_contacts (window, contacts);
  singly_app_test_open_template (window, template);
  SINGLY_WAIT_FOR (singly_document_get_builder (singly_window_get_document (window)) != NULL, 10000);
  singly_window_set_visible_page (window, "preview");
  g_assert_nonnull (strstr (singly_preview_page_get_html (singly_window_get_preview_page (window)),
                            "Dear Ann"));
  *web_view_out = web_view;
  return window;
}

/* Waits for the load that follows, and for what a refresh, a frame or a
 * pixel would take after it */
static void
wait_for_load (WebKitWebView *web_view,
               ViewEvents    *events,
               guint          n_finished_before)
{
  SINGLY_WAIT_FOR (events->n_finished > n_finished_before && !webkit_web_view_is_loading (web_view), 30000);
  singly_app_test_iterate (1500);
}

static void
assert_nothing_reached_out (Listener      *listener,
                            WebKitWebView *web_view)
{
  g_test_message ("requests: %s", listener->requests->str);
  g_assert_cmpuint (listener->n_connections, ==, 0);
  /* no script ran, not even the page's onload, and the view went nowhere */
  g_assert_cmpstr (webkit_web_view_get_title (web_view), ==, "untouched");
  g_assert_cmpstr (webkit_web_view_get_uri (web_view), ==, "about:blank");
}

/* The preview as the application shows it: nothing loads, nothing runs,
 * and a click on a link goes nowhere and connects to nothing */
static void
test_preview_is_sealed (void)
{
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *html = NULL;
  g_autofree char *link = NULL;
  Listener listener = { 0 };
  ViewEvents events = { 0 };
  SinglyWindow *window;
  WebKitWebView *web_view;
  Xtest xtest = { 0 };

  listener_start (&listener);
  html = tracked_html (&listener, TRUE);
  link = g_strdup_printf ("http://127.0.0.1:%u/link", listener.port);
  window = open_preview (tmpdir, html, &events, &web_view);
  wait_for_load (web_view, &events, 0);
  singly_app_test_screenshot (GTK_WIDGET (window), "preview-sealed");
  assert_nothing_reached_out (&listener, web_view);

  if (xtest_open (&xtest))
    {
      GtkWidget *widget = GTK_WIDGET (web_view);

      xtest_move_to (&xtest, widget, gtk_widget_get_width (widget) / 2.0, gtk_widget_get_height (widget) / 2.0);
      SINGLY_WAIT_FOR (g_strcmp0 (events.hovered_link, link) == 0, 10000);
      singly_app_test_iterate (500);
      xtest_click (&xtest, widget);
      singly_app_test_iterate (1500);
      assert_nothing_reached_out (&listener, web_view);
    }
  else
    g_test_message ("no libXtst: the click is not tried");

  /* what WebKit would do ahead of a load, beyond any rule's reach */
  {
    WebKitSettings *settings = webkit_web_view_get_settings (web_view);
    WebKitFeatureList *features = webkit_settings_get_all_features ();
    guint n_off = 0;

    for (gsize i = 0; i < webkit_feature_list_get_length (features); i++)
      {
        WebKitFeature *feature = webkit_feature_list_get (features, i);
        const char *id = webkit_feature_get_identifier (feature);

        if (g_str_equal (id, "LinkPreconnect") || g_str_equal (id, "LinkDNSPrefetch") ||
            g_str_equal (id, "LinkPreload") || g_str_equal (id, "LinkPrefetch"))
          {
            g_assert_false (webkit_settings_get_feature_enabled (settings, feature));
            n_off++;
          }
      }
    webkit_feature_list_unref (features);
    g_assert_cmpuint (n_off, ==, 4);
  }

  g_signal_handlers_disconnect_by_data (web_view, &events);
  singly_app_test_close_window (window);
  listener_stop (&listener);
  g_free (events.hovered_link);
  singly_test_rm_rf (tmpdir);
}

/* Each wall on its own, so that none can go unnoticed behind the others.
 * Here the page goes into the preview's web view as it is, without the
 * content security policy: the settings (no scripts, no images), the
 * content filter and the navigation policy must hold it alone. */
static void
test_without_policy_header (void)
{
  g_autofree char *tmpdir = singly_test_tmpdir ();
  g_autofree char *html = NULL;
  Listener listener = { 0 };
  ViewEvents events = { 0 };
  SinglyWindow *window;
  WebKitWebView *web_view;
  WebKitSettings *settings;
  guint n_finished;

  listener_start (&listener);
  html = tracked_html (&listener, TRUE);
  window = open_preview (tmpdir, "<p>Dear {{first_name}}</p>", &events, &web_view);
  wait_for_load (web_view, &events, 0);

  settings = webkit_web_view_get_settings (web_view);
  g_assert_false (webkit_settings_get_enable_javascript (settings));
  g_assert_false (webkit_settings_get_enable_javascript_markup (settings));
  g_assert_false (webkit_settings_get_auto_load_images (settings));
  g_assert_false (webkit_settings_get_enable_html5_local_storage (settings));
  g_assert_false (webkit_settings_get_enable_html5_database (settings));
  g_assert_false (webkit_settings_get_enable_webgl (settings));
  g_assert_false (webkit_settings_get_enable_webaudio (settings));
  g_assert_false (webkit_settings_get_enable_media (settings));
  g_assert_false (webkit_settings_get_enable_developer_extras (settings));
  g_assert_false (webkit_settings_get_allow_file_access_from_file_urls (settings));

  n_finished = events.n_finished;
  webkit_web_view_load_html (web_view, html, NULL);
  wait_for_load (web_view, &events, n_finished);
  assert_nothing_reached_out (&listener, web_view);

  g_signal_handlers_disconnect_by_data (web_view, &events);
  singly_app_test_close_window (window);
  listener_stop (&listener);
  g_free (events.hovered_link);
  singly_test_rm_rf (tmpdir);
}

/* The content security policy alone, in a web view with nothing else
 * turned off: scripts and images allowed, no filter, no policy */
static void
test_policy_header_alone (void)
{
  g_autofree char *html = NULL;
  g_autofree char *wrapped = NULL;
  Listener listener = { 0 };
  ViewEvents events = { 0 };
  GtkWidget *window = gtk_window_new ();
  WebKitWebView *web_view = WEBKIT_WEB_VIEW (webkit_web_view_new ());

  listener_start (&listener);
  gtk_window_set_default_size (GTK_WINDOW (window), 600, 400);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (web_view));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (webkit_settings_get_enable_javascript (webkit_web_view_get_settings (web_view)));
  g_signal_connect (web_view, "load-changed", G_CALLBACK (load_changed_cb), &events);

  /* no refresh: a policy header cannot stop one, the navigation policy does */
  html = tracked_html (&listener, FALSE);
  wrapped = singly_message_view_wrap_html (html);
  webkit_web_view_load_html (web_view, wrapped, NULL);
  wait_for_load (web_view, &events, 0);
  assert_nothing_reached_out (&listener, web_view);

  gtk_window_destroy (GTK_WINDOW (window));
  singly_app_test_iterate (50);
  listener_stop (&listener);
}

int
main (int    argc,
      char **argv)
{
  singly_app_test_init (&argc, &argv);

  g_test_add_func ("/app/security/preview-is-sealed", test_preview_is_sealed);
  g_test_add_func ("/app/security/without-policy-header", test_without_policy_header);
  g_test_add_func ("/app/security/policy-header-alone", test_policy_header_alone);

  return g_test_run ();
}
