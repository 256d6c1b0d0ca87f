#!/usr/bin/env bash
# Fuzzes what reads untrusted bytes: contact files, templates, .eml
# templates, HTML bodies, addresses and an SMTP server's replies
# (tests/fuzz/fuzz-*.c, libFuzzer with ASan and UBSan).
#   bench/fuzz.sh [SECONDS] [TARGET...]     (default 300 s, every target)
# Builds the targets in _build-fuzz (clang, -Dfuzzing=true; or $BUILD),
# runs each for SECONDS from its seed corpus, at most $JOBS at a time
# (default: the number of cores, since each target is one process), and
# prints per target the executions and the coverage from libFuzzer's final
# stats (cov: edges, ft: features). The seeds in tests/fuzz/corpus are
# copied into bench/out/fuzz/TARGET/corpus, which keeps what the fuzzer
# finds out of git and lets the next run start from it; crashes land in
# bench/out/fuzz/TARGET/ and make the script exit 1. Reproduce one with
#   _build-fuzz/tests/fuzz/fuzz-TARGET bench/out/fuzz/TARGET/crash-…
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/_build-fuzz}
seconds=${1:-300}
shift || true
jobs=${JOBS:-$(nproc)}
out=$top/bench/out/fuzz

all_targets=(address contacts eml html-text smtp-reply template)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")

# Inputs as large as the real thing needs and no larger: a longer input
# only makes each execution slower. SMTP needs room for a line over the
# session's 4096-byte limit.
declare -A max_len=(
  [address]=512 [contacts]=16384 [eml]=16384 [html-text]=16384
  [smtp-reply]=8192 [template]=8192
)

# libFuzzer ships with clang (Debian's clang-14 pulls libclang-rt-14-dev);
# install it here, not in build-aux/install-deps: the test suite never
# needs it.
fuzzer_works () {
  local dir
  dir=$(mktemp -d)
  echo 'int LLVMFuzzerTestOneInput (const unsigned char *d, unsigned long n) { return 0; }' > "$dir/t.c"
  clang -fsanitize=fuzzer,address,undefined "$dir/t.c" -o "$dir/t" 2>/dev/null
  local ok=$?
  rm -rf "$dir"
  return $ok
}
if ! command -v clang >/dev/null || ! fuzzer_works; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends clang libclang-rt-14-dev >&2
  fuzzer_works || { echo "clang -fsanitize=fuzzer does not work here" >&2; exit 1; }
fi

if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" "$top" -Dfuzzing=true -Db_lundef=false -Dbuildtype=debugoptimized >/dev/null
fi
ninja -C "$build" "${targets[@]/#/tests/fuzz/fuzz-}" >/dev/null

run_target () {  # TARGET
  local target=$1 dir=$out/$1 dict=$top/tests/fuzz/$1.dict
  local args=()
  mkdir -p "$dir/corpus"
  cp -n "$top/tests/fuzz/corpus/$target/"* "$dir/corpus/" 2>/dev/null || true
  [ -f "$dict" ] && args+=("-dict=$dict")
  # -timeout: no input may take 10 s (html-text promises linear time);
  # -rss_limit_mb: a runaway allocation is a finding, not a swap storm
  ( cd "$dir" && "$build/tests/fuzz/fuzz-$target" "${args[@]}" \
      -max_total_time="$seconds" -max_len="${max_len[$target]}" \
      -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$dir/" corpus > "$dir/log" 2>&1 ) || true
}

# Runs the targets, $jobs at a time; artifacts older than this run are
# last time's findings and do not count again
mkdir -p "$out"
touch "$out/.start"
running=0
for target in "${targets[@]}"; do
  [ -n "${max_len[$target]:-}" ] || { echo "unknown target: $target" >&2; exit 2; }
  rm -f "$out/$target/log"
  run_target "$target" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait

# One line per target from libFuzzer's final lines
status=0
printf "%-11s %8s %12s %8s %6s %7s %9s  %s\n" target seconds executions exec/s cov ft corpus result
for target in "${targets[@]}"; do
  log=$out/$target/log
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corpus=$(ls "$out/$target/corpus" | wc -l)
  crashes=$(find "$out/$target" -maxdepth 1 -newer "$out/.start" \
              \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  result=ok
  if [ "$crashes" -gt 0 ] || grep -q '^SUMMARY: ' "$log"; then
    result="FOUND $(grep -m1 '^SUMMARY: ' "$log" | cut -c10- || echo "$crashes artifact(s)")"
    status=1
  fi
  printf "%-11s %8s %12s %8s %6s %7s %9s  %s\n" "$target" "$seconds" "${execs:-?}" "${rate:-?}" \
    "${cov:-?}" "${ft:-?}" "$corpus" "$result"
done
exit $status
