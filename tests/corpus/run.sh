#!/usr/bin/env bash
# Runs the Gatehouse config corpus against a built binary.
#   tests/corpus/run.sh BINARY [SUBSTRING]
# SUBSTRING, when given, runs only the cases whose name (bad/NAME, good/NAME)
# contains it. Needs bash, coreutils `timeout`, and python3 (stdlib only).
# Prints one PASS/FAIL line per case and a summary; exits 1 on any failure.
set -u

if [ $# -lt 1 ]; then
  echo "usage: $0 BINARY [SUBSTRING]" >&2
  exit 2
fi
BIN=$1
FILTER=${2:-}
case "$BIN" in /*) ;; */*) BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")" ;; esac
if ! command -v "$BIN" >/dev/null 2>&1; then
  echo "$0: $BIN: not found or not executable" >&2
  exit 2
fi
HERE=$(cd "$(dirname "$0")" && pwd)
export GATEHOUSE_NOW=2026-06-01
export NO_COLOR=1
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-corpus.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM

# Scaled in the sanitizer build (GH_TEST_TIMEOUT_SCALE, set by ctest there).
BAD_TIMEOUT=$((10 * ${GH_TEST_TIMEOUT_SCALE:-1}))
GOOD_TIMEOUT=$((30 * ${GH_TEST_TIMEOUT_SCALE:-1}))
pass=0
fail=0
failed=()

report() { # STATUS NAME [REASON]
  if [ "$1" = PASS ]; then
    pass=$((pass + 1)); echo "PASS $2"
  else
    fail=$((fail + 1)); failed+=("$2"); echo "FAIL $2: $3"
  fi
}

# Classifies an exit code from `timeout`; prints a reason when it is not WANT.
rc_problem() { # RC WANT COMMAND-NAME
  local rc=$1 want=$2 what=$3
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then echo "$what timed out (hang?)"
  elif [ "$rc" -ge 128 ]; then echo "$what crashed (signal $((rc - 128)))"
  elif [ "$rc" -eq 126 ] || [ "$rc" -eq 127 ]; then echo "$what could not be executed (exit $rc)"
  elif [ "$rc" -ne "$want" ]; then echo "$what exited $rc, want $want"
  fi
}

# argv: EXPECT-FILE OUTPUT-FILE. Prints nothing if every expect line is matched
# by a diagnostic `FILE:LINE:COL: error: MSG` in the output, else the reason.
read -r -d '' CHECK_BAD <<'PY'
import re, sys
expect_path, out_path = sys.argv[1], sys.argv[2]
with open(out_path, "rb") as f:
    raw = f.read(8 * 1024 * 1024)
text = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", raw.decode("utf-8", "replace"))
diag = re.compile(r"^\s*(.+?):(\d+):(\d+): error: (.*)$")
diags = []
for line in text.splitlines():
    m = diag.match(line.rstrip("\r"))
    if m:
        f = m.group(1).replace("\\", "/").rstrip("/")
        diags.append((f, int(m.group(2)), m.group(4)))
def same_file(reported, wanted):
    return reported == wanted or reported.endswith("/" + wanted)
problems = []
for n, line in enumerate(open(expect_path, encoding="utf-8").read().splitlines(), 1):
    if not line.strip():
        continue
    m = re.match(r"^(.+?):(\d+): (.*)$", line)
    if not m:
        problems.append("bad expect line %d: %r" % (n, line)); continue
    wfile, wline, wrx = m.group(1).rstrip("/"), int(m.group(2)), m.group(3)
    rx = re.compile(wrx, re.I)
    if any(same_file(f, wfile) and l == wline and rx.search(msg) for f, l, msg in diags):
        continue
    near = [f"{f}:{l}: {msg}" for f, l, msg in diags if same_file(f, wfile)]
    if not diags:
        got = "no 'FILE:LINE:COL: error: MSG' line in the output; output starts: %r" % text[:200]
    elif not near:
        got = "errors only in other files, e.g. %r" % ("%s:%d: %s" % diags[0])[:200]
    else:
        got = "got " + " | ".join(x[:160] for x in near[:3])
    problems.append("want %s:%d: /%s/ -- %s" % (wfile, wline, wrx, got))
print("; ".join(problems))
PY

# argv: PLAN-JSON EXPECTED-JSON. Prints nothing on a match, else the reason.
read -r -d '' CHECK_GOOD <<'PY'
import json, sys
from collections import Counter
KEYS = ("principal_type", "principal", "permission_set", "account_id")
try:
    with open(sys.argv[1], encoding="utf-8") as f:
        plan = json.load(f)
