#!/usr/bin/env bash
# Runs singly-cli under valgrind's memcheck on the real workflow, to find
# what the sanitizer build cannot: leaks and invalid reads in code built
# without instrumentation, with GLib, GMime and OpenSSL as they ship.
#   bench/valgrind.sh
# A plain debug build (_build-valgrind, or $BUILD) runs:
#   check, preview and export of the samples' contacts.csv with invoice.md,
#   the same three for the GBK contact file with a Chinese template written
#   here, and a send of contacts.csv with invitation.txt to Postfix's
#   smtp-sink on 127.0.0.1 (--security none: nothing leaves the machine).
# Each under valgrind --leak-check=full --errors-for-leak-kinds=definite,
# indirect: a definite or indirect leak, an invalid read or write, or a
# jump on an uninitialised value counts; memory still reachable at exit
# (GLib's type system, GMime's and OpenSSL's tables) does not. singly-cli's
# own exit codes overlap valgrind's --error-exitcode, so each run is judged
# by its "ERROR SUMMARY" line. Logs land in bench/out/valgrind/; the script
# exits 1 if any run had an error.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/_build-valgrind}
samples=${SINGLY_SAMPLES:-$top/../shared/samples}
out=$top/bench/out/valgrind

if ! command -v valgrind >/dev/null; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends valgrind >&2
fi

[ -f "$build/build.ninja" ] || meson setup "$build" "$top" -Dbuildtype=debug >/dev/null
ninja -C "$build" src/cli/singly-cli >/dev/null
cli=$build/src/cli/singly-cli

rm -rf "$out" && mkdir -p "$out/export" "$out/export-gbk"

# GLib 2.74 still has its slice allocator, which hides leaks from valgrind
# behind its own free lists; gc-friendly clears freed pointers so that
# dead memory does not look reachable. GLib's own suppressions cover its
# one-time allocations (type system, quarks, thread pools).
export G_SLICE=always-malloc G_DEBUG=gc-friendly LC_ALL=C.UTF-8
vg=(valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=1
    --num-callers=40 --track-origins=yes)
[ -f /usr/share/glib-2.0/valgrind/glib.supp ] && vg+=(--suppressions=/usr/share/glib-2.0/valgrind/glib.supp)
[ -f "$top/bench/valgrind.supp" ] && vg+=(--suppressions="$top/bench/valgrind.supp")

# The Chinese sample has 姓名,邮箱,公司,金额 as its header
cat > "$out/gbk.txt" <<'EOF'
Subject: {{姓名}}，您好

尊敬的{{姓名}}：

贵公司（{{公司}}）本期金额为 {{金额}} 元。
EOF

status=0
run () {  # NAME ARGS...
  local name=$1; shift
  local log=$out/$name.log rc=0 errors
  "${vg[@]}" --log-file="$log" "$cli" "$@" >"$out/$name.stdout" 2>"$out/$name.stderr" || rc=$?
  errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$log" | tail -n 1)
  local definite indirect
  definite=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$log" | tail -n 1)
  indirect=$(sed -n 's/.*indirectly lost: \([0-9,]*\) bytes.*/\1/p' "$log" | tail -n 1)
  printf "%-14s exit %-3s errors %-4s definitely lost %-8s indirectly lost %s\n" \
    "$name" "$rc" "${errors:-?}" "${definite:-0}" "${indirect:-0}"
  if [ "${errors:-1}" != 0 ]; then
    status=1
  fi
}

run check      check   --contacts "$samples/contacts.csv" --template "$samples/invoice.md"
run preview    preview --contacts "$samples/contacts.csv" --template "$samples/invoice.md"
run export     export  --contacts "$samples/contacts.csv" --template "$samples/invoice.md" --output "$out/export"
run check-gbk   check   --contacts "$samples/contacts-excel-gbk.csv" --template "$out/gbk.txt"
run preview-gbk preview --contacts "$samples/contacts-excel-gbk.csv" --template "$out/gbk.txt"
run export-gbk  export  --contacts "$samples/contacts-excel-gbk.csv" --template "$out/gbk.txt" --output "$out/export-gbk"

# smtp-sink on a free loopback port; it refuses to run as root without -u
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
user=(); [ "$(id -u)" = 0 ] && user=(-u nobody)
/usr/sbin/smtp-sink "${user[@]}" "127.0.0.1:$port" 100 &
sink=$!
trap 'kill $sink 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done
run send send --contacts "$samples/contacts.csv" --template "$samples/invitation.txt" \
  --from office@example.org --server "smtp://127.0.0.1:$port" --security none \
  --journal "$out/send.journal" --report "$out/send-report.csv"

[ $status -eq 0 ] && echo "valgrind: no errors" || echo "valgrind: errors, see $out/*.log"
exit $status
