#!/usr/bin/python3
"""An organization trail with every trap of EVIDENCE.md, and its expected
last-used table computed here, independently of gatehouse.

    review_trail.py write DIRECTORY.json TRAIL_DIR EXPECTED.json
    review_trail.py check EXPECTED.json REVIEW.json

`write` reads the user ids from a local target's directory file, writes the
trail (gzip and plain files, the AWSLogs/o-.../<account>/CloudTrail/<region>/
YYYY/MM/DD layout) and, from the records it wrote, the expected
{(user, account, set): (last_used, uses)}, usage_events, unmatched and
files_skipped. `check` compares them with `gatehouse review --format json`.

The traps: portal records in both identity formats (user id; user name in
any case), GetRoleCredentials with its target only in requestParameters,
AssumeRoleWithSAML with and without a region in the role ARN and a set name
containing `_`, duplicates (same eventID in two files, and twice in one file),
late delivery (an event of 23:58 in the next day's folder; an event from
before the window delivered inside it; an event inside the window delivered
after it), failures (errorCode), listing and sign-in calls, unknown users (by
id and by name), an unknown account and an unknown set, a non-SSO role, usage
of a grant the config does not give, digest and insight files, a corrupt gzip
file, a file that is not JSON, a JSON file without Records.
"""
import gzip
import json
import os
import sys

WINDOW = ("2026-09-02T00:00:00Z", "2026-12-01T00:00:00Z")
ORG, MGMT, REGION = "o-test0org", "999999999999", "us-east-1"
PROD, DEV = "111111111111", "222222222222"
SETS = {"Prod_Admin", "ReadOnly"}
ACCOUNTS = {PROD, DEV}
# The grants of tests/e2e/review.sh's config (user, account, set).
GRANTS = {("alice", PROD, "Prod_Admin"), ("alice", PROD, "ReadOnly"), ("alice", DEV, "ReadOnly"),
          ("bob", PROD, "ReadOnly"), ("bob", DEV, "ReadOnly"), ("carol", DEV, "ReadOnly"),
          ("dave", PROD, "ReadOnly"), ("dave", DEV, "ReadOnly")}
USERS = {"alice", "bob", "carol", "dave"}

n = [0]


def eid():
    n[0] += 1
    return "%08x-0000-4000-8000-%012d" % (n[0], n[0])


def portal(time, name, account, role, uid=None, uname=None, error=None, in_request=False):
    ident = ({"type": "IdentityCenterUser", "accountId": MGMT,
              "onBehalfOf": {"userId": uid, "identityStoreArn": "arn:aws:identitystore::%s:identitystore/d-1" % MGMT}}
             if uid else {"type": "Unknown", "userName": uname, "principalId": "p"})
    r = {"eventVersion": "1.10", "userIdentity": ident, "eventTime": time, "eventSource": "sso.amazonaws.com",
         "eventName": name, "awsRegion": REGION, "eventID": eid(), "eventType": "AwsServiceEvent",
         "recipientAccountId": MGMT}
    if in_request:
        r["requestParameters"] = {"accountId": account, "roleName": role}
    else:
        r["requestParameters"] = None
        r["serviceEventDetails"] = {"account_id": account, "role_name": role}
    if error:
        r["errorCode"] = error
    return r


def saml(time, account, role_name, session, region=True, error=None):
    arn = "arn:aws:iam::%s:role/aws-reserved/sso.amazonaws.com/%s%s" % (account, REGION + "/" if region else "",
                                                                        role_name)
    r = {"eventVersion": "1.08", "userIdentity": {"type": "SAMLUser", "userName": session},
         "eventTime": time, "eventSource": "sts.amazonaws.com", "eventName": "AssumeRoleWithSAML",
         "requestParameters": {"roleArn": arn, "roleSessionName": session}, "eventID": eid(),
         "recipientAccountId": account}
    if error:
        r["errorCode"] = error
    return r


