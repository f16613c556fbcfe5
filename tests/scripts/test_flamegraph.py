"""Tests of costprof_flamegraph (issue 7): folded stacks add up to the
totals, known programs give known stacks, SVG escaping, --inverted,
--min-width, --diff and bad inputs."""
import os
import re
import shutil
import subprocess
import tempfile
import unittest

import cputil
import xml.etree.ElementTree as ET

from cputil import run_script

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "flame_data")
SVG = "{http://www.w3.org/2000/svg}"
PROG = "costprof_flamegraph"

# main -> a -> b and main -> c; a is called twice.
PROG_C = r"""
volatile long sink;
void b(void) { for (int i = 0; i < 3000; i++) sink += i; }
void a(void) { for (int i = 0; i < 1000; i++) sink ^= i; b(); }
void c(void) { for (int i = 0; i < ITER; i++) sink += i * 3; }
int main(void) { a(); c(); a(); return (int)(sink & 1); }
"""


def data(name):
    return os.path.join(DATA, name)


def have_tools():
    return shutil.which("gcc") and shutil.which("valgrind")


def build_and_profile(tmp, iters, sub="", separate=True):
    """Compile PROG_C with ITER=ITERS into TMP/SUB/prog (same source path
    for every variant) and profile it with callgrind; return the profile."""
    src = os.path.join(tmp, "prog.c")
    if not os.path.exists(src):
        with open(src, "w") as f:
            f.write(PROG_C)
    d = os.path.join(tmp, sub) if sub else tmp
    os.makedirs(d, exist_ok=True)
    exe = os.path.join(d, "prog")
    subprocess.run(["gcc", "-g", "-O0", "-DITER=%d" % iters, "-o", exe, src],
                   check=True)
    out = os.path.join(d, "cg%s.out" % ("p" if separate else ""))
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out]
    if separate:
        cmd.append("--separate-callers=50")
    subprocess.run(cmd + [exe], check=True, capture_output=True)
    return out


def profile_totals(path):
    """{event: total} from the profile's own events:/summary:/totals: lines
    (independent of the parser under test)."""
    events, tot = None, None
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith("events:"):
                events = line.split()[1:]
            elif line.startswith(("summary:", "totals:")):
                tot = [int(x) for x in line.split()[1:]]
    return dict(zip(events, tot))


def folded(args):
    r = run_script(PROG, list(args) + ["--folded"])
    assert r.returncode == 0, r.stderr
    rows = {}
    for line in r.stdout.splitlines():
        stack, _, val = line.rpartition(" ")
        rows[stack] = int(val)
    return rows


def frames(svg_path):
    """[(title text, rect attributes)] of the frames of an SVG."""
    root = ET.parse(svg_path).getroot()
    out = []
    for g in root.iter(SVG + "g"):
        if "f" in (g.get("class") or "").split():
            out.append((g.find(SVG + "title").text, g.find(SVG + "rect").attrib))
    return out


class FoldedTest(unittest.TestCase):
    def test_handwritten_paths_exact(self):
        self.assertEqual(folded([data("paths.out")]),
                         {"main": 100, "main;a": 200, "main;a;b": 400,
                          "main;c": 300})
        dr = folded(["--event=Dr", data("paths.out")])
        self.assertEqual(sum(dr.values()), 300)
        self.assertEqual(dr["main;a;b"], 100)

    def test_plain_profile_rebuilt_from_edges(self):
        # b's self cost split 400:200 by its callers' edges; the d<->e cycle
        # is cut and d's cost stays on the one path that reaches it.
        self.assertEqual(folded([data("plain.out")]),
                         {"main": 100, "main;a": 100, "main;a;b": 400,
                          "main;c": 100, "main;c;b": 200, "main;c;d": 40,
                          "main;c;d;e": 60})

    def test_inverted_reverses_stacks(self):
        rows = folded(["--inverted", data("paths.out")])
        self.assertEqual(rows["b;a;main"], 400)
        self.assertEqual(sum(rows.values()), 1000)

    def test_sanitised_frames(self):
        # invalid UTF-8 bytes in names are written back as they were read
        r = run_script(PROG, [data("evil.out"), "--folded"],
                       errors="surrogateescape")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("main;semi:colon 10", r.stdout.splitlines())
        self.assertIn("main;bad\udcff\udcfename 15", r.stdout.splitlines())
        self.assertEqual(sum(int(l.rsplit(" ", 1)[1])
                             for l in r.stdout.splitlines()), 100)

    def test_diff_folded(self):
        with tempfile.TemporaryDirectory() as tmp:
            new = os.path.join(tmp, "new.out")
            with open(data("paths.out")) as f:
                text = f.read()
            # b: 400 -> 500 Ir (so a->b and main->a edges grow too)
            text = text.replace("40 400 100", "40 500 100").replace(
                "21 400 100", "21 500 100").replace("11 600 200",
                                                    "11 700 200")
            text = text.replace("1000 300", "1100 300")
            with open(new, "w") as f:
                f.write(text)
            r = run_script(PROG, ["--diff", data("paths.out"), new,
                                  "--folded"])
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("main;a;b 400 500", r.stdout.splitlines())
            self.assertIn("main;c 300 300", r.stdout.splitlines())
            out = os.path.join(tmp, "d.svg")
            r = run_script(PROG, ["--diff", data("paths.out"), new, "-o",
                                  out])
            self.assertEqual(r.returncode, 0, r.stderr)
            fills = {t.split(":")[0]: a["fill"] for t, a in frames(out)}
            self.assertTrue(fills["b"].startswith("rgb(255,"), fills)  # red
            self.assertEqual(fills["c"], "rgb(250,250,250)")  # unchanged


