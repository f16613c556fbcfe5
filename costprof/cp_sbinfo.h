/* cp_sbinfo.h -- builds the static description of a superblock (CpSB) from
   its IR and the debug information, naming functions as callgrind does. */
#ifndef CP_SBINFO_H
#define CP_SBINFO_H

#include "pub_tool_basics.h"
#include "pub_tool_tooliface.h"
#include "cp_sb.h"

/* sim_per_instr: cost slots an instruction needs for simulated events;
   wants[i] says whether instruction i has any (NULL: all have). */
CpSB* cp_sbinfo_build(const IRSB* sbIn, UInt sim_per_instr, const Bool* wants);

#endif
