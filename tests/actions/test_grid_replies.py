"""The grid messages come from the domain (actions/grid_replies.py): every response the
grid actions name exists, and placeholders are filled in texts and button titles."""
import re
from pathlib import Path

from actions.grid_replies import render
from tests.actions.dialogue_support import domain
from tests.conftest import PROJECT_ROOT


def test_every_response_the_grid_actions_name_is_in_the_domain():
    named = set()
    for path in Path(PROJECT_ROOT / "actions").glob("grid_*.py"):
        named |= set(re.findall(r'"(utter_grid_[a-z_]+)"', path.read_text(encoding="utf-8")))
    named |= {f"utter_grid_again_{slot}" for slot in ("grid_subject", "grid_place", "grid_what", "grid_urgency",
                                                       "grid_consent", "grid_no_consent_reason", "grid_confirmed")}
    assert named - set(domain()["responses"]) == set()
    assert len(named) > 20


def test_placeholders_are_filled_in_text_and_buttons():
    message = render(domain(), "utter_grid_ask_place", grid_name="三村第二网格")
    assert "「三村第二网格」" in message["text"] and message["buttons"][0]["title"] == "就在三村第二网格"
    assert "{" not in message["text"]
