#!/bin/sh
# Golden outputs: every command on examples/ and on a sample of the test corpus,
# stdout, stderr and exit code, compared byte for byte with tests/golden/expected.
# They pin behaviour while code moves (architecture refactor): a change here must be
# deliberate. Regenerate with: GOLDEN_UPDATE=1 tests/golden/run.sh build/gatehouse
set -u
gh="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
src="$(cd "$(dirname "$0")/../.." && pwd)"
expected="$src/tests/golden/expected"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export GATEHOUSE_NOW=2026-06-01 NO_COLOR=1
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE
cp -r "$src/examples" "$work/examples"
mkdir -p "$work/corpus" && cp -r "$src/tests/corpus/bad" "$src/tests/corpus/good" "$work/corpus/"
cd "$work"
fails=0 count=0
mkdir -p "$work/actual"

# run NAME CMD...: runs gatehouse with CMD from $work, records out/err/rc.
run() {
  name="$1"; shift
  count=$((count + 1))
  "$gh" "$@" >"$work/actual/$name.out" 2>"$work/actual/$name.err" </dev/null
  echo "$?" >"$work/actual/$name.rc"
  for f in "$work/actual/$name".*; do
    sed -i -e "s#$work#WORK#g" -e "s#$gh#gatehouse#g" "$f"
  done
  for ext in out err rc; do
    if [ "${GOLDEN_UPDATE:-}" = 1 ]; then
      mkdir -p "$expected" && cp "$work/actual/$name.$ext" "$expected/$name.$ext"
    elif ! cmp -s "$work/actual/$name.$ext" "$expected/$name.$ext"; then
      echo "FAIL $name.$ext (gatehouse $*)"
      diff -u "$expected/$name.$ext" "$work/actual/$name.$ext" | head -40
      fails=$((fails + 1))
    fi
  done
}

for ex in startup enterprise; do
  d="examples/$ex"
  run "$ex-validate" validate "$d"
  for f in text json sarif markdown; do run "$ex-lint-$f" lint "$d" --format "$f"; done
  run "$ex-plan-text" plan "$d" --target "local:$ex.json"
  run "$ex-plan-json" plan "$d" --format json --target "local:$ex.json"
  run "$ex-plan-markdown" plan "$d" --format markdown --target "local:$ex.json"
  run "$ex-plan-out" plan "$d" --out "$ex-plan.json" --target "local:$ex.json"
  run "$ex-apply-noconfirm" apply "$d" --target "local:$ex.json"
  run "$ex-apply" apply "$d" --auto-approve --target "local:$ex.json" --audit-log "$ex-audit.jsonl"
  run "$ex-apply-stale" apply "$d" --plan "$ex-plan.json" --target "local:$ex.json"
  run "$ex-plan-converged" plan "$d" --detailed-exitcode --target "local:$ex.json"
  for f in text csv json markdown html; do run "$ex-access-$f" access "$d" --format "$f"; done
  run "$ex-access-live" access "$d" --live --target "local:$ex.json"
  run "$ex-drift-none" drift "$d" --target "local:$ex.json"
  for f in text json csv markdown; do run "$ex-who-can-$f" who-can cloudtrail:StopLogging "$d" --format "$f"; done
  run "$ex-who-can-live" who-can iam:CreateUser "$d" --live --target "local:$ex.json"
done
run "who-can-resource" who-can s3:GetObject examples/enterprise --resource arn:aws:s3:::payments-data/x --environment production --format csv
run "who-can-typo" who-can cloudtrail:StopLoging examples/startup
run "access-user" access examples/enterprise --user ALICE
run "access-user-typo" access examples/enterprise --user alcie
run "lint-explain" lint examples/enterprise --explain privilege-escalation
run "lint-explain-unknown" lint examples/enterprise --explain no-such-rule

# Out-of-band changes: the config moves on, the directory stays.
sed -i "s/members: \\[maya, tom\\]$/members: [maya]/" examples/startup/gatehouse.yaml
for f in text json markdown; do run "drift-$f" drift examples/startup --format "$f" --target local:startup.json; done
# Attribution matches events by AWS ids: another target says so (one warning line), the drift is still shown.
cp -r examples/startup drift-startup
sed -i 's/members: \[maya, tom\]$/members: [maya]/' drift-startup/gatehouse.yaml
run "drift-lookup-local" drift drift-startup --cloudtrail lookup --target local:startup.json
run "plan-after-edit" plan examples/startup --target local:startup.json
run "apply-stale-config" apply examples/startup --plan startup-plan.json --target local:startup.json
run "apply-delete-guard" apply examples/enterprise --auto-approve --target local:startup.json
mkdir -p empty
run "import" import empty --out imported --target local:enterprise.json
run "import-exists" import empty --out imported --target local:enterprise.json
run "import-settings" import examples/enterprise --out imported2 --target local:enterprise.json
for f in $(cd imported && find . -type f | sort); do
  count=$((count + 1))
  n="import-file-$(echo "$f" | tr '/.' '__')"
  sed "s#$work#WORK#g" "imported/$f" >"$work/actual/$n.out"
  if [ "${GOLDEN_UPDATE:-}" = 1 ]; then cp "$work/actual/$n.out" "$expected/$n.out"
  elif ! cmp -s "$work/actual/$n.out" "$expected/$n.out"; then
    echo "FAIL $n"; diff -u "$expected/$n.out" "$work/actual/$n.out" | head -20; fails=$((fails + 1))
  fi
done
run "import-replan" plan imported --detailed-exitcode --target local:enterprise.json

run "schema" schema
run "schema-plan" schema --kind plan
run "help" --help
run "version" --version
run "unknown-command" frobnicate
run "plan-help" plan --help
run "apply-help" apply --help
run "bad-flag" plan --format yaml examples/startup
run "missing-dir" validate no/such/dir

for d in $(cd corpus && ls -d bad/* good/* | sort); do
  n="corpus-$(echo "$d" | tr '/' '-')"
  run "$n" validate "corpus/$d"
done
for d in bad/dup-key-nested-map good/anchors-and-aliases good/selectors-environment; do
  [ -d "corpus/$d" ] || continue
  n="corpus-lint-$(echo "$d" | tr '/' '-')"
  run "$n" lint "corpus/$d" --format json
done

echo "golden: $count outputs, $fails differ"
[ "$fails" = 0 ]
