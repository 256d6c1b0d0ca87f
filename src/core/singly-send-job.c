/* singly-send-job.c: sending a whole campaign from a worker thread
 *
 * The worker thread owns the transport (an SMTP session, or a folder) and
 * the journal. It never touches anything the main thread reads: it reports
 * each change of a recipient's state as an event, and events are handed to
 * the main context in batches, so that thousands of changes a second cost
 * the main loop a few dispatches.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>

#include "singly-i18n.h"
#include "singly-send-job.h"

/* A batch of events waits this long for company before it is dispatched */
#define DISPATCH_DELAY_MS 25

/* Reconnecting after a dropped or refused connection: this many tries,
 * waiting as for a deferred recipient between them */
#define MAX_CONNECT_TRIES 5

/* How far a rate complaint may slow the pace, in seconds between messages */
#define MAX_SLOWED_INTERVAL 60.0

typedef struct
{
  guint              row;
  SinglySmtpMessage  smtp;
  SinglyMessage     *message;
  GBytes            *data;
  char             **rcpts;
} Pending;

struct _SinglySendJob
{
  GObject                parent_instance;

  /* set before start, read-only afterwards */
  SinglyMessageBuilder  *builder;
  SinglyAccount         *account;
  SinglyJournal         *journal;
  SinglySmtpSecretFunc   secret_func;
  gpointer               secret_data;
  GDestroyNotify         secret_destroy;
  guint                  max_attempts;
  double                 first_retry_delay;
  gboolean               resend_unknown;
  guint                  n_rows;
  guint8                *selected;          /* NULL: every row */
  GMainContext          *main_context;

  /* the main thread's view */
  SinglySendRecipient   *recipients;
  guint                  counts[SINGLY_RECIPIENT_N_STATES];
  gboolean               running;
  GError                *error;

  /* shared: under lock */
  GMutex                 lock;
  GCond                  cond;
  gboolean               paused;
  gboolean               cancelled;
  GArray                *events;
  GSource               *dispatch_source;
  GCancellable          *cancellable;

  /* the worker's own */
  GThread               *thread;
  SinglyRecipientState  *states;
  guint                 *attempts;
  gint64                *retry_at;
  guint                  next_row;          /* rows before it were taken once */
  GArray                *deferred;          /* rows waiting for a retry */
  GQueue                 sent_times;        /* monotonic times, for the rate windows */
  gint64                 next_allowed;
  double                 interval;
  GRand                 *rand;
  SinglySmtpSession     *session;
  gboolean               reconnect;
  GError                *fatal;
  GByteArray            *buffer;
};

enum {
  SIGNAL_PROGRESS,
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SinglySendJob, singly_send_job, G_TYPE_OBJECT)

G_DEFINE_QUARK (singly-send-job-error-quark, singly_send_job_error)

static void
event_clear (gpointer data)
{
  SinglySendEvent *event = data;

  g_clear_pointer (&event->reply, g_free);
  g_clear_pointer (&event->message_id, g_free);
}

static void
pending_free (Pending *pending)
{
  g_clear_pointer (&pending->message, singly_message_free);
  g_clear_pointer (&pending->data, g_bytes_unref);
  g_strfreev (pending->rcpts);
  g_free (pending);
}

/* ------------------------------------------------------------------------ */
/* Main thread: applying events                                              */

static void
apply_event (SinglySendJob         *self,
             const SinglySendEvent *event)
{
  SinglySendRecipient *recipient = &self->recipients[event->row];

  self->counts[recipient->state]--;
  self->counts[event->state]++;
  recipient->state = event->state;
  recipient->code = event->code;
  recipient->time = event->time;
  if (event->reply != NULL || event->state == SINGLY_RECIPIENT_SENDING)
    {
      g_free (recipient->reply);
      recipient->reply = g_strdup (event->reply);
    }
  if (event->message_id != NULL)
    {
      g_free (recipient->message_id);
      recipient->message_id = g_strdup (event->message_id);
    }
}

static gboolean
dispatch_events (gpointer data)
{
  SinglySendJob *self = data;
  g_autoptr(GArray) events = NULL;

  g_mutex_lock (&self->lock);
  events = self->events;
  self->events = g_array_new (FALSE, FALSE, sizeof (SinglySendEvent));
  g_array_set_clear_func (self->events, event_clear);
  g_clear_pointer (&self->dispatch_source, g_source_unref);
  g_mutex_unlock (&self->lock);

  for (guint i = 0; i < events->len; i++)
    apply_event (self, &g_array_index (events, SinglySendEvent, i));

  if (events->len > 0)
    g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, events->data, events->len);

  return G_SOURCE_REMOVE;
}

static gboolean
finish_in_main (gpointer data)
{
  SinglySendJob *self = data;

  /* the last events go out before "finished" */
  dispatch_events (self);

  g_thread_join (g_steal_pointer (&self->thread));
  self->running = FALSE;
  /* the worker's reference, taken in singly_send_job_start() */
  g_object_unref (self);
  self->error = g_steal_pointer (&self->fatal);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, self->error);
  return G_SOURCE_REMOVE;
}

/* ------------------------------------------------------------------------ */
/* Worker thread                                                             */

