/* singly-account.h: where messages go, and how fast
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "singly-smtp.h"

G_BEGIN_DECLS

/**
 * SinglyAccountKind:
 * @SINGLY_ACCOUNT_FOLDER: "Save to folder": each message is written as an
 *   .eml file into a folder; the default, so that everything works on a
 *   machine with no server
 * @SINGLY_ACCOUNT_SMTP: an SMTP server
 */
typedef enum
{
  SINGLY_ACCOUNT_FOLDER,
  SINGLY_ACCOUNT_SMTP,
} SinglyAccountKind;

/**
 * SinglyPacing:
 * @interval: the least time between two messages, in seconds
 * @jitter: up to this many seconds are added at random to each interval
 * @max_per_minute: 0 for no limit
 * @max_per_hour: 0 for no limit
 * @max_per_day: 0 for no limit
 * @max_per_connection: reconnect after this many messages; 0 for never
 *
 * What a provider allows; presets carry the known limits.
 */
typedef struct
{
  double interval;
  double jitter;
  guint  max_per_minute;
  guint  max_per_hour;
  guint  max_per_day;
  guint  max_per_connection;
} SinglyPacing;

/**
 * SinglyAccount:
 * @kind: see #SinglyAccountKind
 * @name: (nullable): what the user calls it
 * @sender_name: (nullable): the From display name
 * @sender_address: the From address and envelope sender
 * @folder: (nullable): for %SINGLY_ACCOUNT_FOLDER, where messages are written
 * @host: (nullable): for %SINGLY_ACCOUNT_SMTP
 * @port: 0 for the usual port of @security
 * @security: see #SinglySecurity
 * @user: (nullable): the AUTH user, %NULL for no AUTH
 * @auth: the AUTH mechanism
 * @ca_file: (nullable): extra trusted CA certificates
 * @pinned_sha256: (nullable): a pinned certificate fingerprint
 * @request_dsn: ask for bounce notifications (DSN) when offered
 * @timeout_ms: per wait; 0 for the session's default
 * @pacing: the limits to respect
 * @id: (nullable): the account's stable identifier in the account store
 *   (see #SinglyAccountStore); also what its password is filed under in
 *   the keyring. %NULL for an account made on the spot (singly-cli
 *   --server)
 * @preset: (nullable): the id of the provider preset it was made from
 *   (see singly_preset_lookup())
 * @token_command: (nullable): for %SINGLY_SMTP_AUTH_XOAUTH2, a shell
 *   command that prints a fresh access token; run each time one is needed,
 *   since tokens expire within the hour
 *
 * A plain description; secrets are never part of it.
 */
typedef struct
{
  SinglyAccountKind  kind;
  char              *name;
  char              *sender_name;
  char              *sender_address;
  char              *folder;
  char              *host;
  guint16            port;
  SinglySecurity     security;
  char              *user;
  SinglySmtpAuth     auth;
  char              *ca_file;
  char              *pinned_sha256;
  gboolean           request_dsn;
  guint              timeout_ms;
  SinglyPacing       pacing;
  char              *id;
  char              *preset;
  char              *token_command;
} SinglyAccount;

#define SINGLY_TYPE_ACCOUNT (singly_account_get_type ())

GType          singly_account_get_type    (void) G_GNUC_CONST;
SinglyAccount *singly_account_new_folder  (const char          *folder,
                                           const char          *sender_name,
                                           const char          *sender_address);
SinglyAccount *singly_account_new_smtp    (const char          *host,
                                           guint16              port,
                                           SinglySecurity       security,
                                           const char          *sender_name,
                                           const char          *sender_address);
SinglyAccount *singly_account_copy        (const SinglyAccount *account);
void           singly_account_free        (SinglyAccount       *account);
char          *singly_account_describe    (const SinglyAccount *account);
gboolean       singly_account_parse_server (SinglyAccount      *account,
                                           const char          *url,
                                           GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SinglyAccount, singly_account_free)

G_END_DECLS
