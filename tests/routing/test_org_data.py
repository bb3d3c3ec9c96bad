import pytest
import yaml

from routing import org_data
from routing.models import Organisation

HEADER = "id,name,level,parent,region,address,phone,hours,latitude,longitude\n"


def test_the_sample_directory_is_marked_as_sample_and_passes_the_check():
    text = org_data.SAMPLE_FILE.read_text(encoding="utf-8")
    assert text.startswith("# SAMPLE DATA")
    data = yaml.safe_load(text)
    assert data["sample"] is True and org_data.check(data) == []
    levels = {o["level"] for o in data["organisations"]}
    assert levels == {"province", "city", "county", "town", "village"}


def test_a_real_directory_loads_from_csv(sessions, tmp_path):
    path = tmp_path / "offices.csv"
    path.write_text("\ufeff" + HEADER
                    + "gd,广东省妇女联合会,province,,广东省,广州市越秀区某路1号,020-00000000,周一至周五,23.13,113.27\n"
                    + "gd-x,某县妇女联合会,county,gd,广东省某市某县,某县某路2号,0751-0000000,周一至周五,24.1,113.5\n",
                    encoding="utf-8")
    with sessions() as db, db.begin():
        assert org_data.load_file(db, path) == 2
        office = db.get(Organisation, "gd-x")
        assert office.address == "某县某路2号" and office.latitude == 24.1 and office.sample is False


@pytest.mark.parametrize("rows, problem", [
    ("gd,广东省妇女联合会,province,,广东省,,,,north,113\n", "latitude is not a number"),
    ("gd,广东省妇女联合会,province,,广东省,,,,95,113\n", "coordinates out of range"),
    ("gd,广东省妇女联合会,capital,,广东省,,,,,\n", "level must be one of"),
    ("x,某县妇联,county,nowhere,广东省某县,,,,,\n", "unknown parent"),
])
def test_a_bad_csv_is_refused_with_the_reason_and_nothing_written(sessions, tmp_path, rows, problem):
    path = tmp_path / "offices.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    with sessions() as db, db.begin():
        before = db.query(Organisation).count()
        with pytest.raises(org_data.OrgDataError, match=problem):
            org_data.load_file(db, path)
        assert db.query(Organisation).count() == before


def test_a_csv_without_the_required_columns_is_refused(tmp_path):
    with pytest.raises(org_data.OrgDataError, match="missing the columns: region"):
        org_data.read_csv("id,name,level,parent,address,phone,hours,latitude,longitude\n")


def test_a_real_directory_replaces_the_sample_offices(sessions, tmp_path):
    path = tmp_path / "offices.csv"
    path.write_text(HEADER + "gd,广东省妇女联合会,province,,广东省,广州市某路1号,020-00000000,周一至周五,23.13,113.27\n",
                    encoding="utf-8")
    with sessions() as db, db.begin():
        org_data.load_file(db, path)
        assert [o.id for o in db.query(Organisation)] == ["gd"]
        assert org_data.holds_real_directory(db)


def test_the_sample_directory_is_refreshed_and_stale_sample_offices_go(sessions):
    with sessions() as db, db.begin():
        db.add(Organisation(id="gd-old", name="旧示例妇联", level="county", parent_id="org-440000",
                            region="顺德区", sample=True))
        db.flush()
        assert org_data.refresh_sample(db) > 100
        assert db.get(Organisation, "gd-old") is None and db.get(Organisation, "org-440606") is not None
        assert not org_data.holds_real_directory(db)
