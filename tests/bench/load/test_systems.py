import os
import socket
import sqlite3

import pytest

from bench.load.systems import BareSystem, EmbeddedSystem, ScaledSystem, build, free_port_block, \
    sqlalchemy_url_for_rasa_venv


def test_postgres_urls_lose_the_psycopg3_driver_for_the_rasa_venv():
    assert sqlalchemy_url_for_rasa_venv("postgresql+psycopg://postgres@127.0.0.1:5432/x") == \
        "postgresql://postgres@127.0.0.1:5432/x"
    assert sqlalchemy_url_for_rasa_venv("sqlite:///var/tracker.db") == "sqlite:///var/tracker.db"


def test_a_block_of_free_ports_can_be_bound_whole():
    base = free_port_block(5)
    sockets = []
    try:
        for port in range(base, base + 5):
            sock = socket.socket()
            sockets.append(sock)
            sock.bind(("127.0.0.1", port))
    finally:
        for sock in sockets:
            sock.close()


def test_each_system_has_its_own_folder(tmp_path):
    assert isinstance(build("embedded", tmp_path), EmbeddedSystem)
    assert isinstance(build("scaled", tmp_path), ScaledSystem)
    assert isinstance(build("bare", tmp_path, 2), BareSystem)
    with pytest.raises(ValueError):
        build("cluster", tmp_path)


def test_the_bench_experts_are_created_whatever_their_password_and_demo_experts_disabled(tmp_path):
    """Through the routing CLI on a throwaway SQLite database (the routing backend's virtualenv)."""
    from bench.load.systems import EXPERTS, ROUTING_PYTHON, _routing_cli, create_experts

    if not ROUTING_PYTHON.exists():
        pytest.skip(".venv-routing is not installed")
    url = f"sqlite:///{tmp_path / 'routing.db'}"
    environment = {**os.environ, "PYTHONPATH": str(ROUTING_PYTHON.parents[2]), "ROUTING_DATABASE_URL": url}
    assert _routing_cli(environment, "load-org-data").returncode == 0
    assert _routing_cli(environment, "create-user", "--username=lawyer", "--password=demo-password-1",
                        "--role=expert", "--department=rights", "--specialty=法律").returncode == 0
    logins = create_experts(url, "-starts-with-a-dash", disable=("lawyer",), experts=EXPERTS[:1])
    assert logins == {"bench-lawyer": "-starts-with-a-dash"}
    with sqlite3.connect(tmp_path / "routing.db") as connection:
        users = dict(connection.execute("SELECT username, disabled FROM users"))
    assert users == {"lawyer": 1, "bench-lawyer": 0}


def test_a_routing_backend_that_ignores_sigterm_is_killed_and_the_assistant_still_stopped(tmp_path):
    import subprocess

    events = []

    class Process:
        def kill(self):
            events.append("kill")

        def wait(self, timeout):
            events.append("waited")

    class Routing:
        _process = Process()

        def stop(self):
            raise subprocess.TimeoutExpired("routing serve", 20)

    class Assistant:
        def stop(self):
            events.append("assistant stopped")

    system = EmbeddedSystem(tmp_path)
    system._routing, system._assistant = Routing(), Assistant()
    system.stop()
    assert events == ["kill", "waited", "assistant stopped"]
    assert system.stop_notes == ["the routing backend did not stop within 20 s of SIGTERM and was killed"]
