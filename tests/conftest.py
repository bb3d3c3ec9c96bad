"""Shared fixtures: the trained model and the knowledge index (each loaded once) and tracker
builders for actions."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MODEL_PATH = Path(os.environ.get("ASSISTANT_MODEL", PROJECT_ROOT / "models" / "assistant.tar.gz"))
HELDOUT_FILE = PROJECT_ROOT / "tests" / "data" / "heldout_nlu.yml"


@pytest.fixture(scope="session")
def model_parser():
    """The trained model; `make test` trains it before running pytest."""
    if not MODEL_PATH.exists():
        pytest.fail(f"No trained model at {MODEL_PATH}: run `make train` (make test does).")
    from bot.nlu_model import RasaModelParser

    parser = RasaModelParser(MODEL_PATH)
    yield parser
    parser.close()


@pytest.fixture(scope="session")
def knowledge_index():
    """The real knowledge index (the catalogue's FAQ, cases and services), built once: building
    it takes seconds, and the tests only read it (it rebuilds itself if a catalogue file changes)."""
    from bot.knowledge_index import KnowledgeIndex

    return KnowledgeIndex()


def user_event(text: str, intent: Optional[str], confidence: float = 0.9, **parse_extra) -> Dict[str, Any]:
    parse_data = {"text": text, "intent": {"name": intent, "confidence": confidence}, **parse_extra}
    return {"event": "user", "text": text, "timestamp": 1_700_000_000.0, "parse_data": parse_data,
            "input_channel": "rest"}


def bot_event(text: str) -> Dict[str, Any]:
    return {"event": "bot", "text": text, "timestamp": 1_700_000_001.0}


def make_tracker(
    events: List[Dict[str, Any]],
    slots: Optional[Dict[str, Any]] = None,
    sender_id: str = "woman-1",
):
    from rasa_sdk import Tracker

    users = [e for e in events if e["event"] == "user"]
    latest = dict(users[-1]["parse_data"]) if users else {}
    return Tracker(
        sender_id=sender_id,
        slots=slots or {},
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )
