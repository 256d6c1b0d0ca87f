/* singly-document.c: what a window works on: contacts, template, account
 *
 * The pages share one document. It owns the contact list, the last
 * template that compiled, the account, and the message builder made from
 * them; it makes a new builder and runs its checks whenever one of them
 * changes, and says so with ::changed. While a send job runs the
 * document is busy: the job's worker thread renders with the same
 * template and reads the same contact list, so neither may change.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "singly-account-store.h"
#include "singly-address.h"
#include "singly-document.h"
#include "singly-util.h"

struct _SinglyDocument
{
  GObject               parent_instance;

  GFile                *contacts_file;
  SinglyContactList    *contacts;
  GFile                *template_file;
  SinglyTemplate       *template;
  char                 *template_error;
  SinglyAccount        *account;

  SinglyMessageBuilder *builder;
  char                 *builder_error;
  GPtrArray            *problems;     /* const SinglyProblem *, by line */
  gboolean              busy;
  gboolean              folder_is_default;
};

enum {
  PROP_0,
  PROP_CONTACTS,
  PROP_CONTACTS_FILE,
  PROP_TEMPLATE,
  PROP_TEMPLATE_FILE,
  PROP_BUILDER,
  PROP_BUSY,
  PROP_ACCOUNT,
  N_PROPS
};

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SinglyDocument, singly_document, G_TYPE_OBJECT)

static int
compare_problems (gconstpointer a,
                  gconstpointer b)
{
  const SinglyProblem *pa = *(const SinglyProblem * const *) a;
  const SinglyProblem *pb = *(const SinglyProblem * const *) b;

  if (pa->line != pb->line)
    return pa->line < pb->line ? -1 : 1;
  return pa->column - pb->column;
}

/* The sender when nobody said: $EMAIL, as mail programs have long read
 * it, else an address that is plainly not a real one. */
static char *
default_sender_address (void)
{
  const char *email = g_getenv ("EMAIL");

  if (email != NULL && singly_address_is_valid (email))
    return g_strdup (email);
  return g_strdup ("singly@localhost.localdomain");
}

/* "Save to folder" writes into ~/Documents/Singly/CAMPAIGN until the
 * user picks a folder: the campaign's name follows the files. */
static gboolean
update_default_folder (SinglyDocument *self)
{
  g_autofree char *name = NULL;
  g_autofree char *folder = NULL;

  if (!self->folder_is_default || self->account->kind != SINGLY_ACCOUNT_FOLDER)
    return FALSE;
  name = singly_util_campaign_name (self->contacts_file, self->template_file);
  folder = singly_util_default_folder (name);
  if (g_strcmp0 (folder, self->account->folder) == 0)
    return FALSE;
  g_free (self->account->folder);
  self->account->folder = g_steal_pointer (&folder);
  return TRUE;
}

static void
rebuild (SinglyDocument *self)
{
  g_autoptr(GError) error = NULL;
  guint n;

  update_default_folder (self);

  g_clear_object (&self->builder);
  g_clear_pointer (&self->builder_error, g_free);
  g_ptr_array_set_size (self->problems, 0);

  if (self->contacts != NULL)
    {
      n = singly_contact_list_get_n_problems (self->contacts);
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (self->problems, (gpointer) singly_contact_list_get_problem (self->contacts, i));
    }

  if (self->contacts != NULL && self->template != NULL)
    {
      self->builder = singly_message_builder_new (self->contacts, self->template, &error);
      if (self->builder == NULL)
        {
          if (g_error_matches (error, SINGLY_MESSAGE_ERROR, SINGLY_MESSAGE_ERROR_NO_ADDRESS))
            self->builder_error = g_strdup (_("The contact list has no column of e-mail addresses: choose one on the Contacts page."));
          else
            self->builder_error = g_strdup (error->message);
        }
      else
        {
          singly_message_builder_set_sender (self->builder, self->account->sender_name,
                                             self->account->sender_address);
          singly_message_builder_check (self->builder);
          n = singly_message_builder_get_n_problems (self->builder);
          for (guint i = 0; i < n; i++)
            g_ptr_array_add (self->problems, (gpointer) singly_message_builder_get_problem (self->builder, i));
        }
    }
  else if (self->contacts == NULL)
    self->builder_error = g_strdup (_("Open a contact list first."));
  else if (self->template_error != NULL)
    self->builder_error = g_strdup (self->template_error);
  else
    self->builder_error = g_strdup (_("Open or write a template first."));

  g_ptr_array_sort (self->problems, compare_problems);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUILDER]);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
