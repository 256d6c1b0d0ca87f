#!/usr/bin/env bash
# The sending benchmarks of issue 3, against Postfix's smtp-sink on loopback:
#  1. singly-cli send, 10 000 recipients, 4 KB messages, one connection,
#     journal on (fdatasync before every final dot), beside Postfix's
#     smtp-source -d sending as many messages of the same size;
#  2. the same through a proxy that makes every round trip 5 ms longer,
#     against the bound of one message per round trip.
#   bench/run-send.sh [RECIPIENTS] [RECIPIENTS_OVER_PROXY]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/_build-release}
n=${1:-10000}
n_proxy=${2:-1000}
out=$top/bench/out/send
delay_ms=5

[ -f "$build/build.ninja" ] || meson setup "$build" "$top" -Dbuildtype=release >/dev/null
ninja -C "$build" src/cli/singly-cli >/dev/null

rm -rf "$out" && mkdir -p "$out"
/usr/bin/python3 "$top/bench/make-data.py" merge "$out" "$n"
head -n $((n_proxy + 1)) "$out/contacts.csv" > "$out/contacts-proxy.csv"

port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
user=(); [ "$(id -u)" = 0 ] && user=(-u nobody)
/usr/sbin/smtp-sink "${user[@]}" "127.0.0.1:$port" 1024 &
sink=$!
trap 'kill $sink ${proxy:-} 2>/dev/null || true' EXIT
sleep 0.5

send () {  # CONTACTS PORT JOURNAL
  /usr/bin/time -f "%e %M" -o "$out/time" "$build/src/cli/singly-cli" send \
    --contacts "$1" --template "$out/template.txt" --from office@example.org \
    --server "smtp://127.0.0.1:$2" --security none --journal "$3" 2>"$out/stderr" >/dev/null \
    || { cat "$out/stderr" >&2; exit 1; }
  read -r seconds rss_kib < "$out/time"
  echo "$seconds $rss_kib"
}

size=$(wc -c < "$out/template.txt")
echo "# $n recipients, one connection, journal on, template $size bytes"
read -r s_secs s_rss <<<"$(send "$out/contacts.csv" "$port" "$out/journal")"
s_rate=$(echo "$n / $s_secs" | bc -l)
printf "singly-cli send: %.2f s, %.0f messages/s, peak RSS %.0f MiB\n" "$s_secs" "$s_rate" "$(echo "$s_rss / 1024" | bc -l)"

start=$(date +%s.%N)
/usr/sbin/smtp-source -d -s 1 -m "$n" -l 4096 -f office@example.org -t rcpt@example.com "127.0.0.1:$port"
end=$(date +%s.%N)
p_secs=$(echo "$end - $start" | bc -l)
p_rate=$(echo "$n / $p_secs" | bc -l)
printf "smtp-source -d:  %.2f s, %.0f messages/s\n" "$p_secs" "$p_rate"
printf "ratio: singly sends at %.2f of smtp-source's rate\n" "$(echo "$s_rate / $p_rate" | bc -l)"

proxy_port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
/usr/bin/python3 "$top/bench/delay-proxy.py" "$proxy_port" "$port" "$delay_ms" > "$out/proxy.log" &
proxy=$!
sleep 0.5
echo "# $n_proxy recipients through a proxy adding $delay_ms ms to every round trip"
read -r r_secs r_rss <<<"$(send "$out/contacts-proxy.csv" "$proxy_port" "$out/journal-proxy")"
r_rate=$(echo "$n_proxy / $r_secs" | bc -l)
bound=$(echo "1000 / $delay_ms" | bc -l)
printf "singly-cli send: %.2f s, %.0f messages/s, bound 1/RTT = %.0f/s, %.2f of the bound, peak RSS %.0f MiB\n" \
  "$r_secs" "$r_rate" "$bound" "$(echo "$r_rate / $bound" | bc -l)" "$(echo "$r_rss / 1024" | bc -l)"
