"""Which intents exist (domain.yml) and what they mean (bot/taxonomy.yml), for
labels, the category filter, and the intents a correction may name."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional

import yaml

from routing.settings import PROJECT_ROOT

DOMAIN_FILE = PROJECT_ROOT / "domain.yml"
TAXONOMY_FILE = PROJECT_ROOT / "bot" / "taxonomy.yml"


@lru_cache(maxsize=4)
def domain_intents(path: Path = DOMAIN_FILE) -> List[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [next(iter(item)) if isinstance(item, dict) else str(item) for item in data.get("intents") or []]


@lru_cache(maxsize=4)
def taxonomy(path: Path = TAXONOMY_FILE) -> Dict[str, dict]:
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("intents") or {}


def category_of(intent: Optional[str]) -> Optional[str]:
    return (taxonomy().get(intent or "") or {}).get("category")


def title_of(intent: str) -> str:
    entry = taxonomy().get(intent) or {}
    return entry.get("title") or (entry.get("covers") or intent).split("：")[0]


def correctable_intents() -> List[str]:
    """Intents a message can be trained towards: in the domain and in the taxonomy
    (button payloads such as choose_area or expert_reply are never typed by her)."""
    known = taxonomy()
    return [intent for intent in domain_intents() if intent in known]
