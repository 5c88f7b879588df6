#!/usr/bin/python3
"""Strict fake of the AWS APIs Gatehouse uses, for tests.

One loopback HTTP endpoint serves Identity Store, SSO Admin, Organizations,
CloudTrail LookupEvents (JSON 1.1, routed by X-Amz-Target) and STS (query
protocol, routed by Action). Every write it serves is recorded as a CloudTrail
management event with the caller's identity (cloudtrail.py).
Every request is validated against the models vendored in
third_party/aws-models and its SigV4 signature is recomputed with botocore.
State follows the real services' semantics closely enough to test plan/apply.
A control API under /_fake/ (unsigned) seeds/dumps state, injects faults and
reports statistics.

Run with Debian's /usr/bin/python3 (python3-botocore).  See README.md.
"""

import argparse
import base64
import copy
import datetime
import hashlib
import hmac
import json
import os
import random
import re
import signal
import socket
import sys
import threading
import time
import unicodedata
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape as xml_escape

import botocore.auth
import botocore.awsrequest
import botocore.credentials
import botocore.model

from cloudtrail import CloudTrail, TrailError

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_MODELS = os.path.normpath(os.path.join(HERE, "..", "..", "third_party", "aws-models"))

DEFAULT_ACCESS_KEY = "AKIAFAKEGATEHOUSE000"
DEFAULT_SECRET_KEY = "fake/secret/gatehouse/0000000000000000000"
DEFAULT_ACCOUNT = "111111111111"

SERVICES = {
    # name: model dir, target prefix, signing name, fixed signing region
    "identitystore": ("identitystore/2020-06-15", "AWSIdentityStore", "identitystore", None),
    "sso-admin": ("sso-admin/2020-07-20", "SWBExternalService", "sso", None),
    "organizations": ("organizations/2016-11-28", "AWSOrganizationsV20161128", "organizations", "us-east-1"),
    "sts": ("sts/2011-06-15", None, "sts", None),
    "cloudtrail": ("cloudtrail/2013-11-01", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101", "cloudtrail",
                   None),
}
TARGET_TO_SERVICE = {v[1]: k for k, v in SERVICES.items() if v[1]}

RESERVED_USER_NAMES = {"administrator", "awsadministrators"}
MAX_CREATIONS_IN_FLIGHT = 15
MAX_PROVISIONINGS = 3


def log(msg):
    sys.stderr.write("fake_aws: %s\n" % msg)
    sys.stderr.flush()


def now():
    return time.time()


def new_request_id():
    return str(uuid.uuid4())


# --------------------------------------------------------------------------
# Patterns: the models use \p{L}-style Unicode classes, which Python's re lacks.
# Translate them to explicit ranges built from unicodedata; anything still not
# compilable is skipped (and logged).

_CAT_RANGES = None


def _category_ranges():
    global _CAT_RANGES
    if _CAT_RANGES is None:
        ranges = {}
        prev_cat, start = None, 0
        for cp in range(0x110000):
            cat = unicodedata.category(chr(cp))
            if cat != prev_cat:
                if prev_cat is not None:
                    ranges.setdefault(prev_cat, []).append((start, cp - 1))
                prev_cat, start = cat, cp
        ranges.setdefault(prev_cat, []).append((start, 0x10FFFF))
        _CAT_RANGES = ranges
    return _CAT_RANGES


def _prop_class_body(name):
    cats = _category_ranges()
    sel = [c for c in cats if (c == name if len(name) == 2 else c[0] == name)]
    if not sel:
        raise ValueError("unknown Unicode property %s" % name)
    out = []
    for c in sel:
        for a, b in cats[c]:
            if c in ("Cs",):
                continue
            out.append("\\U%08x" % a if a == b else "\\U%08x-\\U%08x" % (a, b))
    return "".join(out)


def translate_pattern(pat):
    """Rewrite \\p{X} into explicit character classes for Python's re, and a
    UTF-16 surrogate-pair range (Java style) into the code points it means."""
    pat = pat.replace("\\uD800\\uDC00-\\uDBFF\\uDFFF", "\\U00010000-\\U0010FFFF")
    if "\\p{" not in pat and "\\P{" not in pat:
        return pat
    out, i, in_class = [], 0, False
    while i < len(pat):
        ch = pat[i]
        if ch == "\\" and i + 1 < len(pat):
            nxt = pat[i + 1]
            if nxt in "pP" and pat[i + 2:i + 3] == "{":
                end = pat.index("}", i)
                name = pat[i + 3:end]
                body = _prop_class_body(name)
                if nxt == "P":
                    if in_class:
                        raise ValueError("\\P{} inside a class")
                    out.append("[^" + body + "]")
                elif in_class:
                    out.append(body)
                else:
                    out.append("[" + body + "]")
                i = end + 1
                continue
            out.append(pat[i:i + 2])
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
            out.append(ch)
            if pat[i + 1:i + 2] == "^":
                out.append("^")
                i += 1
            if pat[i + 1:i + 2] == "]":
                out.append("\\]")
                i += 1
        elif ch == "]" and in_class:
            in_class = False
            out.append(ch)
        else:
            out.append(ch)
        i += 1
    return "".join(out)


_PATTERN_CACHE = {}
_PATTERN_LOCK = threading.Lock()
SKIPPED_PATTERNS = {}


def compiled_pattern(pat):
    with _PATTERN_LOCK:
        if pat in _PATTERN_CACHE:
            return _PATTERN_CACHE[pat]
        try:
            rx = re.compile(translate_pattern(pat))
        except (re.error, ValueError) as e:
            rx = None
            SKIPPED_PATTERNS[pat] = str(e)
            log("skipping pattern Python's re cannot compile: %r (%s)" % (pat, e))
        _PATTERN_CACHE[pat] = rx
        return rx


# --------------------------------------------------------------------------
# Model-driven validation and projection

def validate(shape, value, path, errors, check_patterns=True):
    meta = shape.metadata
    t = shape.type_name
    if meta.get("document"):
        return
    if value is None:
        errors.append("%s: null is not a valid %s" % (path, t))
        return
    if t == "structure":
        if not isinstance(value, dict):
            errors.append("%s: expected an object (%s), got %s" % (path, shape.name, type(value).__name__))
            return
        members = shape.members
        for k in value:
            if k not in members:
                errors.append("%s: unknown member %r (shape %s)" % (path, k, shape.name))
        for r in shape.required_members:
            if r not in value:
                errors.append("%s: missing required member %r" % (path, r))
        if meta.get("union") and len([k for k in value if k in members]) != 1:
            errors.append("%s: union %s must set exactly one member" % (path, shape.name))
        for k, v in value.items():
            if k in members:
                validate(members[k], v, "%s.%s" % (path, k) if path else k, errors, check_patterns)
    elif t == "list":
        if not isinstance(value, list):
            errors.append("%s: expected a list, got %s" % (path, type(value).__name__))
            return
        _check_len(meta, len(value), path, "items", errors)
        for i, v in enumerate(value):
            validate(shape.member, v, "%s[%d]" % (path, i), errors, check_patterns)
    elif t == "map":
        if not isinstance(value, dict):
            errors.append("%s: expected a map, got %s" % (path, type(value).__name__))
            return
        _check_len(meta, len(value), path, "entries", errors)
        for k, v in value.items():
            validate(shape.key, k, "%s{key}" % path, errors, check_patterns)
            validate(shape.value, v, "%s[%r]" % (path, k), errors, check_patterns)
    elif t == "string":
        if not isinstance(value, str):
            errors.append("%s: expected a string, got %s" % (path, type(value).__name__))
            return
        _check_len(meta, len(value), path, "characters", errors)
        enum = getattr(shape, "enum", None) or meta.get("enum")
        if enum and value not in enum:
            errors.append("%s: %r is not one of %s" % (path, value, enum))
        pat = meta.get("pattern")
        if pat and check_patterns:
            rx = compiled_pattern(pat)
            if rx is not None and not rx.fullmatch(value):
                errors.append("%s: %r does not match pattern %s" % (path, _clip(value), pat))
    elif t in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            errors.append("%s: expected an integer, got %r" % (path, value))
            return
        if "min" in meta and value < meta["min"]:
            errors.append("%s: %d is less than the minimum %s" % (path, value, meta["min"]))
        if "max" in meta and value > meta["max"]:
            errors.append("%s: %d is greater than the maximum %s" % (path, value, meta["max"]))
    elif t in ("float", "double"):
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            errors.append("%s: expected a number, got %r" % (path, value))
    elif t == "boolean":
        if not isinstance(value, bool):
            errors.append("%s: expected a boolean, got %r" % (path, value))
    elif t == "timestamp":
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            errors.append("%s: expected epoch seconds (JSON protocol timestamp), got %r" % (path, value))
    elif t == "blob":
        if not isinstance(value, str):
            errors.append("%s: expected base64 text, got %r" % (path, value))
        else:
            try:
                base64.b64decode(value, validate=True)
            except Exception:
                errors.append("%s: not valid base64" % path)


def _clip(s, n=60):
    return s if len(s) <= n else s[:n] + "..."


def _check_len(meta, n, path, unit, errors):
    if "min" in meta and n < meta["min"]:
        errors.append("%s: %d %s, fewer than the minimum %s" % (path, n, unit, meta["min"]))
    if "max" in meta and n > meta["max"]:
        errors.append("%s: %d %s, more than the maximum %s" % (path, n, unit, meta["max"]))


def project(shape, value):
    """Keep only what the output shape declares (drop internal fields)."""
    if value is None:
        return None
    if shape.metadata.get("document"):
        return value
    t = shape.type_name
    if t == "structure" and isinstance(value, dict):
        return {k: project(shape.members[k], v) for k, v in value.items()
                if k in shape.members and v is not None}
    if t == "list" and isinstance(value, list):
        return [project(shape.member, v) for v in value]
    if t == "map" and isinstance(value, dict):
        return {k: project(shape.value, v) for k, v in value.items()}
    return value


# --------------------------------------------------------------------------
# Errors

class ApiError(Exception):
    def __init__(self, code, message, status=400, **fields):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.fields = fields


def not_found(what, rid, rtype=None):
    f = {}
    if rtype:
        f = {"ResourceType": rtype, "ResourceId": rid}
    return ApiError("ResourceNotFoundException", "%s %s not found" % (what, rid), 400, **f)


def conflict(msg, reason=None):
    f = {"Reason": reason} if reason else {}
    return ApiError("ConflictException", msg, 400, **f)


def vexc(msg):
    return ApiError("ValidationException", msg, 400)


# --------------------------------------------------------------------------
# Ids

def hexid(n):
    return "".join(random.choice("0123456789abcdef") for _ in range(n))


def alnum(n):
    return "".join(random.choice("0123456789abcdefghijklmnopqrstuvwxyz") for _ in range(n))


def store_uuid(store_id):
    # Identity Center ids look like "<10 hex>-<uuid>" for directories "d-<10 hex>".
    prefix = store_id[2:] + "-" if re.fullmatch(r"d-[0-9a-f]{10}", store_id) else ""
    return prefix + str(uuid.uuid4())


def iso(ts):
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# --------------------------------------------------------------------------
# State

