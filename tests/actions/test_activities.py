"""Activities in the chat (actions/activities.py): the list, the sign-up form, cancelling."""
import asyncio

import pytest
from rasa_sdk.executor import CollectingDispatcher

import actions.activities as chat_activities
from actions.activities import (
    ActionActivityCancel, ActionActivitySignupStart, ActionActivitySignupSubmit, ValidateActivitySignupForm,
    asks_for_activities, asks_to_cancel,
)
from actions.activity_client import FULL, SIGNED_UP
from actions.answers import ActionAnswerRequest
from actions.routing_protocol import RoutingUnavailable
from tests.actions.dialogue_support import bot_event, domain, run_action, said, user_event
from tests.actions.fakes import InMemoryHandoffStore
from tests.conftest import make_tracker


def activity(activity_id, title, city="佛山市", online=False, places=5, keywords=(), start="2026-12-12T09:30:00+08:00"):
    return {"id": activity_id, "title": title, "organiser": "区妇联（示例）", "city": "全省" if online else city,
            "place": None if online else "某中心", "online": online, "starts_at": start,
            "ends_at": "2099-12-12T12:00:00+08:00", "capacity": 10, "places_left": places, "audience": "妈妈",
            "area": "family_education", "description": "…", "keywords": list(keywords), "sample": True}


FAIR = activity("activity.a", "妈妈岗专场招聘会", keywords=["找工作", "招聘"])
KIDS = activity("activity.b", "亲子安全课", online=True, keywords=["孩子", "亲子"])
STARTUP = activity("activity.c", "女性创业沙龙", places=0, keywords=["创业"])


class FakeActivities:
    def __init__(self, items=(FAIR, KIDS, STARTUP), down=False):
        self.items, self.down, self.calls, self.signed = list(items), down, [], {}

    def _check(self):
        if self.down:
            raise RoutingUnavailable("down")

    async def upcoming(self, city=None, within_days=None):
        self._check()
        self.calls.append(("upcoming", city, within_days))
        return [i for i in self.items if not city or i["online"] or i["city"] == city]

    async def activity(self, activity_id):
        self._check()
        return next((i for i in self.items if i["id"] == activity_id), None)

    async def sign_up(self, activity_id, conversation_id, channel, name, phone):
        self._check()
        item = await self.activity(activity_id)
        if item["places_left"] <= 0:
            return {"status": FULL, "activity": None}
        self.signed[(activity_id, conversation_id)] = (name, phone)
        return {"status": SIGNED_UP, "activity": dict(item, places_left=item["places_left"] - 1)}

    async def cancel(self, activity_id, conversation_id):
        self._check()
        if self.signed.pop((activity_id, conversation_id), None) is None:
            return None
        return {"status": "cancelled", "activity": await self.activity(activity_id)}

    async def signups_of(self, conversation_id):
        self._check()
        return [i for i in self.items if (i["id"], conversation_id) in self.signed]


@pytest.fixture
def backend(monkeypatch):
    fake = FakeActivities()
    monkeypatch.setattr(chat_activities, "default_backend", lambda: fake)
    return fake


@pytest.fixture(scope="module")
def index(knowledge_index):
    return knowledge_index


def ask(index, text, slots=None, intent="care_volunteer"):
    return run_action(ActionAnswerRequest(InMemoryHandoffStore(), index), [user_event(text, intent)], slots)


@pytest.mark.parametrize("text, asks", [
    ("最近有什么活动", True), ("这周有没有带孩子参加的活动", True), ("有冇啲创业嘅活动", True),
    ("我们商会想跟妇联搞个活动", False), ("怎么申请举办活动", False), ("活动", False),
])
def test_what_reads_as_asking_what_is_on(text, asks):
    assert asks_for_activities(text) is asks


def test_what_is_on_near_her_is_a_short_list_with_places_and_sign_up_buttons(backend, index):
    messages, _ = ask(index, "最近有什么活动", {"region": "广东省佛山市顺德区"})
    assert len(messages) == 1 and backend.calls == [("upcoming", "佛山市", 30)]
    text = messages[0]["text"]
    assert text.startswith("最近佛山市和线上有这些活动：") and "还剩5个名额" in text and "名额已满" in text
    assert "示例活动" in text
    assert [b["payload"] for b in messages[0]["buttons"]] == ['/signup_activity{"activity_id":"activity.a"}',
                                                              '/signup_activity{"activity_id":"activity.b"}']


