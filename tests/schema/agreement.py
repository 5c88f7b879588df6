#!/usr/bin/python3
"""The config schema and the loader agree, value by value.

    agreement.py BINARY SCHEMA

Each case is a small config that differs from a valid base in one value. It is
written to a temp directory, checked with `BINARY validate` and with the schema;
both must give the same verdict (valid or not). The cases sit at the edges of
the limits and patterns the schema encodes (durations, dates, names, lengths,
enums, types), so a schema that drifts from config_loader.cc fails here.

Deliberate differences, not tested: the schema wants account references in an
assignment's `accounts:` list to be strings (the loader also takes an unquoted
number there, as written), and a tag value or free-text field the loader reads
from any scalar is typed `string` in the schema (except tag values, which may be
numbers or booleans). The schema cannot see across values: duplicates,
references to undeclared names, the total of managed + customer policies, policy
size, and files (inline_policy_file and document_file contents, `target` in two
files). Every case directory holds `policy.json`, a valid policy document.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import schema_check  # noqa: E402

BASE = """\
accounts:
  - id: "111111111111"
    name: prod
    ou: Workloads/Prod
    environment: production
    {account}
users:
  - user_name: alice
    {user}
groups:
  - name: Team
    members: [alice]
    {group}
permission_sets:
  - name: ReadOnly
    managed_policies: [ReadOnlyAccess]
    {ps}
