#!/usr/bin/python3
"""Helpers for tests/e2e/aws_cli.sh and bench/aws_apply.sh (stdlib + botocore).

  helper.py seed                      print the seed of the "existing" Identity Center
  helper.py edit CONFIGDIR            apply the step-3 edits to an imported config
  helper.py check-plan PLAN.json      the plan holds exactly the step-3 changes
  helper.py check-edited STATE.json   the fake's state holds the step-3 edits
  helper.py oob URL                   out-of-band change: delete bob from Developers (signed, botocore)
  helper.py check-drift DRIFT.json    drift --format json names that membership
  helper.py compare STATE.json DESIRED.json   fake state == desired (gatehouse JSON state), no duplicates
  helper.py check-stats STATS.json    zero validation / signature rejections
  helper.py secrets FILE...           none of the files holds a secret
  helper.py big-config DIR N          a config with N users, N memberships (~2N operations)
  helper.py families STATS.json       requests per API family (for the bench)
"""
import json
import os
import re
import sys

INSTANCE = "arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6"
STORE = "d-90677b1a2b"
ACCESS_KEY = "AKIAFAKEGATEHOUSE000"
SECRET_KEY = "fake/secret/gatehouse/0000000000000000000"
FAILS = []


def check(cond, msg):
    if cond:
        print("ok: " + msg)
    else:
        FAILS.append(msg)
        print("FAIL: " + msg, file=sys.stderr)
    return cond


def done():
    sys.exit(1 if FAILS else 0)


INLINE_DEVOPS = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Deny", "Action": ["cloudtrail:DeleteTrail", "cloudtrail:StopLogging"], "Resource": "*"}]}
INLINE_DEVOPS_NEW = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Deny", "Action": ["cloudtrail:DeleteTrail", "cloudtrail:StopLogging", "logs:DeleteLogGroup"],
     "Resource": "*"}]}


