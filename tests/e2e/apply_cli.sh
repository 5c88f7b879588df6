#!/usr/bin/env bash
# End-to-end: plan and apply against the local target through the gatehouse
# binary: exit codes, confirmation, audit log, stale plans, the delete guard,
# the apply lock and the JSON outputs.
# Usage: apply_cli.sh PATH/TO/gatehouse
set -u

GH=${1:?usage: apply_cli.sh PATH/TO/gatehouse}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gh-apply-cli.XXXXXX")
HOLDER_PID=""
release_holder() {  # ends the background lock holder we started, and its sleep
  if [ -n "$HOLDER_PID" ]; then
    pkill -P "$HOLDER_PID" 2>/dev/null
    kill "$HOLDER_PID" 2>/dev/null
    wait "$HOLDER_PID" 2>/dev/null
    HOLDER_PID=""
  fi
}
cleanup() {
  release_holder
  rm -rf "$WORK"
}
trap cleanup EXIT

export GATEHOUSE_NOW=2026-06-01
export NO_COLOR=1
CFG=$WORK/config
DIRFILE=$CFG/.gatehouse/directory.json
AUDIT=$CFG/.gatehouse/audit.jsonl
OUT=$WORK/out
ERR=$WORK/err
FAILURES=0

fail() { echo "FAIL: $*" >&2; FAILURES=$((FAILURES + 1)); }
pass() { echo "ok: $*"; }

# run EXPECTED_RC DESCRIPTION -- ARGS...: runs gatehouse with stdin from /dev/null.
run() {
  local want=$1 what=$2
  shift 3
  "$GH" "$@" </dev/null >"$OUT" 2>"$ERR"
  local rc=$?
  if [ "$rc" -ne "$want" ]; then
    fail "$what: exit $rc, expected $want"
    sed 's/^/  stdout: /' "$OUT" >&2
    sed 's/^/  stderr: /' "$ERR" >&2
    return 1
  fi
  pass "$what (exit $rc)"
}

expect_in() {  # FILE TEXT DESCRIPTION
  if grep -qF -- "$2" "$1"; then pass "$3"; else fail "$3: '$2' not in $(basename "$1")"; sed 's/^/  /' "$1" >&2; fi
}

is_json() {  # FILE DESCRIPTION
  if python3 -c 'import json,sys; json.load(sys.stdin)' <"$1" 2>/dev/null; then pass "$2"; else fail "$2: not JSON"; head -5 "$1" >&2; fi
}

digest() { if [ -e "$1" ]; then sha256sum "$1" | cut -d' ' -f1; else echo missing; fi; }

json_get() {  # FILE PYTHON-EXPR over j
  python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print($2)" "$1"
}

mkdir -p "$CFG"
write_config() {  # DEVOPS_DESCRIPTION EXTRA_USERS(yaml lines)
  cat >"$CFG/main.yaml" <<EOF
settings:
  guards:
    max_deletes: 2
accounts:
  - {id: "111111111111", name: payments-prod, ou: Workloads/Prod, environment: production}
  - {id: "222222222222", name: payments-dev, ou: Workloads/Dev, environment: development}
permission_sets:
  - name: ReadOnly
    managed_policies: [ReadOnlyAccess]
  - name: Deploy
    session_duration: PT4H
    managed_policies: [PowerUserAccess]
    inline_policy:
      Version: "2012-10-17"
      Statement:
        - {Effect: Deny, Action: [cloudtrail:DeleteTrail, cloudtrail:StopLogging], Resource: "*"}
assignments:
  - {group: DevOps, permission_set: Deploy, accounts: {ou: "Workloads/**"}}
  - {group: Auditors, permission_set: ReadOnly, accounts: {all: true}}
EOF
  cat >"$CFG/people.yaml" <<EOF
users:
  - {user_name: alice, given_name: Alice, family_name: Liddell, email: alice@example.com}
  - {user_name: bob, email: bob@example.com}
  - {user_name: carol}
$2
groups:
  - {name: DevOps, description: "$1", members: [alice, bob]}
  - {name: Auditors, members: [carol]}
EOF
}
write_config "Platform engineers" ""

