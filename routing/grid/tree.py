"""The grid system's organisation tree, from a data file with a schema check.

county → towns/streets → villages/communities → first-level grids → second-level grids.
Each unit keeps its path from the county ("/NA/T01/T01V01/T01V01G1/"), so "inside her
part of the tree" is a prefix test, in Python and in SQL alike.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import yaml
from assistant_contract.catalogue.schemas import TEXT
from assistant_contract.catalogue.schemas import problems as schema_problems
from sqlalchemy import select
from sqlalchemy.orm import Session

from routing.grid.models import UNIT_LEVELS, GridUnit

SAMPLE_FILE = Path(__file__).resolve().parent.parent / "data" / "grid" / "sample_county.yml"
CODE = {"type": "string", "pattern": r"^[A-Za-z0-9_-]{1,32}$"}
CHILDREN_KEY = {"county": "towns", "town": "villages", "village": "grids", "grid1": "grids"}


def _unit(children: Optional[dict] = None, key: str = "", required: bool = True) -> dict:
    """A unit of the tree: its code and name, and its children's list when it has one."""
    properties = {"code": CODE, "name": TEXT, **({key: children} if children else {})}
    return {"type": "object", "required": ["code", "name"] + ([key] if children and required else []),
            "additionalProperties": False, "properties": properties}


_GRID2 = _unit()
_GRID1 = _unit({"type": "array", "items": _GRID2}, "grids", required=False)  # may have no second-level grids
_VILLAGE = _unit({"type": "array", "minItems": 1, "items": _GRID1}, "grids")
_TOWN = _unit({"type": "array", "minItems": 1, "items": _VILLAGE}, "villages")
SCHEMA = {  # sample_county.yml, and any real tree loaded the same way
    "type": "object", "required": ["sample", "county", "towns"], "additionalProperties": False,
    "properties": {"sample": {"type": "boolean"}, "county": _unit(),
                   "towns": {"type": "array", "minItems": 1, "items": _TOWN}},
}


class TreeError(ValueError):
    """The data file does not fit the schema or uses a code twice; the message lists every problem."""


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str
    level: str
    parent_code: Optional[str]
    path: str


def _walk(node: dict, level: int, parent: Optional[UnitRow]) -> Iterator[UnitRow]:
    name_of_level = UNIT_LEVELS[level]
    row = UnitRow(code=node["code"], name=node["name"].strip(), level=name_of_level,
                  parent_code=parent.code if parent else None,
                  path=(parent.path if parent else "/") + node["code"] + "/")
    yield row
    for child in node.get(CHILDREN_KEY.get(name_of_level, "")) or []:
        yield from _walk(child, level + 1, row)


def parse(document: dict, where: str = "the grid tree") -> tuple[List[UnitRow], bool]:
    """The units of the document, county first. A document that breaks the schema (a list
    written as one string, a unit without its children, an unknown field) or uses a code
    twice is refused whole: TreeError lists every problem."""
    problems = schema_problems(document, SCHEMA, where)
    if problems:
        raise TreeError("; ".join(problems))
    rows = list(_walk(dict(document["county"], towns=document["towns"]), 0, None))
    seen: Dict[str, int] = {}
    for row in rows:
        seen[row.code] = seen.get(row.code, 0) + 1
    problems = [f"{where}: code {code} is used {count} times" for code, count in seen.items() if count > 1]
    if problems:
        raise TreeError("; ".join(problems))
    return rows, document["sample"]


def read_file(path: Path = SAMPLE_FILE) -> tuple[List[UnitRow], bool]:
    with open(path, encoding="utf-8") as handle:
        return parse(yaml.safe_load(handle), Path(path).name)


def load(db: Session, rows: List[UnitRow], sample: bool) -> int:
    """Insert or update every unit (idempotent); units no longer in the file are kept,
    since reports refer to them."""
    existing = {unit.code: unit for unit in db.scalars(select(GridUnit))}
    for row in rows:
        unit = existing.get(row.code)
        if unit is None:
            db.add(GridUnit(code=row.code, name=row.name, level=row.level, parent_code=row.parent_code,
                            path=row.path, sample=sample))
            db.flush()
        else:
            unit.name, unit.level, unit.parent_code, unit.path, unit.sample = (
                row.name, row.level, row.parent_code, row.path, sample)
    return len(rows)


def load_file(db: Session, path: Path = SAMPLE_FILE) -> int:
    rows, sample = read_file(path)
    return load(db, rows, sample)


def ancestor_codes(unit: GridUnit) -> List[str]:
    """County first, the unit itself last."""
    return [code for code in unit.path.strip("/").split("/") if code]


def ancestor_at(db: Session, unit: GridUnit, level: str) -> Optional[GridUnit]:
    """The unit's ancestor (or itself) at `level`, e.g. the town of a second-level grid."""
    depth = UNIT_LEVELS.index(level)
    codes = ancestor_codes(unit)
    return db.get(GridUnit, codes[depth]) if depth < len(codes) else None


def children_of(db: Session, code: Optional[str]) -> List[GridUnit]:
    return list(db.scalars(select(GridUnit).where(GridUnit.parent_code == code).order_by(GridUnit.code)))


def units_at(db: Session, level: str, within: str = "/") -> List[GridUnit]:
    return list(db.scalars(select(GridUnit).where(GridUnit.level == level, GridUnit.path.startswith(within))
                           .order_by(GridUnit.code)))
