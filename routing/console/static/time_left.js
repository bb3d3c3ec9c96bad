// Counts down every [data-due] element each second; the row's colour follows the time left.
(function () {
  "use strict";
  var SOON_MS = 6 * 3600 * 1000;

  function describe(ms) {
    var late = ms < 0;
    var minutes = Math.floor(Math.abs(ms) / 60000);
    var hours = Math.floor(minutes / 60);
    minutes = minutes % 60;
    var text = hours ? hours + "小时" + minutes + "分" : minutes + "分钟";
    return (late ? "已超时 " : "剩余 ") + text;
  }

  function level(row, ms) {
    if (ms <= 0) return "overdue";
    if (row.dataset.urgent === "yes") return "urgent";
    if (ms <= SOON_MS) return "due-soon";
    return "normal";
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll(".time-left[data-due]").forEach(function (el) {
      var ms = Date.parse(el.dataset.due) - now;
      el.textContent = describe(ms);
      var row = el.closest("tr.row");
      if (row) {
        ["overdue", "urgent", "due-soon", "normal"].forEach(function (c) { row.classList.remove(c); });
        row.classList.add(level(row, ms));
      }
    });
  }

  window.consoleTimeLeft = { tick: tick };
  tick();
  setInterval(tick, 1000);
})();
