"""The scripted conversations of the load bench, read from conversations.yml and checked.

A simulated woman holds them one after another, each under a new conversation id;
which one she starts with depends on her number, so every level mixes them evenly.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Optional, Tuple

import yaml

CONVERSATIONS_FILE = Path(__file__).with_name("conversations.yml")
TURN_KINDS = ("greeting", "faq", "follow_up", "handoff", "waiting", "thanks")
AREAS = ("legal", "family_education", "care", "entrepreneurship")


@dataclass(frozen=True)
class Turn:
    kind: str
    text: str


@dataclass(frozen=True)
class Conversation:
    id: str
    kind: str
    turns: Tuple[Turn, ...]
    handoff: Optional[str] = None  # the area of the person she asks for, if she asks for one


def _turn(raw: Any, where: str) -> Turn:
    if not isinstance(raw, dict) or set(raw) != {"kind", "text"}:
        raise ValueError(f"{where}: a turn has exactly `kind` and `text`")
    if raw["kind"] not in TURN_KINDS:
        raise ValueError(f"{where}: kind {raw['kind']!r} is not one of {', '.join(TURN_KINDS)}")
    if not isinstance(raw["text"], str) or not raw["text"].strip():
        raise ValueError(f"{where}: empty text")
    return Turn(kind=raw["kind"], text=raw["text"])


def _conversation(raw: Any, number: int) -> Conversation:
    if not isinstance(raw, dict) or not raw.get("id") or not raw.get("turns"):
        raise ValueError(f"conversation {number}: needs an id and turns")
    where = f"conversation {raw['id']}"
    handoff = raw.get("handoff")
    if handoff is not None and handoff not in AREAS:
        raise ValueError(f"{where}: handoff {handoff!r} is not one of {', '.join(AREAS)}")
    turns = tuple(_turn(turn, f"{where}, turn {index + 1}") for index, turn in enumerate(raw["turns"]))
    if (handoff is not None) != any(turn.kind == "handoff" for turn in turns):
        raise ValueError(f"{where}: a `handoff` area goes with a turn of kind handoff, and only then")
    return Conversation(id=str(raw["id"]), kind=str(raw.get("kind") or ""), turns=turns, handoff=handoff)


def parse(document: Any) -> Tuple[Conversation, ...]:
    if not isinstance(document, dict) or document.get("version") != 1:
        raise ValueError("the conversations file needs `version: 1`")
    conversations = tuple(_conversation(raw, number) for number, raw in
                          enumerate(document.get("conversations") or [], start=1))
    if not conversations:
        raise ValueError("no conversations")
    ids = [conversation.id for conversation in conversations]
    if len(set(ids)) != len(ids):
        raise ValueError("conversation ids must be unique")
    return conversations


def load(path: Path = CONVERSATIONS_FILE) -> Tuple[Conversation, ...]:
    return parse(yaml.safe_load(Path(path).read_text(encoding="utf-8")))


def rotation(conversations: Tuple[Conversation, ...], user: int) -> Iterator[Conversation]:
    """The conversations of user number `user`, endlessly, starting at a different one per user."""
    count = len(conversations)
    position = user % count
    while True:
        yield conversations[position]
        position = (position + 1) % count
