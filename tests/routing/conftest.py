"""Routing backend fixtures: a fresh, migrated database per test, on SQLite and on
PostgreSQL: the one ROUTING_TEST_POSTGRES_URL names, else the machine's own (127.0.0.1:5432,
database `test`). `make test-routing` runs the tests through scripts/with-postgres, which
starts a throwaway server when the machine has none."""
from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from routing.db import make_engine, make_session_factory
from routing.migrate import upgrade
from routing.org_data import load_file

POSTGRES_URL = os.environ.get("ROUTING_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _postgres_schema_url() -> tuple[str, callable]:
    schema = f"routing_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as error:
        admin.dispose()
        pytest.fail(f"no PostgreSQL answers at {POSTGRES_URL} ({type(error.orig).__name__}): run the tests with "
                    "`make test-routing` or `scripts/with-postgres -- pytest …`, which start one, or set "
                    "ROUTING_TEST_POSTGRES_URL", pytrace=False)

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return f"{POSTGRES_URL}?options=-csearch_path%3D{schema}", drop


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'routing.db'}"
        return
    url, drop = _postgres_schema_url()
    yield url
    drop()


@pytest.fixture
def sessions(database_url):
    upgrade(database_url)
    engine = make_engine(database_url)
    factory = make_session_factory(engine)
    with factory() as db, db.begin():
        load_file(db)
    yield factory
    engine.dispose()
