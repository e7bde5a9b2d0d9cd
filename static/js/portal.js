// Starts Det Fælles Designsystem's components. Kept in a file: the CSP allows no inline script.
(function () {
  "use strict";
  if (window.DKFDS && typeof window.DKFDS.init === "function") {
    window.DKFDS.init();
  }

  // Move focus to a form's error summary so keyboard and screen-reader users hear it first. On
  // "load", after the browser has scrolled to a #fragment in the URL (the reply form posts to
  // #reply), which would otherwise leave focus and the reader at the fragment.
  function focusErrorSummary() {
    var summary = document.getElementById("form-errors");
    if (summary) {
      summary.focus();
    }
  }
  if (document.readyState === "complete") {
    focusErrorSummary();
  } else {
    window.addEventListener("load", function () { window.setTimeout(focusErrorSummary, 0); });
  }

  // The design system builds a "Mere" (more) menu button when the main menu does not fit; its
  // word is Danish in the script. Say it in the page's language (from the menu's data attribute),
  // and bring focus back to the button when Escape closes the menu, not to the top of the page.
  var nav = document.querySelector(".navigation-menu .nav[data-more-label]");
  if (!nav) {
    return;
  }
  function localiseMoreButton() {
    var label = nav.querySelector(".more-button span");
    if (label && label.textContent !== nav.dataset.moreLabel) {
      label.textContent = nav.dataset.moreLabel;
    }
  }
  localiseMoreButton();
  new MutationObserver(localiseMoreButton).observe(nav, { childList: true, subtree: true });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    var button = nav.querySelector(".more-button");
    var menu = document.getElementById("fds-more-menu");
    if (button && menu && (menu.contains(document.activeElement) || document.activeElement === button)) {
      window.setTimeout(function () { button.focus(); }, 0);
    }
  }, true);
})();

// A "Copy" button next to a read-only value (the two-factor secret): copies it and says so.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copyTarget);
    if (!field || !navigator.clipboard) {
      button.hidden = true;  // the field can still be selected and copied by hand
      return;
    }
    var label = button.textContent;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = button.dataset.copiedLabel;
        window.setTimeout(function () { button.textContent = label; }, 3000);
      });
    });
  });
})();
