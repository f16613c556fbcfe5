/* cp_dump.c -- the callgrind-format writer.  It writes the subset that real
   readers accept: one part, header lines before "events:", every event
   column on every cost line, cob=/cfi= before each cfn=, name compression
   for objects, files and contexts, and summary:/totals: last.  A context is
   written as a function named by its call path, callee'caller'caller2...,
   callgrind's --separate-callers convention. */
#include "cp_dump.h"
#include "cp_alloc.h"
#include "cp_cost.h"
#include "cp_ctx.h"
#include "cp_events.h"
#include "cp_opts.h"
#include "cp_sim.h"
#include "pub_tool_clientstate.h"
#include "pub_tool_hashtable.h"
#include "pub_tool_libcassert.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_libcfile.h"
#include "pub_tool_libcprint.h"
#include "pub_tool_libcproc.h"
#include "pub_tool_mallocfree.h"
#include "pub_tool_options.h"
#include "pub_tool_vki.h"
#include "pub_tool_xarray.h"

/* ---- buffered output ---- */

typedef struct {
   Int fd;
   Bool failed;
   Int used;
   HChar buf[1 << 16];
} Out;

static void out_flush(Out* o)
{
   Int done = 0;
   while (done < o->used && !o->failed) {
      Int n = VG_(write)(o->fd, o->buf + done, o->used - done);
      if (n <= 0)
         o->failed = True;
      else
         done += n;
   }
   o->used = 0;
}

static void out_bytes(Out* o, const HChar* s, Int n)
{
   while (n > 0) {
      Int room = (Int)sizeof(o->buf) - o->used;
      Int k = n < room ? n : room;
      VG_(memcpy)(o->buf + o->used, s, k);
      o->used += k;
      s += k;
      n -= k;
      if (o->used == (Int)sizeof(o->buf))
         out_flush(o);
   }
}

/* One pass over s, not VG_(strlen) then VG_(memcpy): names are most of a
   profile's bytes (python3's context names: 14 MB). */
static void out_str(Out* o, const HChar* s)
{
   while (*s) {
      HChar* p = o->buf + o->used;
      HChar* end = o->buf + sizeof(o->buf);
      while (*s && p < end)
         *p++ = *s++;
      o->used = (Int)(p - o->buf);
      if (p == end)
         out_flush(o);
   }
}

/* Profiles are mostly numbers: format them without VG_(sprintf). */
static void out_u(Out* o, ULong v)
{
   HChar tmp[24];
   Int i = sizeof(tmp);
   do {
      tmp[--i] = (HChar)('0' + v % 10);
      v /= 10;
   } while (v);
   out_bytes(o, tmp + i, (Int)sizeof(tmp) - i);
}

/* ---- name compression ---- */

typedef struct Name {
   struct Name* next;
   UWord key; /* the interned string or context */
   UInt id;
} Name;

static VgHashTable* name_ids; /* files and objects share one id space each */
static UInt next_ob, next_fl, next_fn;
/* Contexts' ids in this file, by context id (0: not written yet): a
   profile names every context, python3's 32 k of them 235 k times. */
static UInt* ctx_ids;

/* Writes "(id)", or "(id) " the first time (fresh), and then returns
   fresh: the caller writes the name after it. */
static Bool out_id_as(Out* o, UInt id, Bool fresh)
{
   out_bytes(o, "(", 1);
   out_u(o, id);
   out_bytes(o, fresh ? ") " : ")", fresh ? 2 : 1);
   return fresh;
}

/* A direct-mapped cache in front of name_ids: a profile names an object
   and a file on every context and every call (python3: 158 k times, a
   few thousand names), and the table's lookup divides by its size. */
#define NAME_CACHE_BITS 10
static Name* name_cache[1 << NAME_CACHE_BITS];

static Bool out_id(Out* o, UWord key, UInt* counter)
{
   Name** slot =
      &name_cache[(key * 0x9E3779B97F4A7C15ull) >> (64 - NAME_CACHE_BITS)];
   Name* n = *slot;
   Bool fresh = False;
   if (!n || n->key != key) {
      n = VG_(HT_lookup)(name_ids, key);
      fresh = n == NULL;
      if (fresh) {
         n = VG_(malloc)("cp.dump.name", sizeof(Name));
         n->key = key;
         n->id = ++*counter;
         VG_(HT_add_node)(name_ids, n);
      }
      *slot = n;
   }
   return out_id_as(o, n->id, fresh);
}

