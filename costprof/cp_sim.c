/* cp_sim.c -- cache geometry for the cache model in cp_sim.h: the --I1,
   --D1, --LL options, the host's caches as Valgrind detected them, the
   checks and adjustments cachegrind (valgrind 3.19, cg_arch.c) applies, and
   the tag arrays.  Every message and every decision follows cachegrind's,
   so a run picks the same caches and says the same things. */
#include "cp_sim.h"
#ifndef CP_SIM_HOST
#include "pub_tool_aspacemgr.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_machine.h"
#include "pub_tool_mallocfree.h"
#include "pub_tool_options.h"
#include "pub_tool_vki.h"
#endif

CpSim cp_sim;
Bool cp_sim_vec_usable;

/* Out of line: inlined, it doubled the size of every helper. */
Bool cp_cache_set_miss_walk(UWord* s, Int assoc, UWord block)
{
   Int i;
   Bool miss;
   for (i = 1; i < assoc && s[i] != block; i++)
      ;
   miss = i == assoc;
   if (miss)
      i = assoc - 1;
   for (; i > 0; i--)
      s[i] = s[i - 1];
   s[0] = block;
   return miss;
}

/* -1 everywhere: not given on the command line. */
static CpCacheGeom clo_I1 = {-1, -1, -1};
static CpCacheGeom clo_D1 = {-1, -1, -1};
static CpCacheGeom clo_LL = {-1, -1, -1};

#define CP_MIN_LINE_SIZE 16

static Bool given(const CpCacheGeom* g)
{
   return g->size != -1 || g->assoc != -1 || g->line_size != -1;
}

/* NULL if the simulator can run this geometry, else why not (cachegrind's
   sentences, newline included). */
static const HChar* check_geom(const CpCacheGeom* g)
{
   if (g->line_size == 0)
      return "Cache line size is zero.\n";
   if (g->assoc == 0)
      return "Cache associativity is zero.\n";
   /* sets are selected by address bits, so their number is a power of 2 */
   if (g->size % (g->line_size * g->assoc) != 0
       || VG_(log2)(g->size / g->line_size / g->assoc) == -1)
      return "Cache set count is not a power of two.\n";
   if (VG_(log2)(g->line_size) == -1)
      return "Cache line size is not a power of two.\n";
   /* smaller lines would let one instruction touch three lines */
   if (g->line_size < CP_MIN_LINE_SIZE)
      return "Cache line size is too small.\n";
   if (g->size <= g->line_size)
      return "Cache size <= line size.\n";
   if (g->assoc > g->size / g->line_size)
      return "Cache associativity > (size / line size).\n";
   return NULL;
}

/* "65536,2,64" into g; a bad value ends the run. */
static void parse_geom(CpCacheGeom* g, const HChar* arg, const HChar* val)
{
   Long n1, n2, n3;
   HChar* end;
   const HChar* why;

   n1 = VG_(strtoll10)(val, &end);
   if (*end != ',')
      goto bad;
   n2 = VG_(strtoll10)(end + 1, &end);
   if (*end != ',')
      goto bad;
   n3 = VG_(strtoll10)(end + 1, &end);
   if (*end != '\0')
      goto bad;
   g->size = (Int)n1;
   g->assoc = (Int)n2;
   g->line_size = (Int)n3;
   if (g->size != n1 || g->assoc != n2 || g->line_size != n3)
      VG_(fmsg_bad_option)(arg, "One of the cache parameters was too large "
                                "and overflowed.\n");
   why = check_geom(g);
   if (why) {
      VG_(fmsg)("%s", why);
      goto bad;
   }
   return;

bad:
   VG_(fmsg_bad_option)(arg, "Bad argument '%s'\n", val);
}

Bool cp_sim_process_option(const HChar* arg)
{
   const HChar* val = NULL;
   CpCacheGeom* g;

   if VG_STR_CLO (arg, "--I1", val)
      g = &clo_I1;
   else if VG_STR_CLO (arg, "--D1", val)
      g = &clo_D1;
   else if (VG_STR_CLO(arg, "--LL", val) || VG_STR_CLO(arg, "--L2", val))
      g = &clo_LL;
   else
      return False;
   /* every name is 4 characters: the value starts after "--XX=" (and gcc
      cannot see that VG_STR_CLO always sets val) */
   (void)val;
   parse_geom(g, arg, arg + 5);
   return True;
}

void cp_sim_print_usage(void)
{
   VG_(printf)("    --I1=<size>,<assoc>,<line_size>  set I1 cache manually\n"
               "    --D1=<size>,<assoc>,<line_size>  set D1 cache manually\n"
               "    --LL=<size>,<assoc>,<line_size>  set LL cache manually\n");
}

static void umsg_geom(const HChar* name, const CpCacheGeom* g)
{
   VG_(umsg)("  %s: %'d B, %d-way, %d B lines\n", name, g->size, g->assoc,
             g->line_size);
}

