/* singly-account-editor.h: one account, as the preferences edit it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "singly-account-check.h"
#include "singly-account-store.h"
#include "singly-application.h"

G_BEGIN_DECLS

#define SINGLY_TYPE_ACCOUNT_EDITOR (singly_account_editor_get_type ())
G_DECLARE_FINAL_TYPE (SinglyAccountEditor, singly_account_editor, SINGLY, ACCOUNT_EDITOR, AdwBin)

SinglyAccountEditor            *singly_account_editor_new              (SinglyApplication   *application,
                                                                        SinglyAccountItem   *item);
const char                     *singly_account_editor_get_account_id   (SinglyAccountEditor *self);
SinglyAccount                  *singly_account_editor_dup_account      (SinglyAccountEditor *self);
void                            singly_account_editor_set_ca_file      (SinglyAccountEditor *self,
                                                                        const char          *path);
void                            singly_account_editor_set_folder       (SinglyAccountEditor *self,
                                                                        const char          *path);
gboolean                        singly_account_editor_get_checking     (SinglyAccountEditor *self);
gboolean                        singly_account_editor_get_busy         (SinglyAccountEditor *self);
const SinglyAccountCheckResult *singly_account_editor_get_check_result (SinglyAccountEditor *self);
const char                     *singly_account_editor_get_error        (SinglyAccountEditor *self);
const char                     *singly_account_editor_get_notice       (SinglyAccountEditor *self);

G_END_DECLS
