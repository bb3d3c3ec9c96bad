"""The queue's tabs and pages, over rows already permitted to the viewer."""
from datetime import datetime, timedelta, timezone

from routing.console import queue_views
from routing.console.queue_views import RowFacts
from routing.models import Handoff, User

NOW = datetime(2026, 11, 30, 4, 0, tzinfo=timezone.utc)
ME = User(id=1, username="lawyer1", role="expert", department_id="rights")
BOSS = User(id=9, username="boss", role="supervisor")


def row(index, assignee=None, urgent=False, hours=30, department="rights", status="assigned"):
    return Handoff(id=f"h{index}", assignee_id=assignee, urgent=urgent, due_at=NOW + timedelta(hours=hours),
                   department_id=department, status=status)


def test_each_tab_holds_what_its_name_says_with_counts():
    rows = [row(1, 1), row(2, 2, urgent=True, hours=1), row(3, None, hours=3, status="received"),
            row(4, 1, department="care")]
    facts = RowFacts(unread={"h4": 2}, unopened={"h3"}, her_turn={"h4"})
    assert [code for code, _ in queue_views.views_for(ME)] == ["all", "mine", "department", "urgent", "due_soon",
                                                              "her_turn", "unread"]
    assert queue_views.counts(rows, ME, NOW, facts) == {"all": 4, "mine": 2, "department": 3, "urgent": 1,
                                                        "due_soon": 2, "her_turn": 1, "unread": 2}
    assert [h.id for h in queue_views.select_view(rows, "due_soon", ME, NOW, facts)] == ["h2", "h3"]
    assert [code for code, _ in queue_views.views_for(BOSS)][1] == "unclaimed"
    assert [h.id for h in queue_views.select_view(rows, "unclaimed", BOSS, NOW, facts)] == ["h1", "h2", "h3", "h4"]
    assert queue_views.select_view(rows, "nonsense", ME, NOW, facts) == rows


def test_pages_of_twenty_five_and_a_page_number_out_of_range_shows_the_last():
    rows = [row(i) for i in range(60)]
    page = queue_views.page_of(rows, 2)
    assert (len(page.rows), page.pages, page.first_index, page.last_index) == (25, 3, 26, 50)
    assert queue_views.page_of(rows, 99).number == 3 and len(queue_views.page_of(rows, 99).rows) == 10
    assert queue_views.page_of([], 1).total == 0
