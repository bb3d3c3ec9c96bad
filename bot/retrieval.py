"""Finding the FAQ entries and cases closest to a message.

Retrievers over normalised text, compared in README ("Retrieval"): BM25 over
jieba words + character bigrams (bm25s), character n-gram TF-IDF
nearest-question cosine, a character n-gram classifier over the documents, and
weighted blends of them. Scores are in [0, 1] so that one threshold can decide
between answering, offering choices, and offering a person.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Dict, List, Protocol, Sequence, Tuple

from bot.segmentation import tokens
from nlu import char_ngram_model
from nlu.text import normalize


@dataclass(frozen=True)
class Hit:
    id: str
    score: float


class Retriever(Protocol):
    def scores(self, text: str) -> Dict[str, float]: ...

    def search(self, text: str, limit: int = 3) -> List[Hit]: ...


def _top(scores: Dict[str, float], limit: int) -> List[Hit]:
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)[:limit]
    return [Hit(doc_id, round(float(score), 4)) for doc_id, score in ranked]


class Bm25Retriever:
    """BM25 (Lucene variant) over each question of each document.

    The raw score is divided by the best score the query could reach: every
    query token matched once in a document of average length, with unknown
    tokens counted at the highest idf. A message that shares only one common
    word with the knowledge base therefore scores low.
    """

    def __init__(self, documents: Sequence[Tuple[str, Sequence[str]]], k1: float = 1.2, b: float = 0.75):
        import bm25s  # lazy: pulls in scipy

        self._owners: List[str] = []
        corpus: List[List[str]] = []
        for doc_id, texts in documents:
            for text in texts:
                self._owners.append(doc_id)
                corpus.append(tokens(text) or ["∅"])
        self._k1 = k1
        self._bm25 = bm25s.BM25(k1=k1, b=b, method="lucene")
        self._bm25.index(corpus, show_progress=False)
        size = len(corpus)
        document_frequency = Counter(token for document in corpus for token in set(document))
        self._idf = {
            token: math.log(1 + (size - df + 0.5) / (df + 0.5))
            for token, df in document_frequency.items()
        }
        self._unknown_idf = math.log(1 + (size + 0.5) / 0.5)

    def scores(self, text: str) -> Dict[str, float]:
        query = list(dict.fromkeys(tokens(text)))
        if not query:
            return {}
        best_possible = sum(self._idf.get(t, self._unknown_idf) for t in query) / (1 + self._k1)
        known = [t for t in query if t in self._idf]
        if not known:
            return {}
        raw = self._bm25.get_scores(known)
        out: Dict[str, float] = {}
        for owner, score in zip(self._owners, raw):
            value = min(1.0, float(score) / best_possible)
            if value > out.get(owner, 0.0):
                out[owner] = value
        return out

    def search(self, text: str, limit: int = 3) -> List[Hit]:
        return _top(self.scores(text), limit)


class TfidfRetriever:
    """Cosine similarity to the nearest question, on character 1-3-gram TF-IDF."""

    def __init__(self, documents: Sequence[Tuple[str, Sequence[str]]]):
        from sklearn.feature_extraction.text import TfidfVectorizer

        self._owners = [doc_id for doc_id, texts in documents for _ in texts]
        texts = [normalize(text) for _, group in documents for text in group]
        self._vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
        self._matrix = self._vectorizer.fit_transform(texts)

    def scores(self, text: str) -> Dict[str, float]:
        text = normalize(text)
        if not text:
            return {}
        similarities = (self._matrix @ self._vectorizer.transform([text]).T).toarray().ravel()
        out: Dict[str, float] = {}
        for owner, score in zip(self._owners, similarities):
            if score > out.get(owner, 0.0):
                out[owner] = float(score)
        return out

    def search(self, text: str, limit: int = 3) -> List[Hit]:
        return _top(self.scores(text), limit)


def HybridRetriever(bm25: Bm25Retriever, tfidf: TfidfRetriever, bm25_weight: float = 0.5) -> "WeightedRetriever":
    """The lexical hybrid: weighted sum of the BM25 and TF-IDF scores."""
    return WeightedRetriever([(bm25_weight, bm25), (1 - bm25_weight, tfidf)])


class ClassifierRetriever:
    """A character n-gram logistic regression with one class per document,
    trained on its questions: its probability is the score. Fitting takes a
    second, so it is rebuilt with the index and needs no `make train`."""

    def __init__(self, documents: Sequence[Tuple[str, Sequence[str]]], regularisation: float = 10.0):
        texts = [normalize(text) for _, group in documents for text in group]
        labels = [doc_id for doc_id, group in documents for _ in group]
        # one document leaves nothing to tell apart: no score, rather than 1.0 for any text
        self._model = (
            char_ngram_model.fit(char_ngram_model.build_model(3, regularisation), texts, labels)
            if len(set(labels)) >= 2 else None
        )

    def scores(self, text: str) -> Dict[str, float]:
        return char_ngram_model.probabilities(self._model, normalize(text))

    def search(self, text: str, limit: int = 3) -> List[Hit]:
        return _top(self.scores(text), limit)


class NoDocuments:
    """The retriever of an empty collection (every knowledge file of a kind rejected or removed)."""

    def scores(self, text: str) -> Dict[str, float]:
        return {}

    def search(self, text: str, limit: int = 3) -> List[Hit]:
        return []


class WeightedRetriever:
    """Weighted sum of several retrievers' scores."""

    def __init__(self, parts: Sequence[Tuple[float, "Retriever"]]):
        self._parts = list(parts)

    def scores(self, text: str) -> Dict[str, float]:
        combined: Dict[str, float] = {}
        for weight, retriever in self._parts:
            for doc_id, score in retriever.scores(text).items():
                combined[doc_id] = combined.get(doc_id, 0.0) + weight * score
        return combined

    def search(self, text: str, limit: int = 3) -> List[Hit]:
        return _top(self.scores(text), limit)
