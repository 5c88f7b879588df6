#!/usr/bin/python3
"""Checks of the fake's CloudTrail (cloudtrail.py) through botocore clients:
the writes it serves are recorded with the caller's identity (two credentials,
the deployer and an out-of-band human), LookupEvents keeps CloudTrail's rules
(one attribute, <= 50 a page, newest first, time range, 90 days, NextToken tied
to its parameters, 2 requests/s), injected records come back, a credential
without cloudtrail:LookupEvents is refused.  Exit 0 = pass."""

import json
import os
import sys
import time

import botocore.config
import botocore.exceptions
import botocore.session

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fakectl import ACCESS_KEY, SECRET_KEY, FakeAws  # noqa: E402

INST = "arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6"
IS = "d-90677b1a2b"
HUMAN_KEY, HUMAN_SECRET, HUMAN_TOKEN = "ASIAHUMANOUTOFBAND01", "human/secret", "human-session-token"
HUMAN_ARN = "arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_AdministratorAccess_1a2b3c4d5e6f7a8b/maya@example.com"
NOTRAIL_KEY = "AKIANOCLOUDTRAIL0001"
SEED = {
    "instance": {"arn": INST, "identity_store_id": IS},
    "organization": {"id": "o-abcdef1234", "master_account_id": "111111111111", "root_id": "r-ab12"},
    "accounts": [{"id": "222222222222", "name": "prod"}],
    "users": [{"UserName": "alice", "DisplayName": "Alice", "Name": {"GivenName": "A", "FamilyName": "L"}},
              {"UserName": "bob", "DisplayName": "Bob", "Name": {"GivenName": "B", "FamilyName": "O"}}],
    "groups": [{"DisplayName": "Admins"}],
    "permission_sets": [{"Name": "Admin"}],
    "credentials": [
        {"access_key_id": HUMAN_KEY, "secret_access_key": HUMAN_SECRET, "session_token": HUMAN_TOKEN,
         "arn": HUMAN_ARN},
        {"access_key_id": NOTRAIL_KEY, "secret_access_key": "x", "arn": "arn:aws:iam::111111111111:user/auditor",
         "cloudtrail": False}],
}
DAY = 86400


def client(fake, name, key=ACCESS_KEY, secret=SECRET_KEY, token=None, validate=True):
    return botocore.session.get_session().create_client(
        name, region_name="us-east-1", endpoint_url=fake.url, aws_access_key_id=key, aws_secret_access_key=secret,
        aws_session_token=token,
        config=botocore.config.Config(retries={"total_max_attempts": 1}, parameter_validation=validate))


def code(fn, *a, **kw):
    try:
        fn(*a, **kw)
    except botocore.exceptions.ClientError as e:
        return e.response["Error"]["Code"]
    return "OK"


def paced(fn, **kw):
    """One LookupEvents call within the 2 requests/s quota."""
    time.sleep(0.55)
    return fn(**kw)


def all_events(ct, **kw):
    """Every page of a lookup, paced."""
    events = []
    while True:
        out = paced(ct.lookup_events, **kw)
        events += out["Events"]
        if "NextToken" not in out:
            return events
        kw["NextToken"] = out["NextToken"]


