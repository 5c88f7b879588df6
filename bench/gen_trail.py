#!/usr/bin/python3
"""Generates a CloudTrail organization trail for the `review` benchmark, deterministically.

    bench/gen_trail.py OUT_DIR [--mb 1100] [--file-mb 4] [--seed 42]

Writes OUT_DIR/config/gatehouse.yaml (200 users, 20 accounts, 5 permission sets,
each user in one of 10 groups, each group assigned two sets on every account) and
OUT_DIR/trail/AWSLogs/o-bench/<account>/CloudTrail/<region>/YYYY/MM/DD/*.json.gz:
gzip files of about FILE_MB uncompressed each, --mb MB uncompressed in total.
About 2% of the records are usage (portal Federate/GetRoleCredentials in both
identity formats, member-account AssumeRoleWithSAML), with duplicates; the rest
are ordinary API calls with request and response bodies (EC2, S3, IAM, STS, KMS)
of 0.5-3 KB, like a real organization trail. Prints the totals.
"""
import argparse
import gzip
import json
import os
import random

p = argparse.ArgumentParser()
p.add_argument("out")
p.add_argument("--mb", type=float, default=1100)
p.add_argument("--file-mb", type=float, default=4)
p.add_argument("--seed", type=int, default=42)
a = p.parse_args()
rng = random.Random(a.seed)

ACCOUNTS = ["%012d" % (100000000000 + i) for i in range(20)]
SETS = ["Admin_Access", "ReadOnly", "Developer", "Billing", "Ops_OnCall"]
USERS = ["user%03d" % i for i in range(200)]
GROUPS = ["Team%02d" % g for g in range(10)]
MGMT = "999999999999"
REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"]


def write_config():
    d = os.path.join(a.out, "config")
    os.makedirs(d, exist_ok=True)
    lines = ["accounts:"] + ['  - {id: "%s", name: acct-%02d}' % (x, i) for i, x in enumerate(ACCOUNTS)]
    lines += ["users:"] + ["  - {user_name: %s, display_name: %s, given_name: U, family_name: %s, email: %s@example.com}"
                           % (u, u, u, u) for u in USERS]
    lines += ["groups:"] + ["  - {name: %s, members: [%s]}" % (g, ", ".join(USERS[i::10])) for i, g in enumerate(GROUPS)]
    lines += ["permission_sets:"] + ["  - {name: %s, managed_policies: [ReadOnlyAccess]}" % s for s in SETS]
    lines += ["assignments:"]
    for i, g in enumerate(GROUPS):
        for s in (SETS[i % 5], SETS[(i + 2) % 5]):
            lines.append("  - {group: %s, permission_set: %s, accounts: {all: true}}" % (g, s))
    open(os.path.join(d, "gatehouse.yaml"), "w").write("\n".join(lines) + "\n")


def noise(n, t, acct, region):
    svc = rng.choice(["ec2", "s3", "iam", "sts", "kms"])
    items = [{"instanceId": "i-%017x" % rng.getrandbits(68), "state": {"code": 16, "name": "running"},
              "tagSet": {"items": [{"key": "team", "value": "t%d" % rng.randrange(50)}]},
              "privateIpAddress": "10.%d.%d.%d" % (rng.randrange(256), rng.randrange(256), rng.randrange(256))}
             for _ in range(rng.randrange(1, 12))]
    return {"eventVersion": "1.09",
            "userIdentity": {"type": "AssumedRole", "principalId": "AROA%016X:session" % rng.getrandbits(64),
                             "arn": "arn:aws:sts::%s:assumed-role/app-role-%d/session" % (acct, rng.randrange(30)),
                             "accountId": acct, "accessKeyId": "ASIA%016X" % rng.getrandbits(64),
                             "sessionContext": {"sessionIssuer": {"type": "Role", "userName": "app-role"},
                                                "attributes": {"creationDate": t, "mfaAuthenticated": "false"}}},
            "eventTime": t, "eventSource": svc + ".amazonaws.com",
            "eventName": rng.choice(["Describe", "Get", "List", "Put", "Create"]) + "Thing%d" % rng.randrange(40),
            "awsRegion": region, "sourceIPAddress": "203.0.113.%d" % rng.randrange(256),
            "userAgent": "aws-sdk-go-v2/1.30.%d os/linux lang/go#1.22" % rng.randrange(9),
            "requestParameters": {"filterSet": {"items": [{"name": "tag:team", "valueSet": {"items": [{"value": "x"}]}}]},
                                  "maxResults": 1000},
            "responseElements": {"reservationSet": {"items": items}} if rng.random() < 0.5 else None,
            "requestID": "%032x" % rng.getrandbits(128), "eventID": "%032x" % rng.getrandbits(128),
            "readOnly": True, "eventType": "AwsApiCall", "managementEvent": True, "recipientAccountId": acct,
            "eventCategory": "Management", "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
                                                          "clientProvidedHostHeader": svc + "." + region + ".amazonaws.com"}}


