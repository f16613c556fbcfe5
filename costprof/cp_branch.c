/* cp_branch.c -- the branch predictor's state (the model itself is inline
   in cp_branch.h, on the hot path). */
#include "cp_branch.h"
#ifndef CP_SIM_HOST
#include "pub_tool_libcbase.h"
#endif

CpBranch cp_branch;

void cp_branch_init(void)
{
   /* cachegrind's tables are zeroed statics and never reset; this is the
      same start */
   VG_(memset)(&cp_branch, 0, sizeof(cp_branch));
}
