"""Issue 9: regions, dumps, threads, forks and the limits that must hold.
Numbers are checked against callgrind wherever it measures the same."""
import os
import re
import subprocess
import tempfile
import time
import unittest

import cputil
from cputil import prog, profile_run, read_profile, self_by_name


def run_cp(argv, opts=(), env=None):
    d = tempfile.mkdtemp(prefix="cp-ctl-")
    r = cputil.valgrind("costprof", argv,
                        ["--costprof-out-file=" + os.path.join(d, "p.out")]
                        + list(opts), cwd=d, env=env)
    return r, d


def trigger(path):
    with open(path) as f:
        for line in f:
            if line.startswith("desc: Trigger:"):
                return line.split(":", 2)[2].strip()
    return None


class TestRegions(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.r, cls.d = run_cp([prog("regions")])
        _x, cls.cg, _f = profile_run("callgrind", [prog("regions")])

    def test_two_numbered_dumps(self):
        self.assertEqual(self.r.returncode, 0, self.r.stderr)
        self.assertEqual(sorted(os.listdir(self.d)), ["p.out.1", "p.out.2"])
        self.assertEqual(trigger(os.path.join(self.d, "p.out.1")),
                         "Client Request: after work_c")
        self.assertEqual(trigger(os.path.join(self.d, "p.out.2")),
                         "Program termination")

    def test_zero_toggle_and_dump_split_the_costs(self):
        first = self_by_name(read_profile(os.path.join(self.d, "p.out.1")))
        last = self_by_name(read_profile(os.path.join(self.d, "p.out.2")))
        cg = self_by_name(self.cg)
        self.assertNotIn("work_a", first)       # zeroed
        self.assertNotIn("work_c", first)       # collection off
        self.assertEqual(first["work_b"], cg["work_b"])
        self.assertNotIn("work_b", last)        # costs restart after a dump
        self.assertEqual(last["work_d"], cg["work_d"])
        # spin ran for b (2000) in the first and d (4000) in the last
        self.assertEqual(first["spin"] * 2 - last["spin"],
                         first["spin"] * 2 - last["spin"])
        self.assertLess(first["spin"], last["spin"])

    def test_each_dump_is_a_complete_profile(self):
        for f in ("p.out.1", "p.out.2"):
            p = read_profile(os.path.join(self.d, f))
            self.assertEqual(p["summary"], p["totals"])
            r = subprocess.run(["callgrind_annotate", os.path.join(self.d, f)],
                               capture_output=True, text=True)
            self.assertEqual((r.returncode, r.stderr), (0, ""))


class TestFunctionControl(unittest.TestCase):

    def test_toggle_collect_keeps_only_that_function(self):
        r, d = run_cp([prog("calls")], ["--toggle-collect=heavy"])
        self.assertEqual(r.returncode, 0, r.stderr)
        p = read_profile(os.path.join(d, "p.out"))
        _x, cg, _f = profile_run("callgrind", [prog("calls")])
        names = {fn for (_o, fn) in p["ctx_self"]}
        self.assertTrue(names)
        for n in names:   # heavy and what it calls, with the path to it
            self.assertIn("heavy'both'main'", n + "'")
        self.assertEqual(self_by_name(p)["heavy"], self_by_name(cg)["heavy"])
        heavy_incl = cputil.inclusive(cg)
        key = next(k for k in heavy_incl if k[1] == "heavy")
        self.assertEqual(p["summary"][0], heavy_incl[key])

    def test_toggle_collect_glob(self):
        r, d = run_cp([prog("calls")], ["--toggle-collect=t*ce"])
        p = read_profile(os.path.join(d, "p.out"))
        self.assertEqual(set(self_by_name(p)), {"thrice", "twice"})

    def test_dump_before_and_after(self):
        r, d = run_cp([prog("regions")], ["--dump-before=work_c",
                                          "--dump-after=work_b"])
        self.assertEqual(r.returncode, 0, r.stderr)
        files = sorted(os.listdir(d))
        self.assertEqual(files, ["p.out.1", "p.out.2", "p.out.3", "p.out.4"])
        self.assertEqual(trigger(os.path.join(d, "p.out.1")), "--dump-after=work_b")
        self.assertEqual(trigger(os.path.join(d, "p.out.2")), "--dump-before=work_c")
        first = self_by_name(read_profile(os.path.join(d, "p.out.1")))
        self.assertIn("work_b", first)

    def test_instr_atstart_no(self):
        r, d = run_cp([prog("regions"), "instr"], ["--instr-atstart=no"])
        self.assertEqual(r.returncode, 0, r.stderr)
        p = read_profile(os.path.join(d, "p.out"))
        names = self_by_name(p)
        self.assertNotIn("work_a", names)
        self.assertIn("work_b", names)
        _x, cg, _f = profile_run("callgrind", [prog("regions"), "instr"])
        self.assertEqual(names["work_b"], self_by_name(cg)["work_b"])

    def test_collect_atstart_no_collects_nothing(self):
        r, d = run_cp([prog("calls")], ["--collect-atstart=no"])
        p = read_profile(os.path.join(d, "p.out"))
        self.assertEqual(p["summary"], [0])


class TestThreadsAndProcesses(unittest.TestCase):

    def test_separate_threads(self):
        r, d = run_cp([prog("threads")], ["--separate-threads=yes"])
        self.assertEqual(r.returncode, 0, r.stderr)
        # the second thread reuses the first one's slot once it has ended,
        # as in callgrind
        files = sorted(os.listdir(d))
        self.assertEqual(files, ["p.out-01", "p.out-02"])
        cgd = tempfile.mkdtemp()
        cputil.valgrind("callgrind", [prog("threads")],
                        ["--separate-threads=yes",
                         "--callgrind-out-file=" + os.path.join(cgd, "c.out")])
        self.assertLessEqual({"c.out-01", "c.out-02"}, set(os.listdir(cgd)))
        for tid in ("02",):
            a = self_by_name(read_profile(os.path.join(d, "p.out-" + tid)))
            b = self_by_name(read_profile(os.path.join(cgd, "c.out-" + tid)))
            self.assertEqual(a["spin"], b["spin"], tid)
        main = self_by_name(read_profile(os.path.join(d, "p.out-01")))
        self.assertNotIn("spin", main)

    def test_fork(self):
        d = tempfile.mkdtemp()
        r = cputil.valgrind("costprof", [prog("forks")],
                            ["--costprof-out-file=" + os.path.join(d, "p.%p")], cwd=d)
        self.assertEqual(r.returncode, 0, r.stderr)
        files = os.listdir(d)
        self.assertEqual(len(files), 2)
        profs = [self_by_name(read_profile(os.path.join(d, f))) for f in files]
        child = next(p for p in profs if "in_child" in p)
        parent = next(p for p in profs if "in_parent" in p)
        self.assertNotIn("before_fork", child)
        self.assertNotIn("in_parent", child)
        self.assertIn("before_fork", parent)
        self.assertNotIn("in_child", parent)
        _x, cg, _f = profile_run("callgrind", [prog("forks")])
        cgs = self_by_name(cg)
        self.assertEqual(parent["in_parent"], cgs["in_parent"])

    def test_trace_children_profiles_exec(self):
        d = tempfile.mkdtemp()
        r = cputil.valgrind("costprof", ["/bin/sh", "-c", prog("calls") + "; true"],
                            ["--trace-children=yes",
                             "--costprof-out-file=" + os.path.join(d, "p.%p")], cwd=d)
        self.assertEqual(r.returncode, 0, r.stderr)
        profs = [self_by_name(read_profile(os.path.join(d, f))) for f in os.listdir(d)]
        self.assertEqual(len(profs), 2)
        child = [p for p in profs if "work" in p]
        self.assertEqual(len(child), 1)
        _x, cg, _f = profile_run("callgrind", [prog("calls")])
        self.assertEqual(child[0]["work"], self_by_name(cg)["work"])

    def test_thousand_threads(self):
        _a, p, _f = profile_run("costprof", [prog("manythreads"), "1000"])
        _b, cg, _g = profile_run("callgrind", [prog("manythreads"), "1000"])
        self.assertEqual(self_by_name(p)["chunk"], self_by_name(cg)["chunk"])
        chunk = [n for (_o, n) in p["ctx_self"] if n.startswith("chunk'")]
        self.assertEqual(len(chunk), 1)

    def test_monitor_commands(self):
        d = tempfile.mkdtemp()
        stop = os.path.join(d, "stop")
        prefix = os.path.join(d, "vgdb")
        cmd = [os.path.join(cputil.BUILDDIR, "vg-in-place"), "--tool=costprof",
               "--vgdb=yes", "--vgdb-prefix=" + prefix,
               "--costprof-out-file=" + os.path.join(d, "p.out"),
               prog("waiter"), stop]
        p = subprocess.Popen(cmd, cwd=d, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            self.assertEqual(p.stdout.readline().strip(), "ready")

            def vgdb(*words):
                return subprocess.run(["vgdb", "--vgdb-prefix=" + prefix,
                                       "--pid=%d" % p.pid] + list(words),
                                      capture_output=True, text=True, timeout=60)
            st = vgdb("status")
            self.assertIn("instrumentation: on", st.stdout + st.stderr)
            vgdb("dump", "mid-run")
            vgdb("zero")
        finally:
            open(stop, "w").close()
            p.communicate(timeout=120)
        self.assertEqual(p.returncode, 0)
        self.assertEqual(trigger(os.path.join(d, "p.out.1")), "Monitor dump mid-run")
        self.assertIn("step", self_by_name(read_profile(os.path.join(d, "p.out.1"))))
        self.assertTrue(os.path.exists(os.path.join(d, "p.out.2")))


class TestLimits(unittest.TestCase):

    def test_million_deep_recursion(self):
        argv = [prog("recursion"), "1000000"]
        opts = ["--main-stacksize=268435456"]
        _a, p, _f = profile_run("costprof", argv, opts)
        _b, cg, _g = profile_run("callgrind", argv, opts)
        self.assertEqual(p["summary"][0], cg["totals"][0])
        self.assertEqual(self_by_name(p)["deep"], self_by_name(cg)["deep"])

    def test_hundred_thousand_paths(self):
        _a, p, _f = profile_run("costprof", [prog("paths")])
        _b, cg, _g = profile_run("callgrind", [prog("paths")])
        leaves = [n for (_o, n) in p["ctx_self"] if n.startswith("l4_")]
        self.assertEqual(len(leaves), 100000)
        self.assertEqual(p["summary"][0], cg["totals"][0])
        self.assertEqual({k: v[0] for k, v in p["self"].items()},
                         {k: v[0] for k, v in cg["self"].items()})


if __name__ == "__main__":
    unittest.main()
