#!/usr/bin/env bash
# End-to-end: drift attribution from CloudTrail (EVIDENCE.md "Attribution in
# gatehouse drift") through the real gatehouse binary, against the strict fake
# AWS (tests/fake_aws, which records every write with the caller's identity):
#   1. import an existing Identity Center; drift with no drift makes no
#      LookupEvents call
#   2. out-of-band changes with a second identity (a human in an
#      AWSReservedSSO role): a membership, an assignment, a permission set
#      policy; one by the deployer's own credentials; one the identity
#      provider made through SCIM (an injected record); an application
#      assignment removed (DeleteApplicationAssignment) and an application's
#      assignment_required flipped (PutApplicationAssignmentConfiguration)
#   3. drift names who made each change, when and with which event, in JSON
#      (valid against schemas/plan.schema.json), text and Markdown; within
#      2 LookupEvents requests/s (the fake throttles above: none throttled)
#   4. a fake that allows 1 request/s and pages of 1 event: throttling is
#      survived, the attribution is the same
#   5. --cloudtrail none: no LookupEvents call, same exit code, no attribution
#   6. credentials without cloudtrail:LookupEvents: one warning line, same
#      exit code, no attribution
#   7. review --cloudtrail lookup shows injected usage
#   8. drift --cloudtrail DIR: the fake's records as trail files (gzip, a
#      duplicate, an IAM user's call, corrupt files, a digest): the same
#      attribution, no LookupEvents call, one warning per corrupt file
#   9. settings.evidence.cloudtrail is drift's and review's default; a flag
#      wins; `none` in the settings turns attribution off
# No request is rejected by the fake's model validation or SigV4 check; no
# secret in any output.
# Usage: aws_attribution.sh PATH/TO/gatehouse      (exit 77: no botocore for the fake)
set -u

GH=${1:?usage: aws_attribution.sh PATH/TO/gatehouse}
GH=$(cd "$(dirname "$GH")" && pwd)/$(basename "$GH")
SRC=${GATEHOUSE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
PY=/usr/bin/python3
HELPER="$PY $SRC/tests/aws_cli/helper.py"
FAKE=$SRC/tests/fake_aws/fake_aws.py

. "$SRC/tests/aws_cli/harness.sh"

DEPLOYER_ARN=arn:aws:sts::111111111111:assumed-role/gatehouse-deployer/github-actions
HUMAN_ARN=arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_AdministratorAccess_1a2b3c4d5e6f7a8b/maya@example.com
export DEPLOYER_ARN HUMAN_ARN

# seed_with_identities FILE: the aws_cli seed, the deployer (the harness's
# session key) as a role session, the human, and an auditor key without
# cloudtrail:LookupEvents.
seed_with_identities() {
  $HELPER seed | "$PY" -c '
import json, os, sys
s = json.load(sys.stdin)
s["credentials"] = [
    {"access_key_id": os.environ["AWS_ACCESS_KEY_ID"], "secret_access_key": os.environ["AWS_SECRET_ACCESS_KEY"],
     "session_token": os.environ["AWS_SESSION_TOKEN"], "arn": os.environ["DEPLOYER_ARN"]},
    {"access_key_id": "ASIAHUMANOUTOFBAND01", "secret_access_key": "human/secret/00000000000000",
     "session_token": "human-session-token-0000", "arn": os.environ["HUMAN_ARN"]},
    {"access_key_id": "AKIAAUDITORNOTRAIL01", "secret_access_key": "auditor/secret/000000000000",
     "arn": "arn:aws:iam::111111111111:user/auditor", "cloudtrail": False}]
s["applications"] = [{"Name": "Salesforce", "AssignmentRequired": True}, {"Name": "Wiki", "AssignmentRequired": True}]
s["application_assignments"] = [{"application": "Salesforce", "group": "Admins"},
                                {"application": "Wiki", "user": "dave"}]
json.dump(s, sys.stdout)' >"$1"
}

# lookups: LookupEvents requests the fake has served so far.
lookups() {
  fake GET stats | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["requests"].get("cloudtrail.LookupEvents", 0))'
}

