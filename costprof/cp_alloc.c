/* cp_alloc.c -- heap allocation events (--alloc=yes): recognises the
   allocator entry points by name, reads their arguments and results from
   the guest registers when call tracking enters and leaves them, keeps the
   live blocks by address and one record of the 9 allocation events per
   (context, call site).  The counting rules are DHAT's (so that totals,
   t-gmax and t-end agree with valgrind --tool=dhat) plus heaptrack's
   temporary blocks; docs/alloc.md explains them. */
#include "cp_alloc.h"
#include "cp_events.h"
#include "cp_track.h"
#include "libvex_guest_amd64.h"
#include "pub_tool_aspacemgr.h"
#include "pub_tool_hashtable.h"
#include "pub_tool_libcassert.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_libcproc.h"
#include "pub_tool_machine.h"
#include "pub_tool_mallocfree.h"
#include "pub_tool_threadstate.h"
#include "valgrind.h"

/* Allocator kinds: they say where the size and the pointer are. */
enum {
   K_NONE = 0,
   K_MALLOC,         /* size in RDI: malloc, valloc, pvalloc, new */
   K_CALLOC,         /* RDI * RSI */
   K_REALLOC,        /* pointer in RDI, size in RSI */
   K_REALLOCARRAY,   /* pointer in RDI, size RSI * RDX */
   K_MEMALIGN,       /* size in RSI: memalign, aligned_alloc */
   K_POSIX_MEMALIGN, /* result in *RDI when RAX is 0, size in RDX */
   K_FREE            /* pointer in RDI: free, cfree, delete */
};

/* The event columns, in cp_events.c's order. */
enum {
   E_TOTB,
   E_TOTBK,
   E_FDB,
   E_FDBK,
   E_CURB,
   E_CURBK,
   E_PEAKB,
   E_PEAKBK,
   E_TMPBK
};

/* One (context, call site): its events, and the lazily taken snapshot of
   curB/curBk at the heap's latest global peak (see peak_gen). */
typedef struct CpASite {
   struct CpASite* ht_next;
   UWord key;
   struct CpASite* next; /* the context's list (ctx->allocs) */
   CpCtx* ctx;
   const CpInstr* site;
   ULong mark; /* peak_gen when ev[E_PEAK*] was last saved */
   ULong ev[CP_ALLOC_NEV];
} CpASite;

/* A live block, keyed by its address. */
typedef struct CpBlock {
   struct CpBlock* next;
   UWord key;
   SizeT size;
   CpASite* site; /* where it was allocated */
} CpBlock;

/* The outermost pending allocator call of a thread; calls made while one
   is pending (calloc->malloc, new->malloc) only deepen it. */
typedef struct {
   Int depth;
   UChar kind;
   Bool collect; /* costs were being collected at the call */
   CpCtx* ctx;
   const CpInstr* site;
   UWord a0, a1, a2;
} CpAThread;

/* Blocks of the allocator, and blocks described by client requests: kept
   apart, since a pool's first block starts where its malloc'd arena does. */
static VgHashTable* blocks;
static VgHashTable* pool_blocks;
static VgHashTable* sites;
static CpAThread* athreads;  /* [VG_N_THREADS] */
static CpBlock* free_blocks; /* recycled block nodes */

/* The heap as DHAT sees it, for t-gmax. */
static ULong cur_bytes, cur_blocks, max_bytes;
/* Incremented whenever the heap is at its global peak and a snapshot is
   due (DHAT's check_for_peak); a site whose mark is older saves its
   current values as its peak values before they change.  This is DHAT's
   rule without its walk over every site at each peak. */
static ULong peak_gen = 1;
/* heaptrack's temporary rule: the last block allocated, until a free. */
static CpBlock* last_alloc;

static Bool name_is(const HChar* name, const HChar* want)
{
   SizeT n = VG_(strlen)(want);
   /* versioned symbols show as "malloc@@GLIBC_2.2.5" */
   return VG_(strncmp)(name, want, n) == 0 && (name[n] == 0 || name[n] == '@');
}

