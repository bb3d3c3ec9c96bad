"""The Rasa side's one reader of the environment: typed values, project paths, the var dir, ASSISTANT_ENV."""
import os
from pathlib import Path

import pytest

from bot.environment import (PROJECT_ROOT, deployment, environment, flag, items, number, path, text, var_dir,
                             whole_number)


def test_the_process_environment_unless_a_mapping_is_given():
    given = {"A": "1"}
    assert environment(None) is os.environ and environment(given) is given


def test_text_is_stripped_and_unset_or_blank_is_the_default():
    environ = {"TOKEN": " t0k3n ", "BLANK": "  "}
    assert text(environ, "TOKEN") == "t0k3n"
    assert text(environ, "BLANK", "fallback") == text(environ, "UNSET", "fallback") == "fallback"
    assert text(environ, "UNSET") == ""


def test_numbers_and_whole_numbers_name_the_variable_when_wrong():
    environ = {"SECONDS": "4.5", "COUNT": "3", "WRONG": "soon", "EMPTY": ""}
    assert number(environ, "SECONDS", 1.0) == 4.5 and number(environ, "EMPTY", 1.0) == number(environ, "UNSET", 1.0) == 1.0
    assert whole_number(environ, "COUNT", 1) == 3 and whole_number(environ, "UNSET", 7) == 7
    with pytest.raises(ValueError, match="WRONG must be a number, got 'soon'"):
        number(environ, "WRONG", 1.0)
    with pytest.raises(ValueError, match="SECONDS must be a whole number, got '4.5'"):
        whole_number(environ, "SECONDS", 1)


@pytest.mark.parametrize("raw, expected", [("1", True), ("True", True), (" yes ", True), ("on", True),
                                           ("0", False), ("false", False), ("NO", False), ("off", False)])
def test_flags(raw, expected):
    assert flag({"FLAG": raw}, "FLAG", not expected) is expected


def test_an_unset_flag_is_its_default_and_anything_else_is_refused():
    assert flag({}, "FLAG", True) is True and flag({"FLAG": ""}, "FLAG", False) is False
    with pytest.raises(ValueError, match="FLAG must be true or false"):
        flag({"FLAG": "maybe"}, "FLAG", False)


def test_lists_are_comma_separated_and_empty_items_left_out():
    assert items({"ORIGINS": " https://a.example , ,http://b.example,"}, "ORIGINS") == (
        "https://a.example", "http://b.example")
    assert items({}, "ORIGINS") == ()


def test_a_relative_path_is_taken_from_the_project_root_and_unset_or_blank_is_the_default(tmp_path):
    environ = {"MODEL": "models/other.tar.gz", "ABSOLUTE": str(tmp_path), "BLANK": " "}
    assert path(environ, "MODEL", "x") == PROJECT_ROOT / "models" / "other.tar.gz"
    assert path(environ, "ABSOLUTE", "x") == tmp_path
    assert path(environ, "BLANK", "var") == path(environ, "UNSET", "var") == PROJECT_ROOT / "var"


@pytest.mark.parametrize("value, expected", [
    (None, PROJECT_ROOT / "var"), ("var", PROJECT_ROOT / "var"), ("", PROJECT_ROOT / "var"),
    ("elsewhere/state", PROJECT_ROOT / "elsewhere" / "state"), ("/srv/assistant/var", Path("/srv/assistant/var")),
])
def test_the_var_dir_rule(monkeypatch, value, expected):
    """ASSISTANT_VAR_DIR, default var/, relative to the project; from the mapping given, else the process."""
    if value is None:
        monkeypatch.delenv("ASSISTANT_VAR_DIR", raising=False)
    else:
        monkeypatch.setenv("ASSISTANT_VAR_DIR", value)
    assert var_dir() == expected
    assert var_dir({} if value is None else {"ASSISTANT_VAR_DIR": value}) == expected


@pytest.mark.parametrize("environ, expected", [
    ({}, "development"), ({"ASSISTANT_ENV": "production"}, "production"),
    ({"ASSISTANT_ENV": ""}, ""), ({"ASSISTANT_ENV": " development"}, " development"),
])
def test_only_an_unset_assistant_env_means_development(environ, expected):
    """Empty or misspelt is not development: the strict checks for secrets apply."""
    assert deployment(environ) == expected
