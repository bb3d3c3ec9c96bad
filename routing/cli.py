"""`python -m routing`: migrate, load organisation data, create, disable and enable users, serve.

Files it creates (the SQLite database, exports) are readable by the service user only:
they hold her conversations.
"""
from __future__ import annotations

import argparse
import os
import secrets
import signal
import sys
import threading
from pathlib import Path
from typing import List, Optional

from sqlalchemy import func, select

from assistant_contract import json_logs

from routing import auth, read_audit, scheduler
from routing.archive import consumer
from routing.archive.sources import RabbitMqSource, SqlBrokerSource
from routing.console import canned, corrections, intents
from routing.db import make_engine, make_session_factory
from routing.grid import cli as grid_cli  # its background round runs in routing/scheduler.py
from routing.migrate import upgrade
from routing.models import User
from routing.org_data import SAMPLE_FILE, holds_real_directory, load_file, refresh_sample
from routing.settings import InsecureConfiguration, Settings, refuse_placeholder_secrets

DEMO_USERS = [("lawyer", "expert", "rights", "法律", "律师"), ("counsellor", "expert", "care", "心理", "心理咨询师"),
              ("educator", "expert", "family", "教育", "家庭教育指导师"), ("mentor", "expert", "development", "创业", "创业导师"),
              ("supervisor", "supervisor", None, None, "值班主管"), ("staff", "staff", None, None, "工作人员"),
              ("admin", "admin", None, None, "管理员")]


def _sessions(settings: Settings):
    return make_session_factory(make_engine(settings.database_url))


