"""The fourth of the five levels: Guangdong's towns and streets (routing/data/towns.yml)
as town-level offices, found with the county, city and province above them."""
from datetime import date

import pytest
import yaml

from routing import directory, org_data, towns
from routing.models import Organisation

SAMPLE = yaml.safe_load(org_data.SAMPLE_FILE.read_text(encoding="utf-8"))["organisations"]


@pytest.fixture(scope="module")
def table():
    return towns.read()


def test_the_table_names_its_source_licence_and_dates_and_passes_its_check(table):
    assert table.source["package"] == "jionlp" and table.source["licence"] == "Apache-2.0"
    assert str(table.source["data_date"]) == "2025-11-27"
    assert len(table.towns) > 1500  # Guangdong has about 1,600 towns and streets
    assert {"容桂街道", "大良街道", "虎门镇", "水头镇"} <= {t.name for t in table.towns}


@pytest.mark.parametrize("text, county_code, name", [
    ("顺德容桂", "440606", "容桂街道"),
    ("我在佛山顺德区容桂街道", "440606", "容桂街道"),
    ("佛冈水头镇", "441821", "水头镇"),
    ("东莞虎门", "441900", "虎门镇"),
    ("住在天河林和", "440106", "林和街道"),
])
def test_a_town_named_with_its_county_or_city_is_found(table, text, county_code, name):
    found = table.find(text)
    assert (found.county_code, found.name) == (county_code, name)


def test_a_town_of_the_same_name_outside_guangdong_is_not_taken_for_a_guangdong_one(table):
    assert table.find("南安水头镇") is None  # 福建泉州; Guangdong's 水头镇 is in 佛冈
    assert table.elsewhere_named("南安水头镇") == "福建省泉州市南安市水头镇"
    assert table.elsewhere_named("佛冈水头镇") is None
    assert table.elsewhere_named("我住在城中村的出租屋") is None  # 城中 is a town and a county elsewhere, not here


def test_a_short_town_name_alone_is_not_a_place(table):
    assert table.find("容桂") is None  # a word that happens to be a town's short name needs its county


def _table(**changes):
    """A good table with one thing changed; `county` changes its first county."""
    county = dict({"code": "440606", "city": "佛山市", "county": "顺德区", "towns": ["容桂街道"]},
                  **changes.pop("county", {}))
    return dict({"source": {"package": "jionlp", "version": "1.5.31", "licence": "Apache-2.0",
                            "data_date": date(2025, 11, 27), "checked": date(2026, 11, 30)},
                 "counties": [county], "elsewhere": {"容桂街道": ["福建省泉州市南安市容桂街道"]}}, **changes)


def _source(**changes):
    return dict(_table()["source"], **changes)


def test_a_good_table_passes_its_check():
    assert towns.check(_table()) == []


@pytest.mark.parametrize("data, problem", [
    (_table(source={"package": "jionlp", "version": "1", "data_date": date(2025, 1, 1), "checked": date(2025, 1, 1)}),
     "missing field 'licence' in 'source'"),
    (_table(source=_source(data_date="2025")), "'source.data_date' must be a date (YYYY-MM-DD), not '2025'"),
    (_table(source=_source(data_date="2025-11-27")), "source: 'data_date' must be a date"),
    (_table(source=_source(url="https://example.org")), "unknown field ('url' was unexpected)"),
    (_table(county={"code": "350583"}), "'counties.0.code'"),
    (_table(county={"code": 440606}), "'counties.0.code' must be text"),
    (_table(county={"towns": "容桂街道"}), "'counties.0.towns' must be a list"),
    (_table(county={"towns": []}), "'counties.0.towns' needs at least 1 item(s)"),
    (_table(county={"towns": ["某林场"]}), "'counties.0.towns.0': '某林场' does not match"),
    (_table(county={"city": ""}), "'counties.0.city' is empty"),
    (_table(county={"population": 1}), "unknown field ('population' was unexpected)"),
    (_table(counties=[]), "'counties' needs at least 1 item(s)"),
    (_table(elsewhere={"容桂街道": "福建省泉州市南安市容桂街道"}), "'elsewhere.容桂街道' must be a list"),
    (dict((key, value) for key, value in _table().items() if key != "elsewhere"), "missing field 'elsewhere'"),
    (None, "must be a mapping"),
    (_table(county={"towns": ["容桂街道", "容桂街道"]}), "'容桂街道' is listed twice"),
    (_table(counties=[_table()["counties"][0]] * 2), "county #2 (440606): duplicate code"),
    (_table(elsewhere={"水头镇": ["广东省清远市佛冈县水头镇"]}), "is in Guangdong"),
])
def test_a_bad_table_is_refused_with_the_reason(data, problem):
    assert any(problem in p for p in towns.check(data))