class State:
    def __init__(self, cfg):
        self.cfg = cfg
        self.region = cfg.region
        self.instance_arn = "arn:aws:sso:::instance/ssoins-" + hexid(16)
        self.identity_store_id = "d-" + hexid(10)
        self.instance_name = "gatehouse-fake"
        self.owner_account = DEFAULT_ACCOUNT
        self.org_id = "o-" + alnum(10)
        self.master_email = "root@example.com"
        self.root_id = "r-" + alnum(4)
        self.root_tags = {}
        self.users = {}          # UserId -> dict (model member names)
        self.groups = {}         # GroupId -> dict
        self.memberships = {}    # MembershipId -> {MembershipId, GroupId, UserId, CreatedAt}
        self.permission_sets = {}  # arn -> dict
        self.provisioned = {}    # (ps_arn, account) -> version
        self.assignments = set()  # (account, ps_arn, principal_type, principal_id)
        self.applications = {}   # arn -> Application (model member names) + AssignmentRequired
        self.app_assignments = set()  # (application_arn, principal_type, principal_id)
        self.creations = {}      # request id -> status record
        self.deletions = {}
        self.provisionings = {}
        self.ous = {}            # ou id -> {Id, Name, ParentId, Tags}
        self.accounts = {}       # id -> {Id, Name, Email, Status, ParentId, Tags, JoinedTimestamp}
        self.keys = {DEFAULT_ACCESS_KEY: {"secret": DEFAULT_SECRET_KEY, "token": None,
                                          "account": DEFAULT_ACCOUNT,
                                          "arn": "arn:aws:iam::%s:user/gatehouse-test" % DEFAULT_ACCOUNT,
                                          "user_id": "AIDAFAKEGATEHOUSE0000"}}
        for spec in cfg.access_keys or []:
            parts = spec.split(":")
            self.keys[parts[0]] = {"secret": parts[1], "token": parts[2] if len(parts) > 2 and parts[2] else None,
                                   "account": DEFAULT_ACCOUNT,
                                   "arn": "arn:aws:iam::%s:user/%s" % (DEFAULT_ACCOUNT, parts[0]),
                                   "user_id": "AIDA" + parts[0][4:]}
        self.accounts[DEFAULT_ACCOUNT] = {"Id": DEFAULT_ACCOUNT, "Name": "management", "Email": self.master_email,
                                          "Status": "ACTIVE", "ParentId": self.root_id, "Tags": {},
                                          "JoinedTimestamp": now()}
        self.trail = CloudTrail(cfg.region, DEFAULT_ACCOUNT, cfg.cloudtrail_page_size)

    # -- lookups
    def check_store(self, sid):
        if sid != self.identity_store_id:
            raise ApiError("ResourceNotFoundException", "Identity store %s not found" % sid, 400,
                           ResourceType="IDENTITY_STORE", ResourceId=sid)

    def check_instance(self, arn):
        if arn != self.instance_arn:
            raise ApiError("ResourceNotFoundException", "Instance %s not found" % arn)

    def user(self, uid):
        u = self.users.get(uid)
        if not u:
            raise not_found("User", uid, "USER")
        return u

    def group(self, gid):
        g = self.groups.get(gid)
        if not g:
            raise not_found("Group", gid, "GROUP")
        return g

    def ps(self, arn):
        p = self.permission_sets.get(arn)
        if not p:
            raise ApiError("ResourceNotFoundException", "Could not find PermissionSet with ARN %s" % arn)
        return p

    def user_by_name(self, name):
        for u in self.users.values():
            if u.get("UserName", "").lower() == name.lower():
                return u
        return None

    def group_by_name(self, name):
        for g in self.groups.values():
            if g.get("DisplayName", "").lower() == name.lower():
                return g
        return None

    def ps_by_name(self, name):
        for p in self.permission_sets.values():
            if p["Name"] == name:
                return p
        return None

    def application(self, arn):
        a = self.applications.get(arn)
        if not a:
            raise ApiError("ResourceNotFoundException", "Application %s not found" % arn)
        return a

    def app_by_name(self, name):
        for a in self.applications.values():
            if a["Name"] == name:
                return a
        return None

    def new_app_arn(self):
        ins = self.instance_arn.rsplit("/", 1)[1]
        return "arn:aws:sso::%s:application/%s/apl-%s" % (self.owner_account, ins, hexid(16))

    def load_applications(self, data):
        """Seeded applications (SAML applications cannot be created through the API)."""
        t = now()
        for a in data.get("applications", []):
            arn = a.get("ApplicationArn") or self.new_app_arn()
            self.applications[arn] = {
                "ApplicationArn": arn, "Name": a["Name"],
                "ApplicationProviderArn": a.get("ApplicationProviderArn", "arn:aws:sso::aws:applicationProvider/custom-saml"),
                "ApplicationAccount": a.get("ApplicationAccount", self.owner_account), "InstanceArn": self.instance_arn,
                "Status": a.get("Status", "ENABLED"), "Description": a.get("Description"), "CreatedDate": t,
                "PortalOptions": {"Visibility": "ENABLED", "SignInOptions": {"Origin": "IDENTITY_CENTER"}},
                "_required": a.get("AssignmentRequired", True)}
        for a in data.get("application_assignments", []):
            arn = a.get("ApplicationArn") or self.app_by_name(a["application"])["ApplicationArn"]
            ptype = a.get("PrincipalType", "GROUP" if "group" in a else "USER")
            pid = a.get("PrincipalId") or (self.group_by_name(a["group"])["GroupId"] if "group" in a
                                           else self.user_by_name(a["user"])["UserId"])
            self.app_assignments.add((arn, ptype, pid))

    def principal_exists(self, ptype, pid):
        return pid in (self.users if ptype == "USER" else self.groups)

    # -- async progress
    def advance(self):
        t = now()
        for table, kind in ((self.creations, "create"), (self.deletions, "delete"), (self.provisionings, "provision")):
            for rec in table.values():
                if rec["Status"] == "IN_PROGRESS" and t >= rec["_done_at"] and rec["_polls"] >= self.cfg.async_polls:
                    self._finish(rec, kind)

    def _finish(self, rec, kind):
        rec["Status"] = "SUCCEEDED"
        if kind == "create":
            key = (rec["TargetId"], rec["PermissionSetArn"], rec["PrincipalType"], rec["PrincipalId"])
            if rec["PermissionSetArn"] not in self.permission_sets:
                rec["Status"], rec["FailureReason"] = "FAILED", "Permission set was deleted"
            elif not self.principal_exists(rec["PrincipalType"], rec["PrincipalId"]):
                rec["Status"] = "FAILED"
                rec["FailureReason"] = "Received a 404 status error: No principal found with id %s" % rec["PrincipalId"]
            elif rec["TargetId"] not in self.accounts:
                rec["Status"], rec["FailureReason"] = "FAILED", "Account %s is not in the organization" % rec["TargetId"]
            else:
                self.assignments.add(key)
                ps = self.permission_sets[rec["PermissionSetArn"]]
                self.provisioned[(rec["PermissionSetArn"], rec["TargetId"])] = ps["_version"]
        elif kind == "delete":
            key = (rec["TargetId"], rec["PermissionSetArn"], rec["PrincipalType"], rec["PrincipalId"])
            self.assignments.discard(key)
            if not any(a[0] == key[0] and a[1] == key[1] for a in self.assignments):
                self.provisioned.pop((key[1], key[0]), None)
        else:
            ps = self.permission_sets.get(rec["PermissionSetArn"])
            if ps is None:
                rec["Status"], rec["FailureReason"] = "FAILED", "Permission set was deleted"
                return
            for acct in rec["_accounts"]:
                self.provisioned[(rec["PermissionSetArn"], acct)] = ps["_version"]

    def in_progress(self, table):
        return sum(1 for r in table.values() if r["Status"] == "IN_PROGRESS")

    # -- seed / dump
    def load(self, data):
        self.__init__(self.cfg)
        inst = data.get("instance", {})
        self.instance_arn = inst.get("arn", self.instance_arn)
        self.identity_store_id = inst.get("identity_store_id", self.identity_store_id)
        self.instance_name = inst.get("name", self.instance_name)
        org = data.get("organization", {})
        old_master = self.owner_account
        self.owner_account = org.get("master_account_id", inst.get("owner_account_id", self.owner_account))
        self.org_id = org.get("id", self.org_id)
        self.master_email = org.get("master_account_email", self.master_email)
        self.root_id = org.get("root_id", self.root_id)
        self.root_tags = dict(org.get("root_tags", {}))
        self.accounts.pop(old_master, None)
        self.accounts[self.owner_account] = {"Id": self.owner_account, "Name": org.get("master_account_name", "management"),
                                             "Email": self.master_email, "Status": "ACTIVE", "ParentId": self.root_id,
                                             "Tags": {}, "JoinedTimestamp": now()}
        for c in data.get("credentials", []):
            self.keys[c["access_key_id"]] = {"secret": c["secret_access_key"], "token": c.get("session_token"),
                                             "account": c.get("account_id", self.owner_account),
                                             "arn": c.get("arn", "arn:aws:iam::%s:user/test" % self.owner_account),
                                             "user_id": c.get("user_id", "AIDA" + c["access_key_id"][4:]),
                                             "organizations": c.get("organizations", True),
                                             "cloudtrail": c.get("cloudtrail", True),
                                             "applications": c.get("applications", True)}
        for ou in data.get("organizational_units", []):
            self.ous[ou["id"]] = {"Id": ou["id"], "Name": ou["name"], "ParentId": ou.get("parent_id", self.root_id),
                                  "Tags": dict(ou.get("tags", {}))}
        for a in data.get("accounts", []):
            self.accounts[a["id"]] = {"Id": a["id"], "Name": a.get("name", a["id"]),
                                      "Email": a.get("email", "aws+%s@example.com" % a["id"]),
                                      "Status": a.get("status", "ACTIVE"), "ParentId": a.get("parent_id", self.root_id),
                                      "Tags": dict(a.get("tags", {})), "JoinedTimestamp": a.get("joined", now())}
        t = now()
        for u in data.get("users", []):
            u = dict(u)
            uid = u.pop("UserId", None) or store_uuid(self.identity_store_id)
            u.setdefault("UserStatus", "ENABLED")
            self.users[uid] = dict(u, UserId=uid, IdentityStoreId=self.identity_store_id,
                                   CreatedAt=u.get("CreatedAt", t), UpdatedAt=u.get("UpdatedAt", t))
        for g in data.get("groups", []):
            g = dict(g)
            gid = g.pop("GroupId", None) or store_uuid(self.identity_store_id)
            self.groups[gid] = dict(g, GroupId=gid, IdentityStoreId=self.identity_store_id,
                                    CreatedAt=g.get("CreatedAt", t), UpdatedAt=g.get("UpdatedAt", t))
        for m in data.get("memberships", []):
            gid = m.get("GroupId") or self.group_by_name(m["group"])["GroupId"]
            uid = m.get("UserId") or self.user_by_name(m["user"])["UserId"]
            mid = m.get("MembershipId") or store_uuid(self.identity_store_id)
            self.memberships[mid] = {"MembershipId": mid, "GroupId": gid, "UserId": uid, "CreatedAt": t}
        for p in data.get("permission_sets", []):
            arn = p.get("PermissionSetArn") or self.new_ps_arn()
            self.permission_sets[arn] = {
                "Name": p["Name"], "PermissionSetArn": arn, "Description": p.get("Description"),
                "SessionDuration": p.get("SessionDuration", "PT1H"), "RelayState": p.get("RelayState"),
                "CreatedDate": p.get("CreatedDate", t),
                "ManagedPolicies": list(p.get("ManagedPolicies", [])),
                "CustomerManagedPolicies": [dict(x) for x in p.get("CustomerManagedPolicies", [])],
                "InlinePolicy": p.get("InlinePolicy"), "PermissionsBoundary": p.get("PermissionsBoundary"),
                "Tags": dict(p.get("Tags", {})), "_version": 1}
        for a in data.get("assignments", []):
            arn = a.get("PermissionSetArn") or self.ps_by_name(a["permission_set"])["PermissionSetArn"]
            ptype = a.get("PrincipalType", "GROUP" if "group" in a else "USER")
            pid = a.get("PrincipalId")
            if not pid:
                pid = (self.group_by_name(a["group"])["GroupId"] if "group" in a
                       else self.user_by_name(a["user"])["UserId"])
            acct = a["AccountId"]
            self.assignments.add((acct, arn, ptype, pid))
            self.provisioned[(arn, acct)] = self.permission_sets[arn]["_version"]
        self.load_applications(data)
        for pr in data.get("provisioned", []):
            arn = pr.get("PermissionSetArn") or self.ps_by_name(pr["permission_set"])["PermissionSetArn"]
            v = self.permission_sets[arn]["_version"]
            self.provisioned[(arn, pr["AccountId"])] = v if pr.get("current", True) else v - 1
        self.trail.account = self.owner_account
        self.trail.inject(data.get("cloudtrail", []), now())

    def new_ps_arn(self):
        ins = self.instance_arn.rsplit("/", 1)[1]
        return "arn:aws:sso:::permissionSet/%s/ps-%s" % (ins, hexid(16))

    def dump(self):
        def clean(d):
            return {k: v for k, v in d.items() if not k.startswith("_") and v is not None}
        ps_name = {a: p["Name"] for a, p in self.permission_sets.items()}

        def pname(ptype, pid):
            if ptype == "USER":
                return {"user": self.users[pid]["UserName"]} if pid in self.users else {}
            return {"group": self.groups[pid]["DisplayName"]} if pid in self.groups else {}
        return {
            "region": self.region,
            "instance": {"arn": self.instance_arn, "identity_store_id": self.identity_store_id,
                         "owner_account_id": self.owner_account, "name": self.instance_name},
            "organization": {"id": self.org_id, "master_account_id": self.owner_account,
                             "master_account_email": self.master_email, "root_id": self.root_id,
                             "root_tags": self.root_tags},
            "organizational_units": [{"id": o["Id"], "name": o["Name"], "parent_id": o["ParentId"], "tags": o["Tags"]}
                                     for o in self.ous.values()],
            "accounts": [{"id": a["Id"], "name": a["Name"], "email": a["Email"], "status": a["Status"],
                          "parent_id": a["ParentId"], "tags": a["Tags"], "joined": a["JoinedTimestamp"]}
                         for a in self.accounts.values()],
            "users": [clean(u) for u in self.users.values()],
            "groups": [clean(g) for g in self.groups.values()],
            "memberships": [dict(clean(m), group=self.groups.get(m["GroupId"], {}).get("DisplayName"),
                                 user=self.users.get(m["UserId"], {}).get("UserName"))
                            for m in self.memberships.values()],
            "permission_sets": [clean(p) for p in self.permission_sets.values()],
            "assignments": [dict({"AccountId": a[0], "PermissionSetArn": a[1], "PrincipalType": a[2],
                                  "PrincipalId": a[3], "permission_set": ps_name.get(a[1])}, **pname(a[2], a[3]))
                            for a in sorted(self.assignments)],
            "provisioned": [{"AccountId": acct, "PermissionSetArn": arn, "permission_set": ps_name.get(arn),
                             "current": self.permission_sets[arn]["_version"] == v if arn in self.permission_sets else False}
                            for (arn, acct), v in sorted(self.provisioned.items())],
            "applications": [dict(clean(a), AssignmentRequired=a["_required"]) for a in self.applications.values()],
            "application_assignments": [
                dict({"ApplicationArn": a[0], "PrincipalType": a[1], "PrincipalId": a[2],
                      "application": self.applications[a[0]]["Name"] if a[0] in self.applications else None},
                     **pname(a[1], a[2])) for a in sorted(self.app_assignments)],
            "requests": {
                "account_assignment_creation": [clean(r) for r in self.creations.values()],
                "account_assignment_deletion": [clean(r) for r in self.deletions.values()],
                "permission_set_provisioning": [clean(r) for r in self.provisionings.values()],
            },
        }


