// gfs status pages: re-fetch this page every data-refresh-seconds and swap in its <main>, so tables and charts stay
// current without a full reload (scroll position kept). The server renders everything, escaped; this script only
// moves the server's markup, never builds markup from data itself.
(function () {
  "use strict";
  var seconds = parseInt(document.body.getAttribute("data-refresh-seconds") || "0", 10);
  if (!(seconds > 0) || !window.fetch || !window.DOMParser) {
    return;
  }
  function refresh() {
    if (document.hidden) {
      return;
    }
    fetch(window.location.href, { cache: "no-store", credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (text) {
        if (text === null) {
          return;
        }
        var next = new DOMParser().parseFromString(text, "text/html").getElementById("content");
        var current = document.getElementById("content");
        if (next && current) {
          current.replaceWith(document.importNode(next, true));
        }
      })
      .catch(function () { /* the server may be restarting: try again next time */ });
  }
  window.setInterval(refresh, seconds * 1000);
})();
