"""scripts/refresh-advisories: the snapshot rebuilt from a clone given on the command line."""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "refresh-advisories"


def test_a_given_clone_is_read_and_the_snapshot_written_where_asked(database, tmp_path):
    out = tmp_path / "advisories.json"
    env = {**os.environ, "AUDIT_PYTHON": sys.executable, "ADVISORY_SNAPSHOT": str(out),
           "ADVISORY_DATABASE_URL": "https://example.invalid/advisory-database"}
    finished = subprocess.run([str(SCRIPT), str(database)], capture_output=True, text=True, timeout=120,
                              env=env, cwd=ROOT)
    assert finished.returncode == 0, finished.stderr
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["source"] == "https://example.invalid/advisory-database"
    assert {advisory["id"] for advisory in written["advisories"]} == {"PYSEC-2026-3042", "PYSEC-2019-9"}
    assert "Review `git diff" in finished.stdout
