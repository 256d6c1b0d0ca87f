/* test-message.c: the messages the builder makes, read back twice
 *
 * Every message is parsed back with GMime and, independently, with
 * Python's email package (tests/check-message.py), which also enforces the
 * wire rules: exactly one To, no Bcc header, no line over 998 octets, no
 * bare CR or LF.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "singly-gmime.h"
#include "singly-message.h"
#include "singly-test-util.h"


typedef struct
{
  char                 *tmpdir;
  SinglyContactList    *contacts;
  SinglyTemplate       *template;
  SinglyMessageBuilder *builder;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->tmpdir = singly_test_tmpdir ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->builder);
  g_clear_object (&fixture->template);
  g_clear_object (&fixture->contacts);
  singly_test_rm_rf (fixture->tmpdir);
  g_free (fixture->tmpdir);
}

static void
load_files (Fixture    *fixture,
            const char *contacts_path,
            const char *template_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) contacts_file = g_file_new_for_path (contacts_path);
  g_autoptr(GFile) template_file = g_file_new_for_path (template_path);

  fixture->contacts = singly_contact_list_new_from_file (contacts_file, NULL, NULL, &error);
  g_assert_no_error (error);
  fixture->template = singly_template_new_from_file (template_file, NULL, &error);
  g_assert_no_error (error);
  fixture->builder = singly_message_builder_new (fixture->contacts, fixture->template, &error);
  g_assert_no_error (error);
  singly_message_builder_set_sender (fixture->builder, "Example Trading", "office@example.org");
  singly_message_builder_check (fixture->builder);
}

static char *
write_file (Fixture    *fixture,
            const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->tmpdir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
load_strings (Fixture    *fixture,
              const char *csv,
              const char *template_name,
              const char *template_text)
{
  g_autofree char *contacts_path = write_file (fixture, "contacts.csv", csv);
  g_autofree char *template_path = write_file (fixture, template_name, template_text);

  load_files (fixture, contacts_path, template_path);
}

static GBytes *
build_bytes (Fixture        *fixture,
             guint           row,
             SinglyMessage **message_out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyMessage) message = NULL;
  GBytes *bytes;

  message = singly_message_builder_build (fixture->builder, row, &error);
  g_assert_no_error (error);
  g_assert_nonnull (message);
  bytes = singly_message_to_bytes (message);
  if (message_out != NULL)
    *message_out = g_steal_pointer (&message);
  return bytes;
}

/* Python's reading of the message, as a JSON object; the test fails if
 * the script finds a broken wire rule. */
static JsonObject *
python_read (Fixture *fixture,
             GBytes  *bytes)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->tmpdir, "message.eml", NULL);
  g_autofree char *script = g_build_filename (TEST_SRCDIR, "check-message.py", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  int status = 0;
  const char *argv[] = { "/usr/bin/python3", script, path, NULL };

  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("check-message.py: %s\n%s", err, (const char *) g_bytes_get_data (bytes, NULL));

  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static GMimeMessage *
gmime_read (GBytes *bytes)
{
  g_autoptr(GMimeStream) stream = g_mime_stream_mem_new_with_buffer (g_bytes_get_data (bytes, NULL),
                                                                      g_bytes_get_size (bytes));
  g_autoptr(GMimeParser) parser = g_mime_parser_new_with_stream (stream);
  GMimeMessage *message = g_mime_parser_construct_message (parser, NULL);

  g_assert_nonnull (message);
  return message;
}

static const char *
json_address (JsonObject *object,
              const char *member,
              guint       index,
              const char *field)
{
  JsonArray *array = json_object_get_array_member (object, member);

  g_assert_cmpuint (json_array_get_length (array), >, index);
  return json_object_get_string_member (json_array_get_object_element (array, index), field);
}

static void
assert_wire_rules (GBytes *bytes)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  gsize line_length = 0;

  for (gsize i = 0; i < size; i++)
    {
      if (data[i] == '\r')
        {
          g_assert_true (i + 1 < size && data[i + 1] == '\n');
          i++;
          line_length = 0;
          continue;
        }
      g_assert_cmpint (data[i], !=, '\n');
      g_assert_cmpint (data[i], !=, '\0');
      line_length++;
      g_assert_cmpuint (line_length, <=, 998);
    }
}

static gboolean
bytes_contain (GBytes     *bytes,
               const char *needle)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  return g_strstr_len (data, size, needle) != NULL;
}

