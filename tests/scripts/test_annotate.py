"""Tests of costprof_annotate (issue 6): report lines on hand-written
profiles, per-function numbers against callgrind_annotate (the oracle),
recursion-correct inclusive cost, options and one-line errors."""
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

import cputil

from cputil import run_script, script_cmd
from scripts.test_parser import callgrind, compile_prog, data, have

PROG = "costprof_annotate"


def annotate(*args):
    return run_script(PROG, list(args))


def ok(test, *args):
    r = annotate(*args)
    test.assertEqual(r.returncode, 0, r.stderr)
    test.assertEqual(r.stderr, "")
    return r.stdout


def as_json(test, *args):
    return json.loads(ok(test, "--format=json", *args))


def fn_table(doc, what="self", event=None):
    """{function name: cost} summed over objects."""
    event = event or doc["events"][0]
    out = {}
    for f in doc["functions"]:
        out[f["name"]] = out.get(f["name"], 0) + f[what][event]
    return out


class HandWrittenTest(cputil.TempDirTest):
    prefix = "cpann"

    def test_sections_on_paths_profile(self):
        out = ok(self, data("paths.out"))
        lines = out.splitlines()
        for sec in ("-- Metadata", "-- Summary", "-- Functions by self cost",
                    "-- Functions by inclusive cost",
                    "-- Call-path tree (inclusive cost, top down)",
                    "-- Callers and callees of the heavy functions",
                    "-- Annotated source files"):
            self.assertIn(sec, lines)
        self.assertIn("Command:          ./rec", lines)
        self.assertIn("Event:            Ir = Instructions executed", lines)
        self.assertIn("80 (100.0%)  PROGRAM TOTALS", lines)
        # self, inclusive and tree, aligned with percentages
        self.assertIn("40 (50.0%)  f  [/src/rec.c]", lines)
        self.assertIn("70  (87.5%)  f  [/src/rec.c]", lines)
        tree = lines[lines.index("-- Call-path tree (inclusive cost, top down)"):]
        self.assertEqual(tree[3:6], ["80 (100.0%)  main  (self 10)",
                                     "70  (87.5%)    f  (self 40)",
                                     "30  (37.5%)      g"])
        self.assertIn("70 (87.5%)    < main  1x", lines)
        self.assertIn("15 (18.8%)    < g  1x", lines)
        self.assertIn("-- Source files not found (use --include=DIR to say "
                      "where they are):", lines)

    def test_sections_off_and_percent(self):
        out = ok(self, data("paths.out"), "--header=no", "--self=no",
                 "--tree=no", "--callers=no", "--annotate=no",
                 "--percent=no")
        self.assertEqual(out.splitlines()[1], "-- Functions by inclusive cost")
        self.assertIn("80  main  [/src/rec.c]", out.splitlines())
        self.assertNotIn("%)", out.replace("(inclusive = self cost", ""))

    def test_paths_no_merges(self):
        out = ok(self, data("paths.out"), "--paths=no")
        self.assertNotIn("Call-path tree", out)
        doc = as_json(self, data("paths.out"), "--paths=no")
        self.assertNotIn("paths", doc)
        doc = as_json(self, data("paths.out"))
        self.assertEqual(sorted((tuple(p["stack"]), p["self"]["Ir"])
                                for p in doc["paths"]),
                         [(("main",), 10), (("main", "f"), 40),
                          (("main", "f", "g"), 30)])

    def test_json(self):
        doc = as_json(self, data("features.out"))
        self.assertEqual(doc["events"], ["A", "B", "C", "S"])
        self.assertEqual(doc["totals"], {"A": 171, "B": 8, "C": 9, "S": 179})
        self.assertEqual(doc["command"], "./feat a b")
        main = [f for f in doc["functions"] if f["name"] == "main"][0]
        self.assertEqual(main["self"], {"A": 112, "B": 3, "C": 9, "S": 115})
        self.assertEqual(main["inclusive"]["A"], 174)
        self.assertEqual(doc["inclusive_method"], "edges")

    def test_threshold_show_sort(self):
        out = ok(self, data("features.out"), "--show=C,A", "--sort=C",
                 "--threshold=10", "--header=no", "--inclusive=no",
                 "--callers=no", "--annotate=no", "--tree=no")
        lines = out.splitlines()
        self.assertEqual(lines[3], "C_________  A__________")
        self.assertEqual(lines[4], "9 (100.0%)  112 (65.5%)  main  [/src/feat.c]")
        self.assertIn("(2 more below the 10% threshold)", lines)

    def test_derive_and_cest(self):
        doc = as_json(self, data("cachegrind.out"))
        # CEst = Ir + 10*I1mr + 100*ILmr with the events present
        self.assertEqual(doc["events"], ["Ir", "I1mr", "ILmr", "CEst"])
        self.assertEqual(doc["totals"]["CEst"], 18 + 10 + 100)
        doc = as_json(self, data("cachegrind.out"), "--derive",
                      "Miss = I1mr + 2*ILmr", "--derive=Neg = Ir - 2 I1mr",
                      "--show=Ir,Miss,Neg", "--sort=Miss")
        self.assertEqual(doc["totals"], {"Ir": 18, "Miss": 3, "Neg": 16})
        self.assertEqual(doc["functions"][0]["self"]["Miss"], 3)
        out = ok(self, data("cachegrind.out"), "--show=CEst")
        self.assertIn(" 128 (100.0%)  PROGRAM TOTALS", out.splitlines())
        self.assertIn(" 126 (98.4%)  main  [m.c]", out.splitlines())

    def test_source_annotation(self):
        src = "".join("line %d\n" % i for i in range(1, 41))
        self.write("app.c", src)
        prof = self.write("p.out", "events: Ir\nfl=app.c\nfn=main\n"
                          "5 10\n30 30\ncfn=f\ncalls=2 1\n30 60\n"
                          "fn=f\n1 60\n99 1\n")
        out = ok(self, prof, "--include=" + self.tmp, "--context=2",
                 "--header=no", "--self=no", "--inclusive=no",
                 "--callers=no", "--tree=no")
        lines = out.splitlines()
        self.assertIn("-- File: app.c  (read from %s)"
                      % os.path.join(self.tmp, "app.c"), lines)
        self.assertIn("60 (59.4%)  line 1", lines)
        self.assertIn("10  (9.9%)  line 5", lines)
        self.assertIn(" .          line 6", lines)
        self.assertIn("30 (29.7%)  line 30", lines)
        self.assertIn("60 (59.4%)    => f (2x, inclusive)", lines)
        self.assertIn("-- line 28 ----------------------------------------",
                      lines)
        self.assertNotIn("line 33", "\n".join(lines))     # context is 2
        self.assertTrue(any(l.startswith("(1 of the cost is on line 0 or past")
                            for l in lines), out)
        # found next to the profile without --include
        r = run_script(PROG, [prof, "--header=no"], cwd="/")
        self.assertIn("-- File: app.c  (read from %s)"
                      % os.path.join(self.tmp, "app.c"), r.stdout)
        # not found when the profile is elsewhere (cwd is elsewhere too)
        os.makedirs(os.path.join(self.tmp, "sub"))
        moved = os.path.join(self.tmp, "sub", "p.out")
        os.rename(prof, moved)
        r = run_script(PROG, [moved, "--header=no"], cwd="/")
        self.assertIn("app.c", r.stdout.split("-- Source files not found")[1])

    def test_mod_options(self):
        doc = as_json(self, data("paths.out"), "--mod-funcname=^f$/F",
                      "--mod-filename=^/src//")
        names = sorted(f["name"] for f in doc["functions"])
        self.assertEqual(names, ["F", "g", "main"])
        self.assertEqual(doc["functions"][0]["file"], "rec.c")

    def test_xtree(self):
        out = ok(self, data("xtree.kcg"), "--show=totB,curB")
        self.assertIn("2,090 (100.0%)  1,040 (100.0%)  PROGRAM TOTALS",
                      out.splitlines())

    def test_help(self):
        out = ok(self, "--help")
        for opt in ("--show", "--sort", "--threshold", "--inclusive",
                    "--paths", "--derive", "--format", "--mod-filename",
                    "--mod-funcname", "--context", "--include", "--tree",
                    "--callers", "--annotate", "--header", "--self"):
            self.assertIn(opt, out)


