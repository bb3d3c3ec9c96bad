"""The catalogue's data files as JSON Schemas, checked by jsonschema (a maintained validator).

One schema per kind of item: an FAQ answer, a case, an intent of the taxonomy, a topic of
the FAQ catalogue (topics.yml). The
hand-written checks that remain (entries.py: how a law is cited, the Telegram limit)
are about meaning; the shape of every field is decided here. A field that must be a list
and is written as one string (`references: 《劳动合同法》第四十二条`) fails loudly: a
string is never read as a list of its characters.

Problems are sentences for the author of the file, each naming where the item is.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Dict, List

from jsonschema import Draft202012Validator, FormatChecker

from assistant_contract.areas import AREAS

FAQ_CATEGORIES = AREAS + ("service",)  # "service": questions about this service itself
MIN_PARAPHRASES = 6
PLAIN_LIMIT = 80  # characters: the version for "说简单点", readable by someone who reads little

TEXT = {"type": "string", "minLength": 1, "pattern": r"\S"}
TEXTS = {"type": "array", "items": TEXT}
DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"}
IDENTIFIER = {"type": "string", "pattern": r"^[a-z0-9_]+(\.[a-z0-9_]+)*$"}

FAQ_ITEM = {
    "type": "object",
    "required": ["id", "category", "question", "paraphrases", "answer", "references", "next_step"],
    "additionalProperties": False,
    "properties": {
        "id": IDENTIFIER,
        "category": {"enum": list(FAQ_CATEGORIES)},
        "question": TEXT,
        "paraphrases": dict(TEXTS, minItems=MIN_PARAPHRASES),
        "answer": TEXT,
        "references": TEXTS,  # may be empty: some answers rest on no law
        "next_step": TEXT,
        "plain": {"type": "string", "maxLength": PLAIN_LIMIT - 1, "pattern": r"^[^\n]*$"},
        "checked": DATE,
    },
}

CASE_ITEM = {
    "type": "object",
    "required": ["id", "title", "category", "tags", "situation", "action", "outcome", "legal_basis"],
    "additionalProperties": False,
    "properties": {
        "id": IDENTIFIER,
        "title": TEXT,
        "category": {"enum": list(FAQ_CATEGORIES)},
        "tags": dict(TEXTS, minItems=1),
        "situation": TEXT,
        "action": TEXT,
        "outcome": TEXT,
        "legal_basis": TEXTS,
        "checked": DATE,
    },
}

TAXONOMY = {
    "type": "object",
    "required": ["intents"],
    "additionalProperties": False,
    "properties": {
        "intents": {
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": r"^[a-z][a-z0-9_]*$"},
            "additionalProperties": {
                "type": "object",
                "required": ["covers"],
                "additionalProperties": False,
                "properties": {
                    "category": {"enum": list(AREAS) + [None]},
                    "title": TEXT,
                    "crisis": {"type": "boolean"},
                    "covers": TEXT,
                },
            },
        },
    },
}

TOPICS = {  # topics.yml: the topics the FAQ answers are written against, by id
    "type": "object",
    "minProperties": 1,
    "propertyNames": {"pattern": r"^(" + "|".join(FAQ_CATEGORIES) + r")\.[a-z0-9_]+(\.[a-z0-9_]+)*$"},
    "additionalProperties": {
        "type": "object",
        "required": ["category", "question", "facts"],
        "additionalProperties": False,
        "properties": {"category": {"enum": list(FAQ_CATEGORIES)}, "question": TEXT, "facts": dict(TEXTS, minItems=1)},
    },
}

_KIND = {"array": "a list", "string": "text", "object": "a mapping of names to values", "boolean": "true or false",
         "integer": "a whole number", "number": "a number"}


def as_json(value: Any) -> Any:
    """YAML's values as JSON has them: a date (YAML reads 2026-11-30 as one) becomes its ISO text."""
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, date):
        return (value if type(value) is date else value.date()).isoformat()
    return value


def _place(path) -> str:
    return ".".join(str(part) for part in path) or "the item"


def _sentence(error) -> str:
    where = _place(error.absolute_path)
    if error.validator == "required":
        missing = error.message.split("'")[1]
        return f"missing field '{missing}'" + (f" in '{where}'" if error.absolute_path else "")
    if error.schema is DATE:
        return f"'{where}' must be a date (YYYY-MM-DD), not '{error.instance}'"
    if error.validator == "type":
        expected = error.validator_value if isinstance(error.validator_value, str) else error.validator_value[0]
        return f"'{where}' must be {_KIND.get(expected, expected)}"
    if error.validator == "additionalProperties":
        return f"{error.message.replace('Additional properties are not allowed', 'unknown field')}"
    if error.validator == "minProperties":
        return f"'{where}' is empty"
    if error.validator == "minItems" and where == "paraphrases":
        return f"needs at least {error.validator_value} paraphrases"
    if error.validator == "minItems":
        return f"'{where}' needs at least {error.validator_value} item(s)"
    if error.validator in ("minLength", "pattern") and error.schema is TEXT:
        return f"'{where}' is empty"
    if error.validator == "enum":
        return f"unknown {error.absolute_path[-1]} '{error.instance}'" + (f" in '{where}'" if len(error.absolute_path) > 1 else "")
    if error.validator in ("maxLength", "pattern") and where == "plain":
        return f"'plain' must be one line under {PLAIN_LIMIT} characters"
    return f"'{where}': {error.message}"


def problems(data: Any, schema: Dict[str, Any], where: str) -> List[str]:
    """Every way `data` breaks `schema`, as sentences starting with `where`, in the file's order."""
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    errors = sorted(validator.iter_errors(as_json(data)), key=lambda e: [str(p) for p in e.absolute_path])
    return list(dict.fromkeys(f"{where}: {_sentence(error)}" for error in errors))  # one sentence per fault
