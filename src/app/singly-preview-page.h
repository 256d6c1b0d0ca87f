/* singly-preview-page.h: the Preview page: each recipient's message
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "singly-document.h"

G_BEGIN_DECLS

#define SINGLY_TYPE_PREVIEW_PAGE (singly_preview_page_get_type ())
G_DECLARE_FINAL_TYPE (SinglyPreviewPage, singly_preview_page, SINGLY, PREVIEW_PAGE, AdwBin)

void        singly_preview_page_set_document     (SinglyPreviewPage *self,
                                                  SinglyDocument    *document);
guint       singly_preview_page_get_row          (SinglyPreviewPage *self);
void        singly_preview_page_set_row          (SinglyPreviewPage *self,
                                                  guint              row);
gboolean    singly_preview_page_can_go_next      (SinglyPreviewPage *self);
gboolean    singly_preview_page_can_go_previous  (SinglyPreviewPage *self);
void        singly_preview_page_next             (SinglyPreviewPage *self);
void        singly_preview_page_previous         (SinglyPreviewPage *self);
gboolean    singly_preview_page_find             (SinglyPreviewPage *self,
                                                  const char        *text);
void        singly_preview_page_focus_search     (SinglyPreviewPage *self);
void        singly_preview_page_set_show_source  (SinglyPreviewPage *self,
                                                  gboolean           show_source);

const char *singly_preview_page_get_from_text    (SinglyPreviewPage *self);
const char *singly_preview_page_get_to_text      (SinglyPreviewPage *self);
const char *singly_preview_page_get_subject_text (SinglyPreviewPage *self);
char       *singly_preview_page_dup_plain_text   (SinglyPreviewPage *self);
const char *singly_preview_page_get_html         (SinglyPreviewPage *self);
GListModel *singly_preview_page_get_warnings     (SinglyPreviewPage *self);
guint       singly_preview_page_get_n_attachments (SinglyPreviewPage *self);

void        singly_preview_page_send_test        (SinglyPreviewPage *self);
gboolean    singly_preview_page_get_testing      (SinglyPreviewPage *self);
const char *singly_preview_page_get_test_result  (SinglyPreviewPage *self);

G_END_DECLS
