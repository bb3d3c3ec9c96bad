"""The scaled deployment as `make test-faults` runs it (deploy/scaled.py): its own databases,
queue, Redis prefix, workdir and a block of free ports, so it never meets `make run-scaled`
or the lead's live servers; and the experts of experts.yml, created with the routing
backend's own functions in its database.
"""
from __future__ import annotations

import dataclasses
import os
import secrets
import socket
from pathlib import Path
from typing import List, Mapping, Optional, Sequence, Tuple

import yaml

from deploy.scaled import PORT_OFFSETS, ScaledSettings
from tests.faults.scenario import ExpertAccount

PROJECT_ROOT = Path(__file__).resolve().parents[2]
EXPERTS = Path(__file__).with_name("experts.yml")
PORT_RANGE = (20000, 60000)


def ports_free(base: int, count: int) -> bool:
    for port in range(base, base + count):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                return False
    return True


def free_base_port(tries: int = 50) -> int:
    """A base port whose whole block (PORT_OFFSETS) is free now."""
    count = max(PORT_OFFSETS.values()) + 1
    for _ in range(tries):
        base = PORT_RANGE[0] + secrets.randbelow((PORT_RANGE[1] - PORT_RANGE[0]) // 10) * 10
        if ports_free(base, count):
            return base
    raise RuntimeError(f"no block of {count} free ports found in {tries} tries")


def settings(environ: Optional[Mapping[str, str]] = None) -> ScaledSettings:
    """SCALED_* from the environment where set (another PostgreSQL, Redis or RabbitMQ), the test's
    own names and a free port block otherwise."""
    env = dict(os.environ if environ is None else environ)
    base = ScaledSettings.from_env(env)
    return dataclasses.replace(
        base,
        workdir=Path(env["SCALED_WORKDIR"]) if env.get("SCALED_WORKDIR") else PROJECT_ROOT / "var" / "faults",
        base_port=int(env["SCALED_BASE_PORT"]) if env.get("SCALED_BASE_PORT") else free_base_port(),
        database_prefix=env.get("SCALED_DATABASE_PREFIX") or "assistant_faults",
        queue=env.get("SCALED_QUEUE") or "assistant_faults_events")


def expert_accounts(path: Path = EXPERTS) -> List[dict]:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    for item in items:
        missing = {"username", "department", "specialty", "title", "replies"} - set(item)
        if missing or not item["replies"]:
            raise ValueError(f"{item.get('username')}: missing {sorted(missing) or ['replies']}")
    return items


def prepare_experts(routing_database_url: str, items: Sequence[dict]) -> Tuple[List[ExpertAccount], List[str]]:
    """Each expert with a fresh password, made by the routing backend's own functions (those of
    `python -m routing create-user` / `disable-user`, in this process: each command would cost a
    few seconds of start-up). Every other expert is disabled first, so that the backend's
    round-robin assignment (routing/assignment.py) gives each handoff to a simulated expert and
    not to a demo account nobody answers for. Returns the accounts and who was disabled."""
    from sqlalchemy import select

    from routing import auth
    from routing.db import make_engine, make_session_factory
    from routing.models import User

    mine = [item["username"] for item in items]
    engine = make_engine(routing_database_url)
    accounts, disabled = [], []
    try:
        with make_session_factory(engine)() as db, db.begin():
            for other in db.scalars(select(User).where(User.role == "expert", User.disabled.is_(False),
                                                       User.username.not_in(mine))):
                auth.set_disabled(db, other, True)
                disabled.append(other.username)
            for item in items:
                password = secrets.token_urlsafe(16)
                auth.create_user(db, username=item["username"], password=password, role="expert",
                                 department_id=item["department"], specialty=item["specialty"], title=item["title"])
                accounts.append(ExpertAccount(item["username"], password, tuple(item["replies"])))
    finally:
        engine.dispose()
    return accounts, disabled


def clean_up(scaled: ScaledSettings) -> List[str]:
    """After the run: the test's two databases, its queue and exchange, its Redis keys (the
    deployment's `fresh` start would clear them too; nothing of a test should outlive it).
    Returns what could not be removed, for the report's reader; never raises."""
    from sqlalchemy import create_engine, text

    from deploy.provision import redis_keys

    problems = []
    engine = create_engine(f"{scaled.postgres_server('psycopg')}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            for name in (scaled.tracker_database, scaled.routing_database):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    except Exception as error:  # noqa: BLE001
        problems.append(f"databases: {type(error).__name__}: {error}")
    finally:
        engine.dispose()
    try:
        import pika

        connection = pika.BlockingConnection(pika.URLParameters(scaled.rabbitmq_url))
        try:
            channel = connection.channel()
            channel.queue_delete(scaled.queue)
            channel.exchange_delete(scaled.exchange)
        finally:
            connection.close()
    except Exception as error:  # noqa: BLE001
        problems.append(f"queue: {type(error).__name__}: {error}")
    try:
        redis_keys(scaled.redis_url, [f"{scaled.redis_prefix}*", f"{scaled.lock_prefix}:lock:*"])
    except Exception as error:  # noqa: BLE001
        problems.append(f"redis: {type(error).__name__}: {error}")
    return problems
