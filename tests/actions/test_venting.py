"""Steam let off is met with warmth, not the counselling answer and its emergency numbers
(actions/venting.py), as she meets it through the answering action."""
import pytest

from actions.answers import ActionAnswerRequest
from bot.knowledge_index import KnowledgeIndex
from tests.actions.dialogue_support import bot_event, run_action, said, topic, user_event
from tests.actions.fakes import InMemoryHandoffStore


@pytest.fixture(scope="module")
def index():
    return KnowledgeIndex()


def answer(index, events, slots=None):
    return run_action(ActionAnswerRequest(InMemoryHandoffStore(), index), events, slots)


def test_figures_of_speech_about_the_load_at_home_get_warmth_and_a_way_on_without_alarm(index):
    messages, slots = answer(index, [user_event("气死我了 老公一下班就躺着刷抖音 娃全是我一个人带 累死了😤",
                                                "care_mental_health", 0.7)])
    text = said(messages)
    assert "累" in text and "分一分" in text and "12356" in text
    assert "110" not in text and "120" not in text and "伤害自己" not in text
    assert slots["topic"]["area"] == "care"


def test_venting_about_anything_else_gets_the_plain_warm_reply(index):
    text = said(answer(index, [user_event("今天加班到十点 烦死了 累死了", "care_mental_health", 0.6)])[0])
    assert "12356" in text and "分一分" not in text and "110" not in text


@pytest.mark.parametrize("text", ["累死了 每天都想哭 睡不着", "烦死了 心理咨询哪里有", "气死我了 他不给抚养费怎么办"])
def test_a_feeling_beyond_the_figure_or_a_question_is_answered_as_before(index, text):
    messages, _ = answer(index, [user_event(text, "care_mental_health", 0.7)])
    assert "说出来就好" not in said(messages) and "分一分" not in said(messages)


def test_saying_she_only_wanted_to_let_off_steam_is_a_thanks_not_a_new_need(index):
    events = [user_event("气死我了 老公天天打游戏 累死了", "care_mental_health", 0.7), bot_event("辛苦了"),
              user_event("哈哈说出来舒服多了 就是想吐槽一下", "care_mental_health", 0.39)]
    messages, slots = answer(index, events, {"topic": topic("care", intent="care_mental_health")})
    assert "说出来就好" in said(messages) and "110" not in said(messages)
    assert slots["topic"] is None and slots["service_area"] is None


def test_steam_about_homework_with_an_angry_rhetorical_question_gets_a_word_on_homework(index):
    messages, slots = answer(index, [user_event("气死我了😤 辅导作业辅导到血压飙升 累死了 这娃是不是故意的",
                                                "care_mental_health", 0.45)])
    text = said(messages)
    assert "作业" in text and "习惯" in text and "110" not in text and "120" not in text
    assert slots["topic"]["area"] == "family_education" and slots["topic"]["faq_id"] == "family_education.homework"


def test_saying_a_story_was_only_a_question_is_met_lightly_with_the_numbers_kept(index):
    messages, slots = answer(index, [user_event("哈哈我没事啦 我老公连蟑螂都不敢打 就是好奇问问", "care_mental_health", 0.2)],
                             {"topic": topic("legal", intent="legal_domestic_violence")})
    text = said(messages)
    assert "没事就好" in text and "12338" in text and "心理咨询" not in text
    assert slots["topic"] is None
