"""Reports on experts' replies reach the routing backend's endpoint over real HTTP, with retries."""
import asyncio
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from connectors.delivery_reports import DeliveryReports, expert_message_id


class FakeRoutingBackend:
    def __init__(self, statuses):
        self.statuses, self.received = list(statuses), []
        backend = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                backend.received.append((self.path, self.headers["Authorization"], body))
                status = backend.statuses.pop(0) if backend.statuses else 204
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"


def test_a_report_is_posted_with_the_service_token_and_retried_after_a_failure():
    backend = FakeRoutingBackend([503])
    delays = []

    async def sleep(seconds):
        delays.append(seconds)

    reports = DeliveryReports(backend.url, "service-token", sleep=sleep)

    async def main():
        reports.report(12, "refused", "errcode 45015: response out of time limit")
        reports.report(None, "accepted")  # an ordinary answer: nothing to report
        await reports.wait()

    asyncio.run(main())
    backend.server.shutdown()
    assert [path for path, _, _ in backend.received] == ["/api/v1/handoffs/messages/12/delivery"] * 2
    assert backend.received[-1][1:] == ("Bearer service-token",
                                        {"state": "refused", "detail": "errcode 45015: response out of time limit"})
    assert delays == [1.0]


def test_a_refused_report_is_not_retried():
    backend = FakeRoutingBackend([404])
    assert asyncio.run(DeliveryReports(backend.url, "t").send(99, "accepted")) is False
    backend.server.shutdown()
    assert len(backend.received) == 1


def test_the_reply_id_is_read_from_the_send_keywords():
    assert expert_message_id({"expert_message_id": 7, "timestamp": 1.0}) == 7
    assert expert_message_id({"expert_message_id": "8"}) == 8
    assert expert_message_id({}) is None and expert_message_id({"expert_message_id": "x"}) is None


def test_without_the_service_token_nothing_is_reported_and_it_says_so(caplog):
    from connectors.delivery_reports import NoReports

    assert isinstance(DeliveryReports.from_env({"ROUTING_URL": "http://127.0.0.1:9"}), NoReports)
    assert "ROUTING_SERVICE_TOKEN" in caplog.text
    assert isinstance(DeliveryReports.from_env({"ROUTING_SERVICE_TOKEN": "t"}), DeliveryReports)
