"""A grid worker's report from her chat: who may start one, the two questions that need
her binding or the whole report, and the submission with its number.

Only a bound chat starts the form (actions/grid_binding.py): anyone else who says
「我要上报」 is told kindly how grid workers bind, and that her own trouble is heard
here as always (danger now never reaches this action: the crisis rule comes first).
A bound grid worker may also just describe the case: the description is kept, and
the form asks for the rest. The submission goes through the outbox
(actions/grid_outbox.py): a report the backend cannot take now is kept, not lost.
"""
from __future__ import annotations

import logging
import re
from abc import ABCMeta, abstractmethod
from typing import Any, Dict, List, Optional, Text

from assistant_contract.areas import AREA_TITLES
from assistant_contract.grid import SUBJECT_TITLES, URGENCY_TITLES, own_source
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT

from actions.grid_binding import binding_of, bound_slots
from actions.grid_outbox import GridReportSender, default_grid_sender
from actions.grid_replies import say
from actions.grid_report_form import (
    AREA, CANCELLED, CONFIRMED, CONSENT, DANGER, FORM_SLOTS, PLACE, REASON, SUBJECT, URGENCY, WHAT, YES, area_of,
)
from actions.grid_types import GridBinding, GridReport
from actions.routing_protocol import RoutingError, RoutingRefused

logger = logging.getLogger(__name__)

REPORT_INTENT = "grid_report"
ASKING_WORDS = re.compile(r"我?(要|想|需要|来)?(上报|报告|报送|报一下|报个|报一个|登记)(一下|一个|一件|个)?(情况|事情|事|案子|案例|线索)?"
                          r"|网格员?|巡查|帮我|请|麻烦|你好|您好|[，。,.!！?？:：\s]")
DESCRIBED = 8  # characters left once the asking words are taken out: she has told the case itself
CONFIRM_BUTTON = "确认上报"  # pressed again after the report went (a double tap): nothing new starts


def fresh_report() -> List[Dict[str, Any]]:
    """Every answer of a previous report forgotten (her binding stays)."""
    return [SlotSet(slot, None) for slot in (*FORM_SLOTS, AREA, DANGER, CANCELLED, REQUESTED_SLOT)]


def description_in(tracker: Tracker) -> Optional[str]:
    """The case, when her first message tells it (not just 「我要上报」)."""
    text = str(tracker.latest_message.get("text") or "").strip()
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if intent != REPORT_INTENT:
        return text or None
    return text if len(ASKING_WORDS.sub("", text)) >= DESCRIBED else None


class GridAction(Action, metaclass=ABCMeta):
    """Holds the report sender (the real one unless a test hands in another).
    Abstract: rasa-sdk registers concrete actions only."""

    def __init__(self, sender: Optional[GridReportSender] = None) -> None:
        self._sender = sender

    @property
    def sender(self) -> GridReportSender:
        return self._sender or default_grid_sender()

    @abstractmethod
    def name(self) -> Text:
        """Each concrete action names itself."""


class ActionGridReportStart(GridAction):
    """Starts a report for a bound grid worker; explains binding to anyone else."""

    def name(self) -> Text:
        return "action_grid_report_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        try:
            binding = await binding_of(tracker, self.sender.backend)
        except RoutingError as error:
            logger.warning("binding of %s unknown: %s", tracker.sender_id, error)
            say(dispatcher, domain, "utter_grid_binding_unknown")
            return [SlotSet("grid_bound", False)]
        if binding is None:
            say(dispatcher, domain, "utter_grid_not_bound")
            return bound_slots(None)
        if binding.is_cadre:  # 执委学堂's account: the grid workers report
            say(dispatcher, domain, "utter_cadre_no_reports")
            return bound_slots(binding)
        if not binding.grid_code:  # bound, but her account has no grid to report from
            say(dispatcher, domain, "utter_grid_no_grid")
            return bound_slots(None)
        if str(tracker.latest_message.get("text") or "").strip() == CONFIRM_BUTTON:
            say(dispatcher, domain, "utter_grid_report_nothing_open")
            return [SlotSet("grid_binding", binding.as_slot()), SlotSet("grid_bound", False)]
        numbers = await self.sender.numbers_to_tell(tracker.sender_id)
        if numbers:
            say(dispatcher, domain, "utter_grid_kept_delivered", numbers="、".join(numbers))
        events = bound_slots(binding) + fresh_report()
        description = description_in(tracker)
        if description:
            say(dispatcher, domain, "utter_grid_report_start_described", grid_worker=binding.addressed)
            return events + [SlotSet(WHAT, description), SlotSet(AREA, area_of(tracker))]
        say(dispatcher, domain, "utter_grid_report_start", grid_worker=binding.addressed)
        return events


