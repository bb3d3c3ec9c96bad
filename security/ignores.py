"""The reviewed exceptions of security/audit-ignore.yml: which advisory, in which package, why, until when.

An exception is a decision with a date on it: past its review-by date it no longer silences
anything, and the audit fails until someone reviews it again (new date) or removes it.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import yaml
from packaging.utils import canonicalize_name

FIELDS = ("id", "package", "reason", "review_by")
OPTIONAL_FIELDS = ("lock",)  # one lock file only (the same package may be movable in the other)


class IgnoreFileError(ValueError):
    """The ignore file is not the list of complete entries it must be."""


@dataclass(frozen=True)
class Ignore:
    id: str
    package: str  # canonical name
    reason: str
    review_by: datetime.date
    lock: Optional[str] = None  # None: both lock files

    def expired(self, today: datetime.date) -> bool:
        return self.review_by < today

    def covers(self, package: str, advisory_ids: set[str], lock: str) -> bool:
        """Same package (and lock file, when it names one); the id is the advisory's or an alias (CVE, GHSA)."""
        return (self.package == canonicalize_name(package) and self.id in advisory_ids
                and self.lock in (None, lock))


def _review_date(value: object, where: str) -> datetime.date:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise IgnoreFileError(f"{where}: review_by {value!r} is not a date (YYYY-MM-DD)") from None


def parse_ignores(text: str, source: str = "audit-ignore.yml") -> list[Ignore]:
    document = yaml.safe_load(text) or {}
    entries = document.get("ignores") if isinstance(document, dict) else None
    if entries is None:
        entries = []
    if not isinstance(entries, list):
        raise IgnoreFileError(f"{source}: `ignores` must be a list of entries")
    ignores = []
    for number, entry in enumerate(entries, start=1):
        where = f"{source}, entry {number}"
        if not isinstance(entry, dict):
            raise IgnoreFileError(f"{where}: an entry is a mapping of {', '.join(FIELDS)}")
        missing = [field for field in FIELDS if not str(entry.get(field) or "").strip()]
        unknown = sorted(set(entry) - set(FIELDS) - set(OPTIONAL_FIELDS))
        if missing or unknown:
            raise IgnoreFileError(f"{where}: missing {missing or 'nothing'}, unknown {unknown or 'nothing'}")
        ignores.append(Ignore(id=str(entry["id"]).strip(), package=canonicalize_name(str(entry["package"])),
                              reason=" ".join(str(entry["reason"]).split()),
                              review_by=_review_date(entry["review_by"], where),
                              lock=str(entry["lock"]) if entry.get("lock") else None))
    return ignores


def load_ignores(path: Path) -> list[Ignore]:
    if not path.exists():
        return []
    return parse_ignores(path.read_text(encoding="utf-8"), str(path))
