"""The grid pages of the console: the queue of her part of the tree, a report's actions,
the mobile form, the work-order and children uploads, and the dashboard with its CSV."""
from __future__ import annotations

import re

from tests.routing.console_support import csrf, login as console_login
from tests.routing.grid.conftest import file, login

WORK_ORDERS = ("work_order_no,source,grid_code,subject,person_name,place,text,urgency,consent,no_consent_reason,area\n"
               "12345-001,12345,T01V01G1-02,妇女,李某,溪美社区5号,她反映被丈夫赶出家门无处可去,一般,是,,法律维权\n"
               "D-002,部门,T03V01G1-01,儿童,,官桥村小学,学生长期缺课，家长外出务工,一般,否,家长暂时联系不上,\n")
CHILDREN = ("id_number,name,kind,grid_code,guardian,last_visit,note\n"
            "350583201201011234,小明,留守儿童,T01V01G1-01,祖母,2026-01-05,\n"
            "35058320140202123X,小红,困境儿童,T01V01G1-01,母亲,,\n"
            "350583201503031236,小刚,留守儿童,T02V01G1-01,祖父,,\n")


def test_a_grid_worker_lands_on_her_queue_and_sees_only_her_part(app, client):
    mine = file(client, login(client, "worker"), area="legal", place="溪美社区3号楼")
    file(client, login(client, "worker2"), grid_code="T02V01G1-01", area="care", place="柳东社区8号楼")
    browser = console_login(app, "worker")
    assert browser.get("/console/").headers["location"] == "/console/grid"
    page = browser.get("/console/grid").text
    assert mine["number"] in page and "溪美社区3号楼" in page and "柳东社区8号楼" not in page
    assert "剩余" in page
    assert browser.get("/console/grid/rows").text.count("<tr class=\"row") == 1
    county = console_login(app, "county").get("/console/grid/rows").text
    assert county.count("<tr class=\"row") == 2


def test_the_queue_stream_reports_its_state(app, client):
    browser = console_login(app, "town")
    file(client, login(client, "worker"), area="legal")
    with browser.stream("GET", "/console/grid/events") as response:
        for line in response.iter_lines():
            if line.startswith("data:") and "reports" in line:
                assert '"urgent"' in line
                break


def test_verifying_dispatching_and_closing_from_the_report_page(app, client):
    filed = file(client, login(client, "worker"), area="legal")
    url = f"/console/grid/reports/{filed['id']}"
    verifier = console_login(app, "verifier")
    page = verifier.get(url).text
    assert "核实属实" in page and "退回" in page and "接手办理" not in page
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    done = verifier.post(f"{url}/verify", data={"csrf_token": csrf(verifier), "version": version, "note": "属实"})
    assert done.status_code == 303
    again = verifier.post(f"{url}/verify", data={"csrf_token": csrf(verifier), "version": version})
    assert again.status_code == 409 and "刷新" in again.text
    page = verifier.get(url).text
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    assert verifier.post(f"{url}/dispatch", data={"csrf_token": csrf(verifier), "version": version,
                                                  "level": "village", "unit_code": "T01V01"}).status_code == 303
    village = console_login(app, "village")
    for action, extra in (("start", {}), ("close", {"outcome": "已上门帮扶"})):
        version = re.search(r'name="version" value="(\d+)"', village.get(url).text).group(1)
        assert village.post(f"{url}/{action}", data={"csrf_token": csrf(village), "version": version,
                                                      **extra}).status_code == 303
    final = village.get(url).text
    assert "已办结" in final and "已上门帮扶" in final and "verifier" in final


def test_a_report_outside_her_part_is_not_found(app, client):
    filed = file(client, login(client, "worker2"), grid_code="T02V01G1-01", area="care")
    assert console_login(app, "town").get(f"/console/grid/reports/{filed['id']}").status_code == 404


