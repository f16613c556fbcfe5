/* recursion.c -- direct recursion (fact), mutual recursion (is_even /
   is_odd) and a deep recursion whose depth is argv[1] (default 1000). */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) unsigned long fact(unsigned long n)
{
   return n <= 1 ? 1 : n * fact(n - 1);
}

__attribute__((noinline)) int is_odd(unsigned n);
__attribute__((noinline)) int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
__attribute__((noinline)) int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }

__attribute__((noinline)) unsigned long deep(unsigned long n)
{
   volatile unsigned long pad = n;   /* keeps a real frame per level */
   return n == 0 ? 0 : 1 + deep(n - 1) + (pad & 0);
}

int main(int argc, char** argv)
{
   unsigned long depth = argc > 1 ? strtoul(argv[1], 0, 10) : 1000;
   unsigned long s = 0;
   for (int i = 0; i < 10; i++)
      s += fact(20) + (unsigned long)is_even(51 + i);
   s += deep(depth);
   printf("%lu\n", s);
   return 0;
}
