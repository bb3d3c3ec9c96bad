"""The grid calls of the routing client (actions/routing_client.py) over real HTTP."""
import asyncio
import json

import pytest

from actions.grid_types import GridReport
from actions.routing_client import RoutingClient
from actions.routing_protocol import RoutingRefused, RoutingUnavailable
from tests.actions.fakes import StubRoutingServer
from tests.actions.grid_support import BINDING

RECEIPT = {"id": "r-1", "number": "WG-2026-000123", "status": "reported", "area": "care", "urgent": True,
           "handoff_id": 17}


def client(url):
    return RoutingClient(url, "service-token")


def test_binding_a_chat_posts_the_code_and_reads_her_binding():
    with StubRoutingServer(200, BINDING) as stub:
        binding = asyncio.run(client(stub.url).bind_grid_chat("482913", "telegram", "tg-55"))
    (method, path, body), = stub.received
    assert (method, path, json.loads(body)) == ("POST", "/api/v1/grid/bindings",
                                                {"code": "482913", "channel": "telegram", "conversation_id": "tg-55"})
    assert binding.grid_name == BINDING["grid_name"] and binding.user_id == "u-7"


def test_an_unknown_code_and_an_unbound_chat_are_none():
    with StubRoutingServer(404, {"detail": "unknown, expired or used code"}) as stub:
        assert asyncio.run(client(stub.url).bind_grid_chat("000000", "rest", "c")) is None
        assert asyncio.run(client(stub.url).grid_binding_for("web/1 x")) is None
    assert stub.received[1][1].startswith("/api/v1/grid/bindings/") and " " not in stub.received[1][1]


def test_a_report_is_posted_whole_and_its_receipt_read():
    report = GridReport(grid_code="NA-0301-02", subject="woman", place="三村", text="被赶出家门", urgency="urgent",
                        consent=False, no_consent_reason="怕丈夫知道", reporter_conversation_id="tg-55")
    with StubRoutingServer(201, RECEIPT) as stub:
        receipt = asyncio.run(client(stub.url).submit_grid_report(report))
    body = json.loads(stub.received[0][2])
    assert body["source"] == "patrol" and body["no_consent_reason"] == "怕丈夫知道" and "area" not in body
    assert receipt.number == "WG-2026-000123" and receipt.urgent is True and receipt.handoff_id == "17"


@pytest.mark.parametrize("status, error", [(503, RoutingUnavailable), (422, RoutingRefused)])
def test_failures_are_the_routing_errors(status, error):
    report = GridReport(grid_code="X", subject="child", place="p", text="t", urgency="normal", consent=True,
                        reporter_conversation_id="c")
    with StubRoutingServer(status, {"detail": "no"}) as stub, pytest.raises(error):
        asyncio.run(client(stub.url).submit_grid_report(report))