@unittest.skipUnless(have_tools(), "needs gcc and valgrind")
class ProgramTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="cpflame")
        cls.paths = build_and_profile(cls.tmp, 1000)
        cls.plain = build_and_profile(cls.tmp, 1000, separate=False)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_sums_equal_totals(self):
        for prof in (self.paths, self.plain):
            for ev, total in profile_totals(prof).items():
                rows = folded(["--event=" + ev, prof])
                self.assertEqual(sum(rows.values()), total, prof)

    def test_known_stacks(self):
        for prof in (self.paths, self.plain):
            rows = folded([prof])

            def one(suffix):
                hits = [v for k, v in rows.items() if k.endswith(suffix)]
                self.assertEqual(len(hits), 1, (suffix, prof))
                return hits[0]
            a, b, c = one(";main;a"), one(";main;a;b"), one(";main;c")
            # b loops 3000 times per call and a calls it twice; c loops
            # 1000 times once; a's own loop 1000 per call, twice.
            self.assertTrue(4 < b / c < 5, (a, b, c))
            self.assertTrue(1.2 < a / c < 1.8, (a, b, c))

    def test_svg_of_program(self):
        out = os.path.join(self.tmp, "p.svg")
        r = run_script(PROG, [self.paths, "-o", out])
        self.assertEqual(r.returncode, 0, r.stderr)
        names = [t.split(":")[0].split(" [")[0] for t, _ in frames(out)]
        for n in ("main", "a", "b", "c"):
            self.assertIn(n, names)
        r = run_script(PROG, [self.plain, "-o", out])
        with open(out) as f:
            self.assertIn("approximate: rebuilt from call edges", f.read())


class SvgTest(cputil.TempDirTest):
    prefix = "cpflame"

    def svg(self, args):
        out = os.path.join(self.tmp, "o.svg")
        r = run_script(PROG, list(args) + ["-o", out])
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out, "rb") as f:
            raw = f.read()
        return out, raw

    def test_self_contained(self):
        out, raw = self.svg([data("paths.out"), "--title", "T"])
        ET.fromstring(raw)
        text = raw.decode("utf-8")
        self.assertNotIn("href", text)
        self.assertNotIn("@import", text)
        self.assertEqual(re.findall(r"url\(([^)]*)\)", text), ["#cpbg"])
        self.assertEqual(re.findall(r"https?://[^\"' ]*", text),
                         ["http://www.w3.org/2000/svg"])
        self.assertEqual(len(frames(out)), 4)
        titles = sorted(t for t, _ in frames(out))
        self.assertIn("b [demo]: 400 Ir (40.00%)", titles)

    def test_escaping(self):
        title = "it's <b>\"t\" & </script>"
        out, raw = self.svg([data("evil.out"), "--title", title,
                             "--subtitle", "]]><x>"])
        text = raw.decode("utf-8")      # valid UTF-8
        root = ET.fromstring(raw)       # valid XML
        self.assertEqual(text.count("<script"), 1)
        self.assertEqual(text.count("</script>"), 1)
        self.assertNotIn("<b>", text)
        self.assertNotIn("<x>", text)
        titles = [t for t, _ in frames(out)]
        self.assertIn('<script>alert("x&y")</script> [ev&il]: 20 Ir (20.00%)',
                      titles)
        self.assertIn("]]></script><script>bad()</script> [ev&il]: 30 Ir "
                      "(30.00%)", titles)
        self.assertIn("caf\u00e9_\u00fc [ev&il]: 15 Ir (15.00%)", titles)
        self.assertTrue(any(t.startswith("bad\ufffd\ufffdname") or
                            t.startswith("bad\ufffdname") for t in titles),
                        titles)
        texts = [e.text for e in root.iter(SVG + "text")]
        self.assertIn(title, texts)
        # the script element holds only our code and the JSON blob
        script = root.find(SVG + "script").text
        self.assertNotIn("<", script.split("var CPDATA", 1)[1].split(";\n")[0])

    def test_inverted_is_icicle(self):
        out, raw = self.svg([data("paths.out"), "--inverted"])
        fr = frames(out)
        ys = {t.split(" [")[0].split(":")[0]: float(a["y"]) for t, a in fr}
        # leaves (b, c) are at the top row; b's caller a below it
        self.assertLess(ys["b"], ys["a"])
        self.assertIn("Icicle", raw.decode())

    def test_min_width_merges(self):
        text = ["# callgrind format", "version: 1", "creator: costprof-0.1",
                "events: Ir", "summary: 2000", "", "ob=x", "fl=x.c",
                "fn=main", "1 1000"]
        for i in range(200):
            text += ["fn=leaf%03d'main" % i, "1 5"]
        prof = os.path.join(self.tmp, "many.out")
        with open(prof, "w") as f:
            f.write("\n".join(text) + "\n")
        out, raw = self.svg([prof, "--min-width=10"])
        names = [t.split(":")[0] for t, _ in frames(out)]
        self.assertIn("(200 frames merged)", names)
        self.assertEqual(len(names), 2)
        out, raw2 = self.svg([prof, "--min-width=0"])
        self.assertEqual(len(frames(out)), 201)
        self.assertLess(len(raw), len(raw2))
        self.assertEqual(sum(folded([prof]).values()), 2000)

    def test_negative_costs(self):
        text = ["# callgrind format", "version: 1", "creator: costprof-0.1",
                "events: Ir", "summary: 50", "", "ob=x", "fl=x.c",
                "fn=main", "1 100", "fn=f'main", "1 -50"]
        prof = os.path.join(self.tmp, "neg.out")
        with open(prof, "w") as f:
            f.write("\n".join(text) + "\n")
        self.assertEqual(folded([prof]), {"main": 100, "main;f": -50})
        out, raw = self.svg([prof])
        self.assertIn("negative cost not drawn", raw.decode())


class BadInputTest(cputil.TempDirTest):
    prefix = "cpflame"

    def bad(self, args, pattern=None):
        out = os.path.join(self.tmp, "out.svg")
        r = run_script(PROG, list(args) + (["-o", out] if "-o" not in args
                                           else []))
        self.assertEqual(r.returncode, 1, (args, r.stdout, r.stderr))
        lines = r.stderr.splitlines()
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertTrue(lines[0].startswith(PROG + ": "), lines[0])
        self.assertNotIn("Traceback", r.stderr)
        if pattern:
            self.assertRegex(lines[0], pattern)
        self.assertFalse(os.path.exists(out))
        self.assertEqual([f for f in os.listdir(self.tmp)
                          if f.startswith(".cp")], [])
        return lines[0]

    def test_missing(self):
        self.bad([os.path.join(self.tmp, "nope.out")], "nope.out")

    def test_empty(self):
        self.bad([self.write("empty.out", "")], r"empty\.out:\d+: ")

    def test_truncated(self):
        with open(data("paths.out")) as f:
            text = f.read()
        self.bad([self.write("trunc.out", text[:text.index("cfn=a") + 20])],
                 r"trunc\.out:\d+: ")

    def test_malformed(self):
        self.bad([self.write("bad.out", "events: Ir\nfn=main\n1 x y z\n")],
                 r"bad\.out:\d+: ")

    def test_unknown_event(self):
        self.bad(["--event=Bogus", data("paths.out")], "Bogus")

    def test_unwritable_output(self):
        self.bad([data("paths.out"), "-o",
                  os.path.join(self.tmp, "no", "such", "dir.svg")],
                 "dir.svg")

    def test_bad_options(self):
        self.bad(["--width=abc", data("paths.out")])
        self.bad(["--colors=nosuch", data("paths.out")])
        self.bad(["--mod-funcname=noslash", data("paths.out")])
        self.bad([])
        self.bad(["--diff", data("paths.out")])


if __name__ == "__main__":
    unittest.main()
