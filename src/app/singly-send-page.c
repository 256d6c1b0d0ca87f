/* singly-send-page.c: the Send page: where mail goes, and how it goes
 *
 * Before: the account, the sender and how many will get the message.
 * Sending: a job in its worker thread; its ::progress batches update the
 * rows of the table in place, its ::finished ends the run. The journal
 * is the campaign's memory: opened again for the same files and sender,
 * it resumes where the last run stopped, and recipients whose message may
 * or may not have arrived wait for the user's decision.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "singly-address.h"
#include "singly-application.h"
#include "singly-secret-prompt.h"
#include "singly-send-model.h"
#include "singly-send-page.h"
#include "singly-util.h"

/* A run longer than this ends with a desktop notification: someone who
 * waited over a minute has likely looked elsewhere */
#define NOTIFY_AFTER_SECONDS 60.0

typedef enum
{
  COLUMN_STATE,
  COLUMN_ADDRESS,
  COLUMN_NAME,
  COLUMN_REPLY,
  COLUMN_TIME,
} Column;

struct _SinglySendPage
{
  AdwBin               parent_instance;

  GtkStack            *stack;
  AdwStatusPage       *empty_status;
  AdwComboRow         *account_row;
  AdwActionRow        *folder_row;
  GtkWidget           *folder_button;
  AdwEntryRow         *sender_name_row;
  AdwEntryRow         *sender_address_row;
  AdwActionRow        *summary_row;
  AdwActionRow        *journal_row;
  GtkButton           *send_button;
  GtkLabel            *status_label;
  GtkLabel            *where_label;
  GtkWidget           *pause_button;
  GtkWidget           *resume_button;
  GtkWidget           *cancel_button;
  GtkWidget           *retry_button;
  GtkWidget           *report_button;
  GtkWidget           *done_button;
  GtkProgressBar      *progress_bar;
  GtkLabel            *counts_label;
  GtkLabel            *error_label;
  GtkDropDown         *filter_dropdown;
  GtkSearchEntry      *search_entry;
  GtkLabel            *shown_label;
  GtkColumnView       *column_view;

  SinglyDocument      *document;
  SinglyAccountStore  *accounts;
  SinglyAccountItem   *watched_item;    /* the store's item of the account chosen */
  SinglyJournal       *journal;
  SinglyMessageBuilder *job_builder;    /* what the journal was opened for */
  SinglySendJob       *job;
  SinglySendModel     *model;
  GtkFilterListModel  *filtered;
  GtkCustomFilter     *filter;
  GtkFileChooserNative *chooser;
  AdwMessageDialog    *dialog;
  GtkWidget           *resend_check;
  GCancellable        *cancellable;     /* of the password asked for */
  SinglySecretSource  *secret;          /* of the job running, wiped when it ends */

  SinglySendPageState  state;
  int                  filter_state;    /* a SinglyRecipientState, or -1 for all */
  char                *search;          /* case-folded */
  gint64               started;
  guint                remaining_at_start;
  double               notify_after;    /* seconds */
  gboolean             cancelling;
  gboolean             asking;          /* for the password of the next job */
  gboolean             updating_account;
  gboolean             store_changed_while_busy;
};

/* A job about to start, once the password is there */
typedef struct
{
  SinglySendPage       *self;
  SinglyMessageBuilder *builder;
  gboolean              resend_unknown;
  GArray               *rows;           /* (nullable) only these rows */
} PendingJob;

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SinglySendPage, singly_send_page, ADW_TYPE_BIN)

/* the filter dropdown's entries, in order */
static const int filter_states[] = {
  -1,
  SINGLY_RECIPIENT_FAILED,
  SINGLY_RECIPIENT_DEFERRED,
  SINGLY_RECIPIENT_UNKNOWN,
  SINGLY_RECIPIENT_SENT,
  SINGLY_RECIPIENT_SKIPPED,
  SINGLY_RECIPIENT_QUEUED,
};

static void update_ready (SinglySendPage *self);
static void update_progress (SinglySendPage *self);
static void forget_session_password (SinglySendPage *self);

static void
set_state (SinglySendPage      *self,
           SinglySendPageState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static GtkWindow *
get_window (SinglySendPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static GSettings *
get_settings (SinglySendPage *self)
{
  GtkWindow *window = get_window (self);
  GtkApplication *app = window ? gtk_window_get_application (window) : NULL;

  return app != NULL && SINGLY_IS_APPLICATION (app)
         ? singly_application_get_settings (SINGLY_APPLICATION (app)) : NULL;
}

static void
show_toast (SinglySendPage *self,
            const char     *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (escaped));
}

static char *
format_count (guint n)
{
  /* grouped as the locale groups thousands: "1 234", "1,234" */
  return g_strdup_printf ("%'u", n);
}

/* The journal's path for the files and the sender now */
static char *
dup_journal_path (SinglySendPage *self)
{
  GFile *contacts_file = singly_document_get_contacts_file (self->document);
  GFile *template_file = singly_document_get_template_file (self->document);
  const SinglyAccount *account = singly_document_get_account (self->document);
  g_autofree char *contacts_path = contacts_file ? g_file_get_path (contacts_file) : NULL;
  g_autofree char *template_path = template_file ? g_file_get_path (template_file) : NULL;
  g_autofree char *key = NULL;

  if (contacts_path == NULL || template_path == NULL || account->sender_address == NULL)
    return NULL;
  key = singly_util_journal_key (account);
  return singly_journal_default_path (contacts_path, template_path, key);
}

static gboolean
open_journal (SinglySendPage  *self,
              GError         **error)
{
  GFile *template_file = singly_document_get_template_file (self->document);
  SinglyMessageBuilder *builder = singly_document_get_builder (self->document);
  g_autofree char *path = dup_journal_path (self);
  g_autofree char *template_path = NULL;
  g_autofree char *contacts_sum = NULL;
  g_autofree char *template_sum = NULL;
  SinglyJournalIdentity identity;

  g_clear_object (&self->journal);
  g_clear_object (&self->job_builder);

  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("Save the template first: the journal that keeps a send from going twice belongs to files"));
      return FALSE;
    }

  template_path = g_file_get_path (template_file);
  /* the list as it was read (and is sent), its checksum taken then */
  contacts_sum = g_strdup (singly_contact_list_get_checksum (singly_document_get_contacts (self->document)));
  template_sum = singly_checksum_file (template_path, error);
  if (template_sum == NULL)
    return FALSE;

  identity.contacts_checksum = contacts_sum;
  identity.template_checksum = template_sum;
  identity.sender = singly_message_builder_get_sender_address (builder);
  identity.n_rows = singly_contact_list_get_n_rows (singly_document_get_contacts (self->document));

  self->journal = singly_journal_open (path, &identity, error);
  if (self->journal == NULL)
    return FALSE;
  self->job_builder = g_object_ref (builder);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* The table                                                                 */

static gboolean
item_matches (gpointer item,
              gpointer user_data)
{
  SinglySendPage *self = user_data;
  SinglySendItem *send_item = item;

  if (self->filter_state >= 0 && (int) singly_send_item_get_state (send_item) != self->filter_state)
    return FALSE;
  return singly_util_matches (singly_send_item_get_address (send_item), self->search) ||
         singly_util_matches (singly_send_item_get_name (send_item), self->search);
}

/* The server's reply as the table shows it, with its code */
static char *
dup_reply_text (SinglySendItem *item)
{
  const char *reply = singly_send_item_get_reply (item);

  if (singly_send_item_get_code (item) > 0 && reply != NULL && !g_str_has_prefix (reply, "2") &&
      !g_ascii_isdigit (reply[0]))
    return g_strdup_printf ("%u %s", singly_send_item_get_code (item), reply);
  return g_strdup (reply);
}

/* The whole reply when the pointer rests on it. Asked for then, not set
 * with each change: setting a tooltip makes GTK ask the X server where
 * the pointer is, a round trip per cell that held up the window for 50 ms
 * when a send began. */
