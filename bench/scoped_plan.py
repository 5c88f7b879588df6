#!/usr/bin/python3
"""Scoped plans (issue 15) against the strict fake at 20 requests/s.

usage: scoped_plan.py GATEHOUSE [--scale F] [--work DIR] [--full] [--check] [--keep]

1. bench/gen_config.py writes an org (--scale 0.4: 20,000 users, 4,000 groups,
   600 accounts, 200 permission sets, ~1,200 assignment entries);
2. its compiled form (`plan --format json` against an empty local directory)
   seeds tests/fake_aws directly (POST /_fake/seed, no apply), with ids;
3. the config (plus a target.yaml pointing at the fake) is committed in a
   temporary git repository;
4. one member is added to a group and one group assignment is added, and
   `gatehouse plan --changed-from HEAD` runs: calls (the fake's count) and time;
5. --full also times the full read (`gatehouse plan`, unscoped) and prints the
   README formula beside it;
6. --check asserts: exactly the two changes, <= 100 calls, no request
   rejected; `apply --plan` changes only them (the fake's state is compared
   before and after); then a removal (one membership and one assignment entry)
   is planned as deletes in the slice only, while out-of-band drift elsewhere
   stays untouched.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "fake_aws"))
from fakectl import FakeAws  # noqa: E402

INSTANCE = "arn:aws:sso:::instance/ssoins-0123456789abcdef"
STORE = "d-0123456789"


def run(cmd, env=None, cwd=None, ok=(0,)):
    p = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    if p.returncode not in ok:
        sys.exit("FAILED (%d): %s\n%s%s" % (p.returncode, " ".join(cmd), p.stdout[-3000:], p.stderr[-3000:]))
    return p


def seed_from_plan(plan):
    """The fake's seed JSON from a plan that creates everything (names -> fresh ids)."""
    uid, gid, arn = {}, {}, {}
    seed = {"instance": {"arn": INSTANCE, "identity_store_id": STORE}, "users": [], "groups": [],
            "memberships": [], "permission_sets": [], "assignments": [], "accounts": []}
    accounts = {}
    for c in plan["changes"]:
        a = c["after"]
        if c["kind"] == "user":
            uid[a["user_name"]] = "%s-%s" % (STORE[2:], uuid.uuid4())
            u = {"UserId": uid[a["user_name"]], "UserName": a["user_name"], "DisplayName": a["display_name"],
                 "Name": {"GivenName": a["given_name"], "FamilyName": a["family_name"]}}
            if a["email"]:
                u["Emails"] = [{"Value": a["email"], "Type": "work", "Primary": True}]
            seed["users"].append(u)
        elif c["kind"] == "group":
            gid[a["name"]] = "%s-%s" % (STORE[2:], uuid.uuid4())
            seed["groups"].append({"GroupId": gid[a["name"]], "DisplayName": a["name"],
                                   "Description": a["description"]})
        elif c["kind"] == "permission_set":
            arn[a["name"]] = "arn:aws:sso:::permissionSet/ssoins-0123456789abcdef/ps-%s" % uuid.uuid4().hex[:16]
            p = {"PermissionSetArn": arn[a["name"]], "Name": a["name"], "Description": a["description"] or None,
                 "SessionDuration": a["session_duration"], "RelayState": a["relay_state"] or None,
                 "ManagedPolicies": a["managed_policies"],
                 "CustomerManagedPolicies": [{"Name": x["name"], "Path": x["path"]}
                                             for x in a["customer_managed_policies"]],
                 "InlinePolicy": a["inline_policy"], "Tags": a["tags"]}
            seed["permission_sets"].append(p)
    for c in plan["changes"]:
        a = c["after"]
        if c["kind"] == "membership":
            seed["memberships"].append({"GroupId": gid[a["group"]], "UserId": uid[a["user"]]})
        elif c["kind"] == "assignment":
            user = a["principal_type"] == "USER"
            seed["assignments"].append({"AccountId": a["account_id"], "PermissionSetArn": arn[a["permission_set"]],
                                        "PrincipalType": a["principal_type"],
                                        "PrincipalId": (uid if user else gid)[a["principal"]]})
            accounts[a["account_id"]] = a.get("account_name", a["account_id"])
    seed["accounts"] = [{"id": i, "name": n} for i, n in sorted(accounts.items())]
    return seed


