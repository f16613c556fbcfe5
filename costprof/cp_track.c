/* cp_track.c -- keeps a shadow call stack per thread and picks the cost
   record of every block executed.  The rules are callgrind's (bbcc.c and
   callstack.c), so that every cost lands in the same function as there:
   a return is recognised by the stack pointer and the return address, a
   jump to a function's first instruction or into another object is a
   call, PLT stubs are skipped (their cost stays with the caller), ld.so's
   lazy resolver is popped when it jumps to its target, and frames the
   stack pointer has left (longjmp, exceptions) are unwound. */
#include "cp_track.h"
#include "cp_alloc.h"
#include "cp_control.h"
#include "cp_cost.h"
#include "cp_ctx.h"
#include "cp_events.h"
#include "pub_tool_libcassert.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_libcprint.h"
#include "pub_tool_machine.h"
#include "pub_tool_mallocfree.h"
#include "pub_tool_threadstate.h"

UWord cp_exit_idx;
CpRec* cp_cur_rec;
ULong* cp_cur_tot;
static ULong* scratch;
static CpRec scratch_rec; /* its sim is scratch: never counted */

void cp_track_scratch_moved(ULong* s)
{
   scratch = s;
   scratch_rec.sim = s;
}

typedef struct {
   Addr sp;       /* SP on entry to the callee */
   Addr ret_addr; /* 0 unless entered by a real call instruction */
   CpCtx* ctx;    /* the caller's context, restored on return */
   CpEdge* edge;  /* NULL for a skipped (PLT) frame or a signal mark */
   CpSB* src_sb;  /* where the call came from */
   UInt src_exit;
   CpSB* ns_sb;  /* saved caller site of skipped code */
   Bool sig;     /* marks the start of a signal handler */
   Bool special; /* the callee needs attention when popped (alloc,
                    toggle, dump-after): pop need not read it */
} CpFrame;

typedef struct {
   ThreadId tid;
   CpCtx* ctx;
   CpSB* last_sb; /* block whose exit is not yet counted */
   CpRec* last_rec;
   UWord last_where; /* last_sb's CP_WHERE, without CP_WHERE_ENTRY */
   UWord exit_idx;   /* cp_exit_idx while the thread is switched out */
   CpSB* ns_sb;      /* in skipped code: the block that called into it */
   CpFrame* frames;
   ULong* enter; /* [cap * cp_ev.n] totals at each frame's entry */
   Int sp, cap;
   Addr top_sp;      /* frames[sp-1].sp, or the highest address */
   ULong* tot;       /* [cp_ev.n] running totals of this thread */
   Int toggle_depth; /* frames of --toggle-collect functions */
   Bool collect;     /* costs of this thread are counted */
} CpThread;

static CpThread** threads; /* [VG_N_THREADS] */

/* Where an exit's reads and writes go among a thread's totals: Dr and Dw,
   or without the cache simulator a spare column past the last (they are
   0 then, and account_last need not ask). */
static Int tot_dr, tot_dw;

/* --dump-after fires when the function's frame is popped, which happens
   in the middle of the block helper: the dump waits for its end. */
static Bool after_pop_dump;

/* The edge of the last frame popped by a return: it remembers the record
   the caller continued in, which spares a table lookup on most returns. */
static CpEdge* last_popped;
static HChar pending_trigger[300];
static CpThread* cur;
static ThreadId cur_tid = VG_INVALID_THREADID;

void cp_track_init(void)
{
   threads = VG_(calloc)("cp.threads", VG_N_THREADS, sizeof(CpThread*));
   tot_dr = cp_ev.cache >= 0 ? cp_ev.cache + 2 : cp_ev.n;
   tot_dw = cp_ev.cache >= 0 ? cp_ev.cache + 5 : cp_ev.n;
}

