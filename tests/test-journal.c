/* test-journal.c: the journal remembers, and refuses to mix campaigns
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "singly-journal.h"
#include "singly-test-util.h"

static const SinglyJournalIdentity identity = {
  .contacts_checksum = "aaaa",
  .template_checksum = "bbbb",
  .sender = "office@example.org",
  .n_rows = 5,
};

static SinglyJournal *
open_journal (const char                  *path,
              const SinglyJournalIdentity *id)
{
  g_autoptr(GError) error = NULL;
  SinglyJournal *journal = singly_journal_open (path, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (journal);
  return journal;
}

static void
test_replay (void)
{
  g_autofree char *dir = singly_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "sub", "c.journal", NULL);
  g_autoptr(GError) error = NULL;
  struct stat st;

  {
    g_autoptr(SinglyJournal) journal = open_journal (path, &identity);

    g_assert_false (singly_journal_get_resumed (journal));
    g_assert_cmpint (singly_journal_get_row (journal, 0)->state, ==, SINGLY_RECIPIENT_QUEUED);

    g_assert_true (singly_journal_record_attempt (journal, 0, "a@example.com", "id0@example.org", &error));
    g_assert_true (singly_journal_record_outcome (journal, 0, SINGLY_RECIPIENT_SENT, 250, "2.0.0 Ok: queued as X", &error));
    g_assert_true (singly_journal_record_attempt (journal, 1, "b@example.com", "id1@example.org", &error));
    g_assert_true (singly_journal_record_outcome (journal, 1, SINGLY_RECIPIENT_FAILED, 550,
                                                  "5.1.1 no such user\r\n\tsecond line", &error));
    g_assert_true (singly_journal_record_attempt (journal, 2, "c@example.com", "id2@example.org", &error));
    /* row 2: killed after the dot, before the reply */
    g_assert_true (singly_journal_record_attempt (journal, 3, "d@example.com", "id3@example.org", &error));
    g_assert_true (singly_journal_record_outcome (journal, 3, SINGLY_RECIPIENT_DEFERRED, 451, "4.3.0 try later", &error));
    g_assert_no_error (error);
  }

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  {
    g_autoptr(SinglyJournal) journal = open_journal (path, &identity);
    const SinglyJournalRow *row;

    g_assert_true (singly_journal_get_resumed (journal));

    row = singly_journal_get_row (journal, 0);
    g_assert_cmpint (row->state, ==, SINGLY_RECIPIENT_SENT);
    g_assert_cmpuint (row->code, ==, 250);
    g_assert_cmpstr (row->message_id, ==, "id0@example.org");
    g_assert_cmpuint (row->attempts, ==, 1);

    row = singly_journal_get_row (journal, 1);
    g_assert_cmpint (row->state, ==, SINGLY_RECIPIENT_FAILED);
    g_assert_cmpstr (row->reply, ==, "5.1.1 no such user   second line");

    g_assert_cmpint (singly_journal_get_row (journal, 2)->state, ==, SINGLY_RECIPIENT_UNKNOWN);
    g_assert_cmpint (singly_journal_get_row (journal, 3)->state, ==, SINGLY_RECIPIENT_DEFERRED);
    g_assert_cmpint (singly_journal_get_row (journal, 4)->state, ==, SINGLY_RECIPIENT_QUEUED);

    /* the user decides to send the unknown one again */
    g_assert_true (singly_journal_record_resend (journal, 2, &error));
    g_assert_no_error (error);
  }

  {
    g_autoptr(SinglyJournal) journal = open_journal (path, &identity);

    g_assert_cmpint (singly_journal_get_row (journal, 2)->state, ==, SINGLY_RECIPIENT_QUEUED);
    g_assert_cmpuint (singly_journal_get_row (journal, 2)->attempts, ==, 1);
  }

  {
    g_autofree char *sub = g_path_get_dirname (path);

    singly_test_rm_rf (sub);
  }
  singly_test_rm_rf (dir);
}

