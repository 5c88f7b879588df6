#!/usr/bin/python3
"""kill -9 at random points of `gatehouse apply`, then rerun (issue 14 item 3).

usage: kill_apply.py GATEHOUSE [--local-kills N] [--aws-kills N] [--scale F] [--seed S]
                     [--only local|aws] [--keep]

Local directory: an org from bench/gen_config.py (--scale, 0.02 by default) is
applied, then its 1 % drift is applied and killed (SIGKILL) at random moments of
its run, three kills in a row, then rerun to the end. After every kill the
directory file parses and is byte for byte the old or the new one (never torn);
the rerun takes over the dead holder's lock (and names it), exits 0, and leaves
nothing to plan; the final directory equals an uninterrupted apply's (by names);
no user, group or set outside the plan's deletions lost its id. A live holder of
the lock still refuses a second apply.

Fake AWS (tests/fake_aws, assignments and provisionings take --async-delay 1 s):
the same rounds on a small org with creations, updates (a set whose policy
change needs provisioning) and deletions. After each round: converged (plan
says no changes; the fake's state equals an uninterrupted apply's); no
assignment created or deleted twice, no set provisioned twice; no user, group
or set outside the plan's deletions lost its id; requests a killed apply left
IN_PROGRESS were waited for by the rerun ("waited for ...").

The ctest (kill_apply) runs about 21 local and 21 AWS kills in ~1-2 minutes;
bench/kill_apply.sh runs it on a large org (docs/reliability.md). Exit 0 when
every check passes, 1 otherwise, 77 when botocore is missing (AWS part).
"""
import argparse
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(SRC, "tests", "fake_aws"))

FAILURES = []
CHECKS = [0]


def check(cond, msg):
    CHECKS[0] += 1
    if not cond:
        FAILURES.append(msg)
        print("FAIL: " + msg, flush=True)
    return cond


def digest(path):
    try:
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    except FileNotFoundError:
        return "missing"


