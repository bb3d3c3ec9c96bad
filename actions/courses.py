"""Courses in the chat: one short line of one or two fitting courses after an answer,
and a short list for 「有没有…的课」「有什么课」 (catalogue/courses.py holds the courses).

A recommendation is a line added to the answer's basis message, never a message of its
own: a reply stays at most three messages (actions/her_turn.py `Reply`). A title she
has already been shown is not offered again, and nothing is offered inside a crisis.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any, Dict, List, Optional, Sequence, Text

from assistant_contract.areas import AREAS
from assistant_contract.catalogue.courses import (
    KINDS, LIFE_STAGE_TITLES, LIFE_STAGES, Course, read_courses, recommend, search, subject_of,
)
from rasa_sdk.events import SlotSet

from actions.context import Turn, answered_intent, ask
from actions.her_turn import HerTurnAction, Reply

MAX_LISTED = 3
COURSE_WORDS = re.compile(r"课|学习资料|学习材料|知识库|文章")
COURSE_ASKS = re.compile(r"有没有|有冇|有无|有什么|有啥|有哪些|有乜|推荐|想学|想听|想看|想了解")
COURSE_OTHER = re.compile(r"报名|多少钱|收费|收钱|靠谱|什么时候|几点|链接|证书|上课时间|功课|上课.{0,4}(打|睡|玩)|老师")


@lru_cache(maxsize=1)
def default_courses() -> Sequence[Course]:
    return read_courses()


def course_button(course: Course, prefix: str = "") -> Dict[str, str]:
    payload = "/choose_course" + json.dumps({"course_id": course.id}, ensure_ascii=False, separators=(",", ":"))
    return {"title": f"{prefix}{course.title}", "payload": payload}


def stage_buttons() -> List[Dict[str, str]]:
    return [{"title": LIFE_STAGE_TITLES[stage],
             "payload": "/choose_course" + json.dumps({"life_stage": stage}, separators=(",", ":"))}
            for stage in LIFE_STAGES]


def _answered_faq(events: List[Dict[str, Any]]) -> Optional[str]:
    return next((e["value"] for e in events if e.get("event") == "slot" and e.get("name") == "last_faq_id"
                 and e.get("value")), None)


def fits(course: Course, intent: Optional[str], words: str) -> bool:
    """A course fits when it is about her intent or names what she said: a course that
    only shares the area, or a word or two, would read as an advertisement."""
    return bool(intent and intent in course.intents) or any(keyword in words for keyword in course.keywords)


def _her_words(turn: Turn, faq_id: str) -> str:
    """What she asked: her words, or for a question button the question it stands for."""
    if not turn.is_button:
        return turn.text
    from bot.knowledge_index import default_index  # noqa: PLC0415 - loaded once, by the answering actions

    entry = next((e for e in default_index().knowledge.faq if e.id == faq_id), None)
    return entry.question if entry else ""


def add_after_answer(turn: Turn, reply: Reply, events: List[Dict[str, Any]],
                     courses: Optional[Sequence[Course]] = None) -> Optional[List[Course]]:
    """After an FAQ answer: one line naming one or two courses that fit, with a button each.
    Nothing when no answer was given, in a crisis, or when nothing fits her question."""
    faq_id = _answered_faq(events)
    if not faq_id or turn.episode or turn.in_crisis_frame or not reply.messages:
        return None
    courses = courses if courses is not None else default_courses()
    said = " ".join(turn.said()) + " ".join(m["text"] for m in reply.messages)
    area = next((e["value"] for e in events if e.get("event") == "slot" and e.get("name") == "service_area"), None)
    intent, words = answered_intent(turn, events), _her_words(turn, faq_id)
    found = [c for c in recommend(courses, area=area, intent=intent, text=words, limit=len(courses),
                                  exclude=[c.id for c in courses if f"《{c.title}》" in said])
             if fits(c, intent, words)][:2]
    if not found:
        return None
    line = "📚 想多了解，可以看看：" + "".join(f"《{c.title}》" for c in found)
    # the basis message, before the feedback question and its buttons
    target = reply.messages[-2] if len(reply.messages) >= 2 and reply.messages[-1]["buttons"] else reply.messages[-1]
    target["text"] += "\n" + line
    target["buttons"] = list(target["buttons"]) + [course_button(c, "看看") for c in found]
    return found


def list_for(text: str, courses: Sequence[Course]) -> Dict[str, Any]:
    """The reply to 「有没有…的课」: a short list with a button each, or the life stages."""
    subject = subject_of(text)
    found = search(courses, text, limit=MAX_LISTED) if subject else []
    if found:
        about = f"“{subject}”" if len(subject) <= 8 and " " not in subject else "你问的"
        lines = [f"有的，和{about}有关的有这些："]
        lines += [f"{n}.《{c.title}》（{KINDS[c.kind]}）" for n, c in enumerate(found, start=1)]
        lines.append("点一下就能看介绍。")
        areas = {c.area for c in found}
        return {"text": "\n".join(lines), "buttons": [course_button(c) for c in found],
                "area": areas.pop() if len(areas) == 1 else None}
    if subject:
        return {"text": f"暂时没有专门讲“{subject}”的课。妇联的公开课和知识库按人生阶段分类，你可以选一个阶段看看：",
                "buttons": stage_buttons()}
    return {"text": "妇联的公开课和知识库文章按人生阶段分类，选一个看看有哪些：", "buttons": stage_buttons()}


def show(course_id: Optional[str], life_stage: Optional[str], courses: Sequence[Course]) -> List[Dict[str, Any]]:
    """A course's whole description, or the titles of one life stage."""
    chosen = next((c for c in courses if c.id == course_id), None)
    if chosen is not None:
        text = chosen.full_text()
        head, _, rest = text.partition("\n\n")
        return [{"text": head + "\n" + rest.split("\n\n", 1)[0], "buttons": []},
                {"text": "\n".join(part for part in rest.split("\n\n")[1:] if part), "buttons": []}]
    if life_stage in LIFE_STAGES:
        titles = [c for c in courses if c.life_stage == life_stage]
        return [{"text": f"{LIFE_STAGE_TITLES[life_stage]}的课程和文章有这些，点一下看介绍：",
                 "buttons": [course_button(c) for c in titles]}]
    return [list_for("", courses)]


