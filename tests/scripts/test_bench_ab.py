"""Tests of bench/bench_ab.py, the paired comparison of two builds: its
one-line errors for bad arguments, and a real pair of runs whose ratio it
reports."""
import os
import re
import subprocess
import sys
import unittest

from cputil import BUILDDIR, SRCDIR

BENCH_AB = os.path.join(SRCDIR, "bench", "bench_ab.py")


def run(*args):
    return subprocess.run([sys.executable, BENCH_AB] + list(args),
                          capture_output=True, text=True, timeout=600)


class BenchAB(unittest.TestCase):
    def test_missing_build(self):
        p = run(BUILDDIR, os.path.join(BUILDDIR, "no-such-build"))
        self.assertEqual(p.returncode, 1)
        self.assertEqual(len(p.stderr.strip().splitlines()), 1)
        self.assertIn("no-such-build/vg-in-place is missing", p.stderr)

    def test_bad_pairs(self):
        p = run(BUILDDIR, BUILDDIR, "--pairs", "0")
        self.assertEqual(p.returncode, 1)
        self.assertEqual(p.stderr.strip(),
                         "bench_ab: --pairs must be at least 1")

    def test_failed_run(self):
        p = run(BUILDDIR, BUILDDIR, "--pairs", "1", "--",
                "--no-such-option=1")
        self.assertEqual(p.returncode, 1)
        self.assertEqual(len(p.stderr.strip().splitlines()), 1)
        self.assertRegex(p.stderr, r"^bench_ab: .*--no-such-option=1.* failed: ")

    def test_one_pair(self):
        # the same build twice, Ir only (the options after --)
        p = run(BUILDDIR, BUILDDIR, "--pairs", "1", "--quick",
                "--workload", "xz", "--", "--cache-sim=no")
        self.assertEqual(p.returncode, 0, p.stderr)
        m = re.search(r"B/A: median ([0-9.]+) \(quartiles ([0-9.]+)-([0-9.]+)\)",
                      p.stdout)
        self.assertIsNotNone(m, p.stdout)
        med, q1, q3 = (float(x) for x in m.groups())
        self.assertTrue(q1 <= med <= q3)
        self.assertTrue(0.2 < med < 5, med)  # one pair: ratio = median
        low = re.search(r"lowest: A ([0-9.]+), B ([0-9.]+); "
                        r"B/A of the lowest ([0-9.]+)", p.stdout)
        self.assertIsNotNone(low, p.stdout)
        # one pair: its two times are the lowest, their ratio the median
        self.assertEqual(float(low.group(3)), med)


if __name__ == "__main__":
    unittest.main()
