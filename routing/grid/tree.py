"""The grid system's organisation tree, from a data file with a schema check.

county → towns/streets → villages/communities → first-level grids → second-level grids.
Each unit keeps its path from the county ("/NA/T01/T01V01/T01V01G1/"), so "inside her
part of the tree" is a prefix test, in Python and in SQL alike.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from routing.grid.models import UNIT_LEVELS, GridUnit

SAMPLE_FILE = Path(__file__).resolve().parent.parent / "data" / "grid" / "sample_county.yml"
CODE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
CHILDREN_KEY = {"county": "towns", "town": "villages", "village": "grids", "grid1": "grids"}


class TreeError(ValueError):
    """The data file does not fit the schema; the message lists every problem."""


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str
    level: str
    parent_code: Optional[str]
    path: str


def _walk(node: dict, level: int, parent: Optional[UnitRow], where: str, problems: List[str]) -> Iterator[UnitRow]:
    name_of_level = UNIT_LEVELS[level]
    if not isinstance(node, dict):
        problems.append(f"{where}: expected a mapping with code and name")
        return
    code, name = node.get("code"), node.get("name")
    if not isinstance(code, str) or not CODE.match(code):
        problems.append(f"{where}: code must be 1–32 letters, digits, - or _ (got {code!r})")
        return
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{where} ({code}): name is missing")
    unknown = set(node) - {"code", "name", CHILDREN_KEY.get(name_of_level, "")}
    if unknown:
        problems.append(f"{where} ({code}): unknown keys {sorted(unknown)}")
    row = UnitRow(code=code, name=str(name or "").strip(), level=name_of_level,
                  parent_code=parent.code if parent else None,
                  path=(parent.path if parent else "/") + code + "/")
    yield row
    key = CHILDREN_KEY.get(name_of_level)
    children = node.get(key) if key else None
    if key and name_of_level != "grid1" and not children:
        problems.append(f"{where} ({code}): has no {key}")
    for index, child in enumerate(children or []):
        yield from _walk(child, level + 1, row, f"{where}.{key}[{index}]", problems)


def parse(document: dict) -> tuple[List[UnitRow], bool]:
    """The units of the document, county first; raises TreeError listing every problem."""
    problems: List[str] = []
    if not isinstance(document, dict) or not isinstance(document.get("county"), dict):
        raise TreeError("the file needs a `county` mapping and a `towns` list")
    if not isinstance(document.get("sample"), bool):
        problems.append("`sample` must be true or false (say whether this is a sample tree)")
    county = dict(document["county"], towns=document.get("towns"))
    rows = list(_walk(county, 0, None, "county", problems))
    seen: Dict[str, int] = {}
    for row in rows:
        seen[row.code] = seen.get(row.code, 0) + 1
    problems += [f"code {code} is used {count} times" for code, count in seen.items() if count > 1]
    if problems:
        raise TreeError("; ".join(problems))
    return rows, bool(document.get("sample"))


def read_file(path: Path = SAMPLE_FILE) -> tuple[List[UnitRow], bool]:
    with open(path, encoding="utf-8") as handle:
        return parse(yaml.safe_load(handle))


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
