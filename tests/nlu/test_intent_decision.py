"""The one decision of the intent, from the classifier's ranking and what the rule components found.

Tests moved here from test_crisis_detector.py, test_case_request.py, test_office_request.py,
test_empty_message.py and test_intent_override.py keep their assertions; their input is
now what reaches the decision (the classifier's ranking and the findings).
"""
import re
from pathlib import Path

import yaml

from nlu.case_request import CaseRequestDetector
from nlu.findings import ONLY_A_PLACE
from nlu.intent_decision import IntentDecision
from nlu.office_request import OfficeRequestDetector
from tests.nlu.components import build, message
from tests.nlu.test_crisis_detector import detector

ROOT = Path(__file__).resolve().parents[2]


def decided(tmp_path, messages, *components, **config):
    decision, *_ = build(IntentDecision, tmp_path / "decision", **config)
    for component in components:
        messages = component.process(messages)
    return decision.process(messages)


# ---- crisis (moved from test_crisis_detector.py) ------------------------------------

def test_lexicon_hit_raises_a_crisis_over_a_calm_intent(tmp_path):
    (processed,) = decided(tmp_path, [message("救命 他在打我", "legal_domestic_violence",
                                              [{"name": "legal_domestic_violence", "confidence": 0.9}])],
                           detector(tmp_path))
    assert processed.get("intent") == {"name": "crisis_violence", "confidence": 1.0}
    assert processed.get("crisis")["detected"] and processed.get("crisis")["source"] == "lexicon"
    assert processed.get("intent_ranking")[1]["name"] == "legal_domestic_violence"


def test_crisis_raised_even_over_a_fallback(tmp_path):
    unsure = [{"name": "greet", "confidence": 0.05}]  # below the threshold: the classifier falls back
    (processed,) = decided(tmp_path, [message("我不想活了", "greet", unsure)], detector(tmp_path))
    assert processed.get("intent")["name"] == "crisis_self_harm"


def test_negated_crisis_prediction_is_withdrawn_to_the_next_intent(tmp_path):
    ranking = [
        {"name": "crisis_self_harm", "confidence": 0.5},
        {"name": "care_mental_health", "confidence": 0.4},
    ]
    (processed,) = decided(tmp_path, [message("我没有想自杀", "crisis_self_harm", ranking)],
                           detector(tmp_path, model_threshold=0.99))
    assert processed.get("crisis")["detected"] is False
    assert processed.get("intent")["name"] == "care_mental_health"
    assert processed.get("crisis")["phrases"][0]["negated"] is True


def test_withdrawn_crisis_with_no_confident_alternative_falls_back(tmp_path):
    ranking = [{"name": "crisis_self_harm", "confidence": 0.95}, {"name": "greet", "confidence": 0.01}]
    (processed,) = decided(tmp_path, [message("我没有想自杀", "crisis_self_harm", ranking)],
                           detector(tmp_path, model_threshold=0.99))
    assert processed.get("intent")["name"] == "nlu_fallback"


def test_calm_message_is_left_alone(tmp_path):
    (processed,) = decided(tmp_path, [message("抚养费怎么算", "legal_family_property")], detector(tmp_path))
    assert processed.get("intent")["name"] == "legal_family_property"
    assert processed.get("crisis")["detected"] is False


def test_a_fallback_caused_by_a_ruled_out_crisis_candidate_is_undone(tmp_path):
    ranking = [  # the two best are closer than the ambiguity threshold: the classifier falls back
        {"name": "crisis_child_danger", "confidence": 0.375},
        {"name": "legal_child_protection", "confidence": 0.37},
        {"name": "greet", "confidence": 0.02},
    ]
    (processed,) = decided(tmp_path, [message("我朋友的侄子以前被继父打过，还能追究吗", "crisis_child_danger", ranking)],
                           detector(tmp_path, model_threshold=0.99))
    assert processed.get("intent")["name"] == "legal_child_protection"


def test_a_fallback_for_other_reasons_stands(tmp_path):
    ranking = [{"name": "greet", "confidence": 0.05}, {"name": "thanks", "confidence": 0.045}]
    (processed,) = decided(tmp_path, [message("嗯嗯那个", "greet", ranking)], detector(tmp_path, model_threshold=0.99))
    assert processed.get("intent")["name"] == "nlu_fallback"


