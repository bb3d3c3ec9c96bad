"""Departments and federation organisations from YAML (the sample) or CSV (a real
directory), checked before anything is written."""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any, Dict, List

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant_contract.areas import AREAS
from routing import org_schema
from routing.models import ORG_LEVELS, Department, Handoff, Organisation
from routing.towns import TOWNS_FILE
from routing.towns import read as read_towns
from routing.towns import sample_offices as town_sample_offices

SAMPLE_FILE = Path(__file__).resolve().parent / "data" / "organisations.yml"
CSV_COLUMNS = ("id", "name", "level", "parent", "region", "address", "phone", "hours", "latitude", "longitude")


class OrgDataError(ValueError):
    pass


def read_csv(text: str) -> Dict[str, Any]:
    """A real directory: one office per row, the columns of CSV_COLUMNS (UTF-8, header row)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise OrgDataError(f"CSV is missing the columns: {', '.join(missing)}")
    organisations = []
    for line, row in enumerate(reader, start=2):
        org: Dict[str, Any] = {key: (row.get(key) or "").strip() or None for key in CSV_COLUMNS}
        for key in ("latitude", "longitude"):
            if org[key] is not None:
                try:
                    org[key] = float(org[key])
                except ValueError:
                    raise OrgDataError(f"line {line}: {key} is not a number: {org[key]!r}") from None
        organisations.append(org)
    return {"organisations": organisations}


def check(data: Dict[str, Any], require_departments: bool = True) -> List[str]:
    """The schema (routing/org_schema.py) first, each office alone; then how the offices fit together."""
    problems = org_schema.problems(data)
    if problems:
        return problems
    departments = data.get("departments") or []
    if require_departments and {d.get("category") for d in departments} != set(AREAS):
        problems.append("departments must cover exactly the four categories")
    organisations = data.get("organisations") or []
    by_id: Dict[str, Dict[str, Any]] = {}
    for index, org in enumerate(organisations, start=1):
        if org.get("id") in by_id:
            problems.append(f"organisation #{index} ({org.get('id')}): duplicate id")
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
    """Insert or update every department and organisation; returns how many organisations.
    A CSV file holds offices only (the departments stay, or come from the sample);
    a real directory replaces the sample offices."""
    text = Path(path).read_text(encoding="utf-8")
    is_csv = Path(path).suffix.lower() == ".csv"
    data = read_csv(text) if is_csv else (yaml.safe_load(text) or {})
    problems = check(data, require_departments=not is_csv)
    if problems:
        raise OrgDataError("\n".join(problems))
    sample = bool(data.get("sample", False))
    departments = data.get("departments") or []
    if is_csv and session.scalar(select(Department.id).limit(1)) is None:
        departments = yaml.safe_load(SAMPLE_FILE.read_text(encoding="utf-8"))["departments"]
    for item in departments:
        session.merge(Department(**item))
    for org in sorted(data["organisations"], key=lambda o: ORG_LEVELS.index(o["level"])):
        session.merge(Organisation(
            id=org["id"], name=org["name"], level=org["level"], parent_id=org.get("parent"),
            region=org["region"], address=org.get("address"), phone=str(org.get("phone") or "") or None,
            hours=org.get("hours"), latitude=org.get("latitude"), longitude=org.get("longitude"), sample=sample,
        ))
        session.flush()
    if not sample:  # a real directory replaces the sample one
        _drop_sample_offices(session, set())
    return len(data["organisations"])


def _drop_sample_offices(session: Session, keep: set) -> None:
    """Sample offices not in `keep` go, unless a handoff was escalated to them."""
    escalated = set(session.scalars(select(Handoff.escalated_to).where(Handoff.escalated_to.is_not(None))))
    stale = session.scalars(select(Organisation).where(Organisation.sample.is_(True), Organisation.id.not_in(keep)))
    for org in sorted(stale, key=lambda o: -ORG_LEVELS.index(o.level)):  # children before parents
        has_children = session.scalar(select(Organisation.id).where(Organisation.parent_id == org.id).limit(1))
        if org.id not in escalated and has_children is None:
            session.delete(org)
            session.flush()


def refresh_sample(session: Session, path: Path = SAMPLE_FILE, towns_path: Path = TOWNS_FILE) -> int:
    """Bring a database that holds only sample offices up to date with the sample file
    and its town-level offices (routing/data/towns.yml)."""
    count = load_file(session, path)
    organisations = yaml.safe_load(Path(path).read_text(encoding="utf-8"))["organisations"]
    town_ids = load_towns(session, organisations, towns_path)
    _drop_sample_offices(session, {org["id"] for org in organisations} | town_ids)
    return count + len(town_ids)


def load_towns(session: Session, organisations: List[Dict[str, Any]], path: Path = TOWNS_FILE) -> set:
    """A sample office for every Guangdong town and street under the sample offices given
    (the fourth of the five levels); added once, in one flush. Returns their ids."""
    offices = town_sample_offices(organisations, read_towns(path))
    ids = {office["id"] for office in offices}
    present = set(session.scalars(select(Organisation.id).where(Organisation.level == "town")))
    session.add_all(
        Organisation(id=o["id"], name=o["name"], level=o["level"], parent_id=o["parent"], region=o["region"],
                     address=o["address"], phone=o["phone"], hours=o["hours"], sample=True)
        for o in offices if o["id"] not in present
    )
    session.flush()
    return ids


def holds_real_directory(session: Session) -> bool:
    return session.scalar(select(Organisation.id).where(Organisation.sample.is_(False)).limit(1)) is not None
