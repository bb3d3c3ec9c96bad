"""Routing backend fixtures: a fresh, migrated database per test, on SQLite and on
PostgreSQL: the one ROUTING_TEST_POSTGRES_URL names, else the machine's own (127.0.0.1:5432,
database `test`). `make test-routing` runs the tests through scripts/with-postgres, which
starts a throwaway server when the machine has none.

Migrating and loading the sample directory takes about two seconds a database, so it is done
once per run into a template, and each test that asks for `sessions` gets its own copy: a
copied SQLite file; on PostgreSQL a schema of its own, made from the template's pg_dump in one
transaction (a database per test would cost a checkpoint at each DROP DATABASE). Without a
working pg_dump each schema is migrated as before. A test that asks for `database_url` alone
gets an empty database, as before."""
from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Optional

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError

from routing import auth
from routing.db import make_engine, make_session_factory
from routing.migrate import upgrade
from routing.org_data import load_file

POSTGRES_URL = os.environ.get("ROUTING_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SCHEMA_NAME = "routing_template_schema_to_rename"  # in the template's SQL, for the name of each copy
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(autouse=True)
def cheap_password_hashing(request, monkeypatch):
    """Argon2 at the production cost (64 MiB, 3 passes) takes most of a second a hash on a busy
    two-core machine, and tests hash at every user they make and every login. Tests hash at the
    lowest cost unless marked `production_hashing` (tests/routing/test_auth.py is, and checks
    the production parameters)."""
    if request.node.get_closest_marker("production_hashing") is None:
        monkeypatch.setattr(auth, "_hasher", CHEAP_HASHER)


def _no_postgres(error: OperationalError) -> None:
    pytest.fail(f"no PostgreSQL answers at {POSTGRES_URL} ({type(error.orig).__name__}): run the tests with "
                "`make test-routing` or `scripts/with-postgres -- pytest …`, which start one, or set "
                "ROUTING_TEST_POSTGRES_URL", pytrace=False)


def _postgres_schema_url(restore: Optional[str] = None) -> tuple[str, callable]:
    """A new schema (empty, or made by `restore`: SQL naming it SCHEMA_NAME) and how to drop it."""
    schema = f"routing_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            if restore is None:
                connection.execute(text(f'CREATE SCHEMA "{schema}"'))
            else:  # the driver's own execute: no parameters, so a % in the data stays as it is
                with connection.connection.driver_connection.transaction():
                    connection.connection.driver_connection.execute(restore.replace(SCHEMA_NAME, schema))
    except OperationalError as error:
        admin.dispose()
        _no_postgres(error)

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return f"{POSTGRES_URL}?options=-csearch_path%3D{schema}", drop


def _migrate_and_load(url: str) -> None:
    """What every test's database starts with: the migrations and the sample directory."""
    upgrade(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with factory() as db, db.begin():
        load_file(db)
    engine.dispose()


def _postgres_template_sql() -> Optional[str]:
    """The template schema (migrated, the sample directory loaded) as SQL that makes a copy
    of it under SCHEMA_NAME; None when pg_dump is missing or fails."""
    if shutil.which("pg_dump") is None:
        return None
    url, drop = _postgres_schema_url()
    schema = url.rsplit("%3D", 1)[1]
    try:
        _migrate_and_load(url)
        libpq_url = make_url(POSTGRES_URL).set(drivername="postgresql").render_as_string(hide_password=False)
        dump = subprocess.run(["pg_dump", "--dbname", libpq_url, "--schema", schema, "--no-owner",
                               "--no-privileges", "--inserts", "--rows-per-insert=1000"],
                              capture_output=True, text=True, timeout=120)
    finally:
        drop()
    if dump.returncode != 0:
        return None
    # psql meta-commands (\restrict …) are for psql only
    sql = "\n".join(line for line in dump.stdout.splitlines() if not line.startswith("\\"))
    return sql.replace(schema, SCHEMA_NAME)


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("routing_template") / "routing.db"
    _migrate_and_load(f"sqlite:///{path}")
    assert not path.with_name(path.name + "-wal").exists(), "the template's WAL was not checkpointed"
    return path


@pytest.fixture(scope="session")
def _postgres_template() -> Optional[str]:
    return _postgres_template_sql()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """An empty database; a migrated one with the sample directory when the test uses `sessions`."""
    prepared = "sessions" in request.fixturenames
    if request.param == "sqlite":
        path = tmp_path / "routing.db"
        if prepared:
            shutil.copyfile(request.getfixturevalue("_sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    restore = request.getfixturevalue("_postgres_template") if prepared else None
    url, drop = _postgres_schema_url(restore)
    if prepared and restore is None:
        _migrate_and_load(url)
    yield url
    drop()


@pytest.fixture
def sessions(database_url):
    """Sessions on the test's database, migrated and with the sample directory (see database_url)."""
    engine = make_engine(database_url)
    factory = make_session_factory(engine)
    yield factory
    engine.dispose()
