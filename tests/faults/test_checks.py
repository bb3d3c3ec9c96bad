import json
from datetime import datetime, timezone

from tests.faults import checks
from tests.faults.conversations import Script
from tests.faults.expert import NOT_STORED, STORED, SentReply
from tests.faults.load import EMPTY, LOST, REPLIED, ConversationRecord, MessageRecord
from tests.faults.stores import ArchivedRow, StoredHandoff, StoredReply, TrackerEvent

ASKING = Script("lawyer", ("我要找律师！前夫一年没给抚养费了", "孩子六岁"), asks_for_person=0)
CALM = Script("loan", ("想开个奶茶店", "要担保人吗"))
AT = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)


def message(cid, turn, text, outcome=REPLIED, retries=0):
    m = MessageRecord(0, cid, "s", turn, text, 0.0, attempts=retries + 1, outcome=outcome)
    m.retried_because = ["HTTP 502"] * retries
    m.replies = [{"text": "好的"}] if outcome == REPLIED else []
    return m


def conversation(cid, script, outcomes=None):
    outcomes = outcomes or [REPLIED] * len(script.turns)
    return ConversationRecord(cid, script, [message(cid, i, t, o) for i, (t, o) in
                                            enumerate(zip(script.turns, outcomes))])


def event(cid, position, kind, **body):
    return TrackerEvent(cid, position, kind, json.dumps({"event": kind, **body}, ensure_ascii=False))


# --- messages ----------------------------------------------------------------------------
def test_every_message_answered_even_after_retries_passes():
    c = conversation("r-1", CALM)
    c.messages[1].retried_because = ["HTTP 502", "ConnectionRefusedError"]
    finding = checks.messages([c])
    assert finding.passed
    assert finding.figures["sent"] == 2 and finding.figures["replied_after_retry"] == 1
    assert finding.figures["retries"] == 2


def test_client_timeouts_are_counted_among_the_retries():
    c = conversation("r-1", CALM)
    c.messages[0].retried_because = ["TimeoutError: timed out", "HTTP 502"]
    assert checks.messages([c]).figures["client_timeouts"] == 1


def test_a_lost_or_empty_answer_fails_and_says_which_message():
    c = conversation("r-1", CALM, [LOST, EMPTY])
    finding = checks.messages([c], [event("r-1", 1, "user", text="想开个奶茶店")])
    assert not finding.passed and finding.figures["lost"] == 2 and finding.figures["empty_replies"] == 1
    assert "r-1 turn 0 「想开个奶茶店」: lost" in finding.problems[0]
    assert "holds it 1 time(s)" in finding.problems[0]


def test_a_message_rasa_took_twice_is_noted_not_failed():
    c = conversation("r-1", CALM)
    events = [event("r-1", 1, "user", text="想开个奶茶店"), event("r-1", 5, "user", text="想开个奶茶店")]
    finding = checks.messages([c], events)
    assert finding.passed and finding.figures["processed_twice"] == 1 and finding.notes


# --- handoffs ----------------------------------------------------------------------------
def handoff(hid, cid):
    return StoredHandoff(hid, cid, "received", False, AT)


def test_each_handoff_asked_for_found_once_passes():
    finding = checks.handoffs([conversation("r-1", ASKING), conversation("r-2", CALM)], [handoff("H-1", "r-1")])
    assert finding.passed and finding.figures == {"asked": 1, "found_once": 1, "missing": 0, "doubled": 0,
                                                  "request_unanswered": 0, "request_unanswered_opened": 0,
                                                  "not_asked": 0}


def test_a_missing_and_a_doubled_handoff_fail():
    conversations = [conversation("r-1", ASKING), conversation("r-2", ASKING)]
    finding = checks.handoffs(conversations, [handoff("H-1", "r-2"), handoff("H-2", "r-2"), handoff("H-3", "r-2")])
    assert not finding.passed and finding.figures["missing"] == 1 and finding.figures["doubled"] == 2
    assert any("r-2 (lawyer): 3 handoffs" in p for p in finding.problems)


def test_a_handoff_whose_request_was_lost_is_not_owed_and_one_not_asked_for_is_a_note():
    lost = conversation("r-1", ASKING, [LOST, REPLIED])
    finding = checks.handoffs([lost, conversation("r-2", CALM)], [handoff("H-9", "r-2")])
    assert finding.passed and finding.figures["asked"] == 0 and finding.figures["request_unanswered"] == 1
    assert finding.figures["not_asked"] == 1 and "r-2" in finding.notes[0]


def test_a_request_left_unanswered_may_still_open_one_handoff_but_never_two():
    lost = conversation("r-1", ASKING, [LOST, REPLIED])
    once = checks.handoffs([lost], [handoff("H-1", "r-1")])
    assert once.passed and once.figures["request_unanswered_opened"] == 1 and "ran to its end" in once.notes[0]
    twice = checks.handoffs([lost], [handoff("H-1", "r-1"), handoff("H-2", "r-1")])
    assert not twice.passed and twice.figures["doubled"] == 1


# --- expert replies ----------------------------------------------------------------------
def sent(number, outcome=STORED):
    return SentReply("lawyer", "H-1", "r-1", number, 2, f"（{number}/2）回复", 0.0, 1, [], outcome)


def stored(mid, number, cid="r-1"):
    return StoredReply(mid, "H-1", cid, f"（{number}/2）回复", "delivered")


def bot(position, mid, number, cid="r-1"):
    return event(cid, position, "bot", text=f"【律师回复】\n（{number}/2）回复", metadata={"expert_message_id": mid})


