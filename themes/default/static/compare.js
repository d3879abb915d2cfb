// The history page's "compare versions" form: opens the pre-rendered
// redline of the two versions chosen. Without JavaScript the form stays
// hidden and the list of comparisons below it is the way in.
(function () {
  "use strict";
  var form = document.querySelector(".compare-form");
  if (!form) return;
  var none = document.querySelector(".compare-none");
  var pairs = document.querySelectorAll(".compare-list details");
  form.hidden = false;
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var from = form.elements.fran.value, to = form.elements.till.value;
    var found = null;
    for (var i = 0; i < pairs.length; i++) {
      var d = pairs[i];
      if (d.dataset.from === from && d.dataset.to === to) found = d;
    }
    if (none) none.hidden = !!found;
    if (!found) return;
    found.open = true;
    history.replaceState(null, "", "#" + found.id);
    found.scrollIntoView();
    found.querySelector("summary").focus();
  });
  // A link to a comparison (#jamfor-…) opens it.
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    if (el && el.tagName === "DETAILS") el.open = true;
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
})();
