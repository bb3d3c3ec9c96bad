"""Running the dialogue actions as Rasa does: with the project's domain (the actions
read their texts and variants from its responses) and a tracker built from events."""
from __future__ import annotations

import asyncio
import inspect
from functools import lru_cache
from typing import Any, Dict, List, Optional, Tuple

import yaml
from rasa_sdk.executor import CollectingDispatcher

from tests.conftest import PROJECT_ROOT, bot_event, make_tracker, user_event


@lru_cache(maxsize=1)
def domain() -> Dict[str, Any]:
    return yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))


def run_action(action, events: List[Dict[str, Any]], slots: Optional[Dict[str, Any]] = None
               ) -> Tuple[List[Dict[str, Any]], Dict[str, Any]]:
    """(messages sent, slots set: name → last value) for one run of `action`."""
    dispatcher = CollectingDispatcher()
    result = action.run(dispatcher, make_tracker(events, slots=slots), domain())
    returned = asyncio.run(result) if inspect.iscoroutine(result) else result
    return dispatcher.messages, {e["name"]: e["value"] for e in returned if e.get("event") == "slot"}


def said(messages: List[Dict[str, Any]]) -> str:
    """Everything she reads: texts and button titles."""
    return "\n".join([m.get("text") or "" for m in messages]
                     + [b["title"] for m in messages for b in m.get("buttons") or []])


def crisis_event(text: str, crisis_type: str, whose: str = "self", who: Optional[str] = None,
                 source: str = "lexicon") -> Dict[str, Any]:
    return user_event(text, f"crisis_{crisis_type}", 1.0, crisis={
        "detected": True, "type": crisis_type, "whose": whose, "who": who, "source": source})


def topic(area: str, faq_id: Optional[str] = None, intent: Optional[str] = None, crisis: Optional[str] = None,
          turn: int = 1) -> Dict[str, Any]:
    return {"area": area, "faq_id": faq_id, "intent": intent, "crisis": crisis, "turn": turn}


__all__ = ["bot_event", "crisis_event", "domain", "run_action", "said", "topic", "user_event"]
