"""Blends DIET's intent ranking with a character n-gram logistic regression.

Measured on a dev split of the training data (README, "NLU pipeline"): the
blend is more accurate than either model alone on short, colloquial Chinese.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu import char_ngram_model

_MODEL_FILE = "intent_ngram_model.joblib"


def blend(
    diet: Dict[str, float], ngram: Dict[str, float], diet_weight: float
) -> List[Dict[str, Any]]:
    """Weighted average of two rankings, best first."""
    if not ngram:
        scores = dict(diet)
    elif not diet:
        scores = dict(ngram)
    else:
        scores = {
            name: diet_weight * diet.get(name, 0.0) + (1 - diet_weight) * ngram.get(name, 0.0)
            for name in set(diet) | set(ngram)
        }
    ranking = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    return [{"name": name, "confidence": round(score, 6)} for name, score in ranking]


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class IntentEnsemble(GraphComponent):
    """Replaces the message's intent ranking by the DIET + n-gram blend."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"diet_weight": 0.5, "ngram_max": 3, "regularisation": 20.0, "ranking_length": 10}

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Optional[Any] = None,
    ) -> None:
        if not 0.0 <= float(config["diet_weight"]) <= 1.0:
            raise ValueError("diet_weight must be between 0 and 1")
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "IntentEnsemble":
        return cls(config, model_storage, resource)

    @staticmethod
    def required_packages() -> List[Text]:
        return ["sklearn", "joblib"]

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(TEXT)]
        if len({e.get(INTENT) for e in examples}) >= 2:
            self._model = char_ngram_model.fit(
                char_ngram_model.build_model(
                    int(self._config["ngram_max"]), float(self._config["regularisation"])
                ),
                [e.get(TEXT) for e in examples],
                [e.get(INTENT) for e in examples],
            )
        with self._model_storage.write_to(self._resource) as directory:
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
    ) -> "IntentEnsemble":
        with model_storage.read_from(resource) as directory:
            model = char_ngram_model.load(directory / _MODEL_FILE)
        return cls(config, model_storage, resource, model)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            diet = {
                item["name"]: float(item["confidence"])
                for item in message.get(INTENT_RANKING_KEY) or []
            }
            ngram = char_ngram_model.probabilities(self._model, message.get(TEXT) or "")
            ranking = blend(diet, ngram, float(self._config["diet_weight"]))
            if not ranking:
                continue
            ranking = ranking[: int(self._config["ranking_length"])]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