class Runner:
    def __init__(self, gh, env):
        self.gh, self.env = gh, env

    def run(self, *args, timeout=600):
        p = subprocess.run([self.gh, *args], env=self.env, stdin=subprocess.DEVNULL, capture_output=True,
                           text=True, timeout=timeout)
        return p.returncode, p.stdout, p.stderr

    def apply_killed(self, cfg, delay):
        """Starts apply, SIGKILLs it after `delay` s; returns (pid, exit status or None if killed)."""
        p = subprocess.Popen([self.gh, "apply", cfg, "--auto-approve", "--allow-deletes", "100000"], env=self.env,
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            p.wait(timeout=delay)
            return p.pid, p.returncode  # finished before the kill
        except subprocess.TimeoutExpired:
            p.send_signal(signal.SIGKILL)
            p.wait()
            return p.pid, None

    def apply(self, cfg):
        return self.run("apply", cfg, "--auto-approve", "--allow-deletes", "100000")

    def plan_json(self, cfg):
        rc, out, err = self.run("plan", cfg, "--format", "json")
        if not check(rc == 0, "plan --format json exits %d: %s" % (rc, err[-2000:])):
            return {"changes": []}
        return json.loads(out)

    def converged(self, cfg, what):
        rc, out, err = self.run("plan", cfg, "--detailed-exitcode")
        return check(rc == 0, "%s: plan after the rerun exits %d (expected 0, no changes): %s" % (what, rc,
                                                                                                   (out + err)[-1500:]))


def timed_apply(runner, cfg):
    t0 = time.monotonic()
    rc, out, err = runner.apply(cfg)
    check(rc == 0, "uninterrupted apply exits %d: %s" % (rc, (out + err)[-2000:]))
    return time.monotonic() - t0


# --------------------------------------------------------------------------
# Local directory

def local_view(path):
    """The directory by names (ids dropped) and the ids by name."""
    with open(path) as f:
        d = json.load(f)
    uid = {u["id"]: u["user_name"] for u in d["users"]}
    gid = {g["id"]: g["name"] for g in d["groups"]}
    sarn = {p["arn"]: p["name"] for p in d["permission_sets"]}
    view = {
        "users": sorted(json.dumps({k: v for k, v in u.items() if k != "id"}, sort_keys=True) for u in d["users"]),
        "groups": sorted(json.dumps({k: v for k, v in g.items() if k != "id"}, sort_keys=True) for g in d["groups"]),
        "memberships": sorted((gid.get(m["group_id"]), uid.get(m["user_id"])) for m in d["memberships"]),
        "sets": sorted(json.dumps({k: v for k, v in p.items() if k not in ("arn", "provisioned_accounts")},
                                  sort_keys=True) for p in d["permission_sets"]),
        "assignments": sorted((a["principal_type"], (uid if a["principal_type"] == "USER" else gid).get(
            a["principal_id"]), sarn.get(a["permission_set_arn"]), a["account_id"]) for a in d["assignments"]),
    }
    ids = {("user", u["user_name"]): u["id"] for u in d["users"]}
    ids.update({("group", g["name"]): g["id"] for g in d["groups"]})
    ids.update({("set", p["name"]): p["arn"] for p in d["permission_sets"]})
    return view, ids


def kept_ids(before_ids, after_ids, what):
    """Every object present before and after kept its id (nothing deleted and recreated)."""
    changed = [k for k, v in before_ids.items() if k in after_ids and after_ids[k] != v]
    check(not changed, "%s: deleted and recreated outside the plan: %s" % (what, changed[:5]))


def prepare_local(runner, work, scale, from_empty):
    """The config dir (holding the config the killed applies apply) and the
    directory file it starts from each round (None: no file, an empty directory)."""
    base, drift = os.path.join(work, "base"), os.path.join(work, "drift")
    subprocess.run([sys.executable, os.path.join(SRC, "bench", "gen_config.py"), base, "--scale", str(scale),
                    "--drift", drift], check=True, stdout=subprocess.DEVNULL)
    cfg = os.path.join(work, "cfg")
    dirfile = os.path.join(cfg, ".gatehouse", "directory.json")
    shutil.copytree(base, cfg)
    if from_empty:
        return cfg, dirfile, None
    timed_apply(runner, cfg)
    initial = os.path.join(work, "initial.json")
    shutil.copy(dirfile, initial)
    # The drifted org is the one applied, killed and rerun.
    for entry in os.listdir(cfg):
        if entry != ".gatehouse":
            p = os.path.join(cfg, entry)
            shutil.rmtree(p) if os.path.isdir(p) else os.unlink(p)
    for entry in os.listdir(drift):
        s = os.path.join(drift, entry)
        (shutil.copytree if os.path.isdir(s) else shutil.copy)(s, os.path.join(cfg, entry))
    return cfg, dirfile, initial


def restore(initial, dirfile):
    if initial:
        shutil.copy(initial, dirfile)
    elif os.path.exists(dirfile):
        os.unlink(dirfile)


def check_after_kill(dirfile, versions, finished, what):
    """The directory file parses and is one of at most two versions: the one
    the round started from and the one the apply wrote (never a torn one)."""
    if os.path.exists(dirfile):
        try:
            with open(dirfile) as f:
                json.load(f)
        except (OSError, ValueError) as e:
            check(False, "%s: the directory file does not parse: %s" % (what, e))
    d = digest(dirfile)
    state = "finished before the kill" if finished else ("old file" if d in versions else "new file")
    if d not in versions:
        versions.add(d)  # the kill came after the rename: the whole new file
    check(len(versions) <= 2, "%s: a third version of the directory file appeared" % what)
    lock = dirfile + ".lock"
    holder = open(lock).read().strip() if os.path.exists(lock) else ""
    print("  %s: %s%s" % (what, state, ", lock left by pid " + holder if holder else ""), flush=True)
    tmp = [f for f in os.listdir(os.path.dirname(dirfile)) if ".tmp." in f] if os.path.isdir(
        os.path.dirname(dirfile)) else []
    if tmp:
        print("  %s left %s (removed by the next write)" % (what, tmp), flush=True)


def run_local(runner, work, kills, scale, rng, from_empty=False):
    print("== local directory (scale %s, %d kills%s)" % (scale, kills, ", from empty" if from_empty else ""),
          flush=True)
    cfg, dirfile, initial = prepare_local(runner, work, scale, from_empty)
    initial_ids = local_view(initial)[1] if initial else {}
    plan = runner.plan_json(cfg)
    print("plan: %d changes" % len(plan.get("changes", [])), flush=True)
    duration = timed_apply(runner, cfg)
    final_view, _ = local_view(dirfile)
    print("uninterrupted apply: %.2f s" % duration, flush=True)

    done, round_no, took_over = 0, 0, 0
    while done < kills:
        round_no += 1
        restore(initial, dirfile)
        versions = {digest(dirfile)}
        for _ in range(min(3, kills - done)):
            delay = rng.uniform(0.0, duration)
            pid, rc = runner.apply_killed(cfg, delay)
            done += 1
            check_after_kill(dirfile, versions, rc is not None, "local round %d kill at %.3f s" % (round_no, delay))
        lock_pid = open(dirfile + ".lock").read().strip() if os.path.exists(dirfile + ".lock") else ""
        t0 = time.monotonic()
        rc, out, err = runner.apply(cfg)
        what = "local round %d" % round_no
        check(rc == 0, "%s: rerun exits %d: %s" % (what, rc, (out + err)[-2000:]))
        if lock_pid:
            took_over += 1
            check("left by pid " + lock_pid in err, "%s: the rerun does not name the dead holder %s: %s" %
                  (what, lock_pid, err[-500:]))
        print("  %s: rerun %.2f s%s" % (what, time.monotonic() - t0, ", took over the lock of pid " + lock_pid
                                        if lock_pid else ""), flush=True)
        runner.converged(cfg, what)
        view, ids = local_view(dirfile)
        check(view == final_view, "%s: the directory differs from an uninterrupted apply's" % what)
        kept_ids(initial_ids, ids, what)
        check(not [f for f in os.listdir(os.path.dirname(dirfile)) if ".tmp." in f],
              "%s: temp files left after a successful apply" % what)
    print("local: %d kills in %d rounds, %d reruns took over a dead holder's lock" % (done, round_no, took_over),
          flush=True)
    check_live_holder(runner, cfg, dirfile)


def check_live_holder(runner, cfg, dirfile):
    """A live holder (this process, holding the flock) still refuses a second apply."""
    import fcntl
    with open(dirfile + ".lock", "a+") as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        f.truncate(0)
        f.write("%d\n" % os.getpid())
        f.flush()
        before = digest(dirfile)
        rc, out, err = runner.apply(cfg)
        check(rc == 1, "apply while a live process holds the lock exits %d, expected 1" % rc)
        check("another apply is running" in err and "(pid %d)" % os.getpid() in err,
              "the refusal does not name the live holder: %s" % err[-500:])
        check(digest(dirfile) == before, "the refused apply changed the directory")
        f.truncate(0)
        fcntl.flock(f.fileno(), fcntl.LOCK_UN)


# --------------------------------------------------------------------------
# Fake AWS

INSTANCE = "arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6"
STORE = "d-90677b1a2b"
ACCOUNTS = ["222222222222", "333333333333", "444444444444", "555555555555"]


def aws_seed(n_users):
    # Fixed ids, so that every round starts from the same ids (kept_ids).
    users = [{"UserId": "90677b1a2b-00000000-0000-4000-8000-0000000000%02d" % i, "UserName": "u%02d" % i,
              "DisplayName": "User %d" % i,
              "Name": {"GivenName": "User", "FamilyName": "N%d" % i}} for i in range(n_users)]
    users.append({"UserId": "90677b1a2b-00000000-0000-4000-8000-000000000099", "UserName": "leaver", "DisplayName": "Leaver", "Name": {"GivenName": "L", "FamilyName": "L"}})
    return {
        "instance": {"arn": INSTANCE, "identity_store_id": STORE},
        "organization": {"id": "o-abcdef1234", "master_account_id": "111111111111", "root_id": "r-ab12"},
        "accounts": [{"id": a, "name": "acct-%s" % a[:3]} for a in ACCOUNTS],
        "users": users,
        "groups": [{"GroupId": "90677b1a2b-00000000-0000-4000-8000-100000000001", "DisplayName": "Ops",
                    "Description": "ops"},
                   {"GroupId": "90677b1a2b-00000000-0000-4000-8000-100000000002", "DisplayName": "Legacy",
                    "Description": "old"}],
        "memberships": [{"group": "Ops", "user": "u00"}, {"group": "Legacy", "user": "leaver"}],
        "permission_sets": [
            {"PermissionSetArn": INSTANCE.replace("instance", "permissionSet") + "/ps-0000000000000001",
             "Name": "Ops", "Description": "ops", "SessionDuration": "PT1H",
             "ManagedPolicies": ["arn:aws:iam::aws:policy/ReadOnlyAccess"]},
            {"PermissionSetArn": INSTANCE.replace("instance", "permissionSet") + "/ps-0000000000000002",
             "Name": "Old", "Description": "old", "SessionDuration": "PT1H"}],
        "assignments": [{"AccountId": a, "permission_set": "Ops", "group": "Ops"} for a in ACCOUNTS[:2]]
        + [{"AccountId": ACCOUNTS[0], "permission_set": "Old", "group": "Legacy"},
           {"AccountId": ACCOUNTS[1], "permission_set": "Old", "user": "leaver"}],
    }


def aws_config(url, n_users):
    users = "\n".join("  - {user_name: u%02d, display_name: User %d, given_name: User, family_name: N%d}" % (i, i, i)
                      for i in range(n_users))
    users += "\n" + "\n".join("  - {user_name: n%02d, given_name: New, family_name: N%d}" % (i, i)
                              for i in range(n_users // 2))
    devs = ", ".join(["n%02d" % i for i in range(n_users // 2)] + ["u%02d" % i for i in range(0, n_users, 3)])
    accounts = "\n".join('  - {id: "%s", name: acct-%s}' % (a, a[:3]) for a in ACCOUNTS)
    return """target:
  type: aws
  region: us-east-1
  instance_arn: %s
  identity_store_id: %s
  endpoint_url: %s
accounts:
%s
users:
%s
groups:
  - {name: Ops, description: operations, members: [u00, u01]}
  - {name: Devs, description: developers, members: [%s]}
permission_sets:
  - name: Ops
    description: ops
    session_duration: PT1H
    managed_policies: [ReadOnlyAccess, job-function/ViewOnlyAccess]
  - name: Dev
    description: developers
    session_duration: PT4H
    managed_policies: [PowerUserAccess]
assignments:
  - {group: Ops, permission_set: Ops, accounts: {all: true}}
  - {group: Devs, permission_set: Dev, accounts: {all: true}}
%s
""" % (INSTANCE, STORE, url, accounts, users, devs,
       "\n".join("  - {user: u%02d, permission_set: Dev, accounts: [\"%s\"]}" % (i, ACCOUNTS[i % 4])
                 for i in range(0, n_users, 2)))


def aws_view(state):
    """The fake's directory by names (ids, ARNs and times dropped), and the ids by name."""
    def plain(x):
        return json.dumps({k: v for k, v in x.items() if k == "AccountId" or not (
            k.endswith("Id") or k.endswith("Arn") or k in ("CreatedAt", "UpdatedAt", "CreatedDate"))}, sort_keys=True)
    view = {k: sorted(plain(x) for x in state.get(k, []))
            for k in ("users", "groups", "memberships", "assignments", "permission_sets", "provisioned")}
    ids = {("user", u["UserName"]): u.get("UserId") for u in state.get("users", [])}
    ids.update({("group", g["DisplayName"]): g.get("GroupId") for g in state.get("groups", [])})
    ids.update({("set", p["Name"]): p.get("PermissionSetArn") for p in state.get("permission_sets", [])})
    return view, ids


def request_key(rec):
    return (rec.get("TargetId"), rec.get("PermissionSetArn"), rec.get("PrincipalType"), rec.get("PrincipalId"))


def check_requests(state, what):
    """No assignment created or deleted twice, no set provisioned twice in the round."""
    reqs = state.get("requests", {})
    for kind in ("account_assignment_creation", "account_assignment_deletion"):
        keys = [request_key(r) for r in reqs.get(kind, [])]
        dup = sorted({k for k in keys if keys.count(k) > 1})
        check(not dup, "%s: %s requested twice for %s" % (what, kind, dup[:3]))
    arns = [r.get("PermissionSetArn") for r in reqs.get("permission_set_provisioning", [])]
    dup = sorted({a for a in arns if arns.count(a) > 1})
    check(not dup, "%s: a permission set was provisioned twice: %s" % (what, dup))


def in_progress(state):
    return sum(1 for recs in state.get("requests", {}).values() for r in recs if r.get("Status") == "IN_PROGRESS")


def run_aws(runner_env, gh, work, kills, rng, n_users):
    try:
        import botocore  # noqa: F401
    except ImportError:
        print("skip: the fake AWS needs python3-botocore")
        return 77
    from fakectl import FakeAws
    print("== fake AWS (%d users, async operations take %s s, %d kills)" % (n_users, os.environ.get("KILL_ASYNC_DELAY", "2.0"), kills), flush=True)
    key = ("ASIAFAKEKILLTEST0001", "kill/test/secret/0000000000000000000000", "FwoGZXIvYXdzKILLTESTtoken000000")
    env = dict(runner_env, AWS_ACCESS_KEY_ID=key[0], AWS_SECRET_ACCESS_KEY=key[1], AWS_SESSION_TOKEN=key[2])
    for k in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ENDPOINT_URL"):
        env.pop(k, None)
    env["AWS_SHARED_CREDENTIALS_FILE"] = env["AWS_CONFIG_FILE"] = os.path.join(work, "none")
    runner = Runner(gh, env)
    seed = aws_seed(n_users)
    with FakeAws("--async-delay", os.environ.get("KILL_ASYNC_DELAY", "2.0"), "--page-size", "50", "--access-key", ":".join(key),
                 workdir=os.path.join(work, "fake")) as fake:
        cfg = os.path.join(work, "aws-cfg")
        os.makedirs(cfg)
        with open(os.path.join(cfg, "gatehouse.yaml"), "w") as f:
            f.write(aws_config(fake.url, n_users))
        fake.seed(seed)
        _, seed_ids = aws_view(fake.state())
        plan = runner.plan_json(cfg)
        print("plan: %d changes" % len(plan.get("changes", [])), flush=True)
        duration = timed_apply(runner, cfg)
        final_view, _ = aws_view(fake.state())
        check_requests(fake.state(), "uninterrupted apply")
        print("uninterrupted apply: %.2f s" % duration, flush=True)
        done, round_no, inflight_seen, waited, inflight_at_rerun = 0, 0, 0, 0, 0
        while done < kills:
            round_no += 1
            fake.seed(seed)
            for _ in range(min(3, kills - done)):
                delay = rng.uniform(0.05, duration)
                runner.apply_killed(cfg, delay)
                done += 1
                inflight_seen += in_progress(fake.state()) > 0
            # What a kill left in flight completes on the fake's clock (KILL_ASYNC_DELAY):
            # only what is still in flight when the rerun starts is its to wait for.
            inflight_at_rerun += in_progress(fake.state()) > 0
            rc, out, err = runner.apply(cfg)
            what = "aws round %d" % round_no
            check(rc == 0, "%s: rerun exits %d: %s" % (what, rc, (out + err)[-2000:]))
            waited += "an earlier apply left in progress" in err
            runner.converged(cfg, what)
            state = fake.state()
            view, ids = aws_view(state)
            check(view == final_view, "%s: the fake's state differs from an uninterrupted apply's: %s" %
                  (what, [k for k in view if view[k] != final_view[k]]))
            check_requests(state, what)
            kept_ids(seed_ids, ids, what)
        stats = fake.stats()
        check(not stats.get("rejections"), "the fake rejected requests: %s" % stats.get("rejections", [])[:3])
        print("aws: %d kills in %d rounds; in flight after a kill: %d times, when a rerun started: %d; "
              "reruns that waited: %d" % (done, round_no, inflight_seen, inflight_at_rerun, waited), flush=True)
        # One request may complete between that look and the rerun's own (a race of
        # ~0.1 s against a 2 s operation); two such rounds with no wait is a bug.
        check(inflight_at_rerun < 2 or waited > 0, "requests were in progress when %d reruns started, "
              "but no rerun waited for them" % inflight_at_rerun)
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gatehouse")
    ap.add_argument("--local-kills", type=int, default=21)
    ap.add_argument("--aws-kills", type=int, default=21)
    ap.add_argument("--scale", type=float, default=0.02)
    ap.add_argument("--aws-users", type=int, default=12)
    ap.add_argument("--seed", type=int, default=int(os.environ.get("KILL_SEED", time.time())))
    ap.add_argument("--only", choices=["local", "aws"])
    ap.add_argument("--from-empty", action="store_true", help="local: the killed apply builds the whole org")
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    print("kill_apply: random seed %d (KILL_SEED=%d reproduces)" % (a.seed, a.seed), flush=True)
    rng = random.Random(a.seed)
    gh = os.path.abspath(a.gatehouse)
    work = tempfile.mkdtemp(prefix="gh-kill-")
    env = dict(os.environ, GATEHOUSE_NOW="2026-06-01", NO_COLOR="1")
    t0 = time.monotonic()
    rc = 0
    try:
        if a.only in (None, "local"):
            run_local(Runner(gh, env), work, a.local_kills, a.scale, rng, a.from_empty)
        if a.only in (None, "aws"):
            rc = run_aws(env, gh, work, a.aws_kills, rng, a.aws_users)
    finally:
        if a.keep:
            print("work dir kept: " + work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    print("kill_apply: %d checks, %d failures, %.0f s" % (CHECKS[0], len(FAILURES), time.monotonic() - t0))
    if FAILURES:
        return 1
    return rc if a.only == "aws" else 0


if __name__ == "__main__":
    sys.exit(main())
