"""The offline audit: every pinned version of both lock files against the committed advisory snapshot.

Fails (exit 1) on an advisory that affects a pin and is not covered by a live entry of the ignore
file, on an ignore entry past its review-by date, on a pin whose package the snapshot never looked
up, and on a version it cannot order: a check that could not be made is never reported as clean.
Warns when the snapshot is older than 90 days.

    python -m security.audit [--lock FILE ...] [--snapshot FILE] [--ignores FILE] [--today YYYY-MM-DD] [--verbose]
    python -m security.audit ignored-ids     # the live ignore entries' ids and aliases, for pip-audit
"""
from __future__ import annotations

import argparse
import datetime
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from security.ignores import Ignore, IgnoreFileError, load_ignores
from security.locks import LOCK_FILES, Pin, read_locks
from security.osv import UnreadableVersion, affects
from security.snapshot import SNAPSHOT_FILE, STALE_AFTER_DAYS, Snapshot, load_snapshot

ROOT = Path(__file__).resolve().parent.parent
IGNORE_FILE = Path(__file__).with_name("audit-ignore.yml")
REFRESH_HINT = "scripts/refresh-advisories (needs github.com or a clone of the advisory database)"


@dataclass(frozen=True)
class Finding:
    pin: Pin
    advisory: Optional[dict]  # None: the pin could not be checked at all
    problem: str  # "vulnerable", "ignored", "ignore expired", "not in snapshot", "unreadable"
    ignore: Optional[Ignore] = None
    detail: str = ""

    @property
    def fails(self) -> bool:
        return self.problem != "ignored"

    def line(self) -> str:
        pin = f"{self.pin.name} {self.pin.version} ({self.pin.lock})"
        if self.advisory is None:
            return f"{self.problem.upper():<15} {pin}: {self.detail}"
        advisory = self.advisory
        aliases = f" ({', '.join(advisory['aliases'])})" if advisory.get("aliases") else ""
        fixed = f"fixed in {', '.join(advisory['fixed'])}" if advisory.get("fixed") else "no fixed version"
        text = f"{self.problem.upper():<15} {pin}: {advisory['id']}{aliases}, {fixed}: {advisory.get('summary', '')}"
        if self.ignore is not None:
            text += f"\n{'':<16}review by {self.ignore.review_by}: {self.ignore.reason}"
        if self.detail:
            text += f"\n{'':<16}{self.detail}"
        return text


def advisory_ids(advisory: dict) -> set[str]:
    return {advisory["id"], *advisory.get("aliases", [])}


def check_pin(pin: Pin, snapshot: Snapshot, ignores: list[Ignore], today: datetime.date) -> list[Finding]:
    if not snapshot.covers(pin.name):
        return [Finding(pin, None, "not in snapshot",
                        detail=f"the snapshot never looked this package up: refresh it with {REFRESH_HINT}")]
    findings = []
    for advisory in snapshot.advisories_for(pin.name):
        try:
            hit = affects(pin.version, advisory.get("ranges", []), advisory.get("versions", []))
        except UnreadableVersion as error:
            findings.append(Finding(pin, advisory, "unreadable", detail=f"cannot tell: {error}"))
            continue
        if not hit:
            continue
        ignore = next((entry for entry in ignores if entry.covers(pin.name, advisory_ids(advisory), pin.lock)), None)
        if ignore is None:
            findings.append(Finding(pin, advisory, "vulnerable"))
        elif ignore.expired(today):
            findings.append(Finding(pin, advisory, "ignore expired", ignore,
                                    detail="review the reason and set a new review_by, or upgrade"))
        else:
            findings.append(Finding(pin, advisory, "ignored", ignore))
    return findings


def check(pins: list[Pin], snapshot: Snapshot, ignores: list[Ignore], today: datetime.date) -> list[Finding]:
    return [finding for pin in pins for finding in check_pin(pin, snapshot, ignores, today)]


def unused_ignores(findings: list[Finding], ignores: list[Ignore]) -> list[Ignore]:
    used = {finding.ignore for finding in findings if finding.ignore is not None}
    return [entry for entry in ignores if entry not in used]


