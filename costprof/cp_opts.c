/* cp_opts.c -- parses costprof's options with Valgrind's option macros, so
   a bad value gets Valgrind's usual one-line "bad option" error. */
#include "cp_opts.h"
#include "cp_sim.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_libcprint.h"
#include "pub_tool_mallocfree.h"
#include "pub_tool_options.h"
#include "pub_tool_xarray.h"

CpOpts cp_clo;

void cp_opts_defaults(void)
{
   cp_clo.out_file = "costprof.out.%p";
   cp_clo.paths = True;
   cp_clo.max_path_depth = 1000;
   cp_clo.dump_instr = False;
   cp_clo.cache_sim = False;
   cp_clo.branch_sim = False;
   cp_clo.alloc = False;
   cp_clo.instr_atstart = True;
   cp_clo.collect_atstart = True;
   cp_clo.separate_threads = False;
   cp_clo.toggle_collect = cp_clo.dump_before = cp_clo.dump_after = NULL;
}

static void add_pattern(XArray** xa, const HChar* pat)
{
   if (!*xa)
      *xa = VG_(newXA)(VG_(malloc), "cp.opts.pat", VG_(free), sizeof(HChar*));
   VG_(addToXA)(*xa, &pat);
}

Bool cp_opts_process(const HChar* arg)
{
   const HChar* pat;
   if VG_STR_CLO (arg, "--costprof-out-file", cp_clo.out_file) {
      if (cp_clo.out_file[0] == 0)
         VG_(fmsg_bad_option)(arg, "the output file name is empty\n");
   } else if VG_BOOL_CLO (arg, "--paths", cp_clo.paths) {
   } else if VG_BINT_CLO (arg, "--max-path-depth", cp_clo.max_path_depth, 1,
                          100000) {
   } else if VG_BOOL_CLO (arg, "--dump-instr", cp_clo.dump_instr) {
   } else if VG_BOOL_CLO (arg, "--cache-sim", cp_clo.cache_sim) {
   } else if VG_BOOL_CLO (arg, "--branch-sim", cp_clo.branch_sim) {
   } else if VG_BOOL_CLO (arg, "--alloc", cp_clo.alloc) {
   } else if VG_BOOL_CLO (arg, "--instr-atstart", cp_clo.instr_atstart) {
   } else if VG_BOOL_CLO (arg, "--collect-atstart", cp_clo.collect_atstart) {
   } else if VG_BOOL_CLO (arg, "--separate-threads", cp_clo.separate_threads) {
   } else if VG_STR_CLO (arg, "--toggle-collect", pat) {
      add_pattern(&cp_clo.toggle_collect, pat);
   } else if VG_STR_CLO (arg, "--dump-before", pat) {
      add_pattern(&cp_clo.dump_before, pat);
   } else if VG_STR_CLO (arg, "--dump-after", pat) {
      add_pattern(&cp_clo.dump_after, pat);
   } else if (cp_sim_process_option(arg)) {
   } else
      return False;
   return True;
}

void cp_opts_usage(void)
{
   VG_(printf)(
      "    --costprof-out-file=<f>   profile file name [costprof.out.%%p]\n"
      "                              (%%p: pid, %%q{VAR}: environment "
      "variable)\n"
      "    --paths=no|yes            one entry per full call path [yes];\n"
      "                              no: one entry per function\n"
      "    --max-path-depth=<n>      frames kept in a call path [1000]\n"
      "    --dump-instr=no|yes       add instruction addresses [no]\n"
      "    --cache-sim=no|yes        simulate I1/D1/LL caches [no]\n"
      "    --branch-sim=no|yes       simulate branch prediction [no]\n"
      "    --alloc=no|yes            count heap allocation events [no]\n"
      "    --instr-atstart=no|yes    instrument from the start [yes]\n"
      "    --collect-atstart=no|yes  collect costs from the start [yes]\n"
      "    --toggle-collect=<pat>    collect only inside functions matching "
      "the\n"
      "                              glob <pat> (repeatable)\n"
      "    --dump-before=<pat>       dump a profile when entering <pat>\n"
      "    --dump-after=<pat>        dump a profile when leaving <pat>\n"
      "    --separate-threads=no|yes one profile per thread [no]\n");
   cp_sim_print_usage();
}

void cp_opts_debug_usage(void)
{
   VG_(printf)("    (none)\n");
}
