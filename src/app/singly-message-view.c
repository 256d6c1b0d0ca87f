/* singly-message-view.c: one merged message, as its recipient will see it
 *
 * The HTML part is shown by WebKit with everything that could reach out
 * turned off: no scripts, no images loaded by themselves, no navigation,
 * a content security policy that allows only inline styles and data:
 * images, a content filter that blocks any other load, and none of the
 * connections WebKit opens ahead of a load (preconnect, DNS prefetch,
 * preload), which neither of those sees. Opening a
 * preview must never tell a tracker that the message was read, nor run
 * what a template pasted from elsewhere carries.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <webkit/webkit.h>

#include "singly-message-view.h"

struct _SinglyMessageView
{
  AdwBin         parent_instance;

  GtkLabel      *from_label;
  GtkLabel      *to_label;
  GtkWidget     *cc_title;
  GtkLabel      *cc_label;
  GtkLabel      *subject_label;
  GtkWidget     *attachments_icon;
  GtkFlowBox    *attachments_box;
  GtkStack      *body_stack;
  GtkPaned      *body_paned;
  GtkWidget     *plain_box;
  GtkWidget     *plain_title;
  GtkTextView   *plain_view;
  GtkTextView   *source_view;

  WebKitWebView *web_view;
  char          *html;            /* the HTML part, as shown */
  char          *pending_html;    /* waiting for the content filter */
  guint          n_attachments;
  gsize          size;
  gboolean       show_source;
  gboolean       paned_placed;
};

G_DEFINE_FINAL_TYPE (SinglyMessageView, singly_message_view, ADW_TYPE_BIN)

/* Blocks every load but the document itself and data: URIs (content
 * blockers know no alternation: one rule per scheme) */
static const char content_rules[] =
  "[{\"trigger\":{\"url-filter\":\".*\"},\"action\":{\"type\":\"block\"}},"
  " {\"trigger\":{\"url-filter\":\"^data:\"},\"action\":{\"type\":\"ignore-previous-rules\"}},"
  " {\"trigger\":{\"url-filter\":\"^about:\"},\"action\":{\"type\":\"ignore-previous-rules\"}},"
  " {\"trigger\":{\"url-filter\":\"^cid:\"},\"action\":{\"type\":\"ignore-previous-rules\"}}]";

/* One filter for the process, compiled once; the views that wait for it */
static WebKitUserContentFilter *content_filter;
static gboolean content_filter_done;
static GPtrArray *views_waiting;

typedef struct
{
  const char *content_type;
  char       *text;
} TextPart;

typedef struct
{
  char    *html;
  char    *plain;
  GString *source;
  GArray  *attachments;   /* Attachment */
} Parts;

typedef struct
{
  char  *name;
  gsize  size;
} Attachment;

static void
attachment_clear (gpointer data)
{
  g_free (((Attachment *) data)->name);
}

static void
load_now (SinglyMessageView *self)
{
  g_autofree char *html = g_steal_pointer (&self->pending_html);

  if (html == NULL)
    return;
  /* no base URI: relative references resolve to nothing */
  webkit_web_view_load_html (self->web_view, html, NULL);
}

static void
content_filter_saved_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) waiting = g_steal_pointer (&views_waiting);

  content_filter = webkit_user_content_filter_store_save_finish (WEBKIT_USER_CONTENT_FILTER_STORE (source),
                                                                 result, &error);
  content_filter_done = TRUE;
  if (content_filter == NULL)
    g_debug ("no content filter (%s); the content security policy still blocks remote loads",
             error->message);

  for (guint i = 0; waiting != NULL && i < waiting->len; i++)
    {
      SinglyMessageView *view = waiting->pdata[i];

      if (content_filter != NULL)
        webkit_user_content_manager_add_filter (webkit_web_view_get_user_content_manager (view->web_view),
                                                content_filter);
      load_now (view);
    }
}

