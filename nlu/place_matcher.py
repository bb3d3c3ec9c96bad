"""Places named in free text: a spaCy EntityRuler over jieba words, built from the gazetteer.

"我在顺德", "天河区这边", "住在韶关乐昌": every gazetteer name and its everyday
short name is a phrase pattern. Text is segmented with a private jieba
instance that knows the place names, so the names come out as whole words
without touching the global jieba dictionary the NLU tokenizer uses.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional

import yaml

from nlu.gazetteer import Gazetteer, Place

LEVEL_RANK = {"province": 0, "city": 1, "county": 2}
ORG_LEVEL_PATTERN = re.compile(r"(省|市|区|县|镇|乡|街道|街|村|社区)(?:级)?(?:的)?(?:妇联|妇女联合会)|(妇女之家)")
ORG_LEVEL_BY_WORD = {
    "省": "province", "市": "city", "区": "county", "县": "county", "镇": "town", "乡": "town",
    "街道": "town", "街": "town", "村": "village", "社区": "village", "妇女之家": "village",
}
_PUNCTUATION = " ，。！？、,.!?~～…"
DEFAULT_RULES = Path(__file__).resolve().parent / "place_rules.yml"


@dataclass(frozen=True)
class PlaceMention:
    place: Place
    start: int
    end: int
    text: str


class _JiebaWords:
    """spaCy tokenizer: jieba words, the text kept exactly (no spaces added)."""

    def __init__(self, vocab: Any, words: Iterable[str]) -> None:
        import jieba

        self.vocab = vocab
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        for word in words:
            self._jieba.add_word(word, freq=200000)

    def __call__(self, text: str) -> Any:
        from spacy.tokens import Doc

        words = [w for w in self._jieba.cut(text, HMM=True) if w]
        return Doc(self.vocab, words=words, spaces=[False] * len(words))


class PlaceMatcher:
    def __init__(self, gazetteer: Gazetteer, rules: Dict[str, Any]) -> None:
        import spacy

        self._gazetteer = gazetteer
        self._ambiguous = set(rules.get("ambiguous_short_names") or [])
        qualified_only = set(rules.get("qualified_only") or [])
        self._cues_before = tuple(rules.get("cues_before") or [])
        self._cues_after = tuple(rules.get("cues_after") or [])
        aliases = self._aliases(gazetteer, qualified_only)
        self._nlp = spacy.blank("zh")
        self._nlp.tokenizer = _JiebaWords(self._nlp.vocab, (alias for alias, _, _ in aliases))
        ruler = self._nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH"})
        ruler.add_patterns([
            {"label": "PLACE", "pattern": alias, "id": f"{place.code}|{int(ambiguous)}"}
            for alias, place, ambiguous in aliases
        ])

    @classmethod
    def from_files(cls, gazetteer: Gazetteer, rules_path: Path = DEFAULT_RULES) -> "PlaceMatcher":
        return cls(gazetteer, yaml.safe_load(Path(rules_path).read_text(encoding="utf-8")) or {})

    def _aliases(self, gazetteer: Gazetteer, qualified_only: set) -> List[tuple]:
        aliases = []
        for place in gazetteer:
            parent = gazetteer.parent(place)
            names = {place.name, place.short_name} - {None}
            if place.name in qualified_only and parent is not None:
                names = {prefix + place.name for prefix in (parent.name, parent.short_name) if prefix}
            for name in names:
                aliases.append((name, place, name in self._ambiguous))
            if place.level == "county" and parent is not None and place.name not in qualified_only:
                for city_name in {parent.name, parent.short_name} - {None}:
                    for county_name in names:
                        aliases.append((city_name + county_name, place, False))
        return aliases

    def find(self, text: str) -> List[PlaceMention]:
        """Every place named in the text, in order; ambiguous names only next to a cue."""
        doc = self._nlp(text)
        mentions = []
        for ent in doc.ents:
            code, ambiguous = ent.ent_id_.split("|")
            if ambiguous == "1" and not self._has_cue(doc, ent):
                continue
            place = self._gazetteer.by_code(code)
            if place is not None:
                mentions.append(PlaceMention(place, ent.start_char, ent.end_char, ent.text))
        return mentions

    def _has_cue(self, doc: Any, ent: Any) -> bool:
        if not doc.text[: ent.start_char].strip(_PUNCTUATION) and not doc.text[ent.end_char:].strip(_PUNCTUATION):
            return True  # the whole message is the name: her answer to "你在哪里"
        before = doc[ent.start - 1].text if ent.start > 0 else ""
        after = doc[ent.end].text if ent.end < len(doc) else ""
        return bool(before) and before.endswith(self._cues_before) or bool(after) and after.startswith(self._cues_after)

    def best(self, text: str) -> Optional[PlaceMention]:
        """The most specific place she named (county over city over province); the first on a tie."""
        mentions = self.find(text)
        if not mentions:
            return None
        return max(mentions, key=lambda m: (LEVEL_RANK[m.place.level], -m.start))


def org_level(text: str) -> Optional[str]:
    """The level of federation she asks about: 区妇联 → county, 市妇联 → city."""
    match = ORG_LEVEL_PATTERN.search(text)
    if not match:
        return None
    return ORG_LEVEL_BY_WORD[match.group(1) or match.group(2)]
