/* singly-message.c: one contact + the template = one message, single display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "singly-address.h"
#include "singly-html-text.h"
#include "singly-i18n.h"
#include "singly-message.h"

/* A header of the template, compiled, and what the builder does with it. */
typedef enum
{
  HEADER_SUBJECT,
  HEADER_TO,
  HEADER_CC,
  HEADER_BCC,
  HEADER_REPLY_TO,
  HEADER_ATTACH,
  HEADER_OTHER,
} HeaderRole;

typedef struct
{
  HeaderRole          role;
  const char         *name;
  SinglyTemplateText *text;   /* owned by the template */

  /* Attach: the folder its files must stay in, as written and with links
   * resolved; NULL for an absolute path written out in full, which is
   * read as it is */
  char               *root;
  char               *real_root;
  gboolean            root_is_template_folder;
} Header;

/* A fixed attachment (its pattern has no field) is read once and shared by
 * every message; a per-row one is read for each message. */
typedef struct
{
  char       *path;
  char       *filename;
  char       *mime_type;
  GBytes     *data;
} Attachment;

struct _SinglyMessageBuilder
{
  GObject             parent_instance;

  SinglyContactList  *contacts;
  SinglyTemplate     *template;

  char               *sender_name;
  char               *sender_address;   /* wire form */
  char               *sender_domain;
  GDateTime          *date;
  GTimeZone          *time_zone;        /* looked up once: it costs syscalls */
  gboolean            read_receipt;

  GArray             *headers;          /* of Header */
  GHashTable         *fixed_attachments; /* path -> Attachment */

  /* .eml templates: one compiled text per text leaf, in document order */
  GPtrArray          *eml_texts;
  GPtrArray          *eml_is_html;

  GPtrArray          *problems;
  guint8             *row_flags;        /* ROW_HAS_PROBLEM per row */
  guint               n_rows_checked;

  GString            *scratch;          /* for check(), on the builder's thread */
};

enum { ROW_HAS_PROBLEM = 1 << 0 };

G_DEFINE_FINAL_TYPE (SinglyMessageBuilder, singly_message_builder, G_TYPE_OBJECT)

G_DEFINE_QUARK (singly-message-error-quark, singly_message_error)

static void
header_clear (gpointer data)
{
  Header *header = data;

  g_free (header->root);
  g_free (header->real_root);
}

static void
attachment_free (gpointer data)
{
  Attachment *attachment = data;

  g_free (attachment->path);
  g_free (attachment->filename);
  g_free (attachment->mime_type);
  g_clear_pointer (&attachment->data, g_bytes_unref);
  g_free (attachment);
}

static HeaderRole
role_for_name (const char *name)
{
  static const struct { const char *name; HeaderRole role; } roles[] = {
    { "Subject",  HEADER_SUBJECT },
    { "To",       HEADER_TO },
    { "Cc",       HEADER_CC },
    { "Bcc",      HEADER_BCC },
    { "Reply-To", HEADER_REPLY_TO },
    { "Attach",   HEADER_ATTACH },
  };

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    if (g_ascii_strcasecmp (name, roles[i].name) == 0)
      return roles[i].role;
  return HEADER_OTHER;
}

static gboolean
has_control_character (const char *value)
{
  for (const guchar *p = (const guchar *) value; *p; p++)
    if (*p == '\r' || *p == '\n' || *p == '\t' || *p < 0x20 || *p == 0x7f)
      return TRUE;
  return FALSE;
}

/* Header values may not carry line breaks or other controls: they would
 * start a new header. The only way a value reaches a header is through a
 * rendered template, so this is checked on every rendered header. */
static char *
render_header (GString            *buffer,
               const Header       *header,
               const char * const *values)
{
  g_string_truncate (buffer, 0);
  singly_template_text_render (header->text, values, buffer);
  return g_strstrip (g_strdup (buffer->str));
}

/* Where the files of an Attach line may come from. Paths are the
 * template author's; values come from a contact list that may have been
 * written by anyone, so a value must never move a path out of the folder
 * its author meant:
 *
 * - a relative path stays in the template's folder: "..", a value that
 *   starts with "/" or a link in the folder to a file elsewhere is refused;
 * - an absolute path with fields stays in the folder written before the
 *   first field ("/srv/invoices/{{file}}" in /srv/invoices);
 * - an absolute path without fields is the one file its author named. */
static void
attach_header_set_root (SinglyMessageBuilder *self,
                        Header               *header)
{
  g_autofree char *prefix = singly_template_text_dup_prefix (header->text);
  const char *base_dir = singly_template_get_base_dir (self->template);

  g_strchug (prefix);
  if (g_path_is_absolute (prefix))
    {
      if (singly_template_text_is_constant (header->text))
        return;
      *strrchr (prefix, '/') = '\0';
      header->root = g_canonicalize_filename (*prefix != '\0' ? prefix : "/", NULL);
    }
  else
    {
      header->root = g_canonicalize_filename (base_dir != NULL ? base_dir : ".", NULL);
      header->root_is_template_folder = TRUE;
    }
  header->real_root = realpath (header->root, NULL);
}

/* Whether @path names something inside @folder; both are canonical */
static gboolean
path_is_inside (const char *path,
                const char *folder)
{
  gsize n = strlen (folder);

  if (n == 1 && folder[0] == '/')
    return path[0] == '/' && path[1] != '\0';
  return strncmp (path, folder, n) == 0 && path[n] == '/' && path[n + 1] != '\0';
}

static void
set_outside_error (const Header  *header,
                   const char    *shown,
                   gboolean       through_link,
                   GError       **error)
{
  if (header->root_is_template_folder)
    g_set_error (error, SINGLY_MESSAGE_ERROR, SINGLY_MESSAGE_ERROR_ATTACHMENT_OUTSIDE,
                 through_link
                 ? _("The attachment “%s” is a link to a file outside the template’s folder")
                 : _("The attachment “%s” is outside the template’s folder"),
                 shown);
  else
    g_set_error (error, SINGLY_MESSAGE_ERROR, SINGLY_MESSAGE_ERROR_ATTACHMENT_OUTSIDE,
                 through_link
                 ? _("The attachment “%s” is a link to a file outside the folder %s named in the template")
                 : _("The attachment “%s” is outside the folder %s named in the template"),
                 shown, header->root);
}

/* The file a rendered Attach line names, in full, or NULL when the path
 * leaves the folder it must stay in. Only the name is looked at here;
 * attachment_open() looks at the file. */
static char *
attachment_resolve (const Header  *header,
                    const char    *value,
                    GError       **error)
{
  g_autofree char *path = NULL;

  if (header->root == NULL)
    return g_canonicalize_filename (value, NULL);

  path = g_canonicalize_filename (value, header->root);
  if (!path_is_inside (path, header->root))
    {
      set_outside_error (header, value, FALSE, error);
      return NULL;
    }
  return g_steal_pointer (&path);
}

