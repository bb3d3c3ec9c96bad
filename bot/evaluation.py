"""NLU evaluation on a test set: intent, category and crisis figures, per area and per kind
of writer, written to a report folder.

Two formats are read: Rasa NLU YAML (the held-out file) and the blind set's own
`messages:` list, whose entries also name the kind of writer (pinyin, cantonese…).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml

from bot.nlu_model import MessageParser
from bot.taxonomy import Taxonomy

NO_CATEGORY = "none"


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    writer: Optional[str] = None  # the blind set's kind of writer; None in Rasa NLU files


@dataclass(frozen=True)
class Prediction:
    example: Example
    intent: Optional[str]
    confidence: float
    crisis: bool
    category: Optional[str] = None


def load_examples(path: Path) -> List[Example]:
    """Read a Rasa NLU YAML file, or the blind set's `messages:` list, into examples."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if "messages" in data:
        return [Example(str(item["text"]), item["intent"], item.get("writer")) for item in data["messages"]]
    examples = []
    for block in data.get("nlu", []):
        for line in (block.get("examples") or "").splitlines():
            line = line.strip()
            if line.startswith("- "):
                examples.append(Example(line[2:].strip(), block["intent"]))
    return examples


def predict(parser: MessageParser, examples: List[Example], progress=None,
            taxonomy: Optional[Taxonomy] = None) -> List[Prediction]:
    from bot.taxonomy import load_taxonomy

    taxonomy = taxonomy or load_taxonomy()
    predictions = []
    for example in progress(examples) if progress else examples:
        parse = parser.parse(example.text)
        intent = parse.get("intent") or {}
        predictions.append(
            Prediction(
                example,
                intent.get("name"),
                float(intent.get("confidence") or 0.0),
                bool((parse.get("crisis") or {}).get("detected")),
                taxonomy.category_of_parse(parse),
            )
        )
    return predictions


def _report(truth: List[str], predicted: List[str]) -> Dict[str, Any]:
    from sklearn.metrics import accuracy_score, classification_report

    labels = sorted(set(truth))
    report = classification_report(
        truth, predicted, labels=labels, output_dict=True, zero_division=0
    )
    report["accuracy"] = accuracy_score(truth, predicted)
    return report


def _accuracy(pairs: List[Tuple[str, str]]) -> float:
    return sum(1 for truth, guess in pairs if truth == guess) / len(pairs) if pairs else 0.0


def by_writer(predictions: List[Prediction], taxonomy: Taxonomy) -> Dict[str, Dict[str, Any]]:
    """Category and intent accuracy and crisis recall for each kind of writer."""
    writers: Dict[str, List[Prediction]] = {}
    for prediction in predictions:
        if prediction.example.writer:
            writers.setdefault(prediction.example.writer, []).append(prediction)
    figures = {}
    for writer, group in sorted(writers.items()):
        crisis = [p for p in group if taxonomy.is_crisis(p.example.intent)]
        figures[writer] = {
            "messages": len(group),
            "category_accuracy": _accuracy([(taxonomy.category_of(p.example.intent) or NO_CATEGORY,
                                             p.category or NO_CATEGORY) for p in group]),
            "intent_accuracy": _accuracy([(p.example.intent, p.intent or "none") for p in group]),
            "crisis_messages": len(crisis),
            "crisis_recall": sum(p.crisis for p in crisis) / len(crisis) if crisis else None,
        }
    return figures