def seed():
    return {
        "instance": {"arn": INSTANCE, "identity_store_id": STORE},
        "organization": {"id": "o-abcdef1234", "master_account_id": "111111111111", "root_id": "r-ab12"},
        "organizational_units": [
            {"id": "ou-ab12-work0001", "name": "Workloads", "parent_id": "r-ab12", "tags": {"owner": "platform"}},
            {"id": "ou-ab12-prod0001", "name": "Prod", "parent_id": "ou-ab12-work0001"},
            {"id": "ou-ab12-devv0001", "name": "Dev", "parent_id": "ou-ab12-work0001"},
            {"id": "ou-ab12-sand0001", "name": "Sandbox", "parent_id": "r-ab12"}],
        "accounts": [
            {"id": "111111111111", "name": "org-management", "tags": {"cost-center": "1000"}},
            {"id": "222222222222", "name": "payments-prod", "parent_id": "ou-ab12-prod0001",
             "tags": {"Environment": "production", "team": "payments", "cost-center": "2000"}},
            {"id": "333333333333", "name": "payments-dev", "parent_id": "ou-ab12-devv0001",
             "tags": {"Environment": "development", "team": "payments"}},
            {"id": "444444444444", "name": "sandbox-data", "parent_id": "ou-ab12-sand0001",
             "tags": {"team": "data: science", "yes": "no"}}],
        "users": [
            {"UserName": "alice", "DisplayName": "Alice Liddell", "Name": {"GivenName": "Alice", "FamilyName": "Liddell"},
             "Emails": [{"Value": "alice@example.com", "Type": "work", "Primary": True}]},
            {"UserName": "bob", "DisplayName": "Bob O'Brien", "Name": {"GivenName": "Bob", "FamilyName": "O'Brien"},
             "Emails": [{"Value": "bob@example.com", "Type": "work", "Primary": True}]},
            {"UserName": "carol@example.com", "DisplayName": "Carol: the admin",
             "Name": {"GivenName": "Carol", "FamilyName": "Smith"},
             "Emails": [{"Value": "carol@example.com", "Primary": True}]},
            {"UserName": "dave", "DisplayName": "Dave Null", "Name": {"GivenName": "Dave", "FamilyName": "null"},
             "Emails": [{"Value": "dave@example.com", "Type": "work", "Primary": True}]}],
        "groups": [{"DisplayName": "Admins", "Description": "Administrators"},
                   {"DisplayName": "Developers", "Description": "Engineers: all teams"},
                   {"DisplayName": "Auditors"}],
        "memberships": [{"group": "Admins", "user": "alice"}, {"group": "Developers", "user": "bob"},
                        {"group": "Developers", "user": "carol@example.com"}, {"group": "Auditors", "user": "dave"}],
        "permission_sets": [
            {"Name": "Admin", "Description": "Full access", "SessionDuration": "PT2H",
             "RelayState": "https://console.aws.amazon.com/",
             "ManagedPolicies": ["arn:aws:iam::aws:policy/AdministratorAccess"],
             "Tags": {"owner": "security"}},
            {"Name": "DevOps", "Description": "Manage resources, never delete logs", "SessionDuration": "PT1H",
             "RelayState": "https://console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:",
             "ManagedPolicies": ["arn:aws:iam::aws:policy/PowerUserAccess",
                                 "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"],
             "CustomerManagedPolicies": [{"Name": "team-read", "Path": "/gatehouse/"}, {"Name": "LimitedS3", "Path": "/"}],
             "InlinePolicy": json.dumps(INLINE_DEVOPS),
             "PermissionsBoundary": {"ManagedPolicyArn": "arn:aws:iam::aws:policy/PowerUserAccess"},
             "Tags": {"owner": "platform", "tier": "1"}},
            {"Name": "ReadOnly", "SessionDuration": "PT8H",
             "ManagedPolicies": ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
             "PermissionsBoundary": {"CustomerManagedPolicyReference": {"Name": "boundary-ro", "Path": "/b/"}}}],
        "assignments": [
            {"AccountId": "222222222222", "permission_set": "Admin", "group": "Admins"},
            {"AccountId": "222222222222", "permission_set": "DevOps", "group": "Developers"},
            {"AccountId": "333333333333", "permission_set": "DevOps", "group": "Developers"},
            {"AccountId": "111111111111", "permission_set": "ReadOnly", "group": "Auditors"},
            {"AccountId": "222222222222", "permission_set": "ReadOnly", "group": "Auditors"},
            {"AccountId": "333333333333", "permission_set": "ReadOnly", "group": "Auditors"},
            {"AccountId": "444444444444", "permission_set": "ReadOnly", "group": "Auditors"},
            {"AccountId": "333333333333", "permission_set": "Admin", "user": "carol@example.com"},
            {"AccountId": "444444444444", "permission_set": "DevOps", "user": "bob"}],
    }


