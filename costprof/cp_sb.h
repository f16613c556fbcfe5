/* cp_sb.h -- what costprof knows statically about one translated superblock:
   its instructions with their source positions, and its exits with the
   jump kind of each.  Built once per translation; never freed, because a
   profile may still refer to a block whose code was unloaded. */
#ifndef CP_SB_H
#define CP_SB_H

#include "pub_tool_basics.h"

struct CpFn;

/* How control left a block through one exit, as callgrind classifies it. */
enum { CP_JK_NONE = 0, CP_JK_JUMP, CP_JK_CALL, CP_JK_RET };

#define CP_NO_SLOT 0xFFFFFFFFu

typedef struct {
   Addr addr;
   const HChar* file;   /* interned; "???" without debug info */
   UInt line;
   UChar size;
} CpInstr;

typedef struct {
   UInt instr;          /* index of the instruction holding the exit */
   UChar jk;
} CpExit;

typedef struct CpSB {
   Addr addr;
   UInt id;
   UInt n_instrs;
   UInt n_exits;        /* side exits, then the final exit */
   struct CpFn* fn;     /* the function whose symbol covers addr */
   const HChar* obj;
   Bool is_entry;       /* addr is a function's first instruction */
   UChar sect_kind;
   CpInstr* instrs;
   CpExit* exits;
   UInt cost_len;       /* ULongs per (context, block) record */
   UInt* sim_off;       /* per instruction: offset of its simulated events
                           (CP_NO_SLOT: it has none), or NULL */
   struct CpRec* last_rec; /* the record this block ran in last time */
} CpSB;

#endif
