"""reports/load/: summary.md (one table for every system and level, the targets, the experts'
side), figures.json (everything, per level) and p95.png (bench/load/plot.py)."""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

from bench.load.plot import plot_p95
from bench.load.run import LevelResult, Warmup
from bench.load.targets import Verdict


@dataclass
class SystemReport:
    name: str
    label: str
    levels: List[LevelResult] = field(default_factory=list)
    warmup: Optional[Warmup] = None
    notes: List[str] = field(default_factory=list)
    error: Optional[str] = None  # why it was not measured
    start_seconds: Optional[float] = None


@dataclass
class RunReport:
    started_utc: str
    mode: str  # "full" or "quick"
    seconds_per_level: float
    machine: Dict[str, Any]
    systems: List[SystemReport]
    verdicts: List[Verdict]
    conversations: List[str]
    finished_utc: str = ""


def _number(value: Any, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.{digits}f}"


def _met(met: Optional[bool]) -> str:
    return {True: "yes", False: "**NO**", None: "not measured"}[met]


def _cell(text: str, limit: int = 160) -> str:
    """One table cell: one line, no pipe, not too long (the whole text is in figures.json)."""
    line = " ".join(str(text).split()).replace("|", "/")
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _loads(level: LevelResult) -> str:
    return f"{_number(level.load_before[0], 1)} → {_number(level.load_after[0], 1)}"


def results_table(report: RunReport) -> List[str]:
    lines = ["| system | users | turns | seconds | throughput (turns/s) | p50 (ms) | p95 (ms) | p99 (ms) | errors "
             "| load average (1 min) before → after |", "|---|---|---|---|---|---|---|---|---|---|"]
    for system in report.systems:
        if system.error:
            lines.append(f"| {system.label} | – | – | – | – | – | – | – | not measured: {_cell(system.error)} | – |")
            continue
        for level in system.levels:
            f = level.figures
            errors = f"{f.errors} ({100 * f.error_rate:.1f}%)" if f.errors else "0"
            if f.errors_by_class:
                errors += ": " + ", ".join(f"{name} {count}" for name, count in sorted(f.errors_by_class.items()))
            lines.append(f"| {system.label} | {f.users} | {f.turns} | {_number(f.window_seconds)} "
                         f"| {_number(f.throughput, 2)} | {_number(f.p50_ms)} "
                         f"| {_number(f.p95_ms)} | {_number(f.p99_ms)} | {errors}"
                         f"{' (cut short)' if level.cut_short else ''} | {_loads(level)} |")
    return lines


def experts_table(report: RunReport) -> List[str]:
    lines = ["| system | users | handoffs asked | handoffs opened | expert replies | delivered "
             "| in her tracker | delivery p50 / p95 (ms) | still pending | urgent | API errors |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for system in report.systems:
        for level in system.levels:
            e = level.expert
            if e is None:
                continue
            errors = ", ".join(f"{name} {count}" for name, count in sorted(e.api_errors.items())) or "0"
            lines.append(f"| {system.label} | {level.figures.users} | {level.handoffs_asked} | {e.handoffs_seen} "
                         f"| {e.replies_posted} | {e.replies_delivered} | {_number(level.reached_her)} "
                         f"| {_number(e.delivery_p50_ms)} / {_number(e.delivery_p95_ms)} | {e.still_pending} "
                         f"| {e.urgent} | {errors} |")
    return lines


def warmup_lines(report: RunReport) -> List[str]:
    lines = []
    for system in report.systems:
        w = system.warmup
        if w is None:
            continue
        line = f"- {system.label}: {w.turns} warm-up turns, {len(w.errors)} errors"
        if w.experts:
            line += (f"; {w.handoffs_seen} handoffs opened for {w.handoffs_asked} asked, "
                     f"{w.urgent_handoffs} urgent (a crisis reply)")
        lines.append(line + ("" if not w.errors else f" ({'; '.join(w.errors[:3])})"))
    return lines


def summary_markdown(report: RunReport, method: str) -> str:
    machine = report.machine
    lines = [f"# make bench-load, {report.started_utc}", "",
             f"{report.mode.capitalize()} run: {report.seconds_per_level:.0f} s per level, closed loop "
             f"(each simulated woman sends her next message when the previous reply arrives). "
             f"Machine: {machine.get('cpus')} CPUs, load average {machine.get('load_before')} at the start and "
             f"{machine.get('load_after')} at the end (1, 5, 15 min); commit {machine.get('commit')}.", "",
             *results_table(report), "", "![p95 latency against concurrent users](p95.png)", "", "## Targets", "", "| target | measured | limit | met |", "|---|---|---|---|",
             *[f"| {v.target} | {v.measured} | {v.limit} | {_met(v.met)} |" for v in report.verdicts], ""]
    expert_rows = experts_table(report)
    if len(expert_rows) > 2:
        lines += ["## Expert replies", "", *expert_rows, ""]
    lines += ["## Warm-up", "", *warmup_lines(report), ""]
    notes = [f"- {system.label}: {note}" for system in report.systems for note in system.notes]
    notes += [f"- {system.label}: started in {system.start_seconds:.0f} s" for system in report.systems
              if system.start_seconds is not None]
    if notes:
        lines += ["## Notes", "", *notes, ""]
    lines += ["## Method", "", method.strip(), ""]
    return "\n".join(lines)


def _plain(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def write(report: RunReport, out: Path, method: str) -> Dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = {"summary": out / "summary.md", "figures": out / "figures.json", "plot": out / "p95.png"}
    paths["summary"].write_text(summary_markdown(report, method), encoding="utf-8")
    paths["figures"].write_text(json.dumps(_plain(asdict(report)), ensure_ascii=False, indent=2) + "\n",
                                encoding="utf-8")
    series = {s.name: {level.figures.users: level.figures.p95_ms for level in s.levels} for s in report.systems}
    plot_p95(series, {s.name: s.label for s in report.systems}, paths["plot"])
    return paths
