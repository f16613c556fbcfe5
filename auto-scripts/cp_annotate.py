"""cp_annotate: the report of costprof_annotate, a text (or JSON) report
of a costprof or callgrind profile in the style of cg_annotate (issue 6).

This module owns the command line and the report: header, functions by
self and by inclusive cost, the call-path tree, callers/callees of the
heavy functions and annotated source files.  Parsing lives in
cp_profile.py.  Every failure is one line on stderr and exit status 1,
never a traceback.  The costprof_annotate script only finds this module
and calls main(): as a module its bytecode is cached (and installed
compiled), where a script's is compiled again on every run.
"""
import argparse
import gc
import os
import re
import sys
from itertools import repeat
from operator import add, itemgetter

import cp_profile

PROG = "costprof_annotate"
VERSION = "0.1"

# cg_annotate's cycle estimate; terms whose events the profile lacks are
# dropped, so it also works for partial cache simulations.
CEST = "CEst = Ir + 10*I1mr + 100*ILmr + 10*D1mr + 100*DLmr + 10*D1mw + 100*DLmw"
CACHE_EVENTS = ("I1mr", "ILmr", "D1mr", "DLmr", "D1mw", "DLmw")


class Fail(Exception):
    """A one-line user-facing error; main() prints it and exits 1."""


# --- command line -----------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of printing usage and exiting 2."""

    def error(self, message):
        raise Fail(message)


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout, with the terminal width found without
    shutil: argparse makes a formatter for every add_argument(), and
    importing shutil (with zlib, bz2, lzma) took longer than parsing the
    options."""

    def __init__(self, prog, indent_increment=2, max_help_position=24,
                 width=None):
        if width is None:
            width = _columns() - 2
        argparse.HelpFormatter.__init__(self, prog, indent_increment,
                                        max_help_position, width)


def _columns():
    """shutil.get_terminal_size().columns: $COLUMNS, else the terminal's
    width, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
        columns = columns or 80
    return columns


def _yes_no(opt):
    def conv(text):
        t = text.lower()
        if t in ("yes", "y", "true", "1", "on"):
            return True
        if t in ("no", "n", "false", "0", "off"):
            return False
        raise Fail("%s: expected yes or no, got '%s'" % (opt, text))
    return conv


def _threshold(text):
    try:
        v = float(text.rstrip("%"))
    except ValueError:
        raise Fail("--threshold: '%s' is not a number" % text)
    if not 0 <= v <= 100:
        raise Fail("--threshold: %s is not between 0 and 100" % text)
    return v


def _context(text):
    if not text.isdigit():
        raise Fail("--context: '%s' is not a whole number" % text)
    return int(text)


def _mod(opt):
    def conv(text):
        try:
            return cp_profile.parse_mod_option(text)
        except ValueError as e:
            raise Fail("%s: %s" % (opt, e))
    return conv


SECTIONS = (
    ("header", "the header: command, events, descriptions, totals"),
    ("self", "functions sorted by self cost"),
    ("inclusive", "functions sorted by inclusive cost"),
    ("tree", "the call-path tree, top down (path profiles only)"),
    ("callers", "callers and callees of each heavy function"),
    ("annotate", "source files annotated line by line"),
)