def records(ids):
    """(folder account, delivery stamp YYYYMMDDTHHMMZ, records, gzip?) of every file."""
    a, b, c = ids["alice"], ids["bob"], ids["carol"]
    dup = portal("2026-11-10T10:00:00Z", "Federate", PROD, "Prod_Admin", uid=a)
    late = portal("2026-11-29T23:58:30Z", "GetRoleCredentials", DEV, "ReadOnly", uid=b)
    files = [
        (MGMT, "20261110T1005Z", [dup, portal("2026-11-10T11:00:00Z", "Federate", PROD, "ReadOnly", uname="ALICE")]),
        (MGMT, "20261110T1010Z", [dup, dup]),  # delivered again, and twice in one file
        (MGMT, "20261130T0003Z", [late]),  # 23:58 event in the next day's folder
        (MGMT, "20260902T0004Z", [portal("2026-09-01T23:59:00Z", "Federate", DEV, "ReadOnly", uid=c),  # before
                                  portal("2026-09-02T00:00:00Z", "Federate", DEV, "ReadOnly", uid=c)]),  # at from
        (MGMT, "20261201T0006Z", [portal("2026-11-30T23:59:59Z", "GetRoleCredentials", PROD, "ReadOnly",
                                         uname="bob", in_request=True),  # inside, delivered after the window
                                  portal("2026-12-01T00:01:00Z", "Federate", PROD, "ReadOnly", uname="bob")]),
        (MGMT, "20261020T0800Z", [
            portal("2026-10-20T07:55:00Z", "Federate", PROD, "Prod_Admin", uid=b, error="AccessDenied"),
            portal("2026-10-20T07:56:00Z", "ListAccountRoles", PROD, "ReadOnly", uid=b),
            {"eventSource": "signin.amazonaws.com", "eventName": "UserAuthentication", "eventID": eid(),
             "eventTime": "2026-10-20T07:54:00Z", "additionalEventData": {"UserName": "bob"}},
            portal("2026-10-20T07:57:00Z", "Federate", PROD, "ReadOnly", uid="ffffffff-dead-beef-0000-000000000000"),
            portal("2026-10-20T07:58:00Z", "Federate", PROD, "ReadOnly", uname="mallory"),
            portal("2026-10-20T07:59:00Z", "Federate", "333333333333", "ReadOnly", uid=b),  # unknown account
            portal("2026-10-20T08:00:00Z", "Federate", PROD, "NoSuchSet", uid=b),  # unknown set
            portal("2026-10-20T08:01:00Z", "Federate", PROD, "Prod_Admin", uid=c),  # carol holds no such grant
        ]),
        (PROD, "20261015T1205Z", [
            saml("2026-10-15T12:00:00Z", PROD, "AWSReservedSSO_Prod_Admin_0123456789abcdef", "alice"),
            saml("2026-10-16T12:00:00Z", PROD, "AWSReservedSSO_ReadOnly_fedcba9876543210", "Bob", region=False),
            saml("2026-10-17T12:00:00Z", PROD, "AWSReservedSSO_ReadOnly_fedcba9876543210", "bob", error="Expired"),
            saml("2026-10-18T12:00:00Z", PROD, "Deployer", "alice"),  # not an Identity Center role
            saml("2026-10-19T12:00:00Z", PROD, "AWSReservedSSO_ReadOnly_fedcba9876543210", "zed"),  # unknown
        ]),
        (DEV, "20261016T0000Z", [saml("2026-10-15T23:58:00Z", DEV, "AWSReservedSSO_ReadOnly_00aa", "carol")], False),
    ]
    return [f if len(f) == 4 else f + (True,) for f in files]


def expected(files, ids):
    """The rules of EVIDENCE.md, applied to the records written."""
    by_id = {v: k for k, v in ids.items()}
    seen, table, usage, unmatched = set(), {}, 0, 0
    for _, _, recs, _ in files:
        for r in recs:
            if r["eventID"] in seen or r.get("errorCode") or not (WINDOW[0] <= r["eventTime"] <= WINDOW[1]):
                continue
            key = None
            if r["eventSource"] == "sso.amazonaws.com" and r["eventName"] in ("Federate", "GetRoleCredentials"):
                ui = r["userIdentity"]
                user = by_id.get(ui["onBehalfOf"]["userId"]) if "onBehalfOf" in ui else ui["userName"].lower()
                d = r.get("serviceEventDetails") or {}
                acct = d.get("account_id") or r["requestParameters"]["accountId"]
                role = d.get("role_name") or r["requestParameters"]["roleName"]
                key = (user, acct, role)
            elif r["eventSource"] == "sts.amazonaws.com" and r["eventName"] == "AssumeRoleWithSAML":
                name = r["requestParameters"]["roleArn"].split("/")[-1]
                if not name.startswith("AWSReservedSSO_"):
                    continue
                key = (r["requestParameters"]["roleSessionName"].lower(), r["recipientAccountId"],
                       name[len("AWSReservedSSO_"):name.rindex("_")])
            else:
                continue
            seen.add(r["eventID"])
            if key not in GRANTS:
                unmatched += 1
                continue
            usage += 1
            last, uses = table.get(key, ("", 0))
            table[key] = (max(last, r["eventTime"]), uses + 1)
    return {"table": {"|".join(k): v for k, v in table.items()}, "usage_events": usage, "unmatched": unmatched}