class ActionAskGridPlace(Action):
    """Where: her own grid is offered as the answer."""

    def name(self) -> Text:
        return "action_ask_grid_place"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        grid_name = (tracker.get_slot("grid_binding") or {}).get("grid_name") or "你的网格"
        say(dispatcher, domain, "utter_grid_ask_place", grid_name=grid_name)
        return []


def summary(tracker: Tracker) -> Dict[str, str]:
    """The report as she reads it back before confirming."""
    consent = "同意" if tracker.get_slot(CONSENT) == YES else f"不同意（{tracker.get_slot(REASON) or '未说明'}）"
    return {"subject": SUBJECT_TITLES.get(tracker.get_slot(SUBJECT), "未填"),
            "place": tracker.get_slot(PLACE) or "未填", "what": tracker.get_slot(WHAT) or "未填",
            "urgency": URGENCY_TITLES.get(tracker.get_slot(URGENCY), "未填"), "consent": consent,
            "area": AREA_TITLES.get(tracker.get_slot(AREA) or "", "待核实时确定")}


class ActionAskGridConfirmed(Action):
    """The whole report, to confirm or cancel."""

    def name(self) -> Text:
        return "action_ask_grid_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        say(dispatcher, domain, "utter_grid_ask_confirmed", **summary(tracker))
        return []


def report_from(tracker: Tracker, binding: GridBinding) -> GridReport:
    consent = tracker.get_slot(CONSENT) == YES
    return GridReport(
        grid_code=binding.grid_code, subject=tracker.get_slot(SUBJECT), place=tracker.get_slot(PLACE),
        text=tracker.get_slot(WHAT), urgency=tracker.get_slot(URGENCY), consent=consent,
        no_consent_reason=None if consent else tracker.get_slot(REASON), area=tracker.get_slot(AREA),
        reporter_conversation_id=tracker.sender_id, source=own_source(binding.role))


class ActionGridReportSubmit(GridAction):
    """After the form: the report to the backend (or the outbox), and its number."""

    def name(self) -> Text:
        return "action_grid_report_submit"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        binding_slot = tracker.get_slot("grid_binding")
        if tracker.get_slot(CANCELLED) or tracker.get_slot(CONFIRMED) != YES:
            say(dispatcher, domain, "utter_grid_report_cancelled")
            return fresh_report()
        if not isinstance(binding_slot, dict):  # the session ended mid-form: nothing to file it under
            say(dispatcher, domain, "utter_grid_binding_unknown")
            return fresh_report()
        report = report_from(tracker, GridBinding.from_dict(binding_slot))
        try:
            receipt = await self.sender.submit(report)
        except RoutingRefused as refusal:
            logger.warning("grid report of %s refused: %s %s", tracker.sender_id, refusal.status, refusal.reason)
            say(dispatcher, domain, "utter_grid_report_refused")
            return fresh_report()
        except Exception:  # noqa: BLE001 - she must hear what became of her report
            logger.exception("grid report of %s neither sent nor kept", tracker.sender_id)
            say(dispatcher, domain, "utter_grid_report_failed")
            return fresh_report()
        if receipt is None:
            say(dispatcher, domain, "utter_grid_report_kept")
        elif receipt.urgent or report.urgency == "urgent":
            say(dispatcher, domain, "utter_grid_report_done_urgent", number=receipt.number)
        else:
            say(dispatcher, domain, "utter_grid_report_done", number=receipt.number)
        return fresh_report()
