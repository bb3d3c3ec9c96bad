"""reports/faults/: summary.json (every figure) and summary.md (the same, to read)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Sequence

from tests.faults.checks import Finding
from tests.faults.faults import FaultRecord

TITLES = {"messages": "Every message she sent got a reply (retryable errors retried)",
          "handoffs": "Every handoff she asked for exists exactly once",
          "expert_replies": "Every expert reply reached her exactly once and in order",
          "archive": "The conversation archive caught up with every event"}


@dataclass
class Outcome:
    started: str  # UTC, ISO 8601
    seconds: Dict[str, float]  # phase -> wall seconds
    settings: Dict[str, object]
    faults: Sequence[FaultRecord]
    findings: Sequence[Finding]
    load_average: List[float] = field(default_factory=list)
    observed: str = ""  # how each guarantee was observed, one paragraph
    evidence: Dict[str, Dict[str, List[str]]] = field(default_factory=dict)  # guarantee -> conversation -> log lines

    @property
    def passed(self) -> bool:
        return all(f.passed for f in self.findings) and all(r.recovered for r in self.faults)

    def figure(self, guarantee: str, name: str) -> int:
        return next((f.figures.get(name, 0) for f in self.findings if f.guarantee == guarantee), 0)

    def headline(self) -> Dict[str, int]:
        """The issue's figures: messages, handoffs, replies, lost, doubled."""
        lost = sum(self.figure(g, "lost") + self.figure(g, "missing") + self.figure(g, "not_stored")
                   for g in TITLES)
        doubled = sum(self.figure(g, "doubled") + self.figure(g, "stored_twice") for g in TITLES)
        return {"messages": self.figure("messages", "sent"), "handoffs": self.figure("handoffs", "asked"),
                "replies": self.figure("expert_replies", "stored"), "lost": lost, "doubled": doubled,
                "out_of_order": self.figure("expert_replies", "out_of_order")}


def as_json(outcome: Outcome) -> dict:
    return {
        "started": outcome.started, "passed": outcome.passed, "headline": outcome.headline(),
        "seconds": outcome.seconds, "settings": outcome.settings, "load_average": outcome.load_average,
        "faults": [{"process": r.fault.process, "how": r.fault.how, "at": r.done_at, "utc": r.done_utc,
                    "restart_at": r.restart_at, "healthy_at": r.healthy_at, "error": r.error} for r in outcome.faults],
        "guarantees": {f.guarantee: {"passed": f.passed, "figures": f.figures, "must_be_zero": list(f.failures),
                                     "problems": f.problems, "notes": f.notes} for f in outcome.findings},
        "observed": outcome.observed, "evidence": outcome.evidence,
    }


def _fault_line(record: FaultRecord) -> str:
    def at(value: object) -> str:
        return "–" if value is None else f"{value} s"
    return (f"| {record.fault.process} | {record.fault.how} | {at(record.done_at)} | {record.done_utc or '–'} | "
            f"{at(record.restart_at)} | {at(record.healthy_at)} | {record.error or 'recovered'} |")


def as_markdown(outcome: Outcome) -> str:
    head = outcome.headline()
    lines = [f"# make test-faults, {outcome.started}", "",
             f"**{'PASSED' if outcome.passed else 'FAILED'}**: {head['messages']} messages, {head['handoffs']} "
             f"handoffs asked for, {head['replies']} expert replies; {head['lost']} lost, {head['doubled']} doubled, "
             f"{head['out_of_order']} out of order.", "",
             "Phases (wall seconds): " + ", ".join(f"{k} {v:.0f}" for k, v in outcome.seconds.items())
             + (f"; load average {', '.join(f'{x:.1f}' for x in outcome.load_average)}"
                if outcome.load_average else "") + ".", "",
             "| process | fault | at | at (UTC) | restarted at | healthy at | outcome |",
             "|---|---|---|---|---|---|---|"]
    lines += [_fault_line(r) for r in outcome.faults]
    lines += ["", "Times are seconds after the first fault's clock started (the load was already running).", ""]
    for finding in outcome.findings:
        lines += [f"## {TITLES.get(finding.guarantee, finding.guarantee)}: {'yes' if finding.passed else 'NO'}", "",
                  "| figure | value | must be 0 |", "|---|---|---|"]
        lines += [f"| {name} | {value} | {'yes' if name in finding.failures else ''} |"
                  for name, value in finding.figures.items()]
        if finding.problems:
            lines += ["", "Problems (the first ones):", ""] + [f"- {p}" for p in finding.problems]
        if finding.notes:
            lines += ["", "Notes:", ""] + [f"- {n}" for n in finding.notes[:10]]
        for cid, log_lines in outcome.evidence.get(finding.guarantee, {}).items():
            lines += ["", f"Log lines naming {cid} (the last ones):", "", "```"] + (log_lines or ["(none)"]) + ["```"]
        lines.append("")
    if outcome.observed:
        lines += ["## How each guarantee was observed", "", outcome.observed, ""]
    lines += ["Settings: " + ", ".join(f"{k} {v}" for k, v in outcome.settings.items()) + "."]
    return "\n".join(lines) + "\n"


def write(outcome: Outcome, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "summary.json").write_text(json.dumps(as_json(outcome), ensure_ascii=False, indent=2) + "\n",
                                         encoding="utf-8")
    path = folder / "summary.md"
    path.write_text(as_markdown(outcome), encoding="utf-8")
    return path
