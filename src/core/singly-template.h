/* singly-template.h: the {{field}} template language and template files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SINGLY_TEMPLATE_ERROR (singly_template_error_quark ())

typedef enum
{
  SINGLY_TEMPLATE_ERROR_IO,
  SINGLY_TEMPLATE_ERROR_ENCODING,       /* the file is not UTF-8 text */
  SINGLY_TEMPLATE_ERROR_SYNTAX,         /* unclosed {{, unbalanced sections, … */
  SINGLY_TEMPLATE_ERROR_UNKNOWN_FIELD,  /* a field that is not a column */
  SINGLY_TEMPLATE_ERROR_HEADER,         /* a bad line in the header block */
} SinglyTemplateError;

typedef enum
{
  SINGLY_BODY_PLAIN,
  SINGLY_BODY_MARKDOWN,
  SINGLY_BODY_HTML,
  SINGLY_BODY_EML,
} SinglyBodyFormat;

/**
 * SinglyEscape:
 * @SINGLY_ESCAPE_NONE: values are inserted as they are (plain text, headers)
 * @SINGLY_ESCAPE_HTML: `{{field}}` is HTML-escaped, `{{{field}}}` is not
 */
typedef enum
{
  SINGLY_ESCAPE_NONE,
  SINGLY_ESCAPE_HTML,
} SinglyEscape;

/**
 * SinglyTemplateDiagnostic:
 * @line: 1-based line in the template file
 * @column: 1-based column (in characters) in that line
 * @message: a translated sentence, without the position
 * @suggestion: (nullable): the closest column name for an unknown field
 */
typedef struct
{
  guint  line;
  guint  column;
  char  *message;
  char  *suggestion;
} SinglyTemplateDiagnostic;

void singly_template_diagnostic_free (SinglyTemplateDiagnostic *diagnostic);

/* ------------------------------------------------------------------------ */
/* SinglyTemplateText: one compiled piece of template text                   */

typedef struct _SinglyTemplateText SinglyTemplateText;

SinglyTemplateText *singly_template_text_new       (const char          *source,
                                                    gssize               length,
                                                    SinglyEscape         escape,
                                                    guint                first_line,
                                                    guint                first_column,
                                                    GError             **error);
SinglyTemplateText *singly_template_text_ref       (SinglyTemplateText  *self);
void                singly_template_text_unref     (SinglyTemplateText  *self);
gboolean            singly_template_text_bind      (SinglyTemplateText  *self,
                                                    const char * const  *columns,
                                                    guint                n_columns,
                                                    GError             **error);
void                singly_template_text_render    (SinglyTemplateText  *self,
                                                    const char * const  *values,
                                                    GString             *out);
gboolean            singly_template_text_is_constant (SinglyTemplateText *self);
char               *singly_template_text_dup_prefix (SinglyTemplateText *self);
void                singly_template_text_mark_columns (SinglyTemplateText *self,
                                                    guint8              *used,
                                                    guint8              *required);
GPtrArray          *singly_template_text_check     (SinglyTemplateText  *self,
                                                    const char * const  *columns,
                                                    guint                n_columns);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SinglyTemplateText, singly_template_text_unref)

/* ------------------------------------------------------------------------ */
/* SinglyTemplate: a template file — a header block, a blank line, a body    */

#define SINGLY_TYPE_TEMPLATE (singly_template_get_type ())
G_DECLARE_FINAL_TYPE (SinglyTemplate, singly_template, SINGLY, TEMPLATE, GObject)

GQuark              singly_template_error_quark    (void);

SinglyTemplate     *singly_template_new_from_file  (GFile               *file,
                                                    GCancellable        *cancellable,
                                                    GError             **error);
SinglyTemplate     *singly_template_new_from_data  (const char          *data,
                                                    gssize               length,
                                                    SinglyBodyFormat     format,
                                                    const char          *base_dir,
                                                    GError             **error);
SinglyBodyFormat    singly_template_format_for_path (const char         *path);

SinglyBodyFormat    singly_template_get_format     (SinglyTemplate      *self);
const char         *singly_template_get_path       (SinglyTemplate      *self);
const char         *singly_template_get_base_dir   (SinglyTemplate      *self);

guint               singly_template_get_n_headers  (SinglyTemplate      *self);
const char         *singly_template_get_header_name (SinglyTemplate     *self,
                                                    guint                index);
SinglyTemplateText *singly_template_get_header     (SinglyTemplate      *self,
                                                    guint                index);
int                 singly_template_find_header    (SinglyTemplate      *self,
                                                    const char          *name);

SinglyTemplateText *singly_template_get_body       (SinglyTemplate      *self);
SinglyTemplateText *singly_template_get_markdown   (SinglyTemplate      *self);
GBytes             *singly_template_get_eml        (SinglyTemplate      *self);

gboolean            singly_template_bind           (SinglyTemplate      *self,
                                                    const char * const  *columns,
                                                    guint                n_columns,
                                                    GError             **error);
GPtrArray          *singly_template_check          (SinglyTemplate      *self,
                                                    const char * const  *columns,
                                                    guint                n_columns);

G_END_DECLS
