"""Retention: what is older than its kind's setting goes from every store at once; what is
newer, open, or still waiting to be delivered stays; a dry run counts and removes nothing."""
from __future__ import annotations

import os
from datetime import timezone

from sqlalchemy import func, select

from routing import retention
from routing.models import ArchivedEvent, Handoff, HandoffMessage
from routing.retention import RetentionSettings
from tests.routing.her_data_factory import NOW, archived, days_ago, handoff
from tests.routing.her_stores_builder import HerStores


def _scene(sessions, tmp_path):
    stores = HerStores(tmp_path / "var")
    for sender, age in (("old-woman-1", 200), ("recent-woman-2", 10), ("closed-old-3", 200), ("open-old-4", 300),
                        ("closed-new-5", 300)):
        archived(sessions, sender, days_ago(age))
        stores.conversation(sender, days_ago(age))
    ids = {"closed-old-3": handoff(sessions, "closed-old-3", days_ago(210), closed=days_ago(200)),
           "open-old-4": handoff(sessions, "open-old-4", days_ago(300)),
           "closed-new-5": handoff(sessions, "closed-new-5", days_ago(300), closed=days_ago(10))}
    stores.outbox_request("closed-new-5", days_ago(300), delivered=True)
    stores.outbox_request("open-old-4", days_ago(300), delivered=False)  # still waits for the backend
    settings = RetentionSettings(var_dir=stores.var)
    return stores, ids, settings


def _archived_senders(sessions):
    with sessions() as db:
        return set(db.scalars(select(ArchivedEvent.conversation_id).distinct()))


def test_a_dry_run_counts_per_store_and_removes_nothing(sessions, tmp_path):
    stores, ids, settings = _scene(sessions, tmp_path)
    report = retention.run(sessions, settings, dry_run=True, now=NOW)
    assert report.stores["routing-db"]["handoffs"] == 1
    assert report.stores["routing-db"]["archived_events"] == 2  # old-woman-1 and closed-old-3
    assert report.stores["rasa-tracker"] == {"events": 2}
    assert report.stores["rasa-event-broker"] == {"events": 2}
    assert report.stores["telegram"]["chat_messages"] == 2
    assert report.stores["safe-exit"] == {"code_words": 2}
    assert "would remove" in report.lines()[0]
    assert _archived_senders(sessions) == {"old-woman-1", "recent-woman-2", "closed-old-3", "open-old-4",
                                           "closed-new-5"}
    assert stores.count("tracker.db", "events") == 5


def test_old_closed_conversations_go_everywhere_and_the_rest_stays(sessions, tmp_path):
    stores, ids, settings = _scene(sessions, tmp_path)
    report = retention.run(sessions, settings, now=NOW)
    assert report.total > 0
    with sessions() as db:
        assert set(db.scalars(select(Handoff.id))) == {ids["open-old-4"], ids["closed-new-5"]}
        assert db.scalar(select(func.count()).where(HandoffMessage.handoff_id == ids["closed-old-3"])) == 0
    assert _archived_senders(sessions) == {"recent-woman-2", "open-old-4", "closed-new-5"}
    for name, table, column in (("tracker.db", "events", "sender_id"), ("events.db", "events", "sender_id"),
                                ("telegram.db", "chat_messages", "chat_id"),
                                ("safe_exit.db", "code_words", "conversation_id"),
                                ("handoff_requests.db", "forwarded_messages", "conversation_id")):
        assert stores.count(name, table, f"{column} IN ('old-woman-1', 'closed-old-3')") == 0, name
        assert stores.count(name, table, f"{column} = 'recent-woman-2'") == 1, name
    # logs: 30 days; a delivered outbox request 180 days; one still waiting stays whatever its age
    assert stores.count("telegram.db", "undelivered") == 1
    assert stores.count("handoff_requests.db", "handoff_requests") == 1
    assert stores.count("handoff_requests.db", "handoff_requests", "delivered_as IS NULL") == 1


def test_a_log_file_keeps_its_recent_lines_and_an_idle_one_goes(sessions, tmp_path):
    stores, _, settings = _scene(sessions, tmp_path)
    idle = stores.var / "logs" / "rasa.log.1"
    idle.write_text("old text line\n", encoding="utf-8")
    old = days_ago(40).timestamp()
    os.utime(idle, (old, old))
    report = retention.run(sessions, settings, now=NOW)
    assert report.stores["log-files"] == {"files": 1, "lines": 4}
    assert not idle.exists()
    lines = (stores.var / "logs" / "actions.log").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and "recent-woman-2" in lines[0]


def test_a_store_never_used_is_reported_and_not_created(sessions, tmp_path):
    settings = RetentionSettings(var_dir=tmp_path / "empty")
    report = retention.run(sessions, settings, now=NOW.astimezone(timezone.utc))
    assert report.stores["wechat"] == {} and report.total == 0
    assert not (tmp_path / "empty" / "wechat.db").exists()
