#!/usr/bin/env bash
# The window's benchmarks of issue 4, in a real window under Xvfb:
#  1. open a contact list of ROWS rows: the time until the table is drawn
#     with every row, and the peak RSS;
#  2. send ROWS messages to Postfix's smtp-sink on loopback with no pacing:
#     the rate, and the longest time the main loop was kept from running.
#   bench/run-window.sh [ROWS]      (default 100 000)
# A temporary HOME keeps the journal and settings away from the user's.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/_build-release}
n=${1:-100000}
out=$top/bench/out/window

[ -f "$build/build.ninja" ] || meson setup "$build" "$top" -Dbuildtype=release >/dev/null
ninja -C "$build" bench/bench-window data/gschemas.compiled >/dev/null 2>&1 || ninja -C "$build" bench/bench-window >/dev/null

rm -rf "$out" && mkdir -p "$out/home"
/usr/bin/python3 "$top/bench/make-data.py" merge "$out" "$n"

port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
user=(); [ "$(id -u)" = 0 ] && user=(-u nobody)
/usr/sbin/smtp-sink "${user[@]}" "127.0.0.1:$port" 1024 &
sink=$!
trap 'kill $sink 2>/dev/null || true' EXIT
sleep 0.5

run () {
  env HOME="$out/home" XDG_CONFIG_HOME="$out/home/.config" XDG_STATE_HOME="$out/home/.local/state" \
      XDG_CACHE_HOME="$out/home/.cache" XDG_DATA_HOME="$out/home/.local/share" \
      GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$build/data" GSK_RENDERER=cairo \
      NO_AT_BRIDGE=1 GTK_A11Y=none LC_ALL=C.UTF-8 \
      xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
      dbus-run-session --config-file="$top/tests/app/session.conf" -- "$build/bench/bench-window" "$@"
}

echo "# open $n rows ($(du -h "$out/contacts.csv" | cut -f1))"
run open "$out/contacts.csv"
echo "# send $n messages to smtp-sink, no pacing, journal on"
run send "$out/contacts.csv" "$out/template.txt" "$port"
