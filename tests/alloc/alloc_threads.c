/* alloc_threads.c -- four threads allocate and free concurrently: each
   thread's pending allocator call is its own; totals and t-end must equal
   DHAT's whatever the interleaving. */
#include <pthread.h>
#include <stdlib.h>

static void* volatile sink;

__attribute__((noinline)) void* t_alloc(size_t n) { return malloc(n); }
__attribute__((noinline)) void* t_grow(void* p, size_t n) { return realloc(p, n); }

static void* work(void* arg)
{
   size_t base = (size_t)arg;
   int i;
   for (i = 0; i < 2000; i++) {
      void* p = t_alloc(base + i % 50);
      p = t_grow(p, base + 100 + i % 70);
      free(p);
   }
   sink = t_alloc(base);      /* still allocated at the end */
   return 0;
}

int main(void)
{
   pthread_t t[4];
   int i;
   for (i = 0; i < 4; i++)
      pthread_create(&t[i], 0, work, (void*)(size_t)(16 * (i + 1)));
   for (i = 0; i < 4; i++)
      pthread_join(t[i], 0);
   return 0;
}
