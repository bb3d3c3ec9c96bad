"""Her contact details are kept only with the time she agreed to give them (issue #20): a
contact that arrives without `contact_consented_at` is dropped, the request itself is kept."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from routing.api.app import create_app
from routing.models import Handoff
from routing.settings import Settings
from tests.routing.fake_relay import FakeRelay

SERVICE = {"Authorization": "Bearer service-secret-for-tests"}


@pytest.fixture
def client(sessions, database_url):
    settings = Settings(database_url=database_url, demo_mode=False, service_token="service-secret-for-tests",
                        rasa_token="rasa-token-for-the-routing-tests")
    return TestClient(create_app(settings, sessions, relay=FakeRelay(), with_console=False))


def _open(client, conversation, **extra):
    body = {"conversation_id": conversation, "channel": "telegram", "category": "legal", "intent": "legal_divorce",
            "summary": "想离婚", **extra}
    answer = client.post("/api/v1/handoffs", json=body, headers=SERVICE)
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def _stored(sessions, handoff_id):
    with sessions() as db:
        handoff = db.scalars(select(Handoff).where(Handoff.id == handoff_id)).one()
        return handoff.contact, handoff.contact_consented_at


def test_a_contact_without_her_consent_is_not_stored_but_her_request_is(client, sessions):
    handoff_id = _open(client, "woman-consent-1", contact="13812345678")
    assert _stored(sessions, handoff_id) == (None, None)


def test_a_contact_she_agreed_to_give_is_kept_with_the_time_she_agreed(client, sessions):
    handoff_id = _open(client, "woman-consent-2", contact="13812345678",
                       contact_consented_at="2026-11-30T12:00:00+00:00")
    assert _stored(sessions, handoff_id) == ("13812345678", datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc))


def test_a_consent_time_without_a_contact_records_nothing(client, sessions):
    handoff_id = _open(client, "woman-consent-3", contact_consented_at="2026-11-30T12:00:00+00:00")
    assert _stored(sessions, handoff_id) == (None, None)