# --------------------------------------------------------------------------
# Pagination

def paginate(cfg, op, items, req, error_code="ValidationException"):
    size = cfg.page_size
    if req.get("MaxResults") is not None:
        size = min(size, req["MaxResults"])
    start = 0
    tok = req.get("NextToken")
    if tok is not None:
        try:
            name, off = base64.b64decode(tok, validate=True).decode().rsplit(":", 1)
            start = int(off)
            if name != op or start < 0:
                raise ValueError
        except Exception:
            raise ApiError(error_code, "Invalid NextToken")
    page = items[start:start + size]
    nxt = None
    if start + size < len(items):
        nxt = base64.b64encode(("%s:%d" % (op, start + size)).encode()).decode()
    return page, nxt


# --------------------------------------------------------------------------
# Identity Store

USER_ATTRS = ["UserName", "Name", "DisplayName", "NickName", "ProfileUrl", "Emails", "Addresses", "PhoneNumbers",
              "UserType", "Title", "PreferredLanguage", "Locale", "Timezone", "Photos", "Website", "Birthdate",
              "Roles", "Extensions", "UserStatus"]
GROUP_ATTRS = ["DisplayName", "Description"]


def _norm_keys(value, shape):
    """Map lower/camel-case keys from a Document AttributeValue onto model member names."""
    if shape is None:
        return value
    t = shape.type_name
    if t == "structure" and isinstance(value, dict) and not shape.metadata.get("document"):
        byl = {m.lower(): m for m in shape.members}
        out = {}
        for k, v in value.items():
            m = byl.get(k.lower(), k)
            out[m] = _norm_keys(v, shape.members.get(m))
        return out
    if t == "list" and isinstance(value, list):
        return [_norm_keys(v, shape.member) for v in value]
    return value


class IdentityStore:
    def __init__(self, server):
        self.srv = server

    def _check_user_fields(self, st, u, self_id=None):
        name = u.get("UserName")
        if not name:
            raise vexc("UserName is required")
        if name.lower() in RESERVED_USER_NAMES:
            raise vexc("UserName %s is reserved" % name)
        if not u.get("DisplayName"):
            raise vexc("DisplayName is required")
        n = u.get("Name") or {}
        if not n.get("GivenName") or not n.get("FamilyName"):
            raise vexc("Name.GivenName and Name.FamilyName are required")
        other = st.user_by_name(name)
        if other and other["UserId"] != self_id:
            raise conflict("Duplicate UserName", "UNIQUENESS_CONSTRAINT_VIOLATION")

    def CreateUser(self, st, r):
        st.check_store(r["IdentityStoreId"])
        u = {k: v for k, v in r.items() if k != "IdentityStoreId"}
        self._check_user_fields(st, u)
        uid = store_uuid(st.identity_store_id)
        t = now()
        st.users[uid] = dict(u, UserId=uid, IdentityStoreId=st.identity_store_id, UserStatus="ENABLED",
                             CreatedAt=t, UpdatedAt=t)
        return {"UserId": uid, "IdentityStoreId": st.identity_store_id}

    def DescribeUser(self, st, r):
        st.check_store(r["IdentityStoreId"])
        return st.user(r["UserId"])

    def ListUsers(self, st, r):
        st.check_store(r["IdentityStoreId"])
        users = list(st.users.values())
        for f in r.get("Filters", []):
            if f["AttributePath"].lower() != "username":
                raise vexc("Filter attribute path %s is not supported" % f["AttributePath"])
            users = [u for u in users if u["UserName"].lower() == str(f["AttributeValue"]).lower()]
        page, nxt = paginate(self.srv.cfg, "ListUsers", users, r)
        return {"Users": page, "NextToken": nxt}

    def _apply_ops(self, obj, ops, attrs, shape):
        for op in ops:
            parts = op["AttributePath"].split(".")
            byl = {a.lower(): a for a in attrs}
            top = byl.get(parts[0].lower())
            if top is None:
                raise vexc("Invalid AttributePath %s" % op["AttributePath"])
            value = op.get("AttributeValue")
            mshape = shape.members.get(top)
            if len(parts) == 1:
                value = _norm_keys(value, mshape)
                if value is None:
                    obj.pop(top, None)
                else:
                    obj[top] = value
            else:
                if mshape is None or mshape.type_name != "structure" or len(parts) != 2:
                    raise vexc("Invalid AttributePath %s" % op["AttributePath"])
                sub = {m.lower(): m for m in mshape.members}.get(parts[1].lower())
                if sub is None:
                    raise vexc("Invalid AttributePath %s" % op["AttributePath"])
                d = dict(obj.get(top) or {})
                if value is None:
                    d.pop(sub, None)
                else:
                    d[sub] = value
                obj[top] = d

    def UpdateUser(self, st, r):
        st.check_store(r["IdentityStoreId"])
        u = copy.deepcopy(st.user(r["UserId"]))
        shape = self.srv.models["identitystore"].shape_for("CreateUserRequest")
        self._apply_ops(u, r["Operations"], USER_ATTRS, self.srv.models["identitystore"].shape_for("DescribeUserResponse"))
        errors = []
        check = {k: v for k, v in u.items() if k in shape.members}
        validate(shape, check, "", errors)
        if errors:
            raise vexc("; ".join(errors))
        self._check_user_fields(st, u, u["UserId"])
        u["UpdatedAt"] = now()
        st.users[u["UserId"]] = u
        return {}

    def DeleteUser(self, st, r):
        st.check_store(r["IdentityStoreId"])
        st.user(r["UserId"])
        del st.users[r["UserId"]]
        for mid in [m for m, v in st.memberships.items() if v["UserId"] == r["UserId"]]:
            del st.memberships[mid]
        return {}

    def CreateGroup(self, st, r):
        st.check_store(r["IdentityStoreId"])
        if not r.get("DisplayName"):
            raise vexc("DisplayName is required")
        if st.group_by_name(r["DisplayName"]):
            raise conflict("Duplicate GroupDisplayName", "UNIQUENESS_CONSTRAINT_VIOLATION")
        gid = store_uuid(st.identity_store_id)
        t = now()
        st.groups[gid] = {"GroupId": gid, "IdentityStoreId": st.identity_store_id, "DisplayName": r["DisplayName"],
                          "Description": r.get("Description"), "CreatedAt": t, "UpdatedAt": t}
        return {"GroupId": gid, "IdentityStoreId": st.identity_store_id}

    def DescribeGroup(self, st, r):
        st.check_store(r["IdentityStoreId"])
        return st.group(r["GroupId"])

    def ListGroups(self, st, r):
        st.check_store(r["IdentityStoreId"])
        groups = list(st.groups.values())
        for f in r.get("Filters", []):
            if f["AttributePath"].lower() != "displayname":
                raise vexc("Filter attribute path %s is not supported" % f["AttributePath"])
            groups = [g for g in groups if g["DisplayName"].lower() == str(f["AttributeValue"]).lower()]
        page, nxt = paginate(self.srv.cfg, "ListGroups", groups, r)
        return {"Groups": page, "NextToken": nxt}

    def UpdateGroup(self, st, r):
        st.check_store(r["IdentityStoreId"])
        g = copy.deepcopy(st.group(r["GroupId"]))
        self._apply_ops(g, r["Operations"], GROUP_ATTRS, self.srv.models["identitystore"].shape_for("DescribeGroupResponse"))
        shape = self.srv.models["identitystore"].shape_for("CreateGroupRequest")
        errors = []
        validate(shape, {k: v for k, v in g.items() if k in shape.members and v is not None}, "", errors)
        if errors:
            raise vexc("; ".join(errors))
        if not g.get("DisplayName"):
            raise vexc("DisplayName is required")
        other = st.group_by_name(g["DisplayName"])
        if other and other["GroupId"] != g["GroupId"]:
            raise conflict("Duplicate GroupDisplayName", "UNIQUENESS_CONSTRAINT_VIOLATION")
        g["UpdatedAt"] = now()
        st.groups[g["GroupId"]] = g
        return {}

    def DeleteGroup(self, st, r):
        st.check_store(r["IdentityStoreId"])
        st.group(r["GroupId"])
        del st.groups[r["GroupId"]]
        for mid in [m for m, v in st.memberships.items() if v["GroupId"] == r["GroupId"]]:
            del st.memberships[mid]
        return {}

    def _resolve(self, st, r, kind):
        st.check_store(r["IdentityStoreId"])
        alt = r["AlternateIdentifier"]
        objs = st.users if kind == "user" else st.groups
        if "ExternalId" in alt:
            e = alt["ExternalId"]
            for o in objs.values():
                if any(x.get("Issuer") == e["Issuer"] and x.get("Id") == e["Id"] for x in o.get("ExternalIds", [])):
                    return o
            raise not_found(kind, e["Id"], kind.upper())
        ua = alt["UniqueAttribute"]
        path, val = ua["AttributePath"].lower(), ua["AttributeValue"]
        if not isinstance(val, str):
            raise vexc("AttributeValue must be a string")
        for o in objs.values():
            if kind == "user" and path == "username" and o.get("UserName", "").lower() == val.lower():
                return o
            if kind == "user" and path == "emails.value" and any(
                    e.get("Value", "").lower() == val.lower() for e in o.get("Emails", [])):
                return o
            if kind == "group" and path == "displayname" and o.get("DisplayName", "").lower() == val.lower():
                return o
        if (kind == "user" and path not in ("username", "emails.value")) or (kind == "group" and path != "displayname"):
            raise vexc("Unsupported AttributePath %s" % ua["AttributePath"])
        raise not_found(kind, val, kind.upper())

    def GetUserId(self, st, r):
        u = self._resolve(st, r, "user")
        return {"UserId": u["UserId"], "IdentityStoreId": st.identity_store_id}

    def GetGroupId(self, st, r):
        g = self._resolve(st, r, "group")
        return {"GroupId": g["GroupId"], "IdentityStoreId": st.identity_store_id}

    @staticmethod
    def _mview(st, m):
        return {"IdentityStoreId": st.identity_store_id, "MembershipId": m["MembershipId"], "GroupId": m["GroupId"],
                "MemberId": {"UserId": m["UserId"]}, "CreatedAt": m.get("CreatedAt")}

    def CreateGroupMembership(self, st, r):
        st.check_store(r["IdentityStoreId"])
        st.group(r["GroupId"])
        uid = r["MemberId"]["UserId"]
        st.user(uid)
        for m in st.memberships.values():
            if m["GroupId"] == r["GroupId"] and m["UserId"] == uid:
                raise conflict("Member is already in the group", "UNIQUENESS_CONSTRAINT_VIOLATION")
        mid = store_uuid(st.identity_store_id)
        st.memberships[mid] = {"MembershipId": mid, "GroupId": r["GroupId"], "UserId": uid, "CreatedAt": now()}
        return {"MembershipId": mid, "IdentityStoreId": st.identity_store_id}

    def DescribeGroupMembership(self, st, r):
        st.check_store(r["IdentityStoreId"])
        m = st.memberships.get(r["MembershipId"])
        if not m:
            raise not_found("GroupMembership", r["MembershipId"], "GROUP_MEMBERSHIP")
        return self._mview(st, m)

    def DeleteGroupMembership(self, st, r):
        st.check_store(r["IdentityStoreId"])
        if r["MembershipId"] not in st.memberships:
            raise not_found("GroupMembership", r["MembershipId"], "GROUP_MEMBERSHIP")
        del st.memberships[r["MembershipId"]]
        return {}

    def GetGroupMembershipId(self, st, r):
        st.check_store(r["IdentityStoreId"])
        st.group(r["GroupId"])
        uid = r["MemberId"]["UserId"]
        for m in st.memberships.values():
            if m["GroupId"] == r["GroupId"] and m["UserId"] == uid:
                return {"MembershipId": m["MembershipId"], "IdentityStoreId": st.identity_store_id}
        raise not_found("GroupMembership", uid, "GROUP_MEMBERSHIP")

    def ListGroupMemberships(self, st, r):
        st.check_store(r["IdentityStoreId"])
        st.group(r["GroupId"])
        ms = [self._mview(st, m) for m in st.memberships.values() if m["GroupId"] == r["GroupId"]]
        page, nxt = paginate(self.srv.cfg, "ListGroupMemberships", ms, r)
        return {"GroupMemberships": page, "NextToken": nxt}

    def ListGroupMembershipsForMember(self, st, r):
        st.check_store(r["IdentityStoreId"])
        uid = r["MemberId"]["UserId"]
        st.user(uid)
        ms = [self._mview(st, m) for m in st.memberships.values() if m["UserId"] == uid]
        page, nxt = paginate(self.srv.cfg, "ListGroupMembershipsForMember", ms, r)
        return {"GroupMemberships": page, "NextToken": nxt}

    def IsMemberInGroups(self, st, r):
        st.check_store(r["IdentityStoreId"])
        uid = r["MemberId"]["UserId"]
        st.user(uid)
        res = []
        for gid in r["GroupIds"]:
            st.group(gid)
            res.append({"GroupId": gid, "MemberId": {"UserId": uid},
                        "MembershipExists": any(m["GroupId"] == gid and m["UserId"] == uid
                                                for m in st.memberships.values())})
        return {"Results": res}


