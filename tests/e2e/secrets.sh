#!/usr/bin/env bash
# End-to-end (issue 14 item 6): every command — validate, lint, plan, apply,
# drift, import, access, schema, in every output format — runs with known AWS
# access key, secret key and session token values and a known SCIM token,
# against the strict fake AWS and a real SCIM server, on the success paths and
# the failure paths (wrong secret, wrong token, and servers that echo every
# request header, credentials included, back in their error messages). Then no
# secret may appear in any stdout, stderr, plan file, audit log, import output
# or HTML/Markdown/SARIF report. docs/reliability.md.
# Usage: secrets.sh PATH/TO/gatehouse      (exit 77: no botocore or no node)
set -u

GH=${1:?usage: secrets.sh PATH/TO/gatehouse}
GH=$(cd "$(dirname "$GH")" && pwd)/$(basename "$GH")
SRC=${GATEHOUSE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
PY=/usr/bin/python3
HELPER="$PY $SRC/tests/aws_cli/helper.py"
FAKE=$SRC/tests/fake_aws/fake_aws.py
command -v node >/dev/null 2>&1 || { echo "skip: node is not installed"; exit 77; }
if [ ! -d "$SRC/tests/node_modules/scimmy-routers" ]; then
  echo "FAIL: tests/node_modules has no scimmy-routers; run 'cd tests && npm ci'" >&2
  exit 1
fi

. "$SRC/tests/aws_cli/harness.sh"
# harness.sh exported the session credential (key id, secret, token).
SCIM_TOKEN="scim-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')-secret"
export GH_E2E_SCIM_TOKEN=$SCIM_TOKEN
OTHER_PIDS=()
stop_others() { for pid in "${OTHER_PIDS[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done; }
trap 'stop_others; cleanup' EXIT
REPORTS=$WORK/reports  # every file a command wrote: plans, reports, imports
mkdir -p "$REPORTS"

# every_format NAME-PREFIX CMD CFG FORMATS...: the command once per --format, to stdout and (--out) to a file
every_format() {
  local name=$1 cmd=$2 cfg=$3 want=$4
  shift 4
  for fmt in "$@"; do
    run "$want" "$name-$cmd-$fmt" -- "$cmd" "$cfg" --format "$fmt"
  done
}

all_commands() {  # NAME CFG: every command on a config whose target works
  local name=$1 cfg=$2
  run 0 "$name-validate" -- validate "$cfg"
  run 0 "$name-schema" -- schema
  run 0 "$name-schema-plan" -- schema --kind plan
  for fmt in text json sarif markdown; do
    "$GH" lint "$cfg" --format "$fmt" --out "$REPORTS/$name-lint.$fmt" </dev/null >"$WORK/out/$name-lint-$fmt.out" 2>"$WORK/out/$name-lint-$fmt.err"
  done
  every_format "$name" plan "$cfg" 0 text json markdown
  run 0 "$name-plan-out" -- plan "$cfg" --format json --out "$REPORTS/$name-plan.json"
  run 0 "$name-apply" -- apply "$cfg" --plan "$REPORTS/$name-plan.json" --audit-log "$REPORTS/$name-audit.jsonl"
  run 0 "$name-apply-again" -- apply "$cfg" --auto-approve
  every_format "$name" drift "$cfg" 0 text json markdown
  for fmt in text csv json markdown html; do
    run 0 "$name-access-$fmt" -- access "$cfg" --format "$fmt" --out "$REPORTS/$name-access.$fmt"
    run 0 "$name-access-live-$fmt" -- access "$cfg" --live --format "$fmt" --out "$REPORTS/$name-access-live.$fmt"
  done
  run 0 "$name-import" -- import "$cfg" --out "$REPORTS/$name-imported"
  run 0 "$name-plan-imported" -- plan "$REPORTS/$name-imported"
}

###########################################################################
step "1. AWS target (the strict fake), session credentials"
start_fake main
$HELPER seed >"$WORK/seed.json"
fake POST seed "$WORK/seed.json" >/dev/null || fail "seed"
AWS_CFG=$WORK/aws-config
mkdir -p "$AWS_CFG"
target_yaml "$AWS_CFG/target.yaml"
cat >"$AWS_CFG/org.yaml" <<EOF
settings: {discover_accounts: true, guards: {max_deletes: 100}}
users:
  - {user_name: zoe, given_name: Zoe, family_name: Z, email: zoe@example.com}
groups:
  - {name: Auditors, members: [zoe]}
permission_sets:
  - {name: Audit, session_duration: PT1H, managed_policies: [SecurityAudit]}
EOF
all_commands aws "$AWS_CFG"

step "2. AWS failure paths"
SAVED_SECRET=$AWS_SECRET_ACCESS_KEY SAVED_TOKEN=$AWS_SESSION_TOKEN
AWS_SECRET_ACCESS_KEY="$SAVED_SECRET-wrong" run 1 aws-wrong-secret -- plan "$AWS_CFG"
AWS_SESSION_TOKEN="$SAVED_TOKEN-wrong" run 1 aws-wrong-token -- plan "$AWS_CFG"
AWS_SESSION_TOKEN="$SAVED_TOKEN-wrong" run 1 aws-wrong-token-apply -- apply "$AWS_CFG" --auto-approve
AWS_SESSION_TOKEN="$SAVED_TOKEN-wrong" run 1 aws-wrong-token-import -- import "$AWS_CFG" --out "$REPORTS/aws-wrong-import"
AWS_SESSION_TOKEN="$SAVED_TOKEN-wrong" run 1 aws-wrong-token-access -- access "$AWS_CFG" --live --format html --out "$REPORTS/aws-wrong.html"

# A server that answers every request with an error quoting all its headers
# (the session token is one) and its body.
cat >"$WORK/echo.py" <<'PY'
import http.server, json, sys
class H(http.server.BaseHTTPRequestHandler):
    def reply(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n).decode("utf-8", "replace") if n else ""
        said = "headers: " + " | ".join("%s=%s" % kv for kv in self.headers.items()) + " body: " + body
        if "/scim/" in self.path:
            out = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "400", "detail": said}
            ctype = "application/scim+json"
        else:
            out = {"__type": "ValidationException", "message": said, "Message": said}
            ctype = "application/x-amz-json-1.1"
        data = json.dumps(out).encode()
        self.send_response(400)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = reply
    def log_message(self, *a):
        pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write(str(s.server_address[1]))
s.serve_forever()
PY
rm -f "$WORK/echo.port"
"$PY" "$WORK/echo.py" "$WORK/echo.port" &
OTHER_PIDS+=($!)
for _ in $(seq 1 100); do [ -s "$WORK/echo.port" ] && break; sleep 0.05; done
ECHO_URL=http://127.0.0.1:$(cat "$WORK/echo.port")
ECHO_CFG=$WORK/echo-config
mkdir -p "$ECHO_CFG"
cp "$AWS_CFG"/*.yaml "$ECHO_CFG/"
sed -i "s#endpoint_url: .*#endpoint_url: $ECHO_URL#" "$ECHO_CFG/target.yaml"
run 1 aws-echo-plan -- plan "$ECHO_CFG"
run 1 aws-echo-apply -- apply "$ECHO_CFG" --auto-approve
run 1 aws-echo-drift -- drift "$ECHO_CFG" --format json
run 1 aws-echo-import -- import "$ECHO_CFG" --out "$REPORTS/aws-echo-import"
run 1 aws-echo-access -- access "$ECHO_CFG" --live --format html --out "$REPORTS/aws-echo.html"

###########################################################################
step "3. SCIM users and groups (local main target), bearer token"
rm -f "$WORK/scim.port"
SCIM_TEST_TOKEN=$SCIM_TOKEN node "$SRC/tests/scim/server.mjs" "$WORK/scim.port" >"$WORK/scim.log" 2>&1 &
OTHER_PIDS+=($!)
for _ in $(seq 1 100); do [ -s "$WORK/scim.port" ] && break; sleep 0.1; done
SCIM_URL=http://127.0.0.1:$(cat "$WORK/scim.port")/scim/v2
scim_config() {  # DIR URL
  mkdir -p "$1"
  cat >"$1/main.yaml" <<YAML
target:
  type: local
  users_and_groups:
    scim: {url: "$2", token_env: GH_E2E_SCIM_TOKEN}
accounts:
  - {id: "111111111111", name: payments-prod}
users:
  - {user_name: alice, given_name: Alice, family_name: Liddell, email: alice@example.com}
groups:
  - {name: Everyone, members: [alice]}
permission_sets:
  - {name: ReadOnly, session_duration: PT1H, managed_policies: [ReadOnlyAccess]}
assignments:
  - {group: Everyone, permission_set: ReadOnly, accounts: [payments-prod]}
YAML
}
scim_config "$WORK/scim-config" "$SCIM_URL"
all_commands scim "$WORK/scim-config"
GH_E2E_SCIM_TOKEN="$SCIM_TOKEN-wrong" run 1 scim-wrong-token -- plan "$WORK/scim-config"
GH_E2E_SCIM_TOKEN="$SCIM_TOKEN-wrong" run 1 scim-wrong-token-access -- access "$WORK/scim-config" --live
scim_config "$WORK/scim-echo" "$ECHO_URL/scim/v2"
run 1 scim-echo-plan -- plan "$WORK/scim-echo"
run 1 scim-echo-apply -- apply "$WORK/scim-echo" --auto-approve
run 1 scim-echo-import -- import "$WORK/scim-echo" --out "$REPORTS/scim-echo-import"

###########################################################################
step "4. no secret anywhere"
# The audit logs of the default place, the config folders and the reports.
cp -r "$AWS_CFG/.gatehouse" "$REPORTS/aws-gatehouse" 2>/dev/null
cp -r "$WORK/scim-config/.gatehouse" "$REPORTS/scim-gatehouse" 2>/dev/null
ls "$REPORTS"/aws-audit.jsonl "$REPORTS"/aws-access.html "$REPORTS"/scim-access-live.html "$REPORTS"/aws-imported >/dev/null ||
  fail "a report is missing"
"$PY" - "$WORK/out" "$REPORTS" <<PY && pass "no secret in $(find "$WORK/out" "$REPORTS" -type f | wc -l) outputs, plans, audit logs, imports and reports" || fail "a secret leaked"
import os, sys
secrets = {"AWS access key id": "$AWS_ACCESS_KEY_ID", "AWS secret key": "$AWS_SECRET_ACCESS_KEY",
           "AWS session token": "$AWS_SESSION_TOKEN", "SCIM token": "$SCIM_TOKEN"}
bad = []
for top in sys.argv[1:]:
    for root, _, files in os.walk(top):
        for fn in files:
            data = open(os.path.join(root, fn), "rb").read()
            for what, s in secrets.items():
                if s.encode() in data:
                    bad.append("%s in %s" % (what, os.path.join(root, fn)))
for b in bad[:20]:
    print("  " + b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY

[ "$FAILURES" -eq 0 ] || { echo "$FAILURES failure(s)" >&2; exit 1; }
echo "all secret checks passed"