# out_of_band URL: the changes made outside gatehouse (botocore, signed).
out_of_band() {
  "$PY" - "$1" "$SRC/third_party/aws-models" <<'PYEOF'
import json, os, sys, urllib.request
import botocore.session
url = sys.argv[1]
state = json.load(urllib.request.urlopen(url + "/_fake/state"))
INST, IS = state["instance"]["arn"], state["instance"]["identity_store_id"]
gid = {g["DisplayName"]: g["GroupId"] for g in state["groups"]}
uid = {u["UserName"]: u["UserId"] for u in state["users"]}
arn = {p["Name"]: p["PermissionSetArn"] for p in state["permission_sets"]}
def client(service, key, secret, token):
    session = botocore.session.get_session()
    session.get_component("data_loader").search_paths.insert(0, sys.argv[2])  # Debian's may lack the application APIs
    return session.create_client(
        service, region_name="us-east-1", endpoint_url=url, aws_access_key_id=key,
        aws_secret_access_key=secret, aws_session_token=token)
human = ("ASIAHUMANOUTOFBAND01", "human/secret/00000000000000", "human-session-token-0000")
deployer = (os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"], os.environ["AWS_SESSION_TOKEN"])
ids, sso = client("identitystore", *human), client("sso-admin", *human)
# the human: bob into Admins, bob's DevOps on 444444444444 removed, ReadOnly gets an inline policy
ids.create_group_membership(IdentityStoreId=IS, GroupId=gid["Admins"], MemberId={"UserId": uid["bob"]})
sso.delete_account_assignment(InstanceArn=INST, TargetId="444444444444", TargetType="AWS_ACCOUNT",
                              PermissionSetArn=arn["DevOps"], PrincipalType="USER", PrincipalId=uid["bob"])
sso.put_inline_policy_to_permission_set(InstanceArn=INST, PermissionSetArn=arn["ReadOnly"], InlinePolicy=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}))
# the human takes Admins off Salesforce; the deployer's credentials open Wiki to everyone
app = {a["Name"]: a["ApplicationArn"] for a in state["applications"]}
sso.delete_application_assignment(ApplicationArn=app["Salesforce"], PrincipalId=gid["Admins"], PrincipalType="GROUP")
client("sso-admin", *deployer).put_application_assignment_configuration(ApplicationArn=app["Wiki"],
                                                                         AssignmentRequired=False)
# the deployer's own credentials, by hand: carol into Auditors
client("identitystore", *deployer).create_group_membership(
    IdentityStoreId=IS, GroupId=gid["Auditors"], MemberId={"UserId": uid["carol@example.com"]})
# dave leaves Auditors; then the identity provider's SCIM sync touches the group (newer)
mid = client("identitystore", *deployer).get_group_membership_id(
    IdentityStoreId=IS, GroupId=gid["Auditors"], MemberId={"UserId": uid["dave"]})["MembershipId"]
client("identitystore", *deployer).delete_group_membership(IdentityStoreId=IS, MembershipId=mid)
scim = {"eventSource": "identitystore-scim.amazonaws.com", "eventName": "PatchGroup",
        "userIdentity": {"type": "Unknown", "principalId": "scim-token"},
        "requestParameters": {"groupId": gid["Auditors"], "operations": "HIDDEN_DUE_TO_SECURITY_REASONS"},
        "responseElements": None, "readOnly": False}
req = urllib.request.Request(url + "/_fake/cloudtrail", data=json.dumps({"Records": [scim]}).encode(), method="POST")
import time; time.sleep(1.1)  # a later second than the deletion
urllib.request.urlopen(req)
PYEOF
}

