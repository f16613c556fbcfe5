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
   helpers add to cp_cur_cost (set by cp_sb_enter) at the instruction's
   slot offset, and to cp_cur_tot, the running thread totals from which
   inclusive costs are measured. */
#include "cp_simir.h"
#include "cp_branch.h"
#include "cp_events.h"
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
   UInt off;       /* slot offset in the record */
   UInt br;        /* off + first branch slot */
   Bool nox;       /* the fetch stays in one line (cachegrind's IrNoX) */
   Bool same_line; /* all in the I1 line the previous instruction ended in */
} CpSimInstr;

typedef enum { Ev_IrNoX, Ev_IrGen, Ev_Dr, Ev_Dw, Ev_Dm, Ev_Bc, Ev_Bi } EvTag;

typedef struct {
   EvTag tag;
   CpSimInstr* in;
   Int size;
   IRExpr* ea;      /* data address, taken flag or branch target */
} Event;

#define N_EVENTS 16

struct CpSimIR {
   IRSB* sbOut;
   CpSB* sb;
   IRType hWordTy;
   CpSimInstr* instrs;
   Int cur;         /* index of the current instruction, -1 before */
   Event ev[N_EVENTS];
   Int used;
};

UInt cp_simir_slots(void)
{
   return (cp_clo.cache_sim ? 8 : 0) + (cp_clo.branch_sim ? 4 : 0);
}

/* ---- run-time helpers ---- */

static ULong* scratch;
static UInt scratch_len;

ULong* cp_simir_scratch(void) { return scratch; }

static void ensure_scratch(UInt len)
{
   if (len > scratch_len) {
      /* Never freed: the old one may still be in use by a helper. */
      scratch_len = len * 2;
      scratch = VG_(calloc)("cp.simir.scratch", scratch_len, sizeof(ULong));
      cp_track_scratch_moved(scratch);
   }
}

static inline void add2(ULong* c, ULong* T, Int k, ULong m1, ULong mL)
{
   if (UNLIKELY(m1)) {
      c[k] += m1;
      T[k] += m1;
      c[k + 1] += mL;
      T[k + 1] += mL;
   }
}

__attribute__((always_inline))
static inline void fetch(const CpSimInstr* n)
{
   ULong m1 = 0, mL = 0;
   if (n->nox)
      cp_sim_ifetch_1line(n->addr, &m1, &mL);
   else
      cp_sim_ifetch(n->addr, (UChar)n->len, &m1, &mL);
   add2(cp_cur_cost + n->off, cp_cur_tot, S_I1mr, m1, mL);
}

/* One data access counted in slot k (Dr or Dw), its misses in k+1, k+2. */
__attribute__((always_inline))
static inline void count_data(const CpSimInstr* n, Int k, ULong m1, ULong mL)
{
   ULong* c = cp_cur_cost + n->off;
   c[k]++;
   cp_cur_tot[k]++;
   add2(c, cp_cur_tot, k + 1, m1, mL);
}

__attribute__((always_inline))
static inline void dread(const CpSimInstr* n, Addr a, Word size)
{
   ULong m1 = 0, mL = 0;
   cp_sim_dread(a, (UChar)size, &m1, &mL);
   count_data(n, S_Dr, m1, mL);
}

__attribute__((always_inline))
static inline void dwrite(const CpSimInstr* n, Addr a, Word size)
{
   ULong m1 = 0, mL = 0;
   cp_sim_dwrite(a, (UChar)size, &m1, &mL);
   count_data(n, S_Dw, m1, mL);
}

static VG_REGPARM(1) void h_1I(CpSimInstr* n) { fetch(n); }

static VG_REGPARM(2) void h_2I(CpSimInstr* n, CpSimInstr* n2)
{
   fetch(n);
   fetch(n2);
}

static VG_REGPARM(3) void h_3I(CpSimInstr* n, CpSimInstr* n2, CpSimInstr* n3)
{
   fetch(n);
   fetch(n2);
   fetch(n3);
}

static VG_REGPARM(3) void h_1I_1Dr(CpSimInstr* n, Addr a, Word size)
{
   fetch(n);
   dread(n, a, size);
}

static VG_REGPARM(3) void h_1I_1Dw(CpSimInstr* n, Addr a, Word size)
{
   fetch(n);
   dwrite(n, a, size);
}

static VG_REGPARM(3) void h_1Dr(CpSimInstr* n, Addr a, Word size)
{
   dread(n, a, size);
}

