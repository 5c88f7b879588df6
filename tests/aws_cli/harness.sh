# Shared harness of the AWS end-to-end scripts (tests/e2e/aws_*.sh), sourced
# after GH, SRC, PY, HELPER and FAKE are set: a work dir, a session credential,
# the strict fake started and stopped by PID, run/helper/fake/target_yaml.
if ! "$PY" -c 'import botocore' 2>/dev/null; then
  echo "skip: /usr/bin/python3 cannot import botocore (the fake AWS needs it)"
  exit 77
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/gh-aws-cli.XXXXXX")
FAKE_PIDS=()
cleanup() {
  for pid in "${FAKE_PIDS[@]}"; do
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  if [ "${FAILURES:-1}" -eq 0 ] || [ -n "${KEEP_WORK:-}" ]; then :; fi
  if [ -z "${KEEP_WORK:-}" ]; then rm -rf "$WORK"; else echo "work dir kept: $WORK"; fi
}
trap cleanup EXIT

export GATEHOUSE_NOW=2026-06-01
export NO_COLOR=1
# A session credential, so that both the secret key and the token are checked
# for leaks. The fake accepts it (--access-key) and verifies every signature.
export AWS_ACCESS_KEY_ID=ASIAFAKEGHCLISESSION
export AWS_SECRET_ACCESS_KEY=cli/secret/Key+gatehouse/00000000000000000
export AWS_SESSION_TOKEN=FwoGZXIvYXdzEGHCLISessionTokenFake+/0000000000000000000000
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE AWS_ENDPOINT_URL
export AWS_SHARED_CREDENTIALS_FILE=$WORK/no-credentials AWS_CONFIG_FILE=$WORK/no-config
INSTANCE=arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6
STORE=d-90677b1a2b

FAILURES=0
N=0
fail() { echo "FAIL: $*" >&2; FAILURES=$((FAILURES + 1)); }
pass() { echo "ok: $*"; }
step() { echo; echo "== $*"; }

# run EXPECTED_RC NAME -- ARGS...: gatehouse with stdin from /dev/null; its
# stdout/stderr are kept as $WORK/out/NAME.{out,err} (checked for secrets).
mkdir -p "$WORK/out"
run() {
  local want=$1 name=$2
  shift 3
  OUT=$WORK/out/$name.out ERR=$WORK/out/$name.err
  local t0=$SECONDS
  "$GH" "$@" </dev/null >"$OUT" 2>"$ERR"
  RC=$?
  if [ "$RC" -ne "$want" ]; then
    fail "gatehouse $* : exit $RC, expected $want"
    sed 's/^/  stdout: /' "$OUT" | head -60 >&2
    sed 's/^/  stderr: /' "$ERR" | head -60 >&2
    return 1
  fi
  pass "gatehouse $* (exit $RC, $((SECONDS - t0)) s)"
}

helper() {  # helper.py, failures counted
  $HELPER "$@" || { fail "helper $1"; return 1; }
}

# start_fake NAME [fake_aws.py args]: sets PORT and URL; the fake's PID is kept for the trap.
start_fake() {
  local name=$1
  shift
  local dir=$WORK/$name
  mkdir -p "$dir"
  "$PY" "$FAKE" --port 0 --port-file "$dir/port" --pid-file "$dir/pid" \
    --access-key "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY:$AWS_SESSION_TOKEN" "$@" \
    </dev/null >"$dir/fake.log" 2>&1 &
  FAKE_PIDS+=($!)
  # Up to 60 s: loading botocore's models takes seconds, many more on a loaded
  # machine at nice 19 or beside the sanitizer build (10 s was not enough there).
  for _ in $(seq 1 1200); do
    [ -s "$dir/port" ] && break
    sleep 0.05
  done
  PORT=$(cat "$dir/port" 2>/dev/null)
  if [ -z "$PORT" ]; then
    echo "FAIL: the fake did not start within 60 s" >&2
    cat "$dir/fake.log" >&2
    exit 1
  fi
  URL=http://127.0.0.1:$PORT
  pass "fake AWS '$name' on $URL (pid ${FAKE_PIDS[-1]})"
}

fake() {  # fake METHOD PATH [JSON-FILE]: the fake's control API
  if [ $# -ge 3 ]; then
    curl -sS --fail-with-body -X "$1" -H 'Content-Type: application/json' --data-binary "@$3" "$URL/_fake/$2"
  else
    curl -sS --fail-with-body -X "$1" "$URL/_fake/$2"
  fi
}

target_yaml() {  # target_yaml FILE [discover]
  {
    echo "target:"
    echo "  type: aws"
    echo "  region: us-east-1"
    echo "  instance_arn: $INSTANCE"
    echo "  identity_store_id: $STORE"
    echo "  endpoint_url: $URL"
  } >"$1"
}

