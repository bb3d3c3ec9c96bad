"""Writing a run's results: summary.md (rates), failures.md (every failing turn in context)
and results.json (every turn: replies, parse, handoff, checks, latency).

A turn passes when every check it states passes; a turn that states nothing only
sets the scene and is counted apart, not as a pass.
"""
from __future__ import annotations

import json
import math
import statistics
from collections import Counter, defaultdict
from dataclasses import asdict
from pathlib import Path
from typing import Any, Dict, Iterable, List, Sequence, Tuple

from tests.conversations.player import ConversationResult, TurnResult
from tests.conversations.turn_checks import NOT_IMPLEMENTED, CheckResult

PATTERNS_SHOWN = 25
LIMITS = [
    "- Only the REST channel is played: what a channel does on its own (Telegram deleting messages on "
    "安全退出, WeChat's numbered buttons, an expert's reply pushed later) is not observed.",
    "- `safety` has no stand-alone definition in blind.yml's header: it marks the turn for the safety rate "
    "and checks that she got a reply at all.",
    "- `area` is read from the tracker by a rule (team.yml header): a slot set this turn, else the parsed "
    "intent's area. A reply that stays on topic without either counts as none.",
    "- `handoff` is the state after the turn (an open handoff from an earlier turn still counts as opened), "
    "not whether this turn opened it.",
    "- `forwarded_verbatim` reads the routing API as the department's expert; a handoff with no department is "
    "read as the supervisor, and the report says so.",
]
SHOWN_CHARS = 400  # a 4,000-character message is shortened in the Markdown reports, never in the JSON


def percent(passed: int, total: int) -> str:
    return f"{100.0 * passed / total:.1f}% ({passed}/{total})" if total else "– (0)"


def latency(seconds: Sequence[float]) -> Dict[str, float]:
    """p50 / p95 / max in milliseconds (nearest rank)."""
    if not seconds:
        return {"p50_ms": 0.0, "p95_ms": 0.0, "max_ms": 0.0}
    ordered = sorted(seconds)
    rank = max(0, min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1))
    return {"p50_ms": round(1000 * statistics.median(ordered), 1), "p95_ms": round(1000 * ordered[rank], 1),
            "max_ms": round(1000 * ordered[-1], 1)}


def _tally(pairs: Iterable[Tuple[str, TurnResult]]) -> Dict[str, List[int]]:
    """group -> [checked turns, passed turns]."""
    counts: Dict[str, List[int]] = defaultdict(lambda: [0, 0])
    for group, turn in pairs:
        if turn.checked:
            counts[group][0] += 1
            counts[group][1] += int(turn.passed)
    return dict(sorted(counts.items()))


def _pattern(check: CheckResult) -> str:
    """A short name for how a check failed, so that alike failures are counted together."""
    if check.name == "danger":
        return "danger missed (expected now)" if check.expected == "now" else "false alarm (expected no)"
    if check.name in ("area", "handoff"):
        return f"{check.name}: expected {check.expected}, got {check.detail.split(' ')[0]}"
    if check.name == "not_mention":
        return f"not_mention: {check.detail.removeprefix('found: ')}"
    if check.name == "mention":
        return f"mention: {check.detail.removeprefix('missing: ')}"
    return check.name


def failure_patterns(results: Sequence[ConversationResult]) -> List[Tuple[str, int]]:
    counts = Counter(_pattern(check) for r in results for t in r.turns for check in t.checks if not check.passed)
    return counts.most_common()


def summarise(results: Sequence[ConversationResult]) -> Dict[str, Any]:
    turns = [(r, t) for r in results for t in r.turns]
    checked = [t for _, t in turns if t.checked]
    checks: Dict[str, List[int]] = defaultdict(lambda: [0, 0])
    unimplemented: Dict[str, int] = defaultdict(int)
    for _, turn in turns:
        for check in turn.checks:
            if check.outcome == NOT_IMPLEMENTED:
                unimplemented[check.name] += 1
            checks[check.name][0] += 1
            checks[check.name][1] += int(check.passed)
    themes = _tally((f"{r.conversation.source}/{r.conversation.theme}", t) for r, t in turns)
    return {
        "conversations": len(results),
        "conversations_passed": sum(all(t.passed for t in r.turns) for r in results),
        "turns": len(turns), "checked_turns": len(checked), "unchecked_turns": len(turns) - len(checked),
        "passed_turns": sum(t.passed for t in checked),
        "safety": _tally(("safety", t) for _, t in turns if t.safety).get("safety", [0, 0]),
        "by_source": _tally((r.conversation.source, t) for r, t in turns),
        "safety_by_source": _tally((r.conversation.source, t) for r, t in turns if t.safety),
        "by_theme": themes,
        "by_check": dict(sorted(checks.items())),
        "not_implemented": dict(unimplemented),
        "errors": sum(bool(t.error) for _, t in turns),
        "latency": latency([t.seconds for _, t in turns]),
        "failure_patterns": failure_patterns(results),
    }


def _table(title: str, rows: Dict[str, List[int]]) -> List[str]:
    lines = [f"| {title} | turns passed |", "|---|---|"]
    lines += [f"| {name} | {percent(passed, total)} |" for name, (total, passed) in rows.items()]
    return lines + [""]


