"""The first reply when she may be in danger now: emergency numbers before anything else,
then an urgent handoff so that a person is told at once."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import conversation
from actions.factories import default_handoff_store
from actions.handoff_types import HandoffRequest
from actions.routing_protocol import HandoffStore, RoutingError
from bot.taxonomy import load_taxonomy

logger = logging.getLogger(__name__)
CRISIS_TYPES = ("violence", "self_harm", "sexual_assault", "child_danger")
DEFAULT_TYPE = "violence"


def crisis_type_of(latest_message: Dict[str, Any]) -> str:
    """The danger type from the detector's verdict, else from the intent name."""
    verdict: Optional[Dict[str, Any]] = latest_message.get("crisis")
    if verdict and verdict.get("type") in CRISIS_TYPES:
        return verdict["type"]
    intent = (latest_message.get("intent") or {}).get("name") or ""
    suffix = intent.removeprefix("crisis_")
    return suffix if suffix in CRISIS_TYPES else DEFAULT_TYPE


class ActionCrisisResponse(Action):
    """Give 110/120 and the hotlines, ask whether she is safe, mark the conversation
    urgent, and open an urgent handoff (due in one hour)."""

    def __init__(self, store: Optional[HandoffStore] = None) -> None:
        self._store = store

    def name(self) -> Text:
        return "action_crisis_response"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        crisis_type = crisis_type_of(tracker.latest_message)
        dispatcher.utter_message(response=f"utter_crisis_{crisis_type}")
        events = [SlotSet("urgent", True), SlotSet("crisis_type", crisis_type)]
        try:  # the reply above must go out whatever happens here
            taxonomy = load_taxonomy()
            record = await (self._store or default_handoff_store()).open_request(
                HandoffRequest(
                    conversation_id=tracker.sender_id,
                    channel=conversation.channel(tracker),
                    category=taxonomy.category_of(f"crisis_{crisis_type}"),
                    intent=f"crisis_{crisis_type}",
                    urgent=True,
                    summary=conversation.summary(tracker, taxonomy),
                    transcript=conversation.transcript(tracker),
                    region=tracker.get_slot("region"),
                )
            )
            events.append(SlotSet("handoff_id", record.id))
        except RoutingError as error:  # the reply above already gives 110, 120 and 12338
            logger.error("urgent handoff for %s not recorded: %s", tracker.sender_id, error)
        except Exception:  # noqa: BLE001
            logger.exception("could not open the urgent handoff for %s", tracker.sender_id)
        return events
