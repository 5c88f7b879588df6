#!/usr/bin/python3
"""Checks of the fake's service semantics, limits, faults and control API,
driven through botocore clients (Debian's python3-botocore).  Exit 0 = pass."""

import json
import os
import sys

import botocore.config
import botocore.exceptions
import botocore.session

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fakectl import ACCESS_KEY, SECRET_KEY, FakeAws  # noqa: E402

INST = "arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6"
IS = "d-90677b1a2b"
SEED = {
    "instance": {"arn": INST, "identity_store_id": IS},
    "organization": {"id": "o-abcdef1234", "master_account_id": "111111111111", "root_id": "r-ab12"},
    "accounts": [{"id": "%012d" % (200000000000 + i), "name": "acct%d" % i} for i in range(20)],
    "users": [{"UserName": "alice", "DisplayName": "Alice", "Name": {"GivenName": "A", "FamilyName": "L"}}],
    "groups": [{"DisplayName": "Admins"}],
    "memberships": [{"group": "Admins", "user": "alice"}],
    "permission_sets": [{"Name": "Admin", "ManagedPolicies": ["arn:aws:iam::aws:policy/AdministratorAccess"],
                         "Tags": {"owner": "sec"}, "RelayState": "https://example.com/"}],
    "assignments": [{"AccountId": "200000000000", "permission_set": "Admin", "group": "Admins"}],
}


MODELS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "third_party", "aws-models")


def client(fake, name, **kw):
    s = botocore.session.get_session()
    # The vendored models: Debian's botocore may predate the application APIs.
    s.get_component("data_loader").search_paths.insert(0, MODELS)
    return s.create_client(name, region_name="us-east-1", endpoint_url=fake.url,
                           aws_access_key_id=kw.get("ak", ACCESS_KEY), aws_secret_access_key=SECRET_KEY,
                           config=botocore.config.Config(retries={"total_max_attempts": 1, "mode": "standard"},
                                                         connect_timeout=5, read_timeout=10))


def code(fn, *a, **kw):
    try:
        fn(*a, **kw)
    except botocore.exceptions.ClientError as e:
        return e.response["Error"]["Code"]
    except botocore.exceptions.ConnectionError as e:
        return "ConnectionError"
    except botocore.exceptions.HTTPClientError as e:
        return "ConnectionError"
    return "OK"


def check_applications():
    """Seeded applications: assignments need the application and the principal; a
    duplicate create answers ConflictException, a missing delete ResourceNotFoundException."""
    with FakeAws("--page-size", "2") as fake:
        seed = dict(SEED, applications=[{"Name": "Salesforce"}, {"Name": "Wiki", "AssignmentRequired": False},
                                        {"Name": "Jira"}],
                    application_assignments=[{"application": "Salesforce", "group": "Admins"}])
        fake.seed(seed)
        st = fake.state()
        sso = client(fake, "sso-admin")
        apps = sso.list_applications(InstanceArn=INST, MaxResults=50)
        assert len(apps["Applications"]) == 2 and apps.get("NextToken"), apps
        arn = {a["Name"]: a["ApplicationArn"] for a in st["applications"]}
        uid = st["users"][0]["UserId"]
        gid = st["groups"][0]["GroupId"]
        assert sso.get_application_assignment_configuration(ApplicationArn=arn["Wiki"])["AssignmentRequired"] is False
        sso.put_application_assignment_configuration(ApplicationArn=arn["Wiki"], AssignmentRequired=True)
        assert fake.state()["applications"][1]["AssignmentRequired"] is True
        key = dict(ApplicationArn=arn["Salesforce"], PrincipalId=gid, PrincipalType="GROUP")
        assert code(sso.create_application_assignment, **key) == "ConflictException"
        assert code(sso.describe_application_assignment, **key) == "OK"
        user = dict(ApplicationArn=arn["Salesforce"], PrincipalId=uid, PrincipalType="USER")
        assert code(sso.delete_application_assignment, **user) == "ResourceNotFoundException"
        assert code(sso.create_application_assignment, **user) == "OK"
        listed = sso.list_application_assignments(ApplicationArn=arn["Salesforce"])["ApplicationAssignments"]
        assert {a["PrincipalType"] for a in listed} == {"USER", "GROUP"}, listed
        nobody = dict(user, PrincipalId="11111111-2222-3333-4444-555555555555")
        assert code(sso.create_application_assignment, **nobody) == "ResourceNotFoundException"
        gone = dict(user, ApplicationArn=arn["Salesforce"][:-4] + "zzzz")
        assert code(sso.create_application_assignment, **gone) == "ResourceNotFoundException"
        assert code(sso.delete_application_assignment, **user) == "OK"
        s = fake.stats()
        assert s["validation"] == 0 and s["signature"] == 0, s["rejections"]
        assert s["response_model_errors_total"] == 0, s["response_model_errors"]


