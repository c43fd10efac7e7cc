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

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }

    // A second tap on "versturen" while the first is on its way sends nothing extra.
    document.querySelectorAll("form").forEach(function (form) {
      form.addEventListener("submit", function (event) {
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
})();
