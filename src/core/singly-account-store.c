/* singly-account-store.c: the user's accounts, kept in accounts.ini
 *
 * One group per account, named by the account's id, in
 * $XDG_CONFIG_HOME/singly/accounts.ini:
 *
 *   [account-0b6a3f9e-…]
 *   name=Office
 *   kind=smtp
 *   preset=gmail
 *   sender-name=Example Trading
 *   sender-address=office@example.org
 *   host=smtp.gmail.com
 *   port=465
 *   security=tls
 *   user=office@example.org
 *   auth=auto
 *   interval=3
 *   max-per-day=500
 *
 * Passwords and tokens are never written here, whatever the account: they
 * live in the keyring (singly-secret.c), filed under the account's id,
 * which never changes, so renaming an account keeps its password. The
 * file is still mode 0600 in a 0700 folder: server names, users and
 * token commands are nobody else's business.
 *
 * The "Save to folder" account always exists and comes first: it is what
 * lets the whole workflow run on a machine without a server. It is kept
 * in the file only for what the user changed (its folder, the sender),
 * under SINGLY_ACCOUNT_STORE_DEFAULT_ID, and cannot be removed.
 *
 * The store belongs to the main thread; the send job gets a copy of the
 * account it sends with.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "singly-account-store.h"
#include "singly-address.h"
#include "singly-i18n.h"
#include "singly-secret.h"

struct _SinglyAccountItem
{
  GObject        parent_instance;

  SinglyAccount *account;
};

struct _SinglyAccountStore
{
  GObject     parent_instance;

  char       *path;
  GListStore *accounts;
};

G_DEFINE_TYPE (SinglyAccountItem, singly_account_item, G_TYPE_OBJECT)
G_DEFINE_TYPE (SinglyAccountStore, singly_account_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (singly-account-store-error-quark, singly_account_store_error)

enum {
  ITEM_PROP_0,
  ITEM_PROP_ACCOUNT,
  ITEM_PROP_ID,
  ITEM_PROP_NAME,
  ITEM_PROP_SUMMARY,
  ITEM_PROP_SENDER_ADDRESS,
  ITEM_PROP_PRESET,
  ITEM_PROP_IS_DEFAULT,
  ITEM_PROP_IS_FOLDER,
  N_ITEM_PROPS
};

static GParamSpec *item_properties[N_ITEM_PROPS];

/* The untranslated name of the default account: scripts that say
 * --account "Save to folder" work in every language */
#define DEFAULT_NAME "Save to folder"

/* Where each group and key of a file being loaded was, for errors that
 * point at the line to fix */
typedef struct
{
  const char *path;
  GHashTable *lines;   /* "group" or "group\nkey" → line number */
} Lines;

/* item */

static void
singly_account_item_finalize (GObject *object)
{
  SinglyAccountItem *self = SINGLY_ACCOUNT_ITEM (object);

  g_clear_pointer (&self->account, singly_account_free);

  G_OBJECT_CLASS (singly_account_item_parent_class)->finalize (object);
}

static void
singly_account_item_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  SinglyAccountItem *self = SINGLY_ACCOUNT_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_ACCOUNT:
      g_value_set_boxed (value, self->account);
      break;
    case ITEM_PROP_ID:
      g_value_set_string (value, self->account->id);
      break;
    case ITEM_PROP_NAME:
      g_value_set_string (value, self->account->name);
      break;
    case ITEM_PROP_SUMMARY:
      g_value_take_string (value, singly_account_item_dup_summary (self));
      break;
    case ITEM_PROP_SENDER_ADDRESS:
      g_value_set_string (value, self->account->sender_address);
      break;
    case ITEM_PROP_PRESET:
      g_value_set_string (value, self->account->preset);
      break;
    case ITEM_PROP_IS_DEFAULT:
      g_value_set_boolean (value, singly_account_item_is_default (self));
      break;
    case ITEM_PROP_IS_FOLDER:
      g_value_set_boolean (value, self->account->kind == SINGLY_ACCOUNT_FOLDER);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