def test_a_place_only_answer_needs_the_lexicon_not_the_model_to_become_a_crisis(tmp_path):
    eager = detector(tmp_path, model_threshold=0.0)  # the model alone would flag everything

    def place_only(text):
        flagged = message(text, "inform_place")
        flagged.set(ONLY_A_PLACE, True)
        return flagged

    (place,) = decided(tmp_path, [place_only("我在顺德")], eager)
    assert place.get("intent")["name"] == "inform_place" and not place.get("crisis")["detected"]
    (danger,) = decided(tmp_path, [place_only("救命 他在打我")], eager)
    assert danger.get("intent")["name"] == "crisis_violence"
    (classified,) = decided(tmp_path, [message("我在厕所躲着", "inform_place")], eager)  # the classifier's guess is not enough
    assert classified.get("intent")["name"].startswith("crisis_")


# ---- rules (moved from test_intent_override.py) ----------------------------------------

def test_the_overruling_intent_goes_on_top_and_the_ranking_keeps_no_duplicate(tmp_path):
    office, *_ = build(OfficeRequestDetector, tmp_path / "office")
    overruled = message("顺德区妇联电话", "legal_aid", [{"name": "legal_aid", "confidence": 0.6},
                                                   {"name": "find_office", "confidence": 0.3}])
    (overruled,) = decided(tmp_path, [overruled], office)
    assert overruled.get("intent") == {"name": "find_office", "confidence": 1.0}
    assert [r["name"] for r in overruled.get("intent_ranking")] == ["find_office", "legal_aid"]


# ---- the order ------------------------------------------------------------------------

def test_a_crisis_wins_over_a_request_for_cases(tmp_path):
    cases, *_ = build(CaseRequestDetector, tmp_path / "cases")
    (processed,) = decided(tmp_path, [message("救命 他在打我 有没有案例", "legal_domestic_violence")],
                           cases, detector(tmp_path, model_threshold=0.99))
    assert [r["name"] for r in processed.get("intent_ranking")[:3]] == ["crisis_violence", "ask_case",
                                                                        "legal_domestic_violence"]


def test_a_question_for_the_office_wins_over_a_request_for_cases(tmp_path):
    cases, *_ = build(CaseRequestDetector, tmp_path / "cases")
    office, *_ = build(OfficeRequestDetector, tmp_path / "office")
    (processed,) = decided(tmp_path, [message("妇联地址在哪里，有没有案例", "legal_aid")], cases, office)
    assert [r["name"] for r in processed.get("intent_ranking")] == ["find_office", "ask_case", "legal_aid"]


def test_an_unsure_classifier_leaves_the_fallback_under_a_rule_intent(tmp_path):
    cases, *_ = build(CaseRequestDetector, tmp_path / "cases")
    ranking = [{"name": "legal_divorce", "confidence": 0.3}, {"name": "legal_family_property", "confidence": 0.295}]
    (processed,) = decided(tmp_path, [message("有没有离婚的案例", "legal_divorce", ranking)], cases)
    assert [r["name"] for r in processed.get("intent_ranking")] == ["ask_case", "nlu_fallback", "legal_divorce",
                                                                    "legal_family_property"]


def test_one_threshold_decides_both_the_fallback_and_a_ruled_out_crisis(tmp_path):
    calm = [{"name": "legal_divorce", "confidence": 0.4}, {"name": "greet", "confidence": 0.1}]
    ruled_out = [{"name": "crisis_self_harm", "confidence": 0.5}] + calm
    strict = detector(tmp_path, model_threshold=0.99)
    for threshold, expected in ((0.3, "legal_divorce"), (0.45, "nlu_fallback")):
        plain, crisis = decided(tmp_path, [message("想离婚", "legal_divorce", calm),
                                           message("我没有想自杀", "crisis_self_harm", ruled_out)],
                                strict, threshold=threshold)
        assert plain.get("intent")["name"] == crisis.get("intent")["name"] == expected


def test_the_decision_is_the_last_component_and_the_thresholds_live_only_there():
    pipeline = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    assert pipeline[-1]["name"] == "nlu.intent_decision.IntentDecision"
    assert {"threshold", "ambiguity_threshold"} <= set(pipeline[-1])
    assert not any(c["name"] == "FallbackClassifier" for c in pipeline)
    assert not any("threshold" in key and "fallback" in key for c in pipeline[:-1] for key in c)


def test_only_the_classifier_and_the_decision_set_the_intent():
    setters = {path.name for path in (ROOT / "nlu").glob("*.py")
               if re.search(r"\.set\(\s*INTENT\b", path.read_text(encoding="utf-8"))}
    assert setters == {"intent_ensemble.py", "intent_decision.py"}


# ---- safe exit --------------------------------------------------------------------------

