"""Tests of costprof_diff (issue 8): self-diff is zero, a known change in a
test program shows up exactly, merge then diff gives back the parts, the CI
gate's thresholds, -o output, event sets, --mod-funcname, bad inputs."""
import json
import os
import shutil
import tempfile
import unittest

import cputil

from cputil import run_script
from scripts.test_flamegraph import (build_and_profile, data, folded,
                                     have_tools, profile_totals)

PROG = "costprof_diff"


def diff_json(*args):
    r = run_script(PROG, ["--format=json", "--limit=0"] + list(args))
    assert r.returncode in (0, 1), r.stderr
    return json.loads(r.stdout), r


def by_name(doc):
    """{function name: delta} summed over objects and files."""
    out = {}
    for row in doc["functions"]:
        out[row["name"]] = out.get(row["name"], 0) + row["delta"]
    return out


class HandWrittenTest(cputil.TempDirTest):
    prefix = "cpdiff"

    def variant(self, name, repl):
        with open(data("paths.out")) as f:
            text = f.read()
        for a, b in repl:
            self.assertIn(a, text)
            text = text.replace(a, b)
        return self.write(name, text)

    def test_self_diff_is_zero(self):
        doc, r = diff_json(data("paths.out"), data("paths.out"), "--paths")
        self.assertEqual(r.returncode, 0)
        self.assertEqual(doc["functions"], [])
        self.assertEqual(doc["paths"], [])
        self.assertEqual({e: t["delta"] for e, t in doc["totals"].items()},
                         {"Ir": 0, "Dr": 0})
        r = run_script(PROG, [data("paths.out"), data("paths.out")])
        self.assertEqual(r.returncode, 0)
        self.assertIn("(no changes)", r.stdout)

    def test_text_report(self):
        new = self.variant("new.out", [("40 400 100", "40 500 100"),
                                       ("summary: 1000", "summary: 1100"),
                                       ("totals: 1000", "totals: 1100")])
        r = run_script(PROG, [data("paths.out"), new, "--paths"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"Ir\s+1,000\s+1,100\s+\+100\s+\+10\.00%")
        self.assertRegex(r.stdout, r"400\s+500\s+\+100\s+\+25\.00%\s+b ")
        self.assertIn("main > a > b", r.stdout)

    def test_event_sets_and_commands(self):
        other = self.write("ir.out", "# callgrind format\nversion: 1\n"
                           "creator: costprof-0.1\ncmd: ./other\n"
                           "events: Ir\nsummary: 5\n\nob=/bin/demo\n"
                           "fl=demo.c\nfn=main\n10 5\n")
        r = run_script(PROG, [data("paths.out"), other])
        self.assertEqual(r.returncode, 0, r.stderr)
        notes = [l for l in r.stdout.splitlines() if "Dr" in l]
        self.assertEqual(len(notes), 1, r.stdout)
        self.assertIn("ignored", notes[0])
        self.assertIn("different commands", r.stdout)

    def test_mod_funcname(self):
        new = self.variant("new.out", [("c'main", "c_v2'main")])
        doc, _ = diff_json(data("paths.out"), new)
        self.assertEqual(by_name(doc), {"c": -300, "c_v2": 300})
        doc, _ = diff_json(data("paths.out"), new, "--mod-funcname=_v2/")
        self.assertEqual(by_name(doc), {})

    def test_output_profile(self):
        new = self.variant("new.out", [("40 400 100", "40 500 100"),
                                       ("30 300 90", "30 100 90"),
                                       ("summary: 1000", "summary: 900"),
                                       ("totals: 1000", "totals: 900")])
        out = os.path.join(self.tmp, "d.out")
        r = run_script(PROG, [data("paths.out"), new, "-o", out])
        self.assertEqual(r.returncode, 0, r.stderr)
        # costs may be negative; the flame graph reads it exactly
        self.assertEqual(folded([out]), {"main;a;b": 100, "main;c": -200})
        self.assertEqual(folded(["--event=Dr", out]), {})
        # and it is itself a valid profile for costprof_diff
        doc, r = diff_json(out, out)
        self.assertEqual(r.returncode, 0)
        self.assertEqual(doc["totals"]["Ir"]["old"], -100)

    def test_threshold_and_limit(self):
        new = self.variant("new.out", [("40 400 100", "40 500 100"),
                                       ("30 300 90", "30 305 90"),
                                       ("summary: 1000", "summary: 1105"),
                                       ("totals: 1000", "totals: 1105")])
        doc, _ = diff_json(data("paths.out"), new)
        self.assertEqual(by_name(doc), {"b": 100, "c": 5})
        doc, _ = diff_json(data("paths.out"), new, "--threshold=1")
        self.assertEqual(by_name(doc), {"b": 100})     # 5 < 1% of 1000
        r = run_script(PROG, [data("paths.out"), new, "--limit=1",
                              "--format=json"])
        self.assertEqual([f["name"] for f in json.loads(r.stdout)
                          ["functions"]], ["b"])

    def test_merge_event_sets(self):
        other = self.write("ir.out", "# callgrind format\nversion: 1\n"
                           "creator: costprof-0.1\ncmd: ./demo\n"
                           "events: Ir\nsummary: 5\n\nob=/bin/demo\n"
                           "fl=demo.c\nfn=main\n10 5\n")
        out = os.path.join(self.tmp, "m.out")
        r = run_script(PROG, ["--merge", data("paths.out"), other, "-o", out])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Dr", r.stderr)
        self.assertEqual(folded([out])["main"], 105)
        self.assertEqual(sum(folded([out]).values()), 1005)

    def test_bad_inputs(self):
        cases = [
            [os.path.join(self.tmp, "nope.out"), data("paths.out")],
            [self.write("empty.out", ""), data("paths.out")],
            [data("paths.out"), self.write("bad.out",
                                           "events: Ir\nfn=m\n1 x\n")],
            [data("paths.out"), data("paths.out"), "--event=Bogus"],
            [data("paths.out"), data("paths.out"), "--fail-above=Ir"],
            [data("paths.out"), data("paths.out"), "--fail-above=Bogus:1"],
            [data("paths.out"), data("paths.out"), "--limit=-3"],
            [data("paths.out"), data("paths.out"), "-o",
             os.path.join(self.tmp, "no", "dir", "d.out")],
            [data("paths.out")],
            ["--merge", data("paths.out")],
        ]
        for args in cases:
            r = run_script(PROG, args)
            self.assertEqual(r.returncode, 1, (args, r.stdout, r.stderr))
            lines = r.stderr.splitlines()
            self.assertEqual(len(lines), 1, (args, r.stderr))
            self.assertTrue(lines[0].startswith(PROG + ": "), lines[0])
            self.assertNotIn("gate crossed", lines[0])
            self.assertNotIn("Traceback", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "no")))


