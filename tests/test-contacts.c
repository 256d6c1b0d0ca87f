/* test-contacts.c: reading contact lists, as office software writes them
 * and as people break them; and the encoding detection underneath
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "singly-contacts.h"
#include "singly-encoding.h"
#include "singly-journal.h"
#include "singly-test-util.h"

typedef struct
{
  SinglyProblemKind kind;
  guint             row;
  guint             line;
  int               column;
} ExpectedProblem;

#define NO_COLUMN SINGLY_PROBLEM_NO_COLUMN

/* ------------------------------------------------------------------------ */
/* helpers                                                                   */

static SinglyContactList *
load_path (const char                  *path,
           const SinglyContactsOptions *options)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  SinglyContactList *list;

  list = singly_contact_list_new_from_file (file, options, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (list);
  return list;
}

static SinglyContactList *
load_sample (const char                  *name,
             const SinglyContactsOptions *options)
{
  g_autofree char *path = singly_test_sample_path (name);

  return load_path (path, options);
}

static SinglyContactList *
load_data (const char                  *name,
           const SinglyContactsOptions *options)
{
  g_autofree char *relative = g_build_filename ("contacts", name, NULL);
  g_autofree char *path = singly_test_data_path (relative);

  return load_path (path, options);
}

static SinglyContactList *
load_text (const char                  *text,
           gsize                        length,
           const SinglyContactsOptions *options)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, length);
  g_autoptr(GError) error = NULL;
  SinglyContactList *list;

  list = singly_contact_list_new_from_bytes (bytes, options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (list);
  return list;
}

static void
assert_bytes_error (const char                  *text,
                    gsize                        length,
                    const SinglyContactsOptions *options,
                    SinglyContactsError          code)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, length);
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyContactList) list = NULL;

  list = singly_contact_list_new_from_bytes (bytes, options, &error);
  g_assert_error (error, SINGLY_CONTACTS_ERROR, (int) code);
  g_assert_null (list);
  g_assert_nonnull (error->message);
  g_assert_cmpstr (error->message, !=, "");
}

static void
assert_file_error (const char                  *path,
                   const SinglyContactsOptions *options,
                   SinglyContactsError          code)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyContactList) list = NULL;

  list = singly_contact_list_new_from_file (file, options, NULL, &error);
  g_assert_error (error, SINGLY_CONTACTS_ERROR, (int) code);
  g_assert_null (list);
}

static void
assert_columns (SinglyContactList  *list,
                const char * const *expected)
{
  const char * const *names = singly_contact_list_get_column_names (list);
  guint n = g_strv_length ((char **) expected);

  g_assert_cmpuint (singly_contact_list_get_n_columns (list), ==, n);
  g_assert_true (g_strv_equal (names, expected));
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (singly_contact_list_get_column_name (list, i), ==, expected[i]);
}

static void
assert_row (SinglyContactList  *list,
            guint               row,
            const char * const *expected)
{
  const char * const *values = singly_contact_list_get_row (list, row);
  guint n = singly_contact_list_get_n_columns (list);

  g_assert_cmpuint (g_strv_length ((char **) expected), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_assert_nonnull (values[i]);
      g_assert_cmpstr (values[i], ==, expected[i]);
      g_assert_cmpstr (singly_contact_list_get_value (list, row, i), ==, expected[i]);
    }
}

static void
assert_lines (SinglyContactList *list,
              const guint       *lines,
              guint              n_rows)
{
  g_assert_cmpuint (singly_contact_list_get_n_rows (list), ==, n_rows);
  for (guint i = 0; i < n_rows; i++)
    g_assert_cmpuint (singly_contact_list_get_row_line (list, i), ==, lines[i]);
}

static void
assert_display_name (SinglyContactList *list,
                     guint              row,
                     const char        *expected)
{
  g_autofree char *name = singly_contact_list_dup_display_name (list, row);

  g_assert_cmpstr (name, ==, expected);
}

static void
assert_problems (SinglyContactList     *list,
                 const ExpectedProblem *expected,
                 guint                  n_expected)
{
  guint n = singly_contact_list_get_n_problems (list);

  for (guint i = 0; i < n; i++)
    {
      const SinglyProblem *problem = singly_contact_list_get_problem (list, i);

      g_test_message ("problem %u: %s row %u line %u column %d: %s", i,
                      singly_problem_kind_name (problem->kind), problem->row,
                      problem->line, problem->column, problem->message);
    }

  g_assert_cmpuint (n, ==, n_expected);
  for (guint i = 0; i < n; i++)
    {
      const SinglyProblem *problem = singly_contact_list_get_problem (list, i);

      g_assert_cmpstr (singly_problem_kind_name (problem->kind), ==,
                       singly_problem_kind_name (expected[i].kind));
      g_assert_cmpuint (problem->row, ==, expected[i].row);
      g_assert_cmpuint (problem->line, ==, expected[i].line);
      g_assert_cmpint (problem->column, ==, expected[i].column);
      g_assert_cmpuint (problem->line, ==, singly_contact_list_get_row_line (list, problem->row));
      g_assert_nonnull (problem->message);
      g_assert_cmpstr (problem->message, !=, "");
      g_assert_true (singly_contact_list_row_has_problem (list, problem->row));
      g_assert_false (singly_contact_list_get_row_included (list, problem->row));
    }
}

static void
assert_no_problems (SinglyContactList *list)
{
  assert_problems (list, NULL, 0);
  g_assert_cmpuint (singly_contact_list_get_n_included (list), ==,
                    singly_contact_list_get_n_rows (list));
}

static char *
write_temp_file (const char *dir,
                 const char *name,
                 const char *data,
                 gsize       length)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, data, length, &error);
  g_assert_no_error (error);
  return path;
}

/* Bytes that look like nothing: the same on every run */
static GByteArray *
junk (guint   length,
      guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  GByteArray *bytes = g_byte_array_sized_new (length);

  for (guint i = 0; i < length; i++)
    {
      guint8 byte = g_rand_int_range (rand, 0, 256);

      g_byte_array_append (bytes, &byte, 1);
    }
  return bytes;
}

/* ------------------------------------------------------------------------ */
/* the samples, as Excel and friends write them                              */

static void
test_sample_utf8 (void)
{
  g_autoptr(SinglyContactList) list = load_sample ("contacts.csv", NULL);
  static const char * const columns[] = {
    "email", "first_name", "last_name", "company", "amount", "note", NULL
  };
  /* Zoë's note holds a line break, so José starts two lines later */
  static const guint lines[] = { 2, 3, 4, 5, 6, 7, 8, 10, 11, 12 };

  g_assert_cmpstr (singly_contact_list_get_encoding (list), ==, "UTF-8");
  g_assert_true (singly_contact_list_get_encoding_detected (list));
  g_assert_false (singly_contact_list_get_had_bom (list));
  g_assert_cmpint (singly_contact_list_get_delimiter (list), ==, ',');
  assert_columns (list, columns);
  assert_lines (list, lines, G_N_ELEMENTS (lines));

  assert_row (list, 0, (const char * const[]) {
    "alice.martin@example.com", "Alice", "Martin", "Acme Ltd", "1250.00", "", NULL });
  assert_row (list, 1, (const char * const[]) {
    "bob.oneil@example.org", "Bob", "O'Neil", "O'Neil & Sons", "80.5", "Prefers \"Bob\"", NULL });
  assert_row (list, 4, (const char * const[]) {
    "wang.xiaoming@example.cn", "小明", "王", "北京示例科技有限公司", "3200", "", NULL });
  assert_row (list, 6, (const char * const[]) {
    "zoe@example.nl", "Zoë", "van der Berg", "Berg, Berg & Co", "75", "Line one\nLine two", NULL });
  assert_row (list, 9, (const char * const[]) {
    "olafur@example.is", "Ólafur", "Jónsson", "Dæmi ehf.", "5", "", NULL });

  g_assert_cmpint (singly_contact_list_get_address_column (list), ==, 0);
  g_assert_cmpstr (singly_contact_list_get_address (list, 2), ==, "chloe.dubois@example.fr");
  g_assert_cmpint (singly_contact_list_get_name_column (list), ==, -1);
  g_assert_cmpint (singly_contact_list_get_given_name_column (list), ==, 1);
  g_assert_cmpint (singly_contact_list_get_family_name_column (list), ==, 2);
  assert_display_name (list, 0, "Alice Martin");
  assert_display_name (list, 3, "Jürgen Groß");
  /* both parts Chinese: family name first, no space */
  assert_display_name (list, 4, "王小明");
  assert_display_name (list, 5, "李丽");
  assert_no_problems (list);
  g_assert_cmpuint (singly_contact_list_get_n_included (list), ==, 10);
}

