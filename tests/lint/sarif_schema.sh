#!/bin/sh
# Runs the built `gatehouse lint --format sarif` on a few configs (a clean one,
# one with findings and a waiver, one with config errors) and validates each log
# against the official SARIF 2.1.0 schema with Debian's python3-jsonschema.
# Usage: sarif_schema.sh GATEHOUSE SCHEMA
set -eu
gatehouse=$1
schema=$2
python=/usr/bin/python3
if ! $python -c 'import jsonschema' 2>/dev/null; then
  echo "python3-jsonschema is not installed" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GATEHOUSE_NOW=2026-06-01

mkdir -p "$work/repo/.git" "$work/repo/access/clean" "$work/repo/access/findings/policies" "$work/repo/access/broken"
cat > "$work/repo/access/clean/config.yaml" <<'YAML'
accounts:
  - {id: "111111111111", name: payments-prod, environment: production}
users:
  - user_name: alice
groups:
  - name: Auditors
    members: [alice]
permission_sets:
  - name: Viewer
    managed_policies: [job-function/ViewOnlyAccess]
assignments:
  - group: Auditors
    permission_set: Viewer
    accounts: [payments-prod]
YAML
cat > "$work/repo/access/findings/config.yaml" <<'YAML'
accounts:
  - {id: "111111111111", name: payments-prod, environment: production}
  - {id: "222222222222", name: payments-dev, environment: development}
users:
  - user_name: alice
  - user_name: carol
groups:
  - name: DevOps
    members: [alice]
  - name: Empty
    members: []
permission_sets:
  - name: Admin
    managed_policies: [AdministratorAccess]
    session_duration: PT12H
  - name: Deployer
    inline_policy_file: policies/deployer.json
assignments:
  - user: carol
    permission_set: Admin
    accounts: [payments-prod]
  - group: DevOps
    permission_set: Deployer
    accounts: [payments-prod, payments-dev]
policy:
  exceptions:
    - rule: no-user-assignments
      target: carol/Admin/*
      reason: INC-4711, approved by security
      expires: 2027-01-31
YAML
cat > "$work/repo/access/findings/policies/deployer.json" <<'JSON'
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["iam:PassRole", "ec2:RunInstances", "s3:*"], "Resource": "*"},
    {"Effect": "Allow", "Action": "s3:GetObjects", "Resource": "*"}
  ]
}
JSON
cat > "$work/repo/access/broken/config.yaml" <<'YAML'
groups:
  - name: DevOps
    members: [nobody]
YAML

validate() {
  $python - "$schema" "$1" <<'PY'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
log = json.load(open(sys.argv[2]))
validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
for e in errors[:10]:
    print("%s: %s at %s" % (sys.argv[2], e.message, "/".join(map(str, e.path))), file=sys.stderr)
sys.exit(1 if errors else 0)
PY
}

fail=0
for case in clean findings broken; do
  out="$work/$case.sarif"
  set +e
  "$gatehouse" lint "$work/repo/access/$case" --format sarif --out "$out"
  rc=$?
  set -e
  case $case in
    clean) want=0 ;;
    *) want=1 ;;
  esac
  if [ "$rc" -ne "$want" ]; then
    echo "FAIL $case: exit $rc, want $want" >&2
    fail=1
  fi
  if validate "$out"; then
    echo "ok   $case: valid SARIF 2.1.0"
  else
    echo "FAIL $case: not valid SARIF 2.1.0" >&2
    fail=1
  fi
done

# Locations are relative to the repository root (the directory holding .git).
grep -q '"uri": "access/findings/policies/deployer.json"' "$work/findings.sarif" || {
  echo "FAIL findings: no repo-relative uri for the policy file" >&2
  fail=1
}
grep -q '"ruleId": "privilege-escalation"' "$work/findings.sarif" || {
  echo "FAIL findings: no privilege-escalation result" >&2
  fail=1
}
exit $fail
