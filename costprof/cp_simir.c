/* cp_simir.c -- the simulators' instrumentation and run-time helpers.

   Like cachegrind, events are queued per block and flushed as few helper
   calls: an instruction fetch merges with the data access that follows it
   or with up to two more fetches; a load then store of the same address
   and size by one instruction is a modify, counted as one read; guarded
   loads and stores get a guarded call of their own; dirty helpers and CAS
   are cut to the smallest line size; every queued event is flushed before
   a side exit.  Conditional branches are the guest's Boring/Call/Ret side
   exits (the guard inverted when the exit goes to the fall-through
   address); indirect branches are Boring/Call block ends to a computed
   address.

   Unlike cachegrind, the costs go to the running (context, block) record:
   helpers add to cp_cur_rec's simulated-event slots (made at its first
   event) at the instruction's slot offset, and to cp_cur_tot, the running
   thread totals from which inclusive costs are measured.  Also unlike
   cachegrind, helpers read no per-instruction descriptor: addresses, sizes and
   slot offsets are constants in the call, and up to three consecutive events
   share one call.  And the helpers count only misses: reads and writes are
   counted here, per instruction and per exit, and follow from the exit counts
   as Ir does -- but for guarded accesses, which count themselves. */
#include "cp_simir.h"
#include "cp_branch.h"
#include "cp_cost.h"
#include "cp_events.h"
#include "cp_mem.h"
#include "cp_opts.h"
#include "cp_sim.h"
#include "cp_track.h"
#include "pub_tool_libcassert.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_machine.h"
#include "pub_tool_mallocfree.h"

/* Slots, per instruction, relative to its offset. */
enum { S_I1mr, S_ILmr, S_Dr, S_D1mr, S_DLmr, S_Dw, S_D1mw, S_DLmw };
#define S_BR (cp_clo.cache_sim ? 8 : 0)

typedef struct {
   Addr addr;
   UInt len;
   UInt off[4];    /* slot offset in the record of each group present
                      (CP_G_FETCH, READ, WRITE, BRANCH), else CP_NO_SLOT */
   Bool nox;       /* the fetch stays in one line (cachegrind's IrNoX) */
   Bool same_line; /* all in the I1 line the previous instruction ended in */
   Bool from_line; /* starts in that line (so that line is MRU there) */
   UInt miss;      /* where the misses start in its read and write groups
                      (1 when the group counts guarded accesses first) */
} CpSimInstr;

typedef enum { Ev_IrNoX, Ev_IrGen, Ev_Dr, Ev_Dw, Ev_Dm, Ev_Bc, Ev_Bi } EvTag;

typedef struct {
   EvTag tag;
   CpSimInstr* in;
   Int size;
   IRExpr* ea; /* data address, taken flag or branch target */
} Event;

#define N_EVENTS 16

struct CpSimIR {
   IRSB* sbOut;
   CpSB* sb;
   IRType hWordTy;
   CpSimInstr* instrs;
   Int cur; /* index of the current instruction, -1 before */
   Event ev[N_EVENTS];
   Int used;
   UInt rd, wr; /* reads and writes counted from the exits so far */
};

Bool cp_simir_on(void)
{
   return cp_clo.cache_sim || cp_clo.branch_sim;
}

/* ---- run-time helpers ---- */

static ULong* scratch;
static UInt scratch_len;

/* Also the running totals while collection is off: never below the
   number of columns the helpers write there. */
static void ensure_scratch(UInt len)
{
   if (len < 16)
      len = 16;
   if (len > scratch_len) {
      /* Never freed: the old one may still be in use by a helper. */
      scratch_len = len * 2;
      scratch = VG_(calloc)("cp.simir.scratch", scratch_len, sizeof(ULong));
      cp_track_scratch_moved(scratch);
   }
}

/* What a helper needs to know about an event is static, so it travels as
   constant arguments in the generated code rather than through memory (a
   pointer to a per-instruction descriptor costs a dependent host cache
   miss per event): one word per event.  A fetch inside one line or a
   branch has the slot offset in the top 16 bits and the instruction
   address below; fetches that straddle lines or sit above 2^48 take
   h_Igen's two words. */
