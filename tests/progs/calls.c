/* calls.c -- straight calls, one function (work) reached by two paths with
   different costs, and calls through function pointers. */
#include <stdio.h>

__attribute__((noinline)) int work(int n)
{
   int s = 0;
   for (int i = 0; i < n; i++)
      s += i * i;
   return s;
}

__attribute__((noinline)) int light(void) { return work(100); }
__attribute__((noinline)) int heavy(void) { return work(3000); }
__attribute__((noinline)) int both(void) { return light() + heavy(); }

static int twice(int x) { return 2 * x; }
static int thrice(int x) { return 3 * x; }
__attribute__((noinline)) int apply(int (*f)(int), int x) { return f(x) + work(10); }

int main(void)
{
   int s = 0;
   for (int i = 0; i < 20; i++) {
      s += light();
      s += both();
      s += apply(i % 2 ? twice : thrice, i);
   }
   printf("%d\n", s);
   return 0;
}
