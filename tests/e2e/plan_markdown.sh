#!/bin/sh
# plan --format markdown (the PR comment) and drift --format markdown|json (the
# nightly job): access changes with the privileged grant first, the 65,536-char
# bound on a config of thousands of assignments, and drift exit codes.
# usage: plan_markdown.sh BINARY
set -eu
G=$(realpath "$1")
PY=/usr/bin/python3
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
export GATEHOUSE_NOW=2026-06-01 NO_COLOR=1
fail() { echo "FAIL: $*" >&2; exit 1; }
contains() { grep -qF -- "$2" "$1" || { cat "$1" >&2; fail "$3: '$2' not in output"; }; }

C=$W/config
mkdir -p "$C"
cat > "$C/gatehouse.yaml" <<'YAML'
settings:
  identity_source: internal
target:
  type: local
accounts:
  - {id: "111111111111", name: payments-prod, environment: production}
users:
  - {user_name: alice, display_name: Alice A, given_name: Alice, family_name: A, email: alice@example.com}
  - {user_name: bob, display_name: Bob B, given_name: Bob, family_name: B, email: bob@example.com}
groups:
  - {name: Admins, description: break glass, members: [alice]}
  - {name: Readers, members: [alice]}
permission_sets:
  - {name: AdministratorAccess, managed_policies: [AdministratorAccess]}
  - {name: ReadOnly, managed_policies: [ReadOnlyAccess]}
assignments:
  - {group: Admins, permission_set: AdministratorAccess, accounts: [payments-prod]}
  - {group: Readers, permission_set: ReadOnly, accounts: [payments-prod]}
YAML
"$G" apply "$C" --auto-approve > /dev/null

# In sync: drift 0, in every format.
"$G" drift "$C" --format markdown > "$W/drift.md" || fail "drift exit $? on a converged directory"
contains "$W/drift.md" "<!-- gatehouse:drift -->" "drift marker"
contains "$W/drift.md" "### Gatehouse drift: none" "no drift"
"$G" drift "$C" --format json > "$W/drift.json" || fail "drift json exit $?"
"$PY" -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["drift"] is False and j["changes"] == [], j' "$W/drift.json"
"$G" plan "$C" --format markdown > "$W/none.md"
contains "$W/none.md" "**No changes.** The live directory matches the configuration." "empty plan"

# The pull request: bob joins Admins; aaron (sorts first) gets read-only.
sed -i 's/name: Readers, members: \[alice\]/name: Readers, members: [alice, aaron]/; s/break glass, members: \[alice\]/break glass, members: [alice, bob]/' "$C/gatehouse.yaml"
sed -i 's/^groups:/  - {user_name: aaron, display_name: Aaron Z, given_name: Aaron, family_name: Z, email: aaron@example.com}\ngroups:/' "$C/gatehouse.yaml"
rc=0; "$G" plan "$C" --format markdown --detailed-exitcode > "$W/pr.md" || rc=$?
[ "$rc" -eq 2 ] || fail "plan --detailed-exitcode gave $rc, expected 2"
contains "$W/pr.md" "<!-- gatehouse:plan -->" "plan marker"
contains "$W/pr.md" "**3 to create, 0 to update, 0 to delete, 0 to replace.**" "summary counts"
contains "$W/pr.md" "Access: 2 gained, 0 removed" "access summary"
contains "$W/pr.md" "| 🟢 gains | bob | AdministratorAccess | payments-prod (111111111111) | group Admins |" "admin grant"
contains "$W/pr.md" "| 🟢 gains | aaron | ReadOnly | payments-prod (111111111111) | group Readers |" "read-only grant"
contains "$W/pr.md" "<details><summary>membership: 2 changes</summary>" "collapsible section"
"$G" plan "$C" > "$W/pr.txt"
contains "$W/pr.txt" "bob gains AdministratorAccess on payments-prod (111111111111) via group Admins" "text plan"
"$G" plan "$C" --format json > "$W/pr.json"
PRIV=$("$PY" - "$W/pr.json" <<'PYEOF'
import json, sys
changes = json.load(open(sys.argv[1]))["access_changes"]
assert {(c["change"], c["user"], c["permission_set"]) for c in changes} == {
    ("gain", "bob", "AdministratorAccess"), ("gain", "aaron", "ReadOnly")}, changes
admin = [c for c in changes if c["user"] == "bob"][0]
print(admin["privilege"] or "")
PYEOF
)
if [ -n "$PRIV" ]; then
  # With the classifier, the admin grant is first in JSON and in the comment.
  [ "$PRIV" = admin ] || fail "AdministratorAccess classified '$PRIV'"
  "$PY" -c 'import json,sys; c=json.load(open(sys.argv[1]))["access_changes"]; assert c[0]["user"]=="bob", c' "$W/pr.json"
  first=$(grep -m1 '^| 🟢' "$W/pr.md")
  case "$first" in *"| bob | AdministratorAccess |"*"**admin**"*) ;; *) fail "first access row is not bob's admin grant: $first" ;; esac
  contains "$W/pr.md" "**1 privileged grant**" "privileged count"
