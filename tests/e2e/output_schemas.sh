#!/bin/bash
# The access matrix and lint JSON outputs (PRODUCT.md §7) agree with their
# JSON Schemas, schemas/access.schema.json and schemas/lint.schema.json:
#   a. both schemas are valid draft-07 schemas; the lint schema's rule ids are
#      the config schema's rule ids plus config-error
#   b. `access --format json` of the examples, some good corpus configs and a
#      config with every privilege class validates, from the config and with
#      --live after an apply into a local directory (empty before the apply)
#   c. `lint --format json` of the same configs, of a config with findings and
#      of invalid configs and a missing one (config-error findings) validates
#   d. hand-broken outputs are rejected, so the schemas constrain
# Usage: tests/e2e/output_schemas.sh BINARY   (GATEHOUSE_SOURCE_DIR: the source tree)
# Needs Debian's /usr/bin/python3 with python3-jsonschema.
set -u

BIN=$1
SRC=${GATEHOUSE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
PY=/usr/bin/python3
ACCESS_SCHEMA="$SRC/schemas/access.schema.json"
LINT_SCHEMA="$SRC/schemas/lint.schema.json"
CONFIG_SCHEMA="$SRC/schemas/config.schema.json"
export NO_COLOR=1 GATEHOUSE_NOW=2026-06-01

if ! "$PY" -c 'import jsonschema' 2>/dev/null; then
  echo "FAIL $PY lacks jsonschema (apt-get install python3-jsonschema)"
  exit 1
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-outputs.XXXXXX")
trap 'rm -rf "$T"' EXIT
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

# validate SCHEMA FILE...: every file is a JSON document the schema accepts.
cat >"$T/validate.py" <<'PY'
import json, sys
import jsonschema
v = jsonschema.Draft7Validator(json.load(open(sys.argv[1])))
bad = 0
for path in sys.argv[2:]:
    try:
        doc = json.load(open(path))
    except ValueError as e:
        print("FAIL %s: not JSON: %s" % (path, e))
        bad += 1
        continue
    errors = sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))
    for e in errors[:5]:
        print("FAIL %s: at /%s: %s" % (path, "/".join(map(str, e.absolute_path)), e.message[:300]))
    bad += bool(errors)
sys.exit(1 if bad else 0)
PY
validate() { "$PY" "$T/validate.py" "$@"; }

echo "== a. the schemas are valid draft-07 schemas"
"$PY" - "$ACCESS_SCHEMA" "$LINT_SCHEMA" "$CONFIG_SCHEMA" <<'PY' || fail "schema check"
import json, sys
import jsonschema
bad = 0
for path in sys.argv[1:3]:
    s = json.load(open(path))
    try:
        jsonschema.Draft7Validator.check_schema(s)
        assert s.get("$schema") == "http://json-schema.org/draft-07/schema#", "not a draft-07 schema"
        print("ok   %s is a valid draft-07 schema" % path.split("/")[-1])
    except Exception as e:
        print("FAIL %s: %s" % (path, str(e)[:300]))
        bad += 1
lint = json.load(open(sys.argv[2]))
config = json.load(open(sys.argv[3]))
lint_rules = set(lint["definitions"]["finding"]["properties"]["rule"]["enum"])
config_rules = set(config["definitions"]["ruleId"]["enum"])
if lint_rules == config_rules | {"config-error"}:
    print("ok   lint schema rule ids = config schema rule ids + config-error")
else:
    print("FAIL lint schema rule ids differ from the config schema's: only in lint %s, only in config %s"
          % (sorted(lint_rules - config_rules - {"config-error"}), sorted(config_rules - lint_rules)))
    bad += 1
sys.exit(1 if bad else 0)
PY

# A config whose lint has findings and whose access has every privilege class:
# a user assigned AdministratorAccess directly, an unmarked set with IAM write
# access, a write set (inline policy), a read-only set and one with a customer managed policy
# (unknown to the analyzer: privilege null), an empty group, a user without group.
mkdir -p "$T/findings"
cat >"$T/findings/gatehouse.yaml" <<'YAML'
settings:
  identity_source: internal
accounts:
  - {id: "111111111111", name: payments-prod, environment: production}
  - {id: "222222222222", name: payments-dev, environment: development}