def edge_seed():
    """Names and values that plain YAML would misread (NULL, On, 0x1F, quotes, newlines, unicode, ${...}),
    a user without name parts or email, an empty group, and Control Tower objects under `ignore`."""
    return {
     "instance": {
      "arn": "arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6",
      "identity_store_id": "d-90677b1a2b"
     },
     "organization": {
      "id": "o-abcdef1234",
      "master_account_id": "111111111111",
      "root_id": "r-ab12"
     },
     "accounts": [
      {
       "id": "022222222222",
       "name": "0x1F",
       "tags": {
        "Environment": "Yes"
       }
      },
      {
       "id": "333333333333",
       "name": "No"
      }
     ],
     "users": [
      {
       "UserName": "NULL",
       "DisplayName": "On",
       "Name": {
        "GivenName": "YES",
        "FamilyName": "Off"
       }
      },
      {
       "UserName": "minimal",
       "DisplayName": "Minimal"
      },
      {
       "UserName": "\u00dcn\u00efcode",
       "DisplayName": "Zo\u00eb \"quoted\" name\nsecond line",
       "Name": {
        "GivenName": " lead",
        "FamilyName": "trail "
       },
       "Emails": [
        {
         "Value": "z@example.com"
        }
       ]
      }
     ],
     "groups": [
      {
       "DisplayName": "Platform Team",
       "Description": "  spaced  "
      },
      {
       "DisplayName": "AWSControlTowerAdmins"
      },
      {
       "DisplayName": "Empty"
      }
     ],
     "memberships": [
      {
       "group": "Platform Team",
       "user": "NULL"
      },
      {
       "group": "AWSControlTowerAdmins",
       "user": "minimal"
      }
     ],
     "permission_sets": [
      {
       "Name": "AWSControlTowerAdmin",
       "ManagedPolicies": [
        "arn:aws:iam::aws:policy/AdministratorAccess"
       ]
      },
      {
       "Name": "Weird",
       "Description": "- starts with dash",
       "RelayState": "https://x/?a=b&c=d#frag",
       "InlinePolicy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/${aws:username}/*\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalTag/x\":\"\u00e9\\u00e9\"}}}]}",
       "ManagedPolicies": [
        "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"
       ],
       "Tags": {
        "k": "",
        "Yes": "NULL"
       }
      }
     ],
     "assignments": [
      {
       "AccountId": "022222222222",
       "permission_set": "AWSControlTowerAdmin",
       "group": "AWSControlTowerAdmins"
      },
      {
       "AccountId": "022222222222",
       "permission_set": "Weird",
       "user": "\u00dcn\u00efcode"
      },
      {
       "AccountId": "333333333333",
       "permission_set": "Weird",
       "group": "Platform Team"
      }
     ]
    }


def edit(cfg):
    """The step-3 edits, made as text edits of the imported YAML (as a person would)."""
    def rw(name, fn):
        p = os.path.join(cfg, name)
        with open(p) as f:
            t = f.read()
        t2 = fn(t)
        if t2 == t:
            sys.exit("edit: %s unchanged" % name)
        with open(p, "w") as f:
            f.write(t2)

    # 1. a new user erin, member of Developers
    rw("users.yaml", lambda t: t + "  - user_name: erin\n    display_name: Erin Example\n"
       "    given_name: Erin\n    family_name: Example\n    email: erin@example.com\n")
    def add_member(t):
        i = t.index("  - name: Developers\n")
        j = t.index("    members:\n", i) + len("    members:\n")
        return t[:j] + "      - erin\n" + t[j:]
    rw("groups.yaml", add_member)

    # 2. DevOps: session duration PT1H -> PT4H, new inline policy
    def devops(t):
        i = t.index("  - name: DevOps\n")
        j = t.find("  - name:", i + 1)
        j = len(t) if j < 0 else j
        block = t[i:j]
        block = block.replace("session_duration: PT1H", "session_duration: PT4H")
        block = re.sub(r"    inline_policy: .*\n", "    inline_policy: " + json.dumps(INLINE_DEVOPS_NEW) + "\n", block)
        return t[:i] + block + t[j:]
    rw("permission_sets.yaml", devops)

    # 3. an assignment with an OU selector; 4. remove carol's Admin assignment
    def assignments(t):
        m = re.search(r"  - user: (\"carol@example.com\"|carol@example.com)\n    permission_set: Admin\n    accounts: \[[^\]]*\][^\n]*\n", t)
        if not m:
            sys.exit("edit: carol's Admin assignment not found in assignments.yaml:\n" + t)
        t = t[:m.start()] + t[m.end():]
        return t + "  - group: Admins\n    permission_set: ReadOnly\n    accounts: {ou: \"Workloads/**\"}\n"
    rw("assignments.yaml", assignments)


EXPECTED_CHANGES = {
    ("user", "create", "erin"),
    ("membership", "create", "Developers/erin"),
    ("permission_set", "update", "DevOps"),
    ("assignment", "create", "group:Admins/ReadOnly/222222222222"),
    ("assignment", "create", "group:Admins/ReadOnly/333333333333"),
    ("assignment", "delete", "user:carol@example.com/Admin/333333333333"),
}


