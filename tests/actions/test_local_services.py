"""各地精选 in the chat (actions/local_services.py): one line when an answer touches a service."""
import pytest

from actions.answers import ActionAnswerRequest
from tests.actions.dialogue_support import bot_event, run_action, said, user_event
from tests.actions.fakes import InMemoryHandoffStore


@pytest.fixture(scope="module")
def index(knowledge_index):
    return knowledge_index


def answer(index, events, slots=None):
    return run_action(ActionAnswerRequest(InMemoryHandoffStore(), index), events, slots)


def service_lines(messages):
    return [line for m in messages for line in m["text"].split("\n") if line.startswith("🌟 各地精选：")]


def test_looking_for_flexible_work_offers_mama_jobs_in_her_city(index):
    messages, _ = answer(index, [user_event("想找个能接送孩子的灵活工作", "job_seeking")],
                         slots={"region": "广东省佛山市顺德区"})
    lines = service_lines(messages)
    assert len(lines) == 1 and lines[0].startswith("🌟 各地精选：妈妈岗（佛山市）") and "以当地最新政策为准" in lines[0]
    assert len(messages) <= 3 and "🌟" not in messages[-1]["text"]


def test_her_own_city_service_comes_first(index):
    messages, _ = answer(index, [user_event("想找个能接送孩子的灵活工作", "job_seeking")],
                         slots={"region": "广东省中山市"})
    assert service_lines(messages)[0].startswith("🌟 各地精选：中山妈妈岗（中山市）")


def test_housekeeping_in_guangzhou_offers_yangcheng_housekeeping(index):
    messages, _ = answer(index, [user_event("我想去学做家政当月嫂，哪里有培训", "job_seeking")],
                         slots={"region": "广东省广州市天河区"})
    assert service_lines(messages)[0].startswith("🌟 各地精选：羊城家政")


def test_a_service_already_offered_is_not_offered_again(index):
    first, _ = answer(index, [user_event("想找个能接送孩子的灵活工作", "job_seeking")],
                      slots={"region": "广东省佛山市顺德区"})
    events = [bot_event(m["text"]) for m in first] + [user_event("想找个能接送孩子的灵活工作", "job_seeking")]
    again, _ = answer(index, events, slots={"region": "广东省佛山市顺德区"})
    assert not any(line.startswith("🌟 各地精选：妈妈岗") for line in service_lines(again))


def test_a_question_that_touches_no_service_gets_no_line(index):
    messages, _ = answer(index, [user_event("离婚冷静期是多少天", "legal_divorce")])
    assert "各地精选" not in said(messages)
