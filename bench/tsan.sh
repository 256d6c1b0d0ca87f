#!/usr/bin/env bash
# Runs the send job's tests (tests/test-send.c) under ThreadSanitizer, to
# find data races between the job's worker thread and the main loop: the
# worker builds and sends, the main thread applies its events and answers
# pause, resume and cancel, and they meet only under the job's lock and
# through sources attached to the main context.
#   bench/tsan.sh [TEST...]          (default: send)
# Builds _build-tsan (or $BUILD) with -Db_sanitize=thread, only the test
# programs it needs, runs `meson test` there and prints how many race
# reports each test produced; exits 1 if there was any.
#
# GLib is not built with TSan, and on Linux its GMutex and GCond are its
# own futex code, which TSan cannot see: every access made under a GMutex
# would look unsynchronised, and each report would be a false alarm about
# the lock itself (a first run gave 93, all of that kind). So the script
# builds bench/tsan-glib-sync.c, GMutex and GCond on pthreads, which TSan
# understands, and preloads it into the tests (see there). A real race
# is still reported: without the lock in dispatch_events() of
# singly-send-job.c a run gives some fifty. What GLib still does among its
# own threads, with its own locks, is listed with why in bench/tsan.supp.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/_build-tsan}
out=$top/bench/out/tsan
tests=("$@")
[ ${#tests[@]} -eq 0 ] && tests=(send)

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$top" -Dbuildtype=debug -Db_sanitize=thread -Db_lundef=false >/dev/null
fi
# singly-cli too: the cli-* tests run it
ninja -C "$build" "${tests[@]/#/tests/test-}" src/cli/singly-cli >/dev/null
sync_lib=$build/libtsan-glib-sync.so
cc -shared -fPIC -g -O1 -fsanitize=thread $(pkg-config --cflags glib-2.0) \
  "$top/bench/tsan-glib-sync.c" -o "$sync_lib" $(pkg-config --libs glib-2.0)

rm -rf "$out" && mkdir -p "$out"
# halt_on_error=0: every report of a run, not only the first;
# second_deadlock_stack: both stacks of a lock-order report
export TSAN_OPTIONS="halt_on_error=0 second_deadlock_stack=1 history_size=4 log_path=$out/tsan"
[ -f "$top/bench/tsan.supp" ] && TSAN_OPTIONS+=" suppressions=$top/bench/tsan.supp"
status=0
LD_PRELOAD=$sync_lib meson test -C "$build" --no-rebuild --print-errorlogs "${tests[@]}" \
  >"$out/meson-test.log" 2>&1 || status=1
grep -E '^ *[0-9]+/[0-9]+ ' "$out/meson-test.log" || true

reports=0
for log in "$out"/tsan.*; do
  [ -f "$log" ] || continue
  n=$(grep -c '^WARNING: ThreadSanitizer' "$log" || true)
  reports=$((reports + n))
  echo "$(basename "$log"): $n report(s)"
  grep -A3 '^WARNING: ThreadSanitizer' "$log" | head -n 40
done
echo "ThreadSanitizer: $reports report(s) in ${tests[*]}; logs in $out"
[ "$reports" -eq 0 ] || status=1
exit $status
