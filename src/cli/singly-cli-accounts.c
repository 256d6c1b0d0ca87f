/* singly-cli-accounts.c: singly-cli accounts, and the accounts for send
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "singly-cli.h"
#include "singly-i18n.h"
#include "singly-secret.h"

/**
 * singly_cli_load_accounts:
 *
 * Reads the accounts the application keeps ($XDG_CONFIG_HOME/singly/
 * accounts.ini). On failure the reason, with the file and line, has been
 * printed.
 *
 * Returns: (transfer full) (nullable): the accounts, or %NULL
 */
SinglyAccountStore *
singly_cli_load_accounts (void)
{
  g_autoptr(SinglyAccountStore) store = singly_account_store_new (NULL);
  g_autoptr(GError) error = NULL;

  if (!singly_account_store_load (store, &error))
    {
      singly_cli_printerr ("%s", error->message);
      return NULL;
    }
  return g_steal_pointer (&store);
}

/* Columns line up on a terminal: Chinese characters take two cells */
static guint
display_width (const char *text)
{
  guint width = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }
  return width;
}

#define N_COLUMNS 6

typedef struct
{
  char *cells[N_COLUMNS];
} Row;

static void
row_clear (Row *row)
{
  for (guint i = 0; i < N_COLUMNS; i++)
    g_free (row->cells[i]);
}

static char *
format_sender (const SinglyAccount *account)
{
  if (account->sender_address == NULL)
    return g_strdup ("-");
  if (account->sender_name == NULL)
    return g_strdup (account->sender_address);
  return g_strdup_printf ("%s <%s>", account->sender_name, account->sender_address);
}

static char *
format_server (SinglyAccountItem *item)
{
  const SinglyAccount *account = singly_account_item_get_account (item);
  g_autofree char *summary = NULL;

  if (account->kind == SINGLY_ACCOUNT_FOLDER)
    return g_strdup (account->folder);
  summary = singly_account_item_dup_summary (item);
  if (account->user == NULL)
    return g_steal_pointer (&summary);
  /* TRANSLATORS: a server, and the user that logs in to it */
  return g_strdup_printf (_("%s as %s"), summary, account->user);
}

/* Whether the account's password is in the keyring, asked without
 * reading it: nothing is unlocked, nobody is prompted. After one "no
 * keyring", the others are not asked again. */
static char *
format_password (const SinglyAccount  *account,
                 GError              **keyring_error)
{
  g_autoptr(GError) error = NULL;
  gboolean has_password = FALSE;

  if (account->kind == SINGLY_ACCOUNT_FOLDER || account->user == NULL)
    return g_strdup (_("not needed"));
  if (account->auth == SINGLY_SMTP_AUTH_XOAUTH2 && account->token_command != NULL)
    return g_strdup (_("token command"));
  if (*keyring_error != NULL)
    return g_strdup (_("unknown (no keyring)"));

  if (!singly_secret_has_password_sync (account->id, account->user, &has_password, NULL, &error))
    {
      g_propagate_error (keyring_error, g_steal_pointer (&error));
      return g_strdup (_("unknown (no keyring)"));
    }
  return g_strdup (has_password ? _("yes") : _("no"));
}

int
singly_cli_command_accounts (int    argc,
                             char **argv)
{
  g_autoptr(SinglyAccountStore) store = NULL;
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (Row));
  g_autoptr(GError) keyring_error = NULL;
  guint widths[N_COLUMNS] = { 0 };
  GListModel *accounts;
  Row header = { {
    /* TRANSLATORS: column headings of singly-cli accounts */
    g_strdup (_("NAME")), g_strdup (_("KIND")), g_strdup (_("SENDER")),
    g_strdup (_("SERVER OR FOLDER")), g_strdup (_("PASSWORD")), g_strdup (_("ID")),
  } };

  g_array_set_clear_func (rows, (GDestroyNotify) row_clear);
  g_array_append_val (rows, header);

  store = singly_cli_load_accounts ();
  if (store == NULL)
    return SINGLY_CLI_EXIT_USAGE;

  accounts = singly_account_store_get_accounts (store);
  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(SinglyAccountItem) item = g_list_model_get_item (accounts, i);
      const SinglyAccount *account = singly_account_item_get_account (item);
      Row row = { {
        g_strdup (account->name),
        g_strdup (account->kind == SINGLY_ACCOUNT_FOLDER ? "folder" : "smtp"),
        format_sender (account),
        format_server (item),
        format_password (account, &keyring_error),
        g_strdup (account->id),
      } };

      g_array_append_val (rows, row);
    }

  for (guint r = 0; r < rows->len; r++)
    for (guint c = 0; c < N_COLUMNS; c++)
      widths[c] = MAX (widths[c], display_width (g_array_index (rows, Row, r).cells[c]));

  for (guint r = 0; r < rows->len; r++)
    {
      const Row *row = &g_array_index (rows, Row, r);

      for (guint c = 0; c < N_COLUMNS; c++)
        {
          fputs (row->cells[c], stdout);
          if (c + 1 < N_COLUMNS)
            printf ("%*s", (int) (widths[c] - display_width (row->cells[c]) + 2), "");
        }
      putchar ('\n');
    }

  if (keyring_error != NULL)
    singly_cli_printerr ("%s", keyring_error->message);
  return SINGLY_CLI_EXIT_OK;
}