static void
request_content_filter (SinglyMessageView *self)
{
  static gboolean requested;
  g_autofree char *path = NULL;
  g_autoptr(WebKitUserContentFilterStore) store = NULL;
  g_autoptr(GBytes) rules = NULL;

  if (content_filter_done)
    {
      if (content_filter != NULL)
        webkit_user_content_manager_add_filter (webkit_web_view_get_user_content_manager (self->web_view),
                                                content_filter);
      return;
    }

  if (views_waiting == NULL)
    views_waiting = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (views_waiting, g_object_ref (self));
  if (requested)
    return;
  requested = TRUE;

  path = g_build_filename (g_get_user_cache_dir (), "singly", "content-filters", NULL);
  store = webkit_user_content_filter_store_new (path);
  rules = g_bytes_new_static (content_rules, sizeof content_rules - 1);
  webkit_user_content_filter_store_save (store, "singly-block-remote", rules, NULL,
                                         content_filter_saved_cb, NULL);
}

/* What WebKit does ahead of any load, where no content rule or policy
 * looks: a click on a link opened a connection to its server before the
 * navigation was refused (found by tests/app/test-app-security), and
 * <link> asks for DNS lookups and early fetches. Each of them would tell
 * a tracker that the message was opened. */
static void
disable_features (WebKitSettings *settings)
{
#if WEBKIT_CHECK_VERSION (2, 42, 0)
  static const char * const features_off[] = {
    "LinkPreconnect", "LinkDNSPrefetch", "LinkPreload", "LinkPrefetch", NULL
  };
  WebKitFeatureList *features = webkit_settings_get_all_features ();

  for (gsize i = 0; i < webkit_feature_list_get_length (features); i++)
    {
      WebKitFeature *feature = webkit_feature_list_get (features, i);

      if (g_strv_contains (features_off, webkit_feature_get_identifier (feature)))
        webkit_settings_set_feature_enabled (settings, feature, FALSE);
    }
  webkit_feature_list_unref (features);
#endif
}

static gboolean
web_view_policy_requested_cb (WebKitWebView            *web_view,
                              WebKitPolicyDecision     *decision,
                              WebKitPolicyDecisionType  type,
                              SinglyMessageView        *self)
{
  WebKitNavigationAction *action;
  const char *uri;

  switch (type)
    {
    case WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION:
      action = webkit_navigation_policy_decision_get_navigation_action (WEBKIT_NAVIGATION_POLICY_DECISION (decision));
      uri = webkit_uri_request_get_uri (webkit_navigation_action_get_request (action));
      /* only the document we load ourselves; links and frames go nowhere */
      if (webkit_navigation_action_get_navigation_type (action) == WEBKIT_NAVIGATION_TYPE_OTHER &&
          uri != NULL && (g_str_equal (uri, "about:blank") || g_str_has_prefix (uri, "data:")) &&
          webkit_navigation_action_is_user_gesture (action) == FALSE)
        webkit_policy_decision_use (decision);
      else
        webkit_policy_decision_ignore (decision);
      return TRUE;

    case WEBKIT_POLICY_DECISION_TYPE_NEW_WINDOW_ACTION:
      webkit_policy_decision_ignore (decision);
      return TRUE;

    case WEBKIT_POLICY_DECISION_TYPE_RESPONSE:
    default:
      return FALSE;
    }
}

/* GtkPaned would give the plain text its smallest width: it gets a
 * readable one, once, when the paned knows how wide it is */
static void
body_paned_max_position_changed_cb (SinglyMessageView *self)
{
  int max = 0;

  g_object_get (self->body_paned, "max-position", &max, NULL);
  if (self->paned_placed || max <= 0 || !gtk_widget_get_mapped (GTK_WIDGET (self->body_paned)))
    return;
  self->paned_placed = TRUE;
  gtk_paned_set_position (self->body_paned, max - MIN (320, max * 2 / 5));
}

static gboolean
web_view_context_menu_requested_cb (WebKitWebView       *web_view,
                                    WebKitContextMenu   *menu,
                                    WebKitHitTestResult *hit_test_result,
                                    gpointer             user_data)
{
  /* "Open Link", "Reload" and "Inspect" have no place in a preview */
  return TRUE;
}