/* Where the file open as @fd really is, links resolved. The kernel's
 * answer is about the file opened, so no link can be swapped in between
 * the check and the read; without /proc, the name is resolved again. */
static char *
opened_file_path (int         fd,
                  const char *path)
{
  g_autofree char *proc = g_strdup_printf ("/proc/self/fd/%d", fd);
  char *real = g_file_read_link (proc, NULL);

  return real != NULL ? real : realpath (path, NULL);
}

/* Opens the attachment at @path (from attachment_resolve()) for reading.
 * Errors: ATTACHMENT (missing, not a file, unreadable), ATTACHMENT_OUTSIDE
 *   (a link to a file outside the folder). */
static int
attachment_open (const Header  *header,
                 const char    *path,
                 const char    *shown,
                 GError       **error)
{
  struct stat st;
  int fd;

  /* O_NONBLOCK: a FIFO under the name must not stop the builder */
  fd = open (path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0)
    {
      int saved_errno = errno;

      if (saved_errno == ENOENT || saved_errno == ENOTDIR)
        g_set_error (error, SINGLY_MESSAGE_ERROR, SINGLY_MESSAGE_ERROR_ATTACHMENT,
                     _("The attachment “%s” does not exist"), shown);
      else
        g_set_error (error, SINGLY_MESSAGE_ERROR, SINGLY_MESSAGE_ERROR_ATTACHMENT,
                     _("The attachment “%s” cannot be read: %s"), shown, g_strerror (saved_errno));
      return -1;
    }

  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, SINGLY_MESSAGE_ERROR, SINGLY_MESSAGE_ERROR_ATTACHMENT,
                   _("The attachment “%s” is not a file"), shown);
      return -1;
    }

  if (header->root != NULL)
    {
      g_autofree char *real = opened_file_path (fd, path);
      g_autofree char *real_root = header->real_root != NULL
                                   ? g_strdup (header->real_root) : realpath (header->root, NULL);

      if (real == NULL || real_root == NULL || !path_is_inside (real, real_root))
        {
          close (fd);
          set_outside_error (header, shown, TRUE, error);
          return -1;
        }
    }

  return fd;
}

static Attachment *
attachment_load (const Header  *header,
                 const char    *value,
                 GError       **error)
{
  g_autoptr(GByteArray) contents = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *path = NULL;
  Attachment *attachment;
  struct stat st;
  int fd;

  path = attachment_resolve (header, value, error);
  if (path == NULL)
    return NULL;
  fd = attachment_open (header, path, path, error);
  if (fd < 0)
    return NULL;

  contents = g_byte_array_sized_new (fstat (fd, &st) == 0 ? (guint) MIN (st.st_size, G_MAXUINT32 / 2) : 4096);
  for (;;)
    {
      guint length = contents->len;
      gssize n;

      g_byte_array_set_size (contents, length + 65536);
      do
        n = read (fd, contents->data + length, 65536);
      while (n < 0 && errno == EINTR);
      g_byte_array_set_size (contents, length + MAX (n, 0));
      if (n < 0)
        {
          int saved_errno = errno;

          close (fd);
          g_set_error (error, SINGLY_MESSAGE_ERROR, SINGLY_MESSAGE_ERROR_ATTACHMENT,
                       _("The attachment “%s” cannot be read: %s"), path, g_strerror (saved_errno));
          return NULL;
        }
      if (n == 0)
        break;
    }
  close (fd);

  attachment = g_new0 (Attachment, 1);
  attachment->path = g_steal_pointer (&path);
  attachment->filename = g_path_get_basename (attachment->path);
  content_type = g_content_type_guess (attachment->filename, contents->data,
                                       MIN (contents->len, 4096), NULL);
  attachment->mime_type = g_content_type_get_mime_type (content_type);
  if (attachment->mime_type == NULL)
    attachment->mime_type = g_strdup ("application/octet-stream");
  attachment->data = g_byte_array_free_to_bytes (g_steal_pointer (&contents));
  return attachment;
}

/* Whether @address parses as a list of valid mailboxes, for Cc, Bcc and
 * Reply-To. The wire forms are appended to @wire when it is non-NULL. */
static gboolean
parse_address_list (const char *text,
                    GPtrArray  *wire,
                    GPtrArray  *names)
{
  g_autoptr(InternetAddressList) list = NULL;
  int n;

  list = internet_address_list_parse (NULL, text);
  if (list == NULL)
    return FALSE;

  n = internet_address_list_length (list);
  if (n == 0)
    return FALSE;

  for (int i = 0; i < n; i++)
    {
      InternetAddress *address = internet_address_list_get_address (list, i);
      const char *addr;
      char *wire_form = NULL;

      if (!INTERNET_ADDRESS_IS_MAILBOX (address))
        return FALSE;
      addr = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (address));
      if (singly_address_check (addr, &wire_form, NULL) != SINGLY_ADDRESS_OK)
        return FALSE;
      if (wire != NULL)
        g_ptr_array_add (wire, wire_form);
      else
        g_free (wire_form);
      if (names != NULL)
        g_ptr_array_add (names, g_strdup (internet_address_get_name (address)));
    }
  return TRUE;
}

/* The template's To: line, when there is one, only gives the display name:
 * the one address in To: is always the contact's own. */
static gboolean
parse_to_display (const char  *text,
                  const char  *address,
                  char       **display_name)
{
  g_autoptr(InternetAddressList) list = NULL;
  InternetAddress *first;
  const char *addr;

  *display_name = NULL;
  if (strchr (text, '@') == NULL)
    {
      *display_name = g_strdup (text);
      return TRUE;
    }

  list = internet_address_list_parse (NULL, text);
  if (list == NULL || internet_address_list_length (list) != 1)
    return FALSE;
  first = internet_address_list_get_address (list, 0);
  if (!INTERNET_ADDRESS_IS_MAILBOX (first))
    return FALSE;
  addr = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (first));
  if (!singly_address_equal (addr, address))
    return FALSE;
  *display_name = g_strdup (internet_address_get_name (first));
  return TRUE;
}

static void
add_problem (SinglyMessageBuilder *self,
             SinglyProblem        *problem)
{
  g_ptr_array_add (self->problems, problem);
  if (problem->row < self->n_rows_checked)
    self->row_flags[problem->row] |= ROW_HAS_PROBLEM;
}

