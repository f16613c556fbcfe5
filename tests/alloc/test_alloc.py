"""Issue 5: heap allocation events per call path (--alloc=yes), against
valgrind's DHAT on the same binary: totals, t-gmax and t-end, and per-site
values where each allocation call is alone in its own function (a DHAT
program point then maps 1:1 to a costprof site).  DHAT runs without the
libc/C++ freeres hooks, which costprof does not run either (they would
execute client code that callgrind does not, and change Ir)."""
import json
import os
import re
import subprocess
import tempfile
import unittest

import cputil
from cputil import profile_run

HERE = os.path.dirname(os.path.abspath(__file__))
ALLOC_EV = "totB totBk totFdB totFdBk curB curBk peakB peakBk tmpBk".split()
(TOTB, TOTBK, FDB, FDBK, CURB, CURBK, PEAKB, PEAKBK, TMPBK) = range(9)
ALLOCATORS = re.compile(r"^(__libc_)?(malloc|calloc|realloc|reallocarray|free|"
                        r"cfree|memalign|aligned_alloc|posix_memalign|valloc|"
                        r"pvalloc)$|^operator (new|delete)")


def build(src, d):
    """Compiles tests/alloc/SRC into folder D, without inlining."""
    out = os.path.join(d, os.path.splitext(src)[0])
    cc = "g++" if src.endswith(".cpp") else "gcc"
    cmd = [cc, "-g", "-O0", "-fno-inline", "-pthread", "-o", out,
           os.path.join(HERE, src)]
    if cc == "g++":
        cmd.insert(1, "-std=c++17")
    subprocess.run(cmd, check=True, capture_output=True)
    return out


def base_name(fn):
    """'s_new() ...' / "s_new'main'..." -> 's_new'."""
    return fn.split("'")[0].split("(")[0].strip()


def read_sites(path):
    """Self cost lines of a profile as {(function, file basename, line):
    [allocation columns]}, summed over contexts; also {context name:
    [allocation columns]} for the contexts that have any."""
    names = {}
    sites, ctxs = {}, {}
    fn = fl = fi = None
    skip_next = False
    first = None

    def name(val, kind):
        m = re.match(r"\((\d+)\)(.*)$", val)
        if m:
            key, rest = (kind, m.group(1)), m.group(2).strip()
            if rest:
                names[key] = rest
            return names[key]
        return val

    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("events:"):
                evs = line.split()[1:]
                first = evs.index("totB")
            elif line.startswith(("fn=")):
                fn = name(line[3:], "fn")
                fi = None
            elif line.startswith("fl="):
                fl = name(line[3:], "fl")
                fi = None
            elif line.startswith(("fi=", "fe=")):
                fi = name(line[3:], "fl")
            elif line.startswith(("cfl=", "cfi=")):
                name(line[4:], "fl")
            elif line.startswith("cfn="):
                name(line[4:], "fn")
            elif line.startswith("calls="):
                skip_next = True
            elif line[:1].isdigit():
                if skip_next:
                    skip_next = False
                    continue
                parts = [int(x) for x in line.split()]
                cost = parts[1 + first:1 + first + 9]
                cost += [0] * (9 - len(cost))
                if not any(cost):
                    continue
                key = (base_name(fn), os.path.basename(fi or fl), parts[0])
                cur = sites.setdefault(key, [0] * 9)
                cc = ctxs.setdefault(fn, [0] * 9)
                for i, c in enumerate(cost):
                    cur[i] += c
                    cc[i] += c
    return sites, ctxs