static void
test_sample_gbk (void)
{
  g_autoptr(SinglyContactList) list = load_sample ("contacts-excel-gbk.csv", NULL);
  static const char * const columns[] = { "姓名", "邮箱", "公司", "金额", NULL };
  static const guint lines[] = { 2, 3, 4, 5, 6 };

  g_assert_cmpstr (singly_contact_list_get_encoding (list), ==, "GB18030");
  g_assert_true (singly_contact_list_get_encoding_detected (list));
  g_assert_false (singly_contact_list_get_had_bom (list));
  g_assert_cmpint (singly_contact_list_get_delimiter (list), ==, ',');
  assert_columns (list, columns);
  assert_lines (list, lines, G_N_ELEMENTS (lines));

  /* CRLF line ends leave no CR in the last column */
  assert_row (list, 0, (const char * const[]) {
    "Alice Martin", "alice.martin@example.com", "Acme Ltd", "1250.00", NULL });
  assert_row (list, 2, (const char * const[]) {
    "王小明", "wang.xiaoming@example.cn", "北京示例科技有限公司", "3200", NULL });
  assert_row (list, 3, (const char * const[]) {
    "李丽", "li.li@example.cn", "上海样例贸易", "150", NULL });

  g_assert_cmpint (singly_contact_list_get_address_column (list), ==, 1);
  g_assert_cmpint (singly_contact_list_get_name_column (list), ==, 0);
  g_assert_cmpint (singly_contact_list_find_column (list, "邮箱"), ==, 1);
  assert_display_name (list, 2, "王小明");
  g_assert_cmpstr (singly_contact_list_get_address (list, 4), ==, "priya.sharma@example.in");
  assert_no_problems (list);
}

static void
test_sample_semicolon_bom (void)
{
  g_autoptr(SinglyContactList) list = load_sample ("contacts-excel-semicolon-bom.csv", NULL);
  static const char * const columns[] = { "E-Mail", "Vorname", "Nachname", "Firma", "Betrag", NULL };
  static const guint lines[] = { 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };

  g_assert_cmpstr (singly_contact_list_get_encoding (list), ==, "UTF-8");
  g_assert_true (singly_contact_list_get_had_bom (list));
  g_assert_cmpint (singly_contact_list_get_delimiter (list), ==, ';');
  /* the BOM never sticks to the first name */
  assert_columns (list, columns);
  g_assert_cmpint (singly_contact_list_find_column (list, "e-mail"), ==, 0);
  assert_lines (list, lines, G_N_ELEMENTS (lines));

  /* decimal commas stay inside their cell */
  assert_row (list, 0, (const char * const[]) {
    "alice.martin@example.com", "Alice", "Martin", "Acme Ltd", "1250,00", NULL });
  assert_row (list, 6, (const char * const[]) {
    "zoe@example.nl", "Zoë", "van der Berg", "Berg, Berg & Co", "75", NULL });
  assert_row (list, 4, (const char * const[]) {
    "wang.xiaoming@example.cn", "小明", "王", "北京示例科技有限公司", "3200", NULL });

  g_assert_cmpint (singly_contact_list_get_address_column (list), ==, 0);
  g_assert_cmpint (singly_contact_list_get_given_name_column (list), ==, 1);
  g_assert_cmpint (singly_contact_list_get_family_name_column (list), ==, 2);
  assert_display_name (list, 1, "Bob O'Neil");
  assert_display_name (list, 4, "王小明");
  assert_no_problems (list);
}

static void
test_sample_utf16 (void)
{
  g_autoptr(SinglyContactList) list = load_sample ("contacts-excel-utf16.txt", NULL);
  static const char * const columns[] = { "email", "name", "company", NULL };
  static const guint lines[] = { 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };

  g_assert_cmpstr (singly_contact_list_get_encoding (list), ==, "UTF-16LE");
  g_assert_true (singly_contact_list_get_had_bom (list));
  g_assert_true (singly_contact_list_get_encoding_detected (list));
  g_assert_cmpint (singly_contact_list_get_delimiter (list), ==, '\t');
  assert_columns (list, columns);
  assert_lines (list, lines, G_N_ELEMENTS (lines));

  assert_row (list, 4, (const char * const[]) {
    "wang.xiaoming@example.cn", "小明 王", "北京示例科技有限公司", NULL });
  assert_row (list, 6, (const char * const[]) {
    "zoe@example.nl", "Zoë van der Berg", "Berg, Berg & Co", NULL });
  assert_row (list, 9, (const char * const[]) {
    "olafur@example.is", "Ólafur Jónsson", "Dæmi ehf.", NULL });

  g_assert_cmpint (singly_contact_list_get_name_column (list), ==, 1);
  assert_display_name (list, 2, "Chloé Dubois");
  assert_no_problems (list);
}

/* ------------------------------------------------------------------------ */
/* what the user can force                                                   */

static void
test_forced_encoding (void)
{
  SinglyContactsOptions gbk = { .encoding = "gbk" };
  SinglyContactsOptions cp1252 = { .encoding = "cp1252" };
  SinglyContactsOptions latin1 = { .encoding = "latin1" };
  SinglyContactsOptions unknown = { .encoding = "x-no-such-encoding" };
  SinglyContactsOptions utf8 = { .encoding = "UTF-8" };
  g_autoptr(SinglyContactList) list = NULL;
  g_autofree char *gbk_path = singly_test_sample_path ("contacts-excel-gbk.csv");
  g_autofree char *utf8_path = singly_test_sample_path ("contacts.csv");
  g_autoptr(GFile) utf8_file = g_file_new_for_path (utf8_path);
  g_autoptr(GError) error = NULL;

  list = load_sample ("contacts-excel-gbk.csv", &gbk);
  g_assert_cmpstr (singly_contact_list_get_encoding (list), ==, "GB18030");
  g_assert_false (singly_contact_list_get_encoding_detected (list));
  g_assert_cmpstr (singly_contact_list_get_value (list, 2, 0), ==, "王小明");
  g_clear_object (&list);

  /* the wrong choice is obeyed: it is the user's to make */
  list = load_sample ("contacts.csv", &latin1);
  g_assert_cmpstr (singly_contact_list_get_encoding (list), ==, "ISO-8859-1");
  g_assert_false (singly_contact_list_get_encoding_detected (list));
  g_assert_cmpstr (singly_contact_list_get_value (list, 2, 1), ==, "ChloÃ©");
  g_clear_object (&list);

  /* …unless the bytes cannot be that encoding: UTF-8 Chinese holds bytes
   * Windows-1252 leaves undefined, first on line 6 */
  list = singly_contact_list_new_from_file (utf8_file, &cp1252, NULL, &error);
  g_assert_error (error, SINGLY_CONTACTS_ERROR, SINGLY_CONTACTS_ERROR_ENCODING);
  g_assert_nonnull (strstr (error->message, "line 6"));
  g_assert_null (list);

  assert_file_error (gbk_path, &unknown, SINGLY_CONTACTS_ERROR_ENCODING);
  assert_file_error (gbk_path, &utf8, SINGLY_CONTACTS_ERROR_ENCODING);
}