def parse_args(argv):
    p = _Parser(
        prog=PROG,
        description="Report on a costprof (or callgrind / cachegrind) "
        "profile.  Sections are all on by default; turn one off with "
        "--SECTION=no.",
        epilog="Errors are one line on stderr, exit status 1.  "
        "See docs/annotate.md.", formatter_class=_Formatter)
    p.add_argument("profile", metavar="PROFILE",
                   help="costprof.out.PID, callgrind.out.PID, ...")
    p.add_argument("--version", action="version",
                   version="%s-%s" % (PROG, VERSION))
    for name, what in SECTIONS:
        p.add_argument("--" + name, type=_yes_no("--" + name),
                       default=True, metavar="yes|no",
                       help="show %s (default yes)" % what)
    p.add_argument("--show", metavar="EV,...",
                   help="events (or derived events) to show, in order "
                   "(default: all, plus CEst when cache events exist)")
    p.add_argument("--sort", metavar="EV[,EV...]",
                   help="event to sort by; later ones break ties "
                   "(default: the first shown)")
    p.add_argument("--threshold", type=_threshold, default=0.1,
                   metavar="PCT",
                   help="hide entries below PCT%% of the total of the sort "
                   "event (default 0.1)")
    p.add_argument("--paths", type=_yes_no("--paths"), default=True,
                   metavar="yes|no",
                   help="no: merge calling contexts into functions and "
                   "leave out the call-path tree (default yes)")
    p.add_argument("--derive", action="append", default=[],
                   metavar="'NAME = EXPR'",
                   help="add an event computed from others, e.g. "
                   "'CEst = Ir + 10*I1mr' (repeatable)")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="text report (default) or JSON")
    p.add_argument("--context", type=_context, default=8, metavar="N",
                   help="source lines shown around each hot line "
                   "(default 8)")
    p.add_argument("--include", "-I", action="append", default=[],
                   metavar="DIR",
                   help="folder to look for source files in (repeatable)")
    p.add_argument("--percent", type=_yes_no("--percent"), default=True,
                   metavar="yes|no",
                   help="show percentages beside counts (default yes)")
    p.add_argument("--mod-filename", action="append", type=_mod(
        "--mod-filename"), metavar="REGEX/REPL",
        help="rewrite file and object names while reading (repeatable); "
        "s/REGEX/REPL/[gi] also accepted")
    p.add_argument("--mod-funcname", action="append", type=_mod(
        "--mod-funcname"), metavar="REGEX/REPL",
        help="rewrite function names while reading (repeatable)")
    return p.parse_args(argv)


# --- events and derived events ----------------------------------------------

_TERM = re.compile(r"\s*([+-])?\s*(?:(\d+(?:\.\d*)?|\.\d+)\s*\*?\s*)?"
                   r"([A-Za-z_][A-Za-z0-9_]*)\s*")


def parse_formula(text, events, what, lenient=False):
    """'NAME = A + 10*B - C' -> (NAME, [(index, coef)]).  lenient: drop
    terms naming events the profile lacks (for the built-in CEst)."""
    name, eq, expr = text.partition("=")
    name = name.strip()
    if not eq or not re.match(r"[A-Za-z_][A-Za-z0-9_]*$", name):
        raise Fail("%s: '%s' is not NAME = EXPRESSION" % (what, text))
    terms, pos = [], 0
    expr = expr.strip()
    if not expr:
        raise Fail("%s: '%s' has an empty expression" % (what, text))
    while pos < len(expr):
        m = _TERM.match(expr, pos)
        if not m or m.end() == pos or (terms and not m.group(1)):
            raise Fail("%s: cannot read '%s' at '%s'"
                       % (what, text, expr[pos:]))
        sign = -1 if m.group(1) == "-" else 1
        coef = m.group(2)
        coef = (float(coef) if "." in coef else int(coef)) if coef else 1
        ev = m.group(3)
        if ev in events:
            terms.append((events.index(ev), sign * coef))
        elif not lenient:
            raise Fail("%s: event '%s' is not in the profile (events: %s)"
                       % (what, ev, " ".join(events)))
        pos = m.end()
    return name, terms


