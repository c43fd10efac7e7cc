// A print button for pages meant for paper. Without script the button is hidden; the browser's own print
// gives the same page, as the print stylesheet leaves out the menus.
(function () {
  document.documentElement.classList.add("js");
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () {
        window.print();
      });
    });
  });
})();
