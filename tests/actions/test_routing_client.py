"""The httpx client against a real HTTP server on 127.0.0.1: every answer becomes a
record, "unavailable" or "refused", and her words never reach the log."""
import asyncio
import logging

import pytest

from actions.handoff_types import HandoffRequest
from actions.routing_client import RoutingClient
from actions.routing_protocol import RoutingRefused, RoutingUnavailable
from tests.actions.fakes import StubRoutingServer
from tests.routing_process import free_port

HER_WORDS = "他昨天又打我了，我住在顺德大良某小区"
REQUEST = HandoffRequest("woman-1", "rest", "legal", "legal_divorce", False, HER_WORDS,
                         [{"role": "user", "text": HER_WORDS, "intent": "legal_divorce"}])
HANDOFF = {"id": "h-42", "conversation_id": "woman-1", "channel": "rest", "category": "legal",
           "intent": "legal_divorce", "urgent": False, "summary": HER_WORDS, "status": "assigned",
           "created_at": "2025-03-01T08:00:00Z", "due_at": "2025-03-03T08:00:00Z", "holder": "律师"}
VALIDATION_ERROR = {"detail": [{"type": "string_too_long", "loc": ["body", "summary"],
                                "msg": "String should have at most 2000 characters", "input": HER_WORDS}]}


def client(url, timeout=3.0):
    return RoutingClient(url, "service-token", timeout=timeout)


def test_a_422_is_a_refusal_with_the_backends_reason_and_without_her_words(caplog):
    caplog.set_level(logging.DEBUG)
    with StubRoutingServer(422, VALIDATION_ERROR) as server:
        with pytest.raises(RoutingRefused) as refused:
            asyncio.run(client(server.url).open_handoff(REQUEST))
    assert refused.value.status == 422 and not refused.value.refuses_the_caller
    assert refused.value.reason == "body.summary: String should have at most 2000 characters"
    assert HER_WORDS not in str(refused.value)
    assert "422" in caplog.text and "String should have at most 2000 characters" in caplog.text
    assert HER_WORDS not in caplog.text


def test_a_wrong_token_is_a_refusal_of_the_caller():
    with StubRoutingServer(403, {"detail": "not the service token"}) as server:
        with pytest.raises(RoutingRefused, match="403") as refused:
            asyncio.run(client(server.url).forward_message("h-42", HER_WORDS))
    assert refused.value.refuses_the_caller and refused.value.reason == "not the service token"


@pytest.mark.parametrize("status", [500, 502, 503, 429])
def test_server_errors_and_too_many_requests_mean_try_later(status):
    with StubRoutingServer(status, {"detail": "busy"}) as server:
        with pytest.raises(RoutingUnavailable):
            asyncio.run(client(server.url).open_handoff(REQUEST))


def test_no_server_means_try_later():
    with pytest.raises(RoutingUnavailable):
        asyncio.run(client(f"http://127.0.0.1:{free_port()}").latest_for("woman-1"))


def test_a_server_too_slow_to_answer_means_try_later():
    with StubRoutingServer(201, HANDOFF, delay=1.0) as server:
        with pytest.raises(RoutingUnavailable, match="no answer"):
            asyncio.run(client(server.url, timeout=0.2).open_handoff(REQUEST))


def test_a_created_handoff_is_read_and_only_roles_and_text_of_the_transcript_are_sent():
    import json

    with StubRoutingServer(201, HANDOFF) as server:
        record = asyncio.run(client(server.url).open_handoff(REQUEST))
    assert record.id == "h-42" and record.holder == "律师" and record.delivered
    assert (record.due_at - record.created_at).total_seconds() == 48 * 3600
    ((method, path, body),) = server.received
    assert (method, path) == ("POST", "/api/v1/handoffs")
    assert json.loads(body)["transcript"] == [{"role": "user", "text": HER_WORDS}]


def test_no_handoff_for_her_conversation_is_none():
    with StubRoutingServer(404, {"detail": "no handoff for this conversation"}) as server:
        assert asyncio.run(client(server.url).latest_for("woman/1")) is None
        assert server.received[0][1] == "/api/v1/conversations/woman%2F1/status"


