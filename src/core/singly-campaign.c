/* singly-campaign.c: a campaign file (.singly)
 *
 * A campaign is a GKeyFile a person can read:
 *
 *   [Campaign]
 *   Version=1
 *   Contacts=contacts.csv
 *   Template=letters/invoice.md
 *   Account=Office
 *   Journal=/home/ann/.local/state/singly/invoices.journal
 *
 *   [Contacts]
 *   Encoding=GB18030
 *   Delimiter=semicolon
 *   AddressColumn=邮箱
 *   IncludedLines=7;
 *   ExcludedLines=3;12;
 *
 *   [Pacing]
 *   Interval=2.5
 *   MaxPerHour=300
 *
 * Paths inside the campaign's folder are written relative to it, so a
 * folder holding a campaign, its list and its template can be moved or
 * shared as a whole. A campaign never holds a password: accounts are
 * named, and their secrets live in the keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "singly-campaign.h"
#include "singly-i18n.h"

#define CAMPAIGN_VERSION 1

#define GROUP_CAMPAIGN "Campaign"
#define GROUP_CONTACTS "Contacts"
#define GROUP_PACING   "Pacing"

struct _SinglyCampaign
{
  GObject       parent_instance;

  char         *path;            /* absolute; NULL until loaded or saved */
  char         *contacts_path;   /* absolute */
  char         *template_path;   /* absolute */
  char         *journal_path;    /* absolute */
  char         *encoding;
  char          delimiter;
  char         *address_column;
  char         *account;
  SinglyPacing  pacing;
  GArray       *included;        /* guint lines, sorted, unique */
  GArray       *excluded;        /* guint lines, sorted, unique */
};

G_DEFINE_FINAL_TYPE (SinglyCampaign, singly_campaign, G_TYPE_OBJECT)

/**
 * singly_campaign_error_quark:
 *
 * Returns: the error domain of campaign files, %SINGLY_CAMPAIGN_ERROR
 */
G_DEFINE_QUARK (singly-campaign-error-quark, singly_campaign_error)

static const struct
{
  const char *name;
  char        value;
} delimiter_names[] = {
  { "comma", ',' }, { "semicolon", ';' }, { "tab", '\t' }, { "pipe", '|' },
};

/* The same pacing keys are read and written from one table. */
static const struct
{
  const char *key;
  gsize       offset;
  gboolean    is_double;
} pacing_keys[] = {
  { "Interval",         G_STRUCT_OFFSET (SinglyPacing, interval),           TRUE },
  { "Jitter",           G_STRUCT_OFFSET (SinglyPacing, jitter),             TRUE },
  { "MaxPerMinute",     G_STRUCT_OFFSET (SinglyPacing, max_per_minute),     FALSE },
  { "MaxPerHour",       G_STRUCT_OFFSET (SinglyPacing, max_per_hour),       FALSE },
  { "MaxPerDay",        G_STRUCT_OFFSET (SinglyPacing, max_per_day),        FALSE },
  { "MaxPerConnection", G_STRUCT_OFFSET (SinglyPacing, max_per_connection), FALSE },
};

static void set_invalid (GError     **error,
                         const char  *path,
                         const char  *format,
                         ...) G_GNUC_PRINTF (3, 4);

/* Every error names the file, so that a message reaching the user on its
 * own still says which campaign is broken. */
static void
set_invalid (GError     **error,
             const char  *path,
             const char  *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, SINGLY_CAMPAIGN_ERROR, SINGLY_CAMPAIGN_ERROR_INVALID, "%s: %s", path, message);
}

static char *
absolute_path (const char *path)
{
  if (path == NULL || *path == '\0')
    return NULL;
  return g_canonicalize_filename (path, NULL);
}

static void
replace_string (char       **field,
                const char  *value)
{
  g_free (*field);
  *field = (value != NULL && *value != '\0') ? g_strdup (value) : NULL;
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  guint la = *(const guint *) a;
  guint lb = *(const guint *) b;

  return la < lb ? -1 : la > lb;
}

static gboolean
lines_contain (GArray *lines,
               guint   line)
{
  return g_array_binary_search (lines, &line, compare_lines, NULL);
}

static void
lines_remove (GArray *lines,
              guint   line)
{
  guint index;

  if (g_array_binary_search (lines, &line, compare_lines, &index))
    g_array_remove_index (lines, index);
}

