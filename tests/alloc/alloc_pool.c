/* alloc_pool.c -- a memory pool carved from one malloc'd arena, its blocks
   described with VALGRIND_MALLOCLIKE_BLOCK and friends (DHAT 3.19 ignores
   them; costprof counts them at the request's line). */
#include <stdlib.h>
#include <valgrind/valgrind.h>

static char* arena;
static size_t used;

__attribute__((noinline)) void pool_init(void) { arena = malloc(65536); }

__attribute__((noinline)) void* pool_alloc(size_t n)
{
   void* p = arena + used;
   used += (n + 15) & ~(size_t)15;
   VALGRIND_MALLOCLIKE_BLOCK(p, n, 0, 0);
   return p;
}

__attribute__((noinline)) void pool_free(void* p)
{
   VALGRIND_FREELIKE_BLOCK(p, 0);
}

__attribute__((noinline)) void pool_shrink(void* p, size_t o, size_t n)
{
   VALGRIND_RESIZEINPLACE_BLOCK(p, o, n, 0);
}

__attribute__((noinline)) void pool_done(void) { free(arena); }

int main(void)
{
   void* a;
   void* b;
   pool_init();
   a = pool_alloc(100);       /* starts where the arena does */
   b = pool_alloc(200);
   pool_free(a);
   pool_shrink(b, 200, 50);
   (void)pool_alloc(300);     /* still allocated at the end */
   pool_done();
   return 0;
}