static void
test_invitation (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *contacts = singly_test_sample_path ("contacts.csv");
  g_autofree char *template = singly_test_sample_path ("invitation.txt");
  guint n_rows;

  load_files (fixture, contacts, template);
  n_rows = singly_contact_list_get_n_rows (fixture->contacts);
  g_assert_cmpuint (n_rows, ==, 10);
  g_assert_cmpuint (singly_message_builder_get_n_sendable (fixture->builder), ==, 10);

  for (guint row = 0; row < n_rows; row++)
    {
      g_autoptr(SinglyMessage) message = NULL;
      g_autoptr(GBytes) bytes = build_bytes (fixture, row, &message);
      g_autoptr(JsonObject) py = python_read (fixture, bytes);
      g_autoptr(GMimeMessage) parsed = gmime_read (bytes);
      const char *address = singly_contact_list_get_address (fixture->contacts, row);
      const char *first_name = singly_contact_list_get_value (fixture->contacts, row, 1);
      g_autofree char *subject = g_strdup_printf ("Invitation to our spring open day, %s", first_name);
      InternetAddressList *to = g_mime_message_get_addresses (parsed, GMIME_ADDRESS_TYPE_TO);
      const char *message_id = g_mime_message_get_message_id (parsed);
      const char *plain;

      assert_wire_rules (bytes);

      /* single display: one address in To and in the envelope */
      g_assert_cmpint (internet_address_list_length (to), ==, 1);
      g_assert_cmpstr (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (internet_address_list_get_address (to, 0))),
                       ==, address);
      g_assert_cmpuint (message->recipients->len, ==, 1);
      g_assert_cmpstr (message->recipients->pdata[0], ==, address);
      g_assert_cmpstr (message->envelope_from, ==, "office@example.org");

      g_assert_cmpstr (g_mime_message_get_subject (parsed), ==, subject);
      g_assert_cmpstr (json_object_get_string_member (py, "subject"), ==, subject);
      g_assert_cmpstr (json_address (py, "to", 0, "address"), ==, address);
      g_assert_cmpstr (json_address (py, "from", 0, "address"), ==, "office@example.org");
      g_assert_cmpstr (json_address (py, "from", 0, "name"), ==, "Example Trading");
      g_assert_cmpstr (json_address (py, "reply_to", 0, "address"), ==, "events@example.com");
      g_assert_cmpstr (json_object_get_string_member (py, "mime_version"), ==, "1.0");
      g_assert_true (g_str_has_suffix (message_id, "@example.org"));
      g_assert_cmpstr (message_id, ==, message->message_id);
      g_assert_nonnull (g_mime_message_get_date (parsed));
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (py, "defects")), ==, 0);

      plain = json_object_get_string_member (py, "plain");
      g_assert_nonnull (strstr (plain, first_name));
      g_assert_nonnull (strstr (plain, singly_contact_list_get_value (fixture->contacts, row, 3)));
      if (row == 1)
        g_assert_nonnull (strstr (plain, "A note we kept for you: Prefers \"Bob\"\nKind regards"));
      if (row == 0)
        g_assert_nonnull (strstr (plain, "open day on 14 April.\nKind regards"));
    }
}

static void
test_display_names (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *contacts = singly_test_sample_path ("contacts.csv");
  g_autofree char *template = singly_test_sample_path ("invitation.txt");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonObject) py = NULL;

  load_files (fixture, contacts, template);

  /* 王 小明: family name first, and RFC 2047 on the wire */
  bytes = build_bytes (fixture, 4, NULL);
  py = python_read (fixture, bytes);
  g_assert_cmpstr (json_address (py, "to", 0, "name"), ==, "王小明");
  g_assert_cmpstr (json_address (py, "to", 0, "address"), ==, "wang.xiaoming@example.cn");
  /* RFC 2047 in headers, quoted-printable in the body: no raw UTF-8 */
  g_assert_false (bytes_contain (bytes, "王"));
  g_assert_false (bytes_contain (bytes, "小明"));
}

