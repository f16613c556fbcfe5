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

/* The simulated-event slots of an instruction come in groups, each only
   where the instruction has such events (most have one or two): the
   fetch's misses (I1mr ILmr), reads' misses (D1mr DLmr), writes' misses
   (D1mw DLmw), branches (Bc Bcm Bi Bim).  Slots of one instruction: the
   present groups in this order.  Reads and writes themselves are counted
   from the exits, as Ir is (CpSB.data_n), except guarded ones: an
   instruction with such (CP_G_COUNTED) has a first slot in its read and
   write groups where the helpers count them. */
enum {
   CP_G_FETCH = 1,
   CP_G_READ = 2,
   CP_G_WRITE = 4,
   CP_G_BRANCH = 8,
   CP_G_COUNTED = 16
};
static __inline__ UInt cp_group_size(UInt g, UInt groups)
{
   return g == CP_G_FETCH           ? 2
          : g == CP_G_BRANCH        ? 4
          : (groups & CP_G_COUNTED) ? 3
                                    : 2;
}

/* The exit word: what the instrumented code stores in cp_exit_idx before
   an exit, so that the next block's helper learns the exit's index, how
   many instructions ran, the jump kind and how many reads and writes were
   done (those counted from the exits) without reading the block that was
   left (which is often no longer in the host's cache). */
#define CP_EXIT_WORD(idx, ninstr, jk, rd, wr)                                  \
   ((UWord)(idx) | ((UWord)(ninstr) << 16) | ((UWord)(jk) << 32)               \
    | ((UWord)(rd) << 40) | ((UWord)(wr) << 52))
#define CP_XW_MAX_RW 0xFFF
#define CP_XW_IDX(w) ((UInt)((w)&0xFFFF))
#define CP_XW_NI(w) ((UInt)(((w) >> 16) & 0xFFFF))
#define CP_XW_JK(w) ((UChar)((w) >> 32))
#define CP_XW_RD(w) ((UInt)(((w) >> 40) & CP_XW_MAX_RW))
#define CP_XW_WR(w) ((UInt)((w) >> 52))

/* Where a block lies, as call tracking compares it: its object (CpSB's
   obj_id, below 2^24), section kind and whether it starts a function.  A
   constant argument of the block's helper call, so that the common case
   never reads the block's CpSB (a host cache miss); below 2^31, a 32-bit
   immediate in the generated code, 3 bytes shorter than a 64-bit one. */
#define CP_OBJ_IDS (1u << 24)
#define CP_WHERE(obj_id, sect, entry)                                          \
   ((UWord)(obj_id) | ((UWord)(sect) << 24) | ((UWord)(entry) << 28))
#define CP_WHERE_ENTRY ((UWord)1 << 28)

typedef struct {
   Addr addr;
   const HChar* file; /* interned; "???" without debug info */
   UInt line;
   UChar size;
} CpInstr;

typedef struct {
   UInt instr; /* index of the instruction holding the exit */
   UChar jk;
   Addr ret;      /* a call's return address (else 0): push need
                     not read the calling instruction */
   UShort rd, wr; /* reads and writes counted from the exits that
                     the block did before leaving by this one */
} CpExit;

typedef struct CpSB {
   Addr addr;
   UInt id;
   UInt n_instrs;
   UInt n_exits;    /* side exits, then the final exit */
   struct CpFn* fn; /* the function whose symbol covers addr */
   const HChar* obj;
   Bool is_entry;    /* addr is a function's first instruction */
   Bool skip;        /* fn->skip and fn->pop_on_jump, copied here: the */
   Bool pop_on_jump; /* call tracking then need not read fn */
   UChar sect_kind;
   UInt obj_id; /* a small number for obj (CP_WHERE) */
   CpInstr* instrs;
   CpExit* exits;
   UInt sim_len;           /* simulated-event slots per (context, block)
                              record, kept apart from its exit counts */
   UInt* sim_off;          /* per instruction: offset of its simulated events
                              among them (CP_NO_SLOT: it has none), or NULL */
   UChar* sim_groups;      /* per instruction: which slot groups it has there
                              (CP_G_*), in that order */
   UShort* data_n;         /* per instruction: its reads and writes counted
                              from the exits, reads | writes << 8; or NULL */
   struct CpRec* last_rec; /* the record this block ran in last time */
} CpSB;

#endif