static void
test_forced_delimiter (void)
{
  SinglyContactsOptions comma = { .delimiter = ',' };
  SinglyContactsOptions semicolon = { .delimiter = ';' };
  g_autoptr(SinglyContactList) list = NULL;

  /* a comma forced on the semicolon file: one column, decimal commas split */
  list = load_sample ("contacts-excel-semicolon-bom.csv", &comma);
  g_assert_cmpint (singly_contact_list_get_delimiter (list), ==, ',');
  g_assert_cmpuint (singly_contact_list_get_n_columns (list), ==, 1);
  g_assert_cmpstr (singly_contact_list_get_column_name (list, 0), ==, "E-Mail;Vorname;Nachname;Firma;Betrag");
  g_assert_cmpuint (singly_contact_list_get_n_rows (list), ==, 10);
  g_assert_cmpstr (singly_contact_list_get_value (list, 0, 0), ==,
                   "alice.martin@example.com;Alice;Martin;Acme Ltd;1250");
  g_clear_object (&list);

  list = load_sample ("contacts.csv", &semicolon);
  g_assert_cmpint (singly_contact_list_get_delimiter (list), ==, ';');
  g_assert_cmpuint (singly_contact_list_get_n_columns (list), ==, 1);
  g_clear_object (&list);

  list = load_data ("pipe.csv", NULL);
  g_assert_cmpint (singly_contact_list_get_delimiter (list), ==, '|');
  assert_columns (list, (const char * const[]) { "Full Name", "E-mail Address", "City", NULL });
  g_assert_cmpint (singly_contact_list_get_address_column (list), ==, 1);
  g_assert_cmpint (singly_contact_list_get_name_column (list), ==, 0);
  assert_display_name (list, 1, "Bob Smith");
  assert_no_problems (list);
}

static void
test_forced_address_column (void)
{
  SinglyContactsOptions company = { .address_column = "  COMPANY " };
  SinglyContactsOptions missing = { .address_column = "courriel" };
  g_autoptr(SinglyContactList) list = NULL;
  g_autofree char *path = singly_test_sample_path ("contacts.csv");

  list = load_sample ("contacts.csv", &company);
  g_assert_cmpint (singly_contact_list_get_address_column (list), ==, 3);
  g_assert_cmpuint (singly_contact_list_get_n_problems (list), ==, 10);
  g_assert_cmpuint (singly_contact_list_get_n_included (list), ==, 0);
  g_assert_cmpint (singly_contact_list_get_problem (list, 0)->kind, ==, SINGLY_PROBLEM_INVALID_ADDRESS);
  g_assert_cmpint (singly_contact_list_get_problem (list, 0)->column, ==, 3);

  assert_file_error (path, &missing, SINGLY_CONTACTS_ERROR_HEADER);
}

/* ------------------------------------------------------------------------ */
/* columns                                                                   */

static void
test_header_names (void)
{
  static const char text[] =
    "\xef\xbb\xbf\xef\xbb\xbf  Email  ,,name,\tName\t, \xe3\x80\x80\xe5\xa7\x93\xe5\x90\x8d\xe3\x80\x80\r\n"
    "a@example.com,x,Alice,Other,Wang\r\n";
  g_autoptr(SinglyContactList) list = load_text (text, sizeof text - 1, NULL);

  /* trimmed (ideographic spaces too), a doubled BOM gone, empty names numbered */
  assert_columns (list, (const char * const[]) { "Email", "Column 2", "name", "Name", "姓名", NULL });
  g_assert_true (singly_contact_list_get_had_bom (list));
  /* duplicate names are allowed; the first one is found */
  g_assert_cmpint (singly_contact_list_find_column (list, "NAME"), ==, 2);
  g_assert_cmpint (singly_contact_list_find_column (list, " email "), ==, 0);
  g_assert_cmpint (singly_contact_list_find_column (list, "column 2"), ==, 1);
  g_assert_cmpint (singly_contact_list_find_column (list, "e-mail"), ==, -1);
  g_assert_cmpint (singly_contact_list_find_column (list, "phone"), ==, -1);
  g_assert_cmpint (singly_contact_list_get_name_column (list), ==, 2);
  assert_display_name (list, 0, "Alice");
}

static void
test_address_column_names (void)
{
  static const char * const names[] = {
    "E-mail", "EMAIL_ADDRESS", "Mail", "Adresse e-mail", "Correo electrónico",
    "邮箱", "电子邮件", "邮件地址", "電子郵件", "メールアドレス", "E-Mail-Adresse",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *text = g_strdup_printf ("name,%s,note\nAlice,not an address,x\n", names[i]);
      g_autoptr(SinglyContactList) list = load_text (text, strlen (text), NULL);

      g_test_message ("header %s", names[i]);
      g_assert_cmpint (singly_contact_list_get_address_column (list), ==, 1);
    }
}

static void
test_address_column_by_content (void)
{
  g_autoptr(SinglyContactList) list = load_data ("gbk-no-email.csv", NULL);
  static const ExpectedProblem expected[] = {
    { SINGLY_PROBLEM_INVALID_ADDRESS, 2, 4, 1 },
  };
  static const guint lines[] = { 2, 3, 4 };

  g_assert_cmpstr (singly_contact_list_get_encoding (list), ==, "GB18030");
  assert_columns (list, (const char * const[]) { "姓名", "联系方式", "公司", NULL });
  assert_lines (list, lines, G_N_ELEMENTS (lines));
  /* two of three values are addresses: more than half */
  g_assert_cmpint (singly_contact_list_get_address_column (list), ==, 1);
  assert_row (list, 0, (const char * const[]) {
    "王小明", "wang.xiaoming@example.cn", "北京示例科技有限公司", NULL });
  assert_row (list, 2, (const char * const[]) { "张伟", "无", "个人", NULL });
  assert_display_name (list, 1, "李丽");
  assert_problems (list, expected, G_N_ELEMENTS (expected));
  g_assert_cmpuint (singly_contact_list_get_n_included (list), ==, 2);
}