def check_plan(path):
    with open(path) as f:
        plan = json.load(f)
    got = {(c["kind"], c["action"], c["name"]) for c in plan["changes"]}
    check(len(plan["changes"]) == len(got), "plan: no duplicated change")
    check(got == EXPECTED_CHANGES, "plan holds exactly the edits (extra: %s, missing: %s)"
          % (sorted(got - EXPECTED_CHANGES), sorted(EXPECTED_CHANGES - got)))
    upd = [c for c in plan["changes"] if c["kind"] == "permission_set"]
    if upd:
        b, a = upd[0]["before"], upd[0]["after"]
        diff = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
        check(diff == ["inline_policy", "session_duration"], "DevOps update changes only session_duration and inline_policy (%s)" % diff)
    check(plan["summary"] == {"create": 4, "update": 1, "delete": 1, "replace": 0}, "plan summary %s" % plan["summary"])
    done()


def by_name(items, key):
    return {i[key]: i for i in items}


def check_edited(path):
    with open(path) as f:
        s = json.load(f)
    users = by_name(s["users"], "UserName")
    check("erin" in users and users["erin"].get("Emails", [{}])[0].get("Value") == "erin@example.com"
          and users["erin"].get("DisplayName") == "Erin Example", "fake: user erin with email")
    mem = [(m["group"], m["user"]) for m in s["memberships"]]
    check(("Developers", "erin") in mem, "fake: erin in Developers")
    check(len(mem) == len(set(mem)) == 5, "fake: 5 memberships, none duplicated (%d)" % len(mem))
    ps = by_name(s["permission_sets"], "Name")
    d = ps["DevOps"]
    check(d.get("SessionDuration") == "PT4H", "fake: DevOps session PT4H")
    check(json.loads(d.get("InlinePolicy") or "{}") == INLINE_DEVOPS_NEW, "fake: DevOps inline policy updated")
    check(sorted(d.get("ManagedPolicies", [])) == ["arn:aws:iam::aws:policy/PowerUserAccess",
                                                   "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"],
          "fake: DevOps managed policies kept")
    check(len(d.get("CustomerManagedPolicies", [])) == 2 and d.get("PermissionsBoundary"),
          "fake: DevOps customer-managed policies and boundary kept")
    check(d.get("Description") == "Manage resources, never delete logs", "fake: DevOps description kept")
    check(d.get("RelayState") == "https://console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:",
          "fake: DevOps relay state kept by the update (UpdatePermissionSet clears it when omitted)")
    check(d.get("Tags", {}).get("owner") == "platform" and d.get("Tags", {}).get("tier") == "1",
          "fake: DevOps tags kept")
    check(ps["Admin"].get("RelayState") == "https://console.aws.amazon.com/", "fake: Admin relay state kept")
    asg = {(a["AccountId"], a["permission_set"], a.get("user") or a.get("group")) for a in s["assignments"]}
    check(len(asg) == len(s["assignments"]) == 10, "fake: 10 assignments, none duplicated (%d)" % len(s["assignments"]))
    check(("222222222222", "ReadOnly", "Admins") in asg and ("333333333333", "ReadOnly", "Admins") in asg,
          "fake: Admins/ReadOnly on Workloads/** (payments-prod, payments-dev)")
    check(("333333333333", "Admin", "carol@example.com") not in asg, "fake: carol's Admin assignment removed")
    check(("444444444444", "DevOps", "bob") in asg, "fake: other assignments kept")
    # DevOps provisioned again after its policy edit: no out-of-date provisioning left
    stale = [p for p in s.get("provisioned", []) if not p.get("current", True)]
    check(not stale, "fake: every provisioned set is current (%s)" % stale)
    done()


def client(url, service):
    import botocore.session
    sess = botocore.session.get_session()
    return sess.create_client(service, region_name="us-east-1", endpoint_url=url,
                              aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", ACCESS_KEY),
                              aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", SECRET_KEY),
                              aws_session_token=os.environ.get("AWS_SESSION_TOKEN") or None)


