/* cp_opts.h -- costprof's command-line options and their values. */
#ifndef CP_OPTS_H
#define CP_OPTS_H

#include "pub_tool_basics.h"

typedef struct {
   const HChar* out_file; /* template, with %p and %q{VAR} */
   Bool paths;            /* one context per call path (else per function) */
   Int max_path_depth;    /* frames kept in a path; deeper calls fold */
   Bool dump_instr;       /* positions: instr line */
   Bool cache_sim;
   Bool branch_sim;
   Bool alloc;
   Bool instr_atstart;
   Bool collect_atstart;
   Bool separate_threads;
   struct _XArray* toggle_collect; /* HChar* glob patterns, or NULL */
   struct _XArray* dump_before;
   struct _XArray* dump_after;
} CpOpts;

extern CpOpts cp_clo;

void cp_opts_defaults(void);
Bool cp_opts_process(const HChar* arg);
void cp_opts_usage(void);
void cp_opts_debug_usage(void);

#endif
