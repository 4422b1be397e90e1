// Follows an import's load on its page: updates the rows read and the bar, and reloads the page
// for the outcome once the load has finished. Without it the page offers a refresh link.
(function () {
  "use strict";
  var panel = document.querySelector("[data-progress-url]");
  if (!panel) {
    return;
  }
  var url = panel.getAttribute("data-progress-url");
  var rows = panel.querySelector("[data-rows-read]");
  var bar = panel.querySelector("progress");
  var format = new Intl.NumberFormat(document.documentElement.lang || undefined);

  function schedule(delay) {
    window.setTimeout(poll, delay);
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (progress) {
        rows.textContent = format.format(progress.rowsRead);
        if (bar && bar.hasAttribute("max")) {
          bar.value = Math.min(progress.rowsRead, Number(bar.getAttribute("max")));
        }
        if (progress.finished) {
          window.location.reload();
        } else {
          schedule(1000);
        }
      })
      .catch(function () {
        schedule(5000);
      });
  }

  schedule(1000);
})();
