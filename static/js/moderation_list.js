// Keyboard shortcuts for the moderators' comment list and queues (the admin's changelist).
// j / k move the focus from comment to comment (onto its <summary>, so Enter shows its
// whole text as a click would), x selects it, o opens its page, and the action keys (read
// from the ? help dialog, the one copy of them: comments/admin/keyboard.py) run an action
// through the list's own Action menu and Run button: on the selected comments, or on the
// one in focus when none is selected. Nothing fires while a field is being typed in or with
// Ctrl, Alt or Meta held. Without JavaScript the list works as Django's admin does.
(function () {
  "use strict";

  var table = document.getElementById("result_list");
  var help = document.getElementById("moderation-shortcuts");
  var form = document.getElementById("changelist-form");
  if (!table || !help || !form || !table.tBodies.length) {
    return;
  }
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var actionMenu = form.querySelector("select[name=action]");
  var run = form.querySelector("button[name=index]");
  var actions = {};
  help.querySelectorAll("[data-key]").forEach(function (item) {
    actions[item.dataset.key] = item.dataset.action;
  });
  // Where the focus was when an action key reloaded the page, to put it back there.
  var STORE = "tribune.moderationFocus";
  var current = -1;

  function isTyping(element) {
    if (element.isContentEditable) {
      return true;
    }
    var tag = element.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") {
      return true;
    }
    var notTyped = ["checkbox", "radio", "button", "submit", "reset", "image", "file"];
    return tag === "INPUT" && notTyped.indexOf(element.type) === -1;
  }

  function rowIndexOf(element) {
    var row = element.closest ? element.closest("tr") : null;
    return row ? rows.indexOf(row) : -1;
  }

  function focusRow(index) {
    if (!rows.length) {
      return;
    }
    current = Math.max(0, Math.min(rows.length - 1, index));
    var row = rows[current];
    var target = row.querySelector("summary");
    if (!target) {
      row.tabIndex = -1;
      target = row;
    }
    target.focus();
    row.scrollIntoView({ block: "nearest" });
  }

  function checkbox(index) {
    return index < 0 ? null : rows[index].querySelector("input.action-select");
  }

  function runAction(action) {
    var offered = Array.prototype.some.call(actionMenu.options, function (option) {
      return option.value === action;
    });
    if (!offered || !run) {
      return;
    }
    var anySelected = rows.some(function (row, index) {
      var box = checkbox(index);
      return box && box.checked;
    });
    if (!anySelected) {
      var box = checkbox(current);
      if (!box) {
        return;
      }
      // A click, as a person's: Django's actions.js marks the row and counts it.
      box.click();
    }
    try {
      sessionStorage.setItem(
        STORE,
        JSON.stringify({ page: location.pathname + location.search, row: current })
      );
    } catch (error) {
      // Storage refused (a private window): the focus just starts at the top again.
    }
    actionMenu.value = action;
    run.click();
  }

  function openHelp() {
    if (!help.open) {
      help.showModal();
    }
  }

  document.addEventListener("focusin", function (event) {
    var index = rowIndexOf(event.target);
    if (index !== -1 && table.contains(event.target)) {
      current = index;
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey || event.defaultPrevented) {
      return;
    }
    if (help.open || isTyping(event.target)) {
      return;
    }
    var key = event.key;
    if (key === "?") {
      openHelp();
    } else if (key === "j") {
      focusRow(current + 1);
    } else if (key === "k") {
      focusRow(current === -1 ? 0 : current - 1);
    } else if (key === "x" && checkbox(current)) {
      checkbox(current).click();
    } else if (key === "o" && current !== -1) {
      var link = rows[current].querySelector("th a");
      if (link) {
        link.click();
      }
    } else if (Object.prototype.hasOwnProperty.call(actions, key) && current !== -1) {
      runAction(actions[key]);
    } else {
      return;
    }
    event.preventDefault();
  });

  var hint = document.querySelector(".shortcuts-hint");
  if (hint) {
    hint.hidden = false;
    hint.querySelector("button").addEventListener("click", openHelp);
  }

  var stored = null;
  try {
    stored = JSON.parse(sessionStorage.getItem(STORE) || "null");
    sessionStorage.removeItem(STORE);
  } catch (error) {
    stored = null;
  }
  if (stored && stored.page === location.pathname + location.search) {
    focusRow(stored.row);
  }
})();