class BadInputTest(cputil.TempDirTest):
    prefix = "cpannbad"

    def one_line(self, args, pattern):
        r = annotate(*args)
        self.assertEqual(r.returncode, 1, (args, r.stdout, r.stderr))
        self.assertEqual(r.stdout, "")
        self.assertNotIn("Traceback", r.stderr)
        lines = r.stderr.splitlines()
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertRegex(lines[0], "^costprof_annotate: " + pattern)
        return lines[0]

    def test_bad_profiles(self):
        missing = os.path.join(self.tmp, "none.out")
        self.one_line([missing], re.escape(missing) + ":0: cannot read")
        empty = self.write("empty.out", "")
        self.one_line([empty], re.escape(empty) + ":0: empty file")
        trunc = self.write("t.out", "events: Ir\nfn=a\n1 1\ncfn=b\ncalls=1 1\n")
        self.one_line([trunc], re.escape(trunc) + ":5: file truncated")
        bad = self.write("b.out", "events: Ir\nfn=a\n1 1 1\n")
        self.one_line([bad], re.escape(bad) + ":3: .*costs but there are 1")
        noev = self.write("n.out", "hello\n")
        self.one_line([noev], re.escape(noev) + ":1: malformed line")
        self.one_line([self.tmp], re.escape(self.tmp) + ":0: is a directory")

    def test_bad_options(self):
        p = data("paths.out")
        self.one_line([p, "--show=Ir,Dr"], "--show: event 'Dr' is not in")
        self.one_line([p, "--sort=Bogus"], "--sort: event 'Bogus' is not in")
        self.one_line([p, "--threshold=abc"], "--threshold: 'abc' is not")
        self.one_line([p, "--threshold=500"], "--threshold: 500 is not")
        self.one_line([p, "--context=-1"], ".*--context")
        self.one_line([p, "--paths=maybe"], "--paths: expected yes or no")
        self.one_line([p, "--tree=2"], "--tree: expected yes or no")
        self.one_line([p, "--mod-filename=noslash"], "--mod-filename: ")
        self.one_line([p, "--mod-funcname=a(/b"], "--mod-funcname: bad regular")
        self.one_line([p, "--derive=X"], "--derive: 'X' is not NAME = EXPR")
        self.one_line([p, "--derive=X = Ir + Foo"], "--derive: event 'Foo'")
        self.one_line([p, "--derive=Ir = Ir"], "--derive: 'Ir' is already")
        self.one_line([p, "--format=xml"], ".*invalid choice")
        self.one_line([p, "--bogus"], "unrecognized arguments")
        self.one_line([], "the following arguments are required")

    def test_broken_pipe(self):
        lines = ["events: Ir", "fl=a.c"]
        for i in range(3000):
            lines += ["fn=function_number_%d" % i, "%d %d" % (i + 1, i + 1)]
        big = self.write("big.out", "\n".join(lines) + "\n")
        proc = subprocess.Popen(script_cmd(PROG) + [big, "--threshold=0"],
                                stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        proc.stdout.read(100)
        proc.stdout.close()
        err = proc.stderr.read().decode()
        proc.wait()
        self.assertEqual(err, "")
        self.assertIn(proc.returncode, (0, 1))


@unittest.skipUnless(have("valgrind") and have("gcc")
                     and have("callgrind_annotate"), "needs valgrind and gcc")
class OracleTest(unittest.TestCase):
    """costprof_annotate's numbers against callgrind_annotate's."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="cporacle")
        cls.exe = compile_prog(cls.tmp)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def callgrind_annotate(self, prof):
        out = subprocess.run(["callgrind_annotate", "--threshold=100", prof],
                             capture_output=True, text=True,
                             check=True).stdout
        total, funcs = None, {}
        lines = out.splitlines()
        start = [i for i, l in enumerate(lines) if l.endswith("file:function")][0]
        # the totals table, then the function table up to its blank line
        end = lines.index("", start)
        for line in lines[:end]:
            m = re.match(r"\s*([\d,]+) \([\s\d.]+%\)\s+(.*)$", line)
            if not m:
                continue
            v = int(m.group(1).replace(",", ""))
            rest = m.group(2)
            if rest == "PROGRAM TOTALS":
                total = v
                continue
            rest = re.sub(r" \[[^\]]*\]$", "", rest)
            name = rest.split(":", 1)[1]
            name = re.sub(r"'\d+$", "", name)    # --separate-recs level
            funcs[name] = funcs.get(name, 0) + v
        return total, funcs

    def test_self_costs_equal(self):
        for opts in ((), ("--dump-instr=yes",)):
            prof = callgrind(self.tmp, self.exe, "o.out", *opts)
            total, funcs = self.callgrind_annotate(prof)
            doc = as_json(self, prof, "--threshold=0")
            mine = fn_table(doc)
            mine = {k: v for k, v in mine.items() if v}
            self.assertEqual(mine, funcs)
            # callgrind_annotate's total is the summary: line
            self.assertEqual(doc["summary"]["Ir"], total)
            self.assertEqual(doc["totals"]["Ir"], sum(funcs.values()))
            self.assertGreater(mine["leaf"], 0)

    def test_text_report_matches(self):
        prof = callgrind(self.tmp, self.exe, "t.out")
        total, funcs = self.callgrind_annotate(prof)
        out = ok(self, prof, "--threshold=0", "--show=Ir")
        self.assertIn("%s (100.0%%)  PROGRAM TOTALS"
                      % format(sum(funcs.values()), ","), out)
        for line in out.splitlines():
            if line.endswith("  mid  [%s.c]" % self.exe):
                self.assertEqual(line.split()[0], format(funcs["mid"], ","))
                break
        else:
            self.fail("no line for mid:\n" + out)

    def test_recursion_inclusive(self):
        plain = callgrind(self.tmp, self.exe, "p.out")
        doc = as_json(self, plain, "--threshold=0")
        # The known value: the inclusive cost of main's one call to rec,
        # read from the file (the outermost call, so no double counting).
        want = None
        with open(plain) as f:
            text = f.read()
        self.assertIn("cfn=", text)
        from cputil import read_profile
        p = read_profile(plain)
        for (ob, fn, cob, cfn, cnt, costs) in p["calls"]:
            if fn.split("'")[0] == "main" and cfn.split("'")[0] == "rec":
                want = costs[0]
        self.assertIsNotNone(want)
        total = doc["totals"]["Ir"]
        for opts in ((), ("--separate-callers=30",)):
            prof = callgrind(self.tmp, self.exe, "r.out", *opts)
            doc = as_json(self, prof, "--threshold=0")
            incl = fn_table(doc, "inclusive")["rec"]
            self.assertEqual(incl, want, opts)
            self.assertLessEqual(incl, total)
            if opts:
                self.assertTrue(doc["has_paths"])
                out = ok(self, prof, "--threshold=0", "--show=Ir",
                         "--header=no", "--self=no", "--callers=no",
                         "--annotate=no", "--tree=no")
                pct = [l for l in out.splitlines() if l.endswith("  rec  [%s.c]"
                                                                 % self.exe)]
                self.assertEqual(len(pct), 1, out)
                self.assertRegex(pct[0], r"^\s*[\d,]+ +\(\s*\d+\.\d%\)")
                self.assertNotRegex(pct[0], r"\(\d{3,}\.\d%\)")


if __name__ == "__main__":
    unittest.main()
