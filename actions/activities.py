"""Activities in the chat: 「最近有什么活动」 (near her, this week, for her child, for
entrepreneurs) gets a short list with places left; a sign-up button starts a form that
asks for her consent BEFORE her name and phone; she is told the outcome, and can cancel.

「最近有什么活动」 has no intent of its own (the classifier reads it as volunteering or a
service question): the answering action asks `activity_request` first, a pattern. The
routing backend keeps the activities and counts the places (routing/activities.py).
"""
from __future__ import annotations

import json
import logging
import re
from datetime import datetime
from typing import Any, Dict, List, Optional, Text

from assistant_contract.catalogue.local_services import city_of
from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.activity_client import ALREADY, FULL, GONE, SIGNED_UP, ActivityBackend, ActivityClient
from actions.context import Turn, ask, set_topic
from actions.her_turn import Reply
from bot.settings import Settings
from nlu.text import normalize

logger = logging.getLogger(__name__)

MAX_LISTED = 3
ASKS = re.compile(r"有什么|有啥|有没有|有冇|有咩|有哪些|有乜|最近|近期|这周|本周|这个?星期|这礼拜|周末|下周|这个月|本月|"
                  r"想参加|可以参加|能参加|推荐|报名")
ORGANISES = re.compile(r"组织|举办|申请|对接|搞个|怎么办活动|合作")
CANCELS = re.compile(r"取消.{0,6}报名|报名.{0,6}取消|不去了|去不了|退出报名|我的报名|我报了")
PHONE = re.compile(r"1[3-9]\d{9}")
YES = re.compile(r"^/affirm|同意|可以|好的?|行|是的?|愿意|ok", re.IGNORECASE)  # explicit: 「嗯？」 is not consent
NO = re.compile(r"^/deny|不同意|不愿意|不要|不用|不了|算了|不报|取消|拒绝")
WITHIN_DAYS = ((re.compile(r"今天|今日"), 1), (re.compile(r"明天|听日"), 2),
               (re.compile(r"这周|本周|这个?星期|这礼拜|呢个星期"), 7), (re.compile(r"下周|下个?星期"), 14),
               (re.compile(r"这个月|本月"), 31))
WEEKEND = re.compile(r"周末|星期六|星期天|星期日|周六|周日|礼拜六|礼拜天|礼拜日|双休")
ONLINE = re.compile(r"线上|网上|在家|手机上")
LIST_HEAD = "有这些活动："
NONE_FOUND = "暂时没有找到合适的活动"
QUESTION_OF_ITS_OWN = re.compile(r"怎么|为什么|为啥|咋|如何|怎样|点算|点解|能不能|可不可以|可以不|该不该")
MAX_REFINEMENT = 20  # characters: 「周末的最好」「有没有带孩子的」, not a new question
WANTS = {"孩子": ("孩子", "小孩", "亲子", "带娃", "儿童", "细路", "女儿", "儿子"), "创业": ("创业", "开店", "做生意", "网店", "电商"),
         "找工作": ("找工作", "上班", "招聘", "就业"), "健康": ("健康", "体检", "筛查"), "老人": ("老人", "养老", "照顾")}
WEEKDAYS = "一二三四五六日"
SAMPLE_NOTE = "（示例活动，正式上线后以各级妇联发布的活动为准）"


def default_backend() -> ActivityBackend:
    settings = Settings.from_env()
    return ActivityClient(settings.routing_url, settings.routing_token)


def asks_for_activities(text: str) -> bool:
    return "活动" in text and bool(ASKS.search(text)) and not ORGANISES.search(text)


def refines(text: str) -> bool:
    """A time, a kind of activity or 'online' she adds to a list just shown (「周末的最好」
    「有带孩子的吗」); not a question of its own (「孩子不听话怎么办」)."""
    if QUESTION_OF_ITS_OWN.search(text):
        return False
    wants = "的" in text and any(word in text for said in WANTS.values() for word in said)
    return bool(WEEKEND.search(text) or ONLINE.search(text) or within_days(text) or wants)