def pick_changes(plan):
    """(group, new member) and (group, set, account name) that the config does not have yet."""
    members, assigned, names = {}, set(), {}
    for c in plan["changes"]:
        a = c["after"]
        if c["kind"] == "membership":
            members.setdefault(a["group"], set()).add(a["user"])
        if c["kind"] == "assignment":
            assigned.add((a["principal_type"], a["principal"], a["permission_set"], a["account_id"]))
            names[a["account_id"]] = a.get("account_name", a["account_id"])
    group = sorted(members)[0]
    user = next("user%d" % i for i in range(10**6) if "user%d" % i not in members[group])
    for t, g, s, acct in sorted(x for x in assigned if x[0] == "GROUP"):
        others = sorted(set(names) - {a[3] for a in assigned if a[1] == g and a[2] == s})
        if others:
            return (group, user), (g, s, names[others[0]], others[0])
    sys.exit("no group assignment to add")


def add_member(cfg, group, user):
    for root, _, files in os.walk(os.path.join(cfg, "groups")):
        for f in sorted(files):
            path = os.path.join(root, f)
            text = open(path).read()
            new = re.sub(r"(  - name: %s\n    description: [^\n]*\n    members: \[)" % re.escape(group),
                         r"\g<1>%s, " % user, text)
            if new != text:
                open(path, "w").write(new)
                return
    sys.exit("group %s not found" % group)


def remove_member(cfg, group, user):
    for root, _, files in os.walk(os.path.join(cfg, "groups")):
        for f in sorted(files):
            path = os.path.join(root, f)
            text = open(path).read()
            m = re.search(r"  - name: %s\n    description: [^\n]*\n    members: \[([^\]]*)\]" % re.escape(group), text)
            if m:
                kept = [x.strip() for x in m.group(1).split(",") if x.strip() != user]
                open(path, "w").write(text[:m.start(1)] + ", ".join(kept) + text[m.end(1):])
                return


def delta(before, after):
    """What the fake counted between two stats snapshots."""
    ops = {k: v - before["requests"].get(k, 0) for k, v in after["requests"].items()}
    d = {k: after[k] - before[k] for k in ("total_requests", "validation", "signature", "rate_limited", "throttled")}
    d["requests"] = {k: v for k, v in ops.items() if v}
    return d


def gatehouse(binary, args, env):
    t = time.time()
    p = subprocess.run([binary] + args, env=env, capture_output=True, text=True)
    return p, time.time() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gatehouse")
    ap.add_argument("--scale", type=float, default=0.4)
    ap.add_argument("--work")
    ap.add_argument("--full", action="store_true")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--page-size", default="100")
    a = ap.parse_args()
    binary = os.path.abspath(a.gatehouse)
    work = a.work or tempfile.mkdtemp(prefix="gh-scoped-")
    cfg, everything, seed, counts = compile_org(binary, work, ["--scale", str(a.scale)])
    counts["formula"] = formula(seed, int(a.page_size))
    with FakeAws(*fake_args(a.page_size)) as fake:
        env = seed_fake(fake, seed, cfg)
        git = ["git", "-C", cfg, "-c", "user.name=bench", "-c", "user.email=bench@example.com"]
        run(git[:3] + ["init", "-q"])
        run(git + ["add", "-A"])
        run(git + ["commit", "-q", "-m", "org"])
        (group, user), (g, s, acct_name, acct_id) = pick_changes(everything)
        add_member(cfg, group, user)
        with open(os.path.join(cfg, "assignments", "assignments-00.yaml"), "a") as f:
            f.write("  - {group: %s, permission_set: %s, accounts: [%s]}\n" % (g, s, acct_name))
        print("change: %s joins %s; %s gets %s on %s" % (user, group, g, s, acct_name))
        result = scoped(binary, cfg, work, env, fake, a.check)
        if a.check:
            check_apply(binary, cfg, work, env, fake, [("membership", "%s/%s" % (group, user)),
                                                       ("assignment", "group:%s/%s/%s" % (g, s, acct_id))])
            check_removal(binary, cfg, work, env, fake, git, group, user, "group:%s/%s/%s" % (g, s, acct_id))
        if a.full:
            full(binary, cfg, env, fake, counts)
    if not a.keep and not a.work:
        shutil.rmtree(work, ignore_errors=True)
    return result


