"""Reading Rasa's parse result: the area of the intent, danger from the crisis verdict; the
background worker's rounds."""
from __future__ import annotations

import httpx
import pytest
from assistant_contract.catalogue.taxonomy import Taxonomy

from routing.grid import triage
from routing.grid.settings import GridSettings
from tests.routing.grid.conftest import file, login


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


def test_reports_filed_while_a_woken_worker_gathers_are_read_in_one_round(client, app, fake_rasa, sessions,
                                                                          monkeypatch):
    rounds = []

    def counted_round(*args, **kwargs):
        rounds.append(real_round(*args, **kwargs))
        return rounds[-1]

    real_round = triage.run_round
    monkeypatch.setattr(triage, "run_round", counted_round)
    grid = app.state.grid
    grid.worker = triage.TriageWorker(sessions, fake_rasa, grid.taxonomy, GridSettings(triage_gather_seconds=1.0),
                                      (48, 1))
    worker = login(client, "worker")
    filed = [file(client, worker, text=f"她想创业开网店，第{number}次来问贷款") for number in range(4)]
    grid.worker.wait_idle()
    assert rounds == [4] and fake_rasa.calls == 4  # each filing woke it; one read, one write
    for report in filed:
        assert client.get(f"/api/v1/grid/reports/{report['id']}", headers=worker).json()["area"] == "entrepreneurship"