static void
test_invoice_attachments (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *contacts = singly_test_sample_path ("contacts.csv");
  g_autofree char *template = singly_test_sample_path ("invoice.md");
  const struct { guint row; const char *filename; } expected[] = {
    { 0, "Martin.pdf" }, { 1, "O'Neil.pdf" }, { 3, "Groß.pdf" }, { 4, "王.pdf" },
    { 5, "李.pdf" }, { 6, "van der Berg.pdf" }, { 9, "Jónsson.pdf" },
  };

  load_files (fixture, contacts, template);
  g_assert_cmpuint (singly_message_builder_get_n_problems (fixture->builder), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(GBytes) bytes = build_bytes (fixture, expected[i].row, NULL);
      g_autoptr(JsonObject) py = python_read (fixture, bytes);
      g_autoptr(GMimeMessage) parsed = gmime_read (bytes);
      JsonArray *attachments = json_object_get_array_member (py, "attachments");
      JsonArray *parts = json_object_get_array_member (py, "parts");
      GMimeObject *root = g_mime_message_get_mime_part (parsed);
      GMimeObject *attachment;
      g_autofree char *pdf_path = NULL;
      g_autofree char *pdf_name = g_strconcat ("invoices/", expected[i].filename, NULL);
      g_autoptr(GBytes) pdf = NULL;
      const char *plain, *html;

      assert_wire_rules (bytes);
      g_assert_cmpuint (json_array_get_length (attachments), ==, 1);
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (attachments, 0), "filename"),
                       ==, expected[i].filename);
      pdf_path = singly_test_sample_path (pdf_name);
      pdf = singly_test_read (pdf_path);
      g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (attachments, 0), "size"),
                       ==, g_bytes_get_size (pdf));

      /* mixed(alternative(plain, html), pdf) */
      g_assert_cmpuint (json_array_get_length (parts), ==, 5);
      g_assert_cmpstr (json_array_get_string_element (parts, 0), ==, "multipart/mixed");
      g_assert_cmpstr (json_array_get_string_element (parts, 1), ==, "multipart/alternative");
      g_assert_cmpstr (json_array_get_string_element (parts, 2), ==, "text/plain");
      g_assert_cmpstr (json_array_get_string_element (parts, 3), ==, "text/html");
      g_assert_cmpstr (json_array_get_string_element (parts, 4), ==, "application/pdf");

      /* GMime reads the RFC 2231 file name the same way */
      g_assert_true (GMIME_IS_MULTIPART (root));
      attachment = g_mime_multipart_get_part (GMIME_MULTIPART (root), 1);
      g_assert_cmpstr (g_mime_part_get_filename (GMIME_PART (attachment)), ==, expected[i].filename);
      g_assert_cmpint (g_mime_part_get_content_encoding (GMIME_PART (attachment)), ==, GMIME_CONTENT_ENCODING_BASE64);

      html = json_object_get_string_member (py, "html");
      plain = json_object_get_string_member (py, "plain");
      g_assert_nonnull (strstr (html, "<strong>"));
      g_assert_nonnull (strstr (html, singly_contact_list_get_value (fixture->contacts, expected[i].row, 1)));
      g_assert_null (strstr (plain, "<strong>"));
      g_assert_null (strstr (plain, "**"));
      g_assert_nonnull (strstr (plain, "Payment within 30 days"));
    }

  /* O'Neil & Sons is escaped in the HTML part, and only there */
  {
    g_autoptr(GBytes) bytes = build_bytes (fixture, 1, NULL);
    g_autoptr(JsonObject) py = python_read (fixture, bytes);

    g_assert_nonnull (strstr (json_object_get_string_member (py, "html"), "O&#39;Neil &amp; Sons"));
    g_assert_nonnull (strstr (json_object_get_string_member (py, "plain"), "O'Neil & Sons"));
  }
}

static void
test_newsletter_html (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *contacts = singly_test_sample_path ("contacts.csv");
  g_autofree char *template = singly_test_sample_path ("newsletter.html");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonObject) py = NULL;
  JsonArray *parts;

  load_files (fixture, contacts, template);
  bytes = build_bytes (fixture, 2, NULL);
  py = python_read (fixture, bytes);
  parts = json_object_get_array_member (py, "parts");

  g_assert_cmpstr (json_object_get_string_member (py, "subject"), ==, "Chloé, our news for Société Générale d'Exemple");
  g_assert_cmpuint (json_array_get_length (parts), ==, 3);
  g_assert_cmpstr (json_array_get_string_element (parts, 0), ==, "multipart/alternative");
  g_assert_nonnull (strstr (json_object_get_string_member (py, "plain"), "Hello Chloé!"));
  g_assert_nonnull (strstr (json_object_get_string_member (py, "html"), "<h1>Hello Chloé!</h1>"));
  g_assert_nonnull (strstr (json_object_get_string_member (py, "html"), "Société Générale d&#39;Exemple"));
}

static void
test_gbk_contacts (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *contacts = singly_test_sample_path ("contacts-excel-gbk.csv");
  g_autofree char *template = write_file (fixture, "letter.txt",
                                          "Subject: {{姓名}}，您好：{{公司}}的账单\n\n"
                                          "尊敬的{{姓名}}：\n金额 {{金额}} 元。\n");
  g_autoptr(SinglyMessage) message = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonObject) py = NULL;

  load_files (fixture, contacts, template);
  bytes = build_bytes (fixture, 2, &message);
  py = python_read (fixture, bytes);

  assert_wire_rules (bytes);
  g_assert_cmpstr (message->to_address, ==, "wang.xiaoming@example.cn");
  g_assert_cmpstr (json_object_get_string_member (py, "subject"), ==, "王小明，您好：北京示例科技有限公司的账单");
  g_assert_cmpstr (json_address (py, "to", 0, "name"), ==, "王小明");
  g_assert_nonnull (strstr (json_object_get_string_member (py, "plain"), "尊敬的王小明：\n金额 3200 元。"));
  /* the subject is RFC 2047 on the wire, never raw UTF-8 */
  g_assert_false (bytes_contain (bytes, "王小明，"));
}

