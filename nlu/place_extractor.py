"""Rasa component: her place (entity `place`) and the federation level she asks about (`org_level`).

The place's value is its full name (广东省佛山市顺德区): the conversation keeps
it in the `region` slot and every handoff carries it, so escalation can reach
her local federation.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.place_matcher import DEFAULT_RULES, PlaceMatcher, org_level

PLACE_ENTITY = "place"
LEVEL_ENTITY = "org_level"


@lru_cache(maxsize=2)
def _matcher(rules_path: str, rules_digest: str) -> PlaceMatcher:
    from nlu.gazetteer import load_gazetteer

    return PlaceMatcher.from_files(load_gazetteer(), Path(rules_path))


def _digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class PlaceExtractor(GraphComponent, EntityExtractorMixin):
    """Finds the most specific place she names, and a federation level like 区妇联."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"rules_path": str(DEFAULT_RULES)}

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[str]:
        return _digest(Path(config.get("rules_path") or DEFAULT_RULES))

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._rules_path = Path(config.get("rules_path") or DEFAULT_RULES)
        self._matcher: Optional[PlaceMatcher] = None

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "PlaceExtractor":
        return cls(config)

    @property
    def matcher(self) -> PlaceMatcher:
        if self._matcher is None:
            self._matcher = _matcher(str(self._rules_path), _digest(self._rules_path))
        return self._matcher

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not text or text.startswith("/"):
                continue  # payloads carry their own entities
            found = []
            mention = self.matcher.best(text)
            if mention is not None:
                found.append({"entity": PLACE_ENTITY, "value": mention.place.full_name,
                              "start": mention.start, "end": mention.end, "confidence_entity": 1.0})
            level = org_level(text)
            if level is not None:
                found.append({"entity": LEVEL_ENTITY, "value": level, "confidence_entity": 1.0})
            if found:
                found = self.add_extractor_name(found)
                message.set(ENTITIES, (message.get(ENTITIES) or []) + found, add_to_output=True)
        return messages