def test_each_reply_delivered_once_in_order_passes():
    finding = checks.expert_replies([sent(1), sent(2)], [stored(7, 1), stored(9, 2)],
                                    [bot(10, 7, 1), event("r-1", 11, "user", text="好"), bot(12, 9, 2)])
    assert finding.passed and finding.figures["delivered_once"] == 2


def test_a_lost_a_doubled_and_an_out_of_order_reply_fail():
    events = [bot(10, 9, 2), bot(11, 7, 1), bot(12, 7, 1)]
    finding = checks.expert_replies([sent(1), sent(2), sent(3)], [stored(7, 1), stored(9, 2), stored(11, 3)], events)
    assert finding.figures["lost"] == 1 and finding.figures["doubled"] == 1 and finding.figures["out_of_order"] == 1
    assert not finding.passed


def test_a_reply_the_relay_still_holds_as_pending_is_counted():
    pending = StoredReply(7, "H-1", "r-1", "（1/2）回复", "pending")
    assert checks.expert_replies([sent(1)], [pending], [bot(3, 7, 1)]).figures["still_pending"] == 1


def test_a_reply_is_recognised_by_its_words_when_the_bot_message_carries_no_id():
    events = [event("r-1", 3, "bot", text="【律师回复】\n（1/2）回复")]
    assert checks.expert_replies([sent(1)], [stored(7, 1)], events).figures["delivered_once"] == 1


def test_a_bot_message_carrying_another_replys_id_is_not_this_one():
    events = [event("r-1", 3, "bot", text="【律师回复】\n（1/2）回复", metadata={"expert_message_id": 8})]
    assert checks.expert_replies([sent(1)], [stored(7, 1)], events).figures["lost"] == 1


def test_a_handoff_no_expert_answered_is_a_note_not_a_failure():
    finding = checks.expert_replies([], [], [], [StoredHandoff("H-7", "r-3", "assigned", False, AT)])
    assert finding.passed and "handoff H-7 (r-3, assigned) got no expert reply" in finding.notes[0]


def test_replies_the_backend_never_took_or_took_twice_fail():
    finding = checks.expert_replies([sent(1, NOT_STORED)], [stored(7, 1), stored(8, 1)], [bot(1, 7, 1), bot(2, 8, 1)])
    assert finding.figures["not_stored"] == 1 and finding.figures["stored_twice"] == 1 and not finding.passed


# --- archive -----------------------------------------------------------------------------
def key_of(e):
    body = e.body
    return None if body["event"] == "action" else (e.conversation_id, body["event"], body["timestamp"],
                                                   body.get("text"), None, None)


def row(cid, kind, at, text):
    return ArchivedRow(cid, kind, at, text, None, None)


EVENTS = [TrackerEvent("r-1", 1, "user", json.dumps({"event": "user", "timestamp": 1, "text": "你好"})),
          TrackerEvent("r-1", 2, "action", json.dumps({"event": "action", "timestamp": 2, "name": "x"})),
          TrackerEvent("r-1", 3, "bot", json.dumps({"event": "bot", "timestamp": 3, "text": "你好呀"}))]


def test_an_archive_that_holds_every_kept_event_once_passes():
    finding = checks.archive(EVENTS, [row("r-1", "user", 1, "你好"), row("r-1", "bot", 3, "你好呀")], key_of)
    assert finding.passed and finding.figures["archivable"] == 2 and finding.figures["archived"] == 2


def test_a_missing_and_a_doubled_archive_row_fail_and_a_row_not_in_the_tracker_is_a_note():
    archived = [row("r-1", "user", 1, "你好"), row("r-1", "user", 1, "你好"), row("r-1", "user", 0.5, "你好")]
    finding = checks.archive(EVENTS, archived, key_of)
    assert finding.figures["missing"] == 1 and finding.figures["doubled"] == 1
    assert finding.figures["not_in_tracker"] == 1 and not finding.passed
    assert finding.notes[0] == "the missing events were written between 3 and 3, in 1 conversation(s)"
    assert any(p.startswith("missing: r-1 bot") for p in finding.problems)


def test_the_routing_backends_own_rule_says_which_tracker_events_the_archive_keeps():
    from routing.archive.events import archived_event
    from routing.archive.sources import BrokerRow

    user = {"event": "user", "timestamp": 1764504000.123456, "text": "我要找律师", "input_channel": "rest",
            "parse_data": {"intent": {"name": "request_human", "confidence": 0.9}}, "metadata": {}}
    faq = {"event": "slot", "timestamp": 1764504001.5, "name": "last_faq_id", "value": "legal-support"}
    other = {"event": "slot", "timestamp": 1764504001.6, "name": "contact", "value": "13800000000"}
    action = {"event": "action", "timestamp": 1764504002.0, "name": "action_listen"}
    events = [TrackerEvent("r-1", i, e["event"], json.dumps(e, ensure_ascii=False))
              for i, e in enumerate([user, faq, other, action])]
    keys = [checks.archive_key_of_routing(e) for e in events]
    assert keys[2] is None and keys[3] is None  # staff do not read these
    # what the consumer stores from the broker's body of the same event (it adds sender_id)
    for event, key in zip([user, faq], keys[:2]):
        body = json.dumps({"sender_id": "r-1", **event}, ensure_ascii=False)
        stored = archived_event("rasa-rabbitmq", BrokerRow(99, "r-1", body))
        assert checks.archive_key(ArchivedRow(stored.conversation_id, stored.event_type, stored.at, stored.text,
                                              stored.slot, stored.value)) == key