static void
test_bcc_envelope_only (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(SinglyMessage) message = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonObject) py = NULL;

  load_strings (fixture,
                "email,name,manager\r\na@example.com,Ann,boss@example.com\r\n",
                "t.txt",
                "Subject: Hi {{name}}\nCc: {{manager}}\nBcc: archive@example.org\n\nHello {{name}}\n");
  bytes = build_bytes (fixture, 0, &message);
  py = python_read (fixture, bytes);

  g_assert_cmpuint (message->recipients->len, ==, 3);
  g_assert_cmpstr (message->recipients->pdata[0], ==, "a@example.com");
  g_assert_cmpstr (message->recipients->pdata[1], ==, "boss@example.com");
  g_assert_cmpstr (message->recipients->pdata[2], ==, "archive@example.org");
  g_assert_false (bytes_contain (bytes, "archive@example.org"));
  g_assert_false (bytes_contain (bytes, "Bcc"));
  g_assert_cmpstr (json_address (py, "cc", 0, "address"), ==, "boss@example.com");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (py, "to")), ==, 1);
}

static void
test_header_injection (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SinglyMessage) message = NULL;
  const SinglyProblem *problem;

  load_strings (fixture,
                "email,name\r\n"
                "a@example.com,\"Ann\r\nBcc: victim@example.net\"\r\n"
                "b@example.com,Ben\r\n",
                "t.txt",
                "Subject: Hello {{name}}\n\nBody\n");

  g_assert_cmpuint (singly_message_builder_get_n_problems (fixture->builder), ==, 1);
  problem = singly_message_builder_get_problem (fixture->builder, 0);
  g_assert_cmpint (problem->kind, ==, SINGLY_PROBLEM_CONTROL_CHARACTER);
  g_assert_cmpuint (problem->row, ==, 0);
  g_assert_cmpuint (problem->line, ==, 2);
  g_assert_cmpint (problem->column, ==, 1);
  g_assert_false (singly_message_builder_row_is_sendable (fixture->builder, 0));
  g_assert_true (singly_message_builder_row_is_sendable (fixture->builder, 1));

  /* even asked directly, the builder refuses */
  message = singly_message_builder_build (fixture->builder, 0, &error);
  g_assert_error (error, SINGLY_MESSAGE_ERROR, SINGLY_MESSAGE_ERROR_ROW);
  g_assert_null (message);
}

static void
test_body_newlines_allowed (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonObject) py = NULL;

  /* a line break in a value that only goes into the body is fine */
  load_strings (fixture,
                "email,note\r\na@example.com,\"one\r\ntwo\rthree\"\r\n",
                "t.txt",
                "Subject: Hello\n\n{{note}}\n");
  g_assert_cmpuint (singly_message_builder_get_n_problems (fixture->builder), ==, 0);
  bytes = build_bytes (fixture, 0, NULL);
  assert_wire_rules (bytes);
  py = python_read (fixture, bytes);
  g_assert_cmpstr (json_object_get_string_member (py, "plain"), ==, "one\ntwo\nthree\n");
}

static void
test_long_lines (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *long_value = g_strnfill (1300, 'x');
  g_autofree char *csv = g_strdup_printf ("email,text\na@example.com,%s\n", long_value);
  g_autoptr(SinglyMessage) message = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonObject) py = NULL;
  g_autoptr(GMimeMessage) parsed = NULL;
  g_autofree char *expected = g_strconcat ("Start ", long_value, " end.\n", NULL);

  load_strings (fixture, csv, "t.txt", "Subject: Long\n\nStart {{text}} end.\n");
  bytes = build_bytes (fixture, 0, &message);
  assert_wire_rules (bytes);
  py = python_read (fixture, bytes);
  g_assert_cmpstr (json_object_get_string_member (py, "plain"), ==, expected);

  /* GMime chose quoted-printable because we told it to */
  parsed = gmime_read (bytes);
  g_assert_cmpint (g_mime_part_get_content_encoding (GMIME_PART (g_mime_message_get_mime_part (parsed))),
                   ==, GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
}

