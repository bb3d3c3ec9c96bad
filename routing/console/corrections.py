"""Staff corrections of misunderstood messages, and their export as Rasa NLU training data.

Texts are masked when the mark is saved, and again when they are exported (a mark
saved before the masking learnt a new way of writing a number is still caught), so
no woman's phone number, ID number or address ever reaches the training data.
"""
from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Optional

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from routing.masking import mask
from routing.console.models import NluCorrection
from routing.console.tracker_reader import Turn
from routing.models import User, utcnow

HEADER = ("# Written by `make export-corrections` from the marks staff set in the web console\n"
          "# (对话审阅). Personal data is masked. Regenerated on every export: do not edit by hand.\n")


def mark(db: Session, turn: Turn, intent: str, author: User) -> NluCorrection:
    existing = db.scalars(select(NluCorrection).where(NluCorrection.sender_id == turn.sender_id,
                                                      NluCorrection.event_id == turn.event_id)).first()
    correction = existing or NluCorrection(sender_id=turn.sender_id, event_id=turn.event_id)
    correction.text = mask(turn.text)
    correction.predicted_intent = turn.intent
    correction.intent = intent
    correction.author_id = author.id
    correction.created_at = utcnow()
    db.add(correction)
    return correction


def unmark(db: Session, sender_id: str, event_id: int) -> Optional[NluCorrection]:
    """Take a wrong mark back: the message is no longer training data. Returns what was removed."""
    existing = db.scalars(select(NluCorrection).where(NluCorrection.sender_id == sender_id,
                                                      NluCorrection.event_id == event_id)).first()
    if existing is not None:
        db.delete(existing)
    return existing


def marks_for(db: Session, sender_id: str) -> Dict[int, NluCorrection]:
    return {c.event_id: c for c in db.scalars(select(NluCorrection).where(NluCorrection.sender_id == sender_id))}


class _Literal(str):
    pass


class _Dumper(yaml.SafeDumper):
    """Writes examples as block literals (`examples: |`), the way Rasa's own files look."""


_Dumper.add_representer(_Literal, lambda dumper, value: dumper.represent_scalar(
    "tag:yaml.org,2002:str", value, style="|"))


def training_data(db: Session, known_intents: List[str]) -> str:
    """Rasa 3 NLU YAML: one block per intent of `known_intents`, one example per line."""
    examples: Dict[str, List[str]] = {}
    seen = set()
    for correction in db.scalars(select(NluCorrection).order_by(NluCorrection.created_at.desc())):
        text = " ".join(mask(correction.text).split())
        if correction.intent not in known_intents or not text or text in seen:
            continue  # the latest mark of a text wins
        seen.add(text)
        examples.setdefault(correction.intent, []).append(text)
    nlu = [{"intent": intent, "examples": _Literal("".join(f"- {text}\n" for text in sorted(texts)))}
           for intent, texts in sorted(examples.items())]
    body = yaml.dump({"version": "3.1", "nlu": nlu}, Dumper=_Dumper, allow_unicode=True, sort_keys=False)
    return HEADER + body


def export(db: Session, known_intents: List[str], out: Path) -> int:
    """Write the file; returns how many examples it holds."""
    text = training_data(db, known_intents)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    data: Optional[dict] = yaml.safe_load(text)
    return sum(len(block["examples"].splitlines()) for block in (data or {}).get("nlu") or [])
