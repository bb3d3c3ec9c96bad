"""Safe exit and the fear that he reads her phone (actions/safe_exit.py)."""
import pytest

from actions.safe_exit import ActionSafeExit
from tests.actions.dialogue_support import run_action, said, user_event
from tests.actions.fakes import InMemoryHandoffStore


def leave(text, slots=None, store=None):
    return run_action(ActionSafeExit(store or InMemoryHandoffStore()), [user_event(text, "safe_exit", 1.0)], slots)


@pytest.mark.parametrize("text", ["安全退出", "我要安全退出", "退出", "删掉记录", "清空聊天", "他過來了 快刪", "/safe_exit"])
def test_an_exit_in_any_wording_ends_quietly_and_opens_no_handoff(text):
    store = InMemoryHandoffStore()
    messages, _ = leave(text, store=store)
    assert "删除" in said(messages) and "对话到此结束" in said(messages)
    assert store.requests == []


def test_leaving_notes_which_message_left_and_keeps_the_topic_to_come_back_to():
    _, slots = leave("快删", {"topic": {"area": "legal", "faq_id": "legal.dv.what_to_do", "turn": 1}})
    assert slots["left_at_turn"] == 1 and "topic" not in slots


@pytest.mark.parametrize("text", ["我老公会翻我手机", "怎么删除聊天记录", "佢睇唔睇到㗎"])
def test_the_fear_that_he_reads_her_phone_gets_advice_and_the_exit_button_not_the_end(text):
    messages, _ = leave(text)
    assert "安全退出" in said(messages) and "对话到此结束" not in said(messages)
    assert any(b["payload"] == "/safe_exit" for m in messages for b in m["buttons"])


def test_while_a_handoff_is_open_her_exit_is_passed_on_and_the_handoff_stays():
    store = InMemoryHandoffStore()
    _, slots = leave("他回来了 快删", {"handoff_open": True, "handoff_id": "h1"}, store)
    assert store.forwarded == [("woman-1", "h1", "他回来了 快删")] and "handoff_open" not in slots
