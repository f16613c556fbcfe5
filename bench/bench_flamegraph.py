#!/usr/bin/env python3
"""Benchmark of costprof_flamegraph (issue 7): generates a synthetic path
profile with 100,000 distinct call paths (callgrind format, costprof's
callee'caller'... names), then times the SVG and the --folded output and
prints seconds and output sizes.  Goal: a few seconds each.

usage: bench/bench_flamegraph.py [PATHS]   (default 100000)"""
import os
import random
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))
from cputil import script_cmd  # noqa: E402


def write_profile(path, npaths, seed=1):
    """NPATHS leaf paths main;l1_x;l2_y;...; every prefix is a context too,
    so the profile holds about NPATHS * 1.1 contexts.  Costs are skewed
    (a few hot paths, a long tail) as in real programs."""
    rng = random.Random(seed)
    fan = 10
    depth = 1
    while fan ** depth < npaths:
        depth += 1
    contexts = {}
    for i in range(npaths):
        stack = ["main"]
        n = i
        for lvl in range(depth):
            stack.append("mod%d::func_%d_%d" % (lvl % 3, lvl, n % fan))
            n //= fan
        cost = int(1000 * rng.paretovariate(1.2))
        for k in range(1, len(stack) + 1):
            key = tuple(stack[:k])
            contexts[key] = contexts.get(key, 0) + (cost if k == len(stack)
                                                    else rng.randint(0, 3))
    total_ir = sum(contexts.values())
    total_dr = sum(ir // 4 for ir in contexts.values())
    with open(path, "w") as f:
        f.write("# callgrind format\nversion: 1\ncreator: costprof-bench\n"
                "cmd: synthetic\npositions: line\nevents: Ir Dr\n"
                "summary: %d %d\n\nob=/bin/synthetic\nfl=synthetic.c\n"
                % (total_ir, total_dr))
        for key, ir in contexts.items():
            f.write("fn=%s\n%d %d %d\n" % ("'".join(reversed(key)),
                                           len(key), ir, ir // 4))
        f.write("totals: %d %d\n" % (total_ir, total_dr))
    return len(contexts), total_ir


def timed(args):
    t = time.perf_counter()
    r = subprocess.run(script_cmd("costprof_flamegraph") + args,
                       capture_output=True, text=True)
    dt = time.perf_counter() - t
    if r.returncode:
        sys.exit("costprof_flamegraph failed: " + r.stderr)
    return dt


def main(argv):
    npaths = int(argv[1]) if len(argv) > 1 else 100000
    with tempfile.TemporaryDirectory(prefix="cpbench") as tmp:
        prof = os.path.join(tmp, "synthetic.out")
        nctx, total = write_profile(prof, npaths)
        print("profile: %d paths, %d contexts, %.1f MB, Ir total %d"
              % (npaths, nctx, os.path.getsize(prof) / 1e6, total))
        svg = os.path.join(tmp, "out.svg")
        fold = os.path.join(tmp, "out.folded")
        for label, args, out in (
                ("svg (min-width 0.1)", [prof, "-o", svg], svg),
                ("svg --inverted", [prof, "--inverted", "-o", svg], svg),
                ("folded", [prof, "--folded", "-o", fold], fold)):
            dt = timed(args)
            print("%-22s %6.2f s  %8.1f KB" % (label, dt,
                                              os.path.getsize(out) / 1e3))
        with open(fold) as f:
            s = sum(int(line.rsplit(" ", 1)[1]) for line in f)
        print("folded sum %s the total" % ("equals" if s == total
                                          else "DIFFERS FROM"))


if __name__ == "__main__":
    main(sys.argv)