# check_attribution DRIFT.json [SOURCES-JSON]: each out-of-band change names its
# actor; the sources are ["lookup"] unless given. $CAROL_ACTOR / $CAROL_ARN, when
# set, replace who added carol (the trail file rewrites that record as an IAM user).
check_attribution() {
  WANT_SOURCES=${2:-'["lookup"]'} "$PY" - "$1" "$SRC/schemas/plan.schema.json" <<'PYEOF'
import json, os, sys
import jsonschema
doc = json.load(open(sys.argv[1]))
bad = []
errors = list(jsonschema.Draft7Validator(json.load(open(sys.argv[2]))).iter_errors(doc))
if errors:
    bad.append("not valid against plan.schema.json: %s" % errors[0].message[:300])
by = {(c["kind"], c["action"], c["name"]): c.get("attribution", "MISSING") for c in doc["changes"]}
human, deployer = os.environ["HUMAN_ARN"], os.environ["DEPLOYER_ARN"]
want = {
    ("membership", "delete", "Admins/bob"): ("maya@example.com", human, "CreateGroupMembership"),
    ("assignment", "create", "user:bob/DevOps/444444444444"): ("maya@example.com", human, "DeleteAccountAssignment"),
    ("permission_set", "update", "ReadOnly"): ("maya@example.com", human, "PutInlinePolicyToPermissionSet"),
    ("membership", "delete", "Auditors/carol@example.com"): (os.environ.get("CAROL_ACTOR", "github-actions"),
                                                            os.environ.get("CAROL_ARN", deployer),
                                                            "CreateGroupMembership"),
    ("membership", "create", "Auditors/dave"): ("identity provider (SCIM)", None, "PatchGroup"),
    ("application_assignment", "create", "group:Admins/application:Salesforce"):
        ("maya@example.com", human, "DeleteApplicationAssignment"),
    ("application", "update", "Wiki"): ("github-actions", deployer, "PutApplicationAssignmentConfiguration"),
}
if set(by) != set(want):
    bad.append("changes %s, wanted %s" % (sorted(by), sorted(want)))
for key, (actor, arn, event) in want.items():
    a = by.get(key)
    if not isinstance(a, dict):
        bad.append("%s: attribution %r" % (key, a))
        continue
    got = (a["actor"], a["actor_arn"], a["event_name"])
    if got != (actor, arn, event) or not a["event_id"] or not a["time"].endswith("Z"):
        bad.append("%s: %s, wanted %s" % (key, got, (actor, arn, event)))
if doc.get("evidence", {}).get("sources") != json.loads(os.environ["WANT_SOURCES"]) or "from" not in doc.get("window", {}):
    bad.append("window/evidence: %s %s" % (doc.get("window"), doc.get("evidence")))
for b in bad:
    print("FAIL: " + b, file=sys.stderr)
print("ok: every out-of-band change names its actor, time and event" if not bad else "")
sys.exit(1 if bad else 0)
PYEOF
}

###########################################################################
step "1. an existing Identity Center, imported; no drift, no LookupEvents"
start_fake main
seed_with_identities "$WORK/seed.json"
fake POST seed "$WORK/seed.json" >/dev/null || fail "seed"
CFG=$WORK/config
mkdir -p "$CFG"
target_yaml "$CFG/target.yaml"
printf 'settings:\n  discover_accounts: true\n' >"$CFG/settings.yaml"
run 0 import -- import --out "$WORK/imported" "$CFG"
run 0 drift-none -- drift "$WORK/imported"
[ "$(lookups)" = 0 ] && pass "no drift: no LookupEvents call" || fail "no drift, yet $(lookups) LookupEvents calls"

###########################################################################
step "2. out-of-band changes by a human, by the deployer's credentials, by SCIM"
out_of_band "$URL" && pass "out-of-band changes made" || fail "out-of-band changes"

###########################################################################
step "3. drift names who made each change"
run 2 drift-json -- drift "$WORK/imported" --format json
check_attribution "$WORK/out/drift-json.out" || fail "attribution (JSON)"
N=$(lookups)
run 2 drift-text -- drift "$WORK/imported"
grep -q "changed out of band by maya@example.com at 20[0-9-]*T[0-9:]*Z (CreateGroupMembership)" "$OUT" \
  && pass "text: changed out of band by maya@example.com (CreateGroupMembership)" || { fail "text attribution"; cat "$OUT"; }
