/* cp_sim.h -- the cache model: I1, D1 and LL geometry (options, host
   defaults, checks) and its lookups.  The whole accesses below
   (cp_sim_ifetch, cp_sim_dread, ...) are the reference that tests/sim
   checks; the helpers (cp_simir.c) make the same lookups in the same
   order, with their rare paths out of line.

   The model is cachegrind's (valgrind 3.19, cg_sim.c), so that the miss
   counts are the same numbers:
   - write-allocate, LRU, tags are whole block numbers (address >> line
     bits), every tag starts as 0;
   - the LL is looked up only after an L1 miss, with the same address and
     size; nothing ever invalidates an L1 line when the LL evicts it, so the
     LL is "inclusive" only in the loose sense the cachegrind manual uses;
   - an access touching two lines looks up both (the LRU state changes for
     both) and counts at most one miss per level; more than two lines is a
     bug in the caller (sizes must be >= 1 and <= cp_sim.min_line_size);
   - a modify (load and store of the same address by one instruction) is one
     read, see docs/cache-model.md.

   Order matters for LRU state: call these in IR statement order, i.e. for
   each instruction its fetch first, then its data accesses in the order of
   the statements.  Cachegrind's combined helpers (1IrNoX_1Dr, 2IrNoX_0D,
   3IrNoX_0D, ...) only batch calls; they keep exactly that order.

   Built with CP_SIM_HOST defined, the model compiles on the host against
   tests/sim/cp_host_shim.h for the unit tests. */
#ifndef CP_SIM_H
#define CP_SIM_H

#ifdef CP_SIM_HOST
#include "cp_host_shim.h"
#else
#include "libvex.h"
#include "pub_tool_basics.h"
#include "pub_tool_libcassert.h"
#include "pub_tool_libcprint.h"
#endif

typedef struct {
   Int size, assoc, line_size;
} CpCacheGeom;

/* One simulated cache.  tags holds sets * assoc block numbers, each set
   most recently used first. */
typedef struct {
   UWord* tags;
   UWord set_mask; /* sets - 1; the set count is a power of two */
   Int line_bits;
   Int assoc;
   Bool vec; /* lookups past the MRU way use cp_cache_set_miss_vec */
   CpCacheGeom geom;
} CpCache;

typedef struct {
   CpCache I1, D1, LL;
   /* Smallest line size of the three.  Data accesses must be cut to at most
      this many bytes (cachegrind does so for dirty helpers and CAS) so that
      none touches more than two lines. */
   Int min_line_size;
} CpSim;

extern CpSim cp_sim;

/* --I1=size,assoc,line --D1=... --LL=... (and the old --L2=): True if arg
   was one of them.  A bad value ends the run with cachegrind's messages. */
Bool cp_sim_process_option(const HChar* arg);
void cp_sim_print_usage(void);
/* Geometry from the command line, else from the host as cachegrind finds
   it; checks it and allocates the tag arrays. */
void cp_sim_post_clo_init(void);
/* "I1 cache: 32768 B, 64 B, 8-way associative", which = 0, 1, 2 for I1,
   D1, LL: callgrind's "desc:" header text without the "desc: ". */
void cp_sim_describe(HChar* buf, Int bufsz, Int which);

/* The pieces of cp_sim_post_clo_init that need no running Valgrind, for
   the host tests: choose the geometry from the host description and the
   command line (with cachegrind's warnings), then build the caches. */
void cp_sim_choose_geometry(const VexCacheInfo* ci, CpCacheGeom* I1,
                            CpCacheGeom* D1, CpCacheGeom* LL);
void cp_sim_init_caches(const CpCacheGeom* I1, const CpCacheGeom* D1,
                        const CpCacheGeom* LL);

/* Whether the host can run cp_cache_set_miss_vec (AVX2); the unit tests
   clear it to check the scalar walk on the same traces. */
extern Bool cp_sim_vec_usable;

/* ---- hot path ---- */

/* cp_simvec.c: the lookup past the MRU way of one set s, with AVX2, for an
   associativity that is a multiple of 4, at most CP_VEC_MAX_ASSOC. */