singly_account_item_class_init (SinglyAccountItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = singly_account_item_finalize;
  object_class->get_property = singly_account_item_get_property;

  item_properties[ITEM_PROP_ACCOUNT] =
    g_param_spec_boxed ("account", NULL, NULL, SINGLY_TYPE_ACCOUNT,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* "smtp.example.org:587 (STARTTLS)" or the folder, for a subtitle */
  item_properties[ITEM_PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_SENDER_ADDRESS] =
    g_param_spec_string ("sender-address", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_PRESET] =
    g_param_spec_string ("preset", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_IS_DEFAULT] =
    g_param_spec_boolean ("is-default", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_IS_FOLDER] =
    g_param_spec_boolean ("is-folder", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_ITEM_PROPS, item_properties);
}

static void
singly_account_item_init (SinglyAccountItem *self)
{
}

/* Takes @account, whose id is set */
static SinglyAccountItem *
account_item_new (SinglyAccount *account)
{
  SinglyAccountItem *self = g_object_new (SINGLY_TYPE_ACCOUNT_ITEM, NULL);

  g_assert (account->id != NULL);
  self->account = account;
  return self;
}

/* Takes @account; rows bound to the item's properties follow */
static void
account_item_replace (SinglyAccountItem *self,
                      SinglyAccount     *account)
{
  g_autoptr(SinglyAccount) old = g_steal_pointer (&self->account);

  g_assert (g_str_equal (old->id, account->id));
  self->account = account;

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), item_properties[ITEM_PROP_ACCOUNT]);
  if (g_strcmp0 (old->name, account->name) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), item_properties[ITEM_PROP_NAME]);
  g_object_notify_by_pspec (G_OBJECT (self), item_properties[ITEM_PROP_SUMMARY]);
  if (g_strcmp0 (old->sender_address, account->sender_address) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), item_properties[ITEM_PROP_SENDER_ADDRESS]);
  if (g_strcmp0 (old->preset, account->preset) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), item_properties[ITEM_PROP_PRESET]);
  if (old->kind != account->kind)
    g_object_notify_by_pspec (G_OBJECT (self), item_properties[ITEM_PROP_IS_FOLDER]);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * singly_account_item_get_account:
 *
 * Returns: (transfer none): the account; it is replaced when the account
 *   is updated (#SinglyAccountItem:account is notified), so copy it to
 *   keep it
 */
const SinglyAccount *
singly_account_item_get_account (SinglyAccountItem *self)
{
  g_return_val_if_fail (SINGLY_IS_ACCOUNT_ITEM (self), NULL);
  return self->account;
}

/**
 * singly_account_item_get_id:
 *
 * Returns: (transfer none): the account's id, which never changes; its
 *   password is filed under it in the keyring
 */
const char *
singly_account_item_get_id (SinglyAccountItem *self)
{
  g_return_val_if_fail (SINGLY_IS_ACCOUNT_ITEM (self), NULL);
  return self->account->id;
}

/**
 * singly_account_item_get_name:
 *
 * Returns: (transfer none): what the user calls the account
 */
const char *
singly_account_item_get_name (SinglyAccountItem *self)
{
  g_return_val_if_fail (SINGLY_IS_ACCOUNT_ITEM (self), NULL);
  return self->account->name;
}

/**
 * singly_account_item_dup_summary:
 *
 * Returns: (transfer full): where the account sends, for people
 */
char *
singly_account_item_dup_summary (SinglyAccountItem *self)
{
  g_return_val_if_fail (SINGLY_IS_ACCOUNT_ITEM (self), NULL);

  if (self->account->kind == SINGLY_ACCOUNT_SMTP && self->account->host == NULL)
    return g_strdup (_("no server yet"));
  return singly_account_describe (self->account);
}

/**
 * singly_account_item_is_default:
 *
 * Returns: whether this is the "Save to folder" account that cannot be
 *   removed
 */
gboolean
singly_account_item_is_default (SinglyAccountItem *self)
{
  g_return_val_if_fail (SINGLY_IS_ACCOUNT_ITEM (self), FALSE);
  return g_str_equal (self->account->id, SINGLY_ACCOUNT_STORE_DEFAULT_ID);
}

/* store: helpers */

/* Names compare as people read them: "office", "Office" and "OFFICE"
 * are one account, whatever the Unicode composition */
static char *
name_key (const char *name)
{
  g_autofree char *normal = g_utf8_normalize (name, -1, G_NORMALIZE_DEFAULT);
  g_autofree char *folded = NULL;

  if (normal == NULL)
    return g_strdup (name);
  folded = g_utf8_casefold (normal, -1);
  return g_strstrip (g_steal_pointer (&folded));
}

static gboolean
names_equal (const char *a,
             const char *b)
{
  g_autofree char *ka = NULL;
  g_autofree char *kb = NULL;

  if (a == NULL || b == NULL)
    return FALSE;
  ka = name_key (a);
  kb = name_key (b);
  return g_str_equal (ka, kb);
}

/* NULL for unset or empty strings, so the file and the struct agree */
static char *
dup_nonempty (const char *text)
{
  g_autofree char *copy = NULL;

  if (text == NULL)
    return NULL;
  copy = g_strstrip (g_strdup (text));
  return *copy != '\0' ? g_steal_pointer (&copy) : NULL;
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  while (g_ascii_isspace (*text))
    text++;
  return *text == '\0';
}

static void
set_string (char       **field,
            const char  *value)
{
  char *copy = dup_nonempty (value);

  g_free (*field);
  *field = copy;
}

static SinglyAccount *
default_account_new (void)
{
  g_autofree char *folder = singly_account_store_default_folder ();
  SinglyAccount *account = singly_account_new_folder (folder, NULL, NULL);

  account->id = g_strdup (SINGLY_ACCOUNT_STORE_DEFAULT_ID);
  return account;
}

static const char *
kind_to_string (SinglyAccountKind kind)
{
  return kind == SINGLY_ACCOUNT_FOLDER ? "folder" : "smtp";
}

static const char *
security_to_string (SinglySecurity security)
{
  switch (security)
    {
    case SINGLY_SECURITY_TLS:  return "tls";
    case SINGLY_SECURITY_NONE: return "none";
    case SINGLY_SECURITY_STARTTLS:
    default:                   return "starttls";
    }
}

static const char *
auth_to_string (SinglySmtpAuth auth)
{
  switch (auth)
    {
    case SINGLY_SMTP_AUTH_PLAIN:   return "plain";
    case SINGLY_SMTP_AUTH_LOGIN:   return "login";
    case SINGLY_SMTP_AUTH_XOAUTH2: return "oauth2";
    case SINGLY_SMTP_AUTH_AUTO:
    default:                       return "auto";
    }
}

/* store: loading */

static guint
lines_get (const Lines *lines,
           const char  *group,
           const char  *key)
{
  g_autofree char *name = key ? g_strconcat (group, "\n", key, NULL) : g_strdup (group);

  return GPOINTER_TO_UINT (g_hash_table_lookup (lines->lines, name));
}

static void
set_parse_error (GError      **error,
                 const Lines  *lines,
                 guint         line,
                 const char   *format,
                 ...) G_GNUC_PRINTF (4, 5);

static void
set_parse_error (GError      **error,
                 const Lines  *lines,
                 guint         line,
                 const char   *format,
                 ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (line > 0)
    g_set_error (error, SINGLY_ACCOUNT_STORE_ERROR, SINGLY_ACCOUNT_STORE_ERROR_PARSE,
                 "%s:%u: %s", lines->path, line, message);
  else
    g_set_error (error, SINGLY_ACCOUNT_STORE_ERROR, SINGLY_ACCOUNT_STORE_ERROR_PARSE,
                 "%s: %s", lines->path, message);
}

/* GKeyFile says what is wrong with a file but not where: this pass finds
 * the line, and remembers where each group and key is for the checks of
 * the values that follow. It accepts what GKeyFile accepts, a little more
 * strictly about group lines. */
static gboolean
scan_lines (Lines       *lines,
            const char  *contents,
            gsize        length,
            GError     **error)
{
  g_auto(GStrv) split = NULL;
  g_autofree char *group = NULL;
  g_autofree char *text = g_strndup (contents, length);

  if (length > 0 && strlen (text) != length)
    {
      guint line = 1;

      for (gsize i = 0; i < length && contents[i] != '\0'; i++)
        if (contents[i] == '\n')
          line++;
      set_parse_error (error, lines, line, _("the file holds a NUL byte"));
      return FALSE;
    }

  split = g_strsplit (text, "\n", -1);
  for (guint i = 0; split[i] != NULL; i++)
    {
      guint number = i + 1;
      char *line = split[i];
      gsize line_length = strlen (line);
      const char *equals;

      if (line_length > 0 && line[line_length - 1] == '\r')
        line[--line_length] = '\0';
      if (!g_utf8_validate (line, line_length, NULL))
        {
          set_parse_error (error, lines, number, _("this line is not UTF-8 text"));
          return FALSE;
        }

      g_strchug (line);
      if (*line == '\0' || *line == '#')
        continue;

      if (*line == '[')
        {
          char *end;

          g_strchomp (line);
          end = line + strlen (line) - 1;
          if (*end != ']' || end == line + 1 ||
              memchr (line + 1, '[', end - line - 1) != NULL ||
              memchr (line + 1, ']', end - line - 1) != NULL)
            {
              set_parse_error (error, lines, number, _("“%s” is not a [group] line"), line);
              return FALSE;
            }
          g_free (group);
          group = g_strndup (line + 1, end - line - 1);
          if (g_hash_table_contains (lines->lines, group))
            {
              set_parse_error (error, lines, number, _("the account [%s] is there twice"), group);
              return FALSE;
            }
          g_hash_table_insert (lines->lines, g_strdup (group), GUINT_TO_POINTER (number));
          continue;
        }

      equals = strchr (line, '=');
      if (equals == NULL || equals == line)
        {
          set_parse_error (error, lines, number,
                           _("“%s” is neither a [group], a key=value line nor a # comment"), line);
          return FALSE;
        }
      if (group == NULL)
        {
          set_parse_error (error, lines, number, _("a setting comes before the first [account] group"));
          return FALSE;
        }

      {
        g_autofree char *key = g_strstrip (g_strndup (line, equals - line));

        g_hash_table_insert (lines->lines, g_strconcat (group, "\n", key, NULL), GUINT_TO_POINTER (number));
      }
    }
  return TRUE;
}

static gboolean
read_string (GKeyFile     *file,
             const Lines  *lines,
             const char   *group,
             const char   *key,
             char        **value,
             GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = NULL;

  if (!g_key_file_has_key (file, group, key, NULL))
    return TRUE;
  text = g_key_file_get_string (file, group, key, &local_error);
  if (text == NULL)
    {
      set_parse_error (error, lines, lines_get (lines, group, key), "%s", local_error->message);
      return FALSE;
    }
  set_string (value, text);
  return TRUE;
}

static gboolean
read_uint (GKeyFile     *file,
           const Lines  *lines,
           const char   *group,
           const char   *key,
           guint64       min,
           guint64       max,
           guint64      *value,
           GError      **error)
{
  g_autofree char *text = NULL;

  if (!g_key_file_has_key (file, group, key, NULL))
    return TRUE;
  text = g_strstrip (g_key_file_get_value (file, group, key, NULL));
  if (!g_ascii_string_to_unsigned (text, 10, min, max, value, NULL))
    {
      /* the bounds as text: a format macro inside _() would cut the
       * message short for xgettext */
      g_autofree char *low = g_strdup_printf ("%" G_GUINT64_FORMAT, min);
      g_autofree char *high = g_strdup_printf ("%" G_GUINT64_FORMAT, max);

      set_parse_error (error, lines, lines_get (lines, group, key),
                       _("“%s” must be a whole number from %s to %s, not “%s”"),
                       key, low, high, text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_seconds (GKeyFile     *file,
              const Lines  *lines,
              const char   *group,
              const char   *key,
              double       *value,
              GError      **error)
{
  g_autofree char *text = NULL;
  char *end = NULL;
  double seconds;

  if (!g_key_file_has_key (file, group, key, NULL))
    return TRUE;
  text = g_strstrip (g_key_file_get_value (file, group, key, NULL));
  errno = 0;
  seconds = g_ascii_strtod (text, &end);
  /* a day is more than any pause or wait needs */
  if (*text == '\0' || *end != '\0' || errno != 0 || !isfinite (seconds) ||
      seconds < 0 || seconds > 86400)
    {
      set_parse_error (error, lines, lines_get (lines, group, key),
                       _("“%s” must be a number of seconds from 0 to 86400, not “%s”"), key, text);
      return FALSE;
    }
  *value = seconds;
  return TRUE;
}

static gboolean
read_choice (GKeyFile           *file,
             const Lines        *lines,
             const char         *group,
             const char         *key,
             const char * const *names,
             const int          *values,
             int                *value,
             GError            **error)
{
  g_autofree char *text = NULL;
  g_autofree char *choices = NULL;

  if (!g_key_file_has_key (file, group, key, NULL))
    return TRUE;
  text = g_strstrip (g_key_file_get_value (file, group, key, NULL));
  for (guint i = 0; names[i] != NULL; i++)
    if (g_ascii_strcasecmp (text, names[i]) == 0)
      {
        *value = values[i];
        return TRUE;
      }

  choices = g_strjoinv (", ", (char **) names);
  set_parse_error (error, lines, lines_get (lines, group, key),
                   _("“%s” must be one of %s, not “%s”"), key, choices, text);
  return FALSE;
}

static gboolean
read_boolean (GKeyFile     *file,
              const Lines  *lines,
              const char   *group,
              const char   *key,
              gboolean     *value,
              GError      **error)
{
  static const char * const names[] = { "true", "false", "1", "0", NULL };
  static const int values[] = { TRUE, FALSE, TRUE, FALSE };
  int choice = *value;

  if (!read_choice (file, lines, group, key, names, values, &choice, error))
    return FALSE;
  *value = choice;
  return TRUE;
}

/* One group: returns the account, or NULL with @error pointing at the
 * line */
static SinglyAccount *
read_account (GKeyFile     *file,
              const Lines  *lines,
              const char   *group,
              GError      **error)
{
  static const char * const kinds[] = { "smtp", "folder", NULL };
  static const int kind_values[] = { SINGLY_ACCOUNT_SMTP, SINGLY_ACCOUNT_FOLDER };
  static const char * const securities[] = { "starttls", "tls", "none", NULL };
  static const int security_values[] = { SINGLY_SECURITY_STARTTLS, SINGLY_SECURITY_TLS, SINGLY_SECURITY_NONE };
  static const char * const auths[] = { "auto", "plain", "login", "oauth2", "xoauth2", NULL };
  static const int auth_values[] = { SINGLY_SMTP_AUTH_AUTO, SINGLY_SMTP_AUTH_PLAIN, SINGLY_SMTP_AUTH_LOGIN,
                                     SINGLY_SMTP_AUTH_XOAUTH2, SINGLY_SMTP_AUTH_XOAUTH2 };
  g_autoptr(SinglyAccount) account = NULL;
  gboolean is_default = g_str_equal (group, SINGLY_ACCOUNT_STORE_DEFAULT_ID);
  guint group_line = lines_get (lines, group, NULL);
  int kind = SINGLY_ACCOUNT_SMTP;
  int security, auth;
  guint64 number;

  if (is_default)
    {
      account = default_account_new ();
      kind = SINGLY_ACCOUNT_FOLDER;
    }
  else
    {
      account = g_new0 (SinglyAccount, 1);
      account->id = g_strdup (group);
      account->security = SINGLY_SECURITY_STARTTLS;
      account->request_dsn = TRUE;
    }

  if (!read_choice (file, lines, group, "kind", kinds, kind_values, &kind, error))
    return NULL;
  if (is_default && kind != SINGLY_ACCOUNT_FOLDER)
    {
      set_parse_error (error, lines, lines_get (lines, group, "kind"),
                       _("the “Save to folder” account can only be a folder"));
      return NULL;
    }
  account->kind = kind;

  /* the default account's name follows the language of the day */
  if (!is_default && !read_string (file, lines, group, "name", &account->name, error))
    return NULL;
  if (!read_string (file, lines, group, "preset", &account->preset, error) ||
      !read_string (file, lines, group, "sender-name", &account->sender_name, error) ||
      !read_string (file, lines, group, "sender-address", &account->sender_address, error) ||
      !read_string (file, lines, group, "folder", &account->folder, error) ||
      !read_string (file, lines, group, "host", &account->host, error) ||
      !read_string (file, lines, group, "user", &account->user, error) ||
      !read_string (file, lines, group, "token-command", &account->token_command, error) ||
      !read_string (file, lines, group, "ca-file", &account->ca_file, error) ||
      !read_string (file, lines, group, "pinned-sha256", &account->pinned_sha256, error))
    return NULL;

  if (is_default && account->folder == NULL)
    account->folder = singly_account_store_default_folder ();

  number = account->port;
  if (!read_uint (file, lines, group, "port", 0, G_MAXUINT16, &number, error))
    return NULL;
  account->port = number;

  security = account->security;
  if (!read_choice (file, lines, group, "security", securities, security_values, &security, error))
    return NULL;
  account->security = security;

  auth = account->auth;
  if (!read_choice (file, lines, group, "auth", auths, auth_values, &auth, error))
    return NULL;
  account->auth = auth;

  if (!read_boolean (file, lines, group, "request-dsn", &account->request_dsn, error))
    return NULL;

  {
    double timeout = account->timeout_ms / 1000.0;

    if (!read_seconds (file, lines, group, "timeout", &timeout, error))
      return NULL;
    account->timeout_ms = (guint) (timeout * 1000);
  }

  if (!read_seconds (file, lines, group, "interval", &account->pacing.interval, error) ||
      !read_seconds (file, lines, group, "jitter", &account->pacing.jitter, error))
    return NULL;

  {
    static const char * const keys[] = { "max-per-minute", "max-per-hour", "max-per-day", "max-per-connection" };
    guint *fields[] = { &account->pacing.max_per_minute, &account->pacing.max_per_hour,
                        &account->pacing.max_per_day, &account->pacing.max_per_connection };

    for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
      {
        number = *fields[i];
        if (!read_uint (file, lines, group, keys[i], 0, G_MAXUINT, &number, error))
          return NULL;
        *fields[i] = number;
      }
  }

  if (!is_default && account->name == NULL)
    {
      set_parse_error (error, lines, group_line, _("the account [%s] has no name"), group);
      return NULL;
    }
  if (account->kind == SINGLY_ACCOUNT_SMTP && account->host == NULL)
    {
      set_parse_error (error, lines, group_line, _("the account “%s” has no host"), account->name);
      return NULL;
    }
  if (account->kind == SINGLY_ACCOUNT_FOLDER && account->folder == NULL)
    {
      set_parse_error (error, lines, group_line, _("the account “%s” has no folder"), account->name);
      return NULL;
    }
  if (account->sender_address != NULL && !singly_address_is_valid (account->sender_address))
    {
      set_parse_error (error, lines, lines_get (lines, group, "sender-address"),
                       _("“%s” is not a valid address"), account->sender_address);
      return NULL;
    }

  return g_steal_pointer (&account);
}

/* store: checks for add and update */

static gboolean
check_account (SinglyAccountStore   *self,
               const char           *id,
               const SinglyAccount  *account,
               GError              **error)
{
  gboolean is_default = g_strcmp0 (id, SINGLY_ACCOUNT_STORE_DEFAULT_ID) == 0;
  g_autofree char *name = dup_nonempty (account->name);
  g_autofree char *sender = dup_nonempty (account->sender_address);
  guint n;

  if (is_default)
    {
      if (account->kind != SINGLY_ACCOUNT_FOLDER)
        {
          g_set_error_literal (error, SINGLY_ACCOUNT_STORE_ERROR, SINGLY_ACCOUNT_STORE_ERROR_DEFAULT,
                               _("The “Save to folder” account can only save to a folder"));
          return FALSE;
        }
    }
  else if (name == NULL)
    {
      g_set_error_literal (error, SINGLY_ACCOUNT_STORE_ERROR, SINGLY_ACCOUNT_STORE_ERROR_INVALID,
                           _("The account needs a name"));
      return FALSE;
    }

  if (account->kind == SINGLY_ACCOUNT_SMTP)
    {
      g_autofree char *host = dup_nonempty (account->host);

      if (host == NULL || strpbrk (host, " \t/@") != NULL)
        {
          g_set_error_literal (error, SINGLY_ACCOUNT_STORE_ERROR, SINGLY_ACCOUNT_STORE_ERROR_INVALID,
                               host == NULL ? _("The account needs a server")
                                            : _("The server must be a host name or an IP address, such as smtp.example.org"));
          return FALSE;
        }
    }
  else if (!is_default && is_blank (account->folder))
    {
      g_set_error_literal (error, SINGLY_ACCOUNT_STORE_ERROR, SINGLY_ACCOUNT_STORE_ERROR_INVALID,
                           _("The account needs a folder"));
      return FALSE;
    }

  if (sender != NULL && !singly_address_is_valid (sender))
    {
      g_set_error (error, SINGLY_ACCOUNT_STORE_ERROR, SINGLY_ACCOUNT_STORE_ERROR_INVALID,
                   _("“%s” is not a valid address"), sender);
      return FALSE;
    }

  if (!isfinite (account->pacing.interval) || account->pacing.interval < 0 ||
      !isfinite (account->pacing.jitter) || account->pacing.jitter < 0)
    {
      g_set_error_literal (error, SINGLY_ACCOUNT_STORE_ERROR, SINGLY_ACCOUNT_STORE_ERROR_INVALID,
                           _("The pause between messages cannot be negative"));
      return FALSE;
    }

  if (is_default)
    return TRUE;

  if (names_equal (name, DEFAULT_NAME) || names_equal (name, _(DEFAULT_NAME)))
    {
      g_set_error (error, SINGLY_ACCOUNT_STORE_ERROR, SINGLY_ACCOUNT_STORE_ERROR_EXISTS,
                   _("“%s” is the name of the account that saves to a folder; choose another"), name);
      return FALSE;
    }
  n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SinglyAccountItem) item = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      if (g_strcmp0 (item->account->id, id) != 0 && names_equal (item->account->name, name))
        {
          g_set_error (error, SINGLY_ACCOUNT_STORE_ERROR, SINGLY_ACCOUNT_STORE_ERROR_EXISTS,
                       _("There is already an account named “%s”"), item->account->name);
          return FALSE;
        }
    }
  return TRUE;
}

/* A copy of @account as the store keeps it: trimmed, empty strings unset,
 * the id given */
static SinglyAccount *
normalize_account (const SinglyAccount *account,
                   const char          *id)
{
  SinglyAccount *copy = singly_account_copy (account);

  g_free (copy->id);
  copy->id = g_strdup (id);
  set_string (&copy->name, account->name);
  set_string (&copy->sender_name, account->sender_name);
  set_string (&copy->sender_address, account->sender_address);
  set_string (&copy->folder, account->folder);
  set_string (&copy->host, account->host);
  set_string (&copy->user, account->user);
  set_string (&copy->ca_file, account->ca_file);
  set_string (&copy->pinned_sha256, account->pinned_sha256);
  set_string (&copy->preset, account->preset);
  set_string (&copy->token_command, account->token_command);

  /* what the other kind would use is not kept: the account in the list
   * is the one the file gives back */
  if (copy->kind == SINGLY_ACCOUNT_SMTP)
    g_clear_pointer (&copy->folder, g_free);
  else
    {
      g_clear_pointer (&copy->host, g_free);
      g_clear_pointer (&copy->user, g_free);
      g_clear_pointer (&copy->token_command, g_free);
      g_clear_pointer (&copy->ca_file, g_free);
      g_clear_pointer (&copy->pinned_sha256, g_free);
      copy->port = 0;
      copy->security = SINGLY_SECURITY_STARTTLS;
      copy->auth = SINGLY_SMTP_AUTH_AUTO;
      copy->request_dsn = TRUE;
      copy->timeout_ms = 0;
      memset (&copy->pacing, 0, sizeof copy->pacing);
    }

  if (g_str_equal (id, SINGLY_ACCOUNT_STORE_DEFAULT_ID))
    {
      g_free (copy->name);
      copy->name = g_strdup (_(DEFAULT_NAME));
      if (copy->folder == NULL)
        copy->folder = singly_account_store_default_folder ();
    }
  return copy;
}

static gboolean
find_position (SinglyAccountStore *self,
               const char         *id,
               guint              *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SinglyAccountItem) item = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      if (g_str_equal (item->account->id, id))
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

/* store: saving */

static void
set_optional_string (GKeyFile   *file,
                     const char *group,
                     const char *key,
                     const char *value)
{
  if (value != NULL)
    g_key_file_set_string (file, group, key, value);
}

static void
set_seconds (GKeyFile   *file,
             const char *group,
             const char *key,
             double      value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  /* "2.4" rather than g_key_file_set_double()'s "2.3999999999999999" */
  g_key_file_set_value (file, group, key, g_ascii_formatd (buffer, sizeof buffer, "%g", value));
}

static void
write_account (GKeyFile            *file,
               const SinglyAccount *account)
{
  const char *group = account->id;

  if (g_str_equal (group, SINGLY_ACCOUNT_STORE_DEFAULT_ID))
    {
      g_autofree char *folder = singly_account_store_default_folder ();

      /* only what the user changed: the default folder follows the
       * Documents folder wherever it moves */
      if (g_strcmp0 (account->folder, folder) == 0 &&
          account->sender_name == NULL && account->sender_address == NULL)
        return;
      g_key_file_set_value (file, group, "kind", "folder");
      if (g_strcmp0 (account->folder, folder) != 0)
        set_optional_string (file, group, "folder", account->folder);
      set_optional_string (file, group, "sender-name", account->sender_name);
      set_optional_string (file, group, "sender-address", account->sender_address);
      return;
    }

  g_key_file_set_string (file, group, "name", account->name);
  g_key_file_set_value (file, group, "kind", kind_to_string (account->kind));
  set_optional_string (file, group, "preset", account->preset);
  set_optional_string (file, group, "sender-name", account->sender_name);
  set_optional_string (file, group, "sender-address", account->sender_address);

  if (account->kind == SINGLY_ACCOUNT_FOLDER)
    {
      set_optional_string (file, group, "folder", account->folder);
      return;
    }

  g_key_file_set_string (file, group, "host", account->host);
  if (account->port != 0)
    g_key_file_set_uint64 (file, group, "port", account->port);
  g_key_file_set_value (file, group, "security", security_to_string (account->security));
  set_optional_string (file, group, "user", account->user);
  g_key_file_set_value (file, group, "auth", auth_to_string (account->auth));
  set_optional_string (file, group, "token-command", account->token_command);
  set_optional_string (file, group, "ca-file", account->ca_file);
  set_optional_string (file, group, "pinned-sha256", account->pinned_sha256);
  g_key_file_set_boolean (file, group, "request-dsn", account->request_dsn);
  if (account->timeout_ms != 0)
    set_seconds (file, group, "timeout", account->timeout_ms / 1000.0);
  set_seconds (file, group, "interval", account->pacing.interval);
  set_seconds (file, group, "jitter", account->pacing.jitter);
  g_key_file_set_uint64 (file, group, "max-per-minute", account->pacing.max_per_minute);
  g_key_file_set_uint64 (file, group, "max-per-hour", account->pacing.max_per_hour);
  g_key_file_set_uint64 (file, group, "max-per-day", account->pacing.max_per_day);
  g_key_file_set_uint64 (file, group, "max-per-connection", account->pacing.max_per_connection);
}

/* store: removing */

static void
remove_cleared_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!singly_secret_clear_finish (result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Takes the account out of the list; returns it for its secrets to be
 * deleted */
static SinglyAccount *
take_account (SinglyAccountStore  *self,
              const char          *id,
              GError             **error)
{
  g_autoptr(SinglyAccountItem) item = NULL;
  SinglyAccount *account;
  guint position;

  if (g_str_equal (id, SINGLY_ACCOUNT_STORE_DEFAULT_ID))
    {
      g_set_error_literal (error, SINGLY_ACCOUNT_STORE_ERROR, SINGLY_ACCOUNT_STORE_ERROR_DEFAULT,
                           _("The “Save to folder” account cannot be removed"));
      return NULL;
    }
  if (!find_position (self, id, &position))
    {
      g_set_error (error, SINGLY_ACCOUNT_STORE_ERROR, SINGLY_ACCOUNT_STORE_ERROR_NOT_FOUND,
                   _("There is no account “%s”"), id);
      return NULL;
    }

  item = g_list_model_get_item (G_LIST_MODEL (self->accounts), position);
  account = singly_account_copy (item->account);
  g_list_store_remove (self->accounts, position);
  return account;
}

/* store: the object */

static void
singly_account_store_finalize (GObject *object)
{
  SinglyAccountStore *self = SINGLY_ACCOUNT_STORE (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_object (&self->accounts);

  G_OBJECT_CLASS (singly_account_store_parent_class)->finalize (object);
}

static void
singly_account_store_class_init (SinglyAccountStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = singly_account_store_finalize;
}

static void
singly_account_store_init (SinglyAccountStore *self)
{
  g_autoptr(SinglyAccountItem) item = account_item_new (default_account_new ());

  self->accounts = g_list_store_new (SINGLY_TYPE_ACCOUNT_ITEM);
  g_list_store_append (self->accounts, item);
}

/* store: public API */

/**
 * singly_account_store_new:
 * @path: (nullable): the file, or %NULL for
 *   singly_account_store_default_path()
 *
 * Makes a store that holds only the "Save to folder" account; see
 * singly_account_store_load().
 *
 * Returns: (transfer full): the store
 */
SinglyAccountStore *
singly_account_store_new (const char *path)
{
  SinglyAccountStore *self = g_object_new (SINGLY_TYPE_ACCOUNT_STORE, NULL);

  self->path = path ? g_strdup (path) : singly_account_store_default_path ();
  return self;
}

/**
 * singly_account_store_default_path:
 *
 * Returns: (transfer full): $XDG_CONFIG_HOME/singly/accounts.ini
 */
char *
singly_account_store_default_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "singly", "accounts.ini", NULL);
}

/**
 * singly_account_store_default_folder:
 *
 * Returns: (transfer full): where "Save to folder" writes unless told
 *   otherwise: Singly in the user's Documents folder, or ~/Singly when
 *   there is no Documents folder
 */
char *
singly_account_store_default_folder (void)
{
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);

  /* without xdg-user-dirs, GLib answers the home folder itself */
  if (documents == NULL || g_str_equal (documents, g_get_home_dir ()))
    return g_build_filename (g_get_home_dir (), "Singly", NULL);
  return g_build_filename (documents, "Singly", NULL);
}

/**
 * singly_account_store_get_path:
 *
 * Returns: (transfer none): the file the store reads and writes
 */
const char *
singly_account_store_get_path (SinglyAccountStore *self)
{
  g_return_val_if_fail (SINGLY_IS_ACCOUNT_STORE (self), NULL);
  return self->path;
}

/**
 * singly_account_store_load:
 * @self: a store
 * @error: return location for a #GError
 *
 * Reads the accounts from the file, replacing those in the store. A file
 * that does not exist is no account but "Save to folder". On error the
 * store is left as it was, and the message names the file and the line:
 * "…/accounts.ini:12: “port” must be a whole number from 0 to 65535, not
 * “abc”".
 *
 * Returns: %TRUE when the file was read, or does not exist
 */
gboolean
singly_account_store_load (SinglyAccountStore  *self,
                           GError             **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GHashTable) line_table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) groups = NULL;
  SinglyAccountItem *default_item = NULL;
  Lines lines = { self->path, line_table };
  gsize length = 0;

  g_return_val_if_fail (SINGLY_IS_ACCOUNT_STORE (self), FALSE);

  if (!g_file_get_contents (self->path, &contents, &length, &local_error))
    {
      if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_set_error (error, SINGLY_ACCOUNT_STORE_ERROR, SINGLY_ACCOUNT_STORE_ERROR_PARSE,
                       _("Cannot read the accounts: %s"), local_error->message);
          return FALSE;
        }
      g_clear_pointer (&contents, g_free);
      length = 0;
    }

  if (contents != NULL)
    {
      if (!scan_lines (&lines, contents, length, error))
        return FALSE;
      if (!g_key_file_load_from_data (file, contents, length, G_KEY_FILE_NONE, &local_error))
        {
          set_parse_error (error, &lines, 0, "%s", local_error->message);
          return FALSE;
        }
    }

  groups = g_key_file_get_groups (file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      SinglyAccount *account = read_account (file, &lines, groups[i], error);
      SinglyAccountItem *item;

      if (account == NULL)
        return FALSE;

      for (guint j = 0; j < items->len; j++)
        {
          SinglyAccountItem *other = items->pdata[j];

          if (names_equal (other->account->name, account->name))
            {
              set_parse_error (error, &lines, lines_get (&lines, groups[i], "name"),
                               _("there is already an account named “%s”"), account->name);
              singly_account_free (account);
              return FALSE;
            }
        }

      item = account_item_new (normalize_account (account, groups[i]));
      singly_account_free (account);
      if (g_str_equal (groups[i], SINGLY_ACCOUNT_STORE_DEFAULT_ID))
        default_item = item;
      else
        g_ptr_array_add (items, item);
    }

  if (default_item == NULL)
    default_item = account_item_new (default_account_new ());
  g_ptr_array_insert (items, 0, default_item);

  g_list_store_splice (self->accounts, 0, g_list_model_get_n_items (G_LIST_MODEL (self->accounts)),
                       items->pdata, items->len);
  return TRUE;
}

