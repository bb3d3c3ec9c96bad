"""security/audit.py: pins against the snapshot, the ignore file's exceptions, and the exit status."""
import datetime
import io
import json

from security.audit import check, ignored_ids, main, report
from security.ignores import Ignore
from security.locks import Pin
from security.snapshot import from_document

TODAY = datetime.date(2026, 8, 1)
SOCKETIO_DOS = {"id": "PYSEC-2026-3042", "aliases": ["CVE-2026-48804", "GHSA-5w7q-77mv-v69f"],
                "package": "python-socketio", "summary": "Binary attachment accumulation can cause denial of service",
                "ranges": [[{"introduced": "0"}, {"fixed": "5.16.2"}]], "versions": [], "fixed": ["5.16.2"]}
OLD_ENGINEIO = {"id": "PYSEC-2019-170", "aliases": [], "package": "python-engineio", "summary": "old",
                "ranges": [], "versions": ["3.8.0"], "fixed": []}
DOCUMENT = {"about": "", "licence": "CC-BY-4.0", "source": "https://github.com/pypa/advisory-database",
            "commit": "57da901aadaf5862a588727ec949df1e56908f4f", "commit_date": "2026-07-23T14:42:31+00:00",
            "extracted_on": "2026-07-24", "lock_files": ["requirements.lock"],
            "packages": ["python-socketio", "python-engineio", "six"], "advisories": [SOCKETIO_DOS, OLD_ENGINEIO]}
SNAPSHOT = from_document(DOCUMENT)


def pin(name, version, lock="requirements.lock"):
    return Pin(lock, name, version)


def ignore(id_="PYSEC-2026-3042", review_by=datetime.date(2026, 12, 1), lock=None, package="python-socketio"):
    return Ignore(id=id_, package=package, reason="Rasa 3.6.21 pins it; the path is not reachable here.",
                  review_by=review_by, lock=lock)


def run(pins, ignores=(), today=TODAY, snapshot=SNAPSHOT, verbose=False):
    out = io.StringIO()
    status = report(list(pins), snapshot, list(ignores), today, out=out, verbose=verbose)
    return status, out.getvalue()


def test_a_pinned_version_inside_an_advisory_fails_with_its_ids_and_fixed_version():
    status, text = run([pin("python-socketio", "5.9.0"), pin("python-engineio", "4.7.1")])
    assert status == 1
    assert "VULNERABLE      python-socketio 5.9.0 (requirements.lock): PYSEC-2026-3042 " in text
    assert "CVE-2026-48804, GHSA-5w7q-77mv-v69f" in text and "fixed in 5.16.2" in text
    assert "python-engineio" not in text.split("\n", 1)[1]
    assert text.rstrip().endswith("FAILED: 1 vulnerable.")


def test_versions_past_the_fix_and_packages_without_advisories_pass():
    status, text = run([pin("python-socketio", "5.16.2"), pin("six", "1.16.0")])
    assert status == 0 and text.rstrip().endswith("OK: no known vulnerabilities.")


def test_an_explicitly_listed_version_is_found():
    [finding] = check([pin("python-engineio", "3.8.0")], SNAPSHOT, [], TODAY)
    assert (finding.problem, finding.advisory["id"]) == ("vulnerable", "PYSEC-2019-170")


def test_a_package_the_snapshot_never_looked_up_fails_and_says_how_to_refresh():
    status, text = run([pin("requests", "2.31.0")])
    assert status == 1
    assert "NOT IN SNAPSHOT requests 2.31.0" in text and "scripts/refresh-advisories" in text


def test_a_live_ignore_entry_excuses_the_finding_and_names_it():
    status, text = run([pin("python-socketio", "5.9.0")], [ignore()])
    assert status == 0
    assert "IGNORED         python-socketio 5.9.0 (requirements.lock): PYSEC-2026-3042; review by 2026-12-01" in text
    assert "not reachable" not in text
    assert "not reachable here" in run([pin("python-socketio", "5.9.0")], [ignore()], verbose=True)[1]


def test_an_ignore_entry_may_name_the_advisory_by_an_alias():
    status, _ = run([pin("python-socketio", "5.9.0")], [ignore(id_="GHSA-5w7q-77mv-v69f")])
    assert status == 0


