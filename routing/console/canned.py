"""Canned replies per department: seeded once from data/canned_replies.yml, then edited by admins."""
from __future__ import annotations

from pathlib import Path

import yaml
from assistant_contract.catalogue.schemas import TEXT, problems
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from routing.console.models import CannedReply
from routing.models import Department

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "canned_replies.yml"
SCHEMA = {  # canned_replies.yml: department id → its replies
    "type": "object", "minProperties": 1,
    "additionalProperties": {"type": "array", "minItems": 1, "items": {
        "type": "object", "required": ["title", "text"], "additionalProperties": False,
        "properties": {"title": {**TEXT, "maxLength": 50}, "text": TEXT}}},
}


def read(path: Path = DEFAULT_FILE) -> dict:
    """The file's replies per department; a file that breaks the schema is refused whole."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = problems(data, SCHEMA, path.name)
    if found:
        raise ValueError("; ".join(found))
    return data


def seed_if_empty(db: Session, path: Path = DEFAULT_FILE) -> int:
    if db.scalar(select(func.count()).select_from(CannedReply)):
        return 0
    departments = set(db.scalars(select(Department.id)))
    added = 0
    for department_id, replies in read(path).items():
        if department_id not in departments:
            continue
        for reply in replies:
            db.add(CannedReply(department_id=department_id, title=reply["title"], text=reply["text"]))
            added += 1
    return added
