// alloc_throw.cpp -- operator new that throws std::bad_alloc: the call is
// left by the exception, not by a return, so it makes no block (its result
// register holds whatever the unwinder left there).
#include <cstddef>
#include <new>

static void* volatile sink;

__attribute__((noinline)) void* too_big(std::size_t n) { return new char[n]; }
__attribute__((noinline)) void* fine() { return new char[40]; }

int main()
{
   std::size_t huge = (std::size_t)1 << 60;
   for (int i = 0; i < 3; i++) {
      try {
         sink = too_big(huge);
      } catch (const std::bad_alloc&) {
      }
   }
   char* p = (char*)fine();
   sink = p;
   delete[] p;
   return 0;
}
