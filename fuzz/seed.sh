#!/bin/sh
# Builds the seed corpora of the fuzzers into BUILD_DIR/fuzz/corpus/NAME from
# examples/ and the test data (nothing binary is committed):
#   config_file  every YAML file of examples/ and tests/corpus (good and bad)
#   config_dir   each config directory of examples/ and tests/corpus/good, its
#                files joined with the "#---8<---" separator the fuzzer splits at
#   iam_policy   JSON policies of examples/, tests/corpus, tests/iam and the
#                IAM test sources' raw-string documents
#   plan_json    saved plans (plan --format json of the examples, from the
#                golden outputs) and the plan test's JSON
#   state_json   local directory files of examples/ and tests/
#   aws_response  conversations (fuzz/replay_transport.h) of AWS JSON answers:
#                the raw-string bodies of tests/aws/*.cc, and a read, a lock
#                wait and create-or-adopt written in the fake AWS's shapes
#   scim_response conversations of SCIM answers in tests/scim's shapes
#   cloudtrail   the trail files tests/e2e/review_trail.py and
#                examples/gen-startup-trail.py write (plain, gzip, the text in the
#                gzip) and their records as LookupEvents answers (seed_cloudtrail.py)
# Usage: fuzz/seed.sh BUILD_DIR
set -eu
build=$1
src=$(cd "$(dirname "$0")/.." && pwd)
out="$build/fuzz/corpus"
mkdir -p "$out/config_file" "$out/config_dir" "$out/iam_policy" "$out/plan_json" "$out/state_json" \
  "$out/aws_response" "$out/scim_response" "$out/cloudtrail"

# Files are named by content hash, as libFuzzer names them, so reseeding is idempotent.
add() {  # add CORPUS FILE
  [ -f "$2" ] || return 0
  h=$(sha1sum < "$2" | cut -c1-40)
  cp "$2" "$1/$h"
}

# tests/corpus/bad holds symlink loops: never follow links (find -P, the default).
find "$src/examples" "$src/tests/corpus" -type f \( -name '*.yaml' -o -name '*.yml' \) -size -256k |
  while read -r f; do add "$out/config_file" "$f"; done

sep='#---8<---'
for dir in "$src"/examples/*/ "$src"/tests/corpus/good/*/ "$src"/tests/corpus/bad/multi-*/; do
  [ -d "$dir" ] || continue
  tmp=$(mktemp)
  n=0
  for f in $(find "$dir" -type f \( -name '*.yaml' -o -name '*.yml' \) | sort | head -n 2); do
    [ $n -gt 0 ] && echo "$sep" >>"$tmp"
    cat "$f" >>"$tmp"
    n=$((n + 1))
  done
  pol=$(find "$dir" -type f -name '*.json' | head -n 1)
  if [ -n "$pol" ]; then
    [ $n -ge 2 ] || { echo "$sep" >>"$tmp"; }
    echo "$sep" >>"$tmp"
    cat "$pol" >>"$tmp"
  fi
  add "$out/config_dir" "$tmp"
  rm -f "$tmp"
done

find "$src/examples" "$src/tests/corpus" "$src/tests/iam" -type f -name '*.json' -size -64k |
  grep -v expected-assignments | while read -r f; do add "$out/iam_policy" "$f"; done
# Policy documents written inline in the IAM tests: R"( {...} )" raw strings.
python3 - "$src/tests/iam" "$out/iam_policy" <<'PY'
import hashlib, pathlib, re, sys
src, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
for f in src.glob("*.cc"):
    for m in re.finditer(r'R"(\w*)\((.*?)\)\1"', f.read_text(errors="replace"), re.S):
        body = m.group(2)
        if "Statement" in body:
            (out / hashlib.sha1(body.encode()).hexdigest()).write_text(body)
PY

# Saved plans: the golden outputs of `plan --format json` (the examples) and the plan tests.
grep -rl '"format_version"' "$src/tests/golden/expected" 2>/dev/null | while read -r f; do
  if grep -q '"changes"' "$f"; then add "$out/plan_json" "$f"; fi
  if grep -q '"permission_sets"' "$f" && ! grep -q '"changes"' "$f"; then add "$out/state_json" "$f"; fi
done
find "$src/examples" "$src/tests" -type f -name '*.json' -size -1M 2>/dev/null | grep -v '/corpus/bad/' |
  while read -r f; do
    if grep -q '"live_fingerprint"' "$f"; then add "$out/plan_json" "$f"; fi
    if grep -q '"format_version"' "$f" && grep -q '"assignments"' "$f"; then add "$out/state_json" "$f"; fi
  done
# Minimal hand-written seeds so every corpus is non-empty.
printf '{"format_version":"1","config_digest":"","live_fingerprint":"","changes":[],"notes":[]}' >"$out/plan_json/min"
printf '{"format_version":"1","users":[{"user_name":"a","id":"u1"}],"groups":[{"name":"g","id":"g1"}],"memberships":[{"group_id":"g1","user_id":"u1"}],"permission_sets":[{"name":"p","arn":"arn:p","managed_policies":["x"],"tags":{"k":"v"}}],"assignments":[]}' >"$out/state_json/min"

python3 "$src/fuzz/seed_responses.py" "$src" "$out"
python3 "$src/fuzz/seed_cloudtrail.py" "$src" "$out"

for c in config_file config_dir iam_policy plan_json state_json aws_response scim_response cloudtrail; do
  echo "seed: $c $(find "$out/$c" -type f | wc -l) inputs"
done