static void out_name(Out* o, UWord key, UInt* counter, const HChar* name)
{
   if (out_id(o, key, counter))
      out_str(o, name);
}

/* Keys: strings are interned pointers (aligned), told apart by the low
   bits. */
static void out_ob(Out* o, const HChar* s)
{
   out_name(o, (UWord)s * 4 + 0, &next_ob, s);
}
static void out_fl(Out* o, const HChar* s)
{
   out_name(o, (UWord)s * 4 + 1, &next_fl, s);
}

/* A context's name is its path, callee'caller'caller2... */
static void out_fn(Out* o, const CpCtx* c)
{
   UInt* id = &ctx_ids[c->id];
   Bool fresh = *id == 0;
   if (fresh)
      *id = ++next_fn;
   if (!out_id_as(o, *id, fresh))
      return;
   for (; c; c = c->parent) {
      out_str(o, c->fn->name);
      if (c->parent)
         out_bytes(o, "'", 1);
   }
}

/* ---- self costs by position ---- */

typedef struct {
   const HChar* file;
   UInt line;
   Addr addr;
   ULong* cost;
} Pos;

static Int cmp_pos(const void* a, const void* b)
{
   const Pos* x = a;
   const Pos* y = b;
   if (x->file != y->file)
      return (UWord)x->file < (UWord)y->file ? -1 : 1;
   if (x->line != y->line)
      return x->line < y->line ? -1 : 1;
   if (x->addr != y->addr)
      return x->addr < y->addr ? -1 : 1;
   return 0;
}

static void out_pos(Out* o, Addr addr, UInt line)
{
   if (cp_clo.dump_instr) {
      HChar tmp[32];
      VG_(sprintf)(tmp, "0x%lx ", addr);
      out_str(o, tmp);
   }
   out_u(o, line);
}

/* Most of a profile: written straight into the buffer (a column takes
   at most 21 bytes), most columns being 0. */
static void out_costs(Out* o, const ULong* c)
{
   Int i;
   HChar* p;
   if (o->used + 21 * cp_ev.n + 1 > (Int)sizeof(o->buf))
      out_flush(o);
   p = o->buf + o->used;
   for (i = 0; i < cp_ev.n; i++) {
      ULong v = c[i];
      *p++ = ' ';
      if (v < 10) {
         *p++ = (HChar)('0' + v);
      } else {
         HChar tmp[20];
         Int k = 0;
         do {
            tmp[k++] = (HChar)('0' + v % 10);
            v /= 10;
         } while (v);
         while (k > 0)
            *p++ = tmp[--k];
      }
   }
   *p++ = '\n';
   o->used = (Int)(p - o->buf);
}

typedef struct {
   XArray* ps;
   XArray* store;
} Collect;

/* store is an XArray whose elements are whole cost vectors (addBytesToXA
   would copy byte by byte).  Adds a zero vector and returns its index (an
   index, not a pointer: store moves while it grows). */
static Word new_costs(XArray* store)
{
   static const ULong zeros[64];
   tl_assert(cp_ev.n <= 64);
   return VG_(addToXA)(store, zeros);
}

static ULong* costs_at(XArray* store, Word at)
{
   return (ULong*)VG_(indexXA)(store, at);
}

/* Adds an allocation site's events as a position of its own. */
static void add_alloc(void* opaque, const CpInstr* site, const ULong* costs)
{
   Collect* cl = opaque;
   Pos p;
   Word at = new_costs(cl->store);
   VG_(memcpy)(costs_at(cl->store, at) + cp_ev.alloc, costs,
               CP_ALLOC_NEV * sizeof(ULong));
   p.file = site->file;
   p.line = site->line;
   p.addr = cp_clo.dump_instr ? site->addr : 0;
   p.cost = (ULong*)(UWord)at;
   VG_(addToXA)(cl->ps, &p);
}

/* Number of simulated-event slots of an instruction with these groups. */
static Int sim_slots(UChar groups)
{
   Int n = 0;
   UInt g;
   for (g = CP_G_FETCH; g <= CP_G_BRANCH; g <<= 1)
      if (groups & g)
         n += cp_group_size(g, groups);
   return n;
}

