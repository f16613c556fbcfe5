/* cp_cost.c -- the tables of cost records and call edges. */
#include "cp_cost.h"
#include "cp_events.h"
#include "cp_mem.h"
#include "pub_tool_hashtable.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_mallocfree.h"

static VgHashTable* recs;
static VgHashTable* edges;

void cp_cost_init(void)
{
   recs = VG_(HT_construct)("cp.recs");
   edges = VG_(HT_construct)("cp.edges");
}

/* Bytes of records and edges, for -v. */
static SizeT carved;

static void* carve(SizeT sz)
{
   carved += (sz + 7) & ~(SizeT)7;
   return cp_mem_alloc(sz);
}

CpRec* cp_rec_lookup(CpCtx* ctx, CpSB* sb)
{
   UWord key = ((UWord)ctx->id << 32) | sb->id;
   CpRec* r = VG_(HT_lookup)(recs, key);
   if (r)
      return r;
   r = carve(sizeof(CpRec) + sb->n_exits * sizeof(ULong));
   r->key = key;
   r->ctx = ctx;
   r->sb = sb;
   r->ctx_next = ctx->recs;
   ctx->recs = r;
   VG_(HT_add_node)(recs, r);
   return r;
}

ULong* cp_rec_sim_make(CpRec* r)
{
   r->sim = carve(r->sb->sim_len * sizeof(ULong));
   return r->sim;
}

static Word cmp_edge(const void* a, const void* b)
{
   const CpEdge* x = a;
   const CpEdge* y = b;
   return !(x->from == y->from && x->to == y->to && x->site == y->site);
}

/* A direct-mapped cache in front of the edge table: calls that miss the
   calling record's own last edge (indirect calls, calls out of PLT code)
   mostly repeat a recent edge, and the table's chained lookup with its
   division costs more than this check. */
#define EDGE_CACHE_BITS 12
static CpEdge* edge_cache[1 << EDGE_CACHE_BITS];

CpEdge* cp_edge_get(CpCtx* from, const CpInstr* site, CpCtx* to,
                    const CpInstr* target)
{
   CpEdge probe, *e;
   CpEdge** slot;
   probe.key =
      ((UWord)from->id << 32) ^ ((UWord)to->id * 0x9E3779B1u) ^ (UWord)site;
   slot = &edge_cache[(probe.key * 0x9E3779B97F4A7C15ull)
                      >> (64 - EDGE_CACHE_BITS)];
   probe.from = from;
   probe.to = to;
   probe.site = site;
   e = *slot;
   if (e && !cmp_edge(e, &probe))
      return e;
   e = VG_(HT_gen_lookup)(edges, &probe, cmp_edge);
   if (e) {
      *slot = e;
      return e;
   }
   e = carve(sizeof(CpEdge) + cp_ev.n * sizeof(ULong));
   e->key = probe.key;
   e->from = from;
   e->to = to;
   e->to_fn = to->fn;
   e->special = to->fn->alloc_kind || to->fn->toggle || to->fn->dump_before
                || to->fn->dump_after;
   e->site = site;
   e->target = target;
   e->from_next = from->edges;
   from->edges = e;
   VG_(HT_add_node)(edges, e);
   *slot = e;
   return e;
}

void cp_cost_stats(UInt* n_recs, UInt* n_edges, SizeT* bytes)
{
   *n_recs = VG_(HT_count_nodes)(recs);
   *n_edges = VG_(HT_count_nodes)(edges);
   *bytes = carved;
}

void cp_cost_zero(void)
{
   CpRec* r;
   CpEdge* e;
   VG_(HT_ResetIter)(recs);
   while ((r = VG_(HT_Next)(recs))) {
      VG_(memset)(r->cost, 0, r->sb->n_exits * sizeof(ULong));
      if (r->sim)
         VG_(memset)(r->sim, 0, r->sb->sim_len * sizeof(ULong));
   }
   VG_(HT_ResetIter)(edges);
   while ((e = VG_(HT_Next)(edges))) {
      e->count = 0;
      VG_(memset)(e->incl, 0, cp_ev.n * sizeof(ULong));
   }
}