grep -q "changed out of band by identity provider (SCIM) at .* (PatchGroup)" "$OUT" \
  && pass "text: SCIM-made change reads identity provider (SCIM)" || fail "text: SCIM attribution"
grep -q "^Who changed what: CloudTrail (lookup), " "$OUT" && pass "text names the window and the source" \
  || fail "text: no window line"
run 2 drift-markdown -- drift "$WORK/imported" --format markdown
grep -q "^    # changed out of band by maya@example.com at .* (PutInlinePolicyToPermissionSet)$" "$OUT" \
  && pass "markdown: the policy change names maya@example.com" || { fail "markdown attribution"; cat "$OUT"; }
[ -s "$ERR" ] && fail "drift wrote to stderr: $(cat "$ERR")"
fake GET stats >"$WORK/stats-main.json"
"$PY" - "$WORK/stats-main.json" "$N" <<'PYEOF' || fail "LookupEvents traffic"
import json, sys
s = json.load(open(sys.argv[1]))
n = s["requests"]["cloudtrail.LookupEvents"]
assert s["cloudtrail_throttled"] == 0, "throttled %d times at 2 req/s" % s["cloudtrail_throttled"]
assert 3 <= int(sys.argv[2]) <= 20, "one drift made %s LookupEvents calls" % sys.argv[2]
print("ok: %d LookupEvents calls for 3 drift runs (one query per event name that can explain a change), none throttled" % n)
PYEOF
helper check-stats "$WORK/stats-main.json"

###########################################################################
step "4. a stricter fake (1 request/s, 1 event a page): throttling survived"
MAIN_URL=$URL
start_fake strict --cloudtrail-rate 1 --cloudtrail-page-size 1
fake POST seed "$WORK/seed.json" >/dev/null || fail "seed strict"
target_yaml "$WORK/imported/target.yaml"
out_of_band "$URL" || fail "out-of-band changes (strict)"
T0=$SECONDS
run 2 drift-strict -- drift "$WORK/imported" --format json
check_attribution "$WORK/out/drift-strict.out" || fail "attribution under throttling"
fake GET stats >"$WORK/stats-strict.json"
"$PY" - "$WORK/stats-strict.json" <<'PYEOF' || fail "throttling not exercised"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["cloudtrail_throttled"] >= 1, "the fake never throttled"
print("ok: %d LookupEvents calls, %d throttled and retried" % (s["requests"]["cloudtrail.LookupEvents"],
                                                               s["cloudtrail_throttled"]))
PYEOF
helper check-stats "$WORK/stats-strict.json"
URL=$MAIN_URL
target_yaml "$WORK/imported/target.yaml"

###########################################################################
step "5. --cloudtrail none: no LookupEvents call, same exit code"
N=$(lookups)
run 2 drift-skip -- drift "$WORK/imported" --format json --cloudtrail none
[ "$(lookups)" = "$N" ] && pass "--cloudtrail none: no LookupEvents call" || fail "--cloudtrail none called LookupEvents"
grep -q '"attribution"' "$OUT" && fail "--cloudtrail none still attributes" || pass "--cloudtrail none: no attribution"
run 1 drift-bad-source -- drift "$WORK/imported" --cloudtrail s3://bucket
grep -q "error: --cloudtrail s3://bucket" "$ERR" && pass "an unknown source is an error" || fail "bad source message"

###########################################################################
step "6. LookupEvents denied: one warning line, same exit code"
AWS_ACCESS_KEY_ID=AKIAAUDITORNOTRAIL01 AWS_SECRET_ACCESS_KEY=auditor/secret/000000000000 AWS_SESSION_TOKEN= \
  run 2 drift-denied -- drift "$WORK/imported" --format json
[ "$(grep -c . "$ERR")" = 1 ] && grep -q "^warning: CloudTrail LookupEvents was denied" "$ERR" \
  && pass "denied: one warning line: $(cat "$ERR")" || { fail "denied: stderr"; cat "$ERR"; }
