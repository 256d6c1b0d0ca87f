/* singly-cli.c: the merge engine without a window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "singly-cli.h"
#include "singly-i18n.h"
#include "singly-preflight.h"

/* Options every subcommand that reads a campaign understands */
static char *opt_contacts;
static char *opt_template;
static char *opt_encoding;
static char *opt_delimiter;
static char *opt_address_column;
static char *opt_from;
static char *opt_from_name;

static const GOptionEntry campaign_entries[] = {
  { "contacts", 'c', 0, G_OPTION_ARG_FILENAME, &opt_contacts, N_("The contact list (CSV)"), N_("FILE") },
  { "template", 't', 0, G_OPTION_ARG_FILENAME, &opt_template, N_("The message template (.txt, .md, .html, .eml)"), N_("FILE") },
  { "encoding", 0, 0, G_OPTION_ARG_STRING, &opt_encoding, N_("Read the contact list in this encoding instead of detecting it"), N_("NAME") },
  { "delimiter", 0, 0, G_OPTION_ARG_STRING, &opt_delimiter, N_("Field delimiter: comma, semicolon, tab, pipe or one character"), N_("DELIMITER") },
  { "address-column", 0, 0, G_OPTION_ARG_STRING, &opt_address_column, N_("The column that holds the addresses"), N_("NAME") },
  { "from", 0, 0, G_OPTION_ARG_STRING, &opt_from, N_("The sender’s address"), N_("ADDRESS") },
  { "from-name", 0, 0, G_OPTION_ARG_STRING, &opt_from_name, N_("The sender’s name"), N_("NAME") },
  { NULL }
};

static const char *
delimiter_name (char delimiter)
{
  switch (delimiter)
    {
    case ',':  return _("comma");
    case ';':  return _("semicolon");
    case '\t': return _("tab");
    case '|':  return _("vertical bar");
    default:   return NULL;
    }
}

static gboolean
parse_delimiter (const char  *text,
                 char        *delimiter,
                 GError     **error)
{
  static const struct { const char *name; char value; } names[] = {
    { "comma", ',' }, { "semicolon", ';' }, { "tab", '\t' }, { "pipe", '|' },
    { "\\t", '\t' },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (text, names[i].name) == 0)
      {
        *delimiter = names[i].value;
        return TRUE;
      }
  if (strlen (text) == 1 && text[0] != '"' && text[0] != '\n' && text[0] != '\r')
    {
      *delimiter = text[0];
      return TRUE;
    }
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("“%s” is not a delimiter: use comma, semicolon, tab, pipe or one character"), text);
  return FALSE;
}

/* The sender of a stored account (send --account), used when --from is
 * not given */
static char *fallback_from;
static char *fallback_from_name;

const char *
singly_cli_get_from (void)
{
  return opt_from;
}

const char *
singly_cli_get_from_name (void)
{
  return opt_from_name;
}

/**
 * singly_cli_set_sender_fallback:
 * @name: (nullable): the sender's name
 * @address: (nullable): the sender's address
 *
 * The sender to use unless --from says otherwise; the name goes with the
 * address, so it is used only when the address is.
 */
void
singly_cli_set_sender_fallback (const char *name,
                                const char *address)
{
  g_free (fallback_from);
  fallback_from = g_strdup (address);
  g_free (fallback_from_name);
  fallback_from_name = g_strdup (name);
}

void
singly_cli_printerr (const char *format,
                     ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  fprintf (stderr, "singly-cli: %s\n", text);
}

/* The sender: --from, else the account's (send --account), else for
 * messages that are only looked at or saved $EMAIL as mail programs have
 * long read it, else a local address that is plainly not a real one. */
static char *
default_sender (void)
{
  const char *email = g_getenv ("EMAIL");

  if (opt_from != NULL)
    return g_strdup (opt_from);
  if (fallback_from != NULL)
    return g_strdup (fallback_from);
  if (email != NULL && singly_address_is_valid (email))
    return g_strdup (email);
  return g_strdup ("singly@localhost.localdomain");
}

/**
 * singly_cli_campaign_load:
 *
 * Reads the contacts and the template named by the options, binds them
 * and runs every check. On failure the reason has been printed.
 *
 * Returns: (transfer full) (nullable): the campaign, or %NULL
 */