def asks_for_courses(text: str) -> bool:
    """「有没有讲产假的课」「有什么课」「推荐点学习资料」; not 「课程怎么报名」「网课靠谱吗」."""
    return bool(COURSE_WORDS.search(text) and COURSE_ASKS.search(text) and not COURSE_OTHER.search(text))


def course_request(turn: Turn, reply: Reply, courses: Optional[Sequence[Course]] = None
                   ) -> Optional[List[Dict[Text, Any]]]:
    """The short list for a request for courses; None when the message is not one, or
    names a subject no course is about (the answer to her question is then better)."""
    if turn.is_button or turn.episode or not asks_for_courses(turn.text):
        return None
    courses = courses if courses is not None else default_courses()
    if subject_of(turn.text) and not search(courses, turn.text):
        return None
    listed = list_for(turn.text, courses)
    reply.say(listed["text"], listed["buttons"])
    area = listed.get("area")  # the courses listed are of one area: her request is of it too
    return [ask(None)] + ([SlotSet("service_area", area)] if area in AREAS else [])


class ActionCourseShow(HerTurnAction):
    """A course button: its description; a life-stage button: its titles."""

    def __init__(self, store=None, courses: Optional[Sequence[Course]] = None) -> None:
        super().__init__(store)
        self._courses = courses

    def name(self) -> Text:
        return "action_course_show"

    async def respond(self, turn: Turn, reply: Reply) -> List[Dict[Text, Any]]:
        entities = {e.get("entity"): e.get("value") for e in turn.tracker.latest_message.get("entities") or []}
        for message in show(entities.get("course_id"), entities.get("life_stage"), self._courses or default_courses()):
            reply.say(message["text"], message["buttons"])
        return [ask(None)]