static void
test_no_address_column (void)
{
  static const char text[] = "name,phone\nAlice,123\nBob,b@example.com\nCarol,\n";
  g_autoptr(SinglyContactList) list = load_text (text, sizeof text - 1, NULL);

  /* one address in three rows is not enough to guess */
  g_assert_cmpint (singly_contact_list_get_address_column (list), ==, -1);
  g_assert_cmpstr (singly_contact_list_get_address (list, 1), ==, "");
  g_assert_cmpuint (singly_contact_list_get_n_rows (list), ==, 3);
  assert_no_problems (list);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_set_address_column (void)
{
  g_autoptr(SinglyContactList) list = load_sample ("contacts.csv", NULL);
  guint notified = 0;

  g_signal_connect (list, "notify::address-column", G_CALLBACK (count_notify_cb), &notified);

  singly_contact_list_set_row_included (list, 3, FALSE);
  g_assert_false (singly_contact_list_get_row_included (list, 3));
  g_assert_cmpuint (singly_contact_list_get_n_included (list), ==, 9);

  /* the company column: every row's "address" is wrong */
  singly_contact_list_set_address_column (list, 3);
  g_assert_cmpint (singly_contact_list_get_address_column (list), ==, 3);
  g_assert_cmpuint (singly_contact_list_get_n_problems (list), ==, 10);
  g_assert_cmpuint (singly_contact_list_get_n_included (list), ==, 0);
  g_assert_cmpstr (singly_contact_list_get_address (list, 0), ==, "Acme Ltd");

  /* no address column at all: nothing to check */
  singly_contact_list_set_address_column (list, -1);
  g_assert_cmpint (singly_contact_list_get_address_column (list), ==, -1);
  g_assert_cmpuint (singly_contact_list_get_n_problems (list), ==, 0);
  g_assert_cmpstr (singly_contact_list_get_address (list, 0), ==, "");

  /* back: defaults again, the earlier exclusion forgotten */
  singly_contact_list_set_address_column (list, 0);
  assert_no_problems (list);
  g_assert_true (singly_contact_list_get_row_included (list, 3));
  g_assert_cmpuint (singly_contact_list_get_n_included (list), ==, 10);
  g_assert_cmpuint (notified, ==, 3);

  /* the same column again still resets inclusion, without a notification */
  singly_contact_list_set_row_included (list, 3, FALSE);
  singly_contact_list_set_address_column (list, 0);
  g_assert_true (singly_contact_list_get_row_included (list, 3));
  g_assert_cmpuint (notified, ==, 3);

  /* the property is the same thing */
  g_object_set (list, "address-column", 3, NULL);
  g_assert_cmpuint (singly_contact_list_get_n_included (list), ==, 0);
  g_assert_cmpuint (notified, ==, 4);
}

static void
test_included (void)
{
  g_autoptr(SinglyContactList) list = load_data ("bad-addresses.csv", NULL);
  guint notified = 0;

  g_signal_connect (list, "notify::n-included", G_CALLBACK (count_notify_cb), &notified);

  g_assert_cmpuint (singly_contact_list_get_n_rows (list), ==, 6);
  g_assert_cmpuint (singly_contact_list_get_n_included (list), ==, 1);
  g_assert_true (singly_contact_list_get_row_included (list, 5));
  g_assert_false (singly_contact_list_get_row_included (list, 2));

  /* a problem row can be included by hand, and it stays a problem row */
  singly_contact_list_set_row_included (list, 2, TRUE);
  g_assert_true (singly_contact_list_get_row_included (list, 2));
  g_assert_true (singly_contact_list_row_has_problem (list, 2));
  g_assert_cmpuint (singly_contact_list_get_n_included (list), ==, 2);
  g_assert_cmpuint (notified, ==, 1);

  /* setting the same value again changes nothing */
  singly_contact_list_set_row_included (list, 2, TRUE);
  g_assert_cmpuint (singly_contact_list_get_n_included (list), ==, 2);
  g_assert_cmpuint (notified, ==, 1);

  singly_contact_list_set_row_included (list, 5, FALSE);
  g_assert_cmpuint (singly_contact_list_get_n_included (list), ==, 1);
  g_assert_cmpuint (notified, ==, 2);
}

/* ------------------------------------------------------------------------ */
/* rows and their problems                                                   */

static void
test_duplicates (void)
{
  g_autoptr(SinglyContactList) list = load_data ("duplicates.csv", NULL);
  static const ExpectedProblem expected[] = {
    { SINGLY_PROBLEM_DUPLICATE_ADDRESS, 2, 5, 0 },
    { SINGLY_PROBLEM_DUPLICATE_ADDRESS, 3, 6, 0 },
    { SINGLY_PROBLEM_DUPLICATE_ADDRESS, 6, 9, 0 },
  };
  /* the blank line 4 is skipped but still counted */
  static const guint lines[] = { 2, 3, 5, 6, 7, 8, 9 };

  assert_lines (list, lines, G_N_ELEMENTS (lines));
  assert_problems (list, expected, G_N_ELEMENTS (expected));

  /* the first of each stays clean */
  g_assert_false (singly_contact_list_row_has_problem (list, 0));
  g_assert_false (singly_contact_list_row_has_problem (list, 1));
  g_assert_false (singly_contact_list_row_has_problem (list, 5));
  g_assert_nonnull (strstr (singly_contact_list_get_problem (list, 0)->message, "line 2"));
  g_assert_nonnull (strstr (singly_contact_list_get_problem (list, 1)->message, "line 3"));
  g_assert_nonnull (strstr (singly_contact_list_get_problem (list, 2)->message, "line 8"));

  /* the value keeps its spaces, the address does not */
  g_assert_cmpstr (singly_contact_list_get_value (list, 3, 0), ==, " bob@EXAMPLE.com ");
  g_assert_cmpstr (singly_contact_list_get_address (list, 3), ==, "bob@EXAMPLE.com");
  g_assert_cmpuint (singly_contact_list_get_n_included (list), ==, 4);
}

static void
test_bad_addresses (void)
{
  g_autoptr(SinglyContactList) list = load_data ("bad-addresses.csv", NULL);
  static const ExpectedProblem expected[] = {
    { SINGLY_PROBLEM_CONTROL_CHARACTER, 0, 2, 0 },
    { SINGLY_PROBLEM_EMPTY_ADDRESS, 1, 4, 0 },
    { SINGLY_PROBLEM_INVALID_ADDRESS, 2, 5, 0 },
    { SINGLY_PROBLEM_INVALID_ADDRESS, 3, 6, 0 },
    { SINGLY_PROBLEM_LOCAL_PART_TOO_LONG, 4, 7, 0 },
  };
  static const guint lines[] = { 2, 4, 5, 6, 7, 8 };

  assert_lines (list, lines, G_N_ELEMENTS (lines));
  assert_problems (list, expected, G_N_ELEMENTS (expected));
  /* the injection attempt is kept as it is, for people to see */
  g_assert_cmpstr (singly_contact_list_get_value (list, 0, 0), ==,
                   "a@example.com\r\nBcc: victim@example.org");
  g_assert_cmpstr (singly_contact_list_get_problem (list, 2)->message, ==, "The address has no @ sign");
  g_assert_false (singly_contact_list_row_has_problem (list, 5));
}

static void
test_unclosed_quote_end (void)
{
  g_autoptr(SinglyContactList) list = load_data ("unclosed-quote-end.csv", NULL);
  static const ExpectedProblem expected[] = {
    { SINGLY_PROBLEM_UNCLOSED_QUOTE, 1, 3, 2 },
  };
  static const guint lines[] = { 2, 3 };

  assert_lines (list, lines, G_N_ELEMENTS (lines));
  assert_row (list, 0, (const char * const[]) { "a@example.com", "Alice", "ok", NULL });
  /* the partial row is kept, its text as written */
  assert_row (list, 1, (const char * const[]) { "b@example.com", "Bob", "\"never closed", NULL });
  assert_problems (list, expected, G_N_ELEMENTS (expected));
  g_assert_cmpuint (singly_contact_list_get_n_included (list), ==, 1);
}

static void
test_unclosed_quote_middle (void)
{
  g_autoptr(SinglyContactList) list = load_data ("unclosed-quote-middle.csv", NULL);
  static const ExpectedProblem expected[] = {
    { SINGLY_PROBLEM_UNCLOSED_QUOTE, 0, 2, 1 },
  };
  static const guint lines[] = { 2, 3, 4 };

  /* the quote that never closes costs its own row, not the rows after it */
  assert_lines (list, lines, G_N_ELEMENTS (lines));
  assert_row (list, 0, (const char * const[]) { "a@example.com", "\"Alice", "first", NULL });
  assert_row (list, 1, (const char * const[]) { "b@example.com", "Bob", "second", NULL });
  assert_row (list, 2, (const char * const[]) { "c@example.com", "Carol", "third", NULL });
  assert_problems (list, expected, G_N_ELEMENTS (expected));
}

static void
test_stray_quote (void)
{
  g_autoptr(SinglyContactList) list = load_data ("stray-quote.csv", NULL);
  static const ExpectedProblem expected[] = {
    { SINGLY_PROBLEM_STRAY_QUOTE, 1, 3, 1 },
    { SINGLY_PROBLEM_STRAY_QUOTE, 2, 4, 1 },
  };
  static const guint lines[] = { 2, 3, 4, 5, 7 };

  assert_lines (list, lines, G_N_ELEMENTS (lines));
  assert_row (list, 1, (const char * const[]) {
    "b@example.com", "Bob \"the builder\" Smith", "Builders", NULL });
  assert_row (list, 2, (const char * const[]) { "c@example.com", "\"Carol\" Jr", "Co", NULL });
  /* parsing goes on strictly after the bad rows */
  assert_row (list, 3, (const char * const[]) { "d@example.com", "Dan", "Multi\nline, fine", NULL });
  assert_row (list, 4, (const char * const[]) { "e@example.com", "Eve", "Eco", NULL });
  assert_problems (list, expected, G_N_ELEMENTS (expected));
}

static void
test_quotes_with_blanks (void)
{
  static const char text[] =
    "email, name ,company\n"
    "a@example.com, \"Smith, John\" ,Acme\n"
    "\"b@example.com\"  ,Bob,\"  spaced  \"\n";
  g_autoptr(SinglyContactList) list = load_text (text, sizeof text - 1, NULL);

  /* blanks around well-formed quotes are how people write CSV by hand */
  assert_columns (list, (const char * const[]) { "email", "name", "company", NULL });
  assert_row (list, 0, (const char * const[]) { "a@example.com", "Smith, John", "Acme", NULL });
  assert_row (list, 1, (const char * const[]) { "b@example.com", "Bob", "  spaced  ", NULL });
  assert_no_problems (list);
}

static void
test_ragged (void)
{
  g_autoptr(SinglyContactList) list = load_data ("ragged.csv", NULL);
  static const ExpectedProblem expected[] = {
    { SINGLY_PROBLEM_RAGGED_ROW, 1, 3, NO_COLUMN },
    { SINGLY_PROBLEM_RAGGED_ROW, 2, 4, NO_COLUMN },
  };
  static const guint lines[] = { 2, 3, 4, 5 };

  assert_lines (list, lines, G_N_ELEMENTS (lines));
  assert_row (list, 1, (const char * const[]) { "b@example.com", "Bob", "", NULL });
  assert_row (list, 2, (const char * const[]) { "c@example.com", "Carol", "Co", NULL });
  assert_row (list, 3, (const char * const[]) { "d@example.com", "Dan", "Dco", NULL });
  assert_problems (list, expected, G_N_ELEMENTS (expected));
  g_assert_cmpuint (singly_contact_list_get_n_included (list), ==, 2);
}

static void
test_nul_bytes (void)
{
  static const char text[] =
    "email,name\n"
    "a@example.com,Al\0ice\n"
    "b@exa\0mple.com,Bob\n"
    "c@example.com,Carol\n"
    "d@example.com,\"Da\0n\",extra\0\n";
  g_autoptr(SinglyContactList) list = load_text (text, sizeof text - 1, NULL);
  static const ExpectedProblem expected[] = {
    { SINGLY_PROBLEM_NUL_BYTE, 0, 2, 1 },
    { SINGLY_PROBLEM_NUL_BYTE, 1, 3, 0 },
    { SINGLY_PROBLEM_NUL_BYTE, 3, 5, 1 },
    { SINGLY_PROBLEM_RAGGED_ROW, 3, 5, NO_COLUMN },
  };
  static const guint lines[] = { 2, 3, 4, 5 };

  g_assert_cmpstr (singly_contact_list_get_encoding (list), ==, "UTF-8");
  assert_lines (list, lines, G_N_ELEMENTS (lines));
  /* the NUL is kept out of the value: nothing downstream ever sees it */
  assert_row (list, 0, (const char * const[]) { "a@example.com", "Alice", NULL });
  assert_row (list, 1, (const char * const[]) { "b@example.com", "Bob", NULL });
  assert_row (list, 3, (const char * const[]) { "d@example.com", "Dan", NULL });
  g_assert_cmpstr (singly_contact_list_get_address (list, 1), ==, "b@example.com");
  assert_problems (list, expected, G_N_ELEMENTS (expected));
}

static void
test_blank_lines_between (void)
{
  static const char text[] =
    "\n"
    "email,name\r\n"
    "\r\n"
    "a@example.com,Alice\r\n"
    "   \r\n"
    ",\r\n"
    "\r\n"
    "b@example.com,Bob\r\n"
    "\r\n";
  g_autoptr(SinglyContactList) list = load_text (text, sizeof text - 1, NULL);
  static const guint lines[] = { 4, 8 };

  assert_columns (list, (const char * const[]) { "email", "name", NULL });
  assert_lines (list, lines, G_N_ELEMENTS (lines));
  assert_no_problems (list);
}

static void
test_cr_only (void)
{
  g_autoptr(SinglyContactList) list = load_data ("cr-only.csv", NULL);
  static const guint lines[] = { 2, 3, 5 };

  assert_columns (list, (const char * const[]) { "email", "name", NULL });
  assert_lines (list, lines, G_N_ELEMENTS (lines));
  assert_row (list, 1, (const char * const[]) { "b@example.com", "Bob\rBuilder", NULL });
  assert_row (list, 2, (const char * const[]) { "c@example.com", "Carol", NULL });
  assert_no_problems (list);
}

static void
test_values_not_trimmed (void)
{
  static const char text[] = "email,name,note\n  a@example.com\t, Alice ,\t\n";
  g_autoptr(SinglyContactList) list = load_text (text, sizeof text - 1, NULL);
  static const ExpectedProblem expected[] = {
    /* spaces are trimmed from an address, a tab is not */
    { SINGLY_PROBLEM_CONTROL_CHARACTER, 0, 2, 0 },
  };

  assert_row (list, 0, (const char * const[]) { "  a@example.com\t", " Alice ", "\t", NULL });
  assert_display_name (list, 0, "Alice");
  assert_problems (list, expected, G_N_ELEMENTS (expected));
}

static void
test_utf16be (void)
{
  g_autoptr(SinglyContactList) list = load_data ("utf16be.csv", NULL);
  static const guint lines[] = { 2, 3 };

  g_assert_cmpstr (singly_contact_list_get_encoding (list), ==, "UTF-16BE");
  g_assert_true (singly_contact_list_get_had_bom (list));
  assert_columns (list, (const char * const[]) { "email", "name", "company", NULL });
  assert_lines (list, lines, G_N_ELEMENTS (lines));
  assert_row (list, 0, (const char * const[]) { "chloe@example.fr", "Chloé Dubois", "Société Générale", NULL });
  assert_row (list, 1, (const char * const[]) { "juergen@example.de", "Jürgen Groß", "Müller GmbH", NULL });
  assert_no_problems (list);
}

static void
test_windows_1252 (void)
{
  g_autoptr(SinglyContactList) list = load_data ("windows-1252.csv", NULL);
  static const guint lines[] = { 2, 3, 4 };

  g_assert_cmpstr (singly_contact_list_get_encoding (list), ==, "WINDOWS-1252");
  g_assert_true (singly_contact_list_get_encoding_detected (list));
  g_assert_cmpint (singly_contact_list_get_delimiter (list), ==, ';');
  assert_lines (list, lines, G_N_ELEMENTS (lines));
  assert_row (list, 0, (const char * const[]) { "chloe@example.fr", "Chloé Dubois", "Société Générale", NULL });
  /* the bytes that differ from Latin-1: curly quotes and the euro sign */
  assert_row (list, 2, (const char * const[]) { "zoe@example.nl", "Zoë “Z” van der Berg", "Berg € Co", NULL });
  assert_no_problems (list);
}

/* ------------------------------------------------------------------------ */
/* whole-file errors and edge cases                                          */

static void
test_empty (void)
{
  g_autofree char *empty = singly_test_data_path ("contacts/empty.csv");
  g_autofree char *blank = singly_test_data_path ("contacts/blank-lines.csv");

  assert_file_error (empty, NULL, SINGLY_CONTACTS_ERROR_EMPTY);
  assert_file_error (blank, NULL, SINGLY_CONTACTS_ERROR_EMPTY);
  assert_bytes_error ("\xef\xbb\xbf", 3, NULL, SINGLY_CONTACTS_ERROR_EMPTY);
  assert_bytes_error ("\xff\xfe\r\0\n\0", 6, NULL, SINGLY_CONTACTS_ERROR_EMPTY);
  assert_bytes_error (",,,\n,,\n", 7, NULL, SINGLY_CONTACTS_ERROR_EMPTY);
}

static void
test_header_only (void)
{
  g_autoptr(SinglyContactList) list = load_data ("header-only.csv", NULL);

  assert_columns (list, (const char * const[]) { "email", "name", NULL });
  g_assert_cmpuint (singly_contact_list_get_n_rows (list), ==, 0);
  g_assert_cmpuint (singly_contact_list_get_n_problems (list), ==, 0);
  g_assert_cmpuint (singly_contact_list_get_n_included (list), ==, 0);
  g_assert_cmpint (singly_contact_list_get_address_column (list), ==, 0);
  g_clear_object (&list);

  /* without a final line break too */
  list = load_text ("email", 5, NULL);
  assert_columns (list, (const char * const[]) { "email", NULL });
  g_assert_cmpuint (singly_contact_list_get_n_rows (list), ==, 0);
}

static void
test_binary (void)
{
  g_autofree char *dir = singly_test_tmpdir ();
  g_autoptr(GByteArray) random = junk (4096, 7);
  g_autoptr(GByteArray) png = g_byte_array_new ();
  g_autoptr(GByteArray) zip = g_byte_array_new ();
  g_autofree char *zeros = g_malloc0 (2048);
  g_autofree char *random_path = NULL;
  g_autofree char *png_path = NULL;
  g_autofree char *zip_path = NULL;
  g_autofree char *zeros_path = NULL;
  g_autoptr(GByteArray) tail = junk (3000, 11);

  g_byte_array_append (png, (const guint8 *) "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
  g_byte_array_append (png, tail->data, tail->len);
  g_byte_array_append (zip, (const guint8 *) "PK\x03\x04\x14\0\x06\0", 8);
  g_byte_array_append (zip, (const guint8 *) "[Content_Types].xml", 19);
  g_byte_array_append (zip, tail->data, 500);

  random_path = write_temp_file (dir, "random.csv", (char *) random->data, random->len);
  png_path = write_temp_file (dir, "image.csv", (char *) png->data, png->len);
  zip_path = write_temp_file (dir, "workbook.csv", (char *) zip->data, zip->len);
  zeros_path = write_temp_file (dir, "zeros.csv", zeros, 2048);

  assert_file_error (random_path, NULL, SINGLY_CONTACTS_ERROR_BINARY);
  assert_file_error (png_path, NULL, SINGLY_CONTACTS_ERROR_BINARY);
  assert_file_error (zip_path, NULL, SINGLY_CONTACTS_ERROR_BINARY);
  /* a file zero-filled by a crash */
  assert_file_error (zeros_path, NULL, SINGLY_CONTACTS_ERROR_BINARY);

  singly_test_rm_rf (dir);
}

static void
test_unreadable (void)
{
  g_autofree char *dir = singly_test_tmpdir ();
  g_autofree char *missing = g_build_filename (dir, "missing.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (missing);
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyContactList) list = NULL;

  list = singly_contact_list_new_from_file (file, NULL, NULL, &error);
  g_assert_error (error, SINGLY_CONTACTS_ERROR, SINGLY_CONTACTS_ERROR_IO);
  g_assert_null (list);
  g_assert_nonnull (strstr (error->message, "missing.csv"));

  /* a folder is not a file */
  assert_file_error (dir, NULL, SINGLY_CONTACTS_ERROR_IO);
  singly_test_rm_rf (dir);
}

static void
test_cancelled (void)
{
  g_autofree char *path = singly_test_sample_path ("contacts.csv");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyContactList) list = NULL;

  g_cancellable_cancel (cancellable);
  list = singly_contact_list_new_from_file (file, NULL, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (list);
}

static void
test_many_rows (void)
{
  g_autoptr(GString) text = g_string_new ("email,name\n");
  g_autoptr(SinglyContactList) list = NULL;
  const guint n = 20000;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "user%u@example.com,\"User\n%u\"\n", i, i);
  g_string_append (text, "USER7@EXAMPLE.COM,again\n");

  list = load_text (text->str, text->len, NULL);
  g_assert_cmpuint (singly_contact_list_get_n_rows (list), ==, n + 1);
  g_assert_cmpuint (singly_contact_list_get_row_line (list, n - 1), ==, 2 + 2 * (n - 1));
  g_assert_cmpstr (singly_contact_list_get_value (list, 12345, 1), ==, "User\n12345");
  g_assert_cmpuint (singly_contact_list_get_n_problems (list), ==, 1);
  g_assert_cmpint (singly_contact_list_get_problem (list, 0)->kind, ==, SINGLY_PROBLEM_DUPLICATE_ADDRESS);
  g_assert_cmpuint (singly_contact_list_get_problem (list, 0)->line, ==, 2 + 2 * n);
  g_assert_cmpuint (singly_contact_list_get_n_included (list), ==, n);
}

/* ------------------------------------------------------------------------ */
/* singly_decode_text()                                                      */

static void
assert_decoded (const char *data,
                gsize       length,
                const char *forced,
                const char *expected_text,
                const char *expected_encoding,
                gboolean    expected_bom)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyDecoded) decoded = singly_decode_text (data, length, forced, &error);

  g_assert_no_error (error);
  g_assert_nonnull (decoded);
  g_assert_cmpstr (decoded->encoding, ==, expected_encoding);
  g_assert_cmpuint (decoded->length, ==, strlen (expected_text));
  g_assert_cmpstr (decoded->text, ==, expected_text);
  g_assert_cmpint (decoded->had_bom, ==, expected_bom);
  g_assert_cmpint (decoded->detected, ==, forced == NULL);
}

