#!/bin/sh
# A one-line policy edit that makes a read-only set powerful is an access change
# (issue 9 item 4): plan JSON lists an "escalate" entry for every holder of the
# set on every account, with the class before and after and the notable actions
# gained; the text plan shows them first under "Access changes"; the saved plan
# round-trips them; the reverse edit deescalates.
# usage: plan_escalation.sh BINARY
set -eu
G=$(realpath "$1")
SRC=${GATEHOUSE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
PY=/usr/bin/python3
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
export GATEHOUSE_NOW=2026-06-01 NO_COLOR=1
fail() { echo "FAIL: $*" >&2; exit 1; }

cp -r "$SRC/examples/startup" "$W/startup"
C=$W/startup
T="local:$W/directory.json"
"$G" apply "$C" --auto-approve --target "$T" > /dev/null || fail "apply of examples/startup"
cp "$C/gatehouse.yaml" "$W/original.yaml"

# ProdViewOnly (Engineers: maya, tom, priya, sam on acme-prod) gains iam:*.
"$PY" - "$C/gatehouse.yaml" <<'PYEOF'
import sys
p = sys.argv[1]
s = open(p).read()
old = "    managed_policies: [job-function/ViewOnlyAccess]\n"
assert s.count(old) == 1, "ProdViewOnly's managed_policies line not found"
s = s.replace(old, old + """    inline_policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: ["iam:*"]
          Resource: "*"
""")
open(p, "w").write(s)
PYEOF

"$G" plan "$C" --format json --target "$T" > "$W/plan.json" || fail "plan --format json exit $?"
"$PY" - "$W/plan.json" <<'PYEOF'
import json, sys
plan = json.load(open(sys.argv[1]))
kinds = [c["kind"] for c in plan["changes"]]
assert kinds == ["permission_set"], kinds
esc = [a for a in plan["access_changes"] if a["change"] == "escalate"]
holders = sorted((a["user"], a["account_name"]) for a in esc)
assert holders == [(u, "acme-prod") for u in ["maya", "priya", "sam", "tom"]], plan["access_changes"]
assert len(plan["access_changes"]) == 4, plan["access_changes"]
for a in esc:
    assert a["permission_set"] == "ProdViewOnly", a
    assert a["account_id"] == "210987654321", a
    assert a["via"] == ["Engineers"], a
    assert a["privilege_before"] != a["privilege"], a
    assert a["privilege"] in ("admin", "permissions-management"), a
    gained = a["notable_actions_gained"]
    for action in ("iam:CreatePolicyVersion", "iam:CreateAccessKey", "iam:AttachRolePolicy"):
        assert action in gained, (action, gained)
    assert a["notable_actions_lost"] == [], a
PYEOF

# The plan schema knows the escalate entries (when jsonschema is installed).
"$PY" - "$SRC/schemas/plan.schema.json" "$W/plan.json" <<'PYEOF'
import json, sys
try:
    import jsonschema
except ImportError:
    sys.exit(0)
jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))
bad = json.load(open(sys.argv[2]))
del bad["access_changes"][0]["privilege_before"]
try:
    jsonschema.validate(bad, json.load(open(sys.argv[1])))
    sys.exit("the plan schema accepts an escalation without privilege_before")
except jsonschema.ValidationError:
    pass
PYEOF

# The text plan: the escalations come first in "Access changes".
"$G" plan "$C" --target "$T" > "$W/plan.txt" || fail "plan exit $?"
"$PY" - "$W/plan.txt" <<'PYEOF'
import sys
text = open(sys.argv[1]).read()
assert "\nAccess changes:\n" in text, text
section = text.split("\nAccess changes:\n", 1)[1].split("\n\n", 1)[0].splitlines()
assert len(section) == 4, section
for line in section:
    assert line.startswith("  ! "), line
    assert " escalates to " in line and " with ProdViewOnly on acme-prod (210987654321) via group Engineers [was " in line, line
    assert "notable actions gained: " in line, line
PYEOF

# The Markdown comment says so in its summary and table.
"$G" plan "$C" --format markdown --target "$T" > "$W/plan.md" || fail "plan --format markdown exit $?"
grep -qF "**4 escalated**" "$W/plan.md" || { cat "$W/plan.md" >&2; fail "markdown summary lacks the escalations"; }
grep -qF "| 🔺 **escalates** | maya | ProdViewOnly | acme-prod (210987654321) | group Engineers |" "$W/plan.md" ||
  { cat "$W/plan.md" >&2; fail "markdown table lacks maya's escalation"; }

# A saved plan keeps them, and apply --plan applies it.
"$G" plan "$C" --out "$W/saved.json" --target "$T" > /dev/null || fail "plan --out exit $?"
"$PY" -c 'import json,sys; a=json.load(open(sys.argv[1]))["access_changes"]; assert [x["change"] for x in a]==["escalate"]*4, a' "$W/saved.json"
"$G" apply "$C" --plan "$W/saved.json" --auto-approve --target "$T" > /dev/null || fail "apply --plan exit $?"

# Back to the original: each holder deescalates, losing the notable actions.
cp "$W/original.yaml" "$C/gatehouse.yaml"
"$G" plan "$C" --format json --target "$T" > "$W/back.json" || fail "reverse plan exit $?"
"$PY" - "$W/back.json" <<'PYEOF'
import json, sys
a = json.load(open(sys.argv[1]))["access_changes"]
assert [x["change"] for x in a] == ["deescalate"] * 4, a
assert all("iam:CreatePolicyVersion" in x["notable_actions_lost"] and not x["notable_actions_gained"] for x in a), a
PYEOF
echo "plan_escalation: ok"
