"""What the scaled deployment needs before its processes start, and what `fresh` clears:
its two PostgreSQL databases, its RabbitMQ queue, its Redis keys. Run by deploy/scaled.py
in the routing backend's virtualenv (SQLAlchemy with psycopg, pika, redis):

    python -m deploy.provision databases --server postgresql+psycopg://postgres@127.0.0.1:5432 --name a --name b [--fresh | --drop]
    python -m deploy.provision queue --url amqp://… --queue q --exchange e [--purge | --delete]
    python -m deploy.provision redis --url redis://… --pattern 'prefix:*' [--pattern …]

`--drop` and `--delete` remove them for good (ScaledDeployment.discard, for tests and benches).
"""
from __future__ import annotations

import argparse
import re
import sys
from typing import List, Optional, Sequence

NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
SCAN_BATCH = 500


def databases(server: str, names: Sequence[str], fresh: bool, drop: bool = False) -> List[str]:
    """Create the databases that are missing (all of them, dropped first, when `fresh`); only drop them with `drop`."""
    from sqlalchemy import create_engine, text  # noqa: PLC0415 - the routing virtualenv's

    for name in names:
        if not NAME.match(name):
            raise ValueError(f"not a plain database name: {name!r}")
    engine = create_engine(f"{server.rstrip('/')}/postgres", isolation_level="AUTOCOMMIT")
    created = []
    try:
        with engine.connect() as connection:
            for name in names:
                if fresh or drop:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                if drop:
                    continue
                exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                            {"name": name}).first()
                if not exists:
                    connection.execute(text(f'CREATE DATABASE "{name}"'))
                    created.append(name)
    finally:
        engine.dispose()
    return created


def queue(url: str, name: str, exchange: str, purge: bool, delete: bool = False) -> int:
    """Declare the queue and the fanout exchange as Rasa's pika broker declares them
    (rasa/core/brokers/pika.py: a durable queue, a non-durable fanout exchange) and bind
    them, so that no event is published before the queue exists. Returns the messages purged."""
    import pika  # noqa: PLC0415

    connection = pika.BlockingConnection(pika.URLParameters(url))
    try:
        channel = connection.channel()
        if delete:
            channel.queue_delete(name)
            channel.exchange_delete(exchange)
            return 0
        channel.exchange_declare(exchange, exchange_type="fanout")
        channel.queue_declare(name, durable=True)
        channel.queue_bind(name, exchange, routing_key="")
        return channel.queue_purge(name).method.message_count if purge else 0
    finally:
        connection.close()


def redis_keys(url: str, patterns: Sequence[str]) -> int:
    """Delete the keys matching the patterns (SCAN, never KEYS). Returns how many."""
    import redis  # noqa: PLC0415

    client = redis.Redis.from_url(url)
    deleted = 0
    try:
        for pattern in patterns:
            batch = []
            for key in client.scan_iter(match=pattern, count=SCAN_BATCH):
                batch.append(key)
                if len(batch) >= SCAN_BATCH:
                    deleted += client.delete(*batch)
                    batch = []
            if batch:
                deleted += client.delete(*batch)
    finally:
        client.close()
    return deleted


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.provision")
    commands = parser.add_subparsers(dest="command", required=True)
    database = commands.add_parser("databases")
    database.add_argument("--server", required=True)
    database.add_argument("--name", action="append", required=True)
    database.add_argument("--fresh", action="store_true")
    database.add_argument("--drop", action="store_true")
    broker = commands.add_parser("queue")
    broker.add_argument("--url", required=True)
    broker.add_argument("--queue", required=True)
    broker.add_argument("--exchange", required=True)
    broker.add_argument("--purge", action="store_true")
    broker.add_argument("--delete", action="store_true")
    keys = commands.add_parser("redis")
    keys.add_argument("--url", required=True)
    keys.add_argument("--pattern", action="append", required=True)
    args = parser.parse_args(argv)
    if args.command == "databases":
        created = databases(args.server, args.name, args.fresh, args.drop)
        print(f"databases dropped: {', '.join(args.name)}" if args.drop else f"databases ready: {', '.join(args.name)}"
              + (f" (created {', '.join(created)})" if created else ""))
    elif args.command == "queue":
        purged = queue(args.url, args.queue, args.exchange, args.purge, args.delete)
        print(f"queue deleted: {args.queue} and {args.exchange}" if args.delete else
              f"queue ready: {args.queue} bound to {args.exchange}" + (f", {purged} purged" if args.purge else ""))
    else:
        print(f"redis: deleted {redis_keys(args.url, args.pattern)} keys")
    return 0


if __name__ == "__main__":
    sys.exit(main())
