from pathlib import Path

import pytest

from bench.load.settings import FULL_USERS, LoadSettings


def test_defaults_are_the_issues_levels():
    settings = LoadSettings.from_env({})
    assert settings.users == FULL_USERS == (1, 20, 50, 100)
    assert settings.seconds == 60.0 and settings.reply_timeout == 30.0
    assert settings.workdir == Path(__file__).resolve().parents[3] / "var" / "bench-load"


def test_the_environment_sets_levels_and_times():
    settings = LoadSettings.from_env({"BENCH_LOAD_USERS": "1, 5", "BENCH_LOAD_SECONDS": "10",
                                      "BENCH_LOAD_BARE_EPOCHS": "2"})
    assert (settings.users, settings.seconds, settings.bare_epochs) == ((1, 5), 10.0, 2)


@pytest.mark.parametrize("environ", [{"BENCH_LOAD_USERS": "0"}, {"BENCH_LOAD_SECONDS": "3600"},
                                     {"BENCH_LOAD_REPLY_TIMEOUT": "500"}, {"BENCH_LOAD_SECONDS": "soon"}])
def test_unbounded_or_malformed_settings_are_refused(environ):
    with pytest.raises(ValueError):
        LoadSettings.from_env(environ)