/**
 * singly_account_store_save:
 * @self: a store
 * @error: return location for a #GError
 *
 * Writes every account to the file, atomically (a reader sees the old
 * file or the new one, never half of one), readable by the user alone.
 * No password or token is ever part of it.
 *
 * Returns: %TRUE when saved
 */
gboolean
singly_account_store_save (SinglyAccountStore  *self,
                           GError             **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *data = NULL;
  g_autofree char *own_folder = NULL;
  gsize length;
  guint n;

  g_return_val_if_fail (SINGLY_IS_ACCOUNT_STORE (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SinglyAccountItem) item = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      write_account (file, item->account);
    }
  g_key_file_set_comment (file, NULL, NULL,
                          " Singly's accounts, one [group] per account. Whatever logs in to a\n"
                          " server is kept in the keyring, never in this file.",
                          NULL);
  data = g_key_file_to_data (file, &length, NULL);

  folder = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot create the folder %s: %s"), folder, g_strerror (saved_errno));
      return FALSE;
    }
  /* Singly's own folder is nobody else's, even if made by someone else */
  own_folder = g_build_filename (g_get_user_config_dir (), "singly", NULL);
  if (g_str_equal (folder, own_folder))
    g_chmod (folder, 0700);

  if (!g_file_set_contents_full (self->path, data, length, G_FILE_SET_CONTENTS_CONSISTENT,
                                 0600, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _("Cannot save the accounts: %s"), local_error->message);
      return FALSE;
    }
  return TRUE;
}

