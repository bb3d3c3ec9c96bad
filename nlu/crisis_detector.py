"""Crisis detector: assesses, for every message, whether she is in danger now.

Two signals: a character n-gram logistic regression trained on the `crisis_*`
examples against everything else, and the reviewed lexicon in
`crisis_lexicon.yml`. The verdict goes on the message (`crisis`, in the parse
output); `IntentDecision` turns it into the intent: a crisis raised here wins
over everything, and a crisis intent of the classifier that the verdict does
not support (negated or past) is taken out there.

The verdict also says whose danger it is (`whose`: self, child or other;
nlu/whose_danger.py), so that a mother writing about her son, or a woman about
her friend, is answered as the one who can help, not as the one at risk.

Both signals read the whole normalised message (`full_text`), never the
classifier's shortened copy, whatever its length. The model learned from
messages of a sentence or two: it reads a message whole up to
`whole_text_chars` (the length the classifier reads whole, so nothing changes
there), and longer text in overlapping windows, the most dangerous window
speaking for the message, so that a long story does not dilute one dangerous
sentence. Windows of 128 characters starting every 64 were chosen on a dev
split of the training data (README, "How a message is understood").
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu import char_ngram_model
from nlu.crisis_lexicon import CRISIS_TYPES, CrisisLexicon
from nlu.findings import CRISIS
from nlu.normalizer import FULL_TEXT
from nlu.text import overlapping_windows
from nlu.whose_danger import whose_danger

logger = logging.getLogger(__name__)

CRISIS_PREFIX = "crisis_"
NO_CRISIS = "none"
_MODEL_FILE = "crisis_model.joblib"
_LEXICON_FILE = "crisis_lexicon.yml"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class CrisisDetector(GraphComponent):
    """Records whether she is in imminent danger, of which type, and on what evidence."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "lexicon_path": "nlu/crisis_lexicon.yml",
            # crisis when the model alone is at least this sure
            "model_threshold": 0.35,
            # ... or this sure when the lexicon found only negated/past phrases
            "override_threshold": 0.9,
            # the model reads text up to this length whole, longer text in windows
            # of window_chars characters, each starting window_step after the last
            "whole_text_chars": 512,
            "window_chars": 128,
            "window_step": 64,
            "ngram_max": 3,
            "regularisation": 20.0,
        }

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        lexicon: CrisisLexicon,
        lexicon_text: str,
        model: Optional[Any] = None,
    ) -> None:
        if not 0 < int(config["window_step"]) <= int(config["window_chars"]):
            raise ValueError("window_step must be positive and at most window_chars")
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._lexicon = lexicon
        self._lexicon_text = lexicon_text
        self._model = model

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "CrisisDetector":
        lexicon_text = Path(config["lexicon_path"]).read_text(encoding="utf-8")
        return cls(
            config, model_storage, resource, CrisisLexicon.from_yaml(lexicon_text), lexicon_text
        )

    @staticmethod
    def required_packages() -> List[Text]:
        return ["sklearn", "joblib"]

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[str]:
        """Retrain when the lexicon file changes, not only when the config does."""
        import hashlib

        # Rasa may pass only the configured keys here, without the defaults.
        path = {**cls.get_default_config(), **config}["lexicon_path"]
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()

    # ---- training -------------------------------------------------------
    def train(self, training_data: TrainingData) -> Resource:
        texts, labels = [], []
        for example in training_data.intent_examples:
            text, intent = example.get(TEXT), example.get(INTENT)
            if not text:
                continue
            texts.append(text)
            labels.append(
                intent[len(CRISIS_PREFIX):] if intent.startswith(CRISIS_PREFIX) else NO_CRISIS
            )
        if set(labels) <= {NO_CRISIS}:
            logger.warning("No crisis_* examples: the crisis detector uses the lexicon only.")
        else:
            model = char_ngram_model.build_model(
                int(self._config["ngram_max"]), float(self._config["regularisation"]), balanced=True
            )
            self._model = char_ngram_model.fit(model, texts, labels)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / _LEXICON_FILE).write_text(self._lexicon_text, encoding="utf-8")
            if self._model is not None:
                char_ngram_model.save(self._model, directory / _MODEL_FILE)
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "CrisisDetector":
        with model_storage.read_from(resource) as directory:
            lexicon_text = (directory / _LEXICON_FILE).read_text(encoding="utf-8")
            model = char_ngram_model.load(directory / _MODEL_FILE)
        return cls(
            config, model_storage, resource, CrisisLexicon.from_yaml(lexicon_text),
            lexicon_text, model,
        )

    # ---- inference ------------------------------------------------------
    def assess(self, text: str) -> Dict[str, Any]:
        """The verdict for one whole normalised text: detected, type, probability, evidence."""
        hits = self._lexicon.find(text) if text else []
        lexicon_type = self._lexicon.imminent_type(text) if hits else None
        calmer = bool(hits) or (bool(text) and (self._lexicon.aftermath(text) or self._lexicon.tells_a_story(text)))
        probability, probabilities, threshold = self._most_dangerous_window(text, calmer)
        if lexicon_type:
            detected, crisis_type, source = True, lexicon_type, "lexicon"
        else:
            detected = probability >= threshold
            crisis_type = (
                max(CRISIS_TYPES, key=lambda name: probabilities.get(name, 0.0))
                if detected
                else None
            )
            source = "model" if detected else None
        whose, who = (
            whose_danger(text, crisis_type, [h.phrase for h in hits if h.crisis_type == crisis_type and h.imminent])
            if detected else (None, None)
        )
        return {
            "detected": detected,
            "type": crisis_type,
            "whose": whose,  # self | child | other: the reply speaks to the one writing
            "who": who,
            "probability": round(probability, 4),
            "source": source,
            "phrases": [
                {"phrase": h.phrase, "type": h.crisis_type, "negated": h.negated, "past": h.past}
                for h in hits
            ],
        }

    def _most_dangerous_window(self, text: str, any_hits: bool) -> Tuple[float, Dict[str, float], float]:
        """The model's view of the window most likely in danger: its probability of
        danger, its type probabilities, and the threshold that window must reach
        (the higher one where the lexicon found negated or past phrases in it, or
        news that help has come: "警察把他带走了" is aftermath, not a new alarm)."""
        windows = (
            [text] if len(text) <= int(self._config["whole_text_chars"])
            else overlapping_windows(text, int(self._config["window_chars"]), int(self._config["window_step"]))
        )
        views = []
        for window, probabilities in zip(windows, self._type_probabilities(windows)):
            with_hits = any_hits if len(windows) == 1 else bool(
                any_hits and (self._lexicon.find(window) or self._lexicon.aftermath(window)))
            threshold = self._config["override_threshold" if with_hits else "model_threshold"]
            views.append((1.0 - probabilities.get(NO_CRISIS, 1.0), probabilities, threshold))
        return max(views, key=lambda view: (view[0] >= view[2], view[0]))

    def _type_probabilities(self, texts: List[str]) -> List[Dict[str, float]]:
        return [found or {NO_CRISIS: 1.0} for found in char_ngram_model.probabilities_of_each(self._model, texts)]

    @staticmethod
    def _whole_text(message: Message) -> str:
        whole = message.get(FULL_TEXT)
        return whole if whole is not None else message.get(TEXT) or ""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            message.set(CRISIS, self.assess(self._whole_text(message)), add_to_output=True)
        return messages
