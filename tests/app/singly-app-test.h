/* singly-app-test.h: opening real windows in the application tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "singly-window.h"

G_BEGIN_DECLS

/* Runs the main loop until @expr holds; fails the test after @timeout_ms */
#define SINGLY_WAIT_FOR(expr, timeout_ms)                                         \
  G_STMT_START {                                                                  \
    gint64 _singly_end = g_get_monotonic_time () + (gint64) (timeout_ms) * 1000;  \
    while (!(expr))                                                               \
      {                                                                           \
        if (g_get_monotonic_time () > _singly_end)                                \
          g_error ("%s:%d: timed out waiting for %s", __FILE__, __LINE__, #expr);  \
        singly_app_test_iterate_once ();                                          \
      }                                                                           \
  } G_STMT_END

void              singly_app_test_init           (int          *argc,
                                                  char       ***argv);
SinglyApplication *singly_app_test_get_application (void);
SinglyWindow     *singly_app_test_new_window     (void);
void              singly_app_test_close_window   (SinglyWindow *window);
void              singly_app_test_iterate_once   (void);
void              singly_app_test_iterate        (guint         ms);
void              singly_app_test_screenshot     (GtkWidget    *widget,
                                                  const char   *name);
GFile            *singly_app_test_sample         (const char   *name);
char             *singly_app_test_sample_path    (const char   *name);
void              singly_app_test_open_contacts  (SinglyWindow *window,
                                                  const char   *path);
void              singly_app_test_open_template  (SinglyWindow *window,
                                                  const char   *path);
void              singly_app_test_activate       (SinglyWindow *window,
                                                  const char   *action);
AdwMessageDialog *singly_app_test_find_dialog    (void);
char             *singly_app_test_write_tmp      (const char   *dir,
                                                  const char   *name,
                                                  const char   *contents);
gboolean          singly_app_test_drop_files     (SinglyWindow *window,
                                                  GFile       **files,
                                                  guint         n_files);
GPtrArray        *singly_app_test_find_widgets   (GtkWidget    *root,
                                                  GType         type);

G_END_DECLS
