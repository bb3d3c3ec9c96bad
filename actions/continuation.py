"""Her request follows her to another app: she asks for a continuation code (接续码) where
her request is, and sends it from the other app (assistant_contract.continuation).

- `action_continuation_code`: the code, how long it works, what it does, and that safe
  exit can clear it from this chat; or, with no request here, that none is needed.
- `action_continue_case`: the request now lives in this conversation; replies she has not
  seen come here at once (sent by the routing backend), and so do all later ones.
A wrong code and a code that is used or expired get one answer, so a guess learns nothing.
"""
from __future__ import annotations

import logging
from abc import ABCMeta, abstractmethod
from typing import Any, Dict, List, Optional, Text

from assistant_contract.areas import AREA_TITLES
from assistant_contract.continuation import CODE_HOURS, code_in, shown
from assistant_contract.handoffs import is_open
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import conversation
from actions.factories import routing_client
from actions.grid_replies import say  # a domain response with its {placeholders} filled
from actions.routing_protocol import Continuations, RoutingError
from bot.settings import Settings

logger = logging.getLogger(__name__)

DEFAULT_CHANNEL = "rest"


class ContinuationAction(Action, metaclass=ABCMeta):
    """Holds the routing backend (a fake in tests). Abstract, so that rasa-sdk, which
    registers every concrete Action, skips it."""

    def __init__(self, backend: Optional[Continuations] = None) -> None:
        self._backend = backend

    @property
    def backend(self) -> Continuations:
        return self._backend or routing_client(Settings.from_env())

    @abstractmethod
    def name(self) -> Text: ...


class ActionContinuationCode(ContinuationAction):
    def name(self) -> Text:
        return "action_continuation_code"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        try:
            issued = await self.backend.continuation_code(tracker.sender_id)
        except RoutingError as error:
            logger.warning("no continuation code for %s: %s", tracker.sender_id, error)
            say(dispatcher, domain, "utter_continuation_unavailable")
            return []
        if issued is None:
            say(dispatcher, domain, "utter_continuation_nothing_to_move")
            return []
        say(dispatcher, domain, "utter_continuation_code", code=shown(issued.code), hours=CODE_HOURS)
        return []


class ActionContinueCase(ContinuationAction):
    def name(self) -> Text:
        return "action_continue_case"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        code = code_in(str(tracker.latest_message.get("text") or ""))
        if code is None:
            say(dispatcher, domain, "utter_continuation_how")
            return []
        channel = conversation.channel(tracker) or DEFAULT_CHANNEL
        try:
            record = await self.backend.continue_case(code, channel, tracker.sender_id)
        except RoutingError as error:
            logger.warning("continuation into %s not checked: %s", tracker.sender_id, error)
            say(dispatcher, domain, "utter_continuation_unavailable")
            return []
        if record is None:
            say(dispatcher, domain, "utter_continuation_refused", hours=CODE_HOURS)
            return []
        area = AREA_TITLES.get(record.category or "", "")
        say(dispatcher, domain, "utter_continuation_moved", handoff_id=record.id,
                                 area=f"，{area}" if area else "")
        return [SlotSet("handoff_id", record.id), SlotSet("handoff_open", is_open(record.status))]
