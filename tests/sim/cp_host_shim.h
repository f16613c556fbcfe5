/* cp_host_shim.h -- the few Valgrind types and VG_ functions the cache and
   branch models use, on the host's libc, so costprof/cp_sim.c and
   cp_branch.c compile into the unit-test program with -DCP_SIM_HOST.
   Messages go to stdout with the same prefixes Valgrind uses ("==" for
   umsg, "--" for dmsg, "valgrind: " for fatal option errors). */
#ifndef CP_HOST_SHIM_H
#define CP_HOST_SHIM_H

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned char UChar;
typedef char HChar;
typedef int Int;
typedef unsigned int UInt;
typedef long Long;
typedef unsigned long ULong;
typedef long Word;
typedef unsigned long UWord;
typedef unsigned long Addr;
typedef unsigned long SizeT;
typedef unsigned char Bool;
typedef double Double;
#define True  ((Bool)1)
#define False ((Bool)0)

#define VG_(x) cp_host_##x
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define VG_ROUNDUP(p, a) (((Addr)(p) + (a)-1) & ~((Addr)(a)-1))
/* flush first: the messages before a failed check are what tests look at */
#define tl_assert(x) ((x) ? (void)0 : (fflush(stdout), assert(x)))

/* libvex.h's host cache description */
typedef enum { DATA_CACHE = 0x500, INSN_CACHE, UNIFIED_CACHE } VexCacheKind;
typedef struct {
   VexCacheKind kind;
   UInt level, sizeB, line_sizeB, assoc;
   Bool is_trace_cache;
} VexCache;
typedef struct {
   UInt num_levels, num_caches;
   VexCache* caches;
   Bool icaches_maintain_coherence;
} VexCacheInfo;

static Int cp_host_clo_verbosity = 1;

/* Valgrind's option matcher, without the dynamic-option mode check. */
#define VG_STR_CLO(arg, opt, var)                                     \
   (strncmp((arg), opt "=", strlen(opt) + 1) == 0                     \
    && ((var) = (arg) + strlen(opt) + 1, True))

#define cp_host_memset memset
/* zeroed pages, as the address space manager's fresh anonymous ones */
static void* cp_host_am_shadow_alloc(SizeT n)
{
   void* p = aligned_alloc(4096, n);
   assert(p);
   return memset(p, 0, n);
}
#define VG_PGROUNDUP(n) (((n) + 4095) & ~(SizeT)4095)
#define cp_host_out_of_memory_NORETURN(cc, n) abort()
#define cp_host_printf printf
#define cp_host_snprintf snprintf

static Long cp_host_strtoll10(const HChar* s, HChar** end)
{
   /* as Valgrind's: optional sign then decimal digits, no space skipping */
   const HChar* p = s;
   Long v = 0;
   Bool neg = False;
   if (*p == '-' || *p == '+')
      neg = *p++ == '-';
   if (*p < '0' || *p > '9') {
      *end = (HChar*)s;
      return 0;
   }
   while (*p >= '0' && *p <= '9')
      v = v * 10 + (*p++ - '0');
   *end = (HChar*)p;
   return neg ? -v : v;
}

static Int cp_host_log2_64(ULong x)
{
   Int i;
   for (i = 0; i < 64; i++)
      if ((1UL << i) == x)
         return i;
   return -1;
}

static Int cp_host_log2(UInt x)
{
   return cp_host_log2_64(x);
}

/* Valgrind's printf knows %' (thousands separators); libc's needs a
   locale, so drop the flag. */
static void cp_host_vmsg(const HChar* prefix, const HChar* fmt, va_list ap)
{
   HChar f[512];
   Int i, j;
   for (i = j = 0; fmt[i] && j < (Int)sizeof(f) - 1; i++)
      if (!(fmt[i] == '\'' && i > 0 && fmt[i - 1] == '%'))
         f[j++] = fmt[i];
   f[j] = 0;
   fputs(prefix, stdout);
   vprintf(f, ap);
}

#define CP_HOST_MSG(name, prefix)                                      \
   static __attribute__((unused)) UInt name(const HChar* fmt, ...)    \
   {                                                                   \
      va_list ap;                                                      \
      va_start(ap, fmt);                                               \
      cp_host_vmsg(prefix, fmt, ap);                                   \
      va_end(ap);                                                      \
      return 0;                                                        \
   }
CP_HOST_MSG(cp_host_umsg, "==0== ")
CP_HOST_MSG(cp_host_dmsg, "--0-- ")
CP_HOST_MSG(cp_host_fmsg, "valgrind: ")

static __attribute__((noreturn, unused))
void cp_host_fmsg_bad_option(const HChar* opt, const HChar* fmt, ...)
{
   va_list ap;
   printf("valgrind: Bad option: %s\n", opt);
   va_start(ap, fmt);
   cp_host_vmsg("valgrind: ", fmt, ap);
   va_end(ap);
   printf("valgrind: Use --help for more information or consult the user "
          "manual.\n");
   fflush(stdout);
   exit(1);
}

#endif
