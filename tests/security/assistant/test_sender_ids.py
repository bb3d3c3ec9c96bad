"""Finding 4 (channel part): the REST channel took any `sender` as a conversation id.

Ids with "/", "?", "#", "%" or "\\" end up in URLs (Rasa's /conversations/{id}/…, the
routing backend's links, the staff console), where they address another conversation
or break the page; whitespace and control characters make ids that look alike but
are not. Such a sender gets a clear 400 JSON error before anything reaches Rasa.
Against the running assistant (project credentials.yml)."""
from __future__ import annotations

import pytest

from tests.security.assistant.conftest import rest_post, stored_texts

BAD_SENDERS = {
    "empty": "",
    "too-long": "a" * 129,
    "space": "woman 1",
    "ideographic-space": "woman\u30001",
    "tab": "woman\t1",
    "newline": "woman\n1",
    "control": "woman\x001",
    "zero-width": "woman\u200b1",
    "slash": "../woman-1",
    "question-mark": "woman-1?token=x",
    "hash": "woman-1#x",
    "percent": "woman%2F1",
    "backslash": "woman\\1",
    "dot-dot": "..",
}


@pytest.mark.parametrize("name", sorted(BAD_SENDERS))
def test_a_malformed_sender_is_refused_with_a_clear_error(live, name):
    sender = BAD_SENDERS[name]
    status, answer = rest_post(live, {"sender": sender, "message": "我想离婚"})
    assert status == 400
    assert isinstance(answer, dict) and "sender" in answer["error"]
    assert stored_texts(live, sender) == []


@pytest.mark.parametrize("body", [{"message": "我想离婚"}, {"sender": 12345, "message": "我想离婚"},
                                  {"sender": None, "message": "我想离婚"}])
def test_a_missing_or_non_text_sender_is_refused(live, body):
    status, answer = rest_post(live, body)
    assert status == 400 and "sender" in answer["error"]


def test_nothing_reaches_the_default_conversation(live):
    """Without a sender Rasa used to file the message under "default", shared by every such caller."""
    rest_post(live, {"message": "默认会话里的消息"})
    assert "默认会话里的消息" not in stored_texts(live, "default")


def test_a_well_formed_sender_still_talks_to_the_assistant(live):
    sender = "woman_01-2024.example@test:" + "x" * 90
    assert len(sender) <= 128
    status, replies = rest_post(live, {"sender": sender, "message": "你好"})
    assert status == 200 and replies and replies[0].get("text")
    assert stored_texts(live, sender) == ["你好"]