SinglyCliCampaign *
singly_cli_campaign_load (void)
{
  g_autoptr(SinglyCliCampaign) campaign = g_new0 (SinglyCliCampaign, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) contacts_file = NULL;
  g_autoptr(GFile) template_file = NULL;
  g_autofree char *sender = NULL;
  SinglyContactsOptions options = { 0 };

  if (opt_contacts == NULL || opt_template == NULL)
    {
      singly_cli_printerr (_("both --contacts and --template are needed (see --help)"));
      return NULL;
    }

  options.encoding = opt_encoding;
  options.address_column = opt_address_column;
  if (opt_delimiter != NULL && !parse_delimiter (opt_delimiter, &options.delimiter, &error))
    {
      singly_cli_printerr ("%s", error->message);
      return NULL;
    }

  contacts_file = g_file_new_for_commandline_arg (opt_contacts);
  campaign->contacts = singly_contact_list_new_from_file (contacts_file, &options, NULL, &error);
  if (campaign->contacts == NULL)
    {
      singly_cli_printerr ("%s: %s", opt_contacts, error->message);
      return NULL;
    }
  campaign->contacts_path = g_strdup (opt_contacts);

  if (opt_address_column != NULL &&
      singly_contact_list_get_address_column (campaign->contacts) < 0)
    {
      singly_cli_printerr (_("%s: there is no column named “%s”"), opt_contacts, opt_address_column);
      return NULL;
    }

  template_file = g_file_new_for_commandline_arg (opt_template);
  campaign->template = singly_template_new_from_file (template_file, NULL, &error);
  if (campaign->template == NULL)
    {
      singly_cli_printerr ("%s", error->message);
      return NULL;
    }
  campaign->template_path = g_strdup (opt_template);

  campaign->builder = singly_message_builder_new (campaign->contacts, campaign->template, &error);
  if (campaign->builder == NULL)
    {
      if (g_error_matches (error, SINGLY_MESSAGE_ERROR, SINGLY_MESSAGE_ERROR_NO_ADDRESS))
        singly_cli_printerr (_("%s: no column of e-mail addresses was found; name it with --address-column"),
                             opt_contacts);
      else
        singly_cli_printerr ("%s", error->message);
      return NULL;
    }

  sender = default_sender ();
  if (!singly_address_is_valid (sender))
    {
      singly_cli_printerr (_("the sender “%s” is not a valid address"), sender);
      return NULL;
    }
  singly_message_builder_set_sender (campaign->builder,
                                     opt_from_name != NULL || opt_from != NULL ? opt_from_name : fallback_from_name,
                                     sender);
  singly_message_builder_check (campaign->builder);

  return g_steal_pointer (&campaign);
}

void
singly_cli_campaign_free (SinglyCliCampaign *campaign)
{
  if (campaign == NULL)
    return;
  g_clear_object (&campaign->builder);
  g_clear_object (&campaign->template);
  g_clear_object (&campaign->contacts);
  g_free (campaign->contacts_path);
  g_free (campaign->template_path);
  g_free (campaign);
}

/* Every problem of the campaign, in line order, from both the contact
 * list and the message checks. */
static GPtrArray *
campaign_problems (SinglyCliCampaign *campaign)
{
  GPtrArray *problems = g_ptr_array_new ();
  guint n;

  n = singly_contact_list_get_n_problems (campaign->contacts);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (problems, (gpointer) singly_contact_list_get_problem (campaign->contacts, i));
  n = singly_message_builder_get_n_problems (campaign->builder);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (problems, (gpointer) singly_message_builder_get_problem (campaign->builder, i));

  return problems;
}

static int
compare_problems (gconstpointer a,
                  gconstpointer b)
{
  const SinglyProblem *pa = *(const SinglyProblem * const *) a;
  const SinglyProblem *pb = *(const SinglyProblem * const *) b;

  if (pa->line != pb->line)
    return pa->line < pb->line ? -1 : 1;
  return pa->column - pb->column;
}

void
singly_cli_print_problem (SinglyCliCampaign   *campaign,
                          const SinglyProblem *problem,
                          FILE                *out)
{
  const char *column = NULL;

  if (problem->column >= 0)
    column = singly_contact_list_get_column_name (campaign->contacts, problem->column);

  if (problem->line > 0)
    fprintf (out, "  %s:%u: ", campaign->contacts_path, problem->line);
  else
    fprintf (out, "  %s: ", campaign->contacts_path);
  if (column != NULL)
    fprintf (out, _("column “%s”: "), column);
  fprintf (out, "%s [%s]\n", problem->message, singly_problem_kind_name (problem->kind));
}

static const char *
format_name (SinglyBodyFormat format)
{
  switch (format)
    {
    case SINGLY_BODY_PLAIN:    return _("plain text");
    case SINGLY_BODY_MARKDOWN: return _("Markdown, sent as HTML with a plain-text part");
    case SINGLY_BODY_HTML:     return _("HTML, sent with a plain-text part");
    case SINGLY_BODY_EML:      return _("e-mail message used as a template");
    default:                   return "?";
    }
}