def by_name(ct, name):
    events = all_events(ct, LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": name}])
    return [json.loads(e["CloudTrailEvent"]) for e in events]


def check_recorded_writes(fake, ct):
    st = fake.state()
    gid, uid = st["groups"][0]["GroupId"], st["users"][0]["UserId"]
    arn = st["permission_sets"][0]["PermissionSetArn"]
    human_ids = client(fake, "identitystore", HUMAN_KEY, HUMAN_SECRET, HUMAN_TOKEN)
    human_sso = client(fake, "sso-admin", HUMAN_KEY, HUMAN_SECRET, HUMAN_TOKEN)
    deployer_ids = client(fake, "identitystore")
    mid = human_ids.create_group_membership(IdentityStoreId=IS, GroupId=gid, MemberId={"UserId": uid})["MembershipId"]
    human_ids.delete_group_membership(IdentityStoreId=IS, MembershipId=mid)
    human_sso.put_inline_policy_to_permission_set(InstanceArn=INST, PermissionSetArn=arn, InlinePolicy="{}")
    human_sso.create_account_assignment(InstanceArn=INST, TargetId="222222222222", TargetType="AWS_ACCOUNT",
                                        PermissionSetArn=arn, PrincipalType="GROUP", PrincipalId=gid)
    deployer_ids.create_group_membership(IdentityStoreId=IS, GroupId=gid, MemberId={"UserId": uid})
    assert code(deployer_ids.create_group, IdentityStoreId=IS, DisplayName="Admins") == "ConflictException"
    deployer_ids.update_user(IdentityStoreId=IS, UserId=uid,
                             Operations=[{"AttributePath": "displayName", "AttributeValue": "Alice L."}])

    created = by_name(ct, "CreateGroupMembership")
    assert [r["userIdentity"]["type"] for r in created] == ["IAMUser", "AssumedRole"], created  # newest first
    deployer, human = created
    assert human["userIdentity"]["arn"] == HUMAN_ARN and human["userIdentity"]["accessKeyId"] == HUMAN_KEY
    assert human["userIdentity"]["sessionContext"]["sessionIssuer"]["userName"].startswith("AWSReservedSSO_")
    assert deployer["userIdentity"]["userName"] and deployer["userIdentity"]["accessKeyId"] == ACCESS_KEY
    assert human["requestParameters"] == {"identityStoreId": IS, "groupId": gid, "memberId": {"userId": uid}}
    assert human["responseElements"]["membershipId"] == mid and human["readOnly"] is False
    assert human["eventSource"] == "identitystore.amazonaws.com" and human["recipientAccountId"] == "111111111111"
    deleted = by_name(ct, "DeleteGroupMembership")
    assert deleted[0]["requestParameters"] == {"identityStoreId": IS, "membershipId": mid}, deleted
    [assign] = by_name(ct, "CreateAccountAssignment")
    assert assign["eventSource"] == "sso.amazonaws.com" and assign["requestParameters"]["principalId"] == gid
    assert assign["requestParameters"]["permissionSetArn"] == arn and assign["requestParameters"]["targetId"] \
        == "222222222222"
    [inline] = by_name(ct, "PutInlinePolicyToPermissionSet")
    assert inline["requestParameters"]["permissionSetArn"] == arn and inline["userIdentity"]["type"] == "AssumedRole"
    [failed] = by_name(ct, "CreateGroup")
    assert failed["errorCode"] == "ConflictException" and "displayName" not in (failed["requestParameters"] or {})
    [upd] = by_name(ct, "UpdateUser")
    assert "Alice" not in json.dumps(upd), upd   # personal data hidden
    events = all_events(ct, LookupAttributes=[{"AttributeKey": "Username", "AttributeValue": "maya@example.com"}])
    assert [e["EventName"] for e in events] == ["CreateAccountAssignment", "PutInlinePolicyToPermissionSet",
                                                "DeleteGroupMembership", "CreateGroupMembership"], events
    assert all(e["AccessKeyId"] == HUMAN_KEY and e["Username"] == "maya@example.com" for e in events)
    out = paced(ct.lookup_events, LookupAttributes=[{"AttributeKey": "ReadOnly", "AttributeValue": "true"}])
    assert out["Events"] and all(e["ReadOnly"] == "true" for e in out["Events"])


def check_paging_and_window(fake, ct, now):
    usage = [{"eventSource": "sso.amazonaws.com", "eventName": "GetRoleCredentials",
              "eventTime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now - i * 3600)),
              "eventType": "AwsServiceEvent", "requestParameters": None,
              "serviceEventDetails": {"account_id": "222222222222", "role_name": "Admin"},
              "userIdentity": {"type": "IdentityCenterUser", "onBehalfOf": {"userId": "u-%d" % i}}} for i in range(7)]
    old = dict(usage[0], eventTime=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now - 95 * DAY)))
    data = dict(usage[0], managementEvent=False)
    assert fake.inject_trail(usage + [old, data])["injected"] == 9
    attr = [{"AttributeKey": "EventName", "AttributeValue": "GetRoleCredentials"}]
    pages, kw = [], {"LookupAttributes": attr, "MaxResults": 50}
    while True:
        out = paced(ct.lookup_events, **kw)
        pages.append(out["Events"])
        if "NextToken" not in out:
            break
        kw["NextToken"] = out["NextToken"]
        tok = out["NextToken"]
    assert [len(p) for p in pages] == [3, 3, 1], [len(p) for p in pages]   # --cloudtrail-page-size 3
    times = [e["EventTime"].timestamp() for p in pages for e in p]
    assert times == sorted(times, reverse=True), "not newest first"
    got = [json.loads(e["CloudTrailEvent"])["userIdentity"]["onBehalfOf"]["userId"] for p in pages for e in p]
    assert got == ["u-%d" % i for i in range(7)], got   # neither the 95-day-old nor the data event
    assert code(paced, ct.lookup_events, LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "Federate"}],
                NextToken=tok) == "InvalidNextTokenException"
    out = paced(ct.lookup_events, LookupAttributes=attr, StartTime=now - 3 * 3600 - 1, EndTime=now - 3600)
    assert len(out["Events"]) == 3, out["Events"]   # 1h, 2h, 3h ago: both ends inclusive
    assert code(paced, ct.lookup_events, StartTime=now, EndTime=now - 60) == "InvalidTimeRangeException"
    assert code(paced, ct.lookup_events, StartTime=now - 100 * DAY) == "InvalidTimeRangeException"
    out = paced(ct.lookup_events, EventCategory="insight")
    assert out["Events"] == []
    trail = fake.trail()   # the whole trail, oldest first, with the injected records
    assert trail[0]["eventTime"] == old["eventTime"] and any(r.get("managementEvent") is False for r in trail)


