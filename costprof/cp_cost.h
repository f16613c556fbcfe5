/* cp_cost.h -- where costs are kept: one record per (context, block) with
   the block's exit counters and simulated events, and one edge per
   (caller context, call site, callee context) with its inclusive cost. */
#ifndef CP_COST_H
#define CP_COST_H

#include "cp_ctx.h"
#include "cp_sb.h"
#include "pub_tool_basics.h"

typedef struct CpRec {
   CpCtx* ctx;
   CpSB* sb;
   struct CpRec* lru;  /* the record that ran after this one last time */
   struct CpRec* lru2; /* and the one before that, if another */
   ULong* sim;         /* [sb->sim_len] simulated events, or NULL until the
                          first: most records never miss a cache */
   struct CpRec* ctx_next;
   struct CpEdge* last_edge; /* the call this block made last time */
   ULong cost[0];            /* [sb->n_exits] exit counts */
} CpRec;

typedef struct CpEdge {
   struct CpEdge* ht_next;
   UWord key;
   CpCtx* from;
   CpCtx* to;
   CpFn* to_fn;           /* to->fn, read without touching to */
   Bool special;          /* to_fn allocates, toggles collection or
                             dumps: a call need not read to_fn else */
   const CpInstr* site;   /* the calling instruction */
   const CpInstr* target; /* first instruction reached in the callee */
   struct CpEdge* from_next;
   struct CpRec* ret_rec; /* the caller's record run after the last return */
   ULong count;
   ULong incl[0]; /* [cp_ev.n] */
} CpEdge;

void cp_cost_init(void);
CpRec* cp_rec_lookup(CpCtx* ctx, CpSB* sb);

/* The record of sb in ctx: the block's last record when that matches (a
   block mostly runs in one context), else the table's. */
static inline CpRec* cp_rec_get(CpCtx* ctx, CpSB* sb)
{
   CpRec* r = sb->last_rec;
   if (!r || r->ctx != ctx) {
      r = cp_rec_lookup(ctx, sb);
      sb->last_rec = r;
   }
   return r;
}
/* r's simulated-event slots, made (zeroed) on first use. */
ULong* cp_rec_sim_make(CpRec* r);
static inline ULong* cp_rec_sim(CpRec* r)
{
   return LIKELY(r->sim != NULL) ? r->sim : cp_rec_sim_make(r);
}
CpEdge* cp_edge_get(CpCtx* from, const CpInstr* site, CpCtx* to,
                    const CpInstr* target);
/* Forget every cost (records and edges stay, zeroed). */
void cp_cost_zero(void);

/* For -v: how many records and edges, and the bytes they take. */
void cp_cost_stats(UInt* n_recs, UInt* n_edges, SizeT* bytes);

#endif
