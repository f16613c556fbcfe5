/* cp_control.h -- regions and control: what is instrumented and collected,
   when profiles are dumped, and the requests that change it (client
   requests from costprof.h, vgdb monitor commands, function patterns). */
#ifndef CP_CONTROL_H
#define CP_CONTROL_H

#include "cp_ctx.h"
#include "pub_tool_basics.h"

extern Bool cp_instr_on;     /* blocks are instrumented */
extern Bool cp_collect_on;   /* global collection switch */
extern Bool cp_have_toggles; /* some --toggle-collect pattern was given */

/* Sets fn's toggle / dump flags from the command-line patterns. */
void cp_control_classify(CpFn* fn);
/* Writes a profile now (trigger names why) and restarts costs from 0. */
void cp_control_dump(const HChar* trigger);
/* The profile at the end of the run. */
void cp_control_final_dump(void);
void cp_control_zero(void);
void cp_control_set_instr(const HChar* reason, Bool on);
Bool cp_control_client_request(ThreadId tid, UWord* args, UWord* ret);
void cp_control_init(void);

#endif