static void
collect_part (GMimeObject *parent,
              GMimeObject *object,
              gpointer     user_data)
{
  Parts *parts = user_data;
  GMimeContentType *type;

  if (!GMIME_IS_PART (object))
    return;

  type = g_mime_object_get_content_type (object);
  if (g_mime_part_is_attachment (GMIME_PART (object)) || !GMIME_IS_TEXT_PART (object))
    {
      Attachment attachment = { 0 };
      GMimeDataWrapper *content = g_mime_part_get_content (GMIME_PART (object));
      const char *name = g_mime_part_get_filename (GMIME_PART (object));

      if (content != NULL)
        {
          g_autoptr(GMimeStream) null = g_mime_stream_null_new ();
          gssize n = g_mime_data_wrapper_write_to_stream (content, null);

          attachment.size = n > 0 ? (gsize) n : 0;
        }
      attachment.name = g_strdup (name != NULL ? name : _("Unnamed attachment"));
      g_array_append_val (parts->attachments, attachment);
      return;
    }

  if (g_mime_content_type_is_type (type, "text", "html") && parts->html == NULL)
    parts->html = g_mime_text_part_get_text (GMIME_TEXT_PART (object));
  else if (g_mime_content_type_is_type (type, "text", "plain") && parts->plain == NULL)
    parts->plain = g_mime_text_part_get_text (GMIME_TEXT_PART (object));
}

static char *
address_list_text (InternetAddressList *list)
{
  if (list == NULL || internet_address_list_length (list) == 0)
    return NULL;
  return internet_address_list_to_string (list, NULL, FALSE);
}

static void
clear_attachments (SinglyMessageView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->attachments_box))) != NULL)
    gtk_flow_box_remove (self->attachments_box, child);
}

static void
add_attachment (SinglyMessageView *self,
                const Attachment  *attachment)
{
  g_autofree char *size = g_format_size (attachment->size);
  /* Translators: an attachment's file name and size, "Martin.pdf · 12.3 kB" */
  g_autofree char *text = g_strdup_printf (_("%s · %s"), attachment->name, size);
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_widget_add_css_class (label, "attachment");
  gtk_flow_box_append (self->attachments_box, label);
}

/* ------------------------------------------------------------------------ */

static void
singly_message_view_dispose (GObject *object)
{
  SinglyMessageView *self = SINGLY_MESSAGE_VIEW (object);

  if (views_waiting != NULL)
    g_ptr_array_remove (views_waiting, self);


  G_OBJECT_CLASS (singly_message_view_parent_class)->dispose (object);
}

static void
singly_message_view_finalize (GObject *object)
{
  SinglyMessageView *self = SINGLY_MESSAGE_VIEW (object);

  g_free (self->html);
  g_free (self->pending_html);

  G_OBJECT_CLASS (singly_message_view_parent_class)->finalize (object);
}

static void
singly_message_view_class_init (SinglyMessageViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = singly_message_view_dispose;
  object_class->finalize = singly_message_view_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/singly/Singly/singly-message-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SinglyMessageView, from_label);
  gtk_widget_class_bind_template_child (widget_class, SinglyMessageView, to_label);
  gtk_widget_class_bind_template_child (widget_class, SinglyMessageView, cc_title);
  gtk_widget_class_bind_template_child (widget_class, SinglyMessageView, cc_label);
  gtk_widget_class_bind_template_child (widget_class, SinglyMessageView, subject_label);
  gtk_widget_class_bind_template_child (widget_class, SinglyMessageView, attachments_icon);
  gtk_widget_class_bind_template_child (widget_class, SinglyMessageView, attachments_box);
  gtk_widget_class_bind_template_child (widget_class, SinglyMessageView, body_stack);
  gtk_widget_class_bind_template_child (widget_class, SinglyMessageView, body_paned);
  gtk_widget_class_bind_template_child (widget_class, SinglyMessageView, plain_box);
  gtk_widget_class_bind_template_child (widget_class, SinglyMessageView, plain_title);
  gtk_widget_class_bind_template_child (widget_class, SinglyMessageView, plain_view);
  gtk_widget_class_bind_template_child (widget_class, SinglyMessageView, source_view);
}

