"""Tests of cp_profile, the shared parser (issue 6): every syntax feature on
hand-written profiles with known sums (tests/scripts/data), each kind of bad
input, --mod-* rules, and callgrind's own output in all its compression
variants read back identically."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from cputil import SRCDIR

sys.path.insert(0, os.path.join(SRCDIR, "auto-scripts"))
import cp_profile  # noqa: E402

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def data(name):
    return os.path.join(DATA, name)


def have(tool):
    return shutil.which(tool) is not None


class Tmp(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cpparse")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def write(self, text, name="p.out"):
        p = os.path.join(self.tmp, name)
        with open(p, "w") as f:
            f.write(text)
        return p

    def load_text(self, text, **kw):
        return cp_profile.load(self.write(text), **kw)

    def bad(self, text, lineno, words):
        path = self.write(text)
        with self.assertRaises(cp_profile.ProfileError) as cm:
            cp_profile.load(path)
        e = cm.exception
        self.assertEqual(e.lineno, lineno, str(e))
        self.assertTrue(str(e).startswith("%s:%d: " % (path, lineno)), str(e))
        self.assertIn(words, str(e))
        self.assertEqual(len(str(e).splitlines()), 1)


class FeaturesTest(unittest.TestCase):
    """features.out: compression, fi/fe, relative/hex positions, negative
    costs, missing columns, calls to other files/objects, a callee that
    never appears, jumps."""

    @classmethod
    def setUpClass(cls):
        cls.p = cp_profile.load(data("features.out"))

    def ctx(self, name):
        return [c for c in self.p.contexts if c.name == name][0]

    def test_header(self):
        p = self.p
        self.assertEqual(p.events, ["A", "B", "C"])
        self.assertEqual(p.cmd, "./feat a b")
        self.assertEqual(p.pid, "42")
        self.assertEqual(p.creator, "hand-written")
        self.assertEqual(p.version, "1")
        self.assertEqual(p.positions, ["line"])
        self.assertEqual(p.descs, ["I1 cache: 32768 B, 64 B, 8-way associative"])
        self.assertEqual(p.event_descs["A"], "first event")
        self.assertEqual(p.event_descs["S"], "sum of A and B")
        self.assertEqual(p.event_formulas, {"S": "A + B"})
        self.assertEqual(p.summary, [171, 8, 9])
        self.assertEqual(p.totals, [171, 8, 9])
        self.assertEqual(p.event_index("B"), 1)
        with self.assertRaises(cp_profile.ProfileError) as cm:
            p.event_index("Ir")
        self.assertEqual(str(cm.exception),
                         "%s:0: event 'Ir' not in profile" % data("features.out"))

    def test_lines(self):
        m = self.ctx("main")
        self.assertEqual(m.obj, "/bin/feat")
        self.assertEqual(m.file, "/src/feat.c")
        self.assertEqual(m.lines, {
            ("/src/feat.c", 10): [1, 2, 3],
            ("/src/feat.c", 12): [5, 1, 1],      # +2 then * (summed)
            ("/src/feat.c", 11): [-2, 0, 5],     # -1, negative cost
            ("/src/feat.c", 16): [7, 0, 0],      # 0x10, missing columns
            ("/src/inl.h", 20): [100, 0, 0],     # fi=
            ("/src/feat.c", 17): [1, 0, 0],      # fe=
        })
        self.assertEqual(m.self, [112, 3, 9])
        self.assertEqual(m.stack, ("main",))
        self.assertEqual(m.func, "main")

    def test_calls(self):
        m = self.ctx("main")
        calls = {c.callee.name: c for c in m.calls}
        self.assertEqual(sorted(calls), ["ghost", "helper", "xfn"])
        h = calls["helper"]
        self.assertIs(h.callee, self.ctx("helper"))
        self.assertIs(h.caller, m)
        self.assertEqual((h.count, h.file, h.line, h.inclusive),
                         (2, "/src/feat.c", 18, [50, 5, 0]))
        self.assertEqual(h.callee.file, "/src/inl.h")
        x = calls["xfn"]
        self.assertEqual(x.callee.obj, "/lib/libx.so")
        self.assertEqual(x.callee.self, [9, 0, 0])
        g = calls["ghost"]
        self.assertTrue(g.callee.stub)
        self.assertEqual(g.callee.self, [0, 0, 0])
        self.assertEqual(g.inclusive, [3, 0, 0])
        self.assertNotIn(g.callee, self.p.contexts)
        self.assertIn(g.callee, self.p.stubs)

    def test_functions(self):
        fs = self.p.functions()
        self.assertFalse(self.p.has_paths)
        main = fs[("/bin/feat", "main")]
        self.assertEqual(main.self, [112, 3, 9])
        self.assertEqual(main.inclusive, [174, 8, 9])
        self.assertEqual(fs[("/lib/libx.so", "xfn")].inclusive, [9, 0, 0])
        self.assertEqual(len(main.contexts), 1)


class FormatsTest(Tmp):
    def test_instr_positions(self):
        p = cp_profile.load(data("instr.out"))
        f = p.contexts[0]
        self.assertEqual(p.positions, ["instr", "line"])
        self.assertEqual(f.lines, {("a.c", 10): [8], ("a.c", 11): [3],
                                   ("a.c", 20): [0], ("a.c", 30): [4]})
        self.assertEqual(p.totals, [16])

    def test_instr_only(self):
        p = self.load_text("positions: instr\nevents: Ir\nfn=f\n"
                           "0x10 5\n+2 6\n-1 1\n* 1\n")
        self.assertEqual(p.contexts[0].lines, {("???", 0): [13]})

    def test_cachegrind_format(self):
        p = cp_profile.load(data("cachegrind.out"))
        self.assertEqual(p.events, ["Ir", "I1mr", "ILmr"])
        self.assertEqual(p.totals, [18, 1, 1])
        self.assertEqual(len(p.descs), 2)
        mains = [c for c in p.contexts if c.name == "main"]
        self.assertEqual(sorted(c.file for c in mains), ["m.c", "other.c"])
        self.assertEqual(p.functions()[(None, "main")].self, [16, 1, 1])

    def test_xtree(self):
        p = cp_profile.load(data("xtree.kcg"))
        self.assertEqual(p.events[:2], ["curB", "curBk"])
        self.assertEqual(p.event_descs["totB"], "total allocated Bytes")
        self.assertEqual(p.totals, [1040, 5, 2090, 10, 1050, 5])
        fs = p.functions()
        self.assertEqual(fs[(None, "main")].inclusive, p.totals)
        self.assertEqual(fs[(None, "f")].inclusive, [1040, 5, 2090, 10, 0, 0])

    def test_paths(self):
        p = cp_profile.load(data("paths.out"))
        self.assertTrue(p.has_paths)
        self.assertTrue(p.paths_complete())
        g = [c for c in p.contexts if c.func == "g"][0]
        self.assertEqual(g.stack, ("main", "f", "g"))
        self.assertEqual(g.name, "g'f'main")
        fs = p.functions()
        self.assertEqual(fs[("/bin/rec", "main")].inclusive, [80])
        self.assertEqual(fs[("/bin/rec", "f")].inclusive, [70])
        self.assertEqual(fs[("/bin/rec", "g")].inclusive, [30])
        self.assertEqual(fs[("/bin/rec", "f")].self, [40])

    def test_separate_recs_suffix(self):
        p = self.load_text("events: Ir\nfn=f'2'main\n1 1\nfn=f'main\n1 2\n"
                           "fn=main\n1 1\n")
        c = p.contexts[0]
        self.assertEqual((c.func, c.stack), ("f", ("main", "f")))

    def test_multiple_parts_and_blank_lines(self):
        p = self.load_text("# callgrind format\n\nevents: Ir\nfn=a\n1 2\n"
                           "totals: 2\n\npart: 2\nevents: Ir\nfn=a\n1 3\n"
                           "totals: 3\n")
        self.assertEqual(p.totals, [5])

    def test_crlf_and_tabs(self):
        p = self.load_text("events: Ir Dr\r\nfn=a\r\n1\t2\t3\r\n")
        self.assertEqual(p.contexts[0].name, "a")
        self.assertEqual(p.totals, [2, 3])

    def test_position_only_cost_line(self):
        p = self.load_text("events: Ir\nfn=a\n4\n5 1\n")
        self.assertEqual(p.contexts[0].lines, {("???", 4): [0], ("???", 5): [1]})

    def test_hex_costs(self):
        p = self.load_text("events: Ir\nfn=a\n4 0x10\n")
        self.assertEqual(p.totals, [16])

    def test_fl_redefined_id_and_names_with_parens(self):
        p = self.load_text("events: Ir\nfl=(1) a.c\nfn=(1) (below main)\n1 1\n"
                           "fn=(2) operator()(int)\n1 2\nfn=(1)\n2 3\n")
        self.assertEqual([c.name for c in p.contexts],
                         ["(below main)", "operator()(int)"])
        self.assertEqual(p.contexts[0].self, [4])

    def test_callee_without_cfi_found_by_name(self):
        # cfi= left out although the callee's fl= differs: matched by name
        p = self.load_text("events: Ir\nfl=a.c\nfn=main\ncfn=f\ncalls=1 1\n"
                           "2 5\nfl=b.c\nfn=f\n1 5\n")
        call = p.contexts[0].calls[0]
        self.assertFalse(call.callee.stub)
        self.assertEqual(call.callee.file, "b.c")


class ModTest(Tmp):
    def test_parse(self):
        rx, repl = cp_profile.parse_mod_option("_v[0-9]+/")
        self.assertEqual((rx.pattern, repl), ("_v[0-9]+", ""))
        rx, repl = cp_profile.parse_mod_option("s/A/b/gi")
        self.assertEqual(rx.sub(repl, "aXa"), "bXb")
        rx, repl = cp_profile.parse_mod_option(r"^\/home\/[^/]*/~")
        self.assertEqual(rx.sub(repl, "/home/me/x.c"), "~/x.c")
        for bad in ("noslash", "/x", "a(/b", r"a/\9"):
            with self.assertRaises(ValueError) as cm:
                cp_profile.parse_mod_option(bad)
            self.assertTrue(str(cm.exception))

    def test_cg_annotate_first_match_only(self):
        rule = cp_profile.parse_mod_option("s/a/b/")
        p = self.load_text("events: Ir\nfl=aaa.c\nfn=f\n1 1\n",
                           mod_filename=[rule])
        self.assertEqual(p.contexts[0].file, "baa.c")

    def test_load_with_rules(self):
        mf = [cp_profile.parse_mod_option(r"^/build/[0-9]+/src//")]
        mn = [cp_profile.parse_mod_option("_v2$/"),
              cp_profile.parse_mod_option("^main$/MAIN")]
        p = self.load_text(
            "events: Ir\nob=/build/1/src/app\nfl=(1) /build/1/src/a.c\n"
            "fn=(1) g_v2'f_v2'main\n1 1\ncfn=(2) h'g_v2'f_v2'main\n"
            "calls=1 1\n1 2\nfn=(2)\n3 2\n", mod_filename=mf, mod_funcname=mn)
        c = p.contexts[0]
        self.assertEqual(c.name, "g'f'MAIN")
        self.assertEqual(c.stack, ("MAIN", "f", "g"))
        self.assertEqual(c.file, "a.c")
        self.assertEqual(c.obj, "app")
        self.assertIs(c.calls[0].callee, p.contexts[1])
        self.assertEqual(p.contexts[1].name, "h'g'f'MAIN")


class BadInputTest(Tmp):
    def test_missing_and_empty(self):
        missing = os.path.join(self.tmp, "nope.out")
        with self.assertRaises(cp_profile.ProfileError) as cm:
            cp_profile.load(missing)
        self.assertTrue(str(cm.exception).startswith(missing + ":0: cannot read"))
        self.bad("", 0, "empty file")
        self.bad("\n\n  \n", 0, "empty file")
        with self.assertRaises(cp_profile.ProfileError) as cm:
            cp_profile.load(self.tmp)
        self.assertIn("directory", str(cm.exception))

    def test_truncated(self):
        self.bad("# callgrind format\nversion: 1\ncreator: x\n", 0,
                 "no events: line")
        self.bad("events: Ir\nfn=a\ncfn=b\ncalls=1 2\n", 4,
                 "calls= line without its cost line")
        self.bad("events: Ir\nfn=a\ncfn=b\ncalls=1 2\nfn=c\n1 1\n", 4,
                 "not followed by its cost line")
        self.bad("events: Ir\nfn=a\njump=1 2\n", 3, "jump line without")
        self.bad("events: Ir\nfn=a\n1 5\n2 5\ntotals: 20\n", 5,
                 "differ from the sum")

    def test_malformed(self):
        self.bad("events: Ir\nfn=a\n1 2 3\n", 3, "2 costs but there are 1 events")
        self.bad("events: Ir Dr\nfn=a\n1 2 x\n", 3, "bad number 'x'")
        self.bad("events: Ir\nfn=a\n1x 2\n", 3, "bad position '1x'")
        self.bad("events: Ir\nfn=a\n*3 2\n", 3, "bad position '*3'")
        self.bad("events: Ir\nfn=a\nhello world\n", 3, "malformed line")
        self.bad("events: Ir\nfn=a\nxyz=3\n", 3, "malformed line")
        self.bad("events: Ir\n1 2\n", 2, "before any fn= line")
        self.bad("fn=a\nevents: Ir\n", 1, "before the events: line")
        self.bad("1 2\nevents: Ir\n", 1, "before the events: line")
        self.bad("events: Ir\nfn=(3)\n", 2, "function id (3) used before")
        self.bad("events: Ir\nfl=(2)\nfn=a\n", 2, "file id (2) used before")
        self.bad("events: Ir\nfn=(1x) a\n", 2, "bad compressed name")
        self.bad("events: Ir\nfn=a\ncalls=1 2\n1 1\n", 3, "without a cfn=")
        self.bad("events: Ir\nfn=a\ncfn=b\ncalls=x 2\n1 1\n", 4,
                 "bad call count")
        self.bad("events:\n", 1, "names no events")
        self.bad("events: Ir Ir\n", 1, "names an event twice")
        self.bad("events: Ir\nevents: Dr\n", 2, "differs from the earlier")
        self.bad("positions: col\nevents: Ir\n", 1, "bad positions")
        self.bad("events: Ir\nsummary: 1 2\n", 2, "2 costs but there are 1")
        self.bad("events: Ir\nfn=a\njcnd=x/2 3\n", 3, "bad count")

    def test_binary(self):
        path = os.path.join(self.tmp, "bin.out")
        with open(path, "wb") as f:
            f.write(b"\x7fELF\x00\x00\x01")
        with self.assertRaises(cp_profile.ProfileError) as cm:
            cp_profile.load(path)
        self.assertIn("binary file", str(cm.exception))


PROG_C = r"""
#include <stdio.h>
#include <stdlib.h>
static int leaf(int n) { int s = 0; for (int i = 0; i < n; i++) s += i % 7; return s; }
static int mid(int n) { return leaf(n) + leaf(n / 2); }
static int rec(int n) { return n <= 0 ? leaf(5) : 1 + rec(n - 1); }
int main(void) {
    int t = 0;
    for (int k = 0; k < 50; k++) t += mid(100 + k);
    t += rec(20);
    printf("%d\n", t);
    return 0;
}
"""


def compile_prog(tmp, name="prog", src=PROG_C):
    c = os.path.join(tmp, name + ".c")
    with open(c, "w") as f:
        f.write(src)
    exe = os.path.join(tmp, name)
    subprocess.run(["gcc", "-g", "-O0", "-o", exe, c], check=True)
    return exe


def callgrind(tmp, exe, out, *opts):
    path = os.path.join(tmp, out)
    subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + path]
                   + list(opts) + [exe], check=True, cwd=tmp,
                   stdin=subprocess.DEVNULL, capture_output=True)
    return path


@unittest.skipUnless(have("valgrind") and have("gcc"), "needs valgrind and gcc")
class CallgrindVariantsTest(Tmp):
    """The same run written with every compression option reads back to the
    same per-function self costs and totals."""

    def test_variants(self):
        exe = compile_prog(self.tmp)
        variants = [("plain",), ("nostr", "--compress-strings=no"),
                    ("nopos", "--compress-pos=no"),
                    ("instr", "--dump-instr=yes"),
                    ("instr-nocomp", "--dump-instr=yes", "--compress-pos=no",
                     "--compress-strings=no"),
                    ("jumps", "--dump-instr=yes", "--collect-jumps=yes"),
                    ("cache", "--cache-sim=yes", "--dump-instr=yes")]
        results = {}
        for v in variants:
            p = cp_profile.load(callgrind(self.tmp, exe, v[0] + ".out", *v[1:]))
            fs, per_line = {}, {}
            for c in p.contexts:
                k = (os.path.basename(c.obj or ""), c.func)
                fs[k] = fs.get(k, 0) + c.self[0]
                for (f, line), cost in c.lines.items():
                    if cost[0]:
                        lk = (k, f, line)
                        per_line[lk] = per_line.get(lk, 0) + cost[0]
                self.assertEqual(sum(sum(v[0] for v in c.file_self().values())
                                     for c in [c]), c.self[0])
            self.assertEqual(sum(per_line.values()), p.totals[0])
            results[v[0]] = (p.totals[0], fs, per_line)
            self.assertEqual(p.events[0], "Ir")
            self.assertEqual(p.totals, p.written_totals)
        base = results["plain"]
        for name, r in results.items():
            self.assertEqual(r[0], base[0], name)
            self.assertEqual(r[1], base[1], name)
            self.assertEqual(r[2], base[2], name)    # cost per source line
        self.assertIn(("prog", "leaf"), base[1])


if __name__ == "__main__":
    unittest.main()
