/* singly-problem-model.c: the problems of a campaign as a GListModel
 *
 * A snapshot of the document's problems when it is made (they live in the
 * contact list and the builder, which the next change frees). A list where
 * every row is broken has as many problems as rows: items are made only
 * for the positions the list shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "singly-problem-model.h"

typedef struct
{
  guint  row;
  guint  line;
  int    column;
  char  *message;
} Entry;

struct _SinglyProblemModel
{
  GObject   parent_instance;

  GArray   *entries;
  char    **column_names;
  guint     n_columns;
  guint8   *row_flags;
  guint     n_rows;
};

static void singly_problem_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SinglyProblemModel, singly_problem_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, singly_problem_model_list_model_init))

static void
entry_clear (gpointer data)
{
  Entry *entry = data;

  g_free (entry->message);
}

static GType
singly_problem_model_get_item_type (GListModel *model)
{
  return SINGLY_TYPE_PROBLEM_ITEM;
}

static guint
singly_problem_model_get_n_items (GListModel *model)
{
  return SINGLY_PROBLEM_MODEL (model)->entries->len;
}

static gpointer
singly_problem_model_get_item (GListModel *model,
                               guint       position)
{
  SinglyProblemModel *self = SINGLY_PROBLEM_MODEL (model);
  const Entry *entry;
  const char *column_name = NULL;

  if (position >= self->entries->len)
    return NULL;

  entry = &g_array_index (self->entries, Entry, position);
  if (entry->column >= 0 && (guint) entry->column < self->n_columns)
    column_name = self->column_names[entry->column];
  return singly_problem_item_new (entry->row, entry->line, column_name, entry->message);
}

static void
singly_problem_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = singly_problem_model_get_item_type;
  iface->get_n_items = singly_problem_model_get_n_items;
  iface->get_item = singly_problem_model_get_item;
}

static void
singly_problem_model_finalize (GObject *object)
{
  SinglyProblemModel *self = SINGLY_PROBLEM_MODEL (object);

  g_array_unref (self->entries);
  g_strfreev (self->column_names);
  g_free (self->row_flags);

  G_OBJECT_CLASS (singly_problem_model_parent_class)->finalize (object);
}

static void
singly_problem_model_class_init (SinglyProblemModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = singly_problem_model_finalize;
}

static void
singly_problem_model_init (SinglyProblemModel *self)
{
  self->entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  g_array_set_clear_func (self->entries, entry_clear);
}

/**
 * singly_problem_model_new:
 *
 * Returns: (transfer full): the problems of @document as they are now
 */
SinglyProblemModel *
singly_problem_model_new (SinglyDocument *document)
{
  SinglyProblemModel *self;
  SinglyContactList *contacts;
  guint n;

  g_return_val_if_fail (SINGLY_IS_DOCUMENT (document), NULL);

  self = g_object_new (SINGLY_TYPE_PROBLEM_MODEL, NULL);
  contacts = singly_document_get_contacts (document);
  if (contacts != NULL)
    {
      self->column_names = g_strdupv ((char **) singly_contact_list_get_column_names (contacts));
      self->n_columns = singly_contact_list_get_n_columns (contacts);
      self->n_rows = singly_contact_list_get_n_rows (contacts);
    }
  self->row_flags = g_new0 (guint8, MAX (self->n_rows, 1));

  n = singly_document_get_n_problems (document);
  g_array_set_size (self->entries, n);
  for (guint i = 0; i < n; i++)
    {
      const SinglyProblem *problem = singly_document_get_problem (document, i);
      Entry *entry = &g_array_index (self->entries, Entry, i);

      entry->row = problem->row;
      entry->line = problem->line;
      entry->column = problem->column;
      entry->message = g_strdup (problem->message);
      if (problem->row < self->n_rows)
        self->row_flags[problem->row] = TRUE;
    }
  return self;
}

/**
 * singly_problem_model_get_row_flags:
 * @n_rows: (out): the number of flags
 *
 * Returns: (array length=n_rows): per row, whether it has a problem
 */
const guint8 *
singly_problem_model_get_row_flags (SinglyProblemModel *self,
                                    guint              *n_rows)
{
  g_return_val_if_fail (SINGLY_IS_PROBLEM_MODEL (self), NULL);

  *n_rows = self->n_rows;
  return self->row_flags;
}
