"""The activities API for the assistant (routing/api/routes/activities.py)."""
import threading

import pytest
from fastapi.testclient import TestClient

from routing.api.app import create_app
from routing.settings import Settings

SERVICE = {"Authorization": "Bearer service-secret-for-tests"}
FAIR = "activity.sample.mama_jobs_fair"


@pytest.fixture
def client(sessions, database_url):
    settings = Settings(database_url=database_url, demo_mode=False, service_token="service-secret-for-tests",
                        rasa_token="rasa-token-for-the-routing-tests")
    with TestClient(create_app(settings, session_factory=sessions)) as test_client:
        yield test_client


def body(conversation="woman-1", **changes):
    return {"conversation_id": conversation, "channel": "rest", "name": "陈女士", "phone": "13800138000",
            "consent": True, **changes}


def test_the_list_gives_places_left_in_china_time(client):
    listed = client.get("/api/v1/activities", params={"city": "佛山市"}, headers=SERVICE).json()
    fair = next(a for a in listed if a["id"] == FAIR)
    assert fair["places_left"] == fair["capacity"] == 200 and fair["starts_at"].endswith("+08:00")
    assert all(a["city"] in ("佛山市", "全省") for a in listed)


def test_sign_up_her_list_and_cancel(client):
    client.get("/api/v1/activities", headers=SERVICE)
    signed = client.post(f"/api/v1/activities/{FAIR}/signups", json=body(), headers=SERVICE)
    assert signed.status_code == 201 and signed.json()["activity"]["places_left"] == 199
    again = client.post(f"/api/v1/activities/{FAIR}/signups", json=body(), headers=SERVICE)
    assert again.status_code == 200 and again.json()["status"] == "already_signed_up"
    assert [a["id"] for a in client.get("/api/v1/activities/signups/woman-1", headers=SERVICE).json()] == [FAIR]
    cancelled = client.delete(f"/api/v1/activities/{FAIR}/signups/woman-1", headers=SERVICE)
    assert cancelled.status_code == 200 and cancelled.json()["activity"]["places_left"] == 200
    assert client.delete(f"/api/v1/activities/{FAIR}/signups/woman-1", headers=SERVICE).status_code == 404


@pytest.mark.parametrize("changes", [{"consent": False}, {"phone": "12345"}, {"name": ""}])
def test_no_sign_up_without_consent_or_a_real_phone(client, changes):
    client.get("/api/v1/activities", headers=SERVICE)
    assert client.post(f"/api/v1/activities/{FAIR}/signups", json=body(**changes), headers=SERVICE).status_code == 422


def test_an_unknown_activity_is_404_and_the_token_is_required(client):
    assert client.post("/api/v1/activities/activity.none/signups", json=body(), headers=SERVICE).status_code == 404
    assert client.get("/api/v1/activities").status_code == 401


def test_concurrent_requests_for_the_last_place_give_it_to_one(client, sessions):
    from routing.activity_models import Activity

    client.get("/api/v1/activities", headers=SERVICE)
    with sessions() as db, db.begin():
        db.get(Activity, FAIR).places_left = 1
    start, statuses = threading.Barrier(4), []

    def attempt(number):
        start.wait()
        statuses.append(client.post(f"/api/v1/activities/{FAIR}/signups", json=body(f"woman-{number}"),
                                    headers=SERVICE).status_code)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(statuses) == [201, 409, 409, 409]
    listed = client.get("/api/v1/activities", headers=SERVICE).json()
    assert next(a for a in listed if a["id"] == FAIR)["places_left"] == 0


def test_one_activity_by_its_id(client):
    client.get("/api/v1/activities", headers=SERVICE)
    one = client.get(f"/api/v1/activities/{FAIR}", headers=SERVICE)
    assert one.status_code == 200 and one.json()["title"] == "妈妈岗专场招聘会"
    assert client.get("/api/v1/activities/activity.none", headers=SERVICE).status_code == 404
