// Reply in place: with JavaScript, "Reply" moves the comment form under the comment
// instead of reloading the page with ?replyto=. Without it, the links work as they are.
(function () {
  "use strict";

  var wrap = document.getElementById("comment-form-wrap");
  var form = document.getElementById("comment-form");
  if (!wrap || !form) {
    return;
  }
  var home = wrap.parentNode;
  var parentInput = form.querySelector("input[name=parent]");
  var title = document.getElementById("reply-title");
  var cancel = document.getElementById("reply-cancel");
  var body = form.querySelector("textarea[name=body]");

  function replyTo(link) {
    var article = link.closest("article");
    article.insertAdjacentElement("afterend", wrap);
    parentInput.value = link.dataset.replyTo;
    title.textContent = "Reply to " + link.dataset.author;
    cancel.classList.remove("d-none");
    body.focus();
  }

  function cancelReply() {
    home.appendChild(wrap);
    parentInput.value = "";
    title.textContent = title.dataset.default;
    cancel.classList.add("d-none");
    body.focus();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest(".comment-reply-link");
    if (link) {
      event.preventDefault();
      replyTo(link);
    } else if (event.target.closest("#reply-cancel-link") && home !== wrap.parentNode) {
      event.preventDefault();
      cancelReply();
    }
  });

  // Stop a double click from sending the same comment twice.
  form.addEventListener("submit", function () {
    var button = form.querySelector("button[type=submit]");
    window.setTimeout(function () {
      button.disabled = true;
    }, 0);
  });
})();
