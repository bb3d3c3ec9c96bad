"""Reading conversation files (blind.yml, team.yml) into checked, typed conversations.

A file is refused at load time, not half-played: a misspelt key or an unquoted `no`
(YAML reads it as false) would otherwise turn a check into no check at all.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import yaml

CONVERSATIONS_FOLDER = Path(__file__).resolve().parent
DEFAULT_FILES = (CONVERSATIONS_FOLDER / "blind.yml", CONVERSATIONS_FOLDER / "team.yml",
                 CONVERSATIONS_FOLDER / "unseen.yml", CONVERSATIONS_FOLDER / "themes.yml",
                 CONVERSATIONS_FOLDER / "blind_more.yml", CONVERSATIONS_FOLDER / "blind_third.yml",
                 CONVERSATIONS_FOLDER / "blind_fourth.yml", CONVERSATIONS_FOLDER / "blind_fifth.yml",
                 CONVERSATIONS_FOLDER / "blind_sixth.yml", CONVERSATIONS_FOLDER / "blind_seventh.yml")

AREAS = ("legal", "care", "entrepreneurship", "family_education", "none")
DANGER_VALUES = ("now", "no")
HANDOFF_VALUES = ("opened", "urgent", "none")
SOURCES = ("blind", "issue", "team", "unseen")

CONVERSATION_KEYS = {"id", "writer", "note", "source", "turns"}
# What she does in a turn: type `user`, or press the button titled `press` in the previous reply.
ACTION_KEYS = {"user", "press", "chars"}
CHECK_KEYS = {"area", "danger", "handoff", "handoff_category", "mention", "not_mention", "safety",
              "max_messages", "not_repeated", "forwarded_verbatim"}


class SpecError(ValueError):
    """A conversation file that cannot be played as written."""


@dataclass(frozen=True)
class Turn:
    index: int
    user: Optional[str]
    press: Optional[str]
    expect: Dict[str, Any]  # check name -> expected value, exactly as written

    @property
    def safety(self) -> bool:
        return bool(self.expect.get("safety"))

    @property
    def checked(self) -> bool:
        """Whether the turn states any outcome (a turn may only set the scene)."""
        return bool(self.expect)

    @property
    def shown(self) -> str:
        """Her message as a reader of the report should see it."""
        return self.user if self.user is not None else f"[按钮] {self.press}"


@dataclass(frozen=True)
class Conversation:
    id: str
    source: str
    writer: str
    note: str
    file: str
    turns: List[Turn] = field(default_factory=list)

    @property
    def theme(self) -> str:
        """The second part of the id (blind-danger-01 → danger): both files name themes so."""
        parts = self.id.split("-")
        return parts[1] if len(parts) >= 3 else "other"


def _fail(where: str, problem: str) -> SpecError:
    return SpecError(f"{where}: {problem}")


def _check_values(where: str, expect: Dict[str, Any]) -> None:
    """Each check's value has the one shape the checks understand."""
    if "area" in expect and expect["area"] not in AREAS:
        raise _fail(where, f"area must be one of {AREAS}, got {expect['area']!r}")
    if "danger" in expect and expect["danger"] not in DANGER_VALUES:
        raise _fail(where, f"danger must be \"now\" or \"no\" (quote no), got {expect['danger']!r}")
    if "handoff" in expect and expect["handoff"] not in HANDOFF_VALUES:
        raise _fail(where, f"handoff must be one of {HANDOFF_VALUES}, got {expect['handoff']!r}")
    if "handoff_category" in expect and expect["handoff_category"] not in AREAS[:-1]:
        raise _fail(where, f"handoff_category must be one of {AREAS[:-1]}")
    mention = expect.get("mention")
    if mention is not None and not (isinstance(mention, list) and mention and all(
            isinstance(group, list) and group and all(isinstance(s, str) and s for s in group)
            for group in mention)):
        raise _fail(where, "mention must be a list of groups, each a non-empty list of strings")
    not_mention = expect.get("not_mention")
    if not_mention is not None and not (isinstance(not_mention, list) and not_mention
                                        and all(isinstance(s, str) and s for s in not_mention)):
        raise _fail(where, "not_mention must be a non-empty list of strings")
    for flag in ("safety", "not_repeated", "forwarded_verbatim"):
        if flag in expect and expect[flag] is not True:
            raise _fail(where, f"{flag} is written only as `{flag}: true`")
    if "max_messages" in expect and not (isinstance(expect["max_messages"], int)
                                         and expect["max_messages"] > 0):
        raise _fail(where, "max_messages must be a positive whole number")


