/* singly-journal.c: what has been sent, kept so that nothing is sent twice
 *
 * The journal is a text file, one record a line, only ever appended to:
 *
 *   # singly journal 1
 *   I <tab> contacts=SHA256 <tab> template=SHA256 <tab> sender=ADDR <tab> rows=N
 *   A <tab> ROW <tab> ADDRESS <tab> MESSAGE-ID <tab> TIME      an attempt
 *   O <tab> ROW <tab> STATE <tab> CODE <tab> REPLY <tab> TIME  its outcome
 *   R <tab> ROW <tab> TIME                                     resend an unknown
 *
 * An attempt is on disk (fdatasync) before the message's final dot is
 * written, so an attempt without an outcome is exactly a message that may
 * have arrived: after a crash it reads as "unknown", and is not sent again
 * unless the user says so. Outcomes need no sync of their own: the next
 * attempt's sync carries them, and if a crash loses one, its row reads as
 * unknown — never as not sent.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <openssl/evp.h>

#include "singly-i18n.h"
#include "singly-journal.h"

#define JOURNAL_MAGIC "# singly journal 1"
#define MAX_REPLY     1000

struct _SinglyJournal
{
  GObject           parent_instance;

  char             *path;
  int               fd;
  gboolean          resumed;
  guint             n_rows;
  SinglyJournalRow *rows;
  GString          *record;
};

G_DEFINE_FINAL_TYPE (SinglyJournal, singly_journal, G_TYPE_OBJECT)

G_DEFINE_QUARK (singly-journal-error-quark, singly_journal_error)

static void
set_io_error (GError     **error,
              const char  *path,
              const char  *what,
              int          saved_errno)
{
  g_set_error (error, SINGLY_JOURNAL_ERROR, SINGLY_JOURNAL_ERROR_IO,
               /* Translators: "cannot write the journal /path: No space left" */
               _("Cannot %s the journal %s: %s"), what, path, g_strerror (saved_errno));
}

static gboolean
write_all (SinglyJournal  *self,
           const char     *data,
           gsize           length,
           GError        **error)
{
  while (length > 0)
    {
      gssize n = write (self->fd, data, length);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          set_io_error (error, self->path, _("write"), errno);
          return FALSE;
        }
      data += n;
      length -= n;
    }
  return TRUE;
}

/* A reply goes into one field of one line: no tabs, no line breaks, no
 * controls, and not without end. */
static void
append_field (GString    *out,
              const char *value)
{
  gsize start = out->len;

  if (value == NULL)
    return;
  for (const guchar *p = (const guchar *) value; *p && out->len - start < MAX_REPLY; p++)
    g_string_append_c (out, (*p < 0x20 || *p == 0x7f) ? ' ' : *p);
}

static void
row_clear (SinglyJournalRow *row)
{
  g_clear_pointer (&row->reply, g_free);
  g_clear_pointer (&row->message_id, g_free);
}

static gboolean
parse_row (const char *text,
           guint       n_rows,
           guint      *row)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 0, n_rows > 0 ? n_rows - 1 : 0, &value, NULL))
    return FALSE;
  *row = value;
  return TRUE;
}

static gint64
parse_time (const char *text)
{
  gint64 value = 0;

  g_ascii_string_to_signed (text, 10, 0, G_MAXINT64, &value, NULL);
  return value;
}

/* Applies one record; an unreadable line is passed over (it can only be
 * the torn last line of a crash, which was never synced and so never
 * followed by a final dot). */