def oob(url):
    ids = client(url, "identitystore")
    uid = ids.get_user_id(IdentityStoreId=STORE, AlternateIdentifier={
        "UniqueAttribute": {"AttributePath": "userName", "AttributeValue": "bob"}})["UserId"]
    gid = ids.get_group_id(IdentityStoreId=STORE, AlternateIdentifier={
        "UniqueAttribute": {"AttributePath": "displayName", "AttributeValue": "Developers"}})["GroupId"]
    mid = ids.get_group_membership_id(IdentityStoreId=STORE, GroupId=gid, MemberId={"UserId": uid})["MembershipId"]
    ids.delete_group_membership(IdentityStoreId=STORE, MembershipId=mid)
    print("ok: out-of-band: deleted membership Developers/bob (%s) through a signed DeleteGroupMembership" % mid)


def check_drift(path):
    with open(path) as f:
        d = json.load(f)
    check(d.get("drift") is True, "drift json: drift = true")
    got = [(c["kind"], c["action"], c["name"]) for c in d["changes"]]
    check(got == [("membership", "create", "Developers/bob")], "drift json names exactly Developers/bob (%s)" % got)
    done()


def compare(state_path, desired_path):
    """The fake's state (seed shape) against a gatehouse JSON state (desired)."""
    with open(state_path) as f:
        s = json.load(f)
    with open(desired_path) as f:
        want = json.load(f)
    mem = [(m["group"], m["user"]) for m in s["memberships"]]
    asg = [(a["PrincipalType"], a.get("user") or a.get("group"), a["permission_set"], a["AccountId"])
           for a in s["assignments"]]
    check(len(mem) == len(set(mem)), "fake: no duplicated membership (%d)" % len(mem))
    check(len(asg) == len(set(asg)), "fake: no duplicated assignment (%d)" % len(asg))
    want_mem = {tuple(m) for m in want["memberships"]}
    want_asg = {tuple(a) for a in want["assignments"]}
    check(set(mem) == want_mem, "fake memberships == config (%d; extra %s, missing %s)"
          % (len(want_mem), sorted(set(mem) - want_mem)[:5], sorted(want_mem - set(mem))[:5]))
    check(set(asg) == want_asg, "fake assignments == config (%d; extra %s, missing %s)"
          % (len(want_asg), sorted(set(asg) - want_asg)[:5], sorted(want_asg - set(asg))[:5]))
    apps = {(a["PrincipalType"], a.get("user") or a.get("group"), a["application"])
            for a in s.get("application_assignments", [])}
    want_apps = {tuple(a) for a in want.get("application_assignments", [])}
    check(apps == want_apps, "fake application assignments == config (%d)" % len(want_apps))
    users = {u["UserName"] for u in s["users"]}
    check(users == set(want["users"]), "fake users == config (%d)" % len(want["users"]))
    groups = {g["DisplayName"] for g in s["groups"]}
    check(groups == set(want["groups"]), "fake groups == config (%d)" % len(want["groups"]))
    sets = by_name(s["permission_sets"], "Name")
    check(set(sets) == set(want["permission_sets"]), "fake permission sets == config (%d)" % len(want["permission_sets"]))
    bad = []
    for name, w in want["permission_sets"].items():
        p = sets.get(name)
        if not p:
            continue
        if p.get("SessionDuration", "PT1H") != w["session_duration"] or \
           sorted(p.get("ManagedPolicies", [])) != sorted(w["managed_policies"]) or \
           (p.get("Description") or "") != w["description"] or \
           (json.loads(p["InlinePolicy"]) if p.get("InlinePolicy") else "") != \
           (json.loads(w["inline_policy"]) if w["inline_policy"] else ""):
            bad.append(name)
    check(not bad, "fake permission sets' attributes == config (%s)" % bad)
    stale = [p for p in s.get("provisioned", []) if not p.get("current", True)]
    check(not stale, "fake: every provisioned set is current (%d stale)" % len(stale))
    done()


