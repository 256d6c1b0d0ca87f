/* singly-application.h: the Singly application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "singly-account-store.h"

G_BEGIN_DECLS

#define SINGLY_TYPE_APPLICATION (singly_application_get_type ())
G_DECLARE_FINAL_TYPE (SinglyApplication, singly_application, SINGLY, APPLICATION, AdwApplication)

SinglyApplication *singly_application_new          (void);
GSettings         *singly_application_get_settings (SinglyApplication *self);

SinglyAccountStore *singly_application_get_account_store       (SinglyApplication *self);
const char         *singly_application_get_account_store_error (SinglyApplication *self);
void                singly_application_set_session_secret      (SinglyApplication *self,
                                                                const char        *account_id,
                                                                const char        *secret);
char               *singly_application_dup_session_secret      (SinglyApplication *self,
                                                                const char        *account_id);

G_END_DECLS
