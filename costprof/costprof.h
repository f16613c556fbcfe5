/* costprof.h -- client requests for programs profiled with costprof.

   Include it and mark the part of a run you care about:

      COSTPROF_ZERO_STATS;             forget every cost so far
      COSTPROF_TOGGLE_COLLECT;         turn cost collection off / on
      COSTPROF_DUMP_STATS;             write a profile now (costs restart at 0)
      COSTPROF_DUMP_STATS_AT("label"); the same, with a label in "desc:
   Trigger:" COSTPROF_START_INSTRUMENTATION;  with --instr-atstart=no
      COSTPROF_STOP_INSTRUMENTATION;

   Outside Valgrind (or under another tool) each request does nothing and
   costs a few instructions, so a program built with it runs unchanged.
   This header uses only valgrind.h, as callgrind.h does. */
#ifndef COSTPROF_H
#define COSTPROF_H

#include "valgrind.h"

typedef enum {
   VG_USERREQ__COSTPROF_DUMP_STATS = VG_USERREQ_TOOL_BASE('C', 'P'),
   VG_USERREQ__COSTPROF_ZERO_STATS,
   VG_USERREQ__COSTPROF_TOGGLE_COLLECT,
   VG_USERREQ__COSTPROF_DUMP_STATS_AT,
   VG_USERREQ__COSTPROF_START_INSTRUMENTATION,
   VG_USERREQ__COSTPROF_STOP_INSTRUMENTATION
} Vg_CostprofClientRequest;

#define COSTPROF_DUMP_STATS                                                    \
   VALGRIND_DO_CLIENT_REQUEST_STMT(VG_USERREQ__COSTPROF_DUMP_STATS, 0, 0, 0,   \
                                   0, 0)

#define COSTPROF_DUMP_STATS_AT(label)                                          \
   VALGRIND_DO_CLIENT_REQUEST_STMT(VG_USERREQ__COSTPROF_DUMP_STATS_AT,         \
                                   (label), 0, 0, 0, 0)

#define COSTPROF_ZERO_STATS                                                    \
   VALGRIND_DO_CLIENT_REQUEST_STMT(VG_USERREQ__COSTPROF_ZERO_STATS, 0, 0, 0,   \
                                   0, 0)

#define COSTPROF_TOGGLE_COLLECT                                                \
   VALGRIND_DO_CLIENT_REQUEST_STMT(VG_USERREQ__COSTPROF_TOGGLE_COLLECT, 0, 0,  \
                                   0, 0, 0)

#define COSTPROF_START_INSTRUMENTATION                                         \
   VALGRIND_DO_CLIENT_REQUEST_STMT(VG_USERREQ__COSTPROF_START_INSTRUMENTATION, \
                                   0, 0, 0, 0, 0)

#define COSTPROF_STOP_INSTRUMENTATION                                          \
   VALGRIND_DO_CLIENT_REQUEST_STMT(VG_USERREQ__COSTPROF_STOP_INSTRUMENTATION,  \
                                   0, 0, 0, 0, 0)

#endif
