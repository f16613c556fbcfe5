/* forks.c -- before_fork runs in the parent only; after fork the child
   runs in_child and the parent in_parent. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

__attribute__((noinline)) long spin(long n)
{
   long s = 0;
   for (long i = 0; i < n; i++)
      s += i & 3;
   return s;
}

__attribute__((noinline)) long before_fork(void) { return spin(1000); }
__attribute__((noinline)) long in_child(void) { return spin(2000); }
__attribute__((noinline)) long in_parent(void) { return spin(3000); }

int main(void)
{
   long s = before_fork();
   fflush(stdout);
   pid_t pid = fork();
   if (pid == 0) {
      s += in_child();
      printf("child %ld\n", s);
      return 0;
   }
   waitpid(pid, 0, 0);
   s += in_parent();
   printf("parent %ld\n", s);
   return 0;
}
