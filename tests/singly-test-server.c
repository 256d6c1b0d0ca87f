/* singly-test-server.c: real SMTP servers on 127.0.0.1 for the tests
 *
 * Each server runs as a child process and is killed when the test drops
 * it; nothing here ever listens anywhere but on loopback.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include "singly-test-server.h"
#include "singly-test-util.h"

struct _SinglyTestServer
{
  GSubprocess *process;
  guint16      port;
  char        *maildir;
};

/* A port that was free a moment ago, for servers that cannot be told to
 * bind port 0 and say which port they got (smtp-sink). */
guint16
singly_test_free_port (void)
{
  struct sockaddr_in address = { 0 };
  socklen_t length = sizeof address;
  int fd = socket (AF_INET, SOCK_STREAM, 0);
  guint16 port;

  g_assert_cmpint (fd, >=, 0);
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &address, sizeof address), ==, 0);
  g_assert_cmpint (getsockname (fd, (struct sockaddr *) &address, &length), ==, 0);
  port = ntohs (address.sin_port);
  close (fd);
  return port;
}

static gboolean
port_accepts (guint16 port)
{
  struct sockaddr_in address = { 0 };
  int fd = socket (AF_INET, SOCK_STREAM, 0);
  gboolean ok;

  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  address.sin_port = htons (port);
  ok = connect (fd, (struct sockaddr *) &address, sizeof address) == 0;
  close (fd);
  return ok;
}

/* A server outlives nothing: if the test dies (a failed assertion, a
 * timeout's SIGKILL), the kernel kills the server with it */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GSubprocess *
spawn (GPtrArray         *argv,
       GSubprocessFlags   flags)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

static GPtrArray *
collect_args (const char *first,
              va_list     args)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);

  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  return argv;
}

/**
 * singly_test_server_start_sink:
 * @first_option: smtp-sink options (-8, -q ., -Q ., …), NULL-terminated
 *
 * Starts Postfix's smtp-sink on a free loopback port. run-tests installs
 * it; where it is missing the test fails rather than passing untested.
 */
SinglyTestServer *
singly_test_server_start_sink (const char *first_option,
                               ...)
{
  g_autoptr(GPtrArray) argv = NULL;
  SinglyTestServer *server = g_new0 (SinglyTestServer, 1);
  g_autofree char *where = NULL;
  va_list args;

  va_start (args, first_option);
  argv = collect_args (first_option, args);
  va_end (args);

  server->port = singly_test_free_port ();
  where = g_strdup_printf ("127.0.0.1:%u", server->port);
  g_ptr_array_insert (argv, 0, g_strdup ("/usr/sbin/smtp-sink"));
  if (getuid () == 0)
    {
      /* smtp-sink drops root itself, and insists on being told to whom */
      g_ptr_array_insert (argv, 1, g_strdup ("-u"));
      g_ptr_array_insert (argv, 2, g_strdup ("nobody"));
    }
  g_ptr_array_add (argv, g_strdup (where));
  g_ptr_array_add (argv, g_strdup ("256"));
  g_ptr_array_add (argv, NULL);

  server->process = spawn (argv, G_SUBPROCESS_FLAGS_NONE);

  for (guint i = 0; i < 200 && !port_accepts (server->port); i++)
    g_usleep (10000);
  g_assert_true (port_accepts (server->port));
  return server;
}

/**
 * singly_test_server_start_aiosmtpd:
 * @first_option: options of tests/fixtures/aiosmtpd-server.py after
 *   --maildir, NULL-terminated
 *
 * Starts aiosmtpd (plain mode unless the options say otherwise), with a
 * fresh folder that receives every message it accepts.
 */
SinglyTestServer *
singly_test_server_start_aiosmtpd (const char *first_option,
                                   ...)
{
  g_autoptr(GPtrArray) argv = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  SinglyTestServer *server = g_new0 (SinglyTestServer, 1);
  gboolean has_mode = FALSE;
  guint64 port = 0;
  va_list args;

  va_start (args, first_option);
  argv = collect_args (first_option, args);
  va_end (args);

  for (guint i = 0; i < argv->len; i++)
    has_mode |= g_str_equal (argv->pdata[i], "--mode");

  server->maildir = singly_test_tmpdir ();
  g_ptr_array_insert (argv, 0, g_strdup ("/usr/bin/python3"));
  g_ptr_array_insert (argv, 1, g_build_filename (TEST_SRCDIR, "fixtures", "aiosmtpd-server.py", NULL));
  g_ptr_array_insert (argv, 2, g_strdup ("--maildir"));
  g_ptr_array_insert (argv, 3, g_strdup (server->maildir));
  if (!has_mode)
    {
      g_ptr_array_add (argv, g_strdup ("--mode"));
      g_ptr_array_add (argv, g_strdup ("plain"));
    }
  g_ptr_array_add (argv, NULL);

  server->process = spawn (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_ascii_string_to_unsigned (g_strstrip (line), 10, 1, 65535, &port, NULL));
  server->port = port;
  return server;
}

guint16
singly_test_server_get_port (SinglyTestServer *server)
{
  return server->port;
}

const char *
singly_test_server_get_maildir (SinglyTestServer *server)
{
  return server->maildir;
}

/**
 * singly_test_server_list_messages:
 *
 * Returns: (transfer full): the paths of the messages received so far,
 *   in the order they arrived
 */
GPtrArray *
singly_test_server_list_messages (SinglyTestServer *server)
{
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);

  g_assert_nonnull (server->maildir);
  for (guint n = 1;; n++)
    {
      g_autofree char *name = g_strdup_printf ("%u.eml", n);
      char *path = g_build_filename (server->maildir, name, NULL);

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        {
          g_free (path);
          break;
        }
      g_ptr_array_add (paths, path);
    }
  return paths;
}

guint
singly_test_server_count_messages (SinglyTestServer *server)
{
  g_autoptr(GPtrArray) paths = singly_test_server_list_messages (server);

  return paths->len;
}

void
singly_test_server_stop (SinglyTestServer *server)
{
  if (server == NULL)
    return;
  if (server->process != NULL)
    {
      g_subprocess_send_signal (server->process, SIGKILL);
      g_subprocess_wait (server->process, NULL, NULL);
      g_object_unref (server->process);
    }
  singly_test_rm_rf (server->maildir);
  g_free (server->maildir);
  g_free (server);
}
