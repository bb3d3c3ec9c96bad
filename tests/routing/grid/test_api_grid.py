"""The grid API: filing (one, a batch, work orders, bad input), reading within one's part
of the tree, the loop's every change and its refusals, and binding a chat."""
from __future__ import annotations

import re

import pytest

from routing.grid.models import GridReport
from tests.routing.grid.conftest import SERVICE, file, login, report


def test_a_grid_worker_files_a_report_and_gets_its_number(client):
    worker = login(client, "worker")
    filed = file(client, worker, area="legal")
    assert re.fullmatch(r"WG-\d{4}-\d{6}", filed["number"])
    assert filed["status"] == "reported" and filed["area"] == "legal" and not filed["urgent"]
    detail = client.get(f"/api/v1/grid/reports/{filed['id']}", headers=worker).json()
    assert detail["events"][0]["to_status"] == "reported" and detail["events"][0]["actor"] == "worker"


def test_without_an_area_the_assistant_triages_it_after_the_answer(client, app, fake_rasa):
    worker = login(client, "worker")
    filed = file(client, worker, text="她想创业，问有没有贷款")
    assert filed["area"] is None
    app.state.grid.worker.wait_idle()
    detail = client.get(f"/api/v1/grid/reports/{filed['id']}", headers=worker).json()
    assert detail["area"] == "entrepreneurship" and detail["area_by"] == "triage"


def test_when_rasa_is_down_the_report_waits_and_is_triaged_on_a_later_round(client, app, fake_rasa, sessions):
    from routing.grid import triage

    fake_rasa.down = True
    filed = file(client, login(client, "worker"), text="孩子厌学，整天玩手机")
    app.state.grid.worker.wait_idle()
    with sessions() as db:
        waiting = db.get(GridReport, filed["id"])
        assert waiting.area is None and waiting.triage_attempts == 1 and waiting.triage_after is not None
    fake_rasa.down = False
    with sessions() as db, db.begin():
        db.get(GridReport, filed["id"]).triage_after = None  # as if the pause had passed
    grid = app.state.grid
    assert triage.run_round(sessions, fake_rasa, grid.taxonomy, grid.settings, (48, 1)) == 1
    with sessions() as db:
        assert db.get(GridReport, filed["id"]).area == "family_education"


def test_an_urgent_report_opens_an_urgent_handoff_at_once(client):
    filed = file(client, login(client, "worker"), urgency="urgent", area="legal")
    assert filed["urgent"] and filed["handoff_id"]
    admin = login(client, "root")
    handoff = client.get(f"/api/v1/handoffs/{filed['handoff_id']}", headers=admin).json()
    assert handoff["urgent"] and filed["number"] in handoff["summary"]


def test_danger_found_by_triage_makes_it_urgent_and_opens_a_handoff(client, app):
    worker = login(client, "worker")
    filed = file(client, worker, text="她丈夫正在打她，邻居听到喊救命")
    app.state.grid.worker.wait_idle()
    detail = client.get(f"/api/v1/grid/reports/{filed['id']}", headers=worker).json()
    assert detail["danger"] and detail["urgent"] and detail["handoff_id"] and detail["area"] == "legal"


@pytest.mark.parametrize("change, message", [
    ({"grid_code": "NOPE"}, "网格编码 NOPE 不存在"),
    ({"grid_code": "T01"}, "网格编码 T01 不存在"),
    ({"text": "   "}, "请写明发生了什么"),
    ({"consent": False}, "请写明原因"),
    ({"subject": "man"}, "Input should be"),
    ({"urgency": "soon"}, "Input should be"),
    ({"area": "sports"}, "Input should be"),
])
def test_bad_reports_are_refused_with_a_clear_message_and_nothing_is_stored(client, sessions, change, message):
    response = client.post("/api/v1/grid/reports", json=report(**change), headers=login(client, "worker"))
    assert response.status_code == 422 and message in response.text
    with sessions() as db:
        assert db.query(GridReport).count() == 0


def test_a_batch_is_stored_all_or_none(client, sessions):
    town = login(client, "town")
    items = [report(source="town", grid_code="T01V01G1-01"), report(source="town", grid_code="T01V02G1-02"),
             report(source="town", grid_code="T01V09G1-01")]
    response = client.post("/api/v1/grid/reports", json={"reports": items}, headers=town)
    assert response.status_code == 422 and "reports[2]" in response.text
    with sessions() as db:
        assert db.query(GridReport).count() == 0
    response = client.post("/api/v1/grid/reports", json={"reports": items[:2]}, headers=town)
    assert response.status_code == 201 and len(response.json()["reports"]) == 2


def test_a_batch_over_500_is_refused(client):
    response = client.post("/api/v1/grid/reports", json={"reports": [report()] * 501}, headers=login(client, "worker"))
    assert response.status_code == 413


