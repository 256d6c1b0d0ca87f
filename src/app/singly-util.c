/* singly-util.c: small pure helpers of the window, tested from tables
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "singly-account-store.h"
#include "singly-campaign.h"
#include "singly-util.h"

static gboolean
has_suffix (const char *name,
            const char *suffix)
{
  gsize n = strlen (name), s = strlen (suffix);

  return n >= s && g_ascii_strcasecmp (name + n - s, suffix) == 0;
}

/* Whether @line (up to @length bytes) starts like "Subject: …": a header
 * name of letters, digits and dashes, then a colon. */
static gboolean
looks_like_header (const char *line,
                   gsize       length)
{
  gsize i = 0;

  while (i < length && (g_ascii_isalnum (line[i]) || line[i] == '-'))
    i++;
  return i > 0 && i < length && line[i] == ':';
}

/**
 * singly_util_classify_file:
 * @name: the file's name
 * @head: (nullable): the first bytes of the file, for names that say nothing
 * @head_length: the length of @head
 *
 * Tells a contact list from a template (and a campaign, by its
 * extension), for files given on the command line or dropped on the
 * window. A .txt file can be either (Excel saves
 * "Unicode text" as .txt): a template begins with a header line.
 *
 * Returns: what the file is
 */
SinglyFileKind
singly_util_classify_file (const char *name,
                           const char *head,
                           gsize       head_length)
{
  static const char * const contacts_suffixes[] = { ".csv", ".tsv", ".tab", NULL };
  static const char * const template_suffixes[] = { ".md", ".markdown", ".html", ".htm", ".eml", NULL };
  const char *end;

  g_return_val_if_fail (name != NULL, SINGLY_FILE_UNKNOWN);

  if (has_suffix (name, SINGLY_CAMPAIGN_EXTENSION))
    return SINGLY_FILE_CAMPAIGN;

  for (guint i = 0; contacts_suffixes[i] != NULL; i++)
    if (has_suffix (name, contacts_suffixes[i]))
      return SINGLY_FILE_CONTACTS;
  for (guint i = 0; template_suffixes[i] != NULL; i++)
    if (has_suffix (name, template_suffixes[i]))
      return SINGLY_FILE_TEMPLATE;

  if (!has_suffix (name, ".txt") || head == NULL)
    return SINGLY_FILE_UNKNOWN;

  if (head_length >= 3 && memcmp (head, "\xEF\xBB\xBF", 3) == 0)
    {
      head += 3;
      head_length -= 3;
    }
  /* UTF-16 text is what Excel writes for contacts, never a template */
  if (head_length >= 2 && ((guchar) head[0] == 0xFF || (guchar) head[0] == 0xFE))
    return SINGLY_FILE_CONTACTS;

  end = memchr (head, '\n', head_length);
  if (looks_like_header (head, end != NULL ? (gsize) (end - head) : head_length))
    return SINGLY_FILE_TEMPLATE;
  return SINGLY_FILE_CONTACTS;
}

/**
 * singly_util_delimiter_name:
 *
 * Returns: (nullable): the name of a delimiter people know, or %NULL
 */
const char *
singly_util_delimiter_name (char delimiter)
{
  switch (delimiter)
    {
    case ',':  return _("Comma");
    case ';':  return _("Semicolon");
    case '\t': return _("Tab");
    case '|':  return _("Vertical Bar");
    default:   return NULL;
    }
}

/**
 * singly_util_format_duration:
 * @seconds: a duration
 *
 * Returns: (transfer full): "about 41 minutes", rounded the way people
 *   say it
 */
char *
singly_util_format_duration (double seconds)
{
  guint n;

  if (seconds < 1)
    return g_strdup (_("less than a second"));
  if (seconds < 60)
    {
      n = (guint) (seconds + 0.5);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "about %u second", "about %u seconds", n), n);
    }
  if (seconds < 90 * 60)
    {
      n = (guint) (seconds / 60 + 0.5);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "about %u minute", "about %u minutes", n), n);
    }
  if (seconds < 48 * 3600)
    {
      n = (guint) (seconds / 3600 + 0.5);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "about %u hour", "about %u hours", n), n);
    }
  n = (guint) (seconds / 86400 + 0.5);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "about %u day", "about %u days", n), n);
}

static gboolean
parse_uint (const char  *p,
            guint       *value,
            const char **end)
{
  guint64 v = 0;
  const char *start = p;

  while (g_ascii_isdigit (*p) && v < G_MAXUINT)
    v = v * 10 + (guint64) (*p++ - '0');
  if (p == start || v > G_MAXUINT)
    return FALSE;
  *value = (guint) v;
  *end = p;
  return TRUE;
}

/**
 * singly_util_parse_position:
 * @message: a template error, "LINE:COLUMN: text", maybe after "PATH:"
 * @line: (out): the line
 * @column: (out): the column
 * @rest: (out): the text after the position
 *
 * The template errors carry their position in front of the text; the
 * editor shows it in words and puts the cursor there.
 *
 * Returns: whether @message had a position
 */
