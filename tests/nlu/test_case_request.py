import pytest

from nlu.case_request import CaseRequestClassifier
from tests.nlu.components import build, message


@pytest.mark.parametrize("text", ["有没有彩礼纠纷的案例", "有冇类似嘅个案", "想看看别人遇到调岗逼辞最后怎么样", "发几个例子来看看"])
def test_explicit_case_requests_become_ask_case(tmp_path, text):
    classifier, *_ = build(CaseRequestClassifier, tmp_path)
    (processed,) = classifier.process([message(text, "legal_family_property")])
    assert processed.get("intent")["name"] == "ask_case"
    assert processed.get("intent_ranking")[1]["name"] == "legal_family_property"


def test_other_messages_keep_their_intent(tmp_path):
    classifier, *_ = build(CaseRequestClassifier, tmp_path)
    (processed,) = classifier.process([message("彩礼要退吗", "legal_family_property")])
    assert processed.get("intent")["name"] == "legal_family_property"