static void
test_dots_and_ascii (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonObject) py = NULL;
  g_autoptr(GMimeMessage) parsed = NULL;

  load_strings (fixture, "email\na@example.com\n", "t.txt",
                "Subject: Plain\n\nHello.\n.\n.x\nBye.\n");
  bytes = build_bytes (fixture, 0, NULL);
  py = python_read (fixture, bytes);
  g_assert_cmpstr (json_object_get_string_member (py, "plain"), ==, "Hello.\n.\n.x\nBye.\n");

  /* short ASCII stays readable 7bit; dot-stuffing is the SMTP session's job */
  parsed = gmime_read (bytes);
  g_assert_cmpint (g_mime_part_get_content_encoding (GMIME_PART (g_mime_message_get_mime_part (parsed))),
                   ==, GMIME_CONTENT_ENCODING_7BIT);
  g_assert_true (bytes_contain (bytes, "\r\n.\r\n.x\r\n"));
}

static void
test_problems (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GString) kinds = g_string_new (NULL);
  g_autofree char *files = g_build_filename (fixture->tmpdir, "files", NULL);
  guint n;

  g_assert_cmpint (g_mkdir (files, 0700), ==, 0);
  g_free (write_file (fixture, "files/ann.pdf", "%PDF-1.4\n"));

  load_strings (fixture,
                "email,name,file,cc\n"
                "ann@example.com,Ann,ann.pdf,\n"          /* line 2: fine */
                "ben@example.com,,ben.pdf,\n"             /* line 3: empty name, missing file */
                "cid@example.com,Cid,ann.pdf,not an address\n", /* line 4: bad Cc */
                "t.txt",
                "Subject: For {{name}}\nAttach: files/{{file}}\nCc: {{cc}}\n\nDear {{name}}\n");

  n = singly_message_builder_get_n_problems (fixture->builder);
  for (guint i = 0; i < n; i++)
    {
      const SinglyProblem *problem = singly_message_builder_get_problem (fixture->builder, i);

      g_string_append_printf (kinds, "%u:%s ", problem->line, singly_problem_kind_name (problem->kind));
    }
  g_assert_cmpstr (kinds->str, ==, "3:empty-field 3:missing-attachment 4:invalid-header ");
  g_assert_true (singly_message_builder_row_is_sendable (fixture->builder, 0));
  g_assert_false (singly_message_builder_row_is_sendable (fixture->builder, 1));
  g_assert_false (singly_message_builder_row_is_sendable (fixture->builder, 2));
  g_assert_cmpuint (singly_message_builder_get_n_sendable (fixture->builder), ==, 1);
}

static void
test_fallback_is_not_required (Fixture       *fixture,
                               gconstpointer  data)
{
  load_strings (fixture, "email,name,note\na@example.com,,\n", "t.txt",
                "Subject: Hi {{name|there}}\n\n{{#note}}{{note}}{{/note}}\n");
  g_assert_cmpuint (singly_message_builder_get_n_problems (fixture->builder), ==, 0);
}

static void
test_to_display_pattern (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(SinglyMessage) message = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonObject) py = NULL;

  load_strings (fixture,
                "email,first,last\na@example.com,Ann,Lee\nb@example.com,Ben,Ng\n",
                "t.txt",
                "To: {{last}}, {{first}} <{{email}}>\nSubject: Hi\n\nHi\n");
  g_assert_cmpuint (singly_message_builder_get_n_problems (fixture->builder), ==, 0);
  bytes = build_bytes (fixture, 1, &message);
  py = python_read (fixture, bytes);
  g_assert_cmpstr (json_address (py, "to", 0, "name"), ==, "Ng, Ben");
  g_assert_cmpstr (json_address (py, "to", 0, "address"), ==, "b@example.com");
  g_assert_cmpuint (message->recipients->len, ==, 1);
}

static void
test_to_pattern_cannot_redirect (Fixture       *fixture,
                                 gconstpointer  data)
{
  const SinglyProblem *problem;

  load_strings (fixture,
                "email,other\na@example.com,c@example.net\n",
                "t.txt",
                "To: Someone <{{other}}>\nSubject: Hi\n\nHi\n");
  g_assert_cmpuint (singly_message_builder_get_n_problems (fixture->builder), ==, 1);
  problem = singly_message_builder_get_problem (fixture->builder, 0);
  g_assert_cmpint (problem->kind, ==, SINGLY_PROBLEM_INVALID_HEADER);
  g_assert_false (singly_message_builder_row_is_sendable (fixture->builder, 0));
}

