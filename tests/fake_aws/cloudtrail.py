"""The fake AWS's CloudTrail: a record of every call the fake serves, records
injected by tests, and LookupEvents over them, as CloudTrail does it
(shapes: ../../../shared/spec/CLOUDTRAIL-NOTES.md).

- Every JSON 1.1 call the fake answers (identitystore, sso-admin,
  organizations, cloudtrail) becomes a management event of the caller's
  identity (`userIdentity` AssumedRole / IAMUser / Root from the credential's
  ARN), with `requestParameters` and `responseElements` in lower camel case;
  Identity Store hides a user's personal data and omits a group's displayName,
  as the real service does. Failed calls carry `errorCode`/`errorMessage`.
- Tests inject records (usage events, SCIM writes, old events) through
  `POST /_fake/cloudtrail` ({"Records": [...]}) or the seed's "cloudtrail" list.
- LookupEvents: at most one lookup attribute, MaxResults 1-50 (pages of at most
  `page_size`), newest first, StartTime/EndTime inclusive, only the last 90 days
  and management events, NextToken valid only with the same parameters.
  The 2 requests/s quota is enforced by the server (ThrottlingException).
"""

import base64
import datetime
import hashlib
import json
import threading
import uuid

RETENTION = 90 * 86400
HIDDEN = "HIDDEN_DUE_TO_SECURITY_REASONS"
EVENT_SOURCES = {"identitystore": "identitystore.amazonaws.com", "sso-admin": "sso.amazonaws.com",
                 "organizations": "organizations.amazonaws.com", "cloudtrail": "cloudtrail.amazonaws.com",
                 "sts": "sts.amazonaws.com"}
READ_PREFIXES = ("List", "Describe", "Get", "IsMember", "Lookup")
# Identity Store request members that hold a user's personal data.
USER_PERSONAL = {"userName", "name", "displayName", "nickName", "profileUrl", "emails", "addresses",
                 "phoneNumbers", "title", "photos", "website", "birthdate", "preferredLanguage", "locale",
                 "timezone", "userType", "roles", "extensions"}


class TrailError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def iso(ts):
    return datetime.datetime.fromtimestamp(int(ts), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(s):
    s = s.strip()
    if s.endswith("Z"):
        s = s[:-1] + "+00:00"
    t = datetime.datetime.fromisoformat(s)
    if t.tzinfo is None:
        t = t.replace(tzinfo=datetime.timezone.utc)
    return int(t.timestamp())


def lower_camel(value):
    """Request members as CloudTrail spells them: PermissionSetArn -> permissionSetArn, recursively."""
    if isinstance(value, dict):
        return {(k[:1].lower() + k[1:]): lower_camel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [lower_camel(v) for v in value]
    return value


def is_read(opname):
    return opname.startswith(READ_PREFIXES)


def user_identity(key_rec, access_key_id, now):
    """userIdentity of a credential, from its ARN: AssumedRole, IAMUser or Root."""
    arn = key_rec.get("arn", "")
    acct = key_rec.get("account", "")
    pid = key_rec.get("user_id", "")
    if ":assumed-role/" in arn:
        role, _, session = arn.split(":assumed-role/", 1)[1].partition("/")
        role_id = pid.split(":")[0] if pid.startswith("AROA") else \
            "AROA" + hashlib.sha1(role.encode()).hexdigest()[:17].upper()
        role_path = "/aws-reserved/sso.amazonaws.com/" if role.startswith("AWSReservedSSO_") else "/"
        return {"type": "AssumedRole", "principalId": "%s:%s" % (role_id, session), "arn": arn,
                "accountId": acct, "accessKeyId": access_key_id,
                "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": role_id,
                                                     "arn": "arn:aws:iam::%s:role%s%s" % (acct, role_path, role),
                                                     "accountId": acct, "userName": role},
                                   "attributes": {"creationDate": iso(now), "mfaAuthenticated": "false"}}}
    if arn.endswith(":root"):
        return {"type": "Root", "principalId": acct, "arn": arn, "accountId": acct, "accessKeyId": access_key_id}
    return {"type": "IAMUser", "principalId": pid, "arn": arn, "accountId": acct, "accessKeyId": access_key_id,
            "userName": arn.rsplit("/", 1)[-1]}


def lookup_username(rec):
    """LookupEvents' Username: the session name of a role, an IAM user's name, root."""
    ui = rec.get("userIdentity") or {}
    t = ui.get("type")
    if t == "AssumedRole":
        return ui.get("arn", "").rsplit("/", 1)[-1]
    if t == "Root":
        return "root"
    return ui.get("userName")


def request_parameters(service, opname, req):
    params = lower_camel(req or {})
    if service == "identitystore" and opname in ("CreateUser", "UpdateUser"):
        for k in list(params):
            if k in USER_PERSONAL:
                params[k] = HIDDEN
        for op in params.get("operations", []):
            op["attributeValue"] = HIDDEN
    if service == "identitystore" and opname in ("CreateGroup", "UpdateGroup"):
        params.pop("displayName", None)   # omitted since 2025
        for op in params.get("operations", []):
            if op.get("attributePath", "").lower() == "displayname":
                op.pop("attributeValue", None)
    return params or None


