"""No report lost (actions/grid_outbox.py): kept on disk while the backend is down,
sent once when it is back, refusals kept but not retried."""
import asyncio

from actions.grid_outbox import GridReportSender, SQLiteGridOutbox
from actions.grid_types import GridReport
from actions.routing_protocol import RoutingRefused
from tests.actions.fakes import FakeGridBackend


def report(text="孩子没人照看", conversation="grid-1"):
    return GridReport(grid_code="NA-0301-02", subject="child", place="三村", text=text, urgency="normal",
                      consent=True, reporter_conversation_id=conversation, area="care")


def test_a_report_goes_straight_through_when_the_backend_answers(tmp_path):
    backend = FakeGridBackend()
    receipt = asyncio.run(GridReportSender(backend, SQLiteGridOutbox(tmp_path / "g.db")).submit(report()))
    assert receipt.number == "WG-2026-000001" and backend.reports == [report()]


def test_a_kept_report_survives_a_restart_and_is_sent_once_in_order(tmp_path):
    backend = FakeGridBackend()
    backend.down = True
    first = GridReportSender(backend, SQLiteGridOutbox(tmp_path / "g.db"))
    assert asyncio.run(first.submit(report("第一件"))) is None
    assert asyncio.run(first.submit(report("第二件"))) is None
    backend.down = False
    restarted = GridReportSender(backend, SQLiteGridOutbox(tmp_path / "g.db"))
    receipt = asyncio.run(restarted.submit(report("第三件")))
    assert [r.text for r in backend.reports] == ["第一件", "第二件", "第三件"] and receipt.number == "WG-2026-000003"
    assert asyncio.run(restarted.flush()) == 0 and len(backend.reports) == 3


def test_the_numbers_of_kept_reports_are_told_once_to_their_reporter(tmp_path):
    backend = FakeGridBackend()
    backend.down = True
    sender = GridReportSender(backend, SQLiteGridOutbox(tmp_path / "g.db"))
    asyncio.run(sender.submit(report(conversation="grid-1")))
    asyncio.run(sender.submit(report(conversation="grid-2")))
    assert asyncio.run(sender.waiting_for("grid-1")) == 1
    backend.down = False
    assert asyncio.run(sender.numbers_to_tell("grid-1")) == ["WG-2026-000001"]
    assert asyncio.run(sender.numbers_to_tell("grid-1")) == []
    assert asyncio.run(sender.numbers_to_tell("grid-2")) == ["WG-2026-000002"]


def test_a_refused_report_is_raised_and_a_kept_one_refused_later_is_not_retried(tmp_path):
    backend = FakeGridBackend()
    sender = GridReportSender(backend, SQLiteGridOutbox(tmp_path / "g.db"))
    backend.refusal = RoutingRefused(422, "unknown grid")
    try:
        asyncio.run(sender.submit(report()))
        raise AssertionError("a refusal must reach the action")
    except RoutingRefused as refusal:
        assert refusal.status == 422
    backend.refusal, backend.down = None, True
    asyncio.run(sender.submit(report("下次被拒")))
    backend.down, backend.refusal = False, RoutingRefused(422, "unknown grid")
    assert asyncio.run(sender.flush()) == 0  # refused: on file, not waiting


def test_our_token_refused_keeps_the_report_waiting(tmp_path):
    backend = FakeGridBackend()
    backend.refusal = RoutingRefused(401, "bad token")
    sender = GridReportSender(backend, SQLiteGridOutbox(tmp_path / "g.db"))
    assert asyncio.run(sender.submit(report())) is None
    backend.refusal = None
    assert asyncio.run(sender.flush()) == 0 and len(backend.reports) == 1
