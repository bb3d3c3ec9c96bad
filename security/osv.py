"""Whether a version falls within an OSV advisory's affected ranges or its list of affected versions.

Bounds are compared as PEP 440 versions (packaging's `Version` ordering), not through
specifiers: the specifier "<2.0" leaves out 2.0rc1 (PEP 440 excludes pre-releases of the bound
itself), yet a release candidate of the fixed version is still affected. Only ECOSYSTEM ranges
are read (a GIT range's commits mean nothing to a version number); the advisory database lists the
versions a GIT range covers in "versions".
"""
from __future__ import annotations

from typing import Iterable, Mapping, Sequence

from packaging.version import InvalidVersion, Version

Event = Mapping[str, str]  # one OSV range event: {"introduced": "0"}, {"fixed": "2.0"}, {"last_affected": "1.9"}
EVENT_KINDS = ("introduced", "fixed", "last_affected", "limit")


class UnreadableVersion(ValueError):
    """A version, in a lock file or an advisory, that PEP 440 cannot order."""


def parse_version(text: str) -> Version:
    try:
        return Version(str(text))
    except InvalidVersion:
        raise UnreadableVersion(f"{text!r} is not a PEP 440 version") from None


def event_kind_and_bound(event: Event) -> tuple[str, str]:
    kinds = [kind for kind in EVENT_KINDS if kind in event]
    if len(kinds) != 1:
        raise UnreadableVersion(f"range event {dict(event)!r} names no single kind of {EVENT_KINDS}")
    return kinds[0], str(event[kinds[0]])


def _event_order(event: Event) -> tuple[int, Version]:
    kind, bound = event_kind_and_bound(event)
    return (0, Version("0")) if bound == "0" else (1, parse_version(bound))


def in_range(version: Version, events: Iterable[Event]) -> bool:
    """OSV's evaluation of one ECOSYSTEM range: walk the events in version order."""
    affected = False
    for event in sorted(events, key=_event_order):
        kind, bound = event_kind_and_bound(event)
        if kind == "introduced" and (bound == "0" or version >= parse_version(bound)):
            affected = True
        elif kind == "fixed" and version >= parse_version(bound):
            affected = False
        elif kind == "last_affected" and version > parse_version(bound):
            affected = False
    return affected


def listed(version: Version, versions: Iterable[str]) -> bool:
    """Explicitly listed: equal as versions (1.0 is 1.0.0), or as text when a listed one is not PEP 440."""
    for candidate in versions:
        try:
            if parse_version(candidate) == version:
                return True
        except UnreadableVersion:
            if str(candidate) == str(version):
                return True
    return False


def affects(version: str | Version, ranges: Sequence[Sequence[Event]], versions: Iterable[str] = ()) -> bool:
    """True when the version is in any range or in the list; raises UnreadableVersion when it cannot tell."""
    parsed = version if isinstance(version, Version) else parse_version(version)
    return any(in_range(parsed, events) for events in ranges) or listed(parsed, versions)


def fixed_versions(ranges: Sequence[Sequence[Event]]) -> list[str]:
    """The "fixed" bounds, lowest first: what to upgrade to."""
    bounds = {bound for events in ranges for kind, bound in map(event_kind_and_bound, events) if kind == "fixed"}
    return sorted(bounds, key=parse_version)
