/* singly-account.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "singly-account.h"
#include "singly-i18n.h"

G_DEFINE_BOXED_TYPE (SinglyAccount, singly_account, singly_account_copy, singly_account_free)

static SinglyAccount *
account_new (SinglyAccountKind  kind,
             const char        *sender_name,
             const char        *sender_address)
{
  SinglyAccount *account = g_new0 (SinglyAccount, 1);

  account->kind = kind;
  account->sender_name = g_strdup (sender_name);
  account->sender_address = g_strdup (sender_address);
  account->security = SINGLY_SECURITY_STARTTLS;
  account->request_dsn = TRUE;
  return account;
}

/**
 * singly_account_new_folder:
 * @folder: where the messages are written
 *
 * Returns: (transfer full): a "Save to folder" account
 */
SinglyAccount *
singly_account_new_folder (const char *folder,
                           const char *sender_name,
                           const char *sender_address)
{
  SinglyAccount *account;

  g_return_val_if_fail (folder != NULL, NULL);

  account = account_new (SINGLY_ACCOUNT_FOLDER, sender_name, sender_address);
  account->name = g_strdup (_("Save to folder"));
  account->folder = g_strdup (folder);
  return account;
}

/**
 * singly_account_new_smtp:
 *
 * Returns: (transfer full): an SMTP account without AUTH; set @user for AUTH
 */
SinglyAccount *
singly_account_new_smtp (const char     *host,
                         guint16         port,
                         SinglySecurity  security,
                         const char     *sender_name,
                         const char     *sender_address)
{
  SinglyAccount *account;

  g_return_val_if_fail (host != NULL, NULL);

  account = account_new (SINGLY_ACCOUNT_SMTP, sender_name, sender_address);
  account->host = g_strdup (host);
  account->port = port;
  account->security = security;
  return account;
}

SinglyAccount *
singly_account_copy (const SinglyAccount *account)
{
  SinglyAccount *copy;

  g_return_val_if_fail (account != NULL, NULL);

  copy = g_memdup2 (account, sizeof *account);
  copy->name = g_strdup (account->name);
  copy->sender_name = g_strdup (account->sender_name);
  copy->sender_address = g_strdup (account->sender_address);
  copy->folder = g_strdup (account->folder);
  copy->host = g_strdup (account->host);
  copy->user = g_strdup (account->user);
  copy->ca_file = g_strdup (account->ca_file);
  copy->pinned_sha256 = g_strdup (account->pinned_sha256);
  copy->id = g_strdup (account->id);
  copy->preset = g_strdup (account->preset);
  copy->token_command = g_strdup (account->token_command);
  return copy;
}

void
singly_account_free (SinglyAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->name);
  g_free (account->sender_name);
  g_free (account->sender_address);
  g_free (account->folder);
  g_free (account->host);
  g_free (account->user);
  g_free (account->ca_file);
  g_free (account->pinned_sha256);
  g_free (account->id);
  g_free (account->preset);
  g_free (account->token_command);
  g_free (account);
}

static guint16
default_port (SinglySecurity security)
{
  switch (security)
    {
    case SINGLY_SECURITY_TLS:      return 465;
    case SINGLY_SECURITY_STARTTLS: return 587;
    case SINGLY_SECURITY_NONE:
    default:                       return 25;
    }
}

/**
 * singly_account_describe:
 *
 * Returns: (transfer full): where the account sends, for people:
 *   "smtp.example.org:587 (STARTTLS)" or the folder
 */
char *
singly_account_describe (const SinglyAccount *account)
{
  const char *security;

  g_return_val_if_fail (account != NULL, NULL);

  if (account->kind == SINGLY_ACCOUNT_FOLDER)
    return g_strdup_printf (_("the folder %s"), account->folder);

  switch (account->security)
    {
    case SINGLY_SECURITY_TLS:      security = "TLS"; break;
    case SINGLY_SECURITY_STARTTLS: security = "STARTTLS"; break;
    case SINGLY_SECURITY_NONE:
    default:                       security = _("no encryption"); break;
    }
  return g_strdup_printf ("%s:%u (%s)", account->host,
                          account->port ? account->port : default_port (account->security),
                          security);
}

/**
 * singly_account_parse_server:
 * @account: an SMTP account
 * @url: smtp://HOST[:PORT] (STARTTLS) or smtps://HOST[:PORT] (TLS); an
 *   IPv6 literal in brackets
 * @error: return location for a #GError
 *
 * Sets the host, port and security from @url.
 */
gboolean
singly_account_parse_server (SinglyAccount  *account,
                             const char     *url,
                             GError        **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *scheme;
  int port;

  g_return_val_if_fail (account != NULL, FALSE);
  g_return_val_if_fail (url != NULL, FALSE);

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, &local_error);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a server address: write smtp://HOST:PORT or smtps://HOST:PORT"), url);
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "smtps") == 0)
    account->security = SINGLY_SECURITY_TLS;
  else if (g_ascii_strcasecmp (scheme, "smtp") == 0)
    account->security = SINGLY_SECURITY_STARTTLS;
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a server address: write smtp://HOST:PORT or smtps://HOST:PORT"), url);
      return FALSE;
    }

  port = g_uri_get_port (uri);
  account->kind = SINGLY_ACCOUNT_SMTP;
  g_free (account->host);
  account->host = g_strdup (g_uri_get_host (uri));
  account->port = port > 0 ? port : 0;
  return TRUE;
}
