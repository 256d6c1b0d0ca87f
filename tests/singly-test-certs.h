/* singly-test-certs.h: a test CA and server certificates, made at test time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *singly_test_certs_make         (void);
char *singly_test_certs_path         (const char *dir,
                                      const char *name);
char *singly_test_certs_fingerprint  (const char *dir,
                                      const char *name);

G_END_DECLS
