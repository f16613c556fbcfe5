/* cp_events.c -- builds the event set from the options.  The cache columns
   follow cachegrind's order so that its users read them without surprise. */
#include "cp_events.h"
#include "pub_tool_libcassert.h"

CpEvents cp_ev;

#define CP_MAX_EVENTS 32

static const HChar* names[CP_MAX_EVENTS];
static const HChar* descs[CP_MAX_EVENTS];

static void add(const HChar* name, const HChar* desc)
{
   tl_assert(cp_ev.n < CP_MAX_EVENTS);
   names[cp_ev.n] = name;
   descs[cp_ev.n] = desc;
   cp_ev.n++;
}

void cp_events_init(Bool cache, Bool branch, Bool alloc)
{
   cp_ev.n = 0;
   cp_ev.cache = cp_ev.branch = cp_ev.alloc = -1;
   cp_ev.ir = 0;
   add("Ir", "Instruction Fetch");
   if (cache) {
      /* Ir is already column 0: cachegrind's order continues after it. */
      cp_ev.cache = cp_ev.n;
      add("I1mr", "L1 Instr. Fetch Miss");
      add("ILmr", "LL Instr. Fetch Miss");
      add("Dr", "Data Read Access");
      add("D1mr", "L1 Data Read Miss");
      add("DLmr", "LL Data Read Miss");
      add("Dw", "Data Write Access");
      add("D1mw", "L1 Data Write Miss");
      add("DLmw", "LL Data Write Miss");
   }
   if (branch) {
      cp_ev.branch = cp_ev.n;
      add("Bc", "Conditional Branches Executed");
      add("Bcm", "Mispredicted Conditional Branches");
      add("Bi", "Indirect Branches Executed");
      add("Bim", "Mispredicted Indirect Branches");
   }
   cp_ev.nsim = cp_ev.n - 1;
   if (alloc) {
      cp_ev.alloc = cp_ev.n;
      add("totB", "Bytes allocated");
      add("totBk", "Blocks allocated");
      add("totFdB", "Bytes freed");
      add("totFdBk", "Blocks freed");
      add("curB", "Bytes still allocated at exit");
      add("curBk", "Blocks still allocated at exit");
      add("peakB", "Bytes live at the heap's global peak (t-gmax)");
      add("peakBk", "Blocks live at the heap's global peak (t-gmax)");
      add("tmpBk", "Temporary blocks (freed before any other allocation)");
   }
   /* totB totBk totFdB totFdBk flow while the program runs; curB .. tmpBk
      are settled at the end (cp_dump.c sums them over call subtrees). */
   cp_ev.ntot = alloc ? cp_ev.alloc + 4 : cp_ev.n;
}

const HChar* cp_event_name(Int i)
{
   return names[i];
}
const HChar* cp_event_desc(Int i)
{
   return descs[i];
}