def usage(t, acct):
    u = rng.choice(USERS)
    s = rng.choice(SETS)
    eid = "%032x" % rng.getrandbits(128)
    if rng.random() < 0.5:
        arn = "arn:aws:iam::%s:role/aws-reserved/sso.amazonaws.com/%sAWSReservedSSO_%s_%016x" % (
            acct, rng.choice(["", "eu-west-1/"]), s, rng.getrandbits(64))
        return {"eventVersion": "1.08", "userIdentity": {"type": "SAMLUser", "userName": u}, "eventTime": t,
                "eventSource": "sts.amazonaws.com", "eventName": "AssumeRoleWithSAML",
                "requestParameters": {"roleArn": arn, "roleSessionName": u}, "eventID": eid, "recipientAccountId": acct}
    ident = ({"type": "Unknown", "userName": u} if rng.random() < 0.5 else
             {"type": "IdentityCenterUser", "onBehalfOf": {"userId": "id-%s" % u}})
    return {"eventVersion": "1.10", "userIdentity": ident, "eventTime": t, "eventSource": "sso.amazonaws.com",
            "eventName": rng.choice(["Federate", "GetRoleCredentials"]), "requestParameters": None,
            "serviceEventDetails": {"account_id": acct, "role_name": s}, "eventID": eid,
            "recipientAccountId": MGMT}


def main():
    write_config()
    # Ordinary records come from a pool (serialised once: generating 1 GB of JSON
    # record by record in Python takes too long); usage records are made fresh.
    pool = [json.dumps(noise(i, "2026-10-%02dT%02d:%02d:00Z" % (1 + i % 28, i % 24, i % 60),
                             ACCOUNTS[i % 20], REGIONS[i % 3]), separators=(",", ":")).encode()
            for i in range(4000)]
    total, files, records, target = 0, 0, 0, a.mb * 1e6
    while total < target:
        acct = ACCOUNTS[files % len(ACCOUNTS)]
        region = REGIONS[files % 3]
        day = (files // 40) % 85
        month, dom = 9 + day // 30, 1 + day % 28
        parts, size = [], 0
        while size < a.file_mb * 1e6:
            if rng.random() < 0.02:
                t = "2026-%02d-%02dT%02d:%02d:%02dZ" % (month, dom, rng.randrange(24), rng.randrange(60),
                                                      rng.randrange(60))
                r = json.dumps(usage(t, acct), separators=(",", ":")).encode()
                if rng.random() < 0.05:
                    parts.append(r)  # a duplicate
            else:
                r = pool[rng.randrange(len(pool))]
            parts.append(r)
            size += len(r) + 1
        body = b'{"Records":[' + b",".join(parts) + b"]}"
        folder = os.path.join(a.out, "trail", "AWSLogs", "o-bench", acct, "CloudTrail", region,
                              "2026/%02d/%02d" % (month, dom))
        os.makedirs(folder, exist_ok=True)
        name = "%s_CloudTrail_%s_2026%02d%02dT%04dZ_%08d.json.gz" % (acct, region, month, dom, files % 2400, files)
        open(os.path.join(folder, name), "wb").write(gzip.compress(body, compresslevel=6, mtime=0))
        total += len(body)
        records += len(parts)
        files += 1
    print("trail: %d files, %d records, %.0f MB uncompressed" % (files, records, total / 1e6))


main()
