// The download status page: asks every few seconds how far the file has come, and reloads the
// page once it is ready or has failed. Kept in a file: the CSP allows no inline script.
(function () {
  "use strict";
  var box = document.getElementById("download-progress");
  if (!box || !window.fetch) {
    return;
  }
  var bar = document.getElementById("download-progress-bar");
  var text = document.getElementById("download-progress-text");
  var template = text ? text.textContent.replace(/\d+/, "{p}") : "";
  var tries = 0;
  function poll() {
    tries += 1;
    fetch(box.dataset.progressUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) {
          return;
        }
        if (state.status !== "pending") {
          window.location.reload();
          return;
        }
        if (bar) {
          bar.value = state.progress;
        }
        if (text && state.progress % 25 === 0) {
          text.textContent = template.replace("{p}", state.progress);
        }
        if (tries < 200) {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () {
        if (tries < 200) {
          window.setTimeout(poll, 5000);
        }
      });
  }
  window.setTimeout(poll, 1000);
})();