#define W_OFF(w) ((UInt)((w) >> 48))
#define W_LOW(w) ((w)&0xFFFFFFFFFFFFull)
/* A data access's word is the access size in the low byte and the slot
   offset above it: below 2^31, its move into the argument register is a
   32-bit immediate, 3 bytes shorter in the generated code than a 64-bit
   one (the same number of host instructions). */
#define D_OFF(w) ((UInt)((w) >> 8))
#define D_SIZE(w) ((UChar)(w))

/* The running record's simulated-event slots, from offset off. */
static inline ULong* slots(UInt off)
{
   return cp_rec_sim(cp_cur_rec) + off;
}

/* off: the event's slots in the record (its group); T: the same events in
   the running thread totals. */
static inline void add2(UInt off, ULong* T, ULong m1, ULong mL)
{
   if (UNLIKELY(m1)) {
      ULong* c = slots(off);
      c[0] += m1;
      T[0] += m1;
      c[1] += mL;
      T[1] += mL;
   }
}

/* An access of size bytes at a that missed its L1: the LL lookup, and
   the counts (off: the event's slots, t: its L1 miss column among the
   totals).  This, the access that straddles two lines and the scalar set
   walk are out of line: a helper's common case, a hit in one line, is
   then a few instructions, and the helpers a sixth of their size. */
static __attribute__((noinline)) void l1_missed(UInt off, Int t, Addr a,
                                                UChar size)
{
   add2(off, cp_cur_tot + t, 1, cp_cache_ref_miss(&cp_sim.LL, a, size) ? 1 : 0);
}

static __attribute__((noinline)) void d1_straddle(ULong w, Addr a, Int t)
{
   if (cp_cache_ref_miss(&cp_sim.D1, a, D_SIZE(w)))
      l1_missed(D_OFF(w), t, a, D_SIZE(w));
}

/* One data access, counted from the exits: the word's offset is that of
   its misses (D1, LL); t, their column among the totals.  A modify is a
   read; a write allocates as a read does: the same lookups. */
__attribute__((always_inline)) static inline void daccess(ULong w, Addr a,
                                                          Int t)
{
   CpCache* c = &cp_sim.D1;
   UWord b1 = a >> c->line_bits;
   if (UNLIKELY(b1 != (a + D_SIZE(w) - 1) >> c->line_bits))
      d1_straddle(w, a, t);
   else if (UNLIKELY(cp_cache_set_miss(c, b1 & c->set_mask, b1)))
      l1_missed(D_OFF(w), t, a, D_SIZE(w));
}

#define dread(w, a) daccess(w, a, S_D1mr)
#define dwrite(w, a) daccess(w, a, S_D1mw)

/* A guarded access counts itself, when its guard holds: the word's offset
   is that of its group's first slot, the count, then its misses.  k is
   Dr's or Dw's index among the totals. */
static inline void count_guarded(ULong w, Int k, ULong m1, ULong mL)
{
   slots(D_OFF(w))[0]++;
   cp_cur_tot[k]++;
   add2(D_OFF(w) + 1, cp_cur_tot + k + 1, m1, mL);
}

static void h_Rg(ULong w, Addr a)
{
   ULong m1 = 0, mL = 0;
   cp_sim_dread(a, D_SIZE(w), &m1, &mL);
   count_guarded(w, S_Dr, m1, mL);
}

static void h_Wg(ULong w, Addr a)
{
   ULong m1 = 0, mL = 0;
   cp_sim_dwrite(a, D_SIZE(w), &m1, &mL);
   count_guarded(w, S_Dw, m1, mL);
}

/* A fetch in general: lenoff is the length, and the slot offset << 8. */
static void h_Igen(Addr a, ULong lenoff)
{
   if (cp_cache_ref_miss(&cp_sim.I1, a, (UChar)lenoff))
      l1_missed((UInt)(lenoff >> 8), S_I1mr, a, (UChar)lenoff);
}

