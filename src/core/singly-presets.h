/* singly-presets.h: what the common mail providers need, and allow
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "singly-account.h"

G_BEGIN_DECLS

/**
 * SINGLY_PRESET_CUSTOM:
 *
 * The id of "Other (custom)": a server the user describes.
 */
#define SINGLY_PRESET_CUSTOM "custom"

/**
 * SinglyPreset:
 * @id: stable, kept in accounts.ini: "gmail", "outlook", …
 * @name: the provider's name, untranslated; see singly_preset_get_name()
 * @host: (nullable): the submission server; %NULL only for
 *   %SINGLY_PRESET_CUSTOM
 * @port: the port
 * @security: how the connection is encrypted
 * @auth: the AUTH mechanism to use
 * @pacing: limits that stay inside what the provider allows
 * @note: (nullable): untranslated advice for setting the account up; see
 *   singly_preset_get_note()
 * @domains: (array zero-terminated=1): the address domains the provider
 *   serves, for singly_preset_guess(); company providers list none, their
 *   customers' domains being their own
 *
 * A provider preset. The table is static: never free one.
 */
typedef struct
{
  const char         *id;
  const char         *name;
  const char         *host;
  guint16             port;
  SinglySecurity      security;
  SinglySmtpAuth      auth;
  SinglyPacing        pacing;
  const char         *note;
  const char * const *domains;
} SinglyPreset;

const SinglyPreset *singly_presets_get_all    (guint               *n_presets);
const SinglyPreset *singly_preset_lookup      (const char          *id);
const SinglyPreset *singly_preset_guess       (const char          *address);
const char         *singly_preset_get_name    (const SinglyPreset  *preset);
const char         *singly_preset_get_note    (const SinglyPreset  *preset);
void                singly_preset_apply       (const SinglyPreset  *preset,
                                               SinglyAccount       *account);

G_END_DECLS
