"""Her words reach the expert exactly as she wrote them; the expert's reply and the
closing reach her (actions/her_turn.py, actions/relay.py)."""
import pytest

from actions.relay import ActionHandoffClosed, ActionRelayExpertReply
from actions.routing_protocol import RoutingRefused
from actions.small_talk import ActionSmallTalk
from bot.knowledge_index import default_index
from tests.actions.dialogue_support import run_action, said, user_event
from tests.actions.fakes import InMemoryHandoffStore

OPEN = {"handoff_open": True, "handoff_id": "h1"}


def message(words, normalised):
    """Her message as Rasa keeps it: her words in the event, the normaliser's copy in the parse."""
    event = user_event(words, "thanks", 0.9)
    event["parse_data"]["text"] = normalised
    return event


def forward(store, words="好的😭 谢谢！我 明天10点", normalised="好的,谢谢!我,明天10点"):
    return run_action(ActionSmallTalk(store, default_index()), [message(words, normalised)], OPEN)


def test_her_message_reaches_the_open_handoff_as_she_wrote_it_not_as_normalised():
    store = InMemoryHandoffStore()
    messages, _ = forward(store, "房子係婚後兩個人一齊買嘅，寫咗佢個名😢", "房子系婚后两个人一齐买嘅,写咗佢个名")
    assert store.forwarded == [("woman-1", "h1", "房子係婚後兩個人一齊買嘅，寫咗佢個名😢")]
    assert "已经转给负责你求助的工作人员" in said(messages)


def test_a_message_kept_in_the_outbox_is_acknowledged_as_recorded():
    store = InMemoryHandoffStore(waiting=True)
    messages, _ = forward(store)
    assert "已经记下了" in said(messages) and len(store.forwarded) == 1


@pytest.mark.parametrize("failure", [RoutingRefused(404, "no handoff h1"), RuntimeError("disk full")])
def test_a_message_that_cannot_be_passed_on_gets_her_the_hotline(failure):
    messages, _ = forward(InMemoryHandoffStore(failure=failure))
    assert "12338" in said(messages)


def test_a_button_press_is_not_her_words_and_is_not_passed_on():
    store = InMemoryHandoffStore()
    run_action(ActionSmallTalk(store, default_index()), [user_event("/greet", "greet", 1.0)], OPEN)
    assert store.forwarded == []


def test_the_experts_reply_is_shown_with_their_role():
    messages, slots = run_action(ActionRelayExpertReply(), [user_event("", "expert_reply")],
                                 {"expert_text": "你好", "expert_role": "律师"})
    assert messages[0]["text"] == "【律师回复】\n你好" and slots["expert_text"] is None


def test_the_replys_id_rides_on_the_message_for_her_channels_delivery_report():
    """Rasa hands a bot message's extra keys to the output channel as keywords (connectors/delivery_reports.py)."""
    messages, slots = run_action(ActionRelayExpertReply(), [user_event("", "expert_reply")],
                                 {"expert_text": "请保留好证据", "expert_role": "律师", "expert_message_id": 57})
    assert messages[0]["text"] == "【律师回复】\n请保留好证据" and messages[0]["expert_message_id"] == 57
    assert slots["expert_message_id"] is None
    messages, _ = run_action(ActionRelayExpertReply(), [user_event("", "expert_reply")],
                             {"expert_text": "你好", "expert_role": "律师"})
    assert "expert_message_id" not in messages[0]  # an older routing backend: no id, no report


def test_closing_hands_the_conversation_back_to_the_bot():
    messages, slots = run_action(ActionHandoffClosed(), [user_event("", "handoff_closed")])
    assert messages[0]["response"] == "utter_handoff_closed" and slots["handoff_open"] is False


def test_a_reply_sent_again_by_the_routing_backend_is_not_shown_twice():
    """routing/relay.py delivers at least once: a send that timed out after Rasa took it is repeated."""
    shown = {"event": "bot", "text": "【律师回复】\n请保留好证据", "metadata": {"expert_message_id": 57}}
    messages, slots = run_action(ActionRelayExpertReply(), [shown, user_event("", "expert_reply")],
                                 {"expert_text": "请保留好证据", "expert_role": "律师", "expert_message_id": 57})
    assert messages == [] and slots["expert_text"] is None
    messages, _ = run_action(ActionRelayExpertReply(), [shown, user_event("", "expert_reply")],
                             {"expert_text": "第二条", "expert_role": "律师", "expert_message_id": 58})
    assert messages[0]["text"] == "【律师回复】\n第二条"
