"""The office directory's shape as a JSON Schema, checked by jsonschema before anything is written.

The sample (routing/data/organisations.yml) and a real directory (CSV, read into the same
shape by routing/org_data.py) follow it. What one office says about another (a parent that
exists and is a level above, ids used once, departments covering the four areas) is checked
in org_data.py; here each office and department alone. A phone number is text: unquoted in
YAML, 020… would lose its leading zero or be read as an octal number.
"""
from __future__ import annotations

from typing import Any, Dict, List

from jsonschema import Draft202012Validator

from assistant_contract.areas import AREAS
from routing.models import ORG_LEVELS

TEXT = {"type": "string", "minLength": 1, "pattern": r"\S"}
OPTIONAL_TEXT = {"type": ["string", "null"]}


def _coordinate(limit: int) -> Dict[str, Any]:
    return {"type": ["number", "null"], "minimum": -limit, "maximum": limit}


DEPARTMENT = {
    "type": "object",
    "required": ["id", "name", "category", "specialty"],
    "additionalProperties": False,
    "properties": {"id": TEXT, "name": TEXT, "category": {"enum": list(AREAS)}, "specialty": TEXT},
}
ORGANISATION = {
    "type": "object",
    "required": ["id", "name", "level", "region"],
    "additionalProperties": False,
    "properties": {
        "id": TEXT, "name": TEXT, "level": {"enum": list(ORG_LEVELS)}, "parent": OPTIONAL_TEXT, "region": TEXT,
        "address": OPTIONAL_TEXT, "phone": OPTIONAL_TEXT, "hours": OPTIONAL_TEXT,
        "latitude": _coordinate(90), "longitude": _coordinate(180),
    },
}
DIRECTORY = {
    "type": "object",
    "required": ["organisations"],
    "additionalProperties": False,
    "properties": {
        "sample": {"type": "boolean"},
        "departments": {"type": "array", "items": DEPARTMENT},
        "organisations": {"type": "array", "minItems": 1, "items": ORGANISATION},
    },
}
_VALIDATOR = Draft202012Validator(DIRECTORY)


def _where(data: Dict[str, Any], path: List[Any]) -> str:
    if len(path) >= 2 and path[0] in ("organisations", "departments") and isinstance(path[1], int):
        item = data[path[0]][path[1]]
        name = item.get("id") if isinstance(item, dict) else None
        return f"{path[0][:-1]} #{path[1] + 1} ({name})"
    return "the directory"


def _sentence(error) -> str:
    path = list(error.absolute_path)
    field = path[2] if len(path) > 2 else (path[0] if path else "")
    if error.validator == "required":
        return f"missing '{error.message.split(chr(39))[1]}'"
    if error.validator == "enum":
        return f"{field} must be one of {', '.join(str(v) for v in error.validator_value)}, not '{error.instance}'"
    if error.validator in ("minimum", "maximum"):
        return f"coordinates out of range ({field} {error.instance})"
    if error.validator == "type":
        expected = error.validator_value if isinstance(error.validator_value, str) else error.validator_value[0]
        kind = {"string": "text (put it in quotes)", "number": "a number", "array": "a list", "object": "a mapping",
                "boolean": "true or false"}.get(expected, expected)
        return f"'{field}' must be {kind}, not {error.instance!r}"
    if error.validator in ("minLength", "pattern"):
        return f"'{field}' is empty"
    if error.validator == "additionalProperties":
        return error.message.replace("Additional properties are not allowed", "unknown field")
    return error.message


def problems(data: Any) -> List[str]:
    """Every way the directory's data breaks the schema, each naming the office or department."""
    if not isinstance(data, dict):
        return ["the directory must be a mapping with 'organisations:' (and 'departments:')"]
    errors = sorted(_VALIDATOR.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    return list(dict.fromkeys(f"{_where(data, list(e.absolute_path))}: {_sentence(e)}" for e in errors))