class CloudTrail:
    def __init__(self, region, account, page_size=50):
        self.region = region
        self.account = account
        self.page_size = page_size
        self.lock = threading.Lock()
        self.events = []   # (epoch seconds, sequence, record)
        self.seq = 0

    # -- recording
    def _add(self, rec):
        ts = parse_time(rec["eventTime"])
        with self.lock:
            self.seq += 1
            self.events.append((ts, self.seq, rec))

    def record_call(self, service, opname, req, response, error, key_rec, access_key_id, user_agent, now):
        """One served call as a management event. `error` is (code, message) or None."""
        rec = {"eventVersion": "1.08", "userIdentity": user_identity(key_rec or {}, access_key_id, now),
               "eventTime": iso(now), "eventSource": EVENT_SOURCES[service], "eventName": opname,
               "awsRegion": "us-east-1" if service == "organizations" else self.region,
               "sourceIPAddress": "127.0.0.1", "userAgent": user_agent or "",
               "requestParameters": request_parameters(service, opname, req),
               "responseElements": None if error or is_read(opname) else (lower_camel(response) or None),
               "requestID": str(uuid.uuid4()), "eventID": str(uuid.uuid4()), "readOnly": is_read(opname),
               "eventType": "AwsApiCall", "managementEvent": True,
               "recipientAccountId": (key_rec or {}).get("account", self.account), "eventCategory": "Management"}
        if error:
            rec["errorCode"], rec["errorMessage"] = error
        self._add(rec)

    def inject(self, records, now):
        """Test records: missing eventID/eventTime/... are filled in. Returns how many."""
        if not isinstance(records, list):
            raise ValueError("expected {\"Records\": [...]}")
        for r in records:
            if not isinstance(r, dict) or "eventName" not in r or "eventSource" not in r:
                raise ValueError("a record needs eventSource and eventName: %r" % (r,))
            r = dict(r)
            r.setdefault("eventVersion", "1.08")
            r.setdefault("eventTime", iso(now))
            r.setdefault("eventID", str(uuid.uuid4()))
            r.setdefault("awsRegion", self.region)
            r.setdefault("recipientAccountId", self.account)
            r.setdefault("eventType", "AwsApiCall")
            r.setdefault("managementEvent", True)
            r.setdefault("readOnly", is_read(r["eventName"]))
            r.setdefault("eventCategory", "Management")
            self._add(r)
        return len(records)

    def dump(self):
        with self.lock:
            return [rec for _, _, rec in sorted(self.events, key=lambda e: (e[0], e[1]))]

    # -- LookupEvents
    @staticmethod
    def _matches(rec, attr):
        if attr is None:
            return True
        key, want = attr["AttributeKey"], attr["AttributeValue"]
        if key == "EventId":
            return rec.get("eventID") == want
        if key == "EventName":
            return rec.get("eventName") == want
        if key == "EventSource":
            return rec.get("eventSource") == want
        if key == "ReadOnly":
            return str(bool(rec.get("readOnly"))).lower() == want.lower()
        if key == "Username":
            return lookup_username(rec) == want
        if key == "AccessKeyId":
            return (rec.get("userIdentity") or {}).get("accessKeyId") == want
        return any(r.get(key[0].lower() + key[1:]) == want for r in rec.get("resources") or [])

    @staticmethod
    def _query_digest(req):
        q = {k: v for k, v in req.items() if k != "NextToken"}
        return hashlib.sha256(json.dumps(q, sort_keys=True).encode()).hexdigest()[:16]

    def _after(self, req):
        tok = req.get("NextToken")
        if tok is None:
            return None
        try:
            d = json.loads(base64.b64decode(tok, validate=True))
            ok = d["q"] == self._query_digest(req)
            pos = (int(d["t"]), int(d["s"]))
        except Exception:
            ok = False
        if not ok:
            raise TrailError("InvalidNextTokenException",
                             "Invalid NextToken: it must be passed with the parameters of the original call")
        return pos

    def lookup(self, req, now):
        attrs = req.get("LookupAttributes") or []
        if len(attrs) > 1:
            raise TrailError("InvalidLookupAttributesException",
                             "You cannot specify more than one lookup attribute (got %d)" % len(attrs))
        start, end = req.get("StartTime"), req.get("EndTime")
        if start is not None and end is not None and start > end:
            raise TrailError("InvalidTimeRangeException", "Start time must not be after end time")
        if start is not None and start < now - RETENTION - 3600:
            raise TrailError("InvalidTimeRangeException",
                             "Start time %s is outside the 90 days LookupEvents covers" % iso(start))
        after = self._after(req)
        size = min(req.get("MaxResults") or 50, self.page_size)
        attr = attrs[0] if attrs else None
        with self.lock:
            events = sorted(self.events, key=lambda e: (e[0], e[1]), reverse=True)
        if req.get("EventCategory") == "insight":
            events = []
        hits = [e for e in events if e[2].get("managementEvent", True) and e[0] >= now - RETENTION
                and (start is None or e[0] >= int(start)) and (end is None or e[0] <= end)
                and (after is None or (e[0], e[1]) < after) and self._matches(e[2], attr)]
        page = hits[:size]
        out = {"Events": [self._event(rec, ts) for ts, _, rec in page]}
        if len(hits) > size:
            last = page[-1]
            out["NextToken"] = base64.b64encode(json.dumps(
                {"q": self._query_digest(req), "t": last[0], "s": last[1]}).encode()).decode()
        return out

    @staticmethod
    def _event(rec, ts):
        ev = {"EventId": rec.get("eventID"), "EventName": rec.get("eventName"),
              "ReadOnly": str(bool(rec.get("readOnly"))).lower(), "EventTime": ts,
              "EventSource": rec.get("eventSource"), "Resources": [],
              "CloudTrailEvent": json.dumps(rec)}
        ak = (rec.get("userIdentity") or {}).get("accessKeyId")
        if ak:
            ev["AccessKeyId"] = ak
        name = lookup_username(rec)
        if name:
            ev["Username"] = name
        return ev