static void
push_event (SinglySendJob        *self,
            guint                 row,
            SinglyRecipientState  state,
            guint                 code,
            const char           *reply,
            const char           *message_id)
{
  SinglySendEvent event = {
    .row = row,
    .state = state,
    .code = code,
    .reply = g_strdup (reply),
    .message_id = g_strdup (message_id),
    .time = g_get_real_time (),
  };

  self->states[row] = state;

  g_mutex_lock (&self->lock);
  g_array_append_val (self->events, event);
  if (self->dispatch_source == NULL)
    {
      self->dispatch_source = g_timeout_source_new (DISPATCH_DELAY_MS);
      g_source_set_priority (self->dispatch_source, G_PRIORITY_DEFAULT);
      g_source_set_callback (self->dispatch_source, dispatch_events, g_object_ref (self), g_object_unref);
      g_source_attach (self->dispatch_source, self->main_context);
    }
  g_mutex_unlock (&self->lock);
}

static gboolean
is_cancelled (SinglySendJob *self)
{
  gboolean cancelled;

  g_mutex_lock (&self->lock);
  cancelled = self->cancelled;
  g_mutex_unlock (&self->lock);
  return cancelled;
}

/* Sleeps until @deadline (monotonic), or until cancel or resume wakes us.
 * Returns FALSE when the job was cancelled. */
static gboolean
wait_until (SinglySendJob *self,
            gint64         deadline)
{
  gboolean cancelled;

  g_mutex_lock (&self->lock);
  while (!self->cancelled && (self->paused || g_get_monotonic_time () < deadline))
    {
      if (self->paused)
        g_cond_wait (&self->cond, &self->lock);
      else if (!g_cond_wait_until (&self->cond, &self->lock, deadline))
        break;
    }
  cancelled = self->cancelled;
  g_mutex_unlock (&self->lock);
  return !cancelled;
}

/* Sleeps while the job is paused. Returns FALSE when it was cancelled. */
static gboolean
wait_while_paused (SinglySendJob *self)
{
  gboolean cancelled;

  g_mutex_lock (&self->lock);
  while (!self->cancelled && self->paused)
    g_cond_wait (&self->cond, &self->lock);
  cancelled = self->cancelled;
  g_mutex_unlock (&self->lock);
  return !cancelled;
}

static gboolean
is_paused (SinglySendJob *self)
{
  gboolean paused;

  g_mutex_lock (&self->lock);
  paused = self->paused;
  g_mutex_unlock (&self->lock);
  return paused;
}

static gint64
seconds_to_usec (double seconds)
{
  return (gint64) (seconds * G_USEC_PER_SEC);
}

/* The earliest time the rate windows let the next message go */
static gint64
pacing_next_allowed (SinglySendJob *self,
                     gint64         now)
{
  const SinglyPacing *pacing = &self->account->pacing;
  const struct { guint max; gint64 window; } windows[] = {
    { pacing->max_per_minute, 60 * G_USEC_PER_SEC },
    { pacing->max_per_hour, 3600 * (gint64) G_USEC_PER_SEC },
    { pacing->max_per_day, 86400 * (gint64) G_USEC_PER_SEC },
  };
  gint64 allowed = self->next_allowed;

  for (guint w = 0; w < G_N_ELEMENTS (windows); w++)
    {
      guint n_in_window = 0;

      if (windows[w].max == 0)
        continue;

      /* newest first: the max-th newest send inside the window decides */
      for (GList *l = self->sent_times.tail; l != NULL; l = l->prev)
        {
          gint64 t = *(gint64 *) &l->data;

          if (t <= now - windows[w].window)
            break;
          if (++n_in_window == windows[w].max)
            {
              allowed = MAX (allowed, t + windows[w].window);
              break;
            }
        }
    }
  return allowed;
}

static void
pacing_note_sent (SinglySendJob *self,
                  gint64         now)
{
  const SinglyPacing *pacing = &self->account->pacing;
  double gap = self->interval;
  guint keep = MAX (MAX (pacing->max_per_minute, pacing->max_per_hour), pacing->max_per_day);

  if (pacing->jitter > 0)
    gap += g_rand_double_range (self->rand, 0, pacing->jitter);
  self->next_allowed = now + seconds_to_usec (gap);

  if (keep > 0)
    {
      gpointer slot = NULL;

      *(gint64 *) &slot = now;
      g_queue_push_tail (&self->sent_times, slot);
      while (self->sent_times.length > keep)
        g_queue_pop_head (&self->sent_times);
    }
}

/* A 4xx that speaks of rates or limits: the server wants us slower */
static gboolean
reply_is_about_rate (const SinglySmtpReply *reply)
{
  g_autofree char *lower = NULL;

  if (reply == NULL)
    return FALSE;
  if (reply->enhanced != NULL && g_str_has_prefix (reply->enhanced, "4.7."))
    return TRUE;
  lower = g_ascii_strdown (reply->text ? reply->text : "", -1);
  return strstr (lower, "rate") != NULL || strstr (lower, "too many") != NULL ||
         strstr (lower, "limit") != NULL || strstr (lower, "slow down") != NULL;
}

/* The next row that may go now, without taking it; with none, *deadline
 * says when one may (G_MAXINT64: never, everything is done). Deferred rows
 * whose time has come go first: they have waited longest. */
static gboolean
peek_next (SinglySendJob *self,
           gint64         now,
           guint         *row,
           gint64        *deadline)
{
  *deadline = G_MAXINT64;

  for (guint i = 0; i < self->deferred->len; i++)
    {
      guint r = g_array_index (self->deferred, guint, i);

      if (self->retry_at[r] <= now)
        {
          *row = r;
          return TRUE;
        }
      *deadline = MIN (*deadline, self->retry_at[r]);
    }

  while (self->next_row < self->n_rows && self->states[self->next_row] != SINGLY_RECIPIENT_QUEUED)
    self->next_row++;
  if (self->next_row < self->n_rows)
    {
      *row = self->next_row;
      return TRUE;
    }
  return FALSE;
}

