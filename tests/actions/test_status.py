import asyncio

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff_outbox import OutboxHandoffStore
from actions.handoff_store import SQLiteHandoffStore
from actions.handoff_types import HandoffRequest
from actions.routing_client import RoutingClient
from actions.routing_protocol import RoutingRefused, RoutingUnavailable
from actions.status import ActionTicketStatus
from tests.actions.fakes import InMemoryHandoffStore, StubRoutingServer
from tests.conftest import make_tracker, user_event


def status(store):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker([user_event("我的求助有人处理吗", "ticket_status")])
    asyncio.run(ActionTicketStatus(store=store).run(dispatcher, tracker, {}))
    return dispatcher.messages


def test_no_request_yet_offers_a_person():
    messages = status(InMemoryHandoffStore())
    assert "还没有查到" in messages[0]["text"]
    assert messages[0]["buttons"][0]["payload"] == "/request_human"


def test_open_request_shows_status_and_due_time():
    store = InMemoryHandoffStore()
    record = asyncio.run(store.open_request(
        HandoffRequest("woman-1", "rest", "care", "care_mental_health", False, "心情差")
    ))
    text = status(store)[0]["text"]
    assert record.id in text and "正在安排专人" in text and "前回复" in text


def test_a_request_waiting_in_the_outbox_is_shown_as_recorded():
    store = InMemoryHandoffStore(waiting=True)
    asyncio.run(store.open_request(HandoffRequest("woman-1", "rest", "legal", "legal_divorce", False, "离婚")))
    assert "已记录，正在转交工作人员" in status(store)[0]["text"]


@pytest.mark.parametrize("failure", [RoutingUnavailable("down"), RoutingRefused(403, "not the service token"),
                                     RuntimeError("disk full")])
def test_when_the_status_cannot_be_read_she_is_told_so_not_that_there_is_none(failure):
    messages = status(InMemoryHandoffStore(failure=failure))
    assert [m["response"] for m in messages] == ["utter_status_unavailable"]


def test_a_403_from_the_backend_over_http_gets_her_a_reply(tmp_path):
    with StubRoutingServer(403, {"detail": "not the service token"}) as server:
        store = OutboxHandoffStore(RoutingClient(server.url, "forged"), SQLiteHandoffStore(tmp_path / "outbox.db"))
        messages = status(store)
    assert [m["response"] for m in messages] == ["utter_status_unavailable"]


def test_status_names_the_role_holding_it_never_the_person():
    from dataclasses import replace

    store = InMemoryHandoffStore()
    record = asyncio.run(store.open_request(HandoffRequest("woman-1", "rest", "legal", "legal_divorce", False, "离婚")))
    store.records[-1] = replace(record, status="in_progress", holder="律师")
    assert "专人正在处理（由律师负责）" in status(store)[0]["text"]


def test_asking_again_gets_the_news_in_other_words_not_the_same_text():
    from tests.conftest import bot_event

    store = InMemoryHandoffStore()
    asyncio.run(store.open_request(HandoffRequest("woman-1", "rest", "legal", "legal_divorce", False, "离婚")))
    first = status(store)[0]["text"]
    assert "48小时" in first
    dispatcher = CollectingDispatcher()
    tracker = make_tracker([user_event("我的求助有人处理吗", "ticket_status"), bot_event(first),
                            user_event("怎么还没人回我", "ticket_status")])
    asyncio.run(ActionTicketStatus(store=store).run(dispatcher, tracker, {}))
    assert dispatcher.messages[0]["text"] != first and "还在处理中" in dispatcher.messages[0]["text"]


def test_with_no_request_a_topic_in_play_reads_the_words_as_a_follow_up_on_it():
    from tests.actions.dialogue_support import run_action, said, topic

    events = [user_event("老板知道我怀孕就把我开了", "legal_employment"), user_event("要在多久之内去告", "ticket_status", 0.12)]
    messages, _slots = run_action(ActionTicketStatus(store=InMemoryHandoffStore()), events,
                                  {"topic": topic("legal", "legal.employment.pregnancy_dismissal", "legal_employment")})
    assert "还没有查到" not in said(messages)
    assert "一年" in said(messages) or "时效" in said(messages)


def test_a_request_for_a_person_taken_for_a_status_question_is_a_request():
    from tests.actions.dialogue_support import run_action, said

    messages, _slots = run_action(ActionTicketStatus(store=InMemoryHandoffStore()),
                                  [user_event("我不会打字 叫个人给我打电话行不", "ticket_status", 0.4)])
    assert "还没有查到" not in said(messages) and "登记转接" in said(messages)


def test_a_chat_whose_request_went_to_another_app_hears_it_is_not_here_and_stops_holding_it():
    from tests.actions.dialogue_support import run_action, said, topic

    messages, slots = run_action(ActionTicketStatus(store=InMemoryHandoffStore()),
                                 [user_event("律师联系我了吗", "ticket_status", 0.8)],
                                 {"handoff_open": True, "handoff_id": "h-moved",
                                  "topic": topic("legal", "legal.divorce.child_support", "legal_divorce")})
    assert "没有进行中的求助" in said(messages) and "接续码" in said(messages)
    assert slots == {"handoff_open": False, "handoff_id": None}
