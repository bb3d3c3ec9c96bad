"""Her contact details reach a person only after she said yes to a question that told her why.

The question (`ask_consent`) says who will see the number, what for, and that she may decline
and still be answered here; it is remembered as the open question (`pending_question` =
`contact_consent`). Her yes is the consent, and its time is the time of her answer
(`consented_at`, ISO 8601 UTC). Asking again withdraws it until she answers; a no keeps it withdrawn. `contact_for_handoff` gives the contact only with that time; the contract
(assistant_contract.handoff_request) and the routing backend drop a contact without one.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Tuple

from rasa_sdk import Tracker

from actions.context import ask

CONTACT_CONSENT = "contact_consent"
CONTACT_SLOT = "contact"
YES, NO = "affirm", "deny"
QUESTION = ("为了方便专人直接联系你，你愿意留下手机号吗？号码只给处理你这次求助的工作人员看，处理完会按规定删除。"
            "不留也没关系，专人会在这个对话里回复你。")
BUTTONS = [{"title": "同意留下号码", "payload": "/affirm"}, {"title": "不留，在这里等回复", "payload": "/deny"}]


def ask_consent(dispatcher) -> List[Dict[str, Any]]:
    """Ask before any number is taken; her answer decides."""
    dispatcher.utter_message(text=QUESTION, buttons=BUTTONS)
    return [ask(CONTACT_CONSENT)]


def _moment(seconds: Any) -> Optional[str]:
    if isinstance(seconds, (int, float)) and not isinstance(seconds, bool):
        return datetime.fromtimestamp(seconds, tz=timezone.utc).isoformat()
    return None


def consented_at(tracker: Tracker) -> Optional[str]:
    """When she last said yes to the consent question, unless she said no or was asked again since."""
    asked, answer = False, None
    for event in tracker.events:
        kind = event.get("event")
        if kind == "slot" and event.get("name") == "pending_question":
            if event.get("value") == CONTACT_CONSENT:
                asked, answer = True, None  # asked (again): only the answer to this question counts
            else:
                asked = False
        elif kind == "user" and asked:
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if intent == YES:
                answer = _moment(event.get("timestamp"))
            elif intent == NO:
                answer = None
            asked = False
    return answer


def contact_for_handoff(tracker: Tracker) -> Tuple[Optional[str], Optional[str]]:
    """(contact, consented_at) when she gave a contact and agreed; (None, None) otherwise."""
    contact = tracker.get_slot(CONTACT_SLOT) if CONTACT_SLOT in (tracker.slots or {}) else None
    agreed = consented_at(tracker)
    if not contact or not agreed:
        return None, None
    return str(contact), agreed