singly_document_dispose (GObject *object)
{
  SinglyDocument *self = SINGLY_DOCUMENT (object);

  /* the problems point into the builder and the contact list */
  if (self->problems != NULL)
    g_ptr_array_set_size (self->problems, 0);
  g_clear_object (&self->builder);
  g_clear_object (&self->template);
  g_clear_object (&self->contacts);
  g_clear_object (&self->contacts_file);
  g_clear_object (&self->template_file);

  G_OBJECT_CLASS (singly_document_parent_class)->dispose (object);
}

static void
singly_document_finalize (GObject *object)
{
  SinglyDocument *self = SINGLY_DOCUMENT (object);

  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_clear_pointer (&self->account, singly_account_free);
  g_free (self->template_error);
  g_free (self->builder_error);

  G_OBJECT_CLASS (singly_document_parent_class)->finalize (object);
}

static void
singly_document_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SinglyDocument *self = SINGLY_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_CONTACTS:
      g_value_set_object (value, self->contacts);
      break;
    case PROP_CONTACTS_FILE:
      g_value_set_object (value, self->contacts_file);
      break;
    case PROP_TEMPLATE:
      g_value_set_object (value, self->template);
      break;
    case PROP_TEMPLATE_FILE:
      g_value_set_object (value, self->template_file);
      break;
    case PROP_BUILDER:
      g_value_set_object (value, self->builder);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_ACCOUNT:
      g_value_set_boxed (value, self->account);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
