"""Pages of GET /api/v1/handoffs: a plain list as before, `limit` (50, at most 200) and the
next page in the Link header; each visible handoff exactly once, soonest due first."""
import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from routing import lifecycle
from routing.models import Handoff, User
from tests.routing import console_support
from tests.routing.console_support import PASSWORD

# the console fixtures (tests/routing/console_support.py)
console_app = console_support.console_app
relay = console_support.relay
tracker = console_support.tracker


@pytest.fixture
def client(console_app):
    return TestClient(console_app)


def token(client: TestClient, username: str) -> dict:
    response = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def opened(sessions, count: int, category: str = "legal", prefix: str = "woman", same_due: bool = False,
           later_by: timedelta = timedelta(0)) -> list:
    """`count` handoffs nobody holds; due one minute apart (or all at once), the first `later_by` late."""
    with sessions() as db, db.begin():
        for expert in db.query(User).filter(User.role == "expert"):
            expert.available = False
        ids = []
        for number in range(count):
            request = lifecycle.NewHandoff(conversation_id=f"{prefix}-{number}", channel="rest", category=category,
                                           intent=None, urgent=False, summary="求助")
            handoff = lifecycle.open_handoff(db, request, 48, 1)
            if not ids:
                handoff.due_at += later_by
            elif same_due:
                handoff.due_at = db.get(Handoff, ids[0]).due_at
            else:
                handoff.due_at = db.get(Handoff, ids[-1]).due_at + timedelta(minutes=1)
            db.flush()
            ids.append(handoff.id)
        return ids


def next_url(response) -> str:
    match = re.fullmatch(r'<([^>]+)>; rel="next"', response.headers.get("link", ""))
    return match.group(1) if match else ""


def every_page(client: TestClient, url: str, headers: dict) -> list:
    pages = []
    while url:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, response.text
        pages.append([handoff["id"] for handoff in response.json()])
        url = next_url(response)
    return pages


def test_a_short_list_is_one_page_without_a_link(client, sessions):
    opened(sessions, 3)
    response = client.get("/api/v1/handoffs", headers=token(client, "staff"))
    assert len(response.json()) == 3 and "link" not in response.headers


@pytest.mark.parametrize("same_due", [False, True])
def test_pages_follow_the_link_and_hold_every_handoff_once_in_due_order(client, sessions, same_due):
    ids = opened(sessions, 7, same_due=same_due)
    pages = every_page(client, "/api/v1/handoffs?limit=3", token(client, "staff"))
    assert [len(page) for page in pages] == [3, 3, 1]
    listed = [handoff_id for page in pages for handoff_id in page]
    assert sorted(listed) == sorted(ids) and len(set(listed)) == 7
    if not same_due:
        assert listed == ids  # soonest due first


def test_the_next_link_keeps_the_filters_and_the_limit(client, sessions):
    legal = opened(sessions, 5)
    opened(sessions, 4, category="care", prefix="care")
    first = client.get("/api/v1/handoffs?category=legal&limit=2", headers=token(client, "staff"))
    link = next_url(first)
    assert link.startswith("/api/v1/handoffs?") and "category=legal" in link and "limit=2" in link
    pages = every_page(client, "/api/v1/handoffs?category=legal&limit=2", token(client, "staff"))
    assert [handoff_id for page in pages for handoff_id in page] == legal


def test_an_expert_pages_through_her_department_only_past_many_she_may_not_see(client, sessions):
    opened(sessions, 150)  # legal, due first: the counsellor may not see them
    care = opened(sessions, 3, category="care", prefix="care", later_by=timedelta(days=1))
    pages = every_page(client, "/api/v1/handoffs?limit=2", token(client, "counsellor"))
    assert pages == [care[:2], care[2:]]


def test_fifty_by_default_and_two_hundred_at_most(client, sessions):
    opened(sessions, 52)
    staff = token(client, "staff")
    first = client.get("/api/v1/handoffs", headers=staff)
    assert len(first.json()) == 50 and next_url(first)
    assert len(client.get("/api/v1/handoffs?limit=200", headers=staff).json()) == 52
    for limit in (0, 201, "many"):
        assert client.get(f"/api/v1/handoffs?limit={limit}", headers=staff).status_code == 422


@pytest.mark.parametrize("cursor", ["garbage", "bm90IGEgY3Vyc29y", "MjAyNi0wMS0wMQ", "x" * 300])
def test_a_cursor_the_api_did_not_write_is_a_clear_422(client, sessions, cursor):
    response = client.get(f"/api/v1/handoffs?after={cursor}", headers=token(client, "staff"))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "after"]
