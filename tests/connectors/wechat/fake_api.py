"""A local stand-in for api.weixin.qq.com: the token endpoint and message/custom/send.

Real HTTP on a free port, so the channel's own client (connectors/wechat/api.py) is
exercised as in production (pointed at it through WECHAT_API_BASE_URL). Failures can
be scripted: an HTTP 500, errcode -1 (system busy), or 45015 (outside the 48-hour
window).
"""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import List, Tuple
from urllib.parse import parse_qs, urlparse

from tests.http_stubs import send_json

APP_ID = "wx5d3c9a7b1e2f4068"
APP_SECRET = "test-app-secret-0123456789abcdef"
ACCESS_TOKEN = "fake-access-token"
FAILURES = {
    "http500": (500, {"errcode": -1000, "errmsg": "internal error"}),
    "busy": (200, {"errcode": -1, "errmsg": "system error"}),
    "window": (200, {"errcode": 45015, "errmsg": "response out of time limit or subscription is canceled"}),
}


class FakeWeChatApi:
    def __init__(self) -> None:
        self.sent: List[Tuple[str, str]] = []
        self.token_requests = 0
        self.send_attempts = 0
        self.token = ACCESS_TOKEN  # the one token the API accepts now
        self.raw_bodies: List[bytes] = []
        self._failures: List[str] = []
        self._changed = threading.Condition()
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                url = urlparse(self.path)
                query = {key: values[0] for key, values in parse_qs(url.query).items()}
                if url.path != "/cgi-bin/token":
                    return self._json(404, {"errcode": 404, "errmsg": "not found"})
                api.token_requests += 1
                if query.get("appid") != APP_ID or query.get("secret") != APP_SECRET:
                    return self._json(200, {"errcode": 40125, "errmsg": "invalid appsecret"})
                self._json(200, {"access_token": api.token, "expires_in": 7200})

            def do_POST(self):
                url = urlparse(self.path)
                query = {key: values[0] for key, values in parse_qs(url.query).items()}
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if url.path != "/cgi-bin/message/custom/send":
                    return self._json(404, {"errcode": 404, "errmsg": "not found"})
                if query.get("access_token") != api.token:
                    return self._json(200, {"errcode": 40001, "errmsg": "invalid credential"})
                api.raw_bodies.append(body)
                with api._changed:
                    api.send_attempts += 1
                    failure = api._failures.pop(0) if api._failures else None
                if failure:
                    return self._json(*FAILURES[failure])
                message = json.loads(body.decode("utf-8"))
                assert message["msgtype"] == "text"
                with api._changed:
                    api.sent.append((message["touser"], message["text"]["content"]))
                    api._changed.notify_all()
                self._json(200, {"errcode": 0, "errmsg": "ok"})

            def _json(self, status, payload):
                send_json(self, status, payload)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self._server.server_port}/cgi-bin/"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def expire_token(self) -> None:
        """WeChat issued a new token elsewhere: the cached one now gets errcode 40001."""
        self.token = ACCESS_TOKEN + "-renewed"

    def fail_next(self, kind: str, times: int = 1) -> None:
        with self._changed:
            self._failures.extend([kind] * times)

    def texts_for(self, openid: str) -> List[str]:
        with self._changed:
            return [text for to, text in self.sent if to == openid]

    def wait_for(self, openid: str, contains: str = "", count: int = 1, seconds: float = 30) -> List[str]:
        """Block until `count` messages to her contain `contains`; returns all her messages."""
        deadline = time.monotonic() + seconds
        with self._changed:
            while True:
                texts = [text for to, text in self.sent if to == openid]
                if sum(contains in text for text in texts) >= count:
                    return texts
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no {count} message(s) containing {contains!r} for {openid}; saw {texts}")
                self._changed.wait(remaining)

    def wait_for_more(self, openid: str, known: int, seconds: float) -> None:
        """Block until she has more than `known` messages, or the time is up."""
        with self._changed:
            self._changed.wait_for(lambda: len([1 for to, _ in self.sent if to == openid]) > known, seconds)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
