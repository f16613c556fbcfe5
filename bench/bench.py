#!/usr/bin/env python3
"""bench.py -- costprof's speed against native, --tool=none, callgrind and
cachegrind on the same real workloads, in one run.

Prints, per workload, each configuration's wall time (best of --repeat
rounds, each round running every configuration once), its slowdown against
native, costprof's time as a ratio of callgrind's (and of cachegrind's for
the cache configurations) -- of the best times, and with --repeat > 1 the
range and median of the same ratio within each round --; with --tool=none
among the configurations, the ratio of what each tool adds to none's time;
and the peak memory of every run.
Run from a build tree:  python3 bench/bench.py [--repeat N] [--quick]
"""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BUILDDIR = os.environ.get("COSTPROF_BUILDDIR", os.path.dirname(HERE))
VG = os.path.join(BUILDDIR, "vg-in-place")

PY_SCRIPT = r'''
import json
def fib(n): return n if n < 2 else fib(n - 1) + fib(n - 2)
class Node:
    def __init__(self, v, kids): self.v, self.kids = v, kids
    def total(self): return self.v + sum(k.total() for k in self.kids)
def build(d): return Node(d, [build(d - 1) for _ in range(3)] if d else [])
data = [{"k": i, "s": str(i) * 3} for i in range(20000)]
json.loads(json.dumps(data))
print(fib(22), build(7).total())
'''

SQL = r'''
CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c REAL);
WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 60000)
INSERT INTO t SELECT x, printf('row-%d-%s', x, hex(randomblob(8))), x * 0.5 FROM n;
CREATE INDEX tb ON t(b);
SELECT count(*), sum(c) FROM t WHERE b LIKE 'row-1%';
SELECT b FROM t ORDER BY c DESC LIMIT 5;
UPDATE t SET c = c * 2 WHERE a % 7 = 0;
SELECT avg(c) FROM t GROUP BY a % 10;
'''


def make_inputs(d, quick):
    words = ["alpha", "beta", "gamma", "delta", "profile", "cache", "valgrind"]
    n = 150000 if quick else 600000
    with open(os.path.join(d, "text.txt"), "w") as f:
        seed = 1
        out = []
        for _ in range(n):
            seed = (seed * 1103515245 + 12345) & 0x7fffffff
            out.append(words[seed % len(words)])
        f.write(" ".join(out))
    with open(os.path.join(d, "work.py"), "w") as f:
        f.write(PY_SCRIPT)
    with open(os.path.join(d, "work.sql"), "w") as f:
        f.write(SQL)


WORKLOADS = {
    "xz": ["/usr/bin/xz", "-c", "-6", "text.txt"],
    "python3": ["/usr/bin/python3", "work.py"],
    "sqlite3": ["/usr/bin/sqlite3", ":memory:", ".read work.sql"],
}

# name -> valgrind options (None: native).  Every tool formats and writes
# its whole profile, and every one to /dev/null: a real file costs costprof
# (22 MB on python3) 10-15 ms of the file system that the oracles, writing
# to /dev/null, did not pay.
CONFIGS = [
    ("native", None),
    ("none", ["--tool=none"]),
    ("callgrind", ["--tool=callgrind", "--callgrind-out-file=/dev/null"]),
    ("cachegrind", ["--tool=cachegrind", "--cache-sim=no",
                    "--cachegrind-out-file=/dev/null"]),
    ("costprof", ["--tool=costprof", "--costprof-out-file=/dev/null"]),
    ("callgrind+cache", ["--tool=callgrind", "--cache-sim=yes",
                         "--callgrind-out-file=/dev/null"]),
    ("cachegrind+cache", ["--tool=cachegrind", "--cache-sim=yes",
                          "--vex-guest-chase=no",
                          "--cachegrind-out-file=/dev/null"]),
    ("costprof+cache", ["--tool=costprof", "--cache-sim=yes",
                        "--costprof-out-file=/dev/null"]),
    ("costprof+alloc", ["--tool=costprof", "--alloc=yes",
                        "--costprof-out-file=/dev/null"]),
]

