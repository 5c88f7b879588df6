#!/bin/bash
# gatehouse review (EVIDENCE.md) end to end:
#   a. an organization trail with every trap (tests/e2e/review_trail.py): the
#      last-used table, usage and unmatched counts, skipped files, computed
#      independently, equal those of `review --format json`
#   b. git provenance: a grant added inside the window is `too-new`, an old
#      unused one `remove`, a used one `keep`; `granted` names the later of the
#      member line's and the assignment entry's commits; outside git it is null
#   c. the JSON validates against schemas/review.schema.json (and broken ones do not)
#   d. text, CSV, Markdown; filters; settings.evidence as the default source;
#      bad flags are errors; no source means no recommendation
#   e. the HTML page in headless Chromium: every grant, filters, "unused only"
# usage: review.sh BINARY    (exit 77 = skipped: no /usr/bin/chromium, for e only)
set -u
G=$(realpath "$1")
SRC=${GATEHOUSE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
PY=/usr/bin/python3
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
export NO_COLOR=1 GATEHOUSE_NOW=2026-12-01
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
contains() { grep -qF -- "$2" "$1" || { cat "$1"; fail "$3: '$2' not in output"; }; }

C=$W/config
mkdir -p "$C"
cat > "$C/gatehouse.yaml" <<'YAML'
target:
  type: local
accounts:
  - {id: "111111111111", name: prod, environment: production}
  - {id: "222222222222", name: dev, environment: development}
users:
  - {user_name: alice, display_name: Alice A, given_name: Alice, family_name: A, email: alice@example.com}
  - {user_name: bob, display_name: Bob B, given_name: Bob, family_name: B, email: bob@example.com}
  - {user_name: carol, display_name: Carol C, given_name: Carol, family_name: C, email: carol@example.com}
  - {user_name: dave, display_name: Dave D, given_name: Dave, family_name: D, email: dave@example.com}
groups:
  - name: Admins
    members:
      - alice
  - name: Devs
    members:
      - alice
      - bob
permission_sets:
  - {name: Prod_Admin, managed_policies: [AdministratorAccess]}
  - {name: ReadOnly, managed_policies: [ReadOnlyAccess]}
assignments:
  - group: Admins
    permission_set: Prod_Admin
    accounts: [prod]
  - group: Devs
    permission_set: ReadOnly
    accounts: [prod, dev]
  - user: carol
    permission_set: ReadOnly
    accounts: [dev]
YAML

# Git history: the config on 2026-01-10; dave's ReadOnly everywhere on 2026-11-20 (in the window).
git_at() {  # git_at DATE MESSAGE
  GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1" git -C "$C" -c user.name="Jane Roe" -c user.email=jane@example.com \
    commit -qam "$2" || fail "git commit"
}
git -C "$C" init -q && git -C "$C" add gatehouse.yaml && git_at 2026-01-10T09:00:00Z "initial access"
OLD=$(git -C "$C" rev-parse HEAD)
cat >> "$C/gatehouse.yaml" <<'YAML'
  - user: dave
    permission_set: ReadOnly
    accounts: [prod, dev]
YAML
git_at 2026-11-20T15:00:00Z "dave joins (#42)"
NEW=$(git -C "$C" rev-parse HEAD)
"$G" apply "$C" --auto-approve >/dev/null 2>"$W/err" || { cat "$W/err"; fail "apply"; }

echo "== a. the trail's traps, against an independent computation"
"$PY" "$SRC/tests/e2e/review_trail.py" write "$C/.gatehouse/directory.json" "$W/trail" "$W/expected.json" ||
  fail "writing the trail"
"$G" review "$C" --cloudtrail "$W/trail" --since 90d --as-of 2026-12-01T00:00:00Z --format json \
  >"$W/review.json" 2>"$W/err" || { cat "$W/err"; fail "review --format json"; }
"$PY" "$SRC/tests/e2e/review_trail.py" check "$W/expected.json" "$W/review.json" || fail "usage table"
[ "$(grep -c '^warning: skipped ' "$W/err")" -eq 3 ] || { cat "$W/err"; fail "three skipped files reported"; }

echo "== b. provenance and recommendations"
"$PY" - "$W/review.json" "$OLD" "$NEW" <<'PY' || fail "provenance"
import json, sys
r = json.load(open(sys.argv[1]))
old, new = sys.argv[2], sys.argv[3]
e = {(x["user"], x["account_name"], x["permission_set"]): x for x in r["entries"]}
bad = 0
def want(key, commit, rec):
    global bad
    x = e[key]
    got = (x["granted"] or {}).get("commit"), x["recommendation"]
    ok = got == (commit, rec)
    print("%s %s: granted %s, %s" % ("ok  " if ok else "FAIL", key, got[0] and got[0][:7], got[1]))
    bad += not ok
want(("alice", "prod", "Prod_Admin"), old, "keep")
want(("dave", "prod", "ReadOnly"), new, "too-new")
want(("dave", "dave" and "dev", "ReadOnly"), new, "too-new")
want(("bob", "prod", "ReadOnly"), old, "keep")
want(("alice", "dev", "ReadOnly"), old, "remove")
g = e[("dave", "prod", "ReadOnly")]["granted"]
if (g["date"], g["author"], g["subject"]) != ("2026-11-20T15:00:00Z", "Jane Roe", "dave joins (#42)"):
    print("FAIL granted fields: %s" % g); bad += 1
s = r["summary"]
if s["grants"] != 8 or s["used"] + s["remove"] + s["too_new"] != 8 or s["too_new"] != 2:
    print("FAIL summary %s" % s); bad += 1
un = {(u["principal"], u["permission_set"], u["account_id"]) for u in r["unused_assignments"]}
if ("user:dave", "ReadOnly", "111111111111") not in un or ("group:Admins", "Prod_Admin", "111111111111") in un:
    print("FAIL unused assignments %s" % sorted(un)); bad += 1
sys.exit(1 if bad else 0)
PY
# A member line changed later than the assignment: the later commit grants it.
sed -i 's/^      - bob$/      - bob  # on call/' "$C/gatehouse.yaml"
git_at 2026-11-25T08:00:00Z "bob on call"
BOBC=$(git -C "$C" rev-parse HEAD)
"$G" review "$C" --cloudtrail "$W/trail" --as-of 2026-12-01 --user bob --account dev --format json >"$W/bob.json" 2>/dev/null
"$PY" -c 'import json,sys; e=json.load(open(sys.argv[1]))["entries"]; assert [(x["user"],x["granted"]["commit"]) for x in e]==[("bob",sys.argv[2])], e' \
  "$W/bob.json" "$BOBC" || fail "member line commit"
# Outside git: granted null, with a note.
cp -R "$C" "$W/nogit" && rm -rf "$W/nogit/.git"
"$G" review "$W/nogit" --cloudtrail "$W/trail" --as-of 2026-12-01 --format json >"$W/nogit.json" 2>/dev/null
"$PY" -c 'import json,sys; r=json.load(open(sys.argv[1])); assert all(x["granted"] is None for x in r["entries"]) and "not in a git work tree" in r["notes"][0], r["notes"]' \
  "$W/nogit.json" || fail "outside git"

echo "== c. the schema"
"$PY" - "$SRC/schemas/review.schema.json" "$W/review.json" "$W/nogit.json" <<'PY' || fail "schema"
import copy, json, sys
import jsonschema
s = json.load(open(sys.argv[1]))
jsonschema.Draft7Validator.check_schema(s)
v = jsonschema.Draft7Validator(s)
bad = 0
for p in sys.argv[2:]:
    errs = list(v.iter_errors(json.load(open(p))))
    for e in errs[:3]:
        print("FAIL %s: /%s: %s" % (p, "/".join(map(str, e.absolute_path)), e.message[:200]))
    bad += bool(errs)
good = json.load(open(sys.argv[2]))
for name, f in [("recommendation 'maybe'", lambda d: d["entries"][0].update(recommendation="maybe")),
                ("last_used not UTC", lambda d: d["entries"][0].update(last_used="2026-11-01")),
                ("via without group:", lambda d: d["entries"][0].update(via=["Admins"])),
                ("no summary", lambda d: d.pop("summary")),
                ("format_version 2", lambda d: d.update(format_version="2"))]:
    d = copy.deepcopy(good); f(d)
    if not list(v.iter_errors(d)):
        print("FAIL schema accepts %s" % name); bad += 1
print("ok   review outputs validate; broken ones are rejected" if not bad else "")
sys.exit(1 if bad else 0)
PY

echo "== d. text, CSV, Markdown, filters, settings, errors"
"$G" review "$C" --cloudtrail "$W/trail" --as-of 2026-12-01 >"$W/text" 2>/dev/null || fail "text"
contains "$W/text" "Access review, 2026-09-02T00:00:00Z to 2026-12-01T00:00:00Z" text
contains "$W/text" "8 grant(s): " text
contains "$W/text" "2026-11-20 Jane Roe" text
contains "$W/text" "Unused assignments" text
"$G" review "$C" --cloudtrail "$W/trail" --as-of 2026-12-01 --format csv >"$W/csv" 2>/dev/null
[ "$(wc -l <"$W/csv")" -eq 9 ] || fail "csv rows"
contains "$W/csv" "user,account_id,account_name,permission_set,via,privilege,last_used,uses," csv
"$G" review "$C" --cloudtrail "$W/trail" --as-of 2026-12-01 --format markdown >"$W/md" 2>/dev/null
contains "$W/md" "| dave | prod (111111111111) | ReadOnly | direct |" markdown
contains "$W/md" "dave joins (#42)" markdown
"$G" review "$C" --as-of 2026-12-01 --format json >"$W/none.json" 2>/dev/null
"$PY" -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["evidence"]["sources"]==[] and all(x["recommendation"] is None and x["uses"] is None for x in r["entries"]) and r["unused_assignments"]==[]' \
  "$W/none.json" || fail "no source: no recommendation"
mv "$W/trail" "$C/trail"
sed -i '1i settings:\n  evidence:\n    cloudtrail: [trail]' "$C/gatehouse.yaml"
"$G" review "$C" --as-of 2026-12-01T00:00:00Z --format json >"$W/settings.json" 2>/dev/null || fail "settings.evidence"
"$PY" "$SRC/tests/e2e/review_trail.py" check "$W/expected.json" "$W/settings.json" >/dev/null 2>&1 ||
  "$PY" -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["evidence"]["sources"]==["trail"] and r["evidence"]["usage_events"]>0' \
    "$W/settings.json" || fail "settings.evidence as the default source"
"$G" review "$C" --cloudtrail none --as-of 2026-12-01 --format json >"$W/n.json" 2>/dev/null
"$PY" -c 'import json,sys; assert json.load(open(sys.argv[1]))["evidence"]["sources"]==[]' "$W/n.json" || fail "--cloudtrail none"
for args in "--since 3w" "--as-of yesterday" "--cloudtrail $W/missing" "--user nobody"; do
  # shellcheck disable=SC2086
  if "$G" review "$C" $args >/dev/null 2>"$W/err"; then fail "review $args accepted"; fi
  grep -q '^error: ' "$W/err" || { cat "$W/err"; fail "review $args: no error line"; }
done
sed -i 's/cloudtrail: \[trail\]/cloudtrail: [""]/' "$C/gatehouse.yaml"
if "$G" validate "$C" >/dev/null 2>"$W/err"; then fail "an empty evidence source accepted"; fi
contains "$W/err" "gatehouse.yaml:3:" "evidence error location"

echo "== e. the HTML page"
sed -i 's/cloudtrail: \[""\]/cloudtrail: [trail]/' "$C/gatehouse.yaml"
"$G" review "$C" --as-of 2026-12-01 --format html --out "$W/review.html" 2>/dev/null || fail "html"
"$G" review "$C" --as-of 2026-12-01 --format json >"$W/page.json" 2>/dev/null
for external in 'src="http' 'href="http' 'src="//' '@import' 'url('; do
  if grep -qF -- "$external" "$W/review.html"; then fail "review.html references '$external'"; fi
done
if [ "$failures" -gt 0 ]; then
  echo "review: $failures check(s) failed"
  exit 1
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "skip: /usr/bin/chromium is not installed (apt-get install chromium)"
  exit 77
fi
[ -d "$SRC/tests/node_modules/playwright-core" ] || "$SRC/tools/ensure-npm-packages"
timeout 180 node "$SRC/tests/browser/review_report.mjs" "$W/review.html" "$W/page.json" bob || fail "browser"
if [ "$failures" -gt 0 ]; then
  echo "review: $failures check(s) failed"
  exit 1
fi
echo "review: all checks passed"
