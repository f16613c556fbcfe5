"""Issue 4: host-side checks of the cache and branch models (costprof/cp_sim.c,
cp_branch.c), built with plain gcc into sim_check and fed access traces.

Every expected number below is worked out by hand from cachegrind's model
(valgrind 3.19 cg_sim.c, cg_branchpred.c, cg_arch.c), not taken from a run.

Unless a test says otherwise the caches are
   I1 = D1 = 1024 B, 2-way, 64 B lines: 8 sets, set = (addr >> 6) & 7
   LL      = 4096 B, 4-way, 64 B lines: 16 sets, set = (addr >> 6) & 15
"""
import os
import re
import shutil
import subprocess
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SMALL = ("--I1=1024,2,64", "--D1=1024,2,64", "--LL=4096,4,64")
KEYS = ("I1mr", "ILmr", "D1mr", "DLmr", "D1mw", "DLmw", "Bcm", "Bim")


def parse_counts(line):
    return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", line)}


@unittest.skipUnless(shutil.which("gcc"), "needs gcc")
class SimModel(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="cp_sim_")
        cls.exe = os.path.join(cls.tmp, "sim_check")
        subprocess.run(
            ["gcc", "-O2", "-g", "-Wall", "-Wextra", "-Werror",
             "-Wno-unused-parameter", "-I", HERE, "-o", cls.exe,
             os.path.join(HERE, "sim_check.c")],
            check=True)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def run_sim(self, trace, opts=SMALL, check=True):
        r = subprocess.run([self.exe] + list(opts), input="\n".join(trace) + "\n",
                           capture_output=True, text=True)
        if check:
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        return r

    def counts(self, trace, opts=SMALL):
        """All 'counts' lines: one per 'p' in the trace, then the final."""
        out = self.run_sim(trace, opts).stdout
        return [parse_counts(l) for l in out.splitlines() if l.startswith("counts ")]

    def final(self, trace, opts=SMALL):
        return self.counts(trace, opts)[-1]

    def assertCounts(self, got, **want):
        self.assertEqual({k: got[k] for k in want}, want)

    # ---- data cache ----

    def test_sequential_reads_miss_once_per_line(self):
        # 8192 B read 8 B at a time: 128 lines, each first touched once;
        # 8 reads per line, the 7 after the first hit.  The array is bigger
        # than the LL too, so every line misses there as well.
        base = 0x100000
        trace = ["r %#x 8" % (base + o) for o in range(0, 8192, 8)]
        self.assertCounts(self.final(trace), D1mr=128, DLmr=128, D1mw=0, DLmw=0)

    def test_sequential_writes_miss_once_per_line(self):
        # 2048 B written 4 B at a time: 32 lines; write-allocate
        base = 0x180000
        trace = ["w %#x 4" % (base + o) for o in range(0, 2048, 4)]
        self.assertCounts(self.final(trace), D1mw=32, DLmw=32, D1mr=0, DLmr=0)

    def test_second_pass_fits_LL_not_D1(self):
        # 2048 B twice.  D1 (1 KB, 2-way): each set sees 4 lines in turn, so
        # LRU evicts each line before its reuse: 32 misses per pass.  LL
        # (4 KB, 4-way): 2 lines per set, all stay: no LL misses in pass 2.
        base = 0x200000
        one = ["r %#x 8" % (base + o) for o in range(0, 2048, 8)]
        c = self.counts(one + ["p", "z"] + one)
        self.assertCounts(c[0], D1mr=32, DLmr=32)
        self.assertCounts(c[1], D1mr=32, DLmr=0)

    def test_stride_beyond_associativity_thrashes(self):
        # 512 B apart = same D1 set.  Three lines in a 2-way set, cycled:
        # LRU always evicts the next one needed, so all 30 accesses miss.
        # In the LL their blocks b, b+8, b+16 use sets 0, 8, 0: they fit,
        # so only the 3 first touches miss there.
        a = 0x300000
        trace = ["r %#x 8" % (a + k * 512) for _ in range(10) for k in range(3)]
        self.assertCounts(self.final(trace), D1mr=30, DLmr=3)

    def test_stride_within_associativity_hits_after_warmup(self):
        a = 0x300000
        trace = ["r %#x 8" % (a + k * 512) for _ in range(10) for k in range(2)]
        self.assertCounts(self.final(trace), D1mr=2, DLmr=2)

    def test_replacement_is_LRU_not_FIFO(self):
        # A B A C A B in one 2-way set: A miss, B miss, A hit (now most
        # recent), C miss evicting B, A hit, B miss.  FIFO would evict A at
        # C and miss on the second A too.
        A, B, C = 0x400000, 0x400200, 0x400400
        trace = ["r %#x 4" % x for x in (A, B, A, C, A, B)]
        self.assertCounts(self.final(trace), D1mr=4)

    def test_write_allocates_and_shares_lines_with_reads(self):
        # a write miss brings the line in: the read after it hits; a read
        # miss brings it in: the write after it hits
        trace = ["w 0x500000 8", "r 0x500008 8", "r 0x500040 4", "w 0x500044 4"]
        self.assertCounts(self.final(trace), D1mw=1, DLmw=1, D1mr=1, DLmr=1)

    def test_block_zero_starts_present(self):
        # cachegrind's tags all start at 0, i.e. block 0 (addresses 0..63)
        # is "in" every cache from the start: the first access hits
        self.assertCounts(self.final(["r 0x10 4", "i 0x20 4"]),
                          D1mr=0, DLmr=0, I1mr=0, ILmr=0)

    # ---- accesses straddling two lines ----

    def test_straddle_both_cold_counts_one_miss(self):
        # 8 B at 0x60003c covers lines 0x600000 and 0x600040: one miss in
        # D1 and one in LL; both lines are then present
        trace = ["r 0x60003c 8", "p", "r 0x600040 4", "r 0x600000 4"]
        c = self.counts(trace)
        self.assertCounts(c[0], D1mr=1, DLmr=1)
        self.assertCounts(c[1], D1mr=1, DLmr=1)

    def test_straddle_one_line_cold(self):
        # first line present, second cold: one miss (and the LL, asked for
        # both lines, misses on the second only)
        c = self.final(["r 0x610000 4", "r 0x61003c 8"])
        self.assertCounts(c, D1mr=2, DLmr=2)
        # first cold, second present
        c = self.final(["r 0x620040 4", "r 0x62003c 8"])
        self.assertCounts(c, D1mr=2, DLmr=2)
        # both present: no miss
        c = self.final(["r 0x630000 4", "r 0x630040 4", "r 0x63003c 8"])
        self.assertCounts(c, D1mr=2, DLmr=2)

    def test_straddle_D1_miss_LL_hit(self):
        # X = 0x640000 (D1 set 0, LL set 0) and X+64 brought in; X pushed
        # out of D1 by X+512 and X+1024 (D1 set 0; LL sets 8 and 0, so X
        # stays in the 4-way LL).  Then 8 B at X+60: D1 misses on X, the LL
        # has both lines.
        X = 0x640000
        trace = ["r %#x 4" % X, "r %#x 4" % (X + 64), "r %#x 4" % (X + 512),
                 "r %#x 4" % (X + 1024), "p", "r %#x 8" % (X + 60)]
        c = self.counts(trace)
        self.assertCounts(c[0], D1mr=4, DLmr=4)
        self.assertCounts(c[1], D1mr=5, DLmr=4)

    def test_instruction_straddle(self):
        # a 5-byte instruction at 0x70003e spans two I1 lines: one miss;
        # the next instruction, in the second line, hits
        c = self.final(["i 0x70003e 5", "i 0x700043 3"])
        self.assertCounts(c, I1mr=1, ILmr=1)

    # ---- the last level ----

    def test_LL_is_shared_by_instructions_and_data(self):
        # a fetch brings the line into I1 and the LL; a data read of the
        # same line then misses D1 but hits the LL
        c = self.final(["i 0x800000 4", "r 0x800010 8"])
        self.assertCounts(c, I1mr=1, ILmr=1, D1mr=1, DLmr=0)

    def test_LL_eviction_leaves_L1_copy(self):
        # D1 1 KB 2-way (8 sets), LL 2 KB direct-mapped (32 sets).
        # A, B = A+2048, C = A+4096 share D1 set 0 and LL set 0.
        #   r A  miss, LL miss                      1 1
        #   r B  miss, LL miss (LL drops A)         2 2
        #   r A  D1 hit: A is in D1, not in the LL  2 2
        #   r C  miss (D1 drops B), LL miss         3 3
        #   r B  miss (D1 drops A), LL miss         4 4
        #   r A  miss, LL miss                      5 5
        opts = ("--I1=1024,2,64", "--D1=1024,2,64", "--LL=2048,1,64")
        A = 0x900000
        B, C = A + 2048, A + 4096
        trace = ["r %#x 4" % A, "r %#x 4" % B, "r %#x 4" % A, "p",
                 "r %#x 4" % C, "r %#x 4" % B, "r %#x 4" % A]
        c = self.counts(trace, opts)
        self.assertCounts(c[0], D1mr=2, DLmr=2)
        self.assertCounts(c[1], D1mr=5, DLmr=5)

    def test_LL_only_sees_L1_misses(self):
        # D1 1 KB 2-way (8 sets), LL 2 KB 2-way (16 sets).  X, Y = X+1024,
        # Z = X+2048 share D1 set 0 and LL set 0; W = X+512 is D1 set 0 but
        # LL set 8.
        #   r X, r Y   both miss everywhere; LL set 0 = [Y X]
        #   r X        D1 hit; the LL is not told: still [Y X]
        #   r Z        D1 miss (drops Y); LL miss drops its LRU, X
        #   r W        D1 miss (drops X); LL miss (other set)
        #   r X        D1 miss; LL miss, since the LL never saw the X hit
        # (an LL whose LRU order followed the D1 hits would keep X: 4 LL
        # misses instead of 5)
        opts = ("--I1=1024,2,64", "--D1=1024,2,64", "--LL=2048,2,64")
        X = 0xa00000
        trace = ["r %#x 4" % a for a in (X, X + 1024, X, X + 2048, X + 512, X)]
        self.assertCounts(self.final(trace, opts), D1mr=5, DLmr=5)

    # ---- conditional branches ----

    def test_always_taken(self):
        # Counters start at 0 (predict not-taken).  The index mixes the last
        # 7 outcomes in: the first 8 branches see histories 0, 1, 3, ...,
        # 127, each a fresh counter: 8 mispredicts, each counter -> 1.  From
        # the 9th on the history stays 127: the 9th still predicts
        # not-taken (counter 1 -> 2), then all are right.  9 in all.
        c = self.final(["c 0x400000 1"] * 100)
        self.assertCounts(c, Bcm=9)

    def test_never_taken(self):
        c = self.final(["c 0x400000 0"] * 100)
        self.assertCounts(c, Bcm=0)

    def test_alternating_is_learnt_through_history(self):
        # T N T N ...  The taken ones (k = 1, 3, 5, 7) see histories 0, 2,
        # 10, 42, fresh counters: 4 mispredicts; from k = 7 on they all see
        # history 42, whose counter was 1 after k = 7, so k = 9 mispredicts
        # too (-> 2) and k = 11 onward predict taken.  The not-taken ones
        # always find a counter at 0: right.  5 in all (a plain per-address
        # 2-bit counter would be wrong about half the time).
        c = self.final(["c 0x400000 %d" % (k % 2) for k in range(1, 101)])
        self.assertCounts(c, Bcm=5)

    def test_only_low_7_address_bits_index(self):
        # 0x1000 and 0x1080 agree in the low 7 bits: always-taken at both,
        # interleaved, is the same as 200 always-taken at one address: 9.
        # 0x1000 and 0x1001 differ, but share the history: branch k sees
        # min(k-1, 7) ones.  Branches 1..8 (histories 0, 1, ..., 127) miss
        # on fresh counters; the 8th (0x1001) leaves counter (127, 0x1001)
        # at 1.  Then at history 127: 9th (0x1000) fresh, miss; 10th
        # (0x1001) counter 1, miss; 11th (0x1000) counter 1, miss; all
        # right after that.  8 + 3 = 11.
        same = []
        for _ in range(100):
            same += ["c 0x1000 1", "c 0x1080 1"]
        self.assertCounts(self.final(same), Bcm=9)
        diff = []
        for _ in range(100):
            diff += ["c 0x1000 1", "c 0x1001 1"]
        self.assertCounts(self.final(diff), Bcm=11)

    # ---- indirect branches ----

    def test_indirect_alternating_targets_always_mispredict(self):
        trace = ["j 0x2000 %#x" % (0x5000 if k % 2 else 0x6000) for k in range(100)]
        self.assertCounts(self.final(trace), Bim=100)

    def test_indirect_same_target_mispredicts_once(self):
        self.assertCounts(self.final(["j 0x2000 0x5000"] * 100), Bim=1)

    def test_indirect_slots_alias_every_512_bytes(self):
        # 0x2000 and 0x2200 share a slot: two fixed targets interleaved
        # overwrite each other every time; 0x2000 and 0x2001 do not
        alias = []
        near = []
        for _ in range(50):
            alias += ["j 0x2000 0x5000", "j 0x2200 0x6000"]
            near += ["j 0x2000 0x5000", "j 0x2001 0x6000"]
        self.assertCounts(self.final(alias), Bim=100)
        self.assertCounts(self.final(near), Bim=2)

    def test_indirect_target_zero_predicted_at_start(self):
        # the target table starts all 0
        self.assertCounts(self.final(["j 0x2000 0"]), Bim=0)

    # ---- the vector lookup (cp_simvec.c) against the scalar walk ----

    @staticmethod
    def host_has_avx2():
        try:
            with open("/proc/cpuinfo") as f:
                return any(l.startswith("flags") and " avx2" in l for l in f)
        except OSError:
            return False

    @staticmethod
    def mixed_trace(n, lines, seed):
        """n accesses over `lines` 64-byte lines: fetches, reads and writes
        of 1-16 bytes at any offset (some straddle), with a 'p' every 500 so
        that the counts are compared as they go, not only at the end."""
        out = []
        x = seed
        for k in range(n):
            x = (x * 6364136223846793005 + 1442695040888963407) % (1 << 64)
            kind = "irw"[(x >> 20) % 3]
            addr = 0x500000 + ((x >> 24) % lines) * 64 + (x >> 40) % 64
            out.append("%s %#x %d" % (kind, addr, 1 + (x >> 50) % 16))
            if k % 500 == 499:
                out.append("p")
        return out

    def test_vector_lookup_equals_scalar_walk(self):
        # Small caches with few sets, so that sets fill up and hits land at
        # every LRU position; associativities the vector lookup takes (4, 8,
        # 12, 16) next to ones it leaves to the walk (2, 6, 32).
        geoms = [
            ("--I1=2048,8,64", "--D1=3072,12,64", "--LL=16384,16,64"),
            ("--I1=1024,4,64", "--D1=8192,32,64", "--LL=4096,2,64"),
            ("--I1=1536,6,64", "--D1=2048,8,64", "--LL=32768,32,64"),
        ]
        for g in geoms:
            for seed in (1, 7):
                trace = self.mixed_trace(6000, 160, seed)
                with self.subTest(geometry=g, seed=seed):
                    vec = self.counts(trace, g)
                    sca = self.counts(trace, g + ("--scalar",))
                    self.assertEqual(len(vec), 13)
                    self.assertGreater(vec[-1]["D1mr"] + vec[-1]["D1mw"], 0)
                    self.assertEqual(vec, sca)

    def test_vector_lookup_used_where_it_can_be(self):
        r = self.run_sim([], ("--I1=2048,8,64", "--D1=1536,6,64",
                              "--LL=16384,16,64", "--which-lookup"))
        if self.host_has_avx2():
            self.assertIn("lookup: I1 vector D1 scalar LL vector", r.stdout)
        else:
            self.assertIn("lookup: I1 scalar D1 scalar LL scalar", r.stdout)
        r = self.run_sim([], ("--I1=2048,8,64", "--D1=2048,8,64",
                              "--LL=16384,16,64", "--which-lookup", "--scalar"))
        self.assertIn("lookup: I1 scalar D1 scalar LL scalar", r.stdout)