# --------------------------------------------------------------------------
# SSO Admin

class SsoAdmin:
    def __init__(self, server):
        self.srv = server

    def _ps(self, st, r):
        st.check_instance(r["InstanceArn"])
        return st.ps(r["PermissionSetArn"])

    @staticmethod
    def _bump(ps):
        ps["_version"] += 1

    def ListInstances(self, st, r):
        inst = {"InstanceArn": st.instance_arn, "IdentityStoreId": st.identity_store_id,
                "OwnerAccountId": st.owner_account, "Name": st.instance_name, "Status": "ACTIVE",
                "CreatedDate": 1600000000.0}
        page, nxt = paginate(self.srv.cfg, "ListInstances", [inst], r)
        return {"Instances": page, "NextToken": nxt}

    def CreatePermissionSet(self, st, r):
        st.check_instance(r["InstanceArn"])
        if st.ps_by_name(r["Name"]):
            raise conflict("PermissionSet with name %s already exists" % r["Name"])
        arn = st.new_ps_arn()
        st.permission_sets[arn] = {
            "Name": r["Name"], "PermissionSetArn": arn, "Description": r.get("Description"),
            "SessionDuration": r.get("SessionDuration", "PT1H"), "RelayState": r.get("RelayState"),
            "CreatedDate": now(), "ManagedPolicies": [], "CustomerManagedPolicies": [], "InlinePolicy": None,
            "PermissionsBoundary": None, "Tags": {t["Key"]: t["Value"] for t in r.get("Tags", [])}, "_version": 1}
        return {"PermissionSet": st.permission_sets[arn]}

    def DescribePermissionSet(self, st, r):
        return {"PermissionSet": self._ps(st, r)}

    def ListPermissionSets(self, st, r):
        st.check_instance(r["InstanceArn"])
        page, nxt = paginate(self.srv.cfg, "ListPermissionSets", list(st.permission_sets), r)
        return {"PermissionSets": page, "NextToken": nxt}

    def UpdatePermissionSet(self, st, r):
        ps = self._ps(st, r)
        if "Description" in r:
            ps["Description"] = r["Description"]
        if "SessionDuration" in r:
            ps["SessionDuration"] = r["SessionDuration"]
        ps["RelayState"] = r.get("RelayState")   # AWS clears RelayState when it is omitted
        self._bump(ps)
        return {}

    def DeletePermissionSet(self, st, r):
        ps = self._ps(st, r)
        arn = ps["PermissionSetArn"]
        if any(a[1] == arn for a in st.assignments) or any(k[0] == arn for k in st.provisioned):
            raise conflict("Permission set %s has account assignments or is provisioned to accounts" % arn)
        if any(rec["Status"] == "IN_PROGRESS" and rec["PermissionSetArn"] == arn
               for tbl in (st.creations, st.deletions, st.provisionings) for rec in tbl.values()):
            raise conflict("An operation on permission set %s is in progress" % arn)
        del st.permission_sets[arn]
        return {}

    def AttachManagedPolicyToPermissionSet(self, st, r):
        ps = self._ps(st, r)
        if r["ManagedPolicyArn"] in ps["ManagedPolicies"]:
            raise conflict("Managed policy %s is already attached" % r["ManagedPolicyArn"])
        if len(ps["ManagedPolicies"]) + len(ps["CustomerManagedPolicies"]) >= 20:
            raise ApiError("ServiceQuotaExceededException", "Policy attachment quota exceeded")
        ps["ManagedPolicies"].append(r["ManagedPolicyArn"])
        self._bump(ps)
        return {}

    def DetachManagedPolicyFromPermissionSet(self, st, r):
        ps = self._ps(st, r)
        if r["ManagedPolicyArn"] not in ps["ManagedPolicies"]:
            raise ApiError("ResourceNotFoundException", "Managed policy %s is not attached" % r["ManagedPolicyArn"])
        ps["ManagedPolicies"].remove(r["ManagedPolicyArn"])
        self._bump(ps)
        return {}

    def ListManagedPoliciesInPermissionSet(self, st, r):
        ps = self._ps(st, r)
        items = [{"Arn": a, "Name": a.rsplit("/", 1)[1]} for a in ps["ManagedPolicies"]]
        page, nxt = paginate(self.srv.cfg, "ListManagedPoliciesInPermissionSet", items, r)
        return {"AttachedManagedPolicies": page, "NextToken": nxt}

    @staticmethod
    def _cmp(ref):
        return {"Name": ref["Name"], "Path": ref.get("Path", "/")}

    def AttachCustomerManagedPolicyReferenceToPermissionSet(self, st, r):
        ps = self._ps(st, r)
        ref = self._cmp(r["CustomerManagedPolicyReference"])
        if ref in ps["CustomerManagedPolicies"]:
            raise conflict("Customer managed policy reference is already attached")
        if len(ps["ManagedPolicies"]) + len(ps["CustomerManagedPolicies"]) >= 20:
            raise ApiError("ServiceQuotaExceededException", "Policy attachment quota exceeded")
        ps["CustomerManagedPolicies"].append(ref)
        self._bump(ps)
        return {}

    def DetachCustomerManagedPolicyReferenceFromPermissionSet(self, st, r):
        ps = self._ps(st, r)
        ref = self._cmp(r["CustomerManagedPolicyReference"])
        if ref not in ps["CustomerManagedPolicies"]:
            raise ApiError("ResourceNotFoundException", "Customer managed policy reference is not attached")
        ps["CustomerManagedPolicies"].remove(ref)
        self._bump(ps)
        return {}

    def ListCustomerManagedPolicyReferencesInPermissionSet(self, st, r):
        ps = self._ps(st, r)
        page, nxt = paginate(self.srv.cfg, "ListCustomerManagedPolicyReferencesInPermissionSet",
                             ps["CustomerManagedPolicies"], r)
        return {"CustomerManagedPolicyReferences": page, "NextToken": nxt}

    def PutInlinePolicyToPermissionSet(self, st, r):
        ps = self._ps(st, r)
        doc = r["InlinePolicy"]
        try:
            json.loads(doc)
        except ValueError:
            raise vexc("The policy document is not valid JSON")
        if len(re.sub(r"\s", "", doc)) > 10240:
            raise vexc("The inline policy exceeds 10,240 non-whitespace characters")
        ps["InlinePolicy"] = doc
        self._bump(ps)
        return {}

    def GetInlinePolicyForPermissionSet(self, st, r):
        ps = self._ps(st, r)
        return {"InlinePolicy": ps["InlinePolicy"] or ""} if ps["InlinePolicy"] else {}

    def DeleteInlinePolicyFromPermissionSet(self, st, r):
        ps = self._ps(st, r)
        if ps["InlinePolicy"] is not None:
            ps["InlinePolicy"] = None
            self._bump(ps)
        return {}

    def PutPermissionsBoundaryToPermissionSet(self, st, r):
        ps = self._ps(st, r)
        b = r["PermissionsBoundary"]
        if ("ManagedPolicyArn" in b) == ("CustomerManagedPolicyReference" in b):
            raise vexc("PermissionsBoundary needs exactly one of ManagedPolicyArn and CustomerManagedPolicyReference")
        if "CustomerManagedPolicyReference" in b:
            b = {"CustomerManagedPolicyReference": self._cmp(b["CustomerManagedPolicyReference"])}
        ps["PermissionsBoundary"] = b
        self._bump(ps)
        return {}

    def GetPermissionsBoundaryForPermissionSet(self, st, r):
        ps = self._ps(st, r)
        if not ps["PermissionsBoundary"]:
            raise ApiError("ResourceNotFoundException", "No permissions boundary on this permission set")
        return {"PermissionsBoundary": ps["PermissionsBoundary"]}

    def DeletePermissionsBoundaryFromPermissionSet(self, st, r):
        ps = self._ps(st, r)
        if not ps["PermissionsBoundary"]:
            raise ApiError("ResourceNotFoundException", "No permissions boundary on this permission set")
        ps["PermissionsBoundary"] = None
        self._bump(ps)
        return {}

    def _taggable(self, st, r):
        if "InstanceArn" in r:
            st.check_instance(r["InstanceArn"])
        arn = r["ResourceArn"]
        if arn in st.permission_sets:
            return st.permission_sets[arn]["Tags"]
        if arn == st.instance_arn:
            st.__dict__.setdefault("instance_tags", {})
            return st.instance_tags
        raise ApiError("ResourceNotFoundException", "Resource %s not found" % arn)

    def TagResource(self, st, r):
        tags = self._taggable(st, r)
        new = dict(tags)
        new.update({t["Key"]: t["Value"] for t in r["Tags"]})
        if len(new) > 50:
            raise ApiError("ServiceQuotaExceededException", "Too many tags")
        tags.update(new)
        return {}

    def UntagResource(self, st, r):
        tags = self._taggable(st, r)
        for k in r["TagKeys"]:
            tags.pop(k, None)
        return {}

    def ListTagsForResource(self, st, r):
        tags = self._taggable(st, r)
        items = [{"Key": k, "Value": v} for k, v in sorted(tags.items())]
        page, nxt = paginate(self.srv.cfg, "ListTagsForResource", items, r)
        return {"Tags": page, "NextToken": nxt}

    # -- provisioning
    def _new_record(self, table, **fields):
        rid = new_request_id()
        rec = dict(fields, RequestId=rid, Status="IN_PROGRESS", CreatedDate=now(),
                   _done_at=now() + self.srv.cfg.async_delay, _polls=0)
        table[rid] = rec
        return rec

    def ProvisionPermissionSet(self, st, r):
        ps = self._ps(st, r)
        arn = ps["PermissionSetArn"]
        if r["TargetType"] == "AWS_ACCOUNT":
            if not r.get("TargetId"):
                raise vexc("TargetId is required when TargetType is AWS_ACCOUNT")
            if r["TargetId"] not in st.accounts:
                raise ApiError("ResourceNotFoundException", "Account %s not found" % r["TargetId"])
            accounts = [r["TargetId"]]
        else:
            if r.get("TargetId"):
                raise vexc("TargetId must not be given with ALL_PROVISIONED_ACCOUNTS")
            accounts = sorted(a for (p, a) in st.provisioned if p == arn)
        if st.in_progress(st.provisionings) >= MAX_PROVISIONINGS:
            raise conflict("Too many concurrent permission set provisioning operations")
        if any(rec["Status"] == "IN_PROGRESS" and rec["PermissionSetArn"] == arn for rec in st.provisionings.values()):
            raise conflict("A provisioning operation for %s is already in progress" % arn)
        fields = {"PermissionSetArn": arn, "_accounts": accounts}
        if r["TargetType"] == "AWS_ACCOUNT":
            fields["AccountId"] = r["TargetId"]
        rec = self._new_record(st.provisionings, **fields)
        self.srv.stats.note_concurrency("max_concurrent_provisionings", st.in_progress(st.provisionings))
        return {"PermissionSetProvisioningStatus": rec}

    def _describe(self, st, table, rid, what):
        rec = table.get(rid)
        if rec is None:
            raise ApiError("ResourceNotFoundException", "%s request %s not found" % (what, rid))
        rec["_polls"] += 1
        st.advance()
        return rec

    def DescribePermissionSetProvisioningStatus(self, st, r):
        st.check_instance(r["InstanceArn"])
        rec = self._describe(st, st.provisionings, r["ProvisionPermissionSetRequestId"], "Provisioning")
        return {"PermissionSetProvisioningStatus": rec}

    def _list_status(self, st, r, table, op, key):
        st.check_instance(r["InstanceArn"])
        items = [rec for rec in table.values()
                 if not r.get("Filter", {}).get("Status") or rec["Status"] == r["Filter"]["Status"]]
        page, nxt = paginate(self.srv.cfg, op, items, r)
        return {key: page, "NextToken": nxt}

    def ListPermissionSetProvisioningStatus(self, st, r):
        return self._list_status(st, r, st.provisionings, "ListPermissionSetProvisioningStatus",
                                 "PermissionSetsProvisioningStatus")

    def ListAccountAssignmentCreationStatus(self, st, r):
        return self._list_status(st, r, st.creations, "ListAccountAssignmentCreationStatus",
                                 "AccountAssignmentsCreationStatus")

    def ListAccountAssignmentDeletionStatus(self, st, r):
        return self._list_status(st, r, st.deletions, "ListAccountAssignmentDeletionStatus",
                                 "AccountAssignmentsDeletionStatus")

    @staticmethod
    def _prov_filter(st, arn, v, status):
        if not status:
            return True
        current = arn in st.permission_sets and st.permission_sets[arn]["_version"] == v
        return current == (status == "LATEST_PERMISSION_SET_PROVISIONED")

    def ListPermissionSetsProvisionedToAccount(self, st, r):
        st.check_instance(r["InstanceArn"])
        items = [arn for (arn, acct), v in sorted(x for x in st.provisioned.items() if x[0][1] == r["AccountId"])
                 if self._prov_filter(st, arn, v, r.get("ProvisioningStatus"))]
        page, nxt = paginate(self.srv.cfg, "ListPermissionSetsProvisionedToAccount", items, r)
        return {"PermissionSets": page, "NextToken": nxt}

    def ListAccountsForProvisionedPermissionSet(self, st, r):
        ps = self._ps(st, r)
        arn = ps["PermissionSetArn"]
        items = [acct for (a, acct), v in sorted(x for x in st.provisioned.items() if x[0][0] == arn)
                 if self._prov_filter(st, a, v, r.get("ProvisioningStatus"))]
        page, nxt = paginate(self.srv.cfg, "ListAccountsForProvisionedPermissionSet", items, r)
        return {"AccountIds": page, "NextToken": nxt}

    # -- assignments
    def _assignment_args(self, st, r):
        st.check_instance(r["InstanceArn"])
        st.ps(r["PermissionSetArn"])
        return {k: r[k] for k in ("TargetId", "TargetType", "PermissionSetArn", "PrincipalType", "PrincipalId")}

    def CreateAccountAssignment(self, st, r):
        fields = self._assignment_args(st, r)
        if st.in_progress(st.creations) >= MAX_CREATIONS_IN_FLIGHT:
            raise ApiError("ThrottlingException",
                           "Rate exceeded: too many account assignment creations in progress (max %d)"
                           % MAX_CREATIONS_IN_FLIGHT)
        rec = self._new_record(st.creations, **fields)
        self.srv.stats.note_concurrency("max_inflight_assignment_creations", st.in_progress(st.creations))
        return {"AccountAssignmentCreationStatus": rec}

    def DeleteAccountAssignment(self, st, r):
        fields = self._assignment_args(st, r)
        key = (r["TargetId"], r["PermissionSetArn"], r["PrincipalType"], r["PrincipalId"])
        if key not in st.assignments:
            raise ApiError("ResourceNotFoundException", "The specified account assignment does not exist")
        rec = self._new_record(st.deletions, **fields)
        return {"AccountAssignmentDeletionStatus": rec}

    def DescribeAccountAssignmentCreationStatus(self, st, r):
        st.check_instance(r["InstanceArn"])
        rec = self._describe(st, st.creations, r["AccountAssignmentCreationRequestId"], "Creation")
        return {"AccountAssignmentCreationStatus": rec}

    def DescribeAccountAssignmentDeletionStatus(self, st, r):
        st.check_instance(r["InstanceArn"])
        rec = self._describe(st, st.deletions, r["AccountAssignmentDeletionRequestId"], "Deletion")
        return {"AccountAssignmentDeletionStatus": rec}

    def ListAccountAssignments(self, st, r):
        st.check_instance(r["InstanceArn"])
        st.ps(r["PermissionSetArn"])
        # Filtered before sorting: a large seeded org has tens of thousands of assignments.
        items = [{"AccountId": a[0], "PermissionSetArn": a[1], "PrincipalType": a[2], "PrincipalId": a[3]}
                 for a in sorted(a for a in st.assignments
                                 if a[0] == r["AccountId"] and a[1] == r["PermissionSetArn"])]
        page, nxt = paginate(self.srv.cfg, "ListAccountAssignments", items, r)
        return {"AccountAssignments": page, "NextToken": nxt}

    def ListAccountAssignmentsForPrincipal(self, st, r):
        st.check_instance(r["InstanceArn"])
        acct = r.get("Filter", {}).get("AccountId")
        items = [{"AccountId": a[0], "PermissionSetArn": a[1], "PrincipalType": a[2], "PrincipalId": a[3]}
                 for a in sorted(a for a in st.assignments
                                 if a[2] == r["PrincipalType"] and a[3] == r["PrincipalId"] and (not acct or a[0] == acct))]
        page, nxt = paginate(self.srv.cfg, "ListAccountAssignmentsForPrincipal", items, r)
        return {"AccountAssignments": page, "NextToken": nxt}


    # -- applications (seeded: SAML applications cannot be created through the API)
    def _app_view(self, a):
        return {k: v for k, v in a.items() if not k.startswith("_") and v is not None}

    def ListApplications(self, st, r):
        st.check_instance(r["InstanceArn"])
        f = r.get("Filter", {})
        items = [self._app_view(a) for a in st.applications.values()
                 if (not f.get("ApplicationAccount") or a["ApplicationAccount"] == f["ApplicationAccount"])
                 and (not f.get("ApplicationProvider") or a["ApplicationProviderArn"] == f["ApplicationProvider"])]
        page, nxt = paginate(self.srv.cfg, "ListApplications", items, r)
        return {"Applications": page, "NextToken": nxt}

    def DescribeApplication(self, st, r):
        return self._app_view(st.application(r["ApplicationArn"]))

    def GetApplicationAssignmentConfiguration(self, st, r):
        return {"AssignmentRequired": st.application(r["ApplicationArn"])["_required"]}

    def PutApplicationAssignmentConfiguration(self, st, r):
        st.application(r["ApplicationArn"])["_required"] = r["AssignmentRequired"]
        return {}

    def _app_assignment_key(self, st, r):
        st.application(r["ApplicationArn"])
        return (r["ApplicationArn"], r["PrincipalType"], r["PrincipalId"])

    def CreateApplicationAssignment(self, st, r):
        key = self._app_assignment_key(st, r)
        if not st.principal_exists(r["PrincipalType"], r["PrincipalId"]):
            raise ApiError("ResourceNotFoundException", "Principal %s not found" % r["PrincipalId"])
        if key in st.app_assignments:
            # Not documented by AWS; see README.md "Application assignments".
            raise conflict("Application assignment for principal %s already exists" % r["PrincipalId"])
        st.app_assignments.add(key)
        return {}

    def DeleteApplicationAssignment(self, st, r):
        key = self._app_assignment_key(st, r)
        if key not in st.app_assignments:
            raise ApiError("ResourceNotFoundException", "The specified application assignment does not exist")
        st.app_assignments.discard(key)
        return {}

    def DescribeApplicationAssignment(self, st, r):
        key = self._app_assignment_key(st, r)
        if key not in st.app_assignments:
            raise ApiError("ResourceNotFoundException", "The specified application assignment does not exist")
        return {"ApplicationArn": key[0], "PrincipalType": key[1], "PrincipalId": key[2]}

    def ListApplicationAssignments(self, st, r):
        st.application(r["ApplicationArn"])
        items = [{"ApplicationArn": a[0], "PrincipalType": a[1], "PrincipalId": a[2]}
                 for a in sorted(st.app_assignments) if a[0] == r["ApplicationArn"]]
        page, nxt = paginate(self.srv.cfg, "ListApplicationAssignments", items, r)
        return {"ApplicationAssignments": page, "NextToken": nxt}

    def ListApplicationAssignmentsForPrincipal(self, st, r):
        st.check_instance(r["InstanceArn"])
        app = r.get("Filter", {}).get("ApplicationArn")
        items = [{"ApplicationArn": a[0], "PrincipalType": a[1], "PrincipalId": a[2]}
                 for a in sorted(st.app_assignments)
                 if a[1] == r["PrincipalType"] and a[2] == r["PrincipalId"] and (not app or a[0] == app)]
        page, nxt = paginate(self.srv.cfg, "ListApplicationAssignmentsForPrincipal", items, r)
        return {"ApplicationAssignments": page, "NextToken": nxt}