grep -q '"attribution"' "$OUT" && fail "denied, yet attributed" || pass "denied: drift without attribution"
grep -q '"drift": true' "$OUT" && pass "denied: the drift itself is reported" || fail "denied: no drift report"

###########################################################################
step "7. review --cloudtrail lookup: portal usage injected into the fake's trail"
# The fake records events at the real time; the harness's GATEHOUSE_NOW is in the past.
ASOF=$(date -u -d "+1 hour" +%Y-%m-%dT%H:%M:%SZ)
run 0 review-before -- review "$WORK/imported" --cloudtrail lookup --as-of "$ASOF" --format json
cp "$OUT" "$WORK/review-before.json"
"$PY" - "$URL" "$WORK/review-before.json" >"$WORK/injected.json" <<'PYEOF' || fail "inject usage"
import json, sys, urllib.request
url, doc = sys.argv[1], json.load(open(sys.argv[2]))
state = json.load(urllib.request.urlopen(url + "/_fake/state"))
uid = {u["UserName"]: u["UserId"] for u in state["users"]}
e = doc["entries"][0]
assert e["uses"] == 0 and e["last_used"] is None, "used before any usage was injected: %s" % e
rec = {"eventVersion": "1.10", "eventSource": "sso.amazonaws.com", "eventName": "Federate",
       "eventType": "AwsServiceEvent", "awsRegion": "us-east-1", "recipientAccountId": "111111111111",
       "userIdentity": {"type": "IdentityCenterUser", "accountId": "111111111111",
                        "onBehalfOf": {"userId": uid[e["user"]]}},
       "requestParameters": None,
       "serviceEventDetails": {"account_id": e["account_id"], "role_name": e["permission_set"]}}
req = urllib.request.Request(url + "/_fake/cloudtrail", data=json.dumps({"Records": [rec, rec]}).encode(),
                             method="POST")
urllib.request.urlopen(req)
print(json.dumps({"user": e["user"], "account_id": e["account_id"], "permission_set": e["permission_set"]}))
PYEOF
run 0 review-after -- review "$WORK/imported" --cloudtrail lookup --as-of "$ASOF" --format json
"$PY" - "$WORK/injected.json" "$OUT" "$SRC/schemas/review.schema.json" <<'PYEOF' || fail "review lookup usage"
import json, sys, jsonschema
want, doc = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
jsonschema.validate(doc, json.load(open(sys.argv[3])))
key = lambda e: (e["user"], e["account_id"], e["permission_set"])
hit = [e for e in doc["entries"] if key(e) == key(want)]
assert len(hit) == 1 and hit[0]["uses"] >= 1 and hit[0]["last_used"], "injected usage not shown: %s" % hit
others = [e for e in doc["entries"] if key(e) != key(want) and e["uses"]]
assert not others, "usage shown on grants nobody used: %s" % others[:3]
assert doc["evidence"]["sources"] == ["lookup"], doc["evidence"]
# Applications are grants too, but no event measures their use: never a made-up last_used.
apps = {(a["user"], a["application"]): a for a in doc.get("applications", [])}
assert ("dave", "Wiki") in apps and all(a["last_used"] is None and a["uses"] is None and
                                        a["recommendation"] is None for a in apps.values()), apps
assert any("usage of applications is not measured" in n for n in doc["notes"]), doc["notes"]
print("ok: review --cloudtrail lookup shows the injected Federate on %s/%s/%s" % key(want))
PYEOF
AWS_ACCESS_KEY_ID=AKIAAUDITORNOTRAIL01 AWS_SECRET_ACCESS_KEY=auditor/secret/000000000000 AWS_SESSION_TOKEN= \
  run 0 review-denied -- review "$WORK/imported" --cloudtrail lookup --as-of "$ASOF" --format json
grep -q "CloudTrail LookupEvents was denied" "$ERR" && pass "review: a denied lookup is a warning, exit 0" \
  || { fail "review denied: stderr"; cat "$ERR"; }