/* A run of up to MAX_RUN consecutive queued data accesses -- reads (R)
   and writes (W) -- is one helper call, in queue order, each access taking
   two arguments (its word, its address): amd64 passes six in registers.
   (One-line fetches are checked in the generated code, and call h_I.) */
#define MAX_RUN 3

#define ARG(j) ULong w##j, Addr a##j
#define STEP_R(j) dread(w##j, a##j)
#define STEP_W(j) dwrite(w##j, a##j)

#define RUN1(X)                                                                \
   static void h_##X(ARG(0))                                                   \
   {                                                                           \
      STEP_##X(0);                                                             \
   }
#define RUN2(X, Y)                                                             \
   static void h_##X##Y(ARG(0), ARG(1))                                        \
   {                                                                           \
      STEP_##X(0);                                                             \
      STEP_##Y(1);                                                             \
   }
#define RUN3(X, Y, Z)                                                          \
   static void h_##X##Y##Z(ARG(0), ARG(1), ARG(2))                             \
   {                                                                           \
      STEP_##X(0);                                                             \
      STEP_##Y(1);                                                             \
      STEP_##Z(2);                                                             \
   }

/* clang-format off */
RUN1(R) RUN1(W)
RUN2(R, R) RUN2(R, W) RUN2(W, R) RUN2(W, W)
RUN3(R, R, R) RUN3(R, R, W) RUN3(R, W, R) RUN3(R, W, W)
RUN3(W, R, R) RUN3(W, R, W) RUN3(W, W, R) RUN3(W, W, W)

/* Indexed by the run's kinds as binary digits, first access most
   significant (R = 0, W = 1), after an offset per length. */
static void* const run_fns[2 + 4 + 8] = {
   (void*)h_R,   (void*)h_W,   (void*)h_RR,  (void*)h_RW,  (void*)h_WR,
   (void*)h_WW,  (void*)h_RRR, (void*)h_RRW, (void*)h_RWR, (void*)h_RWW,
   (void*)h_WRR, (void*)h_WRW, (void*)h_WWR, (void*)h_WWW,
};
/* clang-format on */

/* A one-line fetch that the generated code found not to be its set's
   most recently used line. */
static void h_I(ULong w0)
{
   UWord b = W_LOW(w0) >> cp_sim.I1.line_bits;
   if (cp_cache_set_miss(&cp_sim.I1, b & cp_sim.I1.set_mask, b))
      l1_missed(W_OFF(w0), S_I1mr, W_LOW(w0), 1);
}

/* Branches: the word is the instruction address with the offset of its
   branch slots on top.  One branch counted in branch slot k (Bc or Bi),
   a mispredict in k+1. */
static inline void count_branch(ULong w, Int k, ULong miss)
{
   ULong* c = slots(W_OFF(w));
   ULong* T = cp_cur_tot + S_BR;
   c[k]++;
   T[k]++;
   c[k + 1] += miss;
   T[k + 1] += miss;
}

static void h_cond(ULong w, Word taken)
{
   ULong miss = 0;
   cp_branch_cond(W_LOW(w), taken, &miss);
   count_branch(w, 0, miss);
}

static void h_ind(ULong w, Addr target)
{
   ULong miss = 0;
   cp_branch_ind(W_LOW(w), target, &miss);
   count_branch(w, 2, miss);
}

/* ---- instrumentation ---- */

/* Whether an instruction at a starts in the I1 line where the previous
   instruction of the block ended: that line is then its set's most
   recently used (see cp_simir_begin). */
static Bool starts_in_prev_line(Bool first, Addr prev_end, Addr a)
{
   Int bits = cp_sim.I1.line_bits;
   return !first && (a >> bits) == ((prev_end - 1) >> bits);
}

/* The fetch of an instruction needs simulating unless it lies wholly in
   that line. */
static Bool fetch_needed(Bool first, Addr prev_end, Addr a, UInt len)
{
   Int bits = cp_sim.I1.line_bits;
   return !(starts_in_prev_line(first, prev_end, a)
            && ((a + len - 1) >> bits) == (a >> bits));
}

