"""One contestant of `make bench`, measured alone in its own process.

`python -m bot.bench_legs rasa --model M …` or `… baseline --training data/nlu …`
loads (or trains) one classifier, times it message by message over the held-out
messages and the hard cases, scores it on the held-out and the blind files and
writes the figures as JSON. Its own process, so that its peak memory is its own.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

from bot.evaluation import load_examples, predict, score

HARD_CASES = ["他" * 20_000, "😭😭😭🙏🙏", "", "我在顺德，离我最近的妇联在哪", "住喺韶关乐昌，老公成日打我"]


def totals(figures: Dict[str, Any]) -> Dict[str, Any]:
    """The totals of an evaluation (no message, no per-message error)."""
    crisis = figures["crisis"]
    return {
        "messages": figures["examples"],
        "category_accuracy": round(figures["category"]["accuracy"], 4),
        "intent_accuracy": round(figures["intent"]["accuracy"], 4),
        "crisis_recall": None if crisis["recall"] is None else round(crisis["recall"], 4),
        "false_alarm_rate": None if crisis["false_alarm_rate"] is None else round(crisis["false_alarm_rate"], 4),
        "writers": {name: {key: row[key] for key in ("messages", "category_accuracy", "intent_accuracy")}
                    for name, row in (figures.get("writers") or {}).items()},
    }


def accuracy(parser: Any, test_files: Dict[str, Path]) -> Dict[str, Any]:
    from bot.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    return {name: totals(score(predict(parser, load_examples(path), taxonomy=taxonomy), taxonomy))
            for name, path in test_files.items() if path and Path(path).exists()}


def contest(build, test_files: Dict[str, Path], speed_texts: List[str]) -> Dict[str, Any]:
    """Build the parser (timed), then speed, accuracy and the process's peak memory."""
    from bot.bench import measure, peak_rss_mb

    built: Dict[str, Any] = {}

    def load():
        built["parser"] = build()
        return _KeepOpen(built["parser"])

    speed = measure(load, speed_texts)
    figures = {"speed": speed, "accuracy": accuracy(built["parser"], test_files)}
    close = getattr(built["parser"], "close", None)
    if close:
        close()
    figures["peak_rss_mb"] = round(peak_rss_mb(), 0)
    return figures


class _KeepOpen:
    """Lets `measure` close its view while the accuracy runs still use the parser."""

    def __init__(self, parser: Any) -> None:
        self.parse = parser.parse


def _rasa_parser(model: Path, crisis_from_intent: bool):
    from bot.baselines import CrisisFromIntent
    from bot.nlu_model import RasaModelParser

    parser = RasaModelParser(model)
    return CrisisFromIntent(parser) if crisis_from_intent else parser


def _baseline_parser(training: Path, timing: Dict[str, float]):
    from bot.baselines import CharNgramBaseline, training_examples

    started = time.perf_counter()
    parser = CharNgramBaseline().fit(training_examples(training))
    timing["training_seconds"] = round(time.perf_counter() - started, 1)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.bench_legs", description=__doc__)
    parser.add_argument("leg", choices=["rasa", "baseline"])
    parser.add_argument("--model", type=Path, help="the trained Rasa model (leg rasa)")
    parser.add_argument("--crisis-from-intent", action="store_true", help="no crisis detector in this model")
    parser.add_argument("--training", type=Path, default=Path("data/nlu"), help="training data (leg baseline)")
    parser.add_argument("--heldout", type=Path, required=True)
    parser.add_argument("--blind", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    test_files = {"heldout": args.heldout, "blind": args.blind}
    speed_texts = [example.text for example in load_examples(args.heldout)] + HARD_CASES
    timing: Dict[str, float] = {}
    if args.leg == "rasa":
        figures = contest(lambda: _rasa_parser(args.model, args.crisis_from_intent), test_files, speed_texts)
    else:
        figures = contest(lambda: _baseline_parser(args.training, timing), test_files, speed_texts)
    figures.update(timing)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
