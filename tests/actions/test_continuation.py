"""Her request follows her to another app with a continuation code (actions/continuation.py)."""
import asyncio
from datetime import datetime, timedelta, timezone

from actions.continuation import ActionContinuationCode, ActionContinueCase
from actions.handoff_types import HandoffRecord
from tests.actions.dialogue_support import run_action, said, user_event
from tests.actions.fakes import FakeContinuations

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)


def her_request(conversation="woman-1"):
    return HandoffRecord(id="H20261201A", conversation_id=conversation, channel="wechat", category="legal",
                         intent="legal_divorce", urgent=False, summary="", status="assigned", created_at=NOW,
                         due_at=NOW + timedelta(hours=48))


def ask_code(backend, text="接续码"):
    return run_action(ActionContinuationCode(backend), [user_event(text, "ask_continuation_code")])


def send_code(backend, text):
    return run_action(ActionContinueCase(backend), [user_event(text, "continue_case")])


def test_she_gets_a_code_she_can_read_and_what_it_does():
    backend = FakeContinuations({"woman-1": her_request()})
    messages, slots = ask_code(backend)
    text = said(messages)
    assert "7KQ2M-XD900" in text and "24小时内有效" in text and "只能用一次" in text
    assert "安全退出" in text and "{" not in text and slots == {}


def test_with_no_request_here_she_learns_where_to_ask():
    messages, _ = ask_code(FakeContinuations())
    text = said(messages)
    assert "还没有转给专人的求助" in text and "回到那个对话" in text and "{" not in text


def test_the_code_from_the_other_app_moves_her_request_here():
    backend = FakeContinuations({"wx-openid": her_request("wx-openid")})
    code = asyncio.run(backend.continuation_code("wx-openid")).code  # asked for in her WeChat conversation
    messages, slots = send_code(backend, f"接续码 {code[:5].lower()}-{code[5:].lower()}")  # this chat: woman-1
    text = said(messages)
    assert "接上了" in text and "H20261201A" in text and "法律维权" in text and "补发" in text
    assert slots == {"handoff_id": "H20261201A", "handoff_open": True}
    assert backend.requests["woman-1"].conversation_id == "woman-1"


def test_a_wrong_or_used_code_gets_one_answer_and_sets_nothing():
    messages, slots = send_code(FakeContinuations(), "接续码 AAAAA-BBBBB")
    assert "不对，或者已经用过、过期了" in said(messages) and "24小时" in said(messages) and slots == {}


def test_without_a_code_she_is_told_what_one_looks_like():
    messages, slots = send_code(FakeContinuations(), "接续码是什么")
    assert "XXXXX-XXXXX" in said(messages) and slots == {}


def test_when_the_backend_cannot_answer_she_is_told_to_try_again_and_given_the_hotline():
    backend = FakeContinuations({"woman-1": her_request()})
    backend.down = True
    for messages, _ in (ask_code(backend), send_code(backend, "接续码 7KQ2M-XD900")):
        assert "过几分钟再试" in said(messages) and "12338" in said(messages) and "110" in said(messages)
