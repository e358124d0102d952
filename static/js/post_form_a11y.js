// Accessible names on the post's admin form (templates/admin/blog/post/change_form.html).
// Three widgets drawn in the browser come without them: the body editor's contenteditable
// element (django-prose-editor gives it none), the admin's select2 pickers (their combobox,
// its rendered selection and the search field of the multiple ones) and the fields of the
// tabular inlines, which have column headings but no <label>. Each is labelled here by the
// field's own <label>, or in a tabular inline by its column heading. Empty column headings
// (Django's first column, and "Delete?" when rows cannot be deleted) get a visually hidden
// text; the words come from the server (data attributes of this script's tag). Widgets drawn
// later (the editor starts as a module, select2 and added inline rows come and go) are
// labelled as they appear.
(function () {
  "use strict";

  var script = document.currentScript;
  var words = {
    original: script.getAttribute("data-original-heading"),
    delete: script.getAttribute("data-delete-heading"),
  };

  function idOf(element, fallback) {
    if (!element.id) {
      element.id = fallback;
    }
    return element.id;
  }

  // The id of what names the form field with id ``fieldId``: its <label>, else its column
  // heading in a tabular inline; null when there is neither.
  function labelIdFor(fieldId) {
    var field = document.getElementById(fieldId);
    if (!field) {
      return null;
    }
    var label = document.querySelector('label[for="' + fieldId + '"]');
    if (label) {
      return idOf(label, fieldId + "-label");
    }
    var cell = field.closest(".tabular td[class*='field-']");
    if (!cell) {
      return null;
    }
    var name = Array.prototype.find.call(cell.classList, function (c) {
      return c.indexOf("field-") === 0;
    });
    var column = name && cell.closest("table").querySelector("thead th.column-" + name.slice(6));
    if (!column) {
      return null;
    }
    var group = cell.closest(".inline-group");
    return idOf(column, (group ? group.id : "inline") + "-column-" + name.slice(6));
  }

  function labelBy(element, ids) {
    if (ids && !element.hasAttribute("aria-labelledby")) {
      element.setAttribute("aria-labelledby", ids);
    }
  }

  function labelEditors() {
    document.querySelectorAll(".field-body [contenteditable]").forEach(function (editor) {
      labelBy(editor, labelIdFor("id_body"));
    });
  }

  function labelPickers() {
    document.querySelectorAll("select.admin-autocomplete[id]").forEach(function (select) {
      var container = select.nextElementSibling;
      if (!container || !container.classList.contains("select2-container")) {
        return;
      }
      var labelId = labelIdFor(select.id);
      if (!labelId) {
        return;
      }
      var rendered = container.querySelector(".select2-selection__rendered");
      var combobox = container.querySelector(".select2-selection[role=combobox]");
      var search = container.querySelector(".select2-search__field");
      if (combobox && combobox.classList.contains("select2-selection--single") && rendered) {
        // The heading first, then what is chosen: "Featured image: Otters at dusk".
        combobox.setAttribute("aria-labelledby", labelId + " " + idOf(rendered, select.id + "-chosen"));
        labelBy(rendered, labelId);
      } else if (combobox) {
        labelBy(combobox, labelId);
      }
      if (search) {
        labelBy(search, labelId);
      }
    });
  }

  function labelInlineFields() {
    document.querySelectorAll(".tabular td input[id], .tabular td select[id], .tabular td textarea[id]").forEach(
      function (field) {
        if (field.type !== "hidden" && !document.querySelector('label[for="' + field.id + '"]')) {
          labelBy(field, labelIdFor(field.id));
        }
      }
    );
  }

  function fillEmptyHeadings() {
    document.querySelectorAll(".tabular thead th").forEach(function (heading) {
      if (heading.textContent.trim() !== "" || heading.querySelector(".visually-hidden")) {
        return;
      }
      var text = heading.classList.contains("original") ? words.original : words.delete;
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = text;
      heading.appendChild(hidden);
    });
  }

  function labelAll() {
    labelEditors();
    labelPickers();
    labelInlineFields();
    fillEmptyHeadings();
  }

  function start() {
    labelAll();
    var pending = false;
    new MutationObserver(function () {
      if (!pending) {
        pending = true;
        window.requestAnimationFrame(function () {
          pending = false;
          labelAll();
        });
      }
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
