"""The FAQ entries and the case library, loaded from `knowledge/` with a schema check.

Staff edit the YAML files; `make test` runs the check, and the action server
reloads a file when it changes (no training needed: retrieval is lexical).

Two ways to load. `KnowledgeBase.load` is the strict check (`make test`, the
CLI): any problem in any file raises `KnowledgeError`. `KnowledgeBase.reload` is
what the running assistant uses, file by file: a file that fails its check is
rejected with a logged error naming the file and the reason, and its entries
from the last good load stay live; every other file's edits go live. Chosen
over refusing the whole reload because files are per area: a bad save of
`faq/legal.yml` then neither silences the legal answers nor holds back a
correction in `faq/care.yml`, and a restart with a bad file on disk still
answers from every other file (a file never loaded good has nothing to keep).
An id may live in one file only: when two files claim it, the file that
changed since its last good load is the one rejected.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Set, Tuple

import yaml

from bot.settings import PROJECT_ROOT

logger = logging.getLogger(__name__)

KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"
FAQ_CATEGORIES = ("entrepreneurship", "legal", "family_education", "care", "service")
TELEGRAM_LIMIT = 4096
MIN_PARAPHRASES = 6
PLAIN_LIMIT = 80  # characters: the version for "说简单点", readable by someone who reads little


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


_KINDS = ("faq", "cases")  # the folder, and the list each of its files holds


@dataclass(frozen=True)
class KnowledgeFile:
    """One file's entries as checked, and what is wrong with it (nothing when it is good)."""

    name: str  # relative to the knowledge folder: "faq/legal.yml"
    digest: str
    faq: Tuple[FaqEntry, ...] = ()
    cases: Tuple[Case, ...] = ()
    problems: Tuple[str, ...] = ()

    @property
    def ids(self) -> Set[Tuple[str, str]]:
        return {("FAQ", e.id) for e in self.faq} | {("case", c.id) for c in self.cases}

    def without(self, taken: Set[Tuple[str, str]]) -> "KnowledgeFile":
        return KnowledgeFile(self.name, self.digest, tuple(e for e in self.faq if ("FAQ", e.id) not in taken),
                             tuple(c for c in self.cases if ("case", c.id) not in taken))


def read_file(path: Path, kind: str, name: str) -> KnowledgeFile:
    """Parse and check one file; never raises, whatever is in it."""
    try:
        raw = Path(path).read_bytes()
        data = yaml.safe_load(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        return KnowledgeFile(name, "", problems=(f"{name}: cannot be read: {error}".replace("\n", " "),))
    digest = hashlib.sha256(raw).hexdigest()
    items = data.get(kind) if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        return KnowledgeFile(name, digest, problems=(f"{name}: expected a non-empty list under '{kind}:'",))
    build = _faq_entry if kind == "faq" else _case
    built, problems = [], []
    for number, item in enumerate(items, start=1):
        where = f"{name}#{number}"
        try:
            obj, found = build(item if isinstance(item, dict) else {}, where)
        except (TypeError, ValueError, AttributeError) as error:  # a shape no check foresaw
            obj, found = None, [f"{where}: cannot be checked: {error}"]
        problems += found
        if obj:
            built.append(obj)
    problems += [f"{name}: {p}" for p in _unique(built, "FAQ" if kind == "faq" else "case")]
    entries = {"faq": tuple(built)} if kind == "faq" else {"cases": tuple(built)}
    return KnowledgeFile(name, digest, problems=tuple(problems), **entries)


def read_folder(folder: Path) -> List[KnowledgeFile]:
    """Every knowledge file, checked one by one, FAQ files first, each kind by name."""
    return [
        read_file(path, kind, f"{kind}/{path.name}")
        for kind in _KINDS
        for path in sorted((Path(folder) / kind).glob("*.yml"))
    ]


def _unique(objects: List[Any], kind: str) -> List[str]:
    seen, problems = set(), []
    for obj in objects:
        if obj.id in seen:
            problems.append(f"duplicate {kind} id '{obj.id}'")
        seen.add(obj.id)
    return problems


def _collisions(file: KnowledgeFile, owners: Dict[Tuple[str, str], str]) -> List[str]:
    return [f"{file.name}: duplicate {kind} id '{entry_id}' (already in {owners[(kind, entry_id)]})"
            for kind, entry_id in sorted(file.ids) if (kind, entry_id) in owners]


def _keep_last_good(current: Sequence[KnowledgeFile], last_good: Dict[str, KnowledgeFile]) -> List[KnowledgeFile]:
    """Each file as it is now if it passes, else as it last passed; no id in two files."""
    def changed(file: KnowledgeFile) -> bool:
        return file.name not in last_good or last_good[file.name].digest != file.digest

    unchanged_first = sorted(current, key=lambda f: (changed(f), f.name))
    owners: Dict[Tuple[str, str], str] = {}
    kept = []
    for file in unchanged_first:
        reasons = list(file.problems) or _collisions(file, owners)
        if reasons:
            previous = last_good.get(file.name)
            logger.error("knowledge file %s rejected, %s: %s", file.name,
                         "its last good entries stay live" if previous else "it has no good version to keep",
                         "; ".join(reasons))
            if previous is None:
                continue
            file = previous.without(set(owners))
        owners.update({key: file.name for key in file.ids})
        kept.append(file)
    return sorted(kept, key=lambda f: (_KINDS.index(f.name.split("/")[0]), f.name))


@dataclass(frozen=True)
class KnowledgeBase:
    faq: Tuple[FaqEntry, ...]
    cases: Tuple[Case, ...]
    files: Tuple[KnowledgeFile, ...] = field(default=(), compare=False, repr=False)  # what the entries came from

    @classmethod
    def from_files(cls, files: Sequence[KnowledgeFile]) -> "KnowledgeBase":
        return cls(tuple(e for f in files for e in f.faq), tuple(c for f in files for c in f.cases), tuple(files))

    @classmethod
    def load(cls, folder: Path = KNOWLEDGE_DIR) -> "KnowledgeBase":
        """The strict schema check: every problem of every file, or the knowledge."""
        files = read_folder(folder)
        problems: List[str] = []
        owners: Dict[Tuple[str, str], str] = {}
        for file in files:
            problems += list(file.problems) + _collisions(file, owners)
            owners.update({key: file.name for key in file.ids})
        if problems:
            raise KnowledgeError("\n".join(problems))
        return cls.from_files(files)

    @classmethod
    def reload(cls, folder: Path = KNOWLEDGE_DIR, previous: Optional["KnowledgeBase"] = None) -> "KnowledgeBase":
        """What the assistant serves: file by file, a failing file keeps its last good entries."""
        last_good = {f.name: f for f in (previous.files if previous else ())}
        return cls.from_files(_keep_last_good(read_folder(folder), last_good))

    def faq_by_id(self, entry_id: str) -> FaqEntry:
        return next(entry for entry in self.faq if entry.id == entry_id)

    def case_by_id(self, case_id: str) -> Case:
        return next(case for case in self.cases if case.id == case_id)
