/* singly-contacts.h: a contact list read from a CSV file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "singly-problem.h"

G_BEGIN_DECLS

#define SINGLY_CONTACTS_ERROR (singly_contacts_error_quark ())

typedef enum
{
  SINGLY_CONTACTS_ERROR_IO,        /* the file cannot be read */
  SINGLY_CONTACTS_ERROR_EMPTY,     /* no header row at all */
  SINGLY_CONTACTS_ERROR_ENCODING,  /* the text cannot be decoded (or the chosen encoding is unknown) */
  SINGLY_CONTACTS_ERROR_BINARY,    /* not a text file */
  SINGLY_CONTACTS_ERROR_HEADER,    /* the header row is unusable (e.g. duplicate or empty names) */
} SinglyContactsError;

/**
 * SinglyContactsOptions:
 * @encoding: (nullable): force this encoding (any name iconv knows), or %NULL to detect
 * @delimiter: force this delimiter, or 0 to detect among , ; tab |
 * @address_column: (nullable): the name of the address column, or %NULL to find it by name
 */
typedef struct
{
  const char *encoding;
  char        delimiter;
  const char *address_column;
} SinglyContactsOptions;

#define SINGLY_TYPE_CONTACT_LIST (singly_contact_list_get_type ())
G_DECLARE_FINAL_TYPE (SinglyContactList, singly_contact_list, SINGLY, CONTACT_LIST, GObject)

GQuark             singly_contacts_error_quark            (void);

SinglyContactList *singly_contact_list_new_from_file      (GFile                        *file,
                                                           const SinglyContactsOptions  *options,
                                                           GCancellable                 *cancellable,
                                                           GError                      **error);
SinglyContactList *singly_contact_list_new_from_bytes     (GBytes                       *bytes,
                                                           const SinglyContactsOptions  *options,
                                                           GError                      **error);

const char        *singly_contact_list_get_checksum       (SinglyContactList            *self);
const char        *singly_contact_list_get_encoding       (SinglyContactList            *self);
gboolean           singly_contact_list_get_encoding_detected (SinglyContactList         *self);
gboolean           singly_contact_list_get_had_bom        (SinglyContactList            *self);
char               singly_contact_list_get_delimiter      (SinglyContactList            *self);

guint              singly_contact_list_get_n_columns      (SinglyContactList            *self);
const char        *singly_contact_list_get_column_name    (SinglyContactList            *self,
                                                           guint                         column);
const char * const *singly_contact_list_get_column_names  (SinglyContactList            *self);
int                singly_contact_list_find_column        (SinglyContactList            *self,
                                                           const char                   *name);

int                singly_contact_list_get_address_column (SinglyContactList            *self);
void               singly_contact_list_set_address_column (SinglyContactList            *self,
                                                           int                           column);
int                singly_contact_list_get_name_column    (SinglyContactList            *self);
int                singly_contact_list_get_given_name_column  (SinglyContactList        *self);
int                singly_contact_list_get_family_name_column (SinglyContactList        *self);

guint              singly_contact_list_get_n_rows         (SinglyContactList            *self);
guint              singly_contact_list_get_row_line       (SinglyContactList            *self,
                                                           guint                         row);
const char * const *singly_contact_list_get_row           (SinglyContactList            *self,
                                                           guint                         row);
const char        *singly_contact_list_get_value          (SinglyContactList            *self,
                                                           guint                         row,
                                                           guint                         column);
const char        *singly_contact_list_get_address        (SinglyContactList            *self,
                                                           guint                         row);
char              *singly_contact_list_dup_display_name   (SinglyContactList            *self,
                                                           guint                         row);

guint              singly_contact_list_get_n_problems     (SinglyContactList            *self);
const SinglyProblem *singly_contact_list_get_problem      (SinglyContactList            *self,
                                                           guint                         index);
gboolean           singly_contact_list_row_has_problem    (SinglyContactList            *self,
                                                           guint                         row);

gboolean           singly_contact_list_get_row_included   (SinglyContactList            *self,
                                                           guint                         row);
void               singly_contact_list_set_row_included   (SinglyContactList            *self,
                                                           guint                         row,
                                                           gboolean                      included);
guint              singly_contact_list_get_n_included     (SinglyContactList            *self);

G_END_DECLS
