"""The kind of person she names, and the area it belongs to.

"帮我找个律师" asks for a person and names no topic, yet a lawyer means 法律维权;
"能不能安排心理专家跟我聊一下" means 关爱服务, "女企业家协会怎么加入" 创业创新. The
classifier gives such a request `request_human`, which has no area: this finding
records the area of the person-kind she named (`person_kind`, in the parse
output), so that the handoff is routed there when nothing else gives an area.
The kinds and their words are in `person_kinds.yml`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Text

import yaml
from assistant_contract.areas import AREAS
from assistant_contract.catalogue.schemas import TEXT as NONEMPTY_TEXT
from assistant_contract.catalogue.schemas import problems
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.findings import PERSON_KIND

DEFAULT_KINDS = Path(__file__).with_name("person_kinds.yml")
SCHEMA = {  # person_kinds.yml
    "type": "object", "required": ["kinds"], "additionalProperties": False,
    "properties": {"kinds": {"type": "array", "minItems": 1, "items": {
        "type": "object", "required": ["kind", "area", "patterns"], "additionalProperties": False,
        "properties": {"kind": NONEMPTY_TEXT, "area": {"enum": list(AREAS)},
                       "patterns": {"type": "array", "minItems": 1, "items": NONEMPTY_TEXT}}}}},
}


@dataclass(frozen=True)
class PersonKind:
    kind: str  # what she reads: 律师, 心理咨询师, 家庭教育指导师, 创业导师
    area: str  # the service area it belongs to
    words: str  # the words that named it

    def as_finding(self) -> Dict[str, str]:
        return {"kind": self.kind, "area": self.area, "words": self.words}


class PersonKinds:
    """The person-kinds of `person_kinds.yml`, first match wins."""

    def __init__(self, kinds: Sequence[Dict[str, Any]]) -> None:
        self._kinds = []
        for entry in kinds:
            if entry.get("area") not in AREAS:
                raise ValueError(f"person kind {entry.get('kind')!r}: unknown area {entry.get('area')!r}")
            if not entry.get("patterns"):
                raise ValueError(f"person kind {entry.get('kind')!r} has no patterns")
            pattern = re.compile("|".join(f"(?:{p})" for p in entry["patterns"]), re.IGNORECASE)
            self._kinds.append((str(entry["kind"]), str(entry["area"]), pattern))

    @classmethod
    def from_file(cls, path: Path = DEFAULT_KINDS) -> "PersonKinds":
        """The file's kinds; a file that breaks the schema (a `patterns:` written as one
        string, an unknown area, a missing field) is refused whole, saying where."""
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        found = problems(data, SCHEMA, Path(path).name)
        if found:
            raise ValueError("; ".join(found))
        return cls(data["kinds"])

    def named_in(self, text: str) -> Optional[PersonKind]:
        """The first person-kind the (normalised) text names, or None."""
        for kind, area, pattern in self._kinds:
            found = pattern.search(text or "")
            if found:
                return PersonKind(kind, area, found.group())
        return None


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class PersonKindDetector(GraphComponent):
    """Records the person-kind she names and its area (`person_kind`), or None."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"kinds_path": str(DEFAULT_KINDS)}

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[str]:
        import hashlib

        path = {**cls.get_default_config(), **config}["kinds_path"]
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()

    def __init__(self, kinds: PersonKinds) -> None:
        self._kinds = kinds

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "PersonKindDetector":
        return cls(PersonKinds.from_file(Path(config["kinds_path"])))

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            found = self._kinds.named_in(text) if not text.startswith("/") else None
            message.set(PERSON_KIND, found.as_finding() if found else None, add_to_output=True)
        return messages