static CpThread* thread_get(ThreadId tid)
{
   CpThread* t = threads[tid];
   if (!t) {
      t = VG_(calloc)("cp.thread", 1, sizeof(CpThread));
      t->tot = VG_(calloc)("cp.thread.tot", cp_ev.n + 1, sizeof(ULong));
      t->tid = tid;
      t->top_sp = ~(Addr)0;
      t->collect = cp_collect_on && !cp_have_toggles;
      threads[tid] = t;
   }
   return t;
}

static void switch_thread(ThreadId tid)
{
   if (cur)
      cur->exit_idx = cp_exit_idx;
   cur = thread_get(tid);
   cur_tid = tid;
   cp_exit_idx = cur->exit_idx;
}

ULong* cp_track_thread_total(void)
{
   return cur->tot;
}

Bool cp_track_collecting(ThreadId tid)
{
   return tid < VG_N_THREADS && threads[tid] && threads[tid]->collect;
}

static void grow(CpThread* t)
{
   Int cap = t->cap ? 2 * t->cap : 64;
   t->frames = VG_(realloc)("cp.frames", t->frames, cap * sizeof(CpFrame));
   t->enter =
      VG_(realloc)("cp.enter", t->enter, (SizeT)cap * cp_ev.n * sizeof(ULong));
   t->cap = cap;
}

/* returned: the frame ends by a return in the guest, so the result
   register is valid (not an unwind or the end of the run). */
static void pop(CpThread* t, Bool returned)
{
   CpFrame* f = &t->frames[--t->sp];
   t->top_sp = t->sp > 0 ? t->frames[t->sp - 1].sp : ~(Addr)0;
   if (f->edge) {
      last_popped = f->edge;
      if (UNLIKELY(f->special)) {
         CpFn* fn = f->edge->to->fn;
         if (fn->alloc_kind)
            cp_alloc_return(t->tid, returned);
         if (fn->toggle) {
            t->toggle_depth--;
            t->collect = cp_collect_on && t->toggle_depth > 0;
         }
         if (fn->dump_after) {
            VG_(snprintf)(pending_trigger, sizeof(pending_trigger),
                          "--dump-after=%s", fn->name);
            after_pop_dump = True;
         }
      }
      const ULong* enter = &t->enter[(SizeT)t->sp * cp_ev.n];
      Int i;
      for (i = 0; i < cp_ev.ntot; i++)
         f->edge->incl[i] += t->tot[i] - enter[i];
      t->ctx = f->ctx;
   } else if (f->sig)
      t->ctx = f->ctx;
   t->ns_sb = f->ns_sb;
}

/* Pops the frames SP has left; with minpops, also that many at SP.
   returned: a return instruction left them (their result register is
   valid); else a jump did (longjmp, an exception's landing pad), and
   e.g. an operator new that threw returns nothing. */
static Int unwind(CpThread* t, Addr sp, Int minpops, Bool returned)
{
   Int n = 0;
   while (t->sp > 0) {
      CpFrame* top = &t->frames[t->sp - 1];
      if (top->sp < sp || (top->sp == sp && minpops > 0)) {
         minpops--;
         n++;
         pop(t, returned);
         continue;
      }
      break;
   }
   return n;
}

/* The record a call from src_sb is made in: the running one, or src_sb's
   last (a call out of skipped code is made from its caller's block). */
static inline CpRec* calling_rec(const CpThread* t, const CpSB* src_sb)
{
   return src_sb == t->last_sb ? t->last_rec : src_sb->last_rec;
}

/* A call to a function that toggles collection, dumps or allocates. */
static void special_call(CpThread* t, CpEdge* e, CpCtx* caller,
                         const CpInstr* site)
{
   CpFn* fn = e->to_fn;
   if (fn->toggle) {
      t->toggle_depth++;
      t->collect = cp_collect_on;
   }
   if (t->collect)
      e->count++;
   if (fn->dump_before) {
      HChar trig[300];
      VG_(snprintf)(trig, sizeof(trig), "--dump-before=%s", fn->name);
      cp_control_dump(trig);
   }
   if (fn->alloc_kind)
      cp_alloc_call(t->tid, fn->alloc_kind, caller, site, t->collect);
}

