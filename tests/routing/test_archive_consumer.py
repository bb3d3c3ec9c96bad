"""The archive's consumer: Rasa's event broker → `archived_events`, in order, each row
once, resuming where it stopped, skipping what it cannot read, a bounded round at a time.
On SQLite and PostgreSQL (the `sessions` fixture); the broker is a SQLite file as Rasa writes it."""
import json
import logging
import sqlite3
import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from routing.archive import consumer, events
from routing.archive.consumer import consume_round
from routing.archive.sources import SqlBrokerSource
from routing.console.tracker_reader import ArchiveReader
from routing.db import make_engine, make_session_factory
from routing.models import ArchiveCursor, ArchivedEvent
from tests.routing.tracker_builder import (
    BrokerFileBuilder, MemorySource, action_event, bot_event, external_event, slot_event, user_event, write_with_rasa,
)

NOW = datetime.now(timezone.utc).replace(microsecond=0)


def archived(sessions, *conditions):
    with sessions() as db:
        return list(db.scalars(select(ArchivedEvent).where(*conditions).order_by(ArchivedEvent.id)))


def drain(source, sessions, limit=consumer.ROUND_LIMIT):
    results = [consume_round(source, sessions, limit)]
    while results[-1].full:
        results.append(consume_round(source, sessions, limit))
    return results


def cursor_of(sessions, name):
    with sessions() as db:
        cursor = db.get(ArchiveCursor, name)
        return cursor.position if cursor else None


def chat(broker, sender, number, at):
    broker.user(sender, f"第{number}条消息", "legal_divorce", 0.8, at)
    broker.bot(sender, f"第{number}条回答", at + timedelta(seconds=1))


def test_a_broker_file_written_by_rasa_is_archived_with_what_the_console_shows(sessions, tmp_path):
    t = NOW - timedelta(hours=1)
    steps = [
        {"sender": "alice", "events": [
            user_event("我怀孕了公司要辞退我，电话13812345678", "legal_employment", 0.91, t),
            action_event("action_answer_faq", t), bot_event("怀孕期间用人单位不得解除劳动合同……", t),
            slot_event("last_faq_id", "legal.employment.pregnancy_dismissal", t),
            slot_event("contact", "13812345678", t), action_event("action_listen", t)]},
        {"sender": "bella", "events": [user_event("孩子天天玩手机", "family_screen_study", 0.8, t, "telegram"),
                                       bot_event(None, t, [{"title": "法律", "payload": "/choose_area"},
                                                           {"title": "心理", "payload": "/choose_area"}])]},
        {"sender": "alice", "events": [
            slot_event("last_feedback", {"faq_id": "legal.employment.pregnancy_dismissal", "helpful": True}, t),
            external_event("expert_reply", {"expert_text": "我稍后联系你"}, t + timedelta(minutes=5)),
            bot_event("【律师回复】\n我稍后联系你", t + timedelta(minutes=5))]},
    ]
    url = write_with_rasa(tmp_path / "events.db", steps)
    with sqlite3.connect(tmp_path / "events.db") as connection:  # the format the consumer relies on
        columns = [row[1] for row in connection.execute("PRAGMA table_info(events)")]
        first = json.loads(connection.execute("SELECT data FROM events WHERE sender_id = 'alice' ORDER BY id").fetchone()[0])
        broker_rows = connection.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    connection.close()
    assert columns == ["id", "sender_id", "data"] and first["sender_id"] == "alice" and "event" in first

    result = consume_round(SqlBrokerSource(url), sessions)
    assert result.read == broker_rows and result.malformed == 0 and result.archived == 8  # no actions, no `contact`
    assert {row.slot for row in archived(sessions, ArchivedEvent.event_type == "slot")} == {"last_faq_id",
                                                                                          "last_feedback"}
    reader = ArchiveReader(sessions)
    alice = reader.conversation("alice")
    assert [(turn.kind, turn.text) for turn in alice] == [
        ("user", "我怀孕了公司要辞退我，电话13812345678"), ("bot", "怀孕期间用人单位不得解除劳动合同……"),
        ("feedback", ""), ("expert", "【律师回复】\n我稍后联系你")]
    assert (alice[0].intent, alice[0].confidence, alice[0].channel, alice[0].at) == ("legal_employment", 0.91, "rest", t)
    assert alice[1].faq_id == "legal.employment.pregnancy_dismissal" and alice[2].helpful is True
    bella = reader.conversation("bella")
    assert [(turn.kind, turn.text, turn.channel) for turn in bella] == [
        ("user", "孩子天天玩手机", "telegram"), ("bot", "［按钮］法律 / 心理", None)]
    assert len(reader.turns_between(t - timedelta(minutes=1), t + timedelta(minutes=1))) == 5


