"""The knowledge files (catalogue/faq/*.yml, catalogue/cases/*.yml), read and checked
file by file, and the two ways to take them.

`read_checked` is the strict check (`make test`, the CLI): any problem in any file
raises `KnowledgeError`. `accepted` is what a running service takes: a file that
fails its check is rejected with a logged error naming the file and the reason, and
its entries from the last good load stay live; every other file's edits go live.
Chosen over refusing the whole reload because files are per area: a bad save of
`faq/legal.yml` then neither silences the legal answers nor holds back a correction
in `faq/care.yml`, and a restart with a bad file on disk still answers from every
other file (a file never loaded good has nothing to keep). An id may live in one
file only: when two files claim it, the file that changed since its last good load
is the one rejected.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Set, Tuple

import yaml

from assistant_contract.catalogue import FOLDER, schemas
from assistant_contract.catalogue.entries import Case, FaqEntry, case, faq_entry

logger = logging.getLogger(__name__)

KINDS = ("faq", "cases")  # the folder, and the list each of its files holds
FILE_SCHEMAS = {  # a file is one non-empty list of items; each item has its own schema (schemas.py)
    kind: {"type": "object", "required": [kind], "additionalProperties": False,
           "properties": {kind: {"type": "array", "minItems": 1, "items": {"type": "object"}}}}
    for kind in KINDS
}


class KnowledgeError(ValueError):
    """A knowledge file does not follow the schema; the message lists every problem."""


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
    found = schemas.problems(data, FILE_SCHEMAS[kind], name)
    if found:  # not a list of items under `faq:` / `cases:`: refused whole, its items unread
        return KnowledgeFile(name, digest, problems=tuple(found))
    build = faq_entry if kind == "faq" else case
    built, problems = [], []
    for number, item in enumerate(data[kind], start=1):
        where = f"{name}#{number}" + (f" ({item['id']})" if item.get("id") else "")  # the id, for the author
        try:
            obj, found = build(item, where)
        except (TypeError, ValueError, AttributeError) as error:  # a shape no check foresaw
            obj, found = None, [f"{where}: cannot be checked: {error}"]
        problems += found
        if obj:
            built.append(obj)
    problems += [f"{name}: {p}" for p in _unique(built, "FAQ" if kind == "faq" else "case")]
    entries = {"faq": tuple(built)} if kind == "faq" else {"cases": tuple(built)}
    return KnowledgeFile(name, digest, problems=tuple(problems), **entries)


def read_folder(folder: Path = FOLDER) -> List[KnowledgeFile]:
    """Every knowledge file, checked one by one, FAQ files first, each kind by name."""
    return [
        read_file(path, kind, f"{kind}/{path.name}")
        for kind in KINDS
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


def read_checked(folder: Path = FOLDER) -> List[KnowledgeFile]:
    """The strict schema check: every file, or `KnowledgeError` with every problem of every file."""
    files = read_folder(folder)
    problems: List[str] = []
    owners: Dict[Tuple[str, str], str] = {}
    for file in files:
        problems += list(file.problems) + _collisions(file, owners)
        owners.update({key: file.name for key in file.ids})
    if problems:
        raise KnowledgeError("\n".join(problems))
    return files


def accepted(current: Sequence[KnowledgeFile],
             last_good: Optional[Mapping[str, KnowledgeFile]] = None) -> List[KnowledgeFile]:
    """Each file as it is now if it passes, else as it last passed (or not at all); no id in two files."""
    last_good = last_good or {}

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
    return sorted(kept, key=lambda f: (KINDS.index(f.name.split("/")[0]), f.name))
