// alloc_sites.cpp -- every allocator entry point, each call on its own
// line in its own function, so that a DHAT program point (a full stack)
// and a costprof site (a calling line in its context) correspond 1:1.
// The sequence in main fixes the t-gmax and t-end that the tests expect.
#include <cstdlib>
#include <cstring>
#include <malloc.h>
#include <new>

struct alignas(64) Wide { char c[64]; };

static void* volatile sink;

extern "C" {
__attribute__((noinline)) void* s_malloc(size_t n) { return malloc(n); }
__attribute__((noinline)) void* s_calloc(size_t n, size_t m) { return calloc(n, m); }
__attribute__((noinline)) void* s_realloc(void* p, size_t n) { return realloc(p, n); }
__attribute__((noinline)) void* s_reallocarray(void* p, size_t n, size_t m) { return reallocarray(p, n, m); }
__attribute__((noinline)) void* s_memalign(size_t n) { return memalign(64, n); }
__attribute__((noinline)) void* s_aligned_alloc(size_t n) { return aligned_alloc(64, n); }
__attribute__((noinline)) void* s_valloc(size_t n) { return valloc(n); }
__attribute__((noinline)) void* s_posix_memalign(size_t n) { void* p = 0; if (posix_memalign(&p, 32, n)) return 0; return p; }
__attribute__((noinline)) void s_free(void* p) { free(p); }
}

__attribute__((noinline)) int* s_new() { return new int; }
__attribute__((noinline)) int* s_new_arr(size_t n) { return new int[n]; }
__attribute__((noinline)) int* s_new_nothrow() { return new (std::nothrow) int; }
__attribute__((noinline)) int* s_new_arr_nothrow(size_t n) { return new (std::nothrow) int[n]; }
__attribute__((noinline)) Wide* s_new_aligned() { return new Wide; }
__attribute__((noinline)) Wide* s_new_arr_aligned(size_t n) { return new Wide[n]; }
__attribute__((noinline)) void* s_op_new(size_t n) { return ::operator new(n); }
__attribute__((noinline)) void s_delete(int* p) { delete p; }
__attribute__((noinline)) void s_delete_arr(int* p) { delete[] p; }
__attribute__((noinline)) void s_delete_aligned(Wide* p) { delete p; }
__attribute__((noinline)) void s_delete_arr_aligned(Wide* p) { delete[] p; }
__attribute__((noinline)) void s_op_delete_sized(void* p, size_t n) { ::operator delete(p, n); }

// the peak: reached here, gone when it returns
__attribute__((noinline)) void peak_a(void** out) { *out = malloc(30000); }
__attribute__((noinline)) void peak_b(void** out) { *out = calloc(100, 200); }
__attribute__((noinline)) void peak_phase()
{
   void* a;
   void* b;
   peak_a(&a);
   peak_b(&b);
   free(b);
   free(a);
}

// temporaries: one freed at once, one outlived by a later allocation
__attribute__((noinline)) void* tmp_yes() { return malloc(48); }
__attribute__((noinline)) void* tmp_no() { return malloc(56); }
__attribute__((noinline)) void* tmp_other() { return malloc(72); }

// a leak
__attribute__((noinline)) void* leak() { return malloc(777); }

// the inclusive cost of a call: 100 + 200 + 300 allocated below it
__attribute__((noinline)) void incl_fn()
{
   void* x = s_malloc(100);
   void* y = s_calloc(10, 20);
   void* z = s_new_arr(75);
   s_free(x);
   s_free(y);
   s_delete_arr((int*)z);
}

int main()
{
   void* p;
   void* q;
   // plain entry points
   p = s_malloc(10); s_free(p);
   p = s_malloc(0); s_free(p);
   p = s_calloc(3, 4); s_free(p);
   p = s_calloc(0, 4); s_free(p);
   p = s_memalign(100); s_free(p);
   p = s_aligned_alloc(128); s_free(p);
   p = s_valloc(20); s_free(p);
   p = s_posix_memalign(40); s_free(p);
   s_free(0);
   // realloc: larger, smaller, same, NULL, zero, reallocarray
   p = s_malloc(16);
   p = s_realloc(p, 64);
   p = s_realloc(p, 8);
   p = s_realloc(p, 8);
   s_free(p);
   p = s_realloc(0, 24);
   q = s_realloc(p, 0);
   sink = q;
   p = s_reallocarray(0, 3, 5);
   p = s_reallocarray(p, 10, 5);
   s_free(p);
   // C++
   int* i = s_new(); s_delete(i);
   i = s_new_arr(10); s_delete_arr(i);
   i = s_new_nothrow(); s_delete(i);
   i = s_new_arr_nothrow(3); s_delete_arr(i);
   Wide* w = s_new_aligned(); s_delete_aligned(w);
   w = s_new_arr_aligned(2); s_delete_arr_aligned(w);
   p = s_op_new(12); s_op_delete_sized(p, 12);
   // the peak
   peak_phase();
   // temporaries
   p = tmp_yes(); s_free(p);
   p = tmp_no(); q = tmp_other(); s_free(p); s_free(q);
   // inclusive cost of one call
   incl_fn();
   // still allocated at the end
   sink = leak();
   sink = s_malloc(5000);
   return 0;
}
