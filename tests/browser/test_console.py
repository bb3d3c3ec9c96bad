"""The web console in real headless Chromium against the running routing backend:
an expert sees an urgent handoff arrive without reloading, claims it and replies; the
reply reaches her channel (pending while Rasa is down, then delivered); a colleague
cannot claim it too; her script is shown as text; staff search a transcript and see
the phone number masked. Screenshots go to reports/screenshots/."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser import console_fixtures
from tests.browser.console_fixtures import log_in

# fixtures from tests/browser/console_fixtures.py (browser and screenshots come from conftest.py)
fake_rasa = console_fixtures.fake_rasa
console_server = console_fixtures.console_server

CONFLICT = "这个求助刚被更新过（例如已被同事认领），请刷新后再看"
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def test_an_expert_sees_an_urgent_handoff_arrive_claims_it_and_replies(browser, console_server, fake_rasa,
                                                                       screenshots):
    first_context, first = log_in(browser, console_server, "lawyer1")
    second_context, second = log_in(browser, console_server, "lawyer2")
    dialogs = []
    first.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for page in (first, second):  # both away: new handoffs wait in the queue for whoever claims first
        page.click("button:has-text('改为暂离')")
        expect(page.locator(".badge.away")).to_have_text("暂离")
    for conversation, region, summary in [("w-normal-1", "广东省广州市天河区", "单位拖欠三个月工资"),
                                          ("w-normal-2", "广东省韶关市乐昌市", "出嫁女的土地补偿被村里扣了")]:
        console_server.open_handoff(conversation_id=conversation, channel="telegram", category="legal",
                                    intent="legal_employment", summary=summary, region=region)
    first.reload()
    first.evaluate("window.notReloaded = true")

    urgent = console_server.open_handoff(
        conversation_id="w-urgent", channel="telegram", category="legal", intent="legal_domestic_violence",
        urgent=True, summary="他又喝醉了在砸门，我带着孩子躲在房间", region="广东省佛山市顺德区",
        transcript=[{"role": "user", "text": HOSTILE}, {"role": "bot", "text": "请先确保安全，情况紧急请拨打110。"},
                    {"role": "user", "text": "他又喝醉了在砸门，我带着孩子躲在房间"}])
    row = first.locator(f'tr[data-id="{urgent["id"]}"]')
    expect(row).to_be_visible(timeout=15_000)
    expect(row).to_have_class(re.compile(r"\burgent\b"))
    expect(row).to_have_class(re.compile(r"\bnew-arrival\b"))
    expect(row.locator(".level")).to_contain_text("紧急")
    expect(row.locator(".time-left")).to_contain_text("剩余")
    expect(first.locator("#live-status")).to_contain_text("有新的紧急求助")
    assert first.evaluate("window.notReloaded") is True
    assert first.locator("#queue-rows tr.row").first.get_attribute("data-id") == urgent["id"]  # most pressing first
    first.screenshot(path=str(screenshots / "console-queue.png"), full_page=True)

    second.goto(f"{console_server.url}/console/handoffs/{urgent['id']}")
    expect(second.locator("#claim-form button")).to_be_visible()

    row.locator("a.button").click()
    first.click("#claim-form button")
    expect(first.locator("#reply-form")).to_be_visible()
    expect(first.locator("#handoff-status")).to_have_text("处理中")

    expect(second.locator("#stale-banner")).to_be_visible(timeout=10_000)  # told before acting
    second.click("#claim-form button")
    expect(second.locator("#error-message")).to_contain_text(CONFLICT)

    fake_rasa.up = False  # Rasa unreachable: the reply waits
    first.fill("#reply-text", "你好，我是妇联的律师。请先带孩子到安全的地方，需要时马上拨打110。")
    first.click("#reply-form button[type=submit]")
    reply = first.locator(".timeline .from-expert").last
    expect(reply).to_contain_text("我是妇联的律师")
    expect(reply.locator(".delivery")).to_have_text("待送达")
    fake_rasa.up = True  # the background loop retries every few seconds; the page updates by itself
    expect(first.locator(".timeline .from-expert").last.locator(".delivery")).to_have_text("已送达", timeout=20_000)
    assert fake_rasa.expert_texts("w-urgent") == ["你好，我是妇联的律师。请先带孩子到安全的地方，需要时马上拨打110。"]

    console_server.her_message(urgent["id"], "谢谢，我们已经到邻居家了")
    expect(first.locator(".timeline .from-user").last).to_contain_text("我们已经到邻居家了", timeout=10_000)

    hostile = first.locator(".timeline .from-user .text").first
    expect(hostile).to_have_text(HOSTILE)  # shown as text, never run
    assert first.locator(".timeline img").count() == 0 and dialogs == []
    first.screenshot(path=str(screenshots / "console-handoff.png"), full_page=True)
    first_context.close()
    second_context.close()


def test_staff_search_a_transcript_and_see_the_phone_number_masked(browser, console_server, screenshots):
    context, page = log_in(browser, console_server, "staff")
    page.fill("input[name=keyword]", "彩礼")
    page.click("#transcript-search button[type=submit]")
    expect(page.locator("#result-count")).to_contain_text("找到")
    row = page.locator("#transcript-results tr", has_text="我电话")
    expect(row).to_contain_text("[电话已隐藏]")
    row.locator("a.button").click()
    expect(page.locator("#transcript")).to_contain_text("彩礼的事想找律师，我电话[电话已隐藏]")
    assert "138 1234 5678" not in page.content()

    page.click(".topbar nav a:has-text('数据看板')")
    expect(page.locator("#chart-per-day rect").first).to_be_visible()
    expect(page.locator("#helpful")).not_to_have_text("暂无")
    page.screenshot(path=str(screenshots / "console-dashboard.png"), full_page=True)
    with page.expect_download() as download:
        page.click("#csv-export")
    assert download.value.suggested_filename.startswith("dashboard-")
    context.close()
