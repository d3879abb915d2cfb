// The page's own behaviour, on every page; without it the page still works
// (menu open, navigation shown, contents listed):
// - on a phone, the header's menu button shows and hides the site's and
//   the documents' navigation;
// - the on-page contents beside the text marks the section being read;
// - a heading's link copies the section's address.
(function () {
  "use strict";
  var root = document.documentElement;

  var toggle = document.querySelector(".menu-toggle");
  if (toggle) {
    toggle.hidden = false;
    root.classList.add("has-menu");
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      root.classList.toggle("menu-open", open);
    });
  }

  // On a phone the contents listed above the text start closed.
  if (window.matchMedia("(max-width: 49.99rem)").matches) {
    var inline = document.querySelector(".toc-inline details");
    if (inline) inline.open = false;
  }

  // The on-page contents: the last heading above the top third of the view.
  var aside = document.querySelector(".toc-aside");
  if (aside && "IntersectionObserver" in window) {
    var links = Array.prototype.slice.call(aside.querySelectorAll("a[href^='#']"));
    var targets = links.map(function (a) {
      return document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1)));
    });
    var mark = function () {
      var line = window.innerHeight / 3;
      var current = -1;
      targets.forEach(function (t, n) {
        if (t && t.getBoundingClientRect().top <= line) current = n;
      });
      links.forEach(function (a, n) {
        if (n === current) a.setAttribute("aria-current", "location");
        else a.removeAttribute("aria-current");
      });
    };
    var observer = new IntersectionObserver(mark, { rootMargin: "0px 0px -66% 0px" });
    targets.forEach(function (t) { if (t) observer.observe(t); });
    mark();
  }

  // Tables too wide for the text column beside the contents may take the
  // contents' column as well (style.css): those that would scroll.
  var wideScreen = window.matchMedia("(min-width: 80rem)");
  var regions = Array.prototype.slice.call(document.querySelectorAll(".layout > main .table-scroll"));
  var widen = function () {
    var beside = wideScreen.matches && !!aside;
    regions.forEach(function (r) {
      r.classList.remove("wide");
      if (beside && r.scrollWidth > r.clientWidth + 1) r.classList.add("wide");
    });
  };
  if (regions.length) {
    widen();
    wideScreen.addEventListener("change", widen);
    window.addEventListener("resize", widen);
  }

  // A heading's link: the address of its section, copied on click.
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a.heading-link");
    if (!a || !navigator.clipboard || e.ctrlKey || e.metaKey || e.shiftKey) return;
    var url = new URL(a.getAttribute("href"), window.location.href).href;
    navigator.clipboard.writeText(url).then(function () {
      var status = document.getElementById("copy-status");
      if (!status) {
        status = document.createElement("p");
        status.id = "copy-status";
        status.className = "copy-status";
        status.setAttribute("role", "status");
        document.body.appendChild(status);
      }
      status.textContent = document.body.getAttribute("data-copied") || "";
      status.classList.add("shown");
      window.setTimeout(function () { status.classList.remove("shown"); }, 2500);
    }, function () {});
  });
})();
