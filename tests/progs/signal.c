/* signal.c -- a signal handler that does known work, delivered several
   times while main is busy. */
#include <signal.h>
#include <stdio.h>

static volatile int acc;

__attribute__((noinline)) void handler_work(void)
{
   for (int i = 0; i < 500; i++)
      acc += i;
}

static void on_usr1(int sig) { handler_work(); (void)sig; }

__attribute__((noinline)) int busy(int n)
{
   int s = 0;
   for (int i = 0; i < n; i++)
      s += i & 3;
   return s;
}

int main(void)
{
   int s = 0;
   signal(SIGUSR1, on_usr1);
   for (int i = 0; i < 5; i++) {
      s += busy(1000);
      raise(SIGUSR1);
   }
   printf("%d %d\n", s, acc);
   return 0;
}
