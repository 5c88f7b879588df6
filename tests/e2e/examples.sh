#!/bin/bash
# The examples in examples/ work end to end against the local target:
# validate, plan, apply, converge, a one-line edit becomes exactly one change,
# drift notices it, and a saved plan goes stale when the config or the live
# directory changes after it was made.
# Usage: tests/e2e/examples.sh BINARY   (GATEHOUSE_SOURCE_DIR: the source tree)
set -u

BIN=$1
SRC=${GATEHOUSE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
export NO_COLOR=1 GATEHOUSE_NOW=2026-06-01

TMP=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-examples.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

# expect_rc WANT DESCRIPTION -- COMMAND...: runs COMMAND (stdout to $TMP/out,
# stderr to $TMP/err) and checks its exit code.
expect_rc() {
  local want=$1 what=$2
  shift 3
  "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
  local rc=$?
  if [ "$rc" -eq "$want" ]; then
    echo "ok   $what (exit $rc)"
  else
    fail "$what: exit $rc, want $want; stderr: $(head -c 400 "$TMP/err" | tr '\n' ' ') stdout: $(head -c 400 "$TMP/out" | tr '\n' ' ')"
  fi
  return 0
}

# Adds one user to one group in the config at $1 (a declared user not yet in
# the first group that lacks someone) and prints "GROUP USER".
add_member() {
  "$PY" - "$1" <<'PY'
import os, re, sys
root = sys.argv[1]
files = []
for dirpath, dirs, names in os.walk(root):
    dirs[:] = sorted(d for d in dirs if not d.startswith("."))
    files += [os.path.join(dirpath, n) for n in sorted(names) if n.endswith((".yaml", ".yml"))]
text = {p: open(p, encoding="utf-8").read() for p in files}
users = [u for p in files for u in re.findall(r"^\s*- user_name: (\S+)", text[p], re.M)]
pat = re.compile(r"^(\s*- name: (\S+)\n(?:\s+\w+: .*\n)*?\s+members: \[)([^\]]*)\]", re.M)
for p in files:
    for m in pat.finditer(text[p]):
        members = [x.strip() for x in m.group(3).split(",")]
        missing = [u for u in users if u not in members]
        if missing:
            new = m.group(1) + m.group(3) + ", " + missing[0] + "]"
            open(p, "w", encoding="utf-8").write(text[p][:m.start()] + new + text[p][m.end():])
            print(m.group(2), missing[0])
            sys.exit(0)
sys.exit("no group to add a member to")
PY
}

# Changes the first permission set description in the config at $1.
edit_description() {
  "$PY" - "$1" <<'PY'
import os, re, sys
for dirpath, dirs, names in os.walk(sys.argv[1]):
    dirs[:] = sorted(d for d in dirs if not d.startswith("."))
    for n in sorted(names):
        p = os.path.join(dirpath, n)
        if not n.endswith(".yaml"):
            continue
        t = open(p, encoding="utf-8").read()
        new, k = re.subn(r"(permission_sets:\n(?:.*\n)*?\s+description: )(.*)", r"\1\2 (revised)", t, count=1)
        if k:
            open(p, "w", encoding="utf-8").write(new)
            sys.exit(0)
sys.exit("no permission set description to edit")
PY
}

n_examples=0
for d in "$SRC"/examples/*/; do
  d=${d%/}
  name=$(basename "$d")
  [ "$name" = ci ] && continue
  compgen -G "$d/*.yaml" >/dev/null || continue  # not a config (examples/startup-trail: CloudTrail logs)
  n_examples=$((n_examples + 1))
  echo "== examples/$name"
  work="$TMP/$name/config"
  live="$TMP/$name/dir.json"
  mkdir -p "$TMP/$name"
  cp -R "$d" "$work"
  rm -rf "$work/.gatehouse"
  T="--target=local:$live"

  expect_rc 0 "validate" -- "$BIN" validate "$work"
  expect_rc 2 "plan against an empty directory shows changes" -- "$BIN" plan "$work" --detailed-exitcode "$T"
  [ -e "$live" ] && fail "plan wrote the live directory file"
  expect_rc 0 "apply --auto-approve" -- "$BIN" apply "$work" --auto-approve "$T"
  expect_rc 0 "plan after apply: converged" -- "$BIN" plan "$work" --detailed-exitcode "$T"
  expect_rc 0 "drift after apply: none" -- "$BIN" drift "$work" "$T"

  # One edit, one change.
  if read -r group user < <(add_member "$work") && [ -n "${user:-}" ]; then
    echo "ok   edit: add $user to group $group"
    expect_rc 2 "plan after the edit shows changes" -- "$BIN" plan "$work" --detailed-exitcode --format json "$T"
    "$PY" - "$TMP/out" "$group" "$user" <<'PY' || fail "the plan is not exactly that one membership"
import json, sys
plan = json.load(open(sys.argv[1]))
group, user = sys.argv[2], sys.argv[3]
changes = [(c["kind"], c["action"], c["after"]) for c in plan["changes"]]
want = [("membership", "create", {"group": group, "user": user})]
if changes != want:
    print("FAIL plan changes: %r, want %r" % (changes, want))
    sys.exit(1)
if plan["summary"] != {"create": 1, "update": 0, "delete": 0, "replace": 0}:
    print("FAIL summary %r" % plan["summary"])
    sys.exit(1)
gained = [(a["change"], a["user"]) for a in plan["access_changes"]]
if any(g != ("gain", user) for g in gained):
    print("FAIL access changes %r: only %s should gain access" % (gained, user))
    sys.exit(1)
print("ok   the plan is exactly: membership create %s/%s (%d access gains)" % (group, user, len(gained)))
PY
    expect_rc 2 "drift notices the edit" -- "$BIN" drift "$work" "$T"
    expect_rc 0 "apply the edit" -- "$BIN" apply "$work" --auto-approve "$T"
    expect_rc 0 "drift after apply: none" -- "$BIN" drift "$work" "$T"
  else
    fail "could not add a member to a group in examples/$name"
  fi

  # A saved plan refuses to run once the config changed after it was made.
  edit_description "$work" || fail "could not edit a description"
  expect_rc 0 "plan --out p.json" -- "$BIN" plan "$work" --out "$TMP/$name/p.json" "$T"
  cp -R "$work" "$TMP/$name/planned-config"
  cp "$live" "$TMP/$name/live-before.json"
  add_member "$work" >/dev/null || fail "could not make a second edit"
  expect_rc 1 "apply --plan after a config edit is refused" -- "$BIN" apply "$work" --plan "$TMP/$name/p.json" "$T"
  if grep -qi stale "$TMP/err" "$TMP/out"; then echo "ok   the refusal says the plan is stale"; else fail "the refusal does not mention 'stale'"; fi
  cmp -s "$live" "$TMP/$name/live-before.json" && echo "ok   the live directory is untouched" ||
    fail "a refused plan changed the live directory"

  # ... and once the live directory changed after it was made.
  rm -rf "$work" && cp -R "$TMP/$name/planned-config" "$work"
  other="$TMP/$name/other-config"
  cp -R "$work" "$other"
  add_member "$other" >/dev/null || fail "could not edit the other config"
  expect_rc 0 "another apply changes the live directory" -- "$BIN" apply "$other" --auto-approve "$T"
  expect_rc 1 "apply --plan after a live change is refused" -- "$BIN" apply "$work" --plan "$TMP/$name/p.json" "$T"
  if grep -qi stale "$TMP/err" "$TMP/out"; then echo "ok   the refusal says the plan is stale"; else fail "the refusal does not mention 'stale'"; fi

  # The fresh saved plan applies and converges.
  expect_rc 0 "plan --out a fresh plan" -- "$BIN" plan "$work" --out "$TMP/$name/p2.json" "$T"
  expect_rc 0 "apply --plan with the fresh plan" -- "$BIN" apply "$work" --plan "$TMP/$name/p2.json" "$T"
  expect_rc 0 "converged" -- "$BIN" plan "$work" --detailed-exitcode "$T"
done

[ "$n_examples" -ge 2 ] || fail "expected at least examples/startup and examples/enterprise, found $n_examples"
if [ "$failures" -gt 0 ]; then
  echo "examples: $failures check(s) failed"
  exit 1
fi
echo "examples: all checks passed ($n_examples examples)"
