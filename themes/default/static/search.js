// Offline search over the split index in assets/search/ (see the build's
// src/render/search_chunks.rs): index.js names the term chunks by their
// first key; the chunks a query needs, the fragments of the documents
// shown and the filters are added as <script> elements that call
// STYRDOK_SEARCH_CHUNK, so it works from a file share (no fetch).
//
// A query word matches a word of the index whole, by its Snowball stem
// (Swedish ported below, the same algorithm as the build's rust-stemmers;
// English sites use the stems the index stores for its own words, so
// there a word the site never uses is not stemmed), by
// its start, or as a part of a compound ("kopiering" in
// "säkerhetskopiering"); "e-post" and "epost" are the same word. When
// nothing matches, å/ä/ö/é match a/o/e too. Results: sections (and
// documents by their titles) with every word first, then by a match's
// place (title, heading, text) and kind (whole, stem, start, part).
// Index text is untrusted: it reaches the page as text nodes only.
(function () {
  "use strict";
  var box = document.getElementById("search");
  var meta = window.STYRDOK_SEARCH;
  if (!box) return;
  var input = document.getElementById("search-input");
  var header = document.getElementById("site-search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var root = box.getAttribute("data-site-root");
  var dir = box.getAttribute("data-index");
  var label = function (name) { return box.getAttribute("data-label-" + name) || ""; };
  var selects = Array.prototype.slice.call(box.querySelectorAll("select[data-filter]"));
  var PAGE = 20, MAX_CHUNKS = 6, PART_MIN = 4, PART_HEAD = 3;
  var WHOLE = 0, PART = 2, STEM_OF = 3, TITLE = 3;
  var KIND_WEIGHT = { whole: 1, stem: 0.8, prefix: 0.6, part: 0.35 };
  var FIELD_WEIGHT = [0, 2, 1, 3]; // by place: -, heading, text, title

  // --- loading scripts -----------------------------------------------------
  var loaded = {}, scripts = {};
  window.STYRDOK_SEARCH_CHUNK = function (name, data) { loaded[name] = data; };
  // Each script once, however many of its chunks are asked for.
  function script(file) {
    if (!scripts[file]) {
      scripts[file] = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = dir + file;
        s.onload = resolve;
        s.onerror = function () { reject(new Error(file)); };
        document.head.appendChild(s);
      });
    }
    return scripts[file];
  }
  function load(file, name) {
    if (loaded[name]) return Promise.resolve(loaded[name]);
    return script(file).then(function () {
      if (!loaded[name]) throw new Error(file);
      return loaded[name];
    });
  }
  // The fragments of FRAGMENTS documents in a row share a file.
  var FRAGMENTS = 8;
  function fragment(d) { return load("d/" + Math.floor(d / FRAGMENTS) + ".js", "d" + d); }

  // --- words, as the build makes them --------------------------------------
  function norm(s) { return s.normalize("NFC").toLowerCase(); }
  function fold(s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").normalize("NFC"); }
  var RUN = /[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu;
  // A query's words: a hyphenated word joined ("e-post" → "epost").
  function terms(q) {
    var out = [];
    (norm(q).match(RUN) || []).forEach(function (w) {
      w = w.replace(/-/g, "");
      if (out.indexOf(w) < 0) out.push(w);
    });
    return out;
  }

  // The Snowball Swedish stemmer (snowballstem.org/algorithms/swedish).
  var VOWEL = "aeiouyäåö", S_ENDING = "bcdfghjklmnoprtvy";
  var MAIN = ["heterna", "hetens", "anden", "andes", "andet", "arens", "arnas", "ernas", "heten", "heter", "ornas",
    "ades", "ande", "arna", "arne", "aren", "aste", "erna", "erns", "orna", "ade", "are", "ast", "ens", "ern", "het",
    "ad", "ar", "as", "at", "en", "er", "es", "or", "a", "e", "s"];
  var PAIRS = ["dd", "gd", "nn", "dt", "gt", "kt", "tt"];
  var OTHER = ["fullt", "löst", "lig", "els", "ig"];
  function endsWith(w, s) { return w.length >= s.length && w.slice(w.length - s.length).join("") === s; }
  function stemSv(word) {
    var w = Array.from(word), n = w.length, p1 = n;
    if (n >= 3) {
      var i = 0;
      while (i < n && VOWEL.indexOf(w[i]) < 0) i++;
      while (i < n && VOWEL.indexOf(w[i]) >= 0) i++;
      if (i < n) p1 = Math.max(i + 1, 3);
    }
    var k, s;
    for (k = 0; k < MAIN.length; k++) {
      s = MAIN[k];
      if (w.length - s.length >= p1 && endsWith(w, s)) {
        if (s !== "s" || (w.length >= 2 && S_ENDING.indexOf(w[w.length - 2]) >= 0)) w = w.slice(0, w.length - s.length);
        break;
      }
    }
    for (k = 0; k < PAIRS.length; k++) {
      if (w.length - 2 >= p1 && endsWith(w, PAIRS[k])) { w = w.slice(0, w.length - 1); break; }
    }
    for (k = 0; k < OTHER.length; k++) {
      s = OTHER[k];
      if (w.length - Array.from(s).length >= p1 && endsWith(w, s)) {
        w = w.slice(0, w.length - Array.from(s).length);
        if (s === "löst") w = w.concat(["l", "ö", "s"]);
        if (s === "fullt") w = w.concat(["f", "u", "l", "l"]);
        break;
      }
    }
    return w.join("");
  }
  window.STYRDOK_STEM = stemSv;
  // English stems come from the index (see the head of this file).
  var englishStems = {};
  function stem(w) { return meta && meta.lang === "sv" ? stemSv(w) : (englishStems[w] || w); }

  // --- postings ------------------------------------------------------------
  var DIGITS = "0123456789abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ_$wxyz";
  function numbers(s) {
    var out = [], v = 0;
    for (var i = 0; i < s.length; i++) {
      var k = DIGITS.indexOf(s[i]);
      if (k >= 32) v = v * 32 + (k - 32);
      else { out.push(v * 32 + k); v = 0; }
    }
    return out;
  }
  // Calls f(doc, place) for each place of encoded postings.
  function eachPlace(enc, f) {
    var ns = numbers(enc), doc = 0, i = 0;
    while (i < ns.length) {
      doc += ns[i];
      var count = ns[i + 1];
      for (var k = 0; k < count; k++) f(doc, ns[i + 2 + k]);
      i += 2 + count;
    }
  }
  function docList(enc) {
    var doc = 0;
    return numbers(enc).map(function (d) { doc += d; return doc; });
  }

  // --- chunks a query needs ------------------------------------------------
  function lastAtMost(key) {
    var lo = 0, hi = meta.chunks.length - 1, found = 0;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (meta.chunks[mid][0] <= key) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  }
  function chunksFor(ts) {
    var wanted = {};
    if (meta.chunks.length === 0) return [];
    ts.forEach(function (t) {
      var key = fold(t);
      // The chunks of the words that start with it (for one or two
      // letters, only its own), at most MAX_CHUNKS.
      var lo = lastAtMost(key), hi = t.length >= 3 ? lastAtMost(key + "\uffff") : lo;
      for (var j = lo; j <= Math.min(hi, lo + MAX_CHUNKS - 1); j++) wanted[j] = true;
      wanted[lastAtMost(fold(stem(t)))] = true;
    });
    return Object.keys(wanted).map(function (j) {
      var name = meta.chunks[j][1];
      return load("t-" + name + ".js", name);
    });
  }

  // How an index term matches query word t (with stem s): a kind or null.
  function match(term, kind, t, s, folded) {
    var a = folded ? fold(term) : term;
    if (kind === WHOLE && a === t) return "whole";
    if (kind !== PART && a === s) return "stem";
    if (kind === WHOLE && a.lastIndexOf(t, 0) === 0) return "prefix";
    if (kind === PART && t.length >= PART_MIN && a.lastIndexOf(t, 0) === 0) return "part";
    return null;
  }

  // hits[k]: document → { title: score, secs: { section: score } } of word k.
  function collect(chunks, ts, folded) {
    var qs = ts.map(function (t) { return folded ? fold(t) : t; });
    var ss = ts.map(function (t) { var s = stem(t); return folded ? fold(s) : s; });
    var hits = ts.map(function () { return {}; });
    chunks.forEach(function (entries) {
      entries.forEach(function (e) {
        if (e[1] === STEM_OF) return;
        for (var k = 0; k < qs.length; k++) {
          var m = match(e[0], e[1], qs[k], ss[k], folded);
          if (!m) continue;
          var h = hits[k];
          eachPlace(e[2], function (doc, place) {
            var d = h[doc] || (h[doc] = { title: 0, secs: {} });
            var field = place === TITLE ? TITLE : place % 4;
            var score = KIND_WEIGHT[m] * FIELD_WEIGHT[field];
            if (field === TITLE) d.title = Math.max(d.title, score);
            else { var sec = place >> 2; d.secs[sec] = Math.max(d.secs[sec] || 0, score); }
          });
        }
      });
    });
    return hits;
  }

  // Ranked results: { doc, sec (-1: the document by its title), … }.
  function rank(hits, allowed) {
    var n = hits.length, docs = {};
    hits.forEach(function (h) { Object.keys(h).forEach(function (d) { docs[d] = true; }); });
    var results = [];
    Object.keys(docs).forEach(function (key) {
      var doc = Number(key);
      if (allowed && !allowed[doc]) return;
      var cover = 0, title = { own: 0, score: 0 }, secs = {};
      hits.forEach(function (h) {
        var d = h[doc];
        if (!d) return;
        cover++;
        if (d.title) { title.own++; title.score += d.title; }
        Object.keys(d.secs).forEach(function (s) {
          var r = secs[s] || (secs[s] = { own: 0, score: 0 });
          r.own++;
          r.score += d.secs[s];
        });
      });
      var push = function (sec, r) { results.push({ doc: doc, sec: sec, all: cover === n ? 1 : 0, own: r.own, cover: cover, score: r.score }); };
      if (title.own) push(-1, title);
      Object.keys(secs).forEach(function (s) { push(Number(s), secs[s]); });
    });
    results.sort(function (a, b) {
      return b.all - a.all || b.own - a.own || b.cover - a.cover || b.score - a.score || a.doc - b.doc || a.sec - b.sec;
    });
    return results;
  }

  // --- filters -------------------------------------------------------------
  function chosen() {
    return selects.filter(function (s) { return s.value !== ""; }).map(function (s) { return [s.getAttribute("data-filter"), s.value]; });
  }
  // The documents every chosen filter allows (doc → true), or null.
  function allowedBy(filters) {
    if (filters.length === 0 || !meta.filters) return Promise.resolve(null);
    return load("filters-" + meta.filters + ".js", meta.filters).then(function (table) {
      var allowed = null;
      filters.forEach(function (f) {
        var enc = table[f[0]] && table[f[0]][f[1]];
        var now = {};
        (enc ? docList(enc) : []).forEach(function (d) { if (!allowed || allowed[d]) now[d] = true; });
        allowed = now;
      });
      return allowed;
    });
  }

  // --- showing results -----------------------------------------------------
  // Whether word w (lower case) is one the query found.
  function found(w, ts, folded) {
    var a = folded ? fold(w) : w, sa = stem(w);
    if (folded) sa = fold(sa);
    return ts.some(function (t) {
      var q = folded ? fold(t) : t, s = stem(t);
      if (folded) s = fold(s);
      if (a === q || sa === s || a.lastIndexOf(q, 0) === 0) return true;
      return q.length >= PART_MIN && a.indexOf(q) >= PART_HEAD;
    });
  }
  function runFound(run, ts, folded) {
    var w = norm(run);
    return found(w.replace(/-/g, ""), ts, folded) || w.split("-").some(function (p) { return found(p, ts, folded); });
  }
  // Text into el, the words the query found in <mark> (text nodes only).
  function marked(el, text, ts, folded) {
    var last = 0, m;
    RUN.lastIndex = 0;
    while ((m = RUN.exec(text)) !== null) {
      if (!runFound(m[0], ts, folded)) continue;
      if (m.index > last) el.appendChild(document.createTextNode(text.slice(last, m.index)));
      var mark = document.createElement("mark");
      mark.textContent = m[0];
      el.appendChild(mark);
      last = m.index + m[0].length;
    }
    if (last < text.length) el.appendChild(document.createTextNode(text.slice(last)));
  }
  // About 240 characters of text around its first word the query found.
  function excerpt(text, ts, folded) {
    var at = -1, m;
    RUN.lastIndex = 0;
    while ((m = RUN.exec(text)) !== null) {
      if (runFound(m[0], ts, folded)) { at = m.index; break; }
    }
    var start = 0;
    if (at > 80) {
      start = text.indexOf(" ", at - 70) + 1;
      if (start <= 0 || start > at) start = at;
    }
    var end = start + 240;
    if (end < text.length) {
      var space = text.lastIndexOf(" ", end);
      end = space > at ? space : end;
    } else end = text.length;
    return (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
  }

  function item(r, f, ts, folded) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    var sec = r.sec >= 0 ? f.s[r.sec] : null;
    a.href = root + f.u.split("/").map(encodeURIComponent).join("/") + (sec && sec[1] ? "#" + encodeURIComponent(sec[1]) : "");
    marked(a, sec && sec[0] ? sec[0] : f.t, ts, folded);
    var info = document.createElement("span");
    info.className = "search-meta";
    info.textContent = [f.k, sec && sec[0] ? f.t : null, f.o].filter(Boolean).join(" · ");
    li.appendChild(a);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(info);
    var body = sec ? sec[2] : "";
    if (!sec && ts.length) {
      var first = f.s.filter(function (s) { RUN.lastIndex = 0; return (s[2].match(RUN) || []).some(function (w) { return runFound(w, ts, folded); }); })[0];
      body = (first || f.s[0] || ["", "", ""])[2];
    } else if (!sec) body = (f.s[0] || ["", "", ""])[2];
    if (body) {
      var p = document.createElement("p");
      p.className = "search-excerpt";
      marked(p, excerpt(body, ts, folded), ts, folded);
      li.appendChild(p);
    }
    return li;
  }

  var state = null; // { results, shown, ts, folded, q }
  function showMore() {
    var s = state, page = s.results.slice(s.shown, s.shown + PAGE);
    var mine = s;
    return Promise.all(page.map(function (r) { return fragment(r.doc); })).then(function (fs) {
      if (state !== mine) return;
      page.forEach(function (r, k) { list.appendChild(item(r, fs[k], s.ts, s.folded)); });
      s.shown += page.length;
      more.hidden = s.shown >= s.results.length;
      var total = s.results.length;
      var text = total === 0 ? label("none") : label("count").replace("{n}", String(total));
      text = text.replace("{q}", s.q.trim() ? s.q : chosen().map(function (f) { return f[1]; }).join(", "));
      if (s.folded) text += " " + label("folded");
      if (s.shown < total) text += " " + label("shown").replace("{n}", String(s.shown)).replace("{total}", String(total));
      status.textContent = text;
    });
  }

  function run(q) {
    list.textContent = "";
    more.hidden = true;
    state = null;
    var ts = terms(q), filters = chosen();
    if (!meta || (ts.length === 0 && filters.length === 0)) { status.textContent = ""; return Promise.resolve(); }
    status.textContent = label("loading");
    var mine = {};
    state = mine;
    var chunks = Promise.all(ts.length ? chunksFor(ts) : []);
    // English: the stems are learnt from the words' chunks, then the
    // stems' chunks are loaded too.
    if (meta.lang !== "sv") chunks = chunks.then(function (cs) { learnStems(cs); return Promise.all(chunksFor(ts)); });
    return Promise.all([allowedBy(filters), chunks]).then(function (got) {
      if (state !== mine) return;
      var allowed = got[0], chunks = got[1], results, folded = false;
      if (ts.length === 0) {
        results = Object.keys(allowed || {}).map(Number).sort(function (a, b) { return a - b; })
          .map(function (d) { return { doc: d, sec: -1 }; });
      } else {
        results = rank(collect(chunks, ts, false), allowed);
        if (results.length === 0) {
          results = rank(collect(chunks, ts, true), allowed);
          folded = results.length > 0;
        }
      }
      state = { results: results, shown: 0, ts: ts, folded: folded, q: q };
      return showMore();
    }).catch(function () {
      if (state === mine) status.textContent = label("failed");
    });
  }
  // An English index lists its words' stems as [word, 3, stem] entries.
  function learnStems(chunks) {
    chunks.forEach(function (entries) { entries.forEach(function (e) { if (e[1] === STEM_OF) englishStems[e[0]] = e[2]; }); });
  }

  var params = new URLSearchParams(window.location.search);
  var q = params.get("q") || "";
  input.value = q;
  if (header) header.value = q;
  selects.forEach(function (s) { s.value = params.get(s.name) || ""; if (s.selectedIndex < 0) s.value = ""; });
  run(q);
  function submit() {
    var query = new URLSearchParams();
    query.set("q", input.value);
    selects.forEach(function (s) { if (s.value) query.set(s.name, s.value); });
    history.replaceState(null, "", "?" + query.toString());
    if (header) header.value = input.value;
    run(input.value);
  }
  document.getElementById("search-form").addEventListener("submit", function (e) {
    e.preventDefault();
    submit();
  });
  selects.forEach(function (s) { s.addEventListener("change", submit); });
  more.addEventListener("click", function () { if (state && state.results) showMore(); });
})();
