// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // A page shown in answer to a form names the address it belongs to: Reload and Back then go there, and
  // never send the form again.
  var canonical = document.querySelector("link[rel=canonical]");
  if (canonical && canonical.href !== window.location.href) {
    window.history.replaceState(null, "", canonical.href);
  }
  // A language chosen with ?taal= is kept for the visit: the address shows the page without it.
  var address = new URL(window.location.href);
  if (address.searchParams.has("taal")) {
    address.searchParams.delete("taal");
    window.history.replaceState(null, "", address.pathname + address.search + address.hash);
  }

  document.addEventListener("DOMContentLoaded", function () {
    offline();
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }

    // A second tap on "versturen" while the first is on its way sends nothing extra.
    document.querySelectorAll("form").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (event.defaultPrevented) return;
        if (form.dataset.submitting) {
          event.preventDefault();
          return;
        }
        form.dataset.submitting = "true";
        form.querySelectorAll("button[data-once]").forEach(function (button) {
          button.setAttribute("aria-disabled", "true");
        });
      });
    });

    var dangerBox = document.getElementById("danger-box");
    document.querySelectorAll("input[name=acute_danger]").forEach(function (radio) {
      radio.addEventListener("change", function () {
        var urgent = radio.checked && radio.value === "yes";
        dangerBox.classList.toggle("danger-box--active", urgent);
        if (urgent) {
          dangerBox.setAttribute("role", "alert");
        } else {
          dangerBox.removeAttribute("role");
        }
      });
    });

    // Pages meant for paper: without script the button stays hidden, and the browser's own print gives the
    // same page, as the print stylesheet leaves out the menus.
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () {
        window.print();
      });
    });

    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var text = document.getElementById(button.dataset.copy).textContent.trim();
        if (navigator.clipboard) {
          navigator.clipboard.writeText(text).then(function () {
            button.textContent = button.dataset.copied || "✓";
          });
        }
      });
    });
  });

  // The public form on the street: opened from the phone's cache when offline (sw.js), and what is typed kept on
  // the phone for a day, until the report is stored or the user throws it away. Never on a staff page.
  function offline() {
    var body = document.body;
    if (body.dataset.sw && "serviceWorker" in navigator) {
      navigator.serviceWorker.register(body.dataset.sw, { scope: "/melden" }).then(function () {
        return navigator.serviceWorker.ready;
      }).then(function (registration) {
        var files = [location.href];
        document.querySelectorAll("link[rel=stylesheet],link[rel=icon],script[src]").forEach(function (e) {
          files.push(e.href || e.src);
        });
        registration.active.postMessage({ cache: files });
      });
    }
    if (document.querySelector("[data-clear-draft]")) {
      Object.keys(localStorage).forEach(function (key) {
        if (key.indexOf("draft:") === 0) localStorage.removeItem(key);
      });
    }
    var form = document.querySelector("form[data-draft]");
    if (!form) return;
    // This page's own token: a copy of the page from the cache must not share one with an earlier report.
    var token = form.querySelector("[name=submission_token]"), bytes = new Uint8Array(16);
    if (token) token.value = Array.prototype.map.call(crypto.getRandomValues(bytes), function (b) {
      return (b + 256).toString(16).slice(1);
    }).join("");
    var key = "draft:" + location.pathname, note = document.getElementById("draft-note"), draft = null;
    var fields = function () {
      return Array.prototype.filter.call(form.elements, function (f) {
        return f.name && f.type !== "hidden" && f.type !== "submit" && f.name !== "website";
      });
    };
    try { draft = JSON.parse(localStorage.getItem(key)); } catch (e) { draft = null; }
    // Older than a day, or not a draft this script wrote: gone, and the form as it comes from the server.
    if (!draft || typeof draft.v !== "object" || !(Date.now() - draft.t <= 864e5)) {
      localStorage.removeItem(key);
      draft = null;
    }
    // A page that came back with errors already holds what was sent; otherwise the draft is put back.
    if (draft && !document.getElementById("error-summary")) {
      fields().forEach(function (f) {
        var v = draft.v[f.name];
        if (v === undefined) return;
        if (f.type === "checkbox" || f.type === "radio") f.checked = [].concat(v).indexOf(f.value) >= 0;
        else if (typeof v === "string") f.value = v;
      });
      note.hidden = false;
    }
    var save = function () {
      var v = {};
      fields().forEach(function (f) {
        if ((f.type === "checkbox" || f.type === "radio") && !f.checked) return;
        v[f.name] = f.type === "checkbox" ? [].concat(v[f.name] || [], f.value) : f.value;
      });
      localStorage.setItem(key, JSON.stringify({ t: Date.now(), v: v }));
      note.hidden = false;
    };
    queue(form);
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    document.getElementById("draft-discard").addEventListener("click", function () {
      localStorage.removeItem(key);
      form.reset();
      note.hidden = true;
    });
  }

  // Sent without a connection: kept on the phone with its token (outbox.js), and sent once the connection is back,
  // by this page or, with no page open, by the service worker (Background Sync).
  function queue(form) {
    var queued = document.getElementById("queued-note"), action = form.action;
    var shown = function (entry) { if (entry) queued.hidden = false; };
    // Asked of the service worker too, so it is sent even when this page is closed by then.
    var syncLater = function () {
      if (!("serviceWorker" in navigator)) return Promise.resolve();
      return navigator.serviceWorker.getRegistration().then(function (registration) {
        return registration && registration.sync && registration.sync.register("send-reports");
      }).catch(function () {});
    };
    var flush = function () {
      if (!navigator.onLine) return;
      Outbox.get(action).then(function (entry) { return entry && Outbox.send(entry); }).then(function (response) {
        if (!response) return;
        if (response.redirected) { location.href = response.url; return; }
        // Refused (a field the server did not accept): the form with its errors and every value, as online.
        return Outbox.remove(action).then(function () { return response.text(); }).then(function (html) {
          document.open(); document.write(html); document.close();
        });
      }).catch(function () {
        // Not stored yet: it stays queued for the next connection, or the next opening of the form.
      });
    };
    Outbox.get(action).then(shown);
    form.addEventListener("submit", function (event) {
      if (navigator.onLine) return;
      event.preventDefault();
      var kept = [], note = { title: queued.dataset.stored, body: queued.dataset.reference };
      new FormData(form).forEach(function (value, name) { if (name !== "csrf_token") kept.push([name, value]); });
      Outbox.put({ action: action, fields: kept, note: note }).then(function () {
        return syncLater().then(function () { shown(true); });
      }, function () {
        // No storage on this phone (a private window): the browser's own sending, the draft kept.
        form.submit();
      });
      if (window.Notification && Notification.permission === "default") Notification.requestPermission();
    });
    // The service worker stored it while this page was open: show its confirmation.
    if ("serviceWorker" in navigator) navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.stored && !queued.hidden) location.href = event.data.stored;
    });
    window.addEventListener("online", flush);
    flush();
  }
})();
