"""The reviewed crisis lexicon: phrase patterns per danger type, with negation
and past-tense handling, so that 我没有想自杀 or 他去年打过我 do not raise an alarm.

Pure Python (no Rasa), used by the crisis detector and testable on its own.
Patterns are matched against normalised text (see nlu/text.py), ignoring the
case of Latin letters. English is negated by words ("I don't want to die"):
`negation_words` within `negation_words_window` words before a phrase.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import yaml
from assistant_contract.catalogue.schemas import TEXTS, problems

CRISIS_TYPES = ("violence", "self_harm", "sexual_assault", "child_danger")
# When one message matches several types, the most specific one decides the reply.
_PRIORITY = ("child_danger", "sexual_assault", "violence", "self_harm")
_CLAUSE_BREAK = re.compile(r"[.!?;。！？；…\n]+")  # sentences; commas stay inside
_LATIN_WORDS = re.compile(r"[a-z]+(?:'[a-z]+)?")
_WINDOW = {"type": "integer", "minimum": 1}
SCHEMA = {  # crisis_lexicon.yml
    "type": "object", "required": ["patterns", "negation_cues", "past_cues", "present_cues"],
    "additionalProperties": False,
    "properties": {
        "patterns": {"type": "object", "minProperties": 1, "propertyNames": {"enum": list(CRISIS_TYPES)},
                     "additionalProperties": dict(TEXTS, minItems=1)},
        "negation_cues": TEXTS, "past_cues": TEXTS, "present_cues": TEXTS,
        "aftermath_cues": TEXTS, "still_in_danger": TEXTS, "negation_words": TEXTS, "story_cues": TEXTS,
        "harm_to_her": TEXTS,
        "negation_window": _WINDOW, "negation_words_window": _WINDOW,
    },
}


def _latin_lowered(text: str) -> str:
    """Latin letters lower-cased, nothing else touched: positions stay the same."""
    return "".join(c.lower() if c.isascii() else c for c in text)


@dataclass(frozen=True)
class LexiconHit:
    crisis_type: str
    phrase: str
    negated: bool
    past: bool

    @property
    def imminent(self) -> bool:
        return not (self.negated or self.past)


class CrisisLexicon:
    """Finds danger phrases and decides whether each is negated or in the past."""

    def __init__(
        self,
        patterns: Dict[str, Sequence[str]],
        negation_cues: Iterable[str],
        past_cues: Iterable[str],
        present_cues: Iterable[str],
        negation_window: int = 4,
        aftermath_cues: Iterable[str] = (),
        still_in_danger: Iterable[str] = (),
        negation_words: Iterable[str] = (),
        negation_words_window: int = 3,
        story_cues: Iterable[str] = (),
        harm_to_her: Iterable[str] = (),
    ) -> None:
        unknown = set(patterns) - set(CRISIS_TYPES)
        if unknown:
            raise ValueError(f"unknown crisis types in lexicon: {sorted(unknown)}")
        self._patterns: List[Tuple[str, re.Pattern]] = [
            (crisis_type, re.compile(pattern, re.IGNORECASE))
            for crisis_type, type_patterns in patterns.items()
            for pattern in type_patterns
        ]
        self._negation_cues = tuple(negation_cues)
        self._past_cues = tuple(past_cues)
        self._present_cues = tuple(present_cues)
        self._negation_window = negation_window
        self._aftermath = [re.compile(cue, re.IGNORECASE) for cue in aftermath_cues]
        self._still = tuple(still_in_danger)
        self._negation_words = frozenset(negation_words)
        self._negation_words_window = negation_words_window
        self._story = [re.compile(cue, re.IGNORECASE) for cue in story_cues]
        self._harm_to_her = [re.compile(cue, re.IGNORECASE) for cue in harm_to_her]

    @classmethod
    def from_dict(cls, data: dict) -> "CrisisLexicon":
        for key in ("patterns", "negation_cues", "past_cues", "present_cues"):
            if key not in data:
                raise ValueError(f"crisis lexicon is missing '{key}'")
        return cls(
            patterns=data["patterns"],
            negation_cues=data["negation_cues"],
            past_cues=data["past_cues"],
            present_cues=data["present_cues"],
            negation_window=int(data.get("negation_window", 4)),
            aftermath_cues=data.get("aftermath_cues") or (),
            still_in_danger=data.get("still_in_danger") or (),
            negation_words=data.get("negation_words") or (),
            story_cues=data.get("story_cues") or (),
            harm_to_her=data.get("harm_to_her") or (),
            negation_words_window=int(data.get("negation_words_window", 3)),
        )

    @classmethod
    def from_yaml(cls, text: str, where: str = "crisis_lexicon.yml") -> "CrisisLexicon":
        """The lexicon of the file's text; a file that breaks the schema (cues written as
        one string, an unknown danger type, an unknown field) is refused whole, saying where."""
        data = yaml.safe_load(text)
        found = problems(data, SCHEMA, where)
        if found:
            raise ValueError("; ".join(found))
        return cls.from_dict(data)

    @classmethod
    def from_file(cls, path: Path) -> "CrisisLexicon":
        return cls.from_yaml(Path(path).read_text(encoding="utf-8"), Path(path).name)

    def find(self, text: str) -> List[LexiconHit]:
        """All pattern matches in the text, sentence by sentence."""
        hits: List[LexiconHit] = []
        for clause in _CLAUSE_BREAK.split(_latin_lowered(text)):
            if not clause:
                continue
            for crisis_type, pattern in self._patterns:
                for match in pattern.finditer(clause):
                    window = clause[max(0, match.start() - self._negation_window) : match.start()]
                    negated = any(cue in window for cue in self._negation_cues) or self._negated_in_words(
                        clause[: match.start()])
                    past = self._told_as_past(clause, match.start(), match.end())
                    hits.append(LexiconHit(crisis_type, match.group(), negated, past))
        return hits

    def _negated_in_words(self, before: str) -> bool:
        """A negation word among the last few Latin words before the phrase."""
        if not self._negation_words:
            return False
        words = _LATIN_WORDS.findall(before)[-self._negation_words_window:]
        return any(word in self._negation_words for word in words)

    def _told_as_past(self, clause: str, start: int, end: int) -> bool:
        """A past or habitual cue before the phrase, with no present cue after that cue."""
        cue_positions = [clause.rfind(cue, 0, start) for cue in self._past_cues]
        last_cue = max(cue_positions, default=-1)
        if last_cue < 0:
            return False
        return not any(cue in clause[last_cue:end] for cue in self._present_cues)

    def aftermath(self, text: str) -> bool:
        """Help has come or she is out of the danger, and nothing says it is still going on."""
        lowered = _latin_lowered(text)
        return any(cue.search(lowered) for cue in self._aftermath) and not any(cue in lowered for cue in self._still)

    def tells_a_story(self, text: str) -> bool:
        """A TV plot, a film or a novel she is talking about ("刚刚看电视剧 里面那个老公把老婆打得满头血"),
        and nothing said of harm to her ("我在看电视剧 他突然冲进来打我" is her danger)."""
        lowered = _latin_lowered(text)
        return any(cue.search(lowered) for cue in self._story) and not any(
            cue.search(lowered) for cue in self._harm_to_her)

    def imminent_type(self, text: str) -> Optional[str]:
        """The most specific danger type among the imminent hits, or None."""
        types = {hit.crisis_type for hit in self.find(text) if hit.imminent}
        return next((name for name in _PRIORITY if name in types), None)
