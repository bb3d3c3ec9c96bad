"""Pages of GET /api/v1/handoffs/{id}/notes: oldest first, `limit` at a time, the next page in
the Link header (routing/api/pagination.py id cursors)."""
import pytest
from fastapi.testclient import TestClient

from routing.api.pagination import decode_id, encode_id
from routing.console.models import HandoffNote
from routing.models import User, utcnow
from tests.routing import console_support
from tests.routing.console_support import open_handoff
from tests.routing.test_api_pagination import next_url, token

console_app = console_support.console_app
relay = console_support.relay
tracker = console_support.tracker


@pytest.fixture
def client(console_app):
    return TestClient(console_app)


def noted(sessions, count: int) -> str:
    handoff_id = open_handoff(sessions, category="legal")
    with sessions() as db, db.begin():
        author = db.query(User).filter(User.username == "boss").one()
        for number in range(count):
            db.add(HandoffNote(handoff_id=handoff_id, author_id=author.id, text=f"备注{number}", created_at=utcnow()))
    return handoff_id


def test_notes_come_a_page_at_a_time_each_once_in_the_order_written(client, sessions):
    handoff_id = noted(sessions, 5)
    headers = token(client, "boss")
    url, texts, pages = f"/api/v1/handoffs/{handoff_id}/notes?limit=2", [], 0
    while url:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, response.text
        texts += [note["text"] for note in response.json()]
        url, pages = next_url(response), pages + 1
    assert texts == [f"备注{number}" for number in range(5)] and pages == 3


def test_the_last_page_has_no_link_and_the_default_page_holds_fifty(client, sessions):
    handoff_id = noted(sessions, 3)
    response = client.get(f"/api/v1/handoffs/{handoff_id}/notes", headers=token(client, "boss"))
    assert len(response.json()) == 3 and "link" not in response.headers


@pytest.mark.parametrize("cursor", ["garbage", encode_id(1).upper(), "aWR8eA"])  # aWR8eA: "id|x"
def test_a_cursor_this_api_did_not_write_is_refused(client, sessions, cursor):
    handoff_id = noted(sessions, 1)
    response = client.get(f"/api/v1/handoffs/{handoff_id}/notes?after={cursor}", headers=token(client, "boss"))
    assert response.status_code == 422


def test_an_id_cursor_round_trips_and_rejects_anything_else():
    assert decode_id(encode_id(12345)) == 12345
    with pytest.raises(ValueError):
        decode_id("not-a-cursor")
