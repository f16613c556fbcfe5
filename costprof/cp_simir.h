/* cp_simir.h -- instrumentation for the cache and branch simulators: turns
   a block's instruction fetches, data accesses and branches into calls of
   small helpers, in cachegrind's order and with cachegrind's rules, so
   that the miss counts are cachegrind's. */
#ifndef CP_SIMIR_H
#define CP_SIMIR_H

#include "cp_sb.h"
#include "pub_tool_basics.h"
#include "pub_tool_tooliface.h"

/* Whether a simulator is on (cache or branch): blocks then get slots. */
Bool cp_simir_on(void);

typedef struct CpSimIR CpSimIR;

/* Which slot groups (CP_G_*) each instruction of sbIn needs for its
   simulated events (fills groups[], one per instruction; 0: none).  It
   follows the same rules as the instrumentation below. */
void cp_simir_wants(const IRSB* sbIn, UChar* groups, UInt n_instrs);

/* One block's instrumentation state. */
CpSimIR* cp_simir_begin(IRSB* sbOut, CpSB* sb, IRType hWordTy);
/* Called for each statement of the block, before it is copied. */
void cp_simir_stmt(CpSimIR* s, IRStmt* st, IRTypeEnv* tyenv);
/* After the last statement: indirect branches, and the last flush. */
void cp_simir_end(CpSimIR* s, IRSB* sbIn);
/* How many reads and writes the block does up to here that the exit
   counts account for (all but guarded ones). */
void cp_simir_data_done(const CpSimIR* s, UInt* rd, UInt* wr);

#endif
