#!/usr/bin/python3
"""End-to-end tests of the AWS target against the strict fake (tests/fake_aws).

Usage: e2e_fake_test.py PATH/TO/gh_aws_driver
Each scenario runs the driver (read / apply) with the fake as endpoint and
checks the fake's own state, then that the fake rejected nothing (validation,
signature) and that no secret appears in any output or log.
"""
import copy
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fake_aws"))
from fakectl import FakeAws, ACCESS_KEY, SECRET_KEY  # noqa: E402

INSTANCE = "arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6"
STORE = "d-90677b1a2b"
SESSION_KEY = ("ASIAFAKESESSION00001", "session/secret/value/0000000000000000000",
               "FwoGZXIvYXdzSESSIONTOKENfake0000000000000000")
WEB_TOKEN = "eyJhbGciOiJSUzI1NiJ9.web-identity-token-secret.sig"
SECRETS = [SECRET_KEY, SESSION_KEY[1], SESSION_KEY[2], WEB_TOKEN]

DRIVER = sys.argv[1] if len(sys.argv) > 1 else None
OUTPUTS = []  # every stdout/stderr we saw, checked for secrets at the end
FAILURES = []


def check(cond, msg):
    if not cond:
        FAILURES.append(msg)
        print("FAIL: " + msg, flush=True)
    return cond


SEED = {
    "instance": {"arn": INSTANCE, "identity_store_id": STORE},
    "organization": {"id": "o-abcdef1234", "master_account_id": "111111111111", "root_id": "r-ab12"},
    "organizational_units": [
        {"id": "ou-ab12-prod0001", "name": "Prod", "parent_id": "r-ab12"},
        {"id": "ou-ab12-paym0001", "name": "Payments", "parent_id": "ou-ab12-prod0001"}],
    "accounts": [
        {"id": "222222222222", "name": "payments-prod", "parent_id": "ou-ab12-paym0001",
         "tags": {"Environment": "prod"}},
        {"id": "333333333333", "name": "payments-dev", "tags": {"Environment": "dev"}},
        {"id": "444444444444", "name": "sandbox"}],
    "users": [
        {"UserName": "alice", "DisplayName": "Alice A", "Name": {"GivenName": "Alice", "FamilyName": "A"},
         "Emails": [{"Value": "alice@example.com", "Primary": True}]},
        {"UserName": "bob", "DisplayName": "Bob B", "Name": {"GivenName": "Bob", "FamilyName": "B"}},
        {"UserName": "olga", "DisplayName": "Olga O", "Name": {"GivenName": "Olga", "FamilyName": "O"}}],
    "groups": [{"DisplayName": "Admins", "Description": "admins"},
               {"DisplayName": "Legacy", "Description": "to delete"}],
    "memberships": [{"group": "Admins", "user": "alice"}, {"group": "Legacy", "user": "olga"},
                    {"group": "Admins", "user": "bob"}],
    "permission_sets": [
        {"Name": "Admin", "Description": "full", "SessionDuration": "PT2H",
         "RelayState": "https://console.aws.amazon.com/",
         "ManagedPolicies": ["arn:aws:iam::aws:policy/AdministratorAccess"],
         "InlinePolicy": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}]}",
         "Tags": {"managed-by": "gatehouse", "team": "platform"}},
        {"Name": "Old", "Description": "old set", "SessionDuration": "PT1H"}],
    "assignments": [
        {"AccountId": "222222222222", "permission_set": "Admin", "group": "Admins"},
        {"AccountId": "333333333333", "permission_set": "Old", "user": "olga"}],
    "provisioned": [{"AccountId": "444444444444", "permission_set": "Admin", "current": False}],
}

ACCOUNTS_HINT = {"222222222222": {"name": "payments-prod"}, "333333333333": {"name": "payments-dev"},
                 "444444444444": {"name": "sandbox"}}

