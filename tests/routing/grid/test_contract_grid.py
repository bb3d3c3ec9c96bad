"""The shared names of grid reporting (assistant_contract.grid)."""
from __future__ import annotations

from assistant_contract import grid


def test_every_name_has_a_chinese_title():
    for names, titles in ((grid.SOURCES, grid.SOURCE_TITLES), (grid.SUBJECTS, grid.SUBJECT_TITLES),
                          (grid.URGENCIES, grid.URGENCY_TITLES), (grid.STAGES, grid.STAGE_TITLES),
                          (grid.GRID_ROLES + (grid.CADRE,), grid.ROLE_TITLES), (grid.DISPATCH_LEVELS, grid.LEVEL_TITLES)):
        assert set(names) == set(titles)


def test_open_and_final_stages_split_the_stages():
    assert set(grid.OPEN_STAGES) | set(grid.FINAL_STAGES) == set(grid.STAGES)
    assert not set(grid.OPEN_STAGES) & set(grid.FINAL_STAGES)
    assert grid.is_open_stage("verified") and not grid.is_open_stage("closed")


def test_binding_codes_and_report_numbers():
    assert grid.is_binding_code("012345") and grid.is_binding_code(" 012345 ")
    assert not grid.is_binding_code("12345") and not grid.is_binding_code("abcdef") and not grid.is_binding_code(None)
    assert grid.report_number(2026, 123) == "WG-2026-000123"
    assert all(len(max(names, key=len)) <= 16 for names in (grid.GRID_ROLES, grid.SOURCES, grid.STAGES))
