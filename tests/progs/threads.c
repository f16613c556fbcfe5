/* threads.c -- two threads doing known, different amounts of work. */
#include <pthread.h>
#include <stdio.h>

__attribute__((noinline)) long spin(long n)
{
   long s = 0;
   for (long i = 0; i < n; i++)
      s += i ^ (s >> 3);
   return s;
}

static void* worker_a(void* p) { (void)p; return (void*)spin(20000); }
static void* worker_b(void* p) { (void)p; return (void*)spin(50000); }

int main(void)
{
   pthread_t a, b;
   void *ra, *rb;
   pthread_create(&a, 0, worker_a, 0);
   pthread_join(a, &ra);
   pthread_create(&b, 0, worker_b, 0);
   pthread_join(b, &rb);
   printf("%ld\n", (long)ra + (long)rb);
   return 0;
}