def ignored_lines(findings: list[Finding]) -> list[str]:
    """One line per ignored package and lock: the reasons are in the ignore file (or with --verbose)."""
    grouped: dict[tuple[str, str, str], list[Finding]] = {}
    for finding in findings:
        if not finding.fails:
            grouped.setdefault((finding.pin.name, finding.pin.version, finding.pin.lock), []).append(finding)
    return [f"{'IGNORED':<15} {name} {version} ({lock}): {', '.join(f.advisory['id'] for f in group)}; "
            f"review by {min(f.ignore.review_by for f in group)}"
            for (name, version, lock), group in grouped.items()]


def report(pins: list[Pin], snapshot: Snapshot, ignores: list[Ignore], today: datetime.date,
           out=sys.stdout, verbose: bool = False) -> int:
    """Print the findings and warnings; return the exit status (0 clean, 1 something fails)."""
    findings = check(pins, snapshot, ignores, today)
    locks = sorted({pin.lock for pin in pins})
    print(f"Checked {len(pins)} pins of {', '.join(locks)} against the advisory snapshot of "
          f"{snapshot.commit_date} ({snapshot.source} at {snapshot.commit[:12]}).", file=out)
    for finding in findings:
        if finding.fails or verbose:
            print(finding.line(), file=out)
    if not verbose:
        for line in ignored_lines(findings):
            print(line, file=out)
    status = 1 if any(finding.fails for finding in findings) else 0
    for entry in unused_ignores(findings, ignores):
        if entry.expired(today):
            status = 1
            print(f"IGNORE EXPIRED  {entry.package} {entry.id}: review-by {entry.review_by} has passed and it "
                  "matches no finding any more: remove the entry.", file=out)
        else:
            print(f"warning: the ignore entry {entry.package} {entry.id} matches no finding: remove it.", file=out)
    if snapshot.stale(today):
        print(f"warning: the advisory snapshot is {snapshot.age_in_days(today)} days old (more than "
              f"{STALE_AFTER_DAYS}): advisories published since {snapshot.commit_date} are not checked. "
              f"Refresh it with {REFRESH_HINT}.", file=out)
    counts = {problem: sum(finding.problem == problem for finding in findings)
              for problem in ("vulnerable", "ignore expired", "not in snapshot", "unreadable", "ignored")}
    summary = ", ".join(f"{count} {problem}" for problem, count in counts.items() if count) or "no known vulnerabilities"
    print(f"{'FAILED' if status else 'OK'}: {summary}.", file=out)
    return status


def ignored_ids(snapshot: Snapshot, ignores: list[Ignore], today: datetime.date,
                lock: Optional[str] = None) -> list[str]:
    """The ids (with the snapshot's aliases of each) of the entries still within their review date."""
    ids = set()
    for entry in ignores:
        if entry.expired(today) or (lock is not None and entry.lock not in (None, lock)):
            continue
        ids.add(entry.id)
        for advisory in snapshot.advisories_for(entry.package):
            if entry.id in advisory_ids(advisory):
                ids |= advisory_ids(advisory)
    return sorted(ids)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m security.audit", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs="?", choices=("check", "ignored-ids"), default="check")
    parser.add_argument("--lock", action="append", help=f"lock file relative to the project (default: {LOCK_FILES})")
    parser.add_argument("--snapshot", type=Path, default=SNAPSHOT_FILE)
    parser.add_argument("--ignores", type=Path, default=IGNORE_FILE)
    parser.add_argument("--today", type=datetime.date.fromisoformat, default=datetime.date.today())
    parser.add_argument("--verbose", action="store_true", help="each ignored advisory with its reason")
    arguments = parser.parse_args(argv)
    try:
        snapshot = load_snapshot(arguments.snapshot)
        ignores = load_ignores(arguments.ignores)
        if arguments.command == "ignored-ids":
            lock = arguments.lock[0] if arguments.lock else None
            print("\n".join(ignored_ids(snapshot, ignores, arguments.today, lock)))
            return 0
        pins = read_locks(ROOT, tuple(arguments.lock or LOCK_FILES))
    except (OSError, ValueError, KeyError, IgnoreFileError) as error:
        print(f"audit: {error}", file=sys.stderr)
        return 2
    return report(pins, snapshot, ignores, arguments.today, verbose=arguments.verbose)


if __name__ == "__main__":
    sys.exit(main())