def refinement_of_list(turn: Turn) -> Optional[str]:
    """After an activity list, a short message that narrows it: her request and this one
    together (「最近有什么活动」 + 「周末的最好」); None otherwise."""
    said = turn.said()
    if not said or not (LIST_HEAD in said[-1] or NONE_FOUND in said[-1]):
        return None
    if len(turn.text) > MAX_REFINEMENT or not refines(turn.text):
        return None
    earlier = [e for e in turn.tracker.events if e.get("event") == "user"][:-1]
    asked = next((normalize(str(e.get("text") or ""), max_chars=None) for e in reversed(earlier)
                  if asks_for_activities(normalize(str(e.get("text") or ""), max_chars=None))), "")
    return f"{asked} {turn.text}".strip()


def asks_to_cancel(text: str) -> bool:
    return "报名" in text and bool(CANCELS.search(text)) or "活动" in text and bool(CANCELS.search(text))


def within_days(text: str) -> Optional[int]:
    return next((days for pattern, days in WITHIN_DAYS if pattern.search(text)), None)


def wanted(text: str, items: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The activities about what she named (孩子, 创业 …); all of them when she named nothing they are about."""
    words = {word for word, said in WANTS.items() if any(s in text for s in said)}
    words |= {k for item in items for k in item.get("keywords") or [] if k in text}
    about = [item for item in items if words & set(item.get("keywords") or [])]
    return about if words else items


def _starts(item: Dict[str, Any]) -> datetime:
    return datetime.fromisoformat(str(item["starts_at"]).replace("Z", "+00:00"))


def when(item: Dict[str, Any]) -> str:
    start = _starts(item)
    return f"{start.month}月{start.day}日（周{WEEKDAYS[start.weekday()]}）{start:%H:%M}"


def where(item: Dict[str, Any]) -> str:
    return "线上" if item.get("online") else f"{item.get('city', '')}·{item.get('place') or ''}"


def line(number: int, item: Dict[str, Any]) -> str:
    places = f"还剩{item['places_left']}个名额" if item["places_left"] > 0 else "名额已满"
    return f"{number}.《{item['title']}》{when(item)}，{where(item)}，{places}"


def short_title(item: Dict[str, Any], limit: int = 18) -> str:
    title = str(item["title"])
    return title if len(title) <= limit else title[: limit - 1] + "…"


def signup_button(item: Dict[str, Any]) -> Dict[str, str]:
    payload = "/signup_activity" + json.dumps({"activity_id": item["id"]}, separators=(",", ":"))
    return {"title": f"报名：{short_title(item)}", "payload": payload}


def cancel_button(item: Dict[str, Any]) -> Dict[str, str]:
    payload = "/cancel_signup" + json.dumps({"activity_id": item["id"]}, separators=(",", ":"))
    return {"title": f"取消报名：{short_title(item)}", "payload": payload}


async def activity_request(turn: Turn, reply: Reply, backend: Optional[ActivityBackend] = None
                           ) -> Optional[List[Dict[str, Any]]]:
    """「最近有什么活动」「这周有没有带孩子的活动」「取消报名」: the list (or her sign-ups);
    None when the message is not about joining an activity."""
    text = turn.text
    if turn.is_button or turn.episode:
        return None
    narrowed = refinement_of_list(turn)
    text = narrowed or text
    if not (asks_to_cancel(text) or asks_for_activities(text) or narrowed):
        return None
    backend = backend or default_backend()
    try:
        if asks_to_cancel(text):
            return await _her_signups(turn, reply, backend)
        events = await _list(turn, reply, backend, text)
        # the area she asked in (志愿活动 → care) stays the topic while she narrows the list
        area = turn.category or ((turn.topic or {}).get("area") if narrowed else None)
        return events + (set_topic(turn, area, turn.intent if turn.category else None) if area else [])
    except Exception:  # noqa: BLE001 - down or refused: say so, never leave her without an answer
        logger.warning("activities unavailable for %s", turn.tracker.sender_id, exc_info=True)
        reply.say("活动报名系统暂时连不上，请过几分钟再问我一次。也可以直接联系当地妇联了解最近的活动。")
        return [ask(None)]


async def _list(turn: Turn, reply: Reply, backend: ActivityBackend, text: str) -> List[Dict[str, Any]]:
    days = within_days(text)
    city = city_of(turn.tracker.get_slot("region"))
    items = wanted(text, await backend.upcoming(city=city, within_days=days or 30))
    if WEEKEND.search(text):
        items = [i for i in items if _starts(i).weekday() >= 5]
    if ONLINE.search(text):
        items = [i for i in items if i.get("online")]
    items = items[:MAX_LISTED]
    period = {1: "今天", 2: "这两天", 7: "这一周", 14: "两周内", 31: "这个月"}.get(days, "最近")
    if WEEKEND.search(text):
        period = {7: "这周末", 14: "两周内的周末"}.get(days, "周末")
    place = "线上" if ONLINE.search(text) else city or "全省"
    if not items:
        reply.say(f"{period}{place}{NONE_FOUND}。各级妇联会陆续发布新活动，过几天可以再问我；"
                  "也可以关注当地妇联的公众号。")
        return [ask(None)]
    online_too = "和线上" if city and place == city else ""
    lines = [f"{period}{place}{online_too}{LIST_HEAD}"] + [line(n, i) for n, i in enumerate(items, 1)]
    if not city:
        lines.append("告诉我你在哪个市，我可以帮你挑离你近的。")
    if any(i.get("sample") for i in items):
        lines.append(SAMPLE_NOTE)
    reply.say("\n".join(lines), [signup_button(i) for i in items if i["places_left"] > 0])
    return [ask(None)]


async def _her_signups(turn: Turn, reply: Reply, backend: ActivityBackend) -> List[Dict[str, Any]]:
    mine = await backend.signups_of(turn.tracker.sender_id)
    if not mine:
        reply.say("你现在没有报名任何活动。想看看最近有什么活动，可以问我“最近有什么活动”。")
        return [ask(None)]
    lines = ["你报名了这些活动，想取消哪一个，点一下就行："] + [line(n, i).split("，还剩")[0].split("，名额")[0]
                                                              for n, i in enumerate(mine, 1)]
    reply.say("\n".join(lines), [cancel_button(i) for i in mine])
    return [ask(None)]


def _latest_entity(tracker: Tracker, name: str) -> Optional[str]:
    return next(tracker.get_latest_entity_values(name), None)


class ActionActivitySignupStart(Action):
    """A sign-up button: the form starts when the activity still has places."""

    def __init__(self, backend: Optional[ActivityBackend] = None) -> None:
        self._backend = backend

    def name(self) -> Text:
        return "action_activity_signup_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        activity_id = _latest_entity(tracker, "activity_id") or tracker.get_slot("activity_id")
        closed = [SlotSet("signup_open", False), SlotSet("activity_id", None)]
        backend = self._backend or default_backend()
        try:
            item = await backend.activity(activity_id) if activity_id else None
            mine = {i["id"] for i in await backend.signups_of(tracker.sender_id)} if item else set()
        except Exception:  # noqa: BLE001
            logger.warning("activity %s unavailable", activity_id, exc_info=True)
            dispatcher.utter_message(text="活动报名系统暂时连不上，这次没能报名。请过几分钟再点一次报名按钮。")
            return closed
        if item is None or datetime.fromisoformat(str(item["ends_at"])) <= datetime.now().astimezone():
            dispatcher.utter_message(text="这个活动已经结束或者取消了。问我“最近有什么活动”可以看看别的。")
            return closed
        if item["id"] in mine:
            dispatcher.utter_message(text=f"你已经报名了《{item['title']}》，不用再报一次。", buttons=[cancel_button(item)])
            return closed
        if item["places_left"] <= 0:
            dispatcher.utter_message(text=f"《{item['title']}》的名额已经满了，抱歉。问我“最近有什么活动”可以看看别的。")
            return closed
        dispatcher.utter_message(text=f"好的，报名《{item['title']}》：{when(item)}，{where(item)}。")
        return [SlotSet("activity_id", item["id"]), SlotSet("signup_open", True), SlotSet("signup_consent", None),
                SlotSet("signup_name", None), SlotSet("signup_phone", None)]


class ValidateActivitySignupForm(FormValidationAction):
    """Consent first; without it, no name and no phone are asked for and the form ends."""

    def name(self) -> Text:
        return "validate_activity_signup_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> List[Text]:
        return [] if tracker.get_slot("signup_consent") == "no" else domain_slots

    def validate_signup_consent(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> Dict[Text, Any]:
        text = str(value or "").strip()
        if NO.search(text):
            return {"signup_consent": "no"}
        if YES.search(text) and not re.search(r"[？?吗]", text):
            return {"signup_consent": "yes"}
        dispatcher.utter_message(text="请回答“同意”或者“不同意”。不同意的话，我不会记录你的任何信息。")
        return {"signup_consent": None}

    def validate_signup_name(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> Dict[Text, Any]:
        text = str(value or "").strip()
        if NO.fullmatch(text) or text in ("取消", "不报了"):
            return {"signup_consent": "no", "signup_name": None}
        if not text or len(text) > 20 or PHONE.search(text) or text.startswith("/"):
            dispatcher.utter_message(text="称呼写短一点就好，比如“陈女士”。")
            return {"signup_name": None}
        return {"signup_name": text}

    def validate_signup_phone(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> Dict[Text, Any]:
        text = re.sub(r"[\s-]", "", str(value or ""))
        if text in ("取消", "不报了") or NO.fullmatch(text):
            return {"signup_consent": "no", "signup_phone": None, "signup_name": None}
        found = PHONE.search(text)
        if not found:
            dispatcher.utter_message(text="这个号码好像不对，请发11位手机号，比如 138 0013 8000。不想留了可以回复“取消”。")
            return {"signup_phone": None}
        return {"signup_phone": found.group()}


class ActionActivitySignupSubmit(Action):
    """After the form: signed up (or not), and she is told which."""

    def __init__(self, backend: Optional[ActivityBackend] = None) -> None:
        self._backend = backend

    def name(self) -> Text:
        return "action_activity_signup_submit"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        forget = [SlotSet("signup_name", None), SlotSet("signup_phone", None), SlotSet("signup_consent", None),
                  SlotSet("signup_open", None)]
        activity_id = tracker.get_slot("activity_id")
        if tracker.get_slot("signup_consent") != "yes" or not activity_id:
            dispatcher.utter_message(text="好的，没有报名，也没有记录你的任何信息。以后想报名，再点报名按钮就行。")
            return forget
        channel = (tracker.get_latest_input_channel() or None)
        try:
            outcome = await (self._backend or default_backend()).sign_up(
                activity_id, tracker.sender_id, channel, tracker.get_slot("signup_name"), tracker.get_slot("signup_phone"))
        except Exception:  # noqa: BLE001
            logger.warning("sign-up for %s not recorded", activity_id, exc_info=True)
            dispatcher.utter_message(text="抱歉，报名系统暂时连不上，这次没有报上名，你的信息也没有保存。请过几分钟再点一次报名按钮。")
            return forget
        item = outcome.get("activity") or {}
        if outcome["status"] in (SIGNED_UP, ALREADY):
            dispatcher.utter_message(
                text=f"报名成功！《{item.get('title')}》{when(item)}，{where(item)}。主办方会用你留的手机号联系你。"
                     "如果去不了，点下面的按钮取消，把名额让给别人。", buttons=[cancel_button(item)])
        elif outcome["status"] == FULL:
            dispatcher.utter_message(text="很抱歉，就在刚才最后一个名额被报走了，这次没有报上，你的信息也没有保存。"
                                          "问我“最近有什么活动”可以看看别的。")
        elif outcome["status"] == GONE:
            dispatcher.utter_message(text="这个活动已经结束或者取消了，没有报上，你的信息也没有保存。")
        return forget


class ActionActivityCancel(Action):
    """A cancel button: her sign-up taken back, its place freed."""

    def __init__(self, backend: Optional[ActivityBackend] = None) -> None:
        self._backend = backend

    def name(self) -> Text:
        return "action_activity_cancel"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        activity_id = _latest_entity(tracker, "activity_id")
        try:
            outcome = await (self._backend or default_backend()).cancel(activity_id, tracker.sender_id) \
                if activity_id else None
        except Exception:  # noqa: BLE001
            logger.warning("cancellation of %s not recorded", activity_id, exc_info=True)
            dispatcher.utter_message(text="抱歉，系统暂时连不上，这次没能取消。请过几分钟再点一次取消按钮。")
            return []
        if outcome is None:
            dispatcher.utter_message(text="没有找到你的这条报名，可能已经取消过了。")
        else:
            dispatcher.utter_message(text=f"已经取消《{outcome['activity']['title']}》的报名，名额会让给其他姐妹。")
        return [SlotSet("activity_id", None)]
