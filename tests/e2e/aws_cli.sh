#!/usr/bin/env bash
# End-to-end: the AWS target through the real gatehouse binary, against the
# strict fake AWS (tests/fake_aws): import an existing Identity Center and plan
# it to zero changes; edit, plan, apply, check the fake's state, drift and an
# out-of-band change; apply the enterprise example under throttling, 500s and
# dropped connections until it converges; no request rejected by the fake's
# model validation or SigV4 check; no secret in any output, log, plan or config.
# Usage: aws_cli.sh PATH/TO/gatehouse      (exit 77: no botocore for the fake)
set -u

GH=${1:?usage: aws_cli.sh PATH/TO/gatehouse}
GH=$(cd "$(dirname "$GH")" && pwd)/$(basename "$GH")
SRC=${GATEHOUSE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
PY=/usr/bin/python3
HELPER="$PY $SRC/tests/aws_cli/helper.py"
FAKE=$SRC/tests/fake_aws/fake_aws.py

. "$SRC/tests/aws_cli/harness.sh"

###########################################################################
step "1. seed the fake with an existing Identity Center"
start_fake main
$HELPER seed >"$WORK/seed.json"
fake POST seed "$WORK/seed.json" >/dev/null && pass "seeded: 4 users, 3 groups, 3 permission sets, 4 accounts in 4 OUs, 9 assignments" \
  || fail "seed"
CFG=$WORK/config
mkdir -p "$CFG"
target_yaml "$CFG/target.yaml"
cat >"$CFG/settings.yaml" <<EOF
settings:
  discover_accounts: true
  guards:
    max_deletes: 5
EOF

###########################################################################
step "2. import, then plan: zero changes"
IMP=$WORK/imported
run 0 import -- import --out "$IMP" "$CFG" && cat "$OUT"
# The imported directory holds the target (and discover_accounts) itself.
run 0 validate-imported -- validate "$IMP"
if run 0 plan-imported -- plan "$IMP" --detailed-exitcode; then :; else
  echo "--- imported config:" >&2
  for f in "$IMP"/*.yaml; do echo "# $f" >&2; cat "$f" >&2; done
fi
grep -q "discover_accounts: true" "$IMP"/*.yaml && pass "imported config keeps discover_accounts" \
  || fail "imported config lost discover_accounts"
grep -q "guards" "$IMP"/*.yaml && pass "imported config keeps the settings (guards)" \
  || fail "imported config lost the settings of $CFG (guards)"

step "2b. import of awkward names and values (NULL, On, 0x1F, quotes, newlines, unicode, \${aws:username}, ignored Control Tower objects)"
MAIN_URL=$URL
start_fake edge
$HELPER edge-seed >"$WORK/edge-seed.json"
fake POST seed "$WORK/edge-seed.json" >/dev/null || fail "seed edge"
mkdir -p "$WORK/edge-config"
target_yaml "$WORK/edge-config/target.yaml"
cat >"$WORK/edge-config/settings.yaml" <<EOF
settings:
  discover_accounts: true
  ignore: {permission_sets: ["AWSControlTower*"], groups: ["AWSControlTower*"]}
EOF
run 0 import-edge -- import --out "$WORK/edge-imported" "$WORK/edge-config"
if ! run 0 plan-edge -- plan "$WORK/edge-imported" --detailed-exitcode; then
  for f in "$WORK/edge-imported"/*.yaml; do echo "# $f" >&2; cat "$f" >&2; done
fi
fake GET stats >"$WORK/stats-edge.json"
URL=$MAIN_URL

###########################################################################
step "3. edit the imported config, plan, apply, drift, out-of-band change"
EDIT=$WORK/edited
cp -r "$IMP" "$EDIT"
helper edit "$EDIT" && pass "edits: user erin + Developers membership, DevOps PT4H + inline policy, Admins/ReadOnly on {ou: Workloads/**}, carol's Admin assignment removed"
run 2 plan-edited -- plan "$EDIT" --out "$WORK/p.json" --detailed-exitcode && cat "$OUT"
helper check-plan "$WORK/p.json"
run 0 apply-edited -- apply "$EDIT" --plan "$WORK/p.json" && cat "$OUT"
fake GET state >"$WORK/state-edited.json" || fail "GET /_fake/state"
helper check-edited "$WORK/state-edited.json"
# The whole state, not only the edits: the fake against the config compiled on its own.
run 0 plan-edited-local -- plan "$EDIT" --format json --target "local:$WORK/empty-directory-2.json"
helper desired-from-plan "$WORK/out/plan-edited-local.out" "$WORK/edited-desired.json"
helper compare "$WORK/state-edited.json" "$WORK/edited-desired.json"
[ -s "$EDIT/.gatehouse/audit.jsonl" ] && pass "audit log written ($(wc -l <"$EDIT/.gatehouse/audit.jsonl") records)" \
  || fail "no audit log in $EDIT/.gatehouse"
run 0 plan-after-apply -- plan "$EDIT" --detailed-exitcode
run 0 drift-clean -- drift "$EDIT"
helper oob "$URL"
run 2 drift -- drift "$EDIT" && cat "$OUT"
run 2 drift-json -- drift "$EDIT" --format json
helper check-drift "$WORK/out/drift-json.out"
fake GET stats >"$WORK/stats-main.json"

###########################################################################
step "4. the enterprise example under faults: apply converges"
ENT=$WORK/enterprise
if [ -d "$SRC/examples/enterprise" ]; then
  cp -r "$SRC/examples/enterprise" "$ENT"
  rm -rf "$ENT/.gatehouse"
else
  mkdir -p "$ENT"
  echo 'accounts: [{id: "100000000001", name: org-management}, {id: "100000000301", name: payments-prod, environment: development}]' >"$ENT/accounts.yaml"
fi
# More people, so that the apply has well over 100 operations.
{
  echo "users:"
  for i in $(seq -w 1 30); do
    echo "  - {user_name: contractor$i, display_name: Contractor $i, given_name: C$i, family_name: Contractor, email: contractor$i@example.com}"
  done
  echo "groups:"
  echo "  - name: Contractors"
  echo "    description: External engineers"
  echo "    members: [$(seq -w -s ', ' 1 30 | sed 's/\([0-9][0-9]\)/contractor\1/g')]"
} >"$ENT/contractors.yaml"
start_fake enterprise --page-size 20
target_yaml "$ENT/target.yaml"
$HELPER org-seed "$ENT/accounts.yaml" >"$WORK/ent-seed.json"
fake POST seed "$WORK/ent-seed.json" >/dev/null || fail "seed enterprise org"
# The desired state, named, from a plan against an empty local directory.
run 0 plan-enterprise-local -- plan "$ENT" --format json --target "local:$WORK/empty-directory.json"
helper desired-from-plan "$WORK/out/plan-enterprise-local.out" "$WORK/ent-desired.json"
echo '{"throttle":0.3,"error500":0.05,"drop":0.02,"seed":7}' >"$WORK/faults.json"
fake POST faults "$WORK/faults.json" >/dev/null && pass "faults on: throttle 0.3, error500 0.05, drop 0.02"
converged=""
for attempt in 1 2 3; do
  t0=$SECONDS
  "$GH" apply "$ENT" --auto-approve </dev/null >"$WORK/out/apply-enterprise-$attempt.out" 2>"$WORK/out/apply-enterprise-$attempt.err"
  rc=$?
  echo "   apply run $attempt: exit $rc in $((SECONDS - t0)) s; $(tail -1 "$WORK/out/apply-enterprise-$attempt.out")"
  if [ "$rc" -eq 0 ]; then converged=$attempt; break; fi
  sed 's/^/  stderr: /' "$WORK/out/apply-enterprise-$attempt.err" | tail -15
done
[ -n "$converged" ] && pass "enterprise apply converged under faults (run $converged of at most 3)" \
  || fail "enterprise apply did not converge in 3 runs"
echo '{}' >"$WORK/nofaults.json"
fake POST faults "$WORK/nofaults.json" >/dev/null && pass "faults off"
run 0 plan-enterprise -- plan "$ENT" --detailed-exitcode
fake GET state >"$WORK/state-enterprise.json"
helper compare "$WORK/state-enterprise.json" "$WORK/ent-desired.json"
fake GET stats >"$WORK/stats-enterprise.json"

###########################################################################
step "5. the fake rejected nothing"
echo "main fake:"
helper check-stats "$WORK/stats-main.json"
echo "edge fake:"
helper check-stats "$WORK/stats-edge.json"
echo "enterprise fake:"
helper check-stats "$WORK/stats-enterprise.json"

###########################################################################
step "6. no secret anywhere"
cp "$WORK/p.json" "$WORK/out/" 2>/dev/null
helper secrets "$WORK/out" "$IMP" "$EDIT" "$ENT" "$WORK/p.json" "$WORK/edge-imported"
for f in "$EDIT/.gatehouse/audit.jsonl" "$ENT/.gatehouse/audit.jsonl"; do
  if grep -q "$AWS_ACCESS_KEY_ID" "$f" 2>/dev/null; then echo "   note: the access key id appears in $f"; fi
done

echo
if [ "$FAILURES" -ne 0 ]; then
  echo "$FAILURES failure(s)"
  exit 1
fi
echo "all AWS end-to-end checks passed"