static int
command_check (int    argc,
               char **argv)
{
  g_autoptr(SinglyCliCampaign) campaign = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GString) columns = g_string_new (NULL);
  SinglyContactList *contacts;
  const char *delimiter;
  guint n_rows, n_sendable;
  int address_column;

  campaign = singly_cli_campaign_load ();
  if (campaign == NULL)
    return SINGLY_CLI_EXIT_USAGE;

  contacts = campaign->contacts;
  n_rows = singly_contact_list_get_n_rows (contacts);
  n_sendable = singly_message_builder_get_n_sendable (campaign->builder);
  address_column = singly_contact_list_get_address_column (contacts);
  delimiter = delimiter_name (singly_contact_list_get_delimiter (contacts));

  for (guint c = 0; c < singly_contact_list_get_n_columns (contacts); c++)
    {
      if (c > 0)
        g_string_append (columns, ", ");
      g_string_append (columns, singly_contact_list_get_column_name (contacts, c));
    }

  printf (_("Contacts:   %s\n"), campaign->contacts_path);
  printf (_("Encoding:   %s (%s%s)\n"), singly_contact_list_get_encoding (contacts),
          singly_contact_list_get_encoding_detected (contacts) ? _("detected") : _("chosen"),
          singly_contact_list_get_had_bom (contacts) ? _(", with byte order mark") : "");
  if (delimiter != NULL)
    printf (_("Delimiter:  %s\n"), delimiter);
  else
    printf (_("Delimiter:  “%c”\n"), singly_contact_list_get_delimiter (contacts));
  printf (_("Columns:    %s\n"), columns->str);
  printf (_("Addresses:  column “%s”\n"), singly_contact_list_get_column_name (contacts, address_column));
  printf (_("Template:   %s (%s)\n"), campaign->template_path,
          format_name (singly_template_get_format (campaign->template)));
  printf (_("Recipients: %u of %u rows can be sent\n"), n_sendable, n_rows);

  problems = campaign_problems (campaign);
  g_ptr_array_sort (problems, compare_problems);
  if (problems->len > 0)
    {
      printf (g_dngettext (GETTEXT_PACKAGE, "%u problem:\n", "%u problems:\n", problems->len), problems->len);
      for (guint i = 0; i < problems->len; i++)
        singly_cli_print_problem (campaign, problems->pdata[i], stdout);
    }

  /* advice, not problems: the exit code stays what the rows make it */
  warnings = singly_preflight_check_campaign (campaign->builder);
  if (warnings->len > 0)
    {
      printf (_("Warnings:\n"));
      for (guint i = 0; i < warnings->len; i++)
        {
          const SinglyWarning *warning = warnings->pdata[i];

          printf (_("  warning: %s [%s]\n"), warning->message, singly_warning_kind_name (warning->kind));
        }
    }

  if (n_rows == 0)
    {
      singly_cli_printerr (_("%s has no recipients, only a header row"), campaign->contacts_path);
      return SINGLY_CLI_EXIT_USAGE;
    }
  return n_sendable == n_rows ? SINGLY_CLI_EXIT_OK : SINGLY_CLI_EXIT_SOME_FAILED;
}

static int opt_row;

static const GOptionEntry preview_entries[] = {
  { "row", 'r', 0, G_OPTION_ARG_INT, &opt_row, N_("The contact to show, counted from 1 (default: the first that can be sent)"), N_("N") },
  { NULL }
};

static void
print_row_problems (SinglyCliCampaign *campaign,
                    guint              row)
{
  g_autoptr(GPtrArray) problems = campaign_problems (campaign);

  for (guint i = 0; i < problems->len; i++)
    {
      const SinglyProblem *problem = problems->pdata[i];

      if (problem->row == row)
        singly_cli_print_problem (campaign, problem, stderr);
    }
}

