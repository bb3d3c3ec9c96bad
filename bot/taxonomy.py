"""The intent taxonomy (bot/taxonomy.yml): which service area each intent belongs to."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml
from assistant_contract.areas import AREAS

TAXONOMY_FILE = Path(__file__).with_name("taxonomy.yml")
FALLBACK_INTENT = "nlu_fallback"


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
        intents = {}
        for name, entry in (data.get("intents") or {}).items():
            category = entry.get("category")
            if category is not None and category not in AREAS:
                raise ValueError(f"intent {name}: unknown category {category!r}")
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

    def category_of(self, intent: Optional[str]) -> Optional[str]:
        """The service area of an intent; None for chit-chat, fallback and unknown intents."""
        info = self._intents.get(intent or "")
        return info.category if info else None

    def category_of_parse(self, parse: Dict[str, Any]) -> Optional[str]:
        """The service area of a parsed message. When the classifier fell back
        because two intents were too close, the area is still known if both
        belong to it ("抚养权还是财产?" is legal either way)."""
        intent = (parse.get("intent") or {}).get("name")
        if intent != FALLBACK_INTENT:
            return self.category_of(intent)
        contenders = [r for r in parse.get("intent_ranking") or [] if r.get("name") != FALLBACK_INTENT][:2]
        categories = {self.category_of(r.get("name")) for r in contenders}
        if len(contenders) == 2 and len(categories) == 1:
            return categories.pop()
        return None

    def is_crisis(self, intent: Optional[str]) -> bool:
        info = self._intents.get(intent or "")
        return bool(info and info.crisis)

    def topics_in(self, category: str) -> List[IntentInfo]:
        """The non-crisis intents of a service area, in file order (for menus)."""
        return [
            info
            for info in self._intents.values()
            if info.category == category and not info.crisis
        ]


@lru_cache(maxsize=1)
def load_taxonomy() -> Taxonomy:
    return Taxonomy.from_file()
