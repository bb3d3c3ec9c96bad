"""A new question: which FAQ entry answers it, or which choice to offer.

The FAQ index scores every entry; above ANSWER_THRESHOLD (0.4) the best entry
answers whatever the intent. Below it, a clear question in one of the four areas
still gets its answer when the classifier put it in that area, the best entry
is of that area, scores at least CLEAR_SCORE and at least CLEAR_RATIO times the
runner-up ("单位知道我怀孕就要辞退我": 0.21 against 0.05; it used to get "我想确认
一下" with one button). Only when two or more entries are close is she offered a
choice, never one candidate alone. On the training messages of the four areas
(which the index never saw) the rule answers 637 of 1,679 against 295 above 0.4;
of the 45 held-out questions the FAQ cannot answer, at most 5 would be answered
by it even if every area were tried (README, "Dialogue design").
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional

from assistant_contract.catalogue.entries import FaqEntry
from bot.knowledge_index import ANSWER_THRESHOLD, SUGGEST_THRESHOLD, FaqMatch, KnowledgeIndex
from bot.taxonomy import load_taxonomy

CLEAR_SCORE = 0.2
CLEAR_RATIO = 1.6
ANSWER, CHOOSE, NONE = "answer", "choose", "none"


@dataclass(frozen=True)
class Finding:
    kind: str  # answer | choose | none
    entry: Optional[FaqEntry] = None
    choices: List[FaqEntry] = field(default_factory=list)


def decide(matches: List[FaqMatch], category: Optional[str]) -> Finding:
    """Answer, choose or nothing, from the ranked matches and the message's area."""
    if not matches:
        return Finding(NONE)
    best = matches[0]
    runner_up = matches[1].score if len(matches) > 1 else 0.0
    if best.score >= ANSWER_THRESHOLD:
        return Finding(ANSWER, best.entry)
    if not category:
        return Finding(NONE)  # outside the four areas only a confident answer is given
    if best.entry.category == category and best.score >= CLEAR_SCORE and best.score >= CLEAR_RATIO * runner_up:
        return Finding(ANSWER, best.entry)
    close = [m.entry for m in matches if m.score >= SUGGEST_THRESHOLD]
    if len(close) >= 2:
        return Finding(CHOOSE, choices=close)
    return Finding(NONE)


def leader(matches: List[FaqMatch]) -> Optional[FaqEntry]:
    """The first of `matches` when it is a real match (the suggestion threshold) and clearly ahead
    of the next (`CLEAR_RATIO`), whatever the area: for callers that know more than the scores
    (the classifier agrees, or is sure of the area the matches were taken from)."""
    if not matches or matches[0].score < SUGGEST_THRESHOLD:
        return None
    runner_up = matches[1].score if len(matches) > 1 else 0.0
    return matches[0].entry if matches[0].score >= CLEAR_RATIO * runner_up else None


def find_answer(index: KnowledgeIndex, text: str, category: Optional[str]) -> Finding:
    return decide(index.search_faq(text, category) if text else [], category)


def find_answer_in_its_area(index: KnowledgeIndex, text: str) -> Finding:
    """A part of a longer message, with no area of its own from the classifier: the
    clear-question rule applied in the area of its best entry."""
    matches = index.search_faq(text, None) if text else []
    return decide(matches, matches[0].entry.category) if matches else Finding(NONE)


def entry_for_intent(index: KnowledgeIndex, intent: str) -> Optional[FaqEntry]:
    """The entry a topic button stands for ("家庭暴力" → 遭受家庭暴力怎么办): searched
    with the intent's title and description, within its area. A button she presses
    must lead to an answer, and its payload text ("/legal_domestic_violence") says nothing."""
    taxonomy = load_taxonomy()
    category = taxonomy.category_of(intent)
    info = next((i for i in taxonomy.topics_in(category or "") if i.name == intent), None) if category else None
    if info is None:
        return None
    query = " ".join(part for part in (info.title, info.covers.split("：")[-1]) if part)
    matches = [m for m in index.search_faq(query, category) if m.entry.category == category]
    return matches[0].entry if matches else None