class Columns(object):
    """The events shown: each a linear combination of recorded events.
    proj(vector of recorded costs) -> vector of shown costs."""

    def __init__(self, prof, args):
        events = prof.events
        avail = [(e, [(i, 1)]) for i, e in enumerate(events)]
        names = list(events)
        derived = []
        for name, formula in prof.event_formulas.items():
            if name not in names:
                try:
                    derived.append(parse_formula(name + "=" + formula,
                                                 events, "event:"))
                except Fail:
                    pass        # a formula we cannot read is just left out
        if any(e in events for e in CACHE_EVENTS) and "Ir" in events \
                and "CEst" not in names:
            derived.append(parse_formula(CEST, events, "CEst", True))
        for text in args.derive:
            d = parse_formula(text, events, "--derive")
            derived = [x for x in derived if x[0] != d[0]]
            derived.append(d)
        for name, terms in derived:
            if name in events:
                raise Fail("--derive: '%s' is already a recorded event"
                           % name)
            avail.append((name, terms))
            names.append(name)
        table = dict(avail)
        if args.show:
            show = [s.strip() for s in args.show.split(",") if s.strip()]
            if not show:
                raise Fail("--show: no events given")
        else:
            show = names
        for s in show:
            if s not in table:
                raise Fail("--show: event '%s' is not in %s (events: %s)"
                           % (s, prof.path, " ".join(names)))
        if args.sort:
            sort = [s.strip() for s in args.sort.split(",") if s.strip()]
            if not sort:
                raise Fail("--sort: no event given")
            for s in sort:
                if s not in table:
                    raise Fail("--sort: event '%s' is not in %s (events: %s)"
                               % (s, prof.path, " ".join(names)))
        else:
            sort = [show[0]]
        self.names = show
        self.terms = [table[s] for s in show]
        self.sort_names = sort
        self.sort_terms = [table[s] for s in sort]
        self.simple = all(len(t) == 1 and t[0][1] == 1 for t in self.terms)
        self.index = [t[0][0] for t in self.terms] if self.simple else None
        # sort events that are recorded ones (the usual case): plain
        # indexing instead of _combine, as these run per function and node
        self.sort_index = [t[0][0] for t in self.sort_terms] if all(
            len(t) == 1 and t[0][1] == 1 for t in self.sort_terms) else None
        # All recorded events shown in their order (the usual case): a
        # projection is a copy.
        if self.simple and self.index == list(range(len(events))):
            self.proj = list

    def proj(self, vec):
        if self.simple:
            return [vec[i] for i in self.index]
        return [_combine(t, vec) for t in self.terms]

    def sort_vals(self, vec):
        if self.sort_index is not None:
            return [vec[i] for i in self.sort_index]
        return [_combine(t, vec) for t in self.sort_terms]

    def sort_first(self, vec):
        """The first sort event's value of VEC."""
        if self.sort_index is not None:
            return vec[self.sort_index[0]]
        return _combine(self.sort_terms[0], vec)


def _combine(terms, vec):
    v = 0
    for i, c in terms:
        v += c * vec[i]
    return v


_first = itemgetter(0)


def vsum(vecs, n):
    """Element-wise sum of the cost vectors VECS (each of length N); one
    zip over all of them is much cheaper than adding them pairwise.  May
    return VECS[0] itself: the report never changes a cost vector."""
    if len(vecs) < 2:
        return vecs[0] if vecs else [0] * n
    if n == 1:      # zip(*vecs) would make an iterator per vector
        return [sum(map(_first, vecs))]
    return list(map(sum, zip(*vecs)))


# --- number formatting --------------------------------------------------------


def fmt_num(v):
    if isinstance(v, float):
        v = int(round(v))
    return format(v, ",")


def fmt_pct(v, total):
    if not total:
        return ""
    return "(%.1f%%)" % (100.0 * v / total)


class Table(object):
    """Cost columns, right-aligned, with percentages of the totals."""

    def __init__(self, cols, totals, percent, blank_zero=False):
        self.cols, self.totals, self.percent = cols, totals, percent
        self.blank_zero = blank_zero
        self.rows = []

    def add(self, costs, label):
        self.rows.append((costs, label))

    def render(self, out, heading=True):
        """Append the rows to OUT; a row whose costs are None is a plain
        line (a separator) printed as it is.  Works column by column
        (thousands of rows in the callers section)."""
        data = [c for c, _ in self.rows if c is not None]
        cols, widths = [], []
        for i, name in enumerate(self.cols):
            vals = [r[i] for r in data]
            if float in set(map(type, vals)):     # derived events
                nums = list(map(fmt_num, vals))
            else:
                nums = list(map(format, vals, repeat(",")))
            t = self.totals[i]
            pcts = ["(%.1f%%)" % (100.0 * v / t) for v in vals] \
                if self.percent and t else None
            if self.blank_zero:
                for j, v in enumerate(vals):
                    if not v:
                        nums[j] = "."
                        if pcts:
                            pcts[j] = ""
            nw = max(len(name), max(map(len, nums), default=0))
            pw = max(map(len, pcts), default=0) if pcts else 0
            if pw:
                cols.append([a.rjust(nw) + " " + b.rjust(pw)
                             for a, b in zip(nums, pcts)])
                widths.append(nw + pw + 1)
            else:
                cols.append([a.rjust(nw) for a in nums])
                widths.append(nw)
        if heading:
            out.append("  ".join(name.ljust(w, "_")
                                 for name, w in zip(self.cols, widths)))
        it = iter(cols[0] if len(cols) == 1 else map("  ".join, zip(*cols)))
        for costs, label in self.rows:
            if costs is None:
                out.append(label)
            elif label:
                out.append((next(it) + "  " + label).rstrip())
            else:
                out.append(next(it).rstrip())
        return widths


