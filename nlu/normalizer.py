"""Graph component that normalises Chinese text before jieba sees it.

Only the copy of the text that the model reads is changed: the tracker stores
the message exactly as she wrote it (Rasa logs `UserMessage.text`).
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.text import normalize

ORIGINAL_TEXT = "original_text"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False
)
class ChineseTextNormalizer(GraphComponent):
    """Traditional → simplified, full-width → half-width, emoji and control
    characters removed, whitespace made safe for jieba, very long text cut."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"max_chars": 512, "tail_chars": 160}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._max_chars = int(config["max_chars"])
        self._tail_chars = int(config["tail_chars"])
        if not 0 < self._tail_chars < self._max_chars:
            raise ValueError("tail_chars must be positive and smaller than max_chars")

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "ChineseTextNormalizer":
        return cls(config)

    @staticmethod
    def required_packages() -> List[Text]:
        return ["opencc"]

    def _normalize_message(self, message: Message) -> None:
        text = message.get(TEXT)
        if text is None:
            return  # e.g. intent-only training examples
        if message.get(ORIGINAL_TEXT) is None:
            message.set(ORIGINAL_TEXT, text)
        normalized = normalize(text, self._max_chars, self._tail_chars)
        if normalized.startswith("/") and not text.startswith("/"):
            # Rasa's RegexMessageHandler runs after this component and reads "/intent{…}"
            # as a payload: "／request_human" or "😀/share_location{…}" typed by her must
            # stay words, never become an intent with entities she chose
            normalized = normalized.lstrip("/ ")
        message.set(TEXT, normalized)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            self._normalize_message(example)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._normalize_message(message)
        return messages