static void
take (SinglySendJob *self,
      guint          row)
{
  if (row == self->next_row && self->states[row] == SINGLY_RECIPIENT_QUEUED)
    {
      self->next_row++;
      return;
    }
  for (guint i = 0; i < self->deferred->len; i++)
    if (g_array_index (self->deferred, guint, i) == row)
      {
        g_array_remove_index_fast (self->deferred, i);
        return;
      }
  g_assert_not_reached ();
}

static gint64
retry_delay (SinglySendJob *self,
             guint          attempt)
{
  return seconds_to_usec (self->first_retry_delay * (1u << MIN (attempt > 0 ? attempt - 1 : 0, 16u)));
}

static void
fail_fatally (SinglySendJob *self,
              GError        *error)
{
  if (self->fatal == NULL)
    self->fatal = error;
  else
    g_error_free (error);
}

static char *
reply_sentence (const SinglySmtpResult *result)
{
  if (result->reply != NULL)
    {
      if (result->reply->enhanced != NULL)
        return g_strdup_printf ("%u %s %s", result->reply->code, result->reply->enhanced, result->reply->text);
      return g_strdup_printf ("%u %s", result->reply->code, result->reply->text);
    }
  return g_strdup (result->detail ? result->detail : _("No reply from the server"));
}

static void
record_outcome (SinglySendJob        *self,
                guint                 row,
                SinglyRecipientState  state,
                guint                 code,
                const char           *reply,
                const char           *message_id)
{
  g_autoptr(GError) error = NULL;

  if (self->journal != NULL &&
      !singly_journal_record_outcome (self->journal, row, state, code, reply, &error))
    fail_fatally (self, g_error_new (SINGLY_SEND_JOB_ERROR, SINGLY_SEND_JOB_ERROR_JOURNAL,
                                     "%s", error->message));
  push_event (self, row, state, code, reply, message_id);
}

/* A temporary failure: try again later, with a growing pause, up to a
 * bound; then it is a failure like any other. */
static void
defer_row (SinglySendJob *self,
           guint          row,
           guint          code,
           const char    *reply)
{
  if (self->attempts[row] >= self->max_attempts)
    {
      g_autofree char *text = g_strdup_printf (_("Gave up after %u attempts: %s"), self->attempts[row], reply);

      record_outcome (self, row, SINGLY_RECIPIENT_FAILED, code, text, NULL);
      return;
    }

  self->retry_at[row] = g_get_monotonic_time () + retry_delay (self, self->attempts[row]);
  g_array_append_val (self->deferred, row);
  record_outcome (self, row, SINGLY_RECIPIENT_DEFERRED, code, reply, NULL);
}

static gboolean
before_dot_cb (const SinglySmtpMessage  *message,
               gpointer                  user_data,
               GError                  **error)
{
  SinglySendJob *self = user_data;
  Pending *pending = message->user_data;

  if (self->journal == NULL)
    return TRUE;
  return singly_journal_record_attempt (self->journal, pending->row,
                                        pending->message->to_address,
                                        pending->message->message_id, error);
}

/* Builds the message of @row. A row that cannot be built fails here, with
 * the reason, and is never handed to the transport. */
static Pending *
prepare (SinglySendJob *self,
         guint          row)
{
  g_autoptr(GError) error = NULL;
  Pending *pending;
  SinglyMessage *message;

  message = singly_message_builder_build (self->builder, row, &error);
  if (message == NULL)
    {
      record_outcome (self, row, SINGLY_RECIPIENT_FAILED, 0, error->message, NULL);
      return NULL;
    }

  pending = g_new0 (Pending, 1);
  pending->row = row;
  pending->message = message;

  g_byte_array_set_size (self->buffer, 0);
  singly_message_write (message, self->buffer);
  pending->data = g_bytes_new (self->buffer->data, self->buffer->len);

  pending->rcpts = g_new0 (char *, message->recipients->len + 1);
  for (guint i = 0; i < message->recipients->len; i++)
    pending->rcpts[i] = g_strdup (message->recipients->pdata[i]);

  pending->smtp.mail_from = message->envelope_from;
  pending->smtp.rcpts = (const char * const *) pending->rcpts;
  pending->smtp.n_rcpts = message->recipients->len;
  pending->smtp.data = pending->data;
  pending->smtp.eight_bit = FALSE;
  pending->smtp.smtputf8 = message->smtputf8;
  pending->smtp.envid = message->message_id;
  pending->smtp.user_data = pending;

  self->attempts[row]++;
  push_event (self, row, SINGLY_RECIPIENT_SENDING, 0, NULL, message->message_id);
  return pending;
}

static const SinglySmtpMessage *
next_cb (gpointer user_data)
{
  SinglySendJob *self = user_data;
  const SinglyPacing *pacing = &self->account->pacing;

  for (;;)
    {
      gint64 now, deadline;
      Pending *pending;
      guint row;

      if (self->fatal != NULL || self->reconnect || is_cancelled (self) || is_paused (self))
        return NULL;
      if (pacing->max_per_connection > 0 &&
          singly_smtp_session_get_n_sent (self->session) >= pacing->max_per_connection)
        {
          self->reconnect = TRUE;
          return NULL;
        }

      now = g_get_monotonic_time ();
      if (!peek_next (self, now, &row, &deadline) || pacing_next_allowed (self, now) > now)
        return NULL;

      take (self, row);
      pending = prepare (self, row);
      if (pending == NULL)
        continue;

      pacing_note_sent (self, now);
      return &pending->smtp;
    }
}