void cp_simir_wants(const IRSB* sbIn, UChar* wants, UInt n_instrs)
{
   Int s, cur = -1;
   Addr prev_end = 0;
   const UChar R = cp_clo.cache_sim ? CP_G_READ : 0;
   const UChar W = cp_clo.cache_sim ? CP_G_WRITE : 0;
   for (s = 0; s < sbIn->stmts_used; s++) {
      const IRStmt* st = sbIn->stmts[s];
      UChar w = 0;
      switch (st->tag) {
      case Ist_IMark: {
         Addr a = (Addr)(st->Ist.IMark.addr + st->Ist.IMark.delta);
         UInt len = st->Ist.IMark.len ? st->Ist.IMark.len : 1;
         cur++;
         tl_assert(cur < (Int)n_instrs);
         wants[cur] =
            cp_clo.cache_sim && fetch_needed(cur == 0, prev_end, a, len)
               ? CP_G_FETCH
               : 0;
         prev_end = a + len;
         break;
      }
      case Ist_WrTmp:
         w = st->Ist.WrTmp.data->tag == Iex_Load ? R : 0;
         break;
      case Ist_Store:
         w = W;
         break;
      case Ist_StoreG:
         w = W ? W | CP_G_COUNTED : 0;
         break;
      case Ist_LoadG:
         w = R ? R | CP_G_COUNTED : 0;
         break;
      case Ist_CAS:
         w = R | W; /* a modify: counted as a read, W is spare */
         break;
      case Ist_LLSC:
         w = st->Ist.LLSC.storedata ? W : R;
         break;
      case Ist_Dirty: {
         IREffect fx = st->Ist.Dirty.details->mFx;
         w = (fx == Ifx_Read || fx == Ifx_Modify ? R : 0)
             | (fx == Ifx_Write || fx == Ifx_Modify ? W : 0);
         break;
      }
      case Ist_Exit:
         w = cp_clo.branch_sim
                   && (st->Ist.Exit.jk == Ijk_Boring
                       || st->Ist.Exit.jk == Ijk_Call
                       || st->Ist.Exit.jk == Ijk_Ret)
                ? CP_G_BRANCH
                : 0;
         break;
      default:
         break;
      }
      if (cur >= 0)
         wants[cur] |= w;
   }
   if (cp_clo.branch_sim && cur >= 0
       && (sbIn->jumpkind == Ijk_Boring || sbIn->jumpkind == Ijk_Call)
       && sbIn->next->tag == Iex_RdTmp)
      wants[cur] |= CP_G_BRANCH;
}

CpSimIR* cp_simir_begin(IRSB* sbOut, CpSB* sb, IRType hWordTy)
{
   static CpSimIR s;
   static CpSimInstr* instrs_buf;
   static UInt instrs_len;
   UInt i;
   s.sbOut = sbOut;
   s.sb = sb;
   s.hWordTy = hWordTy;
   s.cur = -1;
   s.used = 0;
   s.rd = s.wr = 0;
   /* one buffer for every translation (freeing costs a fill of the
      block with junk in Valgrind's arenas) */
   if (sb->n_instrs > instrs_len) {
      instrs_len = 2 * sb->n_instrs;
      instrs_buf = VG_(realloc)("cp.simir.instrs", instrs_buf,
                                instrs_len * sizeof(CpSimInstr));
   }
   s.instrs = instrs_buf;
   if (cp_clo.cache_sim)
      sb->data_n = cp_mem_alloc(sb->n_instrs * sizeof(UShort));
   for (i = 0; i < sb->n_instrs; i++) {
      CpSimInstr* n = &s.instrs[i];
      n->addr = sb->instrs[i].addr;
      n->len = sb->instrs[i].size ? sb->instrs[i].size : 1;
      {
         UInt g, k, at = sb->sim_off[i];
         for (g = CP_G_FETCH, k = 0; k < 4; g <<= 1, k++) {
            n->off[k] = CP_NO_SLOT;
            if (sb->sim_groups[i] & g) {
               n->off[k] = at;
               at += cp_group_size(g, sb->sim_groups[i]);
            }
         }
         n->miss = (sb->sim_groups[i] & CP_G_COUNTED) ? 1 : 0;
      }
      n->nox =
         cp_clo.cache_sim && cp_sim_ifetch_is_1line(n->addr, (UChar)n->len);
      /* The previous instruction of this block ran just before and left
         its last I1 line most recently used: a fetch inside that line is
         a hit that changes nothing, so it needs no simulation. */
      {
         Addr prev_end = i > 0 ? s.instrs[i - 1].addr + s.instrs[i - 1].len : 0;
         n->same_line = cp_clo.cache_sim
                        && !fetch_needed(i == 0, prev_end, n->addr, n->len);
         n->from_line =
            cp_clo.cache_sim && starts_in_prev_line(i == 0, prev_end, n->addr);
      }
   }
   ensure_scratch(sb->sim_len);
   return &s;
}

