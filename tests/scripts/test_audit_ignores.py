"""security/ignores.py: the reviewed exceptions, and the committed ignore file itself."""
import datetime

import pytest

from security.audit import IGNORE_FILE
from security.ignores import IgnoreFileError, load_ignores, parse_ignores
from security.snapshot import load_snapshot

ENTRY = """\
ignores:
  - id: PYSEC-2026-1
    package: Sanic_Cors
    reason: >-
      Rasa pins it; the
      code path is not used.
    review_by: 2027-03-01
"""


def test_an_entry_is_read_with_a_canonical_package_a_one_line_reason_and_a_date():
    [entry] = parse_ignores(ENTRY)
    assert (entry.id, entry.package, entry.reason, entry.review_by, entry.lock) == (
        "PYSEC-2026-1", "sanic-cors", "Rasa pins it; the code path is not used.", datetime.date(2027, 3, 1), None)


def test_an_entry_expires_the_day_after_its_review_by_date():
    [entry] = parse_ignores(ENTRY)
    assert not entry.expired(datetime.date(2027, 3, 1))
    assert entry.expired(datetime.date(2027, 3, 2))


def test_an_entry_covers_its_package_by_the_advisory_id_or_an_alias():
    [entry] = parse_ignores(ENTRY.replace("PYSEC-2026-1", "CVE-2026-37737"))
    assert entry.covers("sanic-cors", {"PYSEC-2026-3539", "CVE-2026-37737"}, "requirements.lock")
    assert not entry.covers("sanic-cors", {"PYSEC-2026-3539"}, "requirements.lock")
    assert not entry.covers("sanic", {"CVE-2026-37737"}, "requirements.lock")


def test_an_entry_naming_a_lock_file_covers_that_lock_file_only():
    [entry] = parse_ignores(ENTRY + "    lock: requirements.lock\n")
    assert entry.covers("sanic-cors", {"PYSEC-2026-1"}, "requirements.lock")
    assert not entry.covers("sanic-cors", {"PYSEC-2026-1"}, "routing/requirements.lock")


@pytest.mark.parametrize("broken, message", [
    (ENTRY.replace("    review_by: 2027-03-01\n", ""), "missing \\['review_by'\\]"),
    (ENTRY.replace(">-\n      Rasa pins it; the\n      code path is not used.", '"  "'), "missing \\['reason'\\]"),
    (ENTRY + "    severity: low\n", "unknown \\['severity'\\]"),
    (ENTRY.replace("2027-03-01", "next spring"), "is not a date"),
    ("ignores: PYSEC-2026-1\n", "must be a list"),
])
def test_an_incomplete_or_unknown_entry_is_refused(broken, message):
    with pytest.raises(IgnoreFileError, match=message):
        parse_ignores(broken)


def test_a_missing_file_or_an_empty_list_excuses_nothing(tmp_path):
    assert load_ignores(tmp_path / "absent.yml") == []
    assert parse_ignores("ignores: []\n") == []


def test_every_committed_entry_names_an_advisory_of_its_package_and_says_what_rasa_pins():
    """A typo in an id would excuse nothing and fail only later; an exception is for what Rasa holds back."""
    snapshot = load_snapshot()
    entries = load_ignores(IGNORE_FILE)
    assert entries
    for entry in entries:
        ids = {i for advisory in snapshot.advisories_for(entry.package) for i in [advisory["id"], *advisory["aliases"]]}
        assert entry.id in ids, f"{entry.package} {entry.id} is not in security/advisories.json"
        assert "Rasa 3.6.21" in entry.reason, entry.id
