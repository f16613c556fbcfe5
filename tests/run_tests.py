#!/usr/bin/env python3
"""Runs every costprof test (tests/**/test_*.py, unittest style) and ends
with the plain line 'N passed, N failed'. Exit status 1 when any failed.

Environment: COSTPROF_BUILDDIR (default: the source tree) is where the tool
and the generated scripts were built; COSTPROF_KEEP_TMP=1 keeps the tests'
scratch folder (otherwise removed at the end) and prints where it is."""
import os
import shutil
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


class _Counting(unittest.TextTestResult):
    pass


def main(argv):
    sys.path.insert(0, HERE)
    # The tests make their folders with tempfile; pointing tempfile (and the
    # programs they start) at one scratch folder lets a run leave nothing.
    scratch = tempfile.mkdtemp(prefix="costprof-tests-")
    tempfile.tempdir = scratch
    os.environ["TMPDIR"] = scratch
    try:
        return run(argv)
    finally:
        if os.environ.get("COSTPROF_KEEP_TMP"):
            print("scratch files kept in", scratch, file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)


def run(argv):
    pattern = argv[1] if len(argv) > 1 else "test_*.py"
    loader = unittest.TestLoader()
    suite = loader.discover(HERE, pattern=pattern, top_level_dir=HERE)
    runner = unittest.TextTestRunner(verbosity=2, resultclass=_Counting,
                                     stream=sys.stdout)
    result = runner.run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    skipped = len(result.skipped)
    # an error in a class or module fixture fails no test of its own
    passed = max(0, result.testsRun - failed - skipped)
    line = "%d passed, %d failed" % (passed, failed)
    if skipped:
        line += ", %d skipped" % skipped
    print(line)
    return 1 if failed or result.testsRun == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