static void
singly_message_view_init (SinglyMessageView *self)
{
  WebKitSettings *settings;
  GtkWidget *frame;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->web_view = WEBKIT_WEB_VIEW (webkit_web_view_new ());
  settings = webkit_web_view_get_settings (self->web_view);
  webkit_settings_set_enable_javascript (settings, FALSE);
  webkit_settings_set_enable_javascript_markup (settings, FALSE);
  webkit_settings_set_auto_load_images (settings, FALSE);
  webkit_settings_set_enable_html5_local_storage (settings, FALSE);
  webkit_settings_set_enable_html5_database (settings, FALSE);
  webkit_settings_set_enable_page_cache (settings, FALSE);
  webkit_settings_set_enable_developer_extras (settings, FALSE);
  webkit_settings_set_enable_webgl (settings, FALSE);
  webkit_settings_set_enable_webaudio (settings, FALSE);
  webkit_settings_set_enable_media (settings, FALSE);
  webkit_settings_set_allow_file_access_from_file_urls (settings, FALSE);
  disable_features (settings);
  g_signal_connect (self->web_view, "decide-policy", G_CALLBACK (web_view_policy_requested_cb), self);
  g_signal_connect (self->web_view, "context-menu", G_CALLBACK (web_view_context_menu_requested_cb), self);
  gtk_widget_set_hexpand (GTK_WIDGET (self->web_view), TRUE);
  gtk_widget_set_size_request (GTK_WIDGET (self->web_view), 120, -1);

  frame = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (frame), GTK_WIDGET (self->web_view));
  gtk_paned_set_start_child (self->body_paned, frame);
  g_signal_connect_swapped (self->body_paned, "notify::max-position",
                            G_CALLBACK (body_paned_max_position_changed_cb), self);
  gtk_widget_set_size_request (self->plain_box, 140, -1);

  request_content_filter (self);
}

/**
 * singly_message_view_wrap_html:
 * @html: an HTML part
 *
 * Puts a content security policy in front of @html, which the HTML parser
 * moves into its head whatever the document starts with: it lets inline
 * styles and data: images through, and nothing else.
 *
 * Returns: (transfer full): the document to load
 */
char *
singly_message_view_wrap_html (const char *html)
{
  g_return_val_if_fail (html != NULL, NULL);

  return g_strconcat ("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                      "style-src 'unsafe-inline'; img-src data: cid:; font-src data:\">",
                      html, NULL);
}

/**
 * singly_message_view_set_message:
 * @message: (nullable): the message to show
 */
