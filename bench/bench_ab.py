#!/usr/bin/env python3
"""bench_ab.py -- is build B faster than build A?  Paired runs of costprof
from two build trees on one of bench.py's workloads.

A machine shared with others drifts by several per cent from minute to
minute, so a best-of-N per build cannot tell a 2% change from noise.  Here
each pair runs A then B (or B then A, alternately) back to back, and what
is reported is the median and quartiles of the B/A CPU-time ratios: drift
between pairs cancels, and the quartiles say how far to trust the median.
Interference only ever slows a run, so each build's lowest times are
printed too: when the quartiles are wide, they are the steadier figure.

    python3 bench/bench_ab.py BUILD_A BUILD_B [--workload python3]
        [--pairs 8] [-- costprof options]

Both builds are folders where `make` has run (each has vg-in-place).
Default options: --cache-sim=yes with bench.py's cache geometry.
"""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (the workloads and their inputs)


def cpu_time(cmd, cwd):
    """User + system CPU seconds of one run (a failed run ends the bench)."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        last = (p.stderr.decode(errors="replace").strip().splitlines()
                or ["exit status %d" % p.returncode])[-1]
        sys.exit("bench_ab: %s failed: %s" % (" ".join(cmd), last))
    return (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)


def quartiles(xs):
    xs = sorted(xs)
    at = lambda f: xs[min(len(xs) - 1, int(f * len(xs)))]
    return at(0.25), statistics.median(xs), at(0.75)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("build_a")
    ap.add_argument("build_b")
    ap.add_argument("--workload", default="python3",
                    choices=sorted(bench.WORKLOADS))
    ap.add_argument("--pairs", type=int, default=8)
    ap.add_argument("--quick", action="store_true", help="smaller inputs")
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:  # costprof options follow
        extra = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    args = ap.parse_args(argv)
    if args.pairs < 1:
        sys.exit("bench_ab: --pairs must be at least 1")
    vgs = []
    for b in (args.build_a, args.build_b):
        vg = os.path.join(os.path.abspath(b), "vg-in-place")
        if not os.path.exists(vg):
            sys.exit("bench_ab: %s is missing: build there first" % vg)
        vgs.append(vg)
    opts = extra or ["--cache-sim=yes"] + bench.CACHE_GEOM
    d = tempfile.mkdtemp(prefix="cp-bench-ab-")
    try:
        bench.make_inputs(d, args.quick)
        out = os.path.join(d, "cp.out")
        cmds = [[vg, "--tool=costprof", "--costprof-out-file=" + out] + opts
                + bench.WORKLOADS[args.workload] for vg in vgs]
        ta, tb, ratios = [], [], []
        for i in range(args.pairs):
            if i % 2 == 0:
                a = cpu_time(cmds[0], d)
                b = cpu_time(cmds[1], d)
            else:
                b = cpu_time(cmds[1], d)
                a = cpu_time(cmds[0], d)
            ta.append(a)
            tb.append(b)
            ratios.append(b / a)
    finally:
        shutil.rmtree(d, ignore_errors=True)
    q1, med, q3 = quartiles(ratios)
    low_a, low_b = sorted(ta)[:3], sorted(tb)[:3]
    print("%s, %d pairs, CPU time (s)" % (args.workload, args.pairs))
    print("B/A: median %.3f (quartiles %.3f-%.3f)" % (med, q1, q3))
    print("lowest: A %s, B %s; B/A of the lowest %.3f"
          % (" ".join("%.2f" % t for t in low_a),
             " ".join("%.2f" % t for t in low_b), low_b[0] / low_a[0]))


if __name__ == "__main__":
    main()