static gboolean
reply_query_tooltip_cb (GtkWidget   *widget,
                        int          x,
                        int          y,
                        gboolean     keyboard,
                        GtkTooltip  *tooltip,
                        GtkListItem *list_item)
{
  SinglySendItem *item = gtk_list_item_get_item (list_item);
  g_autofree char *text = item != NULL ? dup_reply_text (item) : NULL;

  if (text == NULL || *text == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
update_cell (GtkListItem *list_item)
{
  SinglySendItem *item = gtk_list_item_get_item (list_item);
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (list_item), "column"));
  GtkWidget *child = gtk_list_item_get_child (list_item);
  SinglyRecipientState state;

  if (item == NULL)
    return;
  state = singly_send_item_get_state (item);

  switch (column)
    {
    case COLUMN_STATE:
      {
        GtkWidget *icon = gtk_widget_get_first_child (child);
        GtkWidget *label = gtk_widget_get_next_sibling (icon);
        const char *styles[] = { "success", "error", "warning", "accent", "dim-label" };

        gtk_image_set_from_icon_name (GTK_IMAGE (icon), singly_send_item_state_icon (state));
        gtk_inscription_set_text (GTK_INSCRIPTION (label), singly_send_item_state_label (state));
        for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
          gtk_widget_remove_css_class (child, styles[i]);
        gtk_widget_add_css_class (child, singly_send_item_state_style (state));
      }
      break;

    case COLUMN_REPLY:
      {
        g_autofree char *text = dup_reply_text (item);

        gtk_inscription_set_text (GTK_INSCRIPTION (child), text);
      }
      break;

    case COLUMN_TIME:
      {
        gint64 time = singly_send_item_get_time (item);
        g_autofree char *text = NULL;

        if (time > 0)
          {
            g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (time / G_USEC_PER_SEC);

            text = g_date_time_format (when, "%X");
          }
        gtk_inscription_set_text (GTK_INSCRIPTION (child), text);
      }
      break;

    case COLUMN_ADDRESS:
      gtk_inscription_set_text (GTK_INSCRIPTION (child), singly_send_item_get_address (item));
      break;

    case COLUMN_NAME:
    default:
      gtk_inscription_set_text (GTK_INSCRIPTION (child), singly_send_item_get_name (item));
      break;
    }
}

static void
item_notified_cb (SinglySendItem *item,
                  GParamSpec     *pspec,
                  GtkListItem    *list_item)
{
  update_cell (list_item);
}

static void
cell_set_up_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  GtkWidget *child;

  if (column == COLUMN_STATE)
    {
      GtkWidget *label = gtk_inscription_new (NULL);

      child = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      gtk_box_append (GTK_BOX (child), gtk_image_new ());
      gtk_inscription_set_min_chars (GTK_INSCRIPTION (label), 8);
      gtk_box_append (GTK_BOX (child), label);
    }
  else
    {
      child = gtk_inscription_new (NULL);
      gtk_inscription_set_text_overflow (GTK_INSCRIPTION (child), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
      gtk_inscription_set_nat_lines (GTK_INSCRIPTION (child), 1);
      gtk_inscription_set_min_chars (GTK_INSCRIPTION (child), column == COLUMN_TIME ? 8 : 10);
      gtk_inscription_set_nat_chars (GTK_INSCRIPTION (child), column == COLUMN_REPLY ? 40 : 24);
      if (column == COLUMN_TIME)
        gtk_widget_add_css_class (child, "numeric");
      if (column == COLUMN_REPLY)
        {
          gtk_widget_set_has_tooltip (child, TRUE);
          g_signal_connect (child, "query-tooltip", G_CALLBACK (reply_query_tooltip_cb), list_item);
        }
    }
  g_object_set_data (G_OBJECT (list_item), "column", user_data);
  gtk_list_item_set_child (list_item, child);
  gtk_list_item_set_activatable (list_item, FALSE);
}

static void
cell_bound_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  SinglySendItem *item = gtk_list_item_get_item (list_item);

  /* the job updates items in place: the cell follows */
  g_signal_connect (item, "notify", G_CALLBACK (item_notified_cb), list_item);
  update_cell (list_item);
}

static void
cell_unbound_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 gpointer                  user_data)
{
  SinglySendItem *item = gtk_list_item_get_item (list_item);

  if (item != NULL)
    g_signal_handlers_disconnect_by_func (item, item_notified_cb, list_item);
}

static void
add_column (SinglySendPage *self,
            const char     *title,
            Column          column,
            gboolean        expand)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) view_column = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (cell_set_up_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (cell_bound_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "unbind", G_CALLBACK (cell_unbound_cb), GINT_TO_POINTER (column));
  view_column = gtk_column_view_column_new (title, g_steal_pointer (&factory));
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_column_set_expand (view_column, expand);
  gtk_column_view_append_column (self->column_view, view_column);
}

static void
update_shown (SinglySendPage *self)
{
  g_autofree char *text = NULL;
  guint n;

  if (self->model == NULL)
    return;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u shown", "%u shown", n), n);
  gtk_label_set_text (self->shown_label, text);
}

/* Showing every row needs no filter at all: the filter model then passes
 * the rows through untouched, rather than making an item of each of 100 000
 * rows to ask the filter, over and over as their states change. */
static void
refilter (SinglySendPage *self)
{
  GtkFilter *wanted = self->filter_state < 0 && self->search == NULL ? NULL : GTK_FILTER (self->filter);

  if (gtk_filter_list_model_get_filter (self->filtered) != wanted)
    gtk_filter_list_model_set_filter (self->filtered, wanted);
  else if (wanted != NULL)
    gtk_filter_changed (wanted, GTK_FILTER_CHANGE_DIFFERENT);
}

static void
filter_selected_cb (SinglySendPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->filter_dropdown);

  if (selected >= G_N_ELEMENTS (filter_states))
    return;
  singly_send_page_set_filter (self, filter_states[selected]);
}

