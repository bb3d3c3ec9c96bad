"""A grid worker's binding and a sender over the fake backend, for the grid action tests."""
from __future__ import annotations

from actions.grid_outbox import GridReportSender, SQLiteGridOutbox
from tests.actions.fakes import FakeGridBackend

BINDING = {"user_id": "u-7", "name": "李梅", "role": "grid_worker", "grid_code": "NA-0301-02",
           "grid_name": "官桥镇三村第二网格", "office": None}
CADRE_BINDING = {"user_id": "u-9", "name": "陈芳", "role": "cadre", "grid_code": None, "grid_name": None,
                 "office": "广东省妇女联合会"}
CODE = "482913"


def sender(tmp_path, backend=None):
    """(sender, backend): the sender keeps what the backend cannot take in tmp_path."""
    backend = backend or FakeGridBackend({CODE: BINDING})
    return GridReportSender(backend, SQLiteGridOutbox(tmp_path / "grid_reports.db")), backend
