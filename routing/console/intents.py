"""What each intent means, from the contract's taxonomy: labels, the category filter, and
the intents a correction may name.

The taxonomy lists every intent she can type and nothing else (button payloads such as
choose_area and the intents this backend triggers, such as expert_reply, are in Rasa's
domain only; tests/bot/test_taxonomy.py keeps the two in step).
"""
from __future__ import annotations

from functools import lru_cache
from typing import List, Optional

from assistant_contract.catalogue.taxonomy import Taxonomy


@lru_cache(maxsize=1)
def taxonomy() -> Taxonomy:
    return Taxonomy.from_file()


def category_of(intent: Optional[str]) -> Optional[str]:
    return taxonomy().category_of(intent)


def title_of(intent: str) -> str:
    info = taxonomy().info(intent)
    if info is None:
        return intent
    return info.title or (info.covers or intent).split("：")[0]


def correctable_intents() -> List[str]:
    """Intents a message can be trained towards: those she can type, in the taxonomy's order."""
    return taxonomy().intent_names