static void
search_changed_cb (SinglySendPage *self)
{
  singly_send_page_set_search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

/* ------------------------------------------------------------------------ */
/* Following the job                                                         */

/* The buttons wrap in a flow box: it is their place in it that comes and
 * goes, or the box would lay out an empty place */
static void
show_button (GtkWidget *button,
             gboolean   visible)
{
  GtkWidget *parent = gtk_widget_get_parent (button);

  gtk_widget_set_visible (GTK_IS_FLOW_BOX_CHILD (parent) ? parent : button, visible);
}

static void
update_progress (SinglySendPage *self)
{
  SinglySendJob *job = self->job;
  g_autofree char *sent = NULL, *failed = NULL, *deferred = NULL, *remaining = NULL;
  g_autofree char *text = NULL;
  g_autofree char *left = NULL;
  guint n_sent, n_failed, n_deferred, n_unknown, n_remaining, n_total, n_done_now;
  gboolean running = self->state == SINGLY_SEND_PAGE_RUNNING;
  gboolean paused = self->state == SINGLY_SEND_PAGE_PAUSED;
  gboolean finished = self->state == SINGLY_SEND_PAGE_FINISHED;

  show_button (self->pause_button, running && !self->cancelling);
  show_button (self->resume_button, paused && !self->cancelling);
  show_button (self->cancel_button, (running || paused) && !self->cancelling);
  show_button (self->retry_button, finished && singly_send_page_has_failed (self));
  show_button (self->report_button, finished);
  show_button (self->done_button, finished);

  if (job == NULL)
    return;

  n_sent = singly_send_job_count (job, SINGLY_RECIPIENT_SENT);
  n_failed = singly_send_job_count (job, SINGLY_RECIPIENT_FAILED);
  n_deferred = singly_send_job_count (job, SINGLY_RECIPIENT_DEFERRED);
  n_unknown = singly_send_job_count (job, SINGLY_RECIPIENT_UNKNOWN);
  n_remaining = singly_send_job_count (job, SINGLY_RECIPIENT_QUEUED) +
                singly_send_job_count (job, SINGLY_RECIPIENT_SENDING) + n_deferred;
  n_total = singly_send_job_get_n_rows (job) - singly_send_job_count (job, SINGLY_RECIPIENT_SKIPPED);

  gtk_progress_bar_set_fraction (self->progress_bar,
                                 n_total > 0 ? (double) (n_total - n_remaining) / n_total : 1.0);

  /* the pace so far, in this run, tells how long the rest takes */
  n_done_now = self->remaining_at_start > n_remaining ? self->remaining_at_start - n_remaining : 0;
  if (running && n_done_now > 0 && n_remaining > 0)
    {
      double elapsed = (g_get_monotonic_time () - self->started) / (double) G_USEC_PER_SEC;
      g_autofree char *duration = singly_util_format_duration (elapsed / n_done_now * n_remaining);

      /* Translators: the time left, e.g. "about 3 minutes left" */
      left = g_strdup_printf (_("%s left"), duration);
    }

  sent = format_count (n_sent);
  failed = format_count (n_failed);
  deferred = format_count (n_deferred);
  remaining = format_count (n_remaining);
  /* Translators: the counts of a send, as "120 sent · 2 failed · 1 deferred · 877 to go" */
  text = g_strdup_printf (_("%s sent · %s failed · %s deferred · %s to go"), sent, failed, deferred, remaining);
  if (n_unknown > 0)
    {
      g_autofree char *unknown = format_count (n_unknown);
      char *longer = g_strdup_printf (_("%s · %s unknown"), text, unknown);

      g_free (text);
      text = longer;
    }
  if (left != NULL)
    {
      /* Translators: the counts, then the time left */
      char *longer = g_strdup_printf (_("%s — %s"), text, left);

      g_free (text);
      text = longer;
    }
  gtk_label_set_text (self->counts_label, text);

  if (self->cancelling && !finished)
    gtk_label_set_text (self->status_label, _("Stopping…"));
  else if (running)
    gtk_label_set_text (self->status_label, _("Sending…"));
  else if (paused)
    gtk_label_set_text (self->status_label, _("Paused"));
  else if (singly_send_job_get_error (job) != NULL)
    gtk_label_set_text (self->status_label, _("Stopped"));
  else if (n_remaining > 0)
    gtk_label_set_text (self->status_label, _("Stopped"));
  else if (n_failed > 0 || n_unknown > 0)
    gtk_label_set_text (self->status_label, _("Finished, with Failures"));
  else
    gtk_label_set_text (self->status_label, _("All Sent"));

  update_shown (self);
}

static void
job_progressed_cb (SinglySendJob         *job,
                   const SinglySendEvent *events,
                   guint                  n_events,
                   SinglySendPage        *self)
{
  if (job != self->job)
    return;
  singly_send_model_apply (self->model, events, n_events);
  update_progress (self);
}

static void
job_finished_cb (SinglySendJob  *job,
                 const GError   *error,
                 SinglySendPage *self)
{
  g_autofree char *summary = NULL;
  guint n_sent, n_failed;

  if (job != self->job)
    return;

  self->cancelling = FALSE;
  /* the worker is gone: nobody needs the password any more */
  if (self->secret != NULL)
    singly_secret_source_wipe (self->secret);
  g_clear_pointer (&self->secret, singly_secret_source_unref);
  /* a password the server refused is not used again without asking */
  if (g_error_matches (error, SINGLY_SEND_JOB_ERROR, SINGLY_SEND_JOB_ERROR_ACCOUNT))
    forget_session_password (self);
  singly_document_set_busy (self->document, FALSE);
  set_state (self, SINGLY_SEND_PAGE_FINISHED);

  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
  if (error != NULL)
    gtk_label_set_text (self->error_label, error->message);
  update_progress (self);

  n_sent = singly_send_job_count (job, SINGLY_RECIPIENT_SENT);
  n_failed = singly_send_job_count (job, SINGLY_RECIPIENT_FAILED) +
             singly_send_job_count (job, SINGLY_RECIPIENT_UNKNOWN);
  summary = g_strdup_printf (_("%u sent, %u not sent"), n_sent, n_failed);

  if (g_get_monotonic_time () - self->started >= self->notify_after * G_USEC_PER_SEC)
    singly_util_send_notification ("send-finished", error ? _("Sending Stopped") : _("Sending Finished"),
                                   error ? error->message : summary);
}

static void
begin_job (SinglySendPage     *self,
           SinglySendJob      *job,
           SinglySecretSource *secret)
{
  g_autofree char *where = NULL;
  g_autofree char *account = NULL;
  const char *account_id = singly_document_get_account (self->document)->id;
  GSettings *settings = get_settings (self);

  if (self->job != NULL)
    g_signal_handlers_disconnect_by_data (self->job, self);
  g_set_object (&self->job, job);
  g_clear_pointer (&self->secret, singly_secret_source_unref);
  self->secret = singly_secret_source_ref (secret);
  singly_send_job_set_secret_func (job, singly_secret_source_dup_secret, singly_secret_source_ref (secret),
                                   (GDestroyNotify) singly_secret_source_unref);
  g_signal_connect (job, "progress", G_CALLBACK (job_progressed_cb), self);
  g_signal_connect (job, "finished", G_CALLBACK (job_finished_cb), self);

  singly_document_set_busy (self->document, TRUE);
  singly_send_job_start (job);

  if (self->model != NULL && singly_send_model_get_contacts (self->model) == singly_document_get_contacts (self->document))
    {
      singly_send_model_set_job (self->model, job);
      /* "Retry failed" with the failed ones shown: look at every row again */
      if (gtk_filter_list_model_get_filter (self->filtered) != NULL)
        gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
    }
  else
    {
      g_clear_object (&self->model);
      self->model = singly_send_model_new (job, singly_document_get_contacts (self->document));
      gtk_filter_list_model_set_model (self->filtered, G_LIST_MODEL (self->model));
    }

  self->started = g_get_monotonic_time ();
  self->remaining_at_start = singly_send_job_count (job, SINGLY_RECIPIENT_QUEUED);
  self->cancelling = FALSE;

  account = singly_account_describe (singly_document_get_account (self->document));
  if (singly_document_get_account (self->document)->kind == SINGLY_ACCOUNT_FOLDER)
    /* Translators: where the messages go, e.g. "From office@example.org, into the folder /home/…" */
    where = g_strdup_printf (_("From %s, into %s"), singly_document_get_account (self->document)->sender_address,
                             account);
  else
    /* Translators: where the messages go, e.g. "From office@example.org through smtp.example.org:587 (STARTTLS)" */
    where = g_strdup_printf (_("From %s through %s"), singly_document_get_account (self->document)->sender_address,
                             account);
  gtk_label_set_text (self->where_label, where);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);

  set_state (self, SINGLY_SEND_PAGE_RUNNING);
  gtk_stack_set_visible_child_name (self->stack, "progress");
  update_progress (self);

  /* the account used last is the one offered next time */
  if (settings != NULL && account_id != NULL)
    g_settings_set_string (settings, "last-account", account_id);
}

static void
pending_job_free (PendingJob *pending)
{
  g_clear_object (&pending->self);
  g_clear_object (&pending->builder);
  g_clear_pointer (&pending->rows, g_array_unref);
  g_free (pending);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PendingJob, pending_job_free)

static PendingJob *
pending_job_new (SinglySendPage       *self,
                 SinglyMessageBuilder *builder,
                 gboolean              resend_unknown,
                 GArray               *rows)
{
  PendingJob *pending = g_new0 (PendingJob, 1);

  pending->self = g_object_ref (self);
  pending->builder = g_object_ref (builder);
  pending->resend_unknown = resend_unknown;
  pending->rows = rows ? g_array_ref (rows) : NULL;
  return pending;
}

static void
start_pending_job (PendingJob         *pending,
                   SinglySecretSource *secret)
{
  SinglySendPage *self = pending->self;
  g_autoptr(SinglySendJob) job = NULL;

  job = singly_send_job_new (pending->builder, singly_document_get_account (self->document), self->journal);
  singly_send_job_set_resend_unknown (job, pending->resend_unknown);
  if (pending->rows != NULL)
    singly_send_job_set_rows (job, (const guint *) pending->rows->data, pending->rows->len);
  begin_job (self, job, secret);
}

static void
secret_found_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PendingJob) pending = user_data;
  SinglySendPage *self = pending->self;
  g_autoptr(SinglySecretSource) secret = NULL;
  g_autoptr(GError) error = NULL;

  secret = singly_secret_prompt_request_finish (result, &error);
  self->asking = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  if (secret == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, error->message);
      return;
    }
  /* nothing may have changed while the user typed; if it did, the
   * user sees the new state and decides again */
  if (self->document == NULL || pending->builder != singly_document_get_builder (self->document) ||
      pending->builder != self->job_builder ||
      self->state == SINGLY_SEND_PAGE_RUNNING || self->state == SINGLY_SEND_PAGE_PAUSED)
    return;
  start_pending_job (pending, secret);
}

/* Starts the job once the account's password is there: at once when it
 * is known (or none is needed), else after the keyring or the user */
