/* regions.c -- marks regions with costprof.h's client requests:
   work_a is zeroed away, work_c runs with collection off, a labelled dump
   follows, and work_d lands in the final profile.  With argv[1] = "instr"
   instrumentation starts only at START_INSTRUMENTATION. */
#include <stdio.h>
#include <string.h>
#include "costprof.h"

__attribute__((noinline)) long spin(long n)
{
   long s = 0;
   for (long i = 0; i < n; i++)
      s += i & 5;
   return s;
}

__attribute__((noinline)) long work_a(void) { return spin(1000); }
__attribute__((noinline)) long work_b(void) { return spin(2000); }
__attribute__((noinline)) long work_c(void) { return spin(3000); }
__attribute__((noinline)) long work_d(void) { return spin(4000); }

int main(int argc, char** argv)
{
   long s = 0;
   if (argc > 1 && !strcmp(argv[1], "instr")) {
      s += work_a();
      COSTPROF_START_INSTRUMENTATION;
      s += work_b();
      printf("%ld\n", s);
      return 0;
   }
   s += work_a();
   COSTPROF_ZERO_STATS;
   s += work_b();
   COSTPROF_TOGGLE_COLLECT;
   s += work_c();
   COSTPROF_TOGGLE_COLLECT;
   COSTPROF_DUMP_STATS_AT("after work_c");
   s += work_d();
   printf("%ld\n", s);
   return 0;
}