/* Adds an instruction's simulated-event slots (its present groups, in
   order) to the columns of cost vector dst.  A read or write group holds
   the misses, after the count of guarded accesses if it has one. */
static void add_sim(ULong* dst, const ULong* slots, UChar groups)
{
   UInt g, j;
   Int data_first = (groups & CP_G_COUNTED) ? 0 : 1;
   for (g = CP_G_FETCH; g <= CP_G_BRANCH; g <<= 1) {
      Int col;
      if (!(groups & g))
         continue;
      col = g == CP_G_FETCH   ? cp_ev.cache
            : g == CP_G_READ  ? cp_ev.cache + 2 + data_first
            : g == CP_G_WRITE ? cp_ev.cache + 5 + data_first
                              : cp_ev.branch;
      for (j = 0; j < cp_group_size(g, groups); j++)
         dst[col + j] += *slots++;
   }
}

/* The reads and writes of each instruction of record r that the exit
   counts account for (CpSB.data_n).  An instruction did them once for
   each exit taken after it, and for an exit taken at it (a rep
   instruction can leave before its accesses), those done before that
   exit. */
static void data_from_exits(const CpRec* r, ULong* dr, ULong* dw)
{
   const CpSB* sb = r->sb;
   ULong total = 0, left = 0;
   UInt k, x = 0, cr = 0, cw = 0;
   for (x = 0; x < sb->n_exits; x++)
      total += r->cost[x];
   for (k = 0, x = 0; k < sb->n_instrs; k++) {
      UInt nr = sb->data_n[k] & 0xFF, nw = sb->data_n[k] >> 8;
      ULong at = 0, pr = 0, pw = 0, full;
      for (; x < sb->n_exits && sb->exits[x].instr == k; x++) {
         ULong c = r->cost[x];
         at += c;
         pr += c * (sb->exits[x].rd - cr);
         pw += c * (sb->exits[x].wr - cw);
      }
      full = total - left - at;
      dr[k] = nr * full + pr;
      dw[k] = nw * full + pw;
      left += at;
      cr += nr;
      cw += nw;
   }
}

/* Adds instruction k of record r to cost vector dst: n executions, the
   reads and writes counted from the exits (dr, dw: NULL without the
   cache simulator), its simulated events. */
static void add_instr(ULong* dst, const CpRec* r, UInt k, ULong n,
                      const ULong* dr, const ULong* dw)
{
   const CpSB* sb = r->sb;
   dst[cp_ev.ir] += n;
   if (dr) {
      dst[cp_ev.cache + 2] += dr[k];
      dst[cp_ev.cache + 5] += dw[k];
   }
   if (r->sim && sb->sim_off[k] != CP_NO_SLOT)
      add_sim(dst, &r->sim[sb->sim_off[k]], sb->sim_groups[k]);
}