static void
start_with_password (SinglySendPage *self,
                     PendingJob     *pending)
{
  const SinglyAccount *account = singly_document_get_account (self->document);
  GtkWindow *window = get_window (self);
  g_autoptr(SinglySecretSource) secret = NULL;

  secret = singly_secret_prompt_lookup_now (window, account);
  if (secret != NULL || window == NULL)
    {
      if (secret == NULL)
        secret = singly_secret_source_new (account, NULL);
      start_pending_job (pending, secret);
      pending_job_free (pending);
      return;
    }

  self->asking = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  singly_secret_prompt_request (window, account, self->cancellable, secret_found_cb, pending);
}

static void
forget_session_password (SinglySendPage *self)
{
  GtkWindow *window = get_window (self);
  GtkApplication *app = window ? gtk_window_get_application (window) : NULL;
  const SinglyAccount *account = singly_document_get_account (self->document);

  if (app != NULL && SINGLY_IS_APPLICATION (app) && account->id != NULL)
    singly_application_set_session_secret (SINGLY_APPLICATION (app), account->id, NULL);
}

/* ------------------------------------------------------------------------ */
/* The account                                                               */

static gboolean
find_account (SinglySendPage *self,
              const char     *id,
              guint          *position)
{
  GListModel *model;
  guint n;

  if (self->accounts == NULL || id == NULL)
    return FALSE;
  model = singly_account_store_get_accounts (self->accounts);
  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SinglyAccountItem) item = g_list_model_get_item (model, i);

      if (g_str_equal (singly_account_item_get_id (item), id))
        {
          if (position != NULL)
            *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

static void watched_account_changed_cb (SinglySendPage *self);

/* The table's rows, made while nothing is sent: a send that starts only
 * hands the model its job (making the rows of a 100 000-row table takes
 * GTK long enough to be felt) */
static void
prepare_model (SinglySendPage *self)
{
  SinglyContactList *contacts = singly_document_get_contacts (self->document);

  if (self->state != SINGLY_SEND_PAGE_READY || contacts == NULL)
    return;
  if (self->model != NULL && singly_send_model_get_contacts (self->model) == contacts)
    return;
  g_clear_object (&self->model);
  self->model = singly_send_model_new (NULL, contacts);
  gtk_filter_list_model_set_model (self->filtered, G_LIST_MODEL (self->model));
}

/* Follows the store's item of the account chosen, for its edits */
static void
watch_account (SinglySendPage    *self,
               SinglyAccountItem *item)
{
  if (self->watched_item == item)
    return;
  if (self->watched_item != NULL)
    g_signal_handlers_disconnect_by_func (self->watched_item, watched_account_changed_cb, self);
  g_set_object (&self->watched_item, item);
  if (item != NULL)
    g_signal_connect_swapped (item, "notify::account", G_CALLBACK (watched_account_changed_cb), self);
}

/* The chooser, the folder and the sender show the document's account */
static void
update_account (SinglySendPage *self)
{
  const SinglyAccount *account = singly_document_get_account (self->document);
  gboolean folder = account->kind == SINGLY_ACCOUNT_FOLDER;
  guint position = GTK_INVALID_LIST_POSITION;
  g_autoptr(SinglyAccountItem) item = NULL;

  /* an account set in code, not from the store: a folder is shown as the
   * store's "Save to folder", a server as none of the store's */
  if (!find_account (self, account->id, &position) && folder)
    find_account (self, SINGLY_ACCOUNT_STORE_DEFAULT_ID, &position);
  self->updating_account = TRUE;
  if (adw_combo_row_get_selected (self->account_row) != position)
    adw_combo_row_set_selected (self->account_row, position);
  self->updating_account = FALSE;
  if (find_account (self, account->id, &position))
    item = g_list_model_get_item (singly_account_store_get_accounts (self->accounts), position);
  watch_account (self, item);

  if (folder)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->account_row), _("Each message is saved as a file"));
      adw_action_row_set_subtitle (self->folder_row, account->folder);
    }
  else
    {
      g_autofree char *describe = singly_account_describe (account);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->account_row), describe);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->folder_row), folder);

  if (!gtk_widget_has_focus (GTK_WIDGET (self->sender_name_row)) &&
      g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->sender_name_row)),
                 account->sender_name ? account->sender_name : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->sender_name_row), account->sender_name ? account->sender_name : "");
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->sender_address_row)), account->sender_address) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->sender_address_row), account->sender_address);
}

/* Makes @account the document's: a copy, the folder chosen by hand for
 * "Save to folder" */
static void
use_account (SinglySendPage      *self,
             const SinglyAccount *account)
{
  g_autoptr(SinglyAccount) copy = singly_account_copy (account);
  GSettings *settings = get_settings (self);

  if (copy->kind == SINGLY_ACCOUNT_FOLDER && g_strcmp0 (copy->id, SINGLY_ACCOUNT_STORE_DEFAULT_ID) == 0 &&
      settings != NULL)
    {
      g_autofree char *folder = g_settings_get_string (settings, "save-folder");

      if (*folder != '\0')
        {
          g_free (copy->folder);
          copy->folder = g_steal_pointer (&folder);
        }
    }
  singly_document_set_account (self->document, copy);
}

static void
account_selected_cb (SinglySendPage *self)
{
  SinglyAccountItem *item = adw_combo_row_get_selected_item (self->account_row);
  const SinglyAccount *current = singly_document_get_account (self->document);
  GSettings *settings;

  if (self->updating_account || item == NULL)
    return;
  if (singly_document_get_busy (self->document))
    {
      update_account (self);
      return;
    }
  /* the row follows the document too: only a change is a choice */
  if (g_strcmp0 (current->id, singly_account_item_get_id (item)) == 0)
    return;
  use_account (self, singly_account_item_get_account (item));
  settings = get_settings (self);
  if (settings != NULL)
    g_settings_set_string (settings, "last-account", singly_account_item_get_id (item));
}

/* The store's accounts changed: the one chosen may be gone, or edited */
static void
follow_store (SinglySendPage *self)
{
  const SinglyAccount *account = singly_document_get_account (self->document);
  g_autofree char *name = NULL;
  guint position;

  if (singly_document_get_busy (self->document))
    {
      self->store_changed_while_busy = TRUE;
      update_account (self);
      return;
    }
  self->store_changed_while_busy = FALSE;

  if (account->id != NULL && !find_account (self, account->id, NULL))
    {
      name = g_strdup (account->name ? account->name : account->id);
      singly_send_page_select_account (self, SINGLY_ACCOUNT_STORE_DEFAULT_ID);
      {
        g_autofree char *text = g_strdup_printf (_("The account “%s” no longer exists: messages are saved to a folder instead"),
                                                 name);

        show_toast (self, text);
      }
      return;
    }
  if (account->id != NULL && find_account (self, account->id, &position))
    {
      g_autoptr(SinglyAccountItem) item = g_list_model_get_item (singly_account_store_get_accounts (self->accounts),
                                                                 position);
      /* the account as edited in the preferences */
      use_account (self, singly_account_item_get_account (item));
    }
  update_account (self);
}

static void
accounts_changed_cb (SinglySendPage *self)
{
  const SinglyAccount *account = singly_document_get_account (self->document);

  /* only a removal matters here; edits come through the item */
  if (account->id != NULL && !find_account (self, account->id, NULL))
    follow_store (self);
  else
    update_account (self);
}

static void
watched_account_changed_cb (SinglySendPage *self)
{
  follow_store (self);
}

static void
document_busy_changed_cb (SinglySendPage *self)
{
  if (!singly_document_get_busy (self->document) && self->store_changed_while_busy)
    follow_store (self);
}

static GtkWidget *
account_list_row_new (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *summary = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (summary), 0);
  gtk_label_set_ellipsize (GTK_LABEL (summary), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (summary), 40);
  gtk_widget_add_css_class (summary, "caption");
  gtk_widget_add_css_class (summary, "dim-label");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), summary);
  return box;
}

static void
account_list_item_set_up_cb (GtkSignalListItemFactory *factory,
                             GtkListItem              *list_item)
{
  gtk_list_item_set_child (list_item, account_list_row_new ());
}

static void
account_list_item_bound_cb (GtkSignalListItemFactory *factory,
                            GtkListItem              *list_item)
{
  SinglyAccountItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *name = gtk_widget_get_first_child (gtk_list_item_get_child (list_item));
  GtkWidget *summary = gtk_widget_get_next_sibling (name);
  g_autofree char *text = singly_account_item_dup_summary (item);

  gtk_label_set_text (GTK_LABEL (name), singly_account_item_get_name (item));
  gtk_label_set_text (GTK_LABEL (summary), text);
}

/* ------------------------------------------------------------------------ */
/* Before sending                                                            */

static void
update_ready (SinglySendPage *self)
{
  SinglyMessageBuilder *builder = singly_document_get_builder (self->document);
  SinglyContactList *contacts = singly_document_get_contacts (self->document);
  gboolean folder = singly_document_get_account (self->document)->kind == SINGLY_ACCOUNT_FOLDER;
  g_autofree char *journal_path = NULL;
  g_autofree char *label = NULL;
  g_autofree char *title = NULL;
  guint n_sendable, n_rows;
  gboolean resumable;

  if (self->state != SINGLY_SEND_PAGE_READY)
    return;
  prepare_model (self);

  if (builder == NULL || contacts == NULL)
    {
      adw_status_page_set_description (self->empty_status, singly_document_get_builder_error (self->document));
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, "ready");

  n_sendable = singly_message_builder_get_n_sendable (builder);
  n_rows = singly_contact_list_get_n_rows (contacts);
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u recipients gets the message",
                                        "%u of %u recipients get the message", n_sendable),
                           n_sendable, n_rows);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->summary_row), title);
  adw_action_row_set_subtitle (self->summary_row,
                               n_sendable < n_rows
                               ? _("The others have a problem or were left out: see the Contacts page")
                               : _("Each message has one recipient: nobody sees another’s address"));

  journal_path = dup_journal_path (self);
  resumable = journal_path != NULL && g_file_test (journal_path, G_FILE_TEST_EXISTS);
  gtk_widget_set_visible (GTK_WIDGET (self->journal_row), resumable);
  if (resumable)
    adw_action_row_set_subtitle (self->journal_row,
                                 _("These files were sent from this computer before. Sending again resumes: "
                                   "nobody who got the message gets it twice."));

  if (resumable)
    label = g_strdup (_("_Resume Sending…"));
  else if (folder)
    label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "_Save %u Message…", "_Save %u Messages…", n_sendable),
                             n_sendable);
  else
    label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "_Send %u Message…", "_Send %u Messages…", n_sendable),
                             n_sendable);
  gtk_button_set_label (self->send_button, label);
}

static void
document_changed_cb (SinglySendPage *self)
{
  /* the folder of "Save to folder" follows the campaign's files */
  update_account (self);
  update_ready (self);
  /* the window's actions follow what can be done */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
contacts_included_changed_cb (SinglySendPage *self)
{
  update_ready (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
document_contacts_changed_cb (SinglySendPage *self)
{
  SinglyContactList *contacts = singly_document_get_contacts (self->document);

  if (contacts != NULL)
    g_signal_connect_object (contacts, "notify::n-included", G_CALLBACK (contacts_included_changed_cb),
                             self, G_CONNECT_SWAPPED);
}

static void
sender_applied_cb (SinglySendPage *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->sender_name_row))));
  g_autofree char *address = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->sender_address_row))));
  GSettings *settings;

  if (!singly_address_is_valid (address))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->sender_address_row), "error");
      show_toast (self, _("The sender’s address is not a valid e-mail address"));
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->sender_address_row), "error");
  if (singly_document_get_busy (self->document))
    return;
  singly_document_set_sender (self->document, name, address);

  settings = get_settings (self);
  if (settings != NULL)
    {
      g_settings_set_string (settings, "sender-name", name);
      g_settings_set_string (settings, "sender-address", address);
    }
}

static void
choose_folder_answered_cb (SinglySendPage       *self,
                           int                   response,
                           GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) folder = NULL;
  g_autofree char *path = NULL;
  GSettings *settings;

  if (response == GTK_RESPONSE_ACCEPT)
    folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (folder == NULL || (path = g_file_get_path (folder)) == NULL)
    return;
  if (singly_document_get_busy (self->document))
    return;
  singly_document_set_folder (self->document, path);
  settings = get_settings (self);
  if (settings != NULL)
    g_settings_set_string (settings, "save-folder", path);
}

static void
done_clicked_cb (SinglySendPage *self)
{
  if (self->state == SINGLY_SEND_PAGE_RUNNING || self->state == SINGLY_SEND_PAGE_PAUSED)
    return;
  set_state (self, SINGLY_SEND_PAGE_READY);
  update_ready (self);
}

/* ------------------------------------------------------------------------ */
/* Dialogs                                                                   */

/* Whether a run with the journal now open would send anything */
static gboolean
has_work (SinglySendPage *self)
{
  SinglyMessageBuilder *builder = singly_document_get_builder (self->document);
  guint n_rows = singly_contact_list_get_n_rows (singly_document_get_contacts (self->document));

  for (guint row = 0; row < n_rows; row++)
    {
      const SinglyJournalRow *entry = self->journal ? singly_journal_get_row (self->journal, row) : NULL;

      if (!singly_message_builder_row_is_sendable (builder, row))
        continue;
      if (entry == NULL || entry->state != SINGLY_RECIPIENT_SENT)
        return TRUE;
    }
  return FALSE;
}

static void
confirm_answered_cb (SinglySendPage   *self,
                     const char       *response,
                     AdwMessageDialog *dialog)
{
  g_autoptr(GError) error = NULL;
  gboolean resend = FALSE;

  if (self->dialog == dialog)
    g_clear_weak_pointer (&self->dialog);
  if (self->resend_check != NULL)
    resend = gtk_check_button_get_active (GTK_CHECK_BUTTON (self->resend_check));
  g_clear_weak_pointer (&self->resend_check);
  if (!g_str_equal (response, "send"))
    return;
  if (!singly_send_page_start (self, resend, &error))
    show_toast (self, error->message);
}

static void
start_over_answered_cb (SinglySendPage   *self,
                        const char       *response,
                        AdwMessageDialog *dialog)
{
  g_autofree char *path = dup_journal_path (self);
  g_autofree char *aside = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");

  if (self->dialog == dialog)
    g_clear_weak_pointer (&self->dialog);
  if (!g_str_equal (response, "start-over") || path == NULL)
    return;

  /* the old journal stays, beside the new one, for whoever wants to know */
  aside = g_strdup_printf ("%s.%s.old", path, stamp);
  if (g_rename (path, aside) != 0)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot move the old journal aside: %s"), g_strerror (errno));

      show_toast (self, message);
      return;
    }
  singly_send_page_confirm (self);
}

static AdwMessageDialog *
present_dialog (SinglySendPage *self,
                const char     *heading,
                const char     *body)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (get_window (self), heading, body));

  /* one question at a time; the dialog may go without an answer */
  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
  g_set_weak_pointer (&self->dialog, dialog);
  g_clear_weak_pointer (&self->resend_check);
  return dialog;
}

static GtkWidget *
unknown_recipients_box (SinglySendPage *self,
                        GArray         *unknown)
{
  SinglyContactList *contacts = singly_document_get_contacts (self->document);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *label = gtk_label_new (g_dngettext (GETTEXT_PACKAGE,
                                                 "The connection broke after this message went out and before the server answered: it may or may not have arrived.",
                                                 "The connection broke after these messages went out and before the server answered: they may or may not have arrived.",
                                                 unknown->len));
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *check;
  guint shown = MIN (unknown->len, 8);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), label);

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  for (guint i = 0; i < shown; i++)
    {
      guint row = g_array_index (unknown, guint, i);
      GtkWidget *address = gtk_label_new (singly_contact_list_get_address (contacts, row));

      gtk_label_set_xalign (GTK_LABEL (address), 0);
      gtk_label_set_ellipsize (GTK_LABEL (address), PANGO_ELLIPSIZE_MIDDLE);
      gtk_widget_set_margin_start (address, 12);
      gtk_widget_set_margin_end (address, 12);
      gtk_widget_set_margin_top (address, 6);
      gtk_widget_set_margin_bottom (address, 6);
      gtk_list_box_append (GTK_LIST_BOX (list), address);
    }
  if (unknown->len > shown)
    {
      g_autofree char *more = g_strdup_printf (_("and %u more"), unknown->len - shown);
      GtkWidget *more_label = gtk_label_new (more);

      gtk_widget_add_css_class (more_label, "dim-label");
      gtk_widget_set_margin_top (more_label, 6);
      gtk_widget_set_margin_bottom (more_label, 6);
      gtk_list_box_append (GTK_LIST_BOX (list), more_label);
    }
  gtk_box_append (GTK_BOX (box), list);

  check = gtk_check_button_new_with_mnemonic (g_dngettext (GETTEXT_PACKAGE,
                                                           "Send _again to this recipient",
                                                           "Send _again to these recipients",
                                                           unknown->len));
  g_set_weak_pointer (&self->resend_check, check);
  gtk_box_append (GTK_BOX (box), check);
  return box;
}

/* ------------------------------------------------------------------------ */

static void
singly_send_page_dispose (GObject *object)
{
  SinglySendPage *self = SINGLY_SEND_PAGE (object);

  if (self->job != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->job, self);
      singly_send_job_cancel (self->job);
    }
  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
  g_clear_weak_pointer (&self->dialog);
  g_clear_weak_pointer (&self->resend_check);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  watch_account (self, NULL);
  if (self->accounts != NULL)
    g_signal_handlers_disconnect_by_data (singly_account_store_get_accounts (self->accounts), self);
  g_clear_object (&self->accounts);
  g_clear_object (&self->job);
  g_clear_pointer (&self->secret, singly_secret_source_unref);
  g_clear_object (&self->model);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->journal);
  g_clear_object (&self->job_builder);
  g_clear_object (&self->document);

  G_OBJECT_CLASS (singly_send_page_parent_class)->dispose (object);
}

static void
singly_send_page_finalize (GObject *object)
{
  SinglySendPage *self = SINGLY_SEND_PAGE (object);

  g_free (self->search);

  G_OBJECT_CLASS (singly_send_page_parent_class)->finalize (object);
}

static void
singly_send_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SinglySendPage *self = SINGLY_SEND_PAGE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
singly_send_page_class_init (SinglySendPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = singly_send_page_dispose;
  object_class->finalize = singly_send_page_finalize;
  object_class->get_property = singly_send_page_get_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, SINGLY_SEND_PAGE_READY, SINGLY_SEND_PAGE_FINISHED,
                      SINGLY_SEND_PAGE_READY,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/singly/Singly/singly-send-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SinglySendPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SinglySendPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, SinglySendPage, account_row);
  gtk_widget_class_bind_template_child (widget_class, SinglySendPage, folder_row);
  gtk_widget_class_bind_template_child (widget_class, SinglySendPage, folder_button);
  gtk_widget_class_bind_template_child (widget_class, SinglySendPage, sender_name_row);
  gtk_widget_class_bind_template_child (widget_class, SinglySendPage, sender_address_row);
  gtk_widget_class_bind_template_child (widget_class, SinglySendPage, summary_row);
  gtk_widget_class_bind_template_child (widget_class, SinglySendPage, journal_row);
  gtk_widget_class_bind_template_child (widget_class, SinglySendPage, send_button);
  gtk_widget_class_bind_template_child (widget_class, SinglySendPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, SinglySendPage, where_label);
  gtk_widget_class_bind_template_child (widget_class, SinglySendPage, pause_button);
  gtk_widget_class_bind_template_child (widget_class, SinglySendPage, resume_button);
  gtk_widget_class_bind_template_child (widget_class, SinglySendPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, SinglySendPage, retry_button);
  gtk_widget_class_bind_template_child (widget_class, SinglySendPage, report_button);
  gtk_widget_class_bind_template_child (widget_class, SinglySendPage, done_button);
  gtk_widget_class_bind_template_child (widget_class, SinglySendPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SinglySendPage, counts_label);
  gtk_widget_class_bind_template_child (widget_class, SinglySendPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, SinglySendPage, filter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SinglySendPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SinglySendPage, shown_label);
  gtk_widget_class_bind_template_child (widget_class, SinglySendPage, column_view);
  gtk_widget_class_bind_template_callback (widget_class, filter_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, done_clicked_cb);
}

static void
singly_send_page_init (SinglySendPage *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->filter_state = -1;
  self->filter = gtk_custom_filter_new (item_matches, self, NULL);
  self->filtered = gtk_filter_list_model_new (NULL, NULL);
  /* 100 000 rows are filtered in steps, without stopping the window */
  gtk_filter_list_model_set_incremental (self->filtered, TRUE);
  g_signal_connect_swapped (self->filtered, "items-changed", G_CALLBACK (update_shown), self);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));

  add_column (self, _("State"), COLUMN_STATE, FALSE);
  add_column (self, _("Address"), COLUMN_ADDRESS, TRUE);
  add_column (self, _("Name"), COLUMN_NAME, TRUE);
  add_column (self, _("Server Reply"), COLUMN_REPLY, TRUE);
  add_column (self, _("Time"), COLUMN_TIME, FALSE);

  update_progress (self);
  adw_entry_row_set_show_apply_button (self->sender_name_row, TRUE);
  adw_entry_row_set_show_apply_button (self->sender_address_row, TRUE);
  g_signal_connect_swapped (self->sender_name_row, "apply", G_CALLBACK (sender_applied_cb), self);
  g_signal_connect_swapped (self->sender_address_row, "apply", G_CALLBACK (sender_applied_cb), self);

  self->cancellable = g_cancellable_new ();
  self->notify_after = NOTIFY_AFTER_SECONDS;
  {
    g_autoptr(GtkExpression) name = gtk_property_expression_new (SINGLY_TYPE_ACCOUNT_ITEM, NULL, "name");
    g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

    /* the chosen account by its name; the list with where each sends */
    adw_combo_row_set_expression (self->account_row, name);
    g_signal_connect (factory, "setup", G_CALLBACK (account_list_item_set_up_cb), NULL);
    g_signal_connect (factory, "bind", G_CALLBACK (account_list_item_bound_cb), NULL);
    adw_combo_row_set_list_factory (self->account_row, factory);
  }
  g_signal_connect_swapped (self->account_row, "notify::selected", G_CALLBACK (account_selected_cb), self);

  gtk_stack_set_visible_child_name (self->stack, "empty");
}

