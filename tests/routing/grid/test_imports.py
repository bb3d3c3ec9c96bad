"""CSV imports: children's base records and work orders, idempotent and all or none."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from routing.grid import children, work_orders
from routing.grid.models import ChildRecord, GridReport

HEADER = "id_number,name,kind,grid_code,guardian,last_visit,note\n"


def test_id_numbers_are_stored_hashed_and_masked(sessions, people):
    with sessions() as db, db.begin():
        result = children.import_csv(db, HEADER + "350583201201011234,小明,留守儿童,T01V01G1-01,祖母,2026-01-05,\n", "k")
    assert result.created == 1
    with sessions() as db:
        record = db.scalars(select(ChildRecord)).one()
        assert record.id_hash == children.id_hash("350583201201011234", "k") and "2012" not in record.id_masked
        assert record.last_visit_at.date().isoformat() == "2026-01-05"


@pytest.mark.parametrize("line, problem", [
    ("12345,小明,留守儿童,T01V01G1-01,,,", "身份证号格式不对"),
    ("350583201201011234,,留守儿童,T01V01G1-01,,,", "缺少姓名"),
    ("350583201201011234,小明,孤儿,T01V01G1-01,,,", "类别"),
    ("350583201201011234,小明,留守儿童,NOPE,,,", "网格编码 NOPE 不存在"),
    ("350583201201011234,小明,留守儿童,T01V01G1-01,,05/01/2026,", "走访日期"),
])
def test_a_bad_children_file_stores_nothing(sessions, people, line, problem):
    good = "35058320140202123X,小红,困境儿童,T01V01G1-01,,,\n"
    with sessions() as db:
        with pytest.raises(children.ImportRefused, match=problem):
            children.import_csv(db, HEADER + good + line + "\n", "k")
        assert "第3行" in str(pytest.raises(children.ImportRefused, children.import_csv, db,
                                            HEADER + good + line + "\n", "k").value)
        db.rollback()
    with sessions() as db:
        assert db.scalars(select(ChildRecord)).all() == []


def test_a_work_order_file_needs_its_columns_and_good_lines():
    with pytest.raises(work_orders.ImportRefused, match="缺少列"):
        work_orders.parse("source,text\n12345,x\n")
    header = ",".join(work_orders.COLUMNS) + "\n"
    with pytest.raises(work_orders.ImportRefused, match="第2行：.*subject"):
        work_orders.parse(header + "W1,12345,T01V01G1-01,老人,,某地,某事,一般,是,,\n")
    with pytest.raises(work_orders.ImportRefused, match="no_consent_reason"):
        work_orders.parse(header + "W1,12345,T01V01G1-01,妇女,,某地,某事,一般,否,,\n")
    items = work_orders.parse(header + "W1,12345热线,T01V01G1-01,家庭,,某地,某事,紧急,是,,家庭教育\n")
    assert items[0].source == "hotline_12345" and items[0].urgency == "urgent" and items[0].area == "family_education"


def test_work_orders_are_filed_once_by_number(sessions, people, grid_settings):
    text = ",".join(work_orders.COLUMNS) + "\nW1,部门,T01V01G1-01,妇女,,某地,某事,一般,是,,法律维权\n"
    for expected in (1, 0):
        with sessions() as db, db.begin():
            assert work_orders.import_csv(db, text, grid_settings, (48, 1)).created == expected
    with sessions() as db:
        assert len(db.scalars(select(GridReport)).all()) == 1


def test_the_api_lists_her_children_not_visited(client, sessions, people):
    from tests.routing.grid.conftest import login

    with sessions() as db, db.begin():
        children.import_csv(db, HEADER + "350583201201011234,小明,留守儿童,T01V01G1-01,祖母,,\n"
                            "350583201503031236,小刚,留守儿童,T02V01G1-01,祖父,,\n", "k")
    listed = client.get("/api/v1/grid/children/not-visited", headers=login(client, "worker")).json()
    assert [child["name"] for child in listed] == ["小明"] and "2012" not in listed[0]["id_masked"]
    assert len(client.get("/api/v1/grid/children/not-visited", headers=login(client, "county")).json()) == 2