static Bool prefix(const HChar* name, const HChar* want)
{
   return VG_(strncmp)(name, want, VG_(strlen)(want)) == 0;
}

UChar cp_alloc_classify(const HChar* n)
{
   /* Cheap rejection: every name below starts with one of these. */
   if (n[0] != 'm' && n[0] != 'c' && n[0] != 'r' && n[0] != 'f' && n[0] != 'v'
       && n[0] != 'p' && n[0] != 'a' && n[0] != 'o' && n[0] != '_')
      return K_NONE;
   if (prefix(n, "__libc_"))
      n += 7; /* glibc's aliases at the same addresses */
   else if (prefix(n, "__posix_memalign"))
      n += 2;
   if (name_is(n, "malloc") || name_is(n, "valloc") || name_is(n, "pvalloc"))
      return K_MALLOC;
   if (name_is(n, "calloc"))
      return K_CALLOC;
   if (name_is(n, "realloc"))
      return K_REALLOC;
   if (name_is(n, "reallocarray"))
      return K_REALLOCARRAY;
   if (name_is(n, "memalign") || name_is(n, "aligned_alloc"))
      return K_MEMALIGN;
   if (name_is(n, "posix_memalign"))
      return K_POSIX_MEMALIGN;
   if (name_is(n, "free") || name_is(n, "cfree"))
      return K_FREE;
   /* C++: every variant (sized, aligned, nothrow) takes the size or the
      pointer first; placement new and delete allocate nothing. */
   if (prefix(n, "operator new(") || prefix(n, "operator new[]("))
      return VG_(strstr)(n, "void*") ? K_NONE : K_MALLOC;
   if (prefix(n, "operator delete(") || prefix(n, "operator delete[]("))
      return VG_(strstr)(n, "void*, void*") ? K_NONE : K_FREE;
   return K_NONE;
}

static void cp_alloc_fork_child(ThreadId tid);

void cp_alloc_init(void)
{
   blocks = VG_(HT_construct)("cp.alloc.blocks");
   pool_blocks = VG_(HT_construct)("cp.alloc.pool");
   sites = VG_(HT_construct)("cp.alloc.sites");
   athreads = VG_(calloc)("cp.alloc.threads", VG_N_THREADS, sizeof(CpAThread));
   VG_(atfork)(NULL, NULL, cp_alloc_fork_child);
}

/* ---- sites ---- */

static Word cmp_site(const void* a, const void* b)
{
   const CpASite* x = a;
   const CpASite* y = b;
   return !(x->ctx == y->ctx && x->site == y->site);
}

static CpASite* site_get_slow(CpCtx* ctx, const CpInstr* site);

/* Most allocations come from a few hot sites: a direct-mapped cache in
   front of the table spares its compare callback. */
#define SITE_CACHE 1024
static CpASite* site_cache[SITE_CACHE];

static CpASite* site_get(CpCtx* ctx, const CpInstr* site)
{
   CpASite* s;
   UWord h = (((UWord)site >> 3) ^ ctx->id * 0x9E3779B1u) % SITE_CACHE;
   s = site_cache[h];
   if (s && s->site == site && s->ctx == ctx)
      return s;
   s = site_get_slow(ctx, site);
   site_cache[h] = s;
   return s;
}

static CpASite* site_get_slow(CpCtx* ctx, const CpInstr* site)
{
   CpASite probe, *s;
   probe.key = ((UWord)ctx->id << 32) ^ (UWord)site;
   probe.ctx = ctx;
   probe.site = site;
   s = VG_(HT_gen_lookup)(sites, &probe, cmp_site);
   if (s)
      return s;
   s = VG_(calloc)("cp.alloc.site", 1, sizeof(CpASite));
   s->key = probe.key;
   s->ctx = ctx;
   s->site = site;
   s->mark = peak_gen; /* it held nothing at the last peak */
   s->next = ctx->allocs;
   ctx->allocs = s;
   VG_(HT_add_node)(sites, s);
   return s;
}

