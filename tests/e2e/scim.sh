#!/usr/bin/env bash
# End-to-end: the SCIM users-and-groups target against a real SCIM 2.0 server
# (tests/scim/server.mjs: express + scimmy-routers + SCIMMY), with a local main
# target. plan → apply → the server's store has the users, groups and members
# → converged re-plan → edit (remove a member, rename a display name, delete a
# user) → apply → the store follows. Run twice: once with a server that lists
# group members, once with one that lists none (as Identity Center), with
# small pages so paging is exercised. The token never shows in any output.
# Usage: scim.sh PATH/TO/gatehouse   (exit 77 when node is missing)
set -u

GH=${1:?usage: scim.sh PATH/TO/gatehouse}
SRC=${GATEHOUSE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
command -v node >/dev/null 2>&1 || { echo "skip: node is not installed"; exit 77; }
command -v curl >/dev/null 2>&1 || { echo "skip: curl is not installed"; exit 77; }
if [ ! -d "$SRC/tests/node_modules/scimmy-routers" ]; then
  echo "FAIL: tests/node_modules has no scimmy-routers; run 'cd tests && npm ci'" >&2
  exit 1
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/gh-scim.XXXXXX")
SERVER_PID=""
stop_server() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
    SERVER_PID=""
  fi
}
trap 'stop_server; rm -rf "$WORK"' EXIT

export GATEHOUSE_NOW=2026-06-01
export NO_COLOR=1
TOKEN="tok-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
FAILURES=0
ALL_OUTPUT=$WORK/all-output  # every stdout and stderr of gatehouse, for the token check
OUT=$WORK/out
ERR=$WORK/err

fail() { echo "FAIL: $*" >&2; FAILURES=$((FAILURES + 1)); }
pass() { echo "ok: $*"; }

