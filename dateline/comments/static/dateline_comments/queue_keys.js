// Keyboard shortcuts in the comment queue: j and k move between comments, a, s and t
// approve, spam or trash the current one (the same forms the buttons submit).
(function () {
  "use strict";
  var ACTIONS = { a: "approve", s: "spam", t: "trash" };
  var current = 0;

  function rows() {
    return Array.prototype.slice.call(
      document.querySelectorAll("tr[data-comment-row]")
    );
  }

  function select(index) {
    var all = rows();
    if (!all.length) return;
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach(function (row, n) {
      row.classList.toggle("comment-queue__row--current", n === current);
      if (n === current) row.setAttribute("aria-current", "true");
      else row.removeAttribute("aria-current");
    });
    all[current].scrollIntoView({ block: "nearest" });
  }

  function typing(target) {
    return target.closest && target.closest("input, textarea, select, [contenteditable]");
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (event.key === "j" || event.key === "k") {
      event.preventDefault();
      select(current + (event.key === "j" ? 1 : -1));
      return;
    }
    var action = ACTIONS[event.key];
    var row = rows()[current];
    if (!action || !row) return;
    var form = row.querySelector('form[data-moderate="' + action + '"]');
    if (form) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  select(0);
})();