static void
done_cb (const SinglySmtpMessage *message,
         SinglySmtpResult        *result,
         gpointer                 user_data)
{
  SinglySendJob *self = user_data;
  Pending *pending = message->user_data;
  g_autoptr(SinglySmtpResult) owned = result;
  g_autofree char *reply = reply_sentence (result);
  guint code = result->reply ? result->reply->code : 0;
  guint row = pending->row;

  if (result->reply != NULL && result->reply->code == 421)
    self->reconnect = TRUE;

  switch (result->status)
    {
    case SINGLY_SMTP_STATUS_SENT:
      record_outcome (self, row, SINGLY_RECIPIENT_SENT, code, reply, pending->message->message_id);
      break;

    case SINGLY_SMTP_STATUS_TEMPORARY:
      if (result->reply != NULL && singly_smtp_reply_is_account_level (result->reply))
        {
          /* not this recipient's fault: it waits for the next run */
          self->attempts[row]--;
          record_outcome (self, row, SINGLY_RECIPIENT_QUEUED, code, reply, NULL);
          fail_fatally (self, g_error_new (SINGLY_SEND_JOB_ERROR, SINGLY_SEND_JOB_ERROR_ACCOUNT,
                                           _("The server refuses to take more messages from this account for now: %s"),
                                           reply));
          break;
        }
      if (reply_is_about_rate (result->reply))
        self->interval = MIN (MAX (self->interval * 2, 1.0), MAX_SLOWED_INTERVAL);
      defer_row (self, row, code, reply);
      break;

    case SINGLY_SMTP_STATUS_PERMANENT:
      if (result->reply != NULL && singly_smtp_reply_is_account_level (result->reply))
        {
          self->attempts[row]--;
          record_outcome (self, row, SINGLY_RECIPIENT_QUEUED, code, reply, NULL);
          fail_fatally (self, g_error_new (SINGLY_SEND_JOB_ERROR, SINGLY_SEND_JOB_ERROR_ACCOUNT,
                                           _("The server refused the account: %s"), reply));
          break;
        }
      record_outcome (self, row, SINGLY_RECIPIENT_FAILED, code, reply, NULL);
      break;

    case SINGLY_SMTP_STATUS_UNKNOWN:
    default:
      self->reconnect = TRUE;
      record_outcome (self, row, SINGLY_RECIPIENT_UNKNOWN, code, reply, pending->message->message_id);
      break;
    }

  pending_free (pending);
}

static gboolean
error_is_account_level (const GError *error)
{
  if (error->domain != SINGLY_SMTP_ERROR)
    return FALSE;
  switch (error->code)
    {
    case SINGLY_SMTP_ERROR_TLS:
    case SINGLY_SMTP_ERROR_AUTH:
    case SINGLY_SMTP_ERROR_AUTH_NOT_ALLOWED:
    case SINGLY_SMTP_ERROR_AUTH_UNAVAILABLE:
    case SINGLY_SMTP_ERROR_STARTTLS_UNAVAILABLE:
    case SINGLY_SMTP_ERROR_REJECTED:
    case SINGLY_SMTP_ERROR_ACCOUNT_REFUSED:
      return TRUE;
    default:
      return FALSE;
    }
}

static SinglySmtpSession *
session_new (SinglySendJob *self)
{
  SinglySmtpConfig config = {
    .host = self->account->host,
    .port = self->account->port,
    .security = self->account->security,
    .ca_file = self->account->ca_file,
    .pinned_sha256 = self->account->pinned_sha256,
    .user = self->account->user,
    .auth = self->account->auth,
    .secret_func = self->secret_func,
    .secret_data = self->secret_data,
    .before_dot_func = before_dot_cb,
    .before_dot_data = self,
    .timeout_ms = self->account->timeout_ms,
    .request_dsn = self->account->request_dsn,
  };

  return singly_smtp_session_new (&config);
}

/* Sleeps until the next row may go; FALSE when there is none left */
static gboolean
wait_for_work (SinglySendJob *self)
{
  gint64 now = g_get_monotonic_time (), deadline, wake;
  guint row;

  if (is_paused (self))
    return wait_while_paused (self);

  if (peek_next (self, now, &row, &deadline))
    wake = pacing_next_allowed (self, now);
  else if (deadline == G_MAXINT64)
    return FALSE;
  else
    wake = deadline;

  if (wake <= now)
    return TRUE;

  /* a long wait is better spent disconnected than idle on the server's
   * clock: servers drop idle clients after a few minutes */
  if (self->session != NULL && wake - now > 30 * G_USEC_PER_SEC &&
      singly_smtp_session_is_open (self->session))
    singly_smtp_session_close (self->session, self->cancellable);
  return wait_until (self, wake);
}