/* Gathers a context's self cost per position into ps (merged, sorted). */
static void collect(const CpCtx* c, XArray* ps, XArray* store)
{
   static ULong* counts;   /* executions per instruction of one record, */
   static UInt counts_len; /* then its reads, then its writes */
   const CpRec* r;
   Word i, j;
   for (r = c->recs; r; r = r->ctx_next) {
      const CpSB* sb = r->sb;
      const CpRec* n1 = r->ctx_next;
      const CpRec* n2 = n1 ? n1->ctx_next : NULL;
      /* A context's records lie all over memory, and so do their blocks:
         a walk that waits for each in turn is mostly cache misses.  So
         each step asks for what the next three steps will read, each
         address from a line asked for a step before (asking for a line
         whose address is in a line not yet there would wait for it):
         the third record, the second's block, the next's instructions
         and simulated events. */
      if (n2) {
         __builtin_prefetch(n2->ctx_next);
         __builtin_prefetch(n2->sb);
      }
      if (n1) {
         __builtin_prefetch(n1->sb->instrs);
         __builtin_prefetch(n1->sim);
      }
      Int x = (Int)sb->n_exits - 1;
      ULong n = 0;
      UInt k;
      ULong *dr = NULL, *dw = NULL;
      if (sb->n_instrs > counts_len) {
         counts_len = 2 * sb->n_instrs;
         counts = VG_(realloc)("cp.dump.counts", counts,
                               3 * counts_len * sizeof(ULong));
      }
      if (sb->data_n) {
         dr = counts + counts_len;
         dw = dr + counts_len;
         data_from_exits(r, dr, dw);
      }
      /* an instruction ran once for each exit taken at or after it */
      for (k = sb->n_instrs; k-- > 0;) {
         for (; x >= 0 && sb->exits[x].instr >= k; x--)
            n += r->cost[x];
         counts[k] = n;
      }
      for (k = 0; k < sb->n_instrs; k++) {
         Pos p;
         Word at;
         Int e;
         Bool any = counts[k] > 0;
         ULong* dst;
         Bool sim = r->sim && sb->sim_off[k] != CP_NO_SLOT;
         if (sim)
            for (e = 0; e < sim_slots(sb->sim_groups[k]) && !any; e++)
               any = r->sim[sb->sim_off[k] + e] != 0;
         if (!any)
            continue;
         p.file = sb->instrs[k].file;
         p.line = sb->instrs[k].line;
         p.addr = cp_clo.dump_instr ? sb->instrs[k].addr : 0;
         if (VG_(sizeXA)(ps) > 0) {
            /* consecutive instructions mostly share a line, and so do a
               context's blocks (a whole object without line info has one
               position): add up here rather than sorting them apart and
               merging them later */
            Pos* q = VG_(indexXA)(ps, VG_(sizeXA)(ps) - 1);
            if (cmp_pos(q, &p) == 0) {
               dst = costs_at(store, (Word)(UWord)q->cost);
               add_instr(dst, r, k, counts[k], dr, dw);
               continue;
            }
         }
         at = new_costs(store);
         add_instr(costs_at(store, at), r, k, counts[k], dr, dw);
         p.cost = (ULong*)(UWord)at; /* an index until store stops moving */
         VG_(addToXA)(ps, &p);
      }
   }
   if (cp_ev.alloc >= 0) {
      Collect cl = {ps, store};
      cp_alloc_visit(c, add_alloc, &cl);
   }
   for (i = 0; i < VG_(sizeXA)(ps); i++) {
      Pos* p = VG_(indexXA)(ps, i);
      p->cost = costs_at(store, (Word)(UWord)p->cost);
   }
   VG_(setCmpFnXA)(ps, cmp_pos);
   VG_(sortXA)(ps);
   /* merge equal positions */
   for (i = 0, j = -1; i < VG_(sizeXA)(ps); i++) {
      Pos* p = VG_(indexXA)(ps, i);
      Pos* q = j >= 0 ? VG_(indexXA)(ps, j) : NULL;
      if (q && cmp_pos(p, q) == 0) {
         Int e;
         for (e = 0; e < cp_ev.n; e++)
            q->cost[e] += p->cost[e];
      } else {
         j++;
         *(Pos*)VG_(indexXA)(ps, j) = *p;
      }
   }
   VG_(dropTailXA)(ps, VG_(sizeXA)(ps) - (j + 1));
}

/* ---- end-of-run allocation columns on call edges ----
   curB, curBk, peakB, peakBk and tmpBk are known only at the end, so a
   call's inclusive value cannot be measured while it runs: it is the sum
   over the callee's subtree of contexts, given to the first call edge
   from the caller to that callee (a recursive call back to an earlier
   context gets none, so nothing is counted twice). */
#define END_FIRST 4 /* curB is the 5th allocation column */
#define END_N (CP_ALLOC_NEV - END_FIRST)

static ULong* subtree; /* [n contexts * END_N], or NULL */

static void add_site(void* opaque, const CpInstr* site, const ULong* costs)
{
   ULong* dst = opaque;
   Int k;
   for (k = 0; k < END_N; k++)
      dst[k] += costs[END_FIRST + k];
}

static void compute_subtrees(void)
{
   UInt n = cp_ctx_count(), i;
   Int k;
   subtree = VG_(calloc)("cp.dump.sub", (SizeT)n * END_N + 1, sizeof(ULong));
   for (i = n; i-- > 0;) { /* children are created after their parents */
      const CpCtx* c = cp_ctx_by_index(i);
      ULong* s = &subtree[(SizeT)(c->id - 1) * END_N];
      cp_alloc_visit(c, add_site, s);
      if (c->parent)
         for (k = 0; k < END_N; k++)
            subtree[(SizeT)(c->parent->id - 1) * END_N + k] += s[k];
   }
}