def test_an_ignore_entry_past_its_review_date_no_longer_excuses_anything():
    status, text = run([pin("python-socketio", "5.9.0")], [ignore(review_by=datetime.date(2026, 7, 31))])
    assert status == 1
    assert "IGNORE EXPIRED  python-socketio 5.9.0" in text and "review by 2026-07-31" in text
    assert "set a new review_by" in text


def test_an_ignore_entry_for_the_other_lock_file_does_not_cover_this_one():
    pins = [pin("python-socketio", "5.9.0"), pin("python-socketio", "5.9.0", "routing/requirements.lock")]
    status, text = run(pins, [ignore(lock="requirements.lock")])
    assert status == 1
    assert "VULNERABLE      python-socketio 5.9.0 (routing/requirements.lock)" in text
    assert "IGNORED         python-socketio 5.9.0 (requirements.lock)" in text


def test_an_entry_that_matches_nothing_is_a_warning_and_an_expired_one_a_failure():
    status, text = run([pin("six", "1.16.0")], [ignore()])
    assert status == 0 and "matches no finding: remove it" in text
    status, text = run([pin("six", "1.16.0")], [ignore(review_by=datetime.date(2026, 1, 1))])
    assert status == 1 and "IGNORE EXPIRED  python-socketio PYSEC-2026-3042" in text


def test_a_snapshot_older_than_ninety_days_warns_with_the_way_to_refresh_it_but_does_not_fail():
    status, text = run([pin("six", "1.16.0")], today=datetime.date(2026, 11, 30))
    assert status == 0
    assert "warning: the advisory snapshot is 130 days old" in text and "scripts/refresh-advisories" in text
    assert "warning" not in run([pin("six", "1.16.0")])[1]


def test_a_locked_version_the_matcher_cannot_order_fails():
    status, text = run([pin("python-socketio", "five-point-nine")])
    assert status == 1 and "UNREADABLE" in text and "cannot tell" in text


def test_pip_audit_gets_the_live_ids_with_their_aliases_for_the_lock_it_audits():
    entries = [ignore(), ignore(id_="PYSEC-2019-170", package="python-engineio", review_by=datetime.date(2026, 1, 1)),
               ignore(id_="PYSEC-9", package="six", lock="routing/requirements.lock")]
    assert ignored_ids(SNAPSHOT, entries, TODAY, "requirements.lock") == [
        "CVE-2026-48804", "GHSA-5w7q-77mv-v69f", "PYSEC-2026-3042"]
    assert "PYSEC-9" in ignored_ids(SNAPSHOT, entries, TODAY, "routing/requirements.lock")


def test_the_command_line_reads_the_given_files_and_returns_the_status(tmp_path, capsys):
    snapshot, lock, ignores = tmp_path / "advisories.json", tmp_path / "requirements.lock", tmp_path / "ignore.yml"
    snapshot.write_text(json.dumps(DOCUMENT), encoding="utf-8")
    lock.write_text("python-socketio==5.9.0 \\\n    --hash=sha256:00\nsix==1.16.0\n", encoding="utf-8")
    ignores.write_text("ignores: []\n", encoding="utf-8")
    arguments = ["--snapshot", str(snapshot), "--lock", str(lock), "--ignores", str(ignores), "--today", "2026-08-01"]
    assert main(arguments) == 1
    ignores.write_text("ignores:\n  - {id: PYSEC-2026-3042, package: python-socketio, reason: r, review_by: 2026-09-01}\n",
                       encoding="utf-8")
    assert main(arguments) == 0
    assert main([*arguments[:-1], "2026-09-02"]) == 1
    assert main(["ignored-ids", *arguments]) == 0
    assert "GHSA-5w7q-77mv-v69f" in capsys.readouterr().out


def test_a_missing_snapshot_or_a_broken_ignore_file_is_an_error_not_a_pass(tmp_path, capsys):
    assert main(["--snapshot", str(tmp_path / "absent.json")]) == 2
    broken = tmp_path / "ignore.yml"
    broken.write_text("ignores:\n  - {id: X}\n", encoding="utf-8")
    assert main(["--ignores", str(broken)]) == 2
    assert "missing" in capsys.readouterr().err
