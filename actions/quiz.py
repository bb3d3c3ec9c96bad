"""执委学堂 in the chat: a cadre whose chat is bound (the grid binding: 「绑定 123456」,
actions/grid_binding.py) picks a topic and takes a short quiz, one question at a time with
buttons; each answer gets its feedback at once (right or not, why, and the article of law),
and the score at the end is kept in the routing backend (routing/study.py).

「执委学堂」「考考我」 have no intent of their own: the answering action asks `study_request`
first, a pattern, as for courses and activities. The questions are the catalogue's
(assistant_contract/catalogue/quiz.py), with their sources.
"""
from __future__ import annotations

import json
import logging
import random
import re
from functools import lru_cache
from typing import Any, Dict, List, Optional, Text

from assistant_contract.catalogue.quiz import LETTERS, QuizTopic, read_quiz
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.context import Turn, ask
from actions.grid_binding import binding_of
from actions.her_turn import Reply
from actions.routing_client import RoutingClient
from actions.routing_protocol import GridReporting
from bot.settings import Settings

logger = logging.getLogger(__name__)

QUIZ_LENGTH = 5
ASKS = re.compile(r"执委学堂|考考我|做题|答题|小测验|做测验|学习角")
NOT_BOUND = ("执委学堂是给各级妇联执委和工作人员的学习角：学一个主题，再做几道题。"
             "请先绑定你的账号：把管理员给你的6位绑定码发给我，比如「绑定 123456」。")


class StudyClient(RoutingClient):
    async def record_study_result(self, conversation_id: str, topic: str, score: int, total: int) -> None:
        body = {"conversation_id": conversation_id, "topic": topic, "score": score, "total": total}
        await self._answer("POST", "/api/v1/study/results", json=body)


def default_client() -> StudyClient:
    settings = Settings.from_env()
    return StudyClient(settings.routing_url, settings.routing_token)


@lru_cache(maxsize=1)
def default_topics() -> Dict[str, QuizTopic]:
    return read_quiz()


def topic_buttons(topics: Dict[str, QuizTopic]) -> List[Dict[str, str]]:
    return [{"title": topic.title, "payload": "/quiz_start" + json.dumps({"quiz_topic": key}, separators=(",", ":"))}
            for key, topic in topics.items()]


def answer_buttons(question) -> List[Dict[str, str]]:
    return [{"title": f"{LETTERS[i]}. {option}",
             "payload": "/quiz_answer" + json.dumps({"quiz_choice": LETTERS[i], "question_id": question.id},
                                                    ensure_ascii=False, separators=(",", ":"))}
            for i, option in enumerate(question.options)]


async def study_request(turn: Turn, reply: Reply, backend: Optional[GridReporting] = None,
                        topics: Optional[Dict[str, QuizTopic]] = None) -> Optional[List[Dict[str, Any]]]:
    """「执委学堂」: the topics for a bound cadre, how to bind for anyone else; None otherwise."""
    if turn.is_button or turn.episode or not ASKS.search(turn.text):
        return None
    try:
        if backend is None:
            from actions.grid_outbox import default_grid_sender  # noqa: PLC0415 - built on first use

            backend = default_grid_sender().backend
        binding = await binding_of(turn.tracker, backend)
    except Exception:  # noqa: BLE001 - she still gets an answer
        logger.warning("binding of %s not checked", turn.tracker.sender_id, exc_info=True)
        reply.say("系统暂时连不上，没法确认你的账号。请过几分钟再发「执委学堂」。")
        return [ask(None)]
    if binding is None:
        reply.say(NOT_BOUND)
        return [ask(None)]
    reply.say(f"欢迎来到执委学堂！选一个主题，每次{QUIZ_LENGTH}道题，答完一题马上告诉你对错、理由和法律依据：",
              topic_buttons(topics or default_topics()))
    return [ask(None)]


class ActionQuizStart(Action):
    """A topic button: the first question of a short quiz on it."""

    def __init__(self, topics: Optional[Dict[str, QuizTopic]] = None) -> None:
        self._topics = topics

    def name(self) -> Text:
        return "action_quiz_start"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        topics = self._topics or default_topics()
        key = next(tracker.get_latest_entity_values("quiz_topic"), None)
        topic = topics.get(key or "")
        if topic is None:
            dispatcher.utter_message(text="请选一个主题：", buttons=topic_buttons(topics))
            return []
        chooser = random.Random(f"{tracker.sender_id}|{key}|{len(tracker.events)}")
        chosen = chooser.sample(list(topic.questions), min(QUIZ_LENGTH, len(topic.questions)))
        first = chosen[0]
        dispatcher.utter_message(text=f"《{topic.title}》共{len(chosen)}道题，开始吧。\n第1题：{first.prompt()}",
                                 buttons=answer_buttons(first))
        return [SlotSet("quiz", {"topic": key, "ids": [q.id for q in chosen], "at": 0, "score": 0})]


class ActionQuizAnswer(Action):
    """An answer button: feedback at once, then the next question or the score."""

    def __init__(self, topics: Optional[Dict[str, QuizTopic]] = None, client: Optional[StudyClient] = None) -> None:
        self._topics = topics
        self._client = client

    def name(self) -> Text:
        return "action_quiz_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        quiz = tracker.get_slot("quiz")
        choice = next(tracker.get_latest_entity_values("quiz_choice"), None)
        answered = next(tracker.get_latest_entity_values("question_id"), None)
        if not isinstance(quiz, dict) or quiz.get("at", 0) >= len(quiz.get("ids") or []):
            dispatcher.utter_message(text="这次测验已经结束了。发「执委学堂」可以再选一个主题。")
            return []
        topic = (self._topics or default_topics())[quiz["topic"]]
        by_id = {q.id: q for q in topic.questions}
        question = by_id[quiz["ids"][quiz["at"]]]
        if answered != question.id or not choice:
            dispatcher.utter_message(text="这道题已经答过了，请回答当前这道：\n" + question.prompt(),
                                     buttons=answer_buttons(question))
            return []
        score = quiz["score"] + (1 if question.is_right(choice) else 0)
        at = quiz["at"] + 1
        dispatcher.utter_message(text=question.feedback(choice))
        state = dict(quiz, at=at, score=score)
        if at < len(quiz["ids"]):
            following = by_id[quiz["ids"][at]]
            dispatcher.utter_message(text=f"第{at + 1}题：{following.prompt()}", buttons=answer_buttons(following))
            return [SlotSet("quiz", state)]
        total = len(quiz["ids"])
        saved = await self._save(tracker.sender_id, quiz["topic"], score, total)
        dispatcher.utter_message(text=f"测验完成！《{topic.title}》答对 {score}/{total} 题。"
                                      + ("成绩已记录。" if saved else "成绩暂时没能保存，稍后再做一次也可以。")
                                      + "发「执委学堂」可以换个主题继续。")
        return [SlotSet("quiz", None)]

    async def _save(self, conversation_id: str, topic: str, score: int, total: int) -> bool:
        try:
            await (self._client or default_client()).record_study_result(conversation_id, topic, score, total)
            return True
        except Exception:  # noqa: BLE001 - the score was shown to her; keeping it is second
            logger.warning("study result of %s not recorded", conversation_id, exc_info=True)
            return False