singly_document_class_init (SinglyDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = singly_document_dispose;
  object_class->finalize = singly_document_finalize;
  object_class->get_property = singly_document_get_property;

  properties[PROP_CONTACTS] =
    g_param_spec_object ("contacts", NULL, NULL, SINGLY_TYPE_CONTACT_LIST,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONTACTS_FILE] =
    g_param_spec_object ("contacts-file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEMPLATE] =
    g_param_spec_object ("template", NULL, NULL, SINGLY_TYPE_TEMPLATE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEMPLATE_FILE] =
    g_param_spec_object ("template-file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUILDER] =
    g_param_spec_object ("builder", NULL, NULL, SINGLY_TYPE_MESSAGE_BUILDER,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SinglyDocument:account:
   *
   * Where messages go: notified when another account is chosen, or the
   * folder or the sender change.
   */
  properties[PROP_ACCOUNT] =
    g_param_spec_boxed ("account", NULL, NULL, SINGLY_TYPE_ACCOUNT,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SinglyDocument::changed:
   *
   * The builder and the problems were made again: something changed in
   * the contacts, the template or the sender.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
singly_document_init (SinglyDocument *self)
{
  g_autofree char *address = default_sender_address ();
  g_autofree char *folder = singly_util_default_folder (_("Untitled"));

  self->problems = g_ptr_array_new ();
  self->account = singly_account_new_folder (folder, NULL, address);
  self->account->id = g_strdup (SINGLY_ACCOUNT_STORE_DEFAULT_ID);
  self->folder_is_default = TRUE;
  self->builder_error = g_strdup (_("Open a contact list first."));
}

SinglyDocument *
singly_document_new (void)
{
  return g_object_new (SINGLY_TYPE_DOCUMENT, NULL);
}

/**
 * singly_document_get_contacts_file:
 *
 * Returns: (transfer none) (nullable): the contact list's file
 */
GFile *
singly_document_get_contacts_file (SinglyDocument *self)
{
  g_return_val_if_fail (SINGLY_IS_DOCUMENT (self), NULL);
  return self->contacts_file;
}

/**
 * singly_document_get_contacts:
 *
 * Returns: (transfer none) (nullable): the contact list
 */
SinglyContactList *
singly_document_get_contacts (SinglyDocument *self)
{
  g_return_val_if_fail (SINGLY_IS_DOCUMENT (self), NULL);
  return self->contacts;
}

/**
 * singly_document_set_contacts:
 * @file: (nullable): where @contacts was read from
 * @contacts: (nullable): the new contact list
 */
void
singly_document_set_contacts (SinglyDocument    *self,
                              GFile             *file,
                              SinglyContactList *contacts)
{
  g_return_if_fail (SINGLY_IS_DOCUMENT (self));
  g_return_if_fail (file == NULL || G_IS_FILE (file));
  g_return_if_fail (contacts == NULL || SINGLY_IS_CONTACT_LIST (contacts));
  g_return_if_fail (!self->busy);

  /* the problems point into the old list and its builder */
  g_ptr_array_set_size (self->problems, 0);
  g_clear_object (&self->builder);

  g_set_object (&self->contacts_file, file);
  g_set_object (&self->contacts, contacts);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTACTS_FILE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTACTS]);
  rebuild (self);
}

/**
 * singly_document_set_address_column:
 * @column: the column of addresses, or -1
 *
 * Changes the address column and runs every check again.
 */
void
singly_document_set_address_column (SinglyDocument *self,
                                    int             column)
{
  g_return_if_fail (SINGLY_IS_DOCUMENT (self));
  g_return_if_fail (self->contacts != NULL);
  g_return_if_fail (!self->busy);

  if (singly_contact_list_get_address_column (self->contacts) == column)
    return;
  g_ptr_array_set_size (self->problems, 0);
  g_clear_object (&self->builder);
  singly_contact_list_set_address_column (self->contacts, column);
  rebuild (self);
}

/**
 * singly_document_get_template_file:
 *
 * Returns: (transfer none) (nullable): the template's file
 */
GFile *
singly_document_get_template_file (SinglyDocument *self)
{
  g_return_val_if_fail (SINGLY_IS_DOCUMENT (self), NULL);
  return self->template_file;
}

void
singly_document_set_template_file (SinglyDocument *self,
                                   GFile          *file)
{
  g_return_if_fail (SINGLY_IS_DOCUMENT (self));
  g_return_if_fail (file == NULL || G_IS_FILE (file));

  if (g_set_object (&self->template_file, file))
    {
      if (update_default_folder (self))
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEMPLATE_FILE]);
    }
}

/**
 * singly_document_get_template:
 *
 * Returns: (transfer none) (nullable): the last template that compiled
 */
SinglyTemplate *
singly_document_get_template (SinglyDocument *self)
{
  g_return_val_if_fail (SINGLY_IS_DOCUMENT (self), NULL);
  return self->template;
}

/**
 * singly_document_set_template:
 * @template: (nullable): the compiled template, or %NULL when it does not
 *   compile
 * @error_message: (nullable): why it does not
 */
void
singly_document_set_template (SinglyDocument *self,
                              SinglyTemplate *template,
                              const char     *error_message)
{
  g_return_if_fail (SINGLY_IS_DOCUMENT (self));
  g_return_if_fail (template == NULL || SINGLY_IS_TEMPLATE (template));
  g_return_if_fail (!self->busy);

  g_ptr_array_set_size (self->problems, 0);
  g_clear_object (&self->builder);
  g_set_object (&self->template, template);
  g_free (self->template_error);
  self->template_error = g_strdup (error_message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEMPLATE]);
  rebuild (self);
}

/**
 * singly_document_get_template_error:
 *
 * Returns: (nullable): why the template in the editor does not compile
 */
const char *
singly_document_get_template_error (SinglyDocument *self)
{
  g_return_val_if_fail (SINGLY_IS_DOCUMENT (self), NULL);
  return self->template_error;
}

/**
 * singly_document_get_account:
 *
 * Returns: (transfer none): where messages go
 */
const SinglyAccount *
singly_document_get_account (SinglyDocument *self)
{
  g_return_val_if_fail (SINGLY_IS_DOCUMENT (self), NULL);
  return self->account;
}

/* Whether @account is "Save to folder" writing where it always does:
 * then each campaign gets a folder of its own inside */
