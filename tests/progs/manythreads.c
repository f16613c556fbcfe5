/* manythreads.c -- creates argv[1] threads (default 1000) one after
   another, each doing the same known work. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) long chunk(long n)
{
   long s = 0;
   for (long i = 0; i < n; i++)
      s += i % 7;
   return s;
}

static void* worker(void* p) { return (void*)chunk((long)p); }

int main(int argc, char** argv)
{
   int n = argc > 1 ? atoi(argv[1]) : 1000;
   long total = 0;
   for (int i = 0; i < n; i++) {
      pthread_t t;
      void* r;
      pthread_create(&t, 0, worker, (void*)200L);
      pthread_join(t, &r);
      total += (long)r;
   }
   printf("%ld\n", total);
   return 0;
}
