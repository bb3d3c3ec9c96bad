"""The intent taxonomy: every intent she can type, its service area, and which mean danger now."""
import pytest

from assistant_contract.areas import AREAS
from assistant_contract.catalogue.taxonomy import Taxonomy


@pytest.fixture(scope="module")
def taxonomy():
    return Taxonomy.from_file()


def test_each_area_has_routable_topics_and_crisis_intents_are_marked(taxonomy):
    for category in AREAS:
        assert len(taxonomy.topics_in(category)) >= 4
    assert taxonomy.is_crisis("crisis_self_harm") and taxonomy.category_of("crisis_self_harm") == "care"
    assert not taxonomy.is_crisis("legal_domestic_violence")
    assert all(not info.crisis for category in AREAS for info in taxonomy.topics_in(category))


def test_non_service_intents_have_no_category(taxonomy):
    for intent in ("greet", "request_human", "find_office", "ticket_status", "out_of_scope", "nlu_fallback", None):
        assert taxonomy.category_of(intent) is None


def test_every_intent_has_a_title_or_says_what_it_covers(taxonomy):
    assert all(taxonomy.info(name).title or taxonomy.info(name).covers for name in taxonomy.intent_names)
    assert taxonomy.info("legal_divorce").category == "legal" and "legal_divorce" in taxonomy
    assert taxonomy.info("not_an_intent") is None and "not_an_intent" not in taxonomy


def test_unknown_category_is_rejected():
    with pytest.raises(ValueError, match="unknown category"):
        Taxonomy.from_dict({"intents": {"x": {"category": "sports"}}})
