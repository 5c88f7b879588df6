#!/usr/bin/python3
"""AWS read cost (issue 13 item 4): the full read of a fake Identity Center at 20 requests/s.

usage: aws_read_cost.py GATEHOUSE [--users N] [--groups N] [--sets N] [--accounts N]
                        [--entries N] [--work DIR] [--check]

The org (default: 5,000 users, 500 groups, 100 permission sets, 300 accounts;
memberships and assignment entries as bench/gen_config.py makes them at
--scale 0.1, i.e. 300 entries) is generated, compiled and seeded into the
strict fake (tests/fake_aws, --rate-limit 20 per API family, --page-size 100)
the way bench/scoped_plan.py does it; then the unscoped `gatehouse plan` (the
full read) is timed and the fake's calls are counted. Printed beside it:

- runtime/aws/README.md's formula for the org, and its time floor (the busier
  API family's calls / 20 s; sso-admin here);
- what a one-resource-per-call tool needs to refresh the same org
  (`per_resource` below, the Terraform AWS provider's resources), its floor at
  20 requests/s, and both ratios to Gatehouse.

--check asserts no request was rejected, the plan converged (exit 0) and the
measured calls are within 5 % of the formula (use it at a small size).
"""
import argparse
import os
import shutil
import sys
import tempfile

sys.dont_write_bytecode = True  # importing scoped_plan must not leave bench/__pycache__ in the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scoped_plan as sp  # noqa: E402
from fakectl import FakeAws  # noqa: E402  (tests/fake_aws, put on the path by scoped_plan)

RATE = 20.0
PAGE = 100


def per_resource(seed):
    """Calls of a one-resource-per-call refresh of the org: the Terraform AWS provider's reads.

    identitystore: 1 DescribeUser per aws_identitystore_user, 1 DescribeGroup per
    aws_identitystore_group, 1 DescribeGroupMembership per
    aws_identitystore_group_membership. sso-admin: per aws_ssoadmin_permission_set
    DescribePermissionSet + ListTagsForResource; 1 call per attachment resource
    (ListManagedPoliciesInPermissionSet per managed policy,
    ListCustomerManagedPolicyReferencesInPermissionSet per customer-managed one,
    GetInlinePolicyForPermissionSet per inline policy,
    GetPermissionsBoundaryForPermissionSet per boundary); 1 ListAccountAssignments
    per aws_ssoadmin_account_assignment (a lower bound: it pages through the
    pair's assignments until it finds its own).
    """
    sets = seed["permission_sets"]
    identity = len(seed["users"]) + len(seed["groups"]) + len(seed["memberships"])
    sso = (2 * len(sets) + sum(len(p["ManagedPolicies"]) + len(p["CustomerManagedPolicies"]) for p in sets)
           + sum(1 for p in sets if p.get("InlinePolicy")) + sum(1 for p in sets if p.get("PermissionsBoundary"))
           + len(seed["assignments"]))
    return {"total": identity + sso, "identitystore": identity, "sso_admin": sso}


def floor_s(calls):
    """Seconds at RATE requests/s with one token bucket per API family (they run alongside)."""
    return max(calls["identitystore"], calls["sso_admin"]) / RATE


def report(counts, st, secs, f, r):
    calls = st["total_requests"]
    print("\nAWS read cost, %s" % ", ".join("%s %d" % kv for kv in counts.items()))
    print("  measured:     %6d calls  %7.1f s  (%.2fx the formula's calls, %.2fx its floor)"
          % (calls, secs, calls / f["total"], secs / floor_s(f)))
    print("  formula:      %6d calls  %7.1f s floor  (%d identitystore + %d sso-admin; Q = %d pairs)"
          % (f["total"], floor_s(f), f["identitystore"], f["sso_admin"], f["pairs"]))
    print("  per-resource: %6d calls  %7.1f s floor  (%d identitystore + %d sso-admin)"
          % (r["total"], floor_s(r), r["identitystore"], r["sso_admin"]))
    print("  per-resource / Gatehouse: %.1fx the calls (measured), %.1fx the time (its floor / measured), "
          "%.1fx floor to floor" % (r["total"] / calls, floor_s(r) / secs, floor_s(r) / floor_s(f)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gatehouse")
    for name, default in (("users", 5000), ("groups", 500), ("sets", 100), ("accounts", 300), ("entries", 300)):
        ap.add_argument("--" + name, type=int, default=default)
    ap.add_argument("--work")
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    binary = os.path.abspath(a.gatehouse)
    work = a.work or tempfile.mkdtemp(prefix="gh-readcost-")
    gen = ["--scale", "0.1"] + sum((["--" + k, str(getattr(a, k))]
                                    for k in ("users", "groups", "sets", "accounts", "entries")), [])
    cfg, _, seed, counts = sp.compile_org(binary, work, gen)
    if counts["accounts"] != a.accounts:
        sys.exit("only %d of the %d accounts hold an assignment; raise --entries" % (counts["accounts"], a.accounts))
    f = sp.formula(seed, PAGE)
    with FakeAws(*sp.fake_args(PAGE)) as fake:
        env = sp.seed_fake(fake, seed, cfg)
        p, st, secs = sp.full(binary, cfg, env, fake, dict(counts, formula=f))
    report(counts, st, secs, f, per_resource(seed))
    if a.check:
        assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-2000:]
        assert st["validation"] == 0 and st["signature"] == 0, st
        assert abs(st["total_requests"] - f["total"]) <= 0.05 * f["total"], (st["total_requests"], f)
        print("check: ok")
    if not a.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
