/* fuzz-contacts.c: any bytes as a contact file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The bytes go through the whole import: encoding detection and
 * conversion, delimiter sniffing, libcsv and the lenient recovery of
 * broken rows, the address and name columns. A loaded list is then read
 * back cell by cell with the address column moved around, and what the
 * header promises is checked: every cell UTF-8 and never NULL, problems
 * that point at real rows, inclusion that follows the problems.
 */
#include "config.h"

#include <string.h>

#include "fuzz-util.h"
#include "singly-contacts.h"

/* moving the address column re-checks every row: a handful of moves
 * covers the code, more would only slow the fuzzer down on wide files */
#define MAX_ADDRESS_MOVES 8

static void
check_column_names (SinglyContactList *list)
{
  guint n_columns = singly_contact_list_get_n_columns (list);
  const char * const *names = singly_contact_list_get_column_names (list);

  fuzz_check (n_columns > 0);
  fuzz_check (names != NULL && g_strv_length ((char **) names) == n_columns);

  for (guint c = 0; c < n_columns; c++)
    {
      const char *name = singly_contact_list_get_column_name (list, c);
      gunichar first, last;
      int found;

      fuzz_check (name == names[c]);
      fuzz_check (fuzz_is_utf8 (name) && name[0] != '\0');

      /* trimmed, and a BOM never sticks to the first name */
      first = g_utf8_get_char (name);
      last = g_utf8_get_char (g_utf8_prev_char (name + strlen (name)));
      fuzz_check (!g_unichar_isspace (first) && first != 0xfeff);
      fuzz_check (!g_unichar_isspace (last) && last != 0xfeff);

      /* with duplicate names the first one wins */
      found = singly_contact_list_find_column (list, name);
      fuzz_check (found >= 0 && found <= (int) c);
    }
}

static void
check_rows (SinglyContactList *list)
{
  guint n_rows = singly_contact_list_get_n_rows (list);
  guint n_columns = singly_contact_list_get_n_columns (list);
  int address_column = singly_contact_list_get_address_column (list);
  guint n_problems = singly_contact_list_get_n_problems (list);
  guint n_included = 0;
  guint previous_line = 0;
  guint previous_problem_line = 0;

  fuzz_check (address_column >= -1 && address_column < (int) n_columns);

  for (guint row = 0; row < n_rows; row++)
    {
      const char * const *cells = singly_contact_list_get_row (list, row);
      const char *address = singly_contact_list_get_address (list, row);
      g_autofree char *display_name = singly_contact_list_dup_display_name (list, row);
      guint line = singly_contact_list_get_row_line (list, row);
      gboolean included = singly_contact_list_get_row_included (list, row);

      fuzz_check (cells != NULL);
      for (guint c = 0; c < n_columns; c++)
        {
          fuzz_check (cells[c] != NULL);
          fuzz_check (fuzz_is_utf8 (cells[c]));
          fuzz_check (singly_contact_list_get_value (list, row, c) == cells[c]);
        }

      fuzz_check (line > previous_line);
      previous_line = line;

      fuzz_check (fuzz_is_utf8 (address));
      if (address_column < 0)
        fuzz_check (address[0] == '\0');
      fuzz_check (display_name == NULL || (fuzz_is_utf8 (display_name) && display_name[0] != '\0'));

      /* right after a load or an address column change, inclusion is the
       * default: every row without a problem, and no row with one */
      fuzz_check (included == !singly_contact_list_row_has_problem (list, row));
      n_included += included;
    }
  fuzz_check (n_included == singly_contact_list_get_n_included (list));

  for (guint i = 0; i < n_problems; i++)
    {
      const SinglyProblem *problem = singly_contact_list_get_problem (list, i);

      fuzz_check (problem != NULL);
      fuzz_check (fuzz_is_utf8 (problem->message) && problem->message[0] != '\0');
      fuzz_check (problem->column >= -1 && problem->column < (int) n_columns);
      fuzz_check (problem->line >= previous_problem_line);
      previous_problem_line = problem->line;
      if (problem->row != SINGLY_PROBLEM_NO_ROW)
        {
          fuzz_check (problem->row < n_rows);
          fuzz_check (singly_contact_list_row_has_problem (list, problem->row));
          fuzz_check (problem->line == singly_contact_list_get_row_line (list, problem->row));
        }
    }
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(SinglyContactList) list = NULL;
  g_autoptr(GError) error = NULL;
  guint n_columns;
  int found_column;

  list = singly_contact_list_new_from_bytes (bytes, NULL, &error);
  if (list == NULL)
    {
      fuzz_check (error != NULL && error->domain == SINGLY_CONTACTS_ERROR);
      fuzz_check (fuzz_is_utf8 (error->message));
      return 0;
    }
  fuzz_check (error == NULL);

  fuzz_check (fuzz_is_utf8 (singly_contact_list_get_encoding (list)));
  fuzz_check (strchr (",;\t|", singly_contact_list_get_delimiter (list)) != NULL);
  check_column_names (list);
  check_rows (list);

  /* what the user does on the Contacts page: pick another column, or
   * none, and come back to the one that was found */
  found_column = singly_contact_list_get_address_column (list);
  n_columns = singly_contact_list_get_n_columns (list);
  for (int c = -1; c < (int) MIN (n_columns, MAX_ADDRESS_MOVES); c++)
    {
      singly_contact_list_set_address_column (list, c);
      check_rows (list);
    }
  if (n_columns > MAX_ADDRESS_MOVES)
    {
      singly_contact_list_set_address_column (list, (int) n_columns - 1);
      check_rows (list);
    }
  singly_contact_list_set_address_column (list, found_column);
  check_rows (list);

  return 0;
}
