#!/usr/bin/env python3
"""Seeds of the response fuzzers (fuzz/seed.sh): conversations in the format of
fuzz/replay_transport.h: segments joined by "\\n#--\\n", each a status digit
('0' 200, '4' 400, '5' 404, '6' 409, '7' 429, '8' 500) and a body.
usage: seed_responses.py SRC OUT_CORPUS_DIR"""
import hashlib
import json
import pathlib
import re
import sys

src, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
SEP = "\n#--\n"


def add(corpus, segments):
    text = SEP.join(segments)
    (out / corpus / hashlib.sha1(text.encode()).hexdigest()).write_text(text)


def ok(body):
    return "0" + json.dumps(body)


# AWS: every raw-string body of the AWS tests, alone and as one conversation.
bodies = []
for f in (src / "tests" / "aws").glob("*.cc"):
    bodies += re.findall(r'R"\((\{.*?\})\)"', f.read_text(errors="replace"), re.S)
for b in bodies:
    add("aws_response", ["0" + b])
    add("aws_response", ["4" + b])
add("aws_response", ["0" + b for b in bodies])

inst = "arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6"
ps_arn = inst.replace("instance", "permissionSet") + "/ps-0123456789abcdef"
user = {"UserId": "u-1", "UserName": "alice", "DisplayName": "Alice", "Name": {"GivenName": "A", "FamilyName": "L"},
        "Emails": [{"Value": "a@example.com", "Primary": True}], "IdentityStoreId": "d-90677b1a2b"}
group = {"GroupId": "g-1", "DisplayName": "Admins", "Description": "admins", "IdentityStoreId": "d-90677b1a2b"}
status = {"RequestId": "r-1", "Status": "IN_PROGRESS", "CreatedDate": 1.8e9}
read = [
    ok({"Users": [user], "NextToken": "t1"}), ok({"Users": []}),
    ok({"Groups": [group]}),
    ok({"GroupMemberships": [{"GroupId": "g-1", "MemberId": {"UserId": "u-1"}, "MembershipId": "m-1"}]}),
    ok({"PermissionSets": [ps_arn]}),
    ok({"PermissionSet": {"Name": "Admin", "PermissionSetArn": ps_arn, "SessionDuration": "PT1H",
                          "Description": "admin", "RelayState": "https://x"}}),
    ok({"AttachedManagedPolicies": [{"Arn": "arn:aws:iam::aws:policy/ReadOnlyAccess", "Name": "ReadOnlyAccess"}]}),
    ok({"CustomerManagedPolicyReferences": [{"Name": "p", "Path": "/"}]}),
    ok({"InlinePolicy": json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]})}),
    ok({"PermissionsBoundary": {"ManagedPolicyArn": "arn:aws:iam::aws:policy/PowerUserAccess"}}),
    ok({"Tags": [{"Key": "team", "Value": "x"}]}),
    ok({"PermissionSets": [ps_arn]}), ok({"PermissionSets": []}),
    ok({"AccountAssignments": [{"AccountId": "222222222222", "PermissionSetArn": ps_arn, "PrincipalType": "GROUP",
                                "PrincipalId": "g-1"}]}),
    ok({"Roots": [{"Id": "r-ab12", "Arn": "arn:aws:organizations::1:root/o-x/r-ab12", "Name": "Root"}]}),
    ok({"Accounts": [{"Id": "222222222222", "Name": "prod", "Status": "ACTIVE"}]}),
    ok({"OrganizationalUnits": [{"Id": "ou-ab12-11111111", "Name": "Prod"}]}),
]
lock = [ok({"AccountAssignmentsCreationStatus": [status]}),
        ok({"AccountAssignmentCreationStatus": dict(status, Status="SUCCEEDED")}),
        ok({"AccountAssignmentsDeletionStatus": []}),
        ok({"PermissionSetsProvisioningStatus": [dict(status, RequestId="r-2")]}),
        ok({"PermissionSetProvisioningStatus": dict(status, RequestId="r-2", Status="FAILED", FailureReason="x")})]
conflict = "6" + json.dumps({"__type": "ConflictException", "Message": "exists"})
adopt = [conflict, ok({"UserId": "u-1"}), conflict, ok({"GroupId": "g-1"}), conflict, ok({"MembershipId": "m-1"})]
errors = ["7" + json.dumps({"__type": "ThrottlingException", "message": "slow", "RetryAfterSeconds": 1}),
          "8" + json.dumps({"__type": "com.amazonaws.swbup#InternalServerException"}), "X", "0not json", "0",
          "4" + json.dumps({"__type": "AccessDeniedException", "Message": "no"})]
add("aws_response", lock + read)
add("aws_response", ["0{}"] * 3 + read + adopt)
add("aws_response", errors + read)
for seg in read + lock + adopt + errors:
    add("aws_response", [seg])

# SCIM: list responses, resources, errors, in the shapes of tests/scim.
def lst(resources, total=None, start=1):
    return {"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults":
            len(resources) if total is None else total, "startIndex": start, "itemsPerPage": len(resources),
            "Resources": resources}


su = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "u1", "userName": "alice",
      "displayName": "Alice", "name": {"givenName": "A", "familyName": "L"},
      "emails": [{"value": "a@example.com", "primary": True, "type": "work"}], "active": True,
      "groups": [{"value": "g1", "display": "Admins"}]}
sg = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": "g1", "displayName": "Admins",
      "members": [{"value": "u1", "display": "alice"}]}
err = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "409", "scimType": "uniqueness",
       "detail": "exists"}
sread = [ok(lst([su], 3)), ok(lst([dict(su, id="u2", userName="bob")], 3, 2)), ok(lst([], 3, 3)),
         ok(lst([sg])), ok(lst([dict(sg, members=[])])), ok(lst([su]))]
sapply = ["6" + json.dumps(err), ok(lst([su])), "0" + json.dumps(su), "0" + json.dumps(sg), "0", "5" +
          json.dumps(dict(err, status="404")), "7" + json.dumps(dict(err, status="429")), "X", "0<html>"]
add("scim_response", sread + sapply)
add("scim_response", sapply + sread)
for seg in sread + sapply:
    add("scim_response", [seg])
