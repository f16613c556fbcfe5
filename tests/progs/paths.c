/* paths.c -- 100,000 distinct call paths: five levels of ten functions,
   each calling all ten functions of the next level. */
#include <stdio.h>

static volatile long sink;

#define LEAF(n) __attribute__((noinline)) void l4_##n(void) { sink += n; }
LEAF(0) LEAF(1) LEAF(2) LEAF(3) LEAF(4) LEAF(5) LEAF(6) LEAF(7) LEAF(8) LEAF(9)

#define CALLS(next) next##_0(); next##_1(); next##_2(); next##_3(); next##_4(); \
   next##_5(); next##_6(); next##_7(); next##_8(); next##_9();
#define LEVEL(name, next)                                                    \
   __attribute__((noinline)) void name##_0(void) { CALLS(next) }             \
   __attribute__((noinline)) void name##_1(void) { CALLS(next) }             \
   __attribute__((noinline)) void name##_2(void) { CALLS(next) }             \
   __attribute__((noinline)) void name##_3(void) { CALLS(next) }             \
   __attribute__((noinline)) void name##_4(void) { CALLS(next) }             \
   __attribute__((noinline)) void name##_5(void) { CALLS(next) }             \
   __attribute__((noinline)) void name##_6(void) { CALLS(next) }             \
   __attribute__((noinline)) void name##_7(void) { CALLS(next) }             \
   __attribute__((noinline)) void name##_8(void) { CALLS(next) }             \
   __attribute__((noinline)) void name##_9(void) { CALLS(next) }
LEVEL(l3, l4)
LEVEL(l2, l3)
LEVEL(l1, l2)
LEVEL(l0, l1)

int main(void)
{
   CALLS(l0)
   printf("%ld\n", sink);
   return 0;
}