def test_a_table_file_with_a_list_written_as_one_string_is_refused_whole(tmp_path):
    text = towns.TOWNS_FILE.read_text(encoding="utf-8").replace("一六镇: [湖南省郴州市宜章县一六镇]",
                                                                  "一六镇: 湖南省郴州市宜章县一六镇")
    (tmp_path / "towns.yml").write_text(text, encoding="utf-8")
    with pytest.raises(towns.TownDataError, match="towns.yml: 'elsewhere.一六镇' must be a list"):
        towns.read(tmp_path / "towns.yml")


def test_every_town_becomes_one_sample_office_under_its_county(table):
    offices = towns.sample_offices(SAMPLE, table)
    by_id = {o["id"]: o for o in SAMPLE}
    assert len(offices) == len({o["id"] for o in offices}) > 1500
    ronggui = next(o for o in offices if o["region"] == "广东省佛山市顺德区容桂街道")
    assert ronggui["level"] == "town" and ronggui["parent"] == "org-440606"
    assert ronggui["name"] == "佛山市顺德区容桂街道妇女联合会" and ronggui["phone"] == "12338"
    assert all(by_id[o["parent"]]["region"] in o["region"] for o in offices)
    assert "广东省佛山市顺德区大良街道" not in {o["region"] for o in offices}  # already a sample office


def test_the_sample_directory_finds_a_town_office_with_the_county_city_and_province_above(sessions):
    with sessions() as db, db.begin():
        org_data.load_towns(db, SAMPLE)
    with sessions() as db:
        chain = directory.for_region(db, "广东省佛山市顺德区容桂街道")
        assert [o.level for o in chain] == ["town", "county", "city", "province"]
        assert [o.name for o in chain][:2] == ["佛山市顺德区容桂街道妇女联合会", "佛山市顺德区妇女联合会"]
        humen = directory.for_region(db, "广东省东莞市虎门镇")
        assert [o.level for o in humen] == ["town", "city", "province"]
        assert directory.for_region(db, "福建省泉州市南安市水头镇") == []


def test_loading_the_towns_twice_adds_nothing_the_second_time(sessions):
    with sessions() as db, db.begin():
        first = org_data.load_towns(db, SAMPLE)
        count = db.query(Organisation).filter(Organisation.level == "town").count()
        assert org_data.load_towns(db, SAMPLE) == first
        assert db.query(Organisation).filter(Organisation.level == "town").count() == count


def test_refreshing_the_sample_keeps_the_town_offices(sessions):
    with sessions() as db, db.begin():
        total = org_data.refresh_sample(db)
        assert total == db.query(Organisation).count()
        assert db.get(Organisation, towns.office_id("440606", "容桂街道")) is not None


def test_the_table_is_extracted_from_jionlps_format():
    lines = [
        "广东省\t440000\t广东\r\n", "\t佛山市\t440600\t佛山\r\n", "\t\t顺德区\t440606\t顺德\r\n",
        "\t\t\t容桂街道\r\n", "\t\t\t\t红旗社区\r\n", "\t\t\t某林场\r\n",
        "\t东莞市\t441900\t东莞\r\n", "\t\t市直辖行政区划\t441900\t东莞\r\n", "\t\t\t虎门镇\r\n",
        "福建省\t350000\t福建\r\n", "\t泉州市\t350500\t泉州\r\n", "\t\t南安市\t350583\t南安\r\n",
        "\t\t\t容桂街道\r\n", "\t\t\t水头镇\r\n",
        "台湾省\t710000\t台湾\r\n", "\t台北市\t\t台北\r\n", "\t\t中正区\r\n",
    ]
    data = towns.extract(lines, {"package": "jionlp"})
    assert data["counties"] == [
        {"code": "440606", "city": "佛山市", "county": "顺德区", "towns": ["容桂街道"]},
        {"code": "441900", "city": "东莞市", "county": "", "towns": ["虎门镇"]},
    ]
    assert data["elsewhere"] == {"容桂街道": ["福建省泉州市南安市容桂街道"]}  # 水头镇 is no Guangdong town here
    rendered = yaml.safe_load(towns.render(dict(data, source={
        "package": "jionlp", "version": "1", "licence": "Apache-2.0", "data_date": "2025-11-27",
        "checked": "2026-11-30"})))
    assert rendered["counties"] == data["counties"]
