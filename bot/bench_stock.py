"""Rasa's stock Chinese pipeline, as its documentation gives it, for the comparison in `make bench-compare`.

JiebaTokenizer, word and char_wb count vectors, DIETClassifier with its default
layers (two transformer layers of 256). Only the number of epochs is ours: DIET
takes about 40 s per epoch here with those layers, so it gets as many epochs as
fit in the time budget (10 minutes: 15 epochs), and the log gives the real time
per epoch.
"""
from __future__ import annotations

from pathlib import Path

import yaml

SECONDS_PER_EPOCH_ESTIMATE = 40.0


def epochs_for(budget_seconds: float, seconds_per_epoch: float = SECONDS_PER_EPOCH_ESTIMATE) -> int:
    return max(1, int(budget_seconds // seconds_per_epoch))


def stock_config(epochs: int) -> dict:
    return {
        "recipe": "default.v1",
        "language": "zh",
        "pipeline": [
            {"name": "JiebaTokenizer"},
            {"name": "CountVectorsFeaturizer"},
            {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4},
            {"name": "DIETClassifier", "epochs": epochs, "random_seed": 42},
        ],
        "policies": [],
    }


def write_stock_config(folder: Path, epochs: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.yml"
    path.write_text(yaml.safe_dump(stock_config(epochs), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