def write_file(trail, account, stamp, recs, gz, kind="CloudTrail", body=None):
    folder = os.path.join(trail, "AWSLogs", ORG, account, kind, REGION, stamp[:4], stamp[4:6], stamp[6:8])
    os.makedirs(folder, exist_ok=True)
    name = "%s_%s_%s_%s_%s.json" % (account, kind, REGION, stamp, "A1b2C3d4E5f6G7h8")
    data = body if body is not None else json.dumps({"Records": recs}).encode()
    path = os.path.join(folder, name + (".gz" if gz else ""))
    open(path, "wb").write(gzip.compress(data, mtime=0) if gz else data)
    return path


def write(directory, trail, out):
    ids = {u["user_name"]: u["id"] for u in json.load(open(directory))["users"] if u}
    assert USERS <= set(ids), ids
    files = records(ids)
    for account, stamp, recs, gz in files:
        write_file(trail, account, stamp, recs, gz)
    # Not event logs: a digest and an insight file (skipped unread), and three broken files.
    write_file(trail, MGMT, "20261111T0000Z", [], True, kind="CloudTrail-Digest", body=b'{"digestStartTime": 1}')
    write_file(trail, MGMT, "20261111T0001Z", [], False, kind="CloudTrail-Insight", body=b'not even json')
    corrupt = [write_file(trail, MGMT, "20261112T0000Z", [], True)]
    data = open(corrupt[0], "rb").read()
    open(corrupt[0], "wb").write(data[: len(data) // 2])  # a truncated gzip
    corrupt.append(write_file(trail, MGMT, "20261112T0001Z", [], False, body=b'{"Records": [{"eventID": "x"'))
    corrupt.append(write_file(trail, MGMT, "20261112T0002Z", [], False, body=b'{"records": []}'))
    e = expected(files, ids)
    e["files_skipped"] = len(corrupt)
    e["skipped_paths"] = sorted(corrupt)
    e["records_read"] = sum(len(f[2]) for f in files)
    json.dump(e, open(out, "w"), indent=1, sort_keys=True)


def check(expected_path, review_path):
    e, r = json.load(open(expected_path)), json.load(open(review_path))
    bad = []
    got = {"|".join((x["user"], x["account_id"], x["permission_set"])): (x["last_used"], x["uses"])
           for x in r["entries"]}
    want = {"|".join(g): tuple(e["table"].get("|".join(g), (None, 0))) for g in GRANTS}
    for k in sorted(set(got) | set(want)):
        if got.get(k) != want.get(k):
            bad.append("%s: review says %s, expected %s" % (k, got.get(k), want.get(k)))
    ev = r["evidence"]
    for field in ("usage_events", "unmatched", "files_skipped", "records_read"):
        if ev[field] != e[field]:
            bad.append("evidence.%s: review says %s, expected %s" % (field, ev[field], e[field]))
    paths = sorted(s["path"] for s in ev.get("skipped_files", []))
    if paths != e["skipped_paths"]:
        bad.append("skipped files: %s, expected %s" % (paths, e["skipped_paths"]))
    for x in bad:
        print("FAIL " + x)
    if not bad:
        print("ok   %d grants: last_used and uses as computed independently; %d usage events, %d unmatched, "
              "%d files skipped" % (len(got), e["usage_events"], e["unmatched"], e["files_skipped"]))
    return 1 if bad else 0


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(*sys.argv[2:5])
    else:
        sys.exit(check(*sys.argv[2:4]))
