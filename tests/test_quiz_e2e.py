"""执委学堂 end to end through the running services: a province cadre is created in her
office (`python -m routing create-cadre`), binds her chat with the code an admin issued,
asks for 执委学堂, picks a topic, answers every question by its button, hears each
explanation and her score, and the score is in the routing backend under 省 and her office.
A city cadre is counted under her city; reporting is not hers."""
import re
import sqlite3

import pytest

from tests.conversations.live_services import LiveServices
from tests.live_chat import press, read, say
from tests.routing_process import a_password

PROVINCE, CITY = ("org-440000", "广东省妇女联合会"), ("org-440100", "广州市妇女联合会")  # the sample directory
QUESTION = re.compile(r"第(\d+)题")


@pytest.fixture(scope="module")
def services(tmp_path_factory):
    live = LiveServices(tmp_path_factory.mktemp("quiz-e2e")).start()
    try:
        yield live
    finally:
        live.stop()


def bound_cadre(services, username, office):
    services.routing.run_command("create-cadre", "--username", username, "--password", a_password(),
                                 "--office", office[0])
    code = re.search(r"\b(\d{6})\b", services.routing.run_command("issue-binding-code", "--user", username)).group(1)
    chat = f"quiz-e2e-{username}"
    welcome = read(say(services, chat, f"绑定 {code}"))
    assert "绑定好了" in welcome and office[1] in welcome and "执委学堂" in welcome
    return chat


def take_quiz(services, chat, choose="A"):
    """Picks the first topic and answers every question with `choose`; the last replies."""
    replies = say(services, chat, press(say(services, chat, "执委学堂"), ""))
    asked = []
    while QUESTION.search(read(replies)):
        asked.append(int(QUESTION.findall(read(replies))[-1]))
        replies = say(services, chat, press(replies, f"{choose}."))
        feedback = read(replies)
        assert ("答对了" in feedback or "正确答案是" in feedback) and "依据：" in feedback, feedback
    return asked, read(replies)


def results(services):
    path = services.routing.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        return db.execute("SELECT level, region, score, total FROM study_results ORDER BY id").fetchall()


def test_a_province_cadre_takes_a_quiz_in_her_chat_and_her_score_is_kept_under_her_office(services):
    chat = bound_cadre(services, "chenfang", PROVINCE)
    asked, last = take_quiz(services, chat)
    assert asked == [1, 2, 3, 4, 5]
    score = re.search(r"答对 (\d)/5 题", last)
    assert score and "成绩已记录" in last
    assert results(services)[-1] == ("province", PROVINCE[1], int(score.group(1)), 5)


def test_a_city_cadre_is_counted_under_her_city_and_reporting_is_not_hers(services):
    chat = bound_cadre(services, "zhouli", CITY)
    reply = read(say(services, chat, "我要上报"))
    assert "网格员" in reply and "执委学堂" in reply
    take_quiz(services, chat, choose="B")
    assert results(services)[-1][:2] == ("city", CITY[1])
