/* cp_strs.h -- interned strings: one stable copy of each object, file and
   function name, so that the rest of the tool compares names by pointer. */
#ifndef CP_STRS_H
#define CP_STRS_H

#include "pub_tool_basics.h"

void cp_strs_init(void);
/* Returns the unique, never-freed copy of s. */
const HChar* cp_str(const HChar* s);

#endif