@unittest.skipUnless(shutil.which("gcc"), "needs gcc")
class SimGeometry(unittest.TestCase):
    """Options, host defaults and messages, as cachegrind's cg_arch.c."""

    AMD = "--host=I:1:32768:8:64,D:1:49152:12:64,U:2:524288:8:64,U:3:532676608:1:64"

    @classmethod
    def setUpClass(cls):
        SimModel.setUpClass.__func__(cls)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def run_opts(self, *opts):
        return subprocess.run([self.exe] + list(opts), input="",
                              capture_output=True, text=True)

    def descs(self, out):
        return [l[len("desc: "):] for l in out.splitlines() if l.startswith("desc: ")]

    def test_describe_wording(self):
        r = self.run_opts("--I1=1024,1,64", "--D1=32768,8,64", "--L2=262144,8,64")
        self.assertEqual(r.returncode, 0)
        self.assertEqual(self.descs(r.stdout), [
            "I1 cache: 1024 B, 64 B, direct-mapped",
            "D1 cache: 32768 B, 64 B, 8-way associative",
            "LL cache: 262144 B, 64 B, 8-way associative"])
        # all three given: no auto-detection warning
        self.assertNotIn("Warning", r.stdout)

    def test_other_options_not_consumed(self):
        r = self.run_opts("--I1x=1", "--cache-sim=yes", "--LL")
        self.assertIn("unknown: --I1x=1", r.stdout)
        self.assertIn("unknown: --cache-sim=yes", r.stdout)
        self.assertIn("unknown: --LL", r.stdout)

    def bad(self, opt, *reason):
        r = self.run_opts(opt)
        self.assertEqual(r.returncode, 1, r.stdout)
        want = list(reason) + ["Bad option: " + opt]
        lines = [l[len("valgrind: "):] for l in r.stdout.splitlines()
                 if l.startswith("valgrind: ")]
        for w in want:
            self.assertIn(w, lines)

    def test_bad_values(self):
        self.bad("--D1=1000,2,64", "Cache set count is not a power of two.",
                 "Bad argument '1000,2,64'")
        self.bad("--I1=1024,2,8", "Cache line size is too small.",
                 "Bad argument '1024,2,8'")
        self.bad("--LL=4096,4,0", "Cache line size is zero.")
        self.bad("--LL=4096,0,64", "Cache associativity is zero.")
        self.bad("--D1=64,1,64", "Cache size <= line size.")
        self.bad("--D1=1536,2,48", "Cache line size is not a power of two.")
        self.bad("--I1=abc", "Bad argument 'abc'")
        self.bad("--I1=1024,2", "Bad argument '1024,2'")
        self.bad("--I1=1024,2,64,", "Bad argument '1024,2,64,'")
        self.bad("--I1=99999999999,2,64",
                 "One of the cache parameters was too large and overflowed.")

    def test_host_L3_odd_size_adjusted(self):
        # 532676608 B direct-mapped = 8323072 sets: down to 4194304 sets,
        # assoc 1 * 1.98 + 0.5 -> 2, size 64 * 2 * 4194304 = 536870912
        r = self.run_opts(self.AMD)
        self.assertEqual(r.returncode, 0)
        self.assertEqual(self.descs(r.stdout), [
            "I1 cache: 32768 B, 64 B, 8-way associative",
            "D1 cache: 49152 B, 64 B, 12-way associative",
            "LL cache: 536870912 B, 64 B, 2-way associative"])
        self.assertIn("--0-- warning: L3 cache found, using its data for the "
                      "LL simulation.", r.stdout)
        self.assertIn("--0-- warning: specified LL cache: line_size 64  assoc 1  "
                      "total_size 532676608", r.stdout)
        self.assertIn("--0-- warning: simulated LL cache: line_size 64  assoc 2  "
                      "total_size 536870912", r.stdout)

    def test_host_intel_12MB(self):
        # 12 MB 16-way: 12288 sets -> 8192, assoc 16 * 1.5 = 24, same size
        r = self.run_opts("--host=I:1:32768:8:64,D:1:32768:8:64,"
                          "U:2:262144:8:64,U:3:12582912:16:64")
        self.assertEqual(self.descs(r.stdout)[2],
                         "LL cache: 12582912 B, 64 B, 24-way associative")

    def test_host_amd_5MB_48way(self):
        # 5 MB 48-way: 1706 sets -> 1024, assoc 48 * 1.666 + 0.5 -> 80,
        # size 64 * 80 * 1024 = 5242880
        r = self.run_opts("--host=I:1:65536:2:64,D:1:65536:2:64,U:2:5242880:48:64")
        self.assertEqual(self.descs(r.stdout)[2],
                         "LL cache: 5242880 B, 64 B, 80-way associative")
        self.assertNotIn("L2 cache found", r.stdout)

    def test_host_power_of_two_LL_unchanged_quietly(self):
        r = self.run_opts("--host=I:1:32768:8:64,D:1:32768:8:64,U:2:1048576:16:64")
        self.assertEqual(self.descs(r.stdout)[2],
                         "LL cache: 1048576 B, 64 B, 16-way associative")
        self.assertNotIn("warning", r.stdout)

    def test_nothing_detected_uses_defaults(self):
        r = self.run_opts()
        self.assertEqual(self.descs(r.stdout), [
            "I1 cache: 65536 B, 64 B, 2-way associative",
            "D1 cache: 65536 B, 64 B, 2-way associative",
            "LL cache: 262144 B, 64 B, 8-way associative"])
        self.assertIn("--0-- Warning: Cannot auto-detect cache config, using "
                      "defaults.\n         Run with -v to see.", r.stdout)
        # two of three given still warns
        r = self.run_opts("--I1=1024,2,64", "--D1=1024,2,64")
        self.assertIn("Cannot auto-detect", r.stdout)

    def test_no_unified_last_level(self):
        r = self.run_opts("--host=I:1:32768:8:64,D:1:32768:8:64")
        self.assertIn("--0-- warning: L2 cache not installed, ignore LL results.",
                      r.stdout)
        self.assertIn("Cannot auto-detect", r.stdout)
        self.assertEqual(self.descs(r.stdout)[2],
                         "LL cache: 262144 B, 64 B, 8-way associative")

    def test_trace_cache(self):
        r = self.run_opts("--host=I:1:12288:8:64:trace,D:1:16384:8:64,"
                          "U:2:1048576:8:64")
        self.assertEqual(self.descs(r.stdout)[0],
                         "I1 cache: 16384 B, 32 B, 8-way associative")
        self.assertIn("warning: Pentium 4 with 12 KB micro-op instruction "
                      "trace cache", r.stdout)
        self.assertIn("         Simulating a 16 KB I-cache with 32 B lines",
                      r.stdout)
        r = self.run_opts("-v", "--host=I:1:12288:8:64:trace,D:1:16384:8:64,"
                          "U:2:1048576:8:64")
        self.assertIn("==0==   I1: 16384 B, 8-way, 32 B lines", r.stdout)
        r = self.run_opts("--host=I:1:65536:8:64:trace,D:1:16384:8:64,"
                          "U:2:1048576:8:64")
        self.assertEqual(self.descs(r.stdout)[0],
                         "I1 cache: 32768 B, 32 B, 8-way associative")

    def test_command_line_overrides_detected_after_adjusting(self):
        # the detected LL is still adjusted (and warned about) first
        r = self.run_opts(self.AMD, "--LL=4096,4,64")
        self.assertIn("simulated LL cache", r.stdout)
        self.assertEqual(self.descs(r.stdout)[2],
                         "LL cache: 4096 B, 64 B, 4-way associative")

    def test_unsupported_detected_cache(self):
        # 24 KB 4-way, 64 B lines: 96 sets
        host = "--host=I:1:24576:4:64,D:1:32768:8:64,U:2:1048576:16:64"
        r = self.run_opts(host, "--I1=32768,8,64")
        self.assertEqual(r.returncode, 0)
        self.assertIn("==0== Auto-detected I1 cache configuration not supported: "
                      "Cache set count is not a power of two.", r.stdout)
        self.assertIn("==0==   I1: 24576 B, 4-way, 64 B lines", r.stdout)
        self.assertEqual(self.descs(r.stdout)[0],
                         "I1 cache: 32768 B, 64 B, 8-way associative")
        r = self.run_opts(host)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("Bypass this message by using option --I1=...", r.stdout)

    def test_min_line_size(self):
        r = self.run_opts("--I1=1024,2,32", "--D1=1024,2,64", "--LL=8192,2,128")
        self.assertIn("min_line_size 32", r.stdout)


if __name__ == "__main__":
    unittest.main()
