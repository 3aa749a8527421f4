// Fills the page's ad slots for this view. The page itself is the same for every
// reader (and cached); this asks /ads/fill/ what goes in each reserved box, removes
// the boxes with nothing to show, and counts an impression only once an ad is at
// least half on screen. No cookies, no identifiers: see docs/ads.md.
(function () {
  "use strict";
  var slots = Array.prototype.slice.call(document.querySelectorAll("[data-ad-slot]"));
  if (!slots.length) return;
  if (!window.fetch) {
    slots.forEach(remove);
    return;
  }
  var first = slots[0];
  var CONSENT_KEY = "dateline-ad-consent";
  var impressionUrl = first.getAttribute("data-ad-impression");

  function remove(slot) {
    if (slot.parentNode) slot.parentNode.removeChild(slot);
  }

  function box(slot) {
    return slot.querySelector(".ad-slot__box");
  }

  function fillUrl() {
    var params = new URLSearchParams();
    ["page", "section", "tags"].forEach(function (name) {
      var value = first.getAttribute("data-ad-" + name);
      if (value) params.set(name, value);
    });
    params.set("slots", slots.map(function (slot) {
      var reserved = box(slot);
      return slot.getAttribute("data-ad-slot") + ":" +
        reserved.clientWidth + "x" + reserved.clientHeight;
    }).join(","));
    return first.getAttribute("data-ad-fill") + "?" + params.toString();
  }

  function link(href, className) {
    var a = document.createElement(href ? "a" : "div");
    if (href) {
      a.href = href;
      a.rel = "sponsored noopener";
    }
    if (className) a.className = className;
    return a;
  }

  function span(className, text) {
    var element = document.createElement("span");
    element.className = className;
    element.textContent = text;
    return element;
  }

  var render = {
    image: function (target, ad) {
      var a = link(ad.href);
      var img = document.createElement("img");
      img.src = ad.src;
      img.width = ad.width;
      img.height = ad.height;
      img.alt = ad.alt || "";
      a.appendChild(img);
      target.appendChild(a);
    },
    text: function (target, ad) {
      var a = link(ad.href, "ad-text");
      a.appendChild(span("ad-text__headline", ad.headline));
      if (ad.text) a.appendChild(span("ad-text__body", ad.text));
      if (ad.advertiser) a.appendChild(span("ad-text__by", ad.advertiser));
      target.appendChild(a);
    },
    html: function (target, ad) {
      // Cleaned by the server with nh3 when the ad desk saved it: no script, style
      // or foreign image can be in it.
      var wrapper = document.createElement("div");
      wrapper.className = "ad-html";
      wrapper.innerHTML = ad.html;
      target.appendChild(wrapper);
    }
  };

  var observer = window.IntersectionObserver && new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.intersectionRatio < 0.5) return;
      observer.unobserve(entry.target);
      count(entry.target.getAttribute("data-ad-impression-token"));
    });
  }, { threshold: [0.5] });

  function count(token) {
    if (!token) return;
    if (navigator.sendBeacon && navigator.sendBeacon(impressionUrl, token)) return;
    fetch(impressionUrl, { method: "POST", body: token, credentials: "omit", keepalive: true })
      .catch(function () {});
  }

  function show(slot, ad) {
    var draw = render[ad.kind];
    if (!draw) return remove(slot);
    draw(box(slot), ad);
    slot.setAttribute("data-ad-filled", ad.kind);
    if (ad.impression && observer) {
      slot.setAttribute("data-ad-impression-token", ad.impression);
      observer.observe(slot);
    }
  }

  // Third-party networks: only with the reader's consent, asked once.
  function withConsent(networkSlots) {
    if (!networkSlots.length) return;
    var choice = null;
    try { choice = window.localStorage.getItem(CONSENT_KEY); } catch (e) { choice = "no"; }
    if (choice === "yes") return loadNetwork(networkSlots);
    if (choice === "no" || !first.hasAttribute("data-ad-consent")) {
      return networkSlots.forEach(function (item) { remove(item.slot); });
    }
    var banner = document.createElement("div");
    banner.className = "ad-consent";
    banner.setAttribute("role", "dialog");
    var text = document.createElement("p");
    text.textContent = first.getAttribute("data-ad-consent");
    banner.appendChild(text);
    ["yes", "no"].forEach(function (answer) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = first.getAttribute("data-ad-consent-" + answer);
      button.addEventListener("click", function () {
        try { window.localStorage.setItem(CONSENT_KEY, answer); } catch (e) { /* private mode */ }
        banner.parentNode.removeChild(banner);
        if (answer === "yes") loadNetwork(networkSlots);
        else networkSlots.forEach(function (item) { remove(item.slot); });
      });
      banner.appendChild(button);
    });
    document.body.appendChild(banner);
  }

  function loadNetwork(networkSlots) {
    var gam = networkSlots.filter(function (item) { return item.ad.network === "gam"; });
    if (!gam.length) return;
    var googletag = window.googletag = window.googletag || { cmd: [] };
    var script = document.createElement("script");
    script.src = gam[0].ad.script;
    script.async = true;
    document.head.appendChild(script);
    googletag.cmd.push(function () {
      gam.forEach(function (item, index) {
        var target = box(item.slot);
        target.id = "ad-network-" + index;
        googletag.defineSlot(item.ad.unit, item.ad.size, target.id).addService(googletag.pubads());
      });
      googletag.enableServices();
      gam.forEach(function (item) { googletag.display(box(item.slot).id); });
    });
  }

  fetch(fillUrl(), { credentials: "omit", cache: "no-store" })
    .then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    })
    .then(function (data) {
      var networkSlots = [];
      slots.forEach(function (slot) {
        var ad = data.slots[slot.getAttribute("data-ad-slot")];
        if (!ad || ad.kind === "none") return remove(slot);
        if (ad.kind === "network") return networkSlots.push({ slot: slot, ad: ad });
        show(slot, ad);
      });
      withConsent(networkSlots);
    })
    .catch(function () { slots.forEach(remove); });
})();