def banner(out, text):
    out.append("-" * 80)
    out.append("-- " + text)
    out.append("-" * 80)


# --- the report model -----------------------------------------------------------


def short_file(path, cwd):
    """File names relative to the current folder CWD (ending with a
    separator) when below it."""
    if not path:
        return "???"
    if path.startswith(cwd):
        return path[len(cwd):]
    return path


def func_label(fs, file, cwd):
    where = short_file(file, cwd) if file and file != "???" else \
        os.path.basename(fs.obj or "") or "???"
    return "%s  [%s]" % (fs.func, where)


class Report(object):
    """Everything the sections need, computed once."""

    def __init__(self, prof, args):
        self.prof, self.args = prof, args
        self.cols = Columns(prof, args)
        self.totals = self.cols.proj(prof.totals)
        st = self.cols.sort_vals(prof.totals)
        self.sort_total = st[0]
        self.limit = abs(st[0]) * args.threshold / 100.0
        self.funcs = prof.functions()
        self.ffile = {}
        for k, fs in self.funcs.items():
            self.ffile[k] = fs.contexts[0].file if fs.contexts else None
        self.paths = args.paths and prof.has_paths
        self.sorted = {}
        self.cwd = os.getcwd() + os.sep      # for the function labels
        si = self.cols.sort_index
        if si is not None and len(si) == 1:
            # one recorded sort event (the usual case): the same order and
            # test without the general code, as these run per function,
            # tree node, edge and file
            i, limit = si[0], self.limit
            self.key = lambda vec: -abs(vec[i])
            self.passes = lambda vec: abs(vec[i]) >= limit and any(vec)

    def key(self, vec):
        """Sort key: biggest first by the sort events."""
        return [-abs(x) for x in self.cols.sort_vals(vec)]

    def passes(self, vec):
        return abs(self.cols.sort_first(vec)) >= self.limit and any(vec)

    def table(self, blank_zero=False):
        return Table(self.cols.names, self.totals, self.args.percent,
                     blank_zero)


# --- sections -----------------------------------------------------------------


def section_header(rep, out):
    prof, args = rep.prof, rep.args
    banner(out, "Metadata")
    rows = [("Profile:", prof.path)]
    if prof.cmd is not None:
        rows.append(("Command:", prof.cmd))
    if prof.creator:
        rows.append(("Creator:", prof.creator))
    if prof.pid is not None:
        rows.append(("Pid:", prof.pid))
    rows.append(("Events recorded:", " ".join(prof.events)))
    rows.append(("Events shown:", " ".join(rep.cols.names)))
    rows.append(("Event sort order:", " ".join(rep.cols.sort_names)))
    rows.append(("Threshold:", "%g%%" % args.threshold))
    if rep.prof.has_paths:
        rows.append(("Call paths:", "yes" if args.paths else
                     "yes, merged into functions (--paths=no)"))
    else:
        rows.append(("Call paths:", "no (plain function profile)"))
    for d in prof.descs:
        k, sep, v = d.partition(":")
        rows.append(((k.strip() + ":") if sep else "Description:",
                     v.strip() if sep else d))
    w = max(len(k) for k, _ in rows)
    for k, v in rows:
        out.append("%s %s" % (k.ljust(w), v))
    for name in prof.events:
        if name in prof.event_descs:
            out.append("%s %s = %s" % ("Event:".ljust(w), name,
                                       prof.event_descs[name]))
    out.append("")
    banner(out, "Summary")
    t = rep.table()
    t.add(rep.totals, "PROGRAM TOTALS")
    if prof.summary is not None and prof.summary != prof.totals:
        # callgrind's summary: counts a few costs it never wrote to a line
        t.add(rep.cols.proj(prof.summary), "summary: line of the profile")
    t.render(out)
    out.append("")