except Exception as e:
    print("plan output is not JSON: %s" % e); sys.exit()
with open(sys.argv[2], encoding="utf-8") as f:
    expected = json.load(f)
if not isinstance(plan, dict) or not isinstance(plan.get("changes"), list):
    print("plan JSON has no 'changes' list"); sys.exit()
actual = []
for c in plan["changes"]:
    if isinstance(c, dict) and c.get("kind") == "assignment" and c.get("action") == "create":
        after = c.get("after") or {}
        actual.append(tuple(after.get(k) for k in KEYS))
want = [tuple(e[k] for k in KEYS) for e in expected]
if sorted(actual, key=repr) == sorted(want, key=repr):
    sys.exit()
a, w = Counter(actual), Counter(want)
fmt = lambda t: "%s %s/%s/%s" % t
missing = [fmt(t) for t in sorted((w - a).elements(), key=repr)]
extra = [fmt(t) for t in sorted((a - w).elements(), key=repr)]
parts = []
if missing: parts.append("missing %d: %s" % (len(missing), ", ".join(missing[:5]) + (" ..." if len(missing) > 5 else "")))
if extra: parts.append("unexpected %d: %s" % (len(extra), ", ".join(extra[:5]) + (" ..." if len(extra) > 5 else "")))
print("; ".join(parts) or "assignment lists differ")
PY

selected() { [ -z "$FILTER" ] || [[ "$1" == *"$FILTER"* ]]; }

# ---- bad cases: committed ones, plus the generated large file
bad_dirs=("$HERE"/bad/*/)
if selected bad/large-file; then
  if "$HERE/bad/gen-large.sh" "$TMP/generated" >/dev/null 2>&1; then
    bad_dirs+=("$TMP/generated/large-file/")
  else
    report FAIL bad/large-file "gen-large.sh failed"
  fi
fi
for dir in "${bad_dirs[@]}"; do
  dir=${dir%/}
  name=bad/$(basename "$dir")
  [ -f "$dir/expect" ] || continue
  selected "$name" || continue
  had_state=no; [ -e "$dir/.gatehouse" ] && had_state=yes
  timeout -k 2 "$BAD_TIMEOUT" "$BIN" validate "$dir" --no-color >"$TMP/out" 2>&1 </dev/null
  rc=$?
  why=$(rc_problem "$rc" 1 validate)
  if [ -z "$why" ]; then
    why=$(python3 -c "$CHECK_BAD" "$dir/expect" "$TMP/out")
  fi
  if [ -z "$why" ] && [ "$had_state" = no ] && [ -e "$dir/.gatehouse" ]; then
    why="validate created $dir/.gatehouse"
  fi
  if [ -z "$why" ]; then report PASS "$name"; else report FAIL "$name" "$why"; fi
done
rm -rf "$TMP/generated"

# ---- good cases
for dir in "$HERE"/good/*/; do
  dir=${dir%/}
  name=good/$(basename "$dir")
  [ -f "$dir/expected-assignments.json" ] || continue
  selected "$name" || continue
  work="$TMP/good"
  rm -rf "$work"; mkdir -p "$work"
  cp -R "$dir" "$work/config"
  rm -f "$work/config/expected-assignments.json"
  live="$work/empty.json"
  why=""
  timeout -k 2 "$BAD_TIMEOUT" "$BIN" validate "$work/config" --no-color >"$TMP/out" 2>&1 </dev/null
  rc=$?
  why=$(rc_problem "$rc" 0 validate)
  if [ -n "$why" ]; then why="$why: $(head -c 300 "$TMP/out" | tr '\n' ' ')"; fi
  if [ -z "$why" ]; then
    timeout -k 2 "$GOOD_TIMEOUT" "$BIN" plan "$work/config" --format json --target "local:$live" >"$TMP/plan.json" 2>"$TMP/err" </dev/null
    rc=$?
    why=$(rc_problem "$rc" 0 plan)
    if [ -n "$why" ]; then why="$why: $(head -c 300 "$TMP/err" | tr '\n' ' ')"; fi
  fi
  if [ -z "$why" ] && [ -e "$live" ]; then
    why="plan wrote the live directory file $live"
  fi
  if [ -z "$why" ]; then
    why=$(python3 -c "$CHECK_GOOD" "$TMP/plan.json" "$dir/expected-assignments.json")
  fi
  if [ -z "$why" ]; then report PASS "$name"; else report FAIL "$name" "$why"; fi
done

echo "corpus: $pass passed, $fail failed"
if [ "$fail" -gt 0 ]; then
  printf 'failed: %s\n' "${failed[*]}"
  exit 1
fi
exit 0
