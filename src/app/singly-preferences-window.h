/* singly-preferences-window.h: accounts and defaults
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "singly-account-editor.h"
#include "singly-application.h"

G_BEGIN_DECLS

#define SINGLY_TYPE_PREFERENCES_WINDOW (singly_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (SinglyPreferencesWindow, singly_preferences_window, SINGLY, PREFERENCES_WINDOW, AdwPreferencesWindow)

SinglyPreferencesWindow *singly_preferences_window_new          (SinglyApplication       *application);
SinglyAccountEditor     *singly_preferences_window_add_account  (SinglyPreferencesWindow *self);
SinglyAccountEditor     *singly_preferences_window_edit_account (SinglyPreferencesWindow *self,
                                                                 const char              *account_id);
SinglyAccountEditor     *singly_preferences_window_get_editor   (SinglyPreferencesWindow *self);
GtkListBox              *singly_preferences_window_get_accounts_list (SinglyPreferencesWindow *self);

G_END_DECLS
