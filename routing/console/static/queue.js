// Keeps the queue current: listens for changes, reloads the tabs and rows, announces new
// handoffs and her new messages, and counts what is unseen in the tab title.
(function () {
  "use strict";
  var live = document.getElementById("queue-live");
  var status = document.getElementById("live-status");
  var query = live.dataset.query ? "?" + live.dataset.query : "";
  var baseTitle = document.title;
  var last = live.dataset.state ? JSON.parse(live.dataset.state) : null;

  function canonical(value) {  // the same state gives the same text, whatever the key order
    if (value === null || typeof value !== "object") return JSON.stringify(value);
    if (Array.isArray(value)) return "[" + value.map(canonical).join(",") + "]";
    return "{" + Object.keys(value).sort().map(function (k) { return JSON.stringify(k) + ":" + canonical(value[k]); })
      .join(",") + "}";
  }

  function unseen() {
    var tabs = document.getElementById("queue-tabs");
    var messages = tabs ? parseInt(tabs.dataset.unread || "0", 10) : 0;
    var fresh = live.querySelectorAll('tr.row[data-fresh="yes"][data-unread="0"]').length;
    return messages + fresh;
  }

  function retitle() {
    var n = unseen();
    document.title = n ? "(" + n + ") " + baseTitle : baseTitle;
  }

  function announce(arrivals, answered, state) {
    if (!arrivals.length && !answered.length) return;
    var urgent = arrivals.some(function (id) { return state.urgent.indexOf(id) >= 0; });
    var parts = [];
    if (arrivals.length) parts.push((urgent ? "有新的紧急求助！" : "有新的求助。") + "共 " + arrivals.length + " 条");
    if (answered.length) parts.push("她回复了：" + answered.length + " 个求助有新消息");
    var message = parts.join("；");
    status.textContent = message + " ";
    arrivals.concat(answered).slice(0, 3).forEach(function (id) {  // straight to it, wherever it sorts
      var link = document.createElement("a");
      link.href = "/console/handoffs/" + encodeURIComponent(id);
      link.className = "button";
      link.textContent = "打开 " + id.slice(0, 6);
      status.appendChild(link);
      status.appendChild(document.createTextNode(" "));
    });
    window.consoleAlerts.beep(urgent);
    window.consoleAlerts.notify("南粤女声+ 工作台", message);
  }

  function refresh(state, previous) {
    fetch("/console/queue/rows" + query, { credentials: "same-origin" })
      .then(function (r) { if (r.status === 401) { location.reload(); } return r.text(); })
      .then(function (html) {
        live.innerHTML = html;
        window.consoleTimeLeft.tick();
        retitle();
        if (!previous) return;
        var arrivals = Object.keys(state.handoffs).filter(function (id) { return !(id in previous.handoffs); });
        var answered = Object.keys(state.unread).filter(function (id) {
          return (state.unread[id] || 0) > (previous.unread[id] || 0);
        });
        announce(arrivals, answered, state);
      });
  }

  retitle();
  var source = new EventSource("/console/queue/events" + query);
  source.addEventListener("state", function (event) {
    var state = JSON.parse(event.data);
    if (last === null) { last = state; refresh(state, null); return; }
    if (canonical(state) !== canonical(last)) {
      var previous = last;
      last = state;
      refresh(state, previous);
    }
  });
  source.addEventListener("logout", function () { source.close(); location.reload(); });
})();
