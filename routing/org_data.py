"""Departments and federation organisations from a YAML file, checked before loading."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List

import yaml
from sqlalchemy.orm import Session

from routing.models import CATEGORIES, ORG_LEVELS, Department, Organisation

SAMPLE_FILE = Path(__file__).resolve().parent / "data" / "organisations.yml"


class OrgDataError(ValueError):
    pass


def check(data: Dict[str, Any]) -> List[str]:
    problems: List[str] = []
    departments = data.get("departments") or []
    if {d.get("category") for d in departments} != set(CATEGORIES):
        problems.append("departments must cover exactly the four categories")
    organisations = data.get("organisations") or []
    by_id: Dict[str, Dict[str, Any]] = {}
    for index, org in enumerate(organisations, start=1):
        where = f"organisation #{index} ({org.get('id')})"
        for field in ("id", "name", "level", "region"):
            if not org.get(field):
                problems.append(f"{where}: missing '{field}'")
        if org.get("level") not in ORG_LEVELS:
            problems.append(f"{where}: level must be one of {', '.join(ORG_LEVELS)}")
        lat, lon = org.get("latitude"), org.get("longitude")
        if lat is not None and not (-90 <= float(lat) <= 90) or lon is not None and not (-180 <= float(lon) <= 180):
            problems.append(f"{where}: coordinates out of range")
        if org.get("id") in by_id:
            problems.append(f"{where}: duplicate id")
        by_id[org.get("id")] = org
    for org in organisations:
        parent = org.get("parent")
        if parent is None:
            continue
        if parent not in by_id:
            problems.append(f"{org.get('id')}: unknown parent '{parent}'")
        elif ORG_LEVELS.index(by_id[parent]["level"]) >= ORG_LEVELS.index(org.get("level", "village")):
            problems.append(f"{org.get('id')}: parent '{parent}' is not a higher level")
    return problems


def load_file(session: Session, path: Path = SAMPLE_FILE) -> int:
    """Insert or update every department and organisation; returns how many organisations."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    problems = check(data)
    if problems:
        raise OrgDataError("\n".join(problems))
    sample = bool(data.get("sample", False))
    for item in data["departments"]:
        session.merge(Department(**item))
    for org in sorted(data["organisations"], key=lambda o: ORG_LEVELS.index(o["level"])):
        session.merge(Organisation(
            id=org["id"], name=org["name"], level=org["level"], parent_id=org.get("parent"),
            region=org["region"], address=org.get("address"), phone=str(org.get("phone") or "") or None,
            hours=org.get("hours"), latitude=org.get("latitude"), longitude=org.get("longitude"), sample=sample,
        ))
        session.flush()
    return len(data["organisations"])
