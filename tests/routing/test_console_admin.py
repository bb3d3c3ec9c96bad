"""Admin: users, departments, availability, SLA policy, canned replies, the audit log."""
import re

from fastapi.testclient import TestClient

from routing.api.app import create_app
from routing.console import canned
from routing.console.models import CannedReply
from routing.models import Department, Handoff, User
from routing.settings import Settings
from tests.routing.console_support import login, post
from tests.routing import console_support

# the console fixtures (tests/routing/console_support.py)
console_app = console_support.console_app
relay = console_support.relay
tracker = console_support.tracker


def user_id(sessions, username):
    with sessions() as db:
        return db.query(User).filter_by(username=username).one().id


def test_an_admin_creates_a_user_who_can_then_log_in(console_app, sessions):
    root = login(console_app, "root")
    response = post(root, "/console/admin/users", username="huang", password="another-long-one", role="expert",
                    title="律师", department_id="rights", specialty="法律")
    assert response.status_code == 303
    assert "huang" in root.get("/console/admin").text
    client = TestClient(console_app, follow_redirects=False)
    import re
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/console/login").text).group(1)
    assert client.post("/console/login", data={"username": "huang", "password": "another-long-one",
                                               "csrf_token": token}).status_code == 303


def test_bad_user_input_gets_a_clear_message(console_app):
    root = login(console_app, "root")
    short = post(root, "/console/admin/users", username="li", password="short", role="expert", title="律师")
    assert short.status_code == 400 and "密码需要 10 到 200 个字符" in short.text
    taken = post(root, "/console/admin/users", username="lawyer1", password="x" * 12, role="expert", title="律师")
    assert taken.status_code == 409 and "已经存在" in taken.text
    bad = post(root, "/console/admin/users", username="<b>", password="x" * 12, role="expert", title="律师")
    assert bad.status_code == 400 and "用户名需要" in bad.text


def test_changing_a_password_logs_that_user_out_and_admins_keep_their_role(console_app, sessions):
    lawyer = login(console_app, "lawyer1")
    root = login(console_app, "root")
    target = user_id(sessions, "lawyer1")
    assert post(root, f"/console/admin/users/{target}", role="supervisor", title="主管", department_id="",
                specialty="", password="a-new-long-password").status_code == 303
    assert lawyer.get("/console/queue").status_code == 303  # back to the login page
    with sessions() as db:
        assert db.get(User, target).role == "supervisor"
    me = user_id(sessions, "root")
    refused = post(root, f"/console/admin/users/{me}", role="staff", title="x")
    assert refused.status_code == 400 and "不能取消自己的管理员角色" in refused.text


def test_departments_can_be_renamed(console_app, sessions):
    root = login(console_app, "root")
    post(root, "/console/admin/departments/rights", name="权益部（法律服务）", specialty="法律")
    with sessions() as db:
        assert db.get(Department, "rights").name == "权益部（法律服务）"


def test_supervisors_set_experts_away_and_staff_cannot(console_app, sessions):
    boss = login(console_app, "boss")
    target = user_id(sessions, "lawyer1")
    assert "lawyer1" in boss.get("/console/admin/availability").text
    post(boss, f"/console/admin/availability/{target}", available="0")
    with sessions() as db:
        assert db.get(User, target).available is False
    assert login(console_app, "staff").get("/console/admin/availability").status_code == 403
    assert login(console_app, "boss").get("/console/admin/sla").status_code == 403


def test_the_sla_policy_applies_to_new_handoffs(console_app, sessions):
    root = login(console_app, "root")
    assert "48" in root.get("/console/admin/sla").text
    wrong = post(root, "/console/admin/sla", normal_hours="abc", urgent_hours="1", reminder_before_hours="6")
    assert wrong.status_code == 400 and "需要填一个整数" in wrong.text
    assert post(root, "/console/admin/sla", normal_hours="24", urgent_hours="2",
                reminder_before_hours="3").status_code == 303
    client = TestClient(console_app)
    created = client.post("/api/v1/handoffs", json={"conversation_id": "w", "category": "legal"},
                          headers={"Authorization": "Bearer service-secret-for-tests"}).json()
    with sessions() as db:
        handoff = db.get(Handoff, created["id"])
        assert (handoff.due_at - handoff.created_at).total_seconds() == 24 * 3600


