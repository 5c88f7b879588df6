#!/bin/bash
# Self-test of the strict fake AWS server against Debian's real AWS CLI v2.
# Starts the fake on a free loopback port, drives it with /usr/bin/aws, checks
# that real CLI traffic passes validation and signature checks, that bad
# requests are rejected, then stops the fake by its PID.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
AWS=${AWS_CLI:-/usr/bin/aws}
PY=/usr/bin/python3
WORK=$(mktemp -d /tmp/fake_aws_selftest.XXXXXX)
export FAKE_AWS_DIR=$WORK
FAKECTL="$HERE/fakectl"
fail() { echo "selftest: FAIL: $*" >&2; echo "--- fake log" >&2; tail -n 40 "$WORK/fake.log" >&2 || true; exit 1; }
cleanup() {
    if [ -s "$WORK/pid" ]; then "$FAKECTL" stop || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

[ -x "$AWS" ] || { echo "selftest: SKIP: $AWS not installed"; exit 77; }

PORT=$("$FAKECTL" start --page-size 2 --async-delay 0.3 --web-identity-token ci-token-123)
echo "selftest: fake on port $PORT (pid $(cat "$WORK/pid"))"

export AWS_ACCESS_KEY_ID=AKIAFAKEGATEHOUSE000
export AWS_SECRET_ACCESS_KEY=fake/secret/gatehouse/0000000000000000000
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE || true
export AWS_DEFAULT_REGION=us-east-1 AWS_PAGER= AWS_EC2_METADATA_DISABLED=true
export AWS_CONFIG_FILE=$WORK/none AWS_SHARED_CREDENTIALS_FILE=$WORK/none
E="--endpoint-url http://127.0.0.1:$PORT"
aws() { "$AWS" $E --output text "$@"; }

cat > "$WORK/seed.json" <<'JSON'
{
  "instance": {"arn": "arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6", "identity_store_id": "d-90677b1a2b"},
  "organization": {"id": "o-abcdef1234", "master_account_id": "111111111111", "root_id": "r-ab12"},
  "organizational_units": [{"id": "ou-ab12-prod0001", "name": "Prod", "parent_id": "r-ab12", "tags": {"env": "prod"}}],
  "accounts": [
    {"id": "222222222222", "name": "payments-prod", "parent_id": "ou-ab12-prod0001", "tags": {"team": "payments"}},
    {"id": "333333333333", "name": "payments-dev"},
    {"id": "444444444444", "name": "sandbox"}
  ]
}
JSON
"$FAKECTL" seed "$WORK/seed.json" >/dev/null
IS=d-90677b1a2b
INST=arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6

# --- sso-admin instance discovery
[ "$(aws sso-admin list-instances --query 'Instances[0].IdentityStoreId')" = "$IS" ] || fail "list-instances"

# --- identity store
for u in alice bob carol dave eve; do
    aws identitystore create-user --identity-store-id $IS --user-name $u --display-name "User $u" \
        --name GivenName=$u,FamilyName=Test --emails Value=$u@example.com,Type=work,Primary=true >/dev/null \
        || fail "create-user $u"
done
N=$("$AWS" $E identitystore list-users --identity-store-id $IS --query 'length(Users)' --output json)
[ "$N" = 5 ] || fail "list-users returned $N users, wanted 5"
ALICE=$(aws identitystore get-user-id --identity-store-id $IS \
    --alternate-identifier '{"UniqueAttribute":{"AttributePath":"userName","AttributeValue":"alice"}}' --query UserId)
if aws identitystore create-user --identity-store-id $IS --user-name ALICE --display-name x \
        --name GivenName=a,FamilyName=b >/dev/null 2>"$WORK/err"; then fail "duplicate user accepted"; fi
grep -q ConflictException "$WORK/err" || fail "duplicate user: wanted ConflictException"
aws identitystore update-user --identity-store-id $IS --user-id "$ALICE" \
    --operations '[{"AttributePath":"displayName","AttributeValue":"Alice A."}]' || fail update-user
[ "$(aws identitystore describe-user --identity-store-id $IS --user-id "$ALICE" --query DisplayName)" = "Alice A." ] \
    || fail "update-user not applied"
GID=$(aws identitystore create-group --identity-store-id $IS --display-name Admins --query GroupId)
for u in alice bob carol; do
    UID_=$(aws identitystore get-user-id --identity-store-id $IS \
        --alternate-identifier "{\"UniqueAttribute\":{\"AttributePath\":\"userName\",\"AttributeValue\":\"$u\"}}" --query UserId)
    aws identitystore create-group-membership --identity-store-id $IS --group-id "$GID" --member-id UserId="$UID_" >/dev/null
done
N=$("$AWS" $E identitystore list-group-memberships --identity-store-id $IS --group-id "$GID" \
    --query 'length(GroupMemberships)' --output json)
[ "$N" = 3 ] || fail "list-group-memberships returned $N"

# --- sso-admin permission sets and assignments
PS=$(aws sso-admin create-permission-set --instance-arn $INST --name AdministratorAccess \
    --session-duration PT4H --relay-state https://console.aws.amazon.com/ --query PermissionSet.PermissionSetArn)
aws sso-admin create-permission-set --instance-arn $INST --name ReadOnly >/dev/null
aws sso-admin create-permission-set --instance-arn $INST --name Billing >/dev/null
N=$("$AWS" $E sso-admin list-permission-sets --instance-arn $INST --query 'length(PermissionSets)' --output json)
[ "$N" = 3 ] || fail "list-permission-sets returned $N"
aws sso-admin attach-managed-policy-to-permission-set --instance-arn $INST --permission-set-arn "$PS" \
    --managed-policy-arn arn:aws:iam::aws:policy/AdministratorAccess
aws sso-admin put-inline-policy-to-permission-set --instance-arn $INST --permission-set-arn "$PS" \
    --inline-policy '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:*","Resource":"*"}]}'
REQ=$(aws sso-admin create-account-assignment --instance-arn $INST --target-id 222222222222 \
    --target-type AWS_ACCOUNT --permission-set-arn "$PS" --principal-type GROUP --principal-id "$GID" \
    --query AccountAssignmentCreationStatus.RequestId)
STATUS=IN_PROGRESS
for _ in $(seq 50); do
    STATUS=$(aws sso-admin describe-account-assignment-creation-status --instance-arn $INST \
        --account-assignment-creation-request-id "$REQ" --query AccountAssignmentCreationStatus.Status)
    [ "$STATUS" = IN_PROGRESS ] || break
    sleep 0.1
done
[ "$STATUS" = SUCCEEDED ] || fail "assignment creation status $STATUS"
[ "$(aws sso-admin list-account-assignments --instance-arn $INST --account-id 222222222222 \
    --permission-set-arn "$PS" --query 'AccountAssignments[0].PrincipalId')" = "$GID" ] || fail "list-account-assignments"
[ "$(aws sso-admin list-permission-sets-provisioned-to-account --instance-arn $INST --account-id 222222222222 \
    --provisioning-status LATEST_PERMISSION_SET_PROVISIONED --query 'PermissionSets[0]')" = "$PS" ] || fail "provisioned"
# A policy edit makes the set NOT_PROVISIONED until ProvisionPermissionSet runs.
aws sso-admin attach-managed-policy-to-permission-set --instance-arn $INST --permission-set-arn "$PS" \
    --managed-policy-arn arn:aws:iam::aws:policy/ReadOnlyAccess
[ "$(aws sso-admin list-permission-sets-provisioned-to-account --instance-arn $INST --account-id 222222222222 \
    --provisioning-status LATEST_PERMISSION_SET_NOT_PROVISIONED --query 'PermissionSets[0]')" = "$PS" ] \
    || fail "policy edit did not make the set NOT_PROVISIONED"
PREQ=$(aws sso-admin provision-permission-set --instance-arn $INST --permission-set-arn "$PS" \
    --target-type ALL_PROVISIONED_ACCOUNTS --query PermissionSetProvisioningStatus.RequestId)
for _ in $(seq 50); do
    STATUS=$(aws sso-admin describe-permission-set-provisioning-status --instance-arn $INST \
        --provision-permission-set-request-id "$PREQ" --query PermissionSetProvisioningStatus.Status)
    [ "$STATUS" = IN_PROGRESS ] || break
    sleep 0.1
done
[ "$STATUS" = SUCCEEDED ] || fail "provisioning status $STATUS"
if aws sso-admin delete-permission-set --instance-arn $INST --permission-set-arn "$PS" 2>"$WORK/err"; then
    fail "deleted a permission set that has assignments"
fi
grep -q ConflictException "$WORK/err" || fail "delete-permission-set: wanted ConflictException"
aws sso-admin update-permission-set --instance-arn $INST --permission-set-arn "$PS" --description "admins"
[ "$(aws sso-admin describe-permission-set --instance-arn $INST --permission-set-arn "$PS" \
    --query PermissionSet.RelayState)" = None ] || fail "update-permission-set kept RelayState"

# --- organizations
N=$("$AWS" $E organizations list-accounts --query 'length(Accounts)' --output json)
[ "$N" = 4 ] || fail "organizations list-accounts returned $N, wanted 4"
[ "$(aws organizations list-parents --child-id 222222222222 --query 'Parents[0].Id')" = ou-ab12-prod0001 ] \
    || fail "list-parents"
[ "$(aws organizations list-tags-for-resource --resource-id 222222222222 --query 'Tags[0].Value')" = payments ] \
    || fail "organizations list-tags-for-resource"

# --- sts
[ "$(aws sts get-caller-identity --query Account)" = 111111111111 ] || fail "get-caller-identity"
echo -n ci-token-123 > "$WORK/token"
CREDS=$(aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111111111111:role/gatehouse-ci \
    --role-session-name ci --web-identity-token "file://$WORK/token" \
    --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]')
read -r AK SK ST <<<"$CREDS"
ARN=$(AWS_ACCESS_KEY_ID=$AK AWS_SECRET_ACCESS_KEY=$SK AWS_SESSION_TOKEN=$ST aws sts get-caller-identity --query Arn)
[ "$ARN" = arn:aws:sts::111111111111:assumed-role/gatehouse-ci/ci ] || fail "temporary credentials: $ARN"
AWS_ACCESS_KEY_ID=$AK AWS_SECRET_ACCESS_KEY=$SK AWS_SESSION_TOKEN=$ST \
    aws identitystore list-groups --identity-store-id $IS >/dev/null || fail "call with temporary credentials"

# --- cloudtrail: the writes above were recorded; awscli's lookup-events (paged
# with NextToken, time range, one attribute) passes validation
N=$("$AWS" $E cloudtrail lookup-events --page-size 1 --output json --query 'length(Events)' \
    --lookup-attributes AttributeKey=EventName,AttributeValue=CreateGroupMembership)
[ "$N" = 3 ] || fail "lookup-events CreateGroupMembership returned $N events, wanted 3"
SINCE=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
ACTOR=$(aws cloudtrail lookup-events --start-time "$SINCE" --end-time "$(date -u -d '+1 minute' +%Y-%m-%dT%H:%M:%SZ)" \
    --lookup-attributes AttributeKey=EventName,AttributeValue=CreatePermissionSet --query 'Events[0].Username')
[ "$ACTOR" = gatehouse-test ] || fail "lookup-events: CreatePermissionSet by $ACTOR, wanted gatehouse-test"
[ "$("$AWS" $E --output json cloudtrail lookup-events --max-items 1 --query 'Events[0].EventName' \
    --lookup-attributes AttributeKey=EventSource,AttributeValue=sso.amazonaws.com)" = '"DescribePermissionSet"' ] || fail "lookup-events: not newest first"
if aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=CreateUser \
        AttributeKey=Username,AttributeValue=x >/dev/null 2>"$WORK/err"; then fail "two lookup attributes accepted"; fi
grep -q InvalidLookupAttributesException "$WORK/err" || fail "two lookup attributes: $(cat "$WORK/err")"

# --- everything so far must have passed validation and signature checks
"$FAKECTL" stats > "$WORK/stats.json"
$PY - "$WORK/stats.json" <<'PYEOF' || fail "stats after valid traffic"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["validation"] == 0 and s["signature"] == 0, s["rejections"]
assert s["response_model_errors_total"] == 0, s["response_model_errors"]
assert s["requests"]["identitystore.ListUsers"] >= 3, "list-users did not paginate"
print("selftest: %d requests, 0 rejections" % s["total_requests"])
PYEOF

# --- negative: wrong secret -> InvalidSignatureException
if AWS_SECRET_ACCESS_KEY=wrong-secret aws identitystore list-users --identity-store-id $IS 2>"$WORK/err" >/dev/null; then
    fail "wrong signature accepted"
fi
grep -q InvalidSignatureException "$WORK/err" || fail "wrong signature: $(cat "$WORK/err")"
# unknown access key -> UnrecognizedClientException
if AWS_ACCESS_KEY_ID=AKIAUNKNOWN000000000 aws organizations list-roots 2>"$WORK/err" >/dev/null; then
    fail "unknown key accepted"
fi
grep -q UnrecognizedClientException "$WORK/err" || fail "unknown key: $(cat "$WORK/err")"
# pattern violation the CLI does not check itself -> ValidationException
if aws identitystore list-users --identity-store-id not_a_store 2>"$WORK/err" >/dev/null; then
    fail "bad IdentityStoreId accepted"
fi
grep -q ValidationException "$WORK/err" || fail "bad IdentityStoreId: $(cat "$WORK/err")"
# a correctly signed request with an unknown member -> ValidationException
$PY - "$PORT" <<'PYEOF' || fail "unknown member not rejected"
import json, sys, urllib.request, urllib.error
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
url = "http://127.0.0.1:%s/" % sys.argv[1]
body = json.dumps({"IdentityStoreId": "d-90677b1a2b", "Bogus": 1})
req = AWSRequest("POST", url, data=body, headers={"Content-Type": "application/x-amz-json-1.1",
                                                  "X-Amz-Target": "AWSIdentityStore.ListUsers"})
SigV4Auth(Credentials("AKIAFAKEGATEHOUSE000", "fake/secret/gatehouse/0000000000000000000"),
          "identitystore", "us-east-1").add_auth(req)
r = urllib.request.Request(url, data=body.encode(), headers=dict(req.headers.items()), method="POST")
try:
    urllib.request.urlopen(r)
    sys.exit("accepted")
except urllib.error.HTTPError as e:
    err = json.loads(e.read())
    assert e.code == 400 and err["__type"] == "ValidationException" and "Bogus" in err["message"], err
PYEOF
"$FAKECTL" stats > "$WORK/stats.json"
$PY - "$WORK/stats.json" <<'PYEOF' || fail "rejections not recorded"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["signature"] == 2, s["rejections"]
assert s["validation"] == 2, s["rejections"]
PYEOF

"$FAKECTL" stop
[ ! -e "$WORK/pid" ] || fail "fake did not remove its pid file on stop"
echo "selftest: PASS"
