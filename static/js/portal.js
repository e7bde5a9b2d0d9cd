// Starts Det Fælles Designsystem's components. Kept in a file: the CSP allows no inline script.
(function () {
  "use strict";
  if (window.DKFDS && typeof window.DKFDS.init === "function") {
    window.DKFDS.init();
  }
  // Move focus to a form's error summary so keyboard and screen-reader users hear it first.
  var summary = document.getElementById("form-errors");
  if (summary) {
    summary.focus();
  }
})();