def test_rows_are_archived_in_the_brokers_order_across_conversations(sessions, tmp_path):
    broker = BrokerFileBuilder(tmp_path / "events.db")
    for number in range(6):
        chat(broker, ("dora", "emma", "fang")[number % 3], number, NOW + timedelta(seconds=number))
    drain(SqlBrokerSource(broker.url), sessions, limit=4)
    rows = archived(sessions)
    assert [row.broker_id for row in rows] == sorted(row.broker_id for row in rows)
    assert [row.text for row in rows if row.conversation_id == "emma"] == ["第1条消息", "第1条回答", "第4条消息", "第4条回答"]


def test_a_row_consumed_twice_is_stored_once(sessions, tmp_path):
    broker = BrokerFileBuilder(tmp_path / "events.db")
    chat(broker, "gina", 1, NOW)
    source = SqlBrokerSource(broker.url)
    consume_round(source, sessions)
    with sessions() as db, db.begin():  # as if the cursor had not been saved
        db.get(ArchiveCursor, source.name).position = 0
    again = consume_round(source, sessions)
    assert again.read == 3 and again.already_archived == 2 and again.archived == 0
    assert [row.text for row in archived(sessions)] == ["第1条消息", "第1条回答"]


def test_a_round_that_fails_stores_nothing_and_the_next_takes_the_same_rows_once(sessions, monkeypatch):
    source = MemorySource()
    for number in range(4):
        source.add("hana", json.dumps({"sender_id": "hana", **user_event(f"话{number}", "greet", 0.9, NOW)}))
    real = events.archived_event
    calls = []

    def fails_on_the_third(name, row):
        calls.append(row.position)
        if len(calls) == 3:
            raise RuntimeError("the process died here")
        return real(name, row)

    monkeypatch.setattr(consumer, "archived_event", fails_on_the_third)
    with pytest.raises(RuntimeError):
        consume_round(source, sessions)
    assert archived(sessions) == [] and not cursor_of(sessions, source.name) and source.acknowledged == []
    monkeypatch.setattr(consumer, "archived_event", real)
    assert consume_round(source, sessions).archived == 4
    assert [row.text for row in archived(sessions)] == ["话0", "话1", "话2", "话3"] and source.acknowledged == [1, 2, 3, 4]


def test_the_consumer_resumes_after_a_restart_where_it_stopped(sessions, database_url, tmp_path):
    broker = BrokerFileBuilder(tmp_path / "events.db")
    for number in range(3):
        chat(broker, "ivy", number, NOW + timedelta(seconds=number))
    first = SqlBrokerSource(broker.url)
    consume_round(first, sessions, limit=4)
    first.close()
    assert cursor_of(sessions, first.name) == 4  # kept in the routing database

    for number in range(3, 5):  # while the routing backend is down
        chat(broker, "ivy", number, NOW + timedelta(seconds=number))
    engine = make_engine(database_url)  # a new process: new engine, new source
    try:
        drain(SqlBrokerSource(broker.url), make_session_factory(engine), limit=4)
    finally:
        engine.dispose()
    texts = [row.text for row in archived(sessions)]
    assert texts == [f"第{n}条{kind}" for n in range(5) for kind in ("消息", "回答")]
    assert cursor_of(sessions, first.name) == 15


def test_malformed_rows_are_skipped_with_a_log_line_and_do_not_block_the_rest(sessions, tmp_path, caplog):
    broker = BrokerFileBuilder(tmp_path / "events.db")
    broker.user("jade", "第一句", "greet", 0.9, NOW)
    good = json.dumps({"sender_id": "jade", **user_event("好的", "greet", 0.9, NOW)})
    bad = {
        broker.raw("jade", "{not json"): "not JSON",
        broker.raw("jade", "[1, 2]"): "not a Rasa event",
        broker.raw("jade", json.dumps({"sender_id": "jade", "text": "没有类型"})): "not a Rasa event",
        broker.raw("jade", json.dumps({"sender_id": "jade", **user_event("无时间", "greet", 0.9, NOW),
                                       "timestamp": "yesterday"})): "no usable timestamp",
        broker.raw(None, json.dumps({**user_event("无人", "greet", 0.9, NOW)})): "no usable sender id",
        broker.raw("a\x00b", good): "no usable sender id",
        broker.raw("k" * 300, good): "no usable sender id",
        broker.raw("jade", json.dumps({"sender_id": "jade", **user_event("x", "greet", 0.9, NOW), "text": 5})):
            "a text field holds int",
    }
    broker.raw("jade", json.dumps({"sender_id": "jade", **user_event("电话\x00138\ud800", "greet", 0.9, NOW)}))
    broker.user("jade", "最后一句", "greet", 0.9, NOW)
    caplog.set_level(logging.WARNING, logger="routing.archive")

    result = consume_round(SqlBrokerSource(broker.url), sessions)
    assert result.read == 11 and result.malformed == len(bad) and result.archived == 3
    assert [row.text for row in archived(sessions)] == ["第一句", "电话138\ufffd", "最后一句"]
    for position, reason in bad.items():
        assert any(f"skipped row {position} of rasa-sql-broker: {reason}" in line for line in caplog.messages), reason
    assert consume_round(SqlBrokerSource(broker.url), sessions).read == 0  # passed over, not retried


def test_a_row_the_database_refuses_is_skipped_not_the_round(sessions, monkeypatch, caplog):
    source = MemorySource()
    for text in ("前", "被拒", "后"):
        source.add("olga", json.dumps({"sender_id": "olga", **user_event(text, "greet", 0.9, NOW)}))
    real = events.archived_event

    def refused_by_the_database(name, row):
        event = real(name, row)
        if event.text == "被拒":
            event.conversation_id = None  # NOT NULL: the insert fails in its savepoint
        return event

    monkeypatch.setattr(consumer, "archived_event", refused_by_the_database)
    result = consume_round(source, sessions)
    assert (result.archived, result.malformed) == (2, 1) and [r.text for r in archived(sessions)] == ["前", "后"]
    assert any("skipped row 2 of tests: IntegrityError" in line for line in caplog.messages)
    assert cursor_of(sessions, source.name) == 3


def test_rounds_are_bounded_and_a_full_round_is_followed_at_once(sessions, tmp_path):
    broker = BrokerFileBuilder(tmp_path / "events.db")
    for number in range(7):
        broker.user("kate", f"话{number}", "greet", 0.9, NOW)
    source = SqlBrokerSource(broker.url)
    results = drain(source, sessions, limit=3)
    assert [(r.read, r.archived, r.full) for r in results] == [(3, 3, True), (3, 3, True), (1, 1, False)]
    assert len(archived(sessions)) == 7


def test_a_missing_broker_file_gives_nothing_and_is_not_created(sessions, tmp_path):
    source = SqlBrokerSource(f"sqlite:///{tmp_path / 'events.db'}")
    result = consume_round(source, sessions)
    assert result.read == 0 and not result.full and not (tmp_path / "events.db").exists()
    assert cursor_of(sessions, source.name) is None  # an idle round leaves nothing behind


