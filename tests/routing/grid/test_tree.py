"""The grid tree's data file: the sample loads, a broken file is refused naming each problem."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from routing.grid import tree
from routing.grid.models import GridUnit


def test_the_sample_county_is_marked_and_complete():
    rows, sample = tree.read_file()
    assert sample is True and "示例" in tree.SAMPLE_FILE.read_text(encoding="utf-8").splitlines()[0]
    levels = [row.level for row in rows]
    assert levels[0] == "county" and {"town", "village", "grid1", "grid2"} <= set(levels)
    grid2 = next(row for row in rows if row.level == "grid2")
    assert grid2.path.count("/") == 6 and grid2.path.startswith("/NA/")


def test_loading_twice_changes_nothing(sessions):
    with sessions() as db, db.begin():
        first = tree.load_file(db)
    with sessions() as db, db.begin():
        assert tree.load_file(db) == first
    with sessions() as db:
        assert db.scalar(select(func.count()).select_from(GridUnit)) == first
        grid = db.get(GridUnit, "T01V01G1-01")
        assert tree.ancestor_at(db, grid, "town").code == "T01" and tree.ancestor_at(db, grid, "grid1").code == "T01V01G1"


GRID1 = {"code": "G", "name": "网格", "grids": [{"code": "G-01", "name": "小网格"}]}


def _document(grid1=GRID1, **changes):
    """A good tree (county, one town, one village, one first-level grid), with one thing changed."""
    towns = [{"code": "T", "name": "镇", "villages": [{"code": "V", "name": "村", "grids": [grid1]}]}]
    return dict({"sample": True, "county": {"code": "C", "name": "县"}, "towns": towns}, **changes)


def test_a_good_tree_passes_and_a_first_level_grid_may_have_nothing_below_it():
    assert [row.path for row in tree.parse(_document())[0]][-1] == "/C/T/V/G/G-01/"
    assert [row.level for row in tree.parse(_document({"code": "G", "name": "网格"}))[0]][-1] == "grid1"


@pytest.mark.parametrize("document, problem", [
    (_document(towns=[]), "'towns' needs at least 1 item"),
    (_document(towns="T01"), "'towns' must be a list"),
    (_document(towns=[{"code": "T", "name": "镇"}]), "missing field 'villages' in 'towns.0'"),
    (_document(towns=[{"code": "T", "name": "镇", "villages": [{"code": "V", "name": "村", "grids": []}]}]),
     "'towns.0.villages.0.grids' needs at least 1 item"),
    (_document(dict(GRID1, grids="G-01")), "'towns.0.villages.0.grids.0.grids' must be a list"),
    (_document(dict(GRID1, grids=[{"code": "G-01", "name": "小网格", "grids": []}])),
     "unknown field \\('grids' was unexpected\\)"),
    (_document(dict(GRID1, leader="王")), "unknown field \\('leader' was unexpected\\)"),
    (_document(dict(GRID1, code="T")), "code T is used 2 times"),
    (_document(county={"code": "C", "name": ""}), "'county.name' is empty"),
    (_document(county={"code": "C 1", "name": "县"}), "'county.code'"),
    (_document(county={"code": 7, "name": "县"}), "'county.code' must be text"),
    (_document(county={"code": "C", "name": "县", "towns": []}), "unknown field"),
    (_document(sample="yes"), "'sample' must be true or false"),
    ({key: value for key, value in _document().items() if key != "sample"}, "missing field 'sample'"),
    ({"towns": []}, "missing field 'county'"),
    (_document(owner="县妇联"), "unknown field \\('owner' was unexpected\\)"),
    (None, "must be a mapping"),
])
def test_a_broken_file_is_refused_with_its_problems(document, problem):
    with pytest.raises(tree.TreeError, match=problem):
        tree.parse(document)


def test_a_broken_file_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "county.yml"
    path.write_text(tree.SAMPLE_FILE.read_text(encoding="utf-8").replace("sample: true", "sample: 是"), encoding="utf-8")
    with pytest.raises(tree.TreeError, match="county.yml: 'sample' must be true or false"):
        tree.read_file(path)
