/* singly-send-job.h: sending a whole campaign from a worker thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "singly-account.h"
#include "singly-journal.h"
#include "singly-message.h"
#include "singly-recipient.h"

G_BEGIN_DECLS

#define SINGLY_SEND_JOB_ERROR (singly_send_job_error_quark ())

/**
 * SinglySendJobError:
 * @SINGLY_SEND_JOB_ERROR_CONNECT: the server could not be reached, or
 *   kept refusing the connection
 * @SINGLY_SEND_JOB_ERROR_ACCOUNT: the server refused the account
 *   (authentication, TLS, STARTTLS, a daily limit): no point in going on
 * @SINGLY_SEND_JOB_ERROR_JOURNAL: the journal cannot be written, so nothing
 *   more may be sent
 * @SINGLY_SEND_JOB_ERROR_FOLDER: the folder cannot be written
 */
typedef enum
{
  SINGLY_SEND_JOB_ERROR_CONNECT,
  SINGLY_SEND_JOB_ERROR_ACCOUNT,
  SINGLY_SEND_JOB_ERROR_JOURNAL,
  SINGLY_SEND_JOB_ERROR_FOLDER,
} SinglySendJobError;

/**
 * SinglySendEvent:
 * @row: the contact row
 * @state: its new state
 * @code: the SMTP reply code, or 0
 * @reply: (nullable): the server's reply or a sentence saying what happened
 * @message_id: (nullable): the Message-ID of the message sent
 * @time: when, in microseconds since 1970
 */
typedef struct
{
  guint                 row;
  SinglyRecipientState  state;
  guint                 code;
  char                 *reply;
  char                 *message_id;
  gint64                time;
} SinglySendEvent;

/**
 * SinglySendRecipient:
 *
 * The job's view of one row, as the main thread sees it.
 */
typedef struct
{
  SinglyRecipientState  state;
  guint                 code;
  char                 *reply;
  char                 *message_id;
  gint64                time;
} SinglySendRecipient;

#define SINGLY_TYPE_SEND_JOB (singly_send_job_get_type ())
G_DECLARE_FINAL_TYPE (SinglySendJob, singly_send_job, SINGLY, SEND_JOB, GObject)

GQuark                      singly_send_job_error_quark     (void);

SinglySendJob              *singly_send_job_new             (SinglyMessageBuilder  *builder,
                                                             const SinglyAccount   *account,
                                                             SinglyJournal         *journal);
void                        singly_send_job_set_secret_func (SinglySendJob         *self,
                                                             SinglySmtpSecretFunc   func,
                                                             gpointer               data,
                                                             GDestroyNotify         destroy);
void                        singly_send_job_set_retry       (SinglySendJob         *self,
                                                             guint                  max_attempts,
                                                             double                 first_delay);
void                        singly_send_job_set_resend_unknown (SinglySendJob      *self,
                                                             gboolean               resend);
void                        singly_send_job_set_rows        (SinglySendJob         *self,
                                                             const guint           *rows,
                                                             guint                  n_rows);

void                        singly_send_job_start           (SinglySendJob         *self);
void                        singly_send_job_pause           (SinglySendJob         *self);
void                        singly_send_job_resume          (SinglySendJob         *self);
void                        singly_send_job_cancel          (SinglySendJob         *self);
gboolean                    singly_send_job_is_running      (SinglySendJob         *self);
gboolean                    singly_send_job_is_paused       (SinglySendJob         *self);
const GError               *singly_send_job_get_error       (SinglySendJob         *self);

guint                       singly_send_job_get_n_rows      (SinglySendJob         *self);
const SinglySendRecipient  *singly_send_job_get_recipient   (SinglySendJob         *self,
                                                             guint                  row);
guint                       singly_send_job_count           (SinglySendJob         *self,
                                                             SinglyRecipientState   state);

gboolean                    singly_send_job_write_report    (SinglySendJob         *self,
                                                             const char            *path,
                                                             GError               **error);

G_END_DECLS
