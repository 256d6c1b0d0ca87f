/* singly-contact-item.c: one row of the contact list, as the table shows it
 *
 * The item holds nothing but its row number: the values stay in the
 * contact list, so that an item costs a few bytes and exists only while
 * the table shows its row.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "singly-contact-item.h"

struct _SinglyContactItem
{
  GObject            parent_instance;

  SinglyContactList *contacts;
  guint              row;
  gboolean           included;  /* as last told, to notify only on change */
  gboolean           problem;
};

enum {
  PROP_0,
  PROP_ROW,
  PROP_LINE,
  PROP_INCLUDED,
  PROP_PROBLEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SinglyContactItem, singly_contact_item, G_TYPE_OBJECT)

static void
singly_contact_item_finalize (GObject *object)
{
  SinglyContactItem *self = SINGLY_CONTACT_ITEM (object);

  g_clear_object (&self->contacts);

  G_OBJECT_CLASS (singly_contact_item_parent_class)->finalize (object);
}

static void
singly_contact_item_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  SinglyContactItem *self = SINGLY_CONTACT_ITEM (object);

  switch (prop_id)
    {
    case PROP_ROW:
      g_value_set_uint (value, self->row);
      break;
    case PROP_LINE:
      g_value_set_uint (value, singly_contact_item_get_line (self));
      break;
    case PROP_INCLUDED:
      g_value_set_boolean (value, singly_contact_item_get_included (self));
      break;
    case PROP_PROBLEM:
      g_value_set_boolean (value, self->problem);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
singly_contact_item_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  SinglyContactItem *self = SINGLY_CONTACT_ITEM (object);

  switch (prop_id)
    {
    case PROP_INCLUDED:
      singly_contact_item_set_included (self, g_value_get_boolean (value));
      break;
    case PROP_PROBLEM:
      singly_contact_item_set_problem (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
singly_contact_item_class_init (SinglyContactItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = singly_contact_item_finalize;
  object_class->get_property = singly_contact_item_get_property;
  object_class->set_property = singly_contact_item_set_property;

  properties[PROP_ROW] =
    g_param_spec_uint ("row", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LINE] =
    g_param_spec_uint ("line", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_INCLUDED] =
    g_param_spec_boolean ("included", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROBLEM] =
    g_param_spec_boolean ("problem", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
singly_contact_item_init (SinglyContactItem *self)
{
}

/**
 * singly_contact_item_new:
 * @contacts: the contact list
 * @row: a row of it
 * @problem: whether the row has a problem
 *
 * Returns: (transfer full): an item for @row
 */
SinglyContactItem *
singly_contact_item_new (SinglyContactList *contacts,
                         guint              row,
                         gboolean           problem)
{
  SinglyContactItem *self;

  g_return_val_if_fail (SINGLY_IS_CONTACT_LIST (contacts), NULL);
  g_return_val_if_fail (row < singly_contact_list_get_n_rows (contacts), NULL);

  self = g_object_new (SINGLY_TYPE_CONTACT_ITEM, NULL);
  self->contacts = g_object_ref (contacts);
  self->row = row;
  self->included = singly_contact_list_get_row_included (contacts, row);
  self->problem = !!problem;
  return self;
}

guint
singly_contact_item_get_row (SinglyContactItem *self)
{
  g_return_val_if_fail (SINGLY_IS_CONTACT_ITEM (self), 0);
  return self->row;
}

/**
 * singly_contact_item_get_line:
 *
 * Returns: the 1-based line of the file where the row starts
 */
guint
singly_contact_item_get_line (SinglyContactItem *self)
{
  g_return_val_if_fail (SINGLY_IS_CONTACT_ITEM (self), 0);
  return singly_contact_list_get_row_line (self->contacts, self->row);
}

/**
 * singly_contact_item_get_value:
 *
 * Returns: (transfer none): the value in @column, "" for a missing one
 */
const char *
singly_contact_item_get_value (SinglyContactItem *self,
                               guint              column)
{
  const char *value;

  g_return_val_if_fail (SINGLY_IS_CONTACT_ITEM (self), NULL);

  if (column >= singly_contact_list_get_n_columns (self->contacts))
    return "";
  value = singly_contact_list_get_value (self->contacts, self->row, column);
  return value != NULL ? value : "";
}

gboolean
singly_contact_item_get_included (SinglyContactItem *self)
{
  g_return_val_if_fail (SINGLY_IS_CONTACT_ITEM (self), FALSE);
  return singly_contact_list_get_row_included (self->contacts, self->row);
}

void
singly_contact_item_set_included (SinglyContactItem *self,
                                  gboolean           included)
{
  g_return_if_fail (SINGLY_IS_CONTACT_ITEM (self));

  singly_contact_list_set_row_included (self->contacts, self->row, included);
  singly_contact_item_refresh (self);
}

gboolean
singly_contact_item_get_problem (SinglyContactItem *self)
{
  g_return_val_if_fail (SINGLY_IS_CONTACT_ITEM (self), FALSE);
  return self->problem;
}

void
singly_contact_item_set_problem (SinglyContactItem *self,
                                 gboolean           problem)
{
  g_return_if_fail (SINGLY_IS_CONTACT_ITEM (self));

  problem = !!problem;
  if (self->problem == problem)
    return;
  self->problem = problem;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
}

/**
 * singly_contact_item_refresh:
 *
 * Reads the row's inclusion again, after the contact list changed it
 * (a new address column excludes and includes rows).
 */
void
singly_contact_item_refresh (SinglyContactItem *self)
{
  gboolean included;

  g_return_if_fail (SINGLY_IS_CONTACT_ITEM (self));

  included = singly_contact_list_get_row_included (self->contacts, self->row);
  if (self->included == included)
    return;
  self->included = included;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INCLUDED]);
}
