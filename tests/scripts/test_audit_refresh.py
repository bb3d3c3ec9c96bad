"""security/refresh.py: the snapshot rebuilt from a git clone of the advisory database."""
import json
import subprocess

from security.refresh import extract, main, reduce_record


def test_the_locked_packages_advisories_are_extracted_by_canonical_folder_name(database):
    commit, date, advisories = extract(database, "HEAD", ["python-socketio", "six", "requests"])
    head = subprocess.run(["git", "-C", str(database), "rev-parse", "HEAD"], capture_output=True, text=True).stdout
    assert commit == head.strip() and date == "2026-07-23T14:42:31+00:00"
    by_id = {advisory["id"]: advisory for advisory in advisories}
    assert set(by_id) == {"PYSEC-2026-3042", "PYSEC-2019-9"}  # withdrawn and unlocked ones left out
    assert by_id["PYSEC-2026-3042"] == {
        "id": "PYSEC-2026-3042", "aliases": ["CVE-2026-48804", "GHSA-5w7q-77mv-v69f"], "package": "python-socketio",
        "summary": "python-socketio: Binary attachment accumulation can cause denial of service",
        "ranges": [[{"introduced": "0"}, {"fixed": "5.16.2"}]], "versions": [], "fixed": ["5.16.2"]}


def test_a_git_only_advisory_keeps_its_version_list_and_a_long_details_line_is_cut(database):
    _, _, advisories = extract(database, "HEAD", ["six"])
    [six] = advisories
    assert (six["ranges"], six["versions"], six["fixed"]) == ([], ["1.0", "1.1"], [])
    assert len(six["summary"]) == 200 and six["summary"].endswith("…")


def test_a_record_about_another_package_only_reduces_to_nothing():
    record = {"id": "X", "affected": [{"package": {"name": "other", "ecosystem": "PyPI"},
                                       "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]}
    assert reduce_record(record, "six") is None


def test_the_command_writes_a_snapshot_of_every_locked_package_with_its_source(database, tmp_path, capsys):
    out = tmp_path / "advisories.json"
    assert main(["--repository", str(database), "--source-url", "https://example.invalid/db", "--out", str(out)]) == 0
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["source"] == "https://example.invalid/db" and written["licence"].startswith("CC-BY-4.0")
    assert {"rasa", "fastapi", "six"} <= set(written["packages"])
    assert "Wrote" in capsys.readouterr().out


def test_a_missing_repository_is_reported(tmp_path, capsys):
    assert main(["--repository", str(tmp_path / "absent"), "--out", str(tmp_path / "a.json")]) == 2
    assert "git failed" in capsys.readouterr().err
