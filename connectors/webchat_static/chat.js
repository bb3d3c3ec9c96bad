// The web chat widget: talks to Rasa's socket.io channel on the same server.
// Everything she or the bot writes is inserted as text, never as HTML.
// Her session is the server's: it comes from the page's HttpOnly cookie, which the
// socket.io connection carries; this script neither chooses nor keeps a session id.
// The cookie outlives a closed tab (a week): replies that came meanwhile are shown on
// her return. Safe exit, by the button or typed in any wording (the server then sends
// "safe_exit"), empties the page, drops the cookie and leaves.
(function () {
  "use strict";

  var EXIT_URL = "https://www.baidu.com/";
  var LEAVE_URL = "/webhooks/webchat/exit";
  var LOCATION_PAYLOAD = "/share_location";

  var messages = document.getElementById("messages");
  var form = document.getElementById("composer");
  var input = document.getElementById("input");
  var sendButton = document.getElementById("send");
  var statusLine = document.getElementById("status");
  var connected = false;

  function setStatus(text, offline) {
    statusLine.textContent = text;
    statusLine.classList.toggle("offline", Boolean(offline));
  }

  function setReady(ready) {
    input.disabled = !ready;
    sendButton.disabled = !ready;
  }

  function scrollToEnd() {
    messages.scrollTop = messages.scrollHeight;
  }

  function addMessage(kind, text) {
    var bubble = document.createElement("div");
    bubble.className = "message " + kind;
    bubble.textContent = text;
    messages.appendChild(bubble);
    scrollToEnd();
    return bubble;
  }

  function addImage(src) {
    if (!/^https?:\/\//i.test(src || "")) { return; }
    var bubble = document.createElement("div");
    bubble.className = "message bot";
    var image = document.createElement("img");
    image.alt = "图片";
    image.src = src;
    bubble.appendChild(image);
    messages.appendChild(bubble);
    scrollToEnd();
  }

  function addChoices(choices) {
    var group = document.createElement("div");
    group.className = "choices";
    choices.forEach(function (choice) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "choice";
      button.textContent = choice.title || choice.payload;
      button.addEventListener("click", function () {
        Array.prototype.forEach.call(group.querySelectorAll("button"), function (b) { b.disabled = true; });
        choose(choice);
      });
      group.appendChild(button);
    });
    messages.appendChild(group);
    scrollToEnd();
  }

  // Rasa reads "/intent{...}" as an intent with entities, also after its NLU normalizer
  // made "／" a "/" and removed spaces, emoji and invisible characters: what she types
  // must never be one, so such leading characters go (as in connectors/typed_text.py).
  var DROPPED_BY_NLU = /^[\s\p{C}\u{1F000}-\u{1FAFF}\u2600-\u27BF\u2B00-\u2BFF\uFE0E\uFE0F\u200D\u20E3\u{E0020}-\u{E007F}\/]*$/u;

  function withoutIntentPrefix(text) {
    var characters = Array.from(text);
    var start = 0;
    while (start < characters.length && DROPPED_BY_NLU.test(characters[start].normalize("NFKC"))) {
      start += 1;
    }
    var dropped = characters.slice(0, start).join("").normalize("NFKC");
    return dropped.indexOf("/") >= 0 ? characters.slice(start).join("") : text;
  }

  var socket = window.io({ path: "/socket.io", transports: ["websocket", "polling"] });

  // Once she answers (a press or anything typed), earlier buttons no longer count.
  function disableOldChoices() {
    Array.prototype.forEach.call(messages.querySelectorAll(".choices button"), function (b) { b.disabled = true; });
  }

  function send(payload, shownText) {
    if (!connected) { return; }
    disableOldChoices();
    addMessage("user", shownText);
    socket.emit("user_uttered", { message: payload });
  }

  function choose(choice) {
    var title = choice.title || choice.payload;
    if (choice.payload === LOCATION_PAYLOAD && navigator.geolocation) {
      navigator.geolocation.getCurrentPosition(function (position) {
        var point = { latitude: position.coords.latitude, longitude: position.coords.longitude };
        send(LOCATION_PAYLOAD + JSON.stringify(point), title);
      }, function () {
        addMessage("note", "没能获取到你的位置。你可以直接告诉我你所在的市和区（县）。");
      }, { timeout: 15000 });
      return;
    }
    send(choice.payload, title);
  }

  socket.on("connect", function () {
    setStatus("正在连接…");
    socket.emit("session_request", {});
  });

  socket.on("session_confirm", function () {
    connected = true;
    setStatus("已连接，可以开始聊天");
    setReady(true);
  });

  socket.on("disconnect", function () {
    connected = false;
    setReady(false);
    setStatus("连接已断开，正在重试…", true);
  });

  socket.io.on("reconnect_attempt", function () {
    setStatus("连接已断开，正在重试…", true);
  });

  socket.on("connect_error", function () {
    connected = false;
    setReady(false);
    setStatus("连接已断开，正在重试…", true);
  });

  // Each message the server shows waits there until this page acknowledges it; one it
  // sends again (an acknowledgement that came too late) is shown here only once.
  var shownIds = {};

  function show(message) {
    if (!message) { return; }
    if (message.id) {
      if (shownIds[message.id]) { return; }
      shownIds[message.id] = true;
    }
    if (message.text) { addMessage("bot", message.text); }
    var choices = message.quick_replies || message.buttons || [];
    if (choices.length) { addChoices(choices); }
    if (message.attachment && message.attachment.type === "image" && message.attachment.payload) {
      addImage(message.attachment.payload.src);
    }
  }

  socket.on("bot_uttered", function (message, acknowledge) {
    try {
      show(message);
    } finally {
      if (typeof acknowledge === "function") { acknowledge("shown"); }
    }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    input.value = "";
    send(withoutIntentPrefix(text), text);
    input.focus();
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit"));
    }
  });

  // The server drops the session cookie, so the next person at this browser starts afresh.
  function forgetSession() {
    try {
      if (navigator.sendBeacon && navigator.sendBeacon(LEAVE_URL)) { return; }
      window.fetch(LEAVE_URL, { method: "POST", keepalive: true, credentials: "same-origin" });
    } catch (e) { /* leaving anyway */ }
  }

  function leave() {
    try { socket.disconnect(); } catch (e) { /* leaving anyway */ }
    forgetSession();
    try { window.sessionStorage.clear(); } catch (e) { /* nothing stored */ }
    document.title = "百度一下";
    document.body.replaceChildren();
    window.location.replace(EXIT_URL);
  }

  document.getElementById("quick-exit").addEventListener("click", leave);
  socket.on("safe_exit", leave);
}());
