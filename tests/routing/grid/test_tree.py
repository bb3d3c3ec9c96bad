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


@pytest.mark.parametrize("document, problem", [
    ({"county": {"code": "C", "name": "县"}, "towns": [], "sample": True}, "has no towns"),
    ({"county": {"code": "C", "name": "县"}, "towns": [{"code": "T", "name": "镇", "villages": [
        {"code": "V", "name": "村", "grids": [{"code": "T", "name": "重复"}]}]}], "sample": True}, "code T is used 2"),
    ({"county": {"code": "C", "name": ""}, "towns": [{"code": "T", "name": "镇", "villages": [
        {"code": "V", "name": "村", "grids": [{"code": "G", "name": "网格"}]}]}], "sample": True}, "name is missing"),
    ({"county": {"code": "C 1", "name": "县"}, "towns": [], "sample": True}, "code must be"),
    ({"county": {"code": "C", "name": "县"}, "towns": [{"code": "T", "name": "镇", "villages": [
        {"code": "V", "name": "村", "grids": [{"code": "G", "name": "网格"}]}]}]}, "`sample` must be"),
    ({"towns": []}, "needs a `county`"),
])
def test_a_broken_file_is_refused_with_its_problems(document, problem):
    with pytest.raises(tree.TreeError, match=problem):
        tree.parse(document)