# --------------------------------------------------------------------------
# Organizations

class Organizations:
    def __init__(self, server):
        self.srv = server

    def _page(self, op, items, r):
        return paginate(self.srv.cfg, op, items, r, error_code="InvalidInputException")

    def _acct_view(self, st, a):
        return {"Id": a["Id"], "Arn": "arn:aws:organizations::%s:account/%s/%s" % (st.owner_account, st.org_id, a["Id"]),
                "Email": a["Email"], "Name": a["Name"], "Status": a["Status"],
                "State": {"ACTIVE": "ACTIVE", "SUSPENDED": "SUSPENDED"}.get(a["Status"], "ACTIVE"),
                "JoinedMethod": "CREATED", "JoinedTimestamp": a["JoinedTimestamp"]}

    def _ou_view(self, st, o):
        return {"Id": o["Id"], "Name": o["Name"],
                "Arn": "arn:aws:organizations::%s:ou/%s/%s" % (st.owner_account, st.org_id, o["Id"])}

    def _check_parent(self, st, pid):
        if pid != st.root_id and pid not in st.ous:
            raise ApiError("ParentNotFoundException", "We can't find a root or OU with the ParentId that you specified.")

    def DescribeOrganization(self, st, r):
        return {"Organization": {
            "Id": st.org_id, "Arn": "arn:aws:organizations::%s:organization/%s" % (st.owner_account, st.org_id),
            "FeatureSet": "ALL", "MasterAccountArn": "arn:aws:organizations::%s:account/%s/%s"
            % (st.owner_account, st.org_id, st.owner_account),
            "MasterAccountId": st.owner_account, "MasterAccountEmail": st.master_email,
            "AvailablePolicyTypes": [{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}]}}

    def ListRoots(self, st, r):
        roots = [{"Id": st.root_id, "Name": "Root", "PolicyTypes": [],
                  "Arn": "arn:aws:organizations::%s:root/%s/%s" % (st.owner_account, st.org_id, st.root_id)}]
        page, nxt = self._page("ListRoots", roots, r)
        return {"Roots": page, "NextToken": nxt}

    def ListOrganizationalUnitsForParent(self, st, r):
        self._check_parent(st, r["ParentId"])
        items = [self._ou_view(st, o) for o in st.ous.values() if o["ParentId"] == r["ParentId"]]
        page, nxt = self._page("ListOrganizationalUnitsForParent", items, r)
        return {"OrganizationalUnits": page, "NextToken": nxt}

    def ListAccounts(self, st, r):
        items = [self._acct_view(st, a) for a in st.accounts.values()]
        page, nxt = self._page("ListAccounts", items, r)
        return {"Accounts": page, "NextToken": nxt}

    def ListAccountsForParent(self, st, r):
        self._check_parent(st, r["ParentId"])
        items = [self._acct_view(st, a) for a in st.accounts.values() if a["ParentId"] == r["ParentId"]]
        page, nxt = self._page("ListAccountsForParent", items, r)
        return {"Accounts": page, "NextToken": nxt}

    def ListParents(self, st, r):
        cid = r["ChildId"]
        obj = st.accounts.get(cid) or st.ous.get(cid)
        if obj is None:
            raise ApiError("ChildNotFoundException", "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.")
        pid = obj["ParentId"]
        page, nxt = self._page("ListParents", [{"Id": pid, "Type": "ROOT" if pid == st.root_id else "ORGANIZATIONAL_UNIT"}], r)
        return {"Parents": page, "NextToken": nxt}

    def ListTagsForResource(self, st, r):
        rid = r["ResourceId"]
        if rid == st.root_id:
            tags = st.root_tags
        elif rid in st.accounts:
            tags = st.accounts[rid]["Tags"]
        elif rid in st.ous:
            tags = st.ous[rid]["Tags"]
        else:
            raise ApiError("TargetNotFoundException", "We can't find a root, OU, account, or policy with the TargetId that you specified.")
        page, nxt = self._page("ListTagsForResource", [{"Key": k, "Value": v} for k, v in sorted(tags.items())], r)
        return {"Tags": page, "NextToken": nxt}

    def DescribeAccount(self, st, r):
        a = st.accounts.get(r["AccountId"])
        if a is None:
            raise ApiError("AccountNotFoundException", "You specified an account that doesn't exist.")
        return {"Account": self._acct_view(st, a)}

    def DescribeOrganizationalUnit(self, st, r):
        o = st.ous.get(r["OrganizationalUnitId"])
        if o is None:
            raise ApiError("OrganizationalUnitNotFoundException", "We can't find an OU with the OrganizationalUnitId that you specified.")
        return {"OrganizationalUnit": self._ou_view(st, o)}

    def ListChildren(self, st, r):
        self._check_parent(st, r["ParentId"])
        if r["ChildType"] == "ACCOUNT":
            items = [{"Id": a["Id"], "Type": "ACCOUNT"} for a in st.accounts.values() if a["ParentId"] == r["ParentId"]]
        else:
            items = [{"Id": o["Id"], "Type": "ORGANIZATIONAL_UNIT"} for o in st.ous.values() if o["ParentId"] == r["ParentId"]]
        page, nxt = self._page("ListChildren", items, r)
        return {"Children": page, "NextToken": nxt}


