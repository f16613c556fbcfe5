/* cp_sbinfo.c -- the static description of a superblock: instructions with
   their file and line, exits with their jump kind, and the function, object
   and section of the block's first instruction.  Names follow callgrind so
   that both tools' profiles compare: "dir/file" paths, "???" without debug
   info, and a symbol-less block named by its object offset. */
#include "cp_sbinfo.h"
#include "cp_ctx.h"
#include "cp_mem.h"
#include "cp_strs.h"
#include "pub_tool_debuginfo.h"
#include "pub_tool_libcassert.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_libcprint.h"
#include "pub_tool_mallocfree.h"
#include "pub_tool_wordfm.h"

static UInt n_sbs;

/* Interning hashes the whole string and looks it up: done per instruction
   and per block it cost more than 1% of a translation-heavy run.  So the
   names asked for most often are remembered by their contents. */
static const HChar* unknown_file(void)
{
   static const HChar* unknown;
   if (!unknown)
      unknown = cp_str("???");
   return unknown;
}

/* The interned copy of s, when s equals *last; else interned and
   remembered in *last. */
static const HChar* str_again(const HChar* s, const HChar** last)
{
   if (!*last || VG_(strcmp)(s, *last) != 0)
      *last = cp_str(s);
   return *last;
}

/* Consecutive instructions mostly come from one file: the last answer
   is kept (by the names' contents, as debug info can be unloaded and its
   strings reused). */
static const HChar* file_of(DiEpoch ep, Addr a, UInt* line)
{
   static const HChar *last_file, *last_dir, *last_path;
   const HChar *file, *dir;
   HChar* buf;
   SizeT n;
   if (!VG_(get_filename_linenum)(ep, a, &file, &dir, line)) {
      *line = 0;
      return unknown_file();
   }
   if (last_path && VG_(strcmp)(file, last_file) == 0
       && VG_(strcmp)(dir, last_dir) == 0)
      return last_path;
   last_file = cp_str(file);
   last_dir = cp_str(dir);
   if (!dir[0]) {
      last_path = last_file;
      return last_path;
   }
   n = VG_(strlen)(dir) + VG_(strlen)(file) + 2;
   buf = VG_(malloc)("cp.file", n);
   VG_(sprintf)(buf, "%s/%s", dir, file);
   last_path = cp_str(buf);
   VG_(free)(buf);
   return last_path;
}

/* A small number for each object (an interned name), for CP_WHERE.
   Blocks are mostly translated in runs of one object. */
static UInt obj_id(const HChar* obj)
{
   static WordFM* ids; /* interned name -> id */
   static const HChar* last;
   static UInt last_id;
   UWord id;
   if (obj == last)
      return last_id;
   if (!ids)
      ids = VG_(newFM)(VG_(malloc), "cp.objs", VG_(free), NULL);
   if (!VG_(lookupFM)(ids, NULL, &id, (UWord)obj)) {
      id = VG_(sizeFM)(ids);
      tl_assert(id < CP_OBJ_IDS);
      VG_(addToFM)(ids, (UWord)obj, id);
   }
   last = obj;
   last_id = (UInt)id;
   return last_id;
}

static void describe_fn(DiEpoch ep, CpSB* sb)
{
   static const HChar* last_obj;
   static CpFn* last_fn;
   const HChar* name;
   const HChar* obj = "???";
   HChar buf[64];
   DebugInfo* di = VG_(find_DebugInfo)(ep, sb->addr);
   PtrdiffT bias = 0;
   const HChar* file = sb->instrs[0].file; /* sb->addr's */
   if (di) {
      obj = VG_(DebugInfo_get_filename)(di);
      bias = VG_(DebugInfo_get_text_bias)(di);
   }
   sb->obj = str_again(obj, &last_obj);
   sb->obj_id = obj_id(sb->obj);
   sb->sect_kind = (UChar)VG_(DebugInfo_sect_kind)(NULL, sb->addr);
   sb->is_entry = False;
   if (!VG_(get_fnname)(ep, sb->addr, &name)) {
      Int p = VG_(sprintf)(buf, "%#016lx", (UWord)(sb->addr - bias));
      VG_(sprintf)(buf + p, "%s",
                   sb->sect_kind == Vg_SectData  ? " [Data]"
                   : sb->sect_kind == Vg_SectBSS ? " [BSS]"
                   : sb->sect_kind == Vg_SectGOT ? " [GOT]"
                   : sb->sect_kind == Vg_SectPLT ? " [PLT]"
                                                 : "");
      name = buf;
   } else if (VG_(get_fnname_if_entry)(ep, sb->addr, &name))
      sb->is_entry = True;
   /* Blocks are mostly translated in runs of one function. */
   if (!last_fn || last_fn->file != file || last_fn->obj != sb->obj
       || VG_(strcmp)(last_fn->name, name) != 0)
      last_fn =
         cp_fn_get(cp_str(name), file, sb->obj, sb->sect_kind == Vg_SectPLT);
   sb->fn = last_fn;
   sb->skip = sb->fn->skip;
   sb->pop_on_jump = sb->fn->pop_on_jump;
}

