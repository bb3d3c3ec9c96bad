"""The plain baseline the pipeline is compared with in `make bench`.

A character n-gram TF-IDF and a logistic regression over the raw training
messages: no normalising, no pinyin, no lexicon, no rules. Whatever the
project's pipeline scores above it is what its extra parts earn.
"""
from __future__ import annotations

import glob
from pathlib import Path
from typing import Any, Dict, List, Sequence

from bot.evaluation import Example, load_examples

CRISIS_PREFIX = "crisis_"


def training_examples(folder: Path) -> List[Example]:
    """Every example of the NLU YAML files in `folder` (the project's data/nlu)."""
    return [example for path in sorted(glob.glob(str(Path(folder) / "*.yml"))) for example in load_examples(path)]


class CharNgramBaseline:
    """TF-IDF over characters 1–3 and a logistic regression, answering like a parse."""

    def __init__(self, ngram_max: int = 3, regularisation: float = 50.0) -> None:
        from nlu.char_ngram_model import build_model

        self._model = build_model(ngram_max=ngram_max, regularisation=regularisation)

    def fit(self, examples: Sequence[Example]) -> "CharNgramBaseline":
        self._model.fit([e.text for e in examples], [e.intent for e in examples])
        return self

    def parse(self, text: str) -> Dict[str, Any]:
        """Its top intent; a crisis intent is its crisis verdict (it has no detector)."""
        if not text:
            return {"text": text, "intent": {"name": None, "confidence": 0.0}, "intent_ranking": []}
        row = self._model.predict_proba([text])[0]
        ranking = sorted(zip(self._model.classes_, row), key=lambda pair: pair[1], reverse=True)
        name, confidence = ranking[0]
        return {
            "text": text,
            "intent": {"name": str(name), "confidence": float(confidence)},
            "intent_ranking": [{"name": str(n), "confidence": float(c)} for n, c in ranking[:10]],
            "crisis": {"detected": str(name).startswith(CRISIS_PREFIX)},
        }


class CrisisFromIntent:
    """A parser without a crisis detector (Rasa's stock pipeline): a crisis intent is its verdict."""

    def __init__(self, parser: Any) -> None:
        self._parser = parser

    def parse(self, text: str) -> Dict[str, Any]:
        parse = dict(self._parser.parse(text))
        name = (parse.get("intent") or {}).get("name") or ""
        parse["crisis"] = {"detected": name.startswith(CRISIS_PREFIX)}
        return parse

    def close(self) -> None:
        close = getattr(self._parser, "close", None)
        if close:
            close()
