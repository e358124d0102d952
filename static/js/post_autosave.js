// Autosave and presence on the post editor (admin; templates/admin/blog/post/_autosave.html).
// Every few seconds, when the title, excerpt or body changed, it sends them to the editor's
// autosave slot; when nothing changed it still says, now and then, that the page is open, so
// other editors of the post are warned. Each answer says "Draft saved at 10:42" in the status
// line and names the other editors present; the words come from the server. The offer to
// restore an autosaved version fills the form, the rich-text body through its editor. Nothing
// here saves the post itself: only the form's Save buttons do.
(function () {
  "use strict";

  var root = document.getElementById("post-autosave");
  if (!root) {
    return;
  }
  var form = root.closest("form");
  var FIELDS = ["title", "excerpt", "body"];
  var autosaveMs = Number(root.getAttribute("data-autosave-seconds")) * 1000;
  var heartbeatMs = Number(root.getAttribute("data-heartbeat-seconds")) * 1000;
  var status = root.querySelector("[data-autosave-status]");
  var editors = root.querySelector("[data-autosave-editors]");
  var warning = root.querySelector("[data-autosave-warning]");
  var offer = root.querySelector("[data-autosave-offer]");

  var changed = false;
  var sending = false;
  var submitting = false;
  var lastSent = 0;

  function field(name) {
    return form.elements.namedItem(name);
  }

  function show(element, text) {
    if (element && element.textContent.trim() !== (text || "")) {
      element.textContent = text || "";
    }
    if (element) {
      element.hidden = !text;
    }
  }

  function post(url, withDraft) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", field("csrfmiddlewaretoken").value);
    var opened = field("opened_version");
    if (opened) {
      data.append("opened_version", opened.value);
    }
    if (withDraft) {
      FIELDS.forEach(function (name) {
        var input = field(name);
        data.append(name, input ? input.value : "");
      });
    }
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      var isJson = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (!isJson) {
        throw new Error("no answer");
      }
      return response.json().then(function (answer) {
        return { ok: response.ok, answer: answer };
      });
    });
  }

  function send() {
    if (sending || submitting) {
      return;
    }
    var withDraft = changed;
    changed = false;
    sending = true;
    lastSent = Date.now();
    post(root.getAttribute("data-url"), withDraft)
      .then(function (result) {
        var answer = result.answer;
        if (!result.ok) {
          changed = changed || withDraft;
          status.textContent = answer.error;
          return;
        }
        if (answer.status) {
          status.textContent = answer.status;
        }
        if ("editors" in answer) {
          show(editors, answer.editors);
          show(warning, answer.warning);
        }
      })
      .catch(function () {
        changed = changed || withDraft;
        status.textContent = root.getAttribute("data-failed-text");
      })
      .finally(function () {
        sending = false;
      });
  }

  form.addEventListener("input", function (event) {
    if (FIELDS.indexOf(event.target.name) !== -1) {
      changed = true;
    }
  });
  form.addEventListener("submit", function () {
    submitting = true;
  });
  window.setInterval(function () {
    if (changed || Date.now() - lastSent >= heartbeatMs) {
      send();
    }
  }, autosaveMs);
  send(); // say at once that this page is open

  if (!offer) {
    return;
  }
  var draft = JSON.parse(document.getElementById("post-autosave-draft").textContent);
  offer.hidden = false;

  function setValue(name, value) {
    var input = field(name);
    if (!input) {
      return;
    }
    input.value = value;
    // "input" marks the form as changed; "change" lets the admin fill in a new post's slug.
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  offer.querySelector("[data-autosave-restore]").addEventListener("click", function () {
    setValue("title", draft.title);
    setValue("excerpt", draft.excerpt);
    // The body's textarea is kept by the rich-text editor (django-prose-editor, Tiptap),
    // whose element carries the editor; setting its content updates the textarea too.
    var body = field("body");
    var editorElement = body && body.closest(".prose-editor");
    var proseMirror = editorElement && editorElement.querySelector(".ProseMirror[contenteditable]");
    if (proseMirror && proseMirror.editor) {
      proseMirror.editor.commands.setContent(draft.body, { emitUpdate: true });
    } else {
      setValue("body", draft.body);
    }
    offer.hidden = true;
    status.textContent = root.getAttribute("data-restored-text");
    var title = field("title");
    if (title) {
      title.focus();
    }
  });

  offer.querySelector("[data-autosave-discard]").addEventListener("click", function () {
    post(root.getAttribute("data-discard-url"), false)
      .then(function (result) {
        status.textContent = result.ok ? result.answer.status : result.answer.error;
        if (result.ok) {
          offer.hidden = true;
          var title = field("title");
          if (title) {
            title.focus();
          }
        }
      })
      .catch(function () {
        status.textContent = root.getAttribute("data-failed-text");
      });
  });
})();
