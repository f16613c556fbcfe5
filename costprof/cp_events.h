/* cp_events.h -- the event set of a run: which cost columns exist, in the
   order the profile writes them, and how wide a cost vector is. */
#ifndef CP_EVENTS_H
#define CP_EVENTS_H

#include "pub_tool_basics.h"

/* Column indices; -1 when the event family is off.  Ir is always column 0. */
typedef struct {
   Int n; /* number of columns in every cost vector */
   Int ir;
   Int cache;  /* first of the 8 cache columns, or -1 */
   Int branch; /* first of the 4 branch columns, or -1 */
   Int alloc;  /* first of the allocation columns, or -1 */
   Int nsim;   /* simulated columns (cache, branch): 1..nsim */
   Int ntot;   /* leading columns kept as running thread totals
                  (the end-of-run allocation columns are not) */
} CpEvents;

extern CpEvents cp_ev;

void cp_events_init(Bool cache, Bool branch, Bool alloc);
/* Name and one-line description of column i. */
const HChar* cp_event_name(Int i);
const HChar* cp_event_desc(Int i);

#endif