/* The site's live values are about to change: keep those of the latest
   peak first if that peak came after its last change. */
static inline void site_touch(CpASite* s)
{
   if (s->mark != peak_gen) {
      s->ev[E_PEAKB] = s->ev[E_CURB];
      s->ev[E_PEAKBK] = s->ev[E_CURBK];
      s->mark = peak_gen;
   }
}

/* The heap is about to shrink: if it is at its peak, that is t-gmax so
   far (the latest of equal peaks wins, as in DHAT). */
static inline void before_decrease(void)
{
   if (cur_bytes == max_bytes)
      peak_gen++;
}

static inline void after_increase(void)
{
   if (cur_bytes >= max_bytes)
      max_bytes = cur_bytes;
}

/* Inclusive costs: the running thread's totals carry tot* events. */
static void add_thread(ThreadId tid, Int k, ULong v)
{
   if (tid == VG_(get_running_tid)())
      cp_track_thread_total()[cp_ev.alloc + k] += v;
}

/* ---- blocks ---- */

static void retire(CpBlock* b)
{
   b->next = free_blocks;
   free_blocks = b;
}

static void unlink_block(CpBlock* b, Bool freed)
{
   CpASite* s = b->site;
   before_decrease();
   site_touch(s);
   s->ev[E_CURB] -= b->size;
   s->ev[E_CURBK]--;
   cur_bytes -= b->size;
   cur_blocks--;
   if (freed && last_alloc == b)
      s->ev[E_TMPBK]++;
   if (last_alloc == b || freed)
      last_alloc = NULL;
}

static void new_block(VgHashTable* tab, ThreadId tid, CpASite* s, Addr a,
                      SizeT size)
{
   CpBlock* b = VG_(HT_remove)(tab, a);
   if (b) {
      /* a free we did not see (freed by other means): forget it */
      unlink_block(b, False);
      retire(b);
   }
   if (size == 0)
      size = 1; /* DHAT counts malloc(0) as one byte */
   b = free_blocks;
   if (b)
      free_blocks = b->next;
   else
      b = VG_(malloc)("cp.alloc.block", sizeof(CpBlock));
   b->key = a;
   b->size = size;
   b->site = s;
   VG_(HT_add_node)(tab, b);
   site_touch(s);
   s->ev[E_TOTB] += size;
   s->ev[E_TOTBK]++;
   s->ev[E_CURB] += size;
   s->ev[E_CURBK]++;
   cur_bytes += size;
   cur_blocks++;
   after_increase();
   last_alloc = b;
   add_thread(tid, E_TOTB, size);
   add_thread(tid, E_TOTBK, 1);
}

static void free_block(VgHashTable* tab, ThreadId tid, CpCtx* ctx,
                       const CpInstr* at, Addr a)
{
   CpBlock* b;
   CpASite* fs;
   if (a == 0)
      return;
   b = VG_(HT_remove)(tab, a);
   if (!b)
      return; /* not a block we know: nothing to count */
   unlink_block(b, True);
   fs = site_get(ctx, at);
   fs->ev[E_FDB] += b->size;
   fs->ev[E_FDBK]++;
   add_thread(tid, E_FDB, b->size);
   add_thread(tid, E_FDBK, 1);
   retire(b);
}

/* realloc of a live block: DHAT's renew_block.  One more block of the new
   size is allocated at the block's own site and the live size changes by
   the difference; for totals the old size is freed at the realloc's call
   site, so that totB - totFdB stays curB. */