static void
lines_add (GArray *lines,
           guint   line)
{
  guint low = 0, high = lines->len;

  /* the first position whose line is not below @line */
  while (low < high)
    {
      guint middle = low + (high - low) / 2;

      if (g_array_index (lines, guint, middle) < line)
        low = middle + 1;
      else
        high = middle;
    }
  if (low < lines->len && g_array_index (lines, guint, low) == line)
    return;
  g_array_insert_val (lines, low, line);
}

/* How a path is written into a file that will live in @dir: relative when
 * it is inside @dir, else absolute; as a file: URI when it is not UTF-8,
 * which a key file cannot hold. */
static char *
path_to_value (const char *path,
               const char *dir)
{
  g_autofree char *relative = NULL;

  if (dir != NULL)
    {
      g_autoptr(GFile) dir_file = g_file_new_for_path (dir);
      g_autoptr(GFile) file = g_file_new_for_path (path);

      relative = g_file_get_relative_path (dir_file, file);
    }

  if (relative != NULL && g_utf8_validate (relative, -1, NULL))
    return g_steal_pointer (&relative);
  if (g_utf8_validate (path, -1, NULL))
    return g_strdup (path);
  return g_filename_to_uri (path, NULL, NULL);
}

static void
set_path (GKeyFile   *key_file,
          const char *key,
          const char *path,
          const char *dir)
{
  g_autofree char *value = NULL;

  if (path == NULL)
    return;
  value = path_to_value (path, dir);
  g_key_file_set_string (key_file, GROUP_CAMPAIGN, key, value);
}

static char *
value_to_path (const char  *value,
               const char  *dir,
               const char  *file_path,
               const char  *key,
               GError     **error)
{
  if (g_str_has_prefix (value, "file:"))
    {
      g_autoptr(GError) local_error = NULL;
      char *path = g_filename_from_uri (value, NULL, &local_error);

      if (path == NULL)
        set_invalid (error, file_path, _("%s: %s"), key, local_error->message);
      return path;
    }
  return g_canonicalize_filename (value, dir);
}

static gboolean
parse_delimiter (const char *text,
                 char       *delimiter)
{
  for (guint i = 0; i < G_N_ELEMENTS (delimiter_names); i++)
    if (g_ascii_strcasecmp (text, delimiter_names[i].name) == 0)
      {
        *delimiter = delimiter_names[i].value;
        return TRUE;
      }
  if (strlen (text) == 1 && text[0] != '"' &&
      (text[0] == '\t' || ((guchar) text[0] >= 0x20 && (guchar) text[0] < 0x7f)))
    {
      *delimiter = text[0];
      return TRUE;
    }
  return FALSE;
}

static char *
delimiter_to_value (char delimiter)
{
  for (guint i = 0; i < G_N_ELEMENTS (delimiter_names); i++)
    if (delimiter_names[i].value == delimiter)
      return g_strdup (delimiter_names[i].name);
  return g_strndup (&delimiter, 1);
}

/* A string value in @out, or NULL when the key is absent or empty; a
 * value that is not UTF-8 is an error, never a silent blank. */
static gboolean
get_string (GKeyFile    *key_file,
            const char  *group,
            const char  *key,
            gboolean     strip,
            char       **out,
            const char  *file_path,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *value = NULL;

  *out = NULL;
  if (!g_key_file_has_key (key_file, group, key, NULL))
    return TRUE;

  value = g_key_file_get_string (key_file, group, key, &local_error);
  if (value == NULL)
    {
      set_invalid (error, file_path, _("%s: %s"), key, local_error->message);
      return FALSE;
    }
  if (strip)
    g_strstrip (value);
  if (*value != '\0')
    *out = g_steal_pointer (&value);
  return TRUE;
}

static gboolean
load_path (GKeyFile    *key_file,
           const char  *group,
           const char  *key,
           const char  *dir,
           const char  *file_path,
           char       **out,
           GError     **error)
{
  g_autofree char *value = NULL;

  if (!get_string (key_file, group, key, TRUE, &value, file_path, error))
    return FALSE;
  if (value == NULL)
    return TRUE;
  *out = value_to_path (value, dir, file_path, key, error);
  return *out != NULL;
}

