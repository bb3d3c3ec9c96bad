"""Activities in the console, in real headless Chromium against the running routing backend:
staff add an activity with two places, two women ask for the last place at once through the
assistant's API and one gets it, the organiser sees the list and downloads it as CSV."""
from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request

from playwright.sync_api import expect

from tests.browser import console_fixtures
from tests.browser.console_fixtures import log_in
from tests.routing_process import SERVICE_TOKEN

fake_rasa = console_fixtures.fake_rasa
console_server = console_fixtures.console_server
ACTIVITY = "activity.browser.reading"


def sign_up(server, conversation_id: str) -> int:
    body = {"conversation_id": conversation_id, "channel": "webchat", "name": f"{conversation_id}女士",
            "phone": "13800138000", "consent": True}
    request = urllib.request.Request(
        f"{server.url}/api/v1/activities/{ACTIVITY}/signups", data=json.dumps(body).encode("utf-8"), method="POST",
        headers={"Authorization": f"Bearer {SERVICE_TOKEN}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_staff_add_an_activity_women_sign_up_and_the_organiser_exports_the_list(browser, console_server, screenshots):
    context, page = log_in(browser, console_server, "staff")
    page.goto(f"{console_server.url}/console/activities")
    expect(page.locator("h1")).to_have_text("活动管理")
    expect(page.locator("table")).to_contain_text("妈妈岗专场招聘会")
    page.click("text=新增活动")
    page.fill("input[name=id]", ACTIVITY)
    page.fill("input[name=title]", "亲子阅读会")
    page.fill("input[name=organiser]", "顺德区妇联")
    page.select_option("select[name=city]", "佛山市")
    page.fill("input[name=place]", "顺德区图书馆")
    page.fill("input[name=starts_at]", "2099-12-20T10:00")
    page.fill("input[name=ends_at]", "2099-12-20T11:30")
    page.fill("input[name=capacity]", "2")
    page.fill("input[name=audience]", "3—6岁孩子和家长")
    page.select_option("select[name=area]", "family_education")
    page.fill("textarea[name=description]", "一起读绘本，学讲故事。")
    page.click("button:has-text('保存')")
    expect(page.locator("h1")).to_have_text("亲子阅读会")
    expect(page.locator("h2")).to_contain_text("还剩 2 个名额")

    assert sign_up(console_server, "w1") == 201
    statuses = []
    threads = [threading.Thread(target=lambda n=n: statuses.append(sign_up(console_server, f"w{n}"))) for n in (2, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert sorted(statuses) == [201, 409]  # one place left, two at once: one gets it

    page.reload()
    expect(page.locator("h2")).to_contain_text("已报名 2 / 2，还剩 0 个名额")
    expect(page.locator("table")).to_contain_text("w1女士")
    with page.expect_download() as download:
        page.click("text=导出名单（CSV）")
    text = open(download.value.path(), encoding="utf-8-sig").read()
    assert text.splitlines()[0] == "活动,称呼,手机号,报名时间,同意登记时间,状态" and text.count("亲子阅读会") == 2
    page.screenshot(path=str(screenshots / "console-activity.png"), full_page=True)
    context.close()