static int
command_preview (int    argc,
                 char **argv)
{
  g_autoptr(SinglyCliCampaign) campaign = NULL;
  g_autoptr(SinglyMessage) message = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GError) error = NULL;
  guint n_rows;
  guint row;

  campaign = singly_cli_campaign_load ();
  if (campaign == NULL)
    return SINGLY_CLI_EXIT_USAGE;

  n_rows = singly_contact_list_get_n_rows (campaign->contacts);
  if (n_rows == 0)
    {
      singly_cli_printerr (_("%s has no recipients, only a header row"), campaign->contacts_path);
      return SINGLY_CLI_EXIT_USAGE;
    }

  if (opt_row != 0)
    {
      if (opt_row < 1 || (guint) opt_row > n_rows)
        {
          singly_cli_printerr (_("--row must be between 1 and %u"), n_rows);
          return SINGLY_CLI_EXIT_USAGE;
        }
      row = opt_row - 1;
    }
  else
    {
      for (row = 0; row < n_rows; row++)
        if (singly_message_builder_row_is_sendable (campaign->builder, row))
          break;
      if (row == n_rows)
        {
          singly_cli_printerr (_("no row of %s can be sent; see singly-cli check"), campaign->contacts_path);
          return SINGLY_CLI_EXIT_SOME_FAILED;
        }
    }

  if (!singly_message_builder_row_is_sendable (campaign->builder, row))
    {
      singly_cli_printerr (_("row %u will not be sent:"), row + 1);
      print_row_problems (campaign, row);
    }

  message = singly_message_builder_build (campaign->builder, row, &error);
  if (message == NULL)
    {
      singly_cli_printerr ("%s", error->message);
      return SINGLY_CLI_EXIT_SOME_FAILED;
    }

  bytes = singly_message_to_bytes (message);
  warnings = singly_preflight_check_message (campaign->builder, message, g_bytes_get_size (bytes));

  fprintf (stderr, "MAIL FROM:<%s>\n", message->envelope_from);
  for (guint i = 0; i < message->recipients->len; i++)
    fprintf (stderr, "RCPT TO:<%s>\n", (const char *) message->recipients->pdata[i]);
  for (guint i = 0; i < warnings->len; i++)
    {
      const SinglyWarning *warning = warnings->pdata[i];

      fprintf (stderr, _("warning: %s [%s]\n"), warning->message, singly_warning_kind_name (warning->kind));
    }
  fflush (stderr);

  if (fwrite (g_bytes_get_data (bytes, NULL), 1, g_bytes_get_size (bytes), stdout) != g_bytes_get_size (bytes) ||
      fflush (stdout) != 0)
    {
      singly_cli_printerr (_("cannot write the message: %s"), g_strerror (errno));
      return SINGLY_CLI_EXIT_USAGE;
    }

  return singly_message_builder_row_is_sendable (campaign->builder, row)
         ? SINGLY_CLI_EXIT_OK : SINGLY_CLI_EXIT_SOME_FAILED;
}

static char *opt_output;
static gboolean opt_force;

static const GOptionEntry export_entries[] = {
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output, N_("The folder the messages are written to"), N_("DIR") },
  { "force", 'f', 0, G_OPTION_ARG_NONE, &opt_force, N_("Replace files that already exist"), NULL },
  { NULL }
};

static int
command_export (int    argc,
                char **argv)
{
  g_autoptr(SinglyCliCampaign) campaign = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  g_autoptr(GFile) folder = NULL;
  guint n_rows, n_written = 0, n_skipped = 0;
  gboolean failed = FALSE;

  if (opt_output == NULL)
    {
      singly_cli_printerr (_("--output is needed (see --help)"));
      return SINGLY_CLI_EXIT_USAGE;
    }

  campaign = singly_cli_campaign_load ();
  if (campaign == NULL)
    return SINGLY_CLI_EXIT_USAGE;

  /* a folder made here is the owner's alone, as "Save to folder" makes it */
  folder = g_file_new_for_commandline_arg (opt_output);
  if (g_file_peek_path (folder) != NULL)
    {
      if (g_mkdir_with_parents (g_file_peek_path (folder), 0700) != 0)
        {
          singly_cli_printerr (_("cannot create the folder %s: %s"), opt_output, g_strerror (errno));
          return SINGLY_CLI_EXIT_USAGE;
        }
    }
  else if (!g_file_make_directory_with_parents (folder, NULL, &error) &&
           !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      singly_cli_printerr (_("cannot create the folder %s: %s"), opt_output, error->message);
      return SINGLY_CLI_EXIT_USAGE;
    }
  g_clear_error (&error);

  n_rows = singly_contact_list_get_n_rows (campaign->contacts);
  for (guint row = 0; row < n_rows; row++)
    {
      g_autoptr(SinglyMessage) message = NULL;
      g_autoptr(GFile) file = NULL;
      g_autoptr(GFileOutputStream) stream = NULL;
      g_autofree char *name = NULL;

      if (!singly_message_builder_row_is_sendable (campaign->builder, row))
        {
          n_skipped++;
          continue;
        }

      message = singly_message_builder_build (campaign->builder, row, &error);
      if (message == NULL)
        {
          singly_cli_printerr ("%s", error->message);
          g_clear_error (&error);
          failed = TRUE;
          continue;
        }

      /* 0600: a message is one person's. A link planted under the name
       * is never followed: creating refuses any name that exists, link or
       * not, and replacing writes a new file and renames it over the
       * name, link and all. */
      name = singly_message_file_name (row, message->to_address);
      file = g_file_get_child (folder, name);
      if (opt_force)
        stream = g_file_replace (file, NULL, FALSE,
                                 G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                 NULL, &error);
      else
        stream = g_file_create (file, G_FILE_CREATE_PRIVATE, NULL, &error);
      if (stream == NULL)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
            singly_cli_printerr (_("%s/%s exists already; use --force to replace it"), opt_output, name);
          else
            singly_cli_printerr ("%s/%s: %s", opt_output, name, error->message);
          return SINGLY_CLI_EXIT_USAGE;
        }

      g_byte_array_set_size (buffer, 0);
      singly_message_write (message, buffer);
      if (!g_output_stream_write_all (G_OUTPUT_STREAM (stream), buffer->data, buffer->len, NULL, NULL, &error) ||
          !g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, &error))
        {
          singly_cli_printerr ("%s/%s: %s", opt_output, name, error->message);
          return SINGLY_CLI_EXIT_USAGE;
        }
      n_written++;
    }

  fprintf (stderr, g_dngettext (GETTEXT_PACKAGE, "%u message written to %s", "%u messages written to %s", n_written),
           n_written, opt_output);
  if (n_skipped > 0)
    fprintf (stderr, g_dngettext (GETTEXT_PACKAGE, "; %u row skipped (see singly-cli check)",
                                  "; %u rows skipped (see singly-cli check)", n_skipped), n_skipped);
  fputc ('\n', stderr);

  return (failed || n_skipped > 0) ? SINGLY_CLI_EXIT_SOME_FAILED : SINGLY_CLI_EXIT_OK;
}