def test_a_replaced_broker_is_read_from_its_first_row(sessions, tmp_path, caplog):
    path = tmp_path / "events.db"
    old = BrokerFileBuilder(path)
    for number in range(3):
        old.user("lily", f"旧{number}", "greet", 0.9, NOW)
    source = SqlBrokerSource(old.url)
    consume_round(source, sessions)
    path.unlink()  # someone removed var/events.db; Rasa starts a new one
    assert consume_round(source, sessions).read == 0
    new = BrokerFileBuilder(path)
    new.user("lily", "新0", "greet", 0.9, NOW + timedelta(minutes=1))
    assert consume_round(source, sessions).archived == 1
    for number in range(1, 5):  # the new broker grows past where the old one was left
        new.user("lily", f"新{number}", "greet", 0.9, NOW + timedelta(minutes=1))
    consume_round(source, sessions)
    assert [row.text for row in archived(sessions)] == ["旧0", "旧1", "旧2", "新0", "新1", "新2", "新3", "新4"]
    assert any("no longer holds row 3" in line for line in caplog.messages)


def test_two_consumers_at_once_store_each_row_once(sessions, database_url, tmp_path):
    broker = BrokerFileBuilder(tmp_path / "events.db")
    for number in range(40):
        broker.user(f"w{number % 4}", f"话{number}", "greet", 0.9, NOW)
    engines = [make_engine(database_url) for _ in range(2)]
    errors = []

    def work(engine):
        try:
            drain(SqlBrokerSource(broker.url), make_session_factory(engine), limit=3)
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=work, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for engine in engines:
        engine.dispose()
    assert errors == []
    assert [row.text for row in archived(sessions)] == [f"话{number}" for number in range(40)]


def test_the_archive_reads_a_period_by_the_moment_not_the_wall_clock(sessions):
    """Periods come in China time (UTC+8): 00:30 there is 16:30 UTC the day before."""
    source = MemorySource()
    china = timezone(timedelta(hours=8))
    at = datetime(2026, 3, 2, 0, 30, tzinfo=china)
    source.add("mona", json.dumps({"sender_id": "mona", **user_event("早", "greet", 0.9, at)}))
    consume_round(source, sessions)
    reader = ArchiveReader(sessions)
    assert [t.text for t in reader.turns_between(datetime(2026, 3, 2, tzinfo=china), datetime(2026, 3, 3, tzinfo=china))] == ["早"]
    assert reader.turns_between(datetime(2026, 3, 1, tzinfo=china), datetime(2026, 3, 2, tzinfo=china)) == []


def test_serve_archives_in_the_background(sessions, database_url, tmp_path, monkeypatch):
    from routing import cli

    broker = BrokerFileBuilder(tmp_path / "events.db")
    chat(broker, "nina", 1, NOW)
    for name, value in dict(ROUTING_DATABASE_URL=database_url, ROUTING_EVENT_BROKER_URL=broker.url,
                            ROUTING_DEMO_MODE="true").items():
        monkeypatch.setenv(name, value)
    stop, started = threading.Event(), []
    monkeypatch.setattr(cli.scheduler, "install", lambda app, *args, **kwargs: None)  # no background jobs
    monkeypatch.setattr(cli, "start_archive_loop", lambda settings, real=cli.start_archive_loop:
                        started.append(real(settings, stop)))

    def serving(app, **options):  # uvicorn.run: wait while the background loop works
        deadline = datetime.now() + timedelta(seconds=20)
        while len(archived(sessions)) < 2 and datetime.now() < deadline:
            stop.wait(0.2)

    monkeypatch.setattr("uvicorn.run", serving)
    try:
        assert cli.main(["serve"]) == 0
    finally:
        stop.set()
        for thread in started:
            thread.join(timeout=10)
    assert [row.text for row in archived(sessions)] == ["第1条消息", "第1条回答"]
