/* cp_branch.h -- the branch predictor model: cachegrind's (valgrind 3.19,
   cg_branchpred.c), so that Bcm and Bim are the same numbers.

   Conditional branches: 16384 2-bit saturating counters, all starting at 0
   (strongly not-taken).  The index is NOT the address alone: its top 7
   bits are the global history (taken/not-taken of the last 7 conditional
   branches executed anywhere, newest in the lowest bit) and its low 7
   bits are the low 7 bits of the branch's address.  So a branch's
   prediction depends on the branches before it; an alternating branch is
   learnt after a few rounds, and branches whose addresses agree in the
   low 7 bits share counters when the history agrees too.

   Indirect branches: 512 remembered targets, indexed by the low 9 address
   bits, all starting at 0; a target other than the remembered one is a
   mispredict.  Returns are not predicted (cachegrind assumes a perfect
   return stack).

   The callers count Bc / Bi themselves; these only add mispredicts.
   Built with CP_SIM_HOST, this compiles on the host for the unit tests. */
#ifndef CP_BRANCH_H
#define CP_BRANCH_H

#ifdef CP_SIM_HOST
#include "cp_host_shim.h"
#else
#include "pub_tool_basics.h"
#endif

#define CP_BR_HIST_BITS 7
#define CP_BR_ADDR_BITS 7
#define CP_BR_COUNTERS (1 << (CP_BR_HIST_BITS + CP_BR_ADDR_BITS))
#define CP_BR_BTB_BITS 9
#define CP_BR_BTB (1 << CP_BR_BTB_BITS)

/* Instruction address bits that are always zero, dropped before indexing:
   none on x86/amd64, whose instructions start on any byte. */
#if defined(VGA_ppc32) || defined(VGA_ppc64be) || defined(VGA_ppc64le)         \
   || defined(VGA_mips32) || defined(VGA_mips64) || defined(VGA_nanomips)      \
   || defined(VGA_arm64)
#define CP_BR_ADDR_SHIFT 2
#elif defined(VGA_s390x) || defined(VGA_arm)
#define CP_BR_ADDR_SHIFT 1
#else
#define CP_BR_ADDR_SHIFT 0
#endif

typedef struct {
   UWord history;                  /* newest outcome in bit 0 */
   UChar counters[CP_BR_COUNTERS]; /* 0..3; >= 2 predicts taken */
   Addr btb[CP_BR_BTB];            /* last target per slot */
} CpBranch;

extern CpBranch cp_branch;

/* Forget everything: all counters 0, empty history, all targets 0. */
void cp_branch_init(void);

/* A conditional branch at instr_addr, taken 0 or 1 (the IR exit's guard,
   corrected when the exit goes to the fall-through address). */
__attribute__((always_inline)) static __inline__ void
cp_branch_cond(Addr instr_addr, Word taken, ULong* Bcm)
{
   UWord hist = cp_branch.history & ((1 << CP_BR_HIST_BITS) - 1);
   UWord idx =
      (hist << CP_BR_ADDR_BITS)
      | ((instr_addr >> CP_BR_ADDR_SHIFT) & ((1 << CP_BR_ADDR_BITS) - 1));
   UChar c = cp_branch.counters[idx];
   Bool t = taken > 0;

   if (t != (c >= 2))
      (*Bcm)++;
   cp_branch.history = (cp_branch.history << 1) | (t ? 1 : 0);
   if (t) {
      if (c < 3)
         cp_branch.counters[idx] = c + 1;
   } else {
      if (c > 0)
         cp_branch.counters[idx] = c - 1;
   }
}

/* An indirect jump or call at instr_addr going to target. */
__attribute__((always_inline)) static __inline__ void
cp_branch_ind(Addr instr_addr, Addr target, ULong* Bim)
{
   UWord idx = (instr_addr >> CP_BR_ADDR_SHIFT) & (CP_BR_BTB - 1);
   if (cp_branch.btb[idx] != target)
      (*Bim)++;
   cp_branch.btb[idx] = target;
}

#endif
