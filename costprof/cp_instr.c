/* cp_instr.c -- instruments each superblock with what the Ir count and the
   call tracking need, and nothing per instruction: one helper call at the
   block's start (cp_sb_enter, or cp_skip_enter for a PLT stub) and one
   constant store before each exit but the first that records which exit
   was taken (CP_EXIT_WORD).  Instruction counts follow from the exit
   counts when the profile is written. */
#include "cp_instr.h"
#include "cp_control.h"
#include "cp_sbinfo.h"
#include "cp_simir.h"
#include "cp_track.h"
#include "pub_tool_libcassert.h"
#include "pub_tool_machine.h"
#include "pub_tool_mallocfree.h"

static UWord exit_word(const CpSB* sb, UWord idx)
{
   const CpExit* x = &sb->exits[idx];
   return CP_EXIT_WORD(idx, x->instr + 1, x->jk, x->rd, x->wr);
}

/* sim: the reads and writes counted so far are those done before the
   exit (the simulator's events are flushed before every exit). */
static void store_exit_idx(IRSB* sbOut, CpSB* sb, UWord idx, CpSimIR* sim)
{
   CpExit* x = &sb->exits[idx];
   UInt rd = 0, wr = 0;
   if (sim)
      cp_simir_data_done(sim, &rd, &wr);
   tl_assert(rd <= CP_XW_MAX_RW && wr <= CP_XW_MAX_RW);
   x->rd = (UShort)rd;
   x->wr = (UShort)wr;
   /* cp_sb_enter leaves the word of exit 0 there */
   if (idx == 0)
      return;
   addStmtToIRSB(
      sbOut, IRStmt_Store(Iend_LE,
                          IRExpr_Const(IRConst_U64((ULong)(HWord)&cp_exit_idx)),
                          IRExpr_Const(IRConst_U64(exit_word(sb, idx)))));
}

/* Whether the block may change SP (a PUT that overlaps it). */
static Bool writes_sp(const IRSB* sbIn, const VexGuestLayout* layout)
{
   Int s;
   for (s = 0; s < sbIn->stmts_used; s++) {
      const IRStmt* st = sbIn->stmts[s];
      if (st->tag == Ist_PutI || st->tag == Ist_Dirty)
         return True;
      if (st->tag == Ist_Put && st->Ist.Put.offset < layout->offset_SP + 8
          && st->Ist.Put.offset
                   + sizeofIRType(typeOfIRExpr(sbIn->tyenv, st->Ist.Put.data))
                > layout->offset_SP)
         return True;
   }
   return False;
}

static UChar* wants; /* per instruction: its simulated-event groups */
static UInt wants_len;

IRSB* cp_instrument(VgCallbackClosure* closure, IRSB* sbIn,
                    const VexGuestLayout* layout, const VexGuestExtents* vge,
                    const VexArchInfo* archinfo_host, IRType gWordTy,
                    IRType hWordTy)
{
   IRSB* sbOut;
   CpSB* sb;
   IRDirty* di;
   IRTemp sp;
   CpSimIR* sim;
   Int i = 0;
   UWord exits = 0;
   Bool whole;

   tl_assert(gWordTy == Ity_I64 && hWordTy == Ity_I64);
   if (!cp_instr_on)
      return sbIn;
   sbOut = deepCopyIRSBExceptStmts(sbIn);
   while (i < sbIn->stmts_used && sbIn->stmts[i]->tag != Ist_IMark)
      addStmtToIRSB(sbOut, sbIn->stmts[i++]);
   if (i == sbIn->stmts_used)
      return sbIn;

   if (cp_simir_on()) {
      UInt n = 0;
      Int k;
      for (k = i; k < sbIn->stmts_used; k++)
         n += sbIn->stmts[k]->tag == Ist_IMark;
      if (n > wants_len) {
         wants_len = 2 * n;
         wants = VG_(realloc)("cp.instr.wants", wants, wants_len);
      }
      cp_simir_wants(sbIn, wants, n);
   }
   sb = cp_sbinfo_build(sbIn, cp_simir_on() ? wants : NULL);
   sim = cp_simir_on() ? cp_simir_begin(sbOut, sb, hWordTy) : NULL;
   /* SP goes in as an argument: reading it from the guest state in the
      helper costs a call per block. */
   sp = newIRTemp(sbOut->tyenv, Ity_I64);
   addStmtToIRSB(sbOut,
                 IRStmt_WrTmp(sp, IRExpr_Get(layout->offset_SP, Ity_I64)));
   /* A stub that only jumps (not lazy binding's pushes: a frame must
      then record the SP the call left) needs no tracking of its own. */
   whole = sb->skip && sb->n_exits == 1 && !writes_sp(sbIn, layout);
   di = unsafeIRDirty_0_N(
      0, whole ? "cp_skip_enter" : "cp_sb_enter",
      VG_(fnptr_to_fnentry)(whole ? &cp_skip_enter : &cp_sb_enter),
      mkIRExprVec_4(
         mkIRExpr_HWord((HWord)sb), IRExpr_RdTmp(sp),
         mkIRExpr_HWord(CP_WHERE(sb->obj_id, sb->sect_kind, sb->is_entry)),
         mkIRExpr_HWord(0))); /* exit 0's word, set below */
   addStmtToIRSB(sbOut, IRStmt_Dirty(di));

   for (; i < sbIn->stmts_used; i++) {
      IRStmt* st = sbIn->stmts[i];
      if (sim)
         cp_simir_stmt(sim, st, sbIn->tyenv);
      if (st->tag == Ist_Exit)
         store_exit_idx(sbOut, sb, exits++, sim);
      addStmtToIRSB(sbOut, st);
   }
   if (sim)
      cp_simir_end(sim, sbIn);
   store_exit_idx(sbOut, sb, exits, sim);
   /* its reads and writes are known once exit 0 has been seen */
   di->args[3] = mkIRExpr_HWord(exit_word(sb, 0));
   return sbOut;
}