static char *
encode (const char *utf8,
        const char *encoding,
        gsize      *length)
{
  g_autoptr(GError) error = NULL;
  char *result = g_convert (utf8, -1, encoding, "UTF-8", NULL, length, &error);

  g_assert_no_error (error);
  return result;
}

static void
test_encoding_boms (void)
{
  assert_decoded ("\xef\xbb\xbf" "a,b\n", 7, NULL, "a,b\n", "UTF-8", TRUE);
  assert_decoded ("\xff\xfe" "a\0,\0\xe9\0\n\0", 10, NULL, "a,é\n", "UTF-16LE", TRUE);
  assert_decoded ("\xfe\xff" "\0a\0,\0\xe9\0\n", 10, NULL, "a,é\n", "UTF-16BE", TRUE);
  assert_decoded ("\xff\xfe\0\0" "a\0\0\0\n\0\0\0", 12, NULL, "a\n", "UTF-32LE", TRUE);
  assert_decoded ("\0\0\xfe\xff" "\0\0\0a\0\0\0\n", 12, NULL, "a\n", "UTF-32BE", TRUE);
  /* a forced encoding with its own BOM: the BOM still goes */
  assert_decoded ("\xef\xbb\xbf" "a,b\n", 7, "utf8", "a,b\n", "UTF-8", TRUE);
  assert_decoded ("\xff\xfe" "a\0\n\0", 6, "UTF-16", "a\n", "UTF-16LE", TRUE);
}