# --- plan on an empty directory -------------------------------------------
run 2 "plan --detailed-exitcode with changes" -- plan "$CFG" --detailed-exitcode
expect_in "$OUT" "+ user alice" "plan text lists the user"
run 0 "plan without --detailed-exitcode" -- plan "$CFG"
run 0 "plan --format json" -- plan "$CFG" --format json
is_json "$OUT" "plan --format json parses"
CREATES=$(json_get "$OUT" 'j["summary"]["create"]')
NOPS=$(json_get "$OUT" 'len(j["changes"])')
[ "$CREATES" = "$NOPS" ] && [ "$NOPS" -gt 10 ] && pass "first plan creates $NOPS objects" || fail "first plan: $CREATES creates of $NOPS changes"
[ "$(json_get "$OUT" 'j["format_version"]')" = "1" ] && pass "format_version 1" || fail "plan format_version"
[ ! -e "$DIRFILE" ] && pass "plan writes no directory" || fail "plan wrote $DIRFILE"

# --- apply needs confirmation ---------------------------------------------
run 1 "apply without --auto-approve and no terminal" -- apply "$CFG"
expect_in "$ERR" "apply needs confirmation, and there is no terminal to ask on" "refusal says why"
[ ! -e "$DIRFILE" ] && pass "refused apply wrote nothing" || fail "refused apply wrote $DIRFILE"
[ ! -e "$AUDIT" ] && pass "refused apply logged nothing" || fail "refused apply wrote the audit log"

# --- apply, then nothing left ---------------------------------------------
run 0 "apply --auto-approve" -- apply "$CFG" --auto-approve
expect_in "$OUT" "Apply complete: $NOPS succeeded, 0 failed, 0 skipped." "apply reports every operation"
is_json "$DIRFILE" "the directory file is JSON"
ls "$CFG/.gatehouse" | grep -q '\.tmp' && fail "a temp file was left behind" || pass "no temp file left"
run 0 "re-plan --detailed-exitcode after apply" -- plan "$CFG" --detailed-exitcode
expect_in "$OUT" "No changes." "re-plan says no changes"
run 0 "drift after apply" -- drift "$CFG"

LINES=$(wc -l <"$AUDIT")
[ "$LINES" -eq "$NOPS" ] && pass "audit log has one line per operation ($LINES)" || fail "audit log has $LINES lines for $NOPS operations"
python3 - "$AUDIT" <<'EOF' && pass "audit lines are JSON with time/operation/object/outcome" || fail "audit lines malformed"
import json, sys
for line in open(sys.argv[1]):
    j = json.loads(line)
    assert {"time", "operation", "object", "outcome"} <= set(j), j
    assert j["outcome"] == "succeeded", j
    assert j["time"].endswith("Z"), j
EOF

# --- a saved plan is applied without a prompt ------------------------------
write_config "Platform engineers" "  - {user_name: dave}"
run 0 "plan --out with one new user" -- plan "$CFG" --out "$WORK/dave.json"
is_json "$WORK/dave.json" "saved plan is JSON"
run 0 "apply --plan (saved, reviewed) without a terminal" -- apply "$CFG" --plan "$WORK/dave.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert any(u["user_name"]=="dave" for u in d["users"])' "$DIRFILE" \
  && pass "saved plan applied" || fail "dave not created"
[ "$(wc -l <"$AUDIT")" -eq $((NOPS + 1)) ] && pass "audit log grew by one" || fail "audit log has $(wc -l <"$AUDIT") lines"

# --- stale plans -----------------------------------------------------------
write_config "Platform engineers" "  - {user_name: dave}
  - {user_name: erin}"
run 0 "plan --out (erin)" -- plan "$CFG" --out "$WORK/erin.json"
write_config "Platform engineers, edited" "  - {user_name: dave}
  - {user_name: erin}"
BEFORE=$(digest "$DIRFILE")
run 1 "stale plan after a config edit" -- apply "$CFG" --plan "$WORK/erin.json" --auto-approve
expect_in "$ERR" "the saved plan is stale: the config changed since it was made" "config staleness named"
[ "$(digest "$DIRFILE")" = "$BEFORE" ] && pass "stale plan wrote nothing" || fail "stale plan changed the directory"

run 0 "plan --out (fresh)" -- plan "$CFG" --out "$WORK/fresh.json"
python3 - "$DIRFILE" <<'EOF'
import json, sys
p = sys.argv[1]
d = json.load(open(p))
for u in d["users"]:
    if u["user_name"] == "bob":
        u["display_name"] = "Robert (edited out of band)"
