// Keeps the grid queue current: listens for changes and reloads the rows; a new report
// appears within a second and is announced (urgent ones say so).
(function () {
  "use strict";
  var live = document.getElementById("grid-live");
  var status = document.getElementById("live-status");
  var last = live.dataset.state ? JSON.parse(live.dataset.state) : null;

  function refresh(state, previous) {
    fetch("/console/grid/rows", { credentials: "same-origin" })
      .then(function (r) { if (r.status === 401) { location.reload(); } return r.text(); })
      .then(function (html) {
        live.innerHTML = html;
        if (window.consoleTimeLeft) window.consoleTimeLeft.tick();
        if (!previous) return;
        var arrivals = Object.keys(state.reports).filter(function (id) { return !(id in previous.reports); });
        if (!arrivals.length) return;
        var urgent = arrivals.some(function (id) { return state.urgent.indexOf(id) >= 0; });
        status.textContent = (urgent ? "有新的紧急上报！" : "有新的上报。") + "共 " + arrivals.length + " 条";
        arrivals.forEach(function (id) {
          var row = live.querySelector('tr[data-id="' + id + '"]');
          if (row) row.classList.add("fresh");
        });
      });
  }

  var source = new EventSource("/console/grid/events");
  source.addEventListener("state", function (event) {
    var state = JSON.parse(event.data);
    if (last === null) { last = state; return; }
    if (JSON.stringify(state) !== JSON.stringify(last)) {
      var previous = last;
      last = state;
      refresh(state, previous);
    }
  });
  source.addEventListener("logout", function () { location.reload(); });
})();
