/* sim_check.c -- drives costprof's cache and branch models on the host.

   usage: sim_check [--I1=s,a,l] [--D1=...] [--LL=...] [-v]
                    [--host=K:level:size:assoc:line[:trace],...]
                    [--scalar] [--which-lookup] < trace

   Options go through cp_sim_process_option as on the tool's command line;
   anything else it does not consume is printed as "unknown: ARG".
   --host describes the machine's caches as the core would (K is I, D or U;
   no --host: nothing detected).  Then the geometry is chosen, printed as
   callgrind's "desc:" lines, and the trace on stdin is run, one access a
   line (numbers in C syntax).  The set lookups are vector ones where the
   host and the associativity allow (cp_simvec.c), unless --scalar;
   --which-lookup prints which each cache uses.

      i ADDR SIZE     instruction fetch
      r ADDR SIZE     data read
      w ADDR SIZE     data write
      c ADDR TAKEN    conditional branch
      j ADDR TARGET   indirect branch
      p               print the counts so far
      z               zero the counts (the model's state stays)

   At the end the counts are printed once more. */
#define CP_SIM_HOST 1
#include "../../costprof/cp_sim.c"
#include "../../costprof/cp_simvec.c"
#include "../../costprof/cp_branch.c"

static ULong I1mr, ILmr, D1mr, DLmr, D1mw, DLmw, Bcm, Bim;

static void print_counts(void)
{
   printf("counts I1mr=%lu ILmr=%lu D1mr=%lu DLmr=%lu D1mw=%lu DLmw=%lu "
          "Bcm=%lu Bim=%lu\n", I1mr, ILmr, D1mr, DLmr, D1mw, DLmw, Bcm, Bim);
}

static VexCache host_caches[8];
static int show_lookup;

static void parse_host(const char* spec, VexCacheInfo* ci)
{
   char buf[512];
   char* tok;
   char* save;

   snprintf(buf, sizeof buf, "%s", spec);
   for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
      VexCache* c = &host_caches[ci->num_caches++];
      char kind;
      char trace[16] = "";
      assert(ci->num_caches <= 8);
      memset(c, 0, sizeof *c);
      if (sscanf(tok, "%c:%u:%u:%u:%u:%15s", &kind, &c->level, &c->sizeB,
                 &c->assoc, &c->line_sizeB, trace) < 5) {
         fprintf(stderr, "bad --host item %s\n", tok);
         exit(2);
      }
      c->kind = kind == 'I' ? INSN_CACHE
                : kind == 'D' ? DATA_CACHE : UNIFIED_CACHE;
      c->is_trace_cache = strcmp(trace, "trace") == 0;
      if (c->level > ci->num_levels)
         ci->num_levels = c->level;
   }
   ci->caches = host_caches;
}

int main(int argc, char** argv)
{
   VexCacheInfo ci;
   CpCacheGeom I1, D1, LL;
   char line[256];
   char desc[128];
   int i;

   memset(&ci, 0, sizeof ci);
   cp_sim_vec_usable = __builtin_cpu_supports("avx2") != 0;
   for (i = 1; i < argc; i++) {
      if (strcmp(argv[i], "--scalar") == 0)
         cp_sim_vec_usable = False;
      else if (strcmp(argv[i], "--which-lookup") == 0)
         show_lookup = 1;
      else if (strncmp(argv[i], "--host=", 7) == 0)
         parse_host(argv[i] + 7, &ci);
      else if (strcmp(argv[i], "-v") == 0)
         VG_(clo_verbosity) = 2;
      else if (!cp_sim_process_option(argv[i]))
         printf("unknown: %s\n", argv[i]);
   }
   cp_sim_choose_geometry(&ci, &I1, &D1, &LL);
   cp_sim_init_caches(&I1, &D1, &LL);
   cp_branch_init();
   if (show_lookup)
      printf("lookup: I1 %s D1 %s LL %s\n", cp_sim.I1.vec ? "vector" : "scalar",
             cp_sim.D1.vec ? "vector" : "scalar",
             cp_sim.LL.vec ? "vector" : "scalar");
   for (i = 0; i < 3; i++) {
      cp_sim_describe(desc, sizeof desc, i);
      printf("desc: %s\n", desc);
   }
   printf("min_line_size %d\n", cp_sim.min_line_size);

   while (fgets(line, sizeof line, stdin)) {
      char op[4];
      unsigned long a = 0, b = 0;
      if (sscanf(line, "%3s %li %li", op, (long*)&a, (long*)&b) < 1)
         continue;
      switch (op[0]) {
      case 'i':
         /* both fetch paths must agree; use the one cachegrind would */
         if (cp_sim_ifetch_is_1line(a, (UChar)b))
            cp_sim_ifetch_1line(a, &I1mr, &ILmr);
         else
            cp_sim_ifetch(a, (UChar)b, &I1mr, &ILmr);
         break;
      case 'r': cp_sim_dread(a, (UChar)b, &D1mr, &DLmr); break;
      case 'w': cp_sim_dwrite(a, (UChar)b, &D1mw, &DLmw); break;
      case 'c': cp_branch_cond(a, (Word)b, &Bcm); break;
      case 'j': cp_branch_ind(a, b, &Bim); break;
      case 'p': print_counts(); break;
      case 'z': I1mr = ILmr = D1mr = DLmr = D1mw = DLmw = Bcm = Bim = 0; break;
      default:
         fprintf(stderr, "bad trace line: %s", line);
         return 2;
      }
   }
   print_counts();
   return 0;
}
