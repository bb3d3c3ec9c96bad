import socket
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from deploy.scaled import PORT_OFFSETS, ScaledSettings
from tests.faults.deployment import (
    EXPERTS, clean_up, expert_accounts, free_base_port, ports_free, prepare_experts, settings,
)


def test_the_test_runs_on_its_own_names_and_a_free_block_of_ports():
    scaled = settings({})
    assert scaled.database_prefix == "assistant_faults" and scaled.queue == "assistant_faults_events"
    assert scaled.workdir.name == "faults" and ports_free(scaled.base_port, max(PORT_OFFSETS.values()) + 1)


def test_the_environment_still_decides_where_it_was_set():
    scaled = settings({"SCALED_BASE_PORT": "23000", "SCALED_DATABASE_PREFIX": "other",
                       "SCALED_REDIS_URL": "redis://127.0.0.1:6380/2"})
    assert (scaled.base_port, scaled.database_prefix, scaled.redis_url) == (23000, "other", "redis://127.0.0.1:6380/2")


def test_a_port_in_use_makes_its_block_unfree():
    base = free_base_port()
    with socket.socket() as held:
        held.bind(("127.0.0.1", base + 3))
        assert not ports_free(base, 8)


def test_the_shipped_experts_cover_the_four_departments(tmp_path):
    items = expert_accounts()
    assert {i["department"] for i in items} == {"rights", "care", "family", "development"}
    assert all(len(i["replies"]) >= 3 for i in items)
    broken = tmp_path / "experts.yml"
    broken.write_text(EXPERTS.read_text(encoding="utf-8").replace("  title: 律师\n", ""), encoding="utf-8")
    with pytest.raises(ValueError, match="title"):
        expert_accounts(broken)


def test_the_simulated_experts_are_made_and_every_other_expert_is_disabled(tmp_path):
    from routing import auth
    from routing.db import make_engine, make_session_factory
    from routing.migrate import upgrade
    from routing.models import User
    from routing.org_data import refresh_sample

    url = f"sqlite:///{tmp_path / 'routing.db'}"
    upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as db, db.begin():
        refresh_sample(db)
        auth.create_user(db, username="lawyer", password="demo-password-1", role="expert", department_id="rights",
                         specialty="法律", title="律师")
        auth.create_user(db, username="supervisor", password="demo-password-2", role="supervisor")
    accounts, disabled = prepare_experts(url, expert_accounts())
    assert disabled == ["lawyer"] and [a.username for a in accounts][0] == "faults-lawyer"
    with make_session_factory(engine)() as db:
        users = {u.username: u for u in db.scalars(select(User))}
        assert users["lawyer"].disabled and not users["supervisor"].disabled
        assert auth.authenticate(db, "faults-lawyer", accounts[0].password) is not None
    engine.dispose()


def test_clean_up_removes_the_databases_the_queue_and_the_redis_keys():
    import pika
    import redis

    prefix = f"faults_cleanup_{uuid.uuid4().hex[:8]}"
    scaled = ScaledSettings(root=Path("."), workdir=Path("."), database_prefix=prefix, queue=f"{prefix}_events")
    server = create_engine(f"{scaled.postgres_server('psycopg')}/postgres", isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        for name in (scaled.tracker_database, scaled.routing_database):
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    connection = pika.BlockingConnection(pika.URLParameters(scaled.rabbitmq_url))
    channel = connection.channel()
    channel.exchange_declare(scaled.exchange, exchange_type="fanout")
    channel.queue_declare(scaled.queue, durable=True)
    client = redis.Redis.from_url(scaled.redis_url)
    client.set(f"{scaled.redis_prefix}x", "1")
    client.set(f"{scaled.lock_prefix}:lock:run-w00-c0", "1")

    assert clean_up(scaled) == []

    with server.connect() as connection:
        left = connection.execute(text("SELECT datname FROM pg_database WHERE datname LIKE :p"),
                                  {"p": prefix + "%"}).all()
    server.dispose()
    assert left == []
    with pytest.raises(pika.exceptions.ChannelClosedByBroker):
        channel.queue_declare(scaled.queue, passive=True)
    connection.close()
    assert client.get(f"{scaled.redis_prefix}x") is None and client.get(f"{scaled.lock_prefix}:lock:run-w00-c0") is None
    client.close()
