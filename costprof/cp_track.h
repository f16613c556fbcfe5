/* cp_track.h -- run-time call tracking: one shadow call stack per thread,
   kept in step with the guest by the helper that starts every block. */
#ifndef CP_TRACK_H
#define CP_TRACK_H

#include "cp_sb.h"
#include "pub_tool_basics.h"

/* The exit word (CP_EXIT_WORD) of the exit the current block is about to
   leave by; stored by the instrumented code before each exit but the first
   (callgrind's jmps_passed). */
extern UWord cp_exit_idx;

struct CpRec;
/* The running (context, block) record, and the running thread's totals
   from column 1 on, for the simulators' helpers; while collection is off,
   a scratch record and scratch totals. */
extern struct CpRec* cp_cur_rec;
extern ULong* cp_cur_tot;
/* The simulators' scratch space moved (it grew). */
void cp_track_scratch_moved(ULong* scratch);

void cp_track_init(void);
void cp_sb_enter(CpSB* sb, Addr sp, UWord where, UWord exit0);
/* Instead of cp_sb_enter for a block of skipped code without side exits. */
void cp_skip_enter(CpSB* sb, Addr sp, UWord where, UWord exit0);
/* Registered with VG_(track_start_client_code): follows thread switches. */
void cp_track_start_client(ThreadId tid, ULong blocks_done);

/* Running total of every event in the current thread, for inclusive costs
   (the simulators add their misses here as well as in cp_cur_rec). */
ULong* cp_track_thread_total(void);
/* Whether thread tid's costs are being collected now. */
Bool cp_track_collecting(ThreadId tid);

void cp_track_pre_signal(ThreadId tid, Int sigNo, Bool alt_stack);
void cp_track_post_signal(ThreadId tid, Int sigNo);
/* Pops every frame of every thread, so call edges get their inclusive
   cost before a dump. */
void cp_track_unwind_all(void);

struct CpCtx;
/* Where thread tid is now: its context and the instruction of the running
   block at its IP (for client requests).  False before its first block. */
Bool cp_track_where(ThreadId tid, struct CpCtx** ctx, const CpInstr** site);

/* Recomputes each thread's collection flag after a global change. */
void cp_track_refresh_collect(void);
/* Adds the inclusive cost of every open call so far, and restarts it. */
void cp_track_close_inclusive(void);
/* Forgets every shadow stack (instrumentation was switched). */
void cp_track_reset_all(void);
/* In a forked child: open calls restart counting from here. */
void cp_track_forget_costs(void);

/* A new thread may reuse the slot of one that ended: start it afresh. */
void cp_track_thread_start(ThreadId child);
#endif
