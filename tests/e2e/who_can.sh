#!/bin/sh
# `gatehouse who-can ACTION` through the binary (issue 11, WHO-CAN.md), on a
# crafted config where every rule of the evaluation decides one set:
#   conditions -> conditional (an Allow with a Condition, a conditional Deny),
#   the permissions boundary, explicit Deny, NotAction, NotResource, --resource
#   (ARNs case-sensitive, actions case-insensitive), a customer managed policy
#   with a document_file (analysed) and without (unknown, naming the policy), a
#   customer managed boundary without a document; filters (--account,
#   --environment, --ou); an unknown action (exit 1, did you mean); every format;
#   the JSON against schemas/who-can.schema.json (and a broken one rejected);
#   --live after an apply answers the same; examples/ answer and validate.
# usage: who_can.sh BINARY   (GATEHOUSE_SOURCE_DIR: the source tree)
set -eu
G=$(realpath "$1")
SRC=${GATEHOUSE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
PY=/usr/bin/python3
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
export GATEHOUSE_NOW=2026-06-01 NO_COLOR=1
fail() { echo "FAIL: $*" >&2; exit 1; }

C=$W/org
mkdir -p "$C/policies"
cat > "$C/gatehouse.yaml" <<'YAML'
accounts:
  - {id: "111111111111", name: prod, environment: production, ou: Workloads/Prod}
  - {id: "222222222222", name: dev, environment: development, ou: Workloads/Dev}
  - {id: "333333333333", name: audit, environment: production, ou: Security}
users:
  - {user_name: ana, email: ana@example.com, given_name: Ana, family_name: A}
  - {user_name: ben, email: ben@example.com, given_name: Ben, family_name: B}
  - {user_name: cy, email: cy@example.com, given_name: Cy, family_name: C}
groups:
  - {name: Ops, members: [ana, ben]}
  - {name: Data, members: [cy]}
permission_sets:
  - {name: Admin, managed_policies: [AdministratorAccess]}
  - name: Bounded
    managed_policies: [AdministratorAccess]
    permissions_boundary: {managed_policy: ReadOnlyAccess}
  - name: Guarded
    managed_policies: [PowerUserAccess]
    inline_policy:
      Version: "2012-10-17"
      Statement:
        - {Sid: NoStop, Effect: Deny, Action: "cloudtrail:StopLogging", Resource: "*"}
  - name: MfaOnly
    inline_policy:
      Version: "2012-10-17"
      Statement:
        - Sid: StopWithMfa
          Effect: Allow
          Action: "CLOUDTRAIL:stoplogging"
          Resource: "*"
          Condition: {Bool: {"aws:MultiFactorAuthPresent": "true"}}
  - name: DenyOffHours
    managed_policies: [AdministratorAccess]
    inline_policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Deny
          Action: "cloudtrail:*"
          Resource: "*"
          Condition: {DateGreaterThan: {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}
  - name: NotIam
    inline_policy:
      Version: "2012-10-17"
      Statement:
        - {Effect: Allow, NotAction: "iam:*", Resource: "*"}
  - name: Buckets
    inline_policy:
      Version: "2012-10-17"
      Statement:
        - {Sid: Reports, Effect: Allow, Action: "s3:GetObject", Resource: "arn:aws:s3:::Reports/*"}
        - {Sid: AllButSecret, Effect: Allow, Action: "s3:GetObject", NotResource: "arn:aws:s3:::secret/*"}
  - name: Documented
    customer_managed_policies:
      - {name: Stopper, path: /ops/, document_file: policies/stopper.json}
  - name: Legacy
    customer_managed_policies: [LegacyS3]
  - name: MfaLegacy
    customer_managed_policies: [LegacyS3]
    inline_policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: "cloudtrail:StopLogging"
          Resource: "*"
          Condition: {Bool: {"aws:MultiFactorAuthPresent": "true"}}
        - {Effect: Deny, Action: "iam:*", Resource: "*"}
  - name: EdgeBounded
    managed_policies: [AdministratorAccess]
    permissions_boundary: {customer_managed_policy: {name: Edge}}
assignments:
  - {group: Ops, permission_set: Admin, accounts: [prod]}
  - {user: ana, permission_set: Admin, accounts: [prod]}
  - {group: Ops, permission_set: Guarded, accounts: [dev]}
  - {user: ben, permission_set: Bounded, accounts: [audit]}
  - {user: cy, permission_set: MfaOnly, accounts: [prod]}
  - {user: cy, permission_set: DenyOffHours, accounts: [dev]}
  - {group: Data, permission_set: NotIam, accounts: [audit]}
  - {group: Data, permission_set: Buckets, accounts: [dev]}
  - {user: ben, permission_set: Documented, accounts: [dev]}
  - {user: ana, permission_set: Legacy, accounts: [audit]}
  - {user: cy, permission_set: EdgeBounded, accounts: [audit]}
  - {user: ben, permission_set: MfaLegacy, accounts: [audit]}
YAML
cat > "$C/policies/stopper.json" <<'JSON'
{"Version": "2012-10-17", "Statement": [
  {"Sid": "Stop", "Effect": "Allow", "Action": "cloudtrail:StopLogging", "Resource": "arn:aws:cloudtrail:*:*:trail/*"}]}
JSON
"$G" validate "$C" > /dev/null || fail "the crafted config does not validate"

# tuples FILE: "user account set decision" lines of a JSON answer, grants then unknown holders.
tuples() {
  "$PY" - "$1" <<'PYEOF'
import json, sys
j = json.load(open(sys.argv[1]))
for g in j["grants"]:
    print(g["user"], g["account_name"], g["permission_set"], g["decision"])
for u in j["unknown"]:
    for h in u["holders"]:
        print(h["user"], h["account_name"], u["permission_set"], "unknown")
PYEOF
}
# expect NAME ARGS... <<EXPECTED: the tuples of `who-can ARGS --format json` equal EXPECTED.
expect() {
  name=$1
  shift
  "$G" who-can "$@" --format json > "$W/$name.json" || fail "$name: who-can $* exit $?"
  tuples "$W/$name.json" > "$W/$name.got"
  cat > "$W/$name.want"
  diff -u "$W/$name.want" "$W/$name.got" || fail "$name: who-can $*"
}

# cloudtrail:StopLogging: Admin allows (ana directly and via Ops); Guarded's Deny
# and Bounded's ReadOnlyAccess boundary deny; NotIam allows it (NotAction iam:*);
# MfaOnly's Allow (action in another case) and DenyOffHours' Deny carry Conditions;
# Documented's document allows it; Legacy and EdgeBounded lack documents; MfaLegacy
# allows it only under a Condition, and its missing document could allow it outright.
expect stop cloudtrail:stoplogging "$C" <<'EOF'
ana prod Admin allow
ben prod Admin allow
ben dev Documented allow
cy prod MfaOnly conditional
cy dev DenyOffHours conditional
cy audit NotIam allow
cy audit EdgeBounded unknown
ana audit Legacy unknown
ben audit MfaLegacy unknown
EOF
"$PY" - "$W/stop.json" <<'PYEOF' || fail "stop: because / via / unknown reasons"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["action"] == "cloudtrail:StopLogging" and j["resource"] is None, j["action"]
g = {(x["user"], x["permission_set"]): x for x in j["grants"]}
assert g[("ana", "Admin")]["via"] == ["direct", "group:Ops"], g[("ana", "Admin")]
assert g[("ana", "Admin")]["because"][0]["policy"] == "arn:aws:iam::aws:policy/AdministratorAccess"
assert g[("ben", "Documented")]["because"] == [{"policy": "/ops/Stopper", "statement": "Stop", "conditional": False,
    "resources": ["arn:aws:cloudtrail:*:*:trail/*"]}], g[("ben", "Documented")]
assert g[("cy", "MfaOnly")]["because"][0]["statement"] == "StopWithMfa"
assert g[("cy", "MfaOnly")]["because"][0]["conditional"] is True
assert g[("cy", "NotIam")]["because"][0]["statement"] == "0"
u = {x["permission_set"]: x for x in j["unknown"]}
assert u["Legacy"]["reason"] == "customer managed policy /LegacyS3 is not in the config", u
assert u["Legacy"]["policies"] == ["/LegacyS3"], u
assert u["EdgeBounded"]["reason"] == "customer managed permissions boundary /Edge is not in the config", u
assert j["summary"] == {"users": 3, "accounts": 3, "permission_sets": 5}, j["summary"]
PYEOF

# iam:CreateUser: NotAction iam:* (NotIam, and PowerUserAccess) does not allow it; Documented's document does
# not, so Documented is not unknown; Legacy still is; MfaLegacy denies iam:* outright,
# so its missing document cannot matter.
expect iam IAM:CreateUser "$C" <<'EOF'
ana prod Admin allow
ben prod Admin allow
cy dev DenyOffHours allow
cy audit EdgeBounded unknown
ana audit Legacy unknown
EOF

# A read action passes the ReadOnlyAccess boundary.
expect describe cloudtrail:DescribeTrails "$C" --account audit <<'EOF'
ben audit Bounded allow
cy audit NotIam allow
cy audit EdgeBounded unknown
ana audit Legacy unknown
ben audit MfaLegacy unknown
EOF

# --resource: Resource matches case-sensitively; NotResource excludes secret/*.
expect res_reports s3:GetObject "$C" --resource arn:aws:s3:::Reports/q1.csv --account dev <<'EOF'
ana dev Guarded allow
ben dev Guarded allow
cy dev Buckets allow
cy dev DenyOffHours allow
EOF
"$PY" - "$W/res_reports.json" <<'PYEOF' || fail "res_reports: because"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["resource"] == "arn:aws:s3:::Reports/q1.csv"
b = [x for x in j["grants"] if x["permission_set"] == "Buckets"][0]["because"]
assert [r["statement"] for r in b] == ["Reports", "AllButSecret"], b
assert b[1]["not_resources"] == ["arn:aws:s3:::secret/*"], b
PYEOF
expect res_secret s3:GetObject "$C" --resource arn:aws:s3:::secret/key --account dev <<'EOF'
ana dev Guarded allow
ben dev Guarded allow
cy dev DenyOffHours allow
EOF
"$G" who-can s3:GetObject "$C" --resource arn:aws:s3:::reports/q1.csv --account dev --format json > "$W/lower.json"
"$PY" - "$W/lower.json" <<'PYEOF' || fail "a Resource pattern matched an ARN of another case"
import json, sys
b = [x for x in json.load(open(sys.argv[1]))["grants"] if x["permission_set"] == "Buckets"][0]["because"]
assert [r["statement"] for r in b] == ["AllButSecret"], b
PYEOF
# The Documented policy allows trail ARNs only.
expect res_trail cloudtrail:StopLogging "$C" --resource arn:aws:cloudtrail:eu-west-1:222222222222:trail/main --account dev <<'EOF'
ben dev Documented allow
cy dev DenyOffHours conditional
EOF
expect res_other cloudtrail:StopLogging "$C" --resource arn:aws:cloudtrail:eu-west-1:222222222222:channel/x --account dev <<'EOF'
cy dev DenyOffHours conditional
EOF

# Filters: environment, OU glob, several --account values add up.
expect env cloudtrail:StopLogging "$C" --environment production <<'EOF'
ana prod Admin allow
ben prod Admin allow
cy prod MfaOnly conditional
cy audit NotIam allow
cy audit EdgeBounded unknown
ana audit Legacy unknown
ben audit MfaLegacy unknown
EOF
expect ou cloudtrail:StopLogging "$C" --ou 'Workloads/*' <<'EOF'
ana prod Admin allow
ben prod Admin allow
ben dev Documented allow
cy prod MfaOnly conditional
cy dev DenyOffHours conditional
EOF
# Filters narrow together: audit is not under Workloads/.
expect ou_and_account cloudtrail:StopLogging "$C" --ou 'Workloads/*' --account audit < /dev/null
expect accounts cloudtrail:StopLogging "$C" --account prod --account 222222222222 <<'EOF'
ana prod Admin allow
ben prod Admin allow
ben dev Documented allow
cy prod MfaOnly conditional
cy dev DenyOffHours conditional
EOF

# Errors: an unknown action (did you mean), a wildcard, an unknown account; exit 1.
set +e
"$G" who-can cloudtrail:StopLoging "$C" > "$W/out" 2> "$W/err"; rc=$?
set -e
[ "$rc" = 1 ] || fail "unknown action: exit $rc, not 1"
[ ! -s "$W/out" ] || fail "unknown action printed an answer"
grep -q "unknown action 'cloudtrail:StopLoging'" "$W/err" || fail "unknown action: $(cat "$W/err")"
grep -q "did you mean 'cloudtrail:StopLogging'" "$W/err" || fail "no did-you-mean: $(cat "$W/err")"
set +e
"$G" who-can cloudtrial:StopLogging "$C" 2> "$W/err"; rc1=$?
"$G" who-can 's3:Get*' "$C" 2> "$W/err2"; rc2=$?
"$G" who-can s3:GetObject "$C" --account prd 2> "$W/err3"; rc3=$?
set -e
[ "$rc1$rc2$rc3" = 111 ] || fail "errors exit $rc1 $rc2 $rc3"
grep -q "did you mean 'cloudtrail:StopLogging'" "$W/err" || fail "unknown service: $(cat "$W/err")"
grep -q "wildcard" "$W/err2" || fail "wildcard: $(cat "$W/err2")"
grep -q "unknown account 'prd'" "$W/err3" || fail "unknown account: $(cat "$W/err3")"

# Formats: CSV one row per grant (and unknown holder); Markdown and text.
"$G" who-can cloudtrail:StopLogging "$C" --format csv > "$W/stop.csv"
[ "$(head -1 "$W/stop.csv")" = "user,account_id,account_name,permission_set,via,decision,privilege,because" ] ||
  fail "csv header: $(head -1 "$W/stop.csv")"
[ "$(($(wc -l < "$W/stop.csv") - 1))" = 9 ] || fail "csv rows: $(cat "$W/stop.csv")"
grep -q '^ana,111111111111,prod,Admin,direct;group:Ops,allow,admin,arn:aws:iam::aws:policy/AdministratorAccess#0$' \
  "$W/stop.csv" || fail "csv row: $(cat "$W/stop.csv")"
grep -q '^ana,333333333333,audit,Legacy,direct,unknown,,customer managed policy /LegacyS3 is not in the config$' \
  "$W/stop.csv" || fail "csv unknown row: $(cat "$W/stop.csv")"
"$G" who-can cloudtrail:StopLogging "$C" --format markdown > "$W/stop.md"
grep -q '^| cy | prod (111111111111) | MfaOnly | conditional | direct | inline#StopWithMfa (condition) |$' "$W/stop.md" ||
  fail "markdown: $(cat "$W/stop.md")"
"$G" who-can cloudtrail:StopLogging "$C" > "$W/stop.txt"
grep -q '^Legacy: customer managed policy /LegacyS3 is not in the config$' "$W/stop.txt" || fail "text: $(cat "$W/stop.txt")"
grep -qx '6 grant(s): 3 user(s), 3 account(s), 5 permission set(s), in the configuration. 3 permission set(s) unknown.' \
  "$W/stop.txt" || fail "text summary: $(cat "$W/stop.txt")"
"$G" who-can cloudtrail:StopLogging "$C" --format json --out "$W/out.json"
cmp -s "$W/out.json" "$W/stop.json" || fail "--out differs from stdout"

# --live: after an apply, the live directory answers the same (documents from the config).
mkdir -p "$W/state"
"$G" apply "$C" --auto-approve --target "local:$W/state/dir.json" > /dev/null || fail "apply"
expect live cloudtrail:StopLogging "$C" --live --target "local:$W/state/dir.json" < "$W/stop.want"
"$PY" - "$W/live.json" "$W/stop.json" <<'PYEOF' || fail "--live answer differs from the config's"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert a == b, (a, b)
PYEOF

# The examples answer; every JSON answer validates against the schema; a broken one does not.
"$G" who-can iam:CreateUser "$SRC/examples/enterprise" --format json > "$W/ent.json"
"$G" who-can cloudtrail:StopLogging "$SRC/examples/startup" --format json > "$W/startup.json"
"$PY" - "$SRC/schemas/who-can.schema.json" "$W"/*.json <<'PYEOF' || fail "schema"
import json, sys
import jsonschema
v = jsonschema.Draft7Validator(json.load(open(sys.argv[1])))
jsonschema.Draft7Validator.check_schema(v.schema)
for p in sys.argv[2:]:
    doc = json.load(open(p))
    errors = list(v.iter_errors(doc))
    assert not errors, (p, errors[0].message)
doc["grants"] = [{"user": "x"}]
assert list(v.iter_errors(doc)), "a broken answer validates"
PYEOF
"$PY" - "$W/startup.json" <<'PYEOF' || fail "startup: ProdOperator's Deny"
import json, sys
j = json.load(open(sys.argv[1]))
sets = {g["permission_set"] for g in j["grants"]}
assert sets == {"Developer"}, sets   # ProdOperator denies cloudtrail:StopLogging
PYEOF
echo "who_can: ok"
