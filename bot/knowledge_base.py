"""The FAQ entries and the case library as the assistant serves them.

The files, their schema and the rules for a file that fails its check belong to the
contract (`assistant_contract.catalogue.knowledge`); staff edit them in
`contract/assistant_contract/catalogue/`. `make test` runs the strict check
(`KnowledgeBase.load`), and the action server reloads a file when it changes
(`KnowledgeBase.reload`: a failing file keeps its last good entries), with no
training needed: retrieval is lexical.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence, Tuple

from assistant_contract import catalogue
from assistant_contract.catalogue.entries import Case, FaqEntry
from assistant_contract.catalogue.knowledge import KnowledgeFile, accepted, read_checked, read_folder


@dataclass(frozen=True)
class KnowledgeBase:
    faq: Tuple[FaqEntry, ...]
    cases: Tuple[Case, ...]
    files: Tuple[KnowledgeFile, ...] = field(default=(), compare=False, repr=False)  # what the entries came from

    @classmethod
    def from_files(cls, files: Sequence[KnowledgeFile]) -> "KnowledgeBase":
        return cls(tuple(e for f in files for e in f.faq), tuple(c for f in files for c in f.cases), tuple(files))

    @classmethod
    def load(cls, folder: Path = catalogue.FOLDER) -> "KnowledgeBase":
        """The strict schema check: every problem of every file (`KnowledgeError`), or the knowledge."""
        return cls.from_files(read_checked(folder))

    @classmethod
    def reload(cls, folder: Path = catalogue.FOLDER, previous: Optional["KnowledgeBase"] = None) -> "KnowledgeBase":
        """What the assistant serves: file by file, a failing file keeps its last good entries."""
        last_good = {f.name: f for f in (previous.files if previous else ())}
        return cls.from_files(accepted(read_folder(folder), last_good))

    def faq_by_id(self, entry_id: str) -> FaqEntry:
        return next(entry for entry in self.faq if entry.id == entry_id)

    def case_by_id(self, case_id: str) -> Case:
        return next(case for case in self.cases if case.id == case_id)
