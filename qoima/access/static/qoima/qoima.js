/* Qoima reading room: lazy tree of fonds. Each <details data-src> loads its children (an HTML
   fragment) the first time it opens; "more" links inside a level load the next page in place. */
(function () {
  "use strict";
  function load(url, into, replace) {
    into.setAttribute("aria-busy", "true");
    return fetch(url, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
      .then(function (html) {
        var box = document.createElement("div");
        box.innerHTML = html;
        var list = box.querySelector(".tree-level");
        if (replace) {
          Array.prototype.slice.call(list.children).forEach(function (li) { replace.parentNode.insertBefore(li, replace); });
          replace.remove();
        } else {
          into.appendChild(list);
        }
      })
      .catch(function () { into.textContent = "⚠"; })
      .finally(function () { into.removeAttribute("aria-busy"); });
  }
  document.addEventListener("toggle", function (e) {
    var d = e.target;
    if (!(d instanceof HTMLDetailsElement) || !d.open || !d.dataset.src || d.dataset.loaded) { return; }
    d.dataset.loaded = "1";
    load(d.dataset.src, d.querySelector(".tree-children"));
  }, true);
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[data-more]");
    if (!a || !a.closest("[data-tree]")) { return; }
    e.preventDefault();
    var li = a.closest("li");
    load(a.href, li.parentNode, li);
  });
}());