void
singly_send_page_set_document (SinglySendPage *self,
                               SinglyDocument *document)
{
  g_return_if_fail (SINGLY_IS_SEND_PAGE (self));
  g_return_if_fail (SINGLY_IS_DOCUMENT (document));
  g_return_if_fail (self->document == NULL);

  self->document = g_object_ref (document);
  g_signal_connect_object (document, "changed", G_CALLBACK (document_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (document, "notify::contacts", G_CALLBACK (document_contacts_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (document, "notify::account", G_CALLBACK (update_account), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (document, "notify::busy", G_CALLBACK (document_busy_changed_cb), self, G_CONNECT_SWAPPED);
  /* while a job sends, where it sends and from whom stay as they are */
  g_object_bind_property (document, "busy", self->account_row, "sensitive",
                          G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  g_object_bind_property (document, "busy", self->sender_name_row, "sensitive",
                          G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  g_object_bind_property (document, "busy", self->sender_address_row, "sensitive",
                          G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  update_account (self);
  update_ready (self);
}

/**
 * singly_send_page_set_account_store:
 * @accounts: the user's accounts
 *
 * The account chooser offers @accounts and follows their changes.
 */
void
singly_send_page_set_account_store (SinglySendPage     *self,
                                    SinglyAccountStore *accounts)
{
  GListModel *model;

  g_return_if_fail (SINGLY_IS_SEND_PAGE (self));
  g_return_if_fail (SINGLY_IS_ACCOUNT_STORE (accounts));
  g_return_if_fail (self->accounts == NULL);

  self->accounts = g_object_ref (accounts);
  model = singly_account_store_get_accounts (accounts);
  self->updating_account = TRUE;
  adw_combo_row_set_model (self->account_row, model);
  self->updating_account = FALSE;
  g_signal_connect_swapped (model, "items-changed", G_CALLBACK (accounts_changed_cb), self);
  update_account (self);
}

/**
 * singly_send_page_select_account:
 * @id: the id (or the name) of an account in the store
 *
 * Sends with that account from now on.
 *
 * Returns: %FALSE when the store has no such account, or a job is sending
 */
gboolean
singly_send_page_select_account (SinglySendPage *self,
                                 const char     *id)
{
  SinglyAccountItem *item;

  g_return_val_if_fail (SINGLY_IS_SEND_PAGE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (self->accounts == NULL || singly_document_get_busy (self->document))
    return FALSE;
  item = singly_account_store_find (self->accounts, id);
  if (item == NULL)
    return FALSE;
  use_account (self, singly_account_item_get_account (item));
  return TRUE;
}

/**
 * singly_send_page_get_account_row:
 *
 * Returns: (transfer none): the account chooser
 */
AdwComboRow *
singly_send_page_get_account_row (SinglySendPage *self)
{
  g_return_val_if_fail (SINGLY_IS_SEND_PAGE (self), NULL);
  return self->account_row;
}

/**
 * singly_send_page_set_notify_after:
 * @seconds: how long a send takes at least to end with a desktop
 *   notification
 */
void
singly_send_page_set_notify_after (SinglySendPage *self,
                                   double          seconds)
{
  g_return_if_fail (SINGLY_IS_SEND_PAGE (self));
  g_return_if_fail (seconds >= 0);

  self->notify_after = seconds;
}

/**
 * singly_send_page_has_journal:
 *
 * Returns: whether the campaign (these files, this sender) was sent from
 *   this computer before: sending again resumes
 */
gboolean
singly_send_page_has_journal (SinglySendPage *self)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (SINGLY_IS_SEND_PAGE (self), FALSE);

  path = dup_journal_path (self);
  return path != NULL && g_file_test (path, G_FILE_TEST_EXISTS);
}

/**
 * singly_send_page_dup_journal_path:
 *
 * Returns: (transfer full) (nullable): where the campaign's journal is
 *   kept, or %NULL while it has no files
 */
char *
singly_send_page_dup_journal_path (SinglySendPage *self)
{
  g_return_val_if_fail (SINGLY_IS_SEND_PAGE (self), NULL);
  return dup_journal_path (self);
}

SinglySendPageState
singly_send_page_get_state (SinglySendPage *self)
{
  g_return_val_if_fail (SINGLY_IS_SEND_PAGE (self), SINGLY_SEND_PAGE_READY);
  return self->state;
}

/**
 * singly_send_page_can_send:
 *
 * Returns: whether there are messages to send and nothing is sending
 */
gboolean
singly_send_page_can_send (SinglySendPage *self)
{
  SinglyMessageBuilder *builder;

  g_return_val_if_fail (SINGLY_IS_SEND_PAGE (self), FALSE);

  builder = singly_document_get_builder (self->document);
  return builder != NULL && !self->asking &&
         self->state != SINGLY_SEND_PAGE_RUNNING && self->state != SINGLY_SEND_PAGE_PAUSED &&
         singly_message_builder_get_n_sendable (builder) > 0;
}

/**
 * singly_send_page_has_failed:
 *
 * Returns: whether the last job left failed recipients
 */
gboolean
singly_send_page_has_failed (SinglySendPage *self)
{
  g_return_val_if_fail (SINGLY_IS_SEND_PAGE (self), FALSE);
  return self->job != NULL && singly_send_job_count (self->job, SINGLY_RECIPIENT_FAILED) > 0;
}

/**
 * singly_send_page_dup_confirmation:
 *
 * Returns: (transfer full) (nullable): what the confirmation says will
 *   happen, "Send 1 234 messages from … through …, one every 2 s, about 41
 *   minutes."
 */
char *
singly_send_page_dup_confirmation (SinglySendPage *self)
{
  SinglyMessageBuilder *builder;
  const SinglyAccount *account;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *count = NULL;
  g_autofree char *where = NULL;
  guint n = 0, n_before = 0, n_unknown = 0;
  double per_message;

  g_return_val_if_fail (SINGLY_IS_SEND_PAGE (self), NULL);

  builder = singly_document_get_builder (self->document);
  if (builder == NULL)
    return NULL;
  account = singly_document_get_account (self->document);

  for (guint row = 0; row < singly_contact_list_get_n_rows (singly_document_get_contacts (self->document)); row++)
    {
      const SinglyJournalRow *entry = self->journal ? singly_journal_get_row (self->journal, row) : NULL;

      if (entry != NULL && entry->state == SINGLY_RECIPIENT_SENT)
        n_before++;
      else if (!singly_message_builder_row_is_sendable (builder, row))
        continue;
      else if (entry != NULL && entry->state == SINGLY_RECIPIENT_UNKNOWN)
        n_unknown++;
      else
        n++;
    }

  count = format_count (n);
  if (account->kind == SINGLY_ACCOUNT_FOLDER)
    g_string_printf (text, g_dngettext (GETTEXT_PACKAGE, "Save %s message from %s as a file into %s",
                                        "Save %s messages from %s as files into %s", n),
                     count, account->sender_address, account->folder);
  else
    {
      where = g_strdup_printf ("%s", account->host);
      g_string_printf (text, g_dngettext (GETTEXT_PACKAGE, "Send %s message from %s through %s",
                                          "Send %s messages from %s through %s", n),
                       count, account->sender_address, where);
    }

  /* the slowest of the limits sets the pace */
  per_message = account->pacing.interval;
  if (account->pacing.max_per_minute > 0)
    per_message = MAX (per_message, 60.0 / account->pacing.max_per_minute);
  if (account->pacing.max_per_hour > 0)
    per_message = MAX (per_message, 3600.0 / account->pacing.max_per_hour);
  if (per_message > 0 && n > 0)
    {
      g_autofree char *duration = singly_util_format_duration (per_message * n);

      g_string_append_printf (text, _(", one every %g s, %s"), per_message, duration);
    }
  /* Translators: ends the sentence above; the full stop of your language */
  g_string_append (text, C_("sentence", "."));

  if (n_before > 0)
    {
      /* Translators: between two sentences; empty where sentences are not spaced */
      g_string_append (text, C_("sentence", " "));
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                 "%u recipient got the message in an earlier run and is skipped.",
                                                 "%u recipients got the message in an earlier run and are skipped.",
                                                 n_before),
                              n_before);
    }
  if (n_unknown > 0)
    {
      /* Translators: between two sentences; empty where sentences are not spaced */
      g_string_append (text, C_("sentence", " "));
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                 "%u recipient may have got it already: see below.",
                                                 "%u recipients may have got it already: see below.",
                                                 n_unknown),
                              n_unknown);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * singly_send_page_confirm:
 *
 * Opens the campaign's journal and asks whether to send, saying how many
 * messages go where and how long it takes, and what to do with the
 * recipients an earlier run left unknown.
 *
 * Returns: (transfer none) (nullable): the dialog shown
 */
AdwMessageDialog *
singly_send_page_confirm (SinglySendPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) unknown = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree char *body = NULL;
  SinglyMessageBuilder *builder;
  const SinglyAccount *account;
  AdwMessageDialog *dialog;
  guint n_rows;

  g_return_val_if_fail (SINGLY_IS_SEND_PAGE (self), NULL);

  if (!singly_send_page_can_send (self))
    return NULL;
  builder = singly_document_get_builder (self->document);
  account = singly_document_get_account (self->document);

  if (!singly_address_is_valid (account->sender_address))
    {
      dialog = present_dialog (self, _("No Sender"), _("Set the sender’s address first."));
      adw_message_dialog_add_response (dialog, "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      return dialog;
    }

  if (!open_journal (self, &error))
    {
      if (g_error_matches (error, SINGLY_JOURNAL_ERROR, SINGLY_JOURNAL_ERROR_MISMATCH))
        {
          dialog = present_dialog (self, _("Start a New Campaign?"), error->message);
          adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"),
                                            "start-over", _("_Start Over"), NULL);
          adw_message_dialog_set_response_appearance (dialog, "start-over", ADW_RESPONSE_DESTRUCTIVE);
          g_signal_connect_object (dialog, "response", G_CALLBACK (start_over_answered_cb), self, G_CONNECT_SWAPPED);
        }
      else
        {
          dialog = present_dialog (self, _("Cannot Send"), error->message);
          adw_message_dialog_add_response (dialog, "close", _("_Close"));
        }
      gtk_window_present (GTK_WINDOW (dialog));
      return dialog;
    }

  n_rows = singly_contact_list_get_n_rows (singly_document_get_contacts (self->document));
  for (guint row = 0; row < n_rows; row++)
    {
      const SinglyJournalRow *entry = singly_journal_get_row (self->journal, row);

      if (entry != NULL && entry->state == SINGLY_RECIPIENT_UNKNOWN &&
          singly_message_builder_row_is_sendable (builder, row))
        g_array_append_val (unknown, row);
    }

  if (!has_work (self))
    {
      dialog = present_dialog (self, _("Everything Was Sent"),
                               _("Every recipient got the message in an earlier run, or is left out. Nothing is sent twice."));
      adw_message_dialog_add_response (dialog, "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      return dialog;
    }

  body = singly_send_page_dup_confirmation (self);
  dialog = present_dialog (self,
                           singly_journal_get_resumed (self->journal) ? _("Resume Sending?")
                           : account->kind == SINGLY_ACCOUNT_FOLDER ? _("Save the Messages?")
                           : _("Send the Messages?"),
                           body);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"),
                                    "send", account->kind == SINGLY_ACCOUNT_FOLDER ? _("_Save") : _("_Send"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "send", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "send");
  adw_message_dialog_set_close_response (dialog, "cancel");
  if (unknown->len > 0)
    adw_message_dialog_set_extra_child (dialog, unknown_recipients_box (self, unknown));
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_answered_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

/**
 * singly_send_page_start:
 * @resend_unknown: send again to recipients an earlier run left unknown
 *
 * Starts sending every message that can be sent, with the campaign's
 * journal (opened here if the confirmation did not), once the account's
 * password is there: at once when it is known, else after the keyring
 * or the user gave it.
 *
 * Returns: %FALSE when there is nothing to send or no journal
 */
gboolean
singly_send_page_start (SinglySendPage  *self,
                        gboolean         resend_unknown,
                        GError         **error)
{
  SinglyMessageBuilder *builder;

  g_return_val_if_fail (SINGLY_IS_SEND_PAGE (self), FALSE);

  if (!singly_send_page_can_send (self))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("There is nothing to send"));
      return FALSE;
    }
  builder = singly_document_get_builder (self->document);
  if ((self->journal == NULL || self->job_builder != builder) && !open_journal (self, error))
    return FALSE;

  start_with_password (self, pending_job_new (self, builder, resend_unknown, NULL));
  return TRUE;
}

void
singly_send_page_pause (SinglySendPage *self)
{
  g_return_if_fail (SINGLY_IS_SEND_PAGE (self));

  if (self->state != SINGLY_SEND_PAGE_RUNNING)
    return;
  singly_send_job_pause (self->job);
  set_state (self, SINGLY_SEND_PAGE_PAUSED);
  update_progress (self);
}

void
singly_send_page_resume (SinglySendPage *self)
{
  g_return_if_fail (SINGLY_IS_SEND_PAGE (self));

  if (self->state != SINGLY_SEND_PAGE_PAUSED)
    return;
  singly_send_job_resume (self->job);
  set_state (self, SINGLY_SEND_PAGE_RUNNING);
  update_progress (self);
}

/**
 * singly_send_page_cancel:
 *
 * Stops the job after the message on its way.
 */
void
singly_send_page_cancel (SinglySendPage *self)
{
  g_return_if_fail (SINGLY_IS_SEND_PAGE (self));

  if (self->state != SINGLY_SEND_PAGE_RUNNING && self->state != SINGLY_SEND_PAGE_PAUSED)
    return;
  self->cancelling = TRUE;
  singly_send_job_cancel (self->job);
  /* a paused worker wakes up to see it is cancelled */
  singly_send_job_resume (self->job);
  update_progress (self);
}

/**
 * singly_send_page_retry_failed:
 *
 * Sends again, with the same journal, to the recipients that failed.
 */
gboolean
singly_send_page_retry_failed (SinglySendPage  *self,
                               GError         **error)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (guint));
  SinglyMessageBuilder *builder;

  g_return_val_if_fail (SINGLY_IS_SEND_PAGE (self), FALSE);

  if (self->job == NULL || self->state != SINGLY_SEND_PAGE_FINISHED || self->asking)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY, _("Nothing has been sent yet"));
      return FALSE;
    }
  for (guint row = 0; row < singly_send_job_get_n_rows (self->job); row++)
    if (singly_send_job_get_recipient (self->job, row)->state == SINGLY_RECIPIENT_FAILED)
      g_array_append_val (rows, row);
  if (rows->len == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("No recipient failed"));
      return FALSE;
    }

  builder = singly_document_get_builder (self->document);
  if (builder == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, singly_document_get_builder_error (self->document));
      return FALSE;
    }
  /* files changed since: the journal must be theirs */
  if ((self->journal == NULL || self->job_builder != builder) && !open_journal (self, error))
    return FALSE;

  start_with_password (self, pending_job_new (self, builder, FALSE, rows));
  return TRUE;
}

