#!/bin/sh
# Runs libFuzzer targets of a fuzz build (make fuzz; fuzz/README.md).
#   fuzz/run.sh BUILD_DIR SECONDS [TARGET...]      default: every target
# Each target runs SECONDS on its corpus (BUILD_DIR/fuzz/corpus/NAME, grown in
# place; seeded by fuzz/seed.sh). Crash inputs go to BUILD_DIR/fuzz/artifacts/.
# Exits 1 when any target found a crash, 77 when a target was not built.
set -u
build=$1 seconds=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
[ $# -gt 0 ] || set -- config_file config_dir iam_policy plan_json state_json aws_response scim_response cloudtrail
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
mkdir -p "$build/fuzz/artifacts"
status=0
for name in "$@"; do
  bin="$build/fuzz/fuzz_$name"
  if [ ! -x "$bin" ]; then
    echo "fuzz: $bin is not built (make fuzz)" >&2
    exit 77
  fi
  corpus="$build/fuzz/corpus/$name"
  [ -d "$corpus" ] || "$here/seed.sh" "$build" >/dev/null
  dict=""
  [ -f "$here/dict/$name.dict" ] && dict="-dict=$here/dict/$name.dict"
  echo "fuzz: $name for ${seconds}s"
  # -rss_limit_mb: a config that makes the compiler use > 2 GiB is a finding too.
  # shellcheck disable=SC2086
  if ! "$bin" "$corpus" $dict -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -max_len=65536 -print_final_stats=1 -artifact_prefix="$build/fuzz/artifacts/$name-" \
      >"$build/fuzz/$name.log" 2>&1; then
    echo "fuzz: $name FAILED; see $build/fuzz/$name.log and $build/fuzz/artifacts/" >&2
    tail -n 40 "$build/fuzz/$name.log" >&2
    status=1
  else
    grep -E '^stat::number_of_executed_units|^#[0-9]+ *DONE' "$build/fuzz/$name.log" | sed "s/^/fuzz: $name: /"
  fi
done
exit $status
