"""Safe exit, and the fear that he reads her phone.

"安全退出", "退出", "删掉记录", "他过来了 快删" (nlu/safe_exit.py): the
conversation goes quiet and she is told how to delete or hide it. When she comes
back with no question ("ok he left") she is welcomed back and reminded where the
conversation was; "刚才说到房子" or "要多久能批" carries on in the topic
(actions/answers.py `welcome_back`). It never opens
a handoff; a handoff already open stays open (the channels keep it too).
"我老公会翻我手机", "怎么删除聊天记录": she is not leaving, she is worried, so
she gets the ways to keep this chat hidden and the safe exit button, and the
conversation goes on. A message the classifier only guessed to be safe exit, with
no exit and no fear in its words ("我怕被穿小鞋" at 0.4), does not end the
conversation: it is answered as a question.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk.events import SlotSet

from actions.context import Turn, ask
from actions.her_turn import HerTurnAction, Reply
from bot.knowledge_index import KnowledgeIndex, default_index
from nlu.safe_exit import asks_to_exit, fears_being_read


SURE_EXIT = 0.8  # the classifier's confidence above which its safe exit stands without exit words


def wants_to_leave(turn: Turn) -> bool:
    """An exit command, or the safe exit button; a worry or a how-to question is not."""
    if turn.is_button or asks_to_exit(turn.text):
        return True
    return turn.confidence >= SURE_EXIT and not fears_being_read(turn.text) and not _asks_how(turn.text)


def worried(turn: Turn) -> bool:
    return fears_being_read(turn.text) or _asks_how(turn.text) and bool(re.search(r"删|清|记录|聊天|痕迹", turn.text))


def _asks_how(text: str) -> bool:
    return any(word in text for word in ("怎么", "如何", "怎样", "点样", "会不会", "能不能", "吗", "?"))


class ActionSafeExit(HerTurnAction):
    reads_withdrawals = False  # "快删掉" hides the chat; it does not take back her request

    def name(self) -> Text:
        return "action_safe_exit"

    def __init__(self, store=None, index: Optional[KnowledgeIndex] = None) -> None:
        super().__init__(store)
        self._index = index

    async def respond(self, turn: Turn, reply: Reply) -> List[Dict[Text, Any]]:
        if wants_to_leave(turn):
            reply.say_fresh("utter_safe_exit") or reply.say("好，我先不说话了。记得长按删除这个对话。")
            return [ask(None), SlotSet("person_request", None), SlotSet("left_at_turn", turn.number)]
        if not worried(turn) and turn.confidence < SURE_EXIT:  # a guess: her words are a question
            from actions.answers import answer_message  # noqa: PLC0415 - answers never imports this module

            return await answer_message(self, turn, reply, self._index or default_index(), guessed=True)
        reply.say_fresh("utter_phone_privacy") or reply.say(
            "聊完记得长按删除这个对话；他过来时发“安全退出”。", [{"title": "安全退出", "payload": "/safe_exit"}])
        return [ask(None)]