def main():
    with FakeAws("--async-delay", "5", "--page-size", "2") as fake:
        fake.seed(SEED)
        st = fake.state()
        assert st["assignments"][0]["group"] == "Admins" and st["provisioned"][0]["current"], st["provisioned"]
        ids = client(fake, "identitystore")
        sso = client(fake, "sso-admin")
        org = client(fake, "organizations")
        ps = st["permission_sets"][0]["PermissionSetArn"]
        uid = st["users"][0]["UserId"]

        # identity store semantics
        assert code(ids.delete_user, IdentityStoreId=IS, UserId="90677b1a2b-" + "0" * 8 + "-0000-0000-0000-" + "0" * 12) \
            == "ResourceNotFoundException"
        assert code(ids.create_user, IdentityStoreId=IS, UserName="administrator", DisplayName="x",
                    Name={"GivenName": "a", "FamilyName": "b"}) == "ValidationException"
        assert code(ids.create_group, IdentityStoreId=IS, DisplayName="admins") == "ConflictException"
        assert code(ids.create_group_membership, IdentityStoreId=IS, GroupId=st["groups"][0]["GroupId"],
                    MemberId={"UserId": uid}) == "ConflictException"
        r = ids.is_member_in_groups(IdentityStoreId=IS, MemberId={"UserId": uid},
                                    GroupIds=[st["groups"][0]["GroupId"]])
        assert r["Results"][0]["MembershipExists"] is True

        # UpdatePermissionSet clears RelayState when omitted; policy change -> NOT_PROVISIONED
        sso.update_permission_set(InstanceArn=INST, PermissionSetArn=ps, SessionDuration="PT2H")
        d = sso.describe_permission_set(InstanceArn=INST, PermissionSetArn=ps)["PermissionSet"]
        assert "RelayState" not in d and d["SessionDuration"] == "PT2H", d
        r = sso.list_accounts_for_provisioned_permission_set(
            InstanceArn=INST, PermissionSetArn=ps, ProvisioningStatus="LATEST_PERMISSION_SET_NOT_PROVISIONED")
        assert r["AccountIds"] == ["200000000000"], r
        assert code(sso.delete_permission_set, InstanceArn=INST, PermissionSetArn=ps) == "ConflictException"

        # at most 15 assignment creations in flight
        codes = [code(sso.create_account_assignment, InstanceArn=INST, TargetId="%012d" % (200000000000 + i),
                      TargetType="AWS_ACCOUNT", PermissionSetArn=ps, PrincipalType="USER", PrincipalId=uid)
                 for i in range(1, 17)]
        assert codes[:15] == ["OK"] * 15 and codes[15] == "ThrottlingException", codes
        # at most 3 concurrent provisionings
        extra = [sso.create_permission_set(InstanceArn=INST, Name="P%d" % i)["PermissionSet"]["PermissionSetArn"]
                 for i in range(4)]
        codes = [code(sso.provision_permission_set, InstanceArn=INST, PermissionSetArn=p, TargetId="200000000001",
                      TargetType="AWS_ACCOUNT") for p in extra]
        assert codes == ["OK", "OK", "OK", "ConflictException"], codes
        s = fake.stats()
        assert s["max_inflight_assignment_creations"] == 15 and s["max_concurrent_provisionings"] == 3, s

        # pagination follows NextToken with small pages
        r = sso.list_permission_sets(InstanceArn=INST)
        assert len(r["PermissionSets"]) == 2 and "NextToken" in r
        r = sso.list_permission_sets(InstanceArn=INST, MaxResults=1)
        assert len(r["PermissionSets"]) == 1
        assert code(sso.list_permission_sets, InstanceArn=INST, NextToken="garbage") == "ValidationException"
        p = org.get_paginator("list_accounts")
        assert sum(len(pg["Accounts"]) for pg in p.paginate()) == 21

        # faults
        fake.faults({"throttle": 1.0})
        assert code(ids.list_groups, IdentityStoreId=IS) == "ThrottlingException"
        assert code(org.list_roots) == "TooManyRequestsException"
        fake.faults({"error500": 1.0})
        assert code(sso.list_instances) == "InternalServerException"
        fake.faults({"drop": 1.0})
        assert code(sso.list_instances) == "ConnectionError"
        fake.faults({"error500_after": 1.0})
        c = code(ids.create_group, IdentityStoreId=IS, DisplayName="Ops")
        assert c == "InternalServerException", c
        fake.faults({})
        assert code(ids.create_group, IdentityStoreId=IS, DisplayName="Ops") == "ConflictException"
        s = fake.stats()
        assert s["throttled"] == 2 and s["error500"] == 2 and s["dropped"] == 1, s
        assert s["validation"] == 0 and s["signature"] == 0, s["rejections"]
        assert s["response_model_errors_total"] == 0, s["response_model_errors"]

        # reset
        fake.reset()
        assert fake.state()["users"] == [] and fake.stats()["total_requests"] == 0

    check_applications()

    # rate limiter: 5 req/s per family
    with FakeAws("--rate-limit", "5") as fake:
        org = client(fake, "organizations")
        codes = [code(org.list_roots) for _ in range(10)]
        assert "TooManyRequestsException" in codes and codes[0] == "OK", codes
        assert fake.stats()["rate_limited"] >= 1
    print("selftest_semantics: PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