/**
 * singly_send_page_export_report:
 * @file: a CSV file
 *
 * Writes the state of every recipient of the last job.
 */
gboolean
singly_send_page_export_report (SinglySendPage  *self,
                                GFile           *file,
                                GError         **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (SINGLY_IS_SEND_PAGE (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (self->job == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("Nothing has been sent yet"));
      return FALSE;
    }
  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("The report can only be saved to a local file"));
      return FALSE;
    }
  return singly_send_job_write_report (self->job, path, error);
}

/**
 * singly_send_page_choose_folder:
 *
 * Asks for the folder that "Save to folder" writes into.
 */
void
singly_send_page_choose_folder (SinglySendPage *self)
{
  const SinglyAccount *account;
  g_autoptr(GFile) current = NULL;

  g_return_if_fail (SINGLY_IS_SEND_PAGE (self));

  account = singly_document_get_account (self->document);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Choose a Folder"), get_window (self),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Choose"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  if (account->kind == SINGLY_ACCOUNT_FOLDER && account->folder != NULL &&
      g_file_test (account->folder, G_FILE_TEST_IS_DIR))
    {
      current = g_file_new_for_path (account->folder);
      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), current, NULL);
    }
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (choose_folder_answered_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/**
 * singly_send_page_get_job:
 *
 * Returns: (transfer none) (nullable): the last job
 */
SinglySendJob *
singly_send_page_get_job (SinglySendPage *self)
{
  g_return_val_if_fail (SINGLY_IS_SEND_PAGE (self), NULL);
  return self->job;
}

/**
 * singly_send_page_get_model:
 *
 * Returns: (transfer none) (nullable): every recipient of the last job,
 *   of #SinglySendItem
 */
GListModel *
singly_send_page_get_model (SinglySendPage *self)
{
  g_return_val_if_fail (SINGLY_IS_SEND_PAGE (self), NULL);
  return G_LIST_MODEL (self->model);
}

/**
 * singly_send_page_get_filtered:
 *
 * Returns: (transfer none): the recipients the table shows
 */
GListModel *
singly_send_page_get_filtered (SinglySendPage *self)
{
  g_return_val_if_fail (SINGLY_IS_SEND_PAGE (self), NULL);
  return G_LIST_MODEL (self->filtered);
}

/**
 * singly_send_page_set_filter:
 * @state: a #SinglyRecipientState to show only those, or -1 for all
 */
void
singly_send_page_set_filter (SinglySendPage *self,
                             int             state)
{
  g_return_if_fail (SINGLY_IS_SEND_PAGE (self));
  g_return_if_fail (state >= -1 && state < SINGLY_RECIPIENT_N_STATES);

  if (self->filter_state == state)
    return;
  self->filter_state = state;
  for (guint i = 0; i < G_N_ELEMENTS (filter_states); i++)
    if (filter_states[i] == state && gtk_drop_down_get_selected (self->filter_dropdown) != i)
      gtk_drop_down_set_selected (self->filter_dropdown, i);
  refilter (self);
}

/**
 * singly_send_page_set_search:
 * @text: (nullable): part of an address or a name
 */
void
singly_send_page_set_search (SinglySendPage *self,
                             const char     *text)
{
  g_autofree char *folded = NULL;

  g_return_if_fail (SINGLY_IS_SEND_PAGE (self));

  folded = text != NULL && *text != '\0' ? g_utf8_casefold (text, -1) : NULL;
  if (g_strcmp0 (folded, self->search) == 0)
    return;
  g_free (self->search);
  self->search = g_steal_pointer (&folded);
  refilter (self);
}
