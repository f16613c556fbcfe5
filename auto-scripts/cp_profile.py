"""cp_profile: the one callgrind-format reader shared by costprof_annotate,
costprof_flamegraph and costprof_diff (Python 3 standard library only).

Reads any callgrind-format file (costprof, callgrind, Valgrind's
--xtree-memory files) and cachegrind's own format, see
/usr/share/doc/valgrind/html/cl-format.html.  load() returns a Profile:
one Context per distinct fn= entry, with self cost per source line and the
calls it makes.  Every problem in the input becomes a ProfileError whose
text is "PATH:LINENO: what is wrong", so callers can print one line.

The line loop is the hot spot (a 15 MB profile has ~1.5 million lines).
It works on the file's bytes, read in pieces, and runs once per non-cost
line, not per line: one regex match gives a name line (or a whole call)
with the run of cost lines after it, and a run is split and summed as a
whole.  Per-line costs are not kept: a run's place in the file is, and
Context.lines decodes it again when someone asks (the report does so only
for the source files it annotates).  Everything that does not fit the fast
shape goes through a careful line-by-line path that also words the errors.
"""
import gc
import os
import re
import stat
from array import array
from itertools import accumulate, chain, islice
from operator import add as _add, attrgetter, itemgetter
from sys import intern

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
    {(file, line): costs}, built on first use from the profile text."""
    __slots__ = ("name", "func", "stack", "obj", "file", "self", "_lines",
                 "calls", "stub", "_files", "_src", "_fself")

    @property
    def lines(self):
        if self._lines is None:
            self._lines = _decode_context(self)
        return self._lines

    @lines.setter
    def lines(self, value):
        self._lines = value

    def file_self(self):
        """{file: self cost of the lines in that file} (cheap: the sums
        are kept per file while reading; built on the first call)."""
        if self._fself is None:
            if not self._files:
                self._fself = {}
            elif self._src[4] == 1:
                self._fself = {f: [r[0]] for f, r in self._files.items()}
            else:
                self._fself = {f: list(r[0]) for f, r in self._files.items()}
        return self._fself

    def lines_in(self, file):
        """{line: costs} of the lines in FILE: like lines, but decodes only
        that file's runs and keeps nothing (for a report that goes file by
        file)."""
        if self._lines is not None:
            return {ln: v for (f, ln), v in self._lines.items() if f == file}
        return {ln: v for (_, ln), v in _decode_context(self, file).items()}

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
        # zero for a stub (NEV events); the reader passes 0 and sets the
        # sums in finish(): a list per context made while reading would
        # only add to the peak of memory (page faults)
        self.self = [0] * nev if nev else None
        self._lines = None
        self.calls = []
        self.stub = False
        # file -> [self cost (an int for one event), {line: cost} of single
        # cost lines or None, array of (line before, start) of the runs of
        # cost lines or None]: the runs are decoded per line only
        # when lines is asked for.
        self._files = {}
        self._src = None     # (_Source, ncol, npos, line_at, nev): lines
        self._fself = None   # file_self(), once built

    def __repr__(self):
        return "Context(%r, obj=%r, file=%r)" % (self.name, self.obj,
                                                  self.file)


def _decode_context(c, only=None):
    """{(file, line): costs} of context C (of file ONLY, if given), from
    its single cost lines and by decoding its runs of cost lines again
    from the profile text."""
    out = {}
    if not c._files:
        return out
    src, ncol, npos, line_at, nev = c._src
    text = None
    one = nev == 1
    for f, (_, d, runs) in c._files.items():
        if only is not None and f != only:
            continue
        if one:
            acc = dict(d) if d else {}
        else:
            acc = {k: list(v) for k, v in d.items()} if d else {}
        get = acc.get
        if runs and text is None:
            text = src.text()
        for i in range(0, len(runs) if runs else 0, 2):
            a = runs[i + 1]
            # the runs kept were checked to be ASCII
            toks = text[a:_RUN.match(text, a).end()].decode("ascii").split()
            lines = _run_lines(toks[line_at::ncol], runs[i])
            if one:
                for line, v in zip(lines, map(int, toks[npos::ncol])):
                    acc[line] = get(line, 0) + v
            else:
                cols = [map(int, toks[k::ncol]) for k in range(npos, ncol)]
                for line, v in zip(lines, zip(*cols)):
                    a = get(line)
                    acc[line] = list(v) if a is None else \
                        list(map(_add, a, v))
        for line, v in acc.items():
            out[(f, line)] = [v] if one else v
    return out


def _stack_of(name):
    """Call path of a context name, root first.  A purely numeric part is
    callgrind's --separate-recs level ("f'2") and stays with its function.
    The function names are interned: the stacks share them."""
    if "'" not in name:
        return (name,)
    parts = name.split("'")
    if not any(map(str.isdigit, parts)):
        parts.reverse()
        return tuple(map(intern, parts))
    out = []
    for p in parts:
        if out and p.isdigit():
            out[-1] = out[-1] + "'" + p
        else:
            out.append(p)
    out = [p.split("'")[0] if "'" in p else p for p in out]
    out.reverse()
    return tuple(map(intern, out))


_first = itemgetter(0)


def _vsum(vecs, n):
    """Element-wise sum of cost vectors VECS (each of length N), a new
    list."""
    if len(vecs) < 2:
        return list(vecs[0]) if vecs else [0] * n
    if n == 1:      # zip(*vecs) would make an iterator per vector
        return [sum(map(_first, vecs))]
    return list(map(sum, zip(*vecs)))


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
        self._complete = None

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
        if self._complete is None:      # asked several times per report
            stacks = set(map(attrgetter("stack"), self.contexts))
            self._complete = True
            for s in stacks:
                if len(s) > 1 and s[:-1] not in stacks:
                    self._complete = False
                    break
        return self._complete

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
        # The cost vectors are gathered per function and summed with one
        # zip each: much cheaper than adding them pairwise.
        for fs in funcs.values():
            fs.self = _vsum([c.self for c in fs.contexts], nev)
        if self.paths_complete():
            incs = {}
            for c in self.contexts:
                cost = c.self
                if not any(cost):
                    continue
                for f in set(c.stack):
                    # A stack names functions, not objects: charge the
                    # context's own object for its own function, else every
                    # function of that name (normally exactly one).
                    for fs in self._by_func(funcs, f, c):
                        lst = incs.get(fs)
                        if lst is None:
                            incs[fs] = [cost]
                        else:
                            lst.append(cost)
            for fs in funcs.values():
                fs.inclusive = _vsum(incs.get(fs, ()), nev)
        else:
            for fs in funcs.values():
                inc = [fs.self]
                func, obj = fs.func, fs.obj
                for c in fs.contexts:
                    for call in c.calls:
                        ce = call.callee
                        if ce.func != func or ce.obj != obj:
                            inc.append(call.inclusive)
                fs.inclusive = _vsum(inc, nev)
        self._functions = funcs
        return funcs

    def file_totals(self):
        """{file: self cost of its lines over all contexts} (cheap: the
        sums are kept per file while reading)."""
        nev = len(self.events)
        if nev == 1:
            out = {}
            get = out.get
            for c in self.contexts:
                for f, r in c._files.items():
                    out[f] = get(f, 0) + r[0]
            return {f: [v] for f, v in out.items()}
        lists = {}
        for c in self.contexts:
            for f, r in c._files.items():
                lst = lists.get(f)
                if lst is None:
                    lists[f] = [r[0]]
                else:
                    lst.append(r[0])
        return {f: _vsum(lst, nev) for f, lst in lists.items()}

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

def _block_res(possessive):
    """(_BLOCK, _RUN).  _BLOCK matches one non-cost line and the run of
    cost lines after it (group 8).  Every line is either a cost line (it
    starts like a number) or not, so the matches tile the text and the
    loop runs once per non-cost line, not once per line.  A call as
    callgrind writes it (groups 1-5: cob= cfi= cfn= calls= and its cost
    line) is one match; any other line gives groups 6 (the key of a
    "key=" line) and 7 (the rest).  Blank lines before a non-cost line
    are passed over (callgrind writes one before each fn=).  _RUN matches
    a run alone (Context.lines finds a run's end with it).  Possessive
    quantifiers (Python 3.11) keep no backtracking state per cost line:
    the scan is about 20% faster."""
    if possessive:
        line, run, blanks = rb"[^\n]*+", rb"(?:[0-9+*\-][^\n]*+\n)*+", \
            rb"(?:\n(?![0-9+*\-]))*+"
    else:
        line, run, blanks = rb".*", rb"(?:[0-9+*\-].*\n)*", \
            rb"(?:\n(?![0-9+*\-]))*"
    return (re.compile(
        blanks + rb"(?:(?:cob=(.*)\n)?(?:cfi=(.*)\n)?cfn=(.*)\ncalls=(.*)\n"
        rb"([0-9+*\-]" + line + rb")\n|(?:([a-z]{1,5})=)?(.*)\n)(" + run +
        rb")"), re.compile(run))


try:
    _BLOCK, _RUN = _block_res(True)
except re.error:                         # before Python 3.11
    _BLOCK, _RUN = _block_res(False)

# The line subpositions of a run, joined by spaces, in the fast shape.
_LINE_TOKS = re.compile(r"(?:[+-]?[0-9]+|\*)(?: (?:[+-]?[0-9]+|\*))*")
_RUN_LINES = re.compile(r"(?:[+-]?[0-9]+|\*)(?: (?:[+-][0-9]+|\*))*")
# Where the last absolute number starts in such a joined string.
_LAST_ABS = re.compile(r"(?:.* )?(?=[0-9])", re.S)


def _rel_table():
    """{b"*": 0, b"+0": 0, ..., b"+999": 999, b"-0": 0, ..., b"-999": -999}:
    relative line subpositions as callgrind writes them (it writes an
    absolute number for a jump of 100 or more), as bytes (the loop reads
    bytes).  A dict lookup both checks a token and converts it, faster
    than int().  Made from one joined string: a loop of 2,000 formats took
    2 ms of every run."""
    nums = " ".join(map(str, range(1000))).encode()
    toks = b"* +" + nums.replace(b" ", b" +") + b" -" + \
        nums.replace(b" ", b" -")
    return dict(zip(toks.split(), [0, *range(1000), *range(0, -1000, -1)]))


_RELB = _rel_table()


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


def _run_lines(lt, cur):
    """Absolute line numbers of the (checked) line subpositions LT of a
    run, the line before the run being CUR."""
    joined = " ".join(lt)
    # the usual shape: an absolute or relative first line, then relative
    # ones: summed with accumulate
    if _RUN_LINES.fullmatch(joined):
        if joined[0] in "+-*":
            lines = list(accumulate(
                map(int, joined.replace("*", "0").split()), initial=cur))
            del lines[0]
            return lines
        return list(accumulate(map(int, joined.replace("*", "0").split())))
    return _decode_lines(lt, cur)


def _last_line(lt, cur):
    """The line of the last cost line of a run (LT: its line subpositions,
    CUR: the line before the run), or None when a subposition is bad.
    For runs that have absolute lines after the first one.  LT holds
    bytes (ASCII)."""
    other = set(lt).difference(_RELB)    # absolute numbers, or junk
    for t in other:
        if not t.isdigit():
            break
    else:
        relget = _RELB.__getitem__
        if not other:
            return cur + sum(map(relget, lt))
        # the last absolute number plus the relative ones after it
        flags = list(map(bytes.isdigit, lt))
        k = len(flags) - 1 - flags[::-1].index(True)
        return int(lt[k]) + sum(map(relget, islice(lt, k + 1, None)))
    # big relative jumps, or junk
    joined = b" ".join(lt).decode("ascii")
    if not _LINE_TOKS.fullmatch(joined):
        return None
    m = _LAST_ABS.match(joined)
    if m is None:           # all relative
        return cur + sum(map(int, joined.replace("*", "0").split()))
    return sum(map(int, joined[m.end():].replace("*", "0").split()))


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


# A large profile is read in pieces of this size and not kept whole.
_PIECE = 1 << 16


class _Source(object):
    """The text of the profile being read, in pieces.  A large regular
    file is read _PIECE bytes at a time into memory that is used again and
    again: holding all of it would cost the page faults of its size (as
    much time as reading it), for text that is needed again only when
    Context.lines decodes runs, or to count lines for an error; text()
    reads it again then.  Other files (pipes, small files) are read whole
    and kept."""

    def __init__(self, path, f):
        self.path, self.f = path, f
        st = os.fstat(f.fileno())
        self.sig = None
        self.data = None
        # load() looks at the first bytes: the first 4096 for NUL bytes,
        # all of them if they are blank (an empty profile).
        if stat.S_ISREG(st.st_mode) and st.st_size > 4 * _PIECE:
            self.first = f.read(max(_PIECE, 4096))
            if not self.first.isspace():
                self.sig = (st.st_size, st.st_mtime_ns)
                return
            self.first += f.read()
        else:
            self.first = f.read()
        self.data = self.first

    def pieces(self):
        """(text, end, base): the file in pieces, text[:end] being the
        bytes at offset base.  Each piece but the last ends just before a
        fn= line (else fi= or fe=), so that no run of cost lines, nor a
        call, is cut; the last ends with a newline."""
        buf, base = self.first, 0
        self.first = None
        if self.data is None:
            read = self.f.read
            while True:
                more = read(_PIECE)
                if not more:
                    break
                buf += more
                cut = buf.rfind(b"\nfn=") + 1 or \
                    max(buf.rfind(b"\nfi="), buf.rfind(b"\nfe=")) + 1
                if cut:
                    yield buf, cut, base
                    base += cut
                    buf = buf[cut:]
            self.f = None
        if not buf.endswith(b"\n"):
            buf += b"\n"
        yield buf, len(buf), base

    def text(self):
        """The whole text (ending with a newline), read again if it was
        read in pieces."""
        if self.data is None:
            try:
                with open(self.path, "rb") as f:
                    st = os.fstat(f.fileno())
                    data = f.read()
            except OSError as e:
                raise ProfileError(self.path, 0, "cannot read: %s"
                                   % (e.strerror or e))
            if (st.st_size, st.st_mtime_ns) != self.sig:
                raise ProfileError(self.path, 0, "the file changed since it "
                                   "was read")
            self.data = data
        if not self.data.endswith(b"\n"):
            self.data += b"\n"
        return self.data


def load(path, mod_filename=None, mod_funcname=None):
    """Read the profile at PATH.  mod_filename / mod_funcname: lists of
    (regex, repl) rules (see parse_mod_option) applied to file and object
    names / function names as they are read."""
    try:
        with open(path, "rb") as f:
            src = _Source(path, f)
            first = src.first
            if not first or first.isspace():
                raise ProfileError(path, 0, "empty file")
            if b"\0" in first[:4096]:
                raise ProfileError(path, 0, "binary file, not a "
                                   "callgrind-format profile")
            prof = Profile(path)
            # The reader makes many small objects and frees few: the
            # cyclic garbage collector would rescan them over and over.
            was = gc.isenabled()
            gc.disable()
            try:
                _Reader(prof, mod_filename, mod_funcname).run(src)
            finally:
                if was:
                    gc.enable()
    except IsADirectoryError:
        raise ProfileError(path, 0, "is a directory, not a profile")
    except OSError as e:
        raise ProfileError(path, 0, "cannot read: %s" % (e.strerror or e))
    return prof


class _Reader(object):
    """State of one load(); run() is the line loop."""

    def __init__(self, prof, mod_filename, mod_funcname):
        self.prof = prof
        self.path = prof.path
        self.mod_file = _rewriter(mod_filename, False)
        self.mod_func = _rewriter(mod_funcname, True)
        # Raw name -> rewritten, interned name.
        self.cache = {"ob": {}, "fl": {}, "fn": {}}
        # Text as written (b"(12)", b"main") -> name, one per kind (files,
        # objects, functions), for the line loop; see name().
        self.refs = {"ob": {}, "fl": {}, "fn": {}}
        self.ctxs = {}          # (obj, file, name) -> Context

    def err(self, lineno, msg):
        raise ProfileError(self.path, lineno, msg)

    def err_at(self, at, msg):
        """err() for the line at byte offset AT (its number is worked out
        only now: counting lines is for errors)."""
        self.err(self.where(at), msg)

    def name(self, kind, raw, at):
        """Decompress and rewrite one position name RAW (bytes as written;
        AT: its offset).  Results are remembered in self.refs[kind] by
        those bytes (b"(12)" or a plain name), which the line loop tries
        first: refs is also the table of compressed names (b"(12)" is
        defined by "(12) name")."""
        refs = self.refs[kind]
        nm = refs.get(raw)
        if nm is not None:
            return nm
        if raw[:1] == b"(":
            # The usual definition "(12) name", on bytes: only the name is
            # decoded (a function profile defines ~25,000 of them).
            close = raw.find(b")")
            num = raw[1:close]
            if close > 1 and num.isdigit():
                rest = raw[close + 1:].decode("utf-8",
                                              "surrogateescape").strip()
                if rest:
                    if kind != "fn" or self.mod_func:
                        rest = self.rename(kind, rest)
                    refs[raw[:close + 1]] = rest      # b"(12)"
                    return rest
        # surrogateescape keeps undecodable bytes, so names round-trip
        # byte-exact through costprof_diff and the flame graph.
        val = raw.decode("utf-8", "surrogateescape")
        if val[-1:] == "\r":
            val = val[:-1]
        if val[:1] == "(" and val[1:2].isdigit():
            close = val.find(")")
            if close < 0 or not val[1:close].isdigit():
                self.err(self.where(at), "bad compressed name '%s'" % val)
            num = val[1:close]
            key = b"(" + num.encode() + b")"
            rest = val[close + 1:].strip()
            if rest:
                nm = refs[key] = self.rename(kind, rest)
                return nm
            nm = refs.get(key)
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
            c = self.ctxs[key] = Context(name, obj, file, 0)
            self.prof.contexts.append(c)
        return c

    # -- header lines ---------------------------------------------------

    def header(self, ln, at, seen_cost):
        prof = self.prof
        key, sep, val = ln.partition(":")
        if not sep or not _HEADER_KEY.match(key):
            self.err_at(at, "malformed line '%s'" % _short(ln))
        key = key.strip()
        val = val.strip()
        if key == "events":
            evs = val.split()
            if not evs:
                self.err_at(at, "events: line names no events")
            if prof.events:
                if evs != prof.events:
                    self.err_at(at, "events: line differs from the earlier "
                                "one (%s)" % " ".join(prof.events))
                return None
            if len(set(evs)) != len(evs):
                self.err_at(at, "events: line names an event twice")
            prof.events = evs
            return evs
        if key == "positions":
            pos = val.split()
            if not pos or any(p not in ("instr", "line", "bb") for p in pos):
                self.err_at(at, "bad positions: line '%s'" % _short(val))
            if seen_cost and pos != prof.positions:
                self.err_at(at, "positions: changed after cost lines")
            prof.positions = pos
        elif key == "event":
            self.event_spec(val, at)
        elif key == "summary" or key == "totals":
            costs = self.cost_list(val.split(), at, key + ":")
            if key == "summary":
                prof.summary = costs
            else:
                self.totals_lines.append((at, costs))
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

    def event_spec(self, val, at):
        # "NAME : long description" or "NAME = A + 2 B : description"
        head, _, desc = val.partition(":")
        name, eq, formula = head.partition("=")
        name = name.strip()
        if not name or " " in name:
            self.err_at(at, "bad event: line '%s'" % _short(val))
        if eq:
            self.prof.event_formulas[name] = formula.strip()
        if desc.strip():
            self.prof.event_descs[name] = desc.strip()

    def cost_list(self, toks, at, what):
        nev = len(self.prof.events)
        if not nev:
            self.err_at(at, "%s before the events: line" % what)
        if len(toks) > nev:
            self.err_at(at, "%s has %d costs but there are %d events"
                        % (what, len(toks), nev))
        try:
            vals = [_cost(t) for t in toks]
        except ValueError as e:
            self.err_at(at, "bad number '%s' in %s"
                        % (_short(str(e)), what))
        return vals + [0] * (nev - len(vals))

    # -- the slow, careful path for a cost line the fast path refused ----

    def slow_cost(self, ln, at, curline):
        """Parse a cost line exactly, with precise errors, after the fast
        path refused it.  Returns (line, costs)."""
        toks = ln.split()
        pos = self.prof.positions
        npos = len(pos)
        if len(toks) < npos:
            self.err_at(at, "cost line has %d positions, %d expected"
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
                self.err_at(at, "bad position '%s'" % _short(t))
            if pos[i] == "line":
                line = v
        costs = self.cost_list(toks[npos:], at, "cost line")
        return line, costs

    def where(self, pos):
        """Line number of byte offset POS (only needed for errors)."""
        return self.src.text().count(b"\n", 0, pos) + 1

    def run(self, src):
        """The line loop.  _BLOCK matches one non-cost line (names, calls=,
        headers), or a whole call (cob= cfi= cfn= calls= and the call's
        cost line), together with the run of cost lines after it.  A run is
        handled as a whole: split once, its costs summed with map(int), and
        only the line of its last cost line worked out (needed for the
        relative positions after it); the run's place in the text is kept
        so that Context.lines can decode it per line if someone asks.  A
        run that does not fit that shape (hex, missing columns, junk) is
        redone line by line by cost_line(), which also words the errors.

        SRC gives the file's bytes in pieces (see _Source), each piece
        ending before a name line; offsets (base + m.start()) are from the
        start of the file.  The loop works on bytes (no decoding of the
        whole file, half the memory); names and header lines are decoded
        one by one, and every slow path decodes its line and works on str
        as before."""
        self.src = src
        base = 0                 # offset of the piece in the file
        allascii = False         # the piece is ASCII (a run with other
        #                          bytes goes line by line, as str)
        prof = self.prof
        err = self.err
        where = self.where
        self.totals_lines = []
        nev = 0
        one = False              # one event: costs are kept as plain ints
        zeros = []
        npos = 1                 # number of subpositions on a cost line
        npos1 = 2
        ncol = 2                 # npos + nev
        line_at = 0              # index of "line" among them, None if none
        fast = False             # runs may take the fast path
        curline = 0              # current line subposition
        ob = fl = curfile = None
        ctx = None
        curl = None              # the record of (ctx, curfile), see Context
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
        relget = _RELB.__getitem__
        new_runs = array

        def add_call(line, v):
            """The cost line V of the pending call, at LINE."""
            # callee stays a key until resolve_calls(), which also sums
            # the calls made at the same site
            ctx.calls.append(Call(ctx, pending[1], pending[0], curfile, line,
                                  [v] if one else v))

        def cost_line(ln, at):
            """One cost line LN (bytes) starting at offset AT."""
            nonlocal curline, special, pending, jump
            ln = ln.decode("utf-8", "surrogateescape")
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
                if "_" in ln or not ln.isascii():
                    raise ValueError  # int() would take 1_0 and other digits
            except (ValueError, IndexError, TypeError):
                if not nev:
                    err(where(at), "cost line before the events: line")
                line, v = self.slow_cost(ln, at, curline)
                if one:
                    v = v[0]
            curline = line
            if not special:
                d = curl[1]
                if d is None:
                    d = curl[1] = {}
                if one:
                    d[line] = d.get(line, 0) + v
                    curl[0] += v
                else:
                    acc = d.get(line)
                    d[line] = v if acc is None else list(map(_add, acc, v))
                    curl[0] = list(map(_add, curl[0], v))
                return
            if jump is not None:
                jump = None          # position line of a jump: no cost
                special = curl is None
                return
            if curl is None:
                err(where(at), "cost line before any fn= line")
            if pending is not None:
                add_call(line, v)
                pending = None
            special = False

        def line_by_line(body, at):
            for ln in body.split(b"\n"):
                if ln:
                    cost_line(ln, at)
                at += len(ln) + 1

        def calls_line(val, s):
            """calls=VAL at offset S: the pending call."""
            val = val.decode("utf-8", "surrogateescape")
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
                count = int(t) if t.isdigit() and t.isascii() else _num(t)
            except ValueError:
                err(where(s), "bad call count '%s'" % _short(t))
            return [count, callee, s]

        def scan(piece):
            """The matches of the next piece."""
            nonlocal base, allascii
            text, end, base = piece
            allascii = text.isascii()
            if not base and text[:1] in (b"0", b"1", b"2", b"3", b"4", b"5",
                                         b"6", b"7", b"8", b"9", b"+", b"-",
                                         b"*"):
                cost_line(text[:text.find(b"\n")], 0)   # raises: no events
            return _BLOCK.finditer(text, 0, end)

        for m in chain.from_iterable(map(scan, src.pieces())):
            vcob, vcfi, vcfn, vcalls, vcost, key, val, body = m.groups()
            if special:
                # blank lines and comments may come between
                if vcfn is not None or key is not None or \
                        (val.decode("utf-8", "surrogateescape").strip()
                         and val[:1] != b"#"):
                    if pending is not None:
                        err(where(pending[2]),
                            "calls= line not followed by its cost line")
                    if jump is not None:
                        err(where(jump),
                            "jump line not followed by its position line")
            if vcfn is not None:
                # a call: [cob=] [cfi=] cfn= calls= and its cost line
                if vcob is not None:
                    cob = name("ob", vcob, base + m.start(1))
                if vcfi is not None:
                    cfi = flref.get(vcfi)
                    if cfi is None:
                        cfi = name("fl", vcfi, base + m.start(2))
                if ctx is None:
                    err(where(base + m.start(3)), "cfn= before any fn= line")
                nm = fnref.get(vcfn)
                if nm is None:
                    nm = name("fn", vcfn, base + m.start(3))
                callee = (cob if cob is not None else ob,
                          cfi if cfi is not None else curfile, nm)
                cob = cfi = None
                toks = vcalls.split()
                if len(toks) > npos and toks[0].isdigit():
                    count = int(toks[0])
                else:                  # hex count, or an error
                    count = calls_line(vcalls, base + m.start(4))[0]
                toks = vcost.split()
                try:
                    if not (fast and len(toks) == ncol and b"_" not in vcost
                            and (allascii or vcost.isascii())):
                        raise ValueError
                    p = toks[line_at]
                    line = int(p) if p.isdigit() else curline + relget(p)
                    v = int(toks[npos]) if one else \
                        list(map(int, toks[npos:]))
                except (ValueError, KeyError):
                    # cost_line() adds the call, or words the error
                    pending = [count, callee, base + m.start(4)]
                    special = True
                    cost_line(vcost, base + m.start(5))
                else:
                    curline = line
                    # add_call(), inlined
                    ctx.calls.append(Call(ctx, callee, count, curfile, line,
                                          [v] if one else v))
            # the other keys by how often callgrind writes them
            elif key is None:
                sval = val.decode("utf-8", "surrogateescape") \
                    if val and val[:1] != b"#" else ""
                if sval and not sval.isspace():
                    s = base + m.start(7)
                    evs = self.header(sval, s, ctx is not None)
                    if evs is not None:
                        nev = len(evs)
                        one = nev == 1
                        zeros = [0] * nev
                    ps = prof.positions
                    npos = len(ps)
                    npos1 = npos + 1
                    ncol = npos + nev
                    # None makes parts[line_at] raise TypeError: the slow
                    # path then handles profiles without line positions.
                    line_at = ps.index("line") if "line" in ps else None
                    fast = line_at is not None and nev > 0
            elif key == b"fi" or key == b"fe":
                curfile = flref.get(val)
                if curfile is None:
                    curfile = name("fl", val, base + m.start(6))
                if ctx is not None:
                    curl = ctx._files.get(curfile)
                    if curl is None:
                        curl = ctx._files[curfile] = [0 if one else zeros,
                                                      None, None]
            elif key == b"fn":
                s = base + m.start(6)
                if not nev:
                    err(where(s), "fn= before the events: line")
                if fl is None:
                    fl = "???"
                curfile = fl
                ctx = self.context(ob, fl, name("fn", val, s))
                curl = ctx._files.get(curfile)
                if curl is None:
                    curl = ctx._files[curfile] = [0 if one else zeros,
                                                  None, None]
                callee = None
                special = False
            elif key == b"cfn":
                if ctx is None:
                    err(where(base + m.start(6)), "cfn= before any fn= line")
                # cob=/cfi= apply to this cfn= only (callgrind writes
                # them only when they differ from the caller's).
                nm = fnref.get(val)
                if nm is None:
                    nm = name("fn", val, base + m.start(6))
                callee = (cob if cob is not None else ob,
                          cfi if cfi is not None else curfile, nm)
                cob = cfi = None
            elif key == b"calls":
                pending = calls_line(val, base + m.start(6))
                special = True
            elif key == b"cfi" or key == b"cfl":
                cfi = flref.get(val)
                if cfi is None:
                    cfi = name("fl", val, base + m.start(6))
            elif key == b"fl":
                curfile = flref.get(val)
                if curfile is None:
                    curfile = name("fl", val, base + m.start(6))
                fl = curfile
                if ctx is not None:
                    curl = ctx._files.get(curfile)
                    if curl is None:
                        curl = ctx._files[curfile] = [0 if one else zeros,
                                                      None, None]
            elif key == b"ob":
                ob = name("ob", val, base + m.start(6))
            elif key == b"cob":
                cob = name("ob", val, base + m.start(6))
            elif key == b"jump" or key == b"jcnd":
                s = base + m.start(6)
                if ctx is None:
                    err(where(s), "%s= before any fn= line" % key.decode())
                self.check_jump(key.decode(), val.decode(
                    "utf-8", "surrogateescape"), s, npos)
                jump = s
                special = True
            elif key == b"jfi":
                name("fl", val, base + m.start(6))
            elif key == b"jfn":
                name("fn", val, base + m.start(6))
            elif key != b"ln":        # ln=: callgrind --dump-bbs line marker
                self.header((key + b"=" + val).decode(
                    "utf-8", "surrogateescape"), base + m.start(6),
                    ctx is not None)      # raises: malformed

            if not body:
                continue
            # the run of cost lines after the line (or call)
            a = base + m.start(8)
            if special:
                # its first line is a jump's position line, or the cost
                # line of a calls= that did not come as one match
                cut = body.find(b"\n") + 1
                cost_line(body[:cut - 1], a)
                if cut == len(body):
                    continue
                body = body[cut:]
                a += cut
            toks = body.split()
            if fast and len(toks) == body.count(b"\n") * ncol and \
                    b"_" not in body and (allascii or body.isascii()):
                try:
                    # Most runs are one basic block: every line has the
                    # same cost (its execution count), and comparing the
                    # tokens is cheaper than converting each.
                    if one:
                        ct = toks[npos::ncol]
                        c0 = ct[0]
                        n = len(ct)
                        v = int(c0) * n if ct.count(c0) == n else \
                            sum(map(int, ct))
                    else:
                        v = []
                        for k in range(npos, ncol):
                            ct = toks[k::ncol]
                            c0 = ct[0]
                            n = len(ct)
                            v.append(int(c0) * n if ct.count(c0) == n
                                     else sum(map(int, ct)))
                    lt = toks[line_at::ncol]
                    first = lt[0]
                    if first.isdigit():    # absolute: the rest adds to it
                        lt[0] = b"*"
                        last = int(first) + sum(map(relget, lt))
                        lt[0] = first
                    else:
                        last = curline + sum(map(relget, lt))
                except ValueError:   # hex or junk: line by line below
                    last = None
                except KeyError:     # absolute lines inside, or junk
                    last = _last_line(lt, curline)
                if last is not None:
                    runs = curl[2]
                    if runs is None:
                        runs = curl[2] = new_runs("q")
                    try:
                        # (line before, start); the run ends where _RUN
                        # says.  curline first: if it does not fit in 64
                        # bits (junk), nothing is appended.
                        runs.append(curline)
                        runs.append(a)
                    except OverflowError:
                        last = None
                if last is not None:
                    curline = last
                    if one:
                        curl[0] += v
                    else:
                        curl[0] = list(map(_add, curl[0], v))
                    continue
            # else: callgrind left out trailing zero costs on some lines
            line_by_line(body, a)

        if pending is not None:
            err(where(pending[2]), "file truncated: calls= line without its "
                "cost line")
        if jump is not None:
            err(where(jump), "file truncated: jump line without its position "
                "line")
        if not nev:
            err(0, "no events: line (truncated file, or not a callgrind "
                "or cachegrind profile)")
        self.finish(one, (src, ncol, npos, line_at, nev))

    def check_jump(self, key, val, at, npos):
        toks = val.split()
        if key == "jcnd" and toks and "/" in toks[0]:
            # callgrind writes "jcnd=FOLLOWED/EXECUTED target"
            counts = toks[0].split("/")
            toks = counts + toks[1:]
        need = (2 if key == "jcnd" else 1) + npos
        if len(toks) < need:
            self.err_at(at, "%s= line too short" % key)
        for t in toks[:need - npos]:
            if not t.isdigit():
                self.err_at(at, "bad count '%s' in %s= line"
                            % (_short(t), key))

    def finish(self, one, src):
        prof = self.prof
        nev = len(prof.events)
        # first: it frees the callee keys, the memory of the sums below
        self.resolve_calls()
        # Self cost from the records' sums; file_self() and the (file,
        # line) dict are built only if someone asks.
        first = itemgetter(0)
        if one:
            tot = 0
            for c in prof.contexts:
                c.self = [sum(map(first, c._files.values()))]
                c._src = src
                tot += c.self[0]
            totals = [tot]
        else:
            for c in prof.contexts:
                c.self = _vsum(list(map(first, c._files.values())), nev)
                c._src = src
            totals = _vsum([c.self for c in prof.contexts], nev)
        prof.totals = totals
        prof.has_paths = any(len(c.stack) > 1 for c in prof.contexts)
        if prof.summary is not None and len(prof.summary) != nev:
            prof.summary = (prof.summary + [0] * nev)[:nev]
        if self.totals_lines:
            written = [0] * nev
            for _, v in self.totals_lines:
                written = list(map(_add, written, v))
            prof.written_totals = written
            if written != totals:
                self.err_at(self.totals_lines[-1][0],
                            "totals: (%s) differ from the sum of the cost "
                            "lines (%s): file damaged or truncated"
                            % (" ".join(map(str, written)),
                               " ".join(map(str, totals))))

    def resolve_calls(self):
        """Sum each context's calls made at the same site (callee, file,
        line) and replace each call's callee key by its Context (a stub
        when the callee never appears as fn=)."""
        prof = self.prof
        nev = len(prof.events)
        ctxs = self.ctxs
        by_name = None
        stubs = {}
        for c in prof.contexts:
            calls = c.calls
            if len(calls) > 1:
                calls = c.calls = _merge_sites(calls, nev == 1)
            for call in calls:
                key = call.callee
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
                            callee._files = None
                            callee._lines = {}
                            prof.stubs.append(callee)
                call.callee = callee


def _merge_sites(calls, one):
    """CALLS (of one context, in file order) with the calls made at the
    same site (callee, file, line) summed into the first of them.  Done
    once at the end: a dict per context, kept while reading, held a few
    MB more at the peak (page faults)."""
    first = {}
    out = []
    for call in calls:
        key = (call.callee, call.file, call.line)
        f = first.get(key)
        if f is None:
            first[key] = call
            out.append(call)
        else:
            f.count += call.count
            if one:
                f.inclusive[0] += call.inclusive[0]
            else:
                f.inclusive = list(map(_add, f.inclusive, call.inclusive))
    return out


def _short(s, n=60):
    s = s.rstrip("\r\n")
    return s if len(s) <= n else s[:n] + "..."
