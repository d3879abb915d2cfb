// styrdok serve: reload the page when a rebuild has finished, keep the
// reading position, and show the diagnostics of a broken build.
(function () {
  "use strict";
  var key = "styrdok-scroll:" + location.pathname;
  try {
    var saved = sessionStorage.getItem(key);
    if (saved !== null) {
      sessionStorage.removeItem(key);
      var y = parseInt(saved, 10);
      var restore = function () { window.scrollTo(0, y); };
      if (document.readyState === "complete") restore(); else window.addEventListener("load", restore);
    }
  } catch (e) { /* storage may be off */ }

  var generation = null;
  function reload() {
    try { sessionStorage.setItem(key, String(window.scrollY)); } catch (e) { /* ignore */ }
    location.reload();
  }

  function overlay(diagnostics) {
    var box = document.getElementById("styrdok-overlay");
    if (!diagnostics) {
      if (box) box.remove();
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = "styrdok-overlay";
      box.setAttribute("role", "alertdialog");
      box.setAttribute("aria-labelledby", "styrdok-overlay-title");
      box.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,20,.92);color:#fff;" +
        "font:15px/1.5 ui-monospace,monospace;overflow:auto;padding:2rem";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var h = document.createElement("h2");
    h.id = "styrdok-overlay-title";
    h.style.cssText = "color:#ffb4b4;font:bold 1.3rem system-ui,sans-serif;margin:0 0 1rem";
    h.textContent = "Bygget misslyckades – senaste fungerande version visas (" + diagnostics.length + ")";
    box.appendChild(h);
    var list = document.createElement("ul");
    list.style.cssText = "list-style:none;margin:0;padding:0";
    diagnostics.forEach(function (d) {
      var li = document.createElement("li");
      li.className = "styrdok-diagnostic";
      li.style.cssText = "margin:0 0 1rem;padding:.5rem 1rem;border-left:4px solid " + (d.severity === "error" ? "#ff6b6b" : "#ffd166");
      var at = d.line ? d.file + ":" + d.line + ":" + d.column : d.file;
      li.textContent = d.code + " " + at + " " + d.message + (d.hint ? " (" + d.hint + ")" : "");
      list.appendChild(li);
    });
    box.appendChild(list);
  }

  function connect() {
    var source = new EventSource("/__styrdok/events");
    source.addEventListener("hello", function (e) {
      var g = JSON.parse(e.data).generation;
      if (generation !== null && g !== generation) { reload(); return; }
      generation = g;
    });
    source.addEventListener("reload", function () { reload(); });
    source.addEventListener("errors", function (e) { overlay(JSON.parse(e.data)); });
    source.addEventListener("ok", function () { overlay(null); });
    source.onerror = function () { /* EventSource reconnects by itself */ };
  }
  connect();
})();
