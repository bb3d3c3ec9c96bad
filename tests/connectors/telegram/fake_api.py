"""A local fake of the Telegram Bot API over real HTTP, for `Bot(token, base_url=...)`.

It records every call (sendMessage, deleteMessage, answerCallbackQuery, setWebhook, ...),
serves getUpdates from a queue with Telegram's offset rule, and can be told to fail
the next calls of a method (500, 429 with retry_after, 403). Runs in a thread, so
both in-process tests and subprocesses (a real Rasa server) can use it.
"""
from __future__ import annotations

import json
import threading
import time
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional

TOKEN = "123456:TEST-token"
INTEGER_FIELDS = {"chat_id", "message_id", "offset", "timeout", "limit"}
JSON_FIELDS = {"reply_markup", "allowed_updates"}


@dataclass
class Failure:
    status: int
    description: str
    retry_after: Optional[int] = None


def _decode(params: Dict[str, Any]) -> Dict[str, Any]:
    decoded = {}
    for key, value in params.items():
        if isinstance(value, str) and key in JSON_FIELDS:
            value = json.loads(value)
        elif isinstance(value, str) and key in INTEGER_FIELDS and value.lstrip("-").isdigit():
            value = int(value)
        decoded[key] = value
    return decoded


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """A client's event loop closing its keep-alive connection is not an error here."""


