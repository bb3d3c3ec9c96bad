"""The committed advisory snapshot (security/advisories.json): reading it, and writing it reviewably.

It holds the advisories of every package named in the lock files when it was refreshed, the
list of those names (a package missing from it was never looked up, which is not the same as
having no advisories), and where and when the advisories were taken from.
"""
from __future__ import annotations

import datetime
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from packaging.utils import canonicalize_name

SNAPSHOT_FILE = Path(__file__).with_name("advisories.json")
STALE_AFTER_DAYS = 90
HEADER_FIELDS = ("about", "licence", "source", "commit", "commit_date", "extracted_on", "lock_files", "packages")


@dataclass(frozen=True)
class Snapshot:
    source: str
    commit: str
    commit_date: datetime.date
    packages: frozenset[str]
    advisories: dict[str, list[dict]] = field(default_factory=dict)  # canonical package name → advisories

    def covers(self, package: str) -> bool:
        return canonicalize_name(package) in self.packages

    def advisories_for(self, package: str) -> list[dict]:
        return self.advisories.get(canonicalize_name(package), [])

    def age_in_days(self, today: datetime.date) -> int:
        return (today - self.commit_date).days

    def stale(self, today: datetime.date) -> bool:
        return self.age_in_days(today) > STALE_AFTER_DAYS


def from_document(document: dict) -> Snapshot:
    by_package: dict[str, list[dict]] = defaultdict(list)
    for advisory in document.get("advisories", []):
        by_package[canonicalize_name(advisory["package"])].append(advisory)
    return Snapshot(
        source=document["source"], commit=document["commit"],
        commit_date=datetime.date.fromisoformat(str(document["commit_date"])[:10]),
        packages=frozenset(canonicalize_name(name) for name in document["packages"]),
        advisories=dict(by_package))


def load_snapshot(path: Path = SNAPSHOT_FILE) -> Snapshot:
    return from_document(json.loads(path.read_text(encoding="utf-8")))


def dump(document: dict) -> str:
    """Header fields indented, then one advisory per line, sorted: a refresh diffs line by line."""
    lines = ["{"]
    for name in HEADER_FIELDS:
        lines.append(f"  {json.dumps(name)}: {json.dumps(document[name], ensure_ascii=False)},")
    advisories = sorted(document["advisories"], key=lambda advisory: (canonicalize_name(advisory["package"]), advisory["id"]))
    lines.append('  "advisories": [')
    lines.extend(f"    {json.dumps(advisory, ensure_ascii=False)}," for advisory in advisories)
    if advisories:
        lines[-1] = lines[-1].rstrip(",")
    lines.extend(["  ]", "}", ""])
    return "\n".join(lines)