def sorted_funcs(rep, which):
    """[(key, func, fkey, FuncSummary, cost)] by self or inclusive cost,
    biggest first (computed once per report)."""
    items = rep.sorted.get(which)
    if items is None:
        items = []
        key = rep.key
        for k, fs in rep.funcs.items():
            vec = fs.self if which == "self" else fs.inclusive
            items.append((key(vec), fs.func, k, fs, vec))
        items.sort(key=lambda x: (x[0], x[1]))
        # ties (same cost, same name, other objects): by str of the key;
        # str() of every key would cost more than this pass
        i, n = 0, len(items)
        while i < n:
            j = i + 1
            while j < n and items[j][0] == items[i][0] and \
                    items[j][1] == items[i][1]:
                j += 1
            if j - i > 1:
                items[i:j] = sorted(items[i:j], key=lambda x: str(x[2]))
            i = j
        rep.sorted[which] = items
    return items


def section_functions(rep, out, which):
    banner(out, "Functions by %s cost" % which)
    if which == "inclusive":
        out.append(inclusive_note(rep))
    t = rep.table()
    hidden = 0
    for _, _, k, fs, vec in sorted_funcs(rep, which):
        if rep.passes(vec):
            t.add(rep.cols.proj(vec), func_label(fs, rep.ffile[k], rep.cwd))
        elif any(vec):
            hidden += 1
    t.render(out)
    if hidden:
        out.append("(%d more below the %g%% threshold)"
                   % (hidden, rep.args.threshold))
    out.append("")


def inclusive_note(rep):
    if rep.prof.paths_complete():
        return ("(inclusive = self cost of every call path through the "
                "function; recursion counted once)")
    return ("(inclusive = self cost + cost of calls made, except a "
            "function's calls to itself; mutual recursion may count twice)")


def section_tree(rep, out):
    """The call-path tree, built top down and only below the nodes that
    are printed: each printed node regroups the contexts under it by the
    next function of their stacks (most of the tree is under the
    threshold and never built)."""
    banner(out, "Call-path tree (inclusive cost, top down)")
    if not rep.prof.has_paths:
        out.append("(this profile has no call paths: record it with "
                   "costprof, or callgrind --separate-callers=N)")
        out.append("")
        return
    nev = len(rep.prof.events)
    t = rep.table()
    hidden = 0

    def kids_of(group, depth):
        """The children of a node at DEPTH whose contexts are GROUP, that
        pass the threshold: [(func, inclusive, contexts)], biggest first."""
        nonlocal hidden
        kids = {}
        for c in group:
            st = c.stack
            if len(st) > depth:
                lst = kids.get(st[depth])
                if lst is None:
                    kids[st[depth]] = [c]
                else:
                    lst.append(c)
        shown = []
        for f, lst in kids.items():
            incl = vsum([c.self for c in lst], nev)
            if rep.passes(incl):
                shown.append((f, incl, lst))
            elif any(incl):
                hidden += 1
        shown.sort(key=lambda x: (rep.key(x[1]), x[0]))
        return shown

    # depth-first, biggest child first, without recursion (paths can be
    # deeper than Python's recursion limit)
    top = [c for c in rep.prof.contexts if any(c.self)]
    todo = [k + (0,) for k in reversed(kids_of(top, 0))]
    while todo:
        f, incl, group, depth = todo.pop()
        indent = "  " * min(depth, 40)
        more = "" if depth < 40 else "[depth %d] " % depth
        own = [c.self for c in group if len(c.stack) == depth + 1]
        selfnote = ""
        if len(own) < len(group):          # the node has children
            mine = vsum(own, nev)
            if any(mine):
                selfnote = "  (self %s)" % fmt_num(rep.cols.sort_first(mine))
        t.add(rep.cols.proj(incl), indent + more + f + selfnote)
        todo.extend(k + (depth + 1,)
                    for k in reversed(kids_of(group, depth + 1)))
    t.render(out)
    if hidden:
        out.append("(%d subtrees below the %g%% threshold left out)"
                   % (hidden, rep.args.threshold))
    out.append("")


