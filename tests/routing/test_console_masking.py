"""Phone numbers, ID numbers and street addresses are hidden; ordinary numbers are not."""
import pytest

from routing.masking import ADDRESS_MASK, ID_MASK, PHONE_MASK, mask, may_see_personal_data
from routing.models import Handoff, User


@pytest.mark.parametrize("text, expected", [
    ("我的电话13812345678", f"我的电话{PHONE_MASK}"),
    ("打138 1234 5678找我", f"打{PHONE_MASK}找我"),
    ("手机+86-139-1234-5678", f"手机{PHONE_MASK}"),
    ("座机(020)87654321", f"座机{PHONE_MASK}"),
    ("单位电话0757-22334455转8", f"单位电话{PHONE_MASK}转8"),
    ("身份证44010619900101123X", f"身份证{ID_MASK}"),
    ("身份证号 440106 19900101 1234", f"身份证号 {ID_MASK}"),
    ("我住在天河区林和西路123号2栋501室", f"我住在天河区{ADDRESS_MASK}"),
    ("地址：顺德区大良街道建设大道8号之一", f"地址：顺德区{ADDRESS_MASK}"),
    ("住幸福花园3栋502房", f"住{ADDRESS_MASK}"),
    ("娘家在东村12巷5号", f"娘家在{ADDRESS_MASK}"),
])
def test_personal_data_is_masked(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", [
    "孩子3岁，欠了20000元", "2024年3月15日被辞退", "拨打12338或110", "林和街道妇联在哪", "产假98天",
    "彩礼18万要退吗", "第1079条",
])
def test_ordinary_numbers_and_places_stay(text):
    assert mask(text) == text


def test_only_admins_and_the_expert_holding_the_case_see_personal_data():
    handoff = Handoff(assignee_id=7)
    assert may_see_personal_data(User(id=1, role="admin"), handoff)
    assert may_see_personal_data(User(id=7, role="expert"), handoff)
    assert not may_see_personal_data(User(id=8, role="expert"), handoff)
    assert not may_see_personal_data(User(id=2, role="supervisor"), handoff)
    assert not may_see_personal_data(User(id=3, role="staff"), handoff)
    assert not may_see_personal_data(User(id=3, role="staff"))