# --------------------------------------------------------------------------
# Stats, faults, rate limiting

class CloudTrailApi:
    def __init__(self, server):
        self.srv = server

    def LookupEvents(self, st, r):
        try:
            return st.trail.lookup(r, now())
        except TrailError as e:
            raise ApiError(e.code, e.message)


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with getattr(self, "lock", threading.Lock()):
            self.requests = {}
            self.rejections = []
            self.counts = {"validation": 0, "signature": 0, "throttled": 0, "rate_limited": 0, "error500": 0,
                           "cloudtrail_throttled": 0,
                           "dropped": 0, "api_errors_total": 0, "response_model_errors_total": 0}
            self.api_errors = {}
            self.response_model_errors = []
            self.max = {"max_inflight_assignment_creations": 0, "max_concurrent_provisionings": 0}

    def request(self, key):
        with self.lock:
            self.requests[key] = self.requests.get(key, 0) + 1

    def reject(self, kind, key, message):
        with self.lock:
            self.counts[kind] += 1
            if len(self.rejections) < 1000:
                self.rejections.append({"kind": kind, "operation": key, "message": message})
        log("rejected (%s) %s: %s" % (kind, key, message))

    def bump(self, kind):
        with self.lock:
            self.counts[kind] += 1

    def api_error(self, key, code):
        with self.lock:
            self.counts["api_errors_total"] += 1
            k = "%s:%s" % (key, code)
            self.api_errors[k] = self.api_errors.get(k, 0) + 1

    def response_error(self, key, msg):
        with self.lock:
            self.counts["response_model_errors_total"] += 1
            if len(self.response_model_errors) < 100:
                self.response_model_errors.append({"operation": key, "message": msg})
        log("RESPONSE DOES NOT MATCH MODEL %s: %s" % (key, msg))

    def note_concurrency(self, name, n):
        with self.lock:
            self.max[name] = max(self.max[name], n)

    def snapshot(self):
        with self.lock:
            return {"requests": dict(self.requests), "total_requests": sum(self.requests.values()),
                    "rejections": list(self.rejections), "api_errors": dict(self.api_errors),
                    "response_model_errors": list(self.response_model_errors),
                    "skipped_patterns": dict(SKIPPED_PATTERNS), **self.counts, **self.max}


class Faults:
    KEYS = ("throttle", "error500", "drop", "error500_after", "drop_after", "latency_ms", "seed")

    def __init__(self):
        self.lock = threading.Lock()
        self.set({})

    def set(self, d):
        bad = [k for k in d if k not in self.KEYS]
        if bad:
            raise ValueError("unknown fault keys %s (known: %s)" % (bad, ", ".join(self.KEYS)))
        with self.lock:
            self.cfg = {k: 0 for k in self.KEYS}
            self.cfg.update(d)
            self.rng = random.Random(self.cfg.get("seed") or None)

    def roll(self, name):
        with self.lock:
            p = self.cfg.get(name) or 0
            return p > 0 and self.rng.random() < p

    def get(self):
        with self.lock:
            return dict(self.cfg)


class RateLimiter:
    def __init__(self, rate):
        self.rate = rate
        self.lock = threading.Lock()
        self.buckets = {}

    def allow(self, family):
        if not self.rate:
            return True
        with self.lock:
            tokens, last = self.buckets.get(family, (float(self.rate), now()))
            t = now()
            tokens = min(float(self.rate), tokens + (t - last) * self.rate)
            ok = tokens >= 1.0
            if ok:
                tokens -= 1.0
            self.buckets[family] = (tokens, t)
            return ok


# --------------------------------------------------------------------------
# SigV4

class _VerifyingSigV4(botocore.auth.SigV4Auth):
    """SigV4Auth restricted to exactly the headers the client said it signed."""

    def __init__(self, creds, service, region, signed):
        super().__init__(creds, service, region)
        self._signed = signed

    def headers_to_sign(self, request):
        hm = botocore.awsrequest.HTTPHeaders()
        for name in self._signed:
            vals = request.headers.get_all(name) if hasattr(request.headers, "get_all") else None
            for v in vals or []:
                hm[name] = v
        return hm


AUTH_RX = re.compile(r"^AWS4-HMAC-SHA256\s+(.*)$")


