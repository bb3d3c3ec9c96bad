"""The console's activity pages (routing/console/activity_pages.py): staff keep the catalogue,
the organiser sees the sign-ups and exports them; others cannot."""
from __future__ import annotations

from sqlalchemy import select

from routing import activities
from routing.activity_models import Activity
from routing.audit import AuditEntry
from tests.routing import console_support
from tests.routing.console_support import csrf, login

console_app = console_support.console_app
relay = console_support.relay
tracker = console_support.tracker
FAIR = "activity.sample.mama_jobs_fair"
FORM = {"title": "亲子阅读会", "organiser": "顺德区妇联", "city": "佛山市", "place": "顺德区图书馆", "starts_at": "2026-12-20T10:00",
        "ends_at": "2026-12-20T11:30", "capacity": "2", "audience": "3—6岁孩子和家长", "area": "family_education",
        "description": "一起读绘本。", "keywords": "孩子，亲子 阅读"}


def test_the_catalogue_lists_the_sample_activities_for_staff_only(console_app):
    page = login(console_app, "staff").get("/console/activities")
    assert page.status_code == 200 and "妈妈岗专场招聘会" in page.text and "（示例）" in page.text
    assert login(console_app, "lawyer1").get("/console/activities").status_code == 403


def test_staff_add_an_activity_and_the_chat_can_list_it(console_app, sessions):
    client = login(console_app, "staff")
    client.get("/console/activities")
    response = client.post("/console/activities/new", data=dict(FORM, id="activity.shunde.reading",
                                                                 csrf_token=csrf(client)))
    assert response.status_code == 303 and response.headers["location"] == "/console/activities/activity.shunde.reading"
    with sessions() as db:
        added = db.get(Activity, "activity.shunde.reading")
        assert added.places_left == 2 and added.keywords == "孩子 亲子 阅读" and added.sample is False
        assert added.starts_at.hour == 2  # 10:00 China time
        assert db.scalar(select(AuditEntry.action).where(AuditEntry.target == "activity:activity.shunde.reading"))


def test_a_capacity_below_the_sign_ups_is_refused(console_app, sessions):
    client = login(console_app, "staff")
    client.get("/console/activities")
    client.post("/console/activities/new", data=dict(FORM, id="activity.shunde.reading", csrf_token=csrf(client)))
    with sessions() as db, db.begin():
        for woman in ("w1", "w2"):
            activities.sign_up(db, activity_id="activity.shunde.reading", conversation_id=woman, name="陈女士",
                               phone="13800138000")
    refused = client.post("/console/activities/activity.shunde.reading",
                          data=dict(FORM, capacity="1", csrf_token=csrf(client)))
    assert refused.status_code == 400 and "名额不能少于已经报名的人数" in refused.text
    client.post("/console/activities/activity.shunde.reading", data=dict(FORM, capacity="5", csrf_token=csrf(client)))
    with sessions() as db:
        assert db.get(Activity, "activity.shunde.reading").places_left == 3


def test_the_organiser_sees_the_roster_and_exports_it(console_app, sessions):
    client = login(console_app, "staff")
    client.get("/console/activities")
    with sessions() as db, db.begin():
        activities.sign_up(db, activity_id=FAIR, conversation_id="w1", name="陈女士", phone="13800138000")
    page = client.get(f"/console/activities/{FAIR}")
    assert "陈女士" in page.text and "13800138000" in page.text and "还剩 199 个名额" in page.text
    exported = client.get(f"/console/activities/{FAIR}/signups.csv")
    assert exported.headers["content-type"].startswith("text/csv")
    assert exported.text.lstrip("\ufeff").splitlines()[1].startswith("妈妈岗专场招聘会,陈女士,13800138000")
    with sessions() as db:
        assert db.scalar(select(AuditEntry).where(AuditEntry.action == "export.activity_roster")) is not None


def test_a_form_without_its_csrf_token_changes_nothing(console_app, sessions):
    client = login(console_app, "staff")
    client.get("/console/activities")
    assert client.post("/console/activities/new", data=dict(FORM, id="activity.x")).status_code == 403
    with sessions() as db:
        assert db.get(Activity, "activity.x") is None
