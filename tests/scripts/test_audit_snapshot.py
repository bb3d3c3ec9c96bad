"""security/snapshot.py: the committed advisory snapshot, read and written."""
import datetime
import json

from security.snapshot import SNAPSHOT_FILE, dump, from_document, load_snapshot

ADVISORY = {"id": "PYSEC-1", "aliases": ["CVE-1"], "package": "Python_SocketIO", "summary": "s",
            "ranges": [[{"introduced": "0"}, {"fixed": "5.16.2"}]], "versions": [], "fixed": ["5.16.2"]}


def document(**changes):
    base = {"about": "a", "licence": "CC-BY-4.0", "source": "https://example.invalid/db", "commit": "c" * 40,
            "commit_date": "2026-07-23T14:42:31+00:00", "extracted_on": "2026-11-30",
            "lock_files": ["requirements.lock"], "packages": ["python-socketio", "six"], "advisories": [ADVISORY]}
    return {**base, **changes}


def test_advisories_are_found_by_canonical_package_name_and_looked_up_packages_are_known():
    snapshot = from_document(document())
    assert [a["id"] for a in snapshot.advisories_for("python_socketio")] == ["PYSEC-1"]
    assert snapshot.covers("Six") and snapshot.advisories_for("six") == []
    assert not snapshot.covers("requests")


def test_the_snapshot_is_stale_after_ninety_days():
    snapshot = from_document(document())
    assert snapshot.commit_date == datetime.date(2026, 7, 23)
    assert not snapshot.stale(datetime.date(2026, 10, 21))  # 90 days
    assert snapshot.stale(datetime.date(2026, 10, 22))


def test_the_written_file_is_json_with_one_advisory_per_line_in_a_stable_order():
    second = {**ADVISORY, "id": "PYSEC-0", "package": "aiohttp"}
    text = dump(document(advisories=[ADVISORY, second]))
    assert json.loads(text)["advisories"] == [second, ADVISORY]
    lines = text.splitlines()
    assert sum(line.lstrip().startswith('{"id": ') for line in lines) == 2


def test_the_committed_snapshot_records_its_source_commit_and_licence():
    raw = json.loads(SNAPSHOT_FILE.read_text(encoding="utf-8"))
    assert raw["licence"].startswith("CC-BY-4.0") and "pypa/advisory-database" in raw["licence"]
    assert len(raw["commit"]) == 40 and raw["source"].startswith("https://github.com/")
    assert load_snapshot().covers("rasa") and load_snapshot().covers("fastapi")
