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

  // The thread's markup is lean (comments/rendering.py): a comment is the <li id="comment-N">
  // around the link, its author the first <b> in it, its actions the .ca the link sits in.
  function replyTo(link) {
    var item = link.closest("li");
    link.closest(".ca").insertAdjacentElement("afterend", wrap);
    parentInput.value = item.id.slice("comment-".length);
    title.textContent = "Reply to " + item.querySelector("b").textContent;
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
    var link = event.target.closest('.comment-list .ca a[href*="replyto="]');
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