def test_an_exit_command_is_safe_exit_whatever_the_classifier_guessed(tmp_path):
    guesses = [("安全退出", [{"name": "nlu_fallback", "confidence": 0.1}]),
               ("我要安全退出", [{"name": "request_human", "confidence": 0.11}]),
               ("他过来了,快删", [{"name": "crisis_violence", "confidence": 0.4}])]  # normalised, as the decision reads it
    for text, ranking in guesses:
        (processed,) = decided(tmp_path, [message(text, ranking[0]["name"], ranking)])
        assert processed.get("intent") == {"name": "safe_exit", "confidence": 1.0}, text


def test_danger_still_comes_before_an_exit_command(tmp_path):
    (processed,) = decided(tmp_path, [message("他拿着刀冲过来了 快删", "safe_exit")], detector(tmp_path))
    assert processed.get("intent")["name"] == "crisis_violence"


def test_her_fear_that_he_sees_the_chat_is_safe_exit_when_the_classifier_is_unsure(tmp_path):
    unsure = [{"name": "legal_domestic_violence", "confidence": 0.07}, {"name": "greet", "confidence": 0.06}]
    (processed,) = decided(tmp_path, [message("佢睇唔睇到㗎", "legal_domestic_violence", unsure)])
    assert processed.get("intent")["name"] == "safe_exit"


def test_her_fear_that_he_sees_the_chat_is_safe_exit_when_the_classifier_knows_no_reading(tmp_path):
    text = "我老公成日偷看我电话,佢会唔会见到我同你倾偈"
    for ranking in ([{"name": "nlu_fallback", "confidence": 0.88}, {"name": "greet", "confidence": 0.02}],
                    [{"name": "crisis_violence", "confidence": 0.12}, {"name": "greet", "confidence": 0.02}]):
        (processed,) = decided(tmp_path, [message(text, ranking[0]["name"], ranking)])
        assert processed.get("intent")["name"] == "safe_exit"


def test_a_longer_unsure_message_that_mentions_being_seen_is_not_taken_for_the_chat(tmp_path):
    unsure = [{"name": "care_mental_health", "confidence": 0.07}, {"name": "greet", "confidence": 0.06}]
    text = "最近总担心别人看到我手上的伤疤 出门都穿长袖"
    (processed,) = decided(tmp_path, [message(text, "care_mental_health", unsure)])
    assert processed.get("intent")["name"] == "nlu_fallback"


def test_a_clear_question_with_a_fear_of_being_read_keeps_its_intent(tmp_path):
    ranking = [{"name": "legal_divorce", "confidence": 0.8}, {"name": "greet", "confidence": 0.05}]
    (processed,) = decided(tmp_path, [message("我怕他看到 离婚要准备什么材料", "legal_divorce", ranking)])
    assert processed.get("intent")["name"] == "legal_divorce"


def test_a_question_with_an_exit_word_keeps_its_intent(tmp_path):
    ranking = [{"name": "care_volunteer", "confidence": 0.8}]
    (processed,) = decided(tmp_path, [message("我想退出志愿者", "care_volunteer", ranking)])
    assert processed.get("intent")["name"] == "care_volunteer"


def test_a_continuation_code_is_continue_case_whatever_the_classifier_guessed(tmp_path):
    guesses = [("接续码 7KQ2M-XD94P", "grid_bind"), ("7kq2m-xd94p", "nlu_fallback"),
               ("我的接續碼是7KQ2MXD94P", "legal_divorce")]
    for text, guess in guesses:
        (processed,) = decided(tmp_path, [message(text, guess, [{"name": guess, "confidence": 0.6}])])
        assert processed.get("intent") == {"name": "continue_case", "confidence": 1.0}, text


def test_the_word_without_a_code_asks_for_one(tmp_path):
    (processed,) = decided(tmp_path, [message("给我一个接续码", "grid_bind", [{"name": "grid_bind", "confidence": 0.5}])])
    assert processed.get("intent")["name"] == "ask_continuation_code"


def test_danger_comes_before_a_continuation_code(tmp_path):
    (processed,) = decided(tmp_path, [message("接续码 7KQ2M-XD94P 他拿着刀冲过来了", "continue_case")],
                           detector(tmp_path))
    assert processed.get("intent")["name"] == "crisis_violence"


def test_her_wish_to_go_on_in_another_app_asks_for_a_code_and_a_payment_by_wechat_does_not(tmp_path):
    sure = [{"name": "legal_fraud", "confidence": 0.7}, {"name": "greet", "confidence": 0.05}]
    (moving,) = decided(tmp_path, [message("我想换到微信上继续聊", "legal_fraud", sure)])
    (paid,) = decided(tmp_path, [message("都是微信转的", "legal_fraud", sure)])
    assert moving.get("intent")["name"] == "ask_continuation_code"
    assert paid.get("intent")["name"] == "legal_fraud"