assignments:
  - group: Team
    permission_set: ReadOnly
    accounts: {accounts}
    {assignment}
{top}
"""

POLICY = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}\n'


def config(account="", user="", group="", ps="", assignment="", accounts="[prod]", top=""):
    return BASE.format(account=account, user=user, group=group, ps=ps, assignment=assignment,
                       accounts=accounts, top=top)


def managed(value):
    return config().replace("managed_policies: [ReadOnlyAccess]", "managed_policies: %s" % value)


def cases():
    """(name, yaml text, expected-valid or None when only agreement matters)."""
    out = []
    ok_durations = ["PT1H", "PT12H", "PT4H", "PT90M", "PT1H30M", "PT3600S", "P0DT4H", "PT01H",
                    "PT720M", "PT43200S", "PT11H59M59S", "PT12H0M"]
    bad_durations = ["PT0H", "PT13H", "PT30M", "P1D", "4h", "PT", "P", "PT12H1M", "PT721M",
                     "PT59M", "PT43201S", "pt4h", "PT4.5H"]
    for d in ok_durations:
        out.append(("session_duration %s" % d, config(ps="session_duration: %s" % d), True))
    for d in bad_durations:
        out.append(("session_duration %s" % d, config(ps="session_duration: %s" % d), False))
    for d, want in [("2027-02-28", True), ("2028-02-29", True), ("2000-02-29", True), ("2027-12-31", True),
                    ('"2027-06-30"', True), ("2027-02-29", False), ("2100-02-29", False), ("2027-04-31", False),
                    ("2027-13-01", False), ("2027-1-5", False), ("tomorrow", False)]:
        out.append(("expires %s" % d, config(assignment="expires: %s" % d), want))
    for n, want in [("Ops+Team=A,b.c@d-e_f", True), ("X" * 32, True), ("X" * 33, False), ('"Read Only"', False),
                    ('"Read/Only"', False), ('""', False), ("Ünïcode", False)]:
        text = config().replace("  - name: ReadOnly\n", "  - name: %s\n" % n).replace(
            "permission_set: ReadOnly", "permission_set: %s" % n if n not in ('""',) else "permission_set: ReadOnly")
        out.append(("permission set name %s" % n[:40], text, want))
    for n, want in [("700", True), ("701", False)]:
        out.append(("description length %s" % n, config(ps="description: %s" % ("d" * int(n))), want))
    for n, want in [(240, True), (241, False)]:
        out.append(("relay_state length %d" % n, config(ps="relay_state: https://x/%s" % ("r" * (n - 10))), want))
    tags50 = "{%s}" % ", ".join("k%02d: v" % i for i in range(50))
    tags51 = "{%s}" % ", ".join("k%02d: v" % i for i in range(51))
    for t, want in [(tags50, True), (tags51, False), ("{%s: v}" % ("k" * 128), True), ("{%s: v}" % ("k" * 129), False),
                    ("{k: %s}" % ("v" * 256), True), ("{k: %s}" % ("v" * 257), False), ("{tier: 1}", True),
                    ("{aws:owner: x}", False), ("{k: [a]}", False), ("[a, b]", False)]:
        out.append(("ps tags %s" % t[:30], config(ps="tags: %s" % t), want))
    for ref, want in [("job-function/ViewOnlyAccess", True), ("arn:aws:iam::aws:policy/SecurityAudit", True),
                      ("arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess", True), ("service-role/AWSConfigRole", True),
                      ("arn:aws:iam::123456789012:policy/Mine", False), ('"Read Only"', False)]:
        out.append(("managed policy %s" % ref, managed("[ReadOnlyAccess, %s]" % ref), want))
    out.append(("managed policy twice", managed("[ReadOnlyAccess, ReadOnlyAccess]"), False))
    out.append(("managed policy scalar", managed("ReadOnlyAccess"), False))
    for cm, want in [("[Mine]", True), ("[{name: Mine, path: /teams/}]", True), ("[{name: Mine, path: /}]", True),
                     ("[{name: Mine, path: teams/}]", False), ("[{name: Mine, path: /teams}]", False),
                     ("[{path: /}]", False), ('["My Policy"]', False), ("[{name: Mine, arn: x}]", False),
                     ("[{name: Mine, document_file: policy.json}]", True),
                     ("[{name: Mine, document_file: /etc/passwd}]", False),
                     ("[{name: Mine, document_file: [policy.json]}]", False)]:
        out.append(("customer_managed_policies %s" % cm, config(ps="customer_managed_policies: %s" % cm), want))
    for b, want in [("{managed_policy: PowerUserAccess}", True), ("{customer_managed_policy: {name: B, path: /b/}}", True),
                    ("{customer_managed_policy: B}", True), ("{}", False),
                    ("{customer_managed_policy: {name: B, document_file: policy.json}}", True),
                    ("{managed_policy: PowerUserAccess, customer_managed_policy: B}", False),
                    ("PowerUserAccess", False)]:
        out.append(("permissions_boundary %s" % b, config(ps="permissions_boundary: %s" % b), want))
    for v, want in [("true", True), ("false", True), ("True", True), ("yes", False), ('"true"', False), ("maybe", False)]:
        out.append(("privileged %s" % v, config(ps="privileged: %s" % v), want))
    out.append(("inline_policy map", config(ps='inline_policy: {Version: "2012-10-17", Statement: []}'), True))
    out.append(("inline_policy string", config(ps='inline_policy: "{}"'), False))
    out.append(("inline_policy_file absolute", config(ps="inline_policy_file: /etc/passwd"), False))
    for i, want in [('"012345678901"', True), ('"11111111111"', False), ('"1111111111111"', False),
                    ('"11111111111a"', False), ("012345678901", False), ("111111111112", False)]:
        text = config().replace('id: "111111111111"', "id: %s" % i)
        out.append(("account id %s" % i, text, want))
    for o, want in [("Root/Workloads/Prod", True), ("Workloads/*", False), ("Workloads//Prod", False)]:
        out.append(("account ou %s" % o, config().replace("ou: Workloads/Prod", "ou: %s" % o), want))
    out.append(("account name 50", config().replace("name: prod", "name: %s" % ("p" * 50)).replace("[prod]", "[%s]" % ("p" * 50)), True))
    out.append(("account name 51", config().replace("name: prod", "name: %s" % ("p" * 51)).replace("[prod]", "[%s]" % ("p" * 51)), False))
    for e, want in [("alice@example.com", True), ("bob.example.com", False), ('"a b@example.com"', False),
                    ("a@b", False)]:
        out.append(("email %s" % e, config(user="email: %s" % e), want))
    out.append(("user_name with space", config().replace("user_name: alice", 'user_name: "al ice"').replace(
        "members: [alice]", 'members: ["al ice"]'), False))
    out.append(("user display_name empty", config(user='display_name: ""'), False))
    for g, want in [("Administrator", False), ("awsadministrators", False), ("Administrators", True)]:
        out.append(("group name %s" % g, config().replace("name: Team", "name: %s" % g).replace(
            "group: Team", "group: %s" % g), want))
    out.append(("members scalar", config().replace("members: [alice]", "members: alice"), False))
    for sel, want in [("{environment: production}", True), ('{ou: "Workloads/**"}', True), ('{ou: "**/Prod"}', True),
                      ('{ou: "Work*/Prod"}', True), ('{ou: "Workloads/***"}', False), ('{ou: "Workloads//Prod"}', False),
                      ("{tags: {team: a}, name: \"p*\"}", True), ("{all: true}", True), ("{all: false}", False),
                      ("{all: yes}", False), ("{}", False), ("{region: eu}", False), ("[]", False), ("prod", True),
                      ('["111111111111"]', True)]:
        out.append(("selector %s" % sel, config(accounts=sel), want))
    out.append(("assignment user and group", config(assignment="user: alice"), False))
    out.append(("assignment user", config().replace("  - group: Team\n", "  - user: alice\n"), True))
    out.append(("assignment no principal", config().replace("  - group: Team\n", "  - reason: x\n"), False))
    for lvl, want in [('"off"', True), ("off", True), ("warning", True), ("{level: note}", True), ("{}", True),
                      ("fatal", False), ("{level: fatal}", False), ("[error]", False)]:
        out.append(("rule level %s" % lvl, config(top="policy:\n  rules:\n    empty-group: %s" % lvl), want))
    out.append(("unknown rule", config(top="policy:\n  rules:\n    no-such-rule: error"), False))
    exc = "policy:\n  exceptions:\n    - {rule: empty-group, target: Team, %s}"
    out.append(("exception complete", config(top=exc % "reason: r, expires: 2027-01-01"), True))
    out.append(("exception no reason", config(top=exc % "expires: 2027-01-01"), False))
    out.append(("exception empty reason", config(top=exc % 'reason: "", expires: 2027-01-01'), False))
    out.append(("exception no expires", config(top=exc % "reason: r"), False))
    out.append(("exception unknown rule", config(top=exc.replace("empty-group", "empty-groups") % "reason: r, expires: 2027-01-01"), False))
    for s, want in [("mode: additive", True), ("mode: strict", False), ("identity_source: internal", True),
                    ("identity_source: scim", False), ("guards: {max_deletes: 0}", True),
                    ("guards: {max_deletes: -1}", False), ('guards: {max_deletes: "5"}', False),
                    ("guards: {max_deletes: lots}", False), ("discover_accounts: true", True),
                    ("discover_accounts: 1", False), ("delegated_admin: true", True), ("delegated_admin: yes please", False), ('ignore: {permission_sets: ["AWSControlTower*"]}', True),
                    ("ignore: {roles: [x]}", False), ("environment_tag: Stage", True)]:
        out.append(("settings %s" % s, config(top="settings:\n  %s" % s), want))
    for t, want in [("{type: local, path: dir.json}", True), ("{type: aws, region: eu-west-1}", True),
                    ("{type: aws}", False), ("{type: azure}", False), ("{type: aws, region: euwest1}", False),
                    ("{type: aws, region: us-gov-west-1}", True),
                    ("{type: aws, region: eu-west-1, instance_arn: \"arn:aws:sso:::instance/ssoins-1234567890abcdef\"}", True),
                    ("{type: aws, region: eu-west-1, instance_arn: \"arn:aws:sso:::instance/ssoins-123\"}", False),
                    ("{type: aws, region: eu-west-1, identity_store_id: d-1234567890}", True),
                    ("{type: aws, region: eu-west-1, identity_store_id: d-12345}", False),
                    ("{users_and_groups: {scim: {url: \"https://scim.example.com/v2\", token_env: T}}}", True),
                    ("{users_and_groups: {scim: {url: \"http://scim.example.com/v2\", token_env: T}}}", False),
                    ("{users_and_groups: {scim: {url: \"https://scim.example.com/v2\"}}}", False)]:
        out.append(("target %s" % t[:60], config(top="target: %s" % t), want))
    out.append(("unknown section", config(top="roles: []"), False))
    # Rule parameters are read by lint, not validate: these cases compare with
    # `gatehouse lint` on a config holding only the policy section.
    for rule, want in [("session-duration: {level: error, max: PT8H, privileged_max: PT1H}", True),
                       ("session-duration: {max: PT20H}", False), ("session-duration: {maximum: PT8H}", False),
                       ("environment-separation: {level: warning, production: [production, prod]}", True),
                       ("protect-audit-logs: {actions: [cloudtrail:DeleteTrail], production: [prod]}", True),
                       ("protect-audit-logs: {actions: cloudtrail:DeleteTrail}", False),
                       ("separation-of-duties: {level: error, pairs: [{groups: [A, B]}]}", True),
                       ("separation-of-duties: {pairs: [{groups: [A]}]}", False),
                       ("separation-of-duties: {pairs: [{users: [A, B]}]}", False),
                       ("separation-of-duties: {pairs: [{groups: [A, B], permission_sets: [X, Y]}]}", False),
                       ("empty-group: {level: note}", True), ("empty-group: {level: note, max: 3}", False)]:
        text = "groups:\n  - {name: A, members: []}\n  - {name: B, members: []}\n" \
               "permission_sets:\n  - {name: X}\n  - {name: Y}\n" \
               "policy:\n  rules:\n    empty-group: \"off\"\n    unused-permission-set: \"off\"\n    %s\n" % rule
        if rule.startswith("empty-group"):
            text = text.replace('    empty-group: "off"\n', "")
        out.append(("lint: rule %s" % rule, text, want, "lint"))
    out.append(("empty file", "", True))
    out.append(("comment-only file", "# nothing yet\n", True))
    return out


def main():
    binary, schema = sys.argv[1], sys.argv[2]
    v = schema_check.validator(schema)
    env = dict(os.environ, NO_COLOR="1", GATEHOUSE_NOW="2026-06-01")
    failed = 0
    total = 0
    with tempfile.TemporaryDirectory(prefix="gatehouse-agreement.") as tmp:
        have_lint = "lint" in subprocess.run([binary, "--help"], capture_output=True, text=True).stdout
        for name, text, want, *how in cases():
            command = how[0] if how else "validate"
            if command == "lint" and not have_lint:
                print("skip %s: this build has no lint" % name)
                continue
            total += 1
            d = os.path.join(tmp, "case%d" % total)
            os.mkdir(d)
            path = os.path.join(d, "gatehouse.yaml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            with open(os.path.join(d, "policy.json"), "w", encoding="utf-8") as f:
                f.write(POLICY)
            r = subprocess.run([binary, command, d, "--no-color"], capture_output=True, text=True, env=env,
                               timeout=60)
            if r.returncode not in (0, 1):
                print("FAIL %s: %s exited %d" % (name, command, r.returncode))
                failed += 1
                continue
            loader_ok = r.returncode == 0
            errs = schema_check.errors_of(v, path)
            schema_ok = not errs
            problems = []
            if loader_ok != schema_ok:
                problems.append("loader says %s, schema says %s" % ("valid" if loader_ok else "invalid",
                                                                    "valid" if schema_ok else "invalid"))
            if want is not None and loader_ok != want:
                problems.append("the case expects %s" % ("valid" if want else "invalid"))
            if problems:
                failed += 1
                detail = (errs[0] if errs else "") or (r.stdout + r.stderr).strip().splitlines()[0:1]
                print("FAIL %s: %s (%s)" % (name, "; ".join(problems), detail))
            else:
                print("ok   %s: both %s" % (name, "accept" if loader_ok else "reject"))
    print("agreement: %d cases, %d failed" % (total, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
