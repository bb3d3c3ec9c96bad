"""The two kinds of knowledge entry, FAQ answers and cases, and the schema each follows.

An entry is built from one item of a YAML file together with every problem found in
it; the file reader (`catalogue.knowledge`) decides what a problem costs.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Tuple

from assistant_contract.areas import AREAS

FAQ_CATEGORIES = AREAS + ("service",)  # "service": questions about this service itself
TELEGRAM_LIMIT = 4096
MIN_PARAPHRASES = 6
PLAIN_LIMIT = 80  # characters: the version for "说简单点", readable by someone who reads little


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

    @property
    def questions(self) -> Tuple[str, ...]:
        return (self.question,) + self.paraphrases

    def answer_text(self) -> str:
        """The answer as one chat message: channels send a paragraph per message
        (Rasa splits text on blank lines), so paragraphs become lines."""
        return "\n".join(part.strip() for part in self.answer.split("\n") if part.strip())

    def basis_and_next_step(self) -> str:
        """The legal basis and what to do next, as one message."""
        basis = "依据：" + "；".join(self.references) if self.references else ""
        return "\n".join(part for part in (basis, self.next_step.strip()) if part)

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


_FAQ_FIELDS = ("id", "category", "question", "paraphrases", "answer", "references", "next_step")
_CASE_FIELDS = ("id", "title", "category", "tags", "situation", "action", "outcome", "legal_basis")
_LISTS = ("paraphrases", "references", "tags", "legal_basis")
_MAY_BE_EMPTY = ("references", "legal_basis")


def _check_fields(item: Dict[str, Any], fields: Iterable[str], where: str) -> List[str]:
    problems = [f"{where}: missing field '{name}'" for name in fields if name not in item]
    problems += [
        f"{where}: '{name}' is empty"
        for name in fields
        if name in item and name not in _MAY_BE_EMPTY and not item[name]
    ]
    problems += [
        f"{where}: '{name}' must be a list"
        for name in fields
        if name in _LISTS and item.get(name) and not isinstance(item[name], list)
    ]
    return problems


def faq_entry(item: Dict[str, Any], where: str) -> Tuple[Optional[FaqEntry], List[str]]:
    """The FAQ entry of one item (None when a field is missing) and its problems, each named by `where`."""
    problems = _check_fields(item, _FAQ_FIELDS, where)
    if problems:
        return None, problems
    entry = FaqEntry(
        id=str(item["id"]),
        category=str(item["category"]),
        question=str(item["question"]).strip(),
        paraphrases=tuple(str(p).strip() for p in item["paraphrases"]),
        answer=str(item["answer"]).strip(),
        references=tuple(str(r) for r in item["references"] or ()),
        next_step=str(item["next_step"]).strip(),
        plain=str(item.get("plain") or "").strip(),
    )
    if entry.category not in FAQ_CATEGORIES:
        problems.append(f"{where}: unknown category '{entry.category}'")
    if len(entry.plain) >= PLAIN_LIMIT or "\n" in entry.plain:
        problems.append(f"{where}: 'plain' must be one line under {PLAIN_LIMIT} characters")
    if len(entry.paraphrases) < MIN_PARAPHRASES:
        problems.append(f"{where}: needs at least {MIN_PARAPHRASES} paraphrases")
    if len(entry.full_text()) > TELEGRAM_LIMIT:
        problems.append(f"{where}: answer is over Telegram's {TELEGRAM_LIMIT}-character limit")
    return entry, problems


def case(item: Dict[str, Any], where: str) -> Tuple[Optional[Case], List[str]]:
    """The case of one item (None when a field is missing) and its problems, each named by `where`."""
    problems = _check_fields(item, _CASE_FIELDS, where)
    if problems:
        return None, problems
    built = Case(
        id=str(item["id"]),
        title=str(item["title"]),
        category=str(item["category"]),
        tags=tuple(str(t) for t in item["tags"]),
        situation=str(item["situation"]).strip(),
        action=str(item["action"]).strip(),
        outcome=str(item["outcome"]).strip(),
        legal_basis=tuple(str(b) for b in item["legal_basis"] or ()),
    )
    if built.category not in FAQ_CATEGORIES:
        problems.append(f"{where}: unknown category '{built.category}'")
    return built, problems
