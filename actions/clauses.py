"""Reading a message clause by clause, when read whole it gives one need or none.

People type run-on messages with spaces for commas. "离婚后前夫一直不给抚养费 我还想找份工作
有没有那种妈妈岗" carries a legal need and a job search; the classifier reads the job search
first and puts the legal reading second (0.52 against 0.42). "笑死我了 我家那个做饭差点把厨房炸了
哈哈哈 问下妇联有没有培训月嫂的" ends with a plain question that the laughter in front hides.
Here a message is cut where she paused (spaces, commas, "我还想", "我又想"), and the sides are
looked up in the FAQ on their own:

- `second_need`: the classifier's best reading in another area than the message's (at least
  `SECOND_READING`), and a side of the message whose best FAQ entry is of that area: the
  need the whole-message answer would leave out; or, when the classifier ranks no other area,
  a clause the FAQ answers clearly in another area. Within one area the whole message's answer
  stands (cutting "我跟我老公都同意离了 去民政局要咋办" would answer half a question).
- `question_at_the_end`: the shortest tail of the message that the FAQ answers with
  confidence, for a message with no area of its own.
- `even_pair_by_sides`: a run-on message whose whole text ranks two entries of its area about
  even, and each of the two is what one of her clauses asks for ("…现在想离婚 这个能当证据吗"):
  both are answered.
- `confirmed_by_a_side`: a run-on message whose whole text scores every entry low (its
  other words dilute the question) gets the entry it ranks clearly first when one of her
  clauses, read alone, clearly asks for that same entry ("离婚两年了 孩子跟我 他一分抚养费都不给 能告他吗").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Tuple

from actions.follow_up import ASPECTS
from actions.knowledge_answer import ANSWER, CLEAR_RATIO, Finding, decide, find_answer_in_its_area
from assistant_contract.areas import AREAS
from assistant_contract.catalogue.entries import FaqEntry
from bot.knowledge_index import SUGGEST_THRESHOLD, KnowledgeIndex
from bot.taxonomy import load_taxonomy

# A space between two Latin words is not a pause ("I want to 开个奶茶店" is one side, not three).
_PAUSE = re.compile(r"[，,、；;]+\s*|(?<![A-Za-z?!.'])\s+|\s+(?![A-Za-z])|(?<!我)(?=我?(?:还|又|也|干脆|另外)(?:想|要|打算))")
MIN_CLAUSE = 5  # characters of a side, punctuation not counted
MAX_CLAUSES = 6  # a longer message is read whole: its pauses are not between needs
MAX_CHARS = 160
SECOND_READING = 0.1  # the classifier's confidence in the other area's reading
# Words that join a second thing to the first ("…，还有孩子手机瘾怎么办", "…；also 我老公说…").
JOINS = re.compile(r"还有|另外|还想|也想|又想|顺便|同时|以及|仲有|仲想|同埋|[；;]|\balso\b|\bbtw\b", re.IGNORECASE)
CLEAR_CLAUSE = 0.3  # an FAQ score a clause of another area needs when the classifier ranked none
JOINED_CLAUSE = 0.18  # the same where she joined two things in words


@dataclass(frozen=True)
class SecondNeed:
    entry: FaqEntry
    first: bool  # she wrote it before the rest of the message
    rest: Optional[FaqEntry] = None  # the best entry of the message's own area for the rest, if clear


def clauses(text: str) -> List[str]:
    return [piece for piece in _PAUSE.split(text or "") if piece and piece.strip()]


def _long_enough(text: str) -> bool:
    return len(re.sub(r"[\W_]", "", text)) >= MIN_CLAUSE


# What a follow-up asks (cost, where, how long…) and the words around it: a clause of only
# these ("去哪里申请", "要带什么材料") names no need of its own, however well the FAQ scores it.
_ASKING = re.compile("|".join(asked for asked, _ in ASPECTS.values())
                     + r"|那个|这个|申请|办理|怎么|什么|可以|能|要|去|的|了|吗|呢|啊|吧|我|你|请问|问下|想问")
NAMES_A_NEED = 3  # characters left once the asking words are taken out


def _names_a_need(text: str) -> bool:
    return len(re.sub(r"[\W_\d]", "", _ASKING.sub("", text))) >= NAMES_A_NEED


def _cuts(text: str) -> List[Tuple[str, str]]:
    pieces = clauses(text)
    if len(text or "") > MAX_CHARS or not 2 <= len(pieces) <= MAX_CLAUSES:
        return []
    return [(" ".join(pieces[:cut]), " ".join(pieces[cut:])) for cut in range(1, len(pieces))]


def other_area(ranking: Sequence[Dict[str, Any]], area: Optional[str]) -> Optional[str]:
    """The area of the classifier's best reading outside `area`, if it is a real contender."""
    taxonomy = load_taxonomy()
    for reading in ranking[1:]:
        name = str(reading.get("name") or "")
        category = taxonomy.category_of(name)
        if float(reading.get("confidence") or 0.0) < SECOND_READING:
            return None
        if category and category != area and not name.startswith("crisis_"):
            return category
    return None


def second_need(index: KnowledgeIndex, text: str, ranking: Sequence[Dict[str, Any]],
                area: Optional[str]) -> Optional[SecondNeed]:
    """The entry for the side of her message that is about the other area, or None."""
    other = other_area(ranking, area) if area else None
    if other is None:
        return _clear_other_need(index, text, area) if area else None
    best: Optional[Tuple[int, SecondNeed]] = None
    for left, right in _cuts(text):
        for side, rest, first in ((left, right, True), (right, left, False)):
            found = _best_of(index, side, other)
            if found is not None and (best is None or len(side) > best[0]):  # the longest side: most of her words
                best = (len(side), SecondNeed(found, first, _best_of(index, rest, area)))
    return best[1] if best else None


