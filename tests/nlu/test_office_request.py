import pytest

from nlu.findings import ONLY_A_PLACE
from nlu.intent_decision import IntentDecision
from nlu.office_request import OfficeRequestDetector
from nlu.place_extractor import PlaceExtractor
from tests.nlu.components import build, message


@pytest.fixture
def pipeline(tmp_path):
    extractor, *_ = build(PlaceExtractor, tmp_path / "a")
    detector, *_ = build(OfficeRequestDetector, tmp_path / "b")
    decision, *_ = build(IntentDecision, tmp_path / "c")
    return lambda text, intent: decision.process(detector.process(extractor.process([message(text, intent)])))[0]


@pytest.mark.parametrize("text", ["顺德区妇联电话多少", "离我最近的妇联在哪里", "妇联的地址是什么", "市妇联几点上班", "怎么联系当地妇联",
                                  "找组织", "我想找下组织"])
def test_where_is_the_federation_questions_become_find_office(pipeline, text):
    processed = pipeline(text, "legal_aid")
    assert processed.get("intent")["name"] == "find_office"
    assert processed.get("intent_ranking")[1]["name"] == "legal_aid"


@pytest.mark.parametrize("text", ["我在顺德", "顺德", "天河区这边", "住在韶关乐昌呢", "我是在白云"])
def test_a_bare_place_is_her_answer_to_where_are_you(pipeline, text):
    processed = pipeline(text, "nlu_fallback")
    assert processed.get("intent")["name"] == "inform_place"
    assert processed.get(ONLY_A_PLACE) is True  # nothing but a place: only the lexicon may see danger


@pytest.mark.parametrize("text, intent", [
    ("我在顺德，老公打我", "legal_domestic_violence"), ("妇联最近有什么活动", "care_volunteer"),
    ("妇联能帮我找上班的工作吗", "job_seeking"), ("顺德有什么创业补贴", "startup_finance"),
])
def test_messages_that_say_more_keep_their_intent(pipeline, text, intent):
    assert pipeline(text, intent).get("intent")["name"] == intent


def test_a_rules_file_with_its_filler_words_written_as_one_string_is_refused(tmp_path):
    rules = tmp_path / "place_rules.yml"
    rules.write_text("ambiguous_short_names: []\nqualified_only: []\ncues_before: []\ncues_after: []\n"
                     "filler_words: 我在这边\n", encoding="utf-8")
    with pytest.raises(ValueError, match="place_rules.yml: 'filler_words' must be a list"):
        OfficeRequestDetector({"patterns": [], "rules_path": str(rules)})
