"""What one level of load gave: every turn as the client saw it, and the figures drawn from them."""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence


@dataclass(frozen=True)
class TurnResult:
    """One message she sent and what came back, timed on the client (send → reply received)."""

    user: int
    sender: str
    conversation: str
    kind: str
    started: float  # seconds since the level started
    seconds: float
    status: int  # HTTP status; 0 when no answer came (timeout, connection refused)
    messages: int  # bot messages in the reply
    error: str = ""  # "" when the turn succeeded

    @property
    def ok(self) -> bool:
        return not self.error

    @property
    def finished(self) -> float:
        return self.started + self.seconds


def percentile(values: Sequence[float], share: float) -> float:
    """Linear interpolation between the closest ranks (numpy's default); NaN for no values."""
    if not values:
        return math.nan
    if not 0.0 <= share <= 1.0:
        raise ValueError("share must be between 0 and 1")
    ordered = sorted(values)
    position = share * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def error_class(error: str) -> str:
    """Errors grouped for the table: 'timeout', 'HTTP 500', 'empty reply', 'connection' ..."""
    return error.split(":", 1)[0].strip() if error else ""


@dataclass(frozen=True)
class LevelFigures:
    users: int
    turns: int
    ok: int
    errors: int
    window_seconds: float
    throughput: float  # successful turns per second over the window
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    errors_by_class: Dict[str, int] = field(default_factory=dict)
    p95_ms_by_kind: Dict[str, float] = field(default_factory=dict)

    @property
    def error_rate(self) -> float:
        return self.errors / self.turns if self.turns else 0.0


def _ms(value: float) -> float:
    return round(value * 1000, 1) if not math.isnan(value) else math.nan


def summarise(users: int, results: Iterable[TurnResult], window_seconds: Optional[float] = None) -> LevelFigures:
    """Latency percentiles over every turn, a failed one at the time it took (a timeout at its
    limit), so errors cannot make a level look fast; throughput counts successful turns only.
    The window runs from the level's start to its last reply unless one is given."""
    turns: List[TurnResult] = list(results)
    latencies = [turn.seconds for turn in turns]
    window = window_seconds if window_seconds is not None else max((t.finished for t in turns), default=0.0)
    ok = sum(1 for turn in turns if turn.ok)
    by_kind: Dict[str, List[float]] = {}
    for turn in turns:
        by_kind.setdefault(turn.kind, []).append(turn.seconds)
    return LevelFigures(
        users=users, turns=len(turns), ok=ok, errors=len(turns) - ok, window_seconds=round(window, 2),
        throughput=round(ok / window, 2) if window > 0 else 0.0,
        p50_ms=_ms(percentile(latencies, 0.50)), p95_ms=_ms(percentile(latencies, 0.95)),
        p99_ms=_ms(percentile(latencies, 0.99)), max_ms=_ms(max(latencies, default=math.nan)),
        errors_by_class=dict(Counter(error_class(t.error) for t in turns if not t.ok)),
        p95_ms_by_kind={kind: _ms(percentile(values, 0.95)) for kind, values in sorted(by_kind.items())},
    )
