/* tsan-glib-sync.c: GMutex and GCond on pthreads, for ThreadSanitizer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench/tsan.sh builds this into a small library and preloads it into the
 * test programs of the TSan build. On Linux, GLib implements GMutex and
 * GCond with futexes of its own; TSan intercepts pthreads, not futex(2),
 * so it cannot see that a g_mutex_unlock() in one thread happens before
 * the g_mutex_lock() in another, and it reports every access made under a
 * GMutex as a race. These definitions take the place of GLib's for every
 * call that goes through the dynamic linker: Singly's code, GObject and
 * GIO. GLib's calls to itself are bound inside libglib and keep its own
 * implementation, on its own mutexes only, so the two never share one.
 *
 * Not for anything but that build: a GMutex here holds a pointer to a
 * pthread mutex made on first use, as GLib does on systems without futexes.
 */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include <glib.h>

static void
die (const char *what)
{
  g_printerr ("tsan-glib-sync: %s failed\n", what);
  abort ();
}

static pthread_mutex_t *
mutex_impl (GMutex *mutex)
{
  pthread_mutex_t *impl = __atomic_load_n ((pthread_mutex_t **) &mutex->p, __ATOMIC_ACQUIRE);
  pthread_mutex_t *expected = NULL;

  if (impl != NULL)
    return impl;

  /* a zero-filled GMutex is an unlocked one: make it now */
  impl = malloc (sizeof *impl);
  if (impl == NULL || pthread_mutex_init (impl, NULL) != 0)
    die ("pthread_mutex_init");
  if (!__atomic_compare_exchange_n ((pthread_mutex_t **) &mutex->p, &expected, impl, FALSE,
                                    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
    {
      pthread_mutex_destroy (impl);
      free (impl);
      impl = expected;
    }
  return impl;
}

void
g_mutex_init (GMutex *mutex)
{
  mutex->p = NULL;
}

void
g_mutex_clear (GMutex *mutex)
{
  pthread_mutex_t *impl = mutex->p;

  if (impl != NULL)
    {
      pthread_mutex_destroy (impl);
      free (impl);
    }
  mutex->p = NULL;
}

void
g_mutex_lock (GMutex *mutex)
{
  if (pthread_mutex_lock (mutex_impl (mutex)) != 0)
    die ("pthread_mutex_lock");
}

void
g_mutex_unlock (GMutex *mutex)
{
  if (pthread_mutex_unlock (mutex_impl (mutex)) != 0)
    die ("pthread_mutex_unlock");
}

gboolean
g_mutex_trylock (GMutex *mutex)
{
  return pthread_mutex_trylock (mutex_impl (mutex)) == 0;
}

static pthread_cond_t *
cond_impl (GCond *cond)
{
  pthread_cond_t *impl = __atomic_load_n ((pthread_cond_t **) &cond->p, __ATOMIC_ACQUIRE);
  pthread_cond_t *expected = NULL;
  pthread_condattr_t attr;

  if (impl != NULL)
    return impl;

  /* g_cond_wait_until() takes a g_get_monotonic_time() deadline */
  impl = malloc (sizeof *impl);
  if (impl == NULL ||
      pthread_condattr_init (&attr) != 0 ||
      pthread_condattr_setclock (&attr, CLOCK_MONOTONIC) != 0 ||
      pthread_cond_init (impl, &attr) != 0)
    die ("pthread_cond_init");
  pthread_condattr_destroy (&attr);
  if (!__atomic_compare_exchange_n ((pthread_cond_t **) &cond->p, &expected, impl, FALSE,
                                    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
    {
      pthread_cond_destroy (impl);
      free (impl);
      impl = expected;
    }
  return impl;
}

void
g_cond_init (GCond *cond)
{
  cond->p = NULL;
}

void
g_cond_clear (GCond *cond)
{
  pthread_cond_t *impl = cond->p;

  if (impl != NULL)
    {
      pthread_cond_destroy (impl);
      free (impl);
    }
  cond->p = NULL;
}

void
g_cond_wait (GCond  *cond,
             GMutex *mutex)
{
  if (pthread_cond_wait (cond_impl (cond), mutex_impl (mutex)) != 0)
    die ("pthread_cond_wait");
}

gboolean
g_cond_wait_until (GCond  *cond,
                   GMutex *mutex,
                   gint64  end_time)
{
  struct timespec until;

  until.tv_sec = end_time / G_USEC_PER_SEC;
  until.tv_nsec = (end_time % G_USEC_PER_SEC) * 1000;
  return pthread_cond_timedwait (cond_impl (cond), mutex_impl (mutex), &until) == 0;
}

void
g_cond_signal (GCond *cond)
{
  pthread_cond_signal (cond_impl (cond));
}

void
g_cond_broadcast (GCond *cond)
{
  pthread_cond_broadcast (cond_impl (cond));
}
