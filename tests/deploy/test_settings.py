"""ScaledSettings: SCALED_* from the environment, and the names and addresses that follow."""
from pathlib import Path

import pytest

from deploy.settings import PROJECT_ROOT, ScaledSettings


def test_every_setting_comes_from_its_scaled_variable():
    settings = ScaledSettings.from_env({
        "SCALED_BASE_PORT": "21000", "SCALED_WORKDIR": "var/elsewhere", "SCALED_DATABASE_PREFIX": "mine",
        "SCALED_POSTGRES_URL": "postgresql://postgres@127.0.0.1:5433", "SCALED_REDIS_URL": "redis://127.0.0.1:6380/2",
        "SCALED_RABBITMQ_URL": "amqp://u:p@127.0.0.1:5673/%2F", "SCALED_QUEUE": "q", "SCALED_MODEL": "/m.tar.gz"})
    assert settings.workdir == PROJECT_ROOT / "var" / "elsewhere"  # relative: to the project
    assert settings.ports["front"] == 21000 and settings.ports["rasa-2"] == 21002
    assert settings.front_url == "http://127.0.0.1:21000"
    assert settings.url_of("actions-front") == "http://127.0.0.1:21007"
    assert settings.tracker_database_url == "postgresql://postgres@127.0.0.1:5433/mine_tracker"
    assert settings.routing_database_url == "postgresql+psycopg://postgres@127.0.0.1:5433/mine_routing"
    assert (settings.redis_url, settings.rabbitmq_url, settings.queue) == (
        "redis://127.0.0.1:6380/2", "amqp://u:p@127.0.0.1:5673/%2F", "q")
    assert settings.model_path == Path("/m.tar.gz")


def test_the_defaults_are_the_machines_own_servers():
    settings = ScaledSettings.from_env({})
    assert settings.workdir == PROJECT_ROOT / "var" / "scaled"
    assert settings.front_url == "http://127.0.0.1:18000"
    assert settings.model_path == PROJECT_ROOT / "models" / "assistant.tar.gz"
    assert settings.tracker_database_url == "postgresql://postgres@127.0.0.1:5432/assistant_scaled_tracker"


def test_a_driver_in_the_postgres_url_does_not_reach_either_service():
    settings = ScaledSettings.from_env({"SCALED_POSTGRES_URL": "postgresql+psycopg2://postgres@db:5432"})
    assert settings.tracker_database_url.startswith("postgresql://postgres@db:5432/")
    assert settings.routing_database_url.startswith("postgresql+psycopg://postgres@db:5432/")


def test_names_of_its_own_for_rasas_locks_exchange_and_shared_keys():
    settings = ScaledSettings.from_env({"SCALED_DATABASE_PREFIX": "faults_1", "SCALED_QUEUE": "faults_events"})
    assert settings.lock_prefix == "faults1"  # Rasa takes letters and digits only
    assert settings.redis_prefix == "faults_1"
    assert settings.exchange == "faults_events.exchange"


@pytest.mark.parametrize("prefix", ["Upper", "with-dash", "a;drop", "", "x" * 60])
def test_a_prefix_that_cannot_name_a_database_is_refused(prefix):
    with pytest.raises(ValueError):
        ScaledSettings(root=PROJECT_ROOT, workdir=PROJECT_ROOT / "var", database_prefix=prefix)


def test_an_unknown_server_has_no_address():
    with pytest.raises(ValueError):
        ScaledSettings.from_env({}).url_of("rasa-3")
