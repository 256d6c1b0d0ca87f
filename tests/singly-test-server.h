/* singly-test-server.h: real SMTP servers on 127.0.0.1 for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _SinglyTestServer SinglyTestServer;

SinglyTestServer *singly_test_server_start_sink      (const char        *first_option,
                                                      ...) G_GNUC_NULL_TERMINATED;
SinglyTestServer *singly_test_server_start_aiosmtpd  (const char        *first_option,
                                                      ...) G_GNUC_NULL_TERMINATED;
guint16           singly_test_server_get_port        (SinglyTestServer  *server);
const char       *singly_test_server_get_maildir     (SinglyTestServer  *server);
guint             singly_test_server_count_messages  (SinglyTestServer  *server);
GPtrArray        *singly_test_server_list_messages   (SinglyTestServer  *server);
void              singly_test_server_stop            (SinglyTestServer  *server);
guint16           singly_test_free_port              (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SinglyTestServer, singly_test_server_stop)

G_END_DECLS
