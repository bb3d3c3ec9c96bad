// The dashboard's live part (alerts, workload) refreshes itself; the period's figures stay as asked.
(function () {
  "use strict";
  var board = document.getElementById("live-board");
  if (!board) return;
  var seconds = parseInt(board.dataset.refresh || "15", 10);

  function refresh() {
    fetch("/console/dashboard/live", { credentials: "same-origin" })
      .then(function (r) { if (r.status === 401) { location.reload(); } return r.ok ? r.text() : null; })
      .then(function (html) { if (html) board.innerHTML = html; })
      .catch(function () { /* offline for a moment: the next round tries again */ });
  }

  setInterval(refresh, seconds * 1000);
})();
