// A short tone and, if allowed, a desktop notification when a new handoff arrives.
(function () {
  "use strict";
  var audio = null;

  function beep(urgent) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var tones = urgent ? [880, 660, 880] : [660];
      tones.forEach(function (hz, i) {
        var osc = audio.createOscillator();
        var gain = audio.createGain();
        osc.frequency.value = hz;
        gain.gain.value = 0.15;
        osc.connect(gain);
        gain.connect(audio.destination);
        osc.start(audio.currentTime + i * 0.25);
        osc.stop(audio.currentTime + i * 0.25 + 0.2);
      });
    } catch (e) { /* no sound available: the visual cue remains */ }
  }

  function notify(title, body) {
    if ("Notification" in window && Notification.permission === "granted") {
      try { new Notification(title, { body: body }); } catch (e) { /* ignored */ }
    }
  }

  var button = document.getElementById("enable-alerts");
  if (button) {
    button.addEventListener("click", function () {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      if ("Notification" in window && Notification.permission === "default") {
        Notification.requestPermission();
      }
      button.textContent = "提醒已开启";
      button.disabled = true;
    });
  }

  window.consoleAlerts = { beep: beep, notify: notify };
})();
