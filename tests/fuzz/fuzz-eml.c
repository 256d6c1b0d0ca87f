/* fuzz-eml.c: any bytes as an .eml template, made into messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An .eml template is a message someone saved from a mail client: GMime
 * parses it, its headers become template texts, and the message builder
 * keeps its MIME structure while it renders every text part for each
 * contact. The bytes go through all of that for two fixed contacts (one
 * ASCII, one with an international address and a CJK name), and every
 * message built is written out and read back to hold the rule Singly
 * exists for: exactly one recipient in To:, the contact's own, no Bcc
 * header, and nothing on the wire that is not a CRLF line.
 */
#define _GNU_SOURCE   /* memmem() */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "fuzz-util.h"
#include "singly-address.h"
#include "singly-contacts.h"
#include "singly-gmime.h"
#include "singly-message.h"
#include "singly-template.h"

static const char contacts_csv[] =
  "email,first_name,last_name,company,note,cc\n"
  "alice@example.org,Alice,Smith,Acme <b>&,\"two\nlines\",boss@example.org\n"
  "李雷@例子.中国,雷,李,,,\n";

static SinglyContactList *contacts;
static GDateTime *fixed_date;
static char *attachment_dir;

/* Attach: takes any path. A regular file under /proc or /sys can claim a
 * size of terabytes (/proc/kcore) and reading one says nothing about
 * Singly; the fuzzer is kept out of them, the rest of the disk is fair. */
static gboolean
names_pseudo_file (const uint8_t *data,
                   size_t         size)
{
  return memmem (data, size, "/proc", 5) != NULL || memmem (data, size, "/sys", 4) != NULL;
}

static void
check_wire (GBytes *bytes)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  gsize line_start = 0;

  fuzz_check (size > 0);
  if (g_getenv ("FUZZ_DUMP") != NULL)
    fwrite (data, 1, size, stderr);
  for (gsize i = 0; i < size; i++)
    {
      if (data[i] == '\r')
        fuzz_check (i + 1 < size && data[i + 1] == '\n');
      else if (data[i] == '\n')
        {
          fuzz_check (i > 0 && data[i - 1] == '\r');
          /* RFC 5322 §2.1.1: 998 octets at most, CRLF not counted */
          fuzz_check (i - 1 - line_start <= 998);
          line_start = i + 1;
        }
      else
        fuzz_check (data[i] != '\0');
    }
}

static void
check_message (SinglyMessage *message,
               guint          row)
{
  const char *address = singly_contact_list_get_address (contacts, row);
  g_autofree char *wire_to = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GMimeStream) stream = NULL;
  g_autoptr(GMimeParser) parser = NULL;
  g_autoptr(GMimeMessage) parsed = NULL;
  InternetAddressList *to;
  InternetAddress *mailbox;
  GMimeHeaderList *headers;

  fuzz_check (singly_address_check (address, &wire_to, NULL) == SINGLY_ADDRESS_OK);
  fuzz_check (message->row == row);
  fuzz_check (g_str_equal (message->to_address, address));
  fuzz_check (message->recipients->len >= 1);
  fuzz_check (g_str_equal (message->recipients->pdata[0], wire_to));
  fuzz_check (message->message_id != NULL && strchr (message->message_id, '@') != NULL);

  bytes = singly_message_to_bytes (message);
  check_wire (bytes);

  stream = g_mime_stream_mem_new_with_buffer (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  parser = g_mime_parser_new_with_stream (stream);
  parsed = g_mime_parser_construct_message (parser, NULL);
  fuzz_check (parsed != NULL);

  /* single display: the one recipient, nobody else, in To: */
  to = g_mime_message_get_addresses (parsed, GMIME_ADDRESS_TYPE_TO);
  fuzz_check (internet_address_list_length (to) == 1);
  mailbox = internet_address_list_get_address (to, 0);
  fuzz_check (INTERNET_ADDRESS_IS_MAILBOX (mailbox));
  fuzz_check (singly_address_equal (internet_address_mailbox_get_idn_addr (INTERNET_ADDRESS_MAILBOX (mailbox)),
                                    wire_to) ||
              singly_address_equal (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (mailbox)),
                                    address));

  headers = g_mime_object_get_header_list (GMIME_OBJECT (parsed));
  fuzz_check (!g_mime_header_list_contains (headers, "Bcc"));
  fuzz_check (g_mime_header_list_get_header (headers, "From") != NULL);
  {
    int n = g_mime_header_list_get_count (headers);
    guint n_to = 0;

    for (int i = 0; i < n; i++)
      if (g_ascii_strcasecmp (g_mime_header_get_name (g_mime_header_list_get_header_at (headers, i)), "To") == 0)
        n_to++;
    fuzz_check (n_to == 1);
  }
}

