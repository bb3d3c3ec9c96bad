"""Grid fixtures: the sample county, people at every level of it, an API client, and a
stand-in for Rasa's /model/parse (keywords → an intent and the crisis verdict)."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from routing import auth
from routing.api.app import create_app
from routing.grid import services, tree
from routing.grid.models import GridMember
from routing.grid.settings import GridSettings
from routing.grid.triage import ParseUnavailable
from routing.settings import Settings

SERVICE = {"Authorization": "Bearer service-secret-for-tests"}
PASSWORD = "a-long-password"
PEOPLE = [("worker", "grid_worker", "T01V01G1-01"), ("worker2", "grid_worker", "T02V01G1-01"),
          ("verifier", "grid_verifier", "T01V01G1"), ("village", "village_staff", "T01V01"),
          ("town", "town_staff", "T01"), ("town2", "town_staff", "T02"), ("county", "county_staff", "NA"),
          ("root", "admin", None), ("lawyer", "expert", None)]
KEYWORDS = [("离婚", "legal_divorce"), ("创业", "startup_finance"), ("厌学", "family_screen_study"),
            ("孤独", "care_mental_health")]


class FakeRasa:
    """Answers like Rasa's /model/parse; `down` makes it unreachable."""

    def __init__(self) -> None:
        self.down = False
        self.calls = 0

    def parse(self, text: str) -> dict:
        self.calls += 1
        if self.down:
            raise ParseUnavailable("connection refused")
        intent = next((name for word, name in KEYWORDS if word in text), "nlu_fallback")
        danger = "打" in text and "正在" in text
        return {"text": text, "intent": {"name": "crisis_violence" if danger else intent, "confidence": 0.9},
                "intent_ranking": [{"name": intent, "confidence": 0.9}],
                "crisis": {"detected": danger, "type": "violence" if danger else None}}


@pytest.fixture
def fake_rasa():
    return FakeRasa()


@pytest.fixture
def people(sessions, monkeypatch):
    from argon2 import PasswordHasher

    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    ids = {}
    with sessions() as db, db.begin():
        tree.load_file(db)
        for name, role, unit in PEOPLE:
            user = auth.create_user(db, username=name, password=PASSWORD, role=role,
                                    department_id="rights" if role == "expert" else None)
            if unit:
                db.add(GridMember(user_id=user.id, unit_code=unit))
            ids[name] = user.id
    return ids


@pytest.fixture
def grid_settings():
    return GridSettings()


@pytest.fixture
def app(sessions, database_url, people, fake_rasa, grid_settings):
    settings = Settings(database_url=database_url, demo_mode=False, service_token="service-secret-for-tests",
                        rasa_token="rasa-token-for-the-routing-tests", cookie_secure=False)
    application = create_app(settings, sessions)
    application.state.grid = services.build(settings, sessions, parser=fake_rasa, settings=grid_settings)
    return application


@pytest.fixture
def client(app):
    return TestClient(app)


def login(client, username: str) -> dict:
    response = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def report(**extra) -> dict:
    body = {"source": "patrol", "grid_code": "T01V01G1-01", "subject": "woman", "person_name": "王某",
            "place": "溪美社区3号楼", "text": "丈夫长期酗酒，她想咨询离婚", "urgency": "normal", "consent": True}
    body.update(extra)
    return body


def file(client, headers, **extra) -> dict:
    response = client.post("/api/v1/grid/reports", json=report(**extra), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()
