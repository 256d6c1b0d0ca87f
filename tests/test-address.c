/* test-address.c: what singly_address_check() accepts and refuses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "singly-address.h"

typedef struct
{
  const char         *address;
  const char         *wire_form;
  SinglyAddressFlags  flags;
} ValidCase;

typedef struct
{
  const char          *address;
  SinglyAddressStatus  status;
} InvalidCase;

static char *
repeat (char  c,
        guint n)
{
  char *s = g_malloc (n + 1);

  memset (s, c, n);
  s[n] = '\0';
  return s;
}

static void
assert_valid (const char         *address,
              const char         *expected_wire,
              SinglyAddressFlags  expected_flags)
{
  g_autofree char *wire = NULL;
  SinglyAddressFlags flags = 0xff;
  const char *reason = "unset";
  SinglyAddressStatus status;

  status = singly_address_check_full (address, &wire, &flags, &reason);
  if (status != SINGLY_ADDRESS_OK)
    g_error ("“%s” refused: %s", address, reason);
  g_assert_cmpstr (wire, ==, expected_wire);
  g_assert_cmpint (flags, ==, expected_flags);
  g_assert_null (reason);
  g_assert_true (singly_address_is_valid (address));
}

static void
assert_invalid (const char          *address,
                SinglyAddressStatus  expected)
{
  static char unset[] = "unset";
  char *wire = unset;
  SinglyAddressFlags flags = 0xff;
  const char *reason = NULL;
  SinglyAddressStatus status;

  /* out parameters are cleared even when the address is refused */
  status = singly_address_check_full (address, &wire, &flags, &reason);
  if (status != expected)
    g_error ("“%s”: status %d, expected %d (%s)", address, status, expected,
             reason != NULL ? reason : "no reason");
  g_assert_null (wire);
  g_assert_cmpint (flags, ==, SINGLY_ADDRESS_FLAG_NONE);
  g_assert_nonnull (reason);
  g_assert_cmpstr (reason, !=, "");
  g_assert_false (singly_address_is_valid (address));
  g_assert_cmpint (singly_address_check (address, NULL, NULL), ==, expected);
}

