/* cp_simvec.c -- the part of a cache set lookup that follows a miss of the
   most recently used (MRU) way, done with AVX2 when the host has it.

   One lookup in six on python3 gets here; the scalar walk then pays for
   branches that depend on where the line is (the second way, the third,
   none...), which the host mispredicts.  Here the tags are compared four at
   a time and the LRU order is shifted by blends, whatever the position:
   the same result as the walk in cp_sim.h (tests/sim checks both on the
   same traces), without a data-dependent branch.

   Compiled for AVX2 by a function attribute, not by the build flags: the
   rest of the tool stays runnable on any amd64 host, and cp_sim.c only
   sets CpCache.vec when the host has AVX2 (cp_sim_vec_usable). */
#include "cp_sim.h"

#include <immintrin.h>

#define CP_VEC_LANES 4

Bool cp_sim_vec_assoc_ok(Int assoc)
{
   return assoc % CP_VEC_LANES == 0 && assoc <= CP_VEC_MAX_ASSOC;
}

/* The lookup for n chunks of 4 ways, inlined with n constant so that the
   chunks stay in registers.  s: the set. */
__attribute__((target("avx2"), always_inline)) static inline Bool
set_miss_chunks(UWord* s, UWord block, const Int n)
{
   const __m256i b = _mm256_set1_epi64x((Long)block);
   __m256i v[CP_VEC_MAX_ASSOC / CP_VEC_LANES];
   Int c, k;
   UInt found = 0;
   __m256i upto, carry;

#pragma GCC unroll 4
   for (c = 0; c < n; c++) {
      v[c] = _mm256_loadu_si256((const __m256i*)(s + CP_VEC_LANES * c));
      found |= (UInt)_mm256_movemask_pd(
                  _mm256_castsi256_pd(_mm256_cmpeq_epi64(v[c], b)))
               << (CP_VEC_LANES * c);
   }
   /* the way that held the block, or the LRU way, which falls out: a
      sentinel bit instead of a branch, so that k stays in a register (a
      branch made the compiler pass it through the stack, and the
      broadcast below waited on that store) */
   k = __builtin_ctz(found | 1u << (CP_VEC_LANES * n - 1));

   /* Ways 1..k take their left neighbour's tag, way 0 the block, the ways
      after k keep theirs.  Each chunk is shifted up one lane in registers,
      its first lane taken from the chunk before it (the block for chunk
      0): reloading the set at an offset of one word instead would read
      across the 32-byte stores of the lookup before, which the host cannot
      forward. */
   upto = _mm256_set1_epi64x(k + 1);
   carry = b;
#pragma GCC unroll 4
   for (c = 0; c < n; c++) {
      const Long w = CP_VEC_LANES * c;
      const __m256i lane = _mm256_set_epi64x(w + 3, w + 2, w + 1, w);
      __m256i left = _mm256_permute4x64_epi64(v[c], 0x90); /* 0 0 1 2 */
      left = _mm256_blend_epi32(left, carry, 0x3);
      carry = _mm256_permute4x64_epi64(v[c], 0xff); /* 3 3 3 3 */
      _mm256_storeu_si256(
         (__m256i*)(s + w),
         _mm256_blendv_epi8(v[c], left, _mm256_cmpgt_epi64(upto, lane)));
   }
   return found == 0;
}

__attribute__((target("avx2"))) Bool cp_cache_set_miss_vec(UWord* s, Int assoc,
                                                           UWord block)
{
   switch (assoc) {
   case 4:
      return set_miss_chunks(s, block, 1);
   case 8:
      return set_miss_chunks(s, block, 2);
   case 12:
      return set_miss_chunks(s, block, 3);
   default:
      return set_miss_chunks(s, block, 4);
   }
}