class FakeTelegramApi:
    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: List[tuple] = []
        self.updates: List[Dict[str, Any]] = []
        self.failures: Dict[str, List[Failure]] = {}
        self._changed = threading.Condition()
        self._next_message_id = 5000
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
                if "json" in (self.headers.get("Content-Type") or ""):
                    params = json.loads(body or "{}")
                else:
                    params = {k: v[-1] for k, v in urllib.parse.parse_qs(body, keep_blank_values=True).items()}
                status, answer = fake._handle(self.path, _decode(params))
                data = json.dumps(answer).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST  # noqa: N815

            def log_message(self, *args):
                pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_port}/bot"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FakeTelegramApi":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- test controls ---------------------------------------------------------
    def fail(self, method: str, status: int, times: int = 1, retry_after: Optional[int] = None,
             description: str = "Internal Server Error") -> None:
        with self._changed:
            self.failures.setdefault(method, []).extend(
                [Failure(status, description, retry_after)] * times)

    def queue_update(self, update: Dict[str, Any]) -> None:
        with self._changed:
            self.updates.append(update)
            self._changed.notify_all()

    def calls_to(self, method: str, chat_id: Optional[int] = None) -> List[Dict[str, Any]]:
        with self._changed:
            return [params for name, params in self.calls
                    if name == method and (chat_id is None or params.get("chat_id") == chat_id)]

    def sent_texts(self, chat_id: int) -> List[str]:
        return [params["text"] for params in self.calls_to("sendMessage", chat_id)]

    def wait_for(self, method: str, predicate: Callable[[Dict[str, Any]], bool] = lambda _: True,
                 count: int = 1, timeout: float = 60.0) -> List[Dict[str, Any]]:
        """Block until `count` calls of `method` match, or fail saying what was seen."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                matching = [p for name, p in self.calls if name == method and predicate(p)]
                if len(matching) >= count:
                    return matching
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [(name, p.get("text", p)) for name, p in self.calls][-20:]
                    raise AssertionError(f"{count} matching {method} call(s) not seen in {timeout}s; last: {seen}")
                self._changed.wait(remaining)

    # -- the API -----------------------------------------------------------------
    def _handle(self, path: str, params: Dict[str, Any]):
        prefix = f"/bot{self.token}/"
        if not path.startswith(prefix):
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        method = path[len(prefix):]
        if method == "getUpdates":
            return 200, {"ok": True, "result": self._get_updates(params)}
        with self._changed:
            self.calls.append((method, params))
            self._changed.notify_all()
            queued = self.failures.get(method)
            failure = queued.pop(0) if queued else None
        if failure:
            answer = {"ok": False, "error_code": failure.status, "description": failure.description}
            if failure.retry_after is not None:
                answer["parameters"] = {"retry_after": failure.retry_after}
            return failure.status, answer
        return 200, {"ok": True, "result": self._result(method, params)}

    def _result(self, method: str, params: Dict[str, Any]) -> Any:
        if method == "sendMessage":
            with self._changed:
                self._next_message_id += 1
                message_id = self._next_message_id
                params["result_message_id"] = message_id  # lets a test know which ids the bot sent
            return {"message_id": message_id, "date": int(time.time()), "text": params.get("text", ""),
                    "chat": {"id": params["chat_id"], "type": "private"}}
        if method == "getMe":
            return {"id": 123456, "is_bot": True, "first_name": "测试助手", "username": "test_helper_bot"}
        return True

    def _get_updates(self, params: Dict[str, Any]) -> List[Dict[str, Any]]:
        offset, wait = int(params.get("offset") or 0), float(params.get("timeout") or 0)
        deadline = time.monotonic() + wait
        with self._changed:
            self.calls.append(("getUpdates", params))
            self._changed.notify_all()
            self.updates = [u for u in self.updates if u["update_id"] >= offset]  # confirmed ones are gone
            while not self.updates and time.monotonic() < deadline:
                self._changed.wait(deadline - time.monotonic())
            return list(self.updates)


# -- updates as Telegram sends them ------------------------------------------------
def _message(chat_id: int, message_id: int, **content: Any) -> Dict[str, Any]:
    return {"message_id": message_id, "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "测试"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "测试"}, **content}


def text_update(update_id: int, chat_id: int, text: str, message_id: Optional[int] = None) -> Dict[str, Any]:
    return {"update_id": update_id, "message": _message(chat_id, message_id or update_id, text=text)}


def location_update(update_id: int, chat_id: int, latitude: float, longitude: float) -> Dict[str, Any]:
    return {"update_id": update_id,
            "message": _message(chat_id, update_id, location={"latitude": latitude, "longitude": longitude})}


def sticker_update(update_id: int, chat_id: int) -> Dict[str, Any]:
    sticker = {"file_id": "sticker-1", "file_unique_id": "s1", "width": 512, "height": 512,
               "is_animated": False, "is_video": False, "type": "regular", "emoji": "😀"}
    return {"update_id": update_id, "message": _message(chat_id, update_id, sticker=sticker)}


def edited_text_update(update_id: int, chat_id: int, text: str, message_id: int) -> Dict[str, Any]:
    """She changed the text of message `message_id` (Telegram sends `edited_message`)."""
    edited = _message(chat_id, message_id, text=text, edit_date=int(time.time()))
    return {"update_id": update_id, "edited_message": edited}


def photo_update(update_id: int, chat_id: int, caption: Optional[str] = None,
                 media_group_id: Optional[str] = None) -> Dict[str, Any]:
    photo = [{"file_id": "photo-1", "file_unique_id": "p1", "width": 90, "height": 90}]
    extra: Dict[str, Any] = {"caption": caption} if caption else {}
    if media_group_id:
        extra["media_group_id"] = media_group_id
    return {"update_id": update_id, "message": _message(chat_id, update_id, photo=photo, **extra)}


def callback_update(update_id: int, chat_id: int, data: str, query_id: str,
                    message_id: int = 1, offered: Optional[List[str]] = None,
                    keyboard: Optional[List[List[Dict[str, Any]]]] = None) -> Dict[str, Any]:
    """A press on a button with `data`; the message carries the buttons `offered` (by default that one),
    or the inline `keyboard` the bot sent with it."""
    if keyboard is None:
        keyboard = [[{"text": "按钮", "callback_data": d}] for d in (offered if offered is not None else [data])]
    return {"update_id": update_id, "callback_query": {
        "id": query_id, "chat_instance": "ci-1", "data": data,
        "from": {"id": chat_id, "is_bot": False, "first_name": "测试"},
        "message": {"message_id": message_id, "date": int(time.time()), "text": "按钮",
                    "chat": {"id": chat_id, "type": "private"},
                    "from": {"id": 123456, "is_bot": True, "first_name": "测试助手"},
                    "reply_markup": {"inline_keyboard": keyboard}}}}
