/* singly-send-model.h: the recipients of a send job as a GListModel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "singly-send-item.h"
#include "singly-send-job.h"

G_BEGIN_DECLS

#define SINGLY_TYPE_SEND_MODEL (singly_send_model_get_type ())
G_DECLARE_FINAL_TYPE (SinglySendModel, singly_send_model, SINGLY, SEND_MODEL, GObject)

SinglySendModel *singly_send_model_new          (SinglySendJob         *job,
                                                 SinglyContactList     *contacts);
SinglyContactList *singly_send_model_get_contacts (SinglySendModel     *self);
SinglySendJob   *singly_send_model_get_job      (SinglySendModel       *self);
void             singly_send_model_set_job      (SinglySendModel       *self,
                                                 SinglySendJob         *job);
void             singly_send_model_apply        (SinglySendModel       *self,
                                                 const SinglySendEvent *events,
                                                 guint                  n_events);
guint            singly_send_model_get_n_alive  (SinglySendModel       *self);

G_END_DECLS
