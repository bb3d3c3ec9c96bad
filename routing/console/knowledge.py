"""The FAQ answers and the case library as the console shows them: titles for labels,
texts to attach to a reply.

Read through the contract's reader on first use and kept: the files change rarely and
the console only needs titles and texts, not the bot's retrieval index. A file that
fails its schema check is left out with a logged error, as the assistant leaves it out.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, List, Optional

from assistant_contract.catalogue.knowledge import accepted, read_folder


@dataclass(frozen=True)
class Entry:
    id: str
    kind: str  # faq | case
    category: Optional[str]
    title: str
    text: str


@lru_cache(maxsize=1)
def catalogue() -> Dict[str, Entry]:
    entries: Dict[str, Entry] = {}
    for file in accepted(read_folder()):
        for faq in file.faq:
            text = faq.answer + (f"\n下一步：{faq.next_step}" if faq.next_step else "")
            entries[faq.id] = Entry(faq.id, "faq", faq.category, faq.question, text)
        for case in file.cases:
            text = "\n".join(part for part in (case.situation, case.action, case.outcome) if part)
            entries[case.id] = Entry(case.id, "case", case.category, case.title, text)
    return entries


def title_of(entry_id: Optional[str]) -> str:
    if not entry_id:
        return ""
    entry = catalogue().get(entry_id)
    return entry.title if entry else entry_id


def for_category(category: Optional[str]) -> List[Entry]:
    """Entries of her category first, then the rest, so the likely ones are at the top of the list."""
    entries = list(catalogue().values())
    return sorted(entries, key=lambda e: (e.category != category, e.kind, e.id))


def attachment_text(entry: Entry) -> str:
    label = "参考问答" if entry.kind == "faq" else "参考案例"
    return f"【{label}】{entry.title}\n{entry.text}"
