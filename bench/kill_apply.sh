#!/bin/sh
# kill -9 mid-apply on a large generated org (docs/reliability.md):
#   bench/kill_apply.sh PATH/TO/gatehouse [SCALE] [KILLS]
# builds the org of bench/gen_config.py at SCALE (default 1: 50,000 users,
# 10,000 groups, ~103,000 assignments) and applies it to an empty local
# directory, killing the apply with SIGKILL KILLS times (default 10) at random
# moments (three kills, then a rerun to the end, per round); after every kill
# the directory file parses (old or new, never torn), and every rerun takes
# over the dead apply's lock, converges (plan: no changes) and equals an
# uninterrupted apply. At scale 1: ~21 minutes and a peak of 6.9 GB resident
# for one process (measured; docs/reliability.md).
set -eu
gh=${1:?usage: bench/kill_apply.sh PATH/TO/gatehouse [SCALE] [KILLS]}
here=$(cd "$(dirname "$0")/.." && pwd)
exec /usr/bin/python3 "$here/tests/reliability/kill_apply.py" "$gh" --only local --from-empty \
  --scale "${2:-1}" --local-kills "${3:-10}"
