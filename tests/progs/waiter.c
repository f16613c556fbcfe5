/* waiter.c -- prints "ready", then works in a loop until the file named in
   argv[1] exists (the vgdb monitor-command test talks to it meanwhile). */
#include <stdio.h>
#include <unistd.h>

__attribute__((noinline)) long step(void)
{
   long s = 0;
   for (long i = 0; i < 20000; i++)
      s += i & 1;
   return s;
}

int main(int argc, char** argv)
{
   long s = 0;
   printf("ready\n");
   fflush(stdout);
   while (access(argv[1], F_OK) != 0)
      s += step();
   printf("%ld\n", s > 0);
   return 0;
}
