"""Shared helpers for the tests: where the build is, how to run the tool,
the oracles and the scripts, and a small callgrind-format reader that is
independent of the product's own parser (so tests do not trust the code
they test)."""
import os
import subprocess
import sys

TESTS = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.path.dirname(TESTS)
BUILDDIR = os.environ.get("COSTPROF_BUILDDIR", SRCDIR)


def script_cmd(name):
    """Command list that runs script NAME (costprof_annotate, ...): the
    configured one in the build tree, else its template with python3."""
    built = os.path.join(BUILDDIR, "auto-scripts", name)
    if os.path.exists(built):
        return [sys.executable, built]
    return [sys.executable, os.path.join(SRCDIR, "auto-scripts", name + ".in")]


def run_script(name, args, **kw):
    kw.setdefault("capture_output", True)
    kw.setdefault("text", True)
    return subprocess.run(script_cmd(name) + list(args), **kw)


def read_profile(path):
    """Minimal independent callgrind-format reader for the oracle tests.
    Returns dict with 'events', 'summary', 'totals', 'self' {(obj, fn): [costs]},
    'ctx_self' {(obj, full name): [costs]}, 'calls' list of
    (caller obj, caller full name, callee obj, callee full name, count, [incl])."""
    names = {"ob": {}, "fl": {}, "fn": {}}
    kind_of = {"ob": "ob", "cob": "ob", "fl": "fl", "fi": "fl", "fe": "fl",
               "cfi": "fl", "cfl": "fl", "fn": "fn", "cfn": "fn"}
    res = {"events": [], "summary": None, "totals": None, "self": {},
           "ctx_self": {}, "calls": []}
    ob = fn = cob = cfn = None
    pending_call = None
    npos = 1

    def name(key, val):
        tab = names[kind_of[key]]
        if val.startswith("("):
            close = val.index(")")
            num = val[1:close]
            rest = val[close + 1:].strip()
            if rest:
                tab[num] = rest
            return tab[num]
        return val

    def add(d, k, costs):
        cur = d.setdefault(k, [0] * len(res["events"]))
        for i, c in enumerate(costs):
            cur[i] += c

    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            if line[0].isdigit() or line[0] in "+-*":
                parts = line.split()
                costs = [int(x) for x in parts[npos:]]
                costs += [0] * (len(res["events"]) - len(costs))
                if pending_call is not None:
                    res["calls"].append((ob, fn, cob or ob, cfn, pending_call, costs))
                    pending_call = None
                else:
                    add(res["self"], (ob, fn.split("'")[0]), costs)
                    add(res["ctx_self"], (ob, fn), costs)
                continue
            key, _, val = line.partition("=")
            if key in kind_of and "=" in line:
                v = name(key, val)
                if key == "ob":
                    ob = v
                elif key == "fn":
                    fn = v
                    cob = None
                elif key == "cob":
                    cob = v
                elif key == "cfn":
                    cfn = v
                continue
            if line.startswith("calls="):
                pending_call = int(line[6:].split()[0])
                continue
            key, _, val = line.partition(":")
            val = val.strip()
            if key == "events":
                res["events"] = val.split()
            elif key == "positions":
                npos = len(val.split())
            elif key in ("summary", "totals"):
                res[key] = [int(x) for x in val.split()]
    return res
