/* cachepat.c -- known cache and branch behaviour, one function each:
   sequential reads over 4 MiB, a stride of 4096 bytes over 64 lines (past
   any 8- or 16-way set), pseudo-random reads, accesses straddling two
   lines, rep movs / rep stos copies, an alternating branch and a
   data-dependent (unpredictable) one, calls through a rotating table of
   function pointers, and masked vector loads and stores (VEX's guarded
   accesses, one per lane: only the enabled lanes count). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BIG (4 << 20)

static unsigned char* buf;

__attribute__((noinline)) long sequential(void)
{
   long s = 0;
   for (long i = 0; i < BIG; i += 8)
      s += *(volatile long*)(buf + i);
   return s;
}

__attribute__((noinline)) long strided(void)
{
   long s = 0;
   for (int r = 0; r < 20; r++)
      for (long i = 0; i < 64; i++)
         s += *(volatile long*)(buf + i * 4096);
   return s;
}

__attribute__((noinline)) long random_reads(void)
{
   unsigned x = 12345;
   long s = 0;
   for (int i = 0; i < 100000; i++) {
      x = x * 1103515245 + 12345;
      s += buf[(x >> 8) % BIG];
   }
   return s;
}

__attribute__((noinline)) long straddle(void)
{
   long s = 0;
   for (long i = 0; i < 4096; i++) {
      long v;
      memcpy(&v, buf + i * 64 + 60, sizeof v);   /* 8 bytes across a line */
      s += v;
   }
   return s;
}

__attribute__((noinline)) void rep_copy(void)
{
   void* d = buf + (2 << 20);
   void* s = buf;
   long n = 1 << 16;
   __asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
   d = buf + (3 << 20);
   n = 1 << 14;
   __asm__ volatile("rep stosq" : "+D"(d), "+c"(n) : "a"(0L) : "memory");
}

__attribute__((noinline)) long branches(void)
{
   long s = 0;
   unsigned x = 7;
   for (int i = 0; i < 100000; i++) {
      if (i & 1)                 /* alternating: learnt */
         s += i;
      x = x * 1664525 + 1013904223;
      if (x & 0x80000000u)       /* unpredictable */
         s ^= x;
   }
   return s;
}

static long f0(long v) { return v + 1; }
static long f1(long v) { return v * 3; }
static long f2(long v) { return v - 7; }

__attribute__((noinline)) long indirect(void)
{
   long (*table[3])(long) = {f0, f1, f2};
   long s = 0;
   for (int i = 0; i < 30000; i++)
      s = table[i % 3](s);
   return s;
}

/* vmaskmovps with every other lane enabled, when the CPU has AVX. */
__attribute__((noinline)) void masked(void)
{
   static const int mask[8] = {-1, 0, -1, 0, -1, 0, -1, 0};
   float* f = (float*)(buf + (1 << 20));
   for (int i = 0; i < 4096; i++)
      __asm__ volatile("vmovdqu (%1), %%ymm1\n\t"
                       "vmaskmovps (%0), %%ymm1, %%ymm0\n\t"
                       "vmaskmovps %%ymm0, %%ymm1, 32(%0)\n\t"
                       :
                       : "r"(f + i * 16), "r"(mask)
                       : "xmm0", "xmm1", "memory");
}

int main(void)
{
   buf = calloc(1, BIG + 4096);
   long s = sequential() + strided() + random_reads() + straddle();
   rep_copy();
   s += branches() + indirect();
   if (__builtin_cpu_supports("avx"))
      masked();
   printf("%ld\n", s & 0xff);
   return 0;
}
