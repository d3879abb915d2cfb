// The history page's "compare versions" form. Two revisions chosen whose
// redline is on the page (one revision against the one before it, or two
// adopted versions) open it; any other pair is computed here from the
// revisions' blocks (window.STYRDOK_REVISIONS, the page's data script)
// with a port of src/redline/mod.rs, and written with the structure and
// classes of src/render/redline.rs, document text as textContent only.
// Without JavaScript the form stays hidden and the lists are the way in.
(function () {
  "use strict";
  var form = document.querySelector(".compare-form");
  if (!form) return;
  var none = document.querySelector(".compare-none");
  var computed = document.querySelector(".compare-computed");
  var data = window.STYRDOK_REVISIONS || null;
  form.hidden = false;

  // --- The revisions, oldest last (as on the page) -----------------------
  function docOf(value) {
    if (!data) return null;
    if (value === "aktuell") return data.current ? prepare(data.current) : docOf(data.revisions[0].commit);
    for (var i = 0; i < data.revisions.length; i++) {
      if (data.revisions[i].commit === value) return prepare(data.revisions[i].blocks);
    }
    return null;
  }
  // Position in time: 0 the newest revision; the current text -1.
  function age(value) {
    if (value === "aktuell") return -1;
    if (!data) return 0;
    for (var i = 0; i < data.revisions.length; i++) if (data.revisions[i].commit === value) return i;
    return null;
  }
  function prepare(blocks) {
    return blocks.map(function (b) {
      var kindKey = b.k === "li" ? "li:" + !!b.o + ":" + b.d : b.k === "h" ? "h" + b.l : b.k === "tr" ? "tr:" + !!b.th : b.k;
      return { b: b, key: kindKey + "\u0000" + b.c.join("\u0001"), words: wordCount(b.c) };
    });
  }
  function wordCount(cells) {
    var n = 0;
    cells.forEach(function (c) { n += c.split(/\s+/).filter(Boolean).length; });
    return n;
  }
  function text(b) { return b.c.join(" | "); }
  function sectionTitle(doc, i) {
    var s = doc[i] && doc[i].b.s;
    return s === undefined || s === null ? null : text(doc[s].b);
  }
  function comparable(a, b) {
    var g = function (k) { return k === "q" ? "p" : k; };
    return g(a.k) === g(b.k);
  }

  // --- Sequence diff (similar's Myers stands in for an LCS) --------------
  // Ops over a[a0..a1], b[b0..b1]: ["=", i, j] / ["-", i] / ["+", j];
  // in each gap the removed come before the added, as similar gives them.
  function lcsDiff(a, a0, a1, b, b0, b1, out) {
    while (a0 < a1 && b0 < b1 && a[a0] === b[b0]) { out.push(["=", a0++, b0++]); }
    var tail = [];
    while (a1 > a0 && b1 > b0 && a[a1 - 1] === b[b1 - 1]) { tail.unshift(["=", --a1, --b1]); }
    var n = a1 - a0, m = b1 - b0, i, j;
    var L = new Array((n + 1) * (m + 1)).fill(0);
    for (i = n - 1; i >= 0; i--) for (j = m - 1; j >= 0; j--) {
      L[i * (m + 1) + j] = a[a0 + i] === b[b0 + j] ? L[(i + 1) * (m + 1) + j + 1] + 1
        : Math.max(L[(i + 1) * (m + 1) + j], L[i * (m + 1) + j + 1]);
    }
    i = 0; j = 0;
    var dels = [], ins = [];
    var flush = function () { dels.forEach(function (x) { out.push(x); }); ins.forEach(function (x) { out.push(x); }); dels = []; ins = []; };
    while (i < n || j < m) {
      if (i < n && j < m && a[a0 + i] === b[b0 + j]) { flush(); out.push(["=", a0 + i, b0 + j]); i++; j++; }
      else if (j >= m || (i < n && L[(i + 1) * (m + 1) + j] >= L[i * (m + 1) + j + 1])) { dels.push(["-", a0 + i]); i++; }
      else { ins.push(["+", b0 + j]); j++; }
    }
    flush();
    tail.forEach(function (x) { out.push(x); });
  }
  // Patience: items unique on both sides anchor, the gaps are diffed.
  function patience(a, b) {
    var count = function (xs) { var m = new Map(); xs.forEach(function (x) { m.set(x, (m.get(x) || 0) + 1); }); return m; };
    var ca = count(a), cb = count(b);
    var ua = [], ub = [];
    a.forEach(function (x, i) { if (ca.get(x) === 1 && cb.get(x) === 1) ua.push(i); });
    b.forEach(function (x, j) { if (ca.get(x) === 1 && cb.get(x) === 1) ub.push(j); });
    var ka = ua.map(function (i) { return a[i]; }), kb = ub.map(function (j) { return b[j]; });
    var anchors = [];
    lcsDiff(ka, 0, ka.length, kb, 0, kb.length, anchors);
    var out = [], ai = 0, bj = 0;
    anchors.forEach(function (op) {
      if (op[0] !== "=") return;
      var i = ua[op[1]], j = ub[op[2]];
      lcsDiff(a, ai, i, b, bj, j, out);
      out.push(["=", i, j]);
      ai = i + 1; bj = j + 1;
    });
    lcsDiff(a, ai, a.length, b, bj, b.length, out);
    return out;
  }
  // Hunks: equal runs and changed runs, [tag, oStart, oEnd, nStart, nEnd].
  function hunks(ops) {
    var hs = [], cur = null, oi = 0, nj = 0;
    ops.forEach(function (op) {
      var eq = op[0] === "=";
      if (!cur || (cur[0] === "=") !== eq) { cur = [eq ? "=" : "~", oi, oi, nj, nj]; hs.push(cur); }
      if (op[0] !== "+") { oi++; cur[2] = oi; }
      if (op[0] !== "-") { nj++; cur[4] = nj; }
    });
    return hs;
  }

  // --- Alignment (src/redline/mod.rs) -------------------------------------
  var MOVE_MIN_WORDS = 4, PAIR_MIN_RATIO = 0.4, PAIR_MIN_RATIO_HEADING = 0.2, PAIR_LOOKAHEAD = 12;

  function align(old, neu) {
    var hs = hunks(patience(old.map(function (x) { return x.key; }), neu.map(function (x) { return x.key; })));
    var mv = moves(old, neu, hs);
    var items = [];
    hs.forEach(function (h) {
      if (h[0] === "=") for (var j = h[3]; j < h[4]; j++) items.push({ t: "same", n: j });
      else changedRun(old, neu, h, mv, items);
    });
    preferLargerMoves(old, neu, items);
    return items;
  }
  function moves(old, neu, hs) {
    var removed = new Map(), from = new Map(), to = new Map();
    hs.forEach(function (h) {
      if (h[0] === "=") return;
      for (var i = h[1]; i < h[2]; i++) {
        if (old[i].words >= MOVE_MIN_WORDS || old[i].b.k === "h") {
          if (!removed.has(old[i].key)) removed.set(old[i].key, []);
          removed.get(old[i].key).push(i);
        }
      }
    });
    if (!removed.size) return { from: from, to: to };
    hs.forEach(function (h) {
      if (h[0] === "=") return;
      for (var j = h[3]; j < h[4]; j++) {
        var c = removed.get(neu[j].key);
        if (!c) continue;
        var pos = c.findIndex(function (i) { return !(i >= h[1] && i < h[2]); });
        if (pos < 0) continue;
        var i = c.splice(pos, 1)[0];
        from.set(i, j); to.set(j, i);
      }
    });
    return { from: from, to: to };
  }
  function changedRun(old, neu, h, mv, items) {
    var nextOld = h[1], oEnd = h[2];
    var removed = function (i) {
      if (mv.from.has(i)) items.push({ t: "away", o: i, n: mv.from.get(i) });
      else items.push({ t: "del", o: i });
    };
    var added = [];
    for (var j = h[3]; j < h[4]; j++) {
      if (mv.to.has(j)) { added.push({ t: "here", n: j, o: mv.to.get(j) }); continue; }
      var b = neu[j].b, found = -1, taken = 0;
      var min = b.k === "h" ? PAIR_MIN_RATIO_HEADING : PAIR_MIN_RATIO;
      for (var i = nextOld; i < oEnd && taken < PAIR_LOOKAHEAD; i++) {
        if (mv.from.has(i)) continue;
        taken++;
        var a = old[i].b;
        if (comparable(a, b) && ratio(text(a), text(b)) >= min) { found = i; break; }
      }
      if (found >= 0) {
        for (var k = nextOld; k < found; k++) removed(k);
        items.push.apply(items, added); added = [];
        items.push({ t: "changed", o: found, n: j, cells: cells(old[found].b, b) });
        nextOld = found + 1;
      } else added.push({ t: "ins", n: j });
    }
    for (var k2 = nextOld; k2 < oEnd; k2++) removed(k2);
    items.push.apply(items, added);
  }
  function preferLargerMoves(old, neu, items) {
    for (var k = 0; k + 2 < items.length; k++) {
      var mid = items[k + 1];
      if (mid.t !== "same") continue;
      var p = mid.n, a = items[k], c = items[k + 2], xNew, pOld, up;
      if (a.t === "away" && c.t === "here" && a.n === c.n) { xNew = a.n; pOld = a.o + 1; up = true; }
      else if (a.t === "here" && c.t === "away" && a.n === c.n) { xNew = a.n; pOld = a.o - 1; up = false; }
      else continue;
      var same = pOld >= 0 && pOld < old.length && old[pOld].key === neu[p].key;
      if (!same || neu[xNew].words >= neu[p].words) continue;
      var here = { t: "here", n: p, o: pOld }, away = { t: "away", o: pOld, n: p };
      items[k] = up ? here : away;
      items[k + 1] = { t: "same", n: xNew };
      items[k + 2] = up ? away : here;
    }
  }
  function words(s) { return s.split(/[^\p{L}\p{N}]+/u).filter(Boolean).map(function (w) { return w.toLowerCase(); }); }
  function ratio(a, b) {
    var x = words(a), y = words(b).sort(), total = x.length + y.length;
    if (!total) return 1;
    var common = 0;
    x.forEach(function (w) { var k = y.indexOf(w); if (k >= 0) { y.splice(k, 1); common++; } });
    return (2 * common) / total;
  }
  function cells(a, b) {
    var out = [];
    for (var k = 0; k < Math.max(a.c.length, b.c.length); k++) out.push(wordDiff(a.c[k] || "", b.c[k] || ""));
    return out;
  }
  var segmenter = typeof Intl !== "undefined" && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: "word" }) : null;
  function tokens(s) {
    if (segmenter) return Array.from(segmenter.segment(s), function (x) { return x.segment; });
    return s.match(/\s+|[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu) || [];
  }
  // Word diff, runs of one kind merged: [{tag: "=", "-", "+", text}].
  function wordDiff(a, b) {
    var x = tokens(a), y = tokens(b), ops = [];
    lcsDiff(x, 0, x.length, y, 0, y.length, ops);
    var out = [];
    ops.forEach(function (op) {
      var t = op[0] === "+" ? y[op[1]] : x[op[1]];
      var last = out[out.length - 1];
      if (last && last.tag === op[0]) last.text += t;
      else out.push({ tag: op[0], text: t });
    });
    return out;
  }
  function summarise(old, neu, items) {
    var s = { sections: [], added: 0, removed: 0, moved: 0 };
    var note = function (t) { if (s.sections.indexOf(t) < 0) s.sections.push(t); };
    var n = function (t) { return t.split(/\s+/).filter(Boolean).length; };
    items.forEach(function (it) {
      if (it.t === "same") return;
      if (it.t === "ins") { s.added += neu[it.n].words; note(sectionTitle(neu, it.n)); }
      else if (it.t === "del") { s.removed += old[it.o].words; note(sectionTitle(old, it.o)); }
      else if (it.t === "changed") {
        it.cells.forEach(function (c) { c.forEach(function (seg) { if (seg.tag === "+") s.added += n(seg.text); if (seg.tag === "-") s.removed += n(seg.text); }); });
        note(sectionTitle(neu, it.n));
      } else if (it.t === "here") { s.moved++; note(sectionTitle(neu, it.n)); }
      else note(sectionTitle(old, it.o));
    });
    return s;
  }
  function summaryLine(s, T) {
    if (!s.added && !s.removed && !s.moved) return T.text_unchanged;
    var names = s.sections.slice(0, 4).map(function (x) { return x === null ? T.preamble : x; });
    if (s.sections.length > 4) names.push(T.and_more.replace("{n}", s.sections.length - 4));
    var counts = [];
    if (s.added) counts.push(s.added + " " + T.words_added);
    if (s.removed) counts.push(s.removed + " " + T.words_removed);
    if (s.moved === 1) counts.push(T.moved_one);
    else if (s.moved > 1) counts.push(T.moved_many.replace("{n}", s.moved));
    return T.changed_in + " " + names.join(", ") + " · " + counts.join(", ");
  }

  // --- Rendering (src/render/redline.rs) ----------------------------------
  function blockOf(old, neu, it) { return it.t === "del" || it.t === "away" ? old[it.o].b : neu[it.n].b; }
  function isChange(it) { return it.t !== "same"; }
  function visible(old, neu, items) {
    var shown = items.map(isChange), at = new Array(neu.length).fill(-1);
    items.forEach(function (it, k) { if (it.t === "same") at[it.n] = k; });
    items.forEach(function (it, k) {
      if (!isChange(it)) return;
      for (var e = Math.max(0, k - 1); e < Math.min(items.length, k + 2); e++) shown[e] = true;
      var b = blockOf(old, neu, it);
      var h = it.t === "del" || it.t === "away" ? null : b.s;
      if (h !== null && h !== undefined && at[h] >= 0) shown[at[h]] = true;
      if (b.k === "tr" && !b.th) {
        for (var e2 = k - 1; e2 >= 0; e2--) {
          var r = blockOf(old, neu, items[e2]);
          if (r.k !== "tr") break;
          if (r.th) { shown[e2] = true; break; }
        }
      }
    });
    return shown;
  }
  function el(tag, cls, parent) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (parent) parent.appendChild(e);
    return e;
  }
  function gist(t) {
    var w = t.split(/\s+/).filter(Boolean);
    return w.length <= 8 ? w.join(" ") : w.slice(0, 8).join(" ") + " …";
  }
  function render(old, neu, items, T) {
    var root = document.createDocumentFragment();
    var shown = visible(old, neu, items);
    var target = root, group = null, groupKey = "";
    function enter(key, make) {
      if (key === groupKey) return;
      groupKey = key;
      if (!make) { group = null; return; }
      group = make(target);
    }
    function groupFor(b) {
      if (b.k === "li") return [b.o ? "ol" : "ul", function (p) { return el(b.o ? "ol" : "ul", "", p); }];
      if (b.k === "tr") return ["table", function (p) { return el("tbody", "", el("table", "", p)); }];
      return ["", null];
    }
    function content(b, k, it, parent) {
      var t = b.c[k] || "";
      if (it.t === "same") parent.appendChild(document.createTextNode(t));
      else if (it.t === "ins" || it.t === "del") { if (t) el(it.t, "", parent).textContent = t; }
      else if (it.t === "changed") {
        (it.cells[k] || []).forEach(function (seg) {
          if (seg.tag === "=") parent.appendChild(document.createTextNode(seg.text));
          else el(seg.tag === "+" ? "ins" : "del", "", parent).textContent = seg.text;
        });
      } else if (it.t === "here") {
        if (k === 0) {
          var from = sectionTitle(old, it.o);
          el("span", "rl-mark", parent).textContent = T.moved_here_from + " ”" + (from === null ? T.preamble : from) + "”:";
          parent.appendChild(document.createTextNode(" "));
        }
        parent.appendChild(document.createTextNode(t));
      } else {
        var to = sectionTitle(neu, it.n);
        el("span", "rl-mark", parent).textContent = T.moved_away_to + " ”" + (to === null ? T.preamble : to) + "”:";
        parent.appendChild(document.createTextNode(" "));
        el("span", "rl-gist", parent).textContent = gist(text(b));
      }
    }
    var CLASS = { same: "", ins: "rl-ins", del: "rl-del", changed: "rl-changed", here: "rl-moved", away: "rl-moved-away" };
    function item(it) {
      var b = blockOf(old, neu, it), g = groupFor(b), cls = CLASS[it.t];
      enter(g[0], g[1]);
      var parent = group || target, e;
      if (b.k === "h") { e = el("h" + b.l, cls, parent); content(b, 0, it, e); }
      else if (b.k === "p") { e = el("p", cls, parent); content(b, 0, it, e); }
      else if (b.k === "q") { e = el("p", "", el("blockquote", cls, parent)); content(b, 0, it, e); }
      else if (b.k === "code" || b.k === "html") { e = el("code", "", el("pre", cls, parent)); content(b, 0, it, e); }
      else if (b.k === "li") {
        e = el("li", ("rl-depth-" + Math.min(b.d, 4) + " " + cls).trim(), parent);
        if (b.o) e.setAttribute("value", b.n);
        content(b, 0, it, e);
      } else {
        var tr = el("tr", cls, parent);
        if (it.t === "away") { var td = el("td", "", tr); td.setAttribute("colspan", Math.max(1, b.c.length)); content(b, 0, it, td); return; }
        var count = it.t === "changed" ? it.cells.length : b.c.length;
        for (var k = 0; k < count; k++) {
          var changed = it.t === "changed" && it.cells[k].some(function (s) { return s.tag !== "="; });
          var c = el(b.th ? "th" : "td", changed ? "rl-cell" : "", tr);
          if (b.th) c.setAttribute("scope", "col");
          content(b, k, it, c);
        }
      }
    }
    var k = 0;
    while (k < items.length) {
      if (shown[k]) { item(items[k]); k++; continue; }
      var end = k;
      while (end < items.length && !shown[end]) end++;
      enter("", null);
      var d = el("details", "rl-fold", root);
      el("summary", "", d).textContent = end - k === 1 ? T.unchanged_one : T.unchanged_many.replace("{n}", end - k);
      target = d;
      for (var i = k; i < end; i++) item(items[i]);
      enter("", null);
      target = root;
      k = end;
    }
    return root;
  }

  // --- The form -----------------------------------------------------------
  function labelOf(select) { return select.options[select.selectedIndex].textContent; }
  function prerendered(from, to) {
    var pairs = document.querySelectorAll(".compare-list details");
    for (var i = 0; i < pairs.length; i++) {
      if (pairs[i].dataset.from === from && pairs[i].dataset.to === to) return pairs[i];
    }
    // One revision against the published one before it.
    var a = age(from), b = age(to);
    if (data && b !== null && b >= 0 && a === b + 1) return document.getElementById("rev-" + to);
    return null;
  }
  function show(found) {
    found.open = true;
    history.replaceState(null, "", "#" + found.id);
    found.scrollIntoView();
    found.querySelector("summary").focus();
  }
  function compute(from, to) {
    var old = docOf(from), neu = docOf(to);
    if (!old || !neu) return null;
    var items = align(old, neu), T = data.texts;
    while (computed.firstChild) computed.removeChild(computed.firstChild);
    var d = el("details", "revision", computed);
    d.id = "jamfor-" + from + "-" + to;
    d.dataset.from = from; d.dataset.to = to;
    var s = el("summary", "", d), line = el("span", "rev-line", s);
    el("span", "rev-version", line).textContent = labelOf(form.elements.fran) + " → " + labelOf(form.elements.till);
    s.appendChild(document.createTextNode(" "));
    el("span", "rev-changes", s).textContent = summaryLine(summarise(old, neu, items), T);
    el("div", "redline", d).appendChild(render(old, neu, items, T));
    return d;
  }
  // The comparison of two revisions, on the page or computed; null when
  // they are not two published revisions, the older first.
  function comparison(from, to) {
    var a = age(from), b = age(to);
    var ordered = a !== null && b !== null && a > b;
    return ordered ? prerendered(from, to) || compute(from, to) : null;
  }
  function choose(select, value) {
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === value) { select.selectedIndex = i; return; }
    }
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var found = comparison(form.elements.fran.value, form.elements.till.value);
    if (none) none.hidden = !!found;
    if (found) show(found);
  });
  // A link to a comparison (#jamfor-<from>-<to>, as a change log has)
  // opens it, computed when it is not on the page.
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    if (el && el.tagName === "DETAILS") { el.open = true; return; }
    var m = /^jamfor-([0-9a-f]+|aktuell)-([0-9a-f]+|aktuell)$/.exec(id);
    if (!m) return;
    choose(form.elements.fran, m[1]);
    choose(form.elements.till, m[2]);
    var found = comparison(m[1], m[2]);
    if (none) none.hidden = !!found;
    if (found) show(found);
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
})();
