#!/usr/bin/env bash
# Runs the send job's tests (tests/test-send.c) under ThreadSanitizer, to
# find data races between the job's worker thread and the main loop: the
# worker builds and sends, the main thread applies its events and answers
# pause, resume and cancel, and they meet only under the job's lock and
# through sources attached to the main context.
#   bench/tsan.sh [TEST...]          (default: send)
# Builds _build-tsan (or $BUILD) with -Db_sanitize=thread, only the test
# programs it needs, runs `meson test` there and counts the reports;
# exits 1 if a test fails or a report concerns Singly's code.
#
# GLib is not built with TSan, and on Linux its GMutex and GCond are its
# own futex code, which TSan cannot see: every access made under a GMutex
# would look unsynchronised, and each report would be a false alarm about
# the lock itself (a first run gave 93, all of that kind). So the script
# builds bench/tsan-glib-sync.c, GMutex and GCond on pthreads, which TSan
# understands, and preloads it into the tests (see there). A real race
# is still reported: without the lock in dispatch_events() of
# singly-send-job.c a run gives some ninety.
#
# What GLib, GIO or GMime do among their own threads, with their own
# locks and atomics (a GTimeZone shared by two threads building messages,
# GSubprocess reaping the test servers), is still reported, with stacks
# that lose their frames inside those libraries. Such reports, where both
# accesses were made by library code, are counted apart (see below);
# bench/tsan.supp names the ones that can be named.
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
# second_deadlock_stack: both stacks of a lock-order report; exitcode=0:
# a test fails for its own reasons only, the reports are judged below
export TSAN_OPTIONS="halt_on_error=0 second_deadlock_stack=1 history_size=7 exitcode=0 log_path=$out/tsan"
[ -f "$top/bench/tsan.supp" ] && TSAN_OPTIONS+=" suppressions=$top/bench/tsan.supp"
status=0
LD_PRELOAD=$sync_lib meson test -C "$build" --no-rebuild --print-errorlogs "${tests[@]}" \
  >"$out/meson-test.log" 2>&1 || status=1
grep -E '^ *[0-9]+/[0-9]+ ' "$out/meson-test.log" | sort -u || true

# A data race report names two accesses. When the code that made both is
# GLib's, GIO's or GMime's own (the first frame past TSan's interceptors
# is in a shared library), TSan could not see the library's own locks and
# atomics, and the report says nothing about Singly: its stack traces
# even lose their frames inside those libraries, so suppressions by name
# cannot catch them all. Such reports are counted apart; any other report
# (an access in Singly's code or the tests', or any other kind of
# report) counts, and fails the run.
/usr/bin/python3 - "$out" <<'PY' || status=1
import glob, re, sys

ours, libs = 0, []
for path in sorted(glob.glob(sys.argv[1] + "/tsan.*")):
    text = open(path, errors="replace").read()
    for report in re.findall(r"WARNING: ThreadSanitizer: (.*?)\nSUMMARY: [^\n]*", text, re.S):
        kind = report.splitlines()[0]
        # the two accesses, "Read of size 8 … by main thread:" and
        # "Previous write …", each followed by its stack: the first frame
        # past the interceptors, and the first frame in Singly's sources
        firsts, callers, frames = [], [], None
        for line in report.splitlines() + [""]:
            if re.match(r"\s*(Previous )?(atomic )?(read|write)\b", line, re.I):
                frames = []
            elif frames is not None and re.match(r"\s*#\d+ ", line):
                if "interceptors" not in line:
                    frames.append(line.split(None, 1)[1])
            elif frames is not None:
                if frames:
                    firsts.append(frames[0])
                    callers.append(next((f.split(" (")[0] for f in frames
                                         if re.search(r" \.\./(src|tests)/", f)), "?"))
                frames = None
        if (kind.startswith("data race") and len(firsts) == 2 and
                all(re.search(r"\(lib[^()]*\.so[^()]*\+0x", f) for f in firsts)):
            libs.append("%s, called from %s | %s" % (firsts[0].split(" (")[0], callers[0], callers[1]))
        else:
            ours += 1
            print("--- %s\n%s\n" % (path, report[:3000]))
# listed, so that a library call on data Singly shares badly can still be
# spotted by whoever reads this
for line in sorted(set(libs)):
    print("inside the libraries: " + line)
print("ThreadSanitizer: %d report(s) on Singly's code or tests, %d inside GLib/GIO/GMime alone"
      % (ours, len(libs)))
sys.exit(1 if ours else 0)
PY
echo "logs in $out"
exit $status
