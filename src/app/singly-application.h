/* singly-application.h: the Singly application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SINGLY_TYPE_APPLICATION (singly_application_get_type ())
G_DECLARE_FINAL_TYPE (SinglyApplication, singly_application, SINGLY, APPLICATION, AdwApplication)

SinglyApplication *singly_application_new          (void);
GSettings         *singly_application_get_settings (SinglyApplication *self);

G_END_DECLS