def compile_org(binary, work, gen_args):
    """Generates the org (gen_config.py GEN_ARGS) into WORK/config and compiles it: (cfg, plan, seed, counts)."""
    cfg = os.path.join(work, "config")
    shutil.rmtree(cfg, ignore_errors=True)
    run([sys.executable, os.path.join(HERE, "gen_config.py"), cfg] + gen_args)
    t = time.time()
    p = run([binary, "plan", cfg, "--target", "local:" + os.path.join(work, "empty.json"), "--format", "json"],
            ok=(0, 2))
    everything = json.loads(p.stdout)
    seed = seed_from_plan(everything)
    counts = {k: len(seed[k]) for k in ("users", "groups", "memberships", "permission_sets", "assignments", "accounts")}
    print("org: %s (compiled in %.1f s)" % (", ".join("%s %d" % kv for kv in counts.items()), time.time() - t))
    return cfg, everything, seed, counts


def fake_args(page_size):
    """The fake at the real rate: 20 requests/s per API family."""
    return ("--page-size", str(page_size), "--rate-limit", "20", "--async-delay", "0.2")


def seed_fake(fake, seed, cfg):
    """Seeds FAKE, points CFG's target.yaml at it; the environment for gatehouse."""
    t = time.time()
    fake.seed(seed)
    print("seeded the fake directly in %.1f s" % (time.time() - t))
    env = dict(os.environ, **fake.env())
    env.pop("GATEHOUSE_NOW", None)
    with open(os.path.join(cfg, "target.yaml"), "w") as f:
        f.write("target:\n  type: aws\n  region: us-east-1\n  instance_arn: %s\n  identity_store_id: %s\n"
                "  endpoint_url: %s\n" % (INSTANCE, STORE, fake.url))
    return env


def scoped(binary, cfg, work, env, fake, check):
    s0 = fake.stats()
    out = os.path.join(work, "scoped.json")
    p, secs = gatehouse(binary, ["plan", cfg, "--changed-from", "HEAD", "--out", out, "--no-color"], env)
    st = delta(s0, fake.stats())
    if p.returncode != 0:
        sys.exit("scoped plan failed:\n" + p.stdout + p.stderr)
    plan = json.load(open(out))
    changes = ["%s %s %s" % (c["action"], c["kind"], c["name"]) for c in plan["changes"]]
    print("scoped plan: %d calls (%s), %.1f s, %d objects read, changes: %s"
          % (st["total_requests"], ", ".join("%s %d" % kv for kv in sorted(st["requests"].items())), secs,
             plan["scope"]["objects_read"], changes))
    print("  rejected: validation %d, signature %d, rate_limited %d, throttled %d"
          % (st["validation"], st["signature"], st["rate_limited"], st["throttled"]))
    if check:
        assert len(changes) == 2 and changes[0].startswith("create membership") and \
            changes[1].startswith("create assignment"), changes
        assert st["total_requests"] <= 100, st["total_requests"]
        assert st["validation"] == 0 and st["signature"] == 0 and st["rate_limited"] == 0, st
        assert "Scoped plan (changed from HEAD)" in p.stdout, p.stdout
    return 0


def state_sets(fake):
    s = fake.state()
    return {"users": {json.dumps(u, sort_keys=True) for u in s["users"]},
            "groups": {json.dumps(g, sort_keys=True) for g in s["groups"]},
            "memberships": {(m["group"], m["user"]) for m in s["memberships"]},
            "permission_sets": {json.dumps(p, sort_keys=True) for p in s["permission_sets"]},
            "assignments": {(a["AccountId"], a["permission_set"], a["PrincipalType"], a.get("user") or a.get("group"))
                            for a in s["assignments"]}}


