#!/usr/bin/env bash
# End-to-end (issue 9): adopting an Identity Center we did not set up, and a
# delegated administrator, through the gatehouse binary against the strict fake.
#  1. `import` with only a target file (no settings) brings every assignment, its
#     accounts with names, OUs and tags from Organizations; the import re-plans to
#     zero; an edit then applies.
#  2. credentials that may not read Organizations: accounts come back named by id
#     (with a comment), and the import still re-plans to zero.
#  3. credentials of a delegated administrator (a member account): an assignment to
#     the management account, or a change to a permission set provisioned there,
#     fails `plan` at its YAML line instead of half-way through `apply`.
# Usage: aws_adopt.sh PATH/TO/gatehouse      (exit 77: no botocore for the fake)
set -u

GH=${1:?usage: aws_adopt.sh PATH/TO/gatehouse}
GH=$(cd "$(dirname "$GH")" && pwd)/$(basename "$GH")
SRC=${GATEHOUSE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
PY=/usr/bin/python3
HELPER="$PY $SRC/tests/aws_cli/helper.py"
FAKE=$SRC/tests/fake_aws/fake_aws.py

. "$SRC/tests/aws_cli/harness.sh"

# seed_with_credentials OUT ORGANIZATIONS ACCOUNT: the helper's seed plus our session
# credential, with or without Organizations access, as a caller of ACCOUNT.
seed_with_credentials() {
  $HELPER seed | "$PY" -c '
import json, os, sys
s = json.load(sys.stdin)
s["credentials"] = [{"access_key_id": os.environ["AWS_ACCESS_KEY_ID"],
                     "secret_access_key": os.environ["AWS_SECRET_ACCESS_KEY"],
                     "session_token": os.environ["AWS_SESSION_TOKEN"],
                     "account_id": sys.argv[2],
                     "arn": "arn:aws:sts::%s:assumed-role/Deployer/ci" % sys.argv[2],
                     "organizations": sys.argv[1] == "yes"}]
json.dump(s, sys.stdout)' "$2" "$3" >"$1"
}

# no_writes STATS: no write call reached the fake.
no_writes() {
  "$PY" - "$1" <<'PYEOF'
import json, sys
s = json.load(open(sys.argv[1]))
calls = s.get("requests", {})
ops = [k.split(".", 1)[-1] for k in calls]
writes = [o for o in ops if o.startswith(("Create", "Delete", "Put", "Update", "Provision", "Attach", "Detach", "Tag", "Untag"))]
if writes:
    print(writes)
sys.exit(1 if writes else 0)
PYEOF
}

###########################################################################
step "1. import with only a target file brings every assignment"
start_fake adopt
seed_with_credentials "$WORK/seed.json" yes 111111111111
fake POST seed "$WORK/seed.json" >/dev/null || fail "seed"
CFG=$WORK/config
mkdir -p "$CFG"
target_yaml "$CFG/target.yaml"
IMP=$WORK/imported
run 0 import -- import --out "$IMP" "$CFG" && cat "$OUT"
grep -q "9 assignments" "$OUT" && pass "all 9 assignments imported" || fail "import did not bring the 9 assignments"
if grep -q "warning" "$ERR"; then fail "import warned: $(cat "$ERR")"; fi
for want in 'name: payments-prod' 'ou: Workloads/Prod' 'name: org-management' 'team: payments'; do
  grep -q "$want" "$IMP"/*.yaml && pass "imported accounts hold '$want'" || fail "imported accounts lack '$want'"
done
if ! run 0 plan-imported -- plan "$IMP" --detailed-exitcode; then
  for f in "$IMP"/*.yaml; do echo "# $f" >&2; cat "$f" >&2; done
fi
printf '  - group: Admins\n    permission_set: ReadOnly\n    accounts: [sandbox-data]\n' >>"$IMP/assignments.yaml"
run 2 plan-edit -- plan "$IMP" --detailed-exitcode --out "$WORK/edit.json" && grep -q "sandbox-data" "$OUT" \
  && pass "the edit plans one assignment" || fail "the edit's plan: $(cat "$OUT")"
run 0 apply-edit -- apply "$IMP" --plan "$WORK/edit.json"
run 0 plan-after-edit -- plan "$IMP" --detailed-exitcode
fake GET stats >"$WORK/stats-adopt.json"
helper check-stats "$WORK/stats-adopt.json"

###########################################################################
step "2. credentials that may not read Organizations: accounts named by id"
start_fake noorg
seed_with_credentials "$WORK/seed-noorg.json" no 111111111111
fake POST seed "$WORK/seed-noorg.json" >/dev/null || fail "seed noorg"
mkdir -p "$WORK/config-noorg"
target_yaml "$WORK/config-noorg/target.yaml"
NOORG=$WORK/imported-noorg
run 0 import-noorg -- import --out "$NOORG" "$WORK/config-noorg" && cat "$OUT" "$ERR"
grep -q "9 assignments" "$OUT" && pass "all 9 assignments imported without Organizations" || fail "import-noorg: $(cat "$OUT")"
grep -q 'name: "222222222222"' "$NOORG"/*.yaml && pass "an account without a readable name is named by its id" \
  || fail "account names without Organizations: $(cat "$NOORG"/accounts.yaml)"
grep -qi "organizations" "$NOORG"/accounts.yaml && pass "a comment says why the names are ids" \
  || fail "no comment on the id names"
run 0 plan-noorg -- plan "$NOORG" --detailed-exitcode
fake GET stats >"$WORK/stats-noorg.json"
helper check-stats "$WORK/stats-noorg.json"

###########################################################################
step "3. a delegated administrator: the management account is refused at plan"
start_fake delegated
seed_with_credentials "$WORK/seed-delegated.json" yes 222222222222
fake POST seed "$WORK/seed-delegated.json" >/dev/null || fail "seed delegated"
DEL=$WORK/delegated
mkdir -p "$WORK/config-delegated"
target_yaml "$WORK/config-delegated/target.yaml"
run 0 import-delegated -- import --out "$DEL" "$WORK/config-delegated"
run 0 plan-delegated-clean -- plan "$DEL" --detailed-exitcode
# An assignment to the management account (org-management, 111111111111).
printf '  - group: Developers\n    permission_set: DevOps\n    accounts: [org-management]\n' >>"$DEL/assignments.yaml"
line=$(grep -n "group: Developers" "$DEL/assignments.yaml" | tail -1 | cut -d: -f1)
run 1 plan-delegated -- plan "$DEL"
grep -Eq "assignments.yaml:($line|$((line + 1))|$((line + 2))):" "$ERR" && grep -qi "delegated administrator" "$ERR" \
  && pass "the management-account assignment fails plan at its line" || fail "plan-delegated: $(cat "$ERR")"
# The ReadOnly set is provisioned to the management account: changing it is refused too.
"$PY" - "$DEL" <<'PYEOF'
import glob, re, sys
for f in glob.glob(sys.argv[1] + "/*.yaml"):
    t = open(f).read()
    t = re.sub(r"\n  - group: Developers\n    permission_set: DevOps\n    accounts: \[org-management\]\n", "\n", t)
    t2 = re.sub(r"(name: ReadOnly\n(?:[ \t]+.*\n)*?[ \t]+session_duration: )PT8H", r"\1PT4H", t)
    open(f, "w").write(t2)
PYEOF
grep -q "session_duration: PT4H" "$DEL"/*.yaml || fail "could not edit the ReadOnly set"
run 1 plan-delegated-set -- plan "$DEL"
grep -i "ReadOnly" "$ERR" | grep -qi "management account" && pass "a change to a set provisioned to the management account fails plan" \
  || fail "plan-delegated-set: $(cat "$ERR")"
fake GET stats >"$WORK/stats-delegated.json"
no_writes "$WORK/stats-delegated.json" && pass "plan wrote nothing" || fail "a write reached the fake"
helper check-stats "$WORK/stats-delegated.json"

###########################################################################
step "4. no secret anywhere"
helper secrets "$WORK/out" "$IMP" "$NOORG" "$DEL"

echo
if [ "$FAILURES" -ne 0 ]; then
  echo "$FAILURES failure(s)"
  exit 1
fi
echo "all adoption and delegated-administrator checks passed"
