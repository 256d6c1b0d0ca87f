/* singly-send-item.c: one recipient of a send, as the progress table shows it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "singly-send-item.h"

struct _SinglySendItem
{
  GObject               parent_instance;

  guint                 row;
  guint                 line;
  char                 *address;
  char                 *name;
  SinglyRecipientState  state;
  guint                 code;
  char                 *reply;
  gint64                time;
};

enum {
  PROP_0,
  PROP_ROW,
  PROP_ADDRESS,
  PROP_NAME,
  PROP_STATE,
  PROP_REPLY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SinglySendItem, singly_send_item, G_TYPE_OBJECT)

static void
singly_send_item_finalize (GObject *object)
{
  SinglySendItem *self = SINGLY_SEND_ITEM (object);

  g_free (self->address);
  g_free (self->name);
  g_free (self->reply);

  G_OBJECT_CLASS (singly_send_item_parent_class)->finalize (object);
}

static void
singly_send_item_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SinglySendItem *self = SINGLY_SEND_ITEM (object);

  switch (prop_id)
    {
    case PROP_ROW:
      g_value_set_uint (value, self->row);
      break;
    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_REPLY:
      g_value_set_string (value, self->reply);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
singly_send_item_class_init (SinglySendItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = singly_send_item_finalize;
  object_class->get_property = singly_send_item_get_property;

  properties[PROP_ROW] =
    g_param_spec_uint ("row", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ADDRESS] =
    g_param_spec_string ("address", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, 0, SINGLY_RECIPIENT_N_STATES - 1, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REPLY] =
    g_param_spec_string ("reply", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
singly_send_item_init (SinglySendItem *self)
{
}

/**
 * singly_send_item_new:
 * @row: the contact row
 * @line: its line in the file
 * @address: (nullable): the recipient's address
 * @name: (nullable): the recipient's name
 *
 * Returns: (transfer full): an item in state queued
 */
SinglySendItem *
singly_send_item_new (guint       row,
                      guint       line,
                      const char *address,
                      const char *name)
{
  SinglySendItem *self = g_object_new (SINGLY_TYPE_SEND_ITEM, NULL);

  self->row = row;
  self->line = line;
  self->address = g_strdup (address ? address : "");
  self->name = g_strdup (name ? name : "");
  return self;
}

guint
singly_send_item_get_row (SinglySendItem *self)
{
  g_return_val_if_fail (SINGLY_IS_SEND_ITEM (self), 0);
  return self->row;
}

guint
singly_send_item_get_line (SinglySendItem *self)
{
  g_return_val_if_fail (SINGLY_IS_SEND_ITEM (self), 0);
  return self->line;
}

const char *
singly_send_item_get_address (SinglySendItem *self)
{
  g_return_val_if_fail (SINGLY_IS_SEND_ITEM (self), NULL);
  return self->address;
}

const char *
singly_send_item_get_name (SinglySendItem *self)
{
  g_return_val_if_fail (SINGLY_IS_SEND_ITEM (self), NULL);
  return self->name;
}

SinglyRecipientState
singly_send_item_get_state (SinglySendItem *self)
{
  g_return_val_if_fail (SINGLY_IS_SEND_ITEM (self), SINGLY_RECIPIENT_QUEUED);
  return self->state;
}

guint
singly_send_item_get_code (SinglySendItem *self)
{
  g_return_val_if_fail (SINGLY_IS_SEND_ITEM (self), 0);
  return self->code;
}

/**
 * singly_send_item_get_reply:
 *
 * Returns: (nullable): the server's reply, or what happened
 */
const char *
singly_send_item_get_reply (SinglySendItem *self)
{
  g_return_val_if_fail (SINGLY_IS_SEND_ITEM (self), NULL);
  return self->reply;
}

/**
 * singly_send_item_get_time:
 *
 * Returns: when the state last changed, in microseconds since 1970, or 0
 */
gint64
singly_send_item_get_time (SinglySendItem *self)
{
  g_return_val_if_fail (SINGLY_IS_SEND_ITEM (self), 0);
  return self->time;
}

/**
 * singly_send_item_update:
 * @reply: (nullable): the server's reply
 *
 * Sets what the job last said of the recipient; notifies "state" and
 * "reply" when they change, which is what the table's cells follow.
 */
void
singly_send_item_update (SinglySendItem       *self,
                         SinglyRecipientState  state,
                         guint                 code,
                         const char           *reply,
                         gint64                time)
{
  gboolean state_changed, reply_changed;

  g_return_if_fail (SINGLY_IS_SEND_ITEM (self));

  state_changed = self->state != state;
  reply_changed = g_strcmp0 (self->reply, reply) != 0 || self->code != code || self->time != time;
  self->state = state;
  self->code = code;
  self->time = time;
  if (g_strcmp0 (self->reply, reply) != 0)
    {
      g_free (self->reply);
      self->reply = g_strdup (reply);
    }
  if (state_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  if (reply_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPLY]);
}

/**
 * singly_send_item_state_label:
 *
 * Returns: the state in words, for people
 */
const char *
singly_send_item_state_label (SinglyRecipientState state)
{
  switch (state)
    {
    case SINGLY_RECIPIENT_QUEUED:   return _("Queued");
    case SINGLY_RECIPIENT_SENDING:  return _("Sending");
    case SINGLY_RECIPIENT_SENT:     return _("Sent");
    case SINGLY_RECIPIENT_DEFERRED: return _("Deferred");
    case SINGLY_RECIPIENT_FAILED:   return _("Failed");
    case SINGLY_RECIPIENT_SKIPPED:  return _("Skipped");
    case SINGLY_RECIPIENT_UNKNOWN:  return _("Unknown");
    default:                        return "";
    }
}

/**
 * singly_send_item_state_icon:
 *
 * Returns: the icon of a state, so that it is not told by colour alone
 */
const char *
singly_send_item_state_icon (SinglyRecipientState state)
{
  switch (state)
    {
    case SINGLY_RECIPIENT_QUEUED:   return "content-loading-symbolic";
    case SINGLY_RECIPIENT_SENDING:  return "mail-send-symbolic";
    case SINGLY_RECIPIENT_SENT:     return "emblem-ok-symbolic";
    case SINGLY_RECIPIENT_DEFERRED: return "document-open-recent-symbolic";
    case SINGLY_RECIPIENT_FAILED:   return "dialog-error-symbolic";
    case SINGLY_RECIPIENT_SKIPPED:  return "action-unavailable-symbolic";
    case SINGLY_RECIPIENT_UNKNOWN:  return "dialog-question-symbolic";
    default:                        return NULL;
    }
}

/**
 * singly_send_item_state_style:
 *
 * Returns: (nullable): the style class of a state: success, error,
 *   warning, accent or dim-label
 */
const char *
singly_send_item_state_style (SinglyRecipientState state)
{
  switch (state)
    {
    case SINGLY_RECIPIENT_SENT:     return "success";
    case SINGLY_RECIPIENT_FAILED:   return "error";
    case SINGLY_RECIPIENT_DEFERRED:
    case SINGLY_RECIPIENT_UNKNOWN:  return "warning";
    case SINGLY_RECIPIENT_SENDING:  return "accent";
    case SINGLY_RECIPIENT_QUEUED:
    case SINGLY_RECIPIENT_SKIPPED:
    default:                        return "dim-label";
    }
}
