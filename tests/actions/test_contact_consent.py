"""Her contact details go with a request for a person only after she said yes to the question
that asked for them, with the time of her yes; otherwise none is sent (issue #20)."""
from __future__ import annotations

import asyncio

from rasa_sdk.executor import CollectingDispatcher

from actions import contact_consent
from actions.contact_consent import CONTACT_CONSENT, ask_consent, consented_at, contact_for_handoff
from actions.request_human import ActionRequestHuman
from tests.actions.dialogue_support import domain, topic
from tests.actions.fakes import InMemoryHandoffStore
from tests.conftest import make_tracker, user_event

ASKED = {"event": "slot", "name": "pending_question", "value": CONTACT_CONSENT, "timestamp": 1_700_000_000.5}


def answer(intent: str, at: float) -> dict:
    return dict(user_event("同意" if intent == "affirm" else "不留", intent), timestamp=at)


def test_the_question_says_who_sees_the_number_and_that_she_may_decline():
    dispatcher = CollectingDispatcher()
    events = ask_consent(dispatcher)
    assert events == [{"event": "slot", "timestamp": None, "name": "pending_question", "value": CONTACT_CONSENT}]
    text = dispatcher.messages[0]["text"]
    assert "工作人员" in text and "不留也没关系" in text
    assert [button["payload"] for button in dispatcher.messages[0]["buttons"]] == ["/affirm", "/deny"]


def test_her_yes_to_the_question_is_the_consent_with_its_time():
    tracker = make_tracker([ASKED, answer("affirm", 1_700_000_100.0)])
    assert consented_at(tracker) == "2023-11-14T22:15:00+00:00"


def test_a_yes_to_another_question_a_no_or_a_new_question_is_no_consent():
    other = {"event": "slot", "name": "pending_question", "value": "expert_offer"}
    assert consented_at(make_tracker([other, answer("affirm", 1_700_000_100.0)])) is None
    assert consented_at(make_tracker([ASKED, answer("deny", 1_700_000_100.0)])) is None
    assert consented_at(make_tracker([ASKED, answer("affirm", 1_700_000_100.0), ASKED])) is None


def test_a_contact_without_consent_is_not_given_to_the_handoff():
    assert contact_for_handoff(make_tracker([answer("affirm", 1.0)], slots={"contact": "13812345678"})) == (None, None)
    agreed = make_tracker([ASKED, answer("affirm", 1_700_000_100.0)], slots={"contact": "13812345678"})
    assert contact_for_handoff(agreed) == ("13812345678", "2023-11-14T22:15:00+00:00")


def _request_for(events, slots):
    store = InMemoryHandoffStore()
    tracker = make_tracker(events + [user_event("我要找律师", "request_human")],
                           slots={"topic": topic("legal", turn=1), **slots})
    asyncio.run(ActionRequestHuman(store=store).run(CollectingDispatcher(), tracker, domain()))
    return store.requests[0]


def test_the_handoff_carries_her_contact_only_after_her_yes():
    unasked = _request_for([], {"contact": "13812345678"})
    assert unasked.contact is None and unasked.contact_consented_at is None
    agreed = _request_for([ASKED, answer("affirm", 1_700_000_100.0)], {"contact": "13812345678"})
    assert agreed.contact == "13812345678" and agreed.contact_consented_at == "2023-11-14T22:15:00+00:00"
    assert contact_consent.CONTACT_SLOT == "contact"