def test_a_work_order_is_filed_once(client, sessions):
    order = dict(source="hotline_12345", work_order_no="12345-2026-0001", grid_code="T02V01G1-01")
    first = client.post("/api/v1/grid/reports", json=report(**order), headers=SERVICE)
    again = client.post("/api/v1/grid/reports", json=report(**order), headers=SERVICE)
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"] and again.json()["duplicate"]
    twice = client.post("/api/v1/grid/reports", json={"reports": [report(**order), report(**order)]}, headers=SERVICE)
    assert twice.status_code == 200 and {item["id"] for item in twice.json()["reports"]} == {first.json()["id"]}
    with sessions() as db:
        assert db.query(GridReport).count() == 1


def test_who_may_file_what(client, people):
    worker, town, expert = login(client, "worker"), login(client, "town"), login(client, "lawyer")
    assert client.post("/api/v1/grid/reports", json=report(grid_code="T02V01G1-01"), headers=worker).status_code == 403
    assert client.post("/api/v1/grid/reports", json=report(source="town"), headers=worker).status_code == 403
    assert client.post("/api/v1/grid/reports", json=report(source="town", grid_code="T02V01G1-01"),
                       headers=town).status_code == 403
    assert client.post("/api/v1/grid/reports", json=report(), headers=expert).status_code == 403
    assert client.post("/api/v1/grid/reports", json=report(), headers=SERVICE).status_code == 403  # not a work order
    assert client.post("/api/v1/grid/reports", json=report(reporter_conversation_id="tg-unbound"),
                       headers=SERVICE).status_code == 403
    assert client.post("/api/v1/grid/reports", json=report()).status_code == 401


def test_each_sees_only_her_part_of_the_tree(client):
    mine = file(client, login(client, "worker"), area="legal")
    theirs = file(client, login(client, "worker2"), grid_code="T02V01G1-01", area="care")
    seen = {name: {row["id"] for row in client.get("/api/v1/grid/reports", headers=login(client, name)).json()}
            for name in ("worker", "worker2", "verifier", "village", "town", "town2", "county", "root", "lawyer")}
    assert seen["worker"] == seen["verifier"] == seen["village"] == seen["town"] == {mine["id"]}
    assert seen["worker2"] == seen["town2"] == {theirs["id"]}
    assert seen["county"] == seen["root"] == {mine["id"], theirs["id"]}
    assert seen["lawyer"] == set()
    assert client.get(f"/api/v1/grid/reports/{theirs['id']}", headers=login(client, "town")).status_code == 404


def test_filters_and_pages(client):
    worker = login(client, "worker")
    for _ in range(3):
        file(client, worker, area="legal")
    file(client, login(client, "town"), source="town", area="care")
    county = login(client, "county")
    assert len(client.get("/api/v1/grid/reports?source=town", headers=county).json()) == 1
    assert len(client.get("/api/v1/grid/reports?town=T01&status=reported", headers=county).json()) == 4
    assert client.get("/api/v1/grid/reports?town=T02", headers=county).json() == []
    first = client.get("/api/v1/grid/reports?limit=3", headers=county)
    following = first.headers["link"].split(";")[0].strip("<>")
    assert len(first.json()) == 3 and len(client.get(following, headers=county).json()) == 1


def walk(client, report_id, steps):
    for who, action, body, expected in steps:
        response = client.post(f"/api/v1/grid/reports/{report_id}/{action}", json=body, headers=login(client, who))
        assert response.status_code == expected, (who, action, response.text)
    return response.json()


def test_the_whole_loop_leaves_an_event_for_every_change(client):
    filed = file(client, login(client, "worker"), area="legal")
    done = walk(client, filed["id"], [
        ("verifier", "verify", {"note": "已上门核实"}, 200),
        ("verifier", "dispatch", {"level": "town", "unit_code": "T01"}, 200),
        ("town", "start", {}, 200),
        ("town", "close", {"outcome": "已协助申请法律援助"}, 200)])
    assert done["status"] == "closed" and done["outcome"] == "已协助申请法律援助" and done["closed_at"]
    assert [(e["from_status"], e["to_status"], e["actor"]) for e in done["events"]] == [
        (None, "reported", "worker"), ("reported", "verified", "verifier"), ("verified", "dispatched", "verifier"),
        ("dispatched", "in_progress", "town"), ("in_progress", "closed", "town")]


def test_rejecting_needs_a_reason_and_ends_the_loop(client):
    filed = file(client, login(client, "worker"), area="legal")
    walk(client, filed["id"], [("verifier", "reject", {"reason": ""}, 422),
                               ("verifier", "reject", {"reason": "经核实为重复上报"}, 200),
                               ("verifier", "verify", {}, 409)])


def test_a_second_verifier_gets_an_honest_409(client):
    filed = file(client, login(client, "worker"), area="legal")
    walk(client, filed["id"], [("verifier", "verify", {}, 200)])
    response = client.post(f"/api/v1/grid/reports/{filed['id']}/verify", json={}, headers=login(client, "village"))
    assert response.status_code == 409 and "已核实" in response.json()["detail"] and "verifier" in response.json()["detail"]


