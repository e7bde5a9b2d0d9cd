// Keeps a draft of a long form in this browser (localStorage) until the server has it.
// A form opts in with data-draft="<name>"; what is typed is saved as the person types. A fresh
// form (data-draft-fresh="true") is filled from the draft; a form the server sent back with
// errors already holds what was typed. The receipt page (an element with data-draft-sent) and
// logging out delete it. Files are never kept: browsers do not allow it.
// Kept in a file: the CSP allows no inline script.
(function () {
  "use strict";
  var PREFIX = "atmp-draft:";
  var storage;
  try {
    storage = window.localStorage;
    storage.setItem(PREFIX + "probe", "1");
    storage.removeItem(PREFIX + "probe");
  } catch (e) {
    return; // private mode or storage switched off: the form works as before
  }

  function clearAll() {
    for (var i = storage.length - 1; i >= 0; i--) {
      var key = storage.key(i);
      if (key && key.indexOf(PREFIX) === 0) {
        storage.removeItem(key);
      }
    }
  }

  document.querySelectorAll("[data-draft-sent]").forEach(function (marker) {
    storage.removeItem(PREFIX + marker.getAttribute("data-draft-sent"));
  });
  document.querySelectorAll('form[action$="/logout/"]').forEach(function (logout) {
    logout.addEventListener("submit", clearAll);
  });

  var form = document.querySelector("form[data-draft]");
  if (!form) {
    return;
  }
  var key = PREFIX + form.getAttribute("data-draft");
  var note = document.getElementById("draft-note");
  var restored = document.getElementById("draft-restored");
  var discard = document.getElementById("draft-discard");

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "file" &&
        el.type !== "submit" && el.type !== "button";
    });
  }

  function save() {
    var data = {};
    fields().forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) {
          (data[el.name] = data[el.name] || []).push(el.value);
        }
      } else {
        data[el.name] = [el.value];
      }
    });
    try {
      storage.setItem(key, JSON.stringify({ saved: Date.now(), data: data }));
    } catch (e) {
      // storage full: nothing more to do than the server-side form already does
    }
  }

  // Fields another page filled in through the address (the checklist's "ask ATMP Danmark about
  // this": topic, class, stage, subject, question) are newer than any draft: the draft fills the
  // rest of the form and leaves those as they came.
  var given = {};
  try {
    new URLSearchParams(window.location.search).forEach(function (value, name) {
      if (value) {
        given[name] = true;
      }
    });
  } catch (e) {
    given = {};
  }

  function restore() {
    var draft;
    try {
      draft = JSON.parse(storage.getItem(key) || "null");
    } catch (e) {
      draft = null;
    }
    if (!draft || !draft.data) {
      return false;
    }
    fields().forEach(function (el) {
      var values = draft.data[el.name];
      if (values === undefined || given[el.name]) {
        return;
      }
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = values.indexOf(el.value) !== -1;
      } else {
        el.value = values[0];
      }
    });
    return true;
  }

  if (form.getAttribute("data-draft-fresh") === "true" && restore() && restored) {
    restored.hidden = false;
  }
  if (note) {
    note.hidden = false;
  }
  var timer = null;
  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 300);
  }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  form.addEventListener("submit", save);
  if (discard) {
    discard.addEventListener("click", function () {
      storage.removeItem(key);
      window.location.reload();
    });
  }
})();
