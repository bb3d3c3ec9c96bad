"""The FAQ entries and the case library, loaded from `knowledge/` with a schema check.

Staff edit the YAML files; `make test` runs the check, and the action server
reloads a file when it changes (no training needed: retrieval is lexical).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Tuple

import yaml

from bot.settings import PROJECT_ROOT

KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"
FAQ_CATEGORIES = ("entrepreneurship", "legal", "family_education", "care", "service")
TELEGRAM_LIMIT = 4096
MIN_PARAPHRASES = 6


class KnowledgeError(ValueError):
    """A knowledge file does not follow the schema; the message lists every problem."""


@dataclass(frozen=True)
class FaqEntry:
    id: str
    category: str
    question: str
    paraphrases: Tuple[str, ...]
    answer: str
    references: Tuple[str, ...]
    next_step: str

    @property
    def questions(self) -> Tuple[str, ...]:
        return (self.question,) + self.paraphrases

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


def _check_fields(item: Dict[str, Any], fields: Iterable[str], where: str) -> List[str]:
    problems = [f"{where}: missing field '{name}'" for name in fields if name not in item]
    problems += [
        f"{where}: '{name}' is empty"
        for name in fields
        if name in item and name != "references" and name != "legal_basis" and not item[name]
    ]
    return problems


def _faq_entry(item: Dict[str, Any], where: str) -> Tuple[FaqEntry, List[str]]:
    problems = _check_fields(item, _FAQ_FIELDS, where)
    if problems:
        return None, problems  # type: ignore[return-value]
    entry = FaqEntry(
        id=str(item["id"]),
        category=str(item["category"]),
        question=str(item["question"]).strip(),
        paraphrases=tuple(str(p).strip() for p in item["paraphrases"]),
        answer=str(item["answer"]).strip(),
        references=tuple(str(r) for r in item["references"] or ()),
        next_step=str(item["next_step"]).strip(),
    )
    if entry.category not in FAQ_CATEGORIES:
        problems.append(f"{where}: unknown category '{entry.category}'")
    if len(entry.paraphrases) < MIN_PARAPHRASES:
        problems.append(f"{where}: needs at least {MIN_PARAPHRASES} paraphrases")
    if len(entry.full_text()) > TELEGRAM_LIMIT:
        problems.append(f"{where}: answer is over Telegram's {TELEGRAM_LIMIT}-character limit")
    return entry, problems


def _case(item: Dict[str, Any], where: str) -> Tuple[Case, List[str]]:
    problems = _check_fields(item, _CASE_FIELDS, where)
    if problems:
        return None, problems  # type: ignore[return-value]
    case = Case(
        id=str(item["id"]),
        title=str(item["title"]),
        category=str(item["category"]),
        tags=tuple(str(t) for t in item["tags"]),
        situation=str(item["situation"]).strip(),
        action=str(item["action"]).strip(),
        outcome=str(item["outcome"]).strip(),
        legal_basis=tuple(str(b) for b in item["legal_basis"] or ()),
    )
    if case.category not in FAQ_CATEGORIES:
        problems.append(f"{where}: unknown category '{case.category}'")
    return case, problems


def _load_items(folder: Path, key: str) -> List[Tuple[str, Dict[str, Any]]]:
    items = []
    for path in sorted(Path(folder).glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for index, item in enumerate(data.get(key) or []):
            items.append((f"{path.name}#{index + 1}", item if isinstance(item, dict) else {}))
    return items


def _unique(objects: List[Any], kind: str) -> List[str]:
    seen, problems = set(), []
    for obj in objects:
        if obj.id in seen:
            problems.append(f"duplicate {kind} id '{obj.id}'")
        seen.add(obj.id)
    return problems


@dataclass(frozen=True)
class KnowledgeBase:
    faq: Tuple[FaqEntry, ...]
    cases: Tuple[Case, ...]

    @classmethod
    def load(cls, folder: Path = KNOWLEDGE_DIR) -> "KnowledgeBase":
        faq, cases, problems = [], [], []
        for where, item in _load_items(Path(folder) / "faq", "faq"):
            entry, found = _faq_entry(item, where)
            problems += found
            if entry:
                faq.append(entry)
        for where, item in _load_items(Path(folder) / "cases", "cases"):
            case, found = _case(item, where)
            problems += found
            if case:
                cases.append(case)
        problems += _unique(faq, "FAQ") + _unique(cases, "case")
        if problems:
            raise KnowledgeError("\n".join(problems))
        return cls(tuple(faq), tuple(cases))

    def faq_by_id(self, entry_id: str) -> FaqEntry:
        return next(entry for entry in self.faq if entry.id == entry_id)

    def case_by_id(self, case_id: str) -> Case:
        return next(case for case in self.cases if case.id == case_id)