gboolean
singly_util_parse_position (const char  *message,
                            guint       *line,
                            guint       *column,
                            const char **rest)
{
  g_return_val_if_fail (message != NULL, FALSE);

  /* the position is the first "DIGITS:DIGITS: "; a path may come before */
  for (const char *p = message; *p != '\0'; p++)
    {
      const char *end;
      guint l, c;

      if ((p != message && p[-1] != ':') || !parse_uint (p, &l, &end) || *end != ':')
        continue;
      if (!parse_uint (end + 1, &c, &end) || *end != ':')
        continue;
      end++;
      while (*end == ' ')
        end++;
      *line = l;
      *column = c;
      *rest = end;
      return TRUE;
    }
  return FALSE;
}

static char *
file_stem (GFile *file)
{
  g_autofree char *base = g_file_get_basename (file);
  char *dot = strrchr (base, '.');

  if (dot != NULL && dot != base)
    *dot = '\0';
  return g_steal_pointer (&base);
}

/**
 * singly_util_campaign_name:
 *
 * Returns: (transfer full): a name for the campaign, made from the
 *   template's file name, else the contact list's: the folder that
 *   "Save to folder" writes into is named after it
 */
char *
singly_util_campaign_name (GFile *contacts_file,
                           GFile *template_file)
{
  g_autofree char *name = NULL;

  if (template_file != NULL)
    name = file_stem (template_file);
  else if (contacts_file != NULL)
    name = file_stem (contacts_file);

  if (name == NULL || *name == '\0' || g_str_equal (name, ".") || g_str_equal (name, ".."))
    return g_strdup (_("Untitled"));
  g_strdelimit (name, "/\\", '_');
  return g_steal_pointer (&name);
}

/**
 * singly_util_default_folder:
 *
 * Returns: (transfer full): ~/Documents/Singly/@campaign_name
 */
char *
singly_util_default_folder (const char *campaign_name)
{
  /* one place decides where "Save to folder" writes: the account store */
  g_autofree char *base = singly_account_store_default_folder ();

  g_return_val_if_fail (campaign_name != NULL, NULL);

  return g_build_filename (base, campaign_name, NULL);
}

/**
 * singly_util_matches:
 * @haystack: (nullable): a text
 * @needle_casefolded: what to look for, already case-folded
 *
 * Returns: whether @haystack holds @needle_casefolded, ignoring case
 */
gboolean
singly_util_matches (const char *haystack,
                     const char *needle_casefolded)
{
  g_autofree char *folded = NULL;

  if (needle_casefolded == NULL || *needle_casefolded == '\0')
    return TRUE;
  if (haystack == NULL)
    return FALSE;
  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, needle_casefolded) != NULL;
}

/**
 * singly_util_journal_key:
 * @account: where messages go
 *
 * What, with the two files, names a campaign's journal: the sender for a
 * server (the journal singly-cli keeps too); the sender and the folder
 * for "Save to folder", so that saving the messages to look at them first
 * does not count as sending them.
 *
 * Returns: (transfer full): the key for singly_journal_default_path()
 */
char *
singly_util_journal_key (const SinglyAccount *account)
{
  g_autofree char *folder = NULL;

  g_return_val_if_fail (account != NULL, NULL);
  g_return_val_if_fail (account->sender_address != NULL, NULL);

  if (account->kind != SINGLY_ACCOUNT_FOLDER || account->folder == NULL)
    return g_strdup (account->sender_address);
  folder = g_canonicalize_filename (account->folder, NULL);
  return g_strconcat (account->sender_address, "\nfolder:", folder, NULL);
}

static SinglyNotificationFunc notification_func;
static gpointer notification_data;

/**
 * singly_util_send_notification:
 * @id: the notification's id: a newer one with the same id replaces it
 * @title: what it says first
 * @body: (nullable): and then
 *
 * Every desktop notification of the window goes through here, to the
 * running application, or to the function tests set.
 */
void
singly_util_send_notification (const char *id,
                               const char *title,
                               const char *body)
{
  GApplication *application = g_application_get_default ();
  g_autoptr(GNotification) notification = NULL;

  g_return_if_fail (id != NULL);
  g_return_if_fail (title != NULL);

  if (notification_func != NULL)
    {
      notification_func (id, title, body, notification_data);
      return;
    }
  if (application == NULL)
    return;
  notification = g_notification_new (title);
  if (body != NULL)
    g_notification_set_body (notification, body);
  g_application_send_notification (application, id, notification);
}

/**
 * singly_util_set_notification_func:
 * @func: (nullable): where notifications go instead, or %NULL for the
 *   desktop
 * @user_data: for @func
 */
void
singly_util_set_notification_func (SinglyNotificationFunc func,
                                   gpointer               user_data)
{
  notification_func = func;
  notification_data = user_data;
}