/**
 * singly_account_store_get_accounts:
 *
 * The list for the preferences to show: "Save to folder" first, then the
 * accounts in the order they were added.
 *
 * Returns: (transfer none): a #GListModel of #SinglyAccountItem
 */
GListModel *
singly_account_store_get_accounts (SinglyAccountStore *self)
{
  g_return_val_if_fail (SINGLY_IS_ACCOUNT_STORE (self), NULL);
  return G_LIST_MODEL (self->accounts);
}

/**
 * singly_account_store_lookup:
 * @self: a store
 * @id: an account's id
 *
 * Returns: (transfer none) (nullable): the account with that id
 */
SinglyAccountItem *
singly_account_store_lookup (SinglyAccountStore *self,
                             const char         *id)
{
  g_autoptr(SinglyAccountItem) item = NULL;
  guint position;

  g_return_val_if_fail (SINGLY_IS_ACCOUNT_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!find_position (self, id, &position))
    return NULL;
  /* the list store keeps its reference */
  item = g_list_model_get_item (G_LIST_MODEL (self->accounts), position);
  return item;
}

/**
 * singly_account_store_lookup_by_name:
 * @self: a store
 * @name: what the user calls the account, in any case; the default
 *   account answers to "Save to folder" untranslated too
 *
 * Returns: (transfer none) (nullable): the account with that name
 */