static void
test_encoding_utf8 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyDecoded) decoded = NULL;
  static const char with_nul[] = "email\na@b.c,x\0y\n";

  assert_decoded ("", 0, NULL, "", "UTF-8", FALSE);
  assert_decoded ("plain ascii\n", 12, NULL, "plain ascii\n", "UTF-8", FALSE);
  assert_decoded ("王小明,Zoë\n", strlen ("王小明,Zoë\n"), NULL, "王小明,Zoë\n", "UTF-8", FALSE);

  /* a NUL does not make a text file binary: it is kept for the caller */
  decoded = singly_decode_text (with_nul, sizeof with_nul - 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (decoded->encoding, ==, "UTF-8");
  g_assert_cmpuint (decoded->length, ==, sizeof with_nul - 1);
  g_assert_cmpmem (decoded->text, decoded->length, with_nul, sizeof with_nul - 1);
  g_assert_cmpint (decoded->text[decoded->length], ==, '\0');
}

static void
test_encoding_take (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyDecoded) decoded = NULL;
  char *data = g_strdup ("\xef\xbb\xbf" "email\nzoë@example.org\n");
  char *original = data;

  /* UTF-8 is used where it lies, not copied */
  decoded = singly_decode_text_take (data, strlen (data), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (decoded->text == original);
  g_assert_cmpstr (decoded->text, ==, "email\nzoë@example.org\n");
  g_assert_true (decoded->had_bom);
  g_clear_pointer (&decoded, singly_decoded_free);

  /* anything else is converted and the original freed */
  data = encode ("姓名,邮箱\n王小明,wang@example.cn\n", "GB18030", NULL);
  decoded = singly_decode_text_take (data, strlen (data), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (decoded->encoding, ==, "GB18030");
  g_assert_cmpstr (decoded->text, ==, "姓名,邮箱\n王小明,wang@example.cn\n");
  g_clear_pointer (&decoded, singly_decoded_free);

  /* and freed on error too (the leak checker watches this one) */
  data = g_memdup2 ("\x89PNG\r\n\x1a\n\0\0\0", 12);
  decoded = singly_decode_text_take (data, 11, NULL, &error);
  g_assert_error (error, SINGLY_ENCODING_ERROR, SINGLY_ENCODING_ERROR_BINARY);
  g_assert_null (decoded);
}

static void
test_encoding_utf16_without_bom (void)
{
  static const char text[] = "email,name\r\nchloe@example.fr,Chloé\r\nwang@example.cn,王小明\r\n";
  gsize length;
  g_autofree char *le = encode (text, "UTF-16LE", &length);
  g_autofree char *be = NULL;

  assert_decoded (le, length, NULL, text, "UTF-16LE", FALSE);
  be = encode (text, "UTF-16BE", &length);
  assert_decoded (be, length, NULL, text, "UTF-16BE", FALSE);

  /* ASCII-only UTF-16 is also valid UTF-8 full of NULs: still UTF-16 */
  g_clear_pointer (&le, g_free);
  le = encode ("email,name\r\nbob@example.com,Bob\r\n", "UTF-16LE", &length);
  assert_decoded (le, length, NULL, "email,name\r\nbob@example.com,Bob\r\n", "UTF-16LE", FALSE);
}

static void
test_encoding_legacy (void)
{
  static const char gbk_short[] = "姓名,邮箱\n王,w@x.cn\n";
  static const char gbk_long[] =
    "姓名,电子邮件,公司,城市\n"
    "王小明,wang@example.cn,北京示例科技有限公司,北京\n"
    "李丽,li@example.cn,上海样例贸易有限公司,上海\n"
    "张伟,zhang@example.cn,广州测试电子有限公司,广州\n";
  static const char big5[] = "姓名,電子郵件\n王小明,wang@example.tw\n李麗,li@example.tw\n陳大文,chan@example.hk\n";
  static const char sjis[] = "名前,メールアドレス\n山田太郎,yamada@example.jp\n鈴木花子,suzuki@example.jp\n";
  static const char latin[] = "name,email\nChloé Dubois,c@example.fr\nJürgen Groß,j@example.de\n";
  static const char latin_short[] = "email,name\na@b.c,José\n";
  static const char cyrillic[] =
    "имя,почта,город\n"
    "Иван Петров,ivan@example.ru,Москва\n"
    "Мария Сидорова,maria@example.ru,Санкт-Петербург\n"
    "Алексей Смирнов,alexey@example.ru,Новосибирск\n"
    "Екатерина Кузнецова,ekaterina@example.ru,Екатеринбург\n";
  g_autofree char *data = NULL;
  gsize length;

  /* too few characters for statistics: two-byte pairs still say GBK */
  data = encode (gbk_short, "GBK", &length);
  assert_decoded (data, length, NULL, gbk_short, "GB18030", FALSE);
  g_clear_pointer (&data, g_free);

  data = encode (gbk_long, "GB2312", &length);
  assert_decoded (data, length, NULL, gbk_long, "GB18030", FALSE);
  g_clear_pointer (&data, g_free);

  data = encode (big5, "BIG5", &length);
  assert_decoded (data, length, NULL, big5, "BIG5", FALSE);
  g_clear_pointer (&data, g_free);

  data = encode (sjis, "SHIFT_JIS", &length);
  assert_decoded (data, length, NULL, sjis, "SHIFT_JIS", FALSE);
  g_clear_pointer (&data, g_free);

  /* accented letters followed by ASCII are Latin, never GBK */
  data = encode (latin, "WINDOWS-1252", &length);
  assert_decoded (data, length, NULL, latin, "WINDOWS-1252", FALSE);
  g_clear_pointer (&data, g_free);

  data = encode (latin_short, "ISO-8859-1", &length);
  assert_decoded (data, length, NULL, latin_short, "WINDOWS-1252", FALSE);
  g_clear_pointer (&data, g_free);

  data = encode (cyrillic, "WINDOWS-1251", &length);
  assert_decoded (data, length, NULL, cyrillic, "WINDOWS-1251", FALSE);
}

static void
test_encoding_forced (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyDecoded) decoded = NULL;
  g_autofree char *gbk = encode ("姓名\n王小明\n", "GBK", NULL);

  assert_decoded (gbk, strlen (gbk), "gb2312", "姓名\n王小明\n", "GB18030", FALSE);
  assert_decoded ("caf\xe9\n", 5, "latin1", "café\n", "ISO-8859-1", FALSE);
  assert_decoded ("caf\xe9\n", 5, "CP1252", "café\n", "WINDOWS-1252", FALSE);

  decoded = singly_decode_text ("abc", 3, "x-no-such-encoding", &error);
  g_assert_error (error, SINGLY_ENCODING_ERROR, SINGLY_ENCODING_ERROR_UNKNOWN_ENCODING);
  g_assert_null (decoded);
  g_assert_nonnull (strstr (error->message, "X-NO-SUCH-ENCODING"));
  g_clear_error (&error);

  decoded = singly_decode_text ("", 0, "   ", &error);
  g_assert_error (error, SINGLY_ENCODING_ERROR, SINGLY_ENCODING_ERROR_UNKNOWN_ENCODING);
  g_clear_error (&error);

  /* GBK bytes are not UTF-8: the message names the line */
  decoded = singly_decode_text (gbk, strlen (gbk), "UTF-8", &error);
  g_assert_error (error, SINGLY_ENCODING_ERROR, SINGLY_ENCODING_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "line 1"));
  g_clear_error (&error);

  /* UTF-16 cannot have an odd number of bytes */
  decoded = singly_decode_text ("a\0b", 3, "UTF-16LE", &error);
  g_assert_error (error, SINGLY_ENCODING_ERROR, SINGLY_ENCODING_ERROR_INVALID);
  g_clear_error (&error);

  /* a UTF-8 BOM on bytes that are not UTF-8 */
  decoded = singly_decode_text ("\xef\xbb\xbf" "ok\ncaf\xe9\n", 11, NULL, &error);
  g_assert_error (error, SINGLY_ENCODING_ERROR, SINGLY_ENCODING_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "line 2"));
}

