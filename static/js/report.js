// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

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
