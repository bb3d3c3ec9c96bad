from nlu.empty_message import EmptyMessageClassifier
from tests.nlu.components import build, message


def test_empty_text_becomes_a_confident_fallback(tmp_path):
    classifier, *_ = build(EmptyMessageClassifier, tmp_path)
    empty, real = classifier.process([message("", "greet"), message("你好", "greet")])
    assert empty.get("intent") == {"name": "nlu_fallback", "confidence": 1.0}
    assert real.get("intent")["name"] == "greet"