static void
test_encoding_damaged_utf8 (void)
{
  g_autoptr(GString) text = g_string_new ("email,name,company\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyDecoded) decoded = NULL;

  /* a UTF-8 file with one Latin-1 byte pasted in: guessing another
   * encoding would garble every Chinese name, so it is an error that says
   * where the bad byte is */
  for (guint i = 0; i < 50; i++)
    g_string_append_printf (text, "user%u@example.cn,王小明%u,北京示例科技有限公司\n", i, i);
  g_string_replace (text, "user7@", "us\xe9r7@", 1);

  decoded = singly_decode_text (text->str, text->len, NULL, &error);
  g_assert_error (error, SINGLY_ENCODING_ERROR, SINGLY_ENCODING_ERROR_INVALID);
  g_assert_null (decoded);
  g_assert_nonnull (strstr (error->message, "UTF-8"));
  g_assert_nonnull (strstr (error->message, "line 9"));
}

static void
test_encoding_binary (void)
{
  g_autoptr(GByteArray) random = junk (8192, 3);
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyDecoded) decoded = NULL;
  g_autofree char *zeros = g_malloc0 (100);

  decoded = singly_decode_text ((char *) random->data, random->len, NULL, &error);
  g_assert_error (error, SINGLY_ENCODING_ERROR, SINGLY_ENCODING_ERROR_BINARY);
  g_clear_error (&error);

  decoded = singly_decode_text (zeros, 100, NULL, &error);
  g_assert_error (error, SINGLY_ENCODING_ERROR, SINGLY_ENCODING_ERROR_BINARY);
  g_clear_error (&error);

  /* an old Excel workbook, with a message that says what to do */
  decoded = singly_decode_text ("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", 12, NULL, &error);
  g_assert_error (error, SINGLY_ENCODING_ERROR, SINGLY_ENCODING_ERROR_BINARY);
  g_assert_nonnull (strstr (error->message, "CSV"));
  g_clear_error (&error);

  /* forcing an encoding does not make junk text */
  decoded = singly_decode_text ((char *) random->data, random->len, "ISO-8859-1", &error);
  g_assert_error (error, SINGLY_ENCODING_ERROR, SINGLY_ENCODING_ERROR_BINARY);
}

