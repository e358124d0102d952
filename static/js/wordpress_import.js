// The WordPress import's progress page (admin), kept current in place while the import has
// not finished (the page says so with data-progress-url). Without JavaScript a link reloads
// the page; with it, this asks the page's JSON view once a second, updates the bar and the
// counts, and at the end puts in the summary from the page itself. The status sentence is a
// live region, changed only when the status changes, so a screen reader hears each step once.
(function () {
  "use strict";

  var root = document.querySelector("[data-progress-url]");
  if (!root) {
    return;
  }
  var url = root.getAttribute("data-progress-url");
  var status = document.getElementById("import-status");
  var INTERVAL = 1000;

  function showProgress(state) {
    var bar = document.getElementById("import-progress");
    var label = document.getElementById("import-bytes");
    var counts = document.getElementById("import-counts");
    if (bar) {
      bar.max = state.total_bytes;
      bar.value = state.done_bytes;
      bar.textContent = state.bytes_label;
    }
    if (label) {
      label.textContent = state.bytes_label;
    }
    var kinds = Object.keys(state.counts);
    if (counts && kinds.length) {
      counts.replaceChildren.apply(counts, kinds.map(function (kind) {
        var item = document.createElement("li");
        item.textContent = kind.charAt(0).toUpperCase() + kind.slice(1) + ": " + state.counts[kind];
        return item;
      }));
    }
  }

  // The finished page, drawn by the server, gives the summary; only its details are taken,
  // so the live region stays the same element and announces the new status.
  function showEnd(state) {
    return fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) {
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var details = page.getElementById("import-details");
        if (details) {
          document.getElementById("import-details").replaceWith(document.adoptNode(details));
        }
        status.textContent = state.message;
      });
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("The progress could not be read (" + response.status + ").");
        }
        return response.json();
      })
      .then(function (state) {
        if (state.is_finished) {
          return showEnd(state);
        }
        showProgress(state);
        if (status.textContent !== state.message) {
          status.textContent = state.message;
        }
        window.setTimeout(poll, INTERVAL);
      })
      .catch(function () {
        // A missed answer (the server restarting, the network): ask again a little later.
        window.setTimeout(poll, INTERVAL * 5);
      });
  }

  window.setTimeout(poll, INTERVAL);
})();
