"""The issue's targets on this 2-core machine, checked against the measured levels.

The full pipeline (embedded and scaled, each checked) at 20 users: throughput at least
0.8× the bare assistant's, p95 at most 1.25× its p95. The scaled deployment at 100
users: no errors. A target whose levels were not measured is "not measured", not met.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Mapping, Optional

from bench.load.stats import LevelFigures

Figures = Mapping[str, Mapping[int, LevelFigures]]  # system -> users -> figures


@dataclass(frozen=True)
class Targets:
    compared_users: int = 20
    min_throughput_ratio: float = 0.8
    max_p95_ratio: float = 1.25
    scaled_users: int = 100
    scaled_max_errors: int = 0


@dataclass(frozen=True)
class Verdict:
    target: str
    measured: str
    limit: str
    met: Optional[bool]  # None: not measured


def _level(figures: Figures, system: str, users: int) -> Optional[LevelFigures]:
    level = figures.get(system, {}).get(users)
    return level if level is not None and level.turns > 0 else None


def check(figures: Figures, targets: Targets = Targets()) -> List[Verdict]:
    verdicts: List[Verdict] = []
    users = targets.compared_users
    bare = _level(figures, "bare", users)
    for system in ("embedded", "scaled"):
        full = _level(figures, system, users)
        name = f"{system}: throughput at {users} users vs bare"
        limit = f"≥ {targets.min_throughput_ratio:.2f}×"
        if full is None or bare is None or bare.throughput <= 0:
            verdicts.append(Verdict(name, "not measured", limit, None))
        else:
            ratio = full.throughput / bare.throughput
            verdicts.append(Verdict(name, f"{ratio:.2f}× ({full.throughput:.2f} vs {bare.throughput:.2f} turns/s)",
                                    limit, ratio >= targets.min_throughput_ratio))
        name = f"{system}: p95 at {users} users vs bare"
        limit = f"≤ {targets.max_p95_ratio:.2f}×"
        if full is None or bare is None or not bare.p95_ms > 0:
            verdicts.append(Verdict(name, "not measured", limit, None))
        else:
            ratio = full.p95_ms / bare.p95_ms
            verdicts.append(Verdict(name, f"{ratio:.2f}× ({full.p95_ms:.0f} vs {bare.p95_ms:.0f} ms)",
                                    limit, ratio <= targets.max_p95_ratio))
    scaled = _level(figures, "scaled", targets.scaled_users)
    name = f"scaled: errors at {targets.scaled_users} users"
    limit = f"≤ {targets.scaled_max_errors}"
    if scaled is None:
        verdicts.append(Verdict(name, "not measured", limit, None))
    else:
        verdicts.append(Verdict(name, f"{scaled.errors} of {scaled.turns} turns", limit,
                                scaled.errors <= targets.scaled_max_errors))
    return verdicts


def as_figures(rows: Dict[str, List[LevelFigures]]) -> Dict[str, Dict[int, LevelFigures]]:
    return {system: {level.users: level for level in levels} for system, levels in rows.items()}