def check_apply(binary, cfg, work, env, fake, expected):
    before = state_sets(fake)
    p, secs = gatehouse(binary, ["apply", cfg, "--plan", os.path.join(work, "scoped.json"), "--no-color"], env)
    assert p.returncode == 0, p.stdout + p.stderr
    after = state_sets(fake)
    for k in ("users", "groups", "permission_sets"):
        assert before[k] == after[k], "apply changed %s" % k
    added_m = after["memberships"] - before["memberships"]
    added_a = after["assignments"] - before["assignments"]
    assert not (before["memberships"] - after["memberships"]) and not (before["assignments"] - after["assignments"])
    assert len(added_m) == 1 and len(added_a) == 1, (added_m, added_a)
    print("apply --plan: %.1f s; changed exactly %s, nothing else" % (secs, sorted(added_m | added_a)))


def check_removal(binary, cfg, work, env, fake, git, group, user, assignment):
    run(git + ["add", "-A"])
    run(git + ["commit", "-q", "-m", "applied"])
    # Out-of-band drift outside the slice: must be neither read nor deleted.
    st = fake.state()
    other = sorted({m["group"] for m in st["memberships"]} - {group})[0]
    stranger = next(u["UserName"] for u in st["users"]
                    if (other, u["UserName"]) not in {(m["group"], m["user"]) for m in st["memberships"]})
    st["memberships"].append({"group": other, "user": stranger})
    fake.seed(st)
    remove_member(cfg, group, user)
    path = os.path.join(cfg, "assignments", "assignments-00.yaml")
    lines = open(path).read().splitlines(True)
    lines.pop()  # the assignment entry added above
    open(path, "w").writelines(lines)
    out = os.path.join(work, "removal.json")
    p, secs = gatehouse(binary, ["plan", cfg, "--changed-from", "HEAD", "--out", out, "--no-color"], env)
    assert p.returncode == 0, p.stdout + p.stderr
    plan = json.load(open(out))
    changes = ["%s %s %s" % (c["action"], c["kind"], c["name"]) for c in plan["changes"]]
    assert changes == ["delete membership %s/%s" % (group, user), "delete assignment " + assignment], changes
    p, secs = gatehouse(binary, ["apply", cfg, "--plan", out, "--no-color"], env)
    assert p.returncode == 0, p.stdout + p.stderr
    after = {(m["group"], m["user"]) for m in fake.state()["memberships"]}
    assert (other, stranger) in after and (group, user) not in after
    print("removal: planned %s; applied; the out-of-band membership %s/%s outside the slice is untouched"
          % (changes, other, stranger))


def formula(seed, page):
    """runtime/aws/README.md's full-read formula for this org: (total, sso-admin) calls."""
    def pages(n):
        return max(1, -(-n // page))
    per_group = {}
    for m in seed["memberships"]:
        per_group[m["GroupId"]] = per_group.get(m["GroupId"], 0) + 1
    pairs = len({(x["AccountId"], x["PermissionSetArn"]) for x in seed["assignments"]})
    u, g, p, acc = len(seed["users"]), len(seed["groups"]), len(seed["permission_sets"]), len(seed["accounts"])
    identity = pages(u) + pages(g) + sum(pages(per_group.get(x["GroupId"], 0)) for x in seed["groups"])
    # + 1 ListApplications (the formula's ⌈L/50⌉, at least 1, for no application)
    sso = pages(p) + 6 * p + 2 * acc + min(pairs, u + g) + 1
    return {"total": identity + sso, "sso_admin": sso, "identitystore": identity, "pairs": pairs}


def full(binary, cfg, env, fake, counts):
    """Times the full read (unscoped plan): (process, fake's call delta, seconds)."""
    s0 = fake.stats()
    p, secs = gatehouse(binary, ["plan", cfg, "--no-color", "--format", "json"], env)
    st = delta(s0, fake.stats())
    calls = st["total_requests"]
    print("full read (unscoped plan): %d calls, %.1f s, exit %d; rejected: rate_limited %d"
          % (calls, secs, p.returncode, st["rate_limited"]))
    print("  by operation: %s" % ", ".join("%s %d" % kv for kv in sorted(st["requests"].items())))
    f = counts["formula"]
    print("  formula (runtime/aws/README.md): %d calls = %d identitystore + %d sso-admin (Q = %d pairs); "
          "sso-admin at 20 req/s: %.0f s" % (f["total"], f["identitystore"], f["sso_admin"], f["pairs"],
                                             f["sso_admin"] / 20.0))
    return p, st, secs


if __name__ == "__main__":
    sys.exit(main())
