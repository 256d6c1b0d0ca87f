/* singly-template-page.h: the Template page: subject, headers and body
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <gtksourceview/gtksource.h>

#include "singly-document.h"

G_BEGIN_DECLS

#define SINGLY_TYPE_TEMPLATE_PAGE (singly_template_page_get_type ())
G_DECLARE_FINAL_TYPE (SinglyTemplatePage, singly_template_page, SINGLY, TEMPLATE_PAGE, AdwBin)

void             singly_template_page_set_document     (SinglyTemplatePage  *self,
                                                        SinglyDocument      *document);
void             singly_template_page_open_file        (SinglyTemplatePage  *self,
                                                        GFile               *file);
void             singly_template_page_new_template     (SinglyTemplatePage  *self);
void             singly_template_page_save             (SinglyTemplatePage  *self,
                                                        GFile               *file);
gboolean         singly_template_page_get_loading      (SinglyTemplatePage  *self);
gboolean         singly_template_page_get_modified     (SinglyTemplatePage  *self);
gboolean         singly_template_page_get_has_template (SinglyTemplatePage  *self);
const char      *singly_template_page_get_error        (SinglyTemplatePage  *self);

GtkEditable     *singly_template_page_get_subject      (SinglyTemplatePage  *self);
GtkSourceBuffer *singly_template_page_get_buffer       (SinglyTemplatePage  *self);
SinglyBodyFormat singly_template_page_get_format       (SinglyTemplatePage  *self);
void             singly_template_page_set_format       (SinglyTemplatePage  *self,
                                                        SinglyBodyFormat     format);
void             singly_template_page_set_header       (SinglyTemplatePage  *self,
                                                        const char          *name,
                                                        const char          *value);
char            *singly_template_page_dup_header       (SinglyTemplatePage  *self,
                                                        const char          *name);
void             singly_template_page_insert_field     (SinglyTemplatePage  *self,
                                                        const char          *name);
void             singly_template_page_focus_body       (SinglyTemplatePage  *self);
void             singly_template_page_compile_now      (SinglyTemplatePage  *self);
char           **singly_template_page_dup_diagnostics  (SinglyTemplatePage  *self);
char            *singly_template_page_dup_text         (SinglyTemplatePage  *self);

G_END_DECLS
