"""Whose danger (nlu/whose_danger.py): the reply speaks to the one writing."""
import pytest

from nlu.crisis_lexicon import CrisisLexicon
from nlu.text import normalize
from nlu.whose_danger import whose_danger
from tests.conftest import PROJECT_ROOT

LEXICON = CrisisLexicon.from_file(PROJECT_ROOT / "nlu" / "crisis_lexicon.yml")


def read(text):
    text = normalize(text)
    crisis_type = LEXICON.imminent_type(text)
    return whose_danger(text, crisis_type, [hit.phrase for hit in LEXICON.find(text)])


@pytest.mark.parametrize("text, whose, who", [
    ("我不想活了", "self", "我"),
    ("我真的不想活了 药都准备好了", "self", "我"),
    ("我儿子刚跟我说活着没意思", "child", "儿子"),
    ("儿子说他不想活了", "child", "儿子"),
    ("我闺蜜发了个像遗书一样的朋友圈 说不想活了 电话打不通", "other", "闺蜜"),
    ("我女儿说她同学在班上说要跳楼 我要不要告诉老师", "other", "同学"),
    ("他最近老说活着没意思", "other", "他"),
    ("我妈说她不想活了", "other", "我妈"),
    ("生完宝宝两个月了 每天都在哭 刚刚抱着孩子站在阳台边上想跳下去", "self", None),
    ("我带着娃站在河边 真想跳下去算了", "self", "我"),
    ("我闺蜜生完二胎老说不想活了", "other", "闺蜜"),
])
def test_self_harm_belongs_to_whoever_speaks_before_the_phrase(text, whose, who):
    assert read(text) == (whose, who)


@pytest.mark.parametrize("text, whose", [
    ("救命 他在打我", "self"),
    ("他拿着刀说要砍死我", "self"),
    ("他在打我妈", "other"),
    ("我老公在打我女儿", "child"),
    ("我刚刚被人强奸了", "self"),
    ("我闺蜜刚刚被人强奸了", "other"),
])
def test_violence_and_assault_belong_to_whoever_is_attacked(text, whose):
    assert read(text)[0] == whose


def test_child_danger_is_always_a_childs():
    assert whose_danger("隔壁一直在打小孩", "child_danger") == ("child", None)


def test_with_nothing_to_say_otherwise_the_danger_is_hers():
    assert whose_danger("救命", "violence") == ("self", None)
    assert whose_danger("", "self_harm") == ("self", None)