static void
check_row (SinglyMessageBuilder *self,
           guint                 row,
           const guint8         *required,
           const guint8         *in_header)
{
  const char * const *values = singly_contact_list_get_row (self->contacts, row);
  guint line = singly_contact_list_get_row_line (self->contacts, row);
  guint n_columns = singly_contact_list_get_n_columns (self->contacts);
  const char *address = singly_contact_list_get_address (self->contacts, row);

  for (guint c = 0; c < n_columns; c++)
    {
      const char *value = values[c];

      if (in_header[c] && has_control_character (value))
        add_problem (self, singly_problem_new (SINGLY_PROBLEM_CONTROL_CHARACTER, row, line, c,
                                               _("The field “%s” holds a line break or control character and is used in a header"),
                                               singly_contact_list_get_column_name (self->contacts, c)));
      else if (required[c])
        {
          const char *p = value;

          while (g_ascii_isspace (*p))
            p++;
          if (*p == '\0')
            add_problem (self, singly_problem_new (SINGLY_PROBLEM_EMPTY_FIELD, row, line, c,
                                                   _("The field “%s” is empty, and the template uses it without a fallback"),
                                                   singly_contact_list_get_column_name (self->contacts, c)));
        }
    }

  for (guint i = 0; i < self->headers->len; i++)
    {
      const Header *header = &g_array_index (self->headers, Header, i);
      g_autofree char *value = NULL;

      if (header->role == HEADER_SUBJECT || header->role == HEADER_OTHER)
        continue;

      value = render_header (self->scratch, header, values);
      if (has_control_character (value))
        continue;  /* reported above, through the field */

      switch (header->role)
        {
        case HEADER_TO:
          {
            g_autofree char *display = NULL;

            if (!parse_to_display (value, address, &display))
              add_problem (self, singly_problem_new (SINGLY_PROBLEM_INVALID_HEADER, row, line,
                                                     SINGLY_PROBLEM_NO_COLUMN,
                                                     _("The To line “%s” must name the contact’s own address"),
                                                     value));
          }
          break;

        case HEADER_CC:
        case HEADER_BCC:
        case HEADER_REPLY_TO:
          if (*value != '\0' && !parse_address_list (value, NULL, NULL))
            add_problem (self, singly_problem_new (SINGLY_PROBLEM_INVALID_HEADER, row, line,
                                                   SINGLY_PROBLEM_NO_COLUMN,
                                                   _("%s: “%s” is not a valid address list"),
                                                   header->name, value));
          break;

        case HEADER_ATTACH:
          if (*value != '\0' && g_hash_table_lookup (self->fixed_attachments, header->text) == NULL)
            {
              g_autoptr(GError) error = NULL;
              g_autofree char *path = attachment_resolve (header, value, &error);
              int fd = path != NULL ? attachment_open (header, path, value, &error) : -1;

              if (fd >= 0)
                close (fd);
              else
                add_problem (self, singly_problem_new (g_error_matches (error, SINGLY_MESSAGE_ERROR,
                                                                        SINGLY_MESSAGE_ERROR_ATTACHMENT_OUTSIDE)
                                                       ? SINGLY_PROBLEM_ATTACHMENT_OUTSIDE
                                                       : SINGLY_PROBLEM_MISSING_ATTACHMENT,
                                                       row, line, SINGLY_PROBLEM_NO_COLUMN,
                                                       "%s", error->message));
            }
          break;

        case HEADER_SUBJECT:
        case HEADER_OTHER:
        default:
          break;
        }
    }
}

static void
collect_eml_texts (SinglyMessageBuilder *self,
                   GMimeObject          *object,
                   GPtrArray            *parts)
{
  if (GMIME_IS_MULTIPART (object))
    {
      GMimeMultipart *multipart = GMIME_MULTIPART (object);
      int n = g_mime_multipart_get_count (multipart);

      for (int i = 0; i < n; i++)
        collect_eml_texts (self, g_mime_multipart_get_part (multipart, i), parts);
    }
  else if (GMIME_IS_TEXT_PART (object) && !g_mime_part_is_attachment (GMIME_PART (object)))
    g_ptr_array_add (parts, object);
}

static gboolean
load_eml_parts (SinglyMessageBuilder  *self,
                GMimeMessage         **message_out,
                GPtrArray            **parts_out,
                GError               **error)
{
  GBytes *eml = singly_template_get_eml (self->template);
  g_autoptr(GMimeStream) stream = NULL;
  g_autoptr(GMimeParser) parser = NULL;
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();

  g_assert (eml != NULL);

  stream = g_mime_stream_mem_new_with_buffer (g_bytes_get_data (eml, NULL), g_bytes_get_size (eml));
  parser = g_mime_parser_new_with_stream (stream);
  message = g_mime_parser_construct_message (parser, NULL);
  if (message == NULL || g_mime_message_get_mime_part (message) == NULL)
    {
      g_set_error (error, SINGLY_MESSAGE_ERROR, SINGLY_MESSAGE_ERROR_TEMPLATE,
                   _("The message template cannot be read as an e-mail message"));
      return FALSE;
    }

  collect_eml_texts (self, g_mime_message_get_mime_part (message), parts);
  *message_out = g_steal_pointer (&message);
  *parts_out = g_steal_pointer (&parts);
  return TRUE;
}

static gboolean
compile_eml (SinglyMessageBuilder  *self,
             const char * const    *columns,
             guint                  n_columns,
             GError               **error)
{
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GPtrArray) parts = NULL;

  if (!load_eml_parts (self, &message, &parts, error))
    return FALSE;

  self->eml_texts = g_ptr_array_new_with_free_func ((GDestroyNotify) singly_template_text_unref);
  self->eml_is_html = g_ptr_array_new ();
  for (guint i = 0; i < parts->len; i++)
    {
      GMimeTextPart *part = parts->pdata[i];
      g_autofree char *text = g_mime_text_part_get_text (part);
      gboolean is_html = g_mime_content_type_is_type (g_mime_object_get_content_type (GMIME_OBJECT (part)),
                                                      "text", "html");
      SinglyTemplateText *compiled;

      compiled = singly_template_text_new (text ? text : "", -1,
                                           is_html ? SINGLY_ESCAPE_HTML : SINGLY_ESCAPE_NONE,
                                           1, 1, error);
      if (compiled == NULL)
        return FALSE;
      g_ptr_array_add (self->eml_texts, compiled);
      if (!singly_template_text_bind (compiled, columns, n_columns, error))
        return FALSE;
      g_ptr_array_add (self->eml_is_html, GINT_TO_POINTER (is_html));
    }
  return TRUE;
}

static void
singly_message_builder_finalize (GObject *object)
{
  SinglyMessageBuilder *self = (SinglyMessageBuilder *) object;

  g_clear_object (&self->contacts);
  g_clear_object (&self->template);
  g_clear_pointer (&self->sender_name, g_free);
  g_clear_pointer (&self->sender_address, g_free);
  g_clear_pointer (&self->sender_domain, g_free);
  g_clear_pointer (&self->date, g_date_time_unref);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  g_clear_pointer (&self->headers, g_array_unref);
  g_clear_pointer (&self->fixed_attachments, g_hash_table_unref);
  g_clear_pointer (&self->eml_texts, g_ptr_array_unref);
  g_clear_pointer (&self->eml_is_html, g_ptr_array_unref);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_clear_pointer (&self->row_flags, g_free);
  if (self->scratch != NULL)
    g_string_free (self->scratch, TRUE);

  G_OBJECT_CLASS (singly_message_builder_parent_class)->finalize (object);
}

