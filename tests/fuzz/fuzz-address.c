/* fuzz-address.c: any bytes as an address cell
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is one address, or two separated by a NUL byte. Each is
 * checked the way the contact list and the SMTP envelope check it, and
 * what the header promises is held to: a valid address has a wire form
 * free of anything that could break a command line, that wire form is
 * valid and its own wire form, and the duplicate detector's hash agrees
 * with its equality (or two spellings of one person get two messages).
 */
#include "config.h"

#include <string.h>

#include "fuzz-util.h"
#include "singly-address.h"

static void
check_one (const char *address)
{
  g_autofree char *wire = NULL;
  g_autofree char *domain = NULL;
  SinglyAddressFlags flags = SINGLY_ADDRESS_FLAG_NONE;
  const char *reason = NULL;
  SinglyAddressStatus status;
  SinglyAddressStatus plain_status;

  status = singly_address_check_full (address, &wire, &flags, &reason);
  plain_status = singly_address_check (address, NULL, NULL);
  fuzz_check (status == plain_status);
  fuzz_check (singly_address_is_valid (address) == (status == SINGLY_ADDRESS_OK));
  fuzz_check (fuzz_is_utf8 (singly_address_status_message (status)));

  domain = singly_address_domain (address);
  if (status != SINGLY_ADDRESS_OK)
    {
      fuzz_check (wire == NULL);
      fuzz_check (flags == SINGLY_ADDRESS_FLAG_NONE);
      fuzz_check (reason != NULL && fuzz_is_utf8 (reason));
      fuzz_check (domain == NULL);
      return;
    }

  fuzz_check (reason == NULL);
  fuzz_check (wire != NULL && fuzz_is_utf8 (wire));
  fuzz_check (strlen (wire) <= 254);
  fuzz_check (strchr (wire, '@') != NULL);
  fuzz_check (domain != NULL && domain[0] != '\0');

  /* nothing that ends or splits an SMTP command line or a header (a
   * quoted local part may hold spaces and angle brackets: RFC 5321 lets
   * it, and the quotes keep them in) */
  for (const guchar *p = (const guchar *) wire; *p != '\0'; p++)
    fuzz_check (*p >= 0x20 && *p != 0x7f);

  /* the domain goes on the wire in A-labels; the local part only needs
   * SMTPUTF8 when it is not ASCII */
  {
    const char *at = strrchr (wire, '@');

    for (const guchar *p = (const guchar *) at + 1; *p != '\0'; p++)
      fuzz_check (*p < 0x80);
    if (!(flags & SINGLY_ADDRESS_FLAG_UTF8_LOCAL))
      for (const guchar *p = (const guchar *) wire; p < (const guchar *) at; p++)
        fuzz_check (*p < 0x80);
  }

  /* the wire form is what the SMTP session checks again */
  {
    g_autofree char *wire_again = NULL;
    SinglyAddressFlags flags_again = SINGLY_ADDRESS_FLAG_NONE;

    fuzz_check (singly_address_check (wire, &wire_again, &flags_again) == SINGLY_ADDRESS_OK);
    fuzz_check (g_str_equal (wire, wire_again));
    fuzz_check ((flags_again & SINGLY_ADDRESS_FLAG_UTF8_LOCAL) == (flags & SINGLY_ADDRESS_FLAG_UTF8_LOCAL));
    fuzz_check (!(flags_again & SINGLY_ADDRESS_FLAG_IDN_DOMAIN));
  }
}

static void
check_pair (const char *a,
            const char *b)
{
  gboolean equal = singly_address_equal (a, b);

  fuzz_check (singly_address_equal (a, a));
  fuzz_check (equal == singly_address_equal (b, a));
  if (equal)
    fuzz_check (singly_address_hash (a) == singly_address_hash (b));
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
  const char *nul = memchr (data, '\0', size);
  g_autofree char *a = g_strndup ((const char *) data, size);
  g_autofree char *b = NULL;

  if (nul != NULL)
    b = g_strndup (nul + 1, size - (gsize) (nul + 1 - (const char *) data));
  else
    b = g_ascii_strup (a, -1);

  check_one (a);
  if (nul != NULL)
    check_one (b);
  check_pair (a, b);

  return 0;
}