static void
run_smtp (SinglySendJob *self)
{
  guint connect_failures = 0;

  self->session = session_new (self);

  while (self->fatal == NULL && !is_cancelled (self))
    {
      g_autoptr(GError) error = NULL;

      if (self->reconnect)
        {
          singly_smtp_session_close (self->session, self->cancellable);
          self->reconnect = FALSE;
        }

      /* connect only when there is something to send now */
      if (!wait_for_work (self))
        break;
      if (is_cancelled (self))
        break;

      if (!singly_smtp_session_is_open (self->session) &&
          !singly_smtp_session_open (self->session, self->cancellable, &error))
        {
          gboolean account_level = error_is_account_level (error);

          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            break;
          if (account_level || ++connect_failures >= MAX_CONNECT_TRIES)
            {
              fail_fatally (self, g_error_new (SINGLY_SEND_JOB_ERROR,
                                               account_level ? SINGLY_SEND_JOB_ERROR_ACCOUNT
                                                             : SINGLY_SEND_JOB_ERROR_CONNECT,
                                               "%s", error->message));
              break;
            }
          g_debug ("send-job: cannot connect (%s), trying again", error->message);
          singly_smtp_session_close (self->session, NULL);
          wait_until (self, g_get_monotonic_time () + retry_delay (self, connect_failures));
          continue;
        }

      if (!singly_smtp_session_send_stream (self->session, next_cb, done_cb, self, self->cancellable, &error))
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            break;
          g_debug ("send-job: the connection ended (%s)", error->message);
          if (error_is_account_level (error))
            {
              fail_fatally (self, g_error_new (SINGLY_SEND_JOB_ERROR, SINGLY_SEND_JOB_ERROR_ACCOUNT,
                                               "%s", error->message));
              break;
            }
          if (++connect_failures >= MAX_CONNECT_TRIES)
            {
              fail_fatally (self, g_error_new (SINGLY_SEND_JOB_ERROR, SINGLY_SEND_JOB_ERROR_CONNECT,
                                               "%s", error->message));
              break;
            }
          self->reconnect = TRUE;
          wait_until (self, g_get_monotonic_time () + retry_delay (self, connect_failures));
          continue;
        }
      connect_failures = 0;
    }

  if (singly_smtp_session_is_open (self->session))
    singly_smtp_session_close (self->session, NULL);
  g_clear_object (&self->session);
}

/* "Save to folder": the same job, the same journal, a file for a server */
static void
run_folder (SinglySendJob *self)
{
  if (g_mkdir_with_parents (self->account->folder, 0700) != 0)
    {
      fail_fatally (self, g_error_new (SINGLY_SEND_JOB_ERROR, SINGLY_SEND_JOB_ERROR_FOLDER,
                                       _("Cannot create the folder %s: %s"),
                                       self->account->folder, g_strerror (errno)));
      return;
    }

  while (self->fatal == NULL && !is_cancelled (self))
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *name = NULL;
      g_autofree char *path = NULL;
      gint64 now, deadline;
      Pending *pending;
      guint row;

      if (!wait_for_work (self) || is_cancelled (self))
        break;
      now = g_get_monotonic_time ();
      if (is_paused (self) || !peek_next (self, now, &row, &deadline) ||
          pacing_next_allowed (self, now) > now)
        continue;
      take (self, row);

      pending = prepare (self, row);
      if (pending == NULL)
        continue;
      pacing_note_sent (self, now);

      /* each message goes to a new file renamed over its name: a link
       * planted there is replaced, never followed; 0600, as the message
       * is one person's */
      name = singly_message_file_name (row, pending->message->to_address);
      path = g_build_filename (self->account->folder, name, NULL);

      if (!before_dot_cb (&pending->smtp, self, &error))
        {
          fail_fatally (self, g_error_new (SINGLY_SEND_JOB_ERROR, SINGLY_SEND_JOB_ERROR_JOURNAL,
                                           "%s", error->message));
          record_outcome (self, row, SINGLY_RECIPIENT_QUEUED, 0, error->message, NULL);
        }
      else if (!g_file_set_contents_full (path, g_bytes_get_data (pending->data, NULL),
                                          g_bytes_get_size (pending->data),
                                          G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
        {
          record_outcome (self, row, SINGLY_RECIPIENT_QUEUED, 0, error->message, NULL);
          fail_fatally (self, g_error_new (SINGLY_SEND_JOB_ERROR, SINGLY_SEND_JOB_ERROR_FOLDER,
                                           "%s", error->message));
        }
      else
        {
          g_autofree char *reply = g_strdup_printf (_("Saved as %s"), name);

          record_outcome (self, row, SINGLY_RECIPIENT_SENT, 0, reply, pending->message->message_id);
        }
      pending_free (pending);
    }
}

static gpointer
worker_main (gpointer data)
{
  SinglySendJob *self = data;

  if (self->account->kind == SINGLY_ACCOUNT_FOLDER)
    run_folder (self);
  else
    run_smtp (self);

  if (self->journal != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!singly_journal_sync (self->journal, &error))
        fail_fatally (self, g_error_new (SINGLY_SEND_JOB_ERROR, SINGLY_SEND_JOB_ERROR_JOURNAL,
                                         "%s", error->message));
    }

  /* Not g_main_context_invoke(): when no thread owns the context at this
   * instant it would run finish_in_main() right here, in the worker, which
   * would then join itself. A source always runs in the main context. */
  {
    GSource *source = g_idle_source_new ();

    g_source_set_priority (source, G_PRIORITY_DEFAULT);
    g_source_set_callback (source, finish_in_main, g_object_ref (self), g_object_unref);
    g_source_attach (source, self->main_context);
    g_source_unref (source);
  }
  return NULL;
}

/* ------------------------------------------------------------------------ */

