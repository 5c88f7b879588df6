#!/usr/bin/env python3
"""Generates a large, valid Gatehouse org for benchmarks, and a 1% drift of it.

usage: gen_config.py OUTDIR [--scale F] [--seed N] [--drift DRIFTDIR] [--stats]
                     [--users N] [--groups N] [--accounts N] [--sets N] [--entries N]
                     [--layout split|per-kind]

At --scale 1 (the default) the org is the size of issue 13: 50,000 users,
10,000 groups, ~159,000 memberships, 1,500 accounts, 500 permission sets and
3,000 assignment entries, which expand to ~102,000 principal x set x account
assignments and ~1.64 million effective user x account x set grants. --scale F
multiplies every count (and the number of teams/OUs, so a selector matches the
same number of accounts at every scale): expanded assignments and grants grow
linearly with F. --users, --groups, --accounts, --sets and --entries (assignment
entries) set one count exactly instead of scaling it; the others still follow
--scale (without them the output is unchanged).

Every list section is split across several files (users across 10, groups
across 10, ...; in subfolders), so a loader may read them in parallel.
--layout per-kind writes one file per section instead, as `gatehouse import`
does (users/users-00.yaml then holds all 50,000 users, 5 MB).
Assignments use every selector kind: environment, ou glob (one level and
`**`), tags, name glob, environment+tags (AND), and account lists by name and
by id; ~3% are direct user assignments.

--drift DRIFTDIR also writes the same org with 1% of it changed: 1% of the
memberships removed and as many added, 1% of the assignment entries removed
and as many added (new group, set and selector), 0.2% of the users deleted
(and dropped from their groups and assignments) and as many new users added
(each in one to three groups).

--stats prints the counts (expanded assignments and effective grants are
computed by expanding the selectors here, the way the compiler does).
Deterministic: the same arguments give byte-identical files.
"""
import argparse
import copy
import fnmatch
import os
import random

p = argparse.ArgumentParser()
p.add_argument("out")
p.add_argument("--scale", type=float, default=1.0)
p.add_argument("--seed", type=int, default=42)
p.add_argument("--drift", metavar="DRIFTDIR")
p.add_argument("--stats", action="store_true")
p.add_argument("--layout", choices=["split", "per-kind"], default="split")
for count in ("users", "groups", "accounts", "sets", "entries"):
    p.add_argument("--" + count, type=int, metavar="N", help="exactly N %s (default: scaled)" % count)
a = p.parse_args()
if not 0 < a.scale <= 4:
    p.error("--scale must be in (0, 4]")


def n(full, exact=None):
    return exact if exact is not None else max(1, round(full * a.scale))


if any(x is not None and x < 1 for x in (a.users, a.groups, a.accounts, a.sets, a.entries)):
    p.error("explicit counts must be >= 1")
