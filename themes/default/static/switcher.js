// Version switcher: opens the same document in the chosen version, or that
// version's start page where the document did not exist. The list of
// versions comes from assets/versions-data.js, written on every build, so
// pages of versions built earlier learn about newer ones.
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
  var label = document.createElement("label");
  label.textContent = box.getAttribute("data-label") + " ";
  var select = document.createElement("select");
  data.versions.forEach(function (v) {
    var option = document.createElement("option");
    option.value = v.name;
    option.textContent = v.name === "" ? box.getAttribute("data-current") : v.name;
    if (v.name === current) option.selected = true;
    select.appendChild(option);
  });
  select.addEventListener("change", function () {
    var chosen = null;
    data.versions.forEach(function (v) { if (v.name === select.value) chosen = v; });
    if (!chosen) return;
    var base = root + (chosen.name === "" ? "" : "versioner/" + encodeURIComponent(chosen.name) + "/");
    var target = chosen.docs.indexOf(page) >= 0 ? page : "index.html";
    window.location.href = base + encodePath(target);
  });
  label.appendChild(select);
  box.insertBefore(label, box.firstChild);
})();
