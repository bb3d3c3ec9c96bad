from nlu.empty_message import EmptyMessageDetector
from nlu.intent_decision import IntentDecision
from tests.nlu.components import build, message


def test_empty_text_becomes_a_confident_fallback(tmp_path):
    detector, *_ = build(EmptyMessageDetector, tmp_path / "detector")
    decision, *_ = build(IntentDecision, tmp_path / "decision")
    empty, real = decision.process(detector.process([message("", "greet"), message("你好", "greet")]))
    assert empty.get("intent") == {"name": "nlu_fallback", "confidence": 1.0}
    assert real.get("intent")["name"] == "greet"