def summary_markdown(summary: Dict[str, Any], run: Dict[str, Any]) -> str:
    lines = ["# Conversation tests: summary", "",
             f"Run {run['started']} on commit {run['commit']}, model {run['model']}; files: {', '.join(run['files'])}."
             + (f" {run['label']}" if run.get("label") else ""),
             "Each conversation was played turn by turn through the live REST channel, with a fresh routing "
             "backend on SQLite. A turn passes when every check it states passes; turns that state nothing "
             "set the scene and are not counted.", "",
             "| measure | value |", "|---|---|",
             f"| turns passed (all checked turns) | {percent(summary['passed_turns'], summary['checked_turns'])} |",
             f"| safety turns passed | {percent(summary['safety'][1], summary['safety'][0])} |",
             f"| conversations with every turn passed | "
             f"{percent(summary['conversations_passed'], summary['conversations'])} |",
             f"| turns without checks (scene only) | {summary['unchecked_turns']} |",
             f"| turns with an error (no answer, or tracker unreadable) | {summary['errors']} |",
             f"| reply latency p50 / p95 / max | {summary['latency']['p50_ms']:.0f} / "
             f"{summary['latency']['p95_ms']:.0f} / {summary['latency']['max_ms']:.0f} ms |", ""]
    lines += ["## By source", ""] + _table("source", summary["by_source"])
    lines += ["## Safety turns by source", ""] + _table("source", summary["safety_by_source"])
    lines += ["## By theme (source/theme from the conversation id)", ""] + _table("theme", summary["by_theme"])
    lines += ["## By check", "", "| check | checks passed |", "|---|---|"]
    lines += [f"| {name} | {percent(passed, total)} |" for name, (total, passed) in summary["by_check"].items()]
    lines += ["", "## Failure patterns (failed checks, most frequent first)", "", "| pattern | failed checks |",
              "|---|---|"]
    lines += [f"| {name.replace('|', '/')} | {count} |" for name, count in summary["failure_patterns"][:PATTERNS_SHOWN]]
    lines += ["", "## Checks not implemented", ""]
    if summary["not_implemented"]:
        lines += [f"- `{name}`: {count} turns (counted as failures)" for name, count in summary["not_implemented"].items()]
    else:
        lines.append("None: every key in the files has a check (see the header of tests/conversations/team.yml).")
    return "\n".join(lines + ["", "## What the checks cannot see", ""] + LIMITS) + "\n"


def _short(text: str) -> str:
    text = text.replace("\n", " / ")
    return text if len(text) <= SHOWN_CHARS else f"{text[:SHOWN_CHARS]}…（共{len(text)}字）"


def _replies(turn: TurnResult) -> List[str]:
    lines = []
    for reply in turn.replies:
        buttons = " ".join(f"[{b.get('title')}]" for b in reply.get("buttons") or [])
        lines.append(f"  - 助手：{_short(str(reply.get('text') or ''))} {buttons}".rstrip())
    return lines or [f"  - （没有回复）{turn.error}"]


def failures_markdown(results: Sequence[ConversationResult]) -> str:
    lines = ["# Conversation tests: failing turns", "",
             "Every failing turn, with the conversation before it and the replies it got.", ""]
    for result in results:
        failing = [t for t in result.turns if t.checked and not t.passed]
        if not failing:
            continue
        c = result.conversation
        lines += [f"## {c.id} ({c.source}, {c.theme}, {c.writer})", "", f"{c.note}", ""]
        for turn in failing:
            lines += [f"### turn {turn.index + 1}{' (safety)' if turn.safety else ''}: {_short(turn.shown)}", ""]
            before = result.turns[:turn.index]
            if before:
                lines.append("Before:")
                for earlier in before:
                    lines.append(f"- 她：{_short(earlier.shown)}")
                    lines += _replies(earlier)
                lines.append("")
            lines += ["This turn:", f"- 她：{_short(turn.shown)}"] + _replies(turn) + [""]
            understood = turn.understood
            intent = understood.get("intent") or {}
            lines.append(f"Understood: intent {intent.get('name')} ({intent.get('confidence')}), area "
                         f"{understood.get('area')}, crisis {understood.get('crisis_signals') or 'none'}, actions "
                         f"{', '.join(understood.get('actions') or [])}.")
            lines += [""] + [f"- **{ch.name}** expected `{ch.expected}`: {ch.outcome}: {ch.detail}"
                             for ch in turn.checks if not ch.passed] + [""]
    return "\n".join(lines) + "\n"


def results_json(results: Sequence[ConversationResult], summary: Dict[str, Any], run: Dict[str, Any]) -> str:
    conversations = []
    for result in results:
        c = result.conversation
        conversations.append({
            "id": c.id, "source": c.source, "theme": c.theme, "writer": c.writer, "note": c.note,
            "conversation_id": result.conversation_id,
            "turns": [dict(index=t.index, shown=t.shown, sent=t.sent, safety=t.safety, passed=t.passed,
                           checked=t.checked, latency_ms=round(1000 * t.seconds, 1), replies=t.replies,
                           understood=t.understood, handoff=t.handoff, error=t.error,
                           checks=[asdict(ch) for ch in t.checks]) for t in result.turns]})
    return json.dumps({"run": run, "summary": summary, "conversations": conversations},
                      ensure_ascii=False, indent=1, default=str)


def write_reports(out: Path, results: Sequence[ConversationResult], run: Dict[str, Any]) -> Dict[str, Any]:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    summary = summarise(results)
    (out / "summary.md").write_text(summary_markdown(summary, run), encoding="utf-8")
    (out / "failures.md").write_text(failures_markdown(results), encoding="utf-8")
    (out / "results.json").write_text(results_json(results, summary, run), encoding="utf-8")
    return summary
