/* bench-merge.c: render and serialise every message of a campaign
 *
 * bench-merge DIR  (DIR/contacts.csv and DIR/template.txt from make-data.py)
 *
 * Loads the list and the template (not counted), then builds each message
 * and writes it out as it would go on the wire, into a buffer that is
 * reused. Prints the rate per CPU second and the peak RSS.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <time.h>

#include "bench-util.h"
#include "singly-message.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) contacts_file = NULL;
  g_autoptr(GFile) template_file = NULL;
  g_autoptr(SinglyContactList) contacts = NULL;
  g_autoptr(SinglyTemplate) template = NULL;
  g_autoptr(SinglyMessageBuilder) builder = NULL;
  g_autoptr(GByteArray) buffer = g_byte_array_sized_new (8192);
  g_autofree char *contacts_path = NULL;
  g_autofree char *template_path = NULL;
  guint64 bytes = 0;
  guint n_rows, n_built = 0;
  double cpu_start, cpu;
  gint64 wall_start, wall;

  if (argc != 2)
    {
      fprintf (stderr, "usage: bench-merge DIR\n");
      return 2;
    }

  contacts_path = g_build_filename (argv[1], "contacts.csv", NULL);
  template_path = g_build_filename (argv[1], "template.txt", NULL);
  contacts_file = g_file_new_for_path (contacts_path);
  template_file = g_file_new_for_path (template_path);

  contacts = singly_contact_list_new_from_file (contacts_file, NULL, NULL, &error);
  if (contacts != NULL)
    template = singly_template_new_from_file (template_file, NULL, &error);
  if (template != NULL)
    builder = singly_message_builder_new (contacts, template, &error);
  if (builder == NULL)
    {
      fprintf (stderr, "bench-merge: %s\n", error->message);
      return 1;
    }
  singly_message_builder_set_sender (builder, "Example Trading", "office@example.org");

  n_rows = singly_contact_list_get_n_rows (contacts);
  cpu_start = bench_cpu_seconds ();
  wall_start = g_get_monotonic_time ();

  for (guint row = 0; row < n_rows; row++)
    {
      g_autoptr(SinglyMessage) message = singly_message_builder_build (builder, row, &error);

      if (message == NULL)
        {
          fprintf (stderr, "bench-merge: row %u: %s\n", row, error->message);
          return 1;
        }
      g_byte_array_set_size (buffer, 0);
      singly_message_write (message, buffer);
      bytes += buffer->len;
      n_built++;
    }

  cpu = bench_cpu_seconds () - cpu_start;
  wall = g_get_monotonic_time () - wall_start;
  printf ("singly: messages=%u bytes=%" G_GUINT64_FORMAT " wall_s=%.2f cpu_s=%.2f rate=%.0f/s peak_rss_mib=%.0f\n",
          n_built, bytes, wall / 1e6, cpu, n_built / cpu, bench_peak_rss_mib ());
  return 0;
}
