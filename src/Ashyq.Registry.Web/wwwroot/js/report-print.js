// Writes the moment of printing into a report's running header, in the page's language.
(function () {
  "use strict";
  var target = document.querySelector("[data-testid='print-date']");
  if (!target) {
    return;
  }
  function stamp() {
    target.textContent = new Date().toLocaleString(document.documentElement.lang || "ru", { dateStyle: "long", timeStyle: "short" });
  }
  stamp();
  window.addEventListener("beforeprint", stamp);
})();
