// Progressive enhancements only: every link and form works without this file.
(function () {
  "use strict";
  // The comment form asks for a signed time when the page opens, so the server can
  // tell a reader who took a moment from software that posts at once. The page stays
  // the same for every reader; without JavaScript the comment is held for a moderator.
  var form = document.querySelector("form[data-ticket-url]");
  if (form && window.fetch) {
    fetch(form.getAttribute("data-ticket-url"), { credentials: "omit" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        var field = form.querySelector("input[name=ticket]");
        if (data && field && !field.value) field.value = data.ticket;
      })
      .catch(function () {});
  }

  // A form that came back with errors opens on its summary of them. Browsers honour
  // the summary's autofocus attribute too; this covers the ones that do not.
  var summary = document.querySelector("[data-error-summary]");
  if (summary && document.activeElement !== summary) summary.focus();

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