# run EXPECTED_RC DESCRIPTION -- ARGS...
run() {
  local want=$1 what=$2
  shift 3
  "$GH" "$@" </dev/null >"$OUT" 2>"$ERR"
  local rc=$?
  cat "$OUT" "$ERR" >>"$ALL_OUTPUT"
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

start_server() {  # EXTRA-ARGS...
  rm -f "$WORK/port"
  SCIM_TEST_TOKEN=$TOKEN node "$SRC/tests/scim/server.mjs" "$WORK/port" "$@" >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    [ -s "$WORK/port" ] && break
    sleep 0.1
  done
  if [ ! -s "$WORK/port" ]; then
    fail "the SCIM server did not start"
    cat "$WORK/server.log" >&2
    exit 1
  fi
  PORT=$(cat "$WORK/port")
}

# store RESOURCE: all the server's resources as one JSON list response, read
# page by page (the server's pages are small) with curl and the token.
store() {
  local start=1 pages=()
  while :; do
    curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/scim/v2/$1?count=100&startIndex=$start" \
      >"$WORK/page.$start.json" || return 1
    pages+=("$WORK/page.$start.json")
    local got total
    read -r got total < <(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(len(j.get("Resources", [])), j.get("totalResults", 0))' "$WORK/page.$start.json")
    start=$((start + got))
    if [ "$got" -eq 0 ] || [ "$start" -gt "$total" ]; then break; fi
  done
  python3 -c 'import json,sys; print(json.dumps({"Resources": [r for f in sys.argv[1:] for r in json.load(open(f)).get("Resources", [])]}))' "${pages[@]}"
  rm -f "${pages[@]}"
}

# check_store DESCRIPTION PYTHON-ASSERTIONS over users (by userName) and groups
# (displayName → sorted member userNames).
check_store() {
  store Users >"$WORK/users.json" && store Groups >"$WORK/groups.json" || { fail "$1: cannot read the store"; return; }
  if python3 - "$WORK/users.json" "$WORK/groups.json" "$2" <<'PY' 2>"$WORK/check.err"; then pass "$1"; else fail "$1"; sed 's/^/  /' "$WORK/check.err" >&2; fi
import json, sys
us = json.load(open(sys.argv[1]))["Resources"]
gs = json.load(open(sys.argv[2]))["Resources"]
users = {u["userName"]: u for u in us}
by_id = {u["id"]: u["userName"] for u in us}
# Members from the group when listed, else from each user's groups (Identity Center style).
groups = {}
for g in gs:
    groups[g["displayName"]] = sorted(by_id[m["value"]] for m in g.get("members", []))
    if not g.get("members"):
        groups[g["displayName"]] = sorted(u["userName"] for u in us if any(x["value"] == g["id"] for x in u.get("groups", [])))
exec(sys.argv[3])
PY
}

write_config() {  # ALICE_DISPLAY_NAME PLATFORM_MEMBERS WITH_CAROL(yes|no)
  local carol="" carol_member=""
  if [ "$3" = yes ]; then
    carol="  - {user_name: carol, display_name: Carol Danvers, given_name: Carol, family_name: Danvers, email: carol@example.com}"
    carol_member=", carol"
  fi
  cat >"$CFG/main.yaml" <<YAML
target:
  type: local
  users_and_groups:
    scim: {url: "http://127.0.0.1:$PORT/scim/v2", token_env: GH_E2E_SCIM_TOKEN}
accounts:
  - {id: "111111111111", name: payments-prod, environment: production}
users:
  - {user_name: alice, display_name: $1, given_name: Alice, family_name: Liddell, email: alice@example.com}
  - {user_name: bob, display_name: Bob Builder, given_name: Bob, family_name: Builder, email: bob@example.com}
$carol
groups:
  - name: Platform
    description: On-call engineers
    members: [$2]
  - name: Everyone
    members: [alice, bob$carol_member]
permission_sets:
  - name: ReadOnly
    session_duration: PT1H
    managed_policies: [ReadOnlyAccess]
assignments:
  - {group: Everyone, permission_set: ReadOnly, accounts: [payments-prod]}
  - {user: alice, permission_set: ReadOnly, accounts: [payments-prod]}
YAML
}

scenario() {  # NAME SERVER-ARGS...
  local name=$1
  shift
  echo "== $name"
  start_server "$@"
  CFG=$WORK/$name/config
  mkdir -p "$CFG"
  write_config "Alice Liddell" "alice, bob" yes

  unset GH_E2E_SCIM_TOKEN
  run 1 "$name: plan without the token variable" -- plan "$CFG"
  expect_in "$ERR" "GH_E2E_SCIM_TOKEN" "$name: the error names the token variable"
  export GH_E2E_SCIM_TOKEN=wrong-$TOKEN
  run 1 "$name: plan with a wrong token" -- plan "$CFG"
  expect_in "$ERR" 'did not accept the bearer token from `GH_E2E_SCIM_TOKEN` (401 Unauthorized)' "$name: 401 names the variable"
  export GH_E2E_SCIM_TOKEN=$TOKEN

  run 2 "$name: plan shows the creates" -- plan "$CFG" --detailed-exitcode
  expect_in "$OUT" "carol" "$name: plan lists user carol"
  expect_in "$OUT" "Platform" "$name: plan lists group Platform"
  run 0 "$name: plan json" -- plan "$CFG" --format json --out "$WORK/$name-plan.json"
  if python3 - "$WORK/$name-plan.json" <<'PY'; then pass "$name: plan creates 3 users, 2 groups, 5 memberships"; else fail "$name: plan counts"; fi
import json, sys
p = json.load(open(sys.argv[1]))
c = [(x["kind"], x["action"]) for x in p["changes"]]
assert c.count(("user", "create")) == 3, c
assert c.count(("group", "create")) == 2, c
assert c.count(("membership", "create")) == 5, c
PY

  run 0 "$name: apply" -- apply "$CFG" --auto-approve
  check_store "$name: the SCIM store has the users, groups and members" '
assert sorted(users) == ["alice", "bob", "carol"], sorted(users)
a = users["alice"]
assert a["displayName"] == "Alice Liddell" and a["name"] == {"givenName": "Alice", "familyName": "Liddell"}, a
assert [e["value"] for e in a["emails"] if e.get("primary")] == ["alice@example.com"], a
assert groups == {"Platform": ["alice", "bob"], "Everyone": ["alice", "bob", "carol"]}, groups
'
  run 0 "$name: re-plan is converged" -- plan "$CFG" --detailed-exitcode
  run 0 "$name: no drift" -- drift "$CFG"

  write_config "Alice Pleasance Liddell" "alice" no
  run 2 "$name: plan the edit" -- plan "$CFG" --detailed-exitcode
  run 0 "$name: apply the edit" -- apply "$CFG" --auto-approve
  check_store "$name: the SCIM store follows the edit" '
assert sorted(users) == ["alice", "bob"], sorted(users)
assert users["alice"]["displayName"] == "Alice Pleasance Liddell", users["alice"]
assert groups == {"Platform": ["alice"], "Everyone": ["alice", "bob"]}, groups
'
  run 0 "$name: re-plan after the edit is converged" -- plan "$CFG" --detailed-exitcode
  run 0 "$name: access report reads the merged directory" -- access "$CFG" --live --format json
  expect_in "$OUT" '"user": "bob"' "$name: bob has access through Everyone"

  # A rerun after a crash: the user exists in SCIM but not in the plan's view.
  curl -sf -X DELETE -H "Authorization: Bearer $TOKEN" \
    "http://127.0.0.1:$PORT/scim/v2/Users/$(python3 -c 'import json,sys; print({u["userName"]: u["id"] for u in json.load(open(sys.argv[1]))["Resources"]}["bob"])' "$WORK/users.json")" \
    || fail "$name: out-of-band delete"
  run 2 "$name: an out-of-band delete is drift" -- drift "$CFG"
  run 0 "$name: apply repairs it" -- apply "$CFG" --auto-approve
  check_store "$name: bob is back in his group" '
assert groups == {"Platform": ["alice"], "Everyone": ["alice", "bob"]}, groups
'

  for f in "$ALL_OUTPUT" "$CFG/.gatehouse/audit.jsonl" "$CFG/.gatehouse/directory.json" "$WORK/$name-plan.json"; do
    if [ -e "$f" ] && grep -qF -- "$TOKEN" "$f"; then fail "$name: the token appears in $(basename "$f")"; else pass "$name: no token in $(basename "$f")"; fi
  done
  [ -s "$CFG/.gatehouse/audit.jsonl" ] || fail "$name: no audit log"
  stop_server
}

scenario members --page-size 2
scenario identity-center --identity-center --page-size 2

if [ "$FAILURES" -ne 0 ]; then
  echo "$FAILURES check(s) failed" >&2
  exit 1
fi
echo "all SCIM end-to-end checks passed"
