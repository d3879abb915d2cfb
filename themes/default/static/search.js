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

  function norm(s) { return s.normalize("NFC").toLowerCase(); }
  function fold(s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").normalize("NFC"); }
  function terms(q) { return norm(q).split(/[^\p{L}\p{N}]+/u).filter(function (t) { return t.length > 0; }); }
  function encodePath(p) { return p.split("/").map(encodeURIComponent).join("/"); }

  var folded = null;
  function search(q, useFold) {
    var ts = terms(q);
    if (ts.length === 0) return [];
    if (useFold) {
      ts = ts.map(fold);
      if (!folded) folded = data.sections.map(function (s) { return fold(s[3]); });
    }
    var hits = [];
    data.sections.forEach(function (s, n) {
      var words = useFold ? folded[n] : s[3];
      var doc = data.docs[s[0]];
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
    if (!q.trim()) { status.textContent = ""; return; }
    var results = search(q, false);
    var wasFolded = false;
    if (results.length === 0) { results = search(q, true); wasFolded = results.length > 0; }
    results.forEach(function (s) {
      var doc = data.docs[s[0]];
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + encodePath(doc[2]) + (s[2] ? "#" + encodeURIComponent(s[2]) : "");
      a.textContent = s[1] ? s[1] : doc[0];
      var meta = document.createElement("span");
      meta.className = "search-meta";
      meta.textContent = s[1] ? doc[1] + " · " + doc[0] : doc[1];
      var p = document.createElement("p");
      p.textContent = s[4];
      li.appendChild(a);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(meta);
      if (s[4]) li.appendChild(p);
      list.appendChild(li);
    });
    var label = results.length === 0 ? box.getAttribute("data-label-none") : box.getAttribute("data-label-count").replace("{n}", String(results.length));
    status.textContent = label.replace("{q}", q) + (wasFolded ? " " + box.getAttribute("data-label-folded") : "");
  }

  var q = new URLSearchParams(window.location.search).get("q") || "";
  input.value = q;
  show(q);
  document.getElementById("search-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var value = input.value;
    history.replaceState(null, "", "?q=" + encodeURIComponent(value));
    show(value);
  });
})();