static void
singly_message_builder_class_init (SinglyMessageBuilderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = singly_message_builder_finalize;

  g_mime_init ();
}

static void
singly_message_builder_init (SinglyMessageBuilder *self)
{
  self->headers = g_array_new (FALSE, TRUE, sizeof (Header));
  g_array_set_clear_func (self->headers, header_clear);
  self->fixed_attachments = g_hash_table_new_full (NULL, NULL, NULL, attachment_free);
  self->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) singly_problem_free);
  self->scratch = g_string_sized_new (256);
  self->time_zone = g_time_zone_new_local ();
}

/**
 * singly_message_builder_new:
 * @contacts: the contact list
 * @template: the template
 * @error: return location for a #GError
 *
 * Binds @template to the columns of @contacts and prepares what every
 * message shares (fixed attachments are read here, once).
 *
 * Returns: (transfer full) (nullable): a new builder, or %NULL when the
 *   template uses an unknown field, the list has no address column or a
 *   fixed attachment cannot be read
 */
SinglyMessageBuilder *
singly_message_builder_new (SinglyContactList  *contacts,
                            SinglyTemplate     *template,
                            GError            **error)
{
  g_autoptr(SinglyMessageBuilder) self = NULL;
  const char * const *columns;
  guint n_columns;
  guint n_headers;

  g_return_val_if_fail (SINGLY_IS_CONTACT_LIST (contacts), NULL);
  g_return_val_if_fail (SINGLY_IS_TEMPLATE (template), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (singly_contact_list_get_address_column (contacts) < 0)
    {
      g_set_error (error, SINGLY_MESSAGE_ERROR, SINGLY_MESSAGE_ERROR_NO_ADDRESS,
                   _("The contact list has no column of e-mail addresses"));
      return NULL;
    }

  columns = singly_contact_list_get_column_names (contacts);
  n_columns = singly_contact_list_get_n_columns (contacts);
  if (!singly_template_bind (template, columns, n_columns, error))
    return NULL;

  self = g_object_new (SINGLY_TYPE_MESSAGE_BUILDER, NULL);
  self->contacts = g_object_ref (contacts);
  self->template = g_object_ref (template);

  n_headers = singly_template_get_n_headers (template);
  for (guint i = 0; i < n_headers; i++)
    {
      Header header = { 0 };
      Header *added;

      header.name = singly_template_get_header_name (template, i);
      header.role = role_for_name (header.name);
      header.text = singly_template_get_header (template, i);

      /* the To: of a message used as a template names whoever it was
       * written to; only a To: with fields is meant for each contact */
      if (header.role == HEADER_TO && singly_template_get_format (template) == SINGLY_BODY_EML &&
          singly_template_text_is_constant (header.text))
        continue;

      g_array_append_val (self->headers, header);
      added = &g_array_index (self->headers, Header, self->headers->len - 1);
      if (added->role == HEADER_ATTACH)
        attach_header_set_root (self, added);

      if (added->role == HEADER_ATTACH && singly_template_text_is_constant (added->text))
        {
          g_autofree char *value = render_header (self->scratch, added, NULL);
          Attachment *attachment;

          if (*value == '\0')
            continue;
          attachment = attachment_load (added, value, error);
          if (attachment == NULL)
            return NULL;
          g_hash_table_insert (self->fixed_attachments, added->text, attachment);
        }
    }

  if (singly_template_get_format (template) == SINGLY_BODY_EML &&
      !compile_eml (self, columns, n_columns, error))
    return NULL;

  return g_steal_pointer (&self);
}

SinglyContactList *
singly_message_builder_get_contacts (SinglyMessageBuilder *self)
{
  g_return_val_if_fail (SINGLY_IS_MESSAGE_BUILDER (self), NULL);
  return self->contacts;
}

SinglyTemplate *
singly_message_builder_get_template (SinglyMessageBuilder *self)
{
  g_return_val_if_fail (SINGLY_IS_MESSAGE_BUILDER (self), NULL);
  return self->template;
}

/**
 * singly_message_builder_set_sender:
 * @self: a builder
 * @name: (nullable): the sender's display name
 * @address: the sender's address, also the envelope sender
 *
 * The Message-ID of every message is made on the domain of @address.
 */
void
singly_message_builder_set_sender (SinglyMessageBuilder *self,
                                   const char           *name,
                                   const char           *address)
{
  g_autofree char *wire = NULL;

  g_return_if_fail (SINGLY_IS_MESSAGE_BUILDER (self));
  g_return_if_fail (address != NULL);

  if (singly_address_check (address, &wire, NULL) != SINGLY_ADDRESS_OK)
    wire = g_strdup (address);

  g_free (self->sender_name);
  self->sender_name = (name && *name) ? g_strdup (name) : NULL;
  g_free (self->sender_address);
  self->sender_address = g_steal_pointer (&wire);
  g_free (self->sender_domain);
  self->sender_domain = singly_address_domain (self->sender_address);
}

const char *
singly_message_builder_get_sender_address (SinglyMessageBuilder *self)
{
  g_return_val_if_fail (SINGLY_IS_MESSAGE_BUILDER (self), NULL);
  return self->sender_address;
}

/**
 * singly_message_builder_set_date:
 * @self: a builder
 * @date: (nullable): the Date of every message, or %NULL for the time of
 *   building
 */
void
singly_message_builder_set_date (SinglyMessageBuilder *self,
                                 GDateTime            *date)
{
  g_return_if_fail (SINGLY_IS_MESSAGE_BUILDER (self));

  g_clear_pointer (&self->date, g_date_time_unref);
  if (date != NULL)
    self->date = g_date_time_ref (date);
}

/**
 * singly_message_builder_set_request_read_receipt:
 *
 * Whether messages ask for a read receipt (Disposition-Notification-To,
 * RFC 8098) to the sender's address.
 */
void
singly_message_builder_set_request_read_receipt (SinglyMessageBuilder *self,
                                                 gboolean              request)
{
  g_return_if_fail (SINGLY_IS_MESSAGE_BUILDER (self));
  self->read_receipt = !!request;
}

/**
 * singly_message_builder_check:
 * @self: a builder
 *
 * Finds what keeps each row from becoming a message, beyond what the
 * contact list found itself: empty fields that the template needs, line
 * breaks in values that go into headers (the contact's name included,
 * when it becomes the To: display name), To/Cc/Bcc/Reply-To lines that are
 * not addresses, attachments that do not exist, and attachment paths that
 * leave the folder they must stay in (see attach_header_set_root()).
 * Replaces the result of any earlier check.
 *
 * Returns: the number of problems found
 */
guint
singly_message_builder_check (SinglyMessageBuilder *self)
{
  guint n_rows, n_columns;
  g_autofree guint8 *required = NULL;
  g_autofree guint8 *in_header = NULL;
  g_autofree guint8 *unused = NULL;
  SinglyTemplateText *body;
  gboolean has_to_header = FALSE;

  g_return_val_if_fail (SINGLY_IS_MESSAGE_BUILDER (self), 0);

  n_rows = singly_contact_list_get_n_rows (self->contacts);
  n_columns = singly_contact_list_get_n_columns (self->contacts);

  g_ptr_array_set_size (self->problems, 0);
  g_free (self->row_flags);
  self->row_flags = g_new0 (guint8, MAX (n_rows, 1));
  self->n_rows_checked = n_rows;

  required = g_new0 (guint8, MAX (n_columns, 1));
  in_header = g_new0 (guint8, MAX (n_columns, 1));
  unused = g_new0 (guint8, MAX (n_columns, 1));

  for (guint i = 0; i < self->headers->len; i++)
    {
      const Header *header = &g_array_index (self->headers, Header, i);

      switch (header->role)
        {
        case HEADER_ATTACH:
          /* an empty pattern is simply no attachment for this row */
          singly_template_text_mark_columns (header->text, unused, unused);
          break;

        case HEADER_CC:
        case HEADER_BCC:
        case HEADER_REPLY_TO:
          /* an empty address list is simply no such header */
          singly_template_text_mark_columns (header->text, in_header, unused);
          break;

        case HEADER_TO:
          has_to_header = TRUE;
          singly_template_text_mark_columns (header->text, in_header, required);
          break;

        case HEADER_SUBJECT:
        case HEADER_OTHER:
        default:
          singly_template_text_mark_columns (header->text, in_header, required);
          break;
        }
    }

  /* the contact's name goes into To: unless the template writes that line */
  if (!has_to_header)
    {
      int name_columns[] = {
        singly_contact_list_get_name_column (self->contacts),
        singly_contact_list_get_given_name_column (self->contacts),
        singly_contact_list_get_family_name_column (self->contacts),
      };

      for (guint i = 0; i < G_N_ELEMENTS (name_columns); i++)
        if (name_columns[i] >= 0 && (guint) name_columns[i] < n_columns)
          in_header[name_columns[i]] = 1;
    }

  body = singly_template_get_body (self->template);
  if (body != NULL)
    singly_template_text_mark_columns (body, unused, required);
  if (self->eml_texts != NULL)
    for (guint i = 0; i < self->eml_texts->len; i++)
      singly_template_text_mark_columns (self->eml_texts->pdata[i], unused, required);

  for (guint row = 0; row < n_rows; row++)
    check_row (self, row, required, in_header);

  return self->problems->len;
}

guint
singly_message_builder_get_n_problems (SinglyMessageBuilder *self)
{
  g_return_val_if_fail (SINGLY_IS_MESSAGE_BUILDER (self), 0);
  return self->problems->len;
}

/**
 * singly_message_builder_get_problem:
 *
 * Returns: (transfer none): the problem at @index, in row order
 */
const SinglyProblem *
singly_message_builder_get_problem (SinglyMessageBuilder *self,
                                    guint                 index)
{
  g_return_val_if_fail (SINGLY_IS_MESSAGE_BUILDER (self), NULL);
  g_return_val_if_fail (index < self->problems->len, NULL);
  return self->problems->pdata[index];
}

gboolean
singly_message_builder_row_has_problem (SinglyMessageBuilder *self,
                                        guint                 row)
{
  g_return_val_if_fail (SINGLY_IS_MESSAGE_BUILDER (self), FALSE);
  return row < self->n_rows_checked && (self->row_flags[row] & ROW_HAS_PROBLEM) != 0;
}

/**
 * singly_message_builder_row_is_sendable:
 *
 * Whether @row will be sent: the contact list includes it and the last
 * singly_message_builder_check() found nothing wrong with it.
 */
gboolean
singly_message_builder_row_is_sendable (SinglyMessageBuilder *self,
                                        guint                 row)
{
  g_return_val_if_fail (SINGLY_IS_MESSAGE_BUILDER (self), FALSE);
  return singly_contact_list_get_row_included (self->contacts, row) &&
         !singly_message_builder_row_has_problem (self, row);
}

guint
singly_message_builder_get_n_sendable (SinglyMessageBuilder *self)
{
  guint n_rows, n = 0;

  g_return_val_if_fail (SINGLY_IS_MESSAGE_BUILDER (self), 0);

  n_rows = singly_contact_list_get_n_rows (self->contacts);
  for (guint row = 0; row < n_rows; row++)
    n += singly_message_builder_row_is_sendable (self, row);
  return n;
}

/* Content-Transfer-Encoding for a text part: 7bit only for ASCII with
 * short lines, so nothing a relay might rewrap or reject; else
 * quoted-printable, which keeps every line under 77 octets. */
static GMimeContentEncoding
text_encoding_for (const char *text)
{
  gsize line_length = 0;

  for (const guchar *p = (const guchar *) text; *p; p++)
    {
      if (*p >= 0x80 || (*p < 0x20 && *p != '\n' && *p != '\t'))
        return GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE;
      if (*p == '\n')
        {
          if (p > (const guchar *) text && (p[-1] == ' ' || p[-1] == '\t'))
            return GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE;
          line_length = 0;
        }
      else if (++line_length > 78)
        return GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE;
    }
  if (g_str_has_prefix (text, "From ") || strstr (text, "\nFrom ") != NULL)
    return GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE;
  return GMIME_CONTENT_ENCODING_7BIT;
}

/* Values from a spreadsheet bring CRLF or a lone CR inside cells; the text
 * handed to GMime has LF line ends only, which it writes out as CRLF. */
static void
normalise_newlines (GString *text)
{
  gsize r = 0, w = 0;

  if (memchr (text->str, '\r', text->len) == NULL)
    return;

  while (r < text->len)
    {
      char ch = text->str[r++];

      if (ch == '\r')
        {
          if (r < text->len && text->str[r] == '\n')
            r++;
          ch = '\n';
        }
      text->str[w++] = ch;
    }
  g_string_truncate (text, w);
}

/* Always UTF-8: g_mime_text_part_set_text() would pick the smallest
 * charset that fits (Latin-1 for "Zoë"), and one charset for every part
 * and every recipient is simpler for everyone downstream. */
static void
set_utf8_text (GMimePart  *part,
               const char *text)
{
  g_autoptr(GMimeStream) stream = g_mime_stream_mem_new_with_buffer (text, strlen (text));
  g_autoptr(GMimeDataWrapper) content = g_mime_data_wrapper_new_with_stream (stream, GMIME_CONTENT_ENCODING_DEFAULT);

  g_mime_part_set_content (part, content);
  g_mime_object_set_content_type_parameter (GMIME_OBJECT (part), "charset", "utf-8");
  g_mime_part_set_content_encoding (part, text_encoding_for (text));
}

static GMimeObject *
text_part_new (const char *subtype,
               const char *text)
{
  GMimeTextPart *part = g_mime_text_part_new_with_subtype (subtype);

  set_utf8_text (GMIME_PART (part), text);
  return GMIME_OBJECT (part);
}

static gboolean
html_has_document (const char *html)
{
  const char *p = html;

  while (g_ascii_isspace (*p))
    p++;
  return g_ascii_strncasecmp (p, "<!doctype", 9) == 0 || g_ascii_strncasecmp (p, "<html", 5) == 0;
}

static GMimeObject *
alternative_new (const char *html)
{
  GMimeMultipart *alternative = g_mime_multipart_new_with_subtype ("alternative");
  g_autofree char *plain = singly_html_to_text (html, -1);
  g_autoptr(GMimeObject) text_object = text_part_new ("plain", plain);
  g_autoptr(GMimeObject) html_object = text_part_new ("html", html);

  g_mime_multipart_add (alternative, text_object);
  g_mime_multipart_add (alternative, html_object);
  return GMIME_OBJECT (alternative);
}

/* GMime writes a leaf of a parsed .eml back byte for byte as it read it
 * while its encoding stays the same: an 8bit or binary attachment, a
 * "7bit" one with lines over 998 octets, a base64 one with garbage in it
 * all went out as they were, which not every server takes (found by
 * tests/fuzz/fuzz-eml). So every leaf is decoded and encoded again,
 * base64 and quoted-printable as they were, the rest as the content
 * needs. */
static void
eml_make_wire_safe (GMimeObject *object)
{
  if (GMIME_IS_MESSAGE_PART (object))
    {
      GMimeMessage *message = g_mime_message_part_get_message (GMIME_MESSAGE_PART (object));

      if (message != NULL && g_mime_message_get_mime_part (message) != NULL)
        eml_make_wire_safe (g_mime_message_get_mime_part (message));
    }
  else if (GMIME_IS_MULTIPART (object))
    {
      GMimeMultipart *multipart = GMIME_MULTIPART (object);
      int n = g_mime_multipart_get_count (multipart);

      for (int i = 0; i < n; i++)
        eml_make_wire_safe (g_mime_multipart_get_part (multipart, i));
    }
  else if (GMIME_IS_PART (object) && g_mime_part_get_content (GMIME_PART (object)) != NULL)
    {
      GMimePart *part = GMIME_PART (object);
      GMimeContentEncoding encoding = g_mime_part_get_content_encoding (part);
      g_autoptr(GMimeStream) decoded = g_mime_stream_mem_new ();
      g_autoptr(GMimeDataWrapper) content = NULL;

      g_mime_data_wrapper_write_to_stream (g_mime_part_get_content (part), decoded);
      g_mime_stream_reset (decoded);
      content = g_mime_data_wrapper_new_with_stream (decoded, GMIME_CONTENT_ENCODING_DEFAULT);
      g_mime_part_set_content (part, content);

      if (encoding != GMIME_CONTENT_ENCODING_BASE64 && encoding != GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE)
        {
          /* DEFAULT: the content is fine as 7bit */
          GMimeContentEncoding best = g_mime_part_get_best_content_encoding (part, GMIME_ENCODING_CONSTRAINT_7BIT);

          g_mime_part_set_content_encoding (part, best != GMIME_CONTENT_ENCODING_DEFAULT
                                                  ? best : GMIME_CONTENT_ENCODING_7BIT);
        }
    }
}

static GMimeObject *
build_body (SinglyMessageBuilder  *self,
            const char * const    *values,
            GString               *text,
            GError               **error)
{
  SinglyTemplateText *body = singly_template_get_body (self->template);

  g_string_truncate (text, 0);

  switch (singly_template_get_format (self->template))
    {
    case SINGLY_BODY_PLAIN:
      singly_template_text_render (body, values, text);
      normalise_newlines (text);
      return text_part_new ("plain", text->str);

    case SINGLY_BODY_MARKDOWN:
      /* cmark gives a fragment; mail clients render a whole document more
       * predictably, and the charset is stated twice on purpose */
      g_string_append (text, "<!DOCTYPE html>\n<html>\n<head>\n"
                             "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\n"
                             "</head>\n<body>\n");
      singly_template_text_render (body, values, text);
      g_string_append (text, "</body>\n</html>\n");
      normalise_newlines (text);
      return alternative_new (text->str);

    case SINGLY_BODY_HTML:
      singly_template_text_render (body, values, text);
      normalise_newlines (text);
      if (!html_has_document (text->str))
        {
          g_string_prepend (text, "<!DOCTYPE html>\n<html>\n<body>\n");
          g_string_append (text, "</body>\n</html>\n");
        }
      return alternative_new (text->str);

    case SINGLY_BODY_EML:
      {
        g_autoptr(GMimeMessage) parsed = NULL;
        g_autoptr(GPtrArray) parts = NULL;
        GMimeObject *root;

        if (!load_eml_parts (self, &parsed, &parts, error))
          return NULL;
        g_assert (parts->len == self->eml_texts->len);
        root = g_mime_message_get_mime_part (parsed);
        eml_make_wire_safe (root);

        for (guint i = 0; i < parts->len; i++)
          {
            GMimePart *part = parts->pdata[i];

            g_string_truncate (text, 0);
            singly_template_text_render (self->eml_texts->pdata[i], values, text);
            normalise_newlines (text);
            set_utf8_text (part, text->str);
          }

        return g_object_ref (root);
      }

    default:
      g_assert_not_reached ();
    }
}

static GMimeObject *
attachment_part_new (const Attachment *attachment)
{
  g_auto(GStrv) type = g_strsplit (attachment->mime_type, "/", 2);
  GMimePart *part = g_mime_part_new_with_type (type[0], type[1] ? type[1] : "octet-stream");
  g_autoptr(GMimeStream) stream = NULL;
  g_autoptr(GMimeDataWrapper) content = NULL;

  stream = g_mime_stream_mem_new_with_buffer (g_bytes_get_data (attachment->data, NULL),
                                              g_bytes_get_size (attachment->data));
  content = g_mime_data_wrapper_new_with_stream (stream, GMIME_CONTENT_ENCODING_DEFAULT);
  g_mime_part_set_content (part, content);
  g_mime_part_set_filename (part, attachment->filename);
  g_mime_part_set_content_encoding (part, GMIME_CONTENT_ENCODING_BASE64);
  return GMIME_OBJECT (part);
}

static char *
make_message_id (SinglyMessageBuilder *self)
{
  const char *domain = self->sender_domain ? self->sender_domain : "singly.invalid";
  guint32 a = g_random_int (), b = g_random_int (), c = g_random_int ();

  return g_strdup_printf ("%" G_GINT64_MODIFIER "x.%08x%08x%08x@%s",
                          g_get_real_time (), a, b, c, domain);
}

static gboolean
add_address_header (GMimeMessage     *message,
                    GMimeAddressType  type,
                    const char       *value,
                    GPtrArray        *envelope)
{
  g_autoptr(GPtrArray) wire = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  InternetAddressList *list;

  if (!parse_address_list (value, wire, names))
    return FALSE;

  list = g_mime_message_get_addresses (message, type);
  for (guint i = 0; i < wire->len; i++)
    {
      g_autoptr(InternetAddress) mailbox = NULL;

      if (type != GMIME_ADDRESS_TYPE_BCC)
        {
          mailbox = internet_address_mailbox_new (names->pdata[i], wire->pdata[i]);
          internet_address_list_add (list, mailbox);
        }
      if (envelope != NULL)
        g_ptr_array_add (envelope, g_strdup (wire->pdata[i]));
    }
  return TRUE;
}

/**
 * singly_message_builder_build:
 * @self: a builder
 * @row: the contact row
 * @error: return location for a #GError
 *
 * Makes the message for @row: From the sender, To exactly the contact's
 * address, Cc/Reply-To as the template says, Bcc in the envelope only.
 * Every header value is checked for line breaks here again, so no value
 * can ever add a header, whatever checks ran before.
 *
 * Returns: (transfer full) (nullable): the message, or %NULL with @error set
 */
SinglyMessage *
singly_message_builder_build (SinglyMessageBuilder  *self,
                              guint                  row,
                              GError               **error)
{
  g_autoptr(SinglyMessage) message = NULL;
  g_autoptr(GMimeObject) body = NULL;
  g_autoptr(GPtrArray) attachments = g_ptr_array_new ();
  g_autoptr(GPtrArray) loaded = g_ptr_array_new_with_free_func (attachment_free);
  g_autoptr(GPtrArray) extra_envelope = g_ptr_array_new_with_free_func (g_free);
  /* a buffer of this call's own: the window builds previews on the main
   * thread while the send job builds messages in its worker */
  g_autoptr(GString) buffer = g_string_sized_new (4096);
  g_autofree char *display_name = NULL;
  g_autofree char *wire_to = NULL;
  const char * const *values;
  const char *address;
  SinglyAddressFlags flags = 0;
  GMimeMessage *mime;
  guint line;

  g_return_val_if_fail (SINGLY_IS_MESSAGE_BUILDER (self), NULL);
  g_return_val_if_fail (row < singly_contact_list_get_n_rows (self->contacts), NULL);
  g_return_val_if_fail (self->sender_address != NULL, NULL);

  values = singly_contact_list_get_row (self->contacts, row);
  address = singly_contact_list_get_address (self->contacts, row);
  line = singly_contact_list_get_row_line (self->contacts, row);

  if (singly_address_check (address, &wire_to, &flags) != SINGLY_ADDRESS_OK)
    {
      g_set_error (error, SINGLY_MESSAGE_ERROR, SINGLY_MESSAGE_ERROR_ROW,
                   _("Line %u: “%s” is not a valid address"), line, address);
      return NULL;
    }

  message = g_new0 (SinglyMessage, 1);
  message->row = row;
  message->recipients = g_ptr_array_new_with_free_func (g_free);
  message->attachment_paths = g_ptr_array_new_with_free_func (g_free);
  message->to_address = g_strdup (address);
  message->envelope_from = g_strdup (self->sender_address);
  message->smtputf8 = (flags & SINGLY_ADDRESS_FLAG_UTF8_LOCAL) != 0;
  g_ptr_array_add (message->recipients, g_strdup (wire_to));

  mime = message->mime = g_mime_message_new (TRUE);
  g_mime_message_add_mailbox (mime, GMIME_ADDRESS_TYPE_FROM, self->sender_name, self->sender_address);

  display_name = singly_contact_list_dup_display_name (self->contacts, row);

  for (guint i = 0; i < self->headers->len; i++)
    {
      const Header *header = &g_array_index (self->headers, Header, i);
      g_autofree char *value = render_header (buffer, header, values);
      gboolean ok = TRUE;

      if (has_control_character (value))
        {
          g_set_error (error, SINGLY_MESSAGE_ERROR, SINGLY_MESSAGE_ERROR_ROW,
                       _("Line %u: the %s header would hold a line break"), line, header->name);
          return NULL;
        }

      switch (header->role)
        {
        case HEADER_SUBJECT:
          g_mime_message_set_subject (mime, value, "utf-8");
          break;

        case HEADER_TO:
          g_clear_pointer (&display_name, g_free);
          ok = parse_to_display (value, address, &display_name);
          break;

        case HEADER_CC:
          ok = *value == '\0' || add_address_header (mime, GMIME_ADDRESS_TYPE_CC, value, extra_envelope);
          break;

        case HEADER_BCC:
          ok = *value == '\0' || add_address_header (mime, GMIME_ADDRESS_TYPE_BCC, value, extra_envelope);
          break;

        case HEADER_REPLY_TO:
          ok = *value == '\0' || add_address_header (mime, GMIME_ADDRESS_TYPE_REPLY_TO, value, NULL);
          break;

        case HEADER_ATTACH:
          if (*value != '\0')
            {
              Attachment *attachment = g_hash_table_lookup (self->fixed_attachments, header->text);

              if (attachment == NULL)
                {
                  attachment = attachment_load (header, value, error);
                  if (attachment == NULL)
                    return NULL;
                  g_ptr_array_add (loaded, attachment);
                }
              g_ptr_array_add (attachments, attachment);
              g_ptr_array_add (message->attachment_paths, g_strdup (attachment->path));
            }
          break;

        case HEADER_OTHER:
        default:
          if (*value != '\0')
            g_mime_object_append_header (GMIME_OBJECT (mime), header->name, value, "utf-8");
          break;
        }

      if (!ok)
        {
          g_set_error (error, SINGLY_MESSAGE_ERROR, SINGLY_MESSAGE_ERROR_ROW,
                       _("Line %u: the %s line “%s” is not valid"), line, header->name, value);
          return NULL;
        }
    }

  /* the contact's own name, when the template has no To: line of its own */
  if (display_name != NULL && has_control_character (display_name))
    {
      g_set_error (error, SINGLY_MESSAGE_ERROR, SINGLY_MESSAGE_ERROR_ROW,
                   _("Line %u: the To header would hold a line break"), line);
      return NULL;
    }

  /* The one To: address, and nobody else's, whatever the template said */
  {
    g_autoptr(InternetAddress) to = internet_address_mailbox_new (display_name ? display_name : "", wire_to);
    InternetAddressList *list = g_mime_message_get_addresses (mime, GMIME_ADDRESS_TYPE_TO);

    internet_address_list_clear (list);
    internet_address_list_add (list, to);
  }

  for (guint i = 0; i < extra_envelope->len; i++)
    if (!singly_address_equal (extra_envelope->pdata[i], wire_to))
      g_ptr_array_add (message->recipients, g_strdup (extra_envelope->pdata[i]));

  {
    g_autoptr(GDateTime) now = self->date ? g_date_time_ref (self->date) : g_date_time_new_now (self->time_zone);

    g_mime_message_set_date (mime, now);
  }

  message->message_id = make_message_id (self);
  g_mime_message_set_message_id (mime, message->message_id);

  if (self->read_receipt)
    g_mime_object_set_header (GMIME_OBJECT (mime), "Disposition-Notification-To", self->sender_address, NULL);

  body = build_body (self, values, buffer, error);
  if (body == NULL)
    return NULL;

  if (attachments->len > 0)
    {
      g_autoptr(GMimeMultipart) mixed = g_mime_multipart_new_with_subtype ("mixed");

      g_mime_multipart_add (mixed, body);
      for (guint i = 0; i < attachments->len; i++)
        {
          g_autoptr(GMimeObject) part = attachment_part_new (attachments->pdata[i]);

          g_mime_multipart_add (mixed, part);
        }
      g_mime_message_set_mime_part (mime, GMIME_OBJECT (mixed));
    }
  else
    g_mime_message_set_mime_part (mime, body);

  return g_steal_pointer (&message);
}

/**
 * singly_message_free:
 * @message: (nullable): a message
 */
void
singly_message_free (SinglyMessage *message)
{
  if (message == NULL)
    return;
  g_clear_object (&message->mime);
  g_clear_pointer (&message->recipients, g_ptr_array_unref);
  g_clear_pointer (&message->attachment_paths, g_ptr_array_unref);
  g_free (message->envelope_from);
  g_free (message->to_address);
  g_free (message->message_id);
  g_free (message);
}

/* GMime writes some texts of a parsed .eml as it read them, line ends
 * included: a multipart's epilogue, all of a multipart whose boundary is
 * broken, a sub-part's folded header. From a file saved with LF line ends
 * (or a stray CR) those broke the CRLF-only rule (found by
 * tests/fuzz/fuzz-eml), so the bytes written are checked, which costs two
 * memchr() passes, and mended only when needed. */
static void
crlf_line_ends (GByteArray *out,
                gsize       start)
{
  const guint8 *begin = out->data + start;
  const guint8 *end = out->data + out->len;
  gsize n_cr = 0, n_lf = 0;
  gboolean bare = FALSE;
  g_autoptr(GByteArray) fixed = NULL;

  for (const guint8 *p = begin; !bare && (p = memchr (p, '\n', end - p)) != NULL; p++, n_lf++)
    bare = p == begin || p[-1] != '\r';
  for (const guint8 *p = begin; !bare && (p = memchr (p, '\r', end - p)) != NULL; p++)
    n_cr++;
  if (!bare && n_cr == n_lf)
    return;

  fixed = g_byte_array_sized_new (out->len - start + 64);
  for (const guint8 *p = begin; p < end; p++)
    {
      if (*p == '\r' || *p == '\n')
        {
          if (*p == '\r' && p + 1 < end && p[1] == '\n')
            p++;
          g_byte_array_append (fixed, (const guint8 *) "\r\n", 2);
        }
      else
        g_byte_array_append (fixed, p, 1);
    }
  g_byte_array_set_size (out, start);
  g_byte_array_append (out, fixed->data, fixed->len);
}

/**
 * singly_message_write:
 * @message: a message
 * @out: where the message is appended
 *
 * Appends the message as it goes on the wire: RFC 5322, CRLF line ends,
 * no Bcc header, not dot-stuffed.
 */
void
singly_message_write (SinglyMessage *message,
                      GByteArray    *out)
{
  static GMimeFormatOptions *options;
  g_autoptr(GMimeStream) stream = NULL;
  gsize start;

  g_return_if_fail (message != NULL);
  g_return_if_fail (out != NULL);

  /* The wire format never changes: made once, kept for the process */
  if (g_once_init_enter (&options))
    {
      GMimeFormatOptions *wire = g_mime_format_options_new ();

      g_mime_format_options_set_newline_format (wire, GMIME_NEWLINE_FORMAT_DOS);
      g_mime_format_options_set_param_encoding_method (wire, GMIME_PARAM_ENCODING_METHOD_RFC2231);
      g_once_init_leave (&options, wire);
    }

  start = out->len;
  stream = g_mime_stream_mem_new_with_byte_array (out);
  g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (stream), FALSE);
  /* a memory stream starts at 0, over what @out holds: append instead */
  g_mime_stream_seek (stream, 0, GMIME_STREAM_SEEK_END);
  g_mime_object_write_to_stream (GMIME_OBJECT (message->mime), options, stream);
  crlf_line_ends (out, start);
}

