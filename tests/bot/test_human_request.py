import pytest

from bot.human_request import wants_human
from nlu.text import normalize


@pytest.mark.parametrize(
    "text",
    ["转人工", "我想离婚，能帮我找个律师吗", "可以约心理咨询师一对一吗", "我要跟真人说", "唔该帮我转接工作人员",
     "我要人工 公司怀孕了就不给我交社保", "找人工"],
)
def test_requests_for_a_person_are_seen(text):
    assert wants_human(normalize(text))


@pytest.mark.parametrize(
    "text", ["孩子沉迷手机怎么办", "我要找老师谈谈孩子成绩", "律师费大概多少", "", "😭",
             "我要人工流产 去哪里做", "人工智能会不会抢我的工作"]
)
def test_other_messages_are_not_requests_for_a_person(text):
    assert not wants_human(normalize(text))
