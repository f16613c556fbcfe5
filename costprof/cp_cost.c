/* cp_cost.c -- the tables of cost records and call edges.

   Records are found through a small table per context rather than one
   table for the run: a record is looked up when a block first runs in a
   context, and mostly when the context has just been entered, so that
   context's table is in the host's cache where a global table's chain
   would be two host cache misses (python3's bench run makes 476 k
   records, 307 k of them during its start-up).  The tables hold the block
   beside the record, so a probe reads no record. */
#include "cp_cost.h"
#include "cp_events.h"
#include "cp_mem.h"
#include "pub_tool_hashtable.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_mallocfree.h"

static VgHashTable* edges;
static UInt n_recs_made;

void cp_cost_init(void)
{
   edges = VG_(HT_construct)("cp.edges");
}

/* Bytes of records and edges, for -v. */
static SizeT carved;

static void* carve(SizeT sz)
{
   carved += (sz + 7) & ~(SizeT)7;
   return cp_mem_alloc(sz);
}

/* A context's records by block: open addressing, linear probing, at
   most 3/4 full. */
typedef struct {
   const CpSB* sb;
   CpRec* rec;
} RecSlot;

typedef struct {
   UInt mask; /* slots - 1, a power of two minus one */
   UInt used;
   RecSlot slot[0];
} RecTab;

static inline UInt slot_of(const CpSB* sb, UInt mask)
{
   return (UInt)(((UWord)sb->id * 0x9E3779B97F4A7C15ull) >> 32) & mask;
}

/* Tables a context outgrew, by log2 of their slot count, for other
   contexts to grow into: they come from cp_mem, which frees nothing, and
   Valgrind's malloc would fill each freed table with junk.  A spare table
   links to the next one through its first slot. */
static RecTab* spare_tabs[32];

static RecTab* tab_new(UInt slots)
{
   UInt lg = (UInt)VG_(log2)(slots);
   RecTab* t = spare_tabs[lg];
   if (t) {
      spare_tabs[lg] = (RecTab*)t->slot[0].rec;
      VG_(memset)(t, 0, sizeof(RecTab) + slots * sizeof(RecSlot));
   } else
      t = cp_mem_alloc(sizeof(RecTab) + slots * sizeof(RecSlot));
   t->mask = slots - 1;
   return t;
}

static void tab_retire(RecTab* t)
{
   UInt lg = (UInt)VG_(log2)(t->mask + 1);
   t->slot[0].rec = (CpRec*)spare_tabs[lg];
   spare_tabs[lg] = t;
}

static void tab_put(RecTab* t, const CpSB* sb, CpRec* r)
{
   UInt i = slot_of(sb, t->mask);
   while (t->slot[i].sb)
      i = (i + 1) & t->mask;
   t->slot[i].sb = sb;
   t->slot[i].rec = r;
   t->used++;
}

static RecTab* tab_grow(RecTab* old)
{
   RecTab* t = tab_new(2 * (old->mask + 1));
   UInt i;
   for (i = 0; i <= old->mask; i++)
      if (old->slot[i].sb)
         tab_put(t, old->slot[i].sb, old->slot[i].rec);
   tab_retire(old);
   return t;
}

CpRec* cp_rec_lookup(CpCtx* ctx, CpSB* sb)
{
   RecTab* t = ctx->rec_tab;
   CpRec* r;
   if (t) {
      UInt i = slot_of(sb, t->mask);
      const CpSB* s;
      while ((s = t->slot[i].sb) != NULL) {
         if (s == sb)
            return t->slot[i].rec;
         i = (i + 1) & t->mask;
      }
      if (4 * (t->used + 1) > 3 * (t->mask + 1))
         ctx->rec_tab = t = tab_grow(t);
   } else
      ctx->rec_tab = t = tab_new(8);
   r = carve(sizeof(CpRec) + sb->n_exits * sizeof(ULong));
   r->ctx = ctx;
   r->sb = sb;
   r->ctx_next = ctx->recs;
   ctx->recs = r;
   tab_put(t, sb, r);
   n_recs_made++;
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
   *n_recs = n_recs_made;
   *n_edges = VG_(HT_count_nodes)(edges);
   *bytes = carved;
}

void cp_cost_zero(void)
{
   CpRec* r;
   CpEdge* e;
   UInt i, n = cp_ctx_count();
   for (i = 0; i < n; i++)
      for (r = cp_ctx_by_index(i)->recs; r; r = r->ctx_next) {
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