static const ULong* edge_costs(const CpEdge* e, ULong* buf)
{
   const CpEdge* x;
   Int k;
   if (!subtree)
      return e->incl;
   VG_(memcpy)(buf, e->incl, cp_ev.n * sizeof(ULong));
   for (k = 0; k < END_N; k++)
      buf[cp_ev.alloc + END_FIRST + k] = 0;
   if (e->to->parent != e->from)
      return buf;
   for (x = e->from->edges; x != e; x = x->from_next)
      if (x->to == e->to && x->count > 0)
         return buf; /* an earlier edge already carries it */
   for (k = 0; k < END_N; k++)
      buf[cp_ev.alloc + END_FIRST + k] =
         subtree[(SizeT)(e->to->id - 1) * END_N + k];
   return buf;
}

static XArray* dump_ps;    /* Pos, reused from context to context */
static XArray* dump_store; /* their costs */

static void write_ctx(Out* o, const CpCtx* c, ULong* total)
{
   ULong ebuf[64];
   XArray* ps = dump_ps;
   XArray* store = dump_store;
   const HChar* cur_file = c->fn->file;
   const CpEdge* e;
   Word i;
   Int k;

   collect(c, ps, store);
   out_str(o, "\nob=");
   out_ob(o, c->fn->obj);
   out_str(o, "\nfl=");
   out_fl(o, c->fn->file);
   out_str(o, "\nfn=");
   out_fn(o, c);
   out_str(o, "\n");
   for (i = 0; i < VG_(sizeXA)(ps); i++) {
      const Pos* p = VG_(indexXA)(ps, i);
      if (p->file != cur_file) {
         out_str(o, p->file == c->fn->file ? "fe=" : "fi=");
         out_fl(o, p->file);
         out_str(o, "\n");
         cur_file = p->file;
      }
      out_pos(o, p->addr, p->line);
      out_costs(o, p->cost);
      for (k = 0; k < cp_ev.n; k++)
         total[k] += p->cost[k];
   }
   for (e = c->edges; e; e = e->from_next) {
      if (e->count == 0)
         continue;
      if (e->site->file != cur_file) {
         out_str(o, e->site->file == c->fn->file ? "fe=" : "fi=");
         out_fl(o, e->site->file);
         out_str(o, "\n");
         cur_file = e->site->file;
      }
      out_str(o, "cob=");
      out_ob(o, e->to->fn->obj);
      out_str(o, "\ncfi=");
      out_fl(o, e->to->fn->file);
      out_str(o, "\ncfn=");
      out_fn(o, e->to);
      out_str(o, "\ncalls=");
      out_u(o, e->count);
      out_str(o, " ");
      out_pos(o, e->target->addr, e->target->line);
      out_str(o, "\n");
      out_pos(o, e->site->addr, e->site->line);
      out_costs(o, edge_costs(e, ebuf));
   }
   /* emptied, not freed: the next context reuses their space */
   VG_(dropTailXA)(ps, VG_(sizeXA)(ps));
   VG_(dropTailXA)(store, VG_(sizeXA)(store));
}

static void write_header(Out* o, const HChar* trigger)
{
   Word i;
   Int k;
   HChar tmp[256];
   out_str(o,
           "# callgrind format\nversion: 1\ncreator: costprof-" PACKAGE_VERSION
           "\npid: ");
   out_u(o, (ULong)VG_(getpid)());
   out_str(o, "\ncmd: ");
   out_str(o, VG_(args_the_exename) ? VG_(args_the_exename) : "???");
   for (i = 0; i < VG_(sizeXA)(VG_(args_for_client)); i++) {
      const HChar* a = *(HChar**)VG_(indexXA)(VG_(args_for_client), i);
      out_str(o, " ");
      for (; *a; a++) {
         tmp[0] = (*a == '\n' || *a == '\r') ? ' ' : *a;
         tmp[1] = 0;
         out_str(o, tmp);
      }
   }
   out_str(o, "\ndesc: Trigger: ");
   out_str(o, trigger);
   out_str(o, "\n");
   if (cp_clo.cache_sim)
      for (k = 0; k < 3; k++) {
         cp_sim_describe(tmp, sizeof(tmp), k);
         out_str(o, "desc: ");
         out_str(o, tmp);
         out_str(o, "\n");
      }
   out_str(o,
           cp_clo.dump_instr ? "positions: instr line\n" : "positions: line\n");
   for (k = 0; k < cp_ev.n; k++) {
      out_str(o, "event: ");
      out_str(o, cp_event_name(k));
      out_str(o, " : ");
      out_str(o, cp_event_desc(k));
      out_str(o, "\n");
   }
   out_str(o, "events:");
   for (k = 0; k < cp_ev.n; k++) {
      out_str(o, " ");
      out_str(o, cp_event_name(k));
   }
   out_str(o, "\n");
}

