/* cp_mem.h -- memory for what lives until the end of the run: cost
   records, call edges, block descriptions, contexts.  Nothing here is ever
   freed (a profile may refer to any of it), so it comes from big chunks
   without a malloc header per object. */
#ifndef CP_MEM_H
#define CP_MEM_H

#include "pub_tool_basics.h"

/* sz bytes, zeroed, 8-byte aligned. */
void* cp_mem_alloc(SizeT sz);

/* Bytes handed out so far. */
SizeT cp_mem_used(void);

#endif
