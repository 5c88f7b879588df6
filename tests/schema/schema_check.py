#!/usr/bin/python3
"""Checks Gatehouse YAML/JSON documents against the JSON Schemas in schemas/.

    schema_check.py check-schema SCHEMA...          the schemas are valid draft-07
    schema_check.py valid SCHEMA FILE...             every file validates (exit 1 if not)
    schema_check.py invalid SCHEMA FILE...           every file is rejected (exit 1 if one passes)

YAML is read with YAML 1.2 core-schema typing, as yaml-language-server reads it
(and as Gatehouse's own parser treats scalars): `off`, `yes`, `no` are strings,
an unquoted `2027-01-31` is a string, not a date. PyYAML's defaults are YAML 1.1,
which would make `off` the boolean false and dates `datetime.date` values.
Needs Debian's python3-yaml and python3-jsonschema.
"""
import json
import re
import sys

import jsonschema
import yaml


class Yaml12Loader(yaml.SafeLoader):
    """SafeLoader with the YAML 1.2 core schema's implicit types."""


Yaml12Loader.yaml_implicit_resolvers = {}
for _tag, _rx, _first in [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     list("-+.0123456789")),
]:
    Yaml12Loader.add_implicit_resolver(_tag, re.compile(_rx), _first)


def _int12(loader, node):
    v = loader.construct_scalar(node)
    if v.startswith("0o"):
        return int(v[2:], 8)
    if v.startswith("0x"):
        return int(v[2:], 16)
    return int(v)


def _bool12(loader, node):
    return loader.construct_scalar(node).lower() == "true"


Yaml12Loader.add_constructor("tag:yaml.org,2002:int", _int12)
Yaml12Loader.add_constructor("tag:yaml.org,2002:bool", _bool12)


def load(path):
    with open(path, "rb") as f:
        data = f.read()
    if path.endswith(".json"):
        return json.loads(data.decode("utf-8"))
    return yaml.load(data.decode("utf-8-sig"), Loader=Yaml12Loader)


def validator(schema_path):
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    return jsonschema.Draft7Validator(schema)


def errors_of(v, path):
    try:
        doc = load(path)
    except Exception as e:  # a YAML error is a rejection too
        return ["cannot read: %s" % str(e).replace("\n", " ")]
    return ["%s: %s" % ("/".join(str(p) for p in e.absolute_path) or "(root)", e.message[:200])
            for e in sorted(v.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))]


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, rest = argv[1], argv[2:]
    if cmd == "check-schema":
        bad = 0
        for p in rest:
            with open(p, encoding="utf-8") as f:
                schema = json.load(f)
            try:
                jsonschema.Draft7Validator.check_schema(schema)
                print("ok   valid draft-07 schema: %s" % p)
            except jsonschema.SchemaError as e:
                print("FAIL not a valid draft-07 schema: %s: %s" % (p, e.message))
                bad += 1
        return 1 if bad else 0
    v = validator(rest[0])
    bad = 0
    for p in rest[1:]:
        errs = errors_of(v, p)
        if cmd == "valid":
            if errs:
                bad += 1
                print("FAIL %s does not validate:" % p)
                for e in errs[:8]:
                    print("       " + e)
            else:
                print("ok   validates: %s" % p)
        elif cmd == "invalid":
            if errs:
                print("ok   rejected: %s (%s)" % (p, errs[0][:120]))
            else:
                bad += 1
                print("FAIL %s validates but the loader rejects it" % p)
        else:
            print("unknown command %s" % cmd, file=sys.stderr)
            return 2
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
