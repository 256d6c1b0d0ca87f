/* singly-i18n.h: gettext for the core, so errors reach people in their language
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib/gi18n-lib.h>