def test_canned_replies_are_seeded_once_and_edited_by_admins(console_app, sessions):
    with sessions() as db, db.begin():
        assert canned.seed_if_empty(db) > 0
        assert canned.seed_if_empty(db) == 0
    root = login(console_app, "root")
    post(root, "/console/admin/canned", department_id="care", title="夜间", text="夜里也可以拨打12356。")
    with sessions() as db:
        reply = db.query(CannedReply).filter_by(title="夜间").one()
    too_long = post(root, f"/console/admin/canned/{reply.id}", department_id="care", title="夜间", text="字" * 2001)
    assert too_long.status_code == 400 and "回复内容最多 2000 字" in too_long.text
    post(root, f"/console/admin/canned/{reply.id}", department_id="care", title="夜间", text="x", delete="1")
    with sessions() as db:
        assert db.query(CannedReply).filter_by(title="夜间").count() == 0


def test_only_admins_reach_admin_pages(console_app):
    for url in ("/console/admin", "/console/admin/sla", "/console/admin/canned"):
        assert login(console_app, "boss").get(url).status_code == 403
    assert post(login(console_app, "lawyer1"), "/console/admin/users", username="x" * 5).status_code == 403


def test_demo_mode_creates_an_admin(tmp_path, monkeypatch, capsys):
    from routing.cli import prepare

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'demo.db'}", demo_mode=True)
    prepare(settings)
    assert "admin" in capsys.readouterr().out
    assert create_app(settings) is not None


def test_malformed_ids_in_admin_links_get_a_page_not_a_server_error(console_app):
    root = login(console_app, "root")
    assert root.get("/console/admin/users/99999999999999999999").status_code == 404
    assert post(root, "/console/admin/availability/99999999999999999999", available="1").status_code == 404
    assert post(root, "/console/admin/canned/99999999999999999999", delete="1").status_code == 404
    response = root.get("/console/admin/users/abc")
    assert response.status_code == 400 and "链接或表单的内容不正确" in response.text
    api = TestClient(console_app).post("/api/v1/auth/token", json={"username": 1})
    assert api.status_code == 422 and "detail" in api.json()  # the API keeps its JSON errors


def test_admin_changes_go_to_the_audit_log_with_before_and_after(console_app, sessions):
    from routing import audit

    root = login(console_app, "root")
    with sessions() as db:
        target = db.query(User).filter_by(username="lawyer2").one().id
    assert post(root, f"/console/admin/users/{target}/disabled", disabled="1").status_code == 303
    assert post(root, "/console/admin/departments/rights", name="权益部（法律服务）", specialty="法律").status_code == 303
    with sessions() as db:
        entries = {e.action: e for e in audit.recent(db)}
        assert audit.values(entries["user.disable"].before)["disabled"] is False
        assert audit.values(entries["user.disable"].after)["disabled"] is True
        assert entries["user.disable"].actor == "root" and entries["user.disable"].target == "user:lawyer2"
        assert audit.values(entries["department.update"].after)["name"] == "权益部（法律服务）"
    page = root.get("/console/admin/audit").text
    assert "停用账号" in page and "修改部门" in page and "权益部（法律服务）" in page
    assert "修改部门" not in root.get("/console/admin/audit?group=user.").text
    assert login(console_app, "boss").get("/console/admin/audit").status_code == 403


def test_the_sla_is_set_in_hours_and_minutes(console_app, sessions):
    from routing.console.models import PolicySetting

    root = login(console_app, "root")
    response = post(root, "/console/admin/sla", normal_hours="24", normal_minutes="30", urgent_hours="0",
                    urgent_minutes="45", reminder_before_hours="2", reminder_before_minutes="")
    assert response.status_code == 303
    page = root.get("/console/admin/sla").text
    assert "一般求助 24小时30分" in page and "紧急求助 45分钟" in page and "到期前 2小时提醒" in page
    assert post(root, "/console/admin/sla", normal_hours="0", normal_minutes="0", urgent_hours="0",
                urgent_minutes="30", reminder_before_hours="1").status_code == 400
    assert post(root, "/console/admin/sla", normal_hours="1", urgent_hours="0", urgent_minutes="75",
                reminder_before_hours="1").status_code == 400
    created = TestClient(console_app).post(
        "/api/v1/handoffs", json={"conversation_id": "w-sla", "category": "legal", "urgent": True},
        headers={"Authorization": "Bearer service-secret-for-tests"}).json()
    with sessions() as db:
        handoff = db.get(Handoff, created["id"])
        assert (handoff.due_at - handoff.created_at).total_seconds() == 45 * 60
        assert db.get(PolicySetting, "urgent_minutes").value == 45


def test_department_names_not_codes_in_the_admin_tables(console_app):
    page = login(console_app, "root").get("/console/admin").text
    users = re.search(r'<table id="users".*?</table>', page, re.S).group(0)
    assert ">rights<" not in users and "权益部" in users
    availability = login(console_app, "boss").get("/console/admin/availability").text
    assert ">rights<" not in availability and "权益部" in availability
