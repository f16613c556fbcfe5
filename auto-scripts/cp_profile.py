"""cp_profile: the one callgrind-format reader shared by costprof_annotate,
costprof_flamegraph and costprof_diff (Python 3 standard library only).

Reads any callgrind-format file (costprof, callgrind, Valgrind's
--xtree-memory files) and cachegrind's own format, see
/usr/share/doc/valgrind/html/cl-format.html.  load() returns a Profile:
one Context per distinct fn= entry, with self cost per source line and the
calls it makes.  Every problem in the input becomes a ProfileError whose
text is "PATH:LINENO: what is wrong", so callers can print one line.

The line loop is the hot spot (a 14 MB profile has ~1.5 million lines): it
dispatches on the first character, never runs a regex per line, keeps
costs as plain lists of ints and interns names through small caches.
"""
import gc
import re
from itertools import accumulate
from operator import add as _add

__all__ = ["ProfileError", "load", "parse_mod_option", "Profile", "Context",
           "Call", "FuncSummary"]


class ProfileError(Exception):
    """A problem with a profile; str(e) is 'PATH:LINENO: msg' (LINENO 0
    when the problem is not tied to one line)."""

    def __init__(self, path, lineno, msg):
        Exception.__init__(self, "%s:%d: %s" % (path, lineno, msg))
        self.path, self.lineno, self.msg = path, lineno, msg


# --- name rewriting (--mod-filename / --mod-funcname) ----------------------


class ModRule(tuple):
    """(compiled regex, replacement) plus .count for re.sub (0 = all).
    A tuple so callers may unpack it as (regex, repl)."""

    def __new__(cls, regex, repl, count=0):
        t = tuple.__new__(cls, (regex, repl))
        t.count = count
        return t


_UNESCAPED_SLASH = re.compile(r"(?<!\\)/")


def parse_mod_option(text):
    """Parse a --mod-filename / --mod-funcname value.

    Two spellings: cg_annotate 3.21's Perl-like 's/REGEX/REPL/[g][i]'
    (first match only unless 'g'), and the short 'REGEX/REPL' (every
    match), split at the last '/' not escaped as '\\/'.  REPL uses Python
    re.sub syntax (\\1 for groups).  Raises ValueError with a clear message.
    """
    if not isinstance(text, str):
        raise ValueError("expected REGEX/REPL, got %r" % (text,))
    flags, count = 0, 0
    m = re.match(r"s/(.*)(?<!\\)/(.*)(?<!\\)/([gi]*)$", text, re.S)
    if m and len(m.group(3)) <= 2:
        pat, repl, tail = m.group(1), m.group(2), m.group(3)
        count = 0 if "g" in tail else 1
        if "i" in tail:
            flags = re.IGNORECASE
    else:
        slashes = [s.start() for s in _UNESCAPED_SLASH.finditer(text)]
        if not slashes:
            raise ValueError("'%s' is not REGEX/REPL or s/REGEX/REPL/ "
                             "(no '/' separating the replacement)" % text)
        cut = slashes[-1]
        pat, repl = text[:cut], text[cut + 1:]
    pat = pat.replace("\\/", "/")
    repl = repl.replace("\\/", "/")
    if not pat:
        raise ValueError("empty regular expression in '%s'" % text)
    try:
        rx = re.compile(pat, flags)
    except re.error as e:
        raise ValueError("bad regular expression '%s': %s" % (pat, e))
    try:   # check the replacement's group references now, not per name
        rx.sub(repl, "")
        rx.sub(repl, pat)
    except (re.error, IndexError) as e:
        raise ValueError("bad replacement '%s': %s" % (repl, e))
    return ModRule(rx, repl, count)


def _rewriter(rules, per_component):
    """A function applying RULES in order to a name, or None.  Function
    names with call paths ("g'f'main") are rewritten component by
    component so that anchors such as ^main$ work on each function."""
    if not rules:
        return None
    rules = [(r[0], r[1], getattr(r, "count", 0)) for r in rules]

    def one(s):
        for rx, repl, count in rules:
            try:
                s = rx.sub(repl, s, count)
            except (re.error, IndexError):
                pass
        return s

    if not per_component:
        return one

    def path(s):
        if "'" not in s:
            return one(s)
        return "'".join(one(p) for p in s.split("'"))
    return path


