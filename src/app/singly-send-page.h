/* singly-send-page.h: the Send page: where mail goes, and how it goes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "singly-account-store.h"
#include "singly-document.h"
#include "singly-send-job.h"

G_BEGIN_DECLS

/**
 * SinglySendPageState:
 * @SINGLY_SEND_PAGE_READY: nothing sent yet in this window
 * @SINGLY_SEND_PAGE_RUNNING: a job is sending
 * @SINGLY_SEND_PAGE_PAUSED: a job is paused
 * @SINGLY_SEND_PAGE_FINISHED: the last job ended (done, cancelled or failed)
 */
typedef enum
{
  SINGLY_SEND_PAGE_READY,
  SINGLY_SEND_PAGE_RUNNING,
  SINGLY_SEND_PAGE_PAUSED,
  SINGLY_SEND_PAGE_FINISHED,
} SinglySendPageState;

#define SINGLY_TYPE_SEND_PAGE (singly_send_page_get_type ())
G_DECLARE_FINAL_TYPE (SinglySendPage, singly_send_page, SINGLY, SEND_PAGE, AdwBin)

void                singly_send_page_set_document     (SinglySendPage       *self,
                                                       SinglyDocument       *document);
void                singly_send_page_set_account_store (SinglySendPage      *self,
                                                       SinglyAccountStore   *accounts);
gboolean            singly_send_page_select_account   (SinglySendPage       *self,
                                                       const char           *id);
AdwComboRow        *singly_send_page_get_account_row  (SinglySendPage       *self);
void                singly_send_page_set_notify_after (SinglySendPage       *self,
                                                       double                seconds);
gboolean            singly_send_page_has_journal      (SinglySendPage       *self);
char               *singly_send_page_dup_journal_path (SinglySendPage       *self);
SinglySendPageState singly_send_page_get_state        (SinglySendPage       *self);
gboolean            singly_send_page_can_send         (SinglySendPage       *self);
gboolean            singly_send_page_has_failed       (SinglySendPage       *self);

AdwMessageDialog   *singly_send_page_confirm          (SinglySendPage       *self);
gboolean            singly_send_page_start            (SinglySendPage       *self,
                                                       gboolean              resend_unknown,
                                                       GError              **error);
void                singly_send_page_pause            (SinglySendPage       *self);
void                singly_send_page_resume           (SinglySendPage       *self);
void                singly_send_page_cancel           (SinglySendPage       *self);
gboolean            singly_send_page_retry_failed     (SinglySendPage       *self,
                                                       GError              **error);
gboolean            singly_send_page_export_report    (SinglySendPage       *self,
                                                       GFile                *file,
                                                       GError              **error);
void                singly_send_page_choose_folder    (SinglySendPage       *self);

SinglySendJob      *singly_send_page_get_job          (SinglySendPage       *self);
GListModel         *singly_send_page_get_model        (SinglySendPage       *self);
GListModel         *singly_send_page_get_filtered     (SinglySendPage       *self);
void                singly_send_page_set_filter       (SinglySendPage       *self,
                                                       int                   state);
void                singly_send_page_set_search       (SinglySendPage       *self,
                                                       const char           *text);
char               *singly_send_page_dup_confirmation (SinglySendPage       *self);

G_END_DECLS