def check_stats(path):
    with open(path) as f:
        st = json.load(f)
    check(st["validation"] == 0, "fake: zero validation rejections (%d)" % st["validation"])
    check(st["signature"] == 0, "fake: zero signature rejections (%d)" % st["signature"])
    check(st.get("response_model_errors_total", 0) == 0, "fake: its responses match the model")
    if st["validation"] or st["signature"]:
        print(json.dumps(st.get("rejections", [])[:5], indent=1), file=sys.stderr)
    print("   fake requests: %d total, %d throttled, %d 500s, %d dropped, max %d assignment creations in flight, "
          "max %d provisionings" % (st["total_requests"], st["throttled"], st["error500"], st["dropped"],
                                    st["max_inflight_assignment_creations"], st["max_concurrent_provisionings"]))
    check(st["max_inflight_assignment_creations"] <= 15, "fake: <= 15 assignment creations in flight")
    check(st["max_concurrent_provisionings"] <= 3, "fake: <= 3 concurrent provisionings")
    done()


def secrets(paths):
    bad = []
    needles = [SECRET_KEY, os.environ.get("AWS_SECRET_ACCESS_KEY") or None, os.environ.get("AWS_SESSION_TOKEN") or None]
    n = 0
    for p in paths:
        for root, _, files in (os.walk(p) if os.path.isdir(p) else [(os.path.dirname(p), [], [os.path.basename(p)])]):
            for fn in files:
                fp = os.path.join(root, fn)
                try:
                    with open(fp, "rb") as f:
                        data = f.read()
                except OSError:
                    continue
                n += 1
                for s in needles:
                    if s and s.encode() in data:
                        bad.append(fp)
    check(not bad, "no secret in %d captured outputs, audit log, plans, imported config (%s)" % (n, bad[:5]))
    done()


