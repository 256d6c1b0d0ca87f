/* bench-window.c: how the window copes with big campaigns
 *
 *   bench-window open CONTACTS
 *     opens CONTACTS in a real window and prints the time from the request
 *     to the first frame drawn with every row in the table, and the peak
 *     RSS of the process
 *   bench-window send CONTACTS TEMPLATE PORT
 *     sends every message to an SMTP server on 127.0.0.1:PORT with no
 *     pacing, and prints the rate and how long the main loop was kept from
 *     running: the longest gap between two runs of a 1 ms timer at high
 *     priority, minus the millisecond, and the longest frame
 *
 * Run it under an X server (bench/run-window.sh starts Xvfb). Numbers go to
 * bench/README.md; nothing here passes or fails.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "singly-application.h"
#include "singly-send-page.h"
#include "singly-window.h"

static SinglyApplication *app;

/* the stall probe */
static gint64 last_tick;
static gint64 longest_gap;
static gint64 longest_gap_at;
static guint  gaps_over_16ms;
static gint64 probe_start;

/* the frame clock */
static gint64 frame_start;
static gint64 longest_frame;

static gboolean
tick_cb (gpointer data)
{
  gint64 now = g_get_monotonic_time ();

  if (last_tick != 0)
    {
      gint64 gap = now - last_tick;

      if (gap > longest_gap)
        {
          longest_gap = gap;
          longest_gap_at = last_tick;
        }
      gaps_over_16ms += gap > 16000;
      if (gap > 16000 && g_getenv ("BENCH_VERBOSE") != NULL)
        fprintf (stderr, "stall of %.1f ms at %.3f s (monotonic %.6f s)\n", gap / 1000.0,
                 (last_tick - probe_start) / 1e6, last_tick / 1e6);
    }
  last_tick = now;
  return G_SOURCE_CONTINUE;
}

static void
frame_update_cb (GdkFrameClock *clock,
                 gpointer       data)
{
  frame_start = g_get_monotonic_time ();
}

static void
frame_painted_cb (GdkFrameClock *clock,
                  gpointer       data)
{
  if (frame_start != 0)
    longest_frame = MAX (longest_frame, g_get_monotonic_time () - frame_start);
}

static double
peak_rss_mib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmHWM:");
  return line ? g_ascii_strtod (line + 6, NULL) / 1024.0 : 0;
}

static void
iterate_until (gboolean (*done) (SinglyWindow *), SinglyWindow *window, guint timeout_s)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;

  while (!done (window))
    {
      if (g_get_monotonic_time () > end)
        g_error ("timed out");
      g_main_context_iteration (NULL, TRUE);
    }
}

static SinglyWindow *
new_window (void)
{
  SinglyWindow *window = singly_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  return window;
}

/* ---- open ---- */

static guint  expected_rows;
static gint64 shown_at;

static gboolean
table_filled (SinglyWindow *window)
{
  SinglyContactsPage *page = singly_window_get_contacts_page (window);

  return !singly_contacts_page_get_loading (page) &&
         g_list_model_get_n_items (singly_contacts_page_get_contact_model (page)) == expected_rows;
}

static void
shown_cb (GdkFrameClock *clock,
          SinglyWindow  *window)
{
  if (shown_at == 0 && table_filled (window))
    shown_at = g_get_monotonic_time ();
}

static gboolean
is_shown (SinglyWindow *window)
{
  return shown_at != 0;
}

static int
bench_open (const char *contacts)
{
  SinglyWindow *window = new_window ();
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (contacts);
  g_autofree char *data = NULL;
  gint64 start;

  /* the rows, counted apart: lines minus the header */
  if (!g_file_get_contents (contacts, &data, NULL, NULL))
    g_error ("cannot read %s", contacts);
  for (const char *p = data; *p != '\0'; p++)
    expected_rows += *p == '\n';
  expected_rows -= 1;
  g_clear_pointer (&data, g_free);

  g_signal_connect (clock, "after-paint", G_CALLBACK (shown_cb), window);
  start = g_get_monotonic_time ();
  singly_window_open_contacts_file (window, file);
  iterate_until (is_shown, window, 120);

  printf ("rows %u, shown after %.2f s, peak RSS %.0f MiB\n",
          expected_rows, (shown_at - start) / 1e6, peak_rss_mib ());
  return 0;
}

