"""Messages with nothing to read (empty, spaces, emoji only).

Without this finding the classifier's pick for an empty feature vector would
stand, with a confidence that means nothing; `IntentDecision` sends her to
the clarification instead.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.findings import NOTHING_TO_READ


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class EmptyMessageDetector(GraphComponent):
    """Records whether the normalised text is empty."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "EmptyMessageDetector":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            message.set(NOTHING_TO_READ, not (message.get(TEXT) or "").strip())
        return messages