def dhat(argv, cwd):
    """Runs DHAT; returns (totals {'total'|'gmax'|'end': (bytes, blocks)},
    the parsed JSON)."""
    out = os.path.join(cwd, "dhat.json")
    r = cputil.valgrind("dhat", argv, ["--dhat-out-file=" + out,
                                       "--run-libc-freeres=no",
                                       "--run-cxx-freeres=no"], cwd=cwd)
    if r.returncode != 0:
        raise AssertionError(r.stderr[-2000:])
    tot = {}
    for key, label in (("total", r"Total:"), ("gmax", r"At t-gmax:"),
                       ("end", r"At t-end:")):
        m = re.search(label + r"\s+([\d,]+) bytes in ([\d,]+) blocks", r.stderr)
        tot[key] = (int(m.group(1).replace(",", "")),
                    int(m.group(2).replace(",", "")))
    with open(out) as f:
        return tot, json.load(f)


def dhat_sites(d, src):
    """DHAT's program points summed by their first frame in SRC:
    {(function, src, line): [tb, tbk, gb, gbk, eb, ebk]}."""
    res = {}
    for pp in d["pps"]:
        # the caller of DHAT's replacement functions; an allocation made
        # inside a library (pthread_create's TLS) is the library's site
        frames = [d["ftbl"][i] for i in pp["fs"]]
        frames = [f for f in frames if "vgpreload_dhat" not in f]
        m = re.match(r"0x[0-9A-Fa-f]+: (.*) \((\S+):(\d+)\)$",
                     frames[0] if frames else "")
        if m and m.group(2) == src:
            key = (base_name(m.group(1)), src, int(m.group(3)))
            cur = res.setdefault(key, [0] * 6)
            for j, k in enumerate(("tb", "tbk", "gb", "gbk", "eb", "ebk")):
                cur[j] += pp[k]
    return res


def line_of(src, needle):
    with open(os.path.join(HERE, src)) as f:
        for n, line in enumerate(f, 1):
            if needle in line:
                return n
    raise AssertionError("%r not in %s" % (needle, src))


def profile_sites(cls):
    """Builds tests/alloc/<cls.SRC> and profiles it with --alloc=yes: sets
    cls.exe, cls.p (the profile) and cls.sites; returns the folder."""
    d = tempfile.mkdtemp(prefix="cp-alloc-")
    cls.exe = build(cls.SRC, d)
    _r, cls.p, path = profile_run("costprof", [cls.exe], ["--alloc=yes"],
                                  cwd=d)
    cls.sites, _c = read_sites(path)
    return d