def test_an_answer_that_is_not_a_handoff_is_refused_not_retried():
    with StubRoutingServer(201, {"unexpected": True}) as server:
        with pytest.raises(RoutingRefused, match="unreadable"):
            asyncio.run(client(server.url).open_handoff(REQUEST))


def test_her_place_and_coordinates_stay_out_of_the_log(caplog):
    from urllib.parse import quote

    caplog.set_level(logging.DEBUG)
    with StubRoutingServer(200, []) as server:
        asyncio.run(client(server.url).offices_for_region("广东省佛山市顺德区"))
        asyncio.run(client(server.url).nearest_offices(22.80524, 113.293359))
    assert "/api/v1/offices/for-region" in caplog.text and "/api/v1/offices/nearest" in caplog.text
    for secret in ("顺德", quote("顺德"), "22.80524", "113.293359"):
        assert secret not in caplog.text


def test_offices_are_asked_with_her_region_and_level():
    offices = [{"name": "佛山市顺德区妇女联合会", "level": "county"}]
    with StubRoutingServer(200, offices) as server:
        assert asyncio.run(client(server.url).offices_for_region("广东省佛山市顺德区", "county")) == offices
        assert asyncio.run(client(server.url).nearest_offices(22.8, 113.29)) == offices
    assert server.received[0][1].startswith("/api/v1/offices/for-region?region=")
    assert "level=county" in server.received[0][1]
    assert server.received[1][1] == "/api/v1/offices/nearest?latitude=22.8&longitude=113.29&limit=3"


def test_a_withdrawal_names_her_conversation_and_reads_the_new_status():
    import json

    with StubRoutingServer(200, {"status": "returned"}) as server:
        assert asyncio.run(client(server.url).withdraw("h/42", "woman-1")) == "returned"
    ((method, path, body),) = server.received
    assert (method, path, json.loads(body)) == ("POST", "/api/v1/handoffs/h%2F42/withdraw", {"conversation_id": "woman-1"})
    with StubRoutingServer(409, {"detail": "an urgent handoff is closed by a person, not withdrawn"}) as server:
        with pytest.raises(RoutingRefused) as refused:
            asyncio.run(client(server.url).withdraw("h-42", "woman-1"))
    assert refused.value.status == 409


def test_a_continuation_code_is_asked_for_her_conversation_and_read():
    issued = {"code": "7KQ2MXD94P", "expires_at": "2026-12-02T08:00:00Z", "handoff_id": "h-42"}
    with StubRoutingServer(201, issued) as server:
        code = asyncio.run(client(server.url).continuation_code("tg/1001"))
    assert (code.code, code.handoff_id, code.expires_at.isoformat()) == ("7KQ2MXD94P", "h-42", "2026-12-02T08:00:00+00:00")
    assert server.received[0][:2] == ("POST", "/api/v1/conversations/tg%2F1001/continuation-code")
    with StubRoutingServer(404, {"detail": "no handoff for this conversation"}) as server:
        assert asyncio.run(client(server.url).continuation_code("tg-1001")) is None


def test_a_continuation_sends_the_code_and_channel_and_reads_her_request():
    import json

    with StubRoutingServer(200, {**HANDOFF, "conversation_id": "web-2"}) as server:
        record = asyncio.run(client(server.url).continue_case("7KQ2MXD94P", "socketio", "web-2"))
    assert (record.id, record.conversation_id) == ("h-42", "web-2")
    ((method, path, body),) = server.received
    assert (method, path, json.loads(body)) == ("POST", "/api/v1/conversations/web-2/continue",
                                                {"code": "7KQ2MXD94P", "channel": "socketio"})
    with StubRoutingServer(404, {"detail": "unknown, used or expired continuation code"}) as server:
        assert asyncio.run(client(server.url).continue_case("AAAAAAAAAA", "socketio", "web-2")) is None
    with StubRoutingServer(429, {"detail": "too many wrong continuation codes lately"}) as server:
        with pytest.raises(RoutingUnavailable):
            asyncio.run(client(server.url).continue_case("AAAAAAAAAA", "socketio", "web-2"))
