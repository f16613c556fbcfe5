"""Flame graph rendering for costprof_flamegraph: pure functions of a
{stack tuple (root first): cost} mapping -> folded text or a self-contained
interactive SVG.  Knows nothing about profiles; costprof_flamegraph builds
the stacks.  Look and behaviour follow Brendan Gregg's FlameGraph (own code).

Every string that reaches the SVG is untrusted (function, object, file names,
titles): text and attributes go through xml_text(), data for the script goes
through js_json(), which cannot close the script element or the CDATA."""
import json
import zlib

# --- sanitising -----------------------------------------------------------


def clean(s):
    """S as a string that encodes to valid UTF-8 and is legal XML 1.0 text:
    lone surrogates (from errors='surrogateescape') and control characters
    become U+FFFD, since XML cannot carry them at all."""
    out = None
    for i, ch in enumerate(s):
        o = ord(ch)
        bad = (o < 0x20 and ch not in "\t\n\r") or 0xD800 <= o <= 0xDFFF \
            or o in (0xFFFE, 0xFFFF)
        if bad:
            if out is None:
                out = list(s[:i])
            out.append("\ufffd")
        elif out is not None:
            out.append(ch)
    return s if out is None else "".join(out)


def xml_text(s):
    """S escaped for XML text and double- or single-quoted attributes."""
    return (clean(s).replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace('"', "&quot;").replace("'", "&#39;"))


