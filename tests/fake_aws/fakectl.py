#!/usr/bin/python3
"""Helpers to drive tests/fake_aws/fake_aws.py from test scripts (stdlib only).

Library:
    from fakectl import FakeAws
    with FakeAws("--page-size", "2") as fake:        # starts on a free port
        fake.seed({"users": [...]})
        env = dict(os.environ, **fake.env())          # AWS_* for clients
        ... run the client with endpoint fake.url ...
        assert fake.stats()["validation"] == 0
    # stopped (by its PID) on exit

CLI (see `fakectl --help`): start | stop | seed FILE | faults JSON | stats |
state | reset | trail [FILE] | env | port.  The running fake's port/pid/log live in a state
directory: $FAKE_AWS_DIR, or --dir, default /tmp/fake_aws-$UID.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
FAKE = os.path.join(HERE, "fake_aws.py")
PYTHON = "/usr/bin/python3"

ACCESS_KEY = "AKIAFAKEGATEHOUSE000"
SECRET_KEY = "fake/secret/gatehouse/0000000000000000000"


class FakeAws:
    """A fake_aws.py process (started here) or an already running one (attach)."""

    def __init__(self, *args, workdir=None, log_path=None, port=None, pid=None):
        self.args = list(args)
        self.workdir = workdir
        self.log_path = log_path
        self.port = port
        self.pid = pid
        self.proc = None

    # -- lifecycle
    def start(self, timeout=30.0, detach=False):
        self._own_dir = self.workdir is None
        wd = self.workdir or tempfile.mkdtemp(prefix="fake_aws-")
        os.makedirs(wd, exist_ok=True)
        self.workdir = wd
        port_file = os.path.join(wd, "port")
        pid_file = os.path.join(wd, "pid")
        for f in (port_file, pid_file):
            if os.path.exists(f):
                os.unlink(f)
        self.log_path = self.log_path or os.path.join(wd, "fake.log")
        logf = open(self.log_path, "ab")
        self.proc = subprocess.Popen([PYTHON, FAKE, "--port", "0", "--port-file", port_file, "--pid-file", pid_file]
                                     + self.args, stdin=subprocess.DEVNULL, stdout=logf, stderr=logf,
                                     start_new_session=detach)
        logf.close()
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("fake_aws exited with %s; see %s" % (self.proc.returncode, self.log_path))
            try:
                with open(port_file) as f:
                    self.port = int(f.read().strip())
                break
            except (OSError, ValueError):
                time.sleep(0.05)
        else:
            self.stop()
            raise RuntimeError("fake_aws did not start in %ss; see %s" % (timeout, self.log_path))
        self.pid = self.proc.pid
        return self

    def stop(self, timeout=10.0):
        pid = self.pid or (self.proc.pid if self.proc else None)
        if not pid:
            return
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc is not None:
                if self.proc.poll() is not None:
                    break
            else:
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
            time.sleep(0.05)
        else:
            os.kill(pid, signal.SIGKILL)
        self.pid = None

    def __enter__(self):
        if self.port is None:
            self.start()
        return self

    def __exit__(self, *exc):
        if self.proc is not None:
            self.stop()
            if getattr(self, "_own_dir", False) and exc[0] is None:
                shutil.rmtree(self.workdir, ignore_errors=True)

    # -- addresses
    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def env(self):
        """Environment for AWS clients pointed at this fake (default test credentials)."""
        return {"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
                "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1",
                "AWS_ENDPOINT_URL": self.url, "AWS_EC2_METADATA_DISABLED": "true", "AWS_PAGER": ""}

    # -- control API
    def _call(self, method, path, body=None):
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            raise RuntimeError("%s %s -> %s: %s" % (method, path, e.code, e.read().decode(errors="replace")))

    def seed(self, data):
        """data: a dict, or a path to a JSON file."""
        if isinstance(data, str):
            with open(data) as f:
                data = json.load(f)
        return self._call("POST", "/_fake/seed", data)

    def faults(self, faults):
        return self._call("POST", "/_fake/faults", faults)

    def stats(self):
        return self._call("GET", "/_fake/stats")

    def state(self):
        return self._call("GET", "/_fake/state")

    def reset(self):
        return self._call("POST", "/_fake/reset", {})

    def trail(self):
        """The fake's CloudTrail records (every call it served, and those injected)."""
        return self._call("GET", "/_fake/cloudtrail")["Records"]

    def inject_trail(self, records):
        """Adds CloudTrail records (usage events, SCIM writes, ...): a list, or a path to {"Records": [...]}."""
        if isinstance(records, str):
            with open(records) as f:
                records = json.load(f)["Records"]
        return self._call("POST", "/_fake/cloudtrail", {"Records": records})