static void
test_valid (void)
{
  static const ValidCase cases[] = {
    { "alice@example.com", "alice@example.com", SINGLY_ADDRESS_FLAG_NONE },
    { "alice+newsletter@example.com", "alice+newsletter@example.com", SINGLY_ADDRESS_FLAG_NONE },
    { "first.last@mail.sub.example.co.uk", "first.last@mail.sub.example.co.uk", SINGLY_ADDRESS_FLAG_NONE },
    { "o'neil@example.ie", "o'neil@example.ie", SINGLY_ADDRESS_FLAG_NONE },
    { "Mixed.Case@Example.COM", "Mixed.Case@Example.COM", SINGLY_ADDRESS_FLAG_NONE },
    { "x@a-b.example", "x@a-b.example", SINGLY_ADDRESS_FLAG_NONE },
    { "x@123.example", "x@123.example", SINGLY_ADDRESS_FLAG_NONE },
    { "user@bücher.example", "user@xn--bcher-kva.example", SINGLY_ADDRESS_FLAG_IDN_DOMAIN },
    { "user@xn--bcher-kva.example", "user@xn--bcher-kva.example", SINGLY_ADDRESS_FLAG_NONE },
    { "josé@example.com", "josé@example.com", SINGLY_ADDRESS_FLAG_UTF8_LOCAL },
    { "用户@例子.广告", "用户@xn--fsqu00a.xn--4rr70v",
      SINGLY_ADDRESS_FLAG_UTF8_LOCAL | SINGLY_ADDRESS_FLAG_IDN_DOMAIN },
    { "user@[192.0.2.1]", "user@[192.0.2.1]", SINGLY_ADDRESS_FLAG_NONE },
    { "user@[IPv6:2001:db8::1]", "user@[IPv6:2001:db8::1]", SINGLY_ADDRESS_FLAG_NONE },
    { "\"john doe\"@example.com", "\"john doe\"@example.com", SINGLY_ADDRESS_FLAG_NONE },
    { "\"a\\\"b\"@example.com", "\"a\\\"b\"@example.com", SINGLY_ADDRESS_FLAG_NONE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_valid (cases[i].address, cases[i].wire_form, cases[i].flags);
}

static void
test_invalid (void)
{
  static const InvalidCase cases[] = {
    { "", SINGLY_ADDRESS_EMPTY },
    { "   ", SINGLY_ADDRESS_EMPTY },
    { "alice.example.com", SINGLY_ADDRESS_SYNTAX },
    { "alice@bob@example.com", SINGLY_ADDRESS_SYNTAX },
    { ".alice@example.com", SINGLY_ADDRESS_SYNTAX },
    { "alice.@example.com", SINGLY_ADDRESS_SYNTAX },
    { "al..ice@example.com", SINGLY_ADDRESS_SYNTAX },
    { "@example.com", SINGLY_ADDRESS_SYNTAX },
    { "alice@", SINGLY_ADDRESS_SYNTAX },
    { "alice smith@example.com", SINGLY_ADDRESS_SYNTAX },
    { "alice@exa mple.com", SINGLY_ADDRESS_SYNTAX },
    { " alice@example.com", SINGLY_ADDRESS_SYNTAX },
    { "alice@example.com\u00a0", SINGLY_ADDRESS_SYNTAX },
    { "alice\u3000@example.com", SINGLY_ADDRESS_SYNTAX },
    { "Alice <alice@example.com>", SINGLY_ADDRESS_SYNTAX },
    { "<alice@example.com>", SINGLY_ADDRESS_SYNTAX },
    { "a(b)@example.com", SINGLY_ADDRESS_SYNTAX },
    { "a,b@example.com", SINGLY_ADDRESS_SYNTAX },
    { "\"unclosed@example.com", SINGLY_ADDRESS_SYNTAX },
    { "\u200balice@example.com", SINGLY_ADDRESS_SYNTAX },
    { "alice@\u202eexample.com", SINGLY_ADDRESS_SYNTAX },
    { "alice@localhost", SINGLY_ADDRESS_DOMAIN },
    { "alice@example..com", SINGLY_ADDRESS_DOMAIN },
    { "alice@.example.com", SINGLY_ADDRESS_DOMAIN },
    { "alice@example.com.", SINGLY_ADDRESS_DOMAIN },
    { "alice@-example.com", SINGLY_ADDRESS_DOMAIN },
    { "alice@example-.com", SINGLY_ADDRESS_DOMAIN },
    { "alice@exa_mple.com", SINGLY_ADDRESS_DOMAIN },
    { "alice@192.168.1.1", SINGLY_ADDRESS_DOMAIN },
    { "alice@[300.1.1.1]", SINGLY_ADDRESS_DOMAIN },
    { "alice@[1.2.3]", SINGLY_ADDRESS_DOMAIN },
    { "alice@[IPv6:not-an-ip]", SINGLY_ADDRESS_DOMAIN },
    { "alice@[192.0.2.1", SINGLY_ADDRESS_DOMAIN },
    { "alice\r@example.com", SINGLY_ADDRESS_CONTROL_CHARACTER },
    { "alice@example.com\r\nBcc: victim@example.org", SINGLY_ADDRESS_CONTROL_CHARACTER },
    { "alice@example.com\n", SINGLY_ADDRESS_CONTROL_CHARACTER },
    { "alice\t@example.com", SINGLY_ADDRESS_CONTROL_CHARACTER },
    { "alice\177@example.com", SINGLY_ADDRESS_CONTROL_CHARACTER },
    { "alice\xc2\x85@example.com", SINGLY_ADDRESS_CONTROL_CHARACTER },  /* NEL, a C1 control */
    { "alice\u2028@example.com", SINGLY_ADDRESS_CONTROL_CHARACTER },
    /* a control character wins over every other fault */
    { "Bob <bob\n@localhost>", SINGLY_ADDRESS_CONTROL_CHARACTER },
    { "\xff\xfe@example.com", SINGLY_ADDRESS_SYNTAX },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_invalid (cases[i].address, cases[i].status);
}

static void
test_lengths (void)
{
  g_autofree char *local64 = repeat ('a', 64);
  g_autofree char *local65 = repeat ('a', 65);
  g_autofree char *label63 = repeat ('b', 63);
  g_autofree char *label64 = repeat ('b', 64);
  g_autofree char *ok_local = g_strconcat (local64, "@example.com", NULL);
  g_autofree char *long_local = g_strconcat (local65, "@example.com", NULL);
  g_autofree char *ok_label = g_strconcat ("x@", label63, ".com", NULL);
  g_autofree char *long_label = g_strconcat ("x@", label64, ".com", NULL);
  /* 63 + 1 + 63 + 1 + 63 + 1 + 60 = 252 octets of domain: with "x@" the
   * longest mailbox; one more and the path is too long */
  g_autofree char *label60 = repeat ('c', 60);
  g_autofree char *label61 = repeat ('c', 61);
  g_autofree char *domain252 = g_strjoin (".", label63, label63, label63, label60, NULL);
  g_autofree char *domain253 = g_strjoin (".", label63, label63, label63, label61, NULL);
  g_autofree char *domain254 = g_strjoin (".", label63, label63, label63, label61, "d", NULL);
  g_autofree char *longest = g_strconcat ("x@", domain252, NULL);
  g_autofree char *one_too_long = g_strconcat ("x@", domain253, NULL);
  g_autofree char *too_long_domain = g_strconcat ("x@", domain254, NULL);
  /* 64 + 1 + 189 = 254 octets: the longest path a server takes */
  g_autofree char *label62 = repeat ('e', 62);
  g_autofree char *domain189 = g_strjoin (".", label63, label63, label61, NULL);
  g_autofree char *domain190 = g_strjoin (".", label63, label63, label62, NULL);
  g_autofree char *address254 = g_strconcat (local64, "@", domain189, NULL);
  g_autofree char *address255 = g_strconcat (local64, "@", domain190, NULL);
  g_autoptr(GString) utf8_local = g_string_new (NULL);

  g_assert_cmpuint (strlen (domain252), ==, 252);
  g_assert_cmpuint (strlen (domain253), ==, 253);
  g_assert_cmpuint (strlen (address254), ==, 254);
  g_assert_cmpuint (strlen (address255), ==, 255);

  assert_valid (ok_local, ok_local, SINGLY_ADDRESS_FLAG_NONE);
  assert_invalid (long_local, SINGLY_ADDRESS_LOCAL_TOO_LONG);
  assert_valid (ok_label, ok_label, SINGLY_ADDRESS_FLAG_NONE);
  assert_invalid (long_label, SINGLY_ADDRESS_DOMAIN);
  assert_valid (longest, longest, SINGLY_ADDRESS_FLAG_NONE);
  assert_invalid (one_too_long, SINGLY_ADDRESS_DOMAIN);
  assert_invalid (too_long_domain, SINGLY_ADDRESS_DOMAIN);
  assert_valid (address254, address254, SINGLY_ADDRESS_FLAG_NONE);
  assert_invalid (address255, SINGLY_ADDRESS_DOMAIN);

  /* octets, not characters: 32 × "é" is 64 octets, 33 × is 66 */
  for (guint i = 0; i < 32; i++)
    g_string_append (utf8_local, "é");
  g_string_append (utf8_local, "@example.com");
  assert_valid (utf8_local->str, utf8_local->str, SINGLY_ADDRESS_FLAG_UTF8_LOCAL);
  g_string_insert (utf8_local, 0, "é");
  assert_invalid (utf8_local->str, SINGLY_ADDRESS_LOCAL_TOO_LONG);
}

static void
test_reasons (void)
{
  const char *reason = NULL;

  singly_address_check_full ("alice.example.com", NULL, NULL, &reason);
  g_assert_cmpstr (reason, ==, "The address has no @ sign");
  singly_address_check_full ("a@b@example.com", NULL, NULL, &reason);
  g_assert_cmpstr (reason, ==, "The address has more than one @ sign");
  singly_address_check_full ("alice@localhost", NULL, NULL, &reason);
  g_assert_cmpstr (reason, ==, "The domain after the @ sign has only one part; it needs a dot, as in example.com");
  singly_address_check_full ("Alice <alice@example.com>", NULL, NULL, &reason);
  g_assert_cmpstr (reason, ==, "The cell holds a name and an address; it must hold only the address");
  singly_address_check_full ("al..ice@example.com", NULL, NULL, &reason);
  g_assert_cmpstr (reason, ==, "The part before the @ sign has two dots in a row");
  singly_address_check_full ("alice@example.com", NULL, NULL, &reason);
  g_assert_null (reason);
}

static void
test_status_messages (void)
{
  static const SinglyAddressStatus statuses[] = {
    SINGLY_ADDRESS_OK, SINGLY_ADDRESS_EMPTY, SINGLY_ADDRESS_CONTROL_CHARACTER,
    SINGLY_ADDRESS_SYNTAX, SINGLY_ADDRESS_LOCAL_TOO_LONG, SINGLY_ADDRESS_DOMAIN,
  };
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      const char *message = singly_address_status_message (statuses[i]);

      g_assert_nonnull (message);
      g_assert_cmpuint (strlen (message), >, 10);
      /* each status says something different */
      g_assert_false (g_hash_table_contains (seen, message));
      g_hash_table_add (seen, (gpointer) message);
    }
  g_assert_cmpstr (singly_address_status_message (SINGLY_ADDRESS_EMPTY), ==, "The address is empty");
}

static void
test_equal_and_hash (void)
{
  static const char * const same[][2] = {
    { "alice@example.com", "ALICE@EXAMPLE.COM" },
    { "Alice@Example.com", "alice@example.COM" },
    { "ZOË@example.org", "zoë@EXAMPLE.org" },
    /* composed ë and e + combining diaeresis */
    { "zo\u00eb@example.org", "zoe\u0308@example.org" },
    /* KELVIN SIGN folds to k: one of the non-ASCII letters that folds to ASCII */
    { "\u212aate@example.com", "kate@example.com" },
  };
  static const char * const different[][2] = {
    { "alice@example.com", "alice@example.org" },
    { "alice@example.com", "alice+x@example.com" },
    { "zoë@example.org", "zoe@example.org" },
  };
  g_autoptr(GHashTable) table = g_hash_table_new (singly_address_hash, singly_address_equal);

  for (guint i = 0; i < G_N_ELEMENTS (same); i++)
    {
      g_assert_true (singly_address_equal (same[i][0], same[i][1]));
      g_assert_true (singly_address_equal (same[i][1], same[i][0]));
      g_assert_cmpuint (singly_address_hash (same[i][0]), ==, singly_address_hash (same[i][1]));
    }
  for (guint i = 0; i < G_N_ELEMENTS (different); i++)
    g_assert_false (singly_address_equal (different[i][0], different[i][1]));

  g_hash_table_add (table, (gpointer) "Bob@Example.com");
  g_assert_true (g_hash_table_contains (table, "bob@example.com"));
  g_assert_true (g_hash_table_contains (table, "BOB@EXAMPLE.COM"));
  g_assert_false (g_hash_table_contains (table, "bob@example.org"));
}

static void
test_domain (void)
{
  g_autofree char *plain = singly_address_domain ("Alice@Mail.Example.COM");
  g_autofree char *idn = singly_address_domain ("user@Bücher.example");
  g_autofree char *literal = singly_address_domain ("user@[192.0.2.1]");
  g_autofree char *quoted = singly_address_domain ("\"a@b\"@example.net");
  g_autofree char *invalid = singly_address_domain ("alice@localhost");
  g_autofree char *empty = singly_address_domain ("");

  g_assert_cmpstr (plain, ==, "mail.example.com");
  g_assert_cmpstr (idn, ==, "xn--bcher-kva.example");
  g_assert_cmpstr (literal, ==, "[192.0.2.1]");
  g_assert_cmpstr (quoted, ==, "example.net");
  g_assert_null (invalid);
  g_assert_null (empty);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/address/valid", test_valid);
  g_test_add_func ("/address/invalid", test_invalid);
  g_test_add_func ("/address/lengths", test_lengths);
  g_test_add_func ("/address/reasons", test_reasons);
  g_test_add_func ("/address/status-messages", test_status_messages);
  g_test_add_func ("/address/equal-and-hash", test_equal_and_hash);
  g_test_add_func ("/address/domain", test_domain);

  return g_test_run ();
}