# --- the model --------------------------------------------------------------


class Call(object):
    """Calls from one context to another at one call site, summed.
    inclusive is the cost measured inside the callee (callgrind-style:
    recursive calls count their cost once per active call)."""
    __slots__ = ("caller", "callee", "count", "file", "line", "inclusive")

    def __init__(self, caller, callee, count, file, line, inclusive):
        self.caller, self.callee, self.count = caller, callee, count
        self.file, self.line, self.inclusive = file, line, inclusive

    def __repr__(self):
        return "Call(%s -> %s x%d at %s:%d)" % (
            self.caller.name, self.callee.name, self.count, self.file,
            self.line)


class Context(object):
    """One fn= entry: a function, or for path profiles a calling context
    named callee'caller'caller2...  stack is root first.  lines is
    {(file, line): costs}, built on first use."""
    __slots__ = ("name", "func", "stack", "obj", "file", "self", "_lines",
                 "calls", "stub", "_files", "_calls", "_one", "_fself")

    @property
    def lines(self):
        if self._lines is None:
            out = {}
            for f, (d, chunks) in (self._files or {}).items():
                if self._one:
                    acc = dict(d)
                    get = acc.get
                    for lines, costs in chunks:
                        for line, v in zip(lines, costs):
                            acc[line] = get(line, 0) + v
                    for line, v in acc.items():
                        out[(f, line)] = [v]
                else:
                    acc = dict(d)
                    get = acc.get
                    for lines, cols in chunks:
                        for line, v in zip(lines, zip(*cols)):
                            a = get(line)
                            acc[line] = list(v) if a is None else \
                                list(map(_add, a, v))
                    for line, v in acc.items():
                        out[(f, line)] = v
            self._lines = out
        return self._lines

    def file_self(self):
        """{file: self cost of the lines in that file} (cheap)."""
        return self._fself

    @lines.setter
    def lines(self, value):
        self._lines = value

    def file_lines(self):
        """{file: {line: costs}}: the same data as lines, grouped by file
        (cheaper for callers that go file by file)."""
        out = {}
        for (f, line), v in self.lines.items():
            out.setdefault(f, {})[line] = v
        return out

    def __init__(self, name, obj, file, nev):
        self.name, self.obj, self.file = name, obj, file
        self.stack = _stack_of(name)
        self.func = self.stack[-1]
        self.self = [0] * nev
        self._lines = None
        self.calls = []
        self.stub = False
        self._files = {}     # file -> {line: cost (an int for one event)}
        self._calls = {}     # (callee key, file, line) -> [count, costs]
        self._one = False
        self._fself = {}

    def __repr__(self):
        return "Context(%r, obj=%r, file=%r)" % (self.name, self.obj,
                                                  self.file)


def _stack_of(name):
    """Call path of a context name, root first.  A purely numeric part is
    callgrind's --separate-recs level ("f'2") and stays with its function."""
    if "'" not in name:
        return (name,)
    parts = name.split("'")
    out = []
    for p in parts:
        if out and p.isdigit():
            out[-1] = out[-1] + "'" + p
        else:
            out.append(p)
    out = [p.split("'")[0] if "'" in p else p for p in out]
    out.reverse()
    return tuple(out)


class FuncSummary(object):
    """All contexts of one function (obj, func) merged."""
    __slots__ = ("obj", "func", "self", "inclusive", "contexts")

    def __init__(self, obj, func, nev):
        self.obj, self.func = obj, func
        self.self = [0] * nev
        self.inclusive = [0] * nev
        self.contexts = []