static const VexCache* find_cache(const VexCacheInfo* ci, VexCacheKind kind,
                                  UInt level)
{
   UInt i;
   for (i = 0; i < ci->num_caches; i++)
      if (ci->caches[i].level == level && ci->caches[i].kind == kind)
         return &ci->caches[i];
   return NULL;
}

/* The host's I1, D1 and last-level cache; amd64 defaults when the core
   could not read them. */
static void host_geometry(const VexCacheInfo* ci, CpCacheGeom* I1,
                          CpCacheGeom* D1, CpCacheGeom* LL, Bool all_given)
{
   const VexCache* i1 = find_cache(ci, INSN_CACHE, 1);
   const VexCache* d1 = find_cache(ci, DATA_CACHE, 1);
   const VexCache* ll = find_cache(ci, UNIFIED_CACHE, ci->num_levels);

   if (ci->num_caches > 0 && ll == NULL)
      VG_(dmsg)("warning: L2 cache not installed, ignore LL results.\n");
   if (ll && ci->num_levels > 2)
      VG_(dmsg)("warning: L%u cache found, using its data for the "
                "LL simulation.\n",
                ci->num_levels);

   if (i1 && d1 && ll) {
      if (i1->is_trace_cache) {
         /* A Pentium 4 trace cache counts micro-ops, not bytes: cachegrind
            guesses a byte size and 32 B lines. */
         UInt sz = (i1->sizeB == 12 * 1024 || i1->sizeB == 16 * 1024)
                      ? 16 * 1024
                      : 32 * 1024;
         VG_(dmsg)("warning: Pentium 4 with %u KB micro-op instruction "
                   "trace cache\n",
                   i1->sizeB / 1024);
         VG_(dmsg)("         Simulating a %u KB I-cache with %u B lines\n",
                   sz / 1024, 32u);
         I1->size = sz;
         I1->assoc = i1->assoc;
         I1->line_size = 32;
      } else {
         I1->size = i1->sizeB;
         I1->assoc = i1->assoc;
         I1->line_size = i1->line_sizeB;
      }
      D1->size = d1->sizeB;
      D1->assoc = d1->assoc;
      D1->line_size = d1->line_sizeB;
      LL->size = ll->sizeB;
      LL->assoc = ll->assoc;
      LL->line_size = ll->line_sizeB;
      return;
   }

   I1->size = 65536;
   I1->assoc = 2;
   I1->line_size = 64;
   D1->size = 65536;
   D1->assoc = 2;
   D1->line_size = 64;
   LL->size = 262144;
   LL->assoc = 8;
   LL->line_size = 64;
   if (!all_given)
      VG_(dmsg)("%s", "Warning: Cannot auto-detect cache config, using "
                      "defaults.\n         Run with -v to see.\n");
}

/* Largest power of two <= x (0 for 0). */
static UInt pow2_floor(UInt x)
{
   x |= x >> 1;
   x |= x >> 2;
   x |= x >> 4;
   x |= x >> 8;
   x |= x >> 16;
   return x - (x >> 1);
}

/* Real last-level caches often have a set count that is not a power of two
   (12 MB 16-way: 12288 sets).  As cachegrind: round the sets down to a
   power of two and raise the associativity by the same factor, so the
   size stays about the same; then make the size divide exactly. */
static void adjust_LL(CpCacheGeom* LL)
{
   UInt size, assoc, line, sets, new_sets, new_size, new_assoc;
   Double factor;

   if (LL->size == 0 || LL->assoc == 0 || LL->line_size == 0)
      return;
   tl_assert(LL->size > 0 && LL->assoc > 0 && LL->line_size > 0);
   size = (UInt)LL->size;
   assoc = (UInt)LL->assoc;
   line = (UInt)LL->line_size;
   sets = size / (assoc * line);
   if (sets == 0)
      return;
   new_assoc = assoc;
   if (VG_(log2_64)(sets) != -1) {
      new_size = line * assoc * sets;
   } else {
      new_sets = pow2_floor(sets);
      tl_assert(new_sets > 0 && new_sets < sets);
      factor = (Double)sets / (Double)new_sets;
      tl_assert(factor >= 1.0);
      /* the same rounding as cachegrind, in double precision */
      new_assoc = (UInt)(0.5 + factor * (Double)assoc);
      tl_assert(new_assoc >= assoc);
      new_size = line * new_assoc * new_sets;
   }
   if (new_size == size && new_assoc == assoc)
      return;
   VG_(dmsg)("warning: specified LL cache: line_size %u  assoc %u  "
             "total_size %'u\n",
             line, assoc, size);
   VG_(dmsg)("warning: simulated LL cache: line_size %u  assoc %u  "
             "total_size %'u\n",
             line, new_assoc, new_size);
   LL->size = (Int)new_size;
   LL->assoc = (Int)new_assoc;
}

/* A detected geometry the simulator cannot run is a Valgrind bug, unless
   the command line replaces it. */
