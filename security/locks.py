"""The pins of the lock files: every package both virtualenvs install, direct or not, with its version."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from packaging.utils import canonicalize_name

LOCK_FILES = ("requirements.lock", "routing/requirements.lock")
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(?P<version>[^\s;\\]+)")


@dataclass(frozen=True)
class Pin:
    lock: str
    name: str  # canonical (PEP 503): lower case, runs of "-_." as "-"
    version: str


def read_pins(path: Path, label: str | None = None) -> list[Pin]:
    """One Pin per `name==version` line (pip-compile's format; hash and comment lines skipped)."""
    label = label or str(path)
    pins = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            pins.append(Pin(label, canonicalize_name(match["name"]), match["version"]))
    if not pins:
        raise ValueError(f"{label}: no `name==version` pins found")
    return pins


def read_locks(root: Path, lock_files: tuple[str, ...] = LOCK_FILES) -> list[Pin]:
    return [pin for lock in lock_files for pin in read_pins(root / lock, lock)]
