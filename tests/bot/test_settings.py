import pytest

from bot.settings import PROJECT_ROOT, Settings


def test_defaults_work_without_any_environment(monkeypatch):
    for name in ("ASSISTANT_VAR_DIR", "ASSISTANT_MODEL", "ASSISTANT_HANDOFF_DB", "SLA_NORMAL_HOURS"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings.from_env()
    assert settings.model_path == PROJECT_ROOT / "models" / "assistant.tar.gz"
    assert settings.handoff_store_path == PROJECT_ROOT / "var" / "handoff_requests.db"
    assert (settings.sla_normal_hours, settings.sla_urgent_hours) == (48, 1)


def test_values_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ASSISTANT_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("SLA_NORMAL_HOURS", "24")
    settings = Settings.from_env()
    assert settings.handoff_store_path == tmp_path / "handoff_requests.db"
    assert settings.sla_normal_hours == 24


@pytest.mark.parametrize("value", ["abc", "0", "-3"])
def test_bad_sla_is_refused(monkeypatch, value):
    monkeypatch.setenv("SLA_NORMAL_HOURS", value)
    with pytest.raises(ValueError):
        Settings.from_env()


def test_a_given_mapping_is_read_instead_of_the_process_environment(tmp_path):
    settings = Settings.from_env({"ASSISTANT_VAR_DIR": str(tmp_path), "ASSISTANT_MODEL": "models/other.tar.gz",
                                  "SLA_URGENT_HOURS": "2", "ROUTING_URL": "", "ROUTING_SERVICE_TOKEN": " t "})
    assert settings.var_dir == tmp_path and settings.handoff_store_path == tmp_path / "handoff_requests.db"
    assert settings.model_path == PROJECT_ROOT / "models" / "other.tar.gz"
    assert (settings.sla_urgent_hours, settings.environment) == (2, "development")
    assert (settings.routing_url, settings.routing_token) == ("http://localhost:8000", "t")


def test_a_bad_number_names_the_variable():
    with pytest.raises(ValueError, match="SLA_URGENT_HOURS must be a whole number, got 'soon'"):
        Settings.from_env({"SLA_URGENT_HOURS": "soon"})
