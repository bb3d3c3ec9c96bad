import itertools

import pytest

from bench.load.conversations import TURN_KINDS, load, parse, rotation


def document(*conversations):
    return {"version": 1, "conversations": list(conversations)}


def test_the_bench_conversations_are_valid_and_mix_faq_answers_and_handoffs():
    conversations = load()
    kinds = {turn.kind for c in conversations for turn in c.turns}
    assert {"faq", "follow_up", "handoff", "waiting"} <= kinds <= set(TURN_KINDS)
    assert {c.handoff for c in conversations if c.handoff} == {"legal", "family_education"}
    assert all(len(c.turns) >= 2 for c in conversations)


def test_a_turn_of_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="kind"):
        parse(document({"id": "a", "turns": [{"kind": "shout", "text": "你好"}]}))


def test_a_handoff_area_needs_a_handoff_turn_and_the_reverse():
    with pytest.raises(ValueError, match="handoff"):
        parse(document({"id": "a", "handoff": "legal", "turns": [{"kind": "faq", "text": "离婚怎么办"}]}))
    with pytest.raises(ValueError, match="handoff"):
        parse(document({"id": "a", "turns": [{"kind": "handoff", "text": "我要找律师"}]}))


def test_ids_are_unique_and_texts_are_not_empty():
    turn = {"kind": "faq", "text": "产假多少天"}
    with pytest.raises(ValueError, match="unique"):
        parse(document({"id": "a", "turns": [turn]}, {"id": "a", "turns": [turn]}))
    with pytest.raises(ValueError, match="empty"):
        parse(document({"id": "a", "turns": [{"kind": "faq", "text": "  "}]}))
    with pytest.raises(ValueError, match="version"):
        parse({"conversations": []})


def test_each_user_starts_at_a_different_conversation_and_goes_round():
    conversations = parse(document(*({"id": name, "turns": [{"kind": "faq", "text": "问"}]} for name in "abc")))
    assert [c.id for c in itertools.islice(rotation(conversations, 0), 4)] == ["a", "b", "c", "a"]
    assert [c.id for c in itertools.islice(rotation(conversations, 4), 3)] == ["b", "c", "a"]
