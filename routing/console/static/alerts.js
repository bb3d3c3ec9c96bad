// Sound and desktop notifications, only after the person turns them on (remembered in this browser).
(function () {
  "use strict";
  var KEY = "consoleAlerts";
  var audio = null;

  function enabled() {
    try { return window.localStorage.getItem(KEY) === "on"; } catch (e) { return false; }
  }

  function remember(on) {
    try { window.localStorage.setItem(KEY, on ? "on" : "off"); } catch (e) { /* private mode */ }
  }

  function context() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      if (audio.state === "suspended") audio.resume();
    } catch (e) { audio = null; }
    return audio;
  }

  function beep(urgent) {
    if (!enabled()) return;
    var ctx = context();
    if (!ctx) return;  // no sound available: the visual cue remains
    var tones = urgent ? [880, 660, 880] : [660];
    tones.forEach(function (hz, i) {
      var osc = ctx.createOscillator();
      var gain = ctx.createGain();
      osc.frequency.value = hz;
      gain.gain.value = 0.15;
      osc.connect(gain);
      gain.connect(ctx.destination);
      osc.start(ctx.currentTime + i * 0.25);
      osc.stop(ctx.currentTime + i * 0.25 + 0.2);
    });
    window.consoleAlerts.beeps += 1;
  }

  function notify(title, body) {
    if (!enabled()) return;
    if ("Notification" in window && Notification.permission === "granted") {
      try { new Notification(title, { body: body }); window.consoleAlerts.notified += 1; } catch (e) { /* ignored */ }
    }
  }

  var button = document.getElementById("enable-alerts");
  function label() {
    if (!button) return;
    button.textContent = enabled() ? "提醒已开启（点此关闭）" : "开启提醒（声音和桌面通知）";
    button.setAttribute("aria-pressed", enabled() ? "true" : "false");
  }
  if (button) {
    button.addEventListener("click", function () {
      var on = !enabled();
      remember(on);
      if (on) {
        context();
        if ("Notification" in window && Notification.permission === "default") Notification.requestPermission();
      }
      label();
    });
    label();
  }
  document.addEventListener("click", function () { if (enabled()) context(); }, { once: true });

  window.consoleAlerts = { beep: beep, notify: notify, enabled: enabled, beeps: 0, notified: 0 };
})();