def big_config(d, n):
    """N users, one group holding them all... split in groups of 100: ~2N operations (users + memberships)."""
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "users.yaml"), "w") as f:
        f.write("users:\n")
        for i in range(n):
            f.write("  - {user_name: u%05d, display_name: User %d, given_name: U, family_name: N%d, email: u%05d@example.com}\n"
                    % (i, i, i, i))
    with open(os.path.join(d, "groups.yaml"), "w") as f:
        f.write("groups:\n")
        for g in range((n + 99) // 100):
            f.write("  - name: team%02d\n    members: [%s]\n" % (g, ", ".join("u%05d" % i for i in range(g * 100, min(n, g * 100 + 100)))))


def desired_from_plan(path, out):
    """The desired state (named) from a plan computed against an empty directory: every change a create."""
    with open(path) as f:
        plan = json.load(f)
    d = {"users": {}, "groups": {}, "memberships": [], "permission_sets": {}, "assignments": []}
    for c in plan["changes"]:
        if c["action"] != "create":
            sys.exit("desired-from-plan: %s %s is not a create" % (c["action"], c["name"]))
        a = c["after"]
        if c["kind"] == "user":
            d["users"][a["user_name"]] = a
        elif c["kind"] == "group":
            d["groups"][a["name"]] = a
        elif c["kind"] == "membership":
            d["memberships"].append([a["group"], a["user"]])
        elif c["kind"] == "permission_set":
            a["description"] = a.get("description") or ""
            a["inline_policy"] = a.get("inline_policy") or ""
            d["permission_sets"][a["name"]] = a
        elif c["kind"] == "assignment":
            d["assignments"].append([a["principal_type"], a["principal"], a["permission_set"], a["account_id"]])
        elif c["kind"] == "application_assignment":
            d.setdefault("application_assignments", []).append([a["principal_type"], a["principal"], a["application"]])
    with open(out, "w") as f:
        json.dump(d, f, indent=1)
    print("ok: desired state: %d users, %d groups, %d memberships, %d permission sets, %d assignments (%d operations)"
          % (len(d["users"]), len(d["groups"]), len(d["memberships"]), len(d["permission_sets"]),
             len(d["assignments"]), len(plan["changes"])))


def org_seed(accounts_yaml):
    """A fresh Identity Center whose organization holds the accounts declared in accounts_yaml."""
    with open(accounts_yaml) as f:
        text = f.read()
    accts = []
    for m in re.finditer(r'-\s+id:\s*"(\d{12})"\s*\n\s+name:\s*(\S+)', text):
        accts.append({"id": m.group(1), "name": m.group(2)})
    if not accts:
        sys.exit("org-seed: no account found in " + accounts_yaml)
    # The applications the config declares beside it exist, as if made in the console
    # (SAML applications cannot be created through the API).
    apps = []
    apps_yaml = os.path.join(os.path.dirname(accounts_yaml), "applications.yaml")
    if os.path.exists(apps_yaml):
        section = open(apps_yaml).read().split("applications:", 1)[-1].split("\nassignments:", 1)[0]
        apps = [{"Name": n} for n in re.findall(r'-\s+name:\s*([^\s#]+)', section)]
    print(json.dumps({"instance": {"arn": INSTANCE, "identity_store_id": STORE},
                      "organization": {"id": "o-abcdef1234", "master_account_id": "111111111111", "root_id": "r-ab12"},
                      "accounts": accts, "applications": apps}))


def big_assignments(d, groups, sets, accounts):
    """groups x sets x accounts group assignments (+ the groups and sets); prints the fake's seed (the org)."""
    os.makedirs(d, exist_ok=True)
    ids = ["5%011d" % (i + 1) for i in range(accounts)]
    with open(os.path.join(d, "accounts.yaml"), "w") as f:
        f.write("accounts:\n")
        for i, a in enumerate(ids):
            f.write('  - {id: "%s", name: acct%03d}\n' % (a, i))
    with open(os.path.join(d, "groups.yaml"), "w") as f:
        f.write("groups:\n")
        for g in range(groups):
            f.write("  - name: g%03d\n" % g)
    with open(os.path.join(d, "permission_sets.yaml"), "w") as f:
        f.write("permission_sets:\n")
        for s in range(sets):
            f.write("  - {name: ps%03d, managed_policies: [ReadOnlyAccess]}\n" % s)
    with open(os.path.join(d, "assignments.yaml"), "w") as f:
        f.write("assignments:\n")
        for g in range(groups):
            for s in range(sets):
                f.write("  - {group: g%03d, permission_set: ps%03d, accounts: {all: true}}\n" % (g, s))
    print(json.dumps({"instance": {"arn": INSTANCE, "identity_store_id": STORE},
                      "organization": {"id": "o-abcdef1234", "master_account_id": "111111111111", "root_id": "r-ab12"},
                      "accounts": [{"id": a, "name": "acct%03d" % i} for i, a in enumerate(ids)]}))


def families(path):
    with open(path) as f:
        st = json.load(f)
    fam = {}
    for op, c in st["requests"].items():
        k = op.split(".")[0] if "." in op else op
        fam[k] = fam.get(k, 0) + (c if isinstance(c, int) else c.get("count", 0))
    print(json.dumps(fam))


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "seed":
        print(json.dumps(seed(), indent=1))
    elif cmd == "edge-seed":
        print(json.dumps(edge_seed(), indent=1))
    elif cmd == "edit":
        edit(args[0])
    elif cmd == "check-plan":
        check_plan(args[0])
    elif cmd == "check-edited":
        check_edited(args[0])
    elif cmd == "oob":
        oob(args[0])
    elif cmd == "check-drift":
        check_drift(args[0])
    elif cmd == "compare":
        compare(args[0], args[1])
    elif cmd == "check-stats":
        check_stats(args[0])
    elif cmd == "secrets":
        secrets(args)
    elif cmd == "big-config":
        big_config(args[0], int(args[1]))
    elif cmd == "desired-from-plan":
        desired_from_plan(args[0], args[1])
    elif cmd == "org-seed":
        org_seed(args[0])
    elif cmd == "big-assignments":
        big_assignments(args[0], int(args[1]), int(args[2]), int(args[3]))
    elif cmd == "families":
        families(args[0])
    else:
        sys.exit("unknown command " + cmd)
