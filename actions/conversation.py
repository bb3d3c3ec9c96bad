"""Reading what the conversation so far says: transcript, service area, channel."""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker

from bot.taxonomy import Taxonomy

MAX_TRANSCRIPT_EVENTS = 30
MAX_SUMMARY_CHARS = 300


def transcript(tracker: Tracker, limit: int = MAX_TRANSCRIPT_EVENTS) -> List[Dict[str, Any]]:
    """The recent user and bot messages, oldest first."""
    lines = []
    for event in tracker.events:
        kind = event.get("event")
        if kind not in ("user", "bot") or not event.get("text"):
            continue
        entry = {"role": kind, "text": event["text"], "time": event.get("timestamp")}
        if kind == "user":
            entry["intent"] = (event.get("parse_data") or {}).get("intent", {}).get("name")
        lines.append(entry)
    return lines[-limit:]


def user_messages(tracker: Tracker) -> List[Dict[str, Any]]:
    return [line for line in transcript(tracker) if line["role"] == "user"]


def summary(tracker: Tracker, taxonomy: Taxonomy) -> str:
    """Her own words, the most relevant first: messages with a service intent, newest last."""
    messages = user_messages(tracker)
    relevant = [m for m in messages if taxonomy.category_of(m.get("intent"))] or messages
    text = " / ".join(m["text"].strip() for m in relevant[-3:] if m["text"].strip())
    return text[:MAX_SUMMARY_CHARS] + ("…" if len(text) > MAX_SUMMARY_CHARS else "")


def latest_service_intent(tracker: Tracker, taxonomy: Taxonomy) -> Optional[str]:
    """The most recent intent that belongs to a service area."""
    for message in reversed(user_messages(tracker)):
        if taxonomy.category_of(message.get("intent")):
            return message["intent"]
    return None


def channel(tracker: Tracker) -> Optional[str]:
    return tracker.get_latest_input_channel()


def previous_user_intent(tracker: Tracker) -> Optional[str]:
    """The intent of the user message before the latest one."""
    intents = [m.get("intent") for m in user_messages(tracker)]
    return intents[-2] if len(intents) >= 2 else None