static void check_detected(const HChar* name, const CpCacheGeom* g,
                           Bool replaced)
{
   const HChar* why = check_geom(g);
   if (!why)
      return;
   VG_(umsg)("Auto-detected %s cache configuration not supported: %s", name,
             why);
   umsg_geom(name, g);
   if (!replaced) {
      VG_(umsg)("As it probably should be supported, please report a bug!\n");
      VG_(umsg)("Bypass this message by using option --%s=...\n", name);
      tl_assert(0);
   }
}

void cp_sim_choose_geometry(const VexCacheInfo* ci, CpCacheGeom* I1,
                            CpCacheGeom* D1, CpCacheGeom* LL)
{
   host_geometry(ci, I1, D1, LL,
                 given(&clo_I1) && given(&clo_D1) && given(&clo_LL));
   adjust_LL(LL);
   check_detected("I1", I1, given(&clo_I1));
   check_detected("D1", D1, given(&clo_D1));
   check_detected("LL", LL, given(&clo_LL));
   /* command-line values were checked when parsed, and are not adjusted */
   if (given(&clo_I1))
      *I1 = clo_I1;
   if (given(&clo_D1))
      *D1 = clo_D1;
   if (given(&clo_LL))
      *LL = clo_LL;
   if (VG_(clo_verbosity) >= 2) {
      VG_(umsg)("Cache configuration used:\n");
      umsg_geom("I1", I1);
      umsg_geom("D1", D1);
      umsg_geom("LL", LL);
   }
}

static void init_cache(CpCache* c, const CpCacheGeom* g)
{
   Int sets = g->size / g->line_size / g->assoc;
   SizeT n = (SizeT)sets * g->assoc;

   c->geom = *g;
   c->assoc = g->assoc;
   c->line_bits = VG_(log2)(g->line_size);
   c->set_mask = (UWord)sets - 1;
   c->vec = cp_sim_vec_usable && cp_sim_vec_assoc_ok(g->assoc);
   /* All tags 0, as cachegrind's: block 0 (addresses below one line) then
      counts as present from the start.  Fresh anonymous pages come
      zeroed, and a page is only faulted in when a set in it is first
      used: the LL Valgrind picks from a large host L3 has tens of MB of
      tags, and writing them all cost python3 0.1 s at start-up.  Page
      aligned, so a set of up to 8 ways lies in one host line (never
      freed). */
   c->tags = VG_(am_shadow_alloc)(VG_PGROUNDUP(n * sizeof(UWord)));
   if (!c->tags)
      VG_(out_of_memory_NORETURN)("cp.sim.tags", n * sizeof(UWord));
}

void cp_sim_init_caches(const CpCacheGeom* I1, const CpCacheGeom* D1,
                        const CpCacheGeom* LL)
{
   Int m;

   init_cache(&cp_sim.I1, I1);
   init_cache(&cp_sim.D1, D1);
   init_cache(&cp_sim.LL, LL);
   m = I1->line_size < D1->line_size ? I1->line_size : D1->line_size;
   cp_sim.min_line_size = LL->line_size < m ? LL->line_size : m;
}

#ifndef CP_SIM_HOST
void cp_sim_post_clo_init(void)
{
   VexArchInfo vai;
   CpCacheGeom I1, D1, LL;
   Int m, largest;

   /* the core filled hwcache_info and hwcaps from cpuid at startup */
   VG_(machine_get_VexArchInfo)(NULL, &vai);
   cp_sim_vec_usable = (vai.hwcaps & VEX_HWCAPS_AMD64_AVX2) != 0;
   cp_sim_choose_geometry(&vai.hwcache_info, &I1, &D1, &LL);

   /* an access wider than a line could touch three lines */
   m = I1.line_size < D1.line_size ? I1.line_size : D1.line_size;
   m = LL.line_size < m ? LL.line_size : m;
   largest = VG_(machine_get_size_of_largest_guest_register)();
   if (m < largest) {
      VG_(umsg)("costprof: cannot continue: the minimum line size (%d)\n", m);
      VG_(umsg)("  must be equal to or larger than the maximum register "
                "size (%d)\n",
                largest);
      VG_(umsg)("  but it is not.  Exiting now.\n");
      VG_(exit)(1);
   }
   cp_sim_init_caches(&I1, &D1, &LL);
}
#endif

void cp_sim_describe(HChar* buf, Int bufsz, Int which)
{
   static const HChar* const names[3] = {"I1", "D1", "LL"};
   const CpCacheGeom* g;

   tl_assert(which >= 0 && which < 3);
   g = which == 0   ? &cp_sim.I1.geom
       : which == 1 ? &cp_sim.D1.geom
                    : &cp_sim.LL.geom;
   if (g->assoc == 1)
      VG_(snprintf)(buf, bufsz, "%s cache: %d B, %d B, direct-mapped",
                    names[which], g->size, g->line_size);
   else
      VG_(snprintf)(buf, bufsz, "%s cache: %d B, %d B, %d-way associative",
                    names[which], g->size, g->line_size, g->assoc);
}
