import pytest
import yaml

from assistant_contract.areas import AREAS
from bot.taxonomy import Taxonomy, load_taxonomy
from tests.conftest import PROJECT_ROOT


def test_every_domain_intent_is_in_the_taxonomy_and_back():
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    payload_only = {"choose_area", "choose_faq", "show_case", "feedback", "expert_reply", "handoff_closed",
                    "share_location"}
    assert set(domain["intents"]) - payload_only == set(load_taxonomy().intent_names)


def test_each_area_has_routable_topics_and_crisis_intents_are_marked():
    taxonomy = load_taxonomy()
    for category in AREAS:
        assert len(taxonomy.topics_in(category)) >= 4
    assert taxonomy.is_crisis("crisis_self_harm") and taxonomy.category_of("crisis_self_harm") == "care"
    assert not taxonomy.is_crisis("legal_domestic_violence")


def test_non_service_intents_have_no_category():
    taxonomy = load_taxonomy()
    for intent in ("greet", "request_human", "find_office", "ticket_status", "out_of_scope", "nlu_fallback", None):
        assert taxonomy.category_of(intent) is None


def test_unknown_category_is_rejected():
    with pytest.raises(ValueError, match="unknown category"):
        Taxonomy.from_dict({"intents": {"x": {"category": "sports"}}})


def test_an_ambiguous_fallback_inside_one_area_keeps_the_area():
    taxonomy = load_taxonomy()
    ranking = [{"name": "nlu_fallback"}, {"name": "legal_child_protection"}, {"name": "legal_domestic_violence"}]
    assert taxonomy.category_of_parse({"intent": {"name": "nlu_fallback"}, "intent_ranking": ranking}) == "legal"
    mixed = [{"name": "nlu_fallback"}, {"name": "legal_divorce"}, {"name": "care_mental_health"}]
    assert taxonomy.category_of_parse({"intent": {"name": "nlu_fallback"}, "intent_ranking": mixed}) is None
    assert taxonomy.category_of_parse({"intent": {"name": "startup_finance"}}) == "entrepreneurship"
