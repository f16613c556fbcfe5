/* crash.c -- does known work, then dies by the signal named in argv[1]
   (segv, abort, term) or calls exit from a second thread (exit-thread). */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__attribute__((noinline)) long before_death(long n)
{
   long s = 0;
   for (long i = 0; i < n; i++)
      s += i * 3;
   return s;
}

static void* exiter(void* p)
{
   (void)p;
   before_death(1000);
   exit(3);
}

int main(int argc, char** argv)
{
   const char* how = argc > 1 ? argv[1] : "segv";
   printf("%ld\n", before_death(10000));
   fflush(stdout);
   if (!strcmp(how, "segv"))
      *(volatile int*)0 = 1;
   else if (!strcmp(how, "abort"))
      abort();
   else if (!strcmp(how, "term"))
      kill(getpid(), SIGTERM);
   else if (!strcmp(how, "exit-thread")) {
      pthread_t t;
      pthread_create(&t, 0, exiter, 0);
      for (;;)
         pause();
   }
   return 0;
}
