"""One detail of the office she was just shown: hours, phone, address, how to get there."""
import asyncio

import pytest

from actions.office_details import OFFICE_DETAIL, office_details
from tests.actions.fakes import FakeRoutingBackend

BAOAN = {"name": "深圳市宝安区妇女联合会", "level": "county", "address": "深圳市宝安区新安街道",
         "phone": "0755-00000000", "hours": "周一至周五 9:00-17:30", "latitude": 22.55, "longitude": 113.88}


def detail(text, office=BAOAN):
    return asyncio.run(office_details(FakeRoutingBackend([office]), "440306", text))


@pytest.mark.parametrize("question", ["坐地铁能到吗", "搭巴士点去", "远不远 要开车吗", "有电话吗", "返工时间系几点"])
def test_questions_about_the_office_she_was_shown_are_details_of_it(question):
    assert OFFICE_DETAIL.search(question)


@pytest.mark.parametrize("question", ["我想离婚", "孩子不爱学习怎么办"])
def test_other_questions_are_not(question):
    assert not OFFICE_DETAIL.search(question)


def test_getting_there_gets_the_address_and_the_map_for_routes():
    answer = detail("坐地铁能到吗")
    assert "地址：深圳市宝安区新安街道" in answer and "https://uri.amap.com/marker" in answer
    assert "地铁" in answer and "电话：" not in answer


def test_without_a_map_position_she_is_told_how_to_find_the_way():
    answer = detail("坐公交怎么到", {**BAOAN, "latitude": None})
    assert "地址：" in answer and "地图软件" in answer


def test_the_phone_and_the_hours_when_she_asks_for_them():
    answer = detail("几点开门 电话多少")
    assert "办公时间：周一至周五 9:00-17:30" in answer and "电话：0755-00000000" in answer
    assert "地址：" not in answer and answer.endswith("请先拨打110。")


def test_no_office_for_the_region_is_no_answer():
    assert asyncio.run(office_details(FakeRoutingBackend([]), "440306", "坐地铁能到吗")) is None
