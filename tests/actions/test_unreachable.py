"""A family member out of reach, and then reached (actions/unreachable.py), as she meets it
through the answering action."""
import pytest

from actions.answers import ActionAnswerRequest
from bot.knowledge_index import KnowledgeIndex
from tests.actions.dialogue_support import bot_event, run_action, said, user_event
from tests.actions.fakes import InMemoryHandoffStore


@pytest.fixture(scope="module")
def index():
    return KnowledgeIndex()


def answer(index, events, slots=None):
    return run_action(ActionAnswerRequest(InMemoryHandoffStore(), index), events, slots)


def test_a_daughter_out_of_reach_gets_the_ways_to_find_her_and_110_not_the_counselling_answer(index):
    messages, slots = answer(index, [user_event("女儿在广州读大专 两天没回我微信了 打电话也不接 我担心得要死 一晚上睡不着",
                                                "care_mental_health", 0.23)])
    text = said(messages)
    assert "室友" in text and "辅导员" in text and "110" in text and "24小时" in text
    assert "伤害自己" not in text and slots["topic"]["area"] == "family_education"


def test_news_that_she_is_reached_is_relief(index):
    events = [user_event("女儿两天没回我微信了 电话也不接", "care_mental_health", 0.23), bot_event("先别太着急……"),
              user_event("她回了 说在准备考试手机静音了 我是不是管太多了", "family_screen_study", 0.29)]
    first, slots = answer(index, events[:1])
    messages, _ = answer(index, events, {"topic": slots["topic"]})
    assert "联系上了就好" in said(messages) and "报个平安" in said(messages)


def test_a_story_of_someone_unreachable_outside_the_family_is_not_this(index):
    messages, _ = answer(index, [user_event("老板两个月没回我消息 工资也不发", "legal_employment", 0.6)])
    assert "辅导员" not in said(messages)