EXPECTED_READ = {
    "users": {
        "alice": {"display_name": "Alice A", "given_name": "Alice", "family_name": "A", "email": "alice@example.com"},
        "bob": {"display_name": "Bob B", "given_name": "Bob", "family_name": "B", "email": ""},
        "olga": {"display_name": "Olga O", "given_name": "Olga", "family_name": "O", "email": ""}},
    "groups": {"Admins": {"description": "admins"}, "Legacy": {"description": "to delete"}},
    "memberships": [["Admins", "alice"], ["Admins", "bob"], ["Legacy", "olga"]],
    "permission_sets": {
        "Admin": {"description": "full", "session_duration": "PT2H", "relay_state": "https://console.aws.amazon.com/",
                  "managed_policies": ["arn:aws:iam::aws:policy/AdministratorAccess"],
                  "customer_managed_policies": [],
                  "inline_policy": "{\"Statement\":[{\"Action\":\"s3:*\",\"Effect\":\"Allow\",\"Resource\":\"*\"}],\"Version\":\"2012-10-17\"}",
                  "permissions_boundary": None, "tags": {"team": "platform"}, "outdated_accounts": ["444444444444"]},
        "Old": {"description": "old set", "session_duration": "PT1H", "relay_state": "", "managed_policies": [],
                "customer_managed_policies": [], "inline_policy": "", "permissions_boundary": None, "tags": {},
                "outdated_accounts": []}},
    "accounts": {
        "111111111111": {"name": "management", "ou": "", "environment": "", "tags": {}},
        "222222222222": {"name": "payments-prod", "ou": "Prod/Payments", "environment": "prod",
                         "tags": {"Environment": "prod"}},
        "333333333333": {"name": "payments-dev", "ou": "", "environment": "dev", "tags": {"Environment": "dev"}},
        "444444444444": {"name": "sandbox", "ou": "", "environment": "", "tags": {}}},
    "assignments": [["GROUP", "Admins", "Admin", "222222222222"], ["USER", "olga", "Old", "333333333333"]],
}


def desired_small():
    d = copy.deepcopy(EXPECTED_READ)
    d["accounts"] = {k: {"name": v["name"]} for k, v in ACCOUNTS_HINT.items()}
    for ps in d["permission_sets"].values():
        ps.pop("outdated_accounts")
    d["users"]["carol"] = {"display_name": "Carol C", "given_name": "Carol", "family_name": "C",
                           "email": "carol@example.com"}
    d["users"]["bob"]["display_name"] = "Robert B"
    d["users"]["bob"]["email"] = "bob@example.com"
    d["users"]["alice"]["email"] = ""
    del d["users"]["olga"]
    d["groups"]["Devs"] = {"description": "developers"}
    d["groups"]["Admins"]["description"] = "administrators"
    del d["groups"]["Legacy"]
    d["memberships"] = [["Admins", "alice"], ["Devs", "bob"], ["Devs", "carol"]]
    admin = d["permission_sets"]["Admin"]
    admin["description"] = "full access"
    admin["inline_policy"] = ""
    admin["managed_policies"] = ["arn:aws:iam::aws:policy/AdministratorAccess",
                                 "arn:aws:iam::aws:policy/ReadOnlyAccess"]
    admin["tags"] = {"team": "security", "tier": "1"}
    d["permission_sets"]["ReadOnly"] = {
        "description": "read only", "session_duration": "PT4H", "relay_state": "",
        "managed_policies": ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
        "customer_managed_policies": [{"name": "team-read", "path": "/gatehouse/"}],
        "inline_policy": json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Deny", "Action": ["iam:*"], "Resource": "*"}]}),
        "permissions_boundary": {"managed_policy_arn": "arn:aws:iam::aws:policy/PowerUserAccess"},
        "tags": {"team": "dev"}}
    del d["permission_sets"]["Old"]
    d["assignments"] = [["GROUP", "Admins", "Admin", "222222222222"],
                        ["GROUP", "Devs", "ReadOnly", "222222222222"],
                        ["GROUP", "Devs", "ReadOnly", "333333333333"],
                        ["USER", "carol", "Admin", "333333333333"]]
    return d


def desired_large(n_users=40, n_groups=6):
    d = desired_small()
    for i in range(n_users):
        d["users"]["user%02d" % i] = {"display_name": "User %d" % i, "given_name": "U%d" % i,
                                      "family_name": "Test", "email": "user%02d@example.com" % i}
    for g in range(n_groups):
        d["groups"]["team%d" % g] = {"description": "team %d" % g}
        for i in range(g, n_users, n_groups):
            d["memberships"].append(["team%d" % g, "user%02d" % i])
        for acct in ACCOUNTS_HINT:
            d["assignments"].append(["GROUP", "team%d" % g, "ReadOnly" if g % 2 else "Admin", acct])
    for i in range(0, n_users, 8):
        d["assignments"].append(["USER", "user%02d" % i, "ReadOnly", "444444444444"])
    return d


