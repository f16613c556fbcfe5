/* cp_alloc.h -- heap allocation events (--alloc=yes).  costprof replaces no
   allocator: call tracking tells this module when a call into an allocator
   function starts and ends, and it reads the arguments and the result from
   the guest registers.  Costs sit at the calling line, in the caller's
   context. */
#ifndef CP_ALLOC_H
#define CP_ALLOC_H

#include "cp_ctx.h"
#include "cp_sb.h"
#include "pub_tool_basics.h"

/* Number of allocation event columns (see cp_events.c for their order). */
#define CP_ALLOC_NEV 9

/* Which allocator entry point a function name is (0: none). */
UChar cp_alloc_classify(const HChar* fn_name);

void cp_alloc_init(void);
/* A call to an allocator function of the given kind starts; SP and the
   argument registers are those at the callee's first instruction.  With
   collect False (collection off, --toggle-collect) the blocks it makes are
   not counted; freeing a counted block always is. */
void cp_alloc_call(ThreadId tid, UChar kind, CpCtx* caller, const CpInstr* site,
                   Bool collect);
/* That call ends; returned says whether it returned normally (the result
   register is valid) rather than being unwound. */
void cp_alloc_return(ThreadId tid, Bool returned);
/* VALGRIND_MALLOCLIKE_BLOCK and friends; True if the request was handled. */
Bool cp_alloc_client_request(ThreadId tid, UWord* args, UWord* ret);
/* Settles end-of-run values (curB, curBk, the peak) before a dump. */
void cp_alloc_settle(void);
/* After a dump or a zeroing: the flows (tot*, tmpBk) restart from zero;
   the heap's state (curB, peakB and their blocks) stays. */
void cp_alloc_zero(void);

typedef void (*CpAllocVisit)(void* opaque, const CpInstr* site,
                             const ULong* costs /* [CP_ALLOC_NEV] */);
/* Calls visit for every allocation site recorded in ctx. */
void cp_alloc_visit(const CpCtx* ctx, CpAllocVisit visit, void* opaque);

#endif
