"""`make bench`: how fast the assistant understands a message, and how much memory it needs.

Measured in-process on the trained model (no network), over the held-out messages
plus a few hard cases (20,000 characters, emoji only, empty). Targets are written
next to the figures; the command exits non-zero when one is missed, so a slower
pipeline is noticed without timed unit tests.
"""
from __future__ import annotations

import json
import resource
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List

from bot.evaluation import load_examples

HARD_CASES = ["他" * 20_000, "😭😭😭🙏🙏", "", "我在顺德，离我最近的妇联在哪", "住喺韶关乐昌，老公成日打我"]


@dataclass(frozen=True)
class Targets:
    load_seconds: float = 60.0  # model load, once per process start
    p95_ms: float = 150.0  # one message through the whole NLU pipeline
    max_ms: float = 1_000.0  # the slowest message, the 20,000-character one included
    peak_rss_mb: float = 2_000.0  # the whole process after every message


def percentile(values: List[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def measure(load: Callable[[], object], texts: List[str], warmup: int = 5) -> Dict[str, float]:
    started = time.perf_counter()
    parser = load()
    load_seconds = time.perf_counter() - started
    for text in texts[:warmup]:
        parser.parse(text)
    timings = []
    for text in texts:
        started = time.perf_counter()
        parser.parse(text)
        timings.append((time.perf_counter() - started) * 1000)
    close = getattr(parser, "close", None)
    if close:
        close()
    return {
        "messages": len(texts), "load_seconds": round(load_seconds, 2),
        "median_ms": round(statistics.median(timings), 1), "p95_ms": round(percentile(timings, 0.95), 1),
        "max_ms": round(max(timings), 1), "per_second": round(len(texts) / (sum(timings) / 1000), 1),
        "peak_rss_mb": round(peak_rss_mb(), 0),
    }


def missed(figures: Dict[str, float], targets: Targets) -> List[str]:
    checks = [("load_seconds", targets.load_seconds), ("p95_ms", targets.p95_ms), ("max_ms", targets.max_ms),
              ("peak_rss_mb", targets.peak_rss_mb)]
    return [f"{name} {figures[name]} > {limit}" for name, limit in checks if figures[name] > limit]


def report(figures: Dict[str, float], targets: Targets) -> str:
    rows = [("model load (s)", "load_seconds", targets.load_seconds), ("median per message (ms)", "median_ms", None),
            ("p95 per message (ms)", "p95_ms", targets.p95_ms), ("slowest message (ms)", "max_ms", targets.max_ms),
            ("messages per second (one process)", "per_second", None),
            ("peak memory of the process (MB)", "peak_rss_mb", targets.peak_rss_mb)]
    lines = [f"NLU pipeline, in-process, {figures['messages']} messages (held-out set and hard cases)", "",
             "| measure | value | target |", "|---|---|---|"]
    lines += [f"| {title} | {figures[key]} | {'≤ ' + str(limit) if limit else ''} |" for title, key, limit in rows]
    return "\n".join(lines) + "\n"


def run(model_path: Path, heldout: Path, out: Path, targets: Targets = Targets()) -> int:
    from bot.nlu_model import RasaModelParser

    texts = [example.text for example in load_examples(heldout)] + HARD_CASES
    figures = measure(lambda: RasaModelParser(model_path), texts)
    out.mkdir(parents=True, exist_ok=True)
    (out / "summary.md").write_text(report(figures, targets), encoding="utf-8")
    (out / "figures.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    print(report(figures, targets))
    problems = missed(figures, targets)
    for problem in problems:
        print(f"target missed: {problem}")
    return 1 if problems else 0
