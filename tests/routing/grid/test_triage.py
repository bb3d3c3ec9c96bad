"""Reading Rasa's parse result: the area of the intent, danger from the crisis verdict."""
from __future__ import annotations

import httpx
import pytest
from assistant_contract.catalogue.taxonomy import Taxonomy

from routing.grid import triage


@pytest.fixture(scope="module")
def taxonomy():
    return Taxonomy.from_file()


def test_the_area_is_the_intents(taxonomy):
    reading = triage.read({"intent": {"name": "legal_divorce"}, "crisis": {"detected": False}}, taxonomy)
    assert reading == triage.Reading(area="legal", danger=False)


def test_a_fallback_intent_takes_the_best_ranked_one_with_an_area(taxonomy):
    result = {"intent": {"name": "nlu_fallback"}, "intent_ranking": [{"name": "nlu_fallback"},
                                                                      {"name": "startup_finance"}]}
    assert triage.read(result, taxonomy).area == "entrepreneurship"


def test_nothing_with_an_area_goes_to_care(taxonomy):
    assert triage.read({"intent": {"name": "greet"}}, taxonomy).area == triage.FALLBACK_AREA


def test_danger_comes_from_the_crisis_detector_or_a_crisis_intent(taxonomy):
    assert triage.read({"intent": {"name": "legal_divorce"}, "crisis": {"detected": True}}, taxonomy).danger
    assert triage.read({"intent": {"name": "crisis_violence"}}, taxonomy).danger
    assert not triage.read({"intent": {"name": "legal_divorce"}}, taxonomy).danger


def test_the_rasa_parser_posts_to_model_parse_and_fails_softly():
    seen = {}

    def answer(request: httpx.Request) -> httpx.Response:
        seen["url"] = str(request.url)
        return httpx.Response(200, json={"intent": {"name": "legal_divorce"}})

    parser = triage.RasaParser("http://rasa:5005/", token="t0ken")
    parser._client = httpx.Client(transport=httpx.MockTransport(answer))
    assert parser.parse("想离婚")["intent"]["name"] == "legal_divorce"
    assert seen["url"] == "http://rasa:5005/model/parse?token=t0ken"
    parser._client = httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(503)))
    with pytest.raises(triage.ParseUnavailable):
        parser.parse("想离婚")