class TestAllocSites(unittest.TestCase):
    """Every entry point, realloc's cases, nesting, a peak, temporaries and
    a leak (alloc_sites.cpp), with DHAT as the oracle."""
    SRC = "alloc_sites.cpp"

    @classmethod
    def setUpClass(cls):
        d = tempfile.mkdtemp(prefix="cp-alloc-")
        cls.exe = build(cls.SRC, d)
        cls.run_, cls.p, cls.path = profile_run("costprof", [cls.exe],
                                                ["--alloc=yes"], cwd=d)
        cls.sites, cls.ctxs = read_sites(cls.path)
        cls.dtot, cls.dj = dhat([cls.exe], d)
        cls.dsites = dhat_sites(cls.dj, cls.SRC)
        cls.first = cls.p["events"].index("totB")

    def site(self, fn, needle):
        """The allocation columns of function FN's line holding NEEDLE."""
        key = (fn, self.SRC, line_of(self.SRC, needle))
        return self.sites.get(key, [0] * 9)

    def summary(self, k):
        return self.p["summary"][self.first + k]

    def test_event_columns(self):
        self.assertEqual(self.p["events"], ["Ir"] + ALLOC_EV)

    def test_totals_equal_dhat(self):
        self.assertEqual((self.summary(TOTB), self.summary(TOTBK)),
                         self.dtot["total"])
        self.assertEqual((self.summary(PEAKB), self.summary(PEAKBK)),
                         self.dtot["gmax"])
        self.assertEqual((self.summary(CURB), self.summary(CURBK)),
                         self.dtot["end"])
        # every byte allocated is freed or still allocated
        self.assertEqual(self.summary(TOTB) - self.summary(FDB),
                         self.summary(CURB))
        self.assertEqual(self.summary(TOTBK) - self.summary(FDBK),
                         self.summary(CURBK))

    def test_per_site_equal_dhat(self):
        ours = {k: [v[TOTB], v[TOTBK], v[PEAKB], v[PEAKBK], v[CURB], v[CURBK]]
                for k, v in self.sites.items()
                if k[1] == self.SRC and v[TOTBK] > 0}
        self.assertGreater(len(self.dsites), 20)
        self.assertEqual(ours, self.dsites)

    def test_entry_points(self):
        expect = {   # function: (needle on its line, totB, totBk)
            "s_calloc": ("return calloc", 12 + 1 + 200, 3),
            "s_memalign": ("return memalign", 100, 1),
            "s_aligned_alloc": ("return aligned_alloc", 128, 1),
            "s_valloc": ("return valloc", 20, 1),
            "s_posix_memalign": ("posix_memalign(&p", 40, 1),
            "s_reallocarray": ("return reallocarray", 15 + 50, 2),
            "s_new": ("return new int;", 4, 1),
            "s_new_arr": ("return new int[n];", 40 + 300, 2),
            "s_new_nothrow": ("new (std::nothrow) int;", 4, 1),
            "s_new_arr_nothrow": ("new (std::nothrow) int[n]", 12, 1),
            "s_new_aligned": ("return new Wide;", 64, 1),
            "s_new_arr_aligned": ("return new Wide[n];", 128, 1),
            "s_op_new": ("::operator new(n)", 12, 1),
        }
        for fn, (needle, b, bk) in expect.items():
            c = self.site(fn, needle)
            self.assertEqual((c[TOTB], c[TOTBK]), (b, bk), fn)
        frees = {   # function: (needle, totFdB, totFdBk)
            "s_delete": ("{ delete p; }", 8, 2),
            "s_delete_arr": ("{ delete[] p; }", 40 + 12 + 300, 3),
            "s_delete_aligned": ("void s_delete_aligned", 64, 1),
            "s_delete_arr_aligned": ("void s_delete_arr_aligned", 128, 1),
            "s_op_delete_sized": ("::operator delete(p, n)", 12, 1),
        }
        for fn, (needle, b, bk) in frees.items():
            c = self.site(fn, needle)
            self.assertEqual((c[FDB], c[FDBK]), (b, bk), fn)

    def test_malloc_zero_counts_one_byte_and_free_null_nothing(self):
        # s_malloc: 10, 0 (1 byte), 16 grown to 64, shrunk to 8, resized to
        # 8 (DHAT: one more block each), 100 in incl_fn, 5000 leaked
        c = self.site("s_malloc", "return malloc(n)")
        self.assertEqual((c[TOTB], c[TOTBK]),
                         (10 + 1 + 16 + 64 + 8 + 8 + 100 + 5000, 8))

    def test_realloc(self):
        c = self.site("s_realloc", "return realloc(p, n)")
        # realloc(NULL, 24) allocates here; realloc(p, 0) frees it here;
        # the three resizes free their old size here (16, 64, 8)
        self.assertEqual((c[TOTB], c[TOTBK]), (24, 1))
        self.assertEqual((c[FDB], c[FDBK]), (24 + 16 + 64 + 8, 4))
        self.assertEqual((c[CURB], c[CURBK]), (0, 0))

    def test_nested_allocators_count_once(self):
        # operator new calls malloc, aligned new calls aligned_alloc,
        # reallocarray calls realloc: only the outermost call counts
        for ctx in self.ctxs:
            self.assertFalse(ALLOCATORS.match(ctx.split("'")[0]), ctx)
        self.assertEqual(self.site("s_new", "return new int;")[TOTBK], 1)

    def test_leak(self):
        c = self.site("leak", "return malloc(777)")
        self.assertEqual((c[CURB], c[CURBK], c[FDB]), (777, 1, 0))

    def test_peak_in_function_that_returned(self):
        a = self.site("peak_a", "malloc(30000)")
        b = self.site("peak_b", "calloc(100, 200)")
        self.assertEqual((a[PEAKB], a[PEAKBK]), (30000, 1))
        self.assertEqual((b[PEAKB], b[PEAKBK]), (20000, 1))
        self.assertEqual((a[CURB], b[CURB]), (0, 0))
        for s in (a, b):
            self.assertEqual(s[PEAKB], self.dsites[
                (s is a and "peak_a" or "peak_b", self.SRC,
                 line_of(self.SRC, s is a and "malloc(30000)"
                         or "calloc(100, 200)"))][2])
        self.assertNotEqual(self.summary(PEAKB), self.summary(CURB))
        # what was live at the end is not what was live at the peak
        leak = self.site("leak", "return malloc(777)")
        self.assertEqual(leak[PEAKB], 0)

    def test_temporaries(self):
        self.assertEqual(self.site("tmp_yes", "malloc(48)")[TMPBK], 1)
        # another allocation came before its free
        self.assertEqual(self.site("tmp_no", "malloc(56)")[TMPBK], 0)
        # freed after another free: heaptrack's rule does not count it
        self.assertEqual(self.site("tmp_other", "malloc(72)")[TMPBK], 0)

    def test_inclusive_call_cost(self):
        calls = [c for c in self.p["calls"]
                 if base_name(c[1]) == "main" and base_name(c[3]) == "incl_fn"]
        self.assertEqual(len(calls), 1)
        costs = calls[0][5]
        f = self.first
        self.assertEqual(costs[f + TOTB:f + FDBK + 1], [600, 3, 600, 3])

    def test_ir_unchanged(self):
        d = os.path.dirname(self.path)
        _r, plain, _f = profile_run("costprof", [self.exe], cwd=d)
        _r, clg, _f = profile_run("callgrind", [self.exe], cwd=d)
        self.assertEqual(self.p["summary"][0], plain["summary"][0])
        self.assertEqual(self.p["summary"][0], clg["totals"][0])