###########################################################################
step "8. drift --cloudtrail DIR: the same attribution from trail files, no LookupEvents"
# The fake's record of every call, as an organization trail's bucket synced
# locally: gzip and plain files, a record delivered twice, the deployer's
# membership of carol rewritten as an IAM user's call (the other identity
# format), a corrupt gzip, a truncated JSON file, a digest (ignored).
TRAIL=$WORK/trail
fake GET cloudtrail >"$WORK/records.json" || fail "fake trail dump"
"$PY" - "$WORK/records.json" "$TRAIL" <<'PYEOF' || fail "write trail files"
import gzip, json, os, sys
records, root = json.load(open(sys.argv[1]))["Records"], sys.argv[2]
day = os.path.join(root, "AWSLogs/o-abc123/111111111111/CloudTrail/us-east-1/2026/12/03")
os.makedirs(day)
os.makedirs(os.path.join(root, "AWSLogs/o-abc123/111111111111/CloudTrail-Digest/us-east-1/2026/12/03"))
carol = [r for r in records if r["eventName"] == "CreateGroupMembership"
         and r["userIdentity"].get("arn") == os.environ["DEPLOYER_ARN"]]
assert len(carol) == 1, "the deployer's membership record: %d" % len(carol)
carol[0]["userIdentity"] = {"type": "IAMUser", "principalId": "AIDAOPSADMIN00000001", "accountId": "111111111111",
                            "arn": "arn:aws:iam::111111111111:user/ops-admin", "userName": "ops-admin"}
maya_add = [r for r in records if r["eventName"] == "CreateGroupMembership" and "maya" in r["userIdentity"].get("arn", "")]
assert len(maya_add) == 1
half = len(records) // 2
name = "111111111111_CloudTrail_us-east-1_20261203T%04dZ_%s.json"
with gzip.open(os.path.join(day, name % (1, "a1b2c3d4e5f6a7b8") + ".gz"), "wt") as f:
    json.dump({"Records": records[:half][::-1]}, f)
with open(os.path.join(day, name % (2, "b1b2c3d4e5f6a7b8")), "w") as f:  # newest first, maya's add again
    json.dump({"Records": records[half:][::-1] + maya_add}, f)
with open(os.path.join(day, name % (3, "c1b2c3d4e5f6a7b8") + ".gz"), "wb") as f:
    f.write(b"\x1f\x8b this is not a gzip stream")
with open(os.path.join(day, name % (4, "d1b2c3d4e5f6a7b8")), "w") as f:
    f.write('{"Records": [{"eventID": "trunc')
with open(os.path.join(root, "AWSLogs/o-abc123/111111111111/CloudTrail-Digest/us-east-1/2026/12/03/x.json.gz"), "wb") as f:
    f.write(b"digest, not an event log")
print("ok: %d records in 2 files (+1 duplicate), 2 corrupt files, 1 digest" % len(records))
PYEOF
N=$(lookups)
# the auditor cannot call LookupEvents: whatever is attributed came from the files
AWS_ACCESS_KEY_ID=AKIAAUDITORNOTRAIL01 AWS_SECRET_ACCESS_KEY=auditor/secret/000000000000 AWS_SESSION_TOKEN= \
  run 2 drift-trail -- drift "$WORK/imported" --format json --cloudtrail "$TRAIL"
CAROL_ACTOR=ops-admin CAROL_ARN=arn:aws:iam::111111111111:user/ops-admin \
  check_attribution "$WORK/out/drift-trail.out" "[\"$TRAIL\"]" || fail "attribution from trail files"
[ "$(lookups)" = "$N" ] && pass "trail files: no LookupEvents call" || fail "trail files: LookupEvents called"
[ "$(grep -c . "$ERR")" = 2 ] && [ "$(grep -c '^warning: skipped .*/111111111111_CloudTrail_us-east-1_20261203T000[34]Z_' "$ERR")" = 2 ] \
  && pass "the 2 corrupt files: one warning line each, by path" || { fail "corrupt files: stderr"; cat "$ERR"; }
