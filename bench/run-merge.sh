#!/usr/bin/env bash
# The merge-engine benchmarks of issue 2, with Python's email package
# building the same messages in the same run for comparison.
#   bench/run-merge.sh [ROWS] [LOAD_ROWS]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/_build-release}
rows=${1:-100000}
load_rows=${2:-1000000}
out=$top/bench/out

[ -f "$build/build.ninja" ] || meson setup "$build" "$top" -Dbuildtype=release >/dev/null
ninja -C "$build" bench/bench-merge bench/bench-load >/dev/null

mkdir -p "$out"
/usr/bin/python3 "$top/bench/make-data.py" merge "$out/merge" "$rows"
[ -f "$out/load-$load_rows.csv" ] || /usr/bin/python3 "$top/bench/make-data.py" load "$out/load-$load_rows.csv" "$load_rows"

echo "# render and serialise $rows messages (4 KB template, 6 fields)"
singly=$("$build/bench/bench-merge" "$out/merge")
echo "$singly"
python=$(/usr/bin/python3 "$top/bench/merge-python.py" "$out/merge")
echo "$python"
/usr/bin/python3 - "$singly" "$python" <<'PY'
import re, sys
rate = lambda line: float(re.search(r"rate=(\d+)", line).group(1))
print(f"ratio: singly is {rate(sys.argv[1]) / rate(sys.argv[2]):.1f}x python's email package")
PY

echo "# load a $load_rows-row contact list"
"$build/bench/bench-load" "$out/load-$load_rows.csv"
