"""好 / 不用 / 嗯 / 算了: the answer to the question the assistant asked last.

A bare yes or no means nothing on its own. The question is kept in
`pending_question` by whichever reply asked it:
- 你现在安全吗 (crisis): yes → what fits now for that danger; no → the
  emergency numbers again, shorter;
- 要我帮你转接专家吗: yes → the handoff, routed by the topic; no → fine;
- 这个回答对你有帮助吗: the feedback;
- 先说说是什么事 / 是想转人工吗 (a person was asked for): no → nothing opens;
  yes → it opens;
- nothing asked: a short acknowledgement (inside a crisis episode: the episode).
A yes or no with more words ("算了 还是先不离了 想问问他不给家用怎么办",
"不对 我是要律师 离婚的事") is answered for the more words.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk.events import SlotSet

from actions.context import (
    ANSWER_FEEDBACK,
    CRISIS_SAFETY,
    EXPERT_OFFER,
    HANDOFF_CONFIRM,
    HANDOFF_TOPIC,
    Turn,
    ask,
)
from actions.crisis_followup import NOT_SAFE, SAFE_NOW, respond_in_episode
from actions.handoff import open_for_message
from actions.her_turn import HerTurnAction, Reply
from actions.person_request import person_request, takes_back
from actions.topic_answers import strip_yes_no
from bot.knowledge_index import KnowledgeIndex, default_index

MORE_WORDS = 4  # characters beyond the yes/no that make a message worth reading for itself


class ActionAnswerYesNo(HerTurnAction):
    def __init__(self, store=None, index: Optional[KnowledgeIndex] = None) -> None:
        super().__init__(store)
        self._index = index

    def name(self) -> Text:
        return "action_answer_yes_no"

    async def respond(self, turn: Turn, reply: Reply) -> List[Dict[Text, Any]]:
        index = self._index or default_index()
        yes = turn.intent == "affirm"
        pending = turn.pending
        rest = strip_yes_no(turn.text)
        if len(rest) >= MORE_WORDS and not takes_back(turn.text) and not turn.is_button:
            from actions.answers import answer_message  # noqa: PLC0415 - answers imports this module's peers
            return await answer_message(self, turn, reply, index, words=rest, guessed=True)
        if pending == CRISIS_SAFETY or (turn.in_crisis_frame and pending is None):
            return respond_in_episode(turn, reply, index, SAFE_NOW if yes else NOT_SAFE)
        if pending in (HANDOFF_TOPIC, HANDOFF_CONFIRM) or turn.person_request:
            if yes or person_request(turn.text):
                return await open_for_message(turn, reply, self.store, index, person_request(turn.text))
            reply.say_response("utter_handoff_not_opened")
            return [SlotSet("person_request", None), ask(None)]
        if pending == EXPERT_OFFER:
            if yes:
                return await open_for_message(turn, reply, self.store, index, None)
            reply.say_response("utter_anything_else")
            return [ask(None)]
        if pending == ANSWER_FEEDBACK:
            reply.say_response("utter_feedback_thanks" if yes else "utter_feedback_sorry")
            return [ask(None if yes else EXPERT_OFFER), SlotSet("last_feedback", {
                "faq_id": turn.tracker.get_slot("last_faq_id"), "helpful": yes})]
        reply.say_fresh("utter_anything_else") or reply.say("好的。")
        return [ask(None)]