def normalize(state):
    """The comparable part of a driver state (lists sorted, outdated dropped)."""
    s = copy.deepcopy(state)
    s.pop("accounts", None)
    s["memberships"] = sorted(map(list, s["memberships"]))
    s["assignments"] = sorted(map(list, s["assignments"]))
    for ps in s["permission_sets"].values():
        ps.pop("outdated_accounts", None)
        ps["managed_policies"] = sorted(ps["managed_policies"])
        ps["customer_managed_policies"] = sorted(ps["customer_managed_policies"], key=json.dumps)
        if ps["inline_policy"]:
            ps["inline_policy"] = json.dumps(json.loads(ps["inline_policy"]), sort_keys=True, separators=(",", ":"))
    return s


def fake_view(fs):
    """The fake's own state in driver form: independent of our reader."""
    users = {u["UserName"]: {"display_name": u.get("DisplayName", ""),
                             "given_name": u.get("Name", {}).get("GivenName", ""),
                             "family_name": u.get("Name", {}).get("FamilyName", ""),
                             "email": (u.get("Emails") or [{}])[0].get("Value", "")} for u in fs["users"]}
    groups = {g["DisplayName"]: {"description": g.get("Description", "")} for g in fs["groups"]}
    sets = {}
    for p in fs["permission_sets"]:
        tags = dict(p.get("Tags") or {})
        b = p.get("PermissionsBoundary")
        boundary = None
        if b:
            boundary = {"managed_policy_arn": b.get("ManagedPolicyArn", "")}
            if b.get("CustomerManagedPolicyReference"):
                boundary["customer_managed_policy"] = {"name": b["CustomerManagedPolicyReference"]["Name"],
                                                       "path": b["CustomerManagedPolicyReference"].get("Path", "/")}
        check(tags.pop("managed-by", None) == "gatehouse", "set %s lacks managed-by tag" % p["Name"])
        sets[p["Name"]] = {"description": p.get("Description", ""), "session_duration": p.get("SessionDuration", "PT1H"),
                           "relay_state": p.get("RelayState", ""), "managed_policies": sorted(p.get("ManagedPolicies", [])),
                           "customer_managed_policies": [{"name": c["Name"], "path": c.get("Path", "/")}
                                                         for c in p.get("CustomerManagedPolicies", [])],
                           "inline_policy": p.get("InlinePolicy") or "", "permissions_boundary": boundary, "tags": tags}
    assignments = [[a["PrincipalType"], a.get("user") or a.get("group"), a["permission_set"], a["AccountId"]]
                   for a in fs["assignments"]]
    memberships = [[m["group"], m["user"]] for m in fs["memberships"]]
    check(len(assignments) == len(set(map(tuple, assignments))), "duplicated assignments in the fake")
    check(len(memberships) == len(set(map(tuple, memberships))), "duplicated memberships in the fake")
    return normalize({"users": users, "groups": groups, "memberships": memberships,
                      "permission_sets": sets, "assignments": assignments})


