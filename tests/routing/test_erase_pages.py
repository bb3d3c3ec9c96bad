"""The console's erase page: admins only, a preview first, the erasure only once confirmed,
and a report in Chinese store by store."""
from __future__ import annotations

from sqlalchemy import select

from routing.models import Handoff
from tests.routing import console_support
from tests.routing.console_support import login, open_handoff, post
from tests.routing.her_stores_builder import HerStores
from tests.routing.her_data_factory import days_ago

console_app = console_support.console_app
relay = console_support.relay
tracker = console_support.tracker
HER = "webchat-abcdef01"


def _her(sessions, tmp_path, monkeypatch):
    stores = HerStores(tmp_path / "var")
    stores.conversation(HER, days_ago(1))
    monkeypatch.setenv("ROUTING_RETENTION_VAR_DIR", str(stores.var))
    open_handoff(sessions, conversation=HER)
    return stores


def test_only_admins_open_it(console_app):
    assert login(console_app, "boss").get("/console/admin/erase").status_code == 403
    assert login(console_app, "root").get("/console/admin/erase").status_code == 200


def test_the_preview_removes_nothing_and_the_confirmed_erasure_removes_her_everywhere(
        console_app, sessions, tmp_path, monkeypatch):
    stores = _her(sessions, tmp_path, monkeypatch)
    root = login(console_app, "root")
    preview = root.get("/console/admin/erase", params={"conversation": HER})
    assert "将删除的内容" in preview.text and "对话引擎的对话记录" in preview.text and "确认删除" in preview.text
    assert stores.count("tracker.db", "events", "sender_id = ?", (HER,)) == 1
    unconfirmed = post(root, "/console/admin/erase", conversation=HER)
    assert "将删除的内容" in unconfirmed.text
    with sessions() as db:
        assert db.scalars(select(Handoff).where(Handoff.conversation_id == HER)).first() is not None
    done = post(root, "/console/admin/erase", conversation=HER, confirm="1")
    assert done.status_code == 200 and "已删除" in done.text
    assert stores.count("tracker.db", "events", "sender_id = ?", (HER,)) == 0
    with sessions() as db:
        assert db.scalars(select(Handoff).where(Handoff.conversation_id == HER)).first() is None
