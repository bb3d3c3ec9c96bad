"""Places named in free text: a spaCy EntityRuler over jieba words, built from the gazetteer.

"我在顺德", "天河区这边", "住在韶关乐昌": every gazetteer name and its everyday
short name is a phrase pattern. A town is named with its county or city
("顺德容桂", "东莞虎门镇"), by its full name when no other Guangdong town has it
("容桂街道"), or by its bare short name only in a place-like frame ("我在容桂",
"容桂妇联"): "建设", "人民" and "东山" are town names too. Text is segmented with a private jieba
instance that knows the place names, so the names come out as whole words
without touching the global jieba dictionary the NLU tokenizer uses.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional

import yaml
from assistant_contract.catalogue.schemas import TEXTS, problems

from nlu.gazetteer import Gazetteer, Place

LEVEL_RANK = {"province": 0, "city": 1, "county": 2, "town": 3}
FREE, NEEDS_CUE, TOWN_FRAME = "0", "1", "2"  # how sure a name alone is of being the place
TOWN_CUES_BEFORE = ("在", "住", "住在", "家在", "来自", "老家", "是")
TOWN_CUES_AFTER = ("这边", "那边", "这里", "那里", "附近", "一带", "妇联", "妇女联合会", "镇上", "街道")
ORG_LEVEL_PATTERN = re.compile(r"(省|市|区|县|镇|乡|街道|街|村|社区)(?:级)?(?:的)?(?:妇联|妇女联合会)|(妇女之家)")
ORG_LEVEL_BY_WORD = {
    "省": "province", "市": "city", "区": "county", "县": "county", "镇": "town", "乡": "town",
    "街道": "town", "街": "town", "村": "village", "社区": "village", "妇女之家": "village",
}
_PUNCTUATION = " ，。！？、,.!?~～…"
DEFAULT_RULES = Path(__file__).resolve().parent / "place_rules.yml"
RULE_LISTS = ("ambiguous_short_names", "qualified_only", "cues_before", "cues_after", "filler_words")
RULES_SCHEMA = {  # place_rules.yml: each rule a list of words
    "type": "object", "required": list(RULE_LISTS), "additionalProperties": False,
    "properties": {rule: TEXTS for rule in RULE_LISTS},
}


def read_rules(path: Path = DEFAULT_RULES) -> Dict[str, List[str]]:
    """The file's word lists; a file that breaks the schema (a list written as one string,
    a missing or unknown rule) is refused whole, saying where."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    found = problems(data, RULES_SCHEMA, Path(path).name)
    if found:
        raise ValueError("; ".join(found))
    return data


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
    def __init__(self, gazetteer: Gazetteer, rules: Dict[str, Any],
                 elsewhere: Optional[Callable[[str], Optional[str]]] = None,
                 elsewhere_names: Iterable[str] = ()) -> None:
        """`elsewhere(text)` names a town outside Guangdong that she names with its
        county (「南安水头镇」); `elsewhere_names` are the Guangdong town names that
        such towns share, which then stand alone only next to a cue."""
        import spacy

        self._gazetteer = gazetteer
        self._elsewhere = elsewhere
        self._elsewhere_names = set(elsewhere_names)
        self._ambiguous = set(rules.get("ambiguous_short_names") or [])
        qualified_only = set(rules.get("qualified_only") or [])
        self._cues_before = tuple(rules.get("cues_before") or [])
        self._cues_after = tuple(rules.get("cues_after") or [])
        aliases = self._aliases(gazetteer, qualified_only)
        self._nlp = spacy.blank("zh")
        self._nlp.tokenizer = _JiebaWords(self._nlp.vocab, (alias for alias, _, _ in aliases))
        ruler = self._nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH"})
        ruler.add_patterns([
            {"label": "PLACE", "pattern": alias, "id": f"{place.code}|{mode}"}
            for alias, place, mode in aliases
        ])

    @classmethod
    def from_files(cls, gazetteer: Gazetteer, rules_path: Path = DEFAULT_RULES) -> "PlaceMatcher":
        from nlu.gazetteer import load_town_table  # noqa: PLC0415 - the towns are read once, on first use

        table = load_town_table()
        return cls(gazetteer, read_rules(rules_path),
                   elsewhere=table.elsewhere_named, elsewhere_names=table.elsewhere)

    def _aliases(self, gazetteer: Gazetteer, qualified_only: set) -> List[tuple]:
        aliases = []
        towns = [place for place in gazetteer if place.level == "town"]
        for place in gazetteer:
            if place.level == "town":
                continue
            parent = gazetteer.parent(place)
            names = {place.name, place.short_name} - {None}
            if place.name in qualified_only and parent is not None:
                names = {prefix + place.name for prefix in (parent.name, parent.short_name) if prefix}
            for name in names:
                aliases.append((name, place, NEEDS_CUE if name in self._ambiguous else FREE))
            if place.level == "county" and parent is not None and place.name not in qualified_only:
                for city_name in {parent.name, parent.short_name} - {None}:
                    for county_name in names:
                        aliases.append((city_name + county_name, place, FREE))
        return aliases + self._town_aliases(gazetteer, towns, {alias for alias, _, _ in aliases})

    def _town_aliases(self, gazetteer: Gazetteer, towns: List[Place], other_names: set) -> List[tuple]:
        """Town names with their county (or city) in front; alone only when no other
        Guangdong town or place bears the name, and the short name only in a place frame."""
        full_counts = Counter(town.name for town in towns)
        short_counts = Counter(town.short_name for town in towns if town.short_name)
        in_city = Counter((gazetteer.parent(town).parent_code, town.name) for town in towns)
        aliases = []
        for town in towns:
            county = gazetteer.parent(town)
            names = {town.name, town.short_name} - {None}
            prefixes = {county.name, county.short_name} - {None}
            city = gazetteer.parent(county) if county.level == "county" else None
            if city is not None and in_city[(county.parent_code, town.name)] == 1:
                prefixes |= {city.name, city.short_name} - {None}
            aliases += [(prefix + name, town, FREE) for prefix in prefixes for name in names]
            if full_counts[town.name] == 1:
                aliases.append((town.name, town, NEEDS_CUE if town.name in self._elsewhere_names else FREE))
            short = town.short_name
            if short and short_counts[short] == 1 and full_counts[town.name] == 1 and short not in other_names:
                aliases.append((short, town, TOWN_FRAME))
        return aliases

    def find(self, text: str) -> List[PlaceMention]:
        """Every place named in the text, in order; ambiguous names only next to a cue."""
        doc = self._nlp(text)
        mentions = []
        outside = self._elsewhere(text) if self._elsewhere else None
        for ent in doc.ents:
            code, mode = ent.ent_id_.split("|")
            if mode == NEEDS_CUE and not self._has_cue(doc, ent) or mode == TOWN_FRAME and not self._in_frame(doc, ent):
                continue
            if outside and mode != FREE and ent.text in outside:
                continue  # 「南安水头镇」: Fujian's 水头镇, not 佛冈's
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

    def _in_frame(self, doc: Any, ent: Any) -> bool:
        """A bare town name: 「我在容桂」「住容桂那边」「容桂妇联」, or the whole message."""
        before = doc.text[: ent.start_char].rstrip(_PUNCTUATION)
        after = doc.text[ent.end_char:].lstrip(_PUNCTUATION)
        if not before.strip(_PUNCTUATION) and not after:
            return True
        if after.startswith(TOWN_CUES_AFTER):
            return True
        ends_here = not after or doc.text[ent.end_char] in _PUNCTUATION or after.startswith(("的", "了", "呢", "啊"))
        return before.endswith(TOWN_CUES_BEFORE) and ends_here

    def outside(self, text: str) -> Optional[str]:
        """The town outside Guangdong she names with its county, if any (「南安水头镇」)."""
        return self._elsewhere(text) if self._elsewhere else None

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
