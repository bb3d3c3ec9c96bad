import json

from tests.faults.checks import Finding
from tests.faults.faults import KILL, Fault, FaultRecord
from tests.faults.report import Outcome, write


def outcome(lost=0, doubled=0, recovered=True):
    findings = [
        Finding("messages", {"sent": 120, "replied": 120 - lost, "lost": lost}, ("lost",),
                problems=["w-1 turn 0: lost"] if lost else []),
        Finding("handoffs", {"asked": 12, "found_once": 12 - doubled, "missing": 0, "doubled": doubled},
                ("missing", "doubled")),
        Finding("expert_replies", {"stored": 30, "lost": 0, "doubled": 0, "not_stored": 0, "stored_twice": 0,
                                   "out_of_order": 0}, ("lost", "doubled")),
        Finding("archive", {"archivable": 900, "missing": 0, "doubled": 0}, ("missing", "doubled"),
                notes=["2 archived event(s) are not in the tracker store"]),
    ]
    fault = FaultRecord(Fault("rasa-1", KILL, 10, 0), 10.0, 10.0, 95.5 if recovered else None,
                        "" if recovered else "restart failed: TimeoutError", "12:00:10.250")
    return Outcome("2026-11-30 12:00 UTC", {"start": 150.0, "load_and_faults": 120.0}, {"women": 14}, [fault],
                   findings, [7.1, 9.3], "how it was seen")


def test_the_headline_has_the_issues_figures():
    assert outcome(lost=2, doubled=1).headline() == {"messages": 120, "handoffs": 12, "replies": 30, "lost": 2,
                                                    "doubled": 1, "out_of_order": 0}


def test_a_run_passes_only_when_every_guarantee_holds_and_every_process_came_back():
    assert outcome().passed
    assert not outcome(lost=1).passed and not outcome(doubled=1).passed and not outcome(recovered=False).passed


def test_both_files_are_written_with_the_same_figures(tmp_path):
    path = write(outcome(lost=2), tmp_path)
    data = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert data["passed"] is False and data["headline"]["lost"] == 2
    assert data["guarantees"]["messages"]["problems"] == ["w-1 turn 0: lost"]
    assert data["faults"][0] == {"process": "rasa-1", "how": "kill -9", "at": 10.0, "utc": "12:00:10.250",
                                 "restart_at": 10.0, "healthy_at": 95.5, "error": ""}
    text = path.read_text(encoding="utf-8")
    assert "**FAILED**: 120 messages, 12 handoffs asked for, 30 expert replies; 2 lost" in text
    assert "## Every message she sent got a reply (retryable errors retried): NO" in text
    assert "| rasa-1 | kill -9 | 10.0 s | 12:00:10.250 | 10.0 s | 95.5 s | recovered |" in text
    assert "- 2 archived event(s) are not in the tracker store" in text


def test_log_lines_appear_under_the_guarantee_they_explain(tmp_path):
    failed = outcome(lost=1)
    failed.evidence = {"messages": {"w-1": ["rasa-2: REST message from w-1 timed out"]}}
    text = write(failed, tmp_path).read_text(encoding="utf-8")
    section = text.split("## Every message she sent")[1].split("## ")[0]
    assert "Log lines naming w-1 (the last ones):" in section and "rasa-2: REST message from w-1 timed out" in section
