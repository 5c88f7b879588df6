#!/bin/bash
# gatehouse review and Identity Center applications (issue 12, EVIDENCE.md):
#   a. application grants are listed (a group's, a user's, everyone's when an
#      application requires no assignment) with `granted` from git: the later of
#      the member line and the assignment entry; for everyone, the
#      `assignment_required: false` declaration
#   b. their usage is never made up: last_used, uses and recommendation are null
#      even with a source of events, a note says why, and the summary counts
#      account grants only
#   c. the JSON validates against schemas/review.schema.json (broken ones do not)
#   d. text, CSV, Markdown carry them; --user narrows, --account leaves them out;
#      outside git granted is null
# usage: review_applications.sh BINARY
set -u
G=$(realpath "$1")
SRC=${GATEHOUSE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
PY=/usr/bin/python3
command -v git >/dev/null || exit 77
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
export NO_COLOR=1 GATEHOUSE_NOW=2026-12-01
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
contains() { grep -qF -- "$2" "$1" || { cat "$1"; fail "$3: '$2' not in output"; }; }

C=$W/config
mkdir -p "$C" "$W/trail"
echo '{"Records": []}' >"$W/trail/empty.json"
cat >"$C/gatehouse.yaml" <<'YAML'
target:
  type: local
accounts:
  - {id: "111111111111", name: prod, environment: production}
users:
  - {user_name: alice, display_name: Alice A, given_name: Alice, family_name: A, email: alice@example.com}
  - {user_name: bob, display_name: Bob B, given_name: Bob, family_name: B, email: bob@example.com}
  - {user_name: carol, display_name: Carol C, given_name: Carol, family_name: C, email: carol@example.com}
groups:
  - name: Sales
    members:
      - alice
permission_sets:
  - {name: ReadOnly, managed_policies: [ReadOnlyAccess]}
applications:
  - name: Salesforce
    assignment_required: true
  - name: Wiki
    assignment_required: false
assignments:
  - group: Sales
    permission_set: ReadOnly
    accounts: [prod]
  - group: Sales
    application: Salesforce
  - user: bob
    application: Salesforce
YAML
git_at() {  # git_at DATE MESSAGE
  GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1" git -C "$C" -c user.name="Jane Roe" -c user.email=jane@example.com \
    commit -qam "$2" || fail "git commit"
}
git -C "$C" init -q && git -C "$C" add gatehouse.yaml && git_at 2026-01-10T09:00:00Z "initial access"
OLD=$(git -C "$C" rev-parse HEAD)
sed -i 's/^      - alice$/      - alice\n      - carol/' "$C/gatehouse.yaml"
git_at 2026-11-20T15:00:00Z "carol joins Sales (#7)"
NEW=$(git -C "$C" rev-parse HEAD)
"$G" apply "$C" --auto-approve >/dev/null 2>"$W/err" || { cat "$W/err"; fail "apply"; }

echo "== a, b. application grants, their provenance, no usage made up"
"$G" review "$C" --cloudtrail "$W/trail" --as-of 2026-12-01 --format json >"$W/review.json" 2>"$W/err" ||
  { cat "$W/err"; fail "review --format json"; }
"$PY" - "$W/review.json" "$OLD" "$NEW" <<'PY' || fail "applications in the review"
import json, sys
r, old, new = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
got = {(a["user"], a["application"]): (a["via"], (a["granted"] or {}).get("commit")) for a in r["applications"]}
want = {("alice", "Salesforce"): (["group:Sales"], old), ("bob", "Salesforce"): (["direct"], old),
        ("carol", "Salesforce"): (["group:Sales"], new),
        ("alice", "Wiki"): (["everyone"], old), ("bob", "Wiki"): (["everyone"], old),
        ("carol", "Wiki"): (["everyone"], old)}
bad = 0
if got != want:
    print("FAIL applications %s\n   wanted %s" % (got, want)); bad += 1
for a in r["applications"]:
    if (a["last_used"], a["uses"], a["recommendation"]) != (None, None, None):
        print("FAIL usage made up for %s" % a); bad += 1
if not any("usage of applications is not measured" in n for n in r["notes"]):
    print("FAIL no note about application usage: %s" % r["notes"]); bad += 1
if r["summary"]["grants"] != len(r["entries"]) or len(r["entries"]) != 2:
    print("FAIL summary %s for %d entries" % (r["summary"], len(r["entries"]))); bad += 1
print("ok   6 application grants, granted from git, usage null" if not bad else "")
sys.exit(1 if bad else 0)
PY

echo "== c. the schema"
"$PY" - "$SRC/schemas/review.schema.json" "$W/review.json" <<'PY' || fail "schema"
import copy, json, sys
import jsonschema
v = jsonschema.Draft7Validator(json.load(open(sys.argv[1])))
good = json.load(open(sys.argv[2]))
bad = 0
for e in list(v.iter_errors(good))[:3]:
    print("FAIL /%s: %s" % ("/".join(map(str, e.absolute_path)), e.message[:200])); bad += 1
for name, f in [("a made-up use", lambda d: d["applications"][0].update(uses=3)),
                ("a last_used", lambda d: d["applications"][0].update(last_used="2026-11-30T09:00:00Z")),
                ("a recommendation", lambda d: d["applications"][0].update(recommendation="remove")),
                ("via without group:", lambda d: d["applications"][0].update(via=["Sales"])),
                ("no application", lambda d: d["applications"][0].pop("application"))]:
    d = copy.deepcopy(good); f(d)
    if not list(v.iter_errors(d)):
        print("FAIL schema accepts %s" % name); bad += 1
print("ok   the review validates; broken application entries are rejected" if not bad else "")
sys.exit(1 if bad else 0)
PY

echo "== d. text, CSV, Markdown, filters, outside git"
"$G" review "$C" --cloudtrail "$W/trail" --as-of 2026-12-01 >"$W/text" 2>/dev/null || fail "text"
contains "$W/text" "Applications (usage not measured):" text
contains "$W/text" "carol  Salesforce   group:Sales" text
"$G" review "$C" --cloudtrail "$W/trail" --as-of 2026-12-01 --format csv >"$W/csv" 2>/dev/null || fail "csv"
contains "$W/csv" ",recommendation,application" csv
contains "$W/csv" "bob,,,,direct,,,,$OLD," csv
[ "$(wc -l <"$W/csv")" -eq 9 ] || fail "csv rows: $(cat "$W/csv")"
"$G" review "$C" --cloudtrail "$W/trail" --as-of 2026-12-01 --format markdown >"$W/md" 2>/dev/null || fail "md"
contains "$W/md" "#### Applications (usage not measured)" markdown
contains "$W/md" "| carol | Salesforce | group:Sales | ${NEW:0:7} 2026-11-20 Jane Roe: carol joins Sales (#7) |" markdown
"$G" review "$C" --cloudtrail "$W/trail" --as-of 2026-12-01 --format html >"$W/html" 2>/dev/null || fail "html"
contains "$W/html" '<table id="applications">' html
"$G" review "$C" --as-of 2026-12-01 --user bob --format json >"$W/bob.json" 2>/dev/null || fail "--user"
"$PY" -c 'import json,sys; a=json.load(open(sys.argv[1]))["applications"]; assert sorted(x["application"] for x in a)==["Salesforce","Wiki"] and {x["user"] for x in a}=={"bob"}, a' \
  "$W/bob.json" || fail "--user bob narrows applications"
"$G" review "$C" --as-of 2026-12-01 --account prod --format json >"$W/prod.json" 2>/dev/null || fail "--account"
"$PY" -c 'import json,sys; r=json.load(open(sys.argv[1])); assert "applications" not in r and len(r["entries"])==2, r' \
  "$W/prod.json" || fail "--account leaves applications out"
cp -R "$C" "$W/nogit" && rm -rf "$W/nogit/.git"
"$G" review "$W/nogit" --as-of 2026-12-01 --format json >"$W/nogit.json" 2>/dev/null || fail "outside git"
"$PY" -c 'import json,sys; a=json.load(open(sys.argv[1]))["applications"]; assert len(a)==6 and all(x["granted"] is None for x in a), a' \
  "$W/nogit.json" || fail "outside git: granted null"

if [ "$failures" -gt 0 ]; then
  echo "review_applications: $failures check(s) failed"
  exit 1
fi
echo "review_applications: all checks passed"
