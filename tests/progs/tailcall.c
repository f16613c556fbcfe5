/* tailcall.c -- built with -O2 so that the calls at the end of relay() and
   hop() are jumps (sibling calls): call tracking must still see a call. */
#include <stdio.h>

__attribute__((noinline)) int leaf(int x)
{
   int s = 0;
   for (int i = 0; i < x; i++)
      s += (s ^ i) & 7;
   return s;
}

__attribute__((noinline)) int hop(int x) { return leaf(x + 1); }
__attribute__((noinline)) int relay(int x) { return hop(x * 2); }

int main(void)
{
   volatile int s = 0;
   for (int i = 0; i < 50; i++)
      s += relay(i);
   printf("%d\n", s);
   return 0;
}