static UChar exit_kind(IRJumpKind jk, const IRExpr* dst, Addr fallthrough)
{
   if (jk == Ijk_Call)
      return CP_JK_CALL;
   if (jk == Ijk_Ret)
      return CP_JK_RET;
   if (dst && dst->tag == Iex_Const) {
      const IRConst* c = dst->Iex.Const.con;
      Addr to = c->tag == Ico_U64 ? (Addr)c->Ico.U64 : (Addr)c->Ico.U32;
      if (to == fallthrough)
         return CP_JK_NONE;
   }
   return CP_JK_JUMP;
}

CpSB* cp_sbinfo_build(const IRSB* sbIn, const UChar* groups)
{
   DiEpoch ep = VG_(current_DiEpoch)();
   CpSB* sb;
   UInt ni = 0, nx = 0, i;
   Int s;

   for (s = 0; s < sbIn->stmts_used; s++) {
      if (sbIn->stmts[s]->tag == Ist_IMark)
         ni++;
      else if (sbIn->stmts[s]->tag == Ist_Exit)
         nx++;
   }
   tl_assert(ni > 0);
   /* One piece for the block: the exits sit right behind the header (the
      block helper reads both, and one cache line then serves), then the
      instructions and their slot offsets and groups. */
   sb = cp_mem_alloc(sizeof(CpSB) + (nx + 1) * sizeof(CpExit)
                     + ni * sizeof(CpInstr)
                     + (groups ? ni * (sizeof(UInt) + 1) : 0));
   sb->exits = (CpExit*)(sb + 1);
   sb->id = ++n_sbs;
   sb->n_instrs = ni;
   sb->n_exits = nx + 1;
   sb->instrs = (CpInstr*)(sb->exits + nx + 1);

   ni = nx = 0;
   for (s = 0; s < sbIn->stmts_used; s++) {
      const IRStmt* st = sbIn->stmts[s];
      if (st->tag == Ist_IMark) {
         CpInstr* in = &sb->instrs[ni++];
         in->addr = (Addr)(st->Ist.IMark.addr + st->Ist.IMark.delta);
         in->size = (UChar)st->Ist.IMark.len;
         in->file = file_of(ep, in->addr, &in->line);
      } else if (st->tag == Ist_Exit && ni > 0) {
         const CpInstr* in = &sb->instrs[ni - 1];
         IRExpr dst;
         dst.tag = Iex_Const;
         dst.Iex.Const.con = st->Ist.Exit.dst;
         sb->exits[nx].instr = ni - 1;
         sb->exits[nx].jk =
            exit_kind(st->Ist.Exit.jk, &dst, in->addr + in->size);
         nx++;
      }
   }
   sb->exits[nx].instr = ni - 1;
   sb->exits[nx].jk =
      exit_kind(sbIn->jumpkind, sbIn->next,
                sb->instrs[ni - 1].addr + sb->instrs[ni - 1].size);
   tl_assert(ni < 0x10000 && nx < 0x10000);
   for (i = 0; i <= nx; i++) {
      const CpInstr* in = &sb->instrs[sb->exits[i].instr];
      sb->exits[i].ret =
         sb->exits[i].jk == CP_JK_CALL ? in->addr + in->size : 0;
   }
   sb->addr = sb->instrs[0].addr;
   describe_fn(ep, sb);

   sb->sim_len = 0;
   sb->sim_off = NULL;
   sb->sim_groups = NULL;
   sb->data_n = NULL; /* cp_simir fills it in */
   if (groups) {
      sb->sim_off = (UInt*)(sb->instrs + ni);
      sb->sim_groups = (UChar*)(sb->sim_off + ni);
      for (i = 0; i < ni; i++) {
         UInt g;
         sb->sim_groups[i] = groups[i];
         if (!groups[i]) {
            sb->sim_off[i] = CP_NO_SLOT;
            continue;
         }
         sb->sim_off[i] = sb->sim_len;
         for (g = CP_G_FETCH; g <= CP_G_BRANCH; g <<= 1)
            if (groups[i] & g)
               sb->sim_len += cp_group_size(g, groups[i]);
      }
   }
   return sb;
}