class SigError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def verify_sigv4(state, method, path, headers, body, signing_name, allowed_regions, skew=300):
    """Returns the key record on success; raises SigError otherwise."""
    auth = headers.get("Authorization")
    if not auth:
        raise SigError("MissingAuthenticationTokenException", "Missing Authentication Token")
    m = AUTH_RX.match(auth.strip())
    if not m:
        raise SigError("IncompleteSignatureException", "Authorization header is not AWS4-HMAC-SHA256")
    parts = {}
    for item in re.split(r"\s*,\s*", m.group(1)):
        k, _, v = item.partition("=")
        parts[k.strip()] = v.strip()
    if not all(k in parts for k in ("Credential", "SignedHeaders", "Signature")):
        raise SigError("IncompleteSignatureException", "Authorization header lacks Credential/SignedHeaders/Signature")
    cred = parts["Credential"].split("/")
    if len(cred) != 5 or cred[4] != "aws4_request":
        raise SigError("IncompleteSignatureException", "Malformed credential scope %s" % parts["Credential"])
    akid, date, region, service = cred[0], cred[1], cred[2], cred[3]
    key = state.keys.get(akid)
    if key is None:
        raise SigError("UnrecognizedClientException", "The security token included in the request is invalid.")
    if key.get("expires") and key["expires"] < now():
        raise SigError("ExpiredTokenException", "The security token included in the request is expired")
    tok = headers.get("X-Amz-Security-Token")
    if key.get("token") != tok:
        raise SigError("UnrecognizedClientException",
                       "The security token included in the request is invalid (session token %s)."
                       % ("missing" if key.get("token") else "unexpected" if tok else "mismatch"))
    if service != signing_name:
        raise SigError("InvalidSignatureException",
                       "Credential should be scoped to correct service: '%s' (got '%s')." % (signing_name, service))
    if region not in allowed_regions:
        raise SigError("InvalidSignatureException",
                       "Credential should be scoped to a valid region: %s (got '%s')." % (sorted(allowed_regions), region))
    signed = parts["SignedHeaders"].split(";")
    if "host" not in signed or "x-amz-date" not in signed:
        raise SigError("InvalidSignatureException", "SignedHeaders must include host and x-amz-date (got %s)"
                       % parts["SignedHeaders"])
    amz_date = headers.get("X-Amz-Date", "")
    try:
        ts = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc).timestamp()
    except ValueError:
        raise SigError("IncompleteSignatureException", "Bad X-Amz-Date %r" % amz_date)
    if abs(ts - now()) > skew:
        raise SigError("InvalidSignatureException", "Signature expired: %s is not within 5 minutes of now" % amz_date)
    if date != amz_date[:8]:
        raise SigError("InvalidSignatureException", "Credential scope date %s does not match X-Amz-Date" % date)
    for h in signed:
        if headers.get(h) is None:
            raise SigError("InvalidSignatureException", "Signed header %s is not in the request" % h)
    csha = headers.get("X-Amz-Content-SHA256")
    if csha is not None and csha != hashlib.sha256(body).hexdigest():
        raise SigError("InvalidSignatureException", "X-Amz-Content-SHA256 does not match the body")
    hdrs = botocore.awsrequest.HTTPHeaders()
    for name, value in headers.items():
        hdrs[name] = value
    req = botocore.awsrequest.AWSRequest(method=method, url="http://%s%s" % (headers.get("Host"), path),
                                         headers=hdrs, data=body)
    req.context["timestamp"] = amz_date
    creds = botocore.credentials.Credentials(akid, key["secret"], key.get("token"))
    signer = _VerifyingSigV4(creds, service, region, signed)
    canonical = signer.canonical_request(req)
    sts = signer.string_to_sign(req, canonical)
    expected = signer.signature(sts, req)
    if not hmac.compare_digest(expected, parts["Signature"]):
        raise SigError("InvalidSignatureException",
                       "The request signature we calculated does not match the signature you provided. "
                       "The Canonical String for this request should have been\n'%s'\n\nThe String-to-Sign should have been\n'%s'"
                       % (canonical, sts))
    return key


# --------------------------------------------------------------------------
# STS (query protocol, XML)

STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/"


def sts_validate(model, action, params):
    op = model.operation_model(action)
    shape = op.input_shape
    errors = []
    value = {}
    for k, v in params.items():
        if k in ("Action", "Version"):
            continue
        top = k.split(".", 1)[0]
        if top not in shape.members:
            errors.append("unknown parameter %r" % k)
            continue
        ms = shape.members[top]
        if "." in k:
            continue   # lists/structures (PolicyArns.member.N...) are not deep-checked
        if ms.type_name in ("integer", "long"):
            try:
                v = int(v)
            except ValueError:
                errors.append("%s: %r is not an integer" % (k, v))
                continue
        value[k] = v
    validate(shape, value, "", errors)
    if params.get("Version") != "2011-06-15":
        errors.append("Version must be 2011-06-15 (got %r)" % params.get("Version"))
    return errors


def sts_error_xml(code, message, rid, sender=True):
    return ("<ErrorResponse xmlns=\"%s\"><Error><Type>%s</Type><Code>%s</Code><Message>%s</Message></Error>"
            "<RequestId>%s</RequestId></ErrorResponse>" % (STS_NS, "Sender" if sender else "Receiver", code,
                                                           xml_escape(message), rid))


# What a caller outside the management account may not do (IAM Identity Center
# delegated administration, docs: "Register a member account": a delegated
# administrator cannot manage permission sets provisioned in the management
# account, nor user access (assignments) in the management account). A seeded
# credential with "organizations": false may not read AWS Organizations either.
SSO_SET_WRITES = {"UpdatePermissionSet", "DeletePermissionSet", "AttachManagedPolicyToPermissionSet",
                  "DetachManagedPolicyFromPermissionSet", "AttachCustomerManagedPolicyReferenceToPermissionSet",
                  "DetachCustomerManagedPolicyReferenceFromPermissionSet", "PutInlinePolicyToPermissionSet",
                  "DeleteInlinePolicyFromPermissionSet", "PutPermissionsBoundaryToPermissionSet",
                  "DeletePermissionsBoundaryFromPermissionSet", "ProvisionPermissionSet",
                  "TagResource", "UntagResource"}


def check_caller_may(st, key_rec, service, opname, req):
    if key_rec is None:
        return
    if service == "organizations" and not key_rec.get("organizations", True) and opname != "DescribeOrganization":
        raise ApiError("AccessDeniedException", "You don't have permissions to access this resource.")
    if service == "cloudtrail" and not key_rec.get("cloudtrail", True):
        raise ApiError("AccessDeniedException", "User: %s is not authorized to perform: cloudtrail:%s because no "
                       "identity-based policy allows the cloudtrail:%s action" % (key_rec.get("arn"), opname, opname))
    if service == "sso-admin" and not key_rec.get("applications", True) and "Application" in opname:
        raise ApiError("AccessDeniedException", "User: %s is not authorized to perform: sso:%s"
                       % (key_rec.get("arn", "caller"), opname))
    if service != "sso-admin" or key_rec.get("account", st.owner_account) == st.owner_account:
        return
    denied = "User: %s is not authorized to perform: sso:%s (delegated administrators cannot manage " % (
        key_rec.get("arn", "caller"), opname)
    if opname in ("CreateAccountAssignment", "DeleteAccountAssignment") and req.get("TargetId") == st.owner_account:
        raise ApiError("AccessDeniedException", denied + "access to the management account)")
    arn = req.get("PermissionSetArn") or req.get("ResourceArn")
    if opname in SSO_SET_WRITES and arn and (arn, st.owner_account) in st.provisioned:
        raise ApiError("AccessDeniedException", denied + "permission sets provisioned in the management account)")


def sts_issue(state, role_arn, session, duration):
    akid = "ASIA" + "".join(random.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))
    secret = base64.b64encode(os.urandom(30)).decode()
    token = base64.b64encode(os.urandom(60)).decode()
    exp = now() + duration
    acct = role_arn.split(":")[4] if role_arn.count(":") >= 5 else DEFAULT_ACCOUNT
    role_name = role_arn.rsplit("/", 1)[-1]
    arn = "arn:aws:sts::%s:assumed-role/%s/%s" % (acct, role_name, session)
    role_id = "AROA" + "".join(random.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(17))
    state.keys[akid] = {"secret": secret, "token": token, "account": acct, "arn": arn,
                        "user_id": "%s:%s" % (role_id, session), "expires": exp}
    return ("<Credentials><AccessKeyId>%s</AccessKeyId><SecretAccessKey>%s</SecretAccessKey>"
            "<SessionToken>%s</SessionToken><Expiration>%s</Expiration></Credentials>"
            "<AssumedRoleUser><AssumedRoleId>%s:%s</AssumedRoleId><Arn>%s</Arn></AssumedRoleUser>"
            % (akid, xml_escape(secret), xml_escape(token), iso(exp), role_id, xml_escape(session), xml_escape(arn)))


# --------------------------------------------------------------------------
# Server

class FakeServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, cfg):
        self.cfg = cfg
        self.lock = threading.RLock()
        self.models = {}
        for name, (d, _, _, _) in SERVICES.items():
            with open(os.path.join(cfg.models, d, "service-2.json")) as f:
                self.models[name] = botocore.model.ServiceModel(json.load(f), service_name=name)
        self.handlers = {"identitystore": IdentityStore(self), "sso-admin": SsoAdmin(self),
                         "organizations": Organizations(self), "cloudtrail": CloudTrailApi(self)}
        self.state = State(cfg)
        self.stats = Stats()
        self.faults = Faults()
        self.limiter = RateLimiter(cfg.rate_limit)
        self.trail_limiter = RateLimiter(cfg.cloudtrail_rate)
        if cfg.seed_file:
            with open(cfg.seed_file) as f:
                self.state.load(json.load(f))
        if cfg.faults:
            self.faults.set(json.loads(cfg.faults))
        # Compile every pattern once up front so skips are logged at start.
        for m in self.models.values():
            for sn in m.shape_names:
                p = m.shape_for(sn).metadata.get("pattern")
                if p:
                    compiled_pattern(p)
        super().__init__(("127.0.0.1", cfg.port), Handler)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeAWS/1.0"

    def log_message(self, fmt, *args):
        if self.server.cfg.verbose:
            log(fmt % args)

    # -- plumbing
    def _read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            out = b""
            while True:
                line = self.rfile.readline().strip()
                n = int(line.split(b";")[0], 16)
                if n == 0:
                    while self.rfile.readline().strip():
                        pass
                    return out
                out += self.rfile.read(n)
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def _send(self, status, body, ctype="application/x-amz-json-1.1", rid=None, extra=None):
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if rid:
            self.send_header("x-amzn-RequestId", rid)
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _drop(self):
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _json_error(self, service, code, message, status, rid, fields=None, extra=None):
        body = {"__type": code, "message": message}
        if service in ("identitystore", "sso-admin", "organizations"):
            body["Message"] = message
        if service == "identitystore":
            body["RequestId"] = rid
        body.update(fields or {})
        self._send(status, body, rid=rid, extra=extra)

    def _throttle(self, service, rid):
        if service == "organizations":
            self._json_error(service, "TooManyRequestsException", "AWS Organizations can't complete your request "
                             "because another request is already in progress. Try again later.", 400, rid,
                             {"Type": "TooManyRequests"})
        elif service == "sts":
            self._send(400, sts_error_xml("Throttling", "Rate exceeded", rid), "text/xml", rid)
        elif service == "identitystore":
            self._json_error(service, "ThrottlingException", "Rate exceeded", 400, rid, {"RetryAfterSeconds": 1},
                             extra={"Retry-After": "1"})
        else:
            self._json_error(service, "ThrottlingException", "Rate exceeded", 400, rid)

    # -- entry points
    def do_GET(self):
        if self.path.startswith("/_fake/"):
            return self._control("GET", b"")
        self._send(404, {"__type": "UnknownOperationException", "message": "GET is not supported"})

    def do_POST(self):
        body = self._read_body()
        if self.path.startswith("/_fake/"):
            return self._control("POST", body)
        self._api(body)

    def do_PUT(self):
        self._read_body()
        self._send(405, {"__type": "UnknownOperationException", "message": "only POST / is supported"})

    do_DELETE = do_PUT

    # -- control API
    def _control(self, method, body):
        srv = self.server
        route = self.path.split("?")[0]
        try:
            if route == "/_fake/state" and method == "GET":
                with srv.lock:
                    srv.state.advance()
                    return self._send(200, srv.state.dump(), "application/json")
            if route == "/_fake/stats" and method == "GET":
                return self._send(200, srv.stats.snapshot(), "application/json")
            if route == "/_fake/faults" and method == "GET":
                return self._send(200, srv.faults.get(), "application/json")
            if route == "/_fake/faults" and method == "POST":
                srv.faults.set(json.loads(body or b"{}"))
                return self._send(200, srv.faults.get(), "application/json")
            if route == "/_fake/seed" and method == "POST":
                with srv.lock:
                    srv.state.load(json.loads(body))
                    return self._send(200, srv.state.dump(), "application/json")
            if route == "/_fake/reset" and method == "POST":
                with srv.lock:
                    srv.state = State(srv.cfg)
                    srv.stats.reset()
                    srv.faults.set({})
                return self._send(200, {"ok": True}, "application/json")
            if route == "/_fake/cloudtrail" and method == "GET":
                return self._send(200, {"Records": srv.state.trail.dump()}, "application/json")
            if route == "/_fake/cloudtrail" and method == "POST":
                n = srv.state.trail.inject(json.loads(body or b"{}").get("Records"), now())
                return self._send(200, {"ok": True, "injected": n}, "application/json")
            if route == "/_fake/ping":
                return self._send(200, {"ok": True, "pid": os.getpid()}, "application/json")
            self._send(404, {"error": "unknown control route %s %s" % (method, route)}, "application/json")
        except (ValueError, KeyError, TypeError) as e:
            self._send(400, {"error": "%s: %s" % (type(e).__name__, e)}, "application/json")

    # -- AWS API
    def _api(self, body):
        srv = self.server
        rid = new_request_id()
        target = self.headers.get("X-Amz-Target")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if target:
            prefix, _, opname = target.rpartition(".")
            service = TARGET_TO_SERVICE.get(prefix)
            key = "%s.%s" % (service or prefix, opname)
            if service is None:
                srv.stats.reject("validation", key, "unknown X-Amz-Target prefix %s" % prefix)
                return self._send(400, {"__type": "UnknownOperationException", "message": "Unknown target %s" % target}, rid=rid)
        elif ctype == "application/x-www-form-urlencoded":
            service = "sts"
            params = dict(urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
            opname = params.get("Action", "")
            key = "sts.%s" % opname
        else:
            srv.stats.reject("validation", "?", "no X-Amz-Target and not an STS form POST")
            return self._send(400, {"__type": "UnknownOperationException", "message": "missing X-Amz-Target"}, rid=rid)
        srv.stats.request(key)
        model = srv.models[service]
        err_validation = "InvalidInputException" if service == "organizations" else "ValidationException"

        def reject_validation(msg):
            srv.stats.reject("validation", key, msg)
            if service == "sts":
                return self._send(400, sts_error_xml("ValidationError", msg, rid), "text/xml", rid)
            return self._json_error(service, err_validation, msg, 400, rid)

        # transport checks
        path = self.path
        if path != "/":
            return reject_validation("path must be / (got %s)" % path)
        if service != "sts" and ctype != "application/x-amz-json-1.1":
            return reject_validation("Content-Type must be application/x-amz-json-1.1 (got %r)" % ctype)
        if opname not in model.operation_names:
            srv.stats.reject("validation", key, "unknown operation")
            if service == "sts":
                return self._send(400, sts_error_xml("InvalidAction", "Could not find operation %s" % opname, rid),
                                  "text/xml", rid)
            return self._json_error(service, "UnknownOperationException", "Unknown operation %s" % opname, 400, rid)

        # signature (AssumeRoleWithWebIdentity is unsigned)
        key_rec = None
        if not (service == "sts" and opname in ("AssumeRoleWithWebIdentity", "AssumeRoleWithSAML")):
            sdir, _, signing, fixed_region = SERVICES[service]
            regions = {fixed_region} if fixed_region else {srv.cfg.region}
            if service == "sts":
                regions |= {"us-east-1"}
            try:
                with srv.lock:
                    key_rec = verify_sigv4(srv.state, "POST", self.path, self.headers, body, signing, regions)
            except SigError as e:
                srv.stats.reject("signature", key, "%s: %s" % (e.code, e.message.split("\n")[0]))
                if srv.cfg.verbose:
                    log(e.message)
                if service == "sts":
                    return self._send(403, sts_error_xml(e.code, e.message, rid), "text/xml", rid)
                return self._json_error(service, e.code, e.message, 403 if e.code != "IncompleteSignatureException"
                                        else 400, rid)

        # input validation
        if service == "sts":
            errors = sts_validate(model, opname, params)
            req = params
        else:
            try:
                req = json.loads(body.decode("utf-8")) if body else None
            except ValueError as e:
                srv.stats.reject("validation", key, "body is not JSON: %s" % e)
                return self._json_error(service, "SerializationException", "body is not valid JSON", 400, rid)
            if not isinstance(req, dict):
                return reject_validation("request body must be a JSON object")
            errors = []
            op = model.operation_model(opname)
            if op.input_shape is not None:
                validate(op.input_shape, req, "", errors)
            elif req:
                errors.append("operation takes no input")
        if errors:
            return reject_validation("%d validation error(s) detected: %s" % (len(errors), "; ".join(errors)))

        # rate limit and faults
        family = service
        limiter = srv.trail_limiter if service == "cloudtrail" else srv.limiter
        if not limiter.allow(family):
            srv.stats.bump("rate_limited")
            if service == "cloudtrail":
                srv.stats.bump("cloudtrail_throttled")
            return self._throttle(service, rid)
        lat = srv.faults.get().get("latency_ms") or 0
        if lat:
            time.sleep(lat / 1000.0)
        if srv.faults.roll("drop"):
            srv.stats.bump("dropped")
            return self._drop()
        if srv.faults.roll("throttle"):
            srv.stats.bump("throttled")
            return self._throttle(service, rid)
        if srv.faults.roll("error500"):
            srv.stats.bump("error500")
            return self._server_error(service, rid)

        # execute
        if service == "sts":
            return self._sts(opname, params, key_rec, rid)
        handler = getattr(srv.handlers[service], opname, None)
        if handler is None:
            msg = "operation %s is in the model but not implemented by the fake" % opname
            srv.stats.reject("validation", key, msg)
            return self._json_error(service, "UnknownOperationException", msg, 400, rid)
        try:
            with srv.lock:
                srv.state.advance()
                check_caller_may(srv.state, key_rec, service, opname, req)
                result = handler(srv.state, req)
                result = project(op.output_shape, copy.deepcopy(result)) if op.output_shape is not None else {}
                self._record(service, opname, req, result, None, key_rec)
        except ApiError as e:
            with srv.lock:
                self._record(service, opname, req, None, (e.code, e.message), key_rec)
            srv.stats.api_error(key, e.code)
            return self._json_error(service, e.code, e.message, e.status, rid, e.fields)
        if op.output_shape is not None and srv.cfg.check_responses:
            errs = []
            validate(op.output_shape, result, "", errs)
            if errs:
                srv.stats.response_error(key, "; ".join(errs))
        if srv.faults.roll("drop_after"):
            srv.stats.bump("dropped")
            return self._drop()
        if srv.faults.roll("error500_after"):
            srv.stats.bump("error500")
            return self._server_error(service, rid)
        self._send(200, result, rid=rid)

    def _record(self, service, opname, req, result, error, key_rec):
        """The call as a CloudTrail management event of the caller (cloudtrail.py)."""
        m = re.search(r"Credential=([^/,\s]+)/", self.headers.get("Authorization") or "")
        self.server.state.trail.record_call(service, opname, req, result, error, key_rec, m.group(1) if m else None,
                                            self.headers.get("User-Agent"), now())

    def _server_error(self, service, rid):
        if service == "sts":
            return self._send(500, sts_error_xml("InternalFailure", "Internal failure (injected)", rid, False),
                              "text/xml", rid)
        code = "ServiceException" if service == "organizations" else "InternalServerException"
        return self._json_error(service, code, "Internal failure (injected fault)", 500, rid)

    def _sts(self, action, p, key_rec, rid):
        srv = self.server
        st = srv.state
        if action == "AssumeRoleWithWebIdentity":
            want = srv.cfg.web_identity_token
            if want is not None and p.get("WebIdentityToken") != want:
                srv.stats.api_error("sts." + action, "InvalidIdentityToken")
                return self._send(400, sts_error_xml("InvalidIdentityToken", "Invalid web identity token", rid),
                                  "text/xml", rid)
            with srv.lock:
                creds = sts_issue(st, p["RoleArn"], p["RoleSessionName"], int(p.get("DurationSeconds", 3600)))
            inner = creds + "<SubjectFromWebIdentityToken>ci</SubjectFromWebIdentityToken>" \
                            "<Audience>sts.amazonaws.com</Audience><Provider>fake-oidc</Provider>"
        elif action == "AssumeRole":
            with srv.lock:
                creds = sts_issue(st, p["RoleArn"], p["RoleSessionName"], int(p.get("DurationSeconds", 3600)))
            inner = creds
        elif action == "GetCallerIdentity":
            inner = "<Arn>%s</Arn><UserId>%s</UserId><Account>%s</Account>" % (
                xml_escape(key_rec["arn"]), xml_escape(key_rec["user_id"]), key_rec["account"])
        else:
            msg = "STS action %s is not implemented by the fake" % action
            srv.stats.reject("validation", "sts." + action, msg)
            return self._send(400, sts_error_xml("InvalidAction", msg, rid), "text/xml", rid)
        xml = ("<%sResponse xmlns=\"%s\"><%sResult>%s</%sResult><ResponseMetadata><RequestId>%s</RequestId>"
               "</ResponseMetadata></%sResponse>" % (action, STS_NS, action, inner, action, rid, action))
        self._send(200, xml, "text/xml", rid)


# --------------------------------------------------------------------------

def write_atomic(path, text):
    tmp = path + ".tmp%d" % os.getpid()
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def parse_args(argv):
    ap = argparse.ArgumentParser(description="Strict fake AWS (identitystore, sso-admin, organizations, "
                                 "cloudtrail, sts) for tests")
    ap.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0 = pick a free one)")
    ap.add_argument("--port-file", help="write the chosen port here once listening")
    ap.add_argument("--pid-file", help="write this process's PID here")
    ap.add_argument("--models", default=DEFAULT_MODELS, help="vendored models dir (default: third_party/aws-models)")
    ap.add_argument("--region", default="us-east-1", help="region clients must sign for (organizations: us-east-1)")
    ap.add_argument("--page-size", type=int, default=2, help="items per list page (default 2)")
    ap.add_argument("--async-delay", type=float, default=0.2,
                    help="seconds before an async operation (assignment, provisioning) succeeds")
    ap.add_argument("--async-polls", type=int, default=0,
                    help="Describe*Status polls needed before an async operation can succeed")
    ap.add_argument("--rate-limit", type=float, default=0, help="requests/s per API family (token bucket); 0 = off")
    ap.add_argument("--cloudtrail-rate", type=float, default=2,
                    help="LookupEvents requests/s (CloudTrail's quota: 2 per account and region); 0 = off")
    ap.add_argument("--cloudtrail-page-size", type=int, default=50,
                    help="at most this many events per LookupEvents page (default 50, the API's maximum)")
    ap.add_argument("--faults", help='JSON, e.g. {"throttle":0.3,"error500":0.05,"drop":0.02,"latency_ms":0,"seed":1}')
    ap.add_argument("--seed-file", help="load this state JSON at start")
    ap.add_argument("--web-identity-token", help="token AssumeRoleWithWebIdentity must receive (default: any)")
    ap.add_argument("--access-key", dest="access_keys", action="append",
                    help="extra credential AKID:SECRET[:SESSION_TOKEN] (repeatable)")
    ap.add_argument("--no-check-responses", dest="check_responses", action="store_false",
                    help="do not validate the fake's own responses against the model")
    ap.add_argument("--verbose", action="store_true")
    return ap.parse_args(argv)


def main(argv=None):
    cfg = parse_args(argv if argv is not None else sys.argv[1:])
    srv = FakeServer(cfg)
    port = srv.server_address[1]

    def stop(signum, frame):
        threading.Thread(target=srv.shutdown, daemon=True).start()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if cfg.pid_file:
        write_atomic(cfg.pid_file, "%d\n" % os.getpid())
    if cfg.port_file:
        write_atomic(cfg.port_file, "%d\n" % port)
    log("listening on http://127.0.0.1:%d (pid %d)" % (port, os.getpid()))
    try:
        srv.serve_forever(poll_interval=0.2)
    finally:
        srv.server_close()
        for f in (cfg.port_file, cfg.pid_file):
            if f:
                try:
                    os.unlink(f)
                except OSError:
                    pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
