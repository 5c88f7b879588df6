#!/usr/bin/env python3
"""Generates a large, valid Gatehouse config for benchmarks.

usage: gen_config.py OUTDIR [--accounts N] [--users N] [--groups N] [--sets N]
Deterministic (seeded), so runs are comparable.
"""
import argparse
import os
import random

p = argparse.ArgumentParser()
p.add_argument("out")
p.add_argument("--accounts", type=int, default=300)
p.add_argument("--users", type=int, default=2000)
p.add_argument("--groups", type=int, default=200)
p.add_argument("--sets", type=int, default=60)
a = p.parse_args()
rng = random.Random(42)
os.makedirs(a.out, exist_ok=True)
envs = ["production", "staging", "development", "sandbox"]
ous = ["Workloads/Prod", "Workloads/Staging", "Workloads/Dev", "Sandbox", "Security", "Workloads/Prod/EU"]

with open(os.path.join(a.out, "settings.yaml"), "w") as f:
    f.write("settings:\n  guards: {max_deletes: 100000}\n")
with open(os.path.join(a.out, "accounts.yaml"), "w") as f:
    f.write("accounts:\n")
    for i in range(a.accounts):
        f.write(f'  - {{id: "{100000000000 + i}", name: acct-{i}, ou: {rng.choice(ous)}, '
                f'environment: {rng.choice(envs)}, tags: {{team: t{i % 20}}}}}\n')
with open(os.path.join(a.out, "users.yaml"), "w") as f:
    f.write("users:\n")
    for i in range(a.users):
        f.write(f"  - {{user_name: user{i}, given_name: Given{i}, family_name: Family{i}, email: user{i}@example.com}}\n")
with open(os.path.join(a.out, "groups.yaml"), "w") as f:
    f.write("groups:\n")
    for g in range(a.groups):
        members = sorted(rng.sample(range(a.users), min(a.users, 25)))
        f.write(f"  - name: group{g}\n    members: [{', '.join(f'user{m}' for m in members)}]\n")
managed = ["ReadOnlyAccess", "PowerUserAccess", "job-function/ViewOnlyAccess", "AmazonS3ReadOnlyAccess"]
with open(os.path.join(a.out, "permission_sets.yaml"), "w") as f:
    f.write("permission_sets:\n")
    for s in range(a.sets):
        f.write(f"  - name: Set{s}\n    session_duration: PT{1 + s % 8}H\n    managed_policies: [{rng.choice(managed)}]\n")
        f.write("    inline_policy:\n      Version: \"2012-10-17\"\n      Statement:\n")
        f.write("        - {Effect: Deny, Action: [cloudtrail:DeleteTrail, cloudtrail:StopLogging, logs:DeleteLogGroup], Resource: \"*\"}\n")
        f.write(f"        - {{Effect: Allow, Action: [s3:GetObject], Resource: \"arn:aws:s3:::bucket-{s}/*\"}}\n")
with open(os.path.join(a.out, "assignments.yaml"), "w") as f:
    f.write("assignments:\n")
    for g in range(a.groups):
        sel = rng.choice([f"{{environment: {rng.choice(envs)}}}", f"{{ou: \"{rng.choice(ous)}\"}}",
                          f"{{tags: {{team: t{g % 20}}}}}", f"[acct-{rng.randrange(a.accounts)}]"])
        f.write(f"  - {{group: group{g}, permission_set: Set{g % a.sets}, accounts: {sel}}}\n")