/* known: the edge, when enter_slow already found it */
static void push(CpThread* t, CpSB* src_sb, UInt src_exit, CpCtx* caller,
                 CpCtx* callee, Addr sp, Bool skip, CpSB* target, CpEdge* known)
{
   const CpExit* x = &src_sb->exits[src_exit];
   const CpInstr* site = &src_sb->instrs[x->instr];
   CpFrame* f;
   if (t->sp == t->cap)
      grow(t);
   f = &t->frames[t->sp];
   f->sp = sp;
   f->ret_addr = x->ret;
   f->ctx = caller;
   f->src_sb = src_sb;
   f->src_exit = src_exit;
   f->ns_sb = t->ns_sb;
   f->sig = False;
   f->special = False;
   if (skip) {
      f->edge = NULL;
      if (!t->ns_sb)
         t->ns_sb = src_sb;
   } else {
      CpEdge* e = known;
      if (!e) {
         /* the block that calls mostly calls the same context again */
         CpRec* from = calling_rec(t, src_sb);
         e = from ? from->last_edge : NULL;
         if (!e || e->to != callee || e->site != site || e->from != caller) {
            e = cp_edge_get(caller, site, callee, &target->instrs[0]);
            if (from)
               from->last_edge = e;
         }
      }
      f->edge = e;
      f->special = e->special;
      if (UNLIKELY(e->special))
         special_call(t, e, caller, site);
      else if (t->collect)
         e->count++;
      {
         /* a few columns: a plain loop beats a call to VG_(memcpy) */
         ULong* enter = &t->enter[(SizeT)t->sp * cp_ev.n];
         Int i;
         for (i = 0; i < cp_ev.ntot; i++)
            enter[i] = t->tot[i];
      }
      t->ns_sb = NULL;
   }
   t->sp++;
   t->top_sp = sp;
}

/* Counts the block the thread left, by its exit word (CP_EXIT_WORD). */
static inline UChar account_last(CpThread* t, UWord xw)
{
   if (LIKELY(t->collect)) {
      ULong* tot = t->tot; /* once: the stores below might alias it */
      t->last_rec->cost[CP_XW_IDX(xw)]++;
      tot[cp_ev.ir] += CP_XW_NI(xw);
      tot[tot_dr] += CP_XW_RD(xw);
      tot[tot_dw] += CP_XW_WR(xw);
   }
   return CP_XW_JK(xw);
}

static inline void set_current(CpThread* t, CpSB* sb, CpRec* rec, UWord where,
                               UWord exit0)
{
   t->last_sb = sb;
   t->last_rec = rec;
   t->last_where = where & ~CP_WHERE_ENTRY;
   cp_exit_idx = exit0;
   if (LIKELY(t->collect)) {
      cp_cur_rec = rec;
      cp_cur_tot = t->tot + 1;
   } else {
      cp_cur_rec = &scratch_rec;
      cp_cur_tot = scratch;
   }
}

/* Whether r is the record of block sb in the thread's context. */
static inline Bool rec_of(const CpRec* r, const CpThread* t, const CpSB* sb)
{
   return r && r->sb == sb && r->ctx == t->ctx;
}

/* The common case: a jump inside the same function (not to its entry,
   nor to another object or section kind), no frame left. */
static inline Bool plain_jump(const CpThread* t, UWord where, UChar jk, Addr sp)
{
   return jk <= CP_JK_JUMP && where == t->last_where && t->ctx
          && t->top_sp >= sp;
}

static void enter_slow(CpSB* sb, Addr sp, UWord where, UWord exit0, UWord xw);
static void enter_lru_miss(CpSB* sb, UWord where, UWord exit0);

/* The scheduler tells when a thread (re)starts running: the only moment
   the running thread can change, so the block helper need not ask. */
void cp_track_start_client(ThreadId tid, ULong blocks_done)
{
   if (tid != cur_tid)
      switch_thread(tid);
}

