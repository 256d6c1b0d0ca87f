/* singly-address.h: checking one mailbox the way an SMTP server will
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SINGLY_ADDRESS_OK,
  SINGLY_ADDRESS_EMPTY,
  SINGLY_ADDRESS_CONTROL_CHARACTER,  /* CR, LF, NUL or another C0/DEL control */
  SINGLY_ADDRESS_SYNTAX,             /* not local@domain, bad dot-atom, … */
  SINGLY_ADDRESS_LOCAL_TOO_LONG,     /* local part over 64 octets */
  SINGLY_ADDRESS_DOMAIN,             /* bad or single-label domain, bad IDN, too long */
} SinglyAddressStatus;

/**
 * SinglyAddressFlags:
 * @SINGLY_ADDRESS_FLAG_UTF8_LOCAL: the local part holds non-ASCII characters,
 *   so the address can only be sent to a server that offers SMTPUTF8
 * @SINGLY_ADDRESS_FLAG_IDN_DOMAIN: the domain was given as U-labels and is
 *   carried as A-labels (xn--) on the wire
 */
typedef enum
{
  SINGLY_ADDRESS_FLAG_NONE       = 0,
  SINGLY_ADDRESS_FLAG_UTF8_LOCAL = 1 << 0,
  SINGLY_ADDRESS_FLAG_IDN_DOMAIN = 1 << 1,
} SinglyAddressFlags;

SinglyAddressStatus singly_address_check          (const char           *address,
                                                   char                **wire_form,
                                                   SinglyAddressFlags   *flags);
SinglyAddressStatus singly_address_check_full     (const char           *address,
                                                   char                **wire_form,
                                                   SinglyAddressFlags   *flags,
                                                   const char          **reason);
const char         *singly_address_status_message (SinglyAddressStatus   status);
gboolean            singly_address_is_valid       (const char           *address);
char               *singly_address_domain         (const char           *address);
guint               singly_address_hash           (gconstpointer         address);
gboolean            singly_address_equal          (gconstpointer         a,
                                                   gconstpointer         b);

G_END_DECLS
