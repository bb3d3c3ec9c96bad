"""Typed values from the environment for the channels' settings; the var dir as bot.settings reads it."""
import os

import pytest

from bot.settings import Settings
from connectors.environment import environment, flag, items, number, text, var_dir, whole_number


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


@pytest.mark.parametrize("value", [None, "var", "elsewhere/state", "/srv/assistant/var", ""])
def test_the_var_dir_is_the_one_bot_settings_names(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("ASSISTANT_VAR_DIR", raising=False)
    else:
        monkeypatch.setenv("ASSISTANT_VAR_DIR", value)
    assert var_dir() == Settings.from_env().var_dir