/* Called at the start of every block: where and exit0 are constants of
   the call (CP_WHERE, and exit 0's CP_EXIT_WORD), so that the common case
   reads nothing of sb.  That case is a leaf without a frame: everything
   else is a tail call, with few enough arguments to stay one. */
void cp_sb_enter(CpSB* sb, Addr sp, UWord where, UWord exit0)
{
   CpThread* t = cur;
   UWord xw = 0; /* no block to account for: passed 0, CP_JK_NONE */

   if (LIKELY(t->last_sb != NULL)) {
      CpRec* rec;
      xw = cp_exit_idx;
      if (LIKELY(plain_jump(t, where, account_last(t, xw), sp))) {
         rec = t->last_rec->lru;
         if (UNLIKELY(!rec_of(rec, t, sb))) {
            enter_lru_miss(sb, where, exit0);
            return;
         }
         set_current(t, sb, rec, where, exit0);
         return;
      }
   }
   enter_slow(sb, sp, where, exit0, xw);
}

/* A plain jump to a block other than last time's: mostly the other way
   out of a two-way branch, which the second successor remembers. */
static __attribute__((noinline)) void enter_lru_miss(CpSB* sb, UWord where,
                                                     UWord exit0)
{
   CpThread* t = cur;
   CpRec* last = t->last_rec;
   CpRec* rec = last->lru2;
   if (!rec_of(rec, t, sb))
      rec = cp_rec_get(t->ctx, sb);
   last->lru2 = last->lru;
   last->lru = rec;
   set_current(t, sb, rec, where, exit0);
}

/* A block of skipped code with no side exit (a PLT stub) runs whole: it
   is counted at once, in the caller's context as callgrind does, and
   when a call entered it, tracking goes on as if the call had gone to the
   stub's target directly: the exit word of the calling block stays for
   the next block to see.  A call through the PLT then costs one pass
   through enter_slow, not two, and no frame of its own. */
void cp_skip_enter(CpSB* sb, Addr sp, UWord where, UWord exit0)
{
   CpThread* t = cur;
   CpRec* rec;
   if (UNLIKELY(!t->last_sb || !t->ctx || t->ns_sb
                || CP_XW_JK(cp_exit_idx) != CP_JK_CALL)) {
      cp_sb_enter(sb, sp, where, exit0);
      return;
   }
   rec = cp_rec_get(t->ctx, sb);
   if (LIKELY(t->collect)) {
      rec->cost[0]++;
      t->tot[cp_ev.ir] += CP_XW_NI(exit0);
      t->tot[tot_dr] += CP_XW_RD(exit0);
      t->tot[tot_dw] += CP_XW_WR(exit0);
      cp_cur_rec = rec;
   } else
      cp_cur_rec = &scratch_rec;
}

/* xw: the exit word of the block left (already accounted), or 0 for
   none. */
