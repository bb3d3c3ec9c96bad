"""Erasing her conversation: every store loses her rows and nobody else's, the report says
what went where, and the erasure is in the audit log without her words."""
from __future__ import annotations

from sqlalchemy import select

from routing import audit, erase
from routing.models import ArchivedEvent, Handoff
from routing.retention import RetentionSettings
from tests.routing.her_data_factory import archived, days_ago, handoff
from tests.routing.her_stores_builder import HerStores

HER, OTHER = "telegram-5550001", "telegram-5550002"


def _scene(sessions, tmp_path):
    stores = HerStores(tmp_path / "var")
    for sender in (HER, OTHER):
        archived(sessions, sender, days_ago(1))
        stores.conversation(sender, days_ago(1))
        handoff(sessions, sender, days_ago(1), contact="13800000000")
    stores.outbox_request(HER, days_ago(1), delivered=False)
    return stores, RetentionSettings(var_dir=stores.var)


def test_her_conversation_is_erased_in_every_store_and_only_hers(sessions, tmp_path):
    stores, settings = _scene(sessions, tmp_path)
    report = erase.erase_conversation(sessions, HER, actor="root", settings=settings)
    assert report.stores["routing-db"] == {"handoffs": 1, "handoff_messages": 1, "handoff_events": 1,
                                           "archived_events": 1}
    assert report.stores["rasa-tracker"] == {"events": 1}
    assert report.stores["action-outbox"] == {"handoff_requests": 1, "forwarded_messages": 1}
    assert report.stores["telegram"] == {"chat_messages": 1, "undelivered": 1}
    assert report.stores["log-files"] == {"lines": 1}
    with sessions() as db:
        assert set(db.scalars(select(Handoff.conversation_id))) == {OTHER}
        assert set(db.scalars(select(ArchivedEvent.conversation_id))) == {OTHER}
        entry = audit.recent(db, action=erase.ERASE_ACTION)[0]
    assert entry.actor == "root" and entry.target == f"conversation:{HER}"
    assert "他又打我了" not in (entry.after or "") and audit.values(entry.after)["rasa-tracker"] == {"events": 1}
    for name, table, column in (("tracker.db", "events", "sender_id"), ("events.db", "events", "sender_id"),
                                ("telegram.db", "undelivered", "chat_id"), ("safe_exit.db", "code_words",
                                                                             "conversation_id")):
        assert stores.count(name, table, f"{column} = ?", (HER,)) == 0, name
        assert stores.count(name, table, f"{column} = ?", (OTHER,)) == 1, name
    log = (stores.var / "logs" / "actions.log").read_text(encoding="utf-8")
    assert HER not in log and OTHER in log


def test_a_dry_run_erases_nothing_and_records_nothing(sessions, tmp_path):
    stores, settings = _scene(sessions, tmp_path)
    report = erase.erase_conversation(sessions, HER, actor="root", settings=settings, dry_run=True)
    assert report.stores["rasa-event-broker"] == {"events": 1}
    assert stores.count("tracker.db", "events", "sender_id = ?", (HER,)) == 1
    with sessions() as db:
        assert audit.recent(db, action=erase.ERASE_ACTION) == []
        assert HER in set(db.scalars(select(Handoff.conversation_id)))


def test_a_short_id_leaves_the_logs_alone_and_says_so(sessions, tmp_path):
    stores, settings = _scene(sessions, tmp_path)
    report = erase.erase_conversation(sessions, "h1", actor="root", settings=settings)
    assert report.stores["log-files"] == {} and any("log lines" in line for line in report.lines())