static void
test_idn_and_utf8 (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SinglyMessage) idn = NULL;
  g_autoptr(SinglyMessage) utf8 = NULL;
  g_autoptr(GBytes) bytes = NULL;

  load_strings (fixture,
                "email,name\nuser@bücher.example,Ann\nјован@example.rs,Jovan\n",
                "t.txt", "Subject: Hi\n\nHi\n");
  bytes = build_bytes (fixture, 0, &idn);
  g_assert_cmpstr (idn->recipients->pdata[0], ==, "user@xn--bcher-kva.example");
  g_assert_false (idn->smtputf8);
  g_assert_true (bytes_contain (bytes, "user@xn--bcher-kva.example"));

  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = build_bytes (fixture, 1, &utf8);
  g_assert_true (utf8->smtputf8);
}

static void
test_fixed_headers (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GMimeMessage) parsed = NULL;
  GDateTime *fixed = g_date_time_new_utc (2026, 3, 1, 9, 30, 0);

  load_strings (fixture, "email\na@example.com\n", "t.txt",
                "Subject: Hi\nX-Campaign: spring\nList-Unsubscribe: <mailto:off@example.org>\n\nHi\n");
  singly_message_builder_set_date (fixture->builder, fixed);
  singly_message_builder_set_request_read_receipt (fixture->builder, TRUE);
  bytes = build_bytes (fixture, 0, NULL);
  parsed = gmime_read (bytes);

  g_assert_cmpstr (g_mime_object_get_header (GMIME_OBJECT (parsed), "X-Campaign"), ==, "spring");
  g_assert_cmpstr (g_mime_object_get_header (GMIME_OBJECT (parsed), "List-Unsubscribe"), ==, "<mailto:off@example.org>");
  g_assert_cmpstr (g_mime_object_get_header (GMIME_OBJECT (parsed), "Disposition-Notification-To"), ==, "office@example.org");
  g_assert_true (bytes_contain (bytes, "Date: Sun, 01 Mar 2026 09:30:00 +0000\r\n"));
  g_date_time_unref (fixed);
}

static void
test_eml_template (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SinglyMessage) message = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonObject) py = NULL;
  JsonArray *parts;

  load_strings (fixture,
                "email,name\na@example.com,Zoë\n",
                "t.eml",
                "From: Old Sender <old@example.net>\r\n"
                "To: old@example.net\r\n"
                "Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe_f=C3=BCr?= {{name}}\r\n"
                "Message-ID: <old@example.net>\r\n"
                "MIME-Version: 1.0\r\n"
                "Content-Type: multipart/alternative; boundary=\"b1\"\r\n"
                "\r\n"
                "--b1\r\n"
                "Content-Type: text/plain; charset=utf-8\r\n"
                "Content-Transfer-Encoding: 8bit\r\n"
                "\r\n"
                "Hallo {{name}}\r\n"
                "--b1\r\n"
                "Content-Type: text/html; charset=utf-8\r\n"
                "\r\n"
                "<p>Hallo {{name}}</p>\r\n"
                "--b1--\r\n");
  bytes = build_bytes (fixture, 0, &message);
  py = python_read (fixture, bytes);
  parts = json_object_get_array_member (py, "parts");

  assert_wire_rules (bytes);
  g_assert_cmpstr (json_object_get_string_member (py, "subject"), ==, "Grüße für Zoë");
  g_assert_cmpstr (json_address (py, "to", 0, "address"), ==, "a@example.com");
  g_assert_cmpstr (json_address (py, "from", 0, "address"), ==, "office@example.org");
  g_assert_cmpuint (json_array_get_length (parts), ==, 3);
  g_assert_cmpstr (json_array_get_string_element (parts, 0), ==, "multipart/alternative");
  /* the CRLF before a boundary belongs to the boundary (RFC 2046) */
  g_assert_cmpstr (json_object_get_string_member (py, "plain"), ==, "Hallo Zoë");
  g_assert_nonnull (strstr (json_object_get_string_member (py, "html"), "<p>Hallo Zoë</p>"));
  g_assert_false (bytes_contain (bytes, "old@example.net"));
}

/* What an .eml template brings that GMime writes out untouched: with LF
 * line ends, a multipart's epilogue and all of a multipart whose boundary
 * is broken came out with bare LFs, a stray CR in a part's header as a
 * bare CR; a binary or 8bit attachment came out with its NULs, 8-bit
 * bytes and overlong lines (found by tests/fuzz/fuzz-eml). */
