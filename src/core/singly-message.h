/* singly-message.h: one contact + the template = one message, single display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "singly-gmime.h"

#include "singly-contacts.h"
#include "singly-problem.h"
#include "singly-template.h"

G_BEGIN_DECLS

#define SINGLY_MESSAGE_ERROR (singly_message_error_quark ())

typedef enum
{
  SINGLY_MESSAGE_ERROR_NO_ADDRESS,     /* the contact list has no address column */
  SINGLY_MESSAGE_ERROR_ROW,            /* this row cannot be made into a message */
  SINGLY_MESSAGE_ERROR_ATTACHMENT,     /* an attachment cannot be read */
  SINGLY_MESSAGE_ERROR_TEMPLATE,       /* the .eml template cannot be parsed */
  SINGLY_MESSAGE_ERROR_ATTACHMENT_OUTSIDE, /* an attachment path leads out of its folder */
} SinglyMessageError;

/**
 * SinglyMessage:
 * @mime: the message as GMime builds it
 * @envelope_from: the SMTP envelope sender (wire form)
 * @recipients: the envelope recipients (wire form): the one To address
 *   first, then Cc and Bcc
 * @to_address: the one address in To:, as in the contact list
 * @message_id: the Message-ID without angle brackets
 * @row: the contact row this message was made from
 * @smtputf8: an address needs SMTPUTF8 to be sent
 * @attachment_paths: the full path of each attached file, in the order of
 *   the message's parts, for people to see where each comes from
 */
typedef struct
{
  GMimeMessage *mime;
  char         *envelope_from;
  GPtrArray    *recipients;
  char         *to_address;
  char         *message_id;
  guint         row;
  gboolean      smtputf8;
  GPtrArray    *attachment_paths;
} SinglyMessage;

void    singly_message_free         (SinglyMessage  *message);
GBytes *singly_message_to_bytes     (SinglyMessage  *message);
void    singly_message_write        (SinglyMessage  *message,
                                     GByteArray     *out);

char   *singly_message_file_name    (guint           row,
                                     const char     *address);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SinglyMessage, singly_message_free)

#define SINGLY_TYPE_MESSAGE_BUILDER (singly_message_builder_get_type ())
G_DECLARE_FINAL_TYPE (SinglyMessageBuilder, singly_message_builder, SINGLY, MESSAGE_BUILDER, GObject)

GQuark                singly_message_error_quark           (void);

SinglyMessageBuilder *singly_message_builder_new            (SinglyContactList     *contacts,
                                                             SinglyTemplate        *template,
                                                             GError               **error);
SinglyContactList    *singly_message_builder_get_contacts   (SinglyMessageBuilder  *self);
SinglyTemplate       *singly_message_builder_get_template   (SinglyMessageBuilder  *self);

void                  singly_message_builder_set_sender     (SinglyMessageBuilder  *self,
                                                             const char            *name,
                                                             const char            *address);
const char           *singly_message_builder_get_sender_address (SinglyMessageBuilder *self);
void                  singly_message_builder_set_date       (SinglyMessageBuilder  *self,
                                                             GDateTime             *date);
void                  singly_message_builder_set_request_read_receipt (SinglyMessageBuilder *self,
                                                             gboolean               request);

guint                 singly_message_builder_check          (SinglyMessageBuilder  *self);
guint                 singly_message_builder_get_n_problems (SinglyMessageBuilder  *self);
const SinglyProblem  *singly_message_builder_get_problem    (SinglyMessageBuilder  *self,
                                                             guint                  index);
gboolean              singly_message_builder_row_has_problem (SinglyMessageBuilder *self,
                                                             guint                  row);
gboolean              singly_message_builder_row_is_sendable (SinglyMessageBuilder *self,
                                                             guint                  row);
guint                 singly_message_builder_get_n_sendable (SinglyMessageBuilder  *self);

SinglyMessage        *singly_message_builder_build          (SinglyMessageBuilder  *self,
                                                             guint                  row,
                                                             GError               **error);

G_END_DECLS