static void
replay_line (SinglyJournal *self,
             const char    *line)
{
  g_auto(GStrv) fields = g_strsplit (line, "\t", 0);
  guint n = g_strv_length (fields);
  SinglyJournalRow *entry;
  guint row;

  if (n < 3 || fields[0][1] != '\0' || !parse_row (fields[1], self->n_rows, &row))
    return;
  entry = &self->rows[row];

  switch (fields[0][0])
    {
    case 'A':
      if (n < 5)
        return;
      g_free (entry->message_id);
      entry->message_id = g_strdup (fields[3]);
      entry->state = SINGLY_RECIPIENT_UNKNOWN;
      entry->time = parse_time (fields[4]);
      entry->attempts++;
      break;

    case 'O':
      {
        SinglyRecipientState state;
        guint64 code = 0;

        if (n < 6 || !singly_recipient_state_parse (fields[2], &state))
          return;
        g_ascii_string_to_unsigned (fields[3], 10, 0, 999, &code, NULL);
        entry->state = state;
        entry->code = code;
        g_free (entry->reply);
        entry->reply = *fields[4] ? g_strdup (fields[4]) : NULL;
        entry->time = parse_time (fields[5]);
      }
      break;

    case 'R':
      if (entry->state == SINGLY_RECIPIENT_UNKNOWN)
        entry->state = SINGLY_RECIPIENT_QUEUED;
      entry->time = parse_time (fields[2]);
      break;

    default:
      break;
    }
}

static char *
identity_line (const SinglyJournalIdentity *identity)
{
  g_autoptr(GString) line = g_string_new ("I\tcontacts=");

  append_field (line, identity->contacts_checksum);
  g_string_append (line, "\ttemplate=");
  append_field (line, identity->template_checksum);
  g_string_append (line, "\tsender=");
  append_field (line, identity->sender);
  g_string_append_printf (line, "\trows=%u", identity->n_rows);
  return g_string_free (g_steal_pointer (&line), FALSE);
}

static const char *
identity_field (char       **fields,
                const char  *name)
{
  gsize length = strlen (name);

  for (guint i = 1; fields[i] != NULL; i++)
    if (strncmp (fields[i], name, length) == 0 && fields[i][length] == '=')
      return fields[i] + length + 1;
  return NULL;
}

static gboolean
check_identity (SinglyJournal                *self,
                const char                   *line,
                const SinglyJournalIdentity  *identity,
                GError                      **error)
{
  g_auto(GStrv) fields = g_strsplit (line, "\t", 0);
  g_autofree char *rows = g_strdup_printf ("%u", identity->n_rows);

  if (g_strcmp0 (fields[0], "I") != 0)
    {
      g_set_error (error, SINGLY_JOURNAL_ERROR, SINGLY_JOURNAL_ERROR_CORRUPT,
                   _("The journal %s is damaged: it does not say what it belongs to"), self->path);
      return FALSE;
    }

  if (g_strcmp0 (identity_field (fields, "contacts"), identity->contacts_checksum) != 0)
    g_set_error (error, SINGLY_JOURNAL_ERROR, SINGLY_JOURNAL_ERROR_MISMATCH,
                 _("The journal %s belongs to another contact list, or the list has changed since sending began"),
                 self->path);
  else if (g_strcmp0 (identity_field (fields, "template"), identity->template_checksum) != 0)
    g_set_error (error, SINGLY_JOURNAL_ERROR, SINGLY_JOURNAL_ERROR_MISMATCH,
                 _("The journal %s belongs to another template, or the template has changed since sending began"),
                 self->path);
  else if (g_strcmp0 (identity_field (fields, "sender"), identity->sender) != 0)
    g_set_error (error, SINGLY_JOURNAL_ERROR, SINGLY_JOURNAL_ERROR_MISMATCH,
                 _("The journal %s was started with another sender"), self->path);
  else if (g_strcmp0 (identity_field (fields, "rows"), rows) != 0)
    g_set_error (error, SINGLY_JOURNAL_ERROR, SINGLY_JOURNAL_ERROR_MISMATCH,
                 _("The journal %s belongs to a contact list with a different number of rows"), self->path);
  else
    return TRUE;
  return FALSE;
}

