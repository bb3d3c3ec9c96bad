"""Batch triage: one JSON object in (or a plain line), one JSON object out, in order."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional

from bot.human_request import wants_human
from bot.nlu_model import MessageParser
from bot.taxonomy import Taxonomy
from nlu.text import normalize

MAX_TEXT_CHARS = 20_000
AnswerFinder = Callable[[str, Optional[str]], List[Dict[str, Any]]]


@dataclass
class TriageInput:
    id: Any
    text: str
    error: Optional[str] = None


@dataclass
class TriageResult:
    id: Any
    text: str
    category: Optional[str]
    intent: Optional[str]
    confidence: float
    crisis: bool
    wants_human: bool
    answers: List[Dict[str, Any]] = field(default_factory=list)
    error: Optional[str] = None

    def to_json(self) -> str:
        data = asdict(self)
        if data["error"] is None:
            del data["error"]
        return json.dumps(data, ensure_ascii=False)


def read_inputs(lines: Iterable[str]) -> Iterator[TriageInput]:
    """Each line is a JSON object with `id` and `text`, or plain text (id = line number)."""
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if line.lstrip().startswith("{"):
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                yield TriageInput(number, line, f"invalid JSON: {error.msg}")
                continue
            text = record.get("text") if isinstance(record, dict) else None
            record_id = record.get("id", number) if isinstance(record, dict) else number
            if not isinstance(text, str):
                yield TriageInput(record_id, "", "the object has no string 'text'")
                continue
            yield TriageInput(record_id, text)
        else:
            yield TriageInput(number, line)


class Triage:
    def __init__(
        self, parser: MessageParser, taxonomy: Taxonomy, answer_finder: Optional[AnswerFinder] = None
    ) -> None:
        self._parser = parser
        self._taxonomy = taxonomy
        self._answer_finder = answer_finder

    def classify(self, item: TriageInput) -> TriageResult:
        if item.error:
            return TriageResult(item.id, item.text, None, None, 0.0, False, False, [], item.error)
        parse = self._parser.parse(item.text[:MAX_TEXT_CHARS])
        intent = (parse.get("intent") or {}).get("name")
        confidence = float((parse.get("intent") or {}).get("confidence") or 0.0)
        crisis = bool((parse.get("crisis") or {}).get("detected"))
        category = self._taxonomy.category_of_parse(parse)
        text = item.text[:MAX_TEXT_CHARS]
        answers = self._answer_finder(text, category) if self._answer_finder and text.strip() else []
        return TriageResult(
            id=item.id,
            text=item.text,
            category=category,
            intent=intent,
            confidence=round(confidence, 4),
            crisis=crisis,
            wants_human=intent == "request_human" or wants_human(normalize(item.text)),
            answers=answers,
        )
