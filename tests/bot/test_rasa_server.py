"""The Rasa launcher installs the fixes before Rasa's command line reads its arguments, and gives
Rasa its API token from the environment, never from the visible command line."""
import argparse
import subprocess
import sys

import pytest
from rasa.cli.arguments.run import add_server_arguments

from rasa.core.actions.action import RemoteAction

from bot import action_result_check, rasa_server


def test_installs_the_fix_then_runs_rasa_with_the_arguments(monkeypatch):
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    seen = {}

    def fake_rasa_main():
        seen["argv"] = list(sys.argv)
        seen["fixed"] = RemoteAction._validate_action_result is action_result_check.validate_action_result

    rasa_server.main(["run", "--port", "5005"], rasa_main=fake_rasa_main)
    assert seen == {"argv": ["rasa", "run", "--port", "5005"], "fixed": True}


def test_reads_its_own_command_line_by_default(monkeypatch):
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)
    monkeypatch.setattr(sys, "argv", ["bot/rasa_server.py", "run", "--enable-api"])
    seen = []
    rasa_server.main(rasa_main=lambda: seen.append(list(sys.argv)), environ={"RASA_API_TOKEN": "t0ken"})
    assert seen == [["rasa", "run", "--enable-api", "--auth-token=t0ken"]]


def test_the_api_token_comes_from_the_environment_and_only_with_the_api():
    assert rasa_server.with_api_token(["run", "--enable-api", "--port", "5005"], {"RASA_API_TOKEN": " t0ken "}) == [
        "run", "--enable-api", "--port", "5005", "--auth-token=t0ken"]
    assert rasa_server.with_api_token(["run", "--port", "5005"], {"RASA_API_TOKEN": "t0ken"}) == ["run", "--port", "5005"]
    assert rasa_server.with_api_token(["train"], {}) == ["train"]


@pytest.mark.parametrize("args, environ, says", [
    (["run", "--enable-api"], {}, "RASA_API_TOKEN is not set"),  # never an open API
    (["run", "--enable-api"], {"RASA_API_TOKEN": "  "}, "RASA_API_TOKEN is not set"),
    (["run", "--enable-api", "--auth-token", "t0ken"], {"RASA_API_TOKEN": "t0ken"}, "not --auth-token"),
    (["run", "--enable-api", "--auth-token=t0ken"], {}, "not --auth-token"),
])
def test_an_open_api_or_a_token_in_the_arguments_stops_the_start(args, environ, says):
    with pytest.raises(SystemExit, match=says):
        rasa_server.main(args, rasa_main=lambda: pytest.fail("Rasa must not start"), environ=environ)


def test_a_token_that_begins_with_a_dash_is_read_by_rasa_as_the_token():
    parser = argparse.ArgumentParser()
    add_server_arguments(parser)
    args = rasa_server.with_api_token(["run", "--enable-api"], {"RASA_API_TOKEN": "-Xy_0"})[1:]
    assert parser.parse_args(args).auth_token == "-Xy_0"


def test_the_token_is_not_in_the_command_line_other_users_see():
    """What `ps` shows is the command as started: the token added in the process stays out of it."""
    script = ("import sys, pathlib; from bot import rasa_server; "
              "rasa_server.main(['run', '--enable-api'], rasa_main=lambda: print("
              "pathlib.Path('/proc/self/cmdline').read_bytes().decode().replace(chr(0), ' '), ' '.join(sys.argv), "
              "sep=chr(10)))")
    shown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                           env={"RASA_API_TOKEN": "s3cret-t0ken", "PYTHONPATH": "."}, check=True).stdout
    command_line, rasa_arguments = shown.splitlines()
    assert "s3cret-t0ken" in rasa_arguments and "s3cret-t0ken" not in command_line