static void
singly_send_job_dispose (GObject *object)
{
  SinglySendJob *self = (SinglySendJob *) object;

  /* the worker holds a reference while it runs: we only get here after */
  g_assert (self->thread == NULL);

  G_OBJECT_CLASS (singly_send_job_parent_class)->dispose (object);
}

static void
singly_send_job_finalize (GObject *object)
{
  SinglySendJob *self = (SinglySendJob *) object;

  g_clear_object (&self->builder);
  g_clear_pointer (&self->account, singly_account_free);
  g_clear_object (&self->journal);
  if (self->secret_destroy != NULL)
    self->secret_destroy (self->secret_data);
  for (guint i = 0; i < self->n_rows; i++)
    {
      g_free (self->recipients[i].reply);
      g_free (self->recipients[i].message_id);
    }
  g_free (self->recipients);
  g_free (self->selected);
  g_free (self->states);
  g_free (self->attempts);
  g_free (self->retry_at);
  g_queue_clear (&self->sent_times);
  g_clear_pointer (&self->deferred, g_array_unref);
  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_pointer (&self->events, g_array_unref);
  g_clear_pointer (&self->buffer, g_byte_array_unref);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->error);
  g_clear_error (&self->fatal);
  g_clear_pointer (&self->main_context, g_main_context_unref);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (singly_send_job_parent_class)->finalize (object);
}

static void
singly_send_job_class_init (SinglySendJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = singly_send_job_dispose;
  object_class->finalize = singly_send_job_finalize;

  /**
   * SinglySendJob::progress:
   * @job: the job
   * @events: (array length=n_events): what changed, in order
   * @n_events: how many
   *
   * Emitted in the main context with a batch of changes; the job's own
   * view (singly_send_job_get_recipient()) is already updated.
   */
  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_UINT);

  /**
   * SinglySendJob::finished:
   * @job: the job
   * @error: (nullable): why the job stopped before the end, if it did
   */
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
singly_send_job_init (SinglySendJob *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->events = g_array_new (FALSE, FALSE, sizeof (SinglySendEvent));
  g_array_set_clear_func (self->events, event_clear);
  self->cancellable = g_cancellable_new ();
  self->max_attempts = 5;
  self->first_retry_delay = 60;
  self->buffer = g_byte_array_sized_new (8192);
  self->rand = g_rand_new ();
  self->deferred = g_array_new (FALSE, FALSE, sizeof (guint));
}

/**
 * singly_send_job_new:
 * @builder: makes the messages; its check must have run
 * @account: where they go (copied)
 * @journal: (nullable): where progress is kept; without one nothing
 *   protects against sending twice after a crash, so only tests go without
 *
 * Returns: (transfer full): a job, not started
 */
SinglySendJob *
singly_send_job_new (SinglyMessageBuilder *builder,
                     const SinglyAccount  *account,
                     SinglyJournal        *journal)
{
  SinglySendJob *self;

  g_return_val_if_fail (SINGLY_IS_MESSAGE_BUILDER (builder), NULL);
  g_return_val_if_fail (account != NULL, NULL);
  g_return_val_if_fail (journal == NULL || SINGLY_IS_JOURNAL (journal), NULL);

  self = g_object_new (SINGLY_TYPE_SEND_JOB, NULL);
  self->builder = g_object_ref (builder);
  self->account = singly_account_copy (account);
  self->journal = journal ? g_object_ref (journal) : NULL;
  self->n_rows = singly_contact_list_get_n_rows (singly_message_builder_get_contacts (builder));
  self->interval = account->pacing.interval;
  self->recipients = g_new0 (SinglySendRecipient, MAX (self->n_rows, 1));
  self->counts[SINGLY_RECIPIENT_QUEUED] = self->n_rows;

  return self;
}

/**
 * singly_send_job_set_secret_func:
 *
 * Where the SMTP session gets the password or token when it needs it.
 */
void
singly_send_job_set_secret_func (SinglySendJob        *self,
                                 SinglySmtpSecretFunc  func,
                                 gpointer              data,
                                 GDestroyNotify        destroy)
{
  g_return_if_fail (SINGLY_IS_SEND_JOB (self));
  g_return_if_fail (self->thread == NULL);

  if (self->secret_destroy != NULL)
    self->secret_destroy (self->secret_data);
  self->secret_func = func;
  self->secret_data = data;
  self->secret_destroy = destroy;
}

/**
 * singly_send_job_set_retry:
 * @max_attempts: how many times a recipient is tried at most
 * @first_delay: seconds before the first retry; each next one waits twice
 *   as long
 */
void
singly_send_job_set_retry (SinglySendJob *self,
                           guint          max_attempts,
                           double         first_delay)
{
  g_return_if_fail (SINGLY_IS_SEND_JOB (self));
  g_return_if_fail (self->thread == NULL);

  self->max_attempts = MAX (max_attempts, 1);
  self->first_retry_delay = MAX (first_delay, 0);
}

/**
 * singly_send_job_set_resend_unknown:
 *
 * Whether recipients the journal lists as unknown are sent again. It is
 * the user's decision, recorded in the journal.
 */
void
singly_send_job_set_resend_unknown (SinglySendJob *self,
                                    gboolean       resend)
{
  g_return_if_fail (SINGLY_IS_SEND_JOB (self));
  g_return_if_fail (self->thread == NULL);
  self->resend_unknown = !!resend;
}