static void call(CpSimIR* s, Int regparms, const HChar* name, void* fn,
                 IRExpr** args, IRExpr* guard)
{
   IRDirty* di =
      unsafeIRDirty_0_N(regparms, name, VG_(fnptr_to_fnentry)(fn), args);
   if (guard)
      di->guard = guard;
   addStmtToIRSB(s->sbOut, IRStmt_Dirty(di));
}

static IRExpr* word(UWord w)
{
   return mkIRExpr_HWord((HWord)w);
}

/* Index in CpSimInstr.off of the slot group an event counts in. */
enum { GF, GR, GW, GB };
static Int group_of(EvTag tag)
{
   switch (tag) {
   case Ev_IrNoX:
   case Ev_IrGen:
      return GF;
   case Ev_Dr:
   case Ev_Dm:
      return GR;
   case Ev_Dw:
      return GW;
   default:
      return GB;
   }
}

/* The constant word of an event counted in group g (see W_OFF). */
static UWord ev_word(const CpSimInstr* in, Int g, UWord low)
{
   tl_assert(in->off[g] < 0x10000 && low < (1ull << 48));
   return ((UWord)in->off[g] << 48) | low;
}

/* A data access's word (D_OFF, D_SIZE): its size, and the offset of
   its group, or of its misses (miss: past the count of a group that
   counts guarded accesses). */
static UWord access_word(const CpSimInstr* in, Int g, Int size, UInt miss)
{
   tl_assert(in->off[g] + miss < 0x10000 && size >= 1 && size <= 0xFF);
   return (UWord)size | (UWord)(in->off[g] + miss) << 8;
}

/* An unguarded data access's word: the offset is that of its misses. */
static UWord data_word(const CpSimInstr* in, Int g, Int size)
{
   return access_word(in, g, size, in->miss);
}

/* A branch's word: its address, and the offset of its branch slots. */
static UWord br_word(const CpSimInstr* in)
{
   return ev_word(in, GB, in->addr);
}

static Bool is_run_ev(const Event* e)
{
   return e->tag == Ev_Dr || e->tag == Ev_Dw || e->tag == Ev_Dm;
}

static IRExpr* new_tmp(CpSimIR* s, IRType ty, IRExpr* e)
{
   IRTemp t = newIRTemp(s->sbOut->tyenv, ty);
   addStmtToIRSB(s->sbOut, IRStmt_WrTmp(t, e));
   return IRExpr_RdTmp(t);
}

/* The tag an I1 lookup of line blk compares with first (its set's MRU). */
static IRExpr* i1_mru(CpSimIR* s, UWord blk)
{
   const UWord* mru =
      cp_sim.I1.tags + (blk & cp_sim.I1.set_mask) * (UWord)cp_sim.I1.assoc;
   return new_tmp(s, Ity_I64, IRExpr_Load(Iend_LE, Ity_I64, word((UWord)mru)));
}

/* Whether line blk is not its I1 set's MRU line, as an Ity_I1 temporary. */
static IRExpr* i1_not_mru(CpSimIR* s, UWord blk)
{
   return new_tmp(s, Ity_I1,
                  IRExpr_Binop(Iop_CmpNE64, i1_mru(s, blk), word(blk)));
}

