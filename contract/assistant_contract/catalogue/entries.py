"""The two kinds of knowledge entry, FAQ answers and cases, and the schema each follows.

An entry is built from one item of a YAML file together with every problem found in
it; the file reader (`catalogue.knowledge`) decides what a problem costs. The shape of
each field is checked first, by the JSON Schemas of `catalogue.schemas`; an item of the
wrong shape builds no entry.

A source must be one a woman or a lawyer can look up: a law names its article, a
policy document its number or at least its year, and the entry says when its sources
were last checked, because laws are revised and renumbered (the 2025 revision of the
治安管理处罚法 moved every article).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Dict, List, Optional, Tuple

from assistant_contract.catalogue import schemas
from assistant_contract.catalogue.schemas import FAQ_CATEGORIES, MIN_PARAPHRASES, PLAIN_LIMIT  # noqa: F401

TELEGRAM_LIMIT = 4096


@dataclass(frozen=True)
class FaqEntry:
    id: str
    category: str
    question: str
    paraphrases: Tuple[str, ...]
    answer: str
    references: Tuple[str, ...]
    next_step: str
    plain: str = ""  # under PLAIN_LIMIT characters, everyday words
    checked: Optional[date] = None  # when the answer's facts and sources were last checked

    @property
    def questions(self) -> Tuple[str, ...]:
        return (self.question,) + self.paraphrases

    def answer_text(self) -> str:
        """The answer as one chat message: channels send a paragraph per message
        (Rasa splits text on blank lines), so paragraphs become lines."""
        return "\n".join(part.strip() for part in self.answer.split("\n") if part.strip())

    def basis_and_next_step(self, next_step: Optional[str] = None) -> str:
        """The legal basis and what to do next (this entry's own unless given), as one message."""
        basis = "依据：" + "；".join(self.references) if self.references else ""
        step = self.next_step if next_step is None else next_step
        return "\n".join(part for part in (basis, step.strip()) if part)

    def plain_text(self) -> str:
        """The short plain version; the answer's first sentence when none is written."""
        if self.plain:
            return self.plain
        first = self.answer_text().split("\n")[0]
        return first if len(first) <= PLAIN_LIMIT else first[: PLAIN_LIMIT - 1] + "…"

    def full_text(self) -> str:
        """What she reads: the answer, its legal basis, and what to do next."""
        parts = [self.answer.strip()]
        if self.references:
            parts.append("依据：" + "；".join(self.references))
        parts.append(self.next_step.strip())
        return "\n\n".join(parts)


@dataclass(frozen=True)
class Case:
    id: str
    title: str
    category: str
    tags: Tuple[str, ...]
    situation: str
    action: str
    outcome: str
    legal_basis: Tuple[str, ...]
    checked: Optional[date] = None  # when the legal basis was last checked

    def card(self) -> str:
        """A short card for a list of similar cases."""
        summary = self.situation if len(self.situation) <= 60 else self.situation[:58] + "…"
        return f"【{self.title}】{summary}"

    def story(self) -> str:
        basis = "；".join(self.legal_basis)
        return (
            f"【{self.title}】\n\n情况：{self.situation}\n\n怎么处理：{self.action}\n\n"
            f"结果：{self.outcome}" + (f"\n\n依据：{basis}" if basis else "")
        )

    @property
    def search_text(self) -> str:
        return " ".join((self.title, " ".join(self.tags), self.situation))


_TITLE = re.compile(r"《([^《》]+)》")
_ARTICLE = re.compile(r"第[零〇一二两三四五六七八九十百千\d]+条")
_LAW_ENDINGS = ("法", "法典", "条例", "规定", "办法", "细则", "规则", "解释")
_JUDICIAL_NUMBER = re.compile(r"法释〔\d{4}〕\d+号")
_DOCUMENT_NUMBER = re.compile(r"〔\d{4}〕\d+号|\d{4}年第\d+号")
_YEAR = re.compile(r"\d{4}年")
_TRAILING_PART = re.compile(r"[（(][^（）()]*[）)]$")  # 解释（一）, 纲要（2021—2030年）


def citation_problem(reference: str) -> Optional[str]:
    """What keeps a reference from being a source one can look up, or None.

    A law, regulation or judicial interpretation (a title in 《》 ending in 法, 法典,
    条例, 规定, 办法, 细则, 规则 or 解释, or any document numbered 法释〔年〕号) names
    at least one article; any other document (意见, 通知, 公告, 纲要, 方案 …) carries its
    number, 〔年〕号 or 年第N号, or at least its year; a phrase with no title in 《》,
    such as 相关政策, is no source at all.
    """
    titles = _TITLE.findall(reference)
    if not titles:
        return f"reference '{reference}' names no document: put the law or policy title in 《》"
    if len(titles) > 1:
        return f"reference '{reference}' names {len(titles)} documents: give each its own reference"
    title = _TRAILING_PART.sub("", titles[0].strip()).strip()
    if title.endswith(_LAW_ENDINGS) or _JUDICIAL_NUMBER.search(reference):
        if not _ARTICLE.search(reference):
            return f"reference '{reference}' cites a law without an article (第…条)"
    elif not (_DOCUMENT_NUMBER.search(reference) or _YEAR.search(reference)):
        return f"reference '{reference}' cites a policy document without its number (〔年〕号) or year"
    return None


def _checked_date(value: Any) -> Optional[date]:
    """The date in a `checked` field (YAML reads 2026-11-30 as a date), or None."""
    if isinstance(value, date):
        return value if type(value) is date else value.date()  # a datetime counts by its day
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def _sources_and_date(item: Dict[str, Any], sources: Tuple[str, ...], where: str,
                      always_dated: bool) -> Tuple[Optional[date], List[str]]:
    """The date the sources were checked and what is wrong with the sources or the date.
    An FAQ answer is always dated (its hotlines and ages date too); a case when it cites a source."""
    problems = [f"{where}: {problem}" for problem in map(citation_problem, sources) if problem]
    if "checked" not in item or item["checked"] in (None, ""):
        if always_dated or sources:
            problems.append(f"{where}: missing field 'checked' (the date its sources were last checked, YYYY-MM-DD)")
        return None, problems
    checked = _checked_date(item["checked"])
    if checked is None:
        problems.append(f"{where}: 'checked' must be a date (YYYY-MM-DD), not '{item['checked']}'")
    return checked, problems


def faq_entry(item: Dict[str, Any], where: str) -> Tuple[Optional[FaqEntry], List[str]]:
    """The FAQ entry of one item (None when a field is missing) and its problems, each named by `where`."""
    problems = schemas.problems(item, schemas.FAQ_ITEM, where)
    if problems:
        return None, problems
    references = tuple(item["references"])
    checked, problems = _sources_and_date(item, references, where, always_dated=True)
    entry = FaqEntry(
        id=str(item["id"]),
        category=str(item["category"]),
        question=str(item["question"]).strip(),
        paraphrases=tuple(p.strip() for p in item["paraphrases"]),
        answer=str(item["answer"]).strip(),
        references=references,
        next_step=str(item["next_step"]).strip(),
        plain=str(item.get("plain") or "").strip(),
        checked=checked,
    )
    if len(entry.full_text()) > TELEGRAM_LIMIT:
        problems.append(f"{where}: answer is over Telegram's {TELEGRAM_LIMIT}-character limit")
    return entry, problems


def case(item: Dict[str, Any], where: str) -> Tuple[Optional[Case], List[str]]:
    """The case of one item (None when a field is missing) and its problems, each named by `where`."""
    problems = schemas.problems(item, schemas.CASE_ITEM, where)
    if problems:
        return None, problems
    legal_basis = tuple(item["legal_basis"])
    checked, problems = _sources_and_date(item, legal_basis, where, always_dated=False)
    built = Case(
        id=str(item["id"]),
        title=str(item["title"]),
        category=str(item["category"]),
        tags=tuple(item["tags"]),
        situation=str(item["situation"]).strip(),
        action=str(item["action"]).strip(),
        outcome=str(item["outcome"]).strip(),
        legal_basis=legal_basis,
        checked=checked,
    )
    return built, problems
