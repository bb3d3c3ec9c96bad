"""scripts/with-postgres: the routing tests get a PostgreSQL whether or not the machine runs one."""
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "with-postgres"
REPORT = ("import os, psycopg; url = os.environ['ROUTING_TEST_POSTGRES_URL']; "
          "c = psycopg.connect(url.replace('+psycopg', '')); "
          "print(url); print(c.execute(\"select current_setting('data_directory')\").fetchone()[0])")


def run(*arguments: str, environment=None) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "ROUTING_TEST_POSTGRES_URL"}
    env.update(environment or {})
    return subprocess.run([str(SCRIPT), *arguments], capture_output=True, text=True, timeout=180, env=env)


def machine_postgres_answers() -> bool:
    try:
        psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", connect_timeout=2).close()
        return True
    except psycopg.OperationalError:
        return False


def test_a_throwaway_server_is_started_on_a_free_port_and_removed_with_its_data_afterwards():
    finished = run("--throwaway", "--", sys.executable, "-c", REPORT)
    assert finished.returncode == 0, finished.stderr
    url, data_directory = finished.stdout.strip().splitlines()[-2:]
    assert url.startswith("postgresql+psycopg://postgres@127.0.0.1:") and not url.endswith(":5432/test")
    assert not Path(data_directory).exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url.replace("+psycopg", ""), connect_timeout=2)


def test_the_commands_failure_is_passed_on_and_the_server_still_removed():
    finished = run("--throwaway", "--", sys.executable, "-c",
                   "import os, sys; print(os.environ['ROUTING_TEST_POSTGRES_URL']); sys.exit(3)")
    assert finished.returncode == 3
    url = finished.stdout.strip().splitlines()[-1]
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url.replace("+psycopg", ""), connect_timeout=2)


def test_the_machines_own_server_is_used_when_one_answers_else_a_throwaway_one():
    finished = run("--", sys.executable, "-c", REPORT)
    assert finished.returncode == 0, finished.stderr
    url = finished.stdout.strip().splitlines()[-2]
    assert url.endswith("127.0.0.1:5432/test") == machine_postgres_answers()


def test_a_server_named_in_the_environment_is_used_untouched():
    finished = run("--", sys.executable, "-c", "import os; print(os.environ['ROUTING_TEST_POSTGRES_URL'])",
                   environment={"ROUTING_TEST_POSTGRES_URL": "postgresql+psycopg://someone@db.invalid/x"})
    assert finished.stdout.strip() == "postgresql+psycopg://someone@db.invalid/x"