def _clear_other_need(index: KnowledgeIndex, text: str, area: str) -> Optional[SecondNeed]:
    """A classifier sure of one area may give the other no rank at all ("…想问下抚养权怎么争取，
    还有孩子手机瘾怎么办" read as family education only; "厂里拖了三个月工资没发 孩子在老家爷爷奶奶
    带不动" read as labour law only): a pause-delimited clause that the FAQ answers clearly
    (`CLEAR_CLAUSE`) in another of the four areas is the second need; where she joined two things
    (`JOINS`: 还有, 另外, 仲有…) a clause needs less (`JOINED_CLAUSE`). The clearest such clause wins."""
    pieces = clauses(text)
    if len(text or "") > MAX_CHARS or not 2 <= len(pieces) <= MAX_CLAUSES:
        return None
    needed = JOINED_CLAUSE if JOINS.search(text) else CLEAR_CLAUSE
    best: Optional[Tuple[float, int, FaqEntry]] = None
    for position, piece in enumerate(pieces):
        matches = index.search_faq(piece, None) if _long_enough(piece) and _names_a_need(piece) else []
        if not matches or matches[0].score < needed:
            continue
        entry = matches[0].entry
        if entry.category in AREAS and entry.category != area and (best is None or matches[0].score > best[0]):
            best = (matches[0].score, position, entry)
    if best is None:
        return None
    _, position, entry = best
    rest = " ".join(pieces[:position] + pieces[position + 1:])
    return SecondNeed(entry, position == 0, _best_of(index, rest, area))


def _best_of(index: KnowledgeIndex, text: str, area: Optional[str]) -> Optional[FaqEntry]:
    """The FAQ's best entry for `text` when it is of `area` and a real match."""
    matches = index.search_faq(text, None) if _long_enough(text) else []
    if matches and matches[0].entry.category == area and matches[0].score >= SUGGEST_THRESHOLD:
        return matches[0].entry
    return None


def question_at_the_end(index: KnowledgeIndex, text: str) -> Optional[FaqEntry]:
    """The entry for the shortest tail the FAQ answers with confidence, or None."""
    for _left, right in reversed(_cuts(text)):
        if _long_enough(right):
            found = find_answer_in_its_area(index, right)
            if found.kind == ANSWER and found.entry is not None:
                return found.entry
    return None


def confirmed_by_a_side(index: KnowledgeIndex, text: str, area: str) -> Optional[Finding]:
    """The answer for a run-on message of `area` when a clause of it, read alone, clearly
    asks for the entry the whole message ranks first; None otherwise (then nothing changes)."""
    pieces = clauses(text)
    if len(text or "") > MAX_CHARS or not 2 <= len(pieces) <= MAX_CLAUSES:
        return None
    whole = index.search_faq(text, area)
    runner_up = whole[1].score if len(whole) > 1 else 0.0
    if not whole or whole[0].entry.category != area or whole[0].score < CLEAR_RATIO * runner_up:
        return None  # two entries about even ("…现在想离婚 这个能当证据吗"): the whole message's reading stands
    for piece in pieces:
        found = decide(index.search_faq(piece, area), area) if _long_enough(piece) else None
        if found is not None and found.kind == ANSWER and found.entry is not None and found.entry.id == whole[0].entry.id:
            return found
    return None


_QUESTION = re.compile(r"吗|嘛|么|怎么|咋|能不能|可不可以|可以|有没有|有冇|哪|什么|啥|点算|[?？]")


def even_pair_by_sides(index: KnowledgeIndex, text: str, area: str) -> Optional[Tuple[FaqEntry, FaqEntry]]:
    """The two entries of `area` that the whole message ranks first, in the order she wrote them,
    when each is the best entry of one of her clauses and one clause asks for its entry clearly,
    and either the two are about even or the runner-up is what her question clause asks
    ("…现在我想离婚 那次的事还能算证据吗": the divorce is her situation, the evidence her question);
    None otherwise."""
    pieces = clauses(text)
    if len(text or "") > MAX_CHARS or not 2 <= len(pieces) <= MAX_CLAUSES:
        return None
    whole = [m for m in index.search_faq(text, area) if m.entry.category == area][:2]
    if len(whole) < 2:
        return None
    even = whole[0].score < CLEAR_RATIO * whole[1].score
    wanted = {m.entry.id: m.entry for m in whole}
    found: Dict[str, Tuple[int, bool, bool]] = {}  # entry id -> (first clause asking for it, clearly, as a question)
    for position, piece in enumerate(pieces):
        matches = index.search_faq(piece, area) if _long_enough(piece) and _names_a_need(piece) else []
        if not matches or matches[0].entry.id not in wanted or matches[0].score < SUGGEST_THRESHOLD:
            continue  # "我电话13812345678" names no need, whatever entry its words lean to
        clear = decide(matches, area).kind == ANSWER
        asked = bool(_QUESTION.search(piece))
        earlier = found.get(matches[0].entry.id)
        found[matches[0].entry.id] = (earlier[0] if earlier else position, clear or bool(earlier and earlier[1]),
                                      asked or bool(earlier and earlier[2]))
    if len(found) < 2 or not any(clear for _, clear, _ in found.values()):
        return None
    if not even and not found[whole[1].entry.id][2]:
        return None  # one entry leads and her question is not about the other: the whole message's reading stands
    first, second = sorted(found, key=lambda entry_id: found[entry_id][0])
    return wanted[first], wanted[second]