class TestCollection(unittest.TestCase):
    """Allocation events follow collection as the other events do: only
    blocks allocated while collecting are counted, and a counted block is
    followed until it is freed."""

    @classmethod
    def setUpClass(cls):
        cls.d = tempfile.mkdtemp(prefix="cp-alloc-")
        cls.exe = build("alloc_sites.cpp", cls.d)

    def totals(self, opts):
        _r, p, _path = profile_run("costprof", [self.exe],
                                   ["--alloc=yes"] + opts, cwd=self.d)
        first = p["events"].index("totB")
        return p["summary"][first:first + 9]

    def test_toggle_collect_counts_only_inside(self):
        # a C++ name: "incl_fn()"
        t = self.totals(["--toggle-collect=incl_fn*"])
        # incl_fn allocates 100 + 200 + 300 bytes and frees them all
        self.assertEqual((t[TOTB], t[TOTBK]), (600, 3))
        self.assertEqual((t[FDB], t[FDBK]), (600, 3))
        self.assertEqual((t[CURB], t[CURBK]), (0, 0))
        self.assertEqual((t[PEAKB], t[PEAKBK]), (600, 3))

    def test_collection_off_counts_nothing(self):
        t = self.totals(["--collect-atstart=no"])
        self.assertEqual(t, [0] * 9)


class TestThrowingNew(unittest.TestCase):
    """operator new that throws makes no block (alloc_throw.cpp)."""
    SRC = "alloc_throw.cpp"

    @classmethod
    def setUpClass(cls):
        profile_sites(cls)

    def site(self, fn, needle):
        return self.sites.get((fn, self.SRC, line_of(self.SRC, needle)),
                              [0] * 9)

    def test_throwing_new_makes_no_block(self):
        c = self.site("too_big", "return new char[n]")
        self.assertEqual((c[TOTB], c[TOTBK], c[CURB]), (0, 0, 0))

    def test_other_blocks_still_counted(self):
        c = self.site("fine", "return new char[40]")
        self.assertEqual((c[TOTB], c[TOTBK], c[FDB], c[CURB]), (40, 1, 0, 0))
        first = self.p["events"].index("totB")
        tot = self.p["summary"][first:first + 9]
        # the heap is consistent: nothing huge, nothing left over from the
        # failed calls
        self.assertLess(tot[TOTB], 1 << 20)
        self.assertEqual(tot[TOTB] - tot[FDB], tot[CURB])


