"""Graph component that normalises Chinese text before jieba sees it.

Only the copy of the text that the model reads is changed: the tracker stores
the message exactly as she wrote it (Rasa logs `UserMessage.text`).

Markup goes first (nlu/markup.py, inside `normalize`): "<b>救命</b>他拿刀了" is
read as 救命他拿刀了 by the classifier and the danger check alike. A message
typed in toneless pinyin ("wo lao gong da wo") is then read as characters
(nlu/pinyin.py, learned from the training messages when the model is trained):
both copies below are that reading, and `pinyin` keeps what she typed.

Two copies come out. `text`, for the intent classifier, is cut to its head and
tail when very long: the features of a 4,000-character story would drown the
question at its end. `full_text` is the whole normalised message, for the
crisis detector: danger in the middle of a long story must never be cut away
(a 661-character message with 「拿着菜刀…说今晚要弄死我」 in the middle once got
no crisis reply because the detector read the cut copy).
"""
from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.pinyin import PinyinReader
from nlu.text import collapse_whitespace, normalize, shorten

ORIGINAL_TEXT = "original_text"
FULL_TEXT = "full_text"
PINYIN = "pinyin"  # the pinyin she typed, when the text was read from it
_READER_FILE = "pinyin_reader.json"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=True
)
class ChineseTextNormalizer(GraphComponent):
    """Markup removed, traditional → simplified, full-width → half-width, emoji and
    control characters removed, whitespace made safe for jieba, toneless pinyin read
    as characters; the classifier's copy of very long text cut, the whole text kept
    beside it."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"max_chars": 512, "tail_chars": 160}

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: Optional[ModelStorage] = None,
        resource: Optional[Resource] = None,
        reader: Optional[PinyinReader] = None,
    ) -> None:
        self._max_chars = int(config["max_chars"])
        self._tail_chars = int(config["tail_chars"])
        if not 0 < self._tail_chars < self._max_chars:
            raise ValueError("tail_chars must be positive and smaller than max_chars")
        self._model_storage = model_storage
        self._resource = resource
        self._reader = reader

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "ChineseTextNormalizer":
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "ChineseTextNormalizer":
        reader = None
        try:
            with model_storage.read_from(resource) as directory:
                path = directory / _READER_FILE
                if path.exists():
                    reader = PinyinReader.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except ValueError:  # a model trained before the normaliser learned anything
            pass
        return cls(config, model_storage, resource, reader)

    @staticmethod
    def required_packages() -> List[Text]:
        return ["opencc", "pypinyin"]

    def train(self, training_data: TrainingData) -> Resource:
        """Learn to read pinyin from the training messages (their characters and
        which follows which)."""
        texts = [normalize(e.get(TEXT), max_chars=None) for e in training_data.training_examples if e.get(TEXT)]
        self._reader = PinyinReader.learn(texts)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / _READER_FILE).write_text(json.dumps(self._reader.to_dict(), ensure_ascii=False), encoding="utf-8")
        return self._resource

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
        if self._reader is not None and self._reader.is_pinyin(whole):
            message.set(PINYIN, whole, add_to_output=True)
            whole = collapse_whitespace(self._reader.read(whole))
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
