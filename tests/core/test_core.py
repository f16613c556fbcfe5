"""Issue 3: exact Ir per full call path, checked against callgrind on the
same binaries (tests/progs), through the same tool folder and with the same
stdin/stdout/stderr."""
import os
import subprocess
import tempfile
import unittest

import cputil
from cputil import prog, profile_run, inclusive


def ctx_names(p):
    return [fn for (_ob, fn) in p["ctx_self"]]


class OracleMixin:
    """Runs costprof and callgrind once per program and compares."""
    args = ()
    cp_opts = ()
    cg_opts = ()

    @classmethod
    def setUpClass(cls):
        argv = [prog(cls.program)] + list(cls.args)
        d = tempfile.mkdtemp(prefix="cp-test-")   # one folder for both runs
        cls.cp_run, cls.cp, cls.cp_file = profile_run("costprof", argv,
                                                      cls.cp_opts, cwd=d)
        cls.cg_run, cls.cg, cls.cg_file = profile_run("callgrind", argv,
                                                      cls.cg_opts, cwd=d)

    def test_program_output_same(self):
        self.assertEqual(self.cp_run.stdout, self.cg_run.stdout)

    def test_total_equals_callgrind(self):
        # callgrind's totals: line counts signal handlers; its summary: does not
        self.assertEqual(self.cp["summary"], self.cp["totals"])
        self.assertEqual(self.cp["summary"][0], self.cg["totals"][0])

    def test_self_per_function_equals_callgrind(self):
        a = {k: v[0] for k, v in self.cp["self"].items()}
        b = {k: v[0] for k, v in self.cg["self"].items()}
        self.assertEqual(a, b)

    def test_inclusive_of_nonrecursive_functions_equals_callgrind(self):
        a, b = inclusive(self.cp), inclusive(self.cg)
        for k in self.nonrecursive:
            key = next(x for x in b if x[1] == k)
            self.assertEqual(a[key], b[key], k)

    def test_callgrind_annotate_reads_it(self):
        r = subprocess.run(["callgrind_annotate", self.cp_file],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0)
        self.assertEqual(r.stderr, "")
        total = "{:,}".format(self.cp["summary"][0])
        self.assertIn(total, r.stdout)


class TestCalls(OracleMixin, unittest.TestCase):
    program = "calls"
    nonrecursive = ["main", "light", "heavy", "both", "apply", "work",
                    "twice", "thrice"]

    def test_paths_equal_separate_callers(self):
        # A non-recursive program: every path costprof writes is the name
        # callgrind --separate-callers gives the same context.
        argv = [prog(self.program)]
        _r, deep, _f = profile_run("callgrind", argv, ["--separate-callers=40"])
        a = {k: v[0] for k, v in self.cp["ctx_self"].items()}
        b = {k: v[0] for k, v in deep["ctx_self"].items()}
        self.assertEqual(a, b)

    def test_one_function_two_paths(self):
        work = {fn: v[0] for (ob, fn), v in self.cp["ctx_self"].items()
                if fn.startswith("work'")}
        light = [v for k, v in work.items() if k.startswith("work'light'main'")]
        heavy = [v for k, v in work.items() if k.startswith("work'heavy'both'main'")]
        self.assertEqual(len(light), 1)
        self.assertEqual(len(heavy), 1)
        self.assertGreater(heavy[0], 10 * light[0])

    def test_function_pointers(self):
        names = ctx_names(self.cp)
        self.assertTrue(any(n.startswith("twice'apply'main'") for n in names))
        self.assertTrue(any(n.startswith("thrice'apply'main'") for n in names))


class TestRecursion(OracleMixin, unittest.TestCase):
    program = "recursion"
    nonrecursive = ["main"]

    def test_paths_fold_recursion(self):
        for n in ctx_names(self.cp):
            frames = n.split("'")
            for f in ("fact", "is_even", "is_odd", "deep"):
                self.assertLessEqual(frames.count(f), 1, n)

    def test_direct_and_mutual_recursion_costs(self):
        s = cputil.self_by_name(self.cg)
        a = cputil.self_by_name(self.cp)
        for f in ("fact", "is_even", "is_odd", "deep"):
            self.assertEqual(a[f], s[f], f)


class TestDeepRecursion(OracleMixin, unittest.TestCase):
    program = "recursion"
    args = ["100000"]
    nonrecursive = ["main"]

    def test_bounded_contexts(self):
        deep = [n for n in ctx_names(self.cp) if n.startswith("deep'")]
        self.assertEqual(len(deep), 1)


class TestTailCalls(OracleMixin, unittest.TestCase):
    program = "tailcall"
    nonrecursive = ["main", "relay", "hop", "leaf"]

    def test_tail_call_is_a_call(self):
        names = ctx_names(self.cp)
        self.assertTrue(any(n.startswith("leaf'hop'relay'main'") for n in names),
                        names)


class TestLongjmp(OracleMixin, unittest.TestCase):
    program = "longjmp"
    nonrecursive = ["main", "after"]

    def test_after_is_called_from_main(self):
        names = ctx_names(self.cp)
        self.assertTrue(any(n.startswith("after'main'") for n in names))
        self.assertFalse(any(n.startswith("after'dive") for n in names))


class TestSignal(OracleMixin, unittest.TestCase):
    program = "signal"
    nonrecursive = ["busy", "handler_work"]

    def test_summary_counts_handler(self):
        # callgrind's summary leaves the handler out; ours counts it
        self.assertGreater(self.cp["summary"][0], self.cg["summary"][0])
        self.assertIn("handler_work", cputil.self_by_name(self.cp))


