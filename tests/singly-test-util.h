/* singly-test-util.h: small helpers shared by the test programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

char     *singly_test_sample_path (const char  *name);
char     *singly_test_data_path   (const char  *name);
char     *singly_test_tmpdir      (void);
void      singly_test_rm_rf       (const char  *path);
GBytes   *singly_test_read        (const char  *path);
gboolean  singly_test_have_program (const char *program);

G_END_DECLS