/* A one-line fetch whose line is the most recently used of its I1 set is
   a hit that changes nothing: the generated code checks that itself (the
   set and tag are constants) and calls the helper only otherwise.  The
   check reads the tags after every earlier helper call of the block, so
   it sees the state those left. */
static void fetch_checked(CpSimIR* s, const CpSimInstr* in)
{
   IRExpr* g = i1_not_mru(s, in->addr >> cp_sim.I1.line_bits);
   call(s, 0, "h_I", h_I, mkIRExprVec_1(word(ev_word(in, GF, in->addr))), g);
}

static IRExpr** arg_vec(IRExpr** a, Int n)
{
   switch (n) {
   case 1:
      return mkIRExprVec_1(a[0]);
   case 2:
      return mkIRExprVec_2(a[0], a[1]);
   case 3:
      return mkIRExprVec_3(a[0], a[1], a[2]);
   case 4:
      return mkIRExprVec_4(a[0], a[1], a[2], a[3]);
   case 5:
      return mkIRExprVec_5(a[0], a[1], a[2], a[3], a[4]);
   case 6:
      return mkIRExprVec_6(a[0], a[1], a[2], a[3], a[4], a[5]);
   }
   tl_assert(0);
   return NULL;
}

/* One helper call for the run ev[i..i+n), guarded or not. */
static void call_run(CpSimIR* s, const Event* ev, Int n, IRExpr* guard)
{
   IRExpr* args[2 * MAX_RUN];
   Int k, code = 0, na = 0;
   for (k = 0; k < n; k++) {
      const Event* e = &ev[k];
      args[na++] = word(data_word(e->in, group_of(e->tag), e->size));
      args[na++] = e->ea;
      code = code * 2 + (e->tag == Ev_Dw ? 1 : 0);
   }
   code += n == 1 ? 0 : n == 2 ? 2 : 6;
   call(s, 0, "cp_sim_run", run_fns[code], arg_vec(args, na), guard);
}

/* A fetch takes h_I when it stays in one line (and I1 and LL lines
   match) and its address leaves room for the offset in its word. */
static Bool fetch_fits(const CpSimInstr* in)
{
   return in->nox && in->addr < (1ull << 48);
}

/* Any other fetch.  With equal I1 and LL line sizes it straddles two
   lines, and is a hit that changes nothing when each line is its set's
   MRU (the two sets differ: consecutive lines); otherwise (line sizes
   differ) the helper always runs.  When the instruction starts in the
   line the previous one of the block ended in, that line is its set's
   MRU already (see cp_simir_begin), and only the second is checked. */
static void fetch_gen_checked(CpSimIR* s, const CpSimInstr* in)
{
   IRExpr* g = NULL;
   Int bits = cp_sim.I1.line_bits;
   UWord b1 = in->addr >> bits, b2 = (in->addr + in->len - 1) >> bits;
   if (bits == cp_sim.LL.line_bits && b2 == b1 + 1 && cp_sim.I1.set_mask > 0) {
      if (in->from_line)
         g = i1_not_mru(s, b2);
      else {
         IRExpr* x1 = new_tmp(s, Ity_I64,
                              IRExpr_Binop(Iop_Xor64, i1_mru(s, b1), word(b1)));
         IRExpr* x2 = new_tmp(s, Ity_I64,
                              IRExpr_Binop(Iop_Xor64, i1_mru(s, b2), word(b2)));
         IRExpr* o = new_tmp(s, Ity_I64, IRExpr_Binop(Iop_Or64, x1, x2));
         g = new_tmp(s, Ity_I1, IRExpr_Binop(Iop_CmpNE64, o, word(0)));
      }
   }
   call(
      s, 0, "h_Igen", h_Igen,
      mkIRExprVec_2(word(in->addr), word(in->len | ((UWord)in->off[GF] << 8))),
      g);
}

static void flush(CpSimIR* s)
{
   Int i = 0;
   while (i < s->used) {
      Event* e = &s->ev[i];
      if (is_run_ev(e)) {
         Int n = 1;
         while (n < MAX_RUN && i + n < s->used && is_run_ev(&s->ev[i + n]))
            n++;
         call_run(s, e, n, NULL);
         i += n;
         continue;
      }
      switch (e->tag) {
      case Ev_IrNoX:
         fetch_checked(s, e->in);
         break;
      case Ev_IrGen:
         fetch_gen_checked(s, e->in);
         break;
      case Ev_Bc:
         call(s, 0, "h_cond", h_cond,
              mkIRExprVec_2(word(br_word(e->in)), e->ea), NULL);
         break;
      case Ev_Bi:
         call(s, 0, "h_ind", h_ind, mkIRExprVec_2(word(br_word(e->in)), e->ea),
              NULL);
         break;
      default:
         tl_assert(0);
      }
      i++;
   }
   s->used = 0;
}

static void add(CpSimIR* s, EvTag tag, Int size, IRExpr* ea)
{
   Event* e;
   if (s->used == N_EVENTS)
      flush(s);
   tl_assert(s->instrs[s->cur].off[group_of(tag)] != CP_NO_SLOT);
   if (tag == Ev_Dr || tag == Ev_Dw) {
      /* counted here, and from the exit counts at the end */
      UShort* n = &s->sb->data_n[s->cur];
      tl_assert((tag == Ev_Dr ? *n & 0xFF : *n >> 8) < 0xFF);
      *n += tag == Ev_Dr ? 1 : 0x100;
      if (tag == Ev_Dr)
         s->rd++;
      else
         s->wr++;
   }
   e = &s->ev[s->used++];
   e->tag = tag;
   e->in = &s->instrs[s->cur];
   e->size = size;
   e->ea = ea;
}

static void add_dr(CpSimIR* s, Int size, IRExpr* ea)
{
   if (!cp_clo.cache_sim)
      return;
   tl_assert(size >= 1 && size <= cp_sim.min_line_size);
   add(s, Ev_Dr, size, ea);
}

static void add_dw(CpSimIR* s, Int size, IRExpr* ea)
{
   Event* last;
   if (!cp_clo.cache_sim)
      return;
   tl_assert(size >= 1 && size <= cp_sim.min_line_size);
   last = s->used > 0 ? &s->ev[s->used - 1] : NULL;
   if (last && last->tag == Ev_Dr && last->size == size
       && last->in == &s->instrs[s->cur] && eqIRAtom(last->ea, ea)) {
      last->tag = Ev_Dm;
      return;
   }
   add(s, Ev_Dw, size, ea);
}

static void add_guarded(CpSimIR* s, Int size, IRExpr* ea, IRExpr* guard,
                        Bool write)
{
   if (!cp_clo.cache_sim)
      return;
   tl_assert(size >= 1 && size <= cp_sim.min_line_size);
   flush(s);
   {
      const CpSimInstr* in = &s->instrs[s->cur];
      UWord w = access_word(in, write ? GW : GR, size, 0);
      tl_assert(in->miss == 1); /* its group has the count slot */
      if (write)
         call(s, 0, "h_Wg", h_Wg, mkIRExprVec_2(word(w), ea), guard);
      else
         call(s, 0, "h_Rg", h_Rg, mkIRExprVec_2(word(w), ea), guard);
   }
}

void cp_simir_data_done(const CpSimIR* s, UInt* rd, UInt* wr)
{
   *rd = s->rd;
   *wr = s->wr;
}

static Int clamp(Int size)
{
   return size > cp_sim.min_line_size ? cp_sim.min_line_size : size;
}

