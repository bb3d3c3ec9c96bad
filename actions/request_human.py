"""Her request for a person (the action for `request_human`): open the handoff routed by
her topic (actions/handoff.py), or ask what it is about first.

A request the classifier only guessed, that her words do not make, opens nothing: inside a
topic it is a follow-up ("need collateral吗" after the start-up loan answer, read as a request
at 0.10); elsewhere a clear answer is given, or she is asked whether she wants a person.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from actions.answers import answer_message
from actions.context import HANDOFF_CONFIRM, Turn, ask
from actions.handoff import ask_what_about, latest_open, open_for_message, topic_of
from actions.her_turn import HerTurnAction, Reply
from actions.knowledge_answer import ANSWER
from actions.person_request import PersonRequest, named_person, person_request, without_request
from actions.routing_protocol import HandoffStore
from actions.topic_answers import answer_entry
from bot.knowledge_index import KnowledgeIndex, default_index

SURE_REQUEST = 0.5
GUESSED_REQUEST = 0.3  # below this, with a topic in play, a "request" is read as a follow-up in the topic


class ActionRequestHuman(HerTurnAction):
    """She asks for a person: open it routed by her topic, or ask what it is about first."""

    def __init__(self, store: Optional[HandoffStore] = None, index: Optional[KnowledgeIndex] = None) -> None:
        super().__init__(store)
        self._index = index

    def name(self) -> Text:
        return "action_request_human"

    async def respond(self, turn: Turn, reply: Reply) -> List[Dict[Text, Any]]:
        index = self._index or default_index()
        request = person_request(turn.text) or named_person(turn.tracker.latest_message)
        explicit = request is not None or turn.is_button or turn.confidence >= SURE_REQUEST
        if turn.handoff_open or await latest_open(self.store, turn.tracker.sender_id) is not None:
            return await open_for_message(turn, reply, self.store, index, request)
        if not explicit and (turn.topic or {}).get("area") and turn.confidence < GUESSED_REQUEST:
            # "need collateral吗" after the start-up loan answer, guessed a request at 0.10: a follow-up
            return await answer_message(self, turn, reply, index, guessed=True)
        if not explicit:  # the classifier guessed a request her words do not make
            found = topic_of(turn, index)
            if found.kind == ANSWER and found.entry:
                return answer_entry(turn, reply, found.entry)
            reply.say_response("utter_confirm_handoff")
            return [ask(HANDOFF_CONFIRM)]
        found = topic_of(turn, index, request)
        # she says more than the request, and it can be routed: by the kind of person she named or the
        # area of her message ("我要找律师 老公要跟我抢孩子"); "我不想跟机器人说 能不能给我找个真人" says more
        # but names nothing to route by, and a request opened without it reaches no department
        says_more = bool(without_request(turn.text)) if request else False
        routed = bool((request and request.category) or turn.category)
        if found.kind == ANSWER or (says_more and routed) or turn.person_request or (turn.topic or {}).get("area") \
                or turn.pending == HANDOFF_CONFIRM:
            return await open_for_message(turn, reply, self.store, index, request)
        return ask_what_about(turn, reply, request or PersonRequest("工作人员", None))
