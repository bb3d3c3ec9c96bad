// Keeps the queue current: listens for changes, reloads the rows, and announces new handoffs.
(function () {
  "use strict";
  var table = document.getElementById("queue");
  var body = document.getElementById("queue-rows");
  var status = document.getElementById("live-status");
  var query = table.dataset.query ? "?" + table.dataset.query : "";
  var arrivedAt = {};  // id → time first seen, so the highlight survives later refreshes
  var HIGHLIGHT_MS = 60000;

  function highlight() {
    var now = Date.now();
    Object.keys(arrivedAt).forEach(function (id) {
      if (now - arrivedAt[id] > HIGHLIGHT_MS) { delete arrivedAt[id]; return; }
      var row = body.querySelector('tr[data-id="' + id + '"]');
      if (row) row.classList.add("new-arrival");
    });
  }

  function shown() {
    var state = {};
    body.querySelectorAll("tr.row").forEach(function (row) { state[row.dataset.id] = row.dataset.version; });
    return state;
  }

  function same(a, b) {
    var ka = Object.keys(a), kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    return ka.every(function (k) { return String(a[k]) === String(b[k]); });
  }

  function refresh(state) {
    var before = shown();
    fetch("/console/queue/rows" + query, { credentials: "same-origin" })
      .then(function (r) { if (r.status === 401) { location.reload(); } return r.text(); })
      .then(function (html) {
        body.innerHTML = html;
        var arrivals = Object.keys(state.handoffs).filter(function (id) { return !(id in before); });
        arrivals.forEach(function (id) { arrivedAt[id] = Date.now(); });
        highlight();
        window.consoleTimeLeft.tick();
        if (!arrivals.length) return;
        var urgent = arrivals.some(function (id) { return state.urgent.indexOf(id) >= 0; });
        var message = (urgent ? "有新的紧急求助！" : "有新的求助。") + "共 " + arrivals.length + " 条";
        status.textContent = message;
        window.consoleAlerts.beep(urgent);
        window.consoleAlerts.notify("南粤女声+ 工作台", message);
        document.title = "(" + arrivals.length + ") " + document.title.replace(/^\(\d+\) /, "");
      });
  }

  var source = new EventSource("/console/queue/events" + query);
  source.addEventListener("state", function (event) {
    var state = JSON.parse(event.data);
    if (!same(state.handoffs, shown())) refresh(state);
  });
  source.addEventListener("logout", function () { source.close(); location.reload(); });
})();
