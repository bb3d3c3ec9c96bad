import json
import math

from bench.load.expert import ExpertFigures
from bench.load.report import RunReport, SystemReport, summary_markdown, write
from bench.load.run import LevelResult, Warmup
from bench.load.stats import LevelFigures
from bench.load.targets import Verdict


def figures(users, errors=0):
    return LevelFigures(users=users, turns=200, ok=200 - errors, errors=errors, window_seconds=60.0, throughput=3.3,
                        p50_ms=400.0, p95_ms=1200.0, p99_ms=2100.0, max_ms=2500.0,
                        errors_by_class={"timeout": errors} if errors else {})


def report():
    expert = ExpertFigures(handoffs_seen=5, replies_posted=5, replies_delivered=4, still_pending=1,
                           delivery_p50_ms=300.0, delivery_p95_ms=math.nan, resolved=4, api_errors={"HTTP 409": 1})
    embedded = SystemReport("embedded", "embedded default", warmup=Warmup(turns=30, handoffs_asked=2, handoffs_seen=2, experts=True),
                            levels=[LevelResult(figures(1), [0.5, 0.4, 0.3], [0.7, 0.5, 0.3]),
                                    LevelResult(figures(20, errors=3), [6.0, 5, 4], [7.5, 6, 5], handoffs_asked=5,
                                                expert=expert, reached_her=4)])
    scaled = SystemReport("scaled", "scaled deployment", error="RuntimeError: create-user: usage: x |\n  y")
    return RunReport(started_utc="2026-12-01 00:00 UTC", mode="quick", seconds_per_level=20,
                     machine={"cpus": 2, "load_before": [1, 2, 3], "load_after": [4, 5, 6], "commit": "abc"},
                     systems=[embedded, scaled], conversations=["a"],
                     verdicts=[Verdict("embedded: p95 at 20 users vs bare", "1.50× (1200 vs 800 ms)", "≤ 1.25×", False),
                               Verdict("scaled: errors at 100 users", "not measured", "≤ 0", None)])


def test_one_table_holds_every_level_with_its_errors_and_load():
    text = summary_markdown(report(), "How it was measured.")
    assert "| embedded default | 20 | 200 | 60 | 3.30 | 400 | 1,200 | 2,100 | 3 (1.5%): timeout 3 | 6.0 → 7.5 |" in text
    assert "| scaled deployment | – | – | – | – | – | – | – | not measured: RuntimeError: create-user: usage: x / y | – |" in text
    assert "| embedded: p95 at 20 users vs bare | 1.50× (1200 vs 800 ms) | ≤ 1.25× | **NO** |" in text
    assert "| scaled: errors at 100 users | not measured | ≤ 0 | not measured |" in text
    assert "| embedded default | 20 | 5 | 5 | 5 | 4 | 4 | 300 / – | 1 | 0 | HTTP 409 1 |" in text
    assert "2 handoffs opened for 2 asked, 0 urgent" in text and "How it was measured." in text


def test_the_json_and_the_plot_are_written_beside_the_summary(tmp_path):
    paths = write(report(), tmp_path / "load", "method")
    data = json.loads(paths["figures"].read_text(encoding="utf-8"))
    assert data["systems"][0]["levels"][1]["figures"]["p95_ms"] == 1200.0
    assert data["systems"][0]["levels"][1]["expert"]["delivery_p95_ms"] is None  # NaN is not JSON
    assert data["verdicts"][0]["met"] is False
    assert paths["plot"].exists() and "p95.png" in paths["summary"].read_text(encoding="utf-8")
