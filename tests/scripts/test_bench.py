"""Tests of bench/bench.py: with several rounds, each ratio comes with its
range and median over the rounds, each round's ratio taken between runs
made minutes apart at most."""
import os
import re
import subprocess
import sys
import unittest

from cputil import BUILDDIR, SRCDIR

BENCH = os.path.join(SRCDIR, "bench", "bench.py")


class Bench(unittest.TestCase):
    def test_round_ratios(self):
        env = dict(os.environ, COSTPROF_BUILDDIR=BUILDDIR)
        p = subprocess.run([sys.executable, BENCH, "--repeat", "2", "--quick",
                            "--workloads", "python3", "--only",
                            "costprof,cachegrind"],
                           capture_output=True, text=True, timeout=900,
                           env=env)
        self.assertEqual(p.returncode, 0, p.stderr)
        m = re.search(r"costprof / cachegrind = ([0-9.]+)   \(rounds: "
                      r"([0-9.]+)-([0-9.]+), median ([0-9.]+)\)", p.stdout)
        self.assertIsNotNone(m, p.stdout)
        best, lo, hi, med = (float(x) for x in m.groups())
        self.assertTrue(lo <= med <= hi, m.group(0))
        self.assertTrue(0.1 < best < 10, best)
        # the configurations not asked for are not run
        self.assertNotIn("callgrind", p.stdout)
        # without none among them there is no added-cost line
        self.assertNotIn(" adds ", p.stdout)

    def test_added_to_none(self):
        env = dict(os.environ, COSTPROF_BUILDDIR=BUILDDIR)
        p = subprocess.run([sys.executable, BENCH, "--quick", "--workloads",
                            "python3", "--only", "none,costprof,callgrind"],
                           capture_output=True, text=True, timeout=900,
                           env=env)
        self.assertEqual(p.returncode, 0, p.stderr)
        t = dict((m.group(1), float(m.group(2))) for m in re.finditer(
            r"^  (\S+) +([0-9.]+) s", p.stdout, re.M))
        m = re.search(r"costprof adds ([0-9.]+) s to none, callgrind "
                      r"([0-9.]+) s: ([0-9.]+)$", p.stdout, re.M)
        self.assertIsNotNone(m, p.stdout)
        ours, theirs, ratio = (float(x) for x in m.groups())
        # the printed figures are the differences of the printed times
        self.assertAlmostEqual(ours, t["costprof"] - t["none"], delta=0.011)
        self.assertAlmostEqual(theirs, t["callgrind"] - t["none"],
                               delta=0.011)
        self.assertAlmostEqual(ratio, ours / theirs, delta=0.02)


if __name__ == "__main__":
    unittest.main()
