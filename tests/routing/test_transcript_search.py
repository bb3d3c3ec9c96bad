"""Transcript search pages its results and reads the archive as a stream (routing/console/transcript_search.py)."""
import re
from datetime import date, datetime, timedelta, timezone

from routing.console.tracker_reader import ArchiveReader, Turn
from routing.console.transcript_search import PAGE_SIZE, SearchFilters, page_number, search
from tests.routing import console_support
from tests.routing.console_support import login

console_app = console_support.console_app
relay = console_support.relay
tracker = console_support.tracker

NOW = datetime.now(timezone.utc).replace(microsecond=0)
PERIOD = SearchFilters(start=date(2026, 1, 1), end=date(2026, 12, 31))


def her_turn(sender: str, minutes: int, text: str = "你好") -> Turn:
    return Turn(minutes, sender, "user", text, datetime(2026, 3, 1, tzinfo=timezone.utc) + timedelta(minutes=minutes),
                intent="greet", channel="rest")


def turns_once(count: int):
    """A generator: the search may read the turns only once, as it does from the archive."""
    for index in range(count):
        yield her_turn(f"s{index:03d}", index)


def test_a_page_holds_page_size_conversations_and_says_how_many_more_there_are():
    found = search(turns_once(120), PERIOD, page_size=50)
    assert found.total == 120 and len(found.results) == 50
    assert (found.first, found.last, found.more, found.next_page, found.previous_page) == (1, 50, 70, 2, None)
    assert found.results[0].sender_id == "s119"  # newest first


def test_the_last_page_has_the_rest_and_no_next_page():
    found = search(turns_once(120), PERIOD, page=3, page_size=50)
    assert [s.sender_id for s in found.results] == [f"s{index:03d}" for index in range(19, -1, -1)]
    assert (found.first, found.last, found.more, found.next_page, found.previous_page) == (101, 120, 0, None, 2)


def test_pages_together_list_every_match_once_more_than_the_old_cap_of_200():
    senders = []
    for page in range(1, 6):
        senders += [s.sender_id for s in search(turns_once(230), PERIOD, page=page, page_size=PAGE_SIZE).results]
    assert len(senders) == 230 == len(set(senders))


def test_a_page_past_the_end_is_empty_and_still_counts_the_matches():
    found = search(turns_once(3), PERIOD, page=9)
    assert (found.results, found.total, found.first, found.next_page) == ([], 3, 0, None)


def test_the_keyword_is_matched_as_the_turns_pass_against_the_text_the_viewer_sees():
    turns = [her_turn("a", 1, "电话13812345678"), her_turn("b", 2, "彩礼"), her_turn("a", 3, "谢谢")]
    masked = lambda text: text.replace("13812345678", "[电话已隐藏]")  # noqa: E731
    assert [s.sender_id for s in search(iter(turns), SearchFilters(PERIOD.start, PERIOD.end, keyword="1381")).results] == ["a"]
    assert search(iter(turns), SearchFilters(PERIOD.start, PERIOD.end, keyword="1381"), masker=masked).total == 0
    summary = search(iter(turns), PERIOD).results[1]
    assert not hasattr(summary, "texts")  # a summary keeps no texts: a year of them does not sit in memory


def test_the_form_lists_every_channel_seen_in_the_period():
    turns = [her_turn("a", 1), Turn(2, "b", "user", "hi", datetime(2026, 3, 1, tzinfo=timezone.utc), channel="telegram")]
    assert search(iter(turns), PERIOD, page_size=1).channels == ["rest", "telegram"]


def test_page_numbers_that_are_not_positive_whole_numbers_are_the_first_page():
    assert [page_number({"page": raw}) for raw in ("2", "0", "-1", "x", "", "1e9", "99999999")] == [2, 1, 1, 1, 1, 1, 1]
    assert page_number({}) == 1


def test_the_archive_is_read_in_batches_and_gives_every_turn(tracker, sessions):
    for index in range(7):
        tracker.user(f"p{index}", "你好", "greet", 0.9, NOW - timedelta(minutes=index))
    streamed = list(ArchiveReader(sessions).stream_between(NOW - timedelta(hours=1), NOW + timedelta(hours=1), batch=3))
    assert sorted(turn.sender_id for turn in streamed) == [f"p{index}" for index in range(7)]


def test_the_console_page_says_how_many_more_there_are_and_links_to_the_next_page(console_app, tracker):
    for index in range(PAGE_SIZE + 3):
        tracker.user(f"w{index:02d}", "你好", "greet", 0.9, NOW - timedelta(minutes=index))
    staff = login(console_app, "staff")
    page = staff.get("/console/transcripts").text
    assert f"找到 {PAGE_SIZE + 3} 段对话" in page and "后面还有 3 段" in page
    assert len(re.findall(r'">阅读</a>', page)) == PAGE_SIZE
    link = re.search(r'rel="next" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    second = staff.get("/console/transcripts" + link).text
    assert len(re.findall(r'">阅读</a>', second)) == 3 and 'rel="next"' not in second and 'rel="prev"' in second
