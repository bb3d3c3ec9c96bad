"""Requests for cases, which win over the topic they mention.

"有没有彩礼纠纷的案例" names a legal topic, and the intent classifier follows the
topic words; the words that ask for cases are few and explicit, so a short
pattern list finds them and `IntentDecision` makes the message `ask_case`.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.findings import ASKS_FOR_CASES

DEFAULT_PATTERNS = [
    r"案例|个案|判例|先例|例子|案子可以参考|真实经历",
    r"别(人|的)[^.!?。！？]{0,20}(最后|结果|后来)",
]


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class CaseRequestDetector(GraphComponent):
    """Records whether the (normalised) message explicitly asks for cases."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"patterns": DEFAULT_PATTERNS}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._pattern = re.compile("|".join(f"(?:{p})" for p in config["patterns"]))

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "CaseRequestDetector":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            message.set(ASKS_FOR_CASES, bool(self._pattern.search(message.get(TEXT) or "")))
        return messages
