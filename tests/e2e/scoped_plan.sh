#!/bin/sh
# End-to-end (issue 15): scoped plans against the strict fake at 20 requests/s,
# at a small scale (bench/scoped_plan.py --check): a generated org seeded
# directly into the fake and committed in git; one new member and one new group
# assignment; `plan --changed-from HEAD` shows exactly those two changes in at
# most 100 calls with no request rejected; `apply --plan` changes exactly them
# and nothing else; then removing a membership and an assignment entry plans two
# deletes in the slice only, and out-of-band drift elsewhere stays untouched.
# Then (issue 13 item 4, bench/aws_read_cost.py --check) the full read of a
# 100-user org converges with no request rejected, within 5% of the calls of
# runtime/aws/README.md's formula.
# Usage: scoped_plan.sh PATH/TO/gatehouse      (exit 77: no botocore for the fake)
set -eu
GH=$(realpath "$1")
SRC=${GATEHOUSE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
/usr/bin/python3 -c 'import botocore' 2>/dev/null || exit 77
command -v git >/dev/null || exit 77
/usr/bin/python3 "$SRC/bench/scoped_plan.py" "$GH" --scale 0.01 --check
exec /usr/bin/python3 "$SRC/bench/aws_read_cost.py" "$GH" --users 100 --groups 10 --sets 4 --accounts 6 --entries 6 \
  --check
