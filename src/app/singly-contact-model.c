/* singly-contact-model.c: the rows of a contact list as a GListModel
 *
 * A list of 100 000 contacts must not cost 100 000 objects: an item is
 * made when the table asks for its position and lives as long as someone
 * holds it. The model remembers the items that are alive (without holding
 * them) so that the same row is always the same object, and a change of
 * inclusion reaches the check button that shows it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "singly-contact-model.h"

struct _SinglyContactModel
{
  GObject             parent_instance;

  SinglyContactList  *contacts;
  guint               n_rows;
  SinglyContactItem **alive;     /* weak: cleared when an item goes */
  guint8             *problem;   /* per row */
};

static void singly_contact_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SinglyContactModel, singly_contact_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, singly_contact_model_list_model_init))

/* Attached to each item: where the model remembers it */
typedef struct
{
  SinglyContactModel *model;
  guint               row;
} Slot;

static GQuark slot_quark;

static void
slot_free (gpointer data)
{
  Slot *slot = data;

  /* the item is going: the model forgets it */
  slot->model->alive[slot->row] = NULL;
  g_free (slot);
}

static GType
singly_contact_model_get_item_type (GListModel *model)
{
  return SINGLY_TYPE_CONTACT_ITEM;
}

static guint
singly_contact_model_get_n_items (GListModel *model)
{
  return SINGLY_CONTACT_MODEL (model)->n_rows;
}

static gpointer
singly_contact_model_get_item (GListModel *model,
                               guint       position)
{
  SinglyContactModel *self = SINGLY_CONTACT_MODEL (model);
  SinglyContactItem *item;
  Slot *slot;

  if (position >= self->n_rows)
    return NULL;

  if (self->alive[position] != NULL)
    return g_object_ref (self->alive[position]);

  item = singly_contact_item_new (self->contacts, position, self->problem[position]);
  self->alive[position] = item;
  slot = g_new (Slot, 1);
  slot->model = self;
  slot->row = position;
  g_object_set_qdata_full (G_OBJECT (item), slot_quark, slot, slot_free);
  return item;
}

static void
singly_contact_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = singly_contact_model_get_item_type;
  iface->get_n_items = singly_contact_model_get_n_items;
  iface->get_item = singly_contact_model_get_item;
}

static void
singly_contact_model_finalize (GObject *object)
{
  SinglyContactModel *self = SINGLY_CONTACT_MODEL (object);

  /* items may outlive the model: they must not tell it they go */
  for (guint i = 0; i < self->n_rows; i++)
    if (self->alive[i] != NULL)
      g_free (g_object_steal_qdata (G_OBJECT (self->alive[i]), slot_quark));
  g_free (self->alive);
  g_free (self->problem);
  g_clear_object (&self->contacts);

  G_OBJECT_CLASS (singly_contact_model_parent_class)->finalize (object);
}

static void
singly_contact_model_class_init (SinglyContactModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = singly_contact_model_finalize;

  slot_quark = g_quark_from_static_string ("singly-contact-model-slot");
}

static void
singly_contact_model_init (SinglyContactModel *self)
{
}

/**
 * singly_contact_model_new:
 *
 * Returns: (transfer full): a model of the rows of @contacts
 */
SinglyContactModel *
singly_contact_model_new (SinglyContactList *contacts)
{
  SinglyContactModel *self;

  g_return_val_if_fail (SINGLY_IS_CONTACT_LIST (contacts), NULL);

  self = g_object_new (SINGLY_TYPE_CONTACT_MODEL, NULL);
  self->contacts = g_object_ref (contacts);
  self->n_rows = singly_contact_list_get_n_rows (contacts);
  self->alive = g_new0 (SinglyContactItem *, MAX (self->n_rows, 1));
  self->problem = g_new0 (guint8, MAX (self->n_rows, 1));
  return self;
}

/**
 * singly_contact_model_get_contacts:
 *
 * Returns: (transfer none): the contact list
 */
SinglyContactList *
singly_contact_model_get_contacts (SinglyContactModel *self)
{
  g_return_val_if_fail (SINGLY_IS_CONTACT_MODEL (self), NULL);
  return self->contacts;
}

/**
 * singly_contact_model_set_problems:
 * @row_has_problem: (array) (nullable): a flag per row, or %NULL for none
 *
 * Which rows have a problem, from the contact list and the message checks.
 */
void
singly_contact_model_set_problems (SinglyContactModel *self,
                                   const guint8       *row_has_problem)
{
  g_return_if_fail (SINGLY_IS_CONTACT_MODEL (self));

  if (row_has_problem != NULL)
    memcpy (self->problem, row_has_problem, self->n_rows);
  else
    memset (self->problem, 0, self->n_rows);

  for (guint i = 0; i < self->n_rows; i++)
    if (self->alive[i] != NULL)
      singly_contact_item_set_problem (self->alive[i], self->problem[i]);
}

/**
 * singly_contact_model_refresh:
 *
 * Tells the items alive that the contact list changed which rows are
 * included.
 */
void
singly_contact_model_refresh (SinglyContactModel *self)
{
  g_return_if_fail (SINGLY_IS_CONTACT_MODEL (self));

  for (guint i = 0; i < self->n_rows; i++)
    if (self->alive[i] != NULL)
      singly_contact_item_refresh (self->alive[i]);
}

/**
 * singly_contact_model_get_n_alive:
 *
 * Returns: how many items exist now (the tests check that the table does
 *   not make one per row)
 */
guint
singly_contact_model_get_n_alive (SinglyContactModel *self)
{
  guint n = 0;

  g_return_val_if_fail (SINGLY_IS_CONTACT_MODEL (self), 0);

  for (guint i = 0; i < self->n_rows; i++)
    n += self->alive[i] != NULL;
  return n;
}