@unittest.skipUnless(have_tools(), "needs gcc and valgrind")
class ProgramTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="cpdiff")
        # the same source built in three folders: only c's loop differs
        cls.p1 = build_and_profile(cls.tmp, 1000, "v1")
        cls.p2 = build_and_profile(cls.tmp, 2000, "v2")
        cls.p3 = build_and_profile(cls.tmp, 3000, "v3")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_known_change(self):
        d12 = by_name(diff_json(self.p1, self.p2)[0])
        d23 = by_name(diff_json(self.p2, self.p3)[0])
        # 1000 more iterations of c's loop each time: the same exact change
        self.assertGreater(d12["c"], 1000)
        self.assertEqual(d12["c"], d23["c"])
        for fn in ("main", "a", "b"):
            self.assertNotIn(fn, d12)
            self.assertNotIn(fn, d23)

    def test_merge_then_diff(self):
        merged = os.path.join(self.tmp, "m.out")
        r = run_script(PROG, ["--merge", self.p1, self.p2, "-o", merged])
        self.assertEqual(r.returncode, 0, r.stderr)
        # per stack: merged = p1 + p2 exactly
        f1, f2, fm = folded([self.p1]), folded([self.p2]), folded([merged])
        for k in set(f1) | set(f2) | set(fm):
            self.assertEqual(fm.get(k, 0), f1.get(k, 0) + f2.get(k, 0), k)
        # per function: diff(p1, merged) = p2's own cost of each function
        doc, r = diff_json(self.p1, merged)
        self.assertEqual(r.returncode, 0)
        want = {}
        for stack, v in f2.items():
            leaf = stack.rsplit(";", 1)[-1]
            want[leaf] = want.get(leaf, 0) + v
        got = by_name(doc)
        self.assertEqual({k: v for k, v in got.items() if v},
                         {k: v for k, v in want.items() if v})
        tot = profile_totals(self.p2)["Ir"]
        self.assertEqual(doc["totals"]["Ir"]["delta"], tot)

    def test_gate(self):
        doc, _ = diff_json(self.p1, self.p2)
        g = doc["totals"]["Ir"]["percent"]
        self.assertGreater(g, 0)
        r = run_script(PROG, [self.p1, self.p2, "--fail-above=Ir:%f"
                              % (g - 0.001)])
        self.assertEqual(r.returncode, 1)
        self.assertIn("gate crossed", r.stderr)
        self.assertIn("FAIL: Ir total grew", r.stdout)
        r = run_script(PROG, [self.p1, self.p2, "--fail-above=Ir:%f"
                              % (g + 0.001)])
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("ok: Ir total grew", r.stdout)
        # function gate: c's growth relative to the old total
        fg = 100.0 * by_name(doc)["c"] / doc["totals"]["Ir"]["old"]
        r = run_script(PROG, [self.p1, self.p2, "--fail-above-fn=Ir:%f"
                              % (fg - 0.001)])
        self.assertEqual(r.returncode, 1)
        self.assertIn("self cost of c grew", r.stderr)
        r = run_script(PROG, [self.p1, self.p2, "--fail-above-fn=Ir:%f"
                              % (fg + 0.001), "--format=json"])
        self.assertEqual(r.returncode, 0)
        self.assertFalse(json.loads(r.stdout)["gate_crossed"])


if __name__ == "__main__":
    unittest.main()
