"""The drill's template set covers every source and area, some urgent, some left for triage."""
from __future__ import annotations

from assistant_contract.areas import AREAS
from assistant_contract.grid import SOURCES

from routing.grid import bench


def test_the_drill_is_varied_and_well_formed():
    people = {"workers": [("T01V01G1-01", "chat-1"), ("T02V01G1-01", "chat-2")],
              "towns": {"T01": "token-1", "T02": "token-2"}}
    items = bench.drill(people)
    bodies = [body for body, _headers, _town in items]
    assert len(items) == bench.DRILL_SIZE == 3385
    assert {body["source"] for body in bodies} == set(SOURCES)
    assert {area for _subject, area, _text in bench.TEMPLATES} == set(AREAS)
    assert any(body["urgency"] == "urgent" for body in bodies) and any("area" not in body for body in bodies)
    orders = [body["work_order_no"] for body in bodies if "work_order_no" in body]
    assert len(orders) == len(set(orders))
    assert all(body.get("no_consent_reason") for body in bodies if not body["consent"])
    assert all(town == body["grid_code"][:3] for body, _headers, town in items)


def test_requests_group_a_batch_by_caller():
    items = [({"n": 1}, {"Authorization": "a"}, "T01"), ({"n": 2}, {"Authorization": "b"}, "T01"),
             ({"n": 3}, {"Authorization": "a"}, "T01")]
    assert bench.requests_of(items, 1) == [([0], {"Authorization": "a"}), ([1], {"Authorization": "b"}),
                                           ([2], {"Authorization": "a"})]
    assert sorted(bench.requests_of(items, 10)) == [([0, 2], {"Authorization": "a"}), ([1], {"Authorization": "b"})]
