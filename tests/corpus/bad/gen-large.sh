#!/bin/sh
# Generates the "large-file" bad case, which is too big to commit:
#   gen-large.sh OUTDIR   ->   OUTDIR/large-file/{gatehouse.yaml,expect}
# gatehouse.yaml is otherwise-valid YAML (a small config followed by comment
# lines) of 110 MiB, above any sane per-file limit (the spec names "a 100 MB
# file" as bad input). Gatehouse must refuse it quickly (the runner allows
# 10 s) with exit code 1 and an error on line 1 that mentions its size.
# run.sh calls this with a temporary OUTDIR and deletes it afterwards.
set -eu
out=${1:?usage: gen-large.sh OUTDIR}
dir="$out/large-file"
mkdir -p "$dir"
size=$((110 * 1024 * 1024))
{
  printf 'users:\n  - user_name: alice\n    display_name: Alice Liddell\n    given_name: Alice\n    family_name: Liddell\n    email: alice@example.com\n'
  yes '# padding padding padding padding padding padding padding padding padding padding' | head -c "$size"
  printf '\n'
} > "$dir/gatehouse.yaml"
printf '%s\n' 'gatehouse.yaml:1: large|size|limit|too big|bytes|MB|MiB' > "$dir/expect"
