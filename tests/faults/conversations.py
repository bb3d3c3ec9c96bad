"""The scripted conversations the simulated women play (conversations.yml), checked on load."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Tuple

import yaml

SCRIPTS = Path(__file__).with_name("conversations.yml")


@dataclass(frozen=True)
class Script:
    id: str
    turns: Tuple[str, ...]
    asks_for_person: Optional[int] = None  # the turn that should open her handoff

    @property
    def wants_person(self) -> bool:
        return self.asks_for_person is not None


def parse(items: object) -> List[Script]:
    """The scripts of a YAML document; a malformed one is refused with the reason."""
    if not isinstance(items, list) or not items:
        raise ValueError("the file must be a non-empty list of conversations")
    scripts, seen = [], set()
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
            raise ValueError(f"a conversation needs an `id`: {item!r}")
        turns = item.get("turns")
        if not isinstance(turns, list) or not turns or not all(isinstance(t, str) and t.strip() for t in turns):
            raise ValueError(f"{item['id']}: `turns` must be a non-empty list of messages")
        asks = item.get("asks_for_person")
        if asks is not None and (not isinstance(asks, int) or isinstance(asks, bool) or not 0 <= asks < len(turns)):
            raise ValueError(f"{item['id']}: `asks_for_person` must be the index of one of its turns")
        if item["id"] in seen:
            raise ValueError(f"{item['id']}: used twice")
        seen.add(item["id"])
        scripts.append(Script(item["id"], tuple(turns), asks))
    return scripts


def load(path: Path = SCRIPTS) -> List[Script]:
    return parse(yaml.safe_load(path.read_text(encoding="utf-8")))
