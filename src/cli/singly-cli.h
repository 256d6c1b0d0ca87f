/* singly-cli.h: what the subcommands of singly-cli share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdio.h>

#include "singly-account-store.h"
#include "singly-address.h"
#include "singly-contacts.h"
#include "singly-message.h"
#include "singly-template.h"

G_BEGIN_DECLS

/* Exit codes, as DESIGN.md fixes them */
enum
{
  SINGLY_CLI_EXIT_OK = 0,           /* everything sent / every row can be sent */
  SINGLY_CLI_EXIT_SOME_FAILED = 1,  /* some recipients failed, are unknown or have problems */
  SINGLY_CLI_EXIT_USAGE = 2,        /* usage, contacts or template error */
  SINGLY_CLI_EXIT_CONNECT = 3,      /* could not connect or authenticate */
};

typedef struct
{
  SinglyContactList    *contacts;
  SinglyTemplate       *template;
  SinglyMessageBuilder *builder;
  char                 *contacts_path;
  char                 *template_path;
} SinglyCliCampaign;

SinglyCliCampaign  *singly_cli_campaign_load        (void);
void                singly_cli_campaign_free        (SinglyCliCampaign   *campaign);
void                singly_cli_print_problem        (SinglyCliCampaign   *campaign,
                                                     const SinglyProblem *problem,
                                                     FILE                *out);
void                singly_cli_printerr             (const char          *format,
                                                     ...) G_GNUC_PRINTF (1, 2);
const char         *singly_cli_get_from             (void);
const char         *singly_cli_get_from_name        (void);
void                singly_cli_set_sender_fallback  (const char          *name,
                                                     const char          *address);
SinglyAccountStore *singly_cli_load_accounts        (void);

int                 singly_cli_command_send         (int                  argc,
                                                     char               **argv);
void                singly_cli_send_add_options     (GOptionContext      *context);
int                 singly_cli_command_accounts     (int                  argc,
                                                     char               **argv);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SinglyCliCampaign, singly_cli_campaign_free)

G_END_DECLS