def heavy_edges(prof, heavy):
    """({fkey: {caller fkey: [count, [inclusive, ...]]}}, {fkey: {callee
    fkey: [...]}}) for the functions in HEAVY ([(fkey, FuncSummary)])
    only: their calls merged over contexts and call sites (the costs are
    summed later, per edge)."""
    callers = {k: {} for k, _ in heavy}
    callees = {k: {} for k, _ in heavy}
    fkey = {}                 # context of a heavy function -> its fkey
    for k, fs in heavy:
        for c in fs.contexts:
            fkey[c] = k
    for c in prof.stubs:      # callees never seen as fn=, named like one
        k = (c.obj, c.func)
        if k in callers:
            fkey[c] = k
    for c in prof.contexts:
        calls = c.calls
        if not calls:
            continue
        ck = fkey.get(c)
        if ck is not None:
            d = callees[ck]
            for call in calls:
                ce = call.callee
                bk = (ce.obj, ce.func)
                e = d.get(bk)
                if e is None:
                    d[bk] = [call.count, [call.inclusive]]
                else:
                    e[0] += call.count
                    e[1].append(call.inclusive)
        else:
            ck = (c.obj, c.func)
        for call in calls:
            bk = fkey.get(call.callee)
            if bk is not None:
                d = callers[bk]
                e = d.get(ck)
                if e is None:
                    d[ck] = [call.count, [call.inclusive]]
                else:
                    e[0] += call.count
                    e[1].append(call.inclusive)
    return callers, callees


def section_callers(rep, out):
    banner(out, "Callers and callees of the heavy functions")
    out.append("(for each function: '<' lines are its callers, '>' lines "
               "its callees, with call counts and the inclusive cost of "
               "those calls)")
    heavy = [(k, fs) for _, _, k, fs, vec in sorted_funcs(rep, "inclusive")
             if rep.passes(vec)]
    callers, callees = heavy_edges(rep.prof, heavy)
    nev = len(rep.prof.events)
    for k, fs in heavy:
        out.append("")
        t = rep.table()
        t.add(rep.cols.proj(fs.inclusive), "* " + func_label(
            fs, rep.ffile[k], rep.cwd) + "  (inclusive)")
        for mark, d in (("<", callers[k]), (">", callees[k])):
            lst = [(other, count, vsum(incs, nev))
                   for other, (count, incs) in d.items()]
            lst.sort(key=lambda x: (rep.key(x[2]), x[0][1]))
            for other, count, inc in lst:
                rec = "  (recursive)" if other == k else ""
                t.add(rep.cols.proj(inc), "  %s %s  %sx%s" % (
                    mark, other[1], fmt_num(count), rec))
        t.render(out)
    if not heavy:
        out.append("(no function above the threshold)")
    out.append("")


# --- source annotation ------------------------------------------------------------


def find_source(path, includes):
    """The readable file for PATH, or None: as written, then below each
    --include folder (whole relative path, then base name)."""
    cands = [path]
    for d in includes:
        if not os.path.isabs(path):
            cands.append(os.path.join(d, path))
        cands.append(os.path.join(d, path.lstrip(os.sep)))
        cands.append(os.path.join(d, os.path.basename(path)))
    for c in cands:
        if os.path.isfile(c) and os.access(c, os.R_OK):
            return c
    return None


