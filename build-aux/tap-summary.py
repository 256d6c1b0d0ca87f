#!/usr/bin/python3
"""Counts the TAP results of one `meson test` run from its testlog.json.

Every "ok" and "not ok" line of every test program counts; a program that
failed without reporting a failing TAP line (a crash, a timeout, a sanitizer
report at exit) counts as one failure more, and a test that speaks no TAP
(a validator judged by its exit status) counts once. Prints "N passed, N failed[, N
skipped]".
"""
import json
import re
import sys

passed = failed = skipped = 0
bad_results = {"FAIL", "TIMEOUT", "ERROR", "UNEXPECTEDPASS", "INTERRUPT"}

with open(sys.argv[1], encoding="utf-8", errors="replace") as log:
    for line in log:
        entry = json.loads(line)
        out = entry.get("stdout") or ""
        program_failed = 0
        for tap in out.splitlines():
            m = re.match(r"^(not ok|ok)\b(.*)$", tap)
            if not m:
                continue
            rest = m.group(2)
            if re.search(r"#\s*skip", rest, re.I):
                skipped += 1
            elif m.group(1) == "ok":
                passed += 1
            else:
                failed += 1
                program_failed += 1
        result = entry.get("result")
        if result in bad_results and program_failed == 0:
            failed += 1
            print(f"{entry.get('name')}: {result}", file=sys.stderr)
        elif not re.search(r"^(not ok|ok)\b", out, re.M):
            # a plain exit-status test (validators): one result of its own
            if result == "OK":
                passed += 1
            elif result == "SKIP":
                skipped += 1

line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
