"""The FAQ and case library (knowledge/*.yml), read for labels and for attaching to a reply.

Read on first use and kept: the files change rarely and the console only needs
titles and texts, not the bot's retrieval index.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional

import yaml

from routing.settings import PROJECT_ROOT

KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"


@dataclass(frozen=True)
class Entry:
    id: str
    kind: str  # faq | case
    category: Optional[str]
    title: str
    text: str


def _read(directory: Path, key: str) -> List[dict]:
    items: List[dict] = []
    for path in sorted(directory.glob("*.yml")):
        items.extend((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get(key) or [])
    return items


@lru_cache(maxsize=4)
def catalogue(root: Path = KNOWLEDGE_DIR) -> Dict[str, Entry]:
    entries: Dict[str, Entry] = {}
    for item in _read(root / "faq", "faq"):
        text = item.get("answer", "") + (f"\n下一步：{item['next_step']}" if item.get("next_step") else "")
        entries[item["id"]] = Entry(item["id"], "faq", item.get("category"), item.get("question", item["id"]), text)
    for item in _read(root / "cases", "cases"):
        text = "\n".join(part for part in (item.get("situation"), item.get("action"), item.get("outcome")) if part)
        entries[item["id"]] = Entry(item["id"], "case", item.get("category"), item.get("title", item["id"]), text)
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
