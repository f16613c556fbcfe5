/* cp_control.c -- regions and control.  Dumps are numbered
   (costprof.out.<pid>.<n>, the last at exit) once the program asked for
   one; each holds the costs since the previous dump.  --separate-threads
   writes one file per thread (...-<tid>), as callgrind does. */
#include "cp_control.h"
#include "costprof.h"
#include "cp_alloc.h"
#include "cp_cost.h"
#include "cp_dump.h"
#include "cp_opts.h"
#include "cp_track.h"
#include "pub_tool_gdbserver.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_libcprint.h"
#include "pub_tool_libcproc.h"
#include "pub_tool_mallocfree.h"
#include "pub_tool_options.h"
#include "pub_tool_seqmatch.h"
#include "pub_tool_transtab.h"
#include "pub_tool_xarray.h"

Bool cp_instr_on = True;
Bool cp_collect_on = True;
Bool cp_have_toggles = False;

static Int n_dumps;

static Bool matches(const XArray* pats, const HChar* name)
{
   Word i;
   if (!pats)
      return False;
   for (i = 0; i < VG_(sizeXA)(pats); i++)
      if (VG_(string_match)(*(const HChar**)VG_(indexXA)(pats, i), name))
         return True;
   return False;
}

void cp_control_classify(CpFn* fn)
{
   fn->toggle = matches(cp_clo.toggle_collect, fn->name);
   fn->dump_before = matches(cp_clo.dump_before, fn->name);
   fn->dump_after = matches(cp_clo.dump_after, fn->name);
}

void cp_control_init(void)
{
   cp_instr_on = cp_clo.instr_atstart;
   cp_collect_on = cp_clo.collect_atstart;
   cp_have_toggles =
      cp_clo.toggle_collect && VG_(sizeXA)(cp_clo.toggle_collect) > 0;
   cp_track_refresh_collect();
}

/* base, base.N, base-TT or base.N-TT */
static void write_all(const HChar* trigger, Int seq)
{
   const HChar* base = cp_dump_filename();
   HChar* name = VG_(malloc)("cp.ctl.name", VG_(strlen)(base) + 40);
   Int tid;
   if (seq > 0)
      VG_(sprintf)(name, "%s.%d", base, seq);
   else
      VG_(strcpy)(name, base);
   if (!cp_clo.separate_threads) {
      if (cp_dump_write(name, trigger, 0) && VG_(clo_verbosity) > 0)
         VG_(umsg)("costprof: profile written to %s\n", name);
   } else {
      SizeT len = VG_(strlen)(name);
      for (tid = 1; tid < (Int)VG_N_THREADS; tid++) {
         if (!cp_ctx_thread_seen(tid))
            continue;
         VG_(sprintf)(name + len, "-%02d", tid);
         if (cp_dump_write(name, trigger, tid) && VG_(clo_verbosity) > 0)
            VG_(umsg)("costprof: profile written to %s\n", name);
         name[len] = 0;
      }
   }
   VG_(free)(name);
}

void cp_control_dump(const HChar* trigger)
{
   cp_track_close_inclusive();
   if (cp_clo.alloc)
      cp_alloc_settle();
   write_all(trigger, ++n_dumps);
   cp_cost_zero();
   cp_alloc_zero();
}

void cp_control_final_dump(void)
{
   cp_track_unwind_all();
   if (cp_clo.alloc)
      cp_alloc_settle();
   write_all("Program termination", n_dumps > 0 ? n_dumps + 1 : 0);
}

void cp_control_zero(void)
{
   cp_track_close_inclusive();
   cp_cost_zero();
   cp_alloc_zero();
}

void cp_control_set_instr(const HChar* reason, Bool on)
{
   if (cp_instr_on == on)
      return;
   cp_instr_on = on;
   /* Retranslate everything with (or without) the instrumentation, and
      forget the call stacks: they were not tracked while it was off. */
   VG_(discard_translations_safely)((Addr)0x1000, ~(SizeT)0xfff, "costprof");
   cp_track_reset_all();
   if (VG_(clo_verbosity) > 1)
      VG_(dmsg)("costprof: %s: instrumentation %s\n", reason,
                on ? "on" : "off");
}

static void set_collect(Bool on)
{
   cp_collect_on = on;
   cp_track_refresh_collect();
}

static Bool monitor(const HChar* cmd)
{
   HChar* copy = VG_(strdup)("cp.ctl.mon", cmd);
   HChar* save = NULL;
   const HChar* word = VG_(strtok_r)(copy, " ", &save);
   const HChar* arg = word ? VG_(strtok_r)(NULL, " ", &save) : NULL;
   Bool ok = True;
   if (!word)
      ok = False;
   else if (!VG_(strcmp)(word, "help"))
      VG_(gdb_printf)(
         "costprof monitor commands:\n"
         "  dump [<label>]            write a profile now\n"
         "  zero                      forget every cost so far\n"
         "  status                    instrumentation, collection, dumps\n"
         "  instrumentation [on|off]  show or switch instrumentation\n");
   else if (!VG_(strcmp)(word, "dump")) {
      HChar trig[200];
      VG_(snprintf)(trig, sizeof(trig), "Monitor dump%s%s", arg ? " " : "",
                    arg ? arg : "");
      cp_control_dump(trig);
   } else if (!VG_(strcmp)(word, "zero"))
      cp_control_zero();
   else if (!VG_(strcmp)(word, "status"))
      VG_(gdb_printf)("instrumentation: %s\ncollection: %s\ndumps: %d\n"
                      "contexts: %u\n",
                      cp_instr_on ? "on" : "off", cp_collect_on ? "on" : "off",
                      n_dumps, cp_ctx_count());
   else if (!VG_(strcmp)(word, "instrumentation")) {
      if (!arg)
         VG_(gdb_printf)("instrumentation: %s\n", cp_instr_on ? "on" : "off");
      else if (!VG_(strcmp)(arg, "on") || !VG_(strcmp)(arg, "off"))
         cp_control_set_instr("monitor command", !VG_(strcmp)(arg, "on"));
      else {
         VG_(gdb_printf)("costprof: instrumentation takes on or off\n");
      }
   } else
      ok = False;
   VG_(free)(copy);
   return ok;
}

Bool cp_control_client_request(ThreadId tid, UWord* args, UWord* ret)
{
   HChar trig[256];
   switch (args[0]) {
   case VG_USERREQ__COSTPROF_DUMP_STATS:
      cp_control_dump("Client Request");
      break;
   case VG_USERREQ__COSTPROF_DUMP_STATS_AT:
      VG_(snprintf)(trig, sizeof(trig), "Client Request: %s",
                    args[1] ? (const HChar*)args[1] : "");
      cp_control_dump(trig);
      break;
   case VG_USERREQ__COSTPROF_ZERO_STATS:
      cp_control_zero();
      break;
   case VG_USERREQ__COSTPROF_TOGGLE_COLLECT:
      set_collect(!cp_collect_on);
      break;
   case VG_USERREQ__COSTPROF_START_INSTRUMENTATION:
      cp_control_set_instr("client request", True);
      break;
   case VG_USERREQ__COSTPROF_STOP_INSTRUMENTATION:
      cp_control_set_instr("client request", False);
      break;
   case VG_USERREQ__GDB_MONITOR_COMMAND:
      if (!monitor((const HChar*)args[1]))
         return False;
      break;
   default:
      return False;
   }
   *ret = 0;
   return True;
}
