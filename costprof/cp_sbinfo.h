/* cp_sbinfo.h -- builds the static description of a superblock (CpSB) from
   its IR and the debug information, naming functions as callgrind does. */
#ifndef CP_SBINFO_H
#define CP_SBINFO_H

#include "cp_sb.h"
#include "pub_tool_basics.h"
#include "pub_tool_tooliface.h"

/* groups[i]: the slot groups (CP_G_*) instruction i needs for simulated
   events (NULL: no simulation). */
CpSB* cp_sbinfo_build(const IRSB* sbIn, const UChar* groups);

#endif