def score(predictions: List[Prediction], taxonomy: Taxonomy) -> Dict[str, Any]:
    """All figures as a JSON-ready dictionary."""
    true_intents = [p.example.intent for p in predictions]
    predicted_intents = [p.intent or "none" for p in predictions]

    def category(intent: Optional[str]) -> str:
        return taxonomy.category_of(intent) or NO_CATEGORY

    crisis_cases = [p for p in predictions if taxonomy.is_crisis(p.example.intent)]
    calm_cases = [p for p in predictions if not taxonomy.is_crisis(p.example.intent)]
    missed = [p.example.text for p in crisis_cases if not p.crisis]
    false_alarms = [p.example.text for p in calm_cases if p.crisis]
    return {
        "examples": len(predictions),
        "intent": _report(true_intents, predicted_intents),
        "category": _report(
            [category(i) for i in true_intents], [p.category or NO_CATEGORY for p in predictions]
        ),
        "crisis": {
            "crisis_examples": len(crisis_cases),
            "recall": (len(crisis_cases) - len(missed)) / len(crisis_cases) if crisis_cases else None,
            "non_crisis_examples": len(calm_cases),
            "false_alarm_rate": len(false_alarms) / len(calm_cases) if calm_cases else None,
            "missed": missed,
            "false_alarms": false_alarms,
        },
        "writers": by_writer(predictions, taxonomy),
        "errors": [
            {"text": p.example.text, "expected": p.example.intent, "predicted": p.intent,
             "confidence": round(p.confidence, 3), **({"writer": p.example.writer} if p.example.writer else {})}
            for p in predictions
            if p.intent != p.example.intent
        ],
    }


def confusion_pairs(predictions: List[Prediction]) -> Tuple[List[str], List[List[int]]]:
    labels = sorted({p.example.intent for p in predictions} | {p.intent or "none" for p in predictions})
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for p in predictions:
        matrix[index[p.example.intent]][index[p.intent or "none"]] += 1
    return labels, matrix


def plot_confusion(predictions: List[Prediction], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels, matrix = confusion_pairs(predictions)
    size = max(8, len(labels) * 0.32)
    figure, axes = plt.subplots(figsize=(size, size))
    axes.imshow(matrix, cmap="Blues")
    axes.set_xticks(range(len(labels)), labels, rotation=90, fontsize=7)
    axes.set_yticks(range(len(labels)), labels, fontsize=7)
    axes.set_xlabel("predicted")
    axes.set_ylabel("expected")
    for row, values in enumerate(matrix):
        for column, count in enumerate(values):
            if count:
                axes.text(column, row, str(count), ha="center", va="center", fontsize=6,
                          color="white" if row == column else "black")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def summary_markdown(figures: Dict[str, Any], title: str = "Held-out messages") -> str:
    intent, category, crisis = figures["intent"], figures["category"], figures["crisis"]
    lines = [
        f"{title}: {figures['examples']}",
        "",
        "| measure | value | target |",
        "|---|---|---|",
        f"| category accuracy | {category['accuracy']:.1%} | ≥ 95% |",
        f"| intent accuracy | {intent['accuracy']:.1%} | ≥ 90% |",
        f"| intent macro F1 | {intent['macro avg']['f1-score']:.3f} | |",
        f"| crisis recall ({crisis['crisis_examples']} crisis messages) | {crisis['recall']:.1%} | 100% |",
        f"| crisis false alarms ({crisis['non_crisis_examples']} others) | {crisis['false_alarm_rate']:.1%} | ≤ 3% |",
        "",
        "| category | precision | recall | F1 | messages |",
        "|---|---|---|---|---|",
    ]
    for name, row in category.items():
        if isinstance(row, dict) and "support" in row and name not in ("macro avg", "weighted avg"):
            lines.append(
                f"| {name} | {row['precision']:.3f} | {row['recall']:.3f} | {row['f1-score']:.3f} | {int(row['support'])} |"
            )
    if figures.get("writers"):
        lines += ["", "| writer | messages | category accuracy | intent accuracy | crisis recall |",
                  "|---|---|---|---|---|"]
        for writer, row in figures["writers"].items():
            recall = "–" if row["crisis_recall"] is None else f"{row['crisis_recall']:.0%} of {row['crisis_messages']}"
            lines.append(f"| {writer} | {row['messages']} | {row['category_accuracy']:.1%} | "
                         f"{row['intent_accuracy']:.1%} | {recall} |")
    return "\n".join(lines) + "\n"


def write_report(predictions: List[Prediction], figures: Dict[str, Any], out: Path,
                 title: str = "Held-out messages") -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "metrics.json").write_text(
        json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    (out / "summary.md").write_text(summary_markdown(figures, title), encoding="utf-8")
    plot_confusion(predictions, out / "intent_confusion.png")
