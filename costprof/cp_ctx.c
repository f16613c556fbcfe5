/* cp_ctx.c -- the function table and the call tree of contexts.
   Lookups go through a hash table of (caller context, function) links whose
   answer is memoised, so folding recursion costs nothing after the first
   call. */
#include "cp_ctx.h"
#include "cp_alloc.h"
#include "cp_control.h"
#include "cp_mem.h"
#include "cp_opts.h"
#include "pub_tool_hashtable.h"
#include "pub_tool_libcassert.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_mallocfree.h"
#include "pub_tool_xarray.h"

typedef struct CpLink {
   struct CpLink* ht_next;
   UWord key; /* caller id << 32 | fn id */
   CpCtx* target;
} CpLink;

static VgHashTable* fns;
static VgHashTable* links;
static XArray* ctxs; /* CpCtx*, index id-1 */
static UInt n_fns;

void cp_ctx_init(void)
{
   fns = VG_(HT_construct)("cp.fns");
   links = VG_(HT_construct)("cp.links");
   ctxs = VG_(newXA)(VG_(malloc), "cp.ctxs", VG_(free), sizeof(CpCtx*));
}

static Word cmp_fn(const void* a, const void* b)
{
   const CpFn* x = a;
   const CpFn* y = b;
   return !(x->name == y->name && x->file == y->file && x->obj == y->obj);
}

CpFn* cp_fn_get(const HChar* name, const HChar* file, const HChar* obj,
                Bool in_plt)
{
   CpFn probe;
   CpFn* fn;
   probe.key = ((UWord)name * 31 + (UWord)file) * 31 + (UWord)obj;
   probe.name = name;
   probe.file = file;
   probe.obj = obj;
   fn = VG_(HT_gen_lookup)(fns, &probe, cmp_fn);
   if (fn)
      return fn;
   fn = cp_mem_alloc(sizeof(CpFn));
   *fn = probe;
   fn->id = ++n_fns;
   /* As callgrind: a function first seen in the PLT is skipped, and the
      lazy resolver returns to the caller by jumping into the target. */
   fn->skip = in_plt;
   fn->pop_on_jump = VG_(strncmp)(name, "_dl_runtime_resolve", 19) == 0;
   fn->alloc_kind = cp_clo.alloc ? cp_alloc_classify(name) : 0;
   cp_control_classify(fn);
   VG_(HT_add_node)(fns, fn);
   return fn;
}

static Bool* threads_seen; /* [VG_N_THREADS] */

Bool cp_ctx_thread_seen(ThreadId tid)
{
   return threads_seen && tid < VG_N_THREADS && threads_seen[tid];
}

static CpCtx* new_ctx(CpCtx* parent, CpFn* fn, ThreadId tid)
{
   CpCtx* c = cp_mem_alloc(sizeof(CpCtx));
   c->parent = parent;
   c->fn = fn;
   c->depth = parent ? parent->depth + 1 : 1;
   c->tid = parent ? parent->tid : tid;
   if (!threads_seen)
      threads_seen = VG_(calloc)("cp.ctx.seen", VG_N_THREADS, sizeof(Bool));
   threads_seen[c->tid] = True;
   c->recs = NULL;
   c->rec_tab = NULL;
   c->edges = NULL;
   c->allocs = NULL;
   c->last_fn = NULL;
   c->last_callee = NULL;
   VG_(addToXA)(ctxs, &c);
   c->id = (UInt)VG_(sizeXA)(ctxs);
   return c;
}

static CpCtx* link_get(CpCtx* ctx, CpFn* fn, ThreadId tid);

/* Where a call of fn from ctx lands when no link is memoised yet. */
static CpCtx* resolve(CpCtx* ctx, CpFn* fn, ThreadId tid)
{
   CpCtx* a;
   if (!cp_clo.paths || !ctx)
      return NULL;
   for (a = ctx; a; a = a->parent)
      if (a->fn == fn)
         return a; /* recursion: back to the earlier frame */
   if ((Int)ctx->depth >= cp_clo.max_path_depth) {
      /* Too deep: keep the top max-1 frames of the path and this callee. */
      for (a = ctx; (Int)a->depth >= cp_clo.max_path_depth; a = a->parent)
         ;
      return link_get(a, fn, tid);
   }
   return new_ctx(ctx, fn, tid);
}

static CpCtx* link_get(CpCtx* ctx, CpFn* fn, ThreadId tid)
{
   /* Roots hang off a pseudo parent per thread when threads are kept
      apart, so that each thread gets its own tree. */
   UWord parent = ctx                       ? ctx->id
                  : cp_clo.separate_threads ? 0x80000000u | tid
                                            : 0;
   UWord key = (parent << 32) | fn->id;
   CpLink* l = VG_(HT_lookup)(links, key);
   CpCtx* target;
   if (l)
      return l->target;
   target = resolve(ctx, fn, tid);
   if (!target) /* a root, or one context per function (--paths=no) */
      target = ctx ? link_get(NULL, fn, tid) : new_ctx(NULL, fn, tid);
   l = cp_mem_alloc(sizeof(CpLink));
   l->key = key;
   l->target = target;
   VG_(HT_add_node)(links, l);
   return target;
}

CpCtx* cp_ctx_callee(CpCtx* ctx, CpFn* fn, ThreadId tid)
{
   CpCtx* c;
   if (ctx && ctx->last_fn == fn)
      return ctx->last_callee;
   c = link_get(ctx, fn, tid);
   if (ctx) {
      ctx->last_fn = fn;
      ctx->last_callee = c;
   }
   return c;
}

UInt cp_ctx_count(void)
{
   return (UInt)VG_(sizeXA)(ctxs);
}

CpCtx* cp_ctx_by_index(UInt i)
{
   return *(CpCtx**)VG_(indexXA)(ctxs, i);
}