static void
test_eml_wire_safe (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *long_line = g_strnfill (1200, 'A');
  g_autofree char *binary = g_strconcat ("Subject: Hi {{name}}\n"
                                         "MIME-Version: 1.0\n"
                                         "Content-Type: multipart/mixed; boundary=\"b1\"\n"
                                         "\n"
                                         "--b1\n"
                                         "Content-Type: text/plain; charset=utf-8\n"
                                         "\n"
                                         "Hallo {{name}}\n"
                                         "--b1\n"
                                         "Content-Type: application/octet-stream\n"
                                         "Content-Disposition: attachment; filename=\"x.bin\"\n"
                                         "Content-Transfer-Encoding: binary\n"
                                         "\n"
                                         "\377\376\001", long_line, "\n"
                                         "--b1--\n", NULL);
  const char * const templates[] = {
    "Subject: Hi {{name}}\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/alternative; boundary=\"b1\"\n"
    "\n"
    "This is a multi-part message in MIME format.\n"
    "--b1\n"
    "Content-Type: text/plain; charset=utf-8\n"
    "\n"
    "Hallo {{name}}\n"
    "--b1--\n"
    "epilogue one\n"
    "epilogue two\n",

    "Subject: Hi {{name}}\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"outer\"\n"
    "\n"
    "--outer\n"
    "Content-Type: multipart/related; bou=dary=\"inner\"\n"
    "\n"
    "--inner\n"
    "Content-Type: text/html; charset=utf-8\n"
    "\n"
    "<p>lost</p>\n"
    "--inner--\n"
    "--outer--\n",

    binary,

    "Subject: Hi {{name}}\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"b1\"\n"
    "\n"
    "--b1\n"
    "Content-Type: text/plain; charset=utf-8\n"
    "X-Note: one\rtwo\n"
    "\n"
    "Hallo {{name}}\n"
    "--b1--\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (templates); i++)
    {
      g_autoptr(GBytes) bytes = NULL;

      g_clear_object (&fixture->builder);
      g_clear_object (&fixture->template);
      g_clear_object (&fixture->contacts);
      load_strings (fixture, "email,name\na@example.com,Zoë\n", "t.eml", templates[i]);
      bytes = build_bytes (fixture, 0, NULL);
      assert_wire_rules (bytes);
      g_assert_false (bytes_contain (bytes, "Content-Transfer-Encoding: binary"));
    }
}

/* A CR alone in a header of an .eml went out as it was, and the SMTP
 * session sends a CR as a line break: what followed became a header of
 * its own, here a Bcc: that every recipient would see (found by
 * tests/fuzz/fuzz-eml). Read as a line end, it is an ordinary Bcc. */
static void
test_eml_lone_cr (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SinglyMessage) message = NULL;
  g_autoptr(GBytes) bytes = NULL;

  load_strings (fixture, "email,name\na@example.com,Zoë\n", "t.eml",
                "Subject: Hi {{name}}\n"
                "Content-Type: text/plain; charset=utf-8\n"
                "Content-Note: x\rBcc: secret@example.org\n"
                "\n"
                "Hallo {{name}}\n");
  bytes = build_bytes (fixture, 0, &message);
  assert_wire_rules (bytes);
  g_assert_false (bytes_contain (bytes, "secret@example.org"));
  g_assert_cmpuint (message->recipients->len, ==, 2);
  g_assert_cmpstr (message->recipients->pdata[1], ==, "secret@example.org");
}

typedef struct
{
  SinglyMessageBuilder *builder;
  guint                 first_row;
  guint                 n_wrong;
} BuildLoop;

static gpointer
build_loop (gpointer data)
{
  BuildLoop *loop = data;

  for (guint i = 0; i < 2000; i++)
    {
      guint row = (loop->first_row + i) % 50;
      g_autoptr(SinglyMessage) message = singly_message_builder_build (loop->builder, row, NULL);
      g_autoptr(GBytes) bytes = singly_message_to_bytes (message);
      g_autofree char *subject = g_strdup_printf ("Subject: Hi User %u\r\n", row);
      g_autofree char *body = g_strdup_printf ("\r\nHello User %u\r\n", row);

      if (!bytes_contain (bytes, subject) || !bytes_contain (bytes, body))
        loop->n_wrong++;
    }
  return NULL;
}

/* The window's preview builds messages on the main thread with the same
 * builder the send job's worker builds the messages it sends with. Both
 * used to render into one scratch string of the builder's (fixed in
 * 3dd7ec2), so a message could leave with another recipient's subject or
 * text: two threads building side by side got about one in three hundred
 * wrong, and the sanitizer build saw heap overflows. This keeps it fixed
 * far more surely than /send/preview-while-sending, where the worker
 * spends most of its time writing files. */