/**
 * singly_send_job_set_rows:
 * @rows: (array length=n_rows): the rows to send
 *
 * Sends only these rows ("Retry failed"); the others keep what the
 * journal says of them.
 */
void
singly_send_job_set_rows (SinglySendJob *self,
                          const guint   *rows,
                          guint          n_rows)
{
  g_return_if_fail (SINGLY_IS_SEND_JOB (self));
  g_return_if_fail (self->thread == NULL);

  g_free (self->selected);
  self->selected = g_new0 (guint8, MAX (self->n_rows, 1));
  for (guint i = 0; i < n_rows; i++)
    if (rows[i] < self->n_rows)
      self->selected[rows[i]] = TRUE;
}

static void
set_initial (SinglySendJob        *self,
             guint                 row,
             SinglyRecipientState  state,
             const SinglyJournalRow *entry,
             const char           *reply)
{
  SinglySendRecipient *recipient = &self->recipients[row];

  self->states[row] = state;
  self->counts[SINGLY_RECIPIENT_QUEUED]--;
  self->counts[state]++;
  recipient->state = state;
  if (entry != NULL)
    {
      recipient->code = entry->code;
      recipient->reply = g_strdup (entry->reply);
      recipient->message_id = g_strdup (entry->message_id);
      recipient->time = entry->time * G_USEC_PER_SEC;
      self->attempts[row] = entry->attempts;
    }
  if (reply != NULL)
    {
      g_free (recipient->reply);
      recipient->reply = g_strdup (reply);
    }
}

/* What each row starts as: skipped when it cannot be sent, else what the
 * journal says, else queued. */
static void
compute_initial_states (SinglySendJob *self)
{
  SinglyContactList *contacts = singly_message_builder_get_contacts (self->builder);
  g_autoptr(GError) error = NULL;

  self->states = g_new0 (SinglyRecipientState, MAX (self->n_rows, 1));
  self->attempts = g_new0 (guint, MAX (self->n_rows, 1));
  self->retry_at = g_new0 (gint64, MAX (self->n_rows, 1));

  for (guint row = 0; row < self->n_rows; row++)
    {
      const SinglyJournalRow *entry = self->journal ? singly_journal_get_row (self->journal, row) : NULL;
      SinglyRecipientState from_journal = entry ? entry->state : SINGLY_RECIPIENT_QUEUED;

      if (!singly_message_builder_row_is_sendable (self->builder, row))
        {
          const char *reason = NULL;

          for (guint i = 0; i < singly_message_builder_get_n_problems (self->builder) && reason == NULL; i++)
            if (singly_message_builder_get_problem (self->builder, i)->row == row)
              reason = singly_message_builder_get_problem (self->builder, i)->message;
          for (guint i = 0; i < singly_contact_list_get_n_problems (contacts) && reason == NULL; i++)
            if (singly_contact_list_get_problem (contacts, i)->row == row)
              reason = singly_contact_list_get_problem (contacts, i)->message;

          /* a row sent in an earlier run stays sent, whatever changed */
          if (from_journal == SINGLY_RECIPIENT_SENT)
            set_initial (self, row, SINGLY_RECIPIENT_SENT, entry, NULL);
          else
            set_initial (self, row, SINGLY_RECIPIENT_SKIPPED, NULL, reason ? reason : _("Excluded"));
          continue;
        }

      switch (from_journal)
        {
        case SINGLY_RECIPIENT_SENT:
          set_initial (self, row, SINGLY_RECIPIENT_SENT, entry, NULL);
          break;

        case SINGLY_RECIPIENT_UNKNOWN:
          if (self->resend_unknown && (self->selected == NULL || self->selected[row]))
            {
              if (!singly_journal_record_resend (self->journal, row, &error))
                {
                  g_warning ("%s", error->message);
                  g_clear_error (&error);
                  set_initial (self, row, SINGLY_RECIPIENT_UNKNOWN, entry, NULL);
                }
              else
                set_initial (self, row, SINGLY_RECIPIENT_QUEUED, entry, NULL);
            }
          else
            set_initial (self, row, SINGLY_RECIPIENT_UNKNOWN, entry, NULL);
          break;

        case SINGLY_RECIPIENT_FAILED:
          if (self->selected != NULL && self->selected[row])
            {
              /* "Retry failed": a fresh start for these rows */
              set_initial (self, row, SINGLY_RECIPIENT_QUEUED, entry, NULL);
              self->attempts[row] = 0;
            }
          else
            set_initial (self, row, SINGLY_RECIPIENT_FAILED, entry, NULL);
          break;

        case SINGLY_RECIPIENT_QUEUED:
        case SINGLY_RECIPIENT_DEFERRED:
        case SINGLY_RECIPIENT_SENDING:
        case SINGLY_RECIPIENT_SKIPPED:
        default:
          set_initial (self, row, SINGLY_RECIPIENT_QUEUED, entry, NULL);
          break;
        }

      /* rows left out of this run keep their state, but are not sent */
      if (self->selected != NULL && !self->selected[row] && self->states[row] == SINGLY_RECIPIENT_QUEUED)
        self->states[row] = SINGLY_RECIPIENT_SKIPPED;
    }
}

/**
 * singly_send_job_start:
 *
 * Starts sending in a worker thread. ::progress and ::finished are emitted
 * in the thread-default main context of the caller.
 */