else
  echo "note: this build has no privilege classifier; ordering by privilege is covered by the unit tests" >&2
fi

# Drift: the live directory now differs from the config.
rc=0; "$G" drift "$C" --format markdown > "$W/drift2.md" || rc=$?
[ "$rc" -eq 2 ] || fail "drift gave $rc, expected 2"
contains "$W/drift2.md" "### Gatehouse drift: the live directory differs from the configuration" "drift title"
rc=0; "$G" drift "$C" --format json > "$W/drift2.json" || rc=$?
[ "$rc" -eq 2 ] || fail "drift json gave $rc, expected 2"
"$PY" -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["drift"] is True and j["format_version"]=="1" and len(j["access_changes"])==2, j' "$W/drift2.json"

# Lint findings ride in the comment, beside the plan (when this build has the linter).
echo '  - {user: aaron, permission_set: ReadOnly, accounts: [payments-prod]}' >> "$C/gatehouse.yaml"
"$G" lint "$C" --format json > "$W/lint.json" 2> /dev/null || true
RULES=$("$PY" -c 'import json,sys
try: print(" ".join(sorted({f["rule"] for f in json.load(open(sys.argv[1]))["findings"] if not f.get("suppressed")})))
except Exception: pass' "$W/lint.json")
if [ -n "$RULES" ]; then
  "$G" plan "$C" --format markdown > "$W/lint.md"
  contains "$W/lint.md" "#### Lint findings" "lint section"
  for rule in $RULES; do contains "$W/lint.md" "\`$rule\`" "lint finding $rule"; done
else
  echo "note: no lint findings from this build; the findings section is covered by the unit tests" >&2
fi

# Thousands of assignments: the comment stays within GitHub's limit and says what was cut.
L=$W/large
mkdir -p "$L"
"$PY" - "$L/gatehouse.yaml" <<'PYEOF'
import sys
n_accounts, n_groups = 80, 60
out = ["settings:", "  identity_source: internal", "target:", "  type: local", "accounts:"]
out += [f'  - {{id: "{100000000000 + i}", name: acct-{i:03d}}}' for i in range(n_accounts)]
out += ["users:"] + [f"  - {{user_name: user{g:03d}, display_name: U {g}, given_name: U, family_name: N{g}, email: u{g}@example.com}}" for g in range(n_groups)]
out += ["groups:"] + [f"  - {{name: team-{g:03d}, members: [user{g:03d}]}}" for g in range(n_groups)]
out += ["permission_sets:", "  - {name: ReadOnly, managed_policies: [ReadOnlyAccess]}", "assignments:"]
accounts = ", ".join(f"acct-{i:03d}" for i in range(n_accounts))
out += [f"  - {{group: team-{g:03d}, permission_set: ReadOnly, accounts: [{accounts}]}}" for g in range(n_groups)]
open(sys.argv[1], "w").write("\n".join(out) + "\n")
PYEOF
"$G" plan "$L" --format markdown > "$W/large.md"
"$PY" - "$W/large.md" <<'PYEOF'
import re, sys
md = open(sys.argv[1], encoding="utf-8").read()
assert len(md) <= 65536, len(md)
assert "**4981 to create" in md, md[:400]
m = re.search(r"\*\*Truncated\*\* to fit the 65536-character comment limit: (.*) are not shown", md)
assert m, md[-600:]
shown_access = md.count("\n| 🟢 gains |")
shown_ops = len(re.findall(r"^\+ ", md, re.M))
assert f"{4800 - shown_access} access changes" in m.group(1), (m.group(1), shown_access)
assert f"{4981 - shown_ops} resource changes" in m.group(1), (m.group(1), shown_ops)
assert md.count("```") % 2 == 0
assert "<details><summary>assignment: 4800 changes</summary>" in md
PYEOF
echo "plan markdown: ok"
