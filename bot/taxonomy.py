"""The intent taxonomy as the assistant reads a parsed message.

The taxonomy itself, its file and its schema check belong to the contract
(`assistant_contract.catalogue.taxonomy`); what is Rasa's here is the parse: its
fallback intent and its ranking.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, Optional

from assistant_contract.catalogue import taxonomy

FALLBACK_INTENT = "nlu_fallback"


class Taxonomy(taxonomy.Taxonomy):
    def category_of_parse(self, parse: Dict[str, Any]) -> Optional[str]:
        """The service area of a parsed message. When the classifier fell back
        because two intents were too close, the area is still known if both
        belong to it ("抚养权还是财产?" is legal either way)."""
        intent = (parse.get("intent") or {}).get("name")
        if intent != FALLBACK_INTENT:
            return self.category_of(intent)
        contenders = [r for r in parse.get("intent_ranking") or [] if r.get("name") != FALLBACK_INTENT][:2]
        categories = {self.category_of(r.get("name")) for r in contenders}
        if len(contenders) == 2 and len(categories) == 1:
            return categories.pop()
        return None


@lru_cache(maxsize=1)
def load_taxonomy() -> Taxonomy:
    return Taxonomy.from_file()
