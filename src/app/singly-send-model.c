/* singly-send-model.c: the recipients of a send job as a GListModel
 *
 * One position per contact row. Items are made on demand and remembered
 * while they live (see SinglyContactModel), and read their state from the
 * job. A batch of progress events updates the living items in place and
 * says items-changed once per run of neighbouring rows, so that a filter
 * on the state looks again at those rows only.
 *
 * The model outlives the jobs: made for a contact list before anything is
 * sent, it is given each job in turn (singly_send_model_set_job()), so
 * that the table keeps its rows and their widgets rather than make them
 * all again when a send starts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "singly-send-model.h"

struct _SinglySendModel
{
  GObject             parent_instance;

  SinglySendJob      *job;
  SinglyContactList  *contacts;
  guint               n_rows;
  SinglySendItem    **alive;     /* weak: cleared when an item goes */
};

typedef struct
{
  SinglySendModel *model;
  guint            row;
} Slot;

static GQuark slot_quark;

static void singly_send_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SinglySendModel, singly_send_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, singly_send_model_list_model_init))

static void
slot_free (gpointer data)
{
  Slot *slot = data;

  slot->model->alive[slot->row] = NULL;
  g_free (slot);
}

static void
item_read_job (SinglySendModel *self,
               SinglySendItem  *item,
               guint            row)
{
  const SinglySendRecipient *recipient;

  if (self->job == NULL)
    {
      singly_send_item_update (item, SINGLY_RECIPIENT_QUEUED, 0, NULL, 0);
      return;
    }
  recipient = singly_send_job_get_recipient (self->job, row);
  singly_send_item_update (item, recipient->state, recipient->code, recipient->reply, recipient->time);
}

static GType
singly_send_model_get_item_type (GListModel *model)
{
  return SINGLY_TYPE_SEND_ITEM;
}

static guint
singly_send_model_get_n_items (GListModel *model)
{
  return SINGLY_SEND_MODEL (model)->n_rows;
}

static gpointer
singly_send_model_get_item (GListModel *model,
                            guint       position)
{
  SinglySendModel *self = SINGLY_SEND_MODEL (model);
  g_autofree char *name = NULL;
  SinglySendItem *item;
  Slot *slot;

  if (position >= self->n_rows)
    return NULL;
  if (self->alive[position] != NULL)
    return g_object_ref (self->alive[position]);

  name = singly_contact_list_dup_display_name (self->contacts, position);
  item = singly_send_item_new (position, singly_contact_list_get_row_line (self->contacts, position),
                               singly_contact_list_get_address (self->contacts, position), name);
  item_read_job (self, item, position);

  self->alive[position] = item;
  slot = g_new (Slot, 1);
  slot->model = self;
  slot->row = position;
  g_object_set_qdata_full (G_OBJECT (item), slot_quark, slot, slot_free);
  return item;
}

static void
singly_send_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = singly_send_model_get_item_type;
  iface->get_n_items = singly_send_model_get_n_items;
  iface->get_item = singly_send_model_get_item;
}

static void
singly_send_model_finalize (GObject *object)
{
  SinglySendModel *self = SINGLY_SEND_MODEL (object);

  for (guint i = 0; i < self->n_rows; i++)
    if (self->alive[i] != NULL)
      g_free (g_object_steal_qdata (G_OBJECT (self->alive[i]), slot_quark));
  g_free (self->alive);
  g_clear_object (&self->job);
  g_clear_object (&self->contacts);

  G_OBJECT_CLASS (singly_send_model_parent_class)->finalize (object);
}

static void
singly_send_model_class_init (SinglySendModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = singly_send_model_finalize;

  slot_quark = g_quark_from_static_string ("singly-send-model-slot");
}

static void
singly_send_model_init (SinglySendModel *self)
{
}

/**
 * singly_send_model_new:
 * @job: (nullable): a job, started (its initial states are what the model
 *   shows); %NULL for every row queued until a job comes
 * @contacts: the contact list the job sends to
 *
 * Returns: (transfer full): the model
 */
