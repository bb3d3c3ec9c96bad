import pytest

from nlu.case_request import CaseRequestDetector
from nlu.intent_decision import IntentDecision
from tests.nlu.components import build, message


def decide(tmp_path, text, intent):
    detector, *_ = build(CaseRequestDetector, tmp_path / "detector")
    decision, *_ = build(IntentDecision, tmp_path / "decision")
    return decision.process(detector.process([message(text, intent)]))[0]


@pytest.mark.parametrize("text", ["有没有彩礼纠纷的案例", "有冇类似嘅个案", "想看看别人遇到调岗逼辞最后怎么样", "发几个例子来看看"])
def test_explicit_case_requests_become_ask_case(tmp_path, text):
    processed = decide(tmp_path, text, "legal_family_property")
    assert processed.get("intent")["name"] == "ask_case"
    assert processed.get("intent_ranking")[1]["name"] == "legal_family_property"


def test_other_messages_keep_their_intent(tmp_path):
    processed = decide(tmp_path, "彩礼要退吗", "legal_family_property")
    assert processed.get("intent")["name"] == "legal_family_property"


def test_the_detector_only_records_what_it_found(tmp_path):
    detector, *_ = build(CaseRequestDetector, tmp_path)
    (processed,) = detector.process([message("有没有彩礼纠纷的案例", "legal_family_property")])
    assert processed.get("asks_for_cases") is True
    assert processed.get("intent")["name"] == "legal_family_property"