static __attribute__((noinline)) void enter_slow(CpSB* sb, Addr sp, UWord where,
                                                 UWord exit0, UWord xw)
{
   CpThread* t = cur;
   UInt passed = CP_XW_IDX(xw);
   UChar jk = CP_XW_JK(xw);
   CpSB* last = t->last_sb;
   CpSB* src_sb;
   CpCtx* caller;
   CpRec* rec;
   Bool ret_without_call = False, call_emulation = False;
   Bool delayed_push = False, skip = False;
   Int popcount = 1;
   CpEdge* known = NULL;

   last_popped = NULL;

   src_sb = last;

   /* A return that does not match the top frame is a jump. */
   if (jk == CP_JK_RET && t->sp > 0) {
      Int up = t->sp - 1;
      CpFrame* top = &t->frames[up];
      if (sp < top->sp)
         popcount = 0;
      else if (top->sp == sp) {
         while (1) {
            if (top->ret_addr == sb->addr)
               break;
            if (up > 0) {
               top = &t->frames[--up];
               if (top->sp == sp) {
                  popcount++;
                  continue;
               }
            }
            popcount = 0;
            break;
         }
      }
      if (popcount == 0) {
         jk = CP_JK_JUMP;
         ret_without_call = True;
      }
   }

   /* A jump to a function's entry, or into another object or section
      kind, is a call (tail calls, PLT jumps). */
   if (jk != CP_JK_RET && jk != CP_JK_CALL && last
       && (ret_without_call || sb->is_entry || last->sect_kind != sb->sect_kind
           || last->obj != sb->obj)) {
      if (last->pop_on_jump && t->sp > 0) {
         CpFrame* top = &t->frames[t->sp - 1];
         if (top->edge) {
            /* The resolver jumps to its target: the call is the one
               that entered the resolver. */
            src_sb = top->src_sb;
            passed = top->src_exit;
            sp = top->sp;
            pop(t, False);
         }
      }
      jk = CP_JK_CALL;
      call_emulation = True;
   }

   if (jk == CP_JK_CALL)
      skip = sb->skip;

   if (jk == CP_JK_RET) {
      if (t->sp == 0)
         t->ctx = NULL; /* returned past what we saw: a new root */
      else if (!t->frames[t->sp - 1].sig)
         unwind(t, sp, popcount, True);
   } else {
      if (unwind(t, sp, 0, False) > 0)
         jk = CP_JK_RET;
      if (jk == CP_JK_CALL) {
         delayed_push = True;
         if (call_emulation && t->sp > 0)
            sp = t->frames[t->sp - 1].sp;
      }
   }

   caller = t->ctx;
   if (delayed_push && !skip) {
      if (t->ns_sb) {
         /* From skipped code into a real function: the call is the
            caller's, at its block's last exit. */
         src_sb = t->ns_sb;
         passed = src_sb->n_exits - 1;
      }
      if (caller) {
         /* The calling record's last call mostly repeats: its edge gives
            the callee's context without a table lookup. */
         const CpInstr* site = &src_sb->instrs[src_sb->exits[passed].instr];
         CpRec* from = calling_rec(t, src_sb);
         CpEdge* e = from ? from->last_edge : NULL;
         if (e && e->site == site && e->from == caller && e->to_fn == sb->fn)
            known = e;
      }
      t->ctx = known ? known->to : cp_ctx_callee(caller, sb->fn, t->tid);
   } else if (!t->ctx)
      t->ctx = cp_ctx_callee(NULL, sb->fn, t->tid);

   rec = t->last_rec ? t->last_rec->lru : NULL;
   if (!rec_of(rec, t, sb)) {
      CpRec* r = last_popped ? last_popped->ret_rec : NULL;
      rec = rec_of(r, t, sb) ? r : cp_rec_get(t->ctx, sb);
   }
   if (last_popped)
      last_popped->ret_rec = rec;
   if (t->last_rec)
      t->last_rec->lru = rec;

   if (delayed_push) {
      if (!caller)
         caller = t->ctx;
      push(t, src_sb, passed, caller, t->ctx, sp, skip, sb, known);
   }

   set_current(t, sb, rec, where, exit0);
   if (UNLIKELY(after_pop_dump)) {
      after_pop_dump = False;
      cp_control_dump(pending_trigger);
   }
}

/* A signal handler runs as a new root, above a mark that restores the
   interrupted context when the handler is done. */
void cp_track_pre_signal(ThreadId tid, Int sigNo, Bool alt_stack)
{
   CpThread* t;
   CpFrame* f;
   if (tid != cur_tid)
      switch_thread(tid);
   t = cur;
   if (t->last_sb)
      account_last(t, cp_exit_idx);
   t->last_sb = NULL;
   t->last_rec = NULL;
   if (t->sp == t->cap)
      grow(t);
   f = &t->frames[t->sp++];
   VG_(memset)(f, 0, sizeof(*f));
   f->sp = VG_(get_SP)(tid);
   t->top_sp = f->sp;
   f->ctx = t->ctx;
   f->ns_sb = t->ns_sb;
   f->sig = True;
   t->ns_sb = NULL;
   t->ctx = NULL;
}