N_USERS, N_GROUPS = n(50000, a.users), n(10000, a.groups)
N_ACCOUNTS, N_SETS, N_ENTRIES = n(1500, a.accounts), n(500, a.sets), n(3000, a.entries)
N_TEAMS = max(1, N_ACCOUNTS // 30)  # ~30 accounts per team tag
N_BUS = max(1, N_ACCOUNTS // 60)    # ~60 accounts per business unit OU, ~15 per BU/env
ENVS = ["production", "staging", "development", "sandbox"]
ENV_OU = {"production": "Prod", "staging": "Staging", "development": "Dev", "sandbox": "Sandbox"}
MANAGED = ["ReadOnlyAccess", "PowerUserAccess", "job-function/ViewOnlyAccess", "AmazonS3ReadOnlyAccess"]
rng = random.Random(a.seed)

# ---- the model -------------------------------------------------------------
accounts = []  # dicts: id, name, ou, env, team
for i in range(N_ACCOUNTS):
    env = ENVS[rng.randrange(4)]
    bu = rng.randrange(N_BUS)
    accounts.append({"id": str(100000000000 + i), "name": f"acct-{i}", "ou": f"Workloads/BU{bu}/{ENV_OU[env]}",
                     "env": env, "team": f"t{rng.randrange(N_TEAMS)}", "bu": bu})

users = [f"user{i}" for i in range(N_USERS)]


def group_size():
    # mean ~15.9: most groups are teams of 4-20, one in ten is a department of 30-70
    return rng.randint(30, 70) if rng.random() < 0.1 else rng.randint(4, 20)


groups = []  # dicts: name, members (sorted list of user indices)
for g in range(N_GROUPS):
    k = min(N_USERS, group_size())
    groups.append({"name": f"group{g}", "members": sorted(rng.sample(range(N_USERS), k))})

sets = [f"Set{s}" for s in range(N_SETS)]


def make_selector(r):
    """One account selector: (yaml text, predicate over an account dict)."""
    x = r.random()
    if x < 0.02:  # a whole environment (~1/4 of the accounts; rare)
        env = r.choice(ENVS)
        return f"{{environment: {env}}}", lambda acc, env=env: acc["env"] == env
    if x < 0.30:  # a team tag (~30 accounts)
        t = f"t{r.randrange(N_TEAMS)}"
        return f"{{tags: {{team: {t}}}}}", lambda acc, t=t: acc["team"] == t
    if x < 0.45:  # a business unit, every environment (~60 accounts)
        bu = r.randrange(N_BUS)
        return (f"{{ou: \"Workloads/BU{bu}/*\"}}", lambda acc, bu=bu: acc["bu"] == bu)
    if x < 0.55:  # everything below a business unit, `**` (~60 accounts)
        bu = r.randrange(N_BUS)
        return (f"{{ou: \"Workloads/BU{bu}/**\"}}", lambda acc, bu=bu: acc["bu"] == bu)
    if x < 0.70:  # one business unit's environment (~15 accounts)
        bu, env = r.randrange(N_BUS), r.choice(ENVS)
        return (f"{{ou: \"Workloads/BU{bu}/{ENV_OU[env]}\"}}",
                lambda acc, bu=bu, env=env: acc["bu"] == bu and acc["env"] == env)
    if x < 0.80:  # environment AND team tag (~7 accounts)
        env, t = r.choice(ENVS), f"t{r.randrange(N_TEAMS)}"
        return (f"{{environment: {env}, tags: {{team: {t}}}}}",
                lambda acc, env=env, t=t: acc["env"] == env and acc["team"] == t)
    if x < 0.87:  # name glob: acct-NN? (~10 accounts)
        stem = r.randrange(max(1, N_ACCOUNTS // 10))
        pat = f"acct-{stem}?"
        return f"{{name: \"{pat}\"}}", lambda acc, pat=pat: fnmatch.fnmatchcase(acc["name"], pat)
    if x < 0.95:  # a list of names (1-8 accounts)
        picks = sorted(r.sample(range(N_ACCOUNTS), min(N_ACCOUNTS, r.randint(1, 8))))
        names = {f"acct-{i}" for i in picks}
        return f"[{', '.join(f'acct-{i}' for i in picks)}]", lambda acc, names=names: acc["name"] in names
    # a list of ids (1-8 accounts)
    picks = sorted(r.sample(range(N_ACCOUNTS), min(N_ACCOUNTS, r.randint(1, 8))))
    ids = {str(100000000000 + i) for i in picks}
    return "[" + ", ".join(f'"{i}"' for i in sorted(ids)) + "]", lambda acc, ids=ids: acc["id"] in ids


def make_entry(r, group_pool):
    sel_text, pred = make_selector(r)
    if r.random() < 0.03:
        principal = ("user", r.randrange(N_USERS))
    else:
        principal = ("group", r.choice(group_pool))
    return {"principal": principal, "set": r.randrange(N_SETS), "sel": sel_text, "pred": pred}


# the groups that hold assignments: team and department groups alike, departments a little more often
assigned_groups = rng.choices(range(N_GROUPS), weights=[1.15 if len(g["members"]) >= 30 else 1 for g in groups], k=N_ENTRIES)
entries = [make_entry(rng, assigned_groups) for _ in range(N_ENTRIES)]
model = {"users": users, "groups": groups, "entries": entries, "deleted_users": set()}


# ---- the drift -------------------------------------------------------------
def drift(m):
    r = random.Random(a.seed + 1)
    d = {"users": list(m["users"]), "groups": copy.deepcopy(m["groups"]), "entries": list(m["entries"]),
         "deleted_users": set()}
    memberships = sum(len(g["members"]) for g in d["groups"])
    # users: 0.2% deleted, as many added
    k_users = max(1, len(users) // 500)
    gone = set(r.sample(range(N_USERS), k_users))
    d["deleted_users"] = gone
    for g in d["groups"]:
        g["members"] = [u for u in g["members"] if u not in gone]
    d["entries"] = [e for e in d["entries"] if not (e["principal"][0] == "user" and e["principal"][1] in gone)]
    first_new = N_USERS
    d["users"] = users + [f"user{i}" for i in range(first_new, first_new + k_users)]
    # memberships: 1% removed, 1% added (new users join 1-3 groups, counted in the added)
    k_mem = max(1, memberships // 100)
    for _ in range(k_mem):
        g = d["groups"][r.randrange(N_GROUPS)]
        if g["members"]:
            g["members"].pop(r.randrange(len(g["members"])))
    added = 0
    for u in range(first_new, first_new + k_users):
        for g in r.sample(range(N_GROUPS), r.randint(1, 3)):
            d["groups"][g]["members"].append(u)
            added += 1
    live_users = [u for u in range(N_USERS) if u not in gone]
    while added < k_mem:
        g = d["groups"][r.randrange(N_GROUPS)]
        u = r.choice(live_users)
        if u not in g["members"]:
            g["members"].append(u)
            added += 1
    for g in d["groups"]:
        g["members"].sort()
    # assignments: 1% of the entries removed, as many new ones
    k_ent = max(1, len(m["entries"]) // 100)
    for _ in range(k_ent):
        d["entries"].pop(r.randrange(len(d["entries"])))
    for _ in range(k_ent):
        e = make_entry(r, range(N_GROUPS))
        if e["principal"][0] == "user" and e["principal"][1] in gone:
            e["principal"] = ("group", r.randrange(N_GROUPS))
        d["entries"].insert(r.randrange(len(d["entries"]) + 1), e)
    return d


# ---- writing ---------------------------------------------------------------
def chunks(seq, parts):
    if a.layout == "per-kind":
        parts = 1
    size = -(-len(seq) // parts) if seq else 1
    return [seq[i:i + size] for i in range(0, len(seq), size)] or [[]]


def write(out, m):
    os.makedirs(out, exist_ok=True)
    for sub in ["accounts", "users", "groups", "permission_sets", "assignments"]:
        os.makedirs(os.path.join(out, sub), exist_ok=True)
    with open(os.path.join(out, "settings.yaml"), "w") as f:
        f.write("settings:\n  guards: {max_deletes: 1000000}\n")
    for k, part in enumerate(chunks(accounts, 3)):
        with open(os.path.join(out, "accounts", f"accounts-{k:02d}.yaml"), "w") as f:
            f.write("accounts:\n")
            for acc in part:
                f.write(f'  - {{id: "{acc["id"]}", name: {acc["name"]}, ou: {acc["ou"]}, '
                        f'environment: {acc["env"]}, tags: {{team: {acc["team"]}, bu: bu{acc["bu"]}}}}}\n')
    live = [u for i, u in enumerate(m["users"]) if i not in m["deleted_users"]]
    for k, part in enumerate(chunks(live, 10)):
        with open(os.path.join(out, "users", f"users-{k:02d}.yaml"), "w") as f:
            f.write("users:\n")
            for u in part:
                i = u[4:]
                f.write(f"  - {{user_name: {u}, given_name: Given{i}, family_name: Family{i}, "
                        f"email: {u}@example.com}}\n")
    for k, part in enumerate(chunks(m["groups"], 10)):
        with open(os.path.join(out, "groups", f"groups-{k:02d}.yaml"), "w") as f:
            f.write("groups:\n")
            for g in part:
                f.write(f"  - name: {g['name']}\n    description: Team {g['name']}\n"
                        f"    members: [{', '.join(f'user{u}' for u in g['members'])}]\n")
    pset_rng = random.Random(a.seed + 2)
    for k, part in enumerate(chunks(list(range(N_SETS)), 5)):
        with open(os.path.join(out, "permission_sets", f"sets-{k:02d}.yaml"), "w") as f:
            f.write("permission_sets:\n")
            for s in part:
                f.write(f"  - name: Set{s}\n    session_duration: PT{1 + s % 8}H\n"
                        f"    managed_policies: [{pset_rng.choice(MANAGED)}]\n")
                f.write("    inline_policy:\n      Version: \"2012-10-17\"\n      Statement:\n")
                f.write("        - {Effect: Deny, Action: [cloudtrail:DeleteTrail, cloudtrail:StopLogging, "
                        "logs:DeleteLogGroup], Resource: \"*\"}\n")
                f.write(f"        - {{Effect: Allow, Action: [s3:GetObject], Resource: \"arn:aws:s3:::bucket-{s}/*\"}}\n")
    for k, part in enumerate(chunks(m["entries"], 6)):
        with open(os.path.join(out, "assignments", f"assignments-{k:02d}.yaml"), "w") as f:
            f.write("assignments:\n")
            for e in part:
                kind, who = e["principal"]
                name = f"user{who}" if kind == "user" else f"group{who}"
                f.write(f"  - {{{kind}: {name}, permission_set: Set{e['set']}, accounts: {e['sel']}}}\n")


def stats(m, label):
    members = {g["name"]: g["members"] for g in m["groups"]}
    expanded, grants = set(), set()
    for e in m["entries"]:
        kind, who = e["principal"]
        matched = [i for i, acc in enumerate(accounts) if e["pred"](acc)]
        people = [who] if kind == "user" else members[f"group{who}"]
        for acc in matched:
            expanded.add((kind, who, e["set"], acc))
            base = (e["set"] * N_ACCOUNTS + acc) * (N_USERS * 2)
            for u in people:
                grants.add(base + u)
    n_users = len(m["users"]) - len(m["deleted_users"])
    print(f"{label}: {n_users:,} users, {len(m['groups']):,} groups, "
          f"{sum(len(g['members']) for g in m['groups']):,} memberships, {N_ACCOUNTS:,} accounts, "
          f"{N_SETS:,} permission sets, {len(m['entries']):,} assignment entries -> {len(expanded):,} "
          f"expanded assignments, {len(grants):,} effective grants")


write(a.out, model)
if a.stats:
    stats(model, "org")
if a.drift:
    dm = drift(model)
    write(a.drift, dm)
    if a.stats:
        stats(dm, "drift")