static VG_REGPARM(3) void h_1Dw(CpSimInstr* n, Addr a, Word size)
{
   dwrite(n, a, size);
}

/* One branch counted in branch slot k (Bc or Bi), a mispredict in k+1. */
static inline void count_branch(const CpSimInstr* n, Int k, ULong miss)
{
   ULong* c = cp_cur_cost + n->br;
   ULong* T = cp_cur_tot + S_BR;
   c[k]++;
   T[k]++;
   c[k + 1] += miss;
   T[k + 1] += miss;
}

static VG_REGPARM(2) void h_cond(CpSimInstr* n, Word taken)
{
   ULong miss = 0;
   cp_branch_cond(n->addr, taken, &miss);
   count_branch(n, 0, miss);
}

static VG_REGPARM(2) void h_ind(CpSimInstr* n, Addr target)
{
   ULong miss = 0;
   cp_branch_ind(n->addr, target, &miss);
   count_branch(n, 2, miss);
}

/* ---- instrumentation ---- */

/* The fetch of an instruction needs simulating unless it lies in the I1
   line where the previous instruction of the block ended (see
   cp_simir_begin). */
static Bool fetch_needed(Bool first, Addr prev_end, Addr a, UInt len)
{
   Int bits = cp_sim.I1.line_bits;
   if (first)
      return True;
   return !((a >> bits) == ((prev_end - 1) >> bits)
            && ((a + len - 1) >> bits) == (a >> bits));
}

void cp_simir_wants(const IRSB* sbIn, Bool* wants, UInt n_instrs)
{
   Int s, cur = -1;
   Addr prev_end = 0;
   for (s = 0; s < sbIn->stmts_used; s++) {
      const IRStmt* st = sbIn->stmts[s];
      Bool w = False;
      switch (st->tag) {
      case Ist_IMark: {
         Addr a = (Addr)(st->Ist.IMark.addr + st->Ist.IMark.delta);
         UInt len = st->Ist.IMark.len ? st->Ist.IMark.len : 1;
         cur++;
         tl_assert(cur < (Int)n_instrs);
         wants[cur] = cp_clo.cache_sim && fetch_needed(cur == 0, prev_end, a, len);
         prev_end = a + len;
         break;
      }
      case Ist_WrTmp:
         w = cp_clo.cache_sim && st->Ist.WrTmp.data->tag == Iex_Load;
         break;
      case Ist_Store:
      case Ist_StoreG:
      case Ist_LoadG:
      case Ist_CAS:
      case Ist_LLSC:
         w = cp_clo.cache_sim;
         break;
      case Ist_Dirty:
         w = cp_clo.cache_sim && st->Ist.Dirty.details->mFx != Ifx_None;
         break;
      case Ist_Exit:
         w = cp_clo.branch_sim
             && (st->Ist.Exit.jk == Ijk_Boring || st->Ist.Exit.jk == Ijk_Call
                 || st->Ist.Exit.jk == Ijk_Ret);
         break;
      default:
         break;
      }
      if (w && cur >= 0)
         wants[cur] = True;
   }
   if (cp_clo.branch_sim && cur >= 0
       && (sbIn->jumpkind == Ijk_Boring || sbIn->jumpkind == Ijk_Call)
       && sbIn->next->tag == Iex_RdTmp)
      wants[cur] = True;
}

CpSimIR* cp_simir_begin(IRSB* sbOut, CpSB* sb, IRType hWordTy)
{
   static CpSimIR s;
   UInt i;
   s.sbOut = sbOut;
   s.sb = sb;
   s.hWordTy = hWordTy;
   s.cur = -1;
   s.used = 0;
   s.instrs = VG_(malloc)("cp.simir.instrs", sb->n_instrs * sizeof(CpSimInstr));
   for (i = 0; i < sb->n_instrs; i++) {
      CpSimInstr* n = &s.instrs[i];
      n->addr = sb->instrs[i].addr;
      n->len = sb->instrs[i].size ? sb->instrs[i].size : 1;
      n->off = sb->sim_off[i];
      n->br = n->off + S_BR;
      n->nox = cp_clo.cache_sim && cp_sim_ifetch_is_1line(n->addr, (UChar)n->len);
      /* The previous instruction of this block ran just before and left
         its last I1 line most recently used: a fetch inside that line is
         a hit that changes nothing, so it needs no simulation. */
      n->same_line = cp_clo.cache_sim
                     && !fetch_needed(i == 0, i > 0 ? s.instrs[i - 1].addr
                                                      + s.instrs[i - 1].len : 0,
                                      n->addr, n->len);
   }
   ensure_scratch(sb->cost_len);
   return &s;
}

