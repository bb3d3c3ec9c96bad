"""The drill's template set covers every source and area, some urgent, some left for triage;
the runs are summed up by their median."""
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


def a_run(per_second: float, passed: bool = True) -> dict:
    return {"reports_per_second": per_second, "p50_ms": 80.0, "p95_ms": 100.0, "server_cpu_ms_per_report": 3.5,
            "machine_load_average": 1.0, "passed": passed}


def test_the_median_run_is_reported_with_every_run_and_the_slowest():
    figures = bench.combined([a_run(260.0), a_run(190.0), a_run(240.0)])
    assert figures["reports_per_second"] == 240.0 and figures["target_200_per_second_met"]
    assert figures["slowest_run_reports_per_second"] == 190.0
    assert [run["reports_per_second"] for run in figures["runs"]] == [260.0, 190.0, 240.0]


def test_one_run_that_lost_a_report_fails_the_benchmark_however_fast():
    figures = bench.combined([a_run(260.0), a_run(250.0, passed=False), a_run(240.0)])
    assert not figures["passed"]
    assert not bench.combined([a_run(150.0), a_run(199.0), a_run(260.0)])["target_200_per_second_met"]