def test_dispatch_goes_only_to_a_federation_above_the_grid(client):
    filed = file(client, login(client, "worker"), area="legal")
    walk(client, filed["id"], [("verifier", "verify", {}, 200),
                               ("verifier", "dispatch", {"level": "town", "unit_code": "T02"}, 422),
                               ("verifier", "dispatch", {"level": "village", "unit_code": "T01"}, 422),
                               ("verifier", "dispatch", {"level": "county"}, 422),
                               ("verifier", "dispatch", {"level": "village", "unit_code": "T01V01"}, 200)])


@pytest.mark.parametrize("who, action, body", [
    ("worker", "verify", {}), ("worker", "reject", {"reason": "x"}), ("lawyer", "verify", {}),
    ("town2", "verify", {}),
])
def test_who_may_not_verify(client, who, action, body):
    filed = file(client, login(client, "worker"), area="legal")
    response = client.post(f"/api/v1/grid/reports/{filed['id']}/{action}", json=body, headers=login(client, who))
    assert response.status_code in (403, 404)


def test_only_the_federation_it_went_to_or_above_takes_it_up_and_closes_it(client):
    filed = file(client, login(client, "worker"), area="legal")
    walk(client, filed["id"], [("verifier", "verify", {}, 200),
                               ("verifier", "dispatch", {"level": "town", "unit_code": "T01"}, 200),
                               ("verifier", "start", {}, 403), ("village", "start", {}, 403),
                               ("county", "start", {}, 200), ("town", "close", {"outcome": ""}, 422),
                               ("worker", "close", {"outcome": "好了"}, 403), ("town", "close", {"outcome": "已办结"}, 200),
                               ("town", "close", {"outcome": "again"}, 409)])


def test_binding_a_chat_with_a_one_time_code(client, people):
    admin, town = login(client, "root"), login(client, "town")
    assert client.post("/api/v1/grid/binding-codes", json={"user_id": people["worker"]}, headers=town).status_code == 403
    issued = client.post("/api/v1/grid/binding-codes", json={"user_id": people["worker"]}, headers=admin)
    assert issued.status_code == 201 and re.fullmatch(r"\d{6}", issued.json()["code"])
    body = {"code": issued.json()["code"], "channel": "telegram", "conversation_id": "tg-42"}
    assert client.post("/api/v1/grid/bindings", json=body, headers=town).status_code == 403
    bound = client.post("/api/v1/grid/bindings", json=body, headers=SERVICE)
    assert bound.status_code == 200
    assert bound.json() | {} == bound.json() and bound.json()["name"] == "worker"
    assert bound.json()["grid_code"] == "T01V01G1-01" and bound.json()["role"] == "grid_worker"
    assert client.post("/api/v1/grid/bindings", json=body | {"conversation_id": "tg-43"},
                       headers=SERVICE).status_code == 404  # used
    assert client.post("/api/v1/grid/bindings", json=body | {"code": "000000"}, headers=SERVICE).status_code == 404
    assert client.get("/api/v1/grid/bindings/tg-42", headers=SERVICE).json()["user_id"] == people["worker"]
    assert client.get("/api/v1/grid/bindings/tg-43", headers=SERVICE).status_code == 404
    filed = client.post("/api/v1/grid/reports", json=report(reporter_conversation_id="tg-42", area="care"),
                        headers=SERVICE)
    assert filed.status_code == 201
    mine = client.get("/api/v1/grid/reports", headers=login(client, "worker")).json()
    assert mine[0]["reporter_name"] == "worker"


def test_an_expired_code_is_refused(client, people, sessions):
    from datetime import timedelta

    from routing.grid.models import BindingCode
    from routing.models import utcnow

    code = client.post("/api/v1/grid/binding-codes", json={"user_id": people["worker"]},
                       headers=login(client, "root")).json()["code"]
    with sessions() as db, db.begin():
        db.get(BindingCode, code).expires_at = utcnow() - timedelta(minutes=1)
    body = {"code": code, "channel": "webchat", "conversation_id": "web-1"}
    assert client.post("/api/v1/grid/bindings", json=body, headers=SERVICE).status_code == 404


def test_the_contract_is_documented_in_openapi(client):
    document = client.get("/openapi.json").json()
    paths = document["paths"]
    for path in ("/api/v1/grid/reports", "/api/v1/grid/reports/{report_id}/verify", "/api/v1/grid/bindings",
                 "/api/v1/grid/binding-codes", "/api/v1/grid/bindings/{conversation_id}"):
        assert path in paths
    assert {"ReportIn", "BatchIn", "ReportFiled"} <= set(document["components"]["schemas"])


def test_an_urgent_report_without_an_area_reaches_its_department_once_triaged(client, app):
    filed = file(client, login(client, "worker"), urgency="urgent", text="她想离婚，丈夫威胁要带走孩子")
    app.state.grid.worker.wait_idle()
    handoff = client.get(f"/api/v1/handoffs/{filed['handoff_id']}", headers=login(client, "root")).json()
    assert handoff["category"] == "legal" and handoff["urgent"]
