"""The compiled check accepts and refuses exactly what Rasa's own check does, with the same message."""
import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot import action_result_check

RESULTS = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "topic", "value": "抚养费"}],
     "responses": [{"text": "可以先去法院立案。", "buttons": [{"title": "是", "payload": "/affirm"}]}]},
    {"events": [{"event": "followup", "name": "action_listen"}, {"event": "bot", "text": "在的"}]},
    {},
    {"events": "slot"},  # not a list
    {"events": [{"name": "topic"}]},  # an event without its type
    {"events": [{"event": 3}]},
    {"responses": ["就一句话"]},  # a response that is not an object
    {"events": [{"event": "slot", "name": "topic"}], "responses": [None]},
]


@pytest.fixture
def rasa_original(monkeypatch):
    original = RemoteAction._validate_action_result
    monkeypatch.setattr(RemoteAction, "_validate_action_result", original)  # restored after the test
    return original


def outcome(check, result):
    try:
        return check(RemoteAction("action_answer_faq", None), result)
    except ValidationError as error:
        return ("refused", error.message, list(error.path))


@pytest.mark.parametrize("result", RESULTS)
def test_same_verdict_and_message_as_rasa(rasa_original, result):
    assert outcome(action_result_check.validate_action_result, result) == outcome(rasa_original, result)


def test_refusals_carry_rasa_hint(rasa_original):
    verdict = outcome(action_result_check.validate_action_result, {"events": "slot"})
    assert verdict[0] == "refused"
    assert verdict[1].endswith("/custom-actions") and "Failed to validate Action server response" in verdict[1]


def test_install_puts_the_compiled_check_in_rasa_place(rasa_original):
    assert action_result_check.install() is True
    assert RemoteAction._validate_action_result is action_result_check.validate_action_result
    action = RemoteAction("action_answer_faq", None)
    assert action._validate_action_result({"events": []}) is True
    with pytest.raises(ValidationError):
        action._validate_action_result({"events": [{"name": "no type"}]})


def test_install_changes_nothing_without_the_method(monkeypatch):
    class NoSuchMethod:
        pass

    import rasa.core.actions.action as rasa_actions
    monkeypatch.setattr(rasa_actions, "RemoteAction", NoSuchMethod)
    assert action_result_check.install() is False
    assert not hasattr(NoSuchMethod, "_validate_action_result")