static HChar* out_file;

const HChar* cp_dump_filename(void)
{
   if (!out_file)
      out_file = VG_(expand_file_name)("--costprof-out-file", cp_clo.out_file);
   return out_file;
}

void cp_dump_check_output(void)
{
   const HChar* f;
   struct vg_stat st;
   Bool existed;
   SysRes r;
   out_file = NULL;
   f = cp_dump_filename();
   existed = !sr_isError(VG_(stat)(f, &st));
   r = VG_(open)(f, VKI_O_WRONLY | VKI_O_CREAT,
                 VKI_S_IRUSR | VKI_S_IWUSR | VKI_S_IRGRP | VKI_S_IROTH);
   if (sr_isError(r)) {
      VG_(fmsg)("costprof: cannot write the profile '%s' (error %lu)\n", f,
                sr_Err(r));
      VG_(exit)(1);
   }
   VG_(close)(sr_Res(r));
   if (!existed)
      VG_(unlink)(f);
}

void cp_dump_forget_filename(void)
{
   out_file = NULL;
}

Bool cp_dump_write(const HChar* file, const HChar* trigger, ThreadId tid)
{
   static Out o;
   ULong* total = VG_(calloc)("cp.dump.total", cp_ev.n, sizeof(ULong));
   SysRes r;
   UInt i, n;

   r = VG_(open)(file, VKI_O_WRONLY | VKI_O_CREAT | VKI_O_TRUNC,
                 VKI_S_IRUSR | VKI_S_IWUSR | VKI_S_IRGRP | VKI_S_IROTH);
   if (sr_isError(r)) {
      VG_(umsg)("costprof: cannot write the profile '%s' (error %lu)\n", file,
                sr_Err(r));
      VG_(free)(total);
      return False;
   }
   o.fd = sr_Res(r);
   o.used = 0;
   o.failed = False;
   name_ids = VG_(HT_construct)("cp.dump.names");
   VG_(memset)(name_cache, 0, sizeof(name_cache)); /* the last dump's */
   next_ob = next_fl = next_fn = 0;
   ctx_ids = VG_(calloc)("cp.dump.ctxids", cp_ctx_count() + 1, sizeof(UInt));
   dump_ps = VG_(newXA)(VG_(malloc), "cp.dump.ps", VG_(free), sizeof(Pos));
   dump_store =
      VG_(newXA)(VG_(malloc), "cp.dump.st", VG_(free), cp_ev.n * sizeof(ULong));

   write_header(&o, trigger);
   subtree = NULL;
   if (cp_ev.alloc >= 0)
      compute_subtrees();
   n = cp_ctx_count();
   for (i = 0; i < n; i++) {
      const CpCtx* c = cp_ctx_by_index(i);
      if ((tid == 0 || c->tid == tid) && (c->recs || c->edges || c->allocs))
         write_ctx(&o, c, total);
   }
   out_str(&o, "\nsummary:");
   for (i = 0; i < (UInt)cp_ev.n; i++) {
      out_str(&o, " ");
      out_u(&o, total[i]);
   }
   out_str(&o, "\ntotals:");
   for (i = 0; i < (UInt)cp_ev.n; i++) {
      out_str(&o, " ");
      out_u(&o, total[i]);
   }
   out_str(&o, "\n");
   out_flush(&o);
   VG_(close)(o.fd);
   VG_(HT_destruct)(name_ids, VG_(free));
   VG_(free)(ctx_ids);
   if (subtree)
      VG_(free)(subtree);
   VG_(deleteXA)(dump_ps);
   VG_(deleteXA)(dump_store);
   VG_(free)(total);
   if (o.failed) {
      VG_(umsg)("costprof: error writing the profile '%s'\n", file);
      return False;
   }
   return True;
}
