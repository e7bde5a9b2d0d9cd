// "Perhaps this answers your question": as the applicant chooses a topic and an ATMP class on the
// request form, ask the portal for matching library items and list them above the question.
// Without JavaScript the list is still there when the form comes filled in (from the checklist,
// or sent back with errors). Kept in a file: the CSP allows no inline script.
(function () {
  "use strict";
  var box = document.getElementById("guidance-suggestions");
  var form = box && box.closest("form");
  if (!box || !form || !window.fetch) {
    return;
  }
  var asked = "";

  function value(name) {
    var field = form.elements[name];
    return field ? field.value || "" : "";
  }

  function render(items) {
    box.textContent = "";
    if (!items.length) {
      return;
    }
    var wrap = document.createElement("div");
    wrap.className = "request-suggestions-box";
    var heading = document.createElement("h2");
    heading.className = "h4";
    heading.textContent = box.getAttribute("data-heading");
    var hint = document.createElement("p");
    hint.className = "form-hint";
    hint.textContent = box.getAttribute("data-hint");
    var list = document.createElement("ul");
    list.className = "request-suggestions-list";
    items.forEach(function (item) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = item.url;
      var pageLang = document.documentElement.lang;
      if (item.lang !== pageLang) {
        link.lang = item.lang;
      }
      link.textContent = item.title;
      var kind = document.createElement("span");
      kind.className = "text-muted";
      kind.textContent = " (" + item.kind + ")";
      var summary = document.createElement("span");
      if (item.lang !== pageLang) {
        summary.lang = item.lang;
      }
      summary.textContent = item.summary.split(/\s+/).slice(0, 25).join(" ") +
        (item.summary.split(/\s+/).length > 25 ? " …" : "");
      li.appendChild(link);
      li.appendChild(kind);
      li.appendChild(document.createElement("br"));
      li.appendChild(summary);
      list.appendChild(li);
    });
    wrap.appendChild(heading);
    wrap.appendChild(hint);
    wrap.appendChild(list);
    box.appendChild(wrap);
  }

  function update() {
    var query = new URLSearchParams({ topic: value("topic"), atmp_class: value("atmp_class") }).toString();
    if (query === asked) {
      return;
    }
    asked = query;
    if (!value("topic") && !value("atmp_class")) {
      render([]);
      return;
    }
    fetch(box.getAttribute("data-url") + "?" + query, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { items: [] }; })
      .then(function (data) { if (query === asked) { render(data.items || []); } })
      .catch(function () { /* no suggestions is no loss: the form works as before */ });
  }

  form.addEventListener("change", function (event) {
    if (event.target && (event.target.name === "topic" || event.target.name === "atmp_class")) {
      update();
    }
  });
  // The draft (request-draft.js, loaded before this) may have filled the form in.
  asked = box.getAttribute("data-asked") || "";
  update();
})();
