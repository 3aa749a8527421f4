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

  rememberCommenter(document.querySelector("form.comment-form"));
  replyInPlace(document.querySelector("[data-respond]"));
  openSectionsOnWideScreens(document.querySelector("[data-section-menu]"));

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

  // The reader's name, e-mail and website stay in this browser, and only when they
  // tick the box: the server keeps nothing of them beyond the comment itself.
  function rememberCommenter(form) {
    var box = form && form.querySelector("[data-remember-me]");
    var storage = availableStorage();
    if (!box || !storage) return;
    var KEY = "dateline-commenter";
    var FIELDS = ["name", "email", "website"];
    var check = box.querySelector("input[type=checkbox]");
    box.hidden = false;
    var saved = null;
    try { saved = JSON.parse(storage.getItem(KEY) || "null"); } catch (e) { saved = null; }
    if (saved) {
      FIELDS.forEach(function (name) {
        var field = form.elements[name];
        if (field && !field.value && typeof saved[name] === "string") field.value = saved[name];
      });
      check.checked = true;
    }
    form.addEventListener("submit", function () {
      if (!check.checked) { storage.removeItem(KEY); return; }
      var details = {};
      FIELDS.forEach(function (name) {
        var field = form.elements[name];
        details[name] = field ? field.value : "";
      });
      storage.setItem(KEY, JSON.stringify(details));
    });
  }

  function availableStorage() {
    try {
      var storage = window.localStorage;
      storage.setItem("dateline-probe", "1");
      storage.removeItem("dateline-probe");
      return storage;
    } catch (e) {
      return null;  // storage turned off, or full: the form works as before
    }
  }

  // Reply opens the form under the comment instead of loading the page again; the
  // link's own address (?replytocom=) still works without this.
  function replyInPlace(respond) {
    if (!respond) return;
    var form = respond.querySelector("form.comment-form");
    var heading = respond.querySelector("[data-respond-heading]");
    if (!form || !heading) return;
    var home = document.createComment("respond");
    respond.parentNode.insertBefore(home, respond);

    function setHeading(name) {
      heading.textContent = name === null
        ? respond.getAttribute("data-leave-text")
        : respond.getAttribute("data-reply-text").replace("{name}", name);
      if (name === null) return;
      var cancel = document.createElement("a");
      cancel.className = "respond__cancel";
      cancel.href = "#respond";
      cancel.textContent = respond.getAttribute("data-cancel-text");
      cancel.setAttribute("data-cancel-reply", "");
      heading.appendChild(document.createTextNode(" "));
      heading.appendChild(cancel);
    }

    document.addEventListener("click", function (event) {
      var reply = event.target.closest("[data-reply-to]");
      var cancel = event.target.closest("[data-cancel-reply]");
      if (reply) {
        event.preventDefault();
        var comment = document.getElementById("comment-" + reply.getAttribute("data-reply-to"));
        if (!comment) return;
        comment.querySelector("article").after(respond);
        form.elements.parent.value = reply.getAttribute("data-reply-to");
        setHeading(reply.getAttribute("data-reply-name"));
        form.elements.body.focus();
      } else if (cancel) {
        event.preventDefault();
        home.after(respond);
        form.elements.parent.value = "";
        setHeading(null);
        form.elements.body.focus();
      }
    });
  }

  // On wide screens the section list is always shown; where the stylesheet cannot
  // open the <details> itself (no ::details-content), this does.
  function openSectionsOnWideScreens(menu) {
    if (!menu || !window.matchMedia) return;
    var wide = window.matchMedia("(min-width: 760px)");
    function follow() { menu.open = wide.matches; }
    follow();
    if (wide.addEventListener) wide.addEventListener("change", follow);
  }
})();
