"""A broker row as an archive row. Only what staff read is kept: her messages with their
classification and channel, the bot's messages, and the two slots the console shows (the
FAQ an answer gave, her rating of it). Other slots stay with Rasa: they may hold her contact
details, which reach staff through the handoff, under its rules.

A row that cannot be read raises `MalformedEvent`; the consumer logs it and goes on.
"""
from __future__ import annotations

import json
import math
import re
from datetime import datetime, timezone
from typing import Any, Optional

from routing.archive.sources import BrokerRow
from routing.models import ArchivedEvent

ARCHIVED_SLOTS = ("last_faq_id", "last_feedback")
EXTERNAL = "EXTERNAL: "  # rasa.shared.core.constants.EXTERNAL_MESSAGE_PREFIX
MAX_CONVERSATION_ID = 255  # the column's size, and Rasa's own (SQLTrackerStore, SQLEventBroker)
SURROGATE = re.compile("[\ud800-\udfff]")


class MalformedEvent(ValueError):
    """The row is not an event Rasa would publish."""


def _clean(value: Any, limit: Optional[int] = None) -> Optional[str]:
    """Text every database takes: no NUL (PostgreSQL refuses it), no lone surrogates."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise MalformedEvent(f"a text field holds {type(value).__name__}")
    text = SURROGATE.sub("\ufffd", value.replace("\x00", ""))
    return text[:limit] if limit else text


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _moment(value: Any) -> datetime:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise MalformedEvent("no usable timestamp")
    try:
        return datetime.fromtimestamp(value, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        raise MalformedEvent("timestamp out of range") from None


def _conversation(row: BrokerRow, body: dict) -> str:
    sender = row.sender_id if row.sender_id is not None else body.get("sender_id")
    if not isinstance(sender, str) or not sender or "\x00" in sender or len(sender) > MAX_CONVERSATION_ID:
        raise MalformedEvent("no usable sender id")
    try:
        sender.encode("utf-8")
    except UnicodeEncodeError:
        raise MalformedEvent("sender id is not valid text") from None
    return sender


def _user(event: ArchivedEvent, body: dict) -> None:
    intent = _dict(_dict(body.get("parse_data")).get("intent"))
    confidence = intent.get("confidence")
    event.text = _clean(body.get("text"))
    event.intent = _clean(intent.get("name"), 255) if isinstance(intent.get("name"), str) else None
    event.confidence = float(confidence) if isinstance(confidence, (int, float)) and not isinstance(
        confidence, bool) else None
    event.channel = _clean(body.get("input_channel"), 64) if isinstance(body.get("input_channel"), str) else None
    event.external = bool(_dict(body.get("metadata")).get("is_external")) or (event.text or "").startswith(EXTERNAL)


def _bot(event: ArchivedEvent, body: dict) -> None:
    event.text = _clean(body.get("text"))
    buttons = _dict(body.get("data")).get("buttons")
    if isinstance(buttons, list) and buttons:
        titles = [str(button.get("title", "")) if isinstance(button, dict) else "" for button in buttons]
        event.buttons = _clean(json.dumps(titles, ensure_ascii=False))


def archived_event(source: str, row: BrokerRow) -> Optional[ArchivedEvent]:
    """The archive row for a broker row; None for events staff do not read (actions,
    session starts, other slots)."""
    try:
        body = json.loads(row.data) if row.data is not None else None
    except ValueError as error:
        raise MalformedEvent(f"not JSON ({error})") from None
    if not isinstance(body, dict) or not isinstance(body.get("event"), str):
        raise MalformedEvent("not a Rasa event (a JSON object with `event`)")
    kind = body["event"]
    if kind not in ("user", "bot", "slot") or (kind == "slot" and body.get("name") not in ARCHIVED_SLOTS):
        return None
    event = ArchivedEvent(source=source, broker_id=row.position, fingerprint=row.fingerprint,
                          conversation_id=_conversation(row, body), event_type=kind,
                          at=_moment(body.get("timestamp")), external=False)
    if kind == "user":
        _user(event, body)
    elif kind == "bot":
        _bot(event, body)
    else:
        event.slot = body["name"]
        event.value = _clean(json.dumps(body.get("value"), ensure_ascii=False))
    return event
