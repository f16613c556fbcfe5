"""Fuzz test of cp_profile and costprof_annotate (issue 6): randomly
mutated profiles (lines deleted, duplicated, swapped or inserted, the file
cut anywhere, characters flipped, numbers garbled), fixed seed.  Every run
must end with status 0, or status 1 and exactly one stderr line
'costprof_annotate: ...' that is not an internal error; never a traceback.
Runs main() in-process for speed, plus a few real subprocess runs."""
import contextlib
import importlib.machinery
import importlib.util
import io
import os
import random
import re
import shutil
import tempfile
import unittest

from cputil import SRCDIR, run_script
from scripts.test_parser import DATA

SEED = 20240606
CASES = 1200
ERR = re.compile(r"^costprof_annotate: .+$")

TRICKY = [
    "calls=1", "calls=2 3", "calls=x 1", "fn=(99)", "fn=(1)", "cfn=(77)",
    "fl=(5)", "fi=(1)", "fe=(9)", "cob=(3)", "cfi=(2) x.c", "ob=(1) /x",
    "events: X", "events: Ir", "events:", "positions: instr line",
    "positions: instr", "positions: line", "positions: bogus",
    "jump=1 2", "jcnd=1/2 3", "jcnd=", "jfi=(1)", "jfn=(2) q",
    "totals: 0", "summary: 1 2 3 4 5 6 7 8 9 10 11", "summary:",
    "event: Ir : x", "event: S = Ir + Dr", "event:", "desc: x: y",
    "* * *", "+ 1", "-5 -5", "0x 1", "0xfff 0x1g", "*", "+1 +1 +1",
    "99999999999999999999999999 1", "1 -99999999999999999999", "\t",
    "fn=", "fl=", "cmd:", "pid: x", "part: 2", "thread: 1",
    "fn=a'b'c'd", "fn='", "fn=''", "fn=f'2", "# comment", "",
    "\x00", "\xff\xfe", "fn=(1) \udcff",
]
OPTIONS = [
    [], ["--format=json"], ["--threshold=0"], ["--paths=no"],
    ["--threshold=0", "--context=1", "--show=Ir"], ["--sort=Ir"],
    ["--inclusive=no", "--tree=no", "--derive=X = Ir + 2*Dr"],
]


def load_annotate():
    path = os.path.join(SRCDIR, "auto-scripts", "costprof_annotate.in")
    loader = importlib.machinery.SourceFileLoader("costprof_annotate_fz", path)
    spec = importlib.util.spec_from_loader(loader.name, loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


def seeds():
    out = []
    for name in sorted(os.listdir(DATA)):
        with open(os.path.join(DATA, name), encoding="utf-8",
                  errors="surrogateescape") as f:
            out.append(f.read())
    return out


def garble_number(rng, line):
    nums = list(re.finditer(r"\d+", line))
    if not nums:
        return line
    m = rng.choice(nums)
    repl = rng.choice(["", "-", "-1", "0", "x", "1e5", "99999999999999999999",
                       str(rng.randint(-1000, 10 ** 6)), "0x1f", "1.5", "+"])
    return line[:m.start()] + repl + line[m.end():]


def mutate(rng, text):
    lines = text.split("\n")
    for _ in range(rng.randint(1, 3)):
        op = rng.randrange(8)
        i = rng.randrange(len(lines)) if lines else 0
        if not lines:
            lines = [rng.choice(TRICKY)]
        elif op == 0:
            del lines[i]
        elif op == 1:
            lines.insert(i, lines[i])
        elif op == 2:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == 3:
            lines.insert(i, rng.choice(TRICKY))
        elif op == 4:
            lines[i] = garble_number(rng, lines[i])
        elif op == 5:
            s = lines[i]
            k = rng.randrange(len(s) + 1)
            c = rng.choice("=()'+-*x0 \t:#,;/\\\x00\u00e9")
            lines[i] = s[:k] + c + s[k + 1:]
        elif op == 6:
            text = "\n".join(lines)
            lines = text[:rng.randrange(len(text) + 1)].split("\n")
        else:
            lines = lines[:i]
    return "\n".join(lines)


class FuzzTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="cpfuzz")
        cls.mod = load_annotate()
        cls.seeds = seeds()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def check(self, code, out, err, what):
        self.assertNotIn("Traceback", err, what)
        if code == 0:
            self.assertEqual(err, "", what)
            return
        self.assertEqual(code, 1, (what, err))
        lines = err.splitlines()
        self.assertEqual(len(lines), 1, (what, err))
        self.assertRegex(lines[0], ERR, what)
        self.assertNotIn("internal error", lines[0], what)

    def test_mutated_in_process(self):
        rng = random.Random(SEED)
        path = os.path.join(self.tmp, "m.out")
        codes = {0: 0, 1: 0}
        for n in range(CASES):
            text = mutate(rng, rng.choice(self.seeds))
            with open(path, "w", encoding="utf-8",
                      errors="surrogateescape") as f:
                f.write(text)
            opts = rng.choice(OPTIONS)
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), \
                    contextlib.redirect_stderr(err):
                code = self.mod.main([path] + opts)
            what = "case %d, options %s:\n%s" % (n, opts, text[:3000])
            self.check(code, out.getvalue(), err.getvalue(), what)
            codes[code] += 1
        # the mutations must exercise both outcomes
        self.assertGreater(codes[0], CASES // 10)
        self.assertGreater(codes[1], CASES // 10)

    def test_mutated_subprocess(self):
        rng = random.Random(SEED + 1)
        for n in range(8):
            text = mutate(rng, rng.choice(self.seeds))
            path = os.path.join(self.tmp, "s%d.out" % n)
            with open(path, "w", encoding="utf-8",
                      errors="surrogateescape") as f:
                f.write(text)
            r = run_script("costprof_annotate", [path, "--threshold=0"],
                           errors="replace")
            self.check(r.returncode, r.stdout, r.stderr, text[:2000])

    def test_binary_garbage(self):
        rng = random.Random(SEED + 2)
        for n in range(50):
            path = os.path.join(self.tmp, "g%d.out" % n)
            with open(path, "wb") as f:
                f.write(bytes(rng.randrange(256)
                              for _ in range(rng.randrange(1, 400))))
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), \
                    contextlib.redirect_stderr(err):
                code = self.mod.main([path])
            self.check(code, out.getvalue(), err.getvalue(), "garbage %d" % n)


if __name__ == "__main__":
    unittest.main()
