/* cp_ctx.h -- functions and calling contexts.  A context is a node of the
   call tree: a function plus the context that called it.  Recursion folds:
   a path never holds a function twice, and --max-path-depth bounds it. */
#ifndef CP_CTX_H
#define CP_CTX_H

#include "pub_tool_basics.h"
#include "pub_tool_threadstate.h"

struct CpRec;
struct CpEdge;

typedef struct CpFn {
   struct CpFn* ht_next;
   UWord key;
   const HChar* name;
   const HChar* file;
   const HChar* obj;
   UInt id;
   Bool skip;        /* PLT stub: its cost goes to the caller */
   Bool pop_on_jump; /* ld.so's lazy resolver */
   UChar alloc_kind; /* an allocator entry point (cp_alloc.h), or 0 */
   Bool toggle;      /* --toggle-collect matches */
   Bool dump_before;
   Bool dump_after;
} CpFn;

typedef struct CpCtx {
   struct CpCtx* parent;
   CpFn* fn;
   UInt id;              /* 1.. ; ids fit in 32 bits */
   UInt depth;           /* 1 for a root */
   ThreadId tid;         /* with --separate-threads: the owning thread */
   struct CpRec* recs;   /* self costs, one record per block run here */
   void* rec_tab;        /* those records by block, owned by cp_cost.c */
   struct CpEdge* edges; /* calls made from this context */
   void* allocs;         /* allocation sites, owned by cp_alloc.c */
   CpFn* last_fn;        /* one-entry cache of cp_ctx_callee */
   struct CpCtx* last_callee;
} CpCtx;

void cp_ctx_init(void);
CpFn* cp_fn_get(const HChar* name, const HChar* file, const HChar* obj,
                Bool in_plt);
/* The context entered when fn is called from ctx (ctx NULL: a new root). */
CpCtx* cp_ctx_callee(CpCtx* ctx, CpFn* fn, ThreadId tid);
/* With --separate-threads: whether thread tid has contexts. */
Bool cp_ctx_thread_seen(ThreadId tid);
UInt cp_ctx_count(void);
CpCtx* cp_ctx_by_index(UInt i); /* 0-based, in creation order */

#endif
