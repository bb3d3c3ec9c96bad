"""`python -m bot triage` as staff use it: a file in, one JSON line out per line, in order."""
import json
import subprocess
import sys

from tests.conftest import MODEL_PATH, PROJECT_ROOT

LINES = [
    '{"id": "m1", "text": "老公不给抚养费，我想找律师"}',
    "救命 他在打我",
    "你好",
    '{"id": "m4", "text": ',
    "",
    "😭😭😭",
    "孩子沉迷手机游戏怎么办",
]


def test_triage_reads_a_file_and_writes_one_object_per_line(tmp_path):
    source = tmp_path / "messages.jsonl"
    source.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "triage", str(source), "--model", str(MODEL_PATH)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["id"] for row in rows] == ["m1", 2, 3, 4, 5, 6, 7]
    first, danger, greeting, broken, empty, emoji, phone = rows
    assert first["category"] == "legal" and first["wants_human"] is True
    assert danger["crisis"] is True and danger["intent"] == "crisis_violence"
    assert greeting["category"] is None and greeting["intent"] == "greet"
    assert "invalid JSON" in broken["error"] and broken["category"] is None
    assert empty["intent"] == "nlu_fallback" and emoji["intent"] == "nlu_fallback"
    assert phone["category"] == "family_education"
    assert set(first) == {"id", "text", "category", "intent", "confidence", "crisis", "wants_human", "answers"}
    assert "msg" in result.stderr  # the progress bar goes to standard error


def test_triage_reads_standard_input():
    result = subprocess.run(
        [sys.executable, "-m", "bot", "triage", "--model", str(MODEL_PATH)],
        input="我想申请创业担保贷款\n", cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    (row,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert row["category"] == "entrepreneurship"
