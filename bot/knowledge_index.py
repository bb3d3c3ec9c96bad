"""The searchable knowledge: FAQ and cases with their retrievers, rebuilt when a file changes.

Retrieval is lexical, so an edited FAQ entry or case is live as soon as the
file is saved: the next search sees a newer modification time and rebuilds.
A file that fails its schema check is rejected with a logged error and its
last good entries keep answering (`KnowledgeBase.reload`); when nothing that
answers has changed, the retrievers are kept as they are.
"""
from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from assistant_contract import catalogue
from assistant_contract.catalogue.entries import Case, FaqEntry

from bot.knowledge_base import KnowledgeBase
from bot.retrieval import (
    Bm25Retriever,
    ClassifierRetriever,
    HybridRetriever,
    NoDocuments,
    Retriever,
    TfidfRetriever,
    WeightedRetriever,
)

logger = logging.getLogger(__name__)

# Chosen on tests/data/heldout_faq.yml (README, "Retrieval").
ANSWER_THRESHOLD = 0.4
SUGGEST_THRESHOLD = 0.15
CLASSIFIER_WEIGHT = 0.7
OTHER_CATEGORY_FACTOR = 0.6
SEARCH_CACHE = 1024  # recent FAQ searches kept: one message's clauses are searched by several readings


@dataclass(frozen=True)
class FaqMatch:
    entry: FaqEntry
    score: float


def lexical_retriever(documents) -> Retriever:
    if not documents:
        return NoDocuments()
    return HybridRetriever(Bm25Retriever(documents), TfidfRetriever(documents), 0.5)


def faq_retriever(documents) -> Retriever:
    """The kept approach: classifier 0.7 + lexical hybrid 0.3."""
    if not documents:
        return NoDocuments()
    return WeightedRetriever([
        (CLASSIFIER_WEIGHT, ClassifierRetriever(documents)),
        (1 - CLASSIFIER_WEIGHT, lexical_retriever(documents)),
    ])


class KnowledgeIndex:
    def __init__(self, folder: Path = catalogue.FOLDER) -> None:
        self._folder = Path(folder)
        self._lock = threading.Lock()
        self._stamp: Optional[Tuple[Tuple[str, float], ...]] = None
        self.knowledge: Optional[KnowledgeBase] = None
        self._searched: "OrderedDict[str, Dict[str, float]]" = OrderedDict()
        self._build()

    def _current_stamp(self) -> Tuple[Tuple[str, float], ...]:
        return tuple(
            sorted((str(p), p.stat().st_mtime) for p in self._folder.glob("*/*.yml"))
        )

    def _build(self) -> None:
        stamp = self._current_stamp()
        knowledge = KnowledgeBase.reload(self._folder, previous=self.knowledge)
        if self.knowledge is not None and knowledge == self.knowledge:
            self.knowledge, self._stamp = knowledge, stamp  # e.g. only a rejected edit: same answers
            return
        faq = faq_retriever([(e.id, e.questions) for e in knowledge.faq])
        cases = lexical_retriever([(c.id, (c.search_text,)) for c in knowledge.cases])
        self.knowledge, self._faq, self._cases, self._stamp = knowledge, faq, cases, stamp
        self._searched = OrderedDict()  # searches of the last build answer no more

    def refresh(self) -> None:
        """Rebuild if a knowledge file was added, removed or saved since the last build;
        if the rebuild fails in a way no file check foresaw, the index in use keeps answering."""
        if self._current_stamp() != self._stamp:
            with self._lock:
                stamp = self._current_stamp()
                if stamp != self._stamp:
                    try:
                        self._build()
                    except Exception:  # noqa: BLE001 - a live server keeps its last good index
                        logger.exception("rebuilding the knowledge index failed; the previous one keeps answering")
                        self._stamp = stamp

    def search_faq(self, text: str, category: Optional[str] = None, limit: int = 3) -> List[FaqMatch]:
        """Best FAQ entries; entries outside the message's service area count for less."""
        self.refresh()
        scores = dict(self._scores(text))
        if category:
            for entry in self.knowledge.faq:
                if entry.id in scores and entry.category != category:
                    scores[entry.id] *= OTHER_CATEGORY_FACTOR
        ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)[:limit]
        return [FaqMatch(self.knowledge.faq_by_id(i), round(s, 4)) for i, s in ranked]

    def _scores(self, text: str) -> Dict[str, float]:
        """The retriever's scores for `text`, kept for a while: one message and its clauses are
        searched by several readings of it (two needs, a clause's question, a follow-up)."""
        scores = self._searched.get(text)
        if scores is None:
            scores = self._faq.scores(text)
            self._searched[text] = scores
            while len(self._searched) > SEARCH_CACHE:
                self._searched.popitem(last=False)
        return scores

    def search_cases(self, text: str, limit: int = 3) -> List[Tuple[Case, float]]:
        self.refresh()
        return [(self.knowledge.case_by_id(h.id), h.score) for h in self._cases.search(text, limit)]


@lru_cache(maxsize=1)
def default_index() -> KnowledgeIndex:
    return KnowledgeIndex()
