#!/usr/bin/env bash
# End-to-end (issue 15 with issue 12): scoped plans on the local target, over
# the enterprise example kept in git. A new membership plans exactly that
# membership (and says who gains an application through it, nothing more); a change to an application (or to who is assigned to it) is
# refused with exit 1 and a hint to run a full plan, never shown as "no changes",
# and the directory is left untouched.
# Usage: scoped_plan_local.sh PATH/TO/gatehouse      (exit 77: no git)
set -u
GH=${1:?usage: scoped_plan_local.sh PATH/TO/gatehouse}
GH=$(cd "$(dirname "$GH")" && pwd)/$(basename "$GH")
SRC=${GATEHOUSE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
command -v git >/dev/null || exit 77
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gh-scoped-local.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export GATEHOUSE_NOW=2026-06-01 NO_COLOR=1
CFG=$WORK/config
PY=/usr/bin/python3
FAILURES=0
fail() { echo "FAIL: $*" >&2; FAILURES=$((FAILURES + 1)); }
pass() { echo "ok: $*"; }

cp -r "$SRC/examples/enterprise" "$CFG"
git -C "$CFG" init -q && git -C "$CFG" add -A &&
  git -C "$CFG" -c user.name=t -c user.email=t@example.com commit -qm base || { echo "git failed" >&2; exit 1; }
"$GH" apply "$CFG" --auto-approve </dev/null >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "first apply"; }
DIRFILE=$CFG/.gatehouse/directory.json
BEFORE=$(sha256sum "$DIRFILE" | cut -d' ' -f1)

# 1. One new member: the scoped plan holds that membership and nothing else.
GROUP=DataScientists USER_NAME=amara.okafor
cp "$CFG/groups.yaml" "$WORK/groups.yaml"
sed -i "s/members: \[hugo.martin\]/members: [hugo.martin, $USER_NAME]/" "$CFG/groups.yaml"
"$GH" plan "$CFG" --changed-from HEAD --format json >"$WORK/plan.json" 2>"$WORK/err"
rc=$?
ops=$(python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); print(" ".join(o["action"]+":"+o["kind"] for o in p["changes"]))' "$WORK/plan.json" 2>/dev/null)
if [ "$rc" = 0 ] && [ "$ops" = "create:membership" ] && grep -q "$GROUP/$USER_NAME" "$WORK/plan.json"; then pass "a new member plans exactly one membership ($GROUP/$USER_NAME)"
else cat "$WORK/err"; fail "scoped plan of a new member: rc=$rc operations='$ops'"; fi
"$PY" -c 'import json,sys; assert "application_access_changes" not in json.load(open(sys.argv[1]))' "$WORK/plan.json" &&
  pass "no one gains an application outside the slice" || fail "a scoped plan shows application access changes"
# The same into FinOps, which holds Salesforce: the scoped plan says the user gains it.
sed -i "s/members: \[isha.patel\]/members: [isha.patel, $USER_NAME]/" "$CFG/groups.yaml"
"$GH" plan "$CFG" --changed-from HEAD --format json >"$WORK/plan2.json" 2>"$WORK/err"
"$PY" -c 'import json,sys; a=json.load(open(sys.argv[1]))["application_access_changes"]; assert a==[{"change":"gain","user":sys.argv[2],"application":"Salesforce","via":["FinOps"]}], a' \
  "$WORK/plan2.json" "$USER_NAME" && pass "joining FinOps gains Salesforce, and only that" ||
  { cat "$WORK/err"; fail "scoped plan application access: $(cat "$WORK/plan2.json")"; }
cp "$WORK/groups.yaml" "$CFG/groups.yaml"

# 2. An application change is refused: scoped plans do not cover applications.
check_refused() {  # DESCRIPTION (applications.yaml is changed)
  "$GH" plan "$CFG" --changed-from HEAD >"$WORK/out" 2>"$WORK/err"
  local rc=$?
  if [ "$rc" = 1 ] && grep -q "scoped plan does not cover applications" "$WORK/err" &&
    grep -q "run a full plan" "$WORK/err"; then pass "$1: refused with a hint"
  else cat "$WORK/out" "$WORK/err"; fail "$1: rc=$rc"; fi
}
cp "$CFG/applications.yaml" "$WORK/applications.yaml"
sed -i 's/^  - group: FinOps$/  - group: SecurityAuditors/' "$CFG/applications.yaml"
check_refused "an application assignment changed"
cp "$WORK/applications.yaml" "$CFG/applications.yaml"
sed -i 's/assignment_required: true /assignment_required: false/' "$CFG/applications.yaml"
check_refused "an application's assignment_required changed"

[ "$(sha256sum "$DIRFILE" | cut -d' ' -f1)" = "$BEFORE" ] && pass "the directory is untouched" ||
  fail "the directory changed"
[ "$FAILURES" = 0 ] || { echo "$FAILURES failure(s)" >&2; exit 1; }