class Profile(object):
    def __init__(self, path):
        self.path = path
        self.cmd = None
        self.pid = None
        self.creator = None
        self.version = None
        self.descs = []
        self.events = []
        self.event_descs = {}
        self.event_formulas = {}   # inherited events: NAME -> "Ir + Dr"
        self.positions = ["line"]
        self.summary = None
        self.totals = []
        self.written_totals = None
        self.contexts = []
        self.stubs = []            # callees never seen as fn=
        self.has_paths = False
        self._functions = None

    def event_index(self, name):
        try:
            return self.events.index(name)
        except ValueError:
            raise ProfileError(self.path, 0, "event '%s' not in profile"
                               % name)

    @property
    def is_costprof(self):
        return bool(self.creator) and self.creator.startswith("costprof")

    def paths_complete(self):
        """True when context names carry whole call paths, so inclusive
        cost can be summed over stacks: costprof files, or path files in
        which every context's caller path is itself a context (callgrind's
        --separate-callers=N truncates longer paths, which breaks this)."""
        if not self.has_paths:
            return False
        if self.is_costprof:
            return True
        stacks = set(c.stack for c in self.contexts)
        for s in stacks:
            if len(s) > 1 and s[:-1] not in stacks:
                return False
        return True

    def functions(self):
        """{(obj, func): FuncSummary}.  inclusive is recursion-correct:
        with complete paths, the self cost of every context whose stack
        contains the function (each context once); otherwise self plus
        the calls leaving the function, except calls to itself (mutual
        recursion can still count twice there)."""
        if self._functions is not None:
            return self._functions
        nev = len(self.events)
        funcs = {}
        for c in self.contexts:
            k = (c.obj, c.func)
            fs = funcs.get(k)
            if fs is None:
                fs = funcs[k] = FuncSummary(c.obj, c.func, nev)
            fs.contexts.append(c)
            fs.self = list(map(_add, fs.self, c.self))
        if self.paths_complete():
            for c in self.contexts:
                cost = c.self
                if not any(cost):
                    continue
                for f in set(c.stack):
                    # A stack names functions, not objects: charge the
                    # context's own object for its own function, else every
                    # function of that name (normally exactly one).
                    for fs in self._by_func(funcs, f, c):
                        fs.inclusive = list(map(_add, fs.inclusive, cost))
        else:
            for fs in funcs.values():
                inc = list(fs.self)
                for c in fs.contexts:
                    for call in c.calls:
                        if call.callee.func == fs.func and \
                                call.callee.obj == fs.obj:
                            continue
                        inc = list(map(_add, inc, call.inclusive))
                fs.inclusive = inc
        self._functions = funcs
        return funcs

    def _by_func(self, funcs, f, ctx):
        if f == ctx.func:
            return [funcs[(ctx.obj, f)]]
        idx = getattr(self, "_func_index", None)
        if idx is None:
            idx = self._func_index = {}
            for fs in funcs.values():
                idx.setdefault(fs.func, []).append(fs)
        return idx.get(f, ())


# --- the reader -------------------------------------------------------------

# A line that is not a cost line: empty, or not starting like a number.
_NONCOST = re.compile(r"^(?:[^0-9+*\-\n].*)?$", re.M)
# The line subpositions of a run, joined by spaces, in the fast shape.
_LINE_TOKS = re.compile(r"(?:[+-]?[0-9]+|\*)(?: (?:[+-]?[0-9]+|\*))*")
_RUN_LINES = re.compile(r"(?:[+-]?[0-9]+|\*)(?: (?:[+-][0-9]+|\*))*")


def _decode_lines(toks, cur):
    """Absolute line numbers of line subpositions TOKS, starting at CUR."""
    out = []
    for t in toks:
        c = t[0]
        if c == "*":
            pass
        elif c == "+" or c == "-":
            cur += int(t)
        else:
            cur = int(t)
        out.append(cur)
    return out
_HEADER_KEY = re.compile(r"[A-Za-z][A-Za-z0-9 _()-]*$")


def _num(tok):
    """An absolute number (decimal or 0x hex); ValueError when bad."""
    if tok[:2] in ("0x", "0X"):
        return int(tok[2:], 16)
    if not tok.isdigit():
        raise ValueError(tok)
    return int(tok)


