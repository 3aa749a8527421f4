// Progressive enhancements only: every link and form works without this file.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-copy-link]");
    if (!link || !navigator.clipboard) return;
    event.preventDefault();
    navigator.clipboard.writeText(link.href).then(function () {
      var original = link.textContent;
      link.textContent = link.getAttribute("data-copied-text") || original;
      link.setAttribute("aria-live", "polite");
      setTimeout(function () { link.textContent = original; }, 2000);
    });
  });
})();
