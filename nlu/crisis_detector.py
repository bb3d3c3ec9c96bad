"""Crisis detector: decides, for every message, whether she is in danger now.

Two signals: a character n-gram logistic regression trained on the `crisis_*`
examples against everything else, and the reviewed lexicon in
`crisis_lexicon.yml`. The detector has the last word on crisis intents: it
raises a crisis the classifier missed and withdraws one the evidence does not
support (negated or past). Runs after DIET and FallbackClassifier, so a
low-confidence fallback can never hide a crisis.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu import char_ngram_model
from nlu.crisis_lexicon import CRISIS_TYPES, CrisisLexicon

logger = logging.getLogger(__name__)

CRISIS = "crisis"
LEXICON_ONLY = "crisis_lexicon_only"  # set by nlu/office_request.py on place-only messages
CRISIS_PREFIX = "crisis_"
NO_CRISIS = "none"
FALLBACK_INTENT = "nlu_fallback"
_MODEL_FILE = "crisis_model.joblib"
_LEXICON_FILE = "crisis_lexicon.yml"


def crisis_intent(crisis_type: str) -> str:
    return f"{CRISIS_PREFIX}{crisis_type}"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class CrisisDetector(GraphComponent):
    """Marks imminent danger and makes it the message's intent."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "lexicon_path": "nlu/crisis_lexicon.yml",
            # crisis when the model alone is at least this sure
            "model_threshold": 0.35,
            # ... or this sure when the lexicon found only negated/past phrases
            "override_threshold": 0.9,
            # a withdrawn crisis intent falls back below this confidence, or when
            # the next two intents are closer than this (as FallbackClassifier)
            "fallback_threshold": 0.1,
            "ambiguity_threshold": 0.01,
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
        """The verdict for one normalised text: detected, type, probability, evidence."""
        hits = self._lexicon.find(text) if text else []
        probabilities = self._type_probabilities(text)
        probability = 1.0 - probabilities.get(NO_CRISIS, 1.0)
        lexicon_type = self._lexicon.imminent_type(text) if hits else None
        if lexicon_type:
            detected, crisis_type, source = True, lexicon_type, "lexicon"
        else:
            threshold = self._config["override_threshold" if hits else "model_threshold"]
            detected = probability >= threshold
            crisis_type = (
                max(CRISIS_TYPES, key=lambda name: probabilities.get(name, 0.0))
                if detected
                else None
            )
            source = "model" if detected else None
        return {
            "detected": detected,
            "type": crisis_type,
            "probability": round(probability, 4),
            "source": source,
            "phrases": [
                {"phrase": h.phrase, "type": h.crisis_type, "negated": h.negated, "past": h.past}
                for h in hits
            ],
        }

    def _type_probabilities(self, text: str) -> Dict[str, float]:
        return char_ngram_model.probabilities(self._model, text) or {NO_CRISIS: 1.0}

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            verdict = self.assess(message.get(TEXT) or "")
            if verdict["detected"] and verdict["source"] == "model" and message.get(LEXICON_ONLY):
                # an upstream rule found nothing but a place name ("我在顺德"): the model
                # alone, which learned that "我在…" often starts a crisis, cannot raise one
                verdict = dict(verdict, detected=False, type=None, source=None)
            message.set(CRISIS, verdict, add_to_output=True)
            if verdict["detected"]:
                self._raise_crisis(message, verdict)
            else:
                self._withdraw_crisis(message)
        return messages

    @staticmethod
    def _ranking(message: Message) -> List[Dict[str, Any]]:
        return [dict(item) for item in message.get(INTENT_RANKING_KEY) or []]

    def _raise_crisis(self, message: Message, verdict: Dict[str, Any]) -> None:
        name = crisis_intent(verdict["type"])
        confidence = 1.0 if verdict["source"] == "lexicon" else max(verdict["probability"], 0.5)
        ranking = [item for item in self._ranking(message) if item.get("name") != name]
        top = {"name": name, "confidence": confidence}
        message.set(INTENT, top, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [top] + ranking, add_to_output=True)

    def _withdraw_crisis(self, message: Message) -> None:
        """Take a crisis intent the evidence does not support out of the decision.

        Also undoes a fallback that a ruled-out crisis candidate caused (the
        FallbackClassifier saw it as too close to the real intent).
        """
        intent = message.get(INTENT) or {}
        name = str(intent.get("name") or "")
        full = self._ranking(message)
        calm = [
            item for item in full
            if not str(item.get("name")).startswith(CRISIS_PREFIX) and item.get("name") != FALLBACK_INTENT
        ]
        if name == FALLBACK_INTENT:
            contenders = [item for item in full if item.get("name") != FALLBACK_INTENT][:2]
            if not any(str(item.get("name")).startswith(CRISIS_PREFIX) for item in contenders):
                return  # a fallback for other reasons stands
        elif not name.startswith(CRISIS_PREFIX):
            return
        best = calm[0] if calm else None
        runner_up = calm[1]["confidence"] if len(calm) > 1 else 0.0
        clear = best is not None and best["confidence"] >= self._config["fallback_threshold"] and (
            best["confidence"] - runner_up >= self._config["ambiguity_threshold"]
        )
        if not clear:
            if name == FALLBACK_INTENT:
                return
            best = {"name": FALLBACK_INTENT, "confidence": 1.0 - float(intent.get("confidence", 0))}
            calm = [best] + calm
        message.set(INTENT, best, add_to_output=True)
        message.set(INTENT_RANKING_KEY, calm, add_to_output=True)