static void resize_block(VgHashTable* tab, ThreadId tid, CpCtx* ctx,
                         const CpInstr* at, CpBlock* b, Addr new_a, SizeT size)
{
   CpASite* s = b->site;
   CpASite* fs;
   SizeT old = b->size;
   if (size == 0)
      size = 1;
   if (size < old)
      before_decrease();
   site_touch(s);
   /* heaptrack records a realloc as a free then an allocation */
   if (last_alloc == b)
      s->ev[E_TMPBK]++;
   s->ev[E_TOTB] += size;
   s->ev[E_TOTBK]++;
   s->ev[E_CURB] += size;
   s->ev[E_CURB] -= old;
   cur_bytes += size;
   cur_bytes -= old;
   after_increase();
   fs = site_get(ctx, at);
   fs->ev[E_FDB] += old;
   fs->ev[E_FDBK]++;
   b->size = size;
   if (new_a != b->key) {
      CpBlock* x = VG_(HT_remove)(tab, b->key);
      tl_assert(x == b);
      x = VG_(HT_remove)(tab, new_a);
      if (x) {
         unlink_block(x, False);
         retire(x);
      }
      b->key = new_a;
      VG_(HT_add_node)(tab, b);
   }
   last_alloc = b;
   add_thread(tid, E_TOTB, size);
   add_thread(tid, E_TOTBK, 1);
   add_thread(tid, E_FDB, old);
   add_thread(tid, E_FDBK, 1);
}

static void realloc_event(ThreadId tid, CpCtx* ctx, const CpInstr* at, Addr old,
                          SizeT size, Addr res)
{
   CpBlock* b;
   if (old == 0) { /* realloc(NULL, n) is malloc(n) */
      if (res)
         new_block(blocks, tid, site_get(ctx, at), res, size);
      return;
   }
   if (size == 0) { /* glibc frees, as DHAT 3.19 does */
      free_block(blocks, tid, ctx, at, old);
      return;
   }
   if (!res)
      return; /* failed: the old block is untouched */
   b = VG_(HT_lookup)(blocks, old);
   if (b)
      resize_block(blocks, tid, ctx, at, b, res, size);
   else
      new_block(blocks, tid, site_get(ctx, at), res, size);
}

/* ---- allocator calls ---- */

static inline UWord reg(ThreadId tid, SizeT off)
{
   UWord v;
   VG_(get_shadow_regs_area)(tid, (UChar*)&v, 0, off, sizeof(v));
   return v;
}

#define RDI offsetof(VexGuestAMD64State, guest_RDI)
#define RSI offsetof(VexGuestAMD64State, guest_RSI)
#define RDX offsetof(VexGuestAMD64State, guest_RDX)
#define RAX offsetof(VexGuestAMD64State, guest_RAX)

void cp_alloc_call(ThreadId tid, UChar kind, CpCtx* caller, const CpInstr* site,
                   Bool collect)
{
   CpAThread* t = &athreads[tid];
   if (t->depth++ > 0)
      return; /* inside another allocator: counted there */
   t->kind = kind;
   t->collect = collect;
   t->ctx = caller;
   t->site = site;
   t->a0 = reg(tid, RDI);
   t->a1 = kind == K_MALLOC || kind == K_FREE ? 0 : reg(tid, RSI);
   t->a2 =
      kind == K_REALLOCARRAY || kind == K_POSIX_MEMALIGN ? reg(tid, RDX) : 0;
}

/* n * m, or False when it overflows (the allocator then fails). */
static Bool mul(UWord n, UWord m, UWord* r)
{
   if (m != 0 && n > ~(UWord)0 / m)
      return False;
   *r = n * m;
   return True;
}

