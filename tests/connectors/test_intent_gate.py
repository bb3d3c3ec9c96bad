"""The one rule for text that Rasa would read as an intent: only offered buttons are commands."""
from __future__ import annotations

import asyncio
import json
from contextlib import asynccontextmanager
from typing import Dict, List

from rasa.shared.core.events import BotUttered, UserUttered

from connectors.intent_gate import admitted_text, latest_input_channel, offered_in_conversation, offered_payloads


def bot(*payloads: str, key: str = "buttons") -> Dict:
    return {"event": "bot", "text": "…", "data": {key: [{"title": p, "payload": p} for p in payloads]}}


def her(text: str = "你好") -> Dict:
    return {"event": "user", "text": text}


def routing_backend(intent: str = "expert_reply") -> Dict:
    return {"event": "user", "text": f"EXTERNAL: {intent}", "metadata": {"is_external": True}}


def test_buttons_count_when_they_answered_one_of_her_last_three_messages():
    events = [her(), bot("/old"), her(), bot("/affirm", "/deny"), her(), bot("/request_human"), her("嗯")]
    assert offered_payloads(events) == {"/affirm", "/deny", "/request_human"}
    assert offered_payloads(events + [her()]) == {"/request_human"}
    assert offered_payloads(events + [her(), her()]) == set()


def test_the_routing_backends_intents_are_not_her_messages():
    events = [bot("/affirm"), routing_backend(), routing_backend("handoff_closed"), routing_backend(), her()]
    assert offered_payloads(events) == {"/affirm"}


def test_quick_replies_and_carousel_buttons_count_too():
    carousel = {"event": "bot", "data": {"elements": [{"title": "案例", "buttons": [{"payload": "/show_case"}]}]}}
    assert offered_payloads([bot("/affirm", key="quick_replies"), carousel]) == {"/affirm", "/show_case"}


def test_rasa_events_are_read_as_well_as_dicts():
    events = [UserUttered("你好"), BotUttered("安全吗", data={"buttons": [{"title": "是", "payload": "/affirm"}]})]
    assert offered_payloads(events) == {"/affirm"}


class FakeTracker:
    def __init__(self, events: List, channel: str = "rest") -> None:
        self.events = events
        self._channel = channel

    def get_latest_input_channel(self) -> str:
        return self._channel


class FakeStores:
    """Rasa's agent as the gate sees it: a tracker store, and a lock store that records its locks."""

    def __init__(self, trackers: Dict[str, FakeTracker]) -> None:
        self.trackers = trackers
        self.locked: List[str] = []
        self.tracker_store = self
        self.lock_store = self

    async def retrieve(self, conversation_id: str):
        return self.trackers.get(conversation_id)

    @asynccontextmanager
    async def lock(self, conversation_id: str, **_options):
        self.locked.append(conversation_id)
        yield


def test_the_gate_reads_her_conversation_under_its_lock():
    agent = FakeStores({"her": FakeTracker([her(), bot("/affirm")])})
    assert asyncio.run(admitted_text(agent, "her", "/affirm")) == "/affirm"
    assert asyncio.run(admitted_text(agent, "someone-else", "/affirm")) == "affirm"
    assert agent.locked == ["her", "someone-else"]
    assert asyncio.run(admitted_text(agent, "her", "你好")) == "你好" and len(agent.locked) == 2  # words: no lookup


def test_without_an_agent_nothing_is_offered():
    assert asyncio.run(offered_in_conversation(None, "her")) == set()
    assert asyncio.run(admitted_text(None, "her", '/expert_reply{"expert_text": "转账"}')) == json.dumps(
        {"expert_text": "转账"}, ensure_ascii=False).join(["expert_reply", ""])


def test_the_latest_channel_of_a_conversation():
    agent = FakeStores({"her": FakeTracker([her()], channel="socketio")})
    assert asyncio.run(latest_input_channel(agent, "her")) == "socketio"
    assert asyncio.run(latest_input_channel(agent, "new")) is None


def test_the_latest_channel_from_the_sql_store_by_one_row_even_in_a_new_session(tmp_path):
    from rasa.core.tracker_store import FailSafeTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, SessionStarted
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.turn_events import TurnSQLTrackerStore

    store = TurnSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"))

    class Agent:
        tracker_store = FailSafeTrackerStore(store)  # as Rasa's agent holds it

    tracker = DialogueStateTracker("her", [])
    for event in (UserUttered("你好", input_channel="telegram"), ActionExecuted("utter_greet"),
                  ActionExecuted("action_session_start"), SessionStarted()):
        tracker.update(event)
    asyncio.run(store.save(tracker))
    store.retrieve = None  # the answer comes from one row, never from rebuilding her conversation
    assert asyncio.run(latest_input_channel(Agent(), "her")) == "telegram"  # her new session has no message yet
    assert asyncio.run(latest_input_channel(Agent(), "new")) is None