static gboolean
load_lines (GKeyFile    *key_file,
            const char  *key,
            GArray      *lines,
            const char  *file_path,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree int *values = NULL;
  gsize n = 0;

  if (!g_key_file_has_key (key_file, GROUP_CONTACTS, key, NULL))
    return TRUE;

  /* an empty value is an empty list: NULL without an error */
  values = g_key_file_get_integer_list (key_file, GROUP_CONTACTS, key, &n, &local_error);
  if (local_error != NULL)
    {
      set_invalid (error, file_path, _("%s: %s"), key, local_error->message);
      return FALSE;
    }

  for (gsize i = 0; i < n; i++)
    {
      if (values[i] < 1)
        {
          set_invalid (error, file_path, _("%s: %d is not a line number"), key, values[i]);
          return FALSE;
        }
      lines_add (lines, values[i]);
    }
  return TRUE;
}

static gboolean
load_pacing (GKeyFile      *key_file,
             SinglyPacing  *pacing,
             const char    *file_path,
             GError       **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (pacing_keys); i++)
    {
      g_autoptr(GError) local_error = NULL;
      const char *key = pacing_keys[i].key;
      gpointer field = G_STRUCT_MEMBER_P (pacing, pacing_keys[i].offset);

      if (!g_key_file_has_key (key_file, GROUP_PACING, key, NULL))
        continue;

      if (pacing_keys[i].is_double)
        {
          double value = g_key_file_get_double (key_file, GROUP_PACING, key, &local_error);

          if (local_error == NULL && (!isfinite (value) || value < 0))
            {
              g_autofree char *text = g_key_file_get_value (key_file, GROUP_PACING, key, NULL);

              set_invalid (error, file_path, _("%s: %s is not a number of seconds"), key, text);
              return FALSE;
            }
          *(double *) field = value;
        }
      else
        {
          g_autofree char *text = g_key_file_get_value (key_file, GROUP_PACING, key, NULL);
          guint64 value = 0;

          /* GKeyFile's own reading takes "-5" for a very large number */
          if (g_ascii_string_to_unsigned (g_strstrip (text), 10, 0, G_MAXUINT, &value, &local_error))
            *(guint *) field = value;
        }

      if (local_error != NULL)
        {
          set_invalid (error, file_path, _("%s: %s"), key, local_error->message);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
load_key_file (SinglyCampaign  *self,
               GKeyFile        *key_file,
               const char      *path,
               GError         **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *delimiter = NULL;

  if (!g_key_file_has_group (key_file, GROUP_CAMPAIGN))
    {
      set_invalid (error, path, _("not a Singly campaign (it has no [%s] section)"), GROUP_CAMPAIGN);
      return FALSE;
    }

  /* a newer version's file is read as far as it is understood: its new
   * keys are unknown keys, and unknown keys are ignored */
  if (!load_path (key_file, GROUP_CAMPAIGN, "Contacts", dir, path, &self->contacts_path, error) ||
      !load_path (key_file, GROUP_CAMPAIGN, "Template", dir, path, &self->template_path, error) ||
      !load_path (key_file, GROUP_CAMPAIGN, "Journal", dir, path, &self->journal_path, error) ||
      !get_string (key_file, GROUP_CAMPAIGN, "Account", TRUE, &self->account, path, error) ||
      !get_string (key_file, GROUP_CONTACTS, "Encoding", TRUE, &self->encoding, path, error) ||
      !get_string (key_file, GROUP_CONTACTS, "AddressColumn", TRUE, &self->address_column, path, error) ||
      /* not stripped: a space is a delimiter a person may choose */
      !get_string (key_file, GROUP_CONTACTS, "Delimiter", FALSE, &delimiter, path, error))
    return FALSE;

  if (delimiter != NULL && !parse_delimiter (delimiter, &self->delimiter))
    {
      set_invalid (error, path, _("Delimiter: “%s” is not comma, semicolon, tab, pipe or one character"),
                   delimiter);
      return FALSE;
    }

  if (!load_lines (key_file, "IncludedLines", self->included, path, error) ||
      !load_lines (key_file, "ExcludedLines", self->excluded, path, error))
    return FALSE;
  for (guint i = 0; i < self->included->len; i++)
    {
      guint line = g_array_index (self->included, guint, i);

      if (lines_contain (self->excluded, line))
        {
          set_invalid (error, path, _("line %u is both included and excluded"), line);
          return FALSE;
        }
    }

  return load_pacing (key_file, &self->pacing, path, error);
}

static void
singly_campaign_finalize (GObject *object)
{
  SinglyCampaign *self = (SinglyCampaign *) object;

  g_free (self->path);
  g_free (self->contacts_path);
  g_free (self->template_path);
  g_free (self->journal_path);
  g_free (self->encoding);
  g_free (self->address_column);
  g_free (self->account);
  g_array_unref (self->included);
  g_array_unref (self->excluded);

  G_OBJECT_CLASS (singly_campaign_parent_class)->finalize (object);
}

static void
singly_campaign_class_init (SinglyCampaignClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = singly_campaign_finalize;
}

static void
singly_campaign_init (SinglyCampaign *self)
{
  self->included = g_array_new (FALSE, FALSE, sizeof (guint));
  self->excluded = g_array_new (FALSE, FALSE, sizeof (guint));
}

/**
 * singly_campaign_new:
 *
 * Returns: (transfer full): an empty campaign, not yet saved anywhere
 */
SinglyCampaign *
singly_campaign_new (void)
{
  return g_object_new (SINGLY_TYPE_CAMPAIGN, NULL);
}

/**
 * singly_campaign_load:
 * @path: a campaign file
 * @error: return location for a #GError
 *
 * Reads a campaign. Relative paths in it are taken from the campaign's
 * folder; keys Singly does not know are ignored.
 *
 * Returns: (transfer full) (nullable): the campaign, or %NULL with a
 *   #GFileError when the file cannot be read, or a
 *   %SINGLY_CAMPAIGN_ERROR_INVALID when it is not a campaign or holds a
 *   value that makes no sense; the message starts with @path
 */
SinglyCampaign *
singly_campaign_load (const char  *path,
                      GError     **error)
{
  g_autoptr(SinglyCampaign) self = NULL;
  g_autoptr(GKeyFile) key_file = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* g_file_get_contents() names the file in its messages already */
  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  key_file = g_key_file_new ();
  if (!g_key_file_load_from_data (key_file, contents, length, G_KEY_FILE_NONE, &local_error))
    {
      set_invalid (error, path, "%s", local_error->message);
      return NULL;
    }

  self = singly_campaign_new ();
  self->path = absolute_path (path);
  if (!load_key_file (self, key_file, self->path, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * singly_campaign_to_data:
 * @self: a campaign
 * @path: (nullable): where the text will be saved, for relative paths;
 *   %NULL for the campaign's own path, if any
 * @length: (out) (optional): the length of the text
 *
 * Returns: (transfer full): the campaign as the text of a campaign file
 */
char *
singly_campaign_to_data (SinglyCampaign *self,
                         const char     *path,
                         gsize          *length)
{
  g_autoptr(GKeyFile) key_file = NULL;
  g_autofree char *absolute = NULL;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (SINGLY_IS_CAMPAIGN (self), NULL);

  key_file = g_key_file_new ();
  absolute = path != NULL ? absolute_path (path) : g_strdup (self->path);
  if (absolute != NULL)
    dir = g_path_get_dirname (absolute);

  g_key_file_set_integer (key_file, GROUP_CAMPAIGN, "Version", CAMPAIGN_VERSION);
  set_path (key_file, "Contacts", self->contacts_path, dir);
  set_path (key_file, "Template", self->template_path, dir);
  set_path (key_file, "Journal", self->journal_path, dir);
  if (self->account != NULL)
    g_key_file_set_string (key_file, GROUP_CAMPAIGN, "Account", self->account);

  if (self->encoding != NULL)
    g_key_file_set_string (key_file, GROUP_CONTACTS, "Encoding", self->encoding);
  if (self->delimiter != 0)
    {
      g_autofree char *value = delimiter_to_value (self->delimiter);

      g_key_file_set_string (key_file, GROUP_CONTACTS, "Delimiter", value);
    }
  if (self->address_column != NULL)
    g_key_file_set_string (key_file, GROUP_CONTACTS, "AddressColumn", self->address_column);
  if (self->included->len > 0)
    g_key_file_set_integer_list (key_file, GROUP_CONTACTS, "IncludedLines",
                                 (int *) self->included->data, self->included->len);
  if (self->excluded->len > 0)
    g_key_file_set_integer_list (key_file, GROUP_CONTACTS, "ExcludedLines",
                                 (int *) self->excluded->data, self->excluded->len);

  for (guint i = 0; i < G_N_ELEMENTS (pacing_keys); i++)
    {
      gconstpointer field = G_STRUCT_MEMBER_P (&self->pacing, pacing_keys[i].offset);

      if (pacing_keys[i].is_double && *(const double *) field != 0)
        g_key_file_set_double (key_file, GROUP_PACING, pacing_keys[i].key, *(const double *) field);
      else if (!pacing_keys[i].is_double && *(const guint *) field != 0)
        g_key_file_set_uint64 (key_file, GROUP_PACING, pacing_keys[i].key, *(const guint *) field);
    }

  return g_key_file_to_data (key_file, length, NULL);
}

/**
 * singly_campaign_save:
 * @self: a campaign
 * @path: where to save it; it becomes the campaign's path
 * @error: return location for a #GError
 *
 * Writes the campaign atomically: a crash or a full disk leaves the old
 * file or the new one, never half of one. Only what Singly knows is
 * written; keys of other versions that were in a loaded file are not kept.
 *
 * Returns: %TRUE on success
 */
gboolean
singly_campaign_save (SinglyCampaign  *self,
                      const char      *path,
                      GError         **error)
{
  g_autofree char *data = NULL;
  gsize length = 0;

  g_return_val_if_fail (SINGLY_IS_CAMPAIGN (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data = singly_campaign_to_data (self, path, &length);
  if (!g_file_set_contents_full (path, data, length, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error))
    return FALSE;

  g_free (self->path);
  self->path = absolute_path (path);
  return TRUE;
}

/**
 * singly_campaign_get_path:
 *
 * Returns: (nullable): the file the campaign was loaded from or last saved
 *   to, as an absolute path
 */
const char *
singly_campaign_get_path (SinglyCampaign *self)
{
  g_return_val_if_fail (SINGLY_IS_CAMPAIGN (self), NULL);
  return self->path;
}

/**
 * singly_campaign_get_contacts_path:
 *
 * Returns: (nullable): the contact list, as an absolute path
 */
const char *
singly_campaign_get_contacts_path (SinglyCampaign *self)
{
  g_return_val_if_fail (SINGLY_IS_CAMPAIGN (self), NULL);
  return self->contacts_path;
}

/**
 * singly_campaign_set_contacts_path:
 * @path: (nullable): the contact list; a relative path is taken from the
 *   current directory
 */
void
singly_campaign_set_contacts_path (SinglyCampaign *self,
                                   const char     *path)
{
  g_return_if_fail (SINGLY_IS_CAMPAIGN (self));
  g_free (self->contacts_path);
  self->contacts_path = absolute_path (path);
}

/**
 * singly_campaign_get_template_path:
 *
 * Returns: (nullable): the template, as an absolute path
 */
const char *
singly_campaign_get_template_path (SinglyCampaign *self)
{
  g_return_val_if_fail (SINGLY_IS_CAMPAIGN (self), NULL);
  return self->template_path;
}

/**
 * singly_campaign_set_template_path:
 * @path: (nullable): the template; a relative path is taken from the
 *   current directory
 */
void
singly_campaign_set_template_path (SinglyCampaign *self,
                                   const char     *path)
{
  g_return_if_fail (SINGLY_IS_CAMPAIGN (self));
  g_free (self->template_path);
  self->template_path = absolute_path (path);
}

/**
 * singly_campaign_get_journal_path:
 *
 * Returns: (nullable): the send journal, as an absolute path
 */
const char *
singly_campaign_get_journal_path (SinglyCampaign *self)
{
  g_return_val_if_fail (SINGLY_IS_CAMPAIGN (self), NULL);
  return self->journal_path;
}

/**
 * singly_campaign_set_journal_path:
 * @path: (nullable): the send journal; a relative path is taken from the
 *   current directory
 */
void
singly_campaign_set_journal_path (SinglyCampaign *self,
                                  const char     *path)
{
  g_return_if_fail (SINGLY_IS_CAMPAIGN (self));
  g_free (self->journal_path);
  self->journal_path = absolute_path (path);
}

/**
 * singly_campaign_get_encoding:
 *
 * Returns: (nullable): the encoding the user chose for the contact list,
 *   or %NULL to detect it
 */
const char *
singly_campaign_get_encoding (SinglyCampaign *self)
{
  g_return_val_if_fail (SINGLY_IS_CAMPAIGN (self), NULL);
  return self->encoding;
}

/**
 * singly_campaign_set_encoding:
 * @encoding: (nullable): an encoding iconv knows, or %NULL to detect it
 */
void
singly_campaign_set_encoding (SinglyCampaign *self,
                              const char     *encoding)
{
  g_return_if_fail (SINGLY_IS_CAMPAIGN (self));
  replace_string (&self->encoding, encoding);
}

/**
 * singly_campaign_get_delimiter:
 *
 * Returns: the delimiter the user chose, or 0 to detect it
 */
char
singly_campaign_get_delimiter (SinglyCampaign *self)
{
  g_return_val_if_fail (SINGLY_IS_CAMPAIGN (self), 0);
  return self->delimiter;
}

/**
 * singly_campaign_set_delimiter:
 * @delimiter: a printable ASCII character or tab, not a double quote; 0 to
 *   detect it
 */
void
singly_campaign_set_delimiter (SinglyCampaign *self,
                               char            delimiter)
{
  g_return_if_fail (SINGLY_IS_CAMPAIGN (self));
  g_return_if_fail (delimiter == 0 || delimiter == '\t' ||
                    (delimiter != '"' && (guchar) delimiter >= 0x20 && (guchar) delimiter < 0x7f));
  self->delimiter = delimiter;
}

/**
 * singly_campaign_get_address_column:
 *
 * Returns: (nullable): the name of the address column the user chose, or
 *   %NULL to find it by name
 */
const char *
singly_campaign_get_address_column (SinglyCampaign *self)
{
  g_return_val_if_fail (SINGLY_IS_CAMPAIGN (self), NULL);
  return self->address_column;
}

/**
 * singly_campaign_set_address_column:
 * @column: (nullable): the name of the address column, or %NULL to find
 *   it by name
 */
void
singly_campaign_set_address_column (SinglyCampaign *self,
                                    const char     *column)
{
  g_return_if_fail (SINGLY_IS_CAMPAIGN (self));
  replace_string (&self->address_column, column);
}

/**
 * singly_campaign_get_contacts_options:
 * @self: a campaign
 * @options: (out caller-allocates): filled with the campaign's choices
 *
 * The options to read the contact list with. The strings belong to @self
 * and stay valid until it changes or is finalized.
 */
void
singly_campaign_get_contacts_options (SinglyCampaign        *self,
                                      SinglyContactsOptions *options)
{
  g_return_if_fail (SINGLY_IS_CAMPAIGN (self));
  g_return_if_fail (options != NULL);

  options->encoding = self->encoding;
  options->delimiter = self->delimiter;
  options->address_column = self->address_column;
}

/**
 * singly_campaign_get_account:
 *
 * Returns: (nullable): the name of the account to send with, or %NULL for
 *   the default one
 */
const char *
singly_campaign_get_account (SinglyCampaign *self)
{
  g_return_val_if_fail (SINGLY_IS_CAMPAIGN (self), NULL);
  return self->account;
}

/**
 * singly_campaign_set_account:
 * @account: (nullable): the name of an account, or %NULL for the default
 *   one; never a password
 */
void
singly_campaign_set_account (SinglyCampaign *self,
                             const char     *account)
{
  g_return_if_fail (SINGLY_IS_CAMPAIGN (self));
  replace_string (&self->account, account);
}

/**
 * singly_campaign_get_pacing:
 *
 * Returns: (transfer none): the campaign's pacing; zeros mean no limit
 */
const SinglyPacing *
singly_campaign_get_pacing (SinglyCampaign *self)
{
  g_return_val_if_fail (SINGLY_IS_CAMPAIGN (self), NULL);
  return &self->pacing;
}

/**
 * singly_campaign_set_pacing:
 * @pacing: (nullable): the pacing, or %NULL for no limits; negative or
 *   non-finite times are taken as 0
 */
void
singly_campaign_set_pacing (SinglyCampaign     *self,
                            const SinglyPacing *pacing)
{
  g_return_if_fail (SINGLY_IS_CAMPAIGN (self));

  if (pacing == NULL)
    {
      memset (&self->pacing, 0, sizeof self->pacing);
      return;
    }
  self->pacing = *pacing;
  /* what could not be read back must not be written */
  if (!isfinite (self->pacing.interval) || self->pacing.interval < 0)
    self->pacing.interval = 0;
  if (!isfinite (self->pacing.jitter) || self->pacing.jitter < 0)
    self->pacing.jitter = 0;
}

/**
 * singly_campaign_get_row_choice:
 * @line: the 1-based line of the contact file where the row starts
 *
 * Returns: whether the user included or excluded the row by hand
 */
SinglyRowChoice
singly_campaign_get_row_choice (SinglyCampaign *self,
                                guint           line)
{
  g_return_val_if_fail (SINGLY_IS_CAMPAIGN (self), SINGLY_ROW_CHOICE_DEFAULT);

  if (lines_contain (self->included, line))
    return SINGLY_ROW_CHOICE_INCLUDE;
  if (lines_contain (self->excluded, line))
    return SINGLY_ROW_CHOICE_EXCLUDE;
  return SINGLY_ROW_CHOICE_DEFAULT;
}

/**
 * singly_campaign_set_row_choice:
 * @line: the 1-based line of the contact file where the row starts
 * @choice: the user's choice; %SINGLY_ROW_CHOICE_DEFAULT forgets it
 */
void
singly_campaign_set_row_choice (SinglyCampaign  *self,
                                guint            line,
                                SinglyRowChoice  choice)
{
  g_return_if_fail (SINGLY_IS_CAMPAIGN (self));
  g_return_if_fail (line >= 1 && line <= G_MAXINT);

  lines_remove (self->included, line);
  lines_remove (self->excluded, line);
  if (choice == SINGLY_ROW_CHOICE_INCLUDE)
    lines_add (self->included, line);
  else if (choice == SINGLY_ROW_CHOICE_EXCLUDE)
    lines_add (self->excluded, line);
}

/**
 * singly_campaign_get_lines:
 * @choice: %SINGLY_ROW_CHOICE_INCLUDE or %SINGLY_ROW_CHOICE_EXCLUDE
 * @n_lines: (out): the number of lines
 *
 * Returns: (array length=n_lines) (transfer none) (nullable): the lines
 *   with that choice, in ascending order
 */
const guint *
singly_campaign_get_lines (SinglyCampaign  *self,
                           SinglyRowChoice  choice,
                           guint           *n_lines)
{
  GArray *lines = NULL;

  g_return_val_if_fail (SINGLY_IS_CAMPAIGN (self), NULL);
  g_return_val_if_fail (n_lines != NULL, NULL);

  if (choice == SINGLY_ROW_CHOICE_INCLUDE)
    lines = self->included;
  else if (choice == SINGLY_ROW_CHOICE_EXCLUDE)
    lines = self->excluded;

  *n_lines = lines != NULL ? lines->len : 0;
  return lines != NULL && lines->len > 0 ? (const guint *) lines->data : NULL;
}

/**
 * singly_campaign_clear_row_choices:
 *
 * Forgets every row included or excluded by hand, as when the campaign is
 * pointed at another contact list.
 */
void
singly_campaign_clear_row_choices (SinglyCampaign *self)
{
  g_return_if_fail (SINGLY_IS_CAMPAIGN (self));
  g_array_set_size (self->included, 0);
  g_array_set_size (self->excluded, 0);
}

/**
 * singly_campaign_apply_row_choices:
 * @self: a campaign
 * @contacts: the contact list the campaign names, freshly read
 *
 * Includes and excludes the rows the user chose by hand. Lines that no
 * longer start a row (the file was edited) are left alone.
 *
 * Returns: the number of rows whose choice was applied
 */
guint
singly_campaign_apply_row_choices (SinglyCampaign    *self,
                                   SinglyContactList *contacts)
{
  guint n_rows, n_applied = 0;

  g_return_val_if_fail (SINGLY_IS_CAMPAIGN (self), 0);
  g_return_val_if_fail (SINGLY_IS_CONTACT_LIST (contacts), 0);

  if (self->included->len == 0 && self->excluded->len == 0)
    return 0;

  n_rows = singly_contact_list_get_n_rows (contacts);
  for (guint row = 0; row < n_rows; row++)
    {
      guint line = singly_contact_list_get_row_line (contacts, row);

      if (lines_contain (self->included, line))
        singly_contact_list_set_row_included (contacts, row, TRUE);
      else if (lines_contain (self->excluded, line))
        singly_contact_list_set_row_included (contacts, row, FALSE);
      else
        continue;
      n_applied++;
    }
  return n_applied;
}