#define CP_VEC_MAX_ASSOC 16
Bool cp_sim_vec_assoc_ok(Int assoc);
Bool cp_cache_set_miss_vec(UWord* s, Int assoc, UWord block);

/* The same without AVX2, or for another associativity (cp_sim.c). */
Bool cp_cache_set_miss_walk(UWord* s, Int assoc, UWord block);

/* Look block up in one set; True on a miss.  Either way block ends up most
   recently used, and on a miss the least recently used tag falls out. */
__attribute__((always_inline)) static __inline__ Bool
cp_cache_set_miss(CpCache* c, UWord set, UWord block)
{
   UWord* s = c->tags + set * (UWord)c->assoc;
   if (s[0] == block)
      return False;
   if (LIKELY(c->vec))
      return cp_cache_set_miss_vec(s, c->assoc, block);
   return cp_cache_set_miss_walk(s, c->assoc, block);
}

/* One access of size bytes at a: True if it missed in c. */
__attribute__((always_inline)) static __inline__ Bool
cp_cache_ref_miss(CpCache* c, Addr a, UChar size)
{
   UWord b1 = a >> c->line_bits;
   UWord b2 = (a + size - 1) >> c->line_bits;
   Bool m1, m2;

   if (LIKELY(b1 == b2))
      return cp_cache_set_miss(c, b1 & c->set_mask, b1);
   tl_assert(b1 + 1 == b2);
   /* both lines, always: each lookup updates that set's LRU order */
   m1 = cp_cache_set_miss(c, b1 & c->set_mask, b1);
   m2 = cp_cache_set_miss(c, b2 & c->set_mask, b2);
   return m1 || m2;
}

/* L1 then, on a miss there, LL. */
__attribute__((always_inline)) static __inline__ void
cp_sim_ref2(CpCache* l1, Addr a, UChar size, ULong* m1, ULong* mL)
{
   if (cp_cache_ref_miss(l1, a, size)) {
      (*m1)++;
      if (cp_cache_ref_miss(&cp_sim.LL, a, size))
         (*mL)++;
   }
}

/* One instruction fetch: size is the instruction length (>= 1). */
__attribute__((always_inline)) static __inline__ void
cp_sim_ifetch(Addr a, UChar size, ULong* I1mr, ULong* ILmr)
{
   cp_sim_ref2(&cp_sim.I1, a, size, I1mr, ILmr);
}

/* True when an instruction at a of size bytes stays in one I1 line and I1
   and LL lines are the same size: then cp_sim_ifetch_1line may be used,
   which skips the straddle test.  Decide at instrumentation time.  The
   counts are the same either way (cachegrind's IrNoX / IrGen split). */
static __inline__ Bool cp_sim_ifetch_is_1line(Addr a, UChar size)
{
   return cp_sim.I1.line_bits == cp_sim.LL.line_bits
          && (a >> cp_sim.I1.line_bits)
                == ((a + size - 1) >> cp_sim.I1.line_bits);
}

__attribute__((always_inline)) static __inline__ void
cp_sim_ifetch_1line(Addr a, ULong* I1mr, ULong* ILmr)
{
   UWord b = a >> cp_sim.I1.line_bits;
   if (cp_cache_set_miss(&cp_sim.I1, b & cp_sim.I1.set_mask, b)) {
      (*I1mr)++;
      if (cp_cache_set_miss(&cp_sim.LL, b & cp_sim.LL.set_mask, b))
         (*ILmr)++;
   }
}

/* A data read (or a modify, which cachegrind counts as a read only). */
__attribute__((always_inline)) static __inline__ void
cp_sim_dread(Addr a, UChar size, ULong* D1mr, ULong* DLmr)
{
   cp_sim_ref2(&cp_sim.D1, a, size, D1mr, DLmr);
}

/* A data write: the same lookup; write-allocate, so a miss brings the line
   in like a read would. */
__attribute__((always_inline)) static __inline__ void
cp_sim_dwrite(Addr a, UChar size, ULong* D1mw, ULong* DLmw)
{
   cp_sim_ref2(&cp_sim.D1, a, size, D1mw, DLmw);
}

#endif
