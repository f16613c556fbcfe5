// exceptions.cpp -- C++ exceptions thrown from deep frames and caught
// high up: the shadow stack unwinds by the stack pointer.
#include <cstdio>
#include <stdexcept>

__attribute__((noinline)) int thrower(int n)
{
   volatile int pad = n;
   if (n == 0)
      throw std::runtime_error("bottom");
   return thrower(n - 1) + (pad & 0);
}

__attribute__((noinline)) int calm(int n)
{
   int s = 0;
   for (int i = 0; i < n; i++)
      s += i;
   return s;
}

int main()
{
   int caught = 0, s = 0;
   for (int i = 0; i < 20; i++) {
      try {
         thrower(10);
      } catch (const std::exception&) {
         caught++;
      }
      s += calm(300);
   }
   std::printf("%d %d\n", caught, s);
   return 0;
}