users:
  - {user_name: alice, display_name: Alice A, given_name: Alice, family_name: A, email: alice@example.com}
  - {user_name: bob, display_name: Bob B, given_name: Bob, family_name: B, email: bob@example.com}
  - {user_name: carol, display_name: Carol C, given_name: Carol, family_name: C, email: carol@example.com}
groups:
  - {name: Devs, members: [alice, bob]}
  - {name: Nobody}
permission_sets:
  - {name: AdministratorAccess, managed_policies: [AdministratorAccess]}
  - {name: IamAdmin, managed_policies: [IAMFullAccess]}
  - name: Uploader
    inline_policy:
      Version: "2012-10-17"
      Statement:
        - {Effect: Allow, Action: ["s3:PutObject"], Resource: "arn:aws:s3:::uploads/*"}
  - {name: ReadOnly, managed_policies: [ReadOnlyAccess]}
  - {name: Custom, customer_managed_policies: [team-boundary]}
assignments:
  - {user: carol, permission_set: AdministratorAccess, accounts: [payments-prod]}
  - {group: Devs, permission_set: IamAdmin, accounts: [payments-dev]}
  - {group: Devs, permission_set: Uploader, accounts: [payments-dev]}
  - {group: Devs, permission_set: ReadOnly, accounts: [payments-prod, payments-dev]}
  - {user: alice, permission_set: ReadOnly, accounts: [payments-prod]}
  - {group: Devs, permission_set: Custom, accounts: [payments-dev]}
YAML

configs=("$SRC/examples/startup" "$SRC/examples/enterprise")
for c in selector-all multi-file users-and-groups explicit-accounts-by-name inline-policies; do
  [ -d "$SRC/tests/corpus/good/$c" ] && configs+=("$SRC/tests/corpus/good/$c")
done
configs+=("$T/findings")

echo "== b. access --format json validates (config, and --live after an apply)"
access_outputs=()
for d in "${configs[@]}"; do
  name=$(basename "$d")
  work="$T/cfg-$name"
  cp -R "$d" "$work"
  rm -rf "$work/.gatehouse"
  live="local:$T/$name-d.json"
  if "$BIN" access "$work" --format json >"$T/$name-access.json" 2>"$T/err"; then
    access_outputs+=("$T/$name-access.json")
  else
    fail "$name: access --format json failed: $(head -c 300 "$T/err")"
  fi
  if "$BIN" access "$work" --live --format json --target "$live" >"$T/$name-live0.json" 2>"$T/err"; then
    access_outputs+=("$T/$name-live0.json")
  else
    fail "$name: access --live before apply failed: $(head -c 300 "$T/err")"
  fi
  if "$BIN" apply "$work" --auto-approve --target "$live" >/dev/null 2>"$T/err"; then
    if "$BIN" access "$work" --live --format json --target "$live" >"$T/$name-live.json" 2>"$T/err"; then
      access_outputs+=("$T/$name-live.json")
    else
      fail "$name: access --live failed: $(head -c 300 "$T/err")"
    fi
  else
    fail "$name: apply failed: $(head -c 300 "$T/err")"
  fi
done
if validate "$ACCESS_SCHEMA" "${access_outputs[@]}"; then
  echo "ok   ${#access_outputs[@]} access outputs validate"
else
  fail "access outputs do not validate"
fi
"$PY" - "$T/findings-access.json" "$T/findings-live.json" "$T/enterprise-access.json" <<'PY' || fail "access outputs lack the expected shapes"
import json, sys
bad = 0
for path in sys.argv[1:]:
    try:
        a = json.load(open(path))["access"]
    except (OSError, ValueError, KeyError) as e:
        print("FAIL %s: %s" % (path, e)); bad += 1; continue
    if not a:
        print("FAIL %s: no access entries" % path); bad += 1; continue
    privs = sorted({str(e["privilege"]) for e in a})
    multi = any(len(e["via"]) > 1 for e in a)
    print("ok   %s: %d entries, privileges %s, an entry with several paths: %s"
          % (path.split("/")[-1], len(a), ", ".join(privs), multi))
    if "findings" in path:
        want = {"admin", "permissions-management", "write", "read-only", "None"}
        if set(privs) != want or not multi:
            print("FAIL %s: want privileges %s and an entry via direct and a group" % (path, sorted(want))); bad += 1
