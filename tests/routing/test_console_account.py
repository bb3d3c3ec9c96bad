"""Changing one's own password in the console."""
from tests.routing.console_support import PASSWORD, login, post
from tests.routing import console_support

# the console fixtures (tests/routing/console_support.py)
console_app = console_support.console_app
relay = console_support.relay
tracker = console_support.tracker

PAGE = "/console/account/password"


def test_a_person_changes_her_own_password_and_logs_in_again_with_it(console_app, sessions):
    from routing import audit

    lawyer = login(console_app, "lawyer1")
    assert "修改我的密码" in lawyer.get(PAGE).text
    wrong = post(lawyer, PAGE, current="not-my-password", password="a-new-long-password", again="a-new-long-password")
    assert wrong.status_code == 400 and "当前密码不正确" in wrong.text
    mismatch = post(lawyer, PAGE, current=PASSWORD, password="a-new-long-password", again="another-long-one")
    assert mismatch.status_code == 400 and "两次输入的新密码不一样" in mismatch.text
    short = post(lawyer, PAGE, current=PASSWORD, password="short", again="short")
    assert short.status_code == 400 and "10 到 200 个字符" in short.text
    done = post(lawyer, PAGE, current=PASSWORD, password="a-new-long-password", again="a-new-long-password")
    assert done.status_code == 303 and done.headers["location"] == "/console/login?changed=1"
    assert lawyer.get("/console/queue").status_code == 303  # this session ended too
    assert "密码已修改，请用新密码登录" in lawyer.get("/console/login?changed=1").text
    with sessions() as db:
        entry = audit.recent(db, action="user.password")[0]
        assert entry.actor == "lawyer1" and "a-new-long-password" not in (entry.after or "")


def test_every_role_can_open_the_password_page(console_app):
    for username in ("lawyer1", "boss", "staff", "root"):
        assert login(console_app, username).get(PAGE).status_code == 200
