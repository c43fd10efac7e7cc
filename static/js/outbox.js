// Reports sent without a connection, kept on the phone (IndexedDB) until the server has stored them. Shared by the
// form's page (forms.js) and its service worker (sw.js, by Background Sync with no page open), so either may send
// one: the submission token it carries makes a second sending find the first report.
var Outbox = (function () {
  "use strict";
  function store(mode, use) {
    return new Promise(function (resolve, reject) {
      var opening = indexedDB.open("signaalpunt", 1);
      opening.onupgradeneeded = function () {
        opening.result.createObjectStore("outbox", { keyPath: "action" });
      };
      opening.onerror = function () { reject(opening.error); };
      opening.onsuccess = function () {
        var db = opening.result, tx = db.transaction("outbox", mode), request = use(tx.objectStore("outbox"));
        tx.oncomplete = function () { db.close(); resolve(request.result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      };
    });
  }

  function remove(action) {
    return store("readwrite", function (s) { return s.delete(action); });
  }

  // One queued report, sent with the CSRF token of a fresh copy of its form (the one it was typed on may have
  // expired). Resolves with the server's answer once it decided; a stored report leaves the phone, one the server
  // refused stays for the form to show why. Rejects while it cannot be stored yet (no connection, server busy).
  function send(entry) {
    return fetch(entry.action, { credentials: "same-origin" }).then(function (form) {
      return form.text();
    }).then(function (html) {
      var csrf = /name="csrf_token"[^>]*value="([^"]*)"/.exec(html), data = new FormData();
      entry.fields.forEach(function (pair) { data.append(pair[0], pair[1]); });
      data.append("csrf_token", csrf ? csrf[1] : "");
      return fetch(entry.action, { method: "POST", body: data, credentials: "same-origin" });
    }).then(function (response) {
      if (response.status >= 500 || response.status === 429) throw new Error("not stored yet");
      if (!response.redirected) return response;
      return remove(entry.action).then(function () { return response; });
    });
  }

  return {
    get: function (action) { return store("readonly", function (s) { return s.get(action); }); },
    all: function () { return store("readonly", function (s) { return s.getAll(); }); },
    put: function (entry) { return store("readwrite", function (s) { return s.put(entry); }); },
    remove: remove,
    send: send
  };
})();