def test_the_mobile_form_files_a_report(app, client):
    worker = console_login(app, "worker")
    form = worker.get("/console/grid/new").text
    assert 'value="T01V01G1-01" selected' in form and "T02V01G1-01" not in form
    missing = worker.post("/console/grid/new", data={"csrf_token": csrf(worker), "grid_code": "T01V01G1-01"})
    assert missing.status_code == 422 and "请填写" in missing.text
    no_reason = worker.post("/console/grid/new", data={
        "csrf_token": csrf(worker), "grid_code": "T01V01G1-01", "subject": "child", "place": "溪美小学",
        "text": "孩子放学没人接", "urgency": "normal", "consent": "no"})
    assert no_reason.status_code == 422 and "原因" in no_reason.text
    filed = worker.post("/console/grid/new", data={
        "csrf_token": csrf(worker), "grid_code": "T01V01G1-01", "subject": "child", "place": "溪美小学",
        "text": "孩子放学没人接", "urgency": "normal", "consent": "yes", "area": "care"})
    assert filed.status_code == 303
    page = worker.get(filed.headers["location"]).text
    assert "已上报" in page and "网格员巡查" in page
    elsewhere = worker.post("/console/grid/new", data={
        "csrf_token": csrf(worker), "grid_code": "T02V01G1-01", "subject": "child", "place": "x", "text": "y",
        "consent": "yes"})
    assert elsewhere.status_code == 403


def test_work_orders_upload_once(app, client):
    county = console_login(app, "county")
    assert console_login(app, "worker").get("/console/grid/work-orders").status_code == 403
    upload = {"file": ("orders.csv", WORK_ORDERS.encode("utf-8"), "text/csv")}
    first = county.post("/console/grid/work-orders", data={"csrf_token": csrf(county)}, files=upload)
    assert first.status_code == 200 and "新登记 2 条" in first.text
    again = county.post("/console/grid/work-orders", data={"csrf_token": csrf(county)}, files=upload)
    assert "新登记 0 条，之前已登记 2 条" in again.text
    bad = WORK_ORDERS + "X-3,12345,NOPE,妇女,,某地,某事,一般,是,,\n"
    refused = county.post("/console/grid/work-orders", data={"csrf_token": csrf(county)},
                          files={"file": ("orders.csv", bad.encode("gb18030"), "text/csv")})
    assert refused.status_code == 422 and "NOPE" in refused.text and "未导入" in refused.text
    listed = client.get("/api/v1/grid/reports?source=department", headers=login(client, "county")).json()
    assert len(listed) == 1


def test_children_upload_and_the_not_visited_list(app, client):
    county = console_login(app, "county")
    upload = {"file": ("children.csv", CHILDREN.encode("utf-8"), "text/csv")}
    done = county.post("/console/grid/children", data={"csrf_token": csrf(county)}, files=upload)
    assert done.status_code == 200 and "新建 3 份档案" in done.text
    assert "350583201201011234" not in done.text and "3505**********1234" in done.text
    again = county.post("/console/grid/children", data={"csrf_token": csrf(county)}, files=upload)
    assert "新建 0 份档案，更新 3 份" in again.text
    worker_page = console_login(app, "worker").get("/console/grid/children").text
    assert "小明" in worker_page and "小红" in worker_page and "小刚" not in worker_page
    filed = file(client, login(client, "worker"), subject="child", person_name="小红", area="care")
    assert client.post(f"/api/v1/grid/reports/{filed['id']}/verify", json={},
                       headers=login(client, "verifier")).json()["child_id"]
    worker_page = console_login(app, "worker").get("/console/grid/children").text
    assert "小明" in worker_page and "小红" not in worker_page


def test_the_dashboard_counts_and_exports(app, client):
    worker = login(client, "worker")
    file(client, worker, area="legal", text="她的电话是13812345678，想咨询离婚")
    file(client, worker, area="care", urgency="urgent")
    assert console_login(app, "worker").get("/console/grid/dashboard").status_code == 403
    town = console_login(app, "town")
    page = town.get("/console/grid/dashboard").text
    assert re.search(r'id="total">2<', page) and "法律维权" in page and "网格员巡查" in page
    exported = town.get("/console/grid/dashboard.csv")
    assert exported.headers["content-type"].startswith("text/csv")
    assert exported.text.count("\n") == 3 and "13812345678" not in exported.text
