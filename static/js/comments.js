// New since your last visit: this browser remembers, per post and only in its own
// localStorage, the newest comment it has shown ("Go to the newest comment" carries its
// id); comments posted after that (their ids are higher) get a "New" mark, and a line
// under the heading counts them and links to the first. Nothing is sent anywhere, and
// it works on cached pages. A visit lasts while pages of the post are opened within
// VISIT_MS of each other, so reading page 2 after page 1 keeps the marks.
(function () {
  "use strict";

  var VISIT_MS = 30 * 60 * 1000;
  var newest = document.getElementById("comments-newest");
  if (!newest) {
    return;
  }
  var key = "tribune.seen:" + location.pathname;
  var now = Date.now();
  var seenNow = parseInt(newest.dataset.newest, 10);
  var last = null;
  try {
    last = JSON.parse(window.localStorage.getItem(key));
  } catch (error) {
    return; // storage refused (private mode, blocked): no marks
  }
  var since = null;
  if (last && typeof last.seen === "number" && typeof last.at === "number") {
    since = now - last.at < VISIT_MS ? last.since : last.seen;
    seenNow = Math.max(seenNow, last.seen);
  }
  try {
    window.localStorage.setItem(key, JSON.stringify({ since: since, seen: seenNow, at: now }));
  } catch (error) {
    // Full or refused: the marks of this visit still show.
  }
  if (typeof since !== "number") {
    return; // a first visit: nothing is new to this reader yet
  }
  // The comment this reader just sent is no news to them: the form below notes when it was
  // sent, and the page it leads to names the comment in its address.
  var sentAt = null;
  try {
    sentAt = parseInt(window.sessionStorage.getItem("tribune.sent"), 10);
    window.sessionStorage.removeItem("tribune.sent");
  } catch (error) {
    // No session storage: their comment may be marked.
  }
  var justSent = now - sentAt < 10 * 60 * 1000 ? location.hash.slice(1) : "";

  // The thread's markup is lean (comments/rendering.py): a comment is an <li id="comment-N">
  // holding its author's <b>; a removed one shows only a .comment-removed line, and the
  // reader's own (waiting, or still editable) are not news to them.
  var fresh = [];
  document.querySelectorAll('.comment-list li[id^="comment-"]').forEach(function (item) {
    var id = parseInt(item.id.slice("comment-".length), 10);
    var name = item.querySelector(":scope > b, :scope > .comment-pending > b");
    var own = item.querySelector(':scope > .comment-pending, :scope > .ca a[href$="/edit/"]');
    if (id > since && name && !own && item.id !== justSent) {
      var mark = document.createElement("span");
      mark.className = "comment-new";
      mark.textContent = "New";
      name.insertAdjacentElement("afterend", mark);
      fresh.push(item);
    }
  });
  if (!fresh.length) {
    return;
  }
  var line = document.createElement("p");
  line.className = "comment-news";
  line.append(
    (fresh.length === 1 ? "1 new comment" : fresh.length + " new comments") +
      " on this page since your last visit. "
  );
  var first = document.createElement("a");
  first.href = "#" + fresh[0].id;
  first.textContent = fresh.length === 1 ? "Go to it" : "Go to the first";
  line.append(first);
  document.querySelector(".comment-tools").insertAdjacentElement("afterend", line);
})();

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

  // Stop a double click from sending the same comment twice; note the sending for the
  // "New" marks above.
  form.addEventListener("submit", function () {
    try {
      window.sessionStorage.setItem("tribune.sent", String(Date.now()));
    } catch (error) {
      // No session storage: nothing to note.
    }
    var button = form.querySelector("button[type=submit]");
    window.setTimeout(function () {
      button.disabled = true;
    }, 0);
  });
})();
