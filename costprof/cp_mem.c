/* cp_mem.c -- chunked memory that is never freed (see cp_mem.h).

   A chunk's pages are populated when the chunk is mapped: on a virtual
   machine a demand page fault costs about 10 us, populating the same page
   in one madvise call about 2 us, and a busy run fills every chunk it
   starts (python3 under --cache-sim=yes: 62 MB of records, 0.15 s less
   CPU).  A kernel without MADV_POPULATE_WRITE (before 5.14) refuses it,
   and the pages are then faulted in as they are first touched. */
#include "cp_mem.h"
#include "pub_tool_aspacemgr.h"
#include "pub_tool_libcassert.h"
#include "pub_tool_mallocfree.h"

#define CHUNK_SIZE ((SizeT)4 << 20)
#define SYS_MADVISE 28 /* amd64 */
#define MADV_POPULATE_WRITE 23

static HChar* chunk;
static SizeT chunk_left;
static SizeT used;

/* The tool API has no madvise; a failure only costs the faults. */
static void populate(void* a, SizeT len)
{
   long r;
   __asm__ volatile("syscall"
                    : "=a"(r)
                    : "a"((long)SYS_MADVISE), "D"(a), "S"(len),
                      "d"((long)MADV_POPULATE_WRITE)
                    : "rcx", "r11", "memory");
   (void)r;
}

void* cp_mem_alloc(SizeT sz)
{
   void* p;
   sz = (sz + 7) & ~(SizeT)7;
   if (sz > chunk_left) {
      /* fresh anonymous pages come zeroed: no memset over the chunk */
      chunk_left = sz > CHUNK_SIZE ? (sz + 4095) & ~(SizeT)4095 : CHUNK_SIZE;
      chunk = VG_(am_shadow_alloc)(chunk_left);
      if (!chunk)
         VG_(out_of_memory_NORETURN)("cp.mem", chunk_left);
      populate(chunk, chunk_left);
   }
   p = chunk;
   used += sz;
   chunk += sz;
   chunk_left -= sz;
   return p;
}

SizeT cp_mem_used(void)
{
   return used;
}