void cp_track_post_signal(ThreadId tid, Int sigNo)
{
   CpThread* t;
   if (tid != cur_tid)
      switch_thread(tid);
   t = cur;
   /* The handler's last block (the sigreturn trampoline) is not counted,
      as callgrind does not count it: totals stay comparable. */
   t->last_sb = NULL;
   t->last_rec = NULL;
   while (t->sp > 0) {
      Bool sig = t->frames[t->sp - 1].sig;
      pop(t, False);
      if (sig)
         break;
   }
}

void cp_track_unwind_all(void)
{
   UInt i;
   for (i = 0; i < VG_N_THREADS; i++) {
      CpThread* t = threads[i];
      if (!t)
         continue;
      while (t->sp > 0)
         pop(t, False);
   }
}

/* Forgets what thread t was doing: it restarts at a new root. */
static void restart(CpThread* t)
{
   while (t->sp > 0)
      pop(t, False);
   t->ctx = NULL;
   t->last_sb = NULL;
   t->last_rec = NULL;
   t->ns_sb = NULL;
   t->exit_idx = 0;
   t->toggle_depth = 0;
   t->collect = cp_collect_on && !cp_have_toggles;
}

void cp_track_thread_start(ThreadId child)
{
   restart(thread_get(child));
   if (child == cur_tid)
      cp_exit_idx = 0;
}

Bool cp_track_where(ThreadId tid, CpCtx** ctx, const CpInstr** site)
{
   CpThread* t = tid < VG_N_THREADS ? threads[tid] : NULL;
   Addr ip = VG_(get_IP)(tid);
   const CpSB* sb;
   UInt i;
   if (!t || !t->ctx || !t->last_sb)
      return False;
   sb = t->last_sb;
   *ctx = t->ctx;
   *site = &sb->instrs[0];
   for (i = 0; i < sb->n_instrs; i++)
      if (sb->instrs[i].addr <= ip)
         *site = &sb->instrs[i];
   return True;
}

void cp_track_refresh_collect(void)
{
   UInt i;
   for (i = 0; threads && i < VG_N_THREADS; i++)
      if (threads[i])
         threads[i]->collect =
            cp_collect_on && (!cp_have_toggles || threads[i]->toggle_depth > 0);
}

/* Gives every open call its inclusive cost so far and restarts it from
   here: a dump then holds complete call costs, and the next one only
   what follows. */
void cp_track_close_inclusive(void)
{
   UInt i;
   Int k, e;
   for (i = 0; threads && i < VG_N_THREADS; i++) {
      CpThread* t = threads[i];
      if (!t)
         continue;
      for (k = 0; k < t->sp; k++) {
         ULong* enter = &t->enter[(SizeT)k * cp_ev.n];
         if (t->frames[k].edge)
            for (e = 0; e < cp_ev.ntot; e++)
               t->frames[k].edge->incl[e] += t->tot[e] - enter[e];
         VG_(memcpy)(enter, t->tot, cp_ev.ntot * sizeof(ULong));
      }
   }
}

/* Forgets what was being tracked: every thread restarts at a new root. */
void cp_track_reset_all(void)
{
   UInt i;
   for (i = 0; threads && i < VG_N_THREADS; i++) {
      if (threads[i])
         restart(threads[i]);
   }
   cp_exit_idx = 0;
}

/* After fork, the child keeps its stacks but none of the parent's costs. */
void cp_track_forget_costs(void)
{
   UInt i;
   Int k;
   for (i = 0; threads && i < VG_N_THREADS; i++) {
      CpThread* t = threads[i];
      if (!t)
         continue;
      for (k = 0; k < t->sp; k++)
         VG_(memcpy)(&t->enter[(SizeT)k * cp_ev.n], t->tot,
                     cp_ev.ntot * sizeof(ULong));
   }
}
