/* longjmp.c -- leaves deep stacks with longjmp, many times: the shadow
   stack must unwind by the stack pointer and the totals stay exact. */
#include <setjmp.h>
#include <stdio.h>

static jmp_buf env;

__attribute__((noinline)) void dive(int n)
{
   volatile int pad = n;
   if (n == 0)
      longjmp(env, 1);
   dive(n - 1 + (pad & 0));
}

__attribute__((noinline)) int after(void)
{
   int s = 0;
   for (int i = 0; i < 200; i++)
      s += i;
   return s;
}

int main(void)
{
   int s = 0;
   for (int i = 0; i < 100; i++) {
      if (setjmp(env) == 0)
         dive(50);
      s += after();
   }
   printf("%d\n", s);
   return 0;
}