sys.exit(1 if bad else 0)
PY

echo "== c. lint --format json validates"
lint_outputs=()
lint_one() {  # lint_one NAME DIR
  "$BIN" lint "$2" --format json >"$T/$1-lint.json" 2>"$T/err"
  local rc=$?
  if [ $rc -le 1 ] && [ -s "$T/$1-lint.json" ]; then
    lint_outputs+=("$T/$1-lint.json")
  else
    fail "$1: lint --format json exited $rc: $(head -c 300 "$T/err")"
  fi
}
for d in "${configs[@]}"; do lint_one "$(basename "$d")" "$T/cfg-$(basename "$d")"; done
for c in account-id-letters multi-two-errors-two-files assignment-undeclared-group; do
  [ -d "$SRC/tests/corpus/bad/$c" ] && lint_one "bad-$c" "$SRC/tests/corpus/bad/$c"
done
lint_one missing-dir "$T/no-such-config"  # a config error with no line (0)
if validate "$LINT_SCHEMA" "${lint_outputs[@]}"; then
  echo "ok   ${#lint_outputs[@]} lint outputs validate"
else
  fail "lint outputs do not validate"
fi
"$PY" - "$T"/*-lint.json <<'PY' || fail "lint outputs lack the expected findings"
import json, sys
rules, levels, n = set(), set(), 0
for path in sys.argv[1:]:
    f = json.load(open(path))["findings"]
    n += len(f)
    rules |= {x["rule"] for x in f}
    levels |= {x["level"] for x in f}
print("ok   %d findings; rules: %s; levels: %s" % (n, ", ".join(sorted(rules)), ", ".join(sorted(levels))))
want = {"admin-only-break-glass", "no-user-assignments", "config-error"}
sys.exit(0 if want <= rules and {"error", "warning"} <= levels else 1)
PY

echo "== d. the schemas reject hand-broken outputs"
"$PY" - "$ACCESS_SCHEMA" "$LINT_SCHEMA" "$T/findings-access.json" "$T/findings-lint.json" <<'PY' || fail "a schema accepts a broken output"
import copy, json, sys
import jsonschema
access_v = jsonschema.Draft7Validator(json.load(open(sys.argv[1])))
lint_v = jsonschema.Draft7Validator(json.load(open(sys.argv[2])))
access = json.load(open(sys.argv[3]))
lint = json.load(open(sys.argv[4]))
assert not list(access_v.iter_errors(access)) and not list(lint_v.iter_errors(lint))
assert access["access"] and lint["findings"]
bad = 0
def mutate(v, good, name, f):
    global bad
    d = copy.deepcopy(good)
    f(d)
    accepted = not list(v.iter_errors(d))
    print("%s  rejects %s" % ("FAIL" if accepted else "ok  ", name))
    bad += accepted
a = lambda d: d["access"][0]
l = lambda d: d["findings"][0]
mutate(access_v, access, "access: format_version 2", lambda d: d.update(format_version="2"))
mutate(access_v, access, "access: privilege 'root'", lambda d: a(d).update(privilege="root"))
mutate(access_v, access, "access: entry without via", lambda d: a(d).pop("via"))
mutate(access_v, access, "access: empty via", lambda d: a(d).update(via=[]))
mutate(access_v, access, "access: 11-digit account_id", lambda d: a(d).update(account_id="11111111111"))
mutate(access_v, access, "access: unknown entry field", lambda d: a(d).update(role="admin"))
mutate(lint_v, lint, "lint: level 'off'", lambda d: l(d).update(level="off"))
mutate(lint_v, lint, "lint: line as a string", lambda d: l(d).update(line="3"))
mutate(lint_v, lint, "lint: finding without target", lambda d: l(d).pop("target"))
mutate(lint_v, lint, "lint: unknown rule", lambda d: l(d).update(rule="no-such-rule"))
mutate(lint_v, lint, "lint: unknown top-level key", lambda d: d.update(summary={}))
sys.exit(1 if bad else 0)
PY

if [ "$failures" -gt 0 ]; then
  echo "output_schemas: $failures check(s) failed"
  exit 1
fi
echo "output_schemas: all checks passed"
