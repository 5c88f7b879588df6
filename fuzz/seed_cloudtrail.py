#!/usr/bin/env python3
"""Seeds of the cloudtrail fuzzer (fuzz/cloudtrail_fuzzer.cc; fuzz/seed.sh), from
the trails the tests and the example generate: tests/e2e/review_trail.py (every
trap of EVIDENCE.md, three broken files) and examples/gen-startup-trail.py, each
run on a directory file naming the fuzzer's users (ids u-NAME).
Each trail file becomes '0' + its text (.json), '1' + its bytes (.json.gz) and
'2' + the text inside the gzip; the records also become LookupEvents
conversations ('3' + answers split at "\\n#--\\n", replay_transport.h).
usage: seed_cloudtrail.py SRC OUT_CORPUS_DIR"""
import gzip
import hashlib
import json
import os
import pathlib
import subprocess
import sys
import tempfile

src, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]) / "cloudtrail"
SEP = b"\n#--\n"
USERS = ["alice", "bob", "carol", "dave", "maya", "priya"]


def add(data):
    (out / hashlib.sha1(data).hexdigest()).write_bytes(data)


def directory(path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    users = [{"user_name": u, "id": "u-" + u} for u in USERS]
    json.dump({"format_version": "1", "users": users}, open(path, "w"))


def trails(tmp):
    """Runs both generators into tmp; returns their trail folders."""
    d = os.path.join(tmp, "review", ".gatehouse", "directory.json")
    directory(d)
    subprocess.run([sys.executable, str(src / "tests/e2e/review_trail.py"), "write", d,
                    os.path.join(tmp, "t1"), os.path.join(tmp, "expected.json")], check=True, stdout=subprocess.DEVNULL)
    cfg = os.path.join(tmp, "startup")
    directory(os.path.join(cfg, ".gatehouse", "directory.json"))
    subprocess.run([sys.executable, str(src / "examples/gen-startup-trail.py"), cfg, os.path.join(tmp, "t2")],
                   check=True, stdout=subprocess.DEVNULL)
    return [os.path.join(tmp, "t1"), os.path.join(tmp, "t2")]


def seed_file(path, records):
    data = open(path, "rb").read()
    if not path.endswith(".gz"):
        add(b"0" + data)
        text = data
    else:
        add(b"1" + data)
        try:
            text = gzip.decompress(data)
        except (OSError, EOFError):
            return
        add(b"2" + text)
    try:
        records += json.loads(text)["Records"]
    except (ValueError, KeyError, TypeError):
        pass


def page(recs, token=None):
    body = {"Events": [{"EventId": r.get("eventID", ""), "CloudTrailEvent": json.dumps(r)} for r in recs]}
    if token:
        body["NextToken"] = token
    return b"0" + json.dumps(body).encode()


def seed_lookups(records):
    pages = [page(records[i:i + 5], "t%d" % i if i + 5 < len(records) else None) for i in range(0, len(records), 5)]
    add(b"3" + SEP.join(pages))
    add(b"3" + SEP.join([page(records[:3], "t"), b"7" + b'{"__type":"ThrottlingException","message":"Rate exceeded"}',
                         page(records[3:6]), page(records[6:9])]))
    add(b"3" + b"4" + b'{"__type":"AccessDeniedException","message":"not authorized to perform cloudtrail:LookupEvents"}')
    add(b"3" + SEP.join([page(records[:2]), b"0" + b'{"Events": "x", "NextToken": 5}']))


def main():
    out.mkdir(parents=True, exist_ok=True)
    records = []
    with tempfile.TemporaryDirectory() as tmp:
        for trail in trails(tmp):
            for root, _, files in os.walk(trail):
                for f in sorted(files):
                    seed_file(os.path.join(root, f), records)
    seed_lookups(records)


main()