class TestPool(unittest.TestCase):
    """VALGRIND_MALLOCLIKE_BLOCK / FREELIKE_BLOCK / RESIZEINPLACE_BLOCK."""
    SRC = "alloc_pool.c"

    @classmethod
    def setUpClass(cls):
        d = profile_sites(cls)
        cls.dtot, dj = dhat([cls.exe], d)
        cls.dsites = dhat_sites(dj, cls.SRC)

    def site(self, fn, needle):
        return self.sites.get((fn, self.SRC, line_of(self.SRC, needle)),
                              [0] * 9)

    def test_pool_blocks(self):
        a = self.site("pool_alloc", "VALGRIND_MALLOCLIKE_BLOCK(p")
        # 100 + 200 + 300, and the resize counts one more block of 50
        self.assertEqual(a[TOTB:TOTBK + 1], [650, 4])
        self.assertEqual(a[CURB:CURBK + 1], [350, 2])
        self.assertEqual(a[PEAKB:PEAKBK + 1], [350, 2])
        self.assertEqual(self.site("pool_free", "VALGRIND_FREELIKE_BLOCK")
                         [FDB:FDBK + 1], [100, 1])
        self.assertEqual(self.site("pool_shrink", "VALGRIND_RESIZEINPLACE")
                         [FDB:FDBK + 1], [200, 1])

    def test_arena_equals_dhat(self):
        # DHAT ignores the client requests: the arena is all it sees, and
        # the pool's first block at the arena's address does not hide it
        arena = self.site("pool_init", "malloc(65536)")
        key = ("pool_init", self.SRC, line_of(self.SRC, "malloc(65536)"))
        self.assertEqual(self.dsites[key][:2], [65536, 1])
        self.assertEqual(arena[TOTB:TOTBK + 1], [65536, 1])
        self.assertEqual(self.site("pool_done", "free(arena)")[FDB], 65536)
        first = self.p["events"].index("totB")
        pool = self.site("pool_alloc", "VALGRIND_MALLOCLIKE_BLOCK(p")
        self.assertEqual(self.p["summary"][first + TOTB] - pool[TOTB],
                         self.dtot["total"][0])


if __name__ == "__main__":
    unittest.main()


class TestThreads(unittest.TestCase):
    """Four threads allocating at once (alloc_threads.c).  t-gmax depends
    on where the scheduler switches threads, which differs between tools
    (costprof translates smaller blocks), so only the totals, t-end and
    per-site totals are compared."""
    SRC = "alloc_threads.c"

    def test_threads_equal_dhat(self):
        d = tempfile.mkdtemp(prefix="cp-alloc-")
        exe = build(self.SRC, d)
        _r, p, path = profile_run("costprof", [exe], ["--alloc=yes"], cwd=d)
        sites, _c = read_sites(path)
        dtot, dj = dhat([exe], d)
        first = p["events"].index("totB")
        s = p["summary"][first:first + 9]
        self.assertEqual((s[TOTB], s[TOTBK]), dtot["total"])
        self.assertEqual((s[CURB], s[CURBK]), dtot["end"])
        ours = {k: [v[TOTB], v[TOTBK], v[CURB], v[CURBK]]
                for k, v in sites.items() if k[1] == self.SRC and v[TOTBK]}
        theirs = {k: [v[0], v[1], v[4], v[5]]
                  for k, v in dhat_sites(dj, self.SRC).items()}
        self.assertEqual(ours, theirs)
        self.assertEqual(ours[("t_alloc", self.SRC,
                               line_of(self.SRC, "return malloc(n)"))][1],
                         4 * 2000 * 2 + 4)
