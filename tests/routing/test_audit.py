"""The audit log: one small call leaves who, what, when, and the values before and after."""
from routing import audit, auth


def test_an_entry_keeps_who_what_when_and_the_values_before_and_after(sessions):
    with sessions() as db, db.begin():
        admin = auth.create_user(db, username="root", password="a-long-password", role="admin", title="管理员")
        audit.record(db, admin, "user.disable", "user:lawyer1", {"disabled": False}, {"disabled": True})
        audit.record(db, "system", "sla.update", "sla", {"normal_minutes": 2880}, {"normal_minutes": 1440})
    with sessions() as db:
        newest, older = audit.recent(db)
        assert (newest.actor, newest.action, newest.target) == ("system", "sla.update", "sla")
        assert audit.values(newest.after) == {"normal_minutes": 1440}
        assert (older.actor, audit.values(older.before), audit.values(older.after)) == (
            "root", {"disabled": False}, {"disabled": True})
        assert older.at is not None and older.at <= newest.at


def test_entries_are_narrowed_by_actor_and_action_and_paged(sessions):
    with sessions() as db, db.begin():
        for index in range(5):
            audit.record(db, "root" if index % 2 else "boss", "user.update" if index < 3 else "canned.delete",
                         f"user:{index}")
    with sessions() as db:
        assert [e.target for e in audit.recent(db, actor="boss")] == ["user:4", "user:2", "user:0"]
        assert [e.target for e in audit.recent(db, action="canned.")] == ["user:4", "user:3"]
        assert [e.target for e in audit.recent(db, limit=2, offset=2)] == ["user:2", "user:1"]


def test_values_that_are_not_json_types_are_kept_as_text_and_long_ones_are_cut(sessions):
    from datetime import datetime, timezone

    with sessions() as db, db.begin():
        entry = audit.record(db, "root", "handoff.resolve", "handoff:x",
                             {"at": datetime(2026, 11, 30, tzinfo=timezone.utc)}, {"note": "很长" * 5000})
        assert "2026-11-30" in entry.before and len(entry.after) == audit.MAX_VALUE_CHARS
