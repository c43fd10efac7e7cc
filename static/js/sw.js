// The public report form's service worker: the form opens from cache when offline and fresh when online.
// It never caches a staff page or anything personal: only the forms' own pages, and static files.
"use strict";
var CACHE = "signaalpunt-shell-1";
var PAGES = ["/melden", "/melden/over-mezelf"];
var TIMEOUT = 3000;
importScripts("/static/js/outbox.js");

function cacheable(url) {
  return url.origin === self.location.origin &&
    (PAGES.indexOf(url.pathname) >= 0 || url.pathname.indexOf("/static/") === 0);
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.add("/melden"); }));
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name !== CACHE; }).map(function (name) {
      return caches.delete(name);
    }));
  }).then(function () { return self.clients.claim(); }));
});

// The page names the files it loaded; they are kept for opening it offline.
self.addEventListener("message", function (event) {
  var urls = (event.data && event.data.cache || []).filter(function (u) { return cacheable(new URL(u)); });
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(urls); }));
});

function fresh(request) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(reject, TIMEOUT);
    fetch(request).then(function (response) {
      clearTimeout(timer);
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      }
      resolve(response);
    }, reject);
  });
}

self.addEventListener("fetch", function (event) {
  var url = new URL(event.request.url);
  if (event.request.method !== "GET" || !cacheable(url)) {
    return;
  }
  if (url.pathname.indexOf("/static/") === 0) {
    // Versioned files: the cached copy is the right one.
    event.respondWith(caches.match(event.request).then(function (hit) { return hit || fresh(event.request); }));
    return;
  }
  // The form itself: fresh when the network answers in time, else the copy last seen (of this page, or the form).
  event.respondWith(fresh(event.request).catch(function () {
    return caches.match(event.request).then(function (hit) {
      return hit || caches.match(event.request, { ignoreSearch: true });
    }).then(function (hit) {
      return hit || caches.match("/melden");
    });
  }));
});

// Background Sync: reports sent without a connection go out when it returns, with or without the page open.
self.addEventListener("sync", function (event) {
  if (event.tag !== "send-reports") return;
  event.waitUntil(Outbox.all().then(function (entries) {
    return Promise.all(entries.map(function (entry) {
      return Outbox.send(entry).then(function (response) {
        // Refused: it stays queued, and the form shows why when it is opened again.
        return response.redirected && response.text().then(function (html) {
          return announce(entry, response.url, html);
        });
      });
    }));
  }));
});

// Stored: an open form shows the confirmation; with none in sight, a notification (if allowed) gives the reference.
function announce(entry, url, html) {
  var reference = /id="reference">\s*([^<\s]+)/.exec(html);
  return self.clients.matchAll({ type: "window" }).then(function (clients) {
    clients.forEach(function (client) { client.postMessage({ stored: url }); });
    var seen = clients.some(function (client) { return client.visibilityState === "visible"; });
    if (!seen && reference && self.Notification && Notification.permission === "granted") {
      var note = entry.note || {};
      return self.registration.showNotification(note.title, { body: note.body + " " + reference[1], tag: "report", data: url });
    }
  });
}

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  event.waitUntil(self.clients.openWindow(event.notification.data));
});