def test_this_week_for_her_child_narrows_the_list(backend, index):
    messages, _ = ask(index, "这周有没有带孩子参加的活动")
    assert backend.calls == [("upcoming", None, 7)]
    assert "亲子安全课" in messages[0]["text"] and "招聘会" not in messages[0]["text"]
    assert "告诉我你在哪个市" in messages[0]["text"]


def test_for_entrepreneurs(backend, index):
    messages, _ = ask(index, "有没有创业的活动")
    assert "女性创业沙龙" in messages[0]["text"] and not messages[0]["buttons"]  # full: no sign-up button


WEEKDAY_TALK = activity("activity.d", "周三晚上的家庭教育讲座", keywords=["孩子"], start="2026-12-09T19:30:00+08:00")


def after_list(index, text, first="最近有什么活动", slots=None):
    listed, _ = ask(index, first, slots)
    events = [user_event(first, "care_volunteer"), bot_event(listed[0]["text"]), user_event(text, "nlu_fallback", 0.3)]
    return run_action(ActionAnswerRequest(InMemoryHandoffStore(), index), events, slots)[0]


def test_a_short_wish_after_the_list_narrows_it_to_weekends(backend, index):
    backend.items.append(WEEKDAY_TALK)
    messages = after_list(index, "周末的最好", slots={"region": "广东省佛山市顺德区"})
    text = messages[0]["text"]
    assert text.startswith("周末佛山市和线上有这些活动：") and "妈妈岗专场招聘会" in text
    assert "周三晚上的家庭教育讲座" not in text and len(messages) == 1


def test_the_list_keeps_the_area_she_asked_in_while_she_narrows_it(backend, index):
    _, slots = ask(index, "有没有小孩能参加的志愿活动")
    assert slots["service_area"] == "care" and slots["topic"]["area"] == "care"
    listed, _ = ask(index, "有没有小孩能参加的志愿活动")
    events = [user_event("有没有小孩能参加的志愿活动", "care_volunteer"), bot_event(listed[0]["text"]),
              user_event("周末的最好", "out_of_scope", 0.33)]
    _, slots = run_action(ActionAnswerRequest(InMemoryHandoffStore(), index), events, {"topic": slots["topic"]})
    assert slots["service_area"] == "care"


def test_the_narrowing_keeps_what_she_asked_for_first(backend, index):
    backend.items.append(WEEKDAY_TALK)
    messages = after_list(index, "周末的呢", first="有没有带孩子的活动")
    text = messages[0]["text"]
    assert "亲子安全课" in text and "周三晚上" not in text and "招聘会" not in text


def test_online_only_after_the_list(backend, index):
    messages = after_list(index, "有线上的吗", slots={"region": "广东省佛山市顺德区"})
    assert messages[0]["text"].startswith("最近线上有这些活动：") and "亲子安全课" in messages[0]["text"]
    assert "招聘会" not in messages[0]["text"]


def test_a_question_of_its_own_after_the_list_is_answered_not_read_as_narrowing_it(backend, index):
    messages = after_list(index, "孩子不听话怎么办")
    assert "有这些活动" not in said(messages)


def test_a_weekend_word_without_a_list_before_it_is_not_read_as_narrowing_one(backend, index):
    messages, _ = ask(index, "周末的最好", intent="nlu_fallback")
    assert "有这些活动" not in said(messages) and backend.calls == []


def test_when_the_backend_is_down_she_is_told(index, monkeypatch):
    monkeypatch.setattr(chat_activities, "default_backend", lambda: FakeActivities(down=True))
    messages, _ = ask(index, "最近有什么活动")
    assert "暂时连不上" in messages[0]["text"]


def run(action, text, slots=None, entities=()):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker([user_event(text, "signup_activity", entities=list(entities))], slots=slots)
    events = asyncio.run(action.run(dispatcher, tracker, domain()))
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def test_a_sign_up_button_opens_the_form_only_with_places_left():
    backend = FakeActivities()
    messages, slots = run(ActionActivitySignupStart(backend), "/signup_activity", entities=[
        {"entity": "activity_id", "value": "activity.a"}])
    assert messages[0]["text"].startswith("好的，报名《妈妈岗专场招聘会》") and slots["signup_open"] is True
    messages, slots = run(ActionActivitySignupStart(backend), "/signup_activity", entities=[
        {"entity": "activity_id", "value": "activity.c"}])
    assert "名额已经满了" in messages[0]["text"] and slots["signup_open"] is False


