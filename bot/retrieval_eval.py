"""Retrieval measured on held-out questions: hit@k and how many unanswerable
questions would be answered at each threshold."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import yaml

Ranking = List[Tuple[str, float]]
Searcher = Callable[[str], Ranking]
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(1, 20))


@dataclass(frozen=True)
class Question:
    text: str
    topic: Optional[str]


def load_questions(path: Path) -> List[Question]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return [Question(str(q["text"]), q.get("topic")) for q in data["questions"]]


def rank_all(search: Searcher, questions: Sequence[Question]) -> List[Ranking]:
    return [search(q.text) for q in questions]


def measure(questions: Sequence[Question], rankings: Sequence[Ranking]) -> Dict[str, object]:
    answerable = [(q, r) for q, r in zip(questions, rankings) if q.topic]
    unanswerable = [(q, r) for q, r in zip(questions, rankings) if not q.topic]

    def hit(ranking: Ranking, topic: str, k: int) -> bool:
        return topic in [doc_id for doc_id, _ in ranking[:k]]

    def top_score(ranking: Ranking) -> float:
        return ranking[0][1] if ranking else 0.0

    by_threshold = []
    for threshold in THRESHOLDS:
        answered = [(q, r) for q, r in answerable if top_score(r) >= threshold]
        by_threshold.append({
            "threshold": threshold,
            "answered": len(answered) / len(answerable) if answerable else 0.0,
            "answered_correctly": sum(hit(r, q.topic, 1) for q, r in answered) / max(1, len(answered)),
            "unanswerable_answered": sum(top_score(r) >= threshold for _, r in unanswerable),
        })
    return {
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "hit@1": sum(hit(r, q.topic, 1) for q, r in answerable) / len(answerable),
        "hit@3": sum(hit(r, q.topic, 3) for q, r in answerable) / len(answerable),
        "highest_unanswerable_score": max((top_score(r) for _, r in unanswerable), default=0.0),
        "by_threshold": by_threshold,
        "misses": [
            {"text": q.text, "expected": q.topic, "got": r[:3]}
            for q, r in answerable if not hit(r, q.topic, 1)
        ],
    }


def lowest_safe_threshold(figures: Dict[str, object]) -> float:
    """The lowest threshold at which no unanswerable question is answered."""
    for row in figures["by_threshold"]:  # type: ignore[union-attr]
        if row["unanswerable_answered"] == 0:
            return row["threshold"]
    return 1.0


def area_aware_searcher(parser, index, taxonomy) -> Searcher:
    """The kept approach as the assistant runs it: the message's service area
    (from the intent model) weights the FAQ retrieval."""

    def search(text: str) -> Ranking:
        intent = (parser.parse(text).get("intent") or {}).get("name")
        return [(m.entry.id, m.score) for m in index.search_faq(text, taxonomy.category_of(intent))]

    return search
