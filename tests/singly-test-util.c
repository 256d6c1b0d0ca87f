/* singly-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "singly-test-util.h"

/* The samples live beside the checkout (../shared/samples), as the
 * workplace lays it out; SINGLY_SAMPLES points there from meson. */
char *
singly_test_sample_path (const char *name)
{
  const char *dir = g_getenv ("SINGLY_SAMPLES");
  char *path;

  g_assert_nonnull (dir);
  path = g_build_filename (dir, name, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    g_error ("sample %s is missing", path);
  return path;
}

char *
singly_test_data_path (const char *name)
{
  return g_build_filename (TEST_SRCDIR, "data", name, NULL);
}

char *
singly_test_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("singly-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
singly_test_rm_rf (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (path == NULL)
    return;

  dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            singly_test_rm_rf (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}

GBytes *
singly_test_read (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

gboolean
singly_test_have_program (const char *program)
{
  g_autofree char *found = g_find_program_in_path (program);

  return found != NULL;
}