typedef struct
{
  const char         *name;
  const char         *parameters;
  const char         *summary;
  const GOptionEntry *entries;
  gboolean            campaign;
  int               (*run) (int argc, char **argv);
} Command;

static const Command commands[] = {
  { "check", NULL, N_("Read the contacts and the template and list every row that cannot be sent, and why."),
    NULL, TRUE, command_check },
  { "preview", NULL, N_("Print one merged message exactly as it would be sent (the envelope goes to stderr)."),
    preview_entries, TRUE, command_preview },
  { "export", NULL, N_("Write every message that can be sent as an .eml file into a folder."),
    export_entries, TRUE, command_export },
  { "send", NULL, N_("Send every message over SMTP, one recipient per message and envelope."),
    NULL, TRUE, singly_cli_command_send },
  { "accounts", NULL, N_("List the accounts set up in Singly, and whether the keyring holds their passwords."),
    NULL, FALSE, singly_cli_command_accounts },
};

static void
print_usage (FILE *out)
{
  fprintf (out, _("Usage: singly-cli COMMAND [OPTION…]\n\nCommands:\n"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-9s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, _("\nRun “singly-cli COMMAND --help” for the options of a command.\n"));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *parameter = NULL;
  const Command *command = NULL;

  /* stdout is for what the command makes (preview prints the message
   * there): every log line, debug ones included, goes to stderr */
  g_log_writer_default_set_use_stderr (TRUE);

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      print_usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? SINGLY_CLI_EXIT_USAGE : SINGLY_CLI_EXIT_OK;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      printf ("singly-cli %s\n", PACKAGE_VERSION);
      return SINGLY_CLI_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      command = &commands[i];
  if (command == NULL)
    {
      singly_cli_printerr (_("“%s” is not a command"), argv[1]);
      print_usage (stderr);
      return SINGLY_CLI_EXIT_USAGE;
    }

  /* the subcommand's own option parsing sees "singly-cli check …" */
  argv[1] = g_strconcat (argv[0], " ", command->name, NULL);
  argc--;
  argv++;

  parameter = g_strdup (command->parameters ? command->parameters : "");
  context = g_option_context_new (parameter);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _(command->summary));
  if (command->campaign)
    g_option_context_add_main_entries (context, campaign_entries, GETTEXT_PACKAGE);
  if (command->entries != NULL)
    g_option_context_add_main_entries (context, command->entries, GETTEXT_PACKAGE);
  if (command->run == singly_cli_command_send)
    singly_cli_send_add_options (context);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      singly_cli_printerr ("%s", error->message);
      return SINGLY_CLI_EXIT_USAGE;
    }
  if (argc > 1)
    {
      singly_cli_printerr (_("unexpected argument “%s” (see --help)"), argv[1]);
      return SINGLY_CLI_EXIT_USAGE;
    }

  return command->run (argc, argv);
}
