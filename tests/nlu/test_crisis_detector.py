from pathlib import Path

from nlu.crisis_detector import CrisisDetector
from tests.nlu.components import build, load, message, training_data

LEXICON = str(Path(__file__).resolve().parents[2] / "nlu" / "crisis_lexicon.yml")
PAIRS = [
    ("他拿刀追我", "crisis_violence"), ("他在掐我脖子", "crisis_violence"),
    ("我吞了安眠药", "crisis_self_harm"), ("活不下去了", "crisis_self_harm"),
    ("抚养费怎么算", "legal_family_property"), ("孩子玩手机", "family_screen_study"),
    ("你好", "greet"), ("谢谢", "thanks"),
]


def detector(tmp_path, **config):
    component, storage, resource, full = build(CrisisDetector, tmp_path, lexicon_path=LEXICON, **config)
    component.train(training_data(PAIRS))
    return load(CrisisDetector, storage, resource, full)


def test_lexicon_hit_raises_a_crisis_over_a_calm_intent(tmp_path):
    (processed,) = detector(tmp_path).process(
        [message("救命 他在打我", "legal_domestic_violence", [{"name": "legal_domestic_violence", "confidence": 0.9}])]
    )
    assert processed.get("intent") == {"name": "crisis_violence", "confidence": 1.0}
    assert processed.get("crisis")["detected"] and processed.get("crisis")["source"] == "lexicon"
    assert processed.get("intent_ranking")[1]["name"] == "legal_domestic_violence"


def test_crisis_raised_even_over_a_fallback(tmp_path):
    (processed,) = detector(tmp_path).process([message("我不想活了", "nlu_fallback")])
    assert processed.get("intent")["name"] == "crisis_self_harm"


def test_negated_crisis_prediction_is_withdrawn_to_the_next_intent(tmp_path):
    ranking = [
        {"name": "crisis_self_harm", "confidence": 0.5},
        {"name": "care_mental_health", "confidence": 0.4},
    ]
    (processed,) = detector(tmp_path, model_threshold=0.99).process(
        [message("我没有想自杀", "crisis_self_harm", ranking)]
    )
    assert processed.get("crisis")["detected"] is False
    assert processed.get("intent")["name"] == "care_mental_health"
    assert processed.get("crisis")["phrases"][0]["negated"] is True


def test_withdrawn_crisis_with_no_confident_alternative_falls_back(tmp_path):
    ranking = [{"name": "crisis_self_harm", "confidence": 0.95}, {"name": "greet", "confidence": 0.01}]
    (processed,) = detector(tmp_path, model_threshold=0.99).process(
        [message("我没有想自杀", "crisis_self_harm", ranking)]
    )
    assert processed.get("intent")["name"] == "nlu_fallback"


def test_calm_message_is_left_alone(tmp_path):
    (processed,) = detector(tmp_path).process([message("抚养费怎么算", "legal_family_property")])
    assert processed.get("intent")["name"] == "legal_family_property"
    assert processed.get("crisis")["detected"] is False


def test_without_crisis_examples_the_lexicon_still_works(tmp_path):
    component, storage, resource, full = build(CrisisDetector, tmp_path, lexicon_path=LEXICON)
    component.train(training_data([("你好", "greet"), ("谢谢", "thanks")]))
    (processed,) = load(CrisisDetector, storage, resource, full).process([message("救命 他在打我")])
    assert processed.get("crisis")["detected"] is True


def test_a_changed_lexicon_changes_the_cache_fingerprint(tmp_path):
    lexicon = tmp_path / "lexicon.yml"
    lexicon.write_text(Path(LEXICON).read_text(encoding="utf-8"), encoding="utf-8")
    before = CrisisDetector.fingerprint_addon({"lexicon_path": str(lexicon)})
    lexicon.write_text(lexicon.read_text(encoding="utf-8") + "\n# reviewed again\n", encoding="utf-8")
    assert CrisisDetector.fingerprint_addon({"lexicon_path": str(lexicon)}) != before


def test_a_fallback_caused_by_a_ruled_out_crisis_candidate_is_undone(tmp_path):
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.9},
        {"name": "crisis_child_danger", "confidence": 0.38},
        {"name": "legal_child_protection", "confidence": 0.37},
        {"name": "greet", "confidence": 0.02},
    ]
    (processed,) = detector(tmp_path, model_threshold=0.99).process(
        [message("我朋友的侄子以前被继父打过，还能追究吗", "nlu_fallback", ranking)]
    )
    assert processed.get("intent")["name"] == "legal_child_protection"


def test_a_fallback_for_other_reasons_stands(tmp_path):
    ranking = [{"name": "nlu_fallback", "confidence": 0.9}, {"name": "greet", "confidence": 0.05},
               {"name": "thanks", "confidence": 0.045}]
    (processed,) = detector(tmp_path, model_threshold=0.99).process([message("嗯嗯那个", "nlu_fallback", ranking)])
    assert processed.get("intent")["name"] == "nlu_fallback"


def test_the_fingerprint_works_when_rasa_passes_no_lexicon_path():
    assert CrisisDetector.fingerprint_addon({}) == CrisisDetector.fingerprint_addon({"lexicon_path": LEXICON})


def test_a_place_only_answer_needs_the_lexicon_not_the_model_to_become_a_crisis(tmp_path):
    eager = detector(tmp_path, model_threshold=0.0)  # the model alone would flag everything

    def place_only(text):
        flagged = message(text, "inform_place")
        flagged.set("crisis_lexicon_only", True)
        return flagged

    (place,) = eager.process([place_only("我在顺德")])
    assert place.get("intent")["name"] == "inform_place" and not place.get("crisis")["detected"]
    (danger,) = eager.process([place_only("救命 他在打我")])
    assert danger.get("intent")["name"] == "crisis_violence"
    (classified,) = eager.process([message("我在厕所躲着", "inform_place")])  # the classifier's guess is not enough
    assert classified.get("intent")["name"].startswith("crisis_")
