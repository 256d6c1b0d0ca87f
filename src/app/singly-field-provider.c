/* singly-field-provider.c: completes column names after "{{"
 *
 * Proposals appear only inside a tag: after "{{", "{{{", "{{#", "{{^" or
 * "{{/", and the word typed so far narrows them (without regard to case,
 * as field names match columns). Choosing one closes the tag.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "singly-field-proposal.h"
#include "singly-field-provider.h"

struct _SinglyFieldProvider
{
  GObject          parent_instance;

  GListStore      *fields;
  GtkCustomFilter *filter;
  char            *typed;     /* case-folded word being completed */
};

static void singly_field_provider_provider_init (GtkSourceCompletionProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SinglyFieldProvider, singly_field_provider, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GTK_SOURCE_TYPE_COMPLETION_PROVIDER,
                                                      singly_field_provider_provider_init))

static gboolean
field_matches (gpointer item,
               gpointer user_data)
{
  SinglyFieldProvider *self = user_data;
  g_autofree char *folded = NULL;

  if (self->typed == NULL || *self->typed == '\0')
    return TRUE;
  folded = g_utf8_casefold (singly_field_proposal_get_name (item), -1);
  return strstr (folded, self->typed) != NULL;
}

static void
update_typed (SinglyFieldProvider        *self,
              GtkSourceCompletionContext *context)
{
  g_autofree char *word = gtk_source_completion_context_get_word (context);

  g_free (self->typed);
  self->typed = word != NULL ? g_utf8_casefold (word, -1) : NULL;
}

static char *
singly_field_provider_get_title (GtkSourceCompletionProvider *provider)
{
  return g_strdup (_("Fields"));
}

static gboolean
singly_field_provider_is_trigger (GtkSourceCompletionProvider *provider,
                                  const GtkTextIter           *iter,
                                  gunichar                     ch)
{
  GtkTextIter start = *iter;
  g_autofree char *text = NULL;

  if (ch != '{')
    return FALSE;
  /* the second brace of "{{" opens a tag: look at what ends at @iter */
  gtk_text_iter_backward_chars (&start, 2);
  text = gtk_text_iter_get_slice (&start, iter);
  return g_str_equal (text, "{{");
}

static GListModel *
populate (SinglyFieldProvider        *self,
          GtkSourceCompletionContext *context)
{
  GtkTextIter begin, end;
  GtkFilterListModel *model;

  gtk_source_completion_context_get_bounds (context, &begin, &end);
  if (!singly_field_provider_is_field_start (&begin, NULL))
    return G_LIST_MODEL (g_list_store_new (SINGLY_TYPE_FIELD_PROPOSAL));

  update_typed (self, context);
  model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->fields)),
                                     g_object_ref (GTK_FILTER (self->filter)));
  return G_LIST_MODEL (model);
}

static void
singly_field_provider_populate_async (GtkSourceCompletionProvider *provider,
                                      GtkSourceCompletionContext  *context,
                                      GCancellable                *cancellable,
                                      GAsyncReadyCallback          callback,
                                      gpointer                     user_data)
{
  SinglyFieldProvider *self = SINGLY_FIELD_PROVIDER (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, singly_field_provider_populate_async);
  g_task_return_pointer (task, populate (self, context), g_object_unref);
}

