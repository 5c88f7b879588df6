#!/usr/bin/env bash
# End-to-end (issue 12): Identity Center applications and who may use them,
# through the gatehouse binary, against the strict fake AWS and the local directory.
#  1. import brings the seeded applications, assignment_required and their
#     assignments; the import re-plans to zero;
#  2. adding a group to an application and flipping assignment_required plan and
#     apply exactly those two changes, then re-plan to zero;
#  3. an out-of-band removal of an application assignment shows as drift (exit 2);
#  4. a declared application that does not exist is a plan error naming those that do;
#  5. access shows who reaches an application, directly or via a group;
#     (2 and 6: the plan says who gains and loses an application, in JSON, text, Markdown)
#  6. the same flow on the local directory (which creates declared applications).
# No request is rejected by the fake's model validation or signature checks.
# Usage: aws_applications.sh PATH/TO/gatehouse      (exit 77: no botocore for the fake)
set -u

GH=${1:?usage: aws_applications.sh PATH/TO/gatehouse}
GH=$(cd "$(dirname "$GH")" && pwd)/$(basename "$GH")
SRC=${GATEHOUSE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
PY=/usr/bin/python3
HELPER="$PY $SRC/tests/aws_cli/helper.py"
FAKE=$SRC/tests/fake_aws/fake_aws.py

. "$SRC/tests/aws_cli/harness.sh"

# The helper's seed, our session credential, and three applications: two with
# assignments (one directly to a user), one open to everyone.
seed_with_applications() {
  $HELPER seed | "$PY" -c '
import json, os, sys
s = json.load(sys.stdin)
s["credentials"] = [{"access_key_id": os.environ["AWS_ACCESS_KEY_ID"],
                     "secret_access_key": os.environ["AWS_SECRET_ACCESS_KEY"],
                     "session_token": os.environ["AWS_SESSION_TOKEN"]}]
s["applications"] = [{"Name": "Salesforce", "AssignmentRequired": True},
                     {"Name": "Office 365", "AssignmentRequired": False},
                     {"Name": "Wiki", "AssignmentRequired": True}]
s["application_assignments"] = [{"application": "Salesforce", "group": "Admins"},
                                {"application": "Salesforce", "user": "bob"},
                                {"application": "Wiki", "group": "Developers"}]
json.dump(s, sys.stdout)' >"$1"
}

# fake_state_has PYTHON-EXPR: the fake's state (s) satisfies the expression.
fake_state_has() {
  fake GET state >"$WORK/state.json"
  "$PY" - "$WORK/state.json" "$1" <<'PYEOF'
import json, sys
s = json.load(open(sys.argv[1]))
assigned = {(a["application"], a.get("group") or a.get("user")) for a in s["application_assignments"]}
required = {a["Name"]: a["AssignmentRequired"] for a in s["applications"]}
sys.exit(0 if eval(sys.argv[2]) else 1)
PYEOF
}

# count_changes PLAN.json KIND ACTION: how many changes of that kind and action.
count_changes() {
  "$PY" -c 'import json,sys; p=json.load(open(sys.argv[1])); print(sum(1 for c in p["changes"] if c["kind"]==sys.argv[2] and c["action"]==sys.argv[3]))' "$@"
}

###########################################################################
step "1. import brings applications, assignment_required and application assignments"
start_fake apps
seed_with_applications "$WORK/seed.json"
fake POST seed "$WORK/seed.json" >/dev/null || fail "seed"
CFG=$WORK/config
mkdir -p "$CFG"
target_yaml "$CFG/target.yaml"
IMP=$WORK/imported
run 0 import -- import --out "$IMP" "$CFG" && cat "$OUT"
grep -q "3 applications with 3 application assignments" "$OUT" && pass "import counts the applications" ||
  fail "import did not report 3 applications: $(cat "$OUT")"
for want in 'name: Salesforce' 'name: Office 365' 'assignment_required: false' 'application: Wiki' 'user: bob'; do
  grep -qF "$want" "$IMP/applications.yaml" && pass "applications.yaml holds '$want'" ||
    fail "applications.yaml lacks '$want'"
done
fake GET stats >"$WORK/stats-before.json"
if ! run 0 plan-imported -- plan "$IMP" --detailed-exitcode; then cat "$IMP/applications.yaml" >&2; fi
fake GET stats >"$WORK/stats-after.json"
# The read-cost formula (runtime/aws/README.md): ⌈L/page⌉ ListApplications + L
# GetApplicationAssignmentConfiguration + Σ ⌈assignments/page⌉ ListApplicationAssignments
# (page size 2 here: 3 applications → 2 pages; 2, 0 and 1 assignments → 1 page each).
"$PY" - "$WORK/stats-before.json" "$WORK/stats-after.json" <<'PYEOF' && pass "a plan reads applications in 2 + 3 + 3 calls" || fail "application read calls"
import json, sys
before, after = (json.load(open(p))["requests"] for p in sys.argv[1:3])
calls = {op: after.get("sso-admin." + op, 0) - before.get("sso-admin." + op, 0)
         for op in ("ListApplications", "GetApplicationAssignmentConfiguration", "ListApplicationAssignments")}
print("   ", calls)
sys.exit(0 if calls == {"ListApplications": 2, "GetApplicationAssignmentConfiguration": 3,
                        "ListApplicationAssignments": 3} else 1)
PYEOF

###########################################################################
step "2. a group added to an application and assignment_required flipped apply exactly"
"$PY" - "$IMP/applications.yaml" <<'PYEOF'
import sys
p = sys.argv[1]
t = open(p).read()
t = t.replace('name: Office 365\n    assignment_required: false', 'name: Office 365\n    assignment_required: true')
t += "  - group: Auditors\n    application: Salesforce\n"
open(p, "w").write(t)
PYEOF
run 2 plan-edit -- plan "$IMP" --detailed-exitcode --out "$WORK/edit.json" --format json
[ "$(count_changes "$WORK/edit.json" application_assignment create)" = 1 ] &&
  [ "$(count_changes "$WORK/edit.json" application update)" = 1 ] &&
  [ "$("$PY" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["changes"]))' "$WORK/edit.json")" = 2 ] &&
  pass "the plan holds exactly the new assignment and the flip" || fail "the edit's plan: $(cat "$WORK/edit.json")"
"$PY" - "$WORK/edit.json" <<'PYEOF' && pass "the plan says who gains and who loses an application" || fail "application access changes"
import json, sys
p = json.load(open(sys.argv[1]))
got = [(a["change"], a["user"], a["application"], a["via"]) for a in p["application_access_changes"]]
everyone = ["everyone"]
want = [("gain", "dave", "Salesforce", ["Auditors"])] + [
    ("lose", u, "Office 365", everyone) for u in ("alice", "bob", "carol@example.com", "dave")]
print("   ", got)
sys.exit(0 if got == want and p["access_changes"] == [] else 1)
PYEOF
run 2 plan-edit-text -- plan "$IMP" --detailed-exitcode
grep -qF "+ dave gains application Salesforce via group Auditors" "$OUT" &&
  grep -qF -- "- bob loses application Office 365 via everyone (no assignment required)" "$OUT" &&
  pass "the text plan lists the application access changes" || fail "plan text: $(cat "$OUT")"
fake GET stats >"$WORK/stats-before.json"
run 0 apply-edit -- apply "$IMP" --plan "$WORK/edit.json"
fake GET stats >"$WORK/stats-after.json"
"$PY" - "$WORK/stats-before.json" "$WORK/stats-after.json" <<'PYEOF' && pass "apply wrote exactly those two" || fail "apply's writes"
import json, sys
before, after = (json.load(open(p))["requests"] for p in sys.argv[1:3])
writes = {k.split(".", 1)[1]: after[k] - before.get(k, 0) for k in after
          if after[k] != before.get(k, 0) and k.split(".", 1)[1].startswith(("Create", "Delete", "Put", "Update", "Provision", "Attach", "Detach", "Tag", "Untag"))}
print("   ", writes)
sys.exit(0 if writes == {"CreateApplicationAssignment": 1, "PutApplicationAssignmentConfiguration": 1} else 1)
PYEOF
fake_state_has '("Salesforce", "Auditors") in assigned and required["Office 365"] is True and len(assigned) == 4' &&
  pass "the fake holds Auditors on Salesforce, Office 365 requires assignment" || fail "fake state after apply"
run 0 plan-after-edit -- plan "$IMP" --detailed-exitcode

###########################################################################
step "3. an out-of-band removal shows as drift"
"$PY" - "$URL" "$SRC/third_party/aws-models" <<'PYEOF' || fail "out-of-band removal"
import sys, botocore.session
s = botocore.session.get_session()
s.get_component("data_loader").search_paths.insert(0, sys.argv[2])  # Debian's botocore may lack the application APIs
sso = s.create_client("sso-admin", region_name="us-east-1", endpoint_url=sys.argv[1])
ids = s.create_client("identitystore", region_name="us-east-1", endpoint_url=sys.argv[1])
inst = sso.list_instances()["Instances"][0]
app = [a for a in sso.list_applications(InstanceArn=inst["InstanceArn"])["Applications"] if a["Name"] == "Salesforce"]
gid = ids.get_group_id(IdentityStoreId=inst["IdentityStoreId"],
                       AlternateIdentifier={"UniqueAttribute": {"AttributePath": "displayName", "AttributeValue": "Admins"}})
sso.delete_application_assignment(ApplicationArn=app[0]["ApplicationArn"], PrincipalId=gid["GroupId"], PrincipalType="GROUP")
PYEOF
run 2 drift -- drift "$IMP"
grep -q "application_assignment group:Admins/application:Salesforce" "$OUT" &&
  pass "drift names the removed application assignment" || fail "drift output: $(cat "$OUT")"
run 0 apply-drift -- apply "$IMP" --auto-approve
fake_state_has '("Salesforce", "Admins") in assigned' && pass "apply restored it" || fail "not restored"

###########################################################################
step "4. a declared application that does not exist is a plan error naming those that do"
cp -r "$IMP" "$WORK/missing"
"$PY" - "$WORK/missing/applications.yaml" <<'PYEOF'
import sys
p = sys.argv[1]
t = open(p).read().replace("applications:\n", "applications:\n  - name: Salesforc\n", 1)
open(p, "w").write(t)
PYEOF
run 1 plan-missing -- plan "$WORK/missing"
grep -q "applications.yaml:3:11: error: application 'Salesforc' does not exist" "$ERR" &&
  grep -q "did you mean 'Salesforce'" "$ERR" && grep -q "'Office 365', 'Salesforce', 'Wiki'" "$ERR" &&
  pass "the error is at the declaration and names the applications there" || fail "plan-missing: $(cat "$ERR")"

###########################################################################
step "5. access: who reaches an application, directly or via a group"
run 0 access-live -- access "$IMP" --live
grep -q "alice  Salesforce  via Admins" "$OUT" && grep -q "bob  Salesforce  via direct" "$OUT" &&
  ! grep -q "Office 365" "$OUT" && pass "text access lists application paths" ||
  fail "access text: $(cat "$OUT")"
run 0 access-json -- access "$IMP" --live --format json
"$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
apps = {(e["user"], e["application"]): e["via"] for e in d["applications"]}
assert apps[("alice", "Salesforce")] == ["Admins"], apps
assert apps[("bob", "Salesforce")] == ["direct"], apps
assert apps[("bob", "Wiki")] == ["Developers"], apps
' "$OUT" && pass "JSON access has the applications section" || fail "access json: $(cat "$OUT")"
"$GH" lint "$IMP" --format json </dev/null >"$WORK/out/lint.out" 2>&1  # its exit code follows the other findings
OUT=$WORK/out/lint.out
grep -q '"target": "bob/application:Salesforce"' "$OUT" && pass "no-user-assignments covers application assignments" ||
  fail "lint: $(cat "$OUT")"
grep -q '"rule": "unassigned-application"' "$OUT" && grep -q "application 'Office 365' requires an assignment" "$OUT" &&
  pass "unassigned-application: Office 365 now requires an assignment no one has" || fail "lint: $(cat "$OUT")"

###########################################################################
step "5b. credentials that may not list applications: a config without them still plans"
"$PY" -c 'import json,sys; s=json.load(open(sys.argv[1])); s["credentials"][0]["applications"]=False; json.dump(s,open(sys.argv[1],"w"))' "$WORK/seed.json"
fake POST seed "$WORK/seed.json" >/dev/null || fail "reseed"
cp -r "$IMP" "$WORK/no-apps" && rm "$WORK/no-apps/applications.yaml"
run 0 plan-no-apps -- plan "$WORK/no-apps" --detailed-exitcode
run 1 plan-apps-denied -- plan "$IMP"
grep -q "sso:ListApplications" "$ERR" && pass "a declared application then names the missing permission" ||
  fail "plan-apps-denied: $(cat "$ERR")"

fake GET stats >"$WORK/stats.json"
helper check-stats "$WORK/stats.json"

###########################################################################
step "6. the local directory: declared applications are created, then the same flow"
LOC=$WORK/local
mkdir -p "$LOC"
cat >"$LOC/config.yaml" <<'YAML'
users:
  - {user_name: alice, display_name: Alice, given_name: Alice, family_name: L}
  - {user_name: bob, display_name: Bob, given_name: Bob, family_name: O}
groups:
  - {name: Sales, members: [alice]}
  - {name: Support, members: [bob]}
applications:
  - name: Salesforce
    assignment_required: true
  - name: Wiki
assignments:
  - group: Sales
    application: Salesforce
  - user: bob
    application: Wiki
YAML
run 2 local-plan -- plan "$LOC" --detailed-exitcode
grep -q "+ application Salesforce" "$OUT" && grep -q "+ application_assignment group:Sales/application:Salesforce" "$OUT" &&
  pass "the local plan creates the applications and their assignments" || fail "local plan: $(cat "$OUT")"
run 0 local-apply -- apply "$LOC" --auto-approve
run 0 local-replan -- plan "$LOC" --detailed-exitcode
LIMP=$WORK/local-imported
run 0 local-import -- import --out "$LIMP" "$LOC"
run 0 local-plan-imported -- plan "$LIMP" --detailed-exitcode
grep -q "assignment_required: true" "$LIMP/applications.yaml" && pass "local import keeps assignment_required" ||
  fail "local import: $(cat "$LIMP/applications.yaml")"
"$PY" - "$LOC/.gatehouse/directory.json" <<'PYEOF'
import json, sys
p = sys.argv[1]
d = json.load(open(p))
d["application_assignments"] = [a for a in d["application_assignments"] if a["principal_type"] != "USER"]
for a in d["applications"]:
    if a["name"] == "Salesforce":
        a["assignment_required"] = False
json.dump(d, open(p, "w"))
PYEOF
run 2 local-drift -- drift "$LOC"
grep -q "application_assignment user:bob/application:Wiki" "$OUT" && grep -q "~ application Salesforce" "$OUT" &&
  pass "local drift shows the removal and the flip" || fail "local drift: $(cat "$OUT")"
printf '  - group: Support\n    application: Salesforce\n' >>"$LOC/config.yaml"
run 2 local-plan-support -- plan "$LOC" --detailed-exitcode --format markdown
# The drift left Salesforce open to everyone and took bob off Wiki: bob regains
# Wiki; Salesforce he keeps (via Support now), so it is no gain.
grep -qF "| 🟢 gains | bob | application Wiki | — | direct |" "$OUT" && grep -qF "Access: 1 gained, 0 removed." "$OUT" &&
  pass "the Markdown plan: bob regains Wiki, keeps Salesforce" || fail "local markdown plan: $(cat "$OUT")"
run 0 local-apply-2 -- apply "$LOC" --auto-approve
run 0 local-access -- access "$LOC" --format csv
grep -q '^bob,,,,Support,,Salesforce$' "$OUT" && pass "CSV access row for an application" || fail "csv: $(cat "$OUT")"

helper secrets "$WORK/out" "$IMP" "$LIMP"
echo
[ "$FAILURES" -eq 0 ] && echo "aws_applications: all passed" || echo "aws_applications: $FAILURES failure(s)"
exit $((FAILURES > 0))