static gboolean
is_default_folder (const SinglyAccount *account)
{
  g_autofree char *folder = NULL;
  g_autofree char *canonical = NULL;

  if (account->kind != SINGLY_ACCOUNT_FOLDER ||
      g_strcmp0 (account->id, SINGLY_ACCOUNT_STORE_DEFAULT_ID) != 0)
    return FALSE;
  if (account->folder == NULL || *account->folder == '\0')
    return TRUE;
  folder = singly_account_store_default_folder ();
  canonical = g_canonicalize_filename (account->folder, NULL);
  return g_str_equal (canonical, folder);
}

/**
 * singly_document_set_account:
 * @account: where messages go (copied)
 *
 * An account without a sender keeps the sender there was. The "Save to
 * folder" account of the account store, with its usual folder, writes
 * into a folder named after the campaign.
 */
void
singly_document_set_account (SinglyDocument      *self,
                             const SinglyAccount *account)
{
  g_autoptr(SinglyAccount) old = NULL;

  g_return_if_fail (SINGLY_IS_DOCUMENT (self));
  g_return_if_fail (account != NULL);
  g_return_if_fail (!self->busy);

  old = g_steal_pointer (&self->account);
  self->account = singly_account_copy (account);
  if (self->account->sender_address == NULL)
    {
      self->account->sender_name = g_strdup (old->sender_name);
      self->account->sender_address = old->sender_address ? g_strdup (old->sender_address)
                                                          : default_sender_address ();
    }
  self->folder_is_default = is_default_folder (account);
  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
}

/**
 * singly_document_set_folder:
 * @folder: (nullable): where "Save to folder" writes, or %NULL for
 *   ~/Documents/Singly/CAMPAIGN
 *
 * Makes the account "Save to folder", keeping the sender (and the
 * account's name, when it was a folder account already).
 */
void
singly_document_set_folder (SinglyDocument *self,
                            const char     *folder)
{
  g_autoptr(SinglyAccount) account = NULL;

  g_return_if_fail (SINGLY_IS_DOCUMENT (self));
  g_return_if_fail (!self->busy);

  account = singly_account_new_folder (folder ? folder : "", self->account->sender_name,
                                       self->account->sender_address);
  if (self->account->kind == SINGLY_ACCOUNT_FOLDER)
    {
      account->id = g_strdup (self->account->id);
      account->name = g_strdup (self->account->name);
    }
  else
    account->id = g_strdup (SINGLY_ACCOUNT_STORE_DEFAULT_ID);
  g_clear_pointer (&self->account, singly_account_free);
  self->account = g_steal_pointer (&account);
  self->folder_is_default = folder == NULL;
  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
}

gboolean
singly_document_get_folder_is_default (SinglyDocument *self)
{
  g_return_val_if_fail (SINGLY_IS_DOCUMENT (self), FALSE);
  return self->folder_is_default && self->account->kind == SINGLY_ACCOUNT_FOLDER;
}

/**
 * singly_document_set_sender:
 * @name: (nullable): the From display name
 * @address: the From address
 */
