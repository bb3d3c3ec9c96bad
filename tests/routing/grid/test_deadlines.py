"""Stage time limits: a reminder before a stage runs out, escalation one level up after."""
from __future__ import annotations

from datetime import timedelta

from routing.grid import deadlines
from routing.grid.models import GridReport
from routing.models import utcnow
from tests.routing.grid.conftest import file, login


def sweep_at(sessions, settings, hours_from_now):
    with sessions() as db, db.begin():
        return deadlines.sweep(db, utcnow() + timedelta(hours=hours_from_now), settings)


def events(client, report_id):
    return client.get(f"/api/v1/grid/reports/{report_id}", headers=login(client, "root")).json()["events"]


def test_a_report_waiting_for_verification_is_reminded_then_escalated_to_the_village(client, sessions,
                                                                                     grid_settings):
    filed = file(client, login(client, "worker"), area="legal")  # 24 hours to verify
    assert sweep_at(sessions, grid_settings, 1).reminded == []
    assert sweep_at(sessions, grid_settings, 19).reminded == [filed["id"]]
    assert sweep_at(sessions, grid_settings, 20).reminded == []  # once
    assert sweep_at(sessions, grid_settings, 25).escalated == [filed["id"]]
    assert sweep_at(sessions, grid_settings, 26).escalated == []  # once per stage
    with sessions() as db:
        assert db.get(GridReport, filed["id"]).escalated_to == "T01V01"
    notes = [event["note"] for event in events(client, filed["id"])]
    assert any("提醒" in note for note in notes if note) and any("已报告溪美社区督办" in note for note in notes if note)


def test_urgent_stages_are_counted_in_hours(client, sessions, grid_settings):
    filed = file(client, login(client, "worker"), area="legal", urgency="urgent")  # 2 hours to verify
    assert sweep_at(sessions, grid_settings, 3).escalated == [filed["id"]]


def test_a_late_federation_is_escalated_to_the_level_above_it(client, sessions, grid_settings):
    filed = file(client, login(client, "worker"), area="legal")
    for who, action, body in (("verifier", "verify", {}), ("verifier", "dispatch", {"level": "town", "unit_code": "T01"})):
        assert client.post(f"/api/v1/grid/reports/{filed['id']}/{action}", json=body,
                           headers=login(client, who)).status_code == 200
    sweep_at(sessions, grid_settings, grid_settings.accept_hours + 1)
    with sessions() as db:
        assert db.get(GridReport, filed["id"]).escalated_to == "NA"
    # taking it up starts a new stage with its own limit: nothing is late any more
    assert client.post(f"/api/v1/grid/reports/{filed['id']}/start", json={},
                       headers=login(client, "town")).json()["escalated_to"] is None


def test_closed_reports_are_left_alone(client, sessions, grid_settings):
    filed = file(client, login(client, "worker"), area="legal")
    client.post(f"/api/v1/grid/reports/{filed['id']}/reject", json={"reason": "重复"}, headers=login(client, "verifier"))
    result = sweep_at(sessions, grid_settings, 1000)
    assert result.escalated == [] and result.reminded == []