def _cost(tok):
    """One cost: decimal, 0x hex, or negative (costprof_diff output)."""
    neg = tok[:1] == "-"
    t = tok[1:] if neg else tok
    v = _num(t)
    return -v if neg else v


def load(path, mod_filename=None, mod_funcname=None):
    """Read the profile at PATH.  mod_filename / mod_funcname: lists of
    (regex, repl) rules (see parse_mod_option) applied to file and object
    names / function names as they are read."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except IsADirectoryError:
        raise ProfileError(path, 0, "is a directory, not a profile")
    except OSError as e:
        raise ProfileError(path, 0, "cannot read: %s" % (e.strerror or e))
    if not data or data.isspace():
        raise ProfileError(path, 0, "empty file")
    if b"\0" in data[:4096]:
        raise ProfileError(path, 0, "binary file, not a callgrind-format "
                           "profile")
    # surrogateescape keeps undecodable bytes, so names round-trip
    # byte-exact through costprof_diff and the flame graph.
    text = data.decode("utf-8", "surrogateescape")
    del data
    prof = Profile(path)
    # The reader makes millions of small lists and tuples and frees none:
    # the cyclic garbage collector would rescan them over and over.
    was = gc.isenabled()
    gc.disable()
    try:
        _Reader(prof, mod_filename, mod_funcname).run(text)
    finally:
        if was:
            gc.enable()
    return prof


class _Reader(object):
    """State of one load(); run() is the line loop."""

    def __init__(self, prof, mod_filename, mod_funcname):
        self.prof = prof
        self.path = prof.path
        self.mod_file = _rewriter(mod_filename, False)
        self.mod_func = _rewriter(mod_funcname, True)
        # Compressed-name tables: one per kind (files, objects, functions).
        self.tab = {"ob": {}, "fl": {}, "fn": {}}
        # Raw name -> rewritten, interned name.
        self.cache = {"ob": {}, "fl": {}, "fn": {}}
        # Text as written ("(12)", "main") -> name, for the line loop.
        self.refs = {"ob": {}, "fl": {}, "fn": {}}
        self.ctxs = {}          # (obj, file, name) -> Context

    def err(self, lineno, msg):
        raise ProfileError(self.path, lineno, msg)

    def name(self, kind, val, at):
        """Decompress and rewrite one position name (AT: its offset).
        Results are remembered in self.refs[kind] by the text as written
        ("(12)" or a plain name), which the line loop tries first."""
        raw = val
        if val[-1:] == "\r":
            val = val[:-1]
        refs = self.refs[kind]
        if val[:1] == "(" and val[1:2].isdigit():
            close = val.find(")")
            if close < 0 or not val[1:close].isdigit():
                self.err(self.where(at), "bad compressed name '%s'" % val)
            num = val[1:close]
            rest = val[close + 1:].strip()
            tab = self.tab[kind]
            if rest:
                nm = tab[num] = self.rename(kind, rest)
                refs["(" + num + ")"] = nm
                return nm
            nm = tab.get(num)
            if nm is None:
                what = {"ob": "object", "fl": "file", "fn": "function"}[kind]
                self.err(self.where(at), "%s id (%s) used before it was "
                         "defined" % (what, num))
            refs[raw] = nm
            return nm
        nm = refs[raw] = self.rename(kind, val.strip())
        return nm

    def rename(self, kind, raw):
        cache = self.cache[kind]
        nm = cache.get(raw)
        if nm is None:
            nm = raw
            if kind == "fn":
                if self.mod_func:
                    nm = self.mod_func(nm)
            elif self.mod_file:
                nm = self.mod_file(nm)
            nm = cache[raw] = cache.setdefault(nm, nm)
        return nm

    def context(self, obj, file, name):
        key = (obj, file, name)
        c = self.ctxs.get(key)
        if c is None:
            c = self.ctxs[key] = Context(name, obj, file,
                                         len(self.prof.events))
            self.prof.contexts.append(c)
        return c

    # -- header lines ---------------------------------------------------

    def header(self, ln, lineno, seen_cost):
        prof = self.prof
        key, sep, val = ln.partition(":")
        if not sep or not _HEADER_KEY.match(key):
            self.err(lineno, "malformed line '%s'" % _short(ln))
        key = key.strip()
        val = val.strip()
        if key == "events":
            evs = val.split()
            if not evs:
                self.err(lineno, "events: line names no events")
            if prof.events:
                if evs != prof.events:
                    self.err(lineno, "events: line differs from the earlier "
                             "one (%s)" % " ".join(prof.events))
                return None
            if len(set(evs)) != len(evs):
                self.err(lineno, "events: line names an event twice")
            prof.events = evs
            return evs
        if key == "positions":
            pos = val.split()
            if not pos or any(p not in ("instr", "line", "bb") for p in pos):
                self.err(lineno, "bad positions: line '%s'" % _short(val))
            if seen_cost and pos != prof.positions:
                self.err(lineno, "positions: changed after cost lines")
            prof.positions = pos
        elif key == "event":
            self.event_spec(val, lineno)
        elif key == "summary" or key == "totals":
            costs = self.cost_list(val.split(), lineno, key + ":")
            if key == "summary":
                prof.summary = costs
            else:
                self.totals_lines.append((lineno, costs))
        elif key == "desc":
            prof.descs.append(val)
        elif key == "cmd":
            prof.cmd = val
        elif key == "creator":
            prof.creator = val
        elif key == "version":
            prof.version = val
        elif key == "pid":
            prof.pid = val
        # thread:, part:, timeframe (BB):, arch: and unknown keys: ignored,
        # as the spec asks readers to be lenient about new header keys.
        return None

    def event_spec(self, val, lineno):
        # "NAME : long description" or "NAME = A + 2 B : description"
        head, _, desc = val.partition(":")
        name, eq, formula = head.partition("=")
        name = name.strip()
        if not name or " " in name:
            self.err(lineno, "bad event: line '%s'" % _short(val))
        if eq:
            self.prof.event_formulas[name] = formula.strip()
        if desc.strip():
            self.prof.event_descs[name] = desc.strip()

    def cost_list(self, toks, lineno, what):
        nev = len(self.prof.events)
        if not nev:
            self.err(lineno, "%s before the events: line" % what)
        if len(toks) > nev:
            self.err(lineno, "%s has %d costs but there are %d events"
                     % (what, len(toks), nev))
        try:
            vals = [_cost(t) for t in toks]
        except ValueError as e:
            self.err(lineno, "bad number '%s' in %s" % (_short(str(e)), what))
        return vals + [0] * (nev - len(vals))

    # -- the slow, careful path for a cost line the fast path refused ----

    def slow_cost(self, ln, lineno, curline):
        """Parse a cost line exactly, with precise errors, after the fast
        path refused it.  Returns (line, costs)."""
        toks = ln.split()
        pos = self.prof.positions
        npos = len(pos)
        if len(toks) < npos:
            self.err(lineno, "cost line has %d positions, %d expected"
                     % (len(toks), npos))
        line = 0
        for i in range(npos):
            t = toks[i]
            # Only the line is kept; other subpositions (instruction
            # addresses) are checked but their values are not needed.
            base = curline if pos[i] == "line" else 0
            try:
                if t == "*":
                    v = base
                elif t[0] == "+":
                    v = base + _num(t[1:])
                elif t[0] == "-":
                    v = base - _num(t[1:])
                else:
                    v = _num(t)
            except ValueError:
                self.err(lineno, "bad position '%s'" % _short(t))
            if pos[i] == "line":
                line = v
        costs = self.cost_list(toks[npos:], lineno, "cost line")
        return line, costs

    def where(self, pos):
        """Line number of character offset POS (only needed for errors)."""
        return self.text.count("\n", 0, pos) + 1

    def run(self, text):
        """The line loop.  Non-cost lines (names, calls=, headers) are found
        with one regex scan; the runs of cost lines between them are
        handled a run at a time (split once, numbers converted with map,
        relative line numbers summed with accumulate), which is several
        times faster than a Python statement per line.  A run that does not
        fit the fast shape (hex, missing columns, junk) is redone line by
        line by cost_line(), which also words the errors."""
        self.text = text
        prof = self.prof
        err = self.err
        where = self.where
        self.totals_lines = []
        nev = 0
        one = False              # one event: costs are kept as plain ints
        zeros = []
        npos = 1                 # number of subpositions on a cost line
        npos1 = 2
        line_at = 0              # index of "line" among them, None if none
        curline = 0              # current line subposition
        ob = fl = curfile = None
        ctx = None
        curl = None              # [{line: cost}, [(lines, costs)]] of
        #                          (ctx, curfile): single lines, runs
        cob = cfi = None
        callee = None            # (obj, file, name) of the last cfn=
        pending = None           # [count, callee key, offset] after calls=
        jump = None              # offset of a jump=/jcnd= awaiting its line
        # special: the next cost line is not plain self cost of curl (it
        # follows calls= or jump=, or there is no fn= yet).
        special = True
        name = self.name
        fnref = self.refs["fn"]
        flref = self.refs["fl"]

        def cost_line(ln, at):
            """One cost line LN starting at offset AT."""
            nonlocal curline, special, pending, jump
            try:
                parts = ln.split()
                p = parts[line_at]   # line_at None: TypeError, slow path
                if p == "*":
                    line = curline
                elif p[0] == "+" or p[0] == "-":
                    line = curline + int(p)
                else:
                    line = int(p)
                if one:
                    if len(parts) != npos1:
                        raise ValueError
                    v = int(parts[npos])
                else:
                    v = list(map(int, parts[npos:]))
                    n = len(v)
                    if n != nev:
                        # callgrind leaves out trailing zero costs
                        if n > nev:
                            raise ValueError
                        v.extend(zeros[n:])
            except (ValueError, IndexError, TypeError):
                if not nev:
                    err(where(at), "cost line before the events: line")
                line, v = self.slow_cost(ln, where(at), curline)
                if one:
                    v = v[0]
            curline = line
            if not special:
                d = curl[0]
                if one:
                    d[line] = d.get(line, 0) + v
                else:
                    acc = d.get(line)
                    d[line] = v if acc is None else list(map(_add, acc, v))
                return
            if jump is not None:
                jump = None          # position line of a jump: no cost
                special = curl is None
                return
            if curl is None:
                err(where(at), "cost line before any fn= line")
            if pending is not None:
                key = (pending[1], curfile, line)
                ent = ctx._calls.get(key)
                if ent is None:
                    ctx._calls[key] = [pending[0], [v] if one else v]
                else:
                    ent[0] += pending[0]
                    if one:
                        ent[1][0] += v
                    else:
                        ent[1] = list(map(_add, ent[1], v))
                pending = None
            special = False

        def add_run(lt, costs):
            """Store a run: LT its line subpositions (strings), COSTS its
            costs (ints, or one list of ints per event).  False when the
            line subpositions need the careful path."""
            nonlocal curline
            joined = " ".join(lt)
            # the usual shape: an absolute or relative first line, then
            # relative ones; anything else goes to _decode_lines
            if _RUN_LINES.fullmatch(joined):
                if joined[0] in "+-*":
                    lines = list(accumulate(
                        map(int, joined.replace("*", "0").split()),
                        initial=curline))
                    del lines[0]
                else:
                    lines = list(accumulate(
                        map(int, joined.replace("*", "0").split())))
            elif _LINE_TOKS.fullmatch(joined):
                lines = _decode_lines(lt, curline)
            else:
                return False
            curline = lines[-1]
            # Summed per line only if Context.lines is asked for: most
            # reports need just the totals.
            curl[1].append((lines, costs))
            return True

        def run_of_costs(a, b):
            """Cost lines text[a:b] (each ends with a newline, except at
            the end of the file)."""
            nonlocal curline
            if special:
                e = text.find("\n", a, b)
                if e < 0:
                    e = b
                cost_line(text[a:e], a)
                a = e + 1
                if a >= b:
                    return
            body = text[a:b]
            toks = body.split()
            if not toks or line_at is None or not nev:
                pass                  # line by line below
            elif len(toks) == (body.count("\n") + (body[-1:] != "\n")) * \
                    (npos + nev):
                # every line complete: columns are plain slices
                ncol = npos + nev
                lt = toks[line_at::ncol]
                try:
                    if one:
                        costs = list(map(int, toks[npos::ncol]))
                    else:             # kept as columns: summed as such
                        costs = [list(map(int, toks[npos + k::ncol]))
                                 for k in range(nev)]
                except ValueError:
                    costs = None      # hex or junk: line by line below
                if costs is not None and add_run(lt, costs):
                    return
            # else: callgrind left out trailing zero costs on some lines;
            # line by line (padding the rows column-wise was slower)
            at = a
            for ln in body.split("\n"):
                if ln:
                    cost_line(ln, at)
                at += len(ln) + 1

        pos = 0
        for m in _NONCOST.finditer(text):
            s = m.start()
            if s > pos:
                run_of_costs(pos, s)
            pos = m.end() + 1
            ln = m.group()
            if not ln:
                continue
            c = ln[0]
            if c == "#":
                continue
            if special:
                if pending is not None and ln.strip():
                    err(where(pending[2]),
                        "calls= line not followed by its cost line")
                if jump is not None and ln.strip():
                    err(where(jump),
                        "jump line not followed by its position line")
            eq = ln.find("=")
            if 0 < eq < 6:
                key = ln[:eq]
                val = ln[eq + 1:]
                if key == "calls":
                    if ctx is None:
                        err(where(s), "calls= before any fn= line")
                    if callee is None:
                        err(where(s), "calls= without a cfn= line before it")
                    toks = val.split()
                    if len(toks) < 1 + npos:
                        err(where(s), "calls= needs a count and %d target "
                            "position(s)" % npos)
                    t = toks[0]
                    try:
                        count = int(t) if t.isdigit() else _num(t)
                    except ValueError:
                        err(where(s), "bad call count '%s'" % _short(t))
                    pending = [count, callee, s]
                    special = True
                    continue
                if key == "cfn":
                    if ctx is None:
                        err(where(s), "cfn= before any fn= line")
                    # cob=/cfi= apply to this cfn= only (callgrind writes
                    # them only when they differ from the caller's).
                    nm = fnref.get(val)
                    if nm is None:
                        nm = name("fn", val, s)
                    callee = (cob if cob is not None else ob,
                              cfi if cfi is not None else curfile, nm)
                    cob = cfi = None
                    continue
                if key == "cfi" or key == "cfl":
                    cfi = flref.get(val)
                    if cfi is None:
                        cfi = name("fl", val, s)
                    continue
                if key == "fi" or key == "fe" or key == "fl":
                    curfile = flref.get(val)
                    if curfile is None:
                        curfile = name("fl", val, s)
                    if key == "fl":
                        fl = curfile
                    if ctx is not None:
                        curl = ctx._files.get(curfile)
                        if curl is None:
                            curl = ctx._files[curfile] = [{}, []]
                    continue
                if key == "fn":
                    if not nev:
                        err(where(s), "fn= before the events: line")
                    if fl is None:
                        fl = "???"
                    curfile = fl
                    ctx = self.context(ob, fl, name("fn", val, s))
                    curl = ctx._files.get(curfile)
                    if curl is None:
                        curl = ctx._files[curfile] = [{}, []]
                    callee = None
                    special = False
                    continue
                if key == "ob":
                    ob = name("ob", val, s)
                    continue
                if key == "cob":
                    cob = name("ob", val, s)
                    continue
                if key == "jump" or key == "jcnd":
                    if ctx is None:
                        err(where(s), "%s= before any fn= line" % key)
                    self.check_jump(key, val, where(s), npos)
                    jump = s
                    special = True
                    continue
                if key == "jfi":
                    name("fl", val, s)
                    continue
                if key == "jfn":
                    name("fn", val, s)
                    continue
                if key == "ln":
                    continue         # callgrind --dump-bbs line marker
            if not ln.strip():
                continue
            evs = self.header(ln, where(s), ctx is not None)
            if evs is not None:
                nev = len(evs)
                one = nev == 1
                zeros = [0] * nev
            ps = prof.positions
            npos = len(ps)
            npos1 = npos + 1
            # None makes parts[line_at] raise TypeError: the slow path then
            # handles profiles without line positions.
            line_at = ps.index("line") if "line" in ps else None
        if pos < len(text):
            run_of_costs(pos, len(text))
        if pending is not None:
            err(where(pending[2]), "file truncated: calls= line without its "
                "cost line")
        if jump is not None:
            err(where(jump), "file truncated: jump line without its position "
                "line")
        if not nev:
            err(0, "no events: line (truncated file, or not a callgrind "
                "or cachegrind profile)")
        self.finish(one)

    def check_jump(self, key, val, lineno, npos):
        toks = val.split()
        if key == "jcnd" and toks and "/" in toks[0]:
            # callgrind writes "jcnd=FOLLOWED/EXECUTED target"
            counts = toks[0].split("/")
            toks = counts + toks[1:]
        need = (2 if key == "jcnd" else 1) + npos
        if len(toks) < need:
            self.err(lineno, "%s= line too short" % key)
        for t in toks[:need - npos]:
            if not t.isdigit():
                self.err(lineno, "bad count '%s' in %s= line"
                         % (_short(t), key))

    def finish(self, one):
        prof = self.prof
        nev = len(prof.events)
        totals = [0] * nev
        has_paths = False
        for c in prof.contexts:
            if len(c.stack) > 1:
                has_paths = True
            # Self cost per file from the runs' sums; the (file, line) dict
            # itself is built only if someone asks for Context.lines.
            selfc = [0] * nev
            fself = {}
            for f, (d, chunks) in c._files.items():
                if one:
                    fs = [sum(d.values()) + sum(sum(v) for _, v in chunks)]
                else:
                    fs = [0] * nev
                    if d:
                        fs = list(map(sum, zip(*d.values())))
                    for _, cols in chunks:
                        fs = list(map(_add, fs, map(sum, cols)))
                fself[f] = fs
                selfc = list(map(_add, selfc, fs))
            c._fself = fself
            c.self = selfc
            c._one = one
            totals = list(map(_add, totals, selfc))
        prof.totals = totals
        prof.has_paths = has_paths
        if prof.summary is not None and len(prof.summary) != nev:
            prof.summary = (prof.summary + [0] * nev)[:nev]
        self.resolve_calls()
        if self.totals_lines:
            written = [0] * nev
            for _, v in self.totals_lines:
                written = list(map(_add, written, v))
            prof.written_totals = written
            if written != totals:
                self.err(self.totals_lines[-1][0],
                         "totals: (%s) differ from the sum of the cost lines "
                         "(%s): file damaged or truncated"
                         % (" ".join(map(str, written)),
                            " ".join(map(str, totals))))

    def resolve_calls(self):
        prof = self.prof
        nev = len(prof.events)
        ctxs = self.ctxs
        by_name = None
        stubs = {}
        for c in prof.contexts:
            if not c._calls:
                c._calls = None
                continue
            calls = []
            for (key, file, line), (count, cost) in c._calls.items():
                callee = ctxs.get(key)
                if callee is None:
                    # cfi= left out or different from the callee's fl=:
                    # match on object and name when that is unambiguous.
                    if by_name is None:
                        by_name = {}
                        for d in prof.contexts:
                            by_name.setdefault((d.obj, d.name), []).append(d)
                    cands = by_name.get((key[0], key[2]), ())
                    if len(cands) == 1:
                        callee = cands[0]
                    else:
                        callee = stubs.get(key)
                        if callee is None:
                            callee = stubs[key] = Context(key[2], key[0],
                                                          key[1], nev)
                            callee.stub = True
                            callee._files = callee._calls = None
                            callee._lines = {}
                            prof.stubs.append(callee)
                calls.append(Call(c, callee, count, file, line, cost))
            c.calls = calls
            c._calls = None


def _short(s, n=60):
    s = s.rstrip("\r\n")
    return s if len(s) <= n else s[:n] + "..."