def _dir(args):
    return args.dir or os.environ.get("FAKE_AWS_DIR") or "/tmp/fake_aws-%d" % os.getuid()


def _attached(args):
    d = _dir(args)
    port = args.port
    if port is None:
        try:
            with open(os.path.join(d, "port")) as f:
                port = int(f.read().strip())
        except OSError:
            sys.exit("fakectl: no running fake found in %s (start one, or give --port)" % d)
    pid = None
    try:
        with open(os.path.join(d, "pid")) as f:
            pid = int(f.read().strip())
    except OSError:
        pass
    return FakeAws(port=port, pid=pid, workdir=d)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="fakectl", description="control tests/fake_aws/fake_aws.py")
    ap.add_argument("--dir", help="state directory (default $FAKE_AWS_DIR or /tmp/fake_aws-$UID)")
    ap.add_argument("--port", type=int, help="talk to a fake on this port instead of the one in --dir")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("start", help="start a fake in the background; prints its port. Extra args go to fake_aws.py")
    sub.add_parser("stop", help="stop the fake by the PID in its state directory")
    s = sub.add_parser("seed", help="load a state JSON file")
    s.add_argument("file")
    s = sub.add_parser("faults", help='set faults, e.g. \'{"throttle":0.3,"seed":1}\' ({} clears)')
    s.add_argument("json")
    sub.add_parser("stats", help="print request/rejection statistics")
    sub.add_parser("state", help="print the state (same shape as seed)")
    sub.add_parser("reset", help="empty state, stats and faults")
    s = sub.add_parser("trail", help="print the CloudTrail records; with FILE ({\"Records\": [...]}) add them first")
    s.add_argument("file", nargs="?")
    sub.add_parser("env", help="print export lines for AWS clients")
    sub.add_parser("port", help="print the port")
    args, extra = ap.parse_known_args(argv)
    if extra and args.cmd != "start":
        ap.error("unrecognized arguments: %s" % " ".join(extra))

    if args.cmd == "start":
        fa = [a for a in extra if a != "--"]
        fake = FakeAws(*fa, workdir=_dir(args))
        pidf = os.path.join(fake.workdir, "pid")
        if os.path.exists(pidf):
            try:
                os.kill(int(open(pidf).read()), 0)
                sys.exit("fakectl: a fake is already running (pid file %s)" % pidf)
            except (ProcessLookupError, ValueError):
                pass
        fake.start(detach=True)
        print(fake.port)
        return 0
    fake = _attached(args)
    if args.cmd == "stop":
        if not fake.pid:
            sys.exit("fakectl: no pid file in %s" % fake.workdir)
        fake.stop()
        return 0
    if args.cmd == "port":
        print(fake.port)
        return 0
    if args.cmd == "env":
        for k, v in fake.env().items():
            print("export %s='%s'" % (k, v))
        return 0
    if args.cmd == "trail" and args.file:
        fake.inject_trail(args.file)
    out = {"seed": lambda: fake.seed(args.file), "faults": lambda: fake.faults(json.loads(args.json)),
           "stats": fake.stats, "state": fake.state, "reset": fake.reset,
           "trail": lambda: {"Records": fake.trail()}}[args.cmd]()
    if args.cmd == "seed":
        out = {"ok": True, "users": len(out["users"]), "groups": len(out["groups"]),
               "permission_sets": len(out["permission_sets"]), "accounts": len(out["accounts"]),
               "assignments": len(out["assignments"])}
    json.dump(out, sys.stdout, indent=2, sort_keys=True)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