class FileIndex(object):
    """The contexts with cost in each file and the calls made from each
    file, found once for all the files annotated."""

    def __init__(self, prof):
        self.contexts, self.calls = {}, {}
        for c in prof.contexts:
            for f in c.file_self():
                self.contexts.setdefault(f, []).append(c)
            for call in c.calls:
                self.calls.setdefault(call.file, []).append(call)


def file_detail(prof, name, index):
    """{line: costs} and {line: {callee: [count, inclusive]}} of file
    NAME over all contexts."""
    nev = len(prof.events)
    lines, calls = {}, {}
    for c in index.contexts.get(name, ()):
        for line, v in c.lines_in(name).items():
            acc = lines.get(line)
            lines[line] = list(v) if acc is None else list(map(add, acc, v))
    for call in index.calls.get(name, ()):
        d = calls.setdefault(call.line, {})
        e = d.get(call.callee.func)
        if e is None:
            e = d[call.callee.func] = [0, [0] * nev]
        e[0] += call.count
        e[1] = list(map(add, e[1], call.inclusive))
    return lines, calls


def section_annotate(rep, out):
    banner(out, "Annotated source files")
    ftotal = rep.prof.file_totals()
    files = ftotal
    order = sorted(files, key=lambda f: (rep.key(ftotal[f]), f))
    annotated = 0
    index = None                 # built for the first file found
    missing = rep.table()
    for f in order:
        if not rep.passes(ftotal[f]):
            continue
        src = None
        if f not in ("???", "", None):
            # after the --include folders, the profile's own folder (where
            # relative names usually start)
            src = find_source(f, rep.args.include + [
                os.path.dirname(os.path.abspath(rep.prof.path))])
        if src is None:
            missing.add(rep.cols.proj(ftotal[f]), f or "???")
            continue
        annotated += 1
        out.append("")
        if index is None:
            index = FileIndex(rep.prof)
        lines, calls = file_detail(rep.prof, f, index)
        annotate_file(rep, out, f, src, lines, calls)
    if missing.rows:
        out.append("")
        out.append("-- Source files not found (use --include=DIR to say "
                   "where they are):")
        missing.render(out)
    elif not annotated:
        out.append("(no source file above the threshold)")
    out.append("")


def read_source(path):
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as e:
        raise Fail("%s: %s" % (path, e.strerror or e))
    return data.decode("utf-8", "replace").splitlines()


def annotate_file(rep, out, name, src, lines, calls):
    text = read_source(src)
    n = len(text)
    ctx = rep.args.context
    hot = sorted(l for l, v in lines.items() if any(rep.cols.proj(v)))
    hot += [l for l in calls if l not in lines]
    hot = sorted(set(hot))
    beyond = [l for l in hot if l > n or l < 1]
    ranges = []
    for l in hot:
        if l < 1 or l > n:
            continue
        lo, hi = max(1, l - ctx), min(n, l + ctx)
        if ranges and lo <= ranges[-1][1] + 1:
            ranges[-1][1] = max(ranges[-1][1], hi)
        else:
            ranges.append([lo, hi])
    out.append("-- File: %s%s" % (name, "" if src == name else
                                  "  (read from %s)" % src))
    t = rep.table(blank_zero=True)
    zeros = [0] * len(rep.cols.names)
    for lo, hi in ranges:
        if lo > 1:
            t.add(None, "-- line %d %s" % (lo, "-" * 40))
        for l in range(lo, hi + 1):
            v = lines.get(l)
            t.add(rep.cols.proj(v) if v else zeros, text[l - 1].expandtabs())
            for callee, (count, inc) in sorted(calls.get(l, {}).items()):
                t.add(rep.cols.proj(inc), "  => %s (%sx, inclusive)"
                      % (callee, fmt_num(count)))
    if ranges and ranges[-1][1] < n:
        t.add(None, "-- line %d %s" % (ranges[-1][1], "-" * 40))
    t.render(out)
    if beyond:
        tot = [0] * len(rep.prof.events)
        for l in beyond:
            if l in lines:
                tot = [a + b for a, b in zip(tot, lines[l])]
        out.append("(%s of the cost is on line 0 or past the end of the "
                   "file (%d lines): no line information, or the file "
                   "changed since profiling)" % (
                       fmt_num(rep.cols.sort_vals(tot)[0]), n))