class TestExceptions(OracleMixin, unittest.TestCase):
    program = "exceptions"
    nonrecursive = ["main", "calm(int)"]

    def test_calm_called_from_main(self):
        names = ctx_names(self.cp)
        self.assertTrue(any(n.startswith("calm(int)'main'") for n in names))
        self.assertFalse(any("calm(int)'thrower" in n for n in names))


class TestThreads(unittest.TestCase):
    """libc's waiting loops vary between runs; the threads' work does not."""

    def test_thread_work_equals_callgrind(self):
        argv = [prog("threads")]
        _a, cp, _f = profile_run("costprof", argv)
        _b, cg, _g = profile_run("callgrind", argv)
        a, b = cputil.self_by_name(cp), cputil.self_by_name(cg)
        self.assertEqual(a["spin"], b["spin"])
        spin = {fn: v[0] for (ob, fn), v in cp["ctx_self"].items()
                if fn.startswith("spin'")}
        self.assertEqual(sorted(k.split("'")[1] for k in spin),
                         ["worker_a", "worker_b"])
        self.assertEqual(cp["summary"], cp["totals"])


class TestOptions(unittest.TestCase):

    def run_cp(self, opts, argv=None):
        return profile_run("costprof", argv or [prog("calls")], opts)

    def test_paths_no_one_entry_per_function(self):
        _r, p, _f = self.run_cp(["--paths=no"])
        _s, cg, _g = profile_run("callgrind", [prog("calls")])
        self.assertFalse(any("'" in n for n in ctx_names(p)))
        self.assertEqual({k: v[0] for k, v in p["self"].items()},
                         {k: v[0] for k, v in cg["self"].items()})

    def test_max_path_depth_keeps_totals(self):
        _r, p, _f = self.run_cp(["--max-path-depth=3"], [prog("recursion")])
        _s, cg, _g = profile_run("callgrind", [prog("recursion")])
        self.assertTrue(all(len(n.split("'")) <= 3 for n in ctx_names(p)))
        self.assertEqual(p["summary"][0], cg["totals"][0])
        self.assertEqual({k: v[0] for k, v in p["self"].items()},
                         {k: v[0] for k, v in cg["self"].items()})

    def test_dump_instr(self):
        _r, p, f = self.run_cp(["--dump-instr=yes"])
        with open(f) as fh:
            text = fh.read()
        self.assertIn("positions: instr line\n", text)
        self.assertRegex(text, r"\n0x[0-9a-f]+ \d+ \d+\n")
        _s, cg, _g = profile_run("callgrind", [prog("calls")])
        self.assertEqual(p["summary"][0], cg["totals"][0])
        r = subprocess.run(["callgrind_annotate", f], capture_output=True, text=True)
        self.assertEqual((r.returncode, r.stderr), (0, ""))

    def test_default_positions_line(self):
        _r, _p, f = self.run_cp([])
        with open(f) as fh:
            head = fh.read(2000)
        self.assertIn("positions: line\n", head)
        self.assertIn("events: Ir\n", head)
        self.assertIn("creator: costprof", head)

    def test_default_file_name_and_expansions(self):
        import tempfile
        d = tempfile.mkdtemp()
        r = cputil.valgrind("costprof", [prog("calls")], cwd=d)
        self.assertEqual(r.returncode, 0, r.stderr)
        files = os.listdir(d)
        self.assertEqual(len(files), 1)
        self.assertRegex(files[0], r"^costprof\.out\.\d+$")
        env = dict(os.environ, CPTAG="tagged")
        r = cputil.valgrind("costprof", [prog("calls")],
                            ["--costprof-out-file=x.%q{CPTAG}.%p"], cwd=d, env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(any(f.startswith("x.tagged.") for f in os.listdir(d)))

    def test_help_lists_options(self):
        r = cputil.valgrind("costprof", ["--help"])
        for opt in ("--costprof-out-file", "--paths", "--max-path-depth",
                    "--dump-instr", "--cache-sim", "--branch-sim", "--alloc"):
            self.assertIn(opt, r.stdout)

    def test_bad_option(self):
        for bad in ("--paths=maybe", "--max-path-depth=0", "--max-path-depth=x",
                    "--no-such-costprof-option=1"):
            r = cputil.valgrind("costprof", [prog("calls")], [bad])
            self.assertEqual(r.returncode, 1, bad)
            self.assertRegex(r.stderr, "(Bad|Unknown) option", bad)
            self.assertEqual(r.stdout, "", bad)

    def test_unwritable_output_stops_before_running(self):
        r = cputil.valgrind("costprof", [prog("calls")],
                            ["--costprof-out-file=/nonexistent-dir/x.out"])
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("cannot write the profile '/nonexistent-dir/x.out'", r.stderr)
        self.assertEqual(r.stdout, "")   # the program never ran


class TestEndings(unittest.TestCase):
    """A profile is written however the program ends."""

    def check(self, how):
        import tempfile
        d = tempfile.mkdtemp()
        out = os.path.join(d, "p.out")
        r = cputil.valgrind("costprof", [prog("crash"), how],
                            ["--costprof-out-file=" + out], cwd=d)
        self.assertNotEqual(r.returncode, 0)
        p = cputil.read_profile(out)
        self.assertIn("before_death", cputil.self_by_name(p))
        self.assertEqual(p["summary"], p["totals"])
        return p

    def test_segv(self):
        self.check("segv")

    def test_abort(self):
        self.check("abort")

    def test_sigterm(self):
        self.check("term")

    def test_exit_from_thread(self):
        p = self.check("exit-thread")
        names = [fn for (_o, fn) in p["ctx_self"]]
        self.assertTrue(any(n.startswith("before_death'exiter'") for n in names))


if __name__ == "__main__":
    unittest.main()