/**
 * singly_message_to_bytes:
 *
 * Returns: (transfer full): the message as singly_message_write() writes it
 */
GBytes *
singly_message_to_bytes (SinglyMessage *message)
{
  GByteArray *out = g_byte_array_sized_new (4096);

  singly_message_write (message, out);
  return g_byte_array_free_to_bytes (out);
}

/**
 * singly_message_file_name:
 * @row: the contact row
 * @address: the recipient
 *
 * The name a message is saved under: "00012-bob@example.org.eml", sorted
 * like the list, with only characters every file system takes.
 *
 * Returns: (transfer full): the file name
 */
char *
singly_message_file_name (guint       row,
                          const char *address)
{
  g_autoptr(GString) name = g_string_new (NULL);

  g_return_val_if_fail (address != NULL, NULL);

  g_string_printf (name, "%05u-", row + 1);
  for (const char *p = address; *p && name->len < 200; p = g_utf8_next_char (p))
    {
      gunichar ch = g_utf8_get_char_validated (p, -1);

      if (ch == (gunichar) -1 || ch == (gunichar) -2)
        break;
      if (ch < 0x20 || ch == 0x7f || (ch < 0x80 && strchr ("/\\:*?\"<>|", (int) ch) != NULL))
        g_string_append_c (name, '_');
      else
        g_string_append_unichar (name, ch);
    }
  g_string_append (name, ".eml");
  return g_string_free (g_steal_pointer (&name), FALSE);
}