void cp_alloc_return(ThreadId tid, Bool returned)
{
   CpAThread* t = &athreads[tid];
   UWord res, size;
   if (t->depth == 0 || --t->depth > 0)
      return;
   if (!returned || !t->ctx)
      return; /* unwound: no result to read */
   if (t->kind == K_FREE) {
      free_block(blocks, tid, t->ctx, t->site, t->a0);
      return;
   }
   res = reg(tid, RAX);
   if (!t->collect) {
      /* Not collecting: no new block is followed, but one that was
         counted still ends here, so that the heap's state stays right. */
      Bool to_zero = t->a1 == 0 || (t->kind == K_REALLOCARRAY && t->a2 == 0);
      if ((t->kind == K_REALLOC || t->kind == K_REALLOCARRAY) && t->a0
          && (res || to_zero))
         free_block(blocks, tid, t->ctx, t->site, t->a0);
      return;
   }
   switch (t->kind) {
   case K_MALLOC:
      if (res)
         new_block(blocks, tid, site_get(t->ctx, t->site), res, t->a0);
      break;
   case K_CALLOC:
      if (res && mul(t->a0, t->a1, &size))
         new_block(blocks, tid, site_get(t->ctx, t->site), res, size);
      break;
   case K_MEMALIGN:
      if (res)
         new_block(blocks, tid, site_get(t->ctx, t->site), res, t->a1);
      break;
   case K_POSIX_MEMALIGN: {
      Addr p;
      if ((UInt)res != 0
          || !VG_(am_is_valid_for_client)(t->a0, sizeof(Addr), VKI_PROT_READ))
         break;
      p = *(Addr*)t->a0;
      if (p)
         new_block(blocks, tid, site_get(t->ctx, t->site), p, t->a2);
      break;
   }
   case K_REALLOC:
      realloc_event(tid, t->ctx, t->site, t->a0, t->a1, res);
      break;
   case K_REALLOCARRAY:
      if (mul(t->a1, t->a2, &size))
         realloc_event(tid, t->ctx, t->site, t->a0, size, res);
      break;
   default:
      break;
   }
}

/* ---- client requests: custom allocators describe their blocks ---- */

Bool cp_alloc_client_request(ThreadId tid, UWord* args, UWord* ret)
{
   CpCtx* ctx;
   const CpInstr* site;
   CpBlock* b;
   switch (args[0]) {
   case VG_USERREQ__MALLOCLIKE_BLOCK:
   case VG_USERREQ__FREELIKE_BLOCK:
   case VG_USERREQ__RESIZEINPLACE_BLOCK:
      break;
   default:
      return False;
   }
   *ret = 0;
   if (!cp_track_where(tid, &ctx, &site))
      return True; /* before the first block: no location */
   switch (args[0]) {
   case VG_USERREQ__MALLOCLIKE_BLOCK:
      if (args[1] && cp_track_collecting(tid))
         new_block(pool_blocks, tid, site_get(ctx, site), args[1], args[2]);
      break;
   case VG_USERREQ__FREELIKE_BLOCK:
      free_block(pool_blocks, tid, ctx, site, args[1]);
      break;
   case VG_USERREQ__RESIZEINPLACE_BLOCK:
      b = VG_(HT_lookup)(pool_blocks, args[1]);
      if (b)
         resize_block(pool_blocks, tid, ctx, site, b, args[1], args[3]);
      break;
   }
   return True;
}

/* ---- end of run ---- */

void cp_alloc_settle(void)
{
   /* DHAT looks for the peak once more at the end. */
   if (max_bytes > 0)
      before_decrease();
}

void cp_alloc_visit(const CpCtx* ctx, CpAllocVisit visit, void* opaque)
{
   const CpASite* s;
   for (s = ctx->allocs; s; s = s->next) {
      ULong ev[CP_ALLOC_NEV];
      Int k;
      Bool any = False;
      VG_(memcpy)(ev, s->ev, sizeof(ev));
      if (s->mark != peak_gen) {
         ev[E_PEAKB] = ev[E_CURB];
         ev[E_PEAKBK] = ev[E_CURBK];
      }
      for (k = 0; k < CP_ALLOC_NEV && !any; k++)
         any = ev[k] != 0;
      if (any)
         visit(opaque, s->site, ev);
   }
}

void cp_alloc_zero(void)
{
   CpASite* s;
   if (!sites)
      return; /* --alloc=no */
   VG_(HT_ResetIter)(sites);
   while ((s = VG_(HT_Next)(sites))) {
      s->ev[E_TOTB] = s->ev[E_TOTBK] = 0;
      s->ev[E_FDB] = s->ev[E_FDBK] = 0;
      s->ev[E_TMPBK] = 0;
   }
}

/* The child of a fork inherits the heap, but writes a profile of its own
   work only. */
static void cp_alloc_fork_child(ThreadId tid)
{
   cp_alloc_zero();
}
