#!/usr/bin/python3
"""Writes a small CloudTrail organization trail for examples/startup, deterministically.

    examples/gen-startup-trail.py [CONFIG_DIR] [OUT_DIR]
    (defaults: examples/startup, examples/startup-trail)

Try `gatehouse review` without AWS:

    make demo     # applies examples/startup to its local directory, then runs this
    build/gatehouse review examples/startup --cloudtrail examples/startup-trail

The trail looks like a local copy of an organization trail's bucket
(AWSLogs/o-.../<account>/CloudTrail/<region>/YYYY/MM/DD/*.json.gz) and holds every
kind of record `review` reads (EVIDENCE.md): portal `Federate` and
`GetRoleCredentials` in the new identity format (the user's Identity Store id,
taken from the live directory CONFIG_DIR/.gatehouse/directory.json that `make demo`
wrote) and in the older one (the user name), a member account's
`AssumeRoleWithSAML`, a record delivered twice (in two files), a failed call, a
listing call, a user the directory does not know, a plain .json file beside the
gzip ones and a digest file (skipped). Same directory in, same bytes out.
"""
import gzip
import io
import json
import os
import shutil
import sys

CONFIG = sys.argv[1] if len(sys.argv) > 1 else "examples/startup"
OUT = sys.argv[2] if len(sys.argv) > 2 else "examples/startup-trail"
ORG = "o-acme0example"
MGMT = "210987654300"  # the management account: Identity Center and its portal live here
REGION = "eu-west-1"
PROD, STAGING, DEV = "210987654321", "210987654322", "210987654323"


def user_ids():
    path = os.path.join(CONFIG, ".gatehouse", "directory.json")
    try:
        users = json.load(open(path))["users"]
    except (OSError, ValueError, KeyError):
        sys.exit("gen-startup-trail: %s is missing: run `make demo` (or `gatehouse apply %s`) first" % (path, CONFIG))
    return {u["user_name"]: u["id"] for u in users if u}


def portal(n, time, name, account, role, user_id=None, user_name=None, error=None):
    if user_id:
        ident = {"type": "IdentityCenterUser", "accountId": MGMT, "credentialId": "cred-%04d" % n,
                 "onBehalfOf": {"userId": user_id,
                                "identityStoreArn": "arn:aws:identitystore::%s:identitystore/d-93670000aa" % MGMT}}
    else:
        ident = {"type": "Unknown", "principalId": "%s:%s" % (MGMT, user_name), "accountId": MGMT,
                 "userName": user_name}
    r = {"eventVersion": "1.10", "userIdentity": ident, "eventTime": time, "eventSource": "sso.amazonaws.com",
         "eventName": name, "awsRegion": REGION, "sourceIPAddress": "198.51.100.%d" % (n % 250),
         "userAgent": "aws-cli/2.17.0", "requestParameters": None, "responseElements": None,
         "eventID": "0c5e%04d-7d1a-4b7e-9f3a-5ample%06d" % (n, n), "readOnly": False,
         "eventType": "AwsServiceEvent", "managementEvent": True, "recipientAccountId": MGMT,
         "serviceEventDetails": {"account_id": account, "role_name": role}, "eventCategory": "Management"}
    if error:
        r["errorCode"], r["errorMessage"] = error, "Access denied"
    return r


def saml(n, time, account, role_set, user, with_region=True):
    path = "aws-reserved/sso.amazonaws.com/" + (REGION + "/" if with_region else "")
    arn = "arn:aws:iam::%s:role/%sAWSReservedSSO_%s_%016x" % (account, path, role_set, 0xA1B2C3D4E5F60000 + n)
    return {"eventVersion": "1.08",
            "userIdentity": {"type": "SAMLUser", "principalId": "x:%s" % user, "userName": user,
                             "identityProvider": "AWSSSO_f00d_DO_NOT_DELETE"},
            "eventTime": time, "eventSource": "sts.amazonaws.com", "eventName": "AssumeRoleWithSAML",
            "awsRegion": REGION, "sourceIPAddress": "AWS Internal", "userAgent": "sso.amazonaws.com",
            "requestParameters": {"roleArn": arn, "roleSessionName": user, "durationSeconds": 3600,
                                  "principalArn": "arn:aws:iam::%s:saml-provider/AWSSSO_f00d_DO_NOT_DELETE" % account},
            "responseElements": {"assumedRoleUser": {"arn": "arn:aws:sts::%s:assumed-role/AWSReservedSSO_%s/%s"
                                                     % (account, role_set, user)}},
            "eventID": "5a3e%04d-1c2d-4e5f-8a9b-5ample%06d" % (n, n), "readOnly": True,
            "eventType": "AwsApiCall", "managementEvent": True, "recipientAccountId": account,
            "eventCategory": "Management"}


def write(account, stamp, records, gz=True, digest=False):
    day = "%s/%s/%s" % (stamp[0:4], stamp[4:6], stamp[6:8])
    kind = "CloudTrail-Digest" if digest else "CloudTrail"
    folder = os.path.join(OUT, "AWSLogs", ORG, account, kind, REGION, day)
    os.makedirs(folder, exist_ok=True)
    name = "%s_%s_%s_%s_%s.json" % (account, kind, REGION, stamp, stamp.replace("T", "x")[::-1].ljust(16, "0")[:16])
    body = json.dumps({"Records": records} if not digest else {"digestStartTime": stamp}, indent=None,
                      sort_keys=True).encode()
    if gz:
        buf = io.BytesIO()
        with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as f:
            f.write(body)
        open(os.path.join(folder, name + ".gz"), "wb").write(buf.getvalue())
    else:
        open(os.path.join(folder, name), "wb").write(body)


def main():
    ids = user_ids()
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    maya_prod = portal(1, "2026-11-28T08:15:02Z", "Federate", PROD, "ProdOperator", user_id=ids["maya"])
    write(MGMT, "20261005T0920Z", [
        portal(2, "2026-10-05T09:14:40Z", "GetRoleCredentials", STAGING, "Developer", user_name="maya"),  # old format
        portal(3, "2026-10-05T09:15:10Z", "ListAccounts", "", "", user_name="maya"),  # listing: not usage
    ])
    write(MGMT, "20261127T1705Z", [
        portal(4, "2026-11-27T17:01:33Z", "GetRoleCredentials", DEV, "Developer", user_id=ids["priya"]),
        portal(5, "2026-11-27T17:02:00Z", "Federate", PROD, "ProdOperator", user_id=ids["priya"],
               error="AccessDenied"),  # failed: not usage
        portal(6, "2026-11-27T17:03:00Z", "Federate", PROD, "ProdViewOnly", user_name="alex"),  # unknown user
        portal(7, "2026-11-20T11:00:00Z", "Federate", PROD, "ProdOperator", user_id=ids["maya"]),
    ])
    write(MGMT, "20261128T0820Z", [maya_prod])
    write(MGMT, "20261128T0825Z", [maya_prod], gz=False)  # the same event delivered twice
    write(PROD, "20261125T1410Z", [saml(8, "2026-11-25T14:05:51Z", PROD, "ProdViewOnly", "tom")])
    write(STAGING, "20261126T1010Z", [saml(9, "2026-11-26T10:04:12Z", STAGING, "Developer", "tom", with_region=False)])
    write(MGMT, "20261128T0900Z", [], digest=True)  # a digest: skipped
    print("wrote %s" % OUT)


main()
