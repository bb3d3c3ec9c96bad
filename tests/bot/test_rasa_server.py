"""The Rasa launcher installs the fixes before Rasa's command line reads its arguments."""
import sys

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
    rasa_server.main(rasa_main=lambda: seen.append(list(sys.argv)))
    assert seen == [["rasa", "run", "--enable-api"]]