static void
test_encoding_names (void)
{
  static const char * const names[][2] = {
    { "utf8", "UTF-8" },
    { " UTF-8 ", "UTF-8" },
    { "gbk", "GB18030" },
    { "GB2312", "GB18030" },
    { "cp936", "GB18030" },
    { "gb18030", "GB18030" },
    { "big5", "BIG5" },
    { "sjis", "SHIFT_JIS" },
    { "cp932", "SHIFT_JIS" },
    { "cp1252", "WINDOWS-1252" },
    { "windows-1250", "WINDOWS-1250" },
    { "latin1", "ISO-8859-1" },
    { "iso8859-15", "ISO-8859-15" },
    { "ISO_8859-2", "ISO-8859-2" },
    { "koi8-r", "KOI8-R" },
    { "unicode", "UTF-16" },
  };
  const char * const *common = singly_encoding_get_common ();

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *canonical = singly_encoding_canonical_name (names[i][0]);

      g_assert_cmpstr (canonical, ==, names[i][1]);
    }

  g_assert_cmpstr (common[0], ==, "UTF-8");
  g_assert_true (g_strv_contains (common, "GB18030"));
  g_assert_true (g_strv_contains (common, "WINDOWS-1252"));
  for (guint i = 0; common[i] != NULL; i++)
    {
      g_autofree char *canonical = singly_encoding_canonical_name (common[i]);

      /* every offered name is already canonical */
      g_assert_cmpstr (canonical, ==, common[i]);
    }
}

/* The checksum taken while reading is the file's, whatever the encoding
 * (the journal knows a list by it), and a forced encoding changes nothing */
static void
test_checksum (void)
{
  const char *samples[] = { "contacts.csv", "contacts-excel-gbk.csv", "contacts-excel-semicolon-bom.csv",
                            "contacts-excel-utf16.txt" };

  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autofree char *path = singly_test_sample_path (samples[i]);
      g_autoptr(SinglyContactList) list = load_sample (samples[i], NULL);
      g_autofree char *expected = singly_checksum_file (path, NULL);

      g_assert_nonnull (expected);
      g_assert_cmpstr (singly_contact_list_get_checksum (list), ==, expected);
    }
  {
    SinglyContactsOptions options = { .encoding = "ISO-8859-1" };
    g_autofree char *path = singly_test_sample_path ("contacts-excel-gbk.csv");
    g_autoptr(SinglyContactList) list = load_sample ("contacts-excel-gbk.csv", &options);
    g_autofree char *expected = singly_checksum_file (path, NULL);

    g_assert_cmpstr (singly_contact_list_get_checksum (list), ==, expected);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/contacts/sample/utf8", test_sample_utf8);
  g_test_add_func ("/contacts/checksum", test_checksum);
  g_test_add_func ("/contacts/sample/gbk", test_sample_gbk);
  g_test_add_func ("/contacts/sample/semicolon-bom", test_sample_semicolon_bom);
  g_test_add_func ("/contacts/sample/utf16", test_sample_utf16);
  g_test_add_func ("/contacts/forced/encoding", test_forced_encoding);
  g_test_add_func ("/contacts/forced/delimiter", test_forced_delimiter);
  g_test_add_func ("/contacts/forced/address-column", test_forced_address_column);
  g_test_add_func ("/contacts/columns/header-names", test_header_names);
  g_test_add_func ("/contacts/columns/address-by-name", test_address_column_names);
  g_test_add_func ("/contacts/columns/address-by-content", test_address_column_by_content);
  g_test_add_func ("/contacts/columns/no-address", test_no_address_column);
  g_test_add_func ("/contacts/columns/set-address-column", test_set_address_column);
  g_test_add_func ("/contacts/rows/included", test_included);
  g_test_add_func ("/contacts/rows/duplicates", test_duplicates);
  g_test_add_func ("/contacts/rows/bad-addresses", test_bad_addresses);
  g_test_add_func ("/contacts/rows/unclosed-quote-end", test_unclosed_quote_end);
  g_test_add_func ("/contacts/rows/unclosed-quote-middle", test_unclosed_quote_middle);
  g_test_add_func ("/contacts/rows/stray-quote", test_stray_quote);
  g_test_add_func ("/contacts/rows/quotes-with-blanks", test_quotes_with_blanks);
  g_test_add_func ("/contacts/rows/ragged", test_ragged);
  g_test_add_func ("/contacts/rows/nul-bytes", test_nul_bytes);
  g_test_add_func ("/contacts/rows/blank-lines-between", test_blank_lines_between);
  g_test_add_func ("/contacts/rows/cr-only", test_cr_only);
  g_test_add_func ("/contacts/rows/values-not-trimmed", test_values_not_trimmed);
  g_test_add_func ("/contacts/rows/many", test_many_rows);
  g_test_add_func ("/contacts/file/utf16be", test_utf16be);
  g_test_add_func ("/contacts/file/windows-1252", test_windows_1252);
  g_test_add_func ("/contacts/file/empty", test_empty);
  g_test_add_func ("/contacts/file/header-only", test_header_only);
  g_test_add_func ("/contacts/file/binary", test_binary);
  g_test_add_func ("/contacts/file/unreadable", test_unreadable);
  g_test_add_func ("/contacts/file/cancelled", test_cancelled);
  g_test_add_func ("/encoding/boms", test_encoding_boms);
  g_test_add_func ("/encoding/utf8", test_encoding_utf8);
  g_test_add_func ("/encoding/take", test_encoding_take);
  g_test_add_func ("/encoding/utf16-without-bom", test_encoding_utf16_without_bom);
  g_test_add_func ("/encoding/legacy", test_encoding_legacy);
  g_test_add_func ("/encoding/forced", test_encoding_forced);
  g_test_add_func ("/encoding/damaged-utf8", test_encoding_damaged_utf8);
  g_test_add_func ("/encoding/binary", test_encoding_binary);
  g_test_add_func ("/encoding/names", test_encoding_names);

  return g_test_run ();
}