SinglySendModel *
singly_send_model_new (SinglySendJob     *job,
                       SinglyContactList *contacts)
{
  SinglySendModel *self;

  g_return_val_if_fail (job == NULL || SINGLY_IS_SEND_JOB (job), NULL);
  g_return_val_if_fail (SINGLY_IS_CONTACT_LIST (contacts), NULL);

  self = g_object_new (SINGLY_TYPE_SEND_MODEL, NULL);
  self->contacts = g_object_ref (contacts);
  self->n_rows = singly_contact_list_get_n_rows (contacts);
  self->alive = g_new0 (SinglySendItem *, MAX (self->n_rows, 1));
  if (job != NULL)
    singly_send_model_set_job (self, job);
  return self;
}

/**
 * singly_send_model_get_contacts:
 *
 * Returns: (transfer none): the contact list
 */
SinglyContactList *
singly_send_model_get_contacts (SinglySendModel *self)
{
  g_return_val_if_fail (SINGLY_IS_SEND_MODEL (self), NULL);
  return self->contacts;
}

/**
 * singly_send_model_set_job:
 * @job: a started job for the model's contact list
 *
 * Shows @job's states from now on. The items stay the same objects, so
 * the rows on screen keep their widgets; the model says nothing of its
 * own, so a filter on the items' state must be told.
 */
void
singly_send_model_set_job (SinglySendModel *self,
                           SinglySendJob   *job)
{
  g_return_if_fail (SINGLY_IS_SEND_MODEL (self));
  g_return_if_fail (SINGLY_IS_SEND_JOB (job));
  g_return_if_fail (singly_send_job_get_n_rows (job) == self->n_rows);

  if (!g_set_object (&self->job, job))
    return;
  /* The living items (those on screen) change in place and say so; the
   * others are made from the job when asked for. No items-changed: over
   * 100 000 rows GTK takes a tenth of a second over it. A filter on the
   * state must be told by whoever set it (gtk_filter_changed()). */
  for (guint row = 0; row < self->n_rows; row++)
    if (self->alive[row] != NULL)
      item_read_job (self, self->alive[row], row);
}

/**
 * singly_send_model_get_job:
 *
 * Returns: (transfer none) (nullable): the job, if one was given
 */
SinglySendJob *
singly_send_model_get_job (SinglySendModel *self)
{
  g_return_val_if_fail (SINGLY_IS_SEND_MODEL (self), NULL);
  return self->job;
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  guint ra = *(const guint *) a, rb = *(const guint *) b;

  return ra < rb ? -1 : ra > rb;
}

/**
 * singly_send_model_apply:
 * @events: (array length=n_events): a batch from SinglySendJob::progress
 *
 * Brings the items in line with the job (which has already applied the
 * batch) and tells the views which positions changed.
 */
void
singly_send_model_apply (SinglySendModel       *self,
                         const SinglySendEvent *events,
                         guint                  n_events)
{
  g_autoptr(GArray) rows = NULL;
  guint i = 0;

  g_return_if_fail (SINGLY_IS_SEND_MODEL (self));

  rows = g_array_sized_new (FALSE, FALSE, sizeof (guint), n_events);
  for (guint e = 0; e < n_events; e++)
    if (events[e].row < self->n_rows)
      g_array_append_val (rows, events[e].row);
  g_array_sort (rows, compare_rows);

  while (i < rows->len)
    {
      guint first = g_array_index (rows, guint, i);
      guint last = first;

      /* a run of neighbouring (or repeated) rows is one change */
      for (; i < rows->len && g_array_index (rows, guint, i) <= last + 1; i++)
        last = MAX (last, g_array_index (rows, guint, i));

      for (guint row = first; row <= last; row++)
        if (self->alive[row] != NULL)
          item_read_job (self, self->alive[row], row);
      g_list_model_items_changed (G_LIST_MODEL (self), first, last - first + 1, last - first + 1);
    }
}

/**
 * singly_send_model_get_n_alive:
 *
 * Returns: how many items exist now
 */
guint
singly_send_model_get_n_alive (SinglySendModel *self)
{
  guint n = 0;

  g_return_val_if_fail (SINGLY_IS_SEND_MODEL (self), 0);

  for (guint i = 0; i < self->n_rows; i++)
    n += self->alive[i] != NULL;
  return n;
}