def run_driver(fake, args, env_extra=None, expect_rc=0):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": tempfile.mkdtemp(prefix="gh-aws-home-")}
    env.update({"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY})
    if env_extra is not None:
        for k, v in env_extra.items():
            if v is None:
                env.pop(k, None)
            else:
                env[k] = v
    cmd = [DRIVER] + args + ["--endpoint", fake.url, "--instance", INSTANCE, "--store", STORE]
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    OUTPUTS.append(p.stdout + p.stderr)
    if not check(p.returncode == expect_rc, "%s exited %d: %s" % (" ".join(args), p.returncode, p.stderr[-2000:])):
        return None
    return json.loads(p.stdout) if p.stdout.strip() else None


def check_stats(fake, what):
    st = fake.stats()
    check(st["validation"] == 0 and st["signature"] == 0,
          "%s: fake rejected requests: %s" % (what, json.dumps(st["rejections"])[:2000]))
    check(not st.get("response_model_errors"), "%s: fake response model errors" % what)
    return st


def write_json(obj):
    f = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
    json.dump(obj, f)
    f.close()
    return f.name


def scenario_read(fake):
    fake.reset()
    fake.seed(SEED)
    out = run_driver(fake, ["read", "--discover"])
    if out is None:
        return
    got = out["state"]
    for k in EXPECTED_READ:
        want = EXPECTED_READ[k]
        if isinstance(want, list):
            got[k], want = sorted(got[k]), sorted(want)
        check(got[k] == want, "read %s: got %s" % (k, json.dumps(got[k])))
    print("read: %d calls (page size 2), %.2fs" % (out["read_calls"], out["read_seconds"]))
    check_stats(fake, "read")


def scenario_apply(fake):
    fake.reset()
    fake.seed(SEED)
    want = desired_small()
    path = write_json(want)
    out = run_driver(fake, ["apply", path])
    if out is None:
        return
    print("apply: %d ops %s in %.2fs, %d requests" % (out["ops"], json.dumps(out["counts"]), out["apply_seconds"],
                                                   out["apply_requests"]))
    check(fake_view(fake.state()) == normalize(want), "apply: fake state differs from desired:\n%s\n%s"
          % (json.dumps(fake_view(fake.state()), sort_keys=True), json.dumps(normalize(want), sort_keys=True)))
    fs = fake.state()
    check(all(p["current"] for p in fs["provisioned"]), "apply: some set still not provisioned: %s" % fs["provisioned"])
    again = run_driver(fake, ["apply", path])
    check(again is not None and again["ops"] == 0, "apply: rerun is not a no-op: %s" % (again and again["counts"]))
    check_stats(fake, "apply")


def scenario_faults(fake):
    fake.reset()
    fake.seed(SEED)
    fake.faults({"throttle": 0.3, "error500": 0.05, "drop": 0.02, "error500_after": 0.02, "drop_after": 0.01,
                 "seed": 7})
    want = desired_large()
    path = write_json(want)
    out = run_driver(fake, ["apply", path])
    fake.faults({})
    if out is not None:
        print("faults: %d ops in %.2fs, %d requests, %d retries" % (out["ops"], out["apply_seconds"],
                                                                 out["apply_requests"], out["apply_retries"]))
    check(fake_view(fake.state()) == normalize(want), "faults: fake state differs from desired")
    again = run_driver(fake, ["apply", path])
    check(again is not None and again["ops"] == 0, "faults: rerun is not a no-op")
    st = check_stats(fake, "faults")
    print("faults: fake saw throttled=%s error500=%s dropped=%s, max in-flight creations %s, provisionings %s"
          % (st.get("throttled"), st.get("error500"), st.get("dropped"),
             st.get("max_inflight_assignment_creations"), st.get("max_concurrent_provisionings")))
    check(st.get("max_inflight_assignment_creations", 0) <= 15, "more than 15 creations in flight")
    check(st.get("max_concurrent_provisionings", 0) <= 3, "more than 3 provisionings at once")


def scenario_rate(fake_args):
    """Apply under the fake's 20 req/s limit: time vs the theoretical minimum."""
    with FakeAws("--page-size", "100", "--async-delay", "0.2", "--rate-limit", "20") as fake:
        fake.seed(SEED)
        want = desired_large(n_users=60, n_groups=6)
        path = write_json(want)
        out = run_driver(fake, ["apply", path, "--rps", "20"])
        st = fake.stats()
        if out is not None:
            fams = {}
            for k, v in st["requests"].items():
                fam = k.split(".")[0]
                fams[fam] = fams.get(fam, 0) + v
            print("rate: %d ops, %d requests (%s) in %.1fs (read %.1fs); fake throttled %s; "
                  "busiest family needs >= %.1fs at 20 req/s"
                  % (out["ops"], out["apply_requests"], json.dumps(fams), out["apply_seconds"], out["read_seconds"],
                     st.get("rate_limited"), max(fams.values()) / 20.0))
        check(fake_view(fake.state()) == normalize(want), "rate: fake state differs from desired")
        check_stats(fake, "rate")


def scenario_credentials(fake):
    """Session tokens, profiles with AssumeRole, web identity and credential_process, against the fake's STS."""
    fake.reset()
    fake.seed(dict(SEED, credentials=[{"access_key_id": ACCESS_KEY, "secret_access_key": SECRET_KEY},
                                      {"access_key_id": SESSION_KEY[0], "secret_access_key": SESSION_KEY[1],
                                       "session_token": SESSION_KEY[2]}]))
    base = {"AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None}
    out = run_driver(fake, ["read"], dict(base, AWS_ACCESS_KEY_ID=SESSION_KEY[0],
                                          AWS_SECRET_ACCESS_KEY=SESSION_KEY[1], AWS_SESSION_TOKEN=SESSION_KEY[2]))
    check(out is not None, "session token credentials")
    d = tempfile.mkdtemp(prefix="gh-aws-creds-")
    token_file = os.path.join(d, "token")
    with open(token_file, "w") as f:
        f.write(WEB_TOKEN + "\n")
    out = run_driver(fake, ["read"], dict(base, AWS_ROLE_ARN="arn:aws:iam::111111111111:role/ci",
                                          AWS_WEB_IDENTITY_TOKEN_FILE=token_file, AWS_ROLE_SESSION_NAME="ci-run",
                                          AWS_ENDPOINT_URL_STS=fake.url))
    check(out is not None, "web identity")
    creds = os.path.join(d, "credentials")
    config = os.path.join(d, "config")
    script = os.path.join(d, "creds.sh")
    with open(script, "w") as f:
        f.write("#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"%s\", \"SecretAccessKey\": \"%s\", "
                "\"SessionToken\": \"%s\", \"Expiration\": \"2099-01-01T00:00:00Z\"}'\n" % SESSION_KEY)
    os.chmod(script, 0o700)
    with open(creds, "w") as f:
        f.write("[base]\naws_access_key_id = %s\naws_secret_access_key = %s\n" % (ACCESS_KEY, SECRET_KEY))
    with open(config, "w") as f:
        f.write("[profile admin]\nrole_arn = arn:aws:iam::111111111111:role/admin\nsource_profile = base\n"
                "region = us-east-1\n\n[profile proc]\ncredential_process = %s\n" % script)
    files = dict(base, AWS_SHARED_CREDENTIALS_FILE=creds, AWS_CONFIG_FILE=config, AWS_ENDPOINT_URL_STS=fake.url)
    check(run_driver(fake, ["read", "--profile", "admin"], files) is not None, "profile with source_profile")
    check(run_driver(fake, ["read"], dict(files, AWS_PROFILE="proc")) is not None, "credential_process profile")
    run_driver(fake, ["read", "--profile", "missing"], files, expect_rc=1)
    check("missing" in OUTPUTS[-1] and config in OUTPUTS[-1], "missing profile error names profile and file")
    check_stats(fake, "credentials")
    # A wrong secret: the fake must reject the signature, and we report it without the secret.
    bad = dict(base, AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY="wrong/" + SECRET_KEY)
    run_driver(fake, ["read"], bad, expect_rc=1)
    check("InvalidSignatureException" in OUTPUTS[-1], "wrong secret: error does not say so")
    check("wrong/" not in OUTPUTS[-1], "wrong secret printed")
    check(fake.stats()["signature"] > 0, "wrong secret was not rejected")
    fake.reset()  # clears the deliberate rejections from the stats


def main():
    if not DRIVER or not os.path.exists(DRIVER):
        print("usage: e2e_fake_test.py PATH/TO/gh_aws_driver")
        return 2
    if not os.path.exists("/usr/bin/python3") or subprocess.run(
            ["/usr/bin/python3", "-c", "import botocore"], capture_output=True).returncode != 0:
        print("SKIP: python3-botocore missing")
        return 77
    only = os.environ.get("GH_AWS_E2E_ONLY", "")
    with FakeAws("--page-size", "2", "--async-delay", "0.2", "--web-identity-token", WEB_TOKEN) as fake:
        for name, fn in [("read", scenario_read), ("apply", scenario_apply), ("credentials", scenario_credentials),
                         ("faults", scenario_faults)]:
            if only and name not in only.split(","):
                continue
            t = time.time()
            fn(fake)
            print("scenario %s: %.1fs" % (name, time.time() - t), flush=True)
        log = open(fake.log_path).read() if getattr(fake, "log_path", None) and os.path.exists(fake.log_path) else ""
        OUTPUTS.append(log)
    if not only or "rate" in only.split(","):
        scenario_rate(None)
    for out in OUTPUTS:
        for s in SECRETS:
            check(s not in out, "a secret appears in an output or log")
    print("%d failure(s)" % len(FAILURES))
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