# --- JSON ---------------------------------------------------------------------------


def report_json(rep):
    prof, cols = rep.prof, rep.cols

    def named(vec):
        return dict(zip(cols.names, cols.proj(vec)))

    funcs = []
    for _, _, k, fs, _ in sorted_funcs(rep, "self"):
        funcs.append({"name": fs.func, "obj": fs.obj, "file": rep.ffile[k],
                      "self": named(fs.self),
                      "inclusive": named(fs.inclusive),
                      "contexts": len(fs.contexts)})
    doc = {"profile": prof.path, "command": prof.cmd,
           "creator": prof.creator, "pid": prof.pid,
           "events": cols.names, "recorded_events": prof.events,
           "descs": prof.descs,
           "totals": named(prof.totals),
           "summary": named(prof.summary) if prof.summary else None,
           "has_paths": prof.has_paths,
           "inclusive_method": "paths" if prof.paths_complete()
           else "edges",
           "functions": funcs}
    if rep.paths:
        doc["paths"] = [{"stack": list(c.stack), "obj": c.obj,
                         "file": c.file, "self": named(c.self)}
                        for c in prof.contexts if any(c.self)]
    import json         # only here: the text report does not need it
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


# --- main ---------------------------------------------------------------------------


def run(argv):
    args = parse_args(argv)
    prof = cp_profile.load(args.profile, mod_filename=args.mod_filename,
                           mod_funcname=args.mod_funcname)
    rep = Report(prof, args)
    if args.format == "json":
        return report_json(rep)
    out = []
    if args.header:
        section_header(rep, out)
    if args.self:
        section_functions(rep, out, "self")
    if args.inclusive:
        section_functions(rep, out, "inclusive")
    if args.tree and args.paths:
        section_tree(rep, out)
    if args.callers:
        section_callers(rep, out)
    if args.annotate:
        section_annotate(rep, out)
    return "\n".join(out) + "\n"


def _setup_stdout():
    # Names keep undecodable bytes as surrogates (cp_profile reads with
    # surrogateescape); write them back as the original bytes.
    reconf = getattr(sys.stdout, "reconfigure", None)
    if reconf is not None:
        try:
            enc = (sys.stdout.encoding or "").lower().replace("-", "")
            reconf(errors="surrogateescape" if enc == "utf8"
                   else "backslashreplace")
        except Exception:
            pass


def main(argv=None):
    if argv is None:
        argv = sys.argv[1:]
    # A short run that builds millions of objects and frees few: the cyclic
    # collector would only rescan them (it doubled the run time).
    was_gc = gc.isenabled()
    gc.disable()
    try:
        return _main(argv)
    finally:
        if was_gc:
            gc.enable()


def _main(argv):
    try:
        _setup_stdout()
        text = run(argv)
        sys.stdout.write(text)
        sys.stdout.flush()
    except SystemExit as e:        # --help, --version
        return e.code if isinstance(e.code, int) else 0
    except (Fail, cp_profile.ProfileError) as e:
        return fail(str(e))
    except BrokenPipeError:
        # The reader went away (e.g. '| head'): stop quietly.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except Exception:
            pass
        return 0
    except OSError as e:
        return fail("%s: %s" % (getattr(e, "filename", None) or "output",
                                e.strerror or e))
    except KeyboardInterrupt:
        return fail("interrupted")
    except MemoryError:
        return fail("out of memory")
    except Exception as e:      # never a traceback for the user
        if os.environ.get("COSTPROF_DEBUG"):
            raise
        return fail("internal error: %s" % repr(e))
    return 0


def fail(msg):
    msg = (msg.splitlines() or ["error"])[0]
    sys.stderr.write("%s: %s\n" % (PROG, msg))
    return 1


def exit_now(code):
    """Exit without tearing down the profile: freeing millions of small
    objects one by one took longer than printing the report."""
    try:
        sys.stdout.flush()
    except Exception:
        pass
    try:
        sys.stderr.flush()
    except Exception:
        pass
    os._exit(code)
