"""The first reply to danger now (actions/crisis.py): numbers first, to the person writing,
an urgent handoff, and a crisis episode that the next messages are read in."""
import pytest

from actions.crisis import ActionCrisisResponse, crisis_type_of
from actions.routing_protocol import RoutingRefused, RoutingUnavailable
from tests.actions.dialogue_support import bot_event, crisis_event, run_action, said, topic, user_event
from tests.actions.fakes import InMemoryHandoffStore

SELF_HARM_TEMPLATE = "如果你已经伤害了自己或吃了药"


def run(events, slots=None, store=None):
    return run_action(ActionCrisisResponse(store or InMemoryHandoffStore()), events, slots)


def test_crisis_reply_gives_the_numbers_first_and_opens_the_episode():
    messages, slots = run([crisis_event("我不想活了", "self_harm")])
    assert SELF_HARM_TEMPLATE in messages[0]["text"] and "120" in messages[0]["text"]
    assert slots["urgent"] is True and slots["crisis_type"] == "self_harm"
    assert slots["crisis_episode"]["type"] == "self_harm" and slots["pending_question"] == "crisis_safety"
    assert slots["topic"]["crisis"] == "self_harm" and slots["service_area"] == "care"


def test_an_urgent_handoff_is_opened_at_once_and_her_next_messages_reach_it():
    store = InMemoryHandoffStore()
    _, slots = run([crisis_event("救命 他在打我", "violence")], store=store)
    (request,) = store.requests
    assert request.urgent is True and request.category == "legal" and request.intent == "crisis_violence"
    assert (store.records[0].due_at - store.records[0].created_at).total_seconds() == 3600
    assert slots["handoff_id"] == store.records[0].id and slots["handoff_open"] is True


def test_her_son_saying_life_is_meaningless_is_answered_as_his_mother():
    events = [user_event("我儿子初三 最近成绩掉得厉害 天天关在房间里", "family_screen_study"), bot_event("……"),
              crisis_event("他最近老说活着没意思", "self_harm", whose="other", who="他")]
    messages, slots = run(events, {"topic": topic("family_education", "family_education.study_motivation")})
    assert SELF_HARM_TEMPLATE not in said(messages)
    assert "12355" in said(messages) and "孩子" in messages[0]["text"]
    assert slots["crisis_episode"]["whose"] == "child"


def test_a_friend_in_danger_gets_110_for_her_and_words_for_the_one_writing():
    messages, _ = run([crisis_event("我闺蜜发了个像遗书一样的朋友圈 说不想活了", "self_harm", "other", "闺蜜")])
    first = messages[0]["text"]
    assert "110" in first and "120" in first and SELF_HARM_TEMPLATE not in said(messages)


def test_a_classmate_in_danger_points_to_the_school():
    messages, _ = run([crisis_event("我女儿说她同学在班上说要跳楼", "self_harm", "other", "同学")])
    assert "老师" in said(messages) and "学校" in said(messages)


def test_the_same_danger_again_in_the_episode_gets_a_short_new_reply_and_no_second_handoff():
    store = InMemoryHandoffStore()
    first, slots = run([crisis_event("他拿着刀要砍我", "violence")], store=store)
    events = [crisis_event("他拿着刀要砍我", "violence"), bot_event(first[0]["text"]),
              crisis_event("他又在砸门了", "violence")]
    again, _ = run(events, {"crisis_episode": slots["crisis_episode"], "handoff_open": True,
                            "handoff_id": slots["handoff_id"]}, store)
    assert again[0]["text"] != first[0]["text"] and "110" in again[0]["text"]
    assert len(store.requests) == 1


def _son_locked_in(store):
    opening = crisis_event("我儿子刚跟我说活着没意思 现在把自己锁在房间里", "self_harm", "child", "儿子")
    first, slots = run([opening], store=store)
    return [opening, bot_event(first[0]["text"])], {"crisis_episode": slots["crisis_episode"], "handoff_open": True,
                                                     "handoff_id": slots["handoff_id"], "topic": slots["topic"]}


def test_news_that_she_is_with_him_is_not_a_new_alarm_when_only_the_model_reads_danger():
    store = InMemoryHandoffStore()
    events, slots = _son_locked_in(store)
    news = crisis_event("门开了 他在哭 我抱着他呢", "violence", "other", "他", source="model")
    messages, after = run(events + [news], slots, store)
    assert "有你在身边陪着" in said(messages) and "12355" in said(messages)  # the next steps for her child
    assert "离开他" not in said(messages) and "110报警" not in said(messages)
    assert after["crisis_episode"]["type"] == "self_harm" and after["crisis_episode"]["danger_now"] is False
    assert len(store.requests) == 1


@pytest.mark.parametrize("text, source", [("门开了 他在哭 我抱着他呢", "lexicon"),  # a danger phrase: a new alarm
                                          ("他爸回来了 又要打我", "model")])  # nothing says she is safe
def test_another_danger_inside_the_episode_is_a_new_alarm(text, source):
    store = InMemoryHandoffStore()
    events, slots = _son_locked_in(store)
    messages, after = run(events + [crisis_event(text, "violence", "self", None, source=source)], slots, store)
    assert "110" in messages[0]["text"]
    assert after["crisis_episode"]["type"] == "violence" and after["crisis_episode"]["danger_now"] is True


def test_type_falls_back_to_the_intent_name_without_a_verdict():
    assert crisis_type_of({"intent": {"name": "crisis_child_danger"}}) == "child_danger"
    assert crisis_type_of({"intent": {"name": "something_else"}}) == "violence"


@pytest.mark.parametrize("failure", [RoutingRefused(422, "body.summary: too long"), RoutingUnavailable("down")])
def test_the_urgent_request_is_kept_whatever_the_routing_backend_says_now(failure):
    """The crisis turn never calls the backend: the request is kept and delivered later."""
    store = InMemoryHandoffStore(failure=failure)
    messages, slots = run([user_event("我不想活了", "crisis_self_harm", 1.0)], store=store)
    assert "120" in messages[0]["text"] and slots["urgent"] is True
    assert slots["handoff_id"] == store.records[0].id and store.records[0].urgent


def test_the_emergency_reply_goes_out_even_if_the_urgent_request_cannot_be_kept():
    store = InMemoryHandoffStore(failure=RuntimeError("disk full"))
    messages, slots = run([user_event("我不想活了", "crisis_self_harm", 1.0)], store=store)
    assert "120" in messages[0]["text"]
    assert slots["urgent"] is True and "handoff_id" not in slots
