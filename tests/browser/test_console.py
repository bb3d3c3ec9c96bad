"""The web console in real headless Chromium against the running routing backend:
an expert sees an urgent handoff arrive without reloading, claims it and replies; the
reply reaches her channel (pending while Rasa is down, then delivered); a colleague
cannot claim it too; her script is shown as text; staff search a transcript and see
the phone number masked. A busy day (30+ handoffs): the dense queue with tabs, pages and
her unread messages, phone layouts, a supervisor closing an unclaimed handoff and
watching the live dashboard, admins' user, SLA and audit pages, undoing a correction.
Screenshots at 1440 px and 390 px go to reports/screenshots/."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser import console_fixtures
from tests.browser.console_fixtures import PASSWORD, PHONE, WIDE, log_in, no_horizontal_overflow

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
    expect(row).to_have_attribute("data-fresh", "yes")
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
    expect(first.locator(".timeline .from-expert").last.locator(".delivery")).to_have_text(re.compile("已发出|平台已接收"), timeout=20_000)
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


def visible_rows(page) -> int:
    return page.evaluate("""[...document.querySelectorAll('#queue-rows tr.row')]
        .filter(r => r.getBoundingClientRect().bottom <= window.innerHeight).length""")


def tallest(page, selector: str) -> float:
    return page.evaluate(f"Math.max(0, ...[...document.querySelectorAll({selector!r})]"
                         ".map(e => e.getBoundingClientRect().height))")


def test_a_busy_expert_sees_a_dense_queue_with_tabs_pages_and_her_unread_messages(browser, console_server,
                                                                                 screenshots):
    context, page = log_in(browser, console_server, "lawyer1", WIDE, permissions=["notifications"])
    if page.locator(".badge.away").count():
        page.click("button:has-text('改为在岗')")  # back on duty: the busy day is hers
    seeded = console_server.seed_busy_queue(32)
    page.goto(f"{console_server.url}/console/queue?view=mine")
    assert visible_rows(page) >= 15  # on a 1440 × 900 screen
    assert tallest(page, "#queue-rows tr.row") <= 40  # one line per handoff: no column wraps
    assert tallest(page, "#queue-rows td.col-open .button") <= 30
    expect(page.locator('#queue-tabs a[data-view="mine"] .count')).to_have_text(re.compile(r"^(3[2-9]|[4-9]\d)$"))
    expect(page.locator("#queue-pager")).to_contain_text("共")
    expect(page.locator("#queue-pager a[rel=next]")).to_be_visible()
    page.screenshot(path=str(screenshots / "console-queue-1440.png"))

    page.click("#enable-alerts")  # sound and desktop notifications, on her say-so
    expect(page.locator("#enable-alerts")).to_contain_text("提醒已开启")
    target = seeded[1]["id"]
    console_server.her_message(target, "律师你好，我还在等，老板今天又说不给了")
    badge = page.locator(f'tr[data-id="{target}"] .unread-badge')
    expect(badge).to_have_text("新消息 1", timeout=15_000)
    expect(page.locator("#live-status")).to_contain_text("她回复了")
    expect(page).to_have_title(re.compile(r"^\(\d+\) 求助队列"))
    assert page.evaluate("window.consoleAlerts.beeps") >= 1 and page.evaluate("window.consoleAlerts.notified") >= 1
    page.wait_for_timeout(2_000)  # later refreshes keep the highlight
    expect(page.locator(f'tr[data-id="{target}"]')).to_have_attribute("data-fresh", "yes")
    page.screenshot(path=str(screenshots / "console-queue-unread-1440.png"))
    page.click('#queue-tabs a[data-view="her_turn"]')
    expect(page.locator("#queue-tabs a.current")).to_contain_text("她回复了")
    page.locator(f'tr[data-id="{target}"] a.button').click()
    expect(page.locator(".timeline .from-user").last).to_contain_text("老板今天又说不给了")
    page.goto(f"{console_server.url}/console/queue?view=mine")
    expect(page.locator(f'tr[data-id="{target}"] .unread-badge')).to_have_count(0)
    context.close()

    phone_context, phone = log_in(browser, console_server, "lawyer1", PHONE)
    phone.goto(f"{console_server.url}/console/queue")
    assert no_horizontal_overflow(phone)
    first = phone.locator("#queue-rows tr.row").first
    for part in ("td.col-status", "td.col-holder", "td.col-open .button"):  # nothing off screen
        box = first.locator(part).bounding_box()
        assert box and box["x"] + box["width"] <= PHONE["width"], part
    phone.screenshot(path=str(screenshots / "console-queue-390.png"))
    phone_context.close()


def test_the_handoff_page_on_a_phone_puts_the_due_time_and_actions_first(browser, console_server, screenshots):
    handoff = console_server.open_handoff(conversation_id="w-options", channel="telegram", category="legal",
                                          intent="legal_family_property", summary="离婚时财产怎么分",
                                          region="广东省清远市连山壮族瑶族自治县")
    context, page = log_in(browser, console_server, "lawyer1", PHONE)
    page.goto(f"{console_server.url}/console/handoffs/{handoff['id']}")
    assert no_horizontal_overflow(page)
    due = page.locator("#due-strip").bounding_box()
    actions = page.locator("#actions").bounding_box()
    conversation = page.locator("#timeline").bounding_box()
    assert due["y"] < actions["y"] < conversation["y"]
    assert due["y"] < PHONE["height"] and actions["y"] < PHONE["height"]  # both on the first screen
    expect(page.locator(".timeline .options")).to_contain_text("孩子抚养")
    expect(page.locator(".timeline .options")).to_contain_text("财产分割")
    page.screenshot(path=str(screenshots / "console-handoff-390.png"))
    page.click("#claim-form button")
    page.fill("#reply-text", "你好，我是妇联的律师。财产分割要看是婚前还是婚后取得的，我们一项一项说。")
    page.click("#reply-form button[type=submit]")
    page.fill("#reply-text", "你方便说一下房子是什么时候买的吗？")
    page.click("#reply-form button[type=submit]")
    history = page.locator("#history")
    expect(history).to_contain_text("认领了这个求助")
    expect(history).to_contain_text("再次回复了她")
    text = history.inner_text()
    assert "round-robin" not in text and "she answered" not in text and not re.search(r"：\s*$", text, re.M)
    page.set_viewport_size(WIDE)
    page.screenshot(path=str(screenshots / "console-handoff-1440.png"), full_page=True)
    context.close()


def test_a_supervisor_closes_an_unclaimed_handoff_and_watches_the_live_dashboard(browser, console_server,
                                                                                 screenshots):
    waiting = console_server.open_handoff(conversation_id="w-duplicate", channel="telegram", category="care",
                                          intent="care_mental_health", summary="最近总是失眠很焦虑")
    context, page = log_in(browser, console_server, "boss", WIDE)
    page.goto(f"{console_server.url}/console/handoffs/{waiting['id']}")
    expect(page.locator("#handoff-status")).to_have_text("已分派")
    assert page.locator("#resolve-form").count() == 0  # 办结 is not offered before anyone claimed it
    page.fill("#close-form input[name=reason]", "重复求助：她在另一条求助里已经得到答复")
    page.screenshot(path=str(screenshots / "console-close-unclaimed-1440.png"), full_page=True)
    page.click("#close-form button")
    expect(page.locator("#handoff-status")).to_have_text("已办结")
    expect(page.locator("#history")).to_contain_text("原因：重复求助")

    page.goto(f"{console_server.url}/console/dashboard")
    expect(page.locator("#workload-experts")).to_contain_text("律师 lawyer1")
    expect(page.locator("#alerts")).to_contain_text("律师 lawyer1 手上有")
    expect(page.locator("#workload-departments")).to_contain_text("权益部")
    expect(page.locator("#in-time")).to_be_visible()
    page.screenshot(path=str(screenshots / "console-dashboard-1440.png"), full_page=True)
    before = page.locator("#workload-departments").inner_text()
    console_server.open_handoff(conversation_id="w-live", channel="telegram", category="legal", urgent=True,
                                intent="legal_domestic_violence", summary="他在门外砸门")
    expect(page.locator("#workload-departments")).not_to_have_text(before, timeout=25_000)  # refreshed by itself
    page.set_viewport_size(PHONE)
    assert no_horizontal_overflow(page)
    page.screenshot(path=str(screenshots / "console-dashboard-390.png"), full_page=True)
    context.close()


def test_staff_undo_a_wrong_correction_mark(browser, console_server):
    context, page = log_in(browser, console_server, "staff", WIDE)
    page.goto(f"{console_server.url}/console/transcripts/woman-phone")
    message = page.locator("#transcript li.from-user").first
    message.locator("select[name=intent]").select_option("legal_aid")
    message.locator("button:has-text('标记')").click()
    message = page.locator("#transcript li.from-user").first
    expect(message).to_contain_text("已标记为 legal_aid")
    message.locator("button:has-text('撤销标记')").click()
    expect(page.locator("#transcript li.from-user").first).not_to_contain_text("已标记为")
    context.close()


def test_admins_manage_users_sla_and_read_the_audit_log_on_any_screen(browser, console_server, screenshots):
    login_context = browser.new_context(locale="zh-CN")
    login_page = login_context.new_page()
    login_page.goto(f"{console_server.url}/console/login")
    assert login_page.locator("#demo-hint").count() == 0  # the server runs outside demo mode
    login_context.close()

    context, page = log_in(browser, console_server, "root", WIDE)
    page.goto(f"{console_server.url}/console/admin")
    users = page.locator("#users")
    expect(users).to_contain_text("权益部")
    assert "rights" not in users.inner_text()
    users.locator("tr", has_text="lawyer2").locator("button:has-text('停用')").click()
    expect(page.locator("p.notice")).to_contain_text("已停用")
    page.goto(f"{console_server.url}/console/admin/sla")
    page.fill("input[name=urgent_hours]", "0")
    page.fill("input[name=urgent_minutes]", "45")
    page.click("#sla-form button[type=submit]")
    expect(page.locator("section.card")).to_contain_text("紧急求助 45分钟")
    page.goto(f"{console_server.url}/console/admin/audit")
    audit = page.locator("#audit")
    expect(audit).to_contain_text("停用账号")
    expect(audit).to_contain_text("修改回复时限")
    expect(audit).to_contain_text("关闭未认领的求助")
    page.screenshot(path=str(screenshots / "console-audit-1440.png"), full_page=True)
    page.set_viewport_size(PHONE)
    for url in ("/console/admin", "/console/admin/availability", "/console/admin/audit"):
        page.goto(f"{console_server.url}{url}")
        assert no_horizontal_overflow(page), url
    page.goto(f"{console_server.url}/console/admin")
    page.screenshot(path=str(screenshots / "console-admin-390.png"), full_page=True)
    context.close()

    expert_context, expert = log_in(browser, console_server, "counsellor", PHONE)
    expert.click("a.account-link")
    expert.fill("input[name=current]", PASSWORD)
    expert.fill("input[name=password]", "a-brand-new-password")
    expert.fill("input[name=again]", "a-brand-new-password")
    expert.click("#password-form button")
    expect(expert.locator("#password-changed")).to_be_visible()
    expert.fill("input[name=username]", "counsellor")
    expert.fill("input[name=password]", "a-brand-new-password")
    expert.click("button:has-text('登录')")
    expect(expert.locator(".topbar .me")).to_contain_text("counsellor")
    expert_context.close()
