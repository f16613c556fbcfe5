#!/usr/bin/env python3
"""bench_annotate: times costprof_annotate against callgrind_annotate on a
large callgrind profile (issue 6; target: ratio <= 0.2).

Builds the profile once (callgrind --dump-instr=yes on a Python workload,
with --separate-callers=2 so it is also a path profile like costprof's; it
comes out at about 15 MB) into a cache folder, then runs each annotator N
times and reports the best wall time, the ratio, and the peak RSS of each.
The cp_profile.load() time alone is reported too.

    python3 bench/bench_annotate.py [--profile FILE] [--runs N] [--keep DIR]
"""
import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(HERE)

WORKLOAD = r"""
import json, re, decimal, fractions, xml.dom.minidom, difflib, textwrap
import statistics, zlib, hashlib, csv, io, sqlite3, datetime, argparse, ast
import inspect, pickle, lzma, bz2, html.parser, urllib.parse
d = [{'a': i, 'b': str(i) * 3, 'c': [i, i * 2.5]} for i in range(5000)]
s = json.dumps(d); json.loads(s)
pickle.loads(pickle.dumps(d))
re.findall(r'\d+', s); re.sub(r'(\d)(\d)', r'\2\1', s[:50000])
sum(decimal.Decimal(i) / 7 for i in range(2000))
sum(fractions.Fraction(i, 7) for i in range(1000))
list(difflib.unified_diff(s[:3000].split(','), s[100:3100].split(',')))
lzma.compress(s[:100000].encode()); bz2.compress(s[:100000].encode())
zlib.compress(s.encode()); hashlib.sha256(s.encode()).hexdigest()
c = sqlite3.connect(':memory:'); c.execute('create table t(a,b)')
c.executemany('insert into t values(?,?)', [(i, str(i)) for i in range(3000)])
c.execute('select sum(a) from t group by b % 7').fetchall()
xml.dom.minidom.parseString('<a>' + '<b x="1">t</b>' * 1000 + '</a>').toxml()
statistics.stdev(range(3000)); textwrap.fill(s[:20000])
for m in (json, re, decimal, argparse, inspect, difflib, textwrap):
    compile(ast.parse(inspect.getsource(m)), m.__name__, 'exec')
w = csv.writer(io.StringIO()); [w.writerow([i, str(i), i * 0.5]) for i in range(3000)]
p = argparse.ArgumentParser(); p.add_argument('--x', type=int); p.parse_args(['--x', '3'])
html.parser.HTMLParser().feed('<p class=x>hi</p>' * 2000)
[urllib.parse.urlparse('http://a.b/c?d=%d' % i) for i in range(2000)]
[datetime.datetime(2020, 1, 1) + datetime.timedelta(days=i) for i in range(2000)]
"""


def annotate_cmd():
    built = os.path.join(os.environ.get("COSTPROF_BUILDDIR", SRC),
                         "auto-scripts", "costprof_annotate")
    if os.access(built, os.X_OK):
        return [built]   # as a user runs it: its own #! line
    return [sys.executable, os.path.join(SRC, "auto-scripts",
                                         "costprof_annotate.in")]


def build_profile(folder):
    path = os.path.join(folder, "bench.callgrind.out")
    if os.path.exists(path):
        return path
    script = os.path.join(folder, "work.py")
    with open(script, "w") as f:
        f.write(WORKLOAD)
    print("building the profile (callgrind on a Python workload, ~1 min)...",
          flush=True)
    # sys.executable may be a wrapper script (pyenv); ask for the real one
    real = subprocess.run([sys.executable, "-c",
                           "import sys; print(sys.executable)"],
                          capture_output=True, text=True).stdout.strip()
    subprocess.run(["valgrind", "--tool=callgrind", "--dump-instr=yes",
                    "--separate-callers=2", "--callgrind-out-file=" + path,
                    real or sys.executable, script],
                   check=True, capture_output=True)
    return path


def timed(cmd):
    """(wall seconds, peak RSS in KiB) of one run of CMD."""
    time_bin = "/usr/bin/time"
    if os.path.exists(time_bin):
        with tempfile.NamedTemporaryFile("r") as tf:
            t = time.perf_counter()
            subprocess.run([time_bin, "-f", "%M", "-o", tf.name] + cmd,
                           stdout=subprocess.DEVNULL, check=True)
            wall = time.perf_counter() - t
            rss = int(tf.read().strip().splitlines()[-1])
        return wall, rss
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(after, before)   # ru_maxrss: max over all children


def best(cmd, runs):
    res = [timed(cmd) for _ in range(runs)]
    return min(r[0] for r in res), max(r[1] for r in res)


def parse_only(profile, runs):
    sys.path.insert(0, os.path.join(SRC, "auto-scripts"))
    import cp_profile
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        cp_profile.load(profile)
        out.append(time.perf_counter() - t)
    return min(out)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--profile", help="use this profile instead of building one")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--keep", default=os.path.join(tempfile.gettempdir(),
                                                  "costprof-bench"),
                   help="folder for the generated profile (kept for reuse)")
    args = p.parse_args()
    os.makedirs(args.keep, exist_ok=True)
    prof = args.profile or build_profile(args.keep)
    size = os.path.getsize(prof)
    with open(prof, "rb") as f:
        nlines = sum(1 for _ in f)
    print("profile: %s (%.1f MB, %d lines)" % (prof, size / 1e6, nlines))
    ca_t, ca_rss = best(["callgrind_annotate", prof], args.runs)
    cp_t, cp_rss = best(annotate_cmd() + [prof], args.runs)
    parse_t = parse_only(prof, args.runs)
    print("callgrind_annotate: %6.2f s  peak RSS %7.1f MB" % (ca_t, ca_rss / 1024))
    print("costprof_annotate:  %6.2f s  peak RSS %7.1f MB" % (cp_t, cp_rss / 1024))
    print("cp_profile.load():  %6.2f s" % parse_t)
    print("ratio (costprof_annotate / callgrind_annotate): %.2f (target <= 0.20)"
          % (cp_t / ca_t))
    print("ratio (parse only / callgrind_annotate):        %.2f" % (parse_t / ca_t))
    print("best of %d runs each" % args.runs)


if __name__ == "__main__":
    main()
