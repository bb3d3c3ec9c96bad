"""Graph component that normalises Chinese text before jieba sees it.

Only the copy of the text that the model reads is changed: the tracker stores
the message exactly as she wrote it (Rasa logs `UserMessage.text`).

Two copies come out. `text`, for the intent classifier, is cut to its head and
tail when very long: the features of a 4,000-character story would drown the
question at its end. `full_text` is the whole normalised message, for the
crisis detector: danger in the middle of a long story must never be cut away
(a 661-character message with 「拿着菜刀…说今晚要弄死我」 in the middle once got
no crisis reply because the detector read the cut copy).
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

from nlu.text import normalize, shorten

ORIGINAL_TEXT = "original_text"
FULL_TEXT = "full_text"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False
)
class ChineseTextNormalizer(GraphComponent):
    """Traditional → simplified, full-width → half-width, emoji and control
    characters removed, whitespace made safe for jieba; the classifier's copy of
    very long text cut, the whole text kept beside it."""

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

    @staticmethod
    def _words_not_payload(normalized: Text, text: Text) -> Text:
        if normalized.startswith("/") and not text.startswith("/"):
            # Rasa's RegexMessageHandler runs after this component and reads "/intent{…}"
            # as a payload: "／request_human" or "😀/share_location{…}" typed by her must
            # stay words, never become an intent with entities she chose
            return normalized.lstrip("/ ")
        return normalized

    def _normalize_message(self, message: Message) -> None:
        text = message.get(TEXT)
        if text is None:
            return  # e.g. intent-only training examples
        if message.get(ORIGINAL_TEXT) is None:
            message.set(ORIGINAL_TEXT, text)
        whole = normalize(text, max_chars=None)
        message.set(FULL_TEXT, self._words_not_payload(whole, text))
        message.set(TEXT, self._words_not_payload(shorten(whole, self._max_chars, self._tail_chars), text))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            self._normalize_message(example)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._normalize_message(message)
        return messages
