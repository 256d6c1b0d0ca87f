/* bench-load.c: how long a big contact list takes to open, and its memory
 *
 * bench-load FILE
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include "bench-util.h"
#include "singly-contacts.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(SinglyContactList) contacts = NULL;
  gint64 start, wall;
  double cpu_start, cpu;
  double file_mib;

  if (argc != 2)
    {
      fprintf (stderr, "usage: bench-load FILE\n");
      return 2;
    }

  file = g_file_new_for_commandline_arg (argv[1]);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, &error);
  if (info == NULL)
    {
      fprintf (stderr, "bench-load: %s\n", error->message);
      return 1;
    }
  file_mib = g_file_info_get_size (info) / (1024.0 * 1024.0);

  cpu_start = bench_cpu_seconds ();
  start = g_get_monotonic_time ();
  contacts = singly_contact_list_new_from_file (file, NULL, NULL, &error);
  wall = g_get_monotonic_time () - start;
  cpu = bench_cpu_seconds () - cpu_start;
  if (contacts == NULL)
    {
      fprintf (stderr, "bench-load: %s\n", error->message);
      return 1;
    }

  printf ("load: rows=%u file_mib=%.1f wall_s=%.2f cpu_s=%.2f peak_rss_mib=%.0f rss_per_file=%.2f problems=%u\n",
          singly_contact_list_get_n_rows (contacts), file_mib, wall / 1e6, cpu,
          bench_peak_rss_mib (), bench_peak_rss_mib () / file_mib,
          singly_contact_list_get_n_problems (contacts));
  return 0;
}
