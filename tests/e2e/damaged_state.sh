#!/usr/bin/env bash
# End-to-end: a damaged local directory file (truncated, not JSON, an unknown
# format version) is refused by every command that reads it with an error naming
# the file, exit 1, and is never rewritten; a full disk during apply's write
# (RLIMIT_FSIZE, SIGXFSZ ignored) leaves the old file intact. docs/reliability.md.
# Usage: damaged_state.sh PATH/TO/gatehouse
set -u
GH=${1:?usage: damaged_state.sh PATH/TO/gatehouse}
GH=$(cd "$(dirname "$GH")" && pwd)/$(basename "$GH")
SRC=${GATEHOUSE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gh-damaged.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export GATEHOUSE_NOW=2026-06-01 NO_COLOR=1
CFG=$WORK/config
DIRFILE=$CFG/.gatehouse/directory.json
FAILURES=0
fail() { echo "FAIL: $*" >&2; FAILURES=$((FAILURES + 1)); }
pass() { echo "ok: $*"; }
digest() { sha256sum "$1" | cut -d' ' -f1; }

mkdir -p "$CFG"
cp "$SRC/examples/startup/gatehouse.yaml" "$CFG/"
"$GH" apply "$CFG" --auto-approve </dev/null >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "first apply"; }
cp "$DIRFILE" "$WORK/good.json"
SIZE=$(wc -c <"$WORK/good.json")
# One more user so that apply has something to write.
sed -i 's/^users:$/users:\n  - {user_name: zed}/' "$CFG/gatehouse.yaml"

check_refused() {  # DESCRIPTION EXPECTED-TEXT (the damaged file is in place)
  local what=$1 text=$2 before cmd rc
  before=$(digest "$DIRFILE")
  for cmd in "plan" "apply --auto-approve" "drift"; do
    # shellcheck disable=SC2086
    "$GH" $cmd "$CFG" </dev/null >"$WORK/out" 2>"$WORK/err"
    rc=$?
    if [ "$rc" -ne 1 ]; then fail "$what: $cmd exits $rc, expected 1"; sed 's/^/  /' "$WORK/err" >&2; continue; fi
    if grep -qF -- "$DIRFILE$text" "$WORK/err" "$WORK/out"; then pass "$what: $cmd names the file"
    else fail "$what: $cmd: '$DIRFILE$text' not in the output"; sed 's/^/  /' "$WORK/err" >&2; fi
    [ "$(digest "$DIRFILE")" = "$before" ] && pass "$what: $cmd left it unchanged" || fail "$what: $cmd rewrote it"
  done
}

head -c $((SIZE / 2)) "$WORK/good.json" >"$DIRFILE"
check_refused "truncated" " is not valid JSON (truncated or damaged?)"
: >"$DIRFILE"
check_refused "empty" " is empty (truncated?)"
printf 'PK\003\004 not json at all' >"$DIRFILE"
check_refused "not JSON" " is not valid JSON"
python3 - "$WORK/good.json" "$DIRFILE" <<'PY'
import json, sys
j = json.load(open(sys.argv[1])); j["format_version"] = "2"
json.dump(j, open(sys.argv[2], "w"))
PY
check_refused "format_version 2" " has format_version \"2\", which this version of Gatehouse does not read"

# A full disk during the write: the file size limit stops the temp file short.
cp "$WORK/good.json" "$DIRFILE"
(trap '' XFSZ; ulimit -f $(((SIZE / 2 + 1023) / 1024)); exec "$GH" apply "$CFG" --auto-approve) </dev/null >"$WORK/out" 2>"$WORK/err"
rc=$?
[ "$rc" -eq 1 ] && pass "apply on a full disk exits 1" || { fail "apply on a full disk exits $rc"; cat "$WORK/err" >&2; }
grep -qF "cannot write $DIRFILE (it is unchanged): File too large" "$WORK/err" && pass "full disk: the error names the file" ||
  { fail "full disk: no clear error"; cat "$WORK/err" >&2; }
cmp -s "$DIRFILE" "$WORK/good.json" && pass "full disk: the old file is intact" || fail "full disk: the file changed"
ls "$CFG/.gatehouse" | grep -q '\.tmp\.' && fail "full disk: a temp file was left" || pass "full disk: no temp file left"
# Space again: the rerun converges.
"$GH" apply "$CFG" --auto-approve </dev/null >/dev/null 2>&1 && pass "rerun with space applies" || fail "rerun failed"
"$GH" plan "$CFG" --detailed-exitcode </dev/null >/dev/null 2>&1 && pass "then nothing is left to do" || fail "rerun did not converge"

[ "$FAILURES" -eq 0 ] || { echo "$FAILURES failure(s)" >&2; exit 1; }
echo "all damaged-state checks passed"