static GListModel *
singly_field_provider_populate_finish (GtkSourceCompletionProvider  *provider,
                                       GAsyncResult                 *result,
                                       GError                      **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
singly_field_provider_refilter (GtkSourceCompletionProvider *provider,
                                GtkSourceCompletionContext  *context,
                                GListModel                  *model)
{
  SinglyFieldProvider *self = SINGLY_FIELD_PROVIDER (provider);

  update_typed (self, context);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
singly_field_provider_display (GtkSourceCompletionProvider *provider,
                               GtkSourceCompletionContext  *context,
                               GtkSourceCompletionProposal *proposal,
                               GtkSourceCompletionCell     *cell)
{
  SinglyFieldProposal *field = SINGLY_FIELD_PROPOSAL (proposal);

  switch (gtk_source_completion_cell_get_column (cell))
    {
    case GTK_SOURCE_COMPLETION_COLUMN_TYPED_TEXT:
      gtk_source_completion_cell_set_text (cell, singly_field_proposal_get_name (field));
      break;
    case GTK_SOURCE_COMPLETION_COLUMN_COMMENT:
      gtk_source_completion_cell_set_text (cell, singly_field_proposal_get_example (field));
      break;
    case GTK_SOURCE_COMPLETION_COLUMN_ICON:
    case GTK_SOURCE_COMPLETION_COLUMN_BEFORE:
    case GTK_SOURCE_COMPLETION_COLUMN_AFTER:
    case GTK_SOURCE_COMPLETION_COLUMN_DETAILS:
    default:
      gtk_source_completion_cell_set_text (cell, NULL);
      break;
    }
}

static void
singly_field_provider_activate (GtkSourceCompletionProvider *provider,
                                GtkSourceCompletionContext  *context,
                                GtkSourceCompletionProposal *proposal)
{
  GtkSourceBuffer *buffer = gtk_source_completion_context_get_buffer (context);
  const char *name = singly_field_proposal_get_name (SINGLY_FIELD_PROPOSAL (proposal));
  GtkTextIter begin, end, after;
  g_autofree char *next = NULL;
  const char *closer;
  char opener = 0;

  gtk_source_completion_context_get_bounds (context, &begin, &end);
  singly_field_provider_is_field_start (&begin, &opener);
  closer = opener == '{' ? "}}}" : "}}";

  gtk_text_buffer_begin_user_action (GTK_TEXT_BUFFER (buffer));
  gtk_text_buffer_delete (GTK_TEXT_BUFFER (buffer), &begin, &end);
  gtk_text_buffer_insert (GTK_TEXT_BUFFER (buffer), &begin, name, -1);
  /* close the tag unless the user already did, or goes on with a fallback */
  after = begin;
  gtk_text_iter_forward_chars (&after, 2);
  next = gtk_text_iter_get_slice (&begin, &after);
  if (!g_str_has_prefix (next, "}") && !g_str_has_prefix (next, "|"))
    gtk_text_buffer_insert (GTK_TEXT_BUFFER (buffer), &begin, closer, -1);
  gtk_text_buffer_end_user_action (GTK_TEXT_BUFFER (buffer));
}

static void
singly_field_provider_provider_init (GtkSourceCompletionProviderInterface *iface)
{
  iface->get_title = singly_field_provider_get_title;
  iface->is_trigger = singly_field_provider_is_trigger;
  iface->populate_async = singly_field_provider_populate_async;
  iface->populate_finish = singly_field_provider_populate_finish;
  iface->refilter = singly_field_provider_refilter;
  iface->display = singly_field_provider_display;
  iface->activate = singly_field_provider_activate;
}

static void
singly_field_provider_finalize (GObject *object)
{
  SinglyFieldProvider *self = SINGLY_FIELD_PROVIDER (object);

  g_clear_object (&self->fields);
  g_clear_object (&self->filter);
  g_free (self->typed);

  G_OBJECT_CLASS (singly_field_provider_parent_class)->finalize (object);
}

static void
singly_field_provider_class_init (SinglyFieldProviderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = singly_field_provider_finalize;
}

static void
singly_field_provider_init (SinglyFieldProvider *self)
{
  self->fields = g_list_store_new (SINGLY_TYPE_FIELD_PROPOSAL);
  self->filter = gtk_custom_filter_new (field_matches, self, NULL);
}

SinglyFieldProvider *
singly_field_provider_new (void)
{
  return g_object_new (SINGLY_TYPE_FIELD_PROVIDER, NULL);
}

/**
 * singly_field_provider_set_contacts:
 * @contacts: (nullable): the contact list whose columns are proposed
 */
void
singly_field_provider_set_contacts (SinglyFieldProvider *self,
                                    SinglyContactList   *contacts)
{
  guint n_columns, n_rows;

  g_return_if_fail (SINGLY_IS_FIELD_PROVIDER (self));

  g_list_store_remove_all (self->fields);
  if (contacts == NULL)
    return;

  n_columns = singly_contact_list_get_n_columns (contacts);
  n_rows = singly_contact_list_get_n_rows (contacts);
  for (guint c = 0; c < n_columns; c++)
    {
      g_autoptr(SinglyFieldProposal) proposal = NULL;
      const char *example = NULL;

      /* the first value that says something, from the first rows only */
      for (guint row = 0; row < MIN (n_rows, 20) && example == NULL; row++)
        {
          const char *value = singly_contact_list_get_value (contacts, row, c);

          if (value != NULL && *value != '\0')
            example = value;
        }
      proposal = singly_field_proposal_new (singly_contact_list_get_column_name (contacts, c), example);
      g_list_store_append (self->fields, proposal);
    }
}

/**
 * singly_field_provider_get_fields:
 *
 * Returns: (transfer none): the proposals, of #SinglyFieldProposal
 */
GListModel *
singly_field_provider_get_fields (SinglyFieldProvider *self)
{
  g_return_val_if_fail (SINGLY_IS_FIELD_PROVIDER (self), NULL);
  return G_LIST_MODEL (self->fields);
}

/**
 * singly_field_provider_is_field_start:
 * @begin: where the word being completed begins
 * @opener: (out) (optional): '{' for a raw tag, '#', '^' or '/' for a
 *   section, else 0
 *
 * Returns: whether @begin follows "{{" (with a sigil), where a field name
 *   goes
 */
gboolean
singly_field_provider_is_field_start (const GtkTextIter *begin,
                                      char              *opener)
{
  GtkTextIter start = *begin;
  g_autofree char *text = NULL;
  gsize length;

  if (opener != NULL)
    *opener = 0;
  gtk_text_iter_backward_chars (&start, 3);
  text = gtk_text_iter_get_slice (&start, begin);
  length = strlen (text);

  if (length >= 3 && text[length - 3] == '{' && text[length - 2] == '{' &&
      strchr ("{#^/", text[length - 1]) != NULL)
    {
      if (opener != NULL)
        *opener = text[length - 1];
      return TRUE;
    }
  return length >= 2 && text[length - 2] == '{' && text[length - 1] == '{';
}
