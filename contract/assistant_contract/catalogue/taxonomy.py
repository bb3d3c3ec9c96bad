"""The intent taxonomy (catalogue/taxonomy.yml): every intent she can type, its service
area, its title and what it covers, and which intents mean danger now.

Button payloads (choose_area …) and the intents the routing backend triggers
(expert_reply, handoff_closed) are in Rasa's domain only: no one types them.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

import yaml

from assistant_contract.catalogue import TAXONOMY_FILE, schemas


@dataclass(frozen=True)
class IntentInfo:
    name: str
    category: Optional[str]
    title: Optional[str]
    crisis: bool
    covers: str


class Taxonomy:
    def __init__(self, intents: Dict[str, IntentInfo]) -> None:
        self._intents = intents

    @classmethod
    def from_dict(cls, data: dict) -> "Taxonomy":
        """ValueError naming every problem when the data does not follow `schemas.TAXONOMY`."""
        problems = schemas.problems(data, schemas.TAXONOMY, "taxonomy")
        if problems:
            raise ValueError("\n".join(problems))
        intents = {}
        for name, entry in data["intents"].items():
            category = entry.get("category")
            intents[name] = IntentInfo(
                name=name,
                category=category,
                title=entry.get("title"),
                crisis=bool(entry.get("crisis", False)),
                covers=entry.get("covers", ""),
            )
        return cls(intents)

    @classmethod
    def from_file(cls, path: Path = TAXONOMY_FILE) -> "Taxonomy":
        return cls.from_dict(yaml.safe_load(Path(path).read_text(encoding="utf-8")))

    @property
    def intent_names(self) -> List[str]:
        return list(self._intents)

    def __contains__(self, intent: str) -> bool:
        return intent in self._intents

    def info(self, intent: Optional[str]) -> Optional[IntentInfo]:
        return self._intents.get(intent or "")

    def category_of(self, intent: Optional[str]) -> Optional[str]:
        """The service area of an intent; None for chit-chat, fallback and unknown intents."""
        info = self.info(intent)
        return info.category if info else None

    def is_crisis(self, intent: Optional[str]) -> bool:
        info = self.info(intent)
        return bool(info and info.crisis)

    def topics_in(self, category: str) -> List[IntentInfo]:
        """The non-crisis intents of a service area, in file order (for menus)."""
        return [
            info
            for info in self._intents.values()
            if info.category == category and not info.crisis
        ]
