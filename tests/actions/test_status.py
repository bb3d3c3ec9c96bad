from rasa_sdk.executor import CollectingDispatcher

from actions.handoff_store import HandoffRequest, InMemoryHandoffStore
from actions.status import ActionTicketStatus
from tests.conftest import make_tracker, user_event


def test_no_request_yet_offers_a_person():
    dispatcher = CollectingDispatcher()
    tracker = make_tracker([user_event("我的求助有人处理吗", "ticket_status")])
    ActionTicketStatus(store=InMemoryHandoffStore()).run(dispatcher, tracker, {})
    assert "还没有查到" in dispatcher.messages[0]["text"]
    assert dispatcher.messages[0]["buttons"][0]["payload"] == "/request_human"


def test_open_request_shows_status_and_due_time():
    store = InMemoryHandoffStore()
    record = store.open_request(
        HandoffRequest("woman-1", "rest", "care", "care_mental_health", False, "心情差")
    )
    dispatcher = CollectingDispatcher()
    tracker = make_tracker([user_event("进度怎样了", "ticket_status")])
    ActionTicketStatus(store=store).run(dispatcher, tracker, {})
    text = dispatcher.messages[0]["text"]
    assert record.id in text and "正在安排专人" in text and "前回复" in text


def test_status_names_the_role_holding_it_never_the_person():
    from dataclasses import replace

    store = InMemoryHandoffStore()
    record = store.open_request(HandoffRequest("woman-1", "rest", "legal", "legal_divorce", False, "离婚"))
    store.records[-1] = replace(record, status="in_progress", holder="律师")
    dispatcher = CollectingDispatcher()
    ActionTicketStatus(store=store).run(dispatcher, make_tracker([user_event("进度", "ticket_status")]), {})
    assert "专人正在处理（由律师负责）" in dispatcher.messages[0]["text"]
