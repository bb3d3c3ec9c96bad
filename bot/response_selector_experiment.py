"""Rasa's ResponseSelector as an FAQ retriever, for the comparison in README.

Builds a throw-away Rasa project from the knowledge files (retrieval intent
`faq/<id>`, examples = question + paraphrases), trains it, and ranks answers.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import List, Tuple

import yaml

from bot.knowledge_base import KnowledgeBase
from bot.settings import PROJECT_ROOT

_CONFIG = {
    "recipe": "default.v1",
    "language": "zh",
    "pipeline": [
        {"name": "nlu.normalizer.ChineseTextNormalizer"},
        {"name": "nlu.tokenizer.ChineseJiebaTokenizer", "dictionary_path": str(PROJECT_ROOT / "nlu/dictionary")},
        {"name": "CountVectorsFeaturizer", "analyzer": "word"},
        {"name": "CountVectorsFeaturizer", "analyzer": "char", "min_ngram": 1, "max_ngram": 3, "min_df": 2},
        {"name": "ResponseSelector", "epochs": 100, "retrieval_intent": "faq",
         "number_of_transformer_layers": 0, "random_seed": 42},
    ],
    "policies": [],
}


def write_project(knowledge: KnowledgeBase, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.yml").write_text(yaml.safe_dump(_CONFIG, allow_unicode=True), encoding="utf-8")
    domain = {
        "version": "3.1",
        "intents": ["faq"],
        "responses": {f"utter_faq/{e.id}": [{"text": e.answer}] for e in knowledge.faq},
    }
    (folder / "domain.yml").write_text(yaml.safe_dump(domain, allow_unicode=True), encoding="utf-8")
    lines = ['version: "3.1"', "nlu:"]
    for entry in knowledge.faq:
        lines.append(f"- intent: faq/{entry.id}\n  examples: |")
        lines.extend(f"    - {q}" for q in entry.questions)
    (folder / "nlu.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def train(folder: Path) -> Path:
    rasa = Path(sys.executable).parent / "rasa"
    subprocess.run(
        [str(rasa), "train", "nlu", "--config", "config.yml", "--nlu", "nlu.yml",
         "--domain", "domain.yml", "--out", "models", "--fixed-model-name", "selector"],
        cwd=folder, check=True, env={"PYTHONPATH": str(PROJECT_ROOT), "PATH": str(rasa.parent), "TF_CPP_MIN_LOG_LEVEL": "2"},
    )
    return folder / "models" / "selector.tar.gz"


class ResponseSelectorSearch:
    def __init__(self, model_path: Path) -> None:
        from bot.nlu_model import RasaModelParser

        self._parser = RasaModelParser(model_path)

    def __call__(self, text: str) -> List[Tuple[str, float]]:
        parse = self._parser.parse(text)
        ranking = ((parse.get("response_selector") or {}).get("faq") or {}).get("ranking") or []
        return [(item["intent_response_key"].split("/", 1)[1], float(item["confidence"])) for item in ranking[:3]]