static gboolean
replay (SinglyJournal                *self,
        const SinglyJournalIdentity  *identity,
        GError                      **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) local_error = NULL;
  char *line, *next;
  guint number = 0;

  if (!g_file_get_contents (self->path, &contents, &length, &local_error))
    {
      g_set_error (error, SINGLY_JOURNAL_ERROR, SINGLY_JOURNAL_ERROR_IO,
                   _("Cannot read the journal %s: %s"), self->path, local_error->message);
      return FALSE;
    }

  if (!g_str_has_prefix (contents, JOURNAL_MAGIC "\n"))
    {
      g_set_error (error, SINGLY_JOURNAL_ERROR, SINGLY_JOURNAL_ERROR_CORRUPT,
                   _("%s is not a Singly journal, or one from a newer version"), self->path);
      return FALSE;
    }

  for (line = contents; line < contents + length; line = next)
    {
      char *end = memchr (line, '\n', contents + length - line);

      if (end == NULL)
        break;  /* a torn last line: see replay_line() */
      *end = '\0';
      next = end + 1;
      number++;

      if (number == 1)
        continue;
      if (number == 2)
        {
          if (!check_identity (self, line, identity, error))
            return FALSE;
          continue;
        }
      replay_line (self, line);
    }

  if (number < 2)
    {
      g_set_error (error, SINGLY_JOURNAL_ERROR, SINGLY_JOURNAL_ERROR_CORRUPT,
                   _("The journal %s is damaged: it does not say what it belongs to"), self->path);
      return FALSE;
    }

  /* Whatever comes next starts on a line of its own */
  if (length > 0 && contents[length - 1] != '\n')
    return write_all (self, "\n", 1, error);
  return TRUE;
}

static void
singly_journal_finalize (GObject *object)
{
  SinglyJournal *self = (SinglyJournal *) object;

  if (self->fd >= 0)
    {
      fdatasync (self->fd);
      close (self->fd);
    }
  for (guint i = 0; i < self->n_rows; i++)
    row_clear (&self->rows[i]);
  g_free (self->rows);
  g_free (self->path);
  g_string_free (self->record, TRUE);

  G_OBJECT_CLASS (singly_journal_parent_class)->finalize (object);
}

static void
singly_journal_class_init (SinglyJournalClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = singly_journal_finalize;
}

static void
singly_journal_init (SinglyJournal *self)
{
  self->fd = -1;
  self->record = g_string_sized_new (256);
}

/**
 * singly_journal_default_path:
 * @contacts_path: the contact list's file
 * @template_path: the template's file
 * @sender: the envelope sender
 *
 * The journal of a campaign lives under the user's state folder, named
 * after the contact list, so that sending the same files again finds it.
 *
 * Returns: (transfer full): the path
 */
char *
singly_journal_default_path (const char *contacts_path,
                             const char *template_path,
                             const char *sender)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *contacts = g_canonicalize_filename (contacts_path, NULL);
  g_autofree char *template = g_canonicalize_filename (template_path, NULL);
  g_autofree char *base = g_path_get_basename (contacts_path);
  g_autofree char *name = NULL;
  char *dot;

  g_checksum_update (checksum, (const guchar *) contacts, strlen (contacts) + 1);
  g_checksum_update (checksum, (const guchar *) template, strlen (template) + 1);
  g_checksum_update (checksum, (const guchar *) sender, strlen (sender) + 1);

  if ((dot = strrchr (base, '.')) != NULL && dot != base)
    *dot = '\0';
  name = g_strdup_printf ("%s-%.16s.journal", base, g_checksum_get_string (checksum));
  return g_build_filename (g_get_user_state_dir (), "singly", "journals", name, NULL);
}

/**
 * singly_journal_open:
 * @path: the journal's file
 * @identity: the campaign the journal is for
 * @error: return location for a #GError
 *
 * Opens the journal at @path, reading what it recorded, or creates it
 * (mode 0600, its folder 0700). A symbolic link at @path is refused rather
 * than followed. A journal of another campaign is refused with
 * %SINGLY_JOURNAL_ERROR_MISMATCH, naming what differs.
 *
 * Returns: (transfer full) (nullable): the journal
 */
