#!/usr/bin/env bash
# Apply throughput of the AWS target against the strict fake with its rate
# limit (20 requests/s per API family, as Identity Center's quotas): an apply
# of N users + N memberships (~2N operations, default N=1000) from an empty
# Identity Center, timed, against the theoretical minimum
# max over API families of (requests of the family / rate).
# MODE assignments: 10 groups x 10 permission sets x N/100 accounts group
# assignments (asynchronous creations, polled; <= 15 in flight) instead.
# Also prints the ratio against N/RATE: the plan's operations on its busiest
# API family (N assignments, or N users + N memberships) at one request each.
# Environment: ASYNC_DELAY (s, default 1.0: the fake completes an assignment
# creation that long after the call, as real Identity Center takes seconds),
# PARALLELISM (apply --parallelism; default: the CLI's).
# With ≤ 15 creations in flight the service itself bounds an apply of N
# assignments to ≥ N·ASYNC_DELAY/15 s, printed as the "in-flight floor".
# Usage: bench/aws_apply.sh PATH/TO/gatehouse [N] [RATE] [users|assignments]
set -u
GH=${1:?usage: bench/aws_apply.sh PATH/TO/gatehouse [N] [RATE] [users|assignments]}
GH=$(cd "$(dirname "$GH")" && pwd)/$(basename "$GH")
N=${2:-1000}
RATE=${3:-20}
MODE=${4:-users}
ASYNC_DELAY=${ASYNC_DELAY:-1.0}
PARALLELISM=${PARALLELISM:-}
SRC=$(cd "$(dirname "$0")/.." && pwd)
PY=/usr/bin/python3
HELPER="$PY $SRC/tests/aws_cli/helper.py"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gh-aws-bench.XXXXXX")
FAKE_PID=""
cleanup() {
  [ -n "$FAKE_PID" ] && { kill "$FAKE_PID" 2>/dev/null; wait "$FAKE_PID" 2>/dev/null; }
  rm -rf "$WORK"
}
trap cleanup EXIT
export NO_COLOR=1 GATEHOUSE_NOW=2026-06-01
export AWS_ACCESS_KEY_ID=AKIAFAKEGATEHOUSE000 AWS_SECRET_ACCESS_KEY=fake/secret/gatehouse/0000000000000000000
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_ENDPOINT_URL

"$PY" "$SRC/tests/fake_aws/fake_aws.py" --port 0 --port-file "$WORK/port" --pid-file "$WORK/pid" \
  --rate-limit "$RATE" --page-size 100 --async-delay "$ASYNC_DELAY" </dev/null >"$WORK/fake.log" 2>&1 &
FAKE_PID=$!
for _ in $(seq 1 200); do [ -s "$WORK/port" ] && break; sleep 0.05; done
URL=http://127.0.0.1:$(cat "$WORK/port")
CFG=$WORK/config
if [ "$MODE" = assignments ]; then
  $HELPER big-assignments "$CFG" 10 10 $(( (N + 99) / 100 )) >"$WORK/seed.json"
  WHAT="$(( (N + 99) / 100 * 100 )) group assignments (10 groups x 10 sets x $(( (N + 99) / 100 )) accounts)"
else
  $HELPER big-config "$CFG" "$N"
  echo '{"instance":{"arn":"arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6","identity_store_id":"d-90677b1a2b"}}' >"$WORK/seed.json"
  WHAT="$N users, $N memberships, $(( (N + 99) / 100 )) groups"
fi
curl -sS -X POST -H 'Content-Type: application/json' --data-binary "@$WORK/seed.json" "$URL/_fake/seed" >/dev/null
cat >"$CFG/target.yaml" <<EOF
target:
  type: aws
  region: us-east-1
  instance_arn: arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6
  identity_store_id: d-90677b1a2b
  endpoint_url: $URL
EOF

stats() { curl -sS "$URL/_fake/stats" >"$WORK/stats-$1.json"; }

echo "== plan ($WHAT; fake --rate-limit $RATE/s per family, --async-delay $ASYNC_DELAY s)"
t0=$(date +%s.%N)
"$GH" plan "$CFG" --out "$WORK/plan.json" >"$WORK/plan.out" 2>&1 || { cat "$WORK/plan.out"; exit 1; }
t1=$(date +%s.%N)
PLAN_S=$(echo "$t1 - $t0" | bc)
stats plan

echo "== apply --plan${PARALLELISM:+ --parallelism $PARALLELISM}"
t0=$(date +%s.%N)
"$GH" apply "$CFG" --plan "$WORK/plan.json" ${PARALLELISM:+--parallelism "$PARALLELISM"} \
  >"$WORK/apply.out" 2>"$WORK/apply.err"
echo "apply exit $?: $(tail -1 "$WORK/apply.out")"
t1=$(date +%s.%N)
APPLY_S=$(echo "$t1 - $t0" | bc)
stats apply
"$GH" plan "$CFG" --detailed-exitcode >/dev/null 2>&1
echo "re-plan --detailed-exitcode: exit $? (0 = converged)"

"$PY" - "$WORK/plan.json" "$WORK/stats-plan.json" "$WORK/stats-apply.json" "$PLAN_S" "$APPLY_S" "$RATE" \
  "$ASYNC_DELAY" <<'PYEOF'
import json, sys
def fam(st):
    f = {}
    for op, c in st["requests"].items():
        k = op.split(".")[0]
        f[k] = f.get(k, 0) + c
    return f
plan = json.load(open(sys.argv[1]))
sp, sa = json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
plan_s, apply_s, rate = float(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
fp, fa = fam(sp), fam(sa)
fd = {k: fa.get(k, 0) - fp.get(k, 0) for k in fa}
ops = {}
for c in plan["changes"]:
    ops[c["kind"]] = ops.get(c["kind"], 0) + 1
print("operations in the plan: %d %s" % (len(plan["changes"]), json.dumps(ops)))
print("plan:  %.1f s, requests per family %s; minimum %.1f s" % (plan_s, json.dumps(fp), max(fp.values()) / rate))
best = max(fd.values()) / rate
print("apply: %.1f s, requests per family %s (incl. its re-read); minimum at %g/s: %.1f s; ratio %.2fx"
      % (apply_s, json.dumps(fd), rate, best, apply_s / best))
ops_d = {k: v - sp["requests"].get(k, 0) for k, v in sa["requests"].items() if v - sp["requests"].get(k, 0)}
print("apply requests by operation: %s" % json.dumps(dict(sorted(ops_d.items(), key=lambda kv: -kv[1]))))
# N/RATE: the operations of the plan's busiest family at one request each.
family = {"user": "identitystore", "group": "identitystore", "membership": "identitystore",
          "permission_set": "sso-admin", "assignment": "sso-admin"}
per_family = {}
for kind, count in ops.items():
    f = family.get(kind, kind)
    per_family[f] = per_family.get(f, 0) + count
busiest = max(per_family, key=per_family.get)
n = per_family[busiest]
print("N/RATE: %d %s operations / %g/s = %.1f s; apply %.1f s = %.2fx N/RATE"
      % (n, busiest, rate, n / rate, apply_s, apply_s * rate / n))
delay = float(sys.argv[7])
if ops.get("assignment"):
    print("in-flight floor (<= 15 creations in flight, %.1f s each): %.1f s"
          % (delay, ops["assignment"] * delay / 15))
print("fake: throttled %d, rate_limited %d, validation %d, signature %d"
      % (sa["throttled"], sa["rate_limited"], sa["validation"], sa["signature"]))
PYEOF
