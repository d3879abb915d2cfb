// Version switcher: opens the same page in the chosen version, or that
// version's start page where the page did not exist. The list of versions
// comes from assets/versions-data.js, written on every build, so pages of
// versions built earlier learn about newer ones; which versions have this
// page is in one of assets/versions/<n>.js, loaded when a version is
// chosen (by a script element, so it works from a file share too).
(function () {
  "use strict";
  var box = document.querySelector(".version-switcher");
  var data = window.STYRDOK_VERSIONS;
  if (!box || !data || !data.versions || data.versions.length < 2) return;
  var page = box.getAttribute("data-page");
  var root = box.getAttribute("data-site-root");
  var current = box.getAttribute("data-version");
  function encodePath(p) {
    return p.split("/").map(encodeURIComponent).join("/");
  }
  // FNV-1a of the page's UTF-8 bytes, as src/versions.rs page_bucket.
  function bucket(p, n) {
    var bytes = new TextEncoder().encode(p);
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h & (n - 1);
  }
  var label = document.createElement("label");
  label.textContent = box.getAttribute("data-label") + " ";
  var select = document.createElement("select");
  data.versions.forEach(function (name) {
    var option = document.createElement("option");
    option.value = name;
    option.textContent = name === "" ? box.getAttribute("data-current") : name;
    if (name === current) option.selected = true;
    select.appendChild(option);
  });
  function go(inChosen) {
    var name = select.value;
    var base = root + (name === "" ? "" : "versioner/" + encodeURIComponent(name) + "/");
    window.location.href = base + encodePath(inChosen ? page : "index.html");
  }
  select.addEventListener("change", function () {
    var chosen = data.versions.indexOf(select.value);
    if (chosen < 0) return;
    var script = document.createElement("script");
    script.src = root + "assets/versions/" + bucket(page, data.buckets || 1) + ".js";
    script.onload = function () {
      var pages = window.STYRDOK_VERSION_PAGES || {};
      var list = Object.prototype.hasOwnProperty.call(pages, page) ? pages[page] : [];
      go(list.indexOf(chosen) >= 0);
    };
    script.onerror = function () { go(false); };
    document.head.appendChild(script);
  });
  label.appendChild(select);
  box.insertBefore(label, box.firstChild);
})();