def validate(slot, value):
    form = ValidateActivitySignupForm()
    return getattr(form, f"validate_{slot}")(value, CollectingDispatcher(), make_tracker([]), domain())


def test_consent_is_read_before_anything_else_and_no_means_nothing_more_is_asked():
    assert validate("signup_consent", "/affirm") == {"signup_consent": "yes"}
    assert validate("signup_consent", "不同意") == {"signup_consent": "no"}
    assert validate("signup_consent", "嗯？") == {"signup_consent": None}
    form = ValidateActivitySignupForm()
    declined = make_tracker([], slots={"signup_consent": "no"})
    assert asyncio.run(form.required_slots(["signup_consent", "signup_name", "signup_phone"], CollectingDispatcher(),
                                           declined, domain())) == []
    assert domain()["forms"]["activity_signup_form"]["required_slots"][0] == "signup_consent"


def test_name_and_phone_are_checked():
    assert validate("signup_name", "陈女士") == {"signup_name": "陈女士"}
    assert validate("signup_name", "13800138000") == {"signup_name": None}
    assert validate("signup_phone", "138 0013 8000") == {"signup_phone": "13800138000"}
    assert validate("signup_phone", "12345") == {"signup_phone": None}
    assert validate("signup_phone", "取消")["signup_consent"] == "no"


def test_submitting_signs_her_up_tells_her_and_forgets_her_details_in_the_chat():
    backend = FakeActivities()
    slots = {"activity_id": "activity.a", "signup_consent": "yes", "signup_name": "陈女士", "signup_phone": "13800138000"}
    messages, set_slots = run(ActionActivitySignupSubmit(backend), "13800138000", slots)
    assert messages[0]["text"].startswith("报名成功！《妈妈岗专场招聘会》")
    assert messages[0]["buttons"][0]["payload"] == '/cancel_signup{"activity_id":"activity.a"}'
    assert backend.signed == {("activity.a", "woman-1"): ("陈女士", "13800138000")}
    assert set_slots["signup_name"] is None and set_slots["signup_phone"] is None


def test_without_consent_nothing_is_sent():
    backend = FakeActivities()
    messages, _ = run(ActionActivitySignupSubmit(backend), "不同意", {"activity_id": "activity.a", "signup_consent": "no"})
    assert "没有记录你的任何信息" in messages[0]["text"] and backend.signed == {}


def test_the_last_place_taken_meanwhile_is_told_honestly():
    backend = FakeActivities([dict(FAIR, places_left=0)])
    slots = {"activity_id": "activity.a", "signup_consent": "yes", "signup_name": "陈女士", "signup_phone": "13800138000"}
    messages, _ = run(ActionActivitySignupSubmit(backend), "13800138000", slots)
    assert "最后一个名额被报走了" in messages[0]["text"]


def test_she_can_cancel_by_button_or_by_saying_so(index, monkeypatch):
    backend = FakeActivities()
    backend.signed[("activity.a", "woman-1")] = ("陈女士", "13800138000")
    monkeypatch.setattr(chat_activities, "default_backend", lambda: backend)
    assert asks_to_cancel("我想取消报名")
    messages, _ = ask(index, "我想取消报名")
    assert messages[0]["buttons"] == [{"title": "取消报名：妈妈岗专场招聘会",
                                       "payload": '/cancel_signup{"activity_id":"activity.a"}'}]
    messages, _ = run(ActionActivityCancel(backend), "/cancel_signup", entities=[
        {"entity": "activity_id", "value": "activity.a"}])
    assert messages[0]["text"].startswith("已经取消《妈妈岗专场招聘会》的报名") and backend.signed == {}
    messages, _ = run(ActionActivityCancel(backend), "/cancel_signup", entities=[
        {"entity": "activity_id", "value": "activity.a"}])
    assert "没有找到你的这条报名" in messages[0]["text"]
    assert "报名" in said(messages)
