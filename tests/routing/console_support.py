"""Fixtures and helpers for the console tests: an app on the test database, users of
every role, conversations in the archive (as taken from Rasa's event broker), and logged-in clients."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from routing import auth, lifecycle
from routing.api.app import create_app
from routing.console import sessions as console_sessions
from routing.models import utcnow
from routing.settings import Settings
from tests.routing.fake_relay import FakeRelay
from tests.routing.tracker_builder import ArchiveBuilder

PASSWORD = "a-long-password"
USERS = [("lawyer1", "expert", "rights", "法律", "律师"), ("lawyer2", "expert", "rights", "法律", "律师"),
         ("counsellor", "expert", "care", "心理", "心理咨询师"), ("boss", "supervisor", None, None, "值班主管"),
         ("staff", "staff", None, None, "工作人员"), ("root", "admin", None, None, "管理员")]


@pytest.fixture
def tracker(sessions):
    return ArchiveBuilder(sessions)


@pytest.fixture
def relay():
    return FakeRelay()


@pytest.fixture
def console_app(sessions, database_url, tracker, relay, monkeypatch):
    from argon2 import PasswordHasher

    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))  # fast tests
    settings = Settings(database_url=database_url, demo_mode=False, service_token="service-secret-for-tests",
                        rasa_token="rasa-token-for-the-routing-tests", cookie_secure=False)
    with sessions() as db, db.begin():
        for username, role, department, specialty, title in USERS:
            auth.create_user(db, username=username, password=PASSWORD, role=role, department_id=department,
                             specialty=specialty, title=title)
    return create_app(settings, sessions, relay=relay)


def login(app, username: str) -> TestClient:
    client = TestClient(app, follow_redirects=False)
    page = client.get("/console/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = client.post("/console/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303, response.text
    return client


def csrf(client: TestClient) -> str:
    return console_sessions.csrf_for(client.cookies.get(console_sessions.SESSION_COOKIE))


def post(client: TestClient, url: str, **data):
    return client.post(url, data=dict(data, csrf_token=csrf(client)))


def open_handoff(sessions, conversation="woman-1", category="legal", urgent=False, summary="想离婚，孩子两岁",
                 region=None, contact=None, transcript=(), minutes_ago=0):
    with sessions() as db, db.begin():
        request = lifecycle.NewHandoff(conversation_id=conversation, channel="rest", category=category,
                                       intent="legal_divorce", urgent=urgent, summary=summary,
                                       transcript=tuple(transcript), region=region, contact=contact)
        handoff = lifecycle.open_handoff(db, request, 48, 1)
        if minutes_ago:
            handoff.created_at = utcnow() - timedelta(minutes=minutes_ago)
        return handoff.id


def version_of(sessions, handoff_id: str) -> str:
    from routing.models import Handoff

    with sessions() as db:
        return str(db.get(Handoff, handoff_id).version)