json.dump(d, open(p, "w"), indent=2)
EOF
BEFORE=$(digest "$DIRFILE")
run 1 "stale plan after a live edit" -- apply "$CFG" --plan "$WORK/fresh.json" --auto-approve
expect_in "$ERR" "the saved plan is stale: the live directory changed since it was made" "live staleness named"
[ "$(digest "$DIRFILE")" = "$BEFORE" ] && pass "stale plan wrote nothing" || fail "stale plan changed the directory"
run 2 "drift sees the live edit" -- drift "$CFG"
run 2 "drift --format json" -- drift "$CFG" --format json
is_json "$OUT" "drift --format json parses"
run 0 "apply repairs the live edit" -- apply "$CFG" --auto-approve
run 0 "converged again" -- plan "$CFG" --detailed-exitcode

# --- the delete guard --------------------------------------------------------
# Dropping dave, erin and carol deletes three users plus carol's membership: 4 > max_deletes 2.
write_config "Platform engineers, edited" ""
sed -i 's/  - {user_name: carol}//; s/members: \[carol\]/members: []/' "$CFG/people.yaml"
run 0 "plan --format json (deletions)" -- plan "$CFG" --format json
DELETES=$(json_get "$OUT" 'j["summary"]["delete"]')
[ "$DELETES" -gt 2 ] && pass "plan deletes $DELETES objects" || fail "expected more than 2 deletes, got $DELETES"
BEFORE=$(digest "$DIRFILE")
run 1 "apply over guards.max_deletes" -- apply "$CFG" --auto-approve
expect_in "$ERR" "more than guards.max_deletes (2)" "guard named"
expect_in "$ERR" "--allow-deletes $DELETES" "guard says how to allow"
[ "$(digest "$DIRFILE")" = "$BEFORE" ] && pass "guarded apply wrote nothing" || fail "guarded apply changed the directory"
run 1 "apply with --allow-deletes one short" -- apply "$CFG" --auto-approve --allow-deletes $((DELETES - 1))
run 0 "apply with --allow-deletes N" -- apply "$CFG" --auto-approve --allow-deletes "$DELETES"
run 0 "converged after deletions" -- plan "$CFG" --detailed-exitcode

# --- the apply lock ----------------------------------------------------------
write_config "Platform engineers" ""
sed -i 's/  - {user_name: carol}//; s/members: \[carol\]/members: []/' "$CFG/people.yaml"
# -o: flock itself holds the lock, not its sleep child, so killing flock releases it.
# The holder waits for the lock (no -n): the probe below takes it for an instant,
# and a non-blocking holder that tried in that instant would give up and never hold it.
flock -o "$DIRFILE.lock" sleep 30 &
HOLDER_PID=$!
for _ in $(seq 300); do flock -n "$DIRFILE.lock" true 2>/dev/null || break; sleep 0.1; done
BEFORE=$(digest "$DIRFILE")
START=$(date +%s)
run 1 "apply while another holds the lock" -- apply "$CFG" --auto-approve
ELAPSED=$(( $(date +%s) - START ))
[ "$ELAPSED" -le 3 ] && pass "fails fast (${ELAPSED}s)" || fail "took ${ELAPSED}s to fail"
expect_in "$ERR" "another apply is running on $DIRFILE" "lock message names the directory"
if grep -q "(pid " "$ERR"; then fail "lock message names a pid that does not hold the lock: $(cat "$ERR")"; else pass "no stale pid in the lock message"; fi
[ "$(digest "$DIRFILE")" = "$BEFORE" ] && pass "locked-out apply wrote nothing" || fail "locked-out apply changed the directory"
release_holder
run 0 "apply after the lock is released" -- apply "$CFG" --auto-approve
run 0 "converged" -- plan "$CFG" --detailed-exitcode

# --- other JSON outputs ------------------------------------------------------
run 0 "access --format json" -- access "$CFG" --format json
is_json "$OUT" "access --format json parses"
python3 -c 'import json,sys; j=json.load(sys.stdin); assert j["format_version"]=="1" and any(e["user"]=="alice" for e in j["access"])' <"$OUT" \
  && pass "access lists alice" || fail "access json content"

# --- malformed saved plans ---------------------------------------------------
echo '{ not json' >"$WORK/bad.json"
run 1 "apply --plan with a non-JSON file" -- apply "$CFG" --plan "$WORK/bad.json"
expect_in "$ERR" "not valid JSON" "non-JSON plan refused"
echo '{"format_version": "7"}' >"$WORK/v7.json"
run 1 "apply --plan with an unknown format" -- apply "$CFG" --plan "$WORK/v7.json"
expect_in "$ERR" "not a Gatehouse plan file" "unknown format refused"

if [ "$FAILURES" -ne 0 ]; then
  echo "$FAILURES check(s) failed" >&2
  exit 1
fi
echo "all apply CLI checks passed"
