#!/bin/sh
# The CI recipes in examples/ci work with this build: every workflow file parses
# as YAML, and every `gatehouse <subcommand> [flags]` they run names a
# subcommand and flags that exist, with --format values the subcommand accepts
# (checked against `BINARY <subcommand> --help`).
# usage: ci_recipes.sh BINARY
set -eu
G=$(realpath "$1")
SRC=${GATEHOUSE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
exec /usr/bin/python3 - "$G" "$SRC/examples/ci" <<'PYEOF'
import pathlib, re, shlex, subprocess, sys
import yaml

binary, root = sys.argv[1], pathlib.Path(sys.argv[2])
errors = []

def help_text(*sub):
    r = subprocess.run([binary, *sub, "--help"], capture_output=True, text=True)
    if r.returncode != 0:
        return None
    return r.stdout

top = help_text()
assert top, "gatehouse --help failed"
subcommands = set(re.findall(r"(?m)^  ([a-z]+)\s", top.split("Subcommands:", 1)[1]))

# option name -> None for a flag, the set of allowed values, or "any" for a free value
def options_of(text):
    opts = {}
    for m in re.finditer(r"(?m)^\s+(?:-\w,)?(--[\w-]+)(?: (\S+))?", text.split("Options:", 1)[1]):
        name, kind = m.group(1), m.group(2)
        if kind is None:
            opts[name] = None
        else:
            allowed = re.search(r"\{([^}]*)\}", kind)
            opts[name] = set(allowed.group(1).split(",")) if allowed else "any"
    return opts

options = {"": options_of(top)}
for s in subcommands:
    options[s] = options_of(help_text(s))

SHELL_KEYS = {"run", "script", "before_script", "after_script"}

def snippets(node, where):
    """Shell text the CI system runs: GitHub `run`, GitLab `script`, pre-commit `entry` + `args`."""
    if isinstance(node, dict):
        if "entry" in node and isinstance(node["entry"], str):
            yield where + "/entry", node["entry"] + " " + " ".join(shlex.quote(str(a)) for a in node.get("args", []))
        for k, v in node.items():
            if k in SHELL_KEYS:
                for s in (v if isinstance(v, list) else [v]):
                    if isinstance(s, str):
                        yield f"{where}/{k}", s
            else:
                yield from snippets(v, f"{where}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from snippets(v, f"{where}[{i}]")

OPERATORS = {";", "&&", "||", "|", "&", "(", ")", ">", ">>", "<", "2>", "|&"}

def invocations(text):
    text = text.replace("\\\n", " ")
    for line in text.splitlines():
        try:
            lex = shlex.shlex(line, posix=True, punctuation_chars=";&|()<>")
            lex.whitespace_split = True
            lex.commenters = "#"
            tokens = list(lex)
        except ValueError:
            tokens = line.split()
        for i, t in enumerate(tokens):
            if t != "gatehouse" and not t.endswith("/gatehouse"):
                continue
            if i > 0 and tokens[i - 1] not in OPERATORS | {"then", "do", "!", "if", "exec", "sudo", "time", "else"}:
                continue
            args = []
            for a in tokens[i + 1:]:
                if a in OPERATORS or re.fullmatch(r"[;&|()<>]+", a):
                    break
                args.append(a)
            yield line.strip(), args

files = sorted(p for p in root.rglob("*") if p.is_file() and re.search(r"\.ya?ml$", p.name))
if not files:
    errors.append(f"no YAML files under {root}")
seen = set()
docs = {}
for path in files:
    rel = path.relative_to(root)
    try:
        doc = yaml.safe_load(path.read_text())
    except yaml.YAMLError as e:
        errors.append(f"{rel}: not valid YAML: {e}")
        continue
    docs[path] = doc
    for where, text in snippets(doc, str(rel)):
        for line, args in invocations(text):
            sub = ""
            if args and not args[0].startswith("-"):
                sub, args = args[0], args[1:]
                if sub not in subcommands:
                    errors.append(f"{where}: `{line}`: no subcommand '{sub}'")
                    continue
            seen.add(sub)
            opts = options[sub]
            j = 0
            while j < len(args):
                a = args[j]
                j += 1
                if not a.startswith("--"):
                    continue
                name, eq, value = a.partition("=")
                if name not in opts:
                    errors.append(f"{where}: `{line}`: '{sub or 'gatehouse'}' has no option {name}")
                    continue
                kind = opts[name]
                if kind is None:
                    if eq:
                        errors.append(f"{where}: `{line}`: {name} takes no value")
                    continue
                if not eq:
                    if j >= len(args) or args[j].startswith("--"):
                        errors.append(f"{where}: `{line}`: {name} needs a value")
                        continue
                    value = args[j]
                    j += 1
                if isinstance(kind, set) and "$" not in value and value not in kind:
                    errors.append(f"{where}: `{line}`: {name} {value} is not one of {sorted(kind)}")

# GitHub workflows: actions pinned to a version; OIDC credentials need id-token: write.
def uses(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "uses" and isinstance(v, str):
                yield v
            else:
                yield from uses(v)
    elif isinstance(node, list):
        for v in node:
            yield from uses(v)

for path, doc in docs.items():
    rel = path.relative_to(root)
    if not (isinstance(doc, dict) and "jobs" in doc and rel.parts[0] == "github"):
        continue
    actions = list(uses(doc))
    for a in actions:
        if not a.startswith("./") and "@" not in a:
            errors.append(f"{rel}: action {a} is not pinned to a version")
    if any(a.startswith("aws-actions/configure-aws-credentials@") for a in actions):
        if (doc.get("permissions") or {}).get("id-token") != "write":
            errors.append(f"{rel}: OIDC credentials need permissions id-token: write")
        for step in (s for job in doc["jobs"].values() for s in job.get("steps", [])):
            if str(step.get("uses", "")).startswith("aws-actions/configure-aws-credentials@"):
                if "role-to-assume" not in (step.get("with") or {}):
                    errors.append(f"{rel}: configure-aws-credentials without role-to-assume")
all_actions = {a.split("@")[0] for d in docs.values() for a in uses(d)}
for wanted in ("github/codeql-action/upload-sarif", "actions/github-script", "actions/upload-artifact",
               "actions/download-artifact", "aws-actions/configure-aws-credentials"):
    if wanted not in all_actions:
        errors.append(f"no GitHub recipe uses {wanted}")

for wanted in ("validate", "lint", "plan", "apply", "drift"):
    if wanted not in seen:
        errors.append(f"no recipe runs 'gatehouse {wanted}'")

for e in errors:
    print("FAIL:", e, file=sys.stderr)
if errors:
    sys.exit(1)
print(f"ci recipes: ok ({len(files)} YAML files, subcommands used: {', '.join(sorted(s for s in seen if s))})")
PYEOF