# The cache configurations' geometry, the same on every machine, so that
# runs on different hosts compare (--host-geometry leaves it to each tool).
CACHE_GEOM = ["--I1=32768,8,64", "--D1=32768,8,64", "--LL=8388608,16,64"]


def run_once(cmd, cwd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    t = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if p.returncode != 0:
        raise RuntimeError("%s failed: %s" % (" ".join(cmd), p.stderr[-500:]))
    return t, max(rss, before)


def peak_rss(cmd, cwd):
    """Peak RSS in KB of one run, measured with /usr/bin/time when present."""
    if not shutil.which("time") and not os.path.exists("/usr/bin/time"):
        return None
    p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, cwd=cwd,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    try:
        return int(p.stderr.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="smaller inputs")
    ap.add_argument("--only", help="comma-separated configuration names")
    ap.add_argument("--host-geometry", action="store_true",
                    help="cache configurations without --I1/--D1/--LL: "
                    "every tool takes the host's caches, as a plain run does")
    ap.add_argument("--workloads", help="comma-separated workload names "
                    "(%s)" % ", ".join(WORKLOADS))
    args = ap.parse_args()
    if not os.path.exists(VG):
        sys.exit("bench: %s is missing: build first (./configure && make)" % VG)
    d = tempfile.mkdtemp(prefix="cp-bench-")
    make_inputs(d, args.quick)
    configs = CONFIGS
    if args.only:
        keep = set(args.only.split(","))
        configs = [c for c in CONFIGS if c[0] in keep or c[0] == "native"]
    names = args.workloads.split(",") if args.workloads else list(WORKLOADS)
    for w in names:
        if w not in WORKLOADS:
            sys.exit("bench: unknown workload '%s'" % w)
    for wname in names:
        argv = WORKLOADS[wname]
        print("== %s: %s" % (wname, " ".join(argv)))
        cmds = []
        for cname, opts in configs:
            if opts is None:
                cmd = list(argv)
            else:
                opts = list(opts)
                if "cache" in cname and not args.host_geometry:
                    opts += CACHE_GEOM
                cmd = [VG] + opts + argv
            cmds.append((cname, cmd))
        # Rounds, each running every configuration once: a slow spell of
        # a shared machine then hits all of them alike, where repeating
        # one configuration before the next would bias the ratios.
        rounds = [{cname: run_once(cmd, d)[0] for cname, cmd in cmds}
                  for _ in range(args.repeat)]  # configuration -> time
        times = {cname: min(r[cname] for r in rounds) for cname, _ in cmds}
        for cname, cmd in cmds:
            best = times[cname]
            rss = peak_rss(cmd, d)
            line = "  %-18s %8.2f s" % (cname, best)
            if "native" in times and cname != "native":
                line += "  %7.1fx native" % (best / times["native"])
            if rss:
                line += "  %8d KB peak" % rss
            print(line, flush=True)
        def ratio(a, b):
            if a in times and b in times:
                line = "  %s / %s = %.2f" % (a, b, times[a] / times[b])
                if len(rounds) > 1:
                    # the same ratio within each round: its two runs are
                    # minutes apart at most, the best times may be further
                    rs = sorted(r[a] / r[b] for r in rounds)
                    line += "   (rounds: %.2f-%.2f, median %.2f)" % (
                        rs[0], rs[-1], statistics.median(rs))
                print(line)
        def added(a, b):
            # What each tool adds to Valgrind's own cost (--tool=none:
            # loading, translating, dispatching), which both pay alike: on
            # a start-up-heavy workload that shared part dominates the
            # ratio of the totals above.
            if a in times and b in times and "none" in times:
                na, nb = (times[a] - times["none"], times[b] - times["none"])
                if nb > 0:
                    print("  %s adds %.2f s to none, %s %.2f s: %.2f" % (
                        a, na, b, nb, na / nb))
        ratio("costprof", "callgrind")
        ratio("costprof", "cachegrind")
        ratio("costprof+cache", "callgrind+cache")
        ratio("costprof+cache", "cachegrind+cache")
        ratio("costprof+alloc", "costprof")
        added("costprof", "callgrind")
        added("costprof+cache", "callgrind+cache")
        added("costprof+cache", "cachegrind+cache")
    shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
