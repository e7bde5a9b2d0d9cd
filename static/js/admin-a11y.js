// The secretariat's admin: names for the controls that Django admin's own scripts build without one.
// Loaded by templates/admin/base_site.html; runs after those scripts (window "load", then a tick).
(function () {
  "use strict";

  function labelId(control) {
    var label = document.querySelector('label[for="' + control.id + '"]');
    if (!label) return null;
    if (!label.id) label.id = control.id + "-label";
    return label.id;
  }

  // select2 (autocomplete_fields) names its combobox after the selected text: empty, nothing.
  function nameAutocompletes(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = labelId(select);
      var widget = select.nextElementSibling;
      if (!label || !widget || !widget.classList.contains("select2")) return;
      var rendered = widget.querySelector(".select2-selection__rendered");
      var combobox = widget.querySelector('.select2-selection[role="combobox"]');
      if (rendered) rendered.setAttribute("aria-labelledby", label);
      if (combobox) combobox.setAttribute("aria-labelledby", rendered && rendered.id ? label + " " + rendered.id : label);
    });
  }

  // filter_horizontal's search icons carry an aria-label on a plain span, which has no role to name.
  function nameFilterIcons(root) {
    root.querySelectorAll(".search-label-icon[aria-label]").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  window.addEventListener("load", function () {
    window.setTimeout(function () {
      nameAutocompletes(document);
      nameFilterIcons(document);
    }, 0);
  });
  document.addEventListener("formset:added", function (event) {
    window.setTimeout(function () { nameAutocompletes(event.target); }, 0);
  });
})();
