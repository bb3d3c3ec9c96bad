"""A grid worker binds her chat to her account once, with the one-time code an admin
issued (「绑定 123456」, or /bind 123456, which her channel passes on as "bind 123456").

The binding decides who may report: only a bound chat reaches the report form, so a
woman writing for herself never lands in it. The binding is asked of the routing
backend and kept in the `grid_binding` slot for the rest of the session.
"""
from __future__ import annotations

import logging
import re
from typing import Any, Dict, List, Optional, Text

from assistant_contract.grid import BINDING_CHANNELS, BINDING_CODE_LENGTH
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import conversation
from actions.grid_outbox import GridReportSender, default_grid_sender
from actions.grid_replies import say
from actions.grid_types import GridBinding
from actions.routing_protocol import GridReporting, RoutingError

logger = logging.getLogger(__name__)

CODE = re.compile(rf"(?<!\d)(\d{{{BINDING_CODE_LENGTH}}})(?!\d)")
DEFAULT_CHANNEL = "rest"


def code_in(text: str) -> Optional[str]:
    """The binding code in her message (exactly six digits), if there is one."""
    match = CODE.search(text or "")
    return match.group(1) if match else None


def channel_of(tracker: Tracker) -> str:
    channel = conversation.channel(tracker)
    return channel if channel in BINDING_CHANNELS else DEFAULT_CHANNEL


def bound_slots(binding: Optional[GridBinding]) -> List[Dict[str, Any]]:
    files_reports = binding is not None and not binding.is_cadre  # only a chat that files reaches the form
    return [SlotSet("grid_binding", binding.as_slot() if binding else None), SlotSet("grid_bound", files_reports)]


async def binding_of(tracker: Tracker, backend: GridReporting) -> Optional[GridBinding]:
    """Her binding: the session's copy, else the backend's answer (RoutingError when it cannot say)."""
    cached = tracker.get_slot("grid_binding")
    if isinstance(cached, dict) and cached.get("user_id"):
        return GridBinding.from_dict(cached)
    return await backend.grid_binding_for(tracker.sender_id)


class ActionGridBind(Action):
    """Binds this chat with her code, and says what she can do now."""

    def __init__(self, sender: Optional[GridReportSender] = None) -> None:
        self._sender = sender

    @property
    def backend(self) -> GridReporting:
        return (self._sender or default_grid_sender()).backend

    def name(self) -> Text:
        return "action_grid_bind"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        code = code_in(str(tracker.latest_message.get("text") or ""))
        if code is None:
            say(dispatcher, domain, "utter_grid_bind_how")
            return []
        try:
            binding = await self.backend.bind_grid_chat(code, channel_of(tracker), tracker.sender_id)
        except RoutingError as error:
            logger.warning("binding of %s not checked: %s", tracker.sender_id, error)
            say(dispatcher, domain, "utter_grid_bind_unavailable")
            return []
        if binding is None:
            say(dispatcher, domain, "utter_grid_bind_refused")
            return []
        if binding.is_cadre:
            say(dispatcher, domain, "utter_cadre_bound", cadre=binding.addressed, office=binding.office or "妇联")
        else:
            say(dispatcher, domain, "utter_grid_bound", grid_worker=binding.addressed, grid_name=binding.grid_name)
        return bound_slots(binding)
