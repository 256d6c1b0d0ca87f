/* singly-problem-item.c: one problem of a row, as the problems list shows it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "singly-problem.h"
#include "singly-problem-item.h"

struct _SinglyProblemItem
{
  GObject  parent_instance;

  guint    row;
  guint    line;
  char    *column_name;
  char    *message;
};

enum {
  PROP_0,
  PROP_ROW,
  PROP_LINE,
  PROP_COLUMN_NAME,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SinglyProblemItem, singly_problem_item, G_TYPE_OBJECT)

static void
singly_problem_item_finalize (GObject *object)
{
  SinglyProblemItem *self = SINGLY_PROBLEM_ITEM (object);

  g_free (self->column_name);
  g_free (self->message);

  G_OBJECT_CLASS (singly_problem_item_parent_class)->finalize (object);
}

static void
singly_problem_item_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  SinglyProblemItem *self = SINGLY_PROBLEM_ITEM (object);

  switch (prop_id)
    {
    case PROP_ROW:
      g_value_set_uint (value, self->row);
      break;
    case PROP_LINE:
      g_value_set_uint (value, self->line);
      break;
    case PROP_COLUMN_NAME:
      g_value_set_string (value, self->column_name);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
singly_problem_item_class_init (SinglyProblemItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = singly_problem_item_finalize;
  object_class->get_property = singly_problem_item_get_property;

  properties[PROP_ROW] =
    g_param_spec_uint ("row", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LINE] =
    g_param_spec_uint ("line", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLUMN_NAME] =
    g_param_spec_string ("column-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
singly_problem_item_init (SinglyProblemItem *self)
{
}

/**
 * singly_problem_item_new:
 * @row: the row, or %SINGLY_PROBLEM_NO_ROW
 * @line: its line in the file, or 0
 * @column_name: (nullable): the column concerned
 * @message: what is wrong
 *
 * Returns: (transfer full): an item
 */
SinglyProblemItem *
singly_problem_item_new (guint       row,
                         guint       line,
                         const char *column_name,
                         const char *message)
{
  SinglyProblemItem *self = g_object_new (SINGLY_TYPE_PROBLEM_ITEM, NULL);

  self->row = row;
  self->line = line;
  self->column_name = g_strdup (column_name);
  self->message = g_strdup (message);
  return self;
}

guint
singly_problem_item_get_row (SinglyProblemItem *self)
{
  g_return_val_if_fail (SINGLY_IS_PROBLEM_ITEM (self), SINGLY_PROBLEM_NO_ROW);
  return self->row;
}

guint
singly_problem_item_get_line (SinglyProblemItem *self)
{
  g_return_val_if_fail (SINGLY_IS_PROBLEM_ITEM (self), 0);
  return self->line;
}

/**
 * singly_problem_item_get_column_name:
 *
 * Returns: (nullable): the column concerned
 */
const char *
singly_problem_item_get_column_name (SinglyProblemItem *self)
{
  g_return_val_if_fail (SINGLY_IS_PROBLEM_ITEM (self), NULL);
  return self->column_name;
}

const char *
singly_problem_item_get_message (SinglyProblemItem *self)
{
  g_return_val_if_fail (SINGLY_IS_PROBLEM_ITEM (self), NULL);
  return self->message;
}

/**
 * singly_problem_item_dup_location:
 *
 * Returns: (transfer full): "Line 4, column “email”", "Line 4", or "" for
 *   a problem of the whole file
 */
char *
singly_problem_item_dup_location (SinglyProblemItem *self)
{
  g_return_val_if_fail (SINGLY_IS_PROBLEM_ITEM (self), NULL);

  if (self->line > 0 && self->column_name != NULL)
    return g_strdup_printf (_("Line %u, column “%s”"), self->line, self->column_name);
  if (self->line > 0)
    return g_strdup_printf (_("Line %u"), self->line);
  if (self->column_name != NULL)
    return g_strdup_printf (_("Column “%s”"), self->column_name);
  return g_strdup ("");
}
