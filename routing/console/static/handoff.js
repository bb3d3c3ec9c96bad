// Keeps the handoff page current: new messages and delivery states appear by themselves,
// and a change to the handoff itself (claimed, moved) is announced before anyone acts on it.
(function () {
  "use strict";
  var data = document.getElementById("handoff-data");
  var id = data.dataset.id;
  var rendered = data.dataset.state;
  var box = document.getElementById("timeline-box");
  var banner = document.getElementById("stale-banner");

  function signature() {
    var timeline = document.getElementById("timeline");
    return timeline ? timeline.dataset.signature : "";
  }

  function reloadTimeline() {
    fetch("/console/handoffs/" + encodeURIComponent(id) + "/timeline", { credentials: "same-origin" })
      .then(function (r) { if (r.status === 401) { location.reload(); } return r.text(); })
      .then(function (html) { box.innerHTML = html; });
  }

  var source = new EventSource("/console/handoffs/" + encodeURIComponent(id) + "/events");
  source.addEventListener("state", function (event) {
    var state = JSON.parse(event.data);
    if (state.signature !== signature()) reloadTimeline();
    document.getElementById("handoff-status").textContent = state.status_label;
    if (state.state !== rendered) {
      document.getElementById("stale-text").textContent =
        "这个求助刚被更新过（现在：" + state.status_label + "），请刷新页面后再操作。";
      banner.hidden = false;
    }
  });
  source.addEventListener("logout", function () { source.close(); location.reload(); });

  var canned = document.getElementById("canned");
  var text = document.getElementById("reply-text");
  var count = document.getElementById("reply-count");
  function updateCount() { if (text && count) count.textContent = text.value.length + " / 2000"; }
  if (canned && text) {
    canned.addEventListener("change", function () {
      var option = canned.options[canned.selectedIndex];
      if (option && option.dataset.text) { text.value = option.dataset.text; updateCount(); }
    });
  }
  if (text) text.addEventListener("input", updateCount);
})();