void
singly_document_set_sender (SinglyDocument *self,
                            const char     *name,
                            const char     *address)
{
  g_return_if_fail (SINGLY_IS_DOCUMENT (self));
  g_return_if_fail (address != NULL);
  g_return_if_fail (!self->busy);

  if (name != NULL && *name == '\0')
    name = NULL;
  if (g_strcmp0 (self->account->sender_name, name) == 0 &&
      g_strcmp0 (self->account->sender_address, address) == 0)
    return;
  g_free (self->account->sender_name);
  self->account->sender_name = g_strdup (name);
  g_free (self->account->sender_address);
  self->account->sender_address = g_strdup (address);
  if (self->builder != NULL)
    singly_message_builder_set_sender (self->builder, name, address);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/**
 * singly_document_get_builder:
 *
 * Returns: (transfer none) (nullable): the message builder, checked, or
 *   %NULL while contacts and template do not make messages
 */
SinglyMessageBuilder *
singly_document_get_builder (SinglyDocument *self)
{
  g_return_val_if_fail (SINGLY_IS_DOCUMENT (self), NULL);
  return self->builder;
}

/**
 * singly_document_get_builder_error:
 *
 * Returns: (nullable): why there is no builder
 */
const char *
singly_document_get_builder_error (SinglyDocument *self)
{
  g_return_val_if_fail (SINGLY_IS_DOCUMENT (self), NULL);
  return self->builder ? NULL : self->builder_error;
}

/**
 * singly_document_get_n_problems:
 *
 * Returns: the number of row problems, from the contact list and from the
 *   builder's checks
 */
guint
singly_document_get_n_problems (SinglyDocument *self)
{
  g_return_val_if_fail (SINGLY_IS_DOCUMENT (self), 0);
  return self->problems->len;
}

/**
 * singly_document_get_problem:
 *
 * Returns: (transfer none): a problem, in line order; valid until the
 *   next ::changed
 */
const SinglyProblem *
singly_document_get_problem (SinglyDocument *self,
                             guint           index)
{
  g_return_val_if_fail (SINGLY_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (index < self->problems->len, NULL);
  return self->problems->pdata[index];
}

/**
 * singly_document_dup_row_problems:
 *
 * Returns: (transfer container) (element-type SinglyProblem): the
 *   problems of @row; valid until the next ::changed
 */
GPtrArray *
singly_document_dup_row_problems (SinglyDocument *self,
                                  guint           row)
{
  GPtrArray *result;

  g_return_val_if_fail (SINGLY_IS_DOCUMENT (self), NULL);

  result = g_ptr_array_new ();
  for (guint i = 0; i < self->problems->len; i++)
    {
      const SinglyProblem *problem = self->problems->pdata[i];

      if (problem->row == row)
        g_ptr_array_add (result, (gpointer) problem);
    }
  return result;
}

gboolean
singly_document_get_busy (SinglyDocument *self)
{
  g_return_val_if_fail (SINGLY_IS_DOCUMENT (self), FALSE);
  return self->busy;
}

/**
 * singly_document_set_busy:
 *
 * Marks the document as in use by a send job: nothing may change then.
 */
void
singly_document_set_busy (SinglyDocument *self,
                          gboolean        busy)
{
  g_return_if_fail (SINGLY_IS_DOCUMENT (self));

  busy = !!busy;
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/**
 * singly_document_dup_campaign_name:
 *
 * Returns: (transfer full): a name for what is being sent
 */
char *
singly_document_dup_campaign_name (SinglyDocument *self)
{
  g_return_val_if_fail (SINGLY_IS_DOCUMENT (self), NULL);
  return singly_util_campaign_name (self->contacts_file, self->template_file);
}

/**
 * singly_document_save_row_choices:
 * @campaign: where to write them
 *
 * Writes into @campaign the rows the user included or excluded by hand:
 * those whose inclusion is not what their problems make it.
 */
void
singly_document_save_row_choices (SinglyDocument *self,
                                  SinglyCampaign *campaign)
{
  guint n_rows;

  g_return_if_fail (SINGLY_IS_DOCUMENT (self));
  g_return_if_fail (SINGLY_IS_CAMPAIGN (campaign));

  singly_campaign_clear_row_choices (campaign);
  if (self->contacts == NULL)
    return;
  n_rows = singly_contact_list_get_n_rows (self->contacts);
  for (guint row = 0; row < n_rows; row++)
    {
      gboolean included = singly_contact_list_get_row_included (self->contacts, row);
      gboolean by_default = !singly_contact_list_row_has_problem (self->contacts, row);

      if (included != by_default)
        singly_campaign_set_row_choice (campaign, singly_contact_list_get_row_line (self->contacts, row),
                                        included ? SINGLY_ROW_CHOICE_INCLUDE : SINGLY_ROW_CHOICE_EXCLUDE);
    }
}

/**
 * singly_document_apply_row_choices:
 * @campaign: a campaign for the contact list there is
 *
 * Includes and excludes the rows @campaign says, and runs the checks
 * again.
 *
 * Returns: how many rows it changed
 */
guint
singly_document_apply_row_choices (SinglyDocument *self,
                                   SinglyCampaign *campaign)
{
  guint n;

  g_return_val_if_fail (SINGLY_IS_DOCUMENT (self), 0);
  g_return_val_if_fail (SINGLY_IS_CAMPAIGN (campaign), 0);
  g_return_val_if_fail (!self->busy, 0);

  if (self->contacts == NULL)
    return 0;
  n = singly_campaign_apply_row_choices (campaign, self->contacts);
  /* the contacts page shows the rows again, the checks run again */
  if (n > 0)
    rebuild (self);
  return n;
}