void
singly_send_job_start (SinglySendJob *self)
{
  g_return_if_fail (SINGLY_IS_SEND_JOB (self));
  g_return_if_fail (self->thread == NULL && !self->running);

  self->main_context = g_main_context_ref_thread_default ();
  compute_initial_states (self);
  self->running = TRUE;
  self->thread = g_thread_new ("singly-send", worker_main, g_object_ref (self));
}

void
singly_send_job_pause (SinglySendJob *self)
{
  g_return_if_fail (SINGLY_IS_SEND_JOB (self));

  g_mutex_lock (&self->lock);
  self->paused = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

void
singly_send_job_resume (SinglySendJob *self)
{
  g_return_if_fail (SINGLY_IS_SEND_JOB (self));

  g_mutex_lock (&self->lock);
  self->paused = FALSE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

/**
 * singly_send_job_cancel:
 *
 * Stops the job as soon as it can: a message whose final dot is on its way
 * gets its reply first when it comes in time, else it is unknown.
 */
void
singly_send_job_cancel (SinglySendJob *self)
{
  g_return_if_fail (SINGLY_IS_SEND_JOB (self));

  g_mutex_lock (&self->lock);
  self->cancelled = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  g_cancellable_cancel (self->cancellable);
}

gboolean
singly_send_job_is_running (SinglySendJob *self)
{
  g_return_val_if_fail (SINGLY_IS_SEND_JOB (self), FALSE);
  return self->running;
}

gboolean
singly_send_job_is_paused (SinglySendJob *self)
{
  g_return_val_if_fail (SINGLY_IS_SEND_JOB (self), FALSE);
  return is_paused (self);
}

/**
 * singly_send_job_get_error:
 *
 * Returns: (nullable): why the finished job stopped early, if it did
 */
const GError *
singly_send_job_get_error (SinglySendJob *self)
{
  g_return_val_if_fail (SINGLY_IS_SEND_JOB (self), NULL);
  return self->error;
}

guint
singly_send_job_get_n_rows (SinglySendJob *self)
{
  g_return_val_if_fail (SINGLY_IS_SEND_JOB (self), 0);
  return self->n_rows;
}

/**
 * singly_send_job_get_recipient:
 *
 * Returns: (transfer none): @row as the main thread last heard of it
 */
const SinglySendRecipient *
singly_send_job_get_recipient (SinglySendJob *self,
                               guint          row)
{
  g_return_val_if_fail (SINGLY_IS_SEND_JOB (self), NULL);
  g_return_val_if_fail (row < self->n_rows, NULL);
  return &self->recipients[row];
}

guint
singly_send_job_count (SinglySendJob        *self,
                       SinglyRecipientState  state)
{
  g_return_val_if_fail (SINGLY_IS_SEND_JOB (self), 0);
  g_return_val_if_fail (state < SINGLY_RECIPIENT_N_STATES, 0);
  return self->counts[state];
}

/* A spreadsheet runs a cell that starts with = + - @ (or a tab or CR
 * before one): a leading ' keeps it text. */
static void
append_csv_cell (GString    *out,
                 const char *value)
{
  gboolean formula, quote;

  if (value == NULL)
    value = "";
  formula = strchr ("=+-@\t\r", value[0]) != NULL && value[0] != '\0';
  quote = formula || strpbrk (value, ",\"\r\n") != NULL;

  if (quote)
    g_string_append_c (out, '"');
  if (formula)
    g_string_append_c (out, '\'');
  for (const char *p = value; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  if (quote)
    g_string_append_c (out, '"');
}

/**
 * singly_send_job_write_report:
 * @self: a job
 * @path: the CSV file to write (replaced atomically, mode 0600; a symbolic
 *   link at @path is replaced, not followed)
 * @error: return location for a #GError
 *
 * Writes every recipient's state, reply, time and Message-ID, one row per
 * contact, under the header line,email,name,state,code,reply,message_id,time.
 */
gboolean
singly_send_job_write_report (SinglySendJob  *self,
                              const char     *path,
                              GError        **error)
{
  SinglyContactList *contacts;
  g_autoptr(GString) out = g_string_new ("line,email,name,state,code,reply,message_id,time\r\n");

  g_return_val_if_fail (SINGLY_IS_SEND_JOB (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  contacts = singly_message_builder_get_contacts (self->builder);
  for (guint row = 0; row < self->n_rows; row++)
    {
      const SinglySendRecipient *recipient = &self->recipients[row];
      g_autofree char *name = singly_contact_list_dup_display_name (contacts, row);
      g_autofree char *time = NULL;

      if (recipient->time > 0)
        {
          g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (recipient->time / G_USEC_PER_SEC);

          time = g_date_time_format_iso8601 (when);
        }

      g_string_append_printf (out, "%u,", singly_contact_list_get_row_line (contacts, row));
      append_csv_cell (out, singly_contact_list_get_address (contacts, row));
      g_string_append_c (out, ',');
      append_csv_cell (out, name);
      g_string_append_printf (out, ",%s,", singly_recipient_state_name (recipient->state));
      if (recipient->code > 0)
        g_string_append_printf (out, "%u", recipient->code);
      g_string_append_c (out, ',');
      append_csv_cell (out, recipient->reply);
      g_string_append_c (out, ',');
      append_csv_cell (out, recipient->message_id);
      g_string_append_c (out, ',');
      append_csv_cell (out, time);
      g_string_append (out, "\r\n");
    }

  /* written to a new file and renamed over @path: a link planted at @path
   * is replaced, never followed; 0600, as it lists every address */
  return g_file_set_contents_full (path, out->str, out->len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}
