"""security/osv.py: which versions an OSV advisory's ranges and version list affect."""
import pytest

from security.osv import UnreadableVersion, affects, fixed_versions, in_range
from packaging.version import Version

FIXED_IN_2_0 = [[{"introduced": "0"}, {"fixed": "2.0"}]]
TWO_BRANCHES = [[{"introduced": "1.0"}, {"fixed": "1.4.2"}, {"introduced": "2.0"}, {"fixed": "2.1.1"}]]


@pytest.mark.parametrize("version, expected", [
    ("0.1", True), ("1.9.9", True), ("2.0", False), ("2.0.1", False), ("10.0", False)])
def test_introduced_zero_to_fixed_covers_everything_below_the_fix(version, expected):
    assert affects(version, FIXED_IN_2_0) is expected


@pytest.mark.parametrize("version, expected", [
    ("0.9", False), ("1.0", True), ("1.4.1", True), ("1.4.2", False), ("1.9", False),
    ("2.0", True), ("2.1.0", True), ("2.1.1", False), ("3.0", False)])
def test_two_vulnerable_branches_leave_the_gap_between_them_clean(version, expected):
    assert affects(version, TWO_BRANCHES) is expected


def test_events_are_evaluated_in_version_order_whatever_order_they_are_written_in():
    shuffled = [[{"fixed": "2.1.1"}, {"introduced": "2.0"}, {"fixed": "1.4.2"}, {"introduced": "1.0"}]]
    assert [affects(v, shuffled) for v in ("1.2", "1.9", "2.0.5")] == [True, False, True]


@pytest.mark.parametrize("version, expected", [("1.5", True), ("2.2.0", True), ("2.2.1", False), ("3.0", False)])
def test_last_affected_includes_that_version_and_nothing_after_it(version, expected):
    assert affects(version, [[{"introduced": "1.5"}, {"last_affected": "2.2.0"}]]) is expected


def test_an_explicit_version_list_matches_equal_versions_only():
    assert affects("0.9.1", [], ["0.9.0", "0.9.1"])
    assert affects("1.0.0", [], ["1.0"])  # equal as versions, not as text
    assert not affects("0.9.2", [], ["0.9.0", "0.9.1"])


def test_a_listed_version_counts_even_where_the_ranges_say_otherwise():
    assert affects("2.11.6", [[{"introduced": "0"}, {"fixed": "2.11.6"}]], ["2.11.6"])


def test_a_listed_version_that_is_not_pep_440_is_compared_as_text():
    assert not affects("1.0", [], ["1.0-SNAPSHOT-x!"])
    assert affects("1.0", [], ["not a version", "1.0"])


def test_a_release_candidate_of_the_fixed_version_is_still_affected():
    """The specifier "<2.0" would leave 2.0rc1 out; the advisory's order of versions does not."""
    assert affects("2.0rc1", FIXED_IN_2_0)
    assert affects("2.0.dev3", FIXED_IN_2_0)
    assert not affects("2.0.post1", FIXED_IN_2_0)


def test_a_pre_release_before_the_introducing_version_is_not_affected():
    assert not affects("1.0rc1", [[{"introduced": "1.0"}, {"fixed": "1.1"}]])
    assert affects("1.1rc1", [[{"introduced": "1.0"}, {"fixed": "1.1"}]])


def test_a_pre_release_fix_and_a_pre_release_introduction_are_honoured():
    ranges = [[{"introduced": "6.30.0rc1"}, {"fixed": "6.33.5"}]]
    assert affects("6.30.0rc1", ranges) and affects("6.30.0", ranges)
    assert not affects("6.29.9", ranges)
    assert not affects("2.13.1", [[{"introduced": "0"}, {"fixed": "2.13.1rc0"}]])


def test_an_unreadable_locked_version_is_an_error_not_a_pass():
    with pytest.raises(UnreadableVersion):
        affects("not-a-version!", FIXED_IN_2_0)


def test_an_event_of_no_known_kind_is_an_error():
    with pytest.raises(UnreadableVersion):
        in_range(Version("1.0"), [{"introduced": "0", "fixed": "2.0"}])


def test_fixed_versions_are_listed_lowest_first():
    ranges = [[{"introduced": "5.26.0rc1"}, {"fixed": "5.29.5"}], [{"introduced": "0"}, {"fixed": "4.25.8"}]]
    assert fixed_versions(ranges) == ["4.25.8", "5.29.5"]
    assert fixed_versions([[{"introduced": "0"}, {"last_affected": "2.2.0"}]]) == []
