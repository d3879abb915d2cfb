// Offline search over assets/search-index.js: every term must start a word
// of a section (its text, its heading or its document's title); case and
// Unicode composition do not matter, and when nothing matches exactly,
// å/ä/ö/é match a/o/e too ("sakerhet" finds "säkerhet").
(function () {
  "use strict";
  var box = document.getElementById("search");
  var data = window.STYRDOK_SEARCH;
  if (!box || !data) return;
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var root = box.getAttribute("data-site-root");
  // The site's own fields that are search filters: <select data-filter>.
  var selects = Array.prototype.slice.call(box.querySelectorAll("select[data-filter]"));

  function norm(s) { return s.normalize("NFC").toLowerCase(); }
  function fold(s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").normalize("NFC"); }
  function terms(q) { return norm(q).split(/[^\p{L}\p{N}]+/u).filter(function (t) { return t.length > 0; }); }
  function encodePath(p) { return p.split("/").map(encodeURIComponent).join("/"); }

  // The filters chosen: [[key, value], …].
  function chosen() {
    return selects.filter(function (s) { return s.value !== ""; }).map(function (s) { return [s.getAttribute("data-filter"), s.value]; });
  }
  // Whether document doc (an entry of data.docs) has every chosen value.
  function passes(doc, filters) {
    return filters.every(function (f) {
      var values = doc[3] && doc[3][f[0]];
      return !!values && values.indexOf(f[1]) >= 0;
    });
  }
  // With filters and no terms: each document that passes, once.
  function filtered(filters) {
    var seen = {};
    return data.sections.filter(function (s) {
      if (seen[s[0]] || !passes(data.docs[s[0]], filters)) return false;
      seen[s[0]] = true;
      return true;
    });
  }

  var folded = null;
  function search(q, useFold) {
    var ts = terms(q);
    var filters = chosen();
    if (ts.length === 0) return filters.length ? filtered(filters) : [];
    if (useFold) {
      ts = ts.map(fold);
      if (!folded) folded = data.sections.map(function (s) { return fold(s[3]); });
    }
    var hits = [];
    data.sections.forEach(function (s, n) {
      var words = useFold ? folded[n] : s[3];
      var doc = data.docs[s[0]];
      if (!passes(doc, filters)) return;
      var score = 0;
      for (var k = 0; k < ts.length; k++) {
        var t = " " + ts[k];
        if (words.indexOf(t) < 0) return;
        var title = " " + norm(doc[0]).split(/[^\p{L}\p{N}]+/u).join(" ");
        var heading = " " + norm(s[1]).split(/[^\p{L}\p{N}]+/u).join(" ");
        if (useFold) { title = fold(title); heading = fold(heading); }
        score += title.indexOf(t) >= 0 ? 10 : heading.indexOf(t) >= 0 ? 5 : 1;
      }
      hits.push({ score: score, n: n });
    });
    hits.sort(function (a, b) { return b.score - a.score || a.n - b.n; });
    return hits.slice(0, 60).map(function (h) { return data.sections[h.n]; });
  }

  function show(q) {
    list.textContent = "";
    if (!q.trim() && chosen().length === 0) { status.textContent = ""; return; }
    var results = search(q, false);
    var wasFolded = false;
    if (results.length === 0) { results = search(q, true); wasFolded = results.length > 0; }
    results.forEach(function (s) {
      var doc = data.docs[s[0]];
      var li = document.createElement("li");
      var a = document.createElement("a");
      // A filter alone finds documents, not sections.
      var whole = !q.trim();
      a.href = root + encodePath(doc[2]) + (s[2] && !whole ? "#" + encodeURIComponent(s[2]) : "");
      a.textContent = s[1] && !whole ? s[1] : doc[0];
      var meta = document.createElement("span");
      meta.className = "search-meta";
      meta.textContent = s[1] && !whole ? doc[1] + " · " + doc[0] : doc[1];
      var p = document.createElement("p");
      p.textContent = s[4];
      li.appendChild(a);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(meta);
      if (s[4]) li.appendChild(p);
      list.appendChild(li);
    });
    var label = results.length === 0 ? box.getAttribute("data-label-none") : box.getAttribute("data-label-count").replace("{n}", String(results.length));
    status.textContent = label.replace("{q}", q.trim() ? q : chosen().map(function (f) { return f[1]; }).join(", ")) + (wasFolded ? " " + box.getAttribute("data-label-folded") : "");
  }

  var params = new URLSearchParams(window.location.search);
  var q = params.get("q") || "";
  input.value = q;
  selects.forEach(function (s) { s.value = params.get(s.name) || ""; if (s.selectedIndex < 0) s.value = ""; });
  show(q);
  function submit() {
    var query = new URLSearchParams();
    query.set("q", input.value);
    selects.forEach(function (s) { if (s.value) query.set(s.name, s.value); });
    history.replaceState(null, "", "?" + query.toString());
    show(input.value);
  }
  document.getElementById("search-form").addEventListener("submit", function (e) {
    e.preventDefault();
    submit();
  });
  selects.forEach(function (s) { s.addEventListener("change", submit); });
})();
