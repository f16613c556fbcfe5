"""Shared helpers for the tests: where the build is, how to run the tool,
the oracles and the scripts, and a small callgrind-format reader that is
independent of the product's own parser (so tests do not trust the code
they test)."""
import os
import re
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
        m = re.match(r"\((\d+)\)(.*)$", val)
        if m:   # name compression; "(below main)" is a plain name
            num, rest = m.group(1), m.group(2).strip()
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


# ---- running the tool and the oracles ----

import tempfile  # noqa: E402


def prog(name):
    """Path of test program NAME, built by make check."""
    path = os.path.join(BUILDDIR, "tests", "progs", name)
    if not os.path.exists(path):
        raise AssertionError("%s is missing: run 'make check' (it builds the "
                             "test programs)" % path)
    return path


def valgrind(tool, argv, opts=(), cwd=None, env=None):
    """Runs valgrind with TOOL through the build tree's tool folder, with
    stdin from /dev/null and stdout/stderr captured, the same for costprof
    and the oracles so that the client behaves identically."""
    cmd = [os.path.join(BUILDDIR, "vg-in-place"), "--tool=" + tool]
    cmd += list(opts) + list(argv)
    return subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, env=env,
                          errors="replace")


def profile_run(tool, argv, opts=(), cwd=None, env=None):
    """Runs TOOL (costprof or callgrind) and returns (completed, profile)."""
    cwd = cwd or tempfile.mkdtemp(prefix="cp-test-")
    out = os.path.join(cwd, tool + ".out")
    flag = "--costprof-out-file=" if tool == "costprof" else "--callgrind-out-file="
    cp = valgrind(tool, argv, [flag + out] + list(opts), cwd=cwd, env=env)
    if cp.returncode != 0 or not os.path.exists(out):
        raise AssertionError("%s failed (%d): %s" % (tool, cp.returncode, cp.stderr[-2000:]))
    return cp, read_profile(out), out


def inclusive(p, event=0):
    """Per-function inclusive cost the way callgrind_annotate sums it: self
    plus the calls to other functions (calls to itself left out)."""
    d = {}
    for k, v in p["self"].items():
        d[k] = d.get(k, 0) + v[event]
    for (ob, fn, cob, cfn, cnt, costs) in p["calls"]:
        f, cf = fn.split("'")[0], cfn.split("'")[0]
        if (ob, f) != (cob, cf):
            d[(ob, f)] = d.get((ob, f), 0) + costs[event]
    return d


def self_by_name(p, event=0):
    """Self cost per function name, summed over objects and contexts."""
    d = {}
    for (ob, fn), v in p["self"].items():
        d[fn] = d.get(fn, 0) + v[event]
    return d


import shutil  # noqa: E402
import unittest  # noqa: E402


class TempDirTest(unittest.TestCase):
    """A test case with a temporary folder (self.tmp), removed afterwards,
    and write(name, text) to put a file in it."""
    prefix = "cp-test-"

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix=self.prefix)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def write(self, name, text):
        p = os.path.join(self.tmp, name)
        with open(p, "w") as f:
            f.write(text)
        return p
