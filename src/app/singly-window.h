/* singly-window.h: the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "singly-application.h"
#include "singly-contacts-page.h"
#include "singly-document.h"
#include "singly-preview-page.h"
#include "singly-send-page.h"
#include "singly-template-page.h"

G_BEGIN_DECLS

#define SINGLY_TYPE_WINDOW (singly_window_get_type ())
G_DECLARE_FINAL_TYPE (SinglyWindow, singly_window, SINGLY, WINDOW, AdwApplicationWindow)

SinglyWindow       *singly_window_new                  (SinglyApplication   *application);
SinglyDocument     *singly_window_get_document         (SinglyWindow        *self);

void                singly_window_open_files           (SinglyWindow        *self,
                                                        GFile              **files,
                                                        int                  n_files);
void                singly_window_open_contacts_file   (SinglyWindow        *self,
                                                        GFile               *file);
void                singly_window_open_template_file   (SinglyWindow        *self,
                                                        GFile               *file);
void                singly_window_open_campaign_file   (SinglyWindow        *self,
                                                        GFile               *file);
void                singly_window_save_campaign_file   (SinglyWindow        *self,
                                                        GFile               *file);
GFile              *singly_window_get_campaign_file    (SinglyWindow        *self);
gboolean            singly_window_get_opening_campaign (SinglyWindow        *self);
GMenuModel         *singly_window_get_recent_menu      (SinglyWindow        *self);
void                singly_window_set_account          (SinglyWindow        *self,
                                                        const SinglyAccount *account);
gboolean            singly_window_export_report        (SinglyWindow        *self,
                                                        GFile               *file,
                                                        GError             **error);

const char         *singly_window_get_visible_page     (SinglyWindow        *self);
void                singly_window_set_visible_page     (SinglyWindow        *self,
                                                        const char          *name);
void                singly_window_show_toast           (SinglyWindow        *self,
                                                        const char          *text);

SinglyContactsPage *singly_window_get_contacts_page    (SinglyWindow        *self);
SinglyTemplatePage *singly_window_get_template_page    (SinglyWindow        *self);
SinglyPreviewPage  *singly_window_get_preview_page     (SinglyWindow        *self);
SinglySendPage     *singly_window_get_send_page        (SinglyWindow        *self);

G_END_DECLS