SinglyJournal *
singly_journal_open (const char                   *path,
                     const SinglyJournalIdentity  *identity,
                     GError                      **error)
{
  g_autoptr(SinglyJournal) self = NULL;
  g_autofree char *folder = NULL;
  struct stat st;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (identity != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (SINGLY_TYPE_JOURNAL, NULL);
  self->path = g_strdup (path);
  self->n_rows = identity->n_rows;
  self->rows = g_new0 (SinglyJournalRow, MAX (identity->n_rows, 1));

  folder = g_path_get_dirname (path);
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      set_io_error (error, path, _("create the folder of"), errno);
      return NULL;
    }

  /* O_NOFOLLOW: a link planted at @path, even one to nothing yet, would
   * have the journal written wherever it points */
  self->fd = open (path, O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (self->fd < 0 && errno == ELOOP)
    {
      g_set_error (error, SINGLY_JOURNAL_ERROR, SINGLY_JOURNAL_ERROR_IO,
                   _("The journal %s is a symbolic link, which Singly does not follow"), path);
      return NULL;
    }
  if (self->fd < 0)
    {
      set_io_error (error, path, _("open"), errno);
      return NULL;
    }
  if (fstat (self->fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, SINGLY_JOURNAL_ERROR, SINGLY_JOURNAL_ERROR_IO,
                   _("The journal %s is not a regular file"), path);
      return NULL;
    }

  if (st.st_size > 0)
    {
      if (!replay (self, identity, error))
        return NULL;
      self->resumed = TRUE;
    }
  else
    {
      g_autofree char *id = identity_line (identity);
      g_autofree char *header = g_strdup_printf ("%s\n%s\n", JOURNAL_MAGIC, id);

      if (!write_all (self, header, strlen (header), error) ||
          !singly_journal_sync (self, error))
        return NULL;
    }

  return g_steal_pointer (&self);
}

const char *
singly_journal_get_path (SinglyJournal *self)
{
  g_return_val_if_fail (SINGLY_IS_JOURNAL (self), NULL);
  return self->path;
}

/**
 * singly_journal_get_resumed:
 *
 * Returns: whether the journal existed before it was opened
 */
gboolean
singly_journal_get_resumed (SinglyJournal *self)
{
  g_return_val_if_fail (SINGLY_IS_JOURNAL (self), FALSE);
  return self->resumed;
}

guint
singly_journal_get_n_rows (SinglyJournal *self)
{
  g_return_val_if_fail (SINGLY_IS_JOURNAL (self), 0);
  return self->n_rows;
}

/**
 * singly_journal_get_row:
 *
 * Returns: (transfer none): what the journal says of @row
 */
const SinglyJournalRow *
singly_journal_get_row (SinglyJournal *self,
                        guint          row)
{
  g_return_val_if_fail (SINGLY_IS_JOURNAL (self), NULL);
  g_return_val_if_fail (row < self->n_rows, NULL);
  return &self->rows[row];
}

/**
 * singly_journal_record_attempt:
 * @self: a journal
 * @row: the row whose message is about to be committed
 * @address: the recipient
 * @message_id: the message's Message-ID
 * @error: return location for a #GError
 *
 * Records, durably, that @row's message is about to get its final dot.
 * Call it right before the dot; if it fails, the dot must not be sent.
 *
 * Returns: %TRUE when the record is on disk
 */
gboolean
singly_journal_record_attempt (SinglyJournal  *self,
                               guint           row,
                               const char     *address,
                               const char     *message_id,
                               GError        **error)
{
  SinglyJournalRow *entry;

  g_return_val_if_fail (SINGLY_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (row < self->n_rows, FALSE);

  g_string_printf (self->record, "A\t%u\t", row);
  append_field (self->record, address);
  g_string_append_c (self->record, '\t');
  append_field (self->record, message_id);
  g_string_append_printf (self->record, "\t%" G_GINT64_FORMAT "\n", g_get_real_time () / G_USEC_PER_SEC);

  if (!write_all (self, self->record->str, self->record->len, error) ||
      !singly_journal_sync (self, error))
    return FALSE;

  entry = &self->rows[row];
  entry->state = SINGLY_RECIPIENT_UNKNOWN;
  entry->attempts++;
  g_free (entry->message_id);
  entry->message_id = g_strdup (message_id);
  entry->time = g_get_real_time () / G_USEC_PER_SEC;
  return TRUE;
}

/**
 * singly_journal_record_outcome:
 * @self: a journal
 * @row: the row
 * @state: what became of it
 * @code: the SMTP reply code, or 0
 * @reply: (nullable): the server's reply
 * @error: return location for a #GError
 *
 * Records what became of @row. Not synced on its own: see the top of this
 * file for why that is safe.
 */
gboolean
singly_journal_record_outcome (SinglyJournal         *self,
                               guint                  row,
                               SinglyRecipientState   state,
                               guint                  code,
                               const char            *reply,
                               GError               **error)
{
  SinglyJournalRow *entry;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_val_if_fail (SINGLY_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (row < self->n_rows, FALSE);

  g_string_printf (self->record, "O\t%u\t%s\t%u\t", row, singly_recipient_state_name (state), code);
  append_field (self->record, reply);
  g_string_append_printf (self->record, "\t%" G_GINT64_FORMAT "\n", now);

  if (!write_all (self, self->record->str, self->record->len, error))
    return FALSE;

  entry = &self->rows[row];
  entry->state = state;
  entry->code = code;
  g_free (entry->reply);
  entry->reply = g_strdup (reply);
  entry->time = now;
  return TRUE;
}

/**
 * singly_journal_record_resend:
 *
 * Records the user's decision to send an unknown row again.
 */
gboolean
singly_journal_record_resend (SinglyJournal  *self,
                              guint           row,
                              GError        **error)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_val_if_fail (SINGLY_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (row < self->n_rows, FALSE);

  g_string_printf (self->record, "R\t%u\t%" G_GINT64_FORMAT "\n", row, now);
  if (!write_all (self, self->record->str, self->record->len, error) ||
      !singly_journal_sync (self, error))
    return FALSE;

  if (self->rows[row].state == SINGLY_RECIPIENT_UNKNOWN)
    self->rows[row].state = SINGLY_RECIPIENT_QUEUED;
  self->rows[row].time = now;
  return TRUE;
}

/**
 * singly_journal_sync:
 *
 * Puts everything recorded so far on disk.
 */
gboolean
singly_journal_sync (SinglyJournal  *self,
                     GError        **error)
{
  g_return_val_if_fail (SINGLY_IS_JOURNAL (self), FALSE);

  if (fdatasync (self->fd) != 0)
    {
      set_io_error (error, self->path, _("save"), errno);
      return FALSE;
    }
  return TRUE;
}

/**
 * singly_checksum_file:
 *
 * Returns: (transfer full) (nullable): the SHA-256 of the file's bytes, in hex
 */
char *
singly_checksum_file (const char  *path,
                      GError     **error)
{
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (path, FALSE, error);

  if (mapped == NULL)
    return NULL;
  return singly_checksum_data (g_mapped_file_get_contents (mapped), g_mapped_file_get_length (mapped));
}

/**
 * singly_checksum_data:
 * @data: (array length=length): bytes
 * @length: how many
 *
 * The SHA-256 of @data in lower-case hex, as g_compute_checksum_for_data()
 * gives it, with OpenSSL's implementation (several times faster where the
 * processor has SHA or AVX2 instructions: 85 MB of contacts are hashed in
 * a small part of the time it takes to read them).
 *
 * Returns: (transfer full): the checksum
 */
char *
singly_checksum_data (const void *data,
                      gsize       length)
{
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;
  GString *hex;

  if (!EVP_Digest (data, length, digest, &digest_length, EVP_sha256 (), NULL))
    g_error ("OpenSSL cannot compute a SHA-256");
  hex = g_string_sized_new (2 * digest_length);
  for (unsigned int i = 0; i < digest_length; i++)
    g_string_append_printf (hex, "%02x", digest[i]);
  return g_string_free (hex, FALSE);
}
