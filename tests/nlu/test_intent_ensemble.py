import pytest

from nlu.intent_ensemble import IntentEnsemble, blend
from tests.nlu.components import build, load, message, training_data

PAIRS = [
    ("抚养费怎么算", "legal_family_property"), ("他不给抚养费", "legal_family_property"),
    ("财产怎么分", "legal_family_property"), ("孩子玩手机", "family_screen_study"),
    ("孩子沉迷游戏", "family_screen_study"), ("手机不离手", "family_screen_study"),
]


def test_blend_weights_the_two_rankings():
    ranking = blend({"a": 1.0}, {"a": 0.2, "b": 0.8}, diet_weight=0.3)
    assert [r["name"] for r in ranking] == ["b", "a"]
    assert ranking[0]["confidence"] == pytest.approx(0.56)


def test_blend_with_one_side_missing_keeps_the_other():
    assert blend({}, {"x": 0.7}, 0.3)[0] == {"name": "x", "confidence": 0.7}
    assert blend({"y": 0.4}, {}, 0.3)[0] == {"name": "y", "confidence": 0.4}


def test_trained_ensemble_survives_persist_and_load(tmp_path):
    ensemble, storage, resource, config = build(IntentEnsemble, tmp_path, diet_weight=0.0)
    ensemble.train(training_data(PAIRS))
    reloaded = load(IntentEnsemble, storage, resource, config)
    (processed,) = reloaded.process([message("孩子天天玩手机游戏", "legal_family_property")])
    assert processed.get("intent")["name"] == "family_screen_study"


def test_weight_outside_zero_to_one_is_refused(tmp_path):
    with pytest.raises(ValueError):
        build(IntentEnsemble, tmp_path, diet_weight=1.5)
