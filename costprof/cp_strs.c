/* cp_strs.c -- string interning on top of Valgrind's dedup pool. */
#include "cp_strs.h"
#include "pub_tool_deduppoolalloc.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_mallocfree.h"

static DedupPoolAlloc* strs;

void cp_strs_init(void)
{
   strs = VG_(newDedupPA)(64 * 1024, 1, VG_(malloc), "cp.strs", VG_(free));
}

const HChar* cp_str(const HChar* s)
{
   return VG_(allocEltDedupPA)(strs, VG_(strlen)(s) + 1, s);
}