def prepare(settings: Settings) -> None:
    """Migrate, load the sample organisation data unless a real directory was loaded,
    and in demo mode create demo users once."""
    if settings.database_url.startswith("sqlite:///"):
        Path(settings.database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    upgrade(settings.database_url)
    with _sessions(settings)() as db, db.begin():
        if not holds_real_directory(db):
            refresh_sample(db)  # the sample directory follows routing/data/organisations.yml
        canned.seed_if_empty(db)  # the console's starting canned replies, once
        if settings.demo_mode and db.scalar(select(func.count()).select_from(User)) == 0:
            print("Demo mode: created these users (change them before real use):")
            for username, role, department, specialty, title in DEMO_USERS:
                password = secrets.token_urlsafe(9)
                auth.create_user(db, username=username, password=password, role=role,
                                 department_id=department, specialty=specialty, title=title)
                print(f"  {username:<11} {password}  ({title})")


def start_archive_loop(settings: Settings, stop: Optional[threading.Event] = None) -> threading.Thread:
    """Take Rasa's events from its event broker into the archive the console reads, in the background."""
    source, factory = SqlBrokerSource(settings.event_broker_url), _sessions(settings)
    thread = threading.Thread(target=consumer.run, args=(source, factory, stop), name="archive", daemon=True)
    thread.start()
    return thread


def consume_archive(settings: Settings, source_kind: str, prefetch: Optional[int] = None,
                    stop: Optional[threading.Event] = None) -> int:
    """The archive in a process of its own, until SIGTERM or Ctrl-C: the scaled deployment's
    (several `serve` processes, one archive). Restartable at any moment: RabbitMQ keeps what
    was not acknowledged, the SQL broker's place is kept in the routing database."""
    json_logs.configure()
    upgrade(settings.database_url)
    stop = stop or threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    if source_kind == "rabbitmq":
        prefetch = prefetch or settings.archive_prefetch
        source = RabbitMqSource(settings.rabbitmq_url, settings.event_queue, prefetch)
        while not stop.is_set():  # RabbitMQ may not be up yet: wait for it
            try:
                source.connect()
                break
            except Exception as error:  # pika raises several kinds
                print(f"archive: RabbitMQ not reachable ({type(error).__name__}), retrying", file=sys.stderr, flush=True)
                stop.wait(consumer.PAUSE_SECONDS)
        where, pause, limit = f"queue {settings.event_queue} (prefetch {prefetch})", 0.5, prefetch
    else:
        source = SqlBrokerSource(settings.event_broker_url)
        where, pause, limit = "Rasa's SQL event broker", consumer.PAUSE_SECONDS, consumer.ROUND_LIMIT
    if not stop.is_set():
        print(f"archive: consuming {where}", flush=True)
    try:
        consumer.run(source, _sessions(settings), stop, pause=pause, limit=limit)
    finally:
        source.close()
    print("archive: stopped", flush=True)
    return 0


def serve_options(settings: Settings) -> dict:
    """uvicorn believes X-Forwarded-For / -Proto only from ROUTING_TRUSTED_PROXIES; by default
    from nobody (uvicorn's own default trusts 127.0.0.1, which lets a local client pick its address)."""
    proxies = settings.trusted_proxy_list
    return dict(proxy_headers=bool(proxies), forwarded_allow_ips=",".join(proxies) if proxies else "", log_level="warning")


def set_disabled(settings: Settings, username: str, disabled: bool) -> int:
    upgrade(settings.database_url)
    with _sessions(settings)() as db, db.begin():
        user = db.scalars(select(User).where(User.username == username)).first()
        if user is None:
            print(f"error: no user {username}", file=sys.stderr)
            return 2
        auth.set_disabled(db, user, disabled)
    print(f"{'Disabled' if disabled else 'Enabled'} {username}" + (": her tokens and sessions have ended." if disabled else "."))
    return 0


def her_data_command(settings: Settings, args: argparse.Namespace) -> int:
    """`retention` and `erase`: each prints its report, store by store."""
    from routing import erase, retention  # noqa: PLC0415 - only these commands need them

    upgrade(settings.database_url)
    kept = retention.RetentionSettings.beside(settings)
    if args.command == "retention":
        report = retention.run(_sessions(settings), kept, dry_run=args.dry_run)
    else:
        report = erase.erase_conversation(_sessions(settings), args.conversation, actor=args.actor,
                                          settings=kept, dry_run=args.dry_run)
    print("\n".join(report.lines()))
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    os.umask(0o077)  # the database and exports hold her conversations: this user only
    parser = argparse.ArgumentParser(prog="python -m routing")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="apply the Alembic migrations")
    load = commands.add_parser("load-org-data", help="load departments and offices from YAML, or offices from CSV")
    load.add_argument("file", nargs="?", default=str(SAMPLE_FILE))
    user = commands.add_parser("create-user", help="create an expert, supervisor, staff or admin")
    user.add_argument("--username", required=True)
    user.add_argument("--password", required=True)
    user.add_argument("--role", required=True, choices=["expert", "supervisor", "staff", "admin"])
    user.add_argument("--department")
    user.add_argument("--specialty")
    user.add_argument("--title", default="工作人员")
    for name, verb in (("disable-user", "disable a user: no login; her tokens and sessions end at once"),
                       ("enable-user", "let a disabled user log in again")):
        commands.add_parser(name, help=verb).add_argument("--username", required=True)
    export = commands.add_parser("export-corrections", help="write the console's NLU corrections as Rasa training data")
    export.add_argument("--out", default="data/nlu/corrections.yml")
    keep = commands.add_parser("retention", help="remove what is older than its retention, in every store")
    keep.add_argument("--dry-run", action="store_true", help="only print what would go, per store, with counts")
    erase = commands.add_parser("erase", help="erase one conversation everywhere (her request), store by store")
    erase.add_argument("--conversation", required=True)
    erase.add_argument("--actor", default="cli", help="who asked, for the audit log")
    erase.add_argument("--dry-run", action="store_true", help="only print what would go")
    serve = commands.add_parser("serve", help="migrate, load data, and serve the API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    archive = commands.add_parser("consume-archive", help="archive Rasa's events in this process, until stopped "
                                                           "(the scaled deployment's, with --source rabbitmq)")
    archive.add_argument("--source", choices=["sql", "rabbitmq"], default="sql")
    archive.add_argument("--prefetch", type=int, help="RabbitMQ: unacknowledged messages at most "
                                                      "(default ROUTING_ARCHIVE_PREFETCH)")
    grid_cli.add_commands(commands)  # grid reporting (routing/grid/cli.py)
    args = parser.parse_args(argv)
    settings = Settings()

    if args.command == "migrate":
        upgrade(settings.database_url)
    elif args.command == "load-org-data":
        upgrade(settings.database_url)
        with _sessions(settings)() as db, db.begin():
            print(f"Loaded {load_file(db, Path(args.file))} organisations.")
    elif args.command == "create-user":
        upgrade(settings.database_url)
        try:
            with _sessions(settings)() as db, db.begin():
                auth.create_user(db, username=args.username, password=args.password, role=args.role,
                                 department_id=args.department, specialty=args.specialty, title=args.title)
        except ValueError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        print(f"Created {args.role} {args.username}.")
    elif args.command in ("disable-user", "enable-user"):
        return set_disabled(settings, args.username, args.command == "disable-user")
    elif args.command == "export-corrections":
        upgrade(settings.database_url)
        with _sessions(settings)() as db:
            count = corrections.export(db, intents.correctable_intents(), Path(args.out))
            read_audit.noted(db, os.environ.get("USER", "cli"), "export.corrections", args.out)
        print(f"Wrote {count} corrected examples to {args.out}.")
    elif args.command in grid_cli.COMMANDS:
        upgrade(settings.database_url)
        return grid_cli.run(args, settings, _sessions(settings))
    elif args.command in ("retention", "erase"):
        return her_data_command(settings, args)
    elif args.command == "consume-archive":
        return consume_archive(settings, args.source, args.prefetch)
    elif args.command == "serve":
        import uvicorn

        from routing.api.app import create_app

        try:
            refuse_placeholder_secrets(settings)
        except InsecureConfiguration as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        json_logs.configure()
        prepare(settings)
        if settings.archive_in_process:  # otherwise `consume-archive` runs beside the replicas
            start_archive_loop(settings)
        app = create_app(settings)
        scheduler.install(app)  # deliveries, SLA sweep, retention: in the application's lifespan
        uvicorn.run(app, host=args.host, port=args.port, **serve_options(settings))
    return 0
