/* singly-address.c: checking one mailbox the way an SMTP server will
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "singly-address.h"
#include "singly-i18n.h"

/* RFC 5321 4.5.3.1 */
#define MAX_LOCAL_PART   64
#define MAX_DOMAIN       253
#define MAX_LABEL        63
/* the 256-octet path limit less its angle brackets */
#define MAX_ADDRESS      254

static SinglyAddressStatus
fail (const char          **reason_out,
      SinglyAddressStatus   status,
      const char           *reason)
{
  if (reason_out != NULL)
    *reason_out = reason;
  return status;
}

/* RFC 5322 atext */
static gboolean
is_atext (guchar c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* RFC 5321 qtextSMTP and the characters a quoted-pairSMTP may escape */
static gboolean
is_qtext (guchar c)
{
  return c == 32 || c == 33 || (c >= 35 && c <= 91) || (c >= 93 && c <= 126);
}

static gboolean
is_space_char (gunichar c)
{
  return c == ' ' || g_unichar_type (c) == G_UNICODE_SPACE_SEPARATOR;
}

/* Everything a byte-level scan cannot see: C1 controls and the Unicode
 * line separators break lines as surely as CR and LF do, spaces that look
 * like nothing, and invisible format characters (bidi overrides, zero
 * width spaces) that make one address look like another. */
static SinglyAddressStatus
check_characters (const char  *address,
                  const char **reason)
{
  for (const char *p = address; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c;

      if ((guchar) *p < 0x80)
        continue;

      c = g_utf8_get_char (p);
      if ((c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029)
        return fail (reason, SINGLY_ADDRESS_CONTROL_CHARACTER,
                     _("The address contains a line break, a tab or another control character"));
      if (is_space_char (c))
        return fail (reason, SINGLY_ADDRESS_SYNTAX, _("The address contains a space"));
      if (g_unichar_type (c) == G_UNICODE_FORMAT)
        return fail (reason, SINGLY_ADDRESS_SYNTAX,
                     _("The address contains an invisible formatting character"));
    }
  return SINGLY_ADDRESS_OK;
}

/* Returns the length of a valid quoted-string local part starting at
 * @address (quotes included), or 0 */
static gsize
scan_quoted_local (const char         *address,
                   SinglyAddressFlags *flags)
{
  const char *p = address + 1;

  while (*p != '\0')
    {
      guchar c = *p;

      if (c == '"')
        return p + 1 - address;
      if (c == '\\')
        {
          if (!is_qtext (p[1]) && p[1] != '"' && p[1] != '\\')
            return 0;
          p += 2;
        }
      else if (c >= 0x80)
        {
          *flags |= SINGLY_ADDRESS_FLAG_UTF8_LOCAL;
          p++;
        }
      else if (is_qtext (c))
        p++;
      else
        return 0;
    }
  return 0;
}

static SinglyAddressStatus
check_dot_atom_local (const char          *local,
                      gsize                length,
                      SinglyAddressFlags  *flags,
                      const char         **reason)
{
  if (local[0] == '.' || local[length - 1] == '.')
    return fail (reason, SINGLY_ADDRESS_SYNTAX,
                 _("The part before the @ sign starts or ends with a dot"));

  for (gsize i = 0; i < length; i++)
    {
      guchar c = local[i];

      if (c == '.')
        {
          if (local[i + 1] == '.')
            return fail (reason, SINGLY_ADDRESS_SYNTAX,
                         _("The part before the @ sign has two dots in a row"));
        }
      else if (c >= 0x80)
        /* RFC 6531: any UTF-8 is atext, and only SMTPUTF8 servers take it */
        *flags |= SINGLY_ADDRESS_FLAG_UTF8_LOCAL;
      else if (!is_atext (c))
        return fail (reason, SINGLY_ADDRESS_SYNTAX,
                     _("The part before the @ sign contains a character that is not allowed there"));
    }
  return SINGLY_ADDRESS_OK;
}

static gboolean
is_ipv4_literal (const char *s,
                 gsize       length)
{
  guint parts = 0;
  gsize i = 0;

  while (i < length)
    {
      guint value = 0;
      gsize digits = 0;

      while (i < length && g_ascii_isdigit (s[i]) && digits < 4)
        {
          value = value * 10 + (s[i] - '0');
          digits++;
          i++;
        }
      if (digits == 0 || digits > 3 || value > 255)
        return FALSE;
      parts++;
      if (i == length)
        break;
      if (s[i] != '.' || parts == 4)
        return FALSE;
      i++;
      if (i == length)
        return FALSE;
    }
  return parts == 4;
}

/* [192.0.2.1] or [IPv6:2001:db8::1] (RFC 5321 4.1.3) */
static SinglyAddressStatus
check_address_literal (const char  *domain,
                       gsize        length,
                       const char **reason)
{
  const char *inner = domain + 1;
  gsize inner_length = length - 2;

  if (length < 3 || domain[length - 1] != ']')
    return fail (reason, SINGLY_ADDRESS_DOMAIN,
                 _("The IP address in brackets after the @ sign is not valid"));

  if (inner_length > 5 && g_ascii_strncasecmp (inner, "IPv6:", 5) == 0)
    {
      g_autofree char *ip = g_strndup (inner + 5, inner_length - 5);

      if (strchr (ip, ':') != NULL && strchr (ip, '%') == NULL && g_hostname_is_ip_address (ip))
        return SINGLY_ADDRESS_OK;
    }
  else if (is_ipv4_literal (inner, inner_length))
    return SINGLY_ADDRESS_OK;

  return fail (reason, SINGLY_ADDRESS_DOMAIN,
               _("The IP address in brackets after the @ sign is not valid"));
}

/* A host name as DNS and RFC 5321 want it: LDH labels joined by dots */
static SinglyAddressStatus
check_ascii_domain (const char  *domain,
                    gsize        length,
                    const char **reason)
{
  gsize label_start = 0;
  guint n_labels = 0;
  gboolean last_all_digits = TRUE;

  if (length > MAX_DOMAIN)
    return fail (reason, SINGLY_ADDRESS_DOMAIN,
                 _("The domain after the @ sign is longer than 253 characters"));

  for (gsize i = 0; i <= length; i++)
    {
      gsize label_length;

      if (i < length && domain[i] != '.')
        {
          guchar c = domain[i];

          if (!g_ascii_isalnum (c) && c != '-')
            return fail (reason, SINGLY_ADDRESS_DOMAIN,
                         _("The domain after the @ sign contains a character that is not allowed there"));
          continue;
        }

      label_length = i - label_start;
      if (label_length == 0)
        return fail (reason, SINGLY_ADDRESS_DOMAIN,
                     _("The domain after the @ sign starts or ends with a dot, or has two dots in a row"));
      if (label_length > MAX_LABEL)
        return fail (reason, SINGLY_ADDRESS_DOMAIN,
                     _("A part of the domain after the @ sign is longer than 63 characters"));
      if (domain[label_start] == '-' || domain[i - 1] == '-')
        return fail (reason, SINGLY_ADDRESS_DOMAIN,
                     _("A part of the domain after the @ sign starts or ends with a hyphen"));

      last_all_digits = TRUE;
      for (gsize j = label_start; j < i; j++)
        if (!g_ascii_isdigit (domain[j]))
          last_all_digits = FALSE;

      n_labels++;
      label_start = i + 1;
    }

  if (n_labels < 2)
    return fail (reason, SINGLY_ADDRESS_DOMAIN,
                 _("The domain after the @ sign has only one part; it needs a dot, as in example.com"));
  /* no top-level domain is a number: this is an IP address without its
   * brackets, which servers refuse */
  if (last_all_digits)
    return fail (reason, SINGLY_ADDRESS_DOMAIN,
                 _("The domain after the @ sign is an IP address; write it in brackets, as in [192.0.2.1]"));
  return SINGLY_ADDRESS_OK;
}

static gboolean
is_ascii (const char *s)
{
  for (; *s != '\0'; s++)
    if ((guchar) *s >= 0x80)
      return FALSE;
  return TRUE;
}

static gboolean
looks_like_display_form (const char *address)
{
  const char *open = strchr (address, '<');

  return open != NULL && strchr (open, '>') != NULL;
}

/**
 * singly_address_check_full:
 * @address: the address, trimmed by the caller
 * @wire_form: (out) (optional) (transfer full): the address as it goes into
 *   MAIL FROM / RCPT TO: the domain in A-labels (xn--…); %NULL unless the
 *   address is valid
 * @flags: (out) (optional): what the address needs from the server
 * @reason: (out) (optional) (transfer none): a translated sentence saying
 *   exactly what is wrong (or %NULL when the address is valid)
 *
 * Like singly_address_check(), and says why an address is refused: "The
 * address has no @ sign", "The domain after the @ sign has only one part",
 * and so on, so people can fix the cell.
 *
 * Returns: %SINGLY_ADDRESS_OK or what is wrong
 */
SinglyAddressStatus
singly_address_check_full (const char          *address,
                           char               **wire_form,
                           SinglyAddressFlags  *flags,
                           const char         **reason)
{
  SinglyAddressFlags found = SINGLY_ADDRESS_FLAG_NONE;
  SinglyAddressStatus status;
  g_autofree char *idn_domain = NULL;
  const char *domain;
  const char *ascii_domain;
  gsize length;
  gsize local_length;
  gsize domain_length;
  gsize ascii_domain_length;
  gboolean blank = TRUE;

  g_return_val_if_fail (address != NULL, SINGLY_ADDRESS_EMPTY);

  if (wire_form != NULL)
    *wire_form = NULL;
  if (flags != NULL)
    *flags = SINGLY_ADDRESS_FLAG_NONE;
  if (reason != NULL)
    *reason = NULL;

  /* first, so that no later message hides a header injection attempt */
  for (const char *p = address; *p != '\0'; p++)
    {
      guchar c = *p;

      if (c < 0x20 || c == 0x7f)
        return fail (reason, SINGLY_ADDRESS_CONTROL_CHARACTER,
                     _("The address contains a line break, a tab or another control character"));
      if (c != ' ')
        blank = FALSE;
    }

  if (blank)
    return fail (reason, SINGLY_ADDRESS_EMPTY, _("The address is empty"));

  length = strlen (address);
  if (!g_utf8_validate_len (address, length, NULL))
    return fail (reason, SINGLY_ADDRESS_SYNTAX, _("The address contains bytes that are not text"));

  status = check_characters (address, reason);
  if (status != SINGLY_ADDRESS_OK)
    return status;

  if (looks_like_display_form (address))
    return fail (reason, SINGLY_ADDRESS_SYNTAX,
                 _("The cell holds a name and an address; it must hold only the address"));

  if (address[0] == '"')
    {
      local_length = scan_quoted_local (address, &found);
      if (local_length == 0 || address[local_length] != '@')
        return fail (reason, SINGLY_ADDRESS_SYNTAX,
                     _("The quoted part before the @ sign is not closed or holds a character that is not allowed"));
      domain = address + local_length + 1;
      if (strchr (domain, '@') != NULL)
        return fail (reason, SINGLY_ADDRESS_SYNTAX, _("The address has more than one @ sign"));
    }
  else
    {
      const char *at = strchr (address, '@');

      if (at == NULL)
        return fail (reason, SINGLY_ADDRESS_SYNTAX, _("The address has no @ sign"));
      if (strchr (at + 1, '@') != NULL)
        return fail (reason, SINGLY_ADDRESS_SYNTAX, _("The address has more than one @ sign"));
      if (strchr (address, ' ') != NULL)
        return fail (reason, SINGLY_ADDRESS_SYNTAX, _("The address contains a space"));

      local_length = at - address;
      domain = at + 1;
      if (local_length == 0)
        return fail (reason, SINGLY_ADDRESS_SYNTAX, _("The address has nothing before the @ sign"));

      status = check_dot_atom_local (address, local_length, &found, reason);
      if (status != SINGLY_ADDRESS_OK)
        return status;
    }

  if (local_length > MAX_LOCAL_PART)
    return fail (reason, SINGLY_ADDRESS_LOCAL_TOO_LONG,
                 _("The part before the @ sign is longer than 64 bytes"));

  domain_length = length - local_length - 1;
  if (domain_length == 0)
    return fail (reason, SINGLY_ADDRESS_SYNTAX, _("The address has no domain after the @ sign"));
  if (strchr (domain, ' ') != NULL)
    return fail (reason, SINGLY_ADDRESS_SYNTAX, _("The address contains a space"));

  if (domain[0] == '[')
    {
      status = check_address_literal (domain, domain_length, reason);
      if (status != SINGLY_ADDRESS_OK)
        return status;
      ascii_domain = domain;
      ascii_domain_length = domain_length;
    }
  else
    {
      if (!is_ascii (domain))
        {
          idn_domain = g_hostname_to_ascii (domain);
          if (idn_domain == NULL)
            return fail (reason, SINGLY_ADDRESS_DOMAIN,
                         _("The international domain name after the @ sign is not valid"));
          found |= SINGLY_ADDRESS_FLAG_IDN_DOMAIN;
          ascii_domain = idn_domain;
          ascii_domain_length = strlen (idn_domain);
        }
      else
        {
          ascii_domain = domain;
          ascii_domain_length = domain_length;
        }

      status = check_ascii_domain (ascii_domain, ascii_domain_length, reason);
      if (status != SINGLY_ADDRESS_OK)
        return status;
    }

  if (local_length + 1 + ascii_domain_length > MAX_ADDRESS)
    return fail (reason, SINGLY_ADDRESS_DOMAIN, _("The address is longer than 254 bytes"));

  if (wire_form != NULL)
    {
      *wire_form = g_malloc (local_length + 1 + ascii_domain_length + 1);
      memcpy (*wire_form, address, local_length);
      (*wire_form)[local_length] = '@';
      memcpy (*wire_form + local_length + 1, ascii_domain, ascii_domain_length);
      (*wire_form)[local_length + 1 + ascii_domain_length] = '\0';
    }
  if (flags != NULL)
    *flags = found;
  return SINGLY_ADDRESS_OK;
}

/**
 * singly_address_check:
 * @address: the address, trimmed by the caller
 * @wire_form: (out) (optional) (transfer full): the address as it goes into
 *   the SMTP envelope (domain in A-labels); %NULL unless valid
 * @flags: (out) (optional): what the address needs from the server
 *
 * Checks that @address is a mailbox an SMTP server will take (RFC 5321,
 * with RFC 6531 UTF-8 local parts and IDNA domains): local@domain, and
 * nothing else in the cell — no display name, no spaces, no line breaks.
 *
 * Returns: %SINGLY_ADDRESS_OK or what is wrong
 */
SinglyAddressStatus
singly_address_check (const char          *address,
                      char               **wire_form,
                      SinglyAddressFlags  *flags)
{
  g_return_val_if_fail (address != NULL, SINGLY_ADDRESS_EMPTY);

  return singly_address_check_full (address, wire_form, flags, NULL);
}

/**
 * singly_address_status_message:
 * @status: a #SinglyAddressStatus
 *
 * Returns: (transfer none): a translated sentence describing @status
 */
const char *
singly_address_status_message (SinglyAddressStatus status)
{
  switch (status)
    {
    case SINGLY_ADDRESS_OK:
      return _("The address is valid");
    case SINGLY_ADDRESS_EMPTY:
      return _("The address is empty");
    case SINGLY_ADDRESS_CONTROL_CHARACTER:
      return _("The address contains a line break, a tab or another control character");
    case SINGLY_ADDRESS_SYNTAX:
      return _("The address is not of the form name@example.com");
    case SINGLY_ADDRESS_LOCAL_TOO_LONG:
      return _("The part before the @ sign is longer than 64 bytes");
    case SINGLY_ADDRESS_DOMAIN:
      return _("The domain after the @ sign is not valid");
    default:
      g_return_val_if_reached (_("The address is not valid"));
    }
}

/**
 * singly_address_is_valid:
 * @address: an address
 *
 * Returns: whether singly_address_check() accepts @address
 */
gboolean
singly_address_is_valid (const char *address)
{
  g_return_val_if_fail (address != NULL, FALSE);

  return singly_address_check_full (address, NULL, NULL, NULL) == SINGLY_ADDRESS_OK;
}

/**
 * singly_address_domain:
 * @address: an address
 *
 * The domain of @address as DNS knows it, for a Message-ID on the
 * sender's domain: lower case, A-labels, or the bracketed IP literal.
 *
 * Returns: (transfer full) (nullable): the domain, or %NULL if @address is
 *   not valid
 */
char *
singly_address_domain (const char *address)
{
  g_autofree char *wire = NULL;
  const char *at;

  g_return_val_if_fail (address != NULL, NULL);

  if (singly_address_check_full (address, &wire, NULL, NULL) != SINGLY_ADDRESS_OK)
    return NULL;

  /* the domain never holds an @, a quoted local part may */
  at = strrchr (wire, '@');
  return g_ascii_strdown (at + 1, -1);
}

/* The key two addresses are compared by: lower case for ASCII, the Unicode
 * case fold in NFC for the rest, so "Zoë@X.org" typed with a combining
 * diaeresis still matches "zoë@x.org". */
static char *
fold_non_ascii (const char *address)
{
  g_autofree char *folded = NULL;

  if (!g_utf8_validate (address, -1, NULL))
    return g_ascii_strdown (address, -1);

  folded = g_utf8_casefold (address, -1);
  return g_utf8_normalize (folded, -1, G_NORMALIZE_NFC);
}

static guint
hash_bytes (const char *s)
{
  guint hash = 5381;

  for (; *s != '\0'; s++)
    hash = hash * 33 + (guchar) *s;
  return hash;
}

/**
 * singly_address_hash:
 * @address: (type utf8): an address
 *
 * A #GHashFunc for addresses that agrees with singly_address_equal(): the
 * same for two addresses that differ only in letter case.  Allocation-free
 * for ASCII addresses.
 *
 * Returns: the hash
 */
guint
singly_address_hash (gconstpointer address)
{
  const char *s = address;
  guint hash = 5381;
  g_autofree char *folded = NULL;

  g_return_val_if_fail (address != NULL, 0);

  for (const char *p = s; *p != '\0'; p++)
    {
      if ((guchar) *p >= 0x80)
        {
          folded = fold_non_ascii (s);
          return hash_bytes (folded);
        }
      hash = hash * 33 + (guchar) g_ascii_tolower (*p);
    }
  return hash;
}

/**
 * singly_address_equal:
 * @a: (type utf8): an address
 * @b: (type utf8): another address
 *
 * A #GEqualFunc for addresses: %TRUE when @a and @b are the same address
 * but for letter case (ASCII, and Unicode case folding when either holds
 * other characters).  Servers may treat the local part case-sensitively,
 * but no mail merge should send twice to two spellings of one person.
 *
 * Returns: whether @a and @b are the same address
 */
gboolean
singly_address_equal (gconstpointer a,
                      gconstpointer b)
{
  g_autofree char *folded_a = NULL;
  g_autofree char *folded_b = NULL;

  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  if (is_ascii (a) && is_ascii (b))
    return g_ascii_strcasecmp (a, b) == 0;

  folded_a = fold_non_ascii (a);
  folded_b = fold_non_ascii (b);
  return g_str_equal (folded_a, folded_b);
}
