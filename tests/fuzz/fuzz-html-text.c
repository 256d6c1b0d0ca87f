/* fuzz-html-text.c: any bytes as an HTML body
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * singly_html_to_text() makes the plain-text alternative of every HTML
 * and Markdown message, from a body the user (or a saved web page) wrote.
 * It promises to accept anything in linear time and to return valid UTF-8
 * ending in exactly one newline, or "". Those promises are checked here;
 * the time is libFuzzer's -timeout, and the output size is bounded so a
 * runaway expansion shows up as a failure rather than as slowness.
 */
#include "config.h"

#include <string.h>

#include "fuzz-util.h"
#include "singly-html-text.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = singly_html_to_text ((const char *) data, (gssize) size);
  gsize length;

  fuzz_check (text != NULL);
  length = strlen (text);
  if (g_getenv ("FUZZ_DUMP") != NULL)
    fwrite (text, 1, length, stderr);
  fuzz_check (g_utf8_validate (text, length, NULL));
  fuzz_check (memchr (text, '\r', length) == NULL);

  if (length > 0)
    {
      /* one newline at the end, and no blank line, space or tab before
       * it (a form feed in <pre> is text as written, not a space) */
      fuzz_check (length >= 2);
      fuzz_check (text[length - 1] == '\n');
      fuzz_check (strchr (" \t\n\r", text[length - 2]) == NULL);
    }

  /* every output byte comes from a bounded amount of work per input byte:
   * indentation is capped at its nesting limit, a link's address is
   * written once, a list marker at most a few digits */
  fuzz_check (length <= 64 * (gsize) size + 4096);

  return 0;
}
