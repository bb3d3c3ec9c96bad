import uuid
from datetime import datetime, timezone

import pytest
from sqlalchemy import create_engine, text

from tests.faults.stores import PostgresStores, StoredHandoff, StoredReply, psycopg_url

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
AT = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)


def test_urls_are_read_through_psycopg_3_and_other_databases_are_left_alone():
    assert psycopg_url("postgresql://postgres@127.0.0.1:5432/t") == "postgresql+psycopg://postgres@127.0.0.1:5432/t"
    assert psycopg_url("postgresql+psycopg2://u:p@h/t") == "postgresql+psycopg://u:p@h/t"
    assert psycopg_url("sqlite:///x.db") == "sqlite:///x.db"


def test_a_run_tag_with_a_wildcard_is_refused():
    stores = PostgresStores("sqlite://", "sqlite://")
    with pytest.raises(ValueError, match="wildcards"):
        stores.handoffs("run_1")


@pytest.fixture
def schema_url():
    """A schema of its own in the machine's PostgreSQL (database `test`), with the tables the stores read."""
    schema = f"faults_{uuid.uuid4().hex[:8]}"
    engine = create_engine(SERVER, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as error:  # noqa: BLE001
        engine.dispose()
        pytest.fail(f"PostgreSQL at {SERVER} is needed (make test-faults runs on it): {error}")
    url = f"{SERVER}?options=-csearch_path%3D{schema}"
    tables = create_engine(url)
    with tables.begin() as connection:
        connection.execute(text("CREATE TABLE events (id SERIAL PRIMARY KEY, sender_id VARCHAR(255), "
                                "type_name VARCHAR(255), timestamp FLOAT, data TEXT)"))
        connection.execute(text("CREATE TABLE handoffs (id VARCHAR(32) PRIMARY KEY, conversation_id VARCHAR(200), "
                                "status VARCHAR(16), urgent BOOLEAN, created_at TIMESTAMPTZ)"))
        connection.execute(text("CREATE TABLE handoff_messages (id SERIAL PRIMARY KEY, handoff_id VARCHAR(32), "
                                "sender VARCHAR(16), text TEXT, delivery VARCHAR(16))"))
        connection.execute(text("CREATE TABLE archived_events (id SERIAL PRIMARY KEY, conversation_id VARCHAR(255), "
                                "event_type VARCHAR(16), at TIMESTAMPTZ, text TEXT, slot VARCHAR(64), value TEXT)"))
    tables.dispose()
    yield url
    with engine.connect() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def test_only_this_runs_rows_are_read_in_their_order(schema_url):
    engine = create_engine(schema_url)
    with engine.begin() as c:
        for sender, kind in (("run-w00-c0", "user"), ("other-w00-c0", "user"), ("run-w00-c0", "bot"),
                             ("runner-w00-c0", "user")):
            c.execute(text("INSERT INTO events (sender_id, type_name, data) VALUES (:s, :k, :d)"),
                      {"s": sender, "k": kind, "d": f'{{"event": "{kind}"}}'})
        c.execute(text("INSERT INTO handoffs VALUES ('H-1', 'run-w00-c0', 'replied', false, :at), "
                       "('H-2', 'other-w00-c0', 'received', false, :at)"), {"at": AT})
        c.execute(text("INSERT INTO handoff_messages (handoff_id, sender, text, delivery) VALUES "
                       "('H-1', 'user', '孩子六岁', 'none'), ('H-1', 'expert', '（1/2）你好', 'delivered'), "
                       "('H-2', 'expert', '（1/2）别人的', 'pending')"))
        c.execute(text("INSERT INTO archived_events (conversation_id, event_type, at, text) VALUES "
                       "('run-w00-c0', 'user', :at, '我要找律师'), ('other-w00-c0', 'user', :at, '别人')"), {"at": AT})
    engine.dispose()
    stores = PostgresStores(schema_url, schema_url)
    try:
        events = stores.tracker_events("run")
        assert [(e.conversation_id, e.kind) for e in events] == [("run-w00-c0", "user"), ("run-w00-c0", "bot")]
        assert events[0].position < events[1].position and events[1].body == {"event": "bot"}
        assert stores.handoffs("run") == [StoredHandoff("H-1", "run-w00-c0", "replied", False, AT)]
        [reply] = stores.expert_replies("run")
        assert reply == StoredReply(reply.id, "H-1", "run-w00-c0", "（1/2）你好", "delivered")
        [row] = stores.archived("run")
        assert (row.conversation_id, row.at, row.text) == ("run-w00-c0", AT, "我要找律师")
    finally:
        stores.close()
