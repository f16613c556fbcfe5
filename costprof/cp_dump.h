/* cp_dump.h -- writes the profile in callgrind format. */
#ifndef CP_DUMP_H
#define CP_DUMP_H

#include "pub_tool_basics.h"

/* Expands the file name template and checks at start-up that the file can
   be written, so that a long run never loses its profile at the end. */
void cp_dump_check_output(void);
/* Writes every cost to the profile; trigger says why ("Program termination").
   Returns False (after a one-line message) when the file cannot be written. */
/* tid: with --separate-threads, only that thread's contexts (0: all). */
Bool cp_dump_write(const HChar* file, const HChar* trigger, ThreadId tid);
/* After fork: the child expands the file name again (its own pid). */
void cp_dump_forget_filename(void);
/* The expanded output file name for this process. */
const HChar* cp_dump_filename(void);

#endif