static void
test_two_threads (void)
{
  g_autoptr(GString) csv = g_string_new ("email,name\n");
  g_autoptr(GBytes) csv_bytes = NULL;
  g_autoptr(SinglyContactList) contacts = NULL;
  g_autoptr(SinglyTemplate) template = NULL;
  g_autoptr(SinglyMessageBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  BuildLoop loops[2] = { { NULL, 0, 0 }, { NULL, 7, 0 } };
  GThread *threads[2];

  for (guint i = 0; i < 50; i++)
    g_string_append_printf (csv, "user%u@example.com,User %u\n", i, i);
  csv_bytes = g_bytes_new (csv->str, csv->len);
  contacts = singly_contact_list_new_from_bytes (csv_bytes, NULL, &error);
  g_assert_no_error (error);
  template = singly_template_new_from_data ("Subject: Hi {{name}}\n\nHello {{name}}\n", -1,
                                            SINGLY_BODY_PLAIN, NULL, &error);
  g_assert_no_error (error);
  builder = singly_message_builder_new (contacts, template, &error);
  g_assert_no_error (error);
  singly_message_builder_set_sender (builder, NULL, "office@example.org");

  for (guint i = 0; i < 2; i++)
    {
      loops[i].builder = builder;
      threads[i] = g_thread_new ("build", build_loop, &loops[i]);
    }
  for (guint i = 0; i < 2; i++)
    g_thread_join (threads[i]);

  g_assert_cmpuint (loops[0].n_wrong, ==, 0);
  g_assert_cmpuint (loops[1].n_wrong, ==, 0);
}

static void
test_no_address_column (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) csv = g_bytes_new_static ("name,city\nAnn,Paris\n", 20);
  g_autoptr(SinglyContactList) contacts = singly_contact_list_new_from_bytes (csv, NULL, &error);
  g_autoptr(SinglyTemplate) template = NULL;
  g_autoptr(SinglyMessageBuilder) builder = NULL;

  g_assert_no_error (error);
  template = singly_template_new_from_data ("Subject: x\n\n{{name}}\n", -1, SINGLY_BODY_PLAIN, NULL, &error);
  g_assert_no_error (error);
  builder = singly_message_builder_new (contacts, template, &error);
  g_assert_error (error, SINGLY_MESSAGE_ERROR, SINGLY_MESSAGE_ERROR_NO_ADDRESS);
  g_assert_null (builder);
}

static void
test_unknown_field (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) csv = g_bytes_new_static ("email,first_name\na@example.com,Ann\n", 35);
  g_autoptr(SinglyContactList) contacts = singly_contact_list_new_from_bytes (csv, NULL, &error);
  g_autoptr(SinglyTemplate) template = NULL;
  g_autoptr(SinglyMessageBuilder) builder = NULL;

  g_assert_no_error (error);
  template = singly_template_new_from_data ("Subject: x\n\nDear {{frist_name}}\n", -1, SINGLY_BODY_PLAIN, NULL, &error);
  g_assert_no_error (error);
  builder = singly_message_builder_new (contacts, template, &error);
  g_assert_error (error, SINGLY_TEMPLATE_ERROR, SINGLY_TEMPLATE_ERROR_UNKNOWN_FIELD);
  g_assert_nonnull (strstr (error->message, "3:6:"));
  g_assert_nonnull (strstr (error->message, "first_name"));
  g_assert_null (builder);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/message/samples/invitation", test_invitation);
  ADD ("/message/samples/display-names", test_display_names);
  ADD ("/message/samples/invoice-attachments", test_invoice_attachments);
  ADD ("/message/samples/newsletter-html", test_newsletter_html);
  ADD ("/message/samples/gbk", test_gbk_contacts);
  ADD ("/message/bcc-envelope-only", test_bcc_envelope_only);
  ADD ("/message/header-injection", test_header_injection);
  ADD ("/message/body-newlines", test_body_newlines_allowed);
  ADD ("/message/long-lines", test_long_lines);
  ADD ("/message/dots-and-ascii", test_dots_and_ascii);
  ADD ("/message/problems", test_problems);
  ADD ("/message/fallback-not-required", test_fallback_is_not_required);
  ADD ("/message/to-display-pattern", test_to_display_pattern);
  ADD ("/message/to-pattern-cannot-redirect", test_to_pattern_cannot_redirect);
  ADD ("/message/idn-and-utf8", test_idn_and_utf8);
  ADD ("/message/fixed-headers", test_fixed_headers);
  ADD ("/message/eml-template", test_eml_template);
  ADD ("/message/eml-wire-safe", test_eml_wire_safe);
  ADD ("/message/eml-lone-cr", test_eml_lone_cr);
  g_test_add_func ("/message/no-address-column", test_no_address_column);
  g_test_add_func ("/message/two-threads", test_two_threads);
  g_test_add_func ("/message/unknown-field", test_unknown_field);

  return g_test_run ();
}
