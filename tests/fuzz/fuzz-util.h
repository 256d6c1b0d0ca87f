/* fuzz-util.h: what every fuzz target shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

G_BEGIN_DECLS

/* libFuzzer's entry points; declared here so -Wmissing-prototypes stays quiet */
int LLVMFuzzerInitialize   (int            *argc,
                            char         ***argv);
int LLVMFuzzerTestOneInput (const uint8_t  *data,
                            size_t          size);

/* The test suite runs with G_DEBUG=fatal-warnings: a g_warning() or a
 * failed g_return_if_fail() on some input is a bug there, so it is one
 * here too, and the fuzzer must stop at it rather than scroll past. */
static inline void
fuzz_init (void)
{
  g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  /* the tests' locale: messages untranslated, iconv and ctype in UTF-8 */
  setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "");
}

/* An invariant the code promises; g_assert() would vanish under
 * G_DISABLE_ASSERT, this never does. */
#define fuzz_check(expr)                                                      \
  G_STMT_START                                                                \
  {                                                                           \
    if (G_UNLIKELY (!(expr)))                                                 \
      {                                                                       \
        fprintf (stderr, "%s:%d: invariant failed: %s\n",                     \
                 __FILE__, __LINE__, #expr);                                  \
        abort ();                                                             \
      }                                                                       \
  }                                                                           \
  G_STMT_END

static inline gboolean
fuzz_is_utf8 (const char *text)
{
  return text != NULL && g_utf8_validate (text, -1, NULL);
}

G_END_DECLS
