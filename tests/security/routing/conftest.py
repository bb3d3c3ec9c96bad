"""The routing backend's fixtures (tests/routing), reused by the attack reproductions here:
a fresh database per test on SQLite and PostgreSQL, users of every role, a tracker store."""
import os

import pytest

from routing import cli
from tests.routing.conftest import (  # noqa: F401
    _postgres_template, _sqlite_template, cheap_password_hashing, database_url, sessions)
from tests.routing.console_support import PASSWORD, console_app, relay, tracker  # noqa: F401
from tests.security.routing.attack_support import ServedInThread


@pytest.fixture
def served(monkeypatch, tmp_path):
    """`python -m routing serve` for real (uvicorn in a thread) on a fresh SQLite database."""
    environment = dict(ROUTING_DATABASE_URL=f"sqlite:///{tmp_path / 'routing.db'}", ROUTING_DEMO_MODE="false",
                       ROUTING_SERVICE_TOKEN="service-secret-for-the-served-tests",
                       ROUTING_RASA_TOKEN="rasa-secret-for-the-served-tests", ROUTING_COOKIE_SECURE="false",
                       ROUTING_EVENT_BROKER_URL=f"sqlite:///{tmp_path / 'events.db'}")
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("ROUTING_TRUSTED_PROXIES", raising=False)
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    monkeypatch.setattr(cli.scheduler, "install", lambda app, *args, **kwargs: None)  # no background jobs
    umask = os.umask(0o022)
    os.umask(umask)
    assert cli.main(["load-org-data"]) == 0
    assert cli.main(["create-user", "--username", "lawyer", "--password", PASSWORD, "--role", "expert",
                     "--department", "rights", "--specialty", "法律", "--title", "律师"]) == 0
    server = ServedInThread()
    monkeypatch.setattr("uvicorn.run", server.run)
    yield server
    server.stop()
    os.umask(umask)