def check_limits(fake, ct):
    raw = client(fake, "cloudtrail", validate=False)
    two = [{"AttributeKey": "EventName", "AttributeValue": "Federate"},
           {"AttributeKey": "EventSource", "AttributeValue": "sso.amazonaws.com"}]
    assert code(paced, ct.lookup_events, LookupAttributes=two) == "InvalidLookupAttributesException"
    assert code(paced, raw.lookup_events, MaxResults=51) == "ValidationException"
    assert code(paced, raw.lookup_events, LookupAttributes=[{"AttributeKey": "Bogus", "AttributeValue": "x"}]) \
        == "ValidationException"
    denied = client(fake, "cloudtrail", NOTRAIL_KEY, "x")
    assert code(paced, denied.lookup_events) == "AccessDeniedException"
    time.sleep(1.1)
    codes = [code(ct.lookup_events, MaxResults=1) for _ in range(6)]
    assert codes[:2] == ["OK", "OK"] and "ThrottlingException" in codes, codes
    time.sleep(1.1)
    codes = [code(paced, ct.lookup_events, MaxResults=1) for _ in range(6)]
    assert codes == ["OK"] * 6, codes   # within 2 requests/s: never throttled
    s = fake.stats()
    assert s["cloudtrail_throttled"] >= 1 and s["validation"] == 2 and s["signature"] == 0, s
    assert s["response_model_errors_total"] == 0, s["response_model_errors"]


def main():
    with FakeAws("--cloudtrail-page-size", "3") as fake:
        fake.seed(SEED)
        ct = client(fake, "cloudtrail")
        now = int(time.time())
        check_recorded_writes(fake, ct)
        check_paging_and_window(fake, ct, now)
        check_limits(fake, ct)
    print("selftest_cloudtrail: PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
