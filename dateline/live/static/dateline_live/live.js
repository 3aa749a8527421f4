// Live coverage: asks the page's entries endpoint for what is new every few seconds
// and offers it behind a "N new updates" button, so the page never jumps under the
// reader. Edits and removals are applied in place. Without this script a reload
// shows everything.
(function () {
  "use strict";
  var root = document.querySelector("[data-live-endpoint]");
  if (!root || root.dataset.liveState === "ended" || root.dataset.liveFirst !== "true") {
    return;
  }
  var stream = root.querySelector(".live__entries");
  var button = root.querySelector(".live__new-button");
  var latest = parseInt(root.dataset.liveLatest || "0", 10);
  var seconds = Math.max(2, parseInt(root.dataset.livePoll || "8", 10));
  var oldestFirst = root.dataset.liveOrder === "oldest";
  var pending = [];

  function nodesFrom(html) {
    var holder = document.createElement("template");
    holder.innerHTML = html || "";
    return Array.prototype.slice.call(holder.content.querySelectorAll("[data-entry]"));
  }

  function entryOnPage(id) {
    return root.querySelector('[data-entry="' + id + '"]');
  }

  function showButton() {
    if (!pending.length) {
      button.hidden = true;
      return;
    }
    button.textContent = pending.length === 1
      ? button.dataset.one
      : button.dataset.many.replace("%(count)s", String(pending.length));
    button.hidden = false;
  }

  function addNew(html) {
    nodesFrom(html).forEach(function (node) {
      var id = node.dataset.entry;
      var known = entryOnPage(id) || pending.some(function (p) { return p.dataset.entry === id; });
      if (!known) {
        pending.push(node);
      }
    });
    pending.sort(function (a, b) { return b.dataset.entry - a.dataset.entry; });
  }

  function dropRemoved(present, from) {
    var kept = {};
    present.forEach(function (id) { kept[id] = true; });
    root.querySelectorAll("[data-entry]").forEach(function (node) {
      var id = parseInt(node.dataset.entry, 10);
      if (id >= from && id <= latest && !kept[id]) {
        node.remove();
      }
    });
    pending = pending.filter(function (node) { return kept[node.dataset.entry]; });
  }

  function applyEdits(edited) {
    Object.keys(edited || {}).forEach(function (id) {
      var node = entryOnPage(id);
      if (node && node.dataset.edited !== edited[id].stamp) {
        var fresh = nodesFrom(edited[id].html)[0];
        if (fresh) {
          node.replaceWith(fresh);
        }
      }
    });
  }

  function apply(answer) {
    if (!answer) {
      return;
    }
    addNew(answer.html);
    dropRemoved(answer.present || [], answer.present_from || 0);
    applyEdits(answer.edited);
    latest = Math.max(latest, answer.latest || 0);
    showButton();
    if (answer.state === "ended") {
      root.dataset.liveState = "ended";
    }
  }

  function poll() {
    fetch(root.dataset.liveEndpoint + "?after=" + latest, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(apply)
      .catch(function () {})
      .then(function () {
        if (root.dataset.liveState !== "ended") {
          window.setTimeout(poll, seconds * 1000);
        }
      });
  }

  button.addEventListener("click", function () {
    var empty = stream.querySelector(".live__empty");
    if (empty) {
      empty.remove();
    }
    var nodes = oldestFirst ? pending.slice().reverse() : pending;
    nodes.forEach(function (node, index) {
      if (oldestFirst) {
        stream.appendChild(node);
      } else {
        stream.insertBefore(node, index === 0 ? stream.firstChild : nodes[index - 1].nextSibling);
      }
    });
    pending = [];
    showButton();
    if (nodes.length) {
      nodes[0].setAttribute("tabindex", "-1");
      nodes[0].focus({ preventScroll: oldestFirst });
    }
  });

  window.setTimeout(poll, seconds * 1000);
}());