void
singly_message_view_set_message (SinglyMessageView *self,
                                 SinglyMessage     *message)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *cc = NULL;
  g_autofree char *source = NULL;
  Parts parts = { 0 };
  GtkTextBuffer *buffer;

  g_return_if_fail (SINGLY_IS_MESSAGE_VIEW (self));

  clear_attachments (self);
  g_clear_pointer (&self->html, g_free);
  self->n_attachments = 0;
  self->size = 0;

  if (message == NULL)
    {
      gtk_label_set_text (self->from_label, "");
      gtk_label_set_text (self->to_label, "");
      gtk_label_set_text (self->subject_label, "");
      gtk_widget_set_visible (self->cc_title, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->cc_label), FALSE);
      gtk_widget_set_visible (self->attachments_icon, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->attachments_box), FALSE);
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->plain_view), "", -1);
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->source_view), "", -1);
      return;
    }

  from = address_list_text (g_mime_message_get_from (message->mime));
  to = address_list_text (g_mime_message_get_addresses (message->mime, GMIME_ADDRESS_TYPE_TO));
  cc = address_list_text (g_mime_message_get_addresses (message->mime, GMIME_ADDRESS_TYPE_CC));
  gtk_label_set_text (self->from_label, from ? from : "");
  gtk_label_set_text (self->to_label, to ? to : "");
  gtk_label_set_text (self->cc_label, cc ? cc : "");
  gtk_widget_set_visible (self->cc_title, cc != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->cc_label), cc != NULL);
  gtk_label_set_text (self->subject_label, g_mime_message_get_subject (message->mime)
                                           ? g_mime_message_get_subject (message->mime) : "");

  parts.attachments = g_array_new (FALSE, TRUE, sizeof (Attachment));
  g_array_set_clear_func (parts.attachments, attachment_clear);
  g_mime_message_foreach (message->mime, collect_part, &parts);

  for (guint i = 0; i < parts.attachments->len; i++)
    add_attachment (self, &g_array_index (parts.attachments, Attachment, i));
  self->n_attachments = parts.attachments->len;
  gtk_widget_set_visible (self->attachments_icon, self->n_attachments > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->attachments_box), self->n_attachments > 0);
  g_array_unref (parts.attachments);

  buffer = gtk_text_view_get_buffer (self->plain_view);
  gtk_text_buffer_set_text (buffer, parts.plain ? parts.plain : "", -1);

  /* the web view only for an HTML part; plain text alone fills the space */
  gtk_widget_set_visible (gtk_paned_get_start_child (self->body_paned), parts.html != NULL);
  gtk_widget_set_visible (self->plain_title, parts.html != NULL);
  if (parts.html != NULL)
    {
      self->html = g_steal_pointer (&parts.html);
      g_free (self->pending_html);
      self->pending_html = singly_message_view_wrap_html (self->html);
      if (content_filter_done)
        load_now (self);
    }
  g_free (parts.plain);

  bytes = singly_message_to_bytes (message);
  self->size = g_bytes_get_size (bytes);
  source = g_utf8_make_valid (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->source_view), source, -1);
}

/**
 * singly_message_view_set_show_source:
 *
 * Shows the message as it goes on the wire instead of as it reads.
 */
void
singly_message_view_set_show_source (SinglyMessageView *self,
                                     gboolean           show_source)
{
  g_return_if_fail (SINGLY_IS_MESSAGE_VIEW (self));

  self->show_source = !!show_source;
  gtk_stack_set_visible_child_name (self->body_stack, show_source ? "source" : "rendered");
}

const char *
singly_message_view_get_from (SinglyMessageView *self)
{
  g_return_val_if_fail (SINGLY_IS_MESSAGE_VIEW (self), NULL);
  return gtk_label_get_text (self->from_label);
}

const char *
singly_message_view_get_to (SinglyMessageView *self)
{
  g_return_val_if_fail (SINGLY_IS_MESSAGE_VIEW (self), NULL);
  return gtk_label_get_text (self->to_label);
}

const char *
singly_message_view_get_subject (SinglyMessageView *self)
{
  g_return_val_if_fail (SINGLY_IS_MESSAGE_VIEW (self), NULL);
  return gtk_label_get_text (self->subject_label);
}

/**
 * singly_message_view_get_html:
 *
 * Returns: (nullable): the HTML part shown, before the policy is added
 */
const char *
singly_message_view_get_html (SinglyMessageView *self)
{
  g_return_val_if_fail (SINGLY_IS_MESSAGE_VIEW (self), NULL);
  return self->html;
}

/**
 * singly_message_view_dup_plain:
 *
 * Returns: (transfer full): the plain-text part shown
 */
char *
singly_message_view_dup_plain (SinglyMessageView *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (SINGLY_IS_MESSAGE_VIEW (self), NULL);

  buffer = gtk_text_view_get_buffer (self->plain_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

guint
singly_message_view_get_n_attachments (SinglyMessageView *self)
{
  g_return_val_if_fail (SINGLY_IS_MESSAGE_VIEW (self), 0);
  return self->n_attachments;
}

/**
 * singly_message_view_get_size:
 *
 * Returns: the size of the message on the wire, in bytes
 */
gsize
singly_message_view_get_size (SinglyMessageView *self)
{
  g_return_val_if_fail (SINGLY_IS_MESSAGE_VIEW (self), 0);
  return self->size;
}
