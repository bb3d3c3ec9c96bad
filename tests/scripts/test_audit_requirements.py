"""scripts/audit-requirements --offline: the check `make test` runs, wired to the snapshot and the ignore file."""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "audit-requirements"
SNAPSHOT = {"about": "", "licence": "CC-BY-4.0", "source": "https://github.com/pypa/advisory-database",
            "commit": "0" * 40, "commit_date": "2026-07-23T00:00:00+00:00", "extracted_on": "2026-07-24",
            "lock_files": ["requirements.lock"], "packages": ["python-socketio"],
            "advisories": [{"id": "PYSEC-2026-3042", "aliases": ["GHSA-5w7q-77mv-v69f"], "package": "python-socketio",
                            "summary": "denial of service", "ranges": [[{"introduced": "0"}, {"fixed": "5.16.2"}]],
                            "versions": [], "fixed": ["5.16.2"]}]}


def audit(*arguments: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "AUDIT_PYTHON": sys.executable}
    return subprocess.run([str(SCRIPT), *arguments], capture_output=True, text=True, timeout=120, env=env, cwd=ROOT)


def files(tmp_path, version, ignores="ignores: []\n"):
    (tmp_path / "advisories.json").write_text(json.dumps(SNAPSHOT), encoding="utf-8")
    (tmp_path / "requirements.lock").write_text(f"python-socketio=={version} \\\n    --hash=sha256:00\n")
    (tmp_path / "ignore.yml").write_text(ignores, encoding="utf-8")
    return ["--snapshot", str(tmp_path / "advisories.json"), "--lock", str(tmp_path / "requirements.lock"),
            "--ignores", str(tmp_path / "ignore.yml"), "--today", "2026-08-01"]


def test_offline_a_vulnerable_pin_fails_without_touching_the_network(tmp_path):
    finished = audit("--offline", *files(tmp_path, "5.9.0"))
    assert finished.returncode == 1, finished.stderr
    assert "VULNERABLE      python-socketio 5.9.0" in finished.stdout and "fixed in 5.16.2" in finished.stdout


def test_offline_a_fixed_pin_passes(tmp_path):
    finished = audit("--offline", *files(tmp_path, "5.18.1"))
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "OK: no known vulnerabilities." in finished.stdout


def test_offline_a_reviewed_exception_passes_until_its_date(tmp_path):
    entry = "ignores:\n  - {id: GHSA-5w7q-77mv-v69f, package: python-socketio, reason: r, review_by: 2026-08-01}\n"
    arguments = files(tmp_path, "5.9.0", entry)
    assert audit("--offline", *arguments).returncode == 0
    expired = audit("--offline", *arguments[:-1], "2026-08-02")
    assert expired.returncode == 1 and "IGNORE EXPIRED" in expired.stdout


def test_an_unknown_option_is_a_usage_error():
    finished = audit("--everything")
    assert finished.returncode == 2 and "Usage" in finished.stderr
    assert audit("--online", "--verbose").returncode == 2
