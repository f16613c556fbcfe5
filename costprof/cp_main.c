/* cp_main.c -- costprof's registration with the Valgrind core: details,
   options, event tracking and the start and end of the run. */
#include "cp_alloc.h"
#include "cp_branch.h"
#include "cp_control.h"
#include "cp_cost.h"
#include "cp_ctx.h"
#include "cp_dump.h"
#include "cp_events.h"
#include "cp_instr.h"
#include "cp_opts.h"
#include "cp_sim.h"
#include "cp_strs.h"
#include "cp_track.h"
#include "pub_tool_basics.h"
#include "pub_tool_libcassert.h"
#include "pub_tool_libcprint.h"
#include "pub_tool_libcproc.h"
#include "pub_tool_mallocfree.h"
#include "pub_tool_options.h"
#include "pub_tool_tooliface.h"

/* The child of a fork writes its own profile, of its own work only. */
static void cp_fork_child(ThreadId tid)
{
   cp_dump_forget_filename();
   cp_track_forget_costs();
   cp_cost_zero();
}

static void cp_post_clo_init(void)
{
   /* Blocks must not chase across branches: each superblock then has one
      entry, and call tracking sees every transfer, as in callgrind. */
   VG_(clo_vex_control).iropt_unroll_thresh = 0;
   VG_(clo_vex_control).guest_chase = False;

   cp_events_init(cp_clo.cache_sim, cp_clo.branch_sim, cp_clo.alloc);
   if (cp_clo.cache_sim)
      cp_sim_post_clo_init();
   if (cp_clo.branch_sim)
      cp_branch_init();
   cp_strs_init();
   cp_ctx_init();
   cp_cost_init();
   cp_track_init();
   if (cp_clo.alloc)
      cp_alloc_init();
   cp_control_init();
   cp_dump_check_output();
   VG_(atfork)(NULL, NULL, cp_fork_child);
}

static void cp_fini(Int exitcode)
{
   UInt t0 = VG_(read_millisecond_timer)();
   cp_control_final_dump();
   if (VG_(clo_verbosity) > 1) {
      UInt recs, edges;
      SizeT bytes;
      cp_cost_stats(&recs, &edges, &bytes);
      VG_(dmsg)("costprof: %u contexts, %u records, %u call edges (%lu MB),"
                " written in %u ms\n",
                cp_ctx_count(), recs, edges, bytes >> 20,
                VG_(read_millisecond_timer)() - t0);
   }
}

static Bool cp_client_request(ThreadId tid, UWord* args, UWord* ret)
{
   if (cp_control_client_request(tid, args, ret))
      return True;
   if (cp_clo.alloc && cp_alloc_client_request(tid, args, ret))
      return True;
   return False;
}

static void cp_thread_create(ThreadId parent, ThreadId child)
{
   cp_track_thread_start(child);
}

static void cp_pre_clo_init(void)
{
   VG_(details_name)("costprof");
   VG_(details_version)(PACKAGE_VERSION);
   VG_(details_description)("a full-call-path cost profiler");
   VG_(details_copyright_author)(
      "Copyright (C) 2026, the costprof authors; GNU GPL'd.");
   VG_(details_bug_reports_to)("the costprof issue tracker");
   VG_(details_avg_translation_sizeB)(500);
   /* Only SP need be exact at a memory access (a fault's signal frame is
      matched by it); nothing here takes stack traces inside a block.
      The cheaper default, as callgrind and cachegrind have; the user may
      still override it. */
   VG_(clo_vex_control).iropt_register_updates_default =
      VG_(clo_px_file_backed) = VexRegUpdSpAtMemAccess;

   VG_(basic_tool_funcs)(cp_post_clo_init, cp_instrument, cp_fini);
   VG_(needs_command_line_options)(cp_opts_process, cp_opts_usage,
                                   cp_opts_debug_usage);
   VG_(needs_client_requests)(cp_client_request);
   VG_(track_pre_deliver_signal)(cp_track_pre_signal);
   VG_(track_post_deliver_signal)(cp_track_post_signal);
   VG_(track_pre_thread_ll_create)(cp_thread_create);
   VG_(track_start_client_code)(cp_track_start_client);
   cp_opts_defaults();
}

VG_DETERMINE_INTERFACE_VERSION(cp_pre_clo_init)
