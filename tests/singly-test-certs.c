/* singly-test-certs.c: a test CA and server certificates, made at test time
 *
 * With the openssl command, into a fresh temporary folder:
 *  - ca.pem / ca.key: "Singly Test CA", to give as an account's CA file;
 *  - server.pem / server.key: signed by it, for localhost and 127.0.0.1;
 *  - self.pem / self.key: self-signed, for localhost and 127.0.0.1.
 * Keys are EC P-256 and short-lived; nothing here is ever trusted by the
 * system.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "singly-test-certs.h"

static void
run_openssl (const char         *dir,
             const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_ptr_array_add (argv, "openssl");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (dir, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("openssl %s failed: %s", args[0], err);
}

static void
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

/**
 * singly_test_certs_make:
 *
 * Returns: (transfer full): the folder with the certificates; remove it
 *   with singly_test_rm_rf()
 */
char *
singly_test_certs_make (void)
{
  const char *ca[] = { "req", "-x509", "-config", "ca.cnf", "-extensions", "v3", "-newkey", "ec",
                       "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                       "-keyout", "ca.key", "-out", "ca.pem", "-days", "3", NULL };
  const char *self[] = { "req", "-x509", "-config", "self.cnf", "-extensions", "v3", "-newkey", "ec",
                         "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                         "-keyout", "self.key", "-out", "self.pem", "-days", "3", NULL };
  const char *req[] = { "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                        "-nodes", "-keyout", "server.key", "-out", "server.csr",
                        "-subj", "/CN=Singly test server", NULL };
  const char *sign[] = { "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                         "-set_serial", "2", "-days", "3", "-out", "server.pem",
                         "-extfile", "server.ext", NULL };
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("singly-certs-XXXXXX", &error);

  g_assert_no_error (error);
  write_file (dir, "ca.cnf",
              "[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = Singly Test CA\n"
              "[v3]\nbasicConstraints = critical,CA:TRUE\nkeyUsage = critical,keyCertSign,cRLSign\n"
              "subjectKeyIdentifier = hash\n");
  write_file (dir, "self.cnf",
              "[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = localhost\n"
              "[v3]\nsubjectAltName = DNS:localhost,IP:127.0.0.1\n");
  write_file (dir, "server.ext",
              "basicConstraints = CA:FALSE\nkeyUsage = digitalSignature\n"
              "extendedKeyUsage = serverAuth\nsubjectAltName = DNS:localhost,IP:127.0.0.1\n");
  run_openssl (dir, ca);
  run_openssl (dir, self);
  run_openssl (dir, req);
  run_openssl (dir, sign);
  return dir;
}

char *
singly_test_certs_path (const char *dir,
                        const char *name)
{
  return g_build_filename (dir, name, NULL);
}

/**
 * singly_test_certs_fingerprint:
 *
 * Returns: (transfer full): the certificate's SHA-256 fingerprint as
 *   openssl prints it: "AA:BB:…"
 */
char *
singly_test_certs_fingerprint (const char *dir,
                               const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  const char *argv[] = { "openssl", "x509", "-in", path, "-noout", "-fingerprint", "-sha256", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  const char *equals;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, NULL, &error);
  g_assert_no_error (error);
  equals = strchr (out, '=');
  g_assert_nonnull (equals);
  return g_strstrip (g_strdup (equals + 1));
}
