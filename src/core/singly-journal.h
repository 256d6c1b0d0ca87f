/* singly-journal.h: what has been sent, kept so that nothing is sent twice
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "singly-recipient.h"

G_BEGIN_DECLS

#define SINGLY_JOURNAL_ERROR (singly_journal_error_quark ())

typedef enum
{
  SINGLY_JOURNAL_ERROR_IO,
  SINGLY_JOURNAL_ERROR_CORRUPT,    /* not a journal, or of a newer version */
  SINGLY_JOURNAL_ERROR_MISMATCH,   /* the journal belongs to other contacts, template or sender */
} SinglyJournalError;

/**
 * SinglyJournalIdentity:
 * @contacts_checksum: SHA-256 (hex) of the contact file's bytes
 * @template_checksum: SHA-256 (hex) of the template file's bytes
 * @sender: the envelope sender
 * @n_rows: the number of rows in the contact list
 *
 * What a journal belongs to. A journal is only resumed with the very same
 * campaign: any difference is an error that names it.
 */
typedef struct
{
  const char *contacts_checksum;
  const char *template_checksum;
  const char *sender;
  guint       n_rows;
} SinglyJournalIdentity;

/**
 * SinglyJournalRow:
 * @state: the state the journal gives the row (%SINGLY_RECIPIENT_QUEUED
 *   when nothing was recorded)
 * @code: the last SMTP reply code, or 0
 * @reply: (nullable): the last reply's text
 * @message_id: (nullable): the Message-ID of the last attempt
 * @time: the time of the last record, in seconds since 1970
 * @attempts: how many times the message was handed to the server
 */
typedef struct
{
  SinglyRecipientState  state;
  guint                 code;
  char                 *reply;
  char                 *message_id;
  gint64                time;
  guint                 attempts;
} SinglyJournalRow;

#define SINGLY_TYPE_JOURNAL (singly_journal_get_type ())
G_DECLARE_FINAL_TYPE (SinglyJournal, singly_journal, SINGLY, JOURNAL, GObject)

GQuark                  singly_journal_error_quark      (void);

char                   *singly_journal_default_path     (const char                   *contacts_path,
                                                         const char                   *template_path,
                                                         const char                   *sender);
SinglyJournal          *singly_journal_open             (const char                   *path,
                                                         const SinglyJournalIdentity  *identity,
                                                         GError                      **error);
const char             *singly_journal_get_path         (SinglyJournal                *self);
gboolean                singly_journal_get_resumed      (SinglyJournal                *self);
guint                   singly_journal_get_n_rows       (SinglyJournal                *self);
const SinglyJournalRow *singly_journal_get_row          (SinglyJournal                *self,
                                                         guint                         row);

gboolean                singly_journal_record_attempt   (SinglyJournal                *self,
                                                         guint                         row,
                                                         const char                   *address,
                                                         const char                   *message_id,
                                                         GError                      **error);
gboolean                singly_journal_record_outcome   (SinglyJournal                *self,
                                                         guint                         row,
                                                         SinglyRecipientState          state,
                                                         guint                         code,
                                                         const char                   *reply,
                                                         GError                      **error);
gboolean                singly_journal_record_resend    (SinglyJournal                *self,
                                                         guint                         row,
                                                         GError                      **error);
gboolean                singly_journal_sync             (SinglyJournal                *self,
                                                         GError                      **error);

char                   *singly_checksum_data            (const void                   *data,
                                                         gsize                         length);
char                   *singly_checksum_file            (const char                   *path,
                                                         GError                      **error);

G_END_DECLS
