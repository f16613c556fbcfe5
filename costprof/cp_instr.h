/* cp_instr.h -- the VEX IR instrumentation pass. */
#ifndef CP_INSTR_H
#define CP_INSTR_H

#include "pub_tool_basics.h"
#include "pub_tool_tooliface.h"

IRSB* cp_instrument(VgCallbackClosure* closure, IRSB* sbIn,
                    const VexGuestLayout* layout, const VexGuestExtents* vge,
                    const VexArchInfo* archinfo_host, IRType gWordTy,
                    IRType hWordTy);

#endif
