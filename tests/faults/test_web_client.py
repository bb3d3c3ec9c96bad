import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from tests.faults.web_client import call

RESPONSES = {"/ok": (200, b'[{"text": "\xe4\xbd\xa0\xe5\xa5\xbd"}]'), "/bad-gateway": (502, b"<html>502</html>"),
             "/refused": (400, b'{"error": "no"}'), "/not-json": (200, b"<html></html>"), "/empty": (204, b"")}


@pytest.fixture(scope="module")
def server():
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            seen.append((self.path, self.headers.get("Authorization"), json.loads(body or b"null")))
            status, payload = RESPONSES[self.path]
            self.send_response(status)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    httpd = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}", seen
    httpd.shutdown()


def test_a_reply_is_ok_with_its_json_and_the_token_and_body_are_sent(server):
    url, seen = server
    answer = call("POST", url + "/ok", {"sender": "w", "message": "在吗"}, token="t0ken")
    assert answer.ok and answer.body == [{"text": "你好"}] and not answer.retryable
    assert seen[-1] == ("/ok", "Bearer t0ken", {"sender": "w", "message": "在吗"})


def test_a_bad_gateway_is_retryable_and_a_refusal_is_not(server):
    url, _ = server
    gateway, refusal = call("POST", url + "/bad-gateway", {}), call("POST", url + "/refused", {})
    assert not gateway.ok and gateway.retryable and gateway.status == 502
    assert not refusal.ok and not refusal.retryable and "400" in refusal.error


def test_a_body_that_is_not_json_is_an_error_not_a_reply(server):
    url, _ = server
    answer = call("POST", url + "/not-json", {})
    assert not answer.ok and not answer.retryable


def test_no_content_is_ok(server):
    url, _ = server
    assert call("POST", url + "/empty", {}).ok


def test_a_closed_port_is_retryable():
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    answer = call("POST", f"http://127.0.0.1:{port}/webhooks/rest/webhook", {}, timeout=2)
    assert answer.status is None and answer.retryable and "Refused" in answer.error
