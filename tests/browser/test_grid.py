"""Grid reporting in a real browser: a grid worker files from her phone (390 px), the town
sees it arrive live (1440 px), the first-level grid verifies and dispatches, the town takes
it up and closes it, and the county reads the dashboard. Screenshots go to
reports/screenshots/grid-*.png."""
from __future__ import annotations

import os
import re
from unittest import mock

import pytest
from playwright.sync_api import expect

from tests.browser import console_fixtures
from tests.routing_process import RoutingProcess, free_port

fake_rasa = console_fixtures.fake_rasa
PASSWORD = "browser-test-password"
PEOPLE = [("wang", "grid_worker", "T01V01G1-01"), ("chen", "grid_verifier", "T01V01G1"),
          ("lin", "town_staff", "T01"), ("huang", "county_staff", "NA")]
WIDE, PHONE = {"width": 1440, "height": 900}, {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def grid_server(tmp_path_factory, fake_rasa):
    workdir = tmp_path_factory.mktemp("grid")
    with mock.patch.dict(os.environ, {"ROUTING_COOKIE_SECURE": "false"}):
        routing = RoutingProcess(workdir, free_port(), rasa_url=fake_rasa.url)
    routing.run_command("load-org-data")
    routing.run_command("load-grid-data")
    for username, role, unit in PEOPLE:
        routing.run_command("create-grid-user", "--username", username, "--password", PASSWORD, "--role", role,
                            "--unit", unit)
    routing.start()
    try:
        yield routing
    finally:
        routing.stop()


def log_in(browser, server, username, viewport):
    context = browser.new_context(locale="zh-CN", viewport=viewport)
    page = context.new_page()
    page.goto(f"{server.url}/console/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('登录')")
    page.wait_for_url(re.compile(r"/console/grid$"))
    return context, page


def test_a_report_goes_round_the_loop_in_the_browser(browser, grid_server, screenshots):
    town_context, town = log_in(browser, grid_server, "lin", WIDE)
    expect(town.locator("h1")).to_contain_text("网格上报")
    town.evaluate("window.notReloaded = true")

    worker_context, worker = log_in(browser, grid_server, "wang", PHONE)
    worker.click("a:has-text('我要上报')")
    worker.check("input[name=subject][value=child]")
    worker.fill("input[name=person_name]", "小李")
    worker.fill("input[name=place]", "溪美社区3号楼")
    worker.fill("textarea[name=text]", "孩子父母在外打工，放学后常一个人在家，晚饭没人做")
    worker.check("input[name=consent][value=no]")
    worker.fill("input[name=no_consent_reason]", "奶奶怕麻烦，先行上报")
    worker.select_option("select[name=area]", "care")
    worker.screenshot(path=str(screenshots / "grid-form-390.png"), full_page=True)
    worker.click("button:has-text('提交上报')")
    expect(worker.locator(".notice")).to_contain_text("已上报")
    number = re.search(r"WG-\d{4}-\d{6}", worker.locator("h1").inner_text()).group(0)
    worker.screenshot(path=str(screenshots / "grid-report-390.png"), full_page=True)

    row = town.locator("tr.row", has_text=number)
    expect(row).to_be_visible(timeout=10_000)
    expect(row.locator(".time-left")).to_contain_text("剩余")
    expect(town.locator("#live-status")).to_contain_text("有新的上报")
    assert town.evaluate("window.notReloaded") is True
    town.screenshot(path=str(screenshots / "grid-queue-1440.png"), full_page=True)
    worker.goto(f"{grid_server.url}/console/grid")
    worker.screenshot(path=str(screenshots / "grid-queue-390.png"), full_page=True)

    verifier_context, verifier = log_in(browser, grid_server, "chen", WIDE)
    verifier.click(f"a:has-text('{number}')")
    verifier.fill("form[action$='/verify'] textarea[name=note]", "已上门，情况属实")
    verifier.click("button:has-text('核实属实')")
    expect(verifier.locator(".notice")).to_contain_text("已核实")
    verifier.check("input[name=unit_code][value=T01]")
    verifier.click("button:has-text('派发')")
    expect(verifier.locator(".notice")).to_contain_text("已派发")

    town.click(f"a:has-text('{number}')")
    town.click("button:has-text('接手办理')")
    town.fill("textarea[name=outcome]", "已联系村妇联，安排“爱心妈妈”每天放学后照看，并申请困境儿童补助")
    town.screenshot(path=str(screenshots / "grid-report-1440.png"), full_page=True)
    town.click("button:has-text('办结')")
    expect(town.locator(".notice")).to_contain_text("已办结")
    timeline = town.locator(".grid-timeline")
    for stage in ("已上报", "已核实", "已派发", "处理中", "已办结"):
        expect(timeline).to_contain_text(stage)

    county_context, county = log_in(browser, grid_server, "huang", WIDE)
    county.goto(f"{grid_server.url}/console/grid/dashboard")
    expect(county.locator("#total")).to_have_text("1")
    expect(county.locator("#by-area")).to_contain_text("关爱服务")
    county.screenshot(path=str(screenshots / "grid-dashboard-1440.png"), full_page=True)
    county.set_viewport_size(PHONE)
    county.screenshot(path=str(screenshots / "grid-dashboard-390.png"), full_page=True)
    for context in (town_context, worker_context, verifier_context, county_context):
        context.close()