def _turn(where: str, index: int, raw: Any) -> Turn:
    if not isinstance(raw, dict):
        raise _fail(where, "a turn is a mapping")
    unknown = set(raw) - ACTION_KEYS - CHECK_KEYS
    if unknown:
        raise _fail(where, f"unknown keys {sorted(unknown)}")
    user, press = raw.get("user"), raw.get("press")
    if (user is None) == (press is None):
        raise _fail(where, "a turn has exactly one of `user` (she types) or `press` (she presses a button)")
    for name, value in (("user", user), ("press", press)):
        if value is not None and not isinstance(value, str):
            raise _fail(where, f"{name} must be text (quote it)")
    if "chars" in raw and (user is None or len(user) != raw["chars"]):
        raise _fail(where, f"chars says {raw.get('chars')} characters, the message has "
                           f"{len(user) if user is not None else 'none'}")
    if index == 0 and press is not None:
        raise _fail(where, "the first turn cannot press a button: nothing was offered yet")
    expect = {key: raw[key] for key in CHECK_KEYS if key in raw}
    _check_values(where, expect)
    return Turn(index=index, user=user, press=press, expect=expect)


def parse_file(path: Path, data: Dict[str, Any]) -> List[Conversation]:
    """Conversations from the parsed YAML of `path`; blind.yml has no `source`: its source is blind."""
    if not isinstance(data, dict) or not isinstance(data.get("conversations"), list):
        raise _fail(str(path), "expected `conversations:` with a list")
    conversations, seen = [], set()
    for raw in data["conversations"]:
        where = f"{path.name}: {raw.get('id') if isinstance(raw, dict) else raw!r}"
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            raise _fail(where, "each conversation needs an `id`")
        unknown = set(raw) - CONVERSATION_KEYS
        if unknown:
            raise _fail(where, f"unknown keys {sorted(unknown)}")
        if raw["id"] in seen:
            raise _fail(where, "duplicate id")
        seen.add(raw["id"])
        source = raw.get("source", "blind")
        if source not in SOURCES:
            raise _fail(where, f"source must be one of {SOURCES}")
        turns = raw.get("turns")
        if not isinstance(turns, list) or not turns:
            raise _fail(where, "a conversation needs turns")
        conversations.append(Conversation(
            id=raw["id"], source=source, writer=str(raw.get("writer", "")), note=str(raw.get("note", "")),
            file=path.name,
            turns=[_turn(f"{where} turn {i + 1}", i, turn) for i, turn in enumerate(turns)]))
    return conversations


def load_files(paths: Sequence[Path] = DEFAULT_FILES) -> List[Conversation]:
    conversations: List[Conversation] = []
    for path in paths:
        path = Path(path)
        conversations.extend(parse_file(path, yaml.safe_load(path.read_text(encoding="utf-8"))))
    ids = [c.id for c in conversations]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise SpecError(f"ids used twice across files: {duplicates}")
    return conversations


def select(conversations: Sequence[Conversation], only: Sequence[str] = ()) -> List[Conversation]:
    """The conversations whose id is, or starts with, one of `only` (all when empty)."""
    if not only:
        return list(conversations)
    return [c for c in conversations if any(c.id == o or c.id.startswith(o) for o in only)]