static void call(CpSimIR* s, Int regparms, const HChar* name, void* fn,
                 IRExpr** args, IRExpr* guard)
{
   IRDirty* di = unsafeIRDirty_0_N(regparms, name,
                                   VG_(fnptr_to_fnentry)(fn), args);
   if (guard)
      di->guard = guard;
   addStmtToIRSB(s->sbOut, IRStmt_Dirty(di));
}

#define NODE(n) mkIRExpr_HWord((HWord)(n))

static void flush(CpSimIR* s)
{
   Int i = 0;
   while (i < s->used) {
      Event* e = &s->ev[i];
      Event* e2 = i + 1 < s->used ? &s->ev[i + 1] : NULL;
      Event* e3 = i + 2 < s->used ? &s->ev[i + 2] : NULL;
      switch (e->tag) {
      case Ev_IrNoX:
         /* a data access merges with its own instruction's fetch only
            (fetches that cannot miss are not queued) */
         if (e2 && (e2->tag == Ev_Dr || e2->tag == Ev_Dm) && e2->in == e->in) {
            call(s, 3, "h_1I_1Dr", h_1I_1Dr,
                 mkIRExprVec_3(NODE(e->in), e2->ea, mkIRExpr_HWord(e2->size)),
                 NULL);
            i += 2;
         } else if (e2 && e2->tag == Ev_Dw && e2->in == e->in) {
            call(s, 3, "h_1I_1Dw", h_1I_1Dw,
                 mkIRExprVec_3(NODE(e->in), e2->ea, mkIRExpr_HWord(e2->size)),
                 NULL);
            i += 2;
         } else if (e2 && e3 && e2->tag == Ev_IrNoX && e3->tag == Ev_IrNoX) {
            call(s, 3, "h_3I", h_3I,
                 mkIRExprVec_3(NODE(e->in), NODE(e2->in), NODE(e3->in)), NULL);
            i += 3;
         } else if (e2 && e2->tag == Ev_IrNoX) {
            call(s, 2, "h_2I", h_2I, mkIRExprVec_2(NODE(e->in), NODE(e2->in)),
                 NULL);
            i += 2;
         } else {
            call(s, 1, "h_1I", h_1I, mkIRExprVec_1(NODE(e->in)), NULL);
            i++;
         }
         break;
      case Ev_IrGen:
         call(s, 1, "h_1I", h_1I, mkIRExprVec_1(NODE(e->in)), NULL);
         i++;
         break;
      case Ev_Dr:
      case Ev_Dm:
         call(s, 3, "h_1Dr", h_1Dr,
              mkIRExprVec_3(NODE(e->in), e->ea, mkIRExpr_HWord(e->size)), NULL);
         i++;
         break;
      case Ev_Dw:
         call(s, 3, "h_1Dw", h_1Dw,
              mkIRExprVec_3(NODE(e->in), e->ea, mkIRExpr_HWord(e->size)), NULL);
         i++;
         break;
      case Ev_Bc:
         call(s, 2, "h_cond", h_cond, mkIRExprVec_2(NODE(e->in), e->ea), NULL);
         i++;
         break;
      case Ev_Bi:
         call(s, 2, "h_ind", h_ind, mkIRExprVec_2(NODE(e->in), e->ea), NULL);
         i++;
         break;
      }
   }
   s->used = 0;
}

static void add(CpSimIR* s, EvTag tag, Int size, IRExpr* ea)
{
   Event* e;
   if (s->used == N_EVENTS)
      flush(s);
   tl_assert(s->instrs[s->cur].off != CP_NO_SLOT);
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
   call(s, 3, write ? "h_1Dw" : "h_1Dr", write ? (void*)h_1Dw : (void*)h_1Dr,
        mkIRExprVec_3(NODE(&s->instrs[s->cur]), ea, mkIRExpr_HWord(size)),
        guard);
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
         add(s, s->instrs[s->cur].nox ? Ev_IrNoX : Ev_IrGen, 0, NULL);
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
         addStmtToIRSB(s->sbOut, IRStmt_WrTmp(gw, IRExpr_Unop(Iop_1Uto64,
                                                              IRExpr_RdTmp(g1))));
         addStmtToIRSB(s->sbOut,
                       IRStmt_WrTmp(g, inverted
                                          ? IRExpr_Binop(Iop_Xor64, IRExpr_RdTmp(gw),
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
   /* The helpers keep pointers into instrs: it lives as long as the code. */
}