static void
test_mismatch (void)
{
  g_autofree char *dir = singly_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "c.journal", NULL);
  const struct { SinglyJournalIdentity id; const char *word; } cases[] = {
    { { "cccc", "bbbb", "office@example.org", 5 }, "contact list" },
    { { "aaaa", "dddd", "office@example.org", 5 }, "template" },
    { { "aaaa", "bbbb", "other@example.org", 5 }, "sender" },
    { { "aaaa", "bbbb", "office@example.org", 6 }, "number of rows" },
  };

  g_object_unref (open_journal (path, &identity));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SinglyJournal) journal = singly_journal_open (path, &cases[i].id, &error);

      g_assert_null (journal);
      g_assert_error (error, SINGLY_JOURNAL_ERROR, SINGLY_JOURNAL_ERROR_MISMATCH);
      g_assert_nonnull (strstr (error->message, cases[i].word));
      g_assert_nonnull (strstr (error->message, path));
    }

  singly_test_rm_rf (dir);
}

static void
test_torn_line (void)
{
  g_autofree char *dir = singly_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "c.journal", NULL);
  g_autoptr(GError) error = NULL;
  FILE *f;

  {
    g_autoptr(SinglyJournal) journal = open_journal (path, &identity);

    g_assert_true (singly_journal_record_attempt (journal, 0, "a@example.com", "id0", &error));
    g_assert_true (singly_journal_record_outcome (journal, 0, SINGLY_RECIPIENT_SENT, 250, "ok", &error));
  }

  /* a crash in the middle of writing an attempt */
  f = fopen (path, "a");
  fputs ("A\t1\tb@exam", f);
  fclose (f);

  {
    g_autoptr(SinglyJournal) journal = open_journal (path, &identity);

    g_assert_cmpint (singly_journal_get_row (journal, 0)->state, ==, SINGLY_RECIPIENT_SENT);
    g_assert_cmpint (singly_journal_get_row (journal, 1)->state, ==, SINGLY_RECIPIENT_QUEUED);
    g_assert_true (singly_journal_record_attempt (journal, 1, "b@example.com", "id1", &error));
    g_assert_true (singly_journal_record_outcome (journal, 1, SINGLY_RECIPIENT_SENT, 250, "ok", &error));
  }
  {
    g_autoptr(SinglyJournal) journal = open_journal (path, &identity);

    g_assert_cmpint (singly_journal_get_row (journal, 1)->state, ==, SINGLY_RECIPIENT_SENT);
  }

  singly_test_rm_rf (dir);
}

static void
test_refuses_symlink_and_junk (void)
{
  g_autofree char *dir = singly_test_tmpdir ();
  g_autofree char *target = g_build_filename (dir, "target", NULL);
  g_autofree char *link = g_build_filename (dir, "link.journal", NULL);
  g_autofree char *junk = g_build_filename (dir, "junk.journal", NULL);
  g_autoptr(GError) error = NULL;
  SinglyJournal *journal;

  g_file_set_contents (target, "", 0, NULL);
  g_assert_cmpint (symlink (target, link), ==, 0);
  journal = singly_journal_open (link, &identity, &error);
  g_assert_null (journal);
  g_assert_error (error, SINGLY_JOURNAL_ERROR, SINGLY_JOURNAL_ERROR_IO);
  g_clear_error (&error);

  g_file_set_contents (junk, "email,name\na@example.com,Ann\n", -1, NULL);
  journal = singly_journal_open (junk, &identity, &error);
  g_assert_null (journal);
  g_assert_error (error, SINGLY_JOURNAL_ERROR, SINGLY_JOURNAL_ERROR_CORRUPT);

  singly_test_rm_rf (dir);
}

static void
test_default_path (void)
{
  g_autofree char *a = singly_journal_default_path ("/data/list.csv", "/data/t.md", "x@example.org");
  g_autofree char *b = singly_journal_default_path ("/data/list.csv", "/data/t.md", "x@example.org");
  g_autofree char *c = singly_journal_default_path ("/data/list.csv", "/data/u.md", "x@example.org");
  g_autofree char *base = g_path_get_basename (a);

  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, c);
  g_assert_true (g_str_has_prefix (a, g_get_user_state_dir ()));
  g_assert_true (g_str_has_prefix (base, "list-"));
  g_assert_true (g_str_has_suffix (base, ".journal"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/journal/replay", test_replay);
  g_test_add_func ("/journal/mismatch", test_mismatch);
  g_test_add_func ("/journal/torn-line", test_torn_line);
  g_test_add_func ("/journal/refuses-symlink-and-junk", test_refuses_symlink_and_junk);
  g_test_add_func ("/journal/default-path", test_default_path);

  return g_test_run ();
}
