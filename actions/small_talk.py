"""Greetings, thanks, goodbyes, "are you a bot", "what can you do".

Each is a short, fixed reply, but never the same long text twice in one
conversation: the first variant of the response she has not read yet is sent
(a woman waiting for a person may greet five times). While a handoff is open a
greeting says her request is being handled; after a danger, thanks are met with
a reminder to stay safe. A message the classifier only guessed to be small talk
("他12了 上六年级" read as goodbye at 0.12) is answered as a follow-up instead
when it asks something ("老师会管吗") or the topic in play has something to say to
it ("他12了 上六年级"); "好嘞" and "好 我等电话" stay small talk. While her request
is open, a guessed goodbye that says more ("我再说下 我晚上十点下班后才有空接电话") is
something for the person who will answer: it is noted (and passed on), not a farewell.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk.events import SlotSet

from actions.context import Turn, ask
from actions.her_turn import HerTurnAction, Reply
from actions.topic_answers import answer_in_topic
from bot.knowledge_index import KnowledgeIndex, default_index

RESPONSES = {
    "greet": "utter_greet",
    "goodbye": "utter_goodbye",
    "thanks": "utter_you_are_welcome",
    "bot_challenge": "utter_iamabot",
    "ask_capabilities": "utter_capabilities",
}
SHORT_FALLBACK = {"greet": "在的。", "thanks": "不客气。", "bot_challenge": "我是智能助手，不是真人。",
                  "goodbye": "好的，照顾好自己。", "ask_capabilities": "法律、创业、孩子、生活困难的事都可以问我。"}
GUESS = 0.4  # below this the classifier only guessed small talk
SAYS_MORE = 8  # characters: a guessed small talk this long says something, while a request is open
QUESTION = re.compile(r"吗|嘛|呢|怎么|什么|啥|哪|多少|几|能不能|会不会|可不可以|要不要|有没有|[?？]"
                      r"|\b(where|how|what|when|can|do|does|is|should)\b", re.IGNORECASE)


class ActionSmallTalk(HerTurnAction):
    def __init__(self, store=None, index: Optional[KnowledgeIndex] = None) -> None:
        super().__init__(store)
        self._index = index

    def name(self) -> Text:
        return "action_small_talk"

    async def respond(self, turn: Turn, reply: Reply) -> List[Dict[Text, Any]]:
        topic = turn.topic or {}
        if turn.confidence < GUESS and topic.get("area") and not turn.is_button:
            index = self._index or default_index()
            if QUESTION.search(turn.text):  # "老师会管吗", "where to apply": a question in the topic
                from actions.answers import answer_message  # noqa: PLC0415 - answers never imports this module

                return await answer_message(self, turn, reply, index, guessed=True)
            entry = next((e for e in index.knowledge.faq if e.id == topic.get("faq_id")), None)
            answered = answer_in_topic(turn, reply, index, entry, topic["area"]) if not topic.get("crisis") else None
            if answered is not None:  # "他12了 上六年级": a follow-up, not a goodbye
                return answered
        if turn.confidence < GUESS and turn.handoff_open and not turn.is_button and len(turn.text) >= SAYS_MORE:
            reply.say_response("utter_handoff_noted")  # the note that it was passed on follows
            return [ask(None)] + ([SlotSet("service_area", topic["area"])] if topic.get("area") else [])
        name = self.response_for(turn)
        if not reply.say_fresh(name):
            reply.say(SHORT_FALLBACK.get(turn.intent, "好的。"))
        return [ask(None)]

    @staticmethod
    def response_for(turn: Turn) -> str:
        if turn.intent == "greet" and turn.handoff_open:
            return "utter_greet_waiting"
        if turn.intent == "thanks" and turn.episode:
            return "utter_you_are_welcome_after_danger"
        return RESPONSES.get(turn.intent, "utter_anything_else")