SinglyAccountItem *
singly_account_store_lookup_by_name (SinglyAccountStore *self,
                                     const char         *name)
{
  guint n;

  g_return_val_if_fail (SINGLY_IS_ACCOUNT_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SinglyAccountItem) item = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      if (names_equal (item->account->name, name) ||
          (singly_account_item_is_default (item) && names_equal (DEFAULT_NAME, name)))
        return item;
    }
  return NULL;
}

/**
 * singly_account_store_find:
 * @self: a store
 * @id_or_name: an account's id, or its name
 *
 * What `singly-cli send --account` understands.
 *
 * Returns: (transfer none) (nullable): the account
 */
SinglyAccountItem *
singly_account_store_find (SinglyAccountStore *self,
                           const char         *id_or_name)
{
  SinglyAccountItem *item;

  g_return_val_if_fail (SINGLY_IS_ACCOUNT_STORE (self), NULL);
  g_return_val_if_fail (id_or_name != NULL, NULL);

  item = singly_account_store_lookup (self, id_or_name);
  if (item == NULL)
    item = singly_account_store_lookup_by_name (self, id_or_name);
  return item;
}

/**
 * singly_account_store_add:
 * @self: a store
 * @account: the new account (copied); its id is ignored
 * @error: return location for a #GError
 *
 * Adds an account with a new id. Call singly_account_store_save() to
 * keep it, and singly_secret_store() with the item's id for its password.
 *
 * Returns: (transfer none) (nullable): the new account's item, or %NULL
 *   when the account lacks something or its name is taken
 */
