"""Every read of her transcript or handoff, and every export, leaves who, what and when in
the audit log, from the console and from the API alike; her words never do."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from fastapi.testclient import TestClient

from routing import audit
from tests.routing import console_support
from tests.routing.console_support import PASSWORD, login, open_handoff

console_app = console_support.console_app
relay = console_support.relay
tracker = console_support.tracker

NOW = datetime.now(timezone.utc).replace(microsecond=0)


def _entries(sessions, action):
    with sessions() as db:
        return [(entry.actor, entry.target) for entry in audit.recent(db, action=action)]


def test_console_reads_of_a_transcript_and_a_handoff_are_recorded(console_app, tracker, sessions):
    tracker.user("alice-0001", "他又打我了，电话13812345678", "legal_domestic_violence", 0.9, NOW - timedelta(days=1))
    handoff_id = open_handoff(sessions, conversation="alice-0001")
    root = login(console_app, "root")
    assert root.get("/console/transcripts/alice-0001").status_code == 200
    assert root.get(f"/console/handoffs/{handoff_id}").status_code == 200
    assert _entries(sessions, "read.transcript") == [("root", "conversation:alice-0001")]
    assert _entries(sessions, "read.handoff") == [("root", f"handoff:{handoff_id}")]
    with sessions() as db:
        assert all("13812345678" not in (entry.after or "") for entry in audit.recent(db))


def test_a_search_records_its_filters_and_an_export_its_file(console_app, tracker, sessions):
    root = login(console_app, "root")
    assert root.get("/console/transcripts", params={"keyword": "打我"}).status_code == 200
    with sessions() as db:
        search = audit.recent(db, action="read.transcript_search")[0]
    assert audit.values(search.after) == ["keyword"]
    today = NOW.date().isoformat()
    assert root.get("/console/dashboard.csv", params={"start": today, "end": today}).status_code == 200
    assert [actor for actor, _ in _entries(sessions, "export.dashboard_csv")] == ["root"]


def test_api_reads_are_recorded_with_the_reader(console_app, sessions):
    handoff_id = open_handoff(sessions, conversation="bella-0002")
    client = TestClient(console_app)
    token = client.post("/api/v1/auth/token", json={"username": "lawyer1", "password": PASSWORD}).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(f"/api/v1/handoffs/{handoff_id}", headers=headers).status_code == 200
    assert client.get("/api/v1/conversations/bella-0002/transcript", headers=headers).status_code == 200
    assert _entries(sessions, "read.handoff") == [("lawyer1", f"handoff:{handoff_id}")]
    assert _entries(sessions, "read.transcript") == [("lawyer1", "conversation:bella-0002")]


def test_an_api_list_records_which_handoffs_it_showed(console_app, sessions):
    handoff_id = open_handoff(sessions, conversation="carol-0003")
    client = TestClient(console_app)
    token = client.post("/api/v1/auth/token", json={"username": "root", "password": PASSWORD}).json()["access_token"]
    assert client.get("/api/v1/handoffs", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    with sessions() as db:
        entry = audit.recent(db, action="read.handoff_list")[0]
    assert entry.actor == "root" and audit.values(entry.after) == [handoff_id]


def test_an_api_read_is_written_only_as_its_answer_commits(sessions):
    """Written earlier, the entry would hold SQLite's write lock while the answer is prepared."""
    from sqlalchemy import func, select

    from routing import read_audit
    from routing.audit import AuditEntry

    def stored():
        with sessions() as other:
            return other.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.target == "handoff:h-1"))

    with sessions() as db:
        read_audit.noted(db, "lawyer", "handoff", "h-1", commit=False)
        db.scalar(select(func.count()).select_from(AuditEntry))  # a query meanwhile flushes nothing
        assert not db.new and stored() == 0
        db.commit()
    assert stored() == 1
    with sessions() as db:
        read_audit.noted(db, "lawyer", "handoff", "h-1", commit=False)
        db.scalar(select(func.count()).select_from(AuditEntry))  # the endpoint read, then failed
        db.rollback()  # no read to record
        db.commit()
    assert stored() == 1
