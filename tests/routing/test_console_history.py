"""The handoff's history in Chinese: who did what, never an empty or English entry."""
from datetime import datetime, timezone

from routing.console import history
from routing.models import HandoffEvent, User

AT = datetime(2026, 11, 30, 2, 0, tzinfo=timezone.utc)


def event(from_status, to_status, actor, note=None):
    return HandoffEvent(from_status=from_status, to_status=to_status, actor=actor, note=note, created_at=AT)


def test_every_step_reads_in_chinese_with_the_person_who_took_it():
    people = {"lawyer1": User(username="lawyer1", title="律师", role="expert")}
    events = [event(None, "received", "bot", "urgent"), event("received", "assigned", "router", "round-robin to lawyer1"),
              event("assigned", "in_progress", "lawyer1", "claimed"), event("in_progress", "replied", "lawyer1"),
              event("replied", "replied", "lawyer1"), event("replied", "in_progress", "user", "she answered"),
              event("in_progress", "resolved", "lawyer1", "结果：已解答")]
    lines = [(e.who, e.what) for e in history.entries(events, people)]
    assert lines == [("机器人", "收到紧急求助"), ("自动分派", "分派给律师 lawyer1"), ("律师 lawyer1", "认领了这个求助"),
                     ("律师 lawyer1", "回复了她"), ("律师 lawyer1", "再次回复了她"), ("她", "她回复了，等专家答复"),
                     ("律师 lawyer1", "办结（结果：已解答）")]
    assert all(what and not history.NOT_CHINESE.match(what) for _, what in lines)
    assert history.entries(events[2:3], people)[0].change == "已分派 → 处理中"


def test_an_unknown_english_note_is_not_shown_as_it_is():
    entry = history.entries([event("in_progress", "in_progress", "lawyer1", "moved by script")], {})[0]
    assert entry.what == "更新了求助" and entry.who == "lawyer1"


def test_the_usernames_an_event_names_are_found_for_their_titles():
    events = [event("received", "assigned", "router", "round-robin to lawyer2"), event("assigned", "in_progress", "lawyer1")]
    assert history.names_in(events) == {"router", "lawyer2", "lawyer1"}