void cp_simir_stmt(CpSimIR* s, IRStmt* st, IRTypeEnv* tyenv)
{
   switch (st->tag) {
   case Ist_IMark:
      s->cur++;
      tl_assert(s->cur < (Int)s->sb->n_instrs);
      if (cp_clo.cache_sim && !s->instrs[s->cur].same_line)
         add(s, fetch_fits(&s->instrs[s->cur]) ? Ev_IrNoX : Ev_IrGen, 0, NULL);
      break;
   case Ist_WrTmp:
      if (st->Ist.WrTmp.data->tag == Iex_Load)
         add_dr(s, sizeofIRType(st->Ist.WrTmp.data->Iex.Load.ty),
                st->Ist.WrTmp.data->Iex.Load.addr);
      break;
   case Ist_Store:
      add_dw(s, sizeofIRType(typeOfIRExpr(tyenv, st->Ist.Store.data)),
             st->Ist.Store.addr);
      break;
   case Ist_StoreG: {
      IRStoreG* sg = st->Ist.StoreG.details;
      add_guarded(s, sizeofIRType(typeOfIRExpr(tyenv, sg->data)), sg->addr,
                  sg->guard, True);
      break;
   }
   case Ist_LoadG: {
      IRLoadG* lg = st->Ist.LoadG.details;
      IRType ty = Ity_INVALID, wide = Ity_INVALID;
      typeOfIRLoadGOp(lg->cvt, &wide, &ty);
      add_guarded(s, sizeofIRType(ty), lg->addr, lg->guard, False);
      break;
   }
   case Ist_Dirty: {
      IRDirty* d = st->Ist.Dirty.details;
      if (d->mFx != Ifx_None) {
         Int size = clamp(d->mSize);
         if (d->mFx == Ifx_Read || d->mFx == Ifx_Modify)
            add_dr(s, size, d->mAddr);
         if (d->mFx == Ifx_Write || d->mFx == Ifx_Modify)
            add_dw(s, size, d->mAddr);
      }
      break;
   }
   case Ist_CAS: {
      IRCAS* cas = st->Ist.CAS.details;
      Int size = sizeofIRType(typeOfIRExpr(tyenv, cas->dataLo));
      if (cas->dataHi)
         size *= 2;
      size = clamp(size);
      add_dr(s, size, cas->addr);
      add_dw(s, size, cas->addr);
      break;
   }
   case Ist_LLSC:
      if (!st->Ist.LLSC.storedata) {
         add_dr(s, sizeofIRType(typeOfIRTemp(tyenv, st->Ist.LLSC.result)),
                st->Ist.LLSC.addr);
         flush(s);
      } else
         add_dw(s, sizeofIRType(typeOfIRExpr(tyenv, st->Ist.LLSC.storedata)),
                st->Ist.LLSC.addr);
      break;
   case Ist_Exit:
      if (cp_clo.branch_sim
          && (st->Ist.Exit.jk == Ijk_Boring || st->Ist.Exit.jk == Ijk_Call
              || st->Ist.Exit.jk == Ijk_Ret)) {
         const CpSimInstr* n = &s->instrs[s->cur];
         Addr sea = (Addr)st->Ist.Exit.dst->Ico.U64;
         Bool inverted = sea == n->addr + n->len;
         IRTemp g1 = newIRTemp(s->sbOut->tyenv, Ity_I1);
         IRTemp gw = newIRTemp(s->sbOut->tyenv, Ity_I64);
         IRTemp g = newIRTemp(s->sbOut->tyenv, Ity_I64);
         addStmtToIRSB(s->sbOut, IRStmt_WrTmp(g1, st->Ist.Exit.guard));
         addStmtToIRSB(
            s->sbOut,
            IRStmt_WrTmp(gw, IRExpr_Unop(Iop_1Uto64, IRExpr_RdTmp(g1))));
         addStmtToIRSB(s->sbOut,
                       IRStmt_WrTmp(g, inverted ? IRExpr_Binop(
                                          Iop_Xor64, IRExpr_RdTmp(gw),
                                          IRExpr_Const(IRConst_U64(1)))
                                                : IRExpr_RdTmp(gw)));
         add(s, Ev_Bc, 0, IRExpr_RdTmp(g));
      }
      flush(s);
      break;
   default:
      break;
   }
}

void cp_simir_end(CpSimIR* s, IRSB* sbIn)
{
   if (cp_clo.branch_sim
       && (sbIn->jumpkind == Ijk_Boring || sbIn->jumpkind == Ijk_Call)
       && sbIn->next->tag == Iex_RdTmp)
      add(s, Ev_Bi, 0, sbIn->next);
   flush(s);
   /* The helpers got everything as constants: instrs is no longer needed. */
   s->instrs = NULL;
}