/* ---- send ---- */

static gboolean
builder_ready (SinglyWindow *window)
{
  return singly_document_get_builder (singly_window_get_document (window)) != NULL;
}

static gboolean
send_finished (SinglyWindow *window)
{
  return singly_send_page_get_state (singly_window_get_send_page (window)) == SINGLY_SEND_PAGE_FINISHED;
}

static int
bench_send (const char *contacts,
            const char *template,
            guint16     port)
{
  SinglyWindow *window = new_window ();
  SinglySendPage *page = singly_window_get_send_page (window);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_autoptr(GFile) contacts_file = g_file_new_for_commandline_arg (contacts);
  g_autoptr(GFile) template_file = g_file_new_for_commandline_arg (template);
  g_autoptr(SinglyAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  SinglySendJob *job;
  gint64 start, end;
  guint n;

  account = singly_account_new_smtp ("127.0.0.1", port, SINGLY_SECURITY_NONE, "Example Trading",
                                     "office@example.org");
  memset (&account->pacing, 0, sizeof account->pacing);
  singly_window_set_account (window, account);
  singly_window_open_contacts_file (window, contacts_file);
  singly_window_open_template_file (window, template_file);
  iterate_until (builder_ready, window, 120);
  singly_window_set_visible_page (window, "send");

  /* the page as it will be watched */
  for (gint64 settle = g_get_monotonic_time () + G_USEC_PER_SEC; g_get_monotonic_time () < settle;)
    g_main_context_iteration (NULL, FALSE);

  g_signal_connect (clock, "update", G_CALLBACK (frame_update_cb), NULL);
  g_signal_connect (clock, "after-paint", G_CALLBACK (frame_painted_cb), NULL);
  g_timeout_add_full (G_PRIORITY_HIGH, 1, tick_cb, NULL, NULL);

  start = probe_start = g_get_monotonic_time ();
  if (!singly_send_page_start (page, FALSE, &error))
    g_error ("%s", error->message);
  /* the one dispatch before the probe's first tick: the journal opened,
   * the contact file's checksum, the job started */
  printf ("starting the send took %.1f ms\n", (g_get_monotonic_time () - start) / 1000.0);
  iterate_until (send_finished, window, 3600);
  end = g_get_monotonic_time ();

  job = singly_send_page_get_job (page);
  n = singly_send_job_count (job, SINGLY_RECIPIENT_SENT);
  printf ("sent %u of %u in %.1f s (%.0f messages/s)\n", n, singly_send_job_get_n_rows (job),
          (end - start) / 1e6, n / ((end - start) / 1e6));
  printf ("longest main-loop stall %.1f ms (at %.1f s), %u stalls over 16 ms; longest frame %.1f ms; "
          "peak RSS %.0f MiB\n", MAX (0, longest_gap - 1000) / 1000.0, (longest_gap_at - start) / 1e6,
          gaps_over_16ms, longest_frame / 1000.0, peak_rss_mib ());
  return n == singly_send_job_get_n_rows (job) ? 0 : 1;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  if (argc < 3 || (strcmp (argv[1], "send") == 0 && argc < 5))
    {
      fprintf (stderr, "usage: bench-window open CONTACTS | send CONTACTS TEMPLATE PORT\n");
      return 2;
    }

  gtk_init ();
  adw_init ();
  app = singly_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);

  if (strcmp (argv[1], "open") == 0)
    status = bench_open (argv[2]);
  else
    status = bench_send (argv[2], argv[3], (guint16) atoi (argv[4]));

  g_object_unref (app);
  return status;
}