SinglyAccountItem *
singly_account_store_add (SinglyAccountStore   *self,
                          const SinglyAccount  *account,
                          GError              **error)
{
  g_autoptr(SinglyAccountItem) item = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (SINGLY_IS_ACCOUNT_STORE (self), NULL);
  g_return_val_if_fail (account != NULL, NULL);

  uuid = g_uuid_string_random ();
  id = g_strconcat ("account-", uuid, NULL);
  if (!check_account (self, id, account, error))
    return NULL;

  item = account_item_new (normalize_account (account, id));
  g_list_store_append (self->accounts, item);
  return item;
}

/**
 * singly_account_store_update:
 * @self: a store
 * @id: the account's id
 * @account: what it becomes (copied); its id is ignored
 * @error: return location for a #GError
 *
 * Changes an account; its item stays the same object and notifies its
 * properties. The "Save to folder" account stays a folder, with its name.
 * Call singly_account_store_save() to keep the change.
 *
 * Returns: %TRUE when changed
 */
gboolean
singly_account_store_update (SinglyAccountStore   *self,
                             const char           *id,
                             const SinglyAccount  *account,
                             GError              **error)
{
  SinglyAccountItem *item;

  g_return_val_if_fail (SINGLY_IS_ACCOUNT_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (account != NULL, FALSE);

  item = singly_account_store_lookup (self, id);
  if (item == NULL)
    {
      g_set_error (error, SINGLY_ACCOUNT_STORE_ERROR, SINGLY_ACCOUNT_STORE_ERROR_NOT_FOUND,
                   _("There is no account “%s”"), id);
      return FALSE;
    }
  if (!check_account (self, id, account, error))
    return FALSE;

  account_item_replace (item, normalize_account (account, id));
  return TRUE;
}

/**
 * singly_account_store_remove:
 * @self: a store
 * @id: the account's id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the account's passwords are deleted
 * @user_data: for @callback
 *
 * Takes the account out of the list at once, then deletes its passwords
 * from the keyring. Call singly_account_store_save() to keep the change.
 */
void
singly_account_store_remove (SinglyAccountStore  *self,
                             const char          *id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SinglyAccount) account = NULL;
  GError *error = NULL;

  g_return_if_fail (SINGLY_IS_ACCOUNT_STORE (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, singly_account_store_remove);

  account = take_account (self, id, &error);
  if (account == NULL)
    g_task_return_error (task, error);
  else if (account->kind == SINGLY_ACCOUNT_FOLDER)
    g_task_return_boolean (task, TRUE);
  else
    singly_secret_clear (id, cancellable, remove_cleared_cb, g_steal_pointer (&task));
}

/**
 * singly_account_store_remove_finish:
 * @self: a store
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * An error in %SINGLY_ACCOUNT_STORE_ERROR means nothing was removed; one
 * in %SINGLY_SECRET_ERROR that the account is gone from the list but its
 * passwords could not be deleted (%SINGLY_SECRET_ERROR_NO_SERVICE: no
 * keyring runs right now).
 *
 * Returns: %TRUE when the account and its passwords are gone
 */
gboolean
singly_account_store_remove_finish (SinglyAccountStore  *self,
                                    GAsyncResult        *result,
                                    GError             **error)
{
  g_return_val_if_fail (SINGLY_IS_ACCOUNT_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == singly_account_store_remove, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * singly_account_store_remove_sync:
 *
 * Blocking singly_account_store_remove(), for singly-cli and the tests;
 * the errors are those of singly_account_store_remove_finish().
 *
 * Returns: %TRUE when the account and its passwords are gone
 */
gboolean
singly_account_store_remove_sync (SinglyAccountStore  *self,
                                  const char          *id,
                                  GCancellable        *cancellable,
                                  GError             **error)
{
  g_autoptr(SinglyAccount) account = NULL;

  g_return_val_if_fail (SINGLY_IS_ACCOUNT_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  account = take_account (self, id, error);
  if (account == NULL)
    return FALSE;
  if (account->kind == SINGLY_ACCOUNT_FOLDER)
    return TRUE;
  return singly_secret_clear_sync (id, cancellable, error);
}
