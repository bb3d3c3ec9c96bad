import pytest

from tests.faults.conversations import load, parse


def test_the_shipped_scripts_load_and_some_ask_for_a_person_and_some_do_not():
    scripts = load()
    assert any(s.wants_person for s in scripts) and any(not s.wants_person for s in scripts)
    assert all(len(s.turns) >= 3 for s in scripts)


def test_the_turn_that_asks_for_a_person_is_read():
    [script] = parse([{"id": "a", "turns": ["你好", "我要找律师"], "asks_for_person": 1}])
    assert script.asks_for_person == 1 and script.turns == ("你好", "我要找律师")


@pytest.mark.parametrize("items, reason", [
    ([], "non-empty list"),
    ([{"turns": ["你好"]}], "needs an `id`"),
    ([{"id": "a", "turns": []}], "non-empty list of messages"),
    ([{"id": "a", "turns": ["你好", " "]}], "non-empty list of messages"),
    ([{"id": "a", "turns": ["你好"], "asks_for_person": 1}], "index of one of its turns"),
    ([{"id": "a", "turns": ["你好"], "asks_for_person": True}], "index of one of its turns"),
    ([{"id": "a", "turns": ["你好"]}, {"id": "a", "turns": ["在吗"]}], "used twice"),
])
def test_a_malformed_script_is_refused_with_the_reason(items, reason):
    with pytest.raises(ValueError, match=reason):
        parse(items)
