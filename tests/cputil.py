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