"$PY" -c 'import json,sys; e=json.load(open(sys.argv[1]))["evidence"]; assert e["files_skipped"]==2 and e["records_read"]>5, e' \
  "$OUT" && pass "evidence: 2 files skipped" || fail "evidence counts: $(grep -A4 '"evidence"' "$OUT")"
run 2 drift-trail-text -- drift "$WORK/imported" --cloudtrail "$TRAIL" --cloudtrail none
grep -q "changed out of band" "$OUT" && fail "--cloudtrail none beside a trail still attributes" \
  || pass "--cloudtrail none wins over a trail"
AWS_ACCESS_KEY_ID=AKIAAUDITORNOTRAIL01 AWS_SECRET_ACCESS_KEY=auditor/secret/000000000000 AWS_SESSION_TOKEN= \
  run 2 drift-trail-old -- drift "$WORK/imported" --format json --cloudtrail "$TRAIL" --as-of 2020-01-01
"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert all(c["attribution"] is None for c in d["changes"]), d["changes"]' \
  "$OUT" && pass "events outside the window explain nothing" || fail "window ignored"
run 1 drift-trail-missing -- drift "$WORK/imported" --cloudtrail "$WORK/no-such-trail"
grep -q "error: --cloudtrail $WORK/no-such-trail" "$ERR" && pass "a missing trail directory is an error" \
  || { fail "missing trail: stderr"; cat "$ERR"; }

###########################################################################
step "9. settings.evidence.cloudtrail is the default source of drift and review"
cp -r "$TRAIL" "$WORK/imported/trail"
SETTINGS=$(grep -l '^settings:' "$WORK"/imported/*.yaml | head -1)
[ -n "$SETTINGS" ] || { SETTINGS=$WORK/imported/settings.yaml; echo "settings:" >"$SETTINGS"; }
cp "$SETTINGS" "$WORK/settings.orig"
sed -i 's/^settings:$/settings:\n  evidence:\n    cloudtrail: [trail]/' "$SETTINGS"
N=$(lookups)
AWS_ACCESS_KEY_ID=AKIAAUDITORNOTRAIL01 AWS_SECRET_ACCESS_KEY=auditor/secret/000000000000 AWS_SESSION_TOKEN= \
  run 2 drift-settings -- drift "$WORK/imported" --format json
CAROL_ACTOR=ops-admin CAROL_ARN=arn:aws:iam::111111111111:user/ops-admin \
  check_attribution "$WORK/out/drift-settings.out" '["trail"]' || fail "settings.evidence: drift attribution"
[ "$(lookups)" = "$N" ] && pass "settings.evidence: no LookupEvents call" || fail "settings.evidence: LookupEvents called"
run 0 review-settings -- review "$WORK/imported" --as-of "$ASOF" --format json
"$PY" -c 'import json,sys; e=json.load(open(sys.argv[1]))["evidence"]; assert e["sources"]==["trail"] and e["files_skipped"]==2, e' \
  "$OUT" && pass "settings.evidence: review reads the same trail" || fail "settings.evidence: review sources"
run 2 drift-settings-flag -- drift "$WORK/imported" --format json --cloudtrail lookup
check_attribution "$WORK/out/drift-settings-flag.out" || fail "a flag wins over settings.evidence"
sed -i 's/^settings:$/settings:\n  evidence:\n    cloudtrail: none/' "$WORK/settings.orig"
cp "$WORK/settings.orig" "$SETTINGS"
N=$(lookups)
run 2 drift-settings-none -- drift "$WORK/imported" --format json
grep -q '"attribution"' "$OUT" && fail "settings.evidence none still attributes" || pass "settings.evidence none: no attribution"
[ "$(lookups)" = "$N" ] && pass "settings.evidence none: no LookupEvents call" || fail "settings.evidence none: LookupEvents called"

helper secrets "$WORK"/out/* "$WORK"/*/fake.log

echo
if [ "$FAILURES" -eq 0 ]; then echo "aws_attribution: PASS"; else echo "aws_attribution: $FAILURES failure(s)"; fi
[ "$FAILURES" -eq 0 ]