def js_json(obj):
    """OBJ as a JSON literal safe inside <script><![CDATA[ ... ]]>: without
    '<', '>' and '&' neither '</script' nor ']]>' can appear."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("&", "\\u0026").replace("\u2028", "\\u2028")
            .replace("\u2029", "\\u2029"))


def folded_frame(name):
    """A frame name for folded stacks: ';' separates frames and a newline
    separates stacks, so both are replaced."""
    return (name.replace(";", ":").replace("\r", " ").replace("\n", " ")
            or "?")


# --- folded stacks ----------------------------------------------------------


def folded_lines(stacks):
    """Lines 'main;f;g 1234' for every stack with a non-zero value, sorted.
    Values are written as they are (negative ones too) so they add up to
    the total."""
    rows = {}
    for stack, val in stacks.items():
        if val and stack:
            key = ";".join(folded_frame(f) for f in stack)
            rows[key] = rows.get(key, 0) + val
    return ["%s %d" % (k, v) for k, v in sorted(rows.items()) if v]


def folded_diff_lines(old, new):
    """Lines 'main;f;g OLD NEW' (FlameGraph's difffolded format) for the
    union of the stacks of OLD and NEW, skipping stacks zero in both."""
    rows = {}
    for idx, stacks in ((0, old), (1, new)):
        for stack, val in stacks.items():
            if val and stack:
                key = ";".join(folded_frame(f) for f in stack)
                rows.setdefault(key, [0, 0])[idx] += val
    return ["%s %d %d" % (k, o, n) for k, (o, n) in sorted(rows.items())
            if o or n]


# --- tree -------------------------------------------------------------------

# A node is a list: [name, children {name: node}, inclusive, self,
#                    old inclusive, old self]
NAME, KIDS, INC, SELF, OINC, OSELF = range(6)


def build_tree(stacks, old_stacks=None):
    """Merged call tree of the positive values of STACKS (and, for
    differential graphs, of OLD_STACKS into the same nodes).  Negative
    values cannot be drawn as widths; callers say how many were left out."""
    root = ["all", {}, 0, 0, 0, 0]
    for which, src in ((INC, stacks), (OINC, old_stacks or {})):
        for stack, val in src.items():
            if val <= 0 or not stack:
                continue
            node = root
            node[which] += val
            for f in stack:
                kid = node[KIDS].get(f)
                if kid is None:
                    kid = node[KIDS][f] = [f, {}, 0, 0, 0, 0]
                kid[which] += val
                node = kid
            node[which + 1] += val
    return root


# --- colours ----------------------------------------------------------------

def _h(s):
    """Stable hash of S in [0, 1): zlib.crc32 does not change between runs
    the way Python's hash() does."""
    return (zlib.crc32(clean(s).encode("utf-8")) & 0xffffffff) / 2.0 ** 32


# scheme(v_object, v_name) -> (r, g, b); the object picks the main hue so
# frames of one object look alike, the name only shades it slightly.
SCHEMES = {
    "hot": lambda a, b: (205 + int(50 * b), int(230 * a), int(55 * b)),
    "mem": lambda a, b: (int(60 * b), 190 + int(60 * a), int(55 + 60 * b)),
    "io": lambda a, b: (80 + int(60 * b), 80 + int(60 * b),
                        190 + int(55 * a)),
    "aqua": lambda a, b: (50 + int(60 * b), 165 + int(55 * a),
                          165 + int(55 * a)),
    "purple": lambda a, b: (190 + int(65 * b), 80 + int(60 * a),
                            190 + int(65 * a)),
    "gray": lambda a, b: (150 + int(70 * a),) * 3,
}
MERGED_FILL = "rgb(200,200,200)"


def frame_fill(scheme, obj, name):
    r, g, b = SCHEMES[scheme](_h(obj or name), _h(name))
    return "rgb(%d,%d,%d)" % (r, g, b)


def diff_fill(delta, maxdelta):
    """FlameGraph's differential colours: red for growth, blue for
    shrinkage, saturation relative to the largest change, white for none."""
    if not delta or not maxdelta:
        return "rgb(250,250,250)"
    c = 210 - int(210 * min(1.0, abs(delta) / maxdelta))
    return "rgb(255,%d,%d)" % (c, c) if delta > 0 else "rgb(%d,%d,255)" % (c, c)


def fmt_int(n):
    return "{:,}".format(n)


def fmt_pct(part, whole):
    return "%.2f%%" % (100.0 * part / whole) if whole else "-"


# --- layout -----------------------------------------------------------------


def layout(root, width_px, min_width):
    """Frames to draw, in preorder: (name, depth, x_cost, node, parent_index,
    merged_count).  Children are sorted by name as FlameGraph does; children
    narrower than MIN_WIDTH px are left out, and if together they are at
    least MIN_WIDTH wide they are drawn as one grey '(N merged)' frame, so
    huge profiles stay small files while the widths stay exact."""
    total = root[INC]
    scale = width_px / total if total else 0.0
    frames = []
    todo = [(root, -1, 0, -1, 0)]
    while todo:
        node, depth, x, parent, merged = todo.pop()
        me = parent
        if depth >= 0:
            me = len(frames)
            frames.append((node[NAME], depth, x, node, parent, merged))
        wide, small_val, small_n = [], 0, 0
        for name in sorted(node[KIDS]):
            kid = node[KIDS][name]
            if kid[INC] <= 0:
                continue
            if kid[INC] * scale >= min_width:
                wide.append(kid)
            else:
                small_val += kid[INC]
                small_n += 1
        cx = x
        pushes = []
        for kid in wide:
            pushes.append((kid, depth + 1, cx, me, 0))
            cx += kid[INC]
        if small_n and small_val * scale >= min_width:
            # (one small child alone is narrower than MIN_WIDTH: not drawn)
            fake = ["(%d frames merged)" % small_n, {}, small_val, 0, 0, 0]
            pushes.append((fake, depth + 1, cx, me, small_n))
        for p in reversed(pushes):
            todo.append(p)
    return frames


# --- SVG --------------------------------------------------------------------

FONT = 12
FRAME_H = 16
CHAR_W = FONT * 0.59
XPAD = 10


def _label(name, w):
    n = int((w - 6) / CHAR_W)
    if n < 3:
        return ""
    return name if len(name) <= n else name[:n - 2] + ".."


def render_svg(stacks, title="Flame Graph", subtitle="", width=1200,
               min_width=0.1, inverted=False, colors="hot", objs=None,
               event="", old_stacks=None):
    """The whole SVG document as a str.  STACKS: {stack tuple: int};
    OBJS: {function name: object name} for colours; OLD_STACKS: makes a
    differential graph (shape of STACKS, colour by self-cost change)."""
    objs = objs or {}
    diff = old_stacks is not None
    root = build_tree(stacks, old_stacks)
    total = root[INC]
    dropped = sum(1 for v in stacks.values() if v < 0)
    notes = [subtitle] if subtitle else []
    if dropped:
        notes.append("%d stacks with negative cost not drawn" % dropped)
    if not total:
        notes.append("no positive %s cost to draw" % (event or "cost"))
    subtitle = "; ".join(notes)

    fw = width - 2 * XPAD
    frames = layout(root, fw, min_width) if total else []
    scale = fw / total if total else 0.0
    depth_max = max((f[1] for f in frames), default=0) + 1
    ypad1 = FONT * 3 + (FONT * 2 if subtitle else 0)
    ypad2 = FONT * 2 + 10
    height = ypad1 + ypad2 + depth_max * FRAME_H + 10

    maxdelta = 0
    if diff:
        for f in frames:
            maxdelta = max(maxdelta, abs(f[3][SELF] - f[3][OSELF]))

    names, name_ix = [], {}
    jx, jw, jd, jp, jn = [], [], [], [], []
    out = []
    w = out.append
    w('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n')
    w('<svg version="1.1" xmlns="http://www.w3.org/2000/svg" '
      'width="%d" height="%d" viewBox="0 0 %d %d">\n'
      % (width, height, width, height))
    w('<!-- costprof_flamegraph: click a frame to zoom, Search (or Ctrl-F) '
      'to highlight, Reset (or Escape) to return. -->\n')
    w('<defs><linearGradient id="cpbg" y1="0" y2="1" x1="0" x2="0">'
      '<stop stop-color="#eeeeee" offset="5%%"/>'
      '<stop stop-color="%s" offset="95%%"/></linearGradient></defs>\n'
      % ("#e0e0ff" if diff else "#eeeeb0"))
    w('<style type="text/css"><![CDATA[\n'
      'text { font-family: Verdana, sans-serif; font-size: %dpx; fill: #000; }\n'
      '#cptitle { text-anchor: middle; font-size: %dpx; }\n'
      '#cpsubtitle { text-anchor: middle; fill: #555; }\n'
      '#cpsearch, #cpreset { cursor: pointer; opacity: 0.8; }\n'
      '#cpsearch:hover, #cpreset:hover { opacity: 1; }\n'
      '#cpreset.off { display: none; }\n'
      '#cpmatched { text-anchor: end; }\n'
      '.f { cursor: pointer; } .f:hover rect { stroke: #000; stroke-width: 0.5; }\n'
      '.f text { pointer-events: none; }\n'
      '.f.hide { display: none; } .f.parent { opacity: 0.5; }\n'
      ']]></style>\n' % (FONT, FONT + 5))
    w('<rect x="0" y="0" width="%d" height="%d" fill="url(#cpbg)"/>\n'
      % (width, height))
    w('<text id="cptitle" x="%.1f" y="%d">%s</text>\n'
      % (width / 2.0, FONT * 2, xml_text(title)))
    if subtitle:
        w('<text id="cpsubtitle" x="%.1f" y="%d">%s</text>\n'
          % (width / 2.0, FONT * 4, xml_text(subtitle)))
    w('<text id="cpreset" class="off" x="%d" y="%d">Reset Zoom</text>\n'
      % (XPAD, FONT * 2))
    w('<text id="cpsearch" x="%d" y="%d" text-anchor="end">Search</text>\n'
      % (width - XPAD, FONT * 2))
    w('<text id="cpdetails" x="%d" y="%d"> </text>\n'
      % (XPAD, height - FONT + 2))
    w('<text id="cpmatched" x="%d" y="%d"> </text>\n'
      % (width - XPAD, height - FONT + 2))
    w('<g id="cpframes">\n')
    base_y = ypad1 if inverted else height - ypad2 - FRAME_H
    step = FRAME_H if inverted else -FRAME_H
    unit = (" " + event) if event else ""
    for i, (name, depth, x, node, parent, merged) in enumerate(frames):
        name = clean(name)
        inc = node[INC]
        if merged:
            tip = "%s: %s%s (%s)" % (name, fmt_int(inc), unit,
                                     fmt_pct(inc, total))
            fill = MERGED_FILL
        elif diff:
            d = node[SELF] - node[OSELF]
            tip = ("%s: %s%s (%s), was %s; self %+d (%s)"
                   % (name, fmt_int(inc), unit, fmt_pct(inc, total),
                      fmt_int(node[OINC]), d,
                      ("%+.2f%%" % (100.0 * d / node[OSELF]))
                      if node[OSELF] else "new"))
            fill = diff_fill(d, maxdelta)
        else:
            obj = clean(objs.get(node[NAME], ""))
            tip = "%s%s: %s%s (%s)" % (
                name, (" [%s]" % obj) if obj else "", fmt_int(inc), unit,
                fmt_pct(inc, total))
            fill = frame_fill(colors, obj, name)
        fx = XPAD + x * scale
        fwid = inc * scale
        fy = base_y + depth * step
        w('<g class="f" id="f%d"><title>%s</title><rect x="%.2f" y="%d" '
          'width="%.2f" height="%d" fill="%s" rx="2" ry="2"/>'
          '<text x="%.2f" y="%d">%s</text></g>\n'
          % (i, xml_text(tip), fx, fy, fwid, FRAME_H - 1, fill,
             fx + 3, fy + FRAME_H - 5, xml_text(_label(name, fwid))))
        ix = name_ix.get(name)
        if ix is None:
            ix = name_ix[name] = len(names)
            names.append(name)
        jx.append(x)
        jw.append(inc)
        jd.append(depth)
        jp.append(parent)
        jn.append(-1 if merged else ix)
    w('</g>\n')
    data = {"total": total, "width": width, "xpad": XPAD, "charw": CHAR_W,
            "names": names, "x": jx, "w": jw, "d": jd, "p": jp, "n": jn}
    w('<script type="text/ecmascript"><![CDATA[\n"use strict";\n'
      'var CPDATA = %s;\n%s]]></script>\n' % (js_json(data), _SCRIPT))
    w('</svg>\n')
    return "".join(out)


# The viewer.  Data comes from CPDATA; names only ever go into textContent,
# never into markup.  Test hook: a URL fragment
# '#cp-test=click:f3&search:REGEX&reset' performs those actions on load so a
# headless browser's --dump-dom shows the resulting state.
_SCRIPT = r"""
(function () {
  var D = CPDATA, N = D.x.length, FW = D.width - 2 * D.xpad;
  var fills = [], zoomed = -1;
  function el(id) { return document.getElementById(id); }
  function g(i) { return el("f" + i); }
  function fit(name, w) {
    var n = Math.floor((w - 6) / D.charw);
    if (n < 3) return "";
    return name.length <= n ? name : name.substring(0, n - 2) + "..";
  }
  function nameOf(i) { return D.n[i] < 0 ? "" : D.names[D.n[i]]; }
  function setClass(e, c, on) {
    var cl = (e.getAttribute("class") || "").split(" ").filter(function (s) {
      return s && s !== c; });
    if (on) cl.push(c);
    e.setAttribute("class", cl.join(" "));
  }
  function place(i, x, w, cls) {
    var e = g(i), r = e.children[1], t = e.children[2];
    setClass(e, "hide", cls === "hide");
    setClass(e, "parent", cls === "parent");
    if (cls === "hide") return;
    r.setAttribute("x", x.toFixed(2));
    r.setAttribute("width", w.toFixed(2));
    t.setAttribute("x", (x + 3).toFixed(2));
    t.textContent = D.n[i] < 0 ? fit(e.firstChild.textContent.split(":")[0], w)
                               : fit(nameOf(i), w);
  }
  function zoom(z) {
    if (z < 0 || z >= N) return;
    var lo = D.x[z], hi = lo + D.w[z], sc = FW / D.w[z], anc = {};
    for (var a = z; a >= 0; a = D.p[a]) anc[a] = true;
    for (var i = 0; i < N; i++) {
      if (anc[i]) place(i, D.xpad, FW, i === z ? "" : "parent");
      else if (D.d[i] > D.d[z] && D.x[i] >= lo && D.x[i] + D.w[i] <= hi)
        place(i, D.xpad + (D.x[i] - lo) * sc, D.w[i] * sc, "");
      else place(i, 0, 0, "hide");
    }
    zoomed = z;
    setClass(el("cpreset"), "off", false);
  }
  function unzoom() {
    var sc = D.total ? FW / D.total : 0;
    for (var i = 0; i < N; i++)
      place(i, D.xpad + D.x[i] * sc, D.w[i] * sc, "");
    zoomed = -1;
    setClass(el("cpreset"), "off", true);
  }
  function search(term) {
    var re = null, hit = {}, sum = 0, count = 0;
    if (term) {
      try { re = new RegExp(term); } catch (e) { re = null; }
    }
    for (var i = 0; i < N; i++) {
      var nm = nameOf(i), m = false;
      if (term && D.n[i] >= 0)
        m = re ? re.test(nm) : nm.indexOf(term) >= 0;
      var r = g(i).children[1];
      r.setAttribute("fill", m ? "rgb(230,0,230)" : fills[i]);
      setClass(g(i), "match", m);
      if (m) {
        hit[i] = true; count++;
        var covered = false;   // nested matches are already counted
        for (var a = D.p[i]; a >= 0; a = D.p[a]) if (hit[a]) { covered = true; break; }
        if (!covered) sum += D.w[i];
      }
    }
    var t = el("cpmatched");
    t.textContent = term ? "Matched: " + (D.total ? (100 * sum / D.total).toFixed(2) : "0.00") +
      "% (" + count + " frames)" : " ";
    setClass(el("cpsearch"), "active", !!term);
  }
  function reset() { unzoom(); search(""); }
  function frameOf(t) {
    while (t && t !== document.documentElement) {
      if (t.id && t.id.charAt(0) === "f" && t.parentNode && t.parentNode.id === "cpframes") return t;
      t = t.parentNode;
    }
    return null;
  }
  for (var i = 0; i < N; i++) fills.push(g(i).children[1].getAttribute("fill"));
  var frames = el("cpframes");
  frames.addEventListener("click", function (e) {
    var f = frameOf(e.target);
    if (f) zoom(parseInt(f.id.substring(1), 10));
  });
  frames.addEventListener("mouseover", function (e) {
    var f = frameOf(e.target);
    el("cpdetails").textContent = f ? f.firstChild.textContent : " ";
  });
  frames.addEventListener("mouseout", function () {
    el("cpdetails").textContent = " ";
  });
  el("cpreset").addEventListener("click", reset);
  el("cpsearch").addEventListener("click", function () {
    var term = window.prompt("Search frames (regular expression or substring):", "");
    if (term !== null) search(term);
  });
  window.addEventListener("keydown", function (e) {
    if ((e.ctrlKey || e.metaKey) && e.key === "f") {
      e.preventDefault();
      var term = window.prompt("Search frames (regular expression or substring):", "");
      if (term !== null) search(term);
    } else if (e.key === "Escape") reset();
  });
  var h = (window.location && window.location.hash) || "";
  if (h.indexOf("#cp-test=") === 0) {
    h.substring(9).split("&").forEach(function (act) {
      var k = act.indexOf(":"), verb = k < 0 ? act : act.substring(0, k);
      var arg = k < 0 ? "" : decodeURIComponent(act.substring(k + 1));
      if (verb === "click") zoom(parseInt(arg.replace(/^f/, ""), 10));
      else if (verb === "search") search(arg);
      else if (verb === "reset") reset();
    });
  }
})();
"""