static const char * const attachments[] = {
  "invoice.pdf", "invoices/Smith.pdf", "invoices/李.pdf",
};

static void
remove_attachments (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (attachments); i++)
    {
      g_autofree char *path = g_build_filename (attachment_dir, attachments[i], NULL);

      g_unlink (path);
    }
  {
    g_autofree char *invoices = g_build_filename (attachment_dir, "invoices", NULL);

    g_rmdir (invoices);
    g_rmdir (attachment_dir);
  }
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  fuzz_init ();

  bytes = g_bytes_new_static (contacts_csv, sizeof contacts_csv - 1);
  contacts = singly_contact_list_new_from_bytes (bytes, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (singly_contact_list_get_address_column (contacts), ==, 0);
  fixed_date = g_date_time_new_utc (2026, 11, 26, 9, 30, 0);

  /* relative Attach: paths resolve here, where small files wait: one
   * for every message, and one per contact as invoice.md names them */
  attachment_dir = g_dir_make_tmp ("singly-fuzz-eml-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (attachments); i++)
    {
      g_autofree char *path = g_build_filename (attachment_dir, attachments[i], NULL);
      g_autofree char *dir = g_path_get_dirname (path);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      g_file_set_contents (path, "%PDF-1.4\n%fuzz\n", -1, &error);
      g_assert_no_error (error);
    }
  atexit (remove_attachments);

  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(SinglyTemplate) template = NULL;
  g_autoptr(SinglyMessageBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  guint n_rows;

  if (names_pseudo_file (data, size))
    return -1;

  template = singly_template_new_from_data ((const char *) data, (gssize) size,
                                            SINGLY_BODY_EML, attachment_dir, &error);
  if (template == NULL)
    {
      fuzz_check (error != NULL && fuzz_is_utf8 (error->message));
      return 0;
    }
  fuzz_check (singly_template_get_eml (template) != NULL);

  builder = singly_message_builder_new (contacts, template, &error);
  if (builder == NULL)
    {
      fuzz_check (error != NULL && fuzz_is_utf8 (error->message));
      return 0;
    }
  singly_message_builder_set_sender (builder, "Fuzz Sender", "sender@example.org");
  singly_message_builder_set_date (builder, fixed_date);
  singly_message_builder_check (builder);
  for (guint i = 0; i < singly_message_builder_get_n_problems (builder); i++)
    fuzz_check (fuzz_is_utf8 (singly_message_builder_get_problem (builder, i)->message));

  n_rows = singly_contact_list_get_n_rows (contacts);
  for (guint row = 0; row < n_rows; row++)
    {
      g_autoptr(SinglyMessage) message = NULL;
      g_autoptr(GError) build_error = NULL;

      message = singly_message_builder_build (builder, row, &build_error);
      if (message == NULL)
        {
          if (build_error != NULL && g_getenv ("FUZZ_DUMP") != NULL)
            fprintf (stderr, "%s\n", build_error->message);
          fuzz_check (build_error != NULL && fuzz_is_utf8 (build_error->message));
          continue;
        }
      check_message (message, row);
    }

  return 0;
}
