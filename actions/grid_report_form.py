"""The report form's answers: one question at a time, each answer read into the value
the routing backend expects (assistant_contract.grid), 「取消」 at any step, and the
danger check on every answer, which marks the report urgent and tells her to call
110/120 at once.

A form's slots are filled from her text (domain.yml, `grid_report_form`); this action
reads them. Button payloads are plain words, so typing the word works as well.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Dict, List, Optional, Text

from assistant_contract.grid import CHILD, FAMILY, NORMAL, SUBJECTS, URGENCIES, URGENT, WOMAN
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT, FormValidationAction

from actions.grid_replies import say
from bot.taxonomy import load_taxonomy

FORM = "grid_report_form"
SUBJECT, PLACE, WHAT, URGENCY = "grid_subject", "grid_place", "grid_what", "grid_urgency"
CONSENT, REASON, CONFIRMED = "grid_consent", "grid_no_consent_reason", "grid_confirmed"
AREA, DANGER, CANCELLED = "grid_area", "grid_danger", "grid_cancelled"
FORM_SLOTS = (SUBJECT, PLACE, WHAT, URGENCY, CONSENT, REASON, CONFIRMED)
YES, NO = "yes", "no"

MAX_PLACE, MAX_TEXT, MAX_REASON = 200, 4000, 500
SHORT = 14  # characters: a cancel is a short message; "算了" inside a description is not one
CANCEL = re.compile(r"取消|撤销|不报了|不上报|先不报|不填了|^算了|^退出|^不用了")
CHILD_WORDS = re.compile(r"儿童|孩子|小孩|娃|学生|儿子|女儿|孙|婴|宝宝|未成年|少年|男孩|女孩|留守")
FAMILY_WORDS = re.compile(r"家庭|一家|全家|家里|夫妻|两口子|户")
WOMAN_WORDS = re.compile(r"妇女|女|妈|母亲|婆|姐|妹|媳妇|嫂|大娘|阿姨|孕")
MY_GRID = re.compile(r"^(就是?|就在|是|对|在)?(我的|我们|本|这个)?网格|^(对|是|是的|嗯|好|好的|就这)$")
NORMAL_WORDS = re.compile(r"不紧急|不急|不着急|一般|普通|还好|不算急|不是很急")
URGENT_WORDS = re.compile(r"紧急|急|马上|危险|严重|立刻")
NO_WORDS = re.compile(r"不同意|不愿|没同意|不想|拒绝|没问|还没|不知道|不让|不肯|不答应|没答应|^不$|^否")
YES_WORDS = re.compile(r"同意|愿意|可以|答应|^好|^是|^对|^嗯|^行")
CONFIRM_WORDS = re.compile(r"确认|提交|上报吧|^对|^是|^好|^没问题|^可以|^行|^嗯")


def is_cancel(text: str) -> bool:
    text = text.strip()
    return len(text) <= SHORT and bool(CANCEL.search(text))


def subject_of(text: str) -> Optional[str]:
    if text in SUBJECTS:
        return text
    for subject, words in ((CHILD, CHILD_WORDS), (FAMILY, FAMILY_WORDS), (WOMAN, WOMAN_WORDS)):
        if words.search(text):
            return subject
    return None


def urgency_of(text: str) -> Optional[str]:
    if text in URGENCIES:
        return text
    if NORMAL_WORDS.search(text):
        return NORMAL
    return URGENT if URGENT_WORDS.search(text) else None


def consent_of(text: str) -> Optional[str]:
    if text in (YES, NO):
        return text
    if NO_WORDS.search(text):
        return NO
    return YES if YES_WORDS.search(text) else None


def words_of(limit: int, shortest: int) -> Callable[[str], Optional[str]]:
    return lambda text: text[:limit] if len(text) >= shortest else None


def confirmed_of(text: str) -> Optional[str]:
    return YES if text == YES or CONFIRM_WORDS.search(text) else None


def danger_now(tracker: Tracker) -> bool:
    """The danger check: the NLU's decision puts danger now before any other reading."""
    return load_taxonomy().is_crisis((tracker.latest_message.get("intent") or {}).get("name"))


def area_of(tracker: Tracker) -> Optional[str]:
    """The assistant's own triage of the description: its service area, else the best
    reading in an area when the top one is not (a fallback, small talk)."""
    taxonomy = load_taxonomy()
    area = taxonomy.category_of_parse(tracker.latest_message)
    if area:
        return area
    for item in list(tracker.latest_message.get("intent_ranking") or [])[:4]:
        name = str(item.get("name") or "")
        if taxonomy.category_of(name) and float(item.get("confidence") or 0) >= 0.1:
            return taxonomy.category_of(name)
    return None


class ValidateGridReportForm(FormValidationAction):
    """Reads each answer of the report form; asks again when it cannot."""

    def name(self) -> Text:
        return "validate_grid_report_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: Dict[Text, Any]) -> List[Text]:
        if tracker.get_slot(CANCELLED):
            return []
        slots = [SUBJECT, PLACE, WHAT, URGENCY, CONSENT]
        if tracker.get_slot(CONSENT) == NO:
            slots.append(REASON)
        return slots + [CONFIRMED]

    async def next_requested_slot(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: Dict[Text, Any]) -> Optional[Dict[Text, Any]]:
        """Always this form's own choice (the SDK leaves it to Rasa when the list happens
        to equal the domain's), so the order of questions is decided in one place."""
        required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        return SlotSet(REQUESTED_SLOT, next((slot for slot in required if tracker.slots.get(slot) is None), None))

    def _read(self, slot: str, value: Any, parse: Callable[[str], Optional[str]], dispatcher: CollectingDispatcher,
              tracker: Tracker, domain: Dict[Text, Any]) -> Dict[Text, Any]:
        text = str(value or "").strip()
        if tracker.get_slot(REQUESTED_SLOT) != slot:  # filled before the form asked (her first message)
            return {slot: parse(text) if text else None}
        if is_cancel(text):
            return {slot: None, CANCELLED: True}
        found: Dict[Text, Any] = {}
        if danger_now(tracker) and not tracker.get_slot(DANGER):
            say(dispatcher, domain, "utter_grid_danger_now")
            found.update({DANGER: True, URGENCY: URGENT})
            described = tracker.get_slot(WHAT)
            if slot != WHAT and described and text not in described:
                found[WHAT] = f"{described}；{text}"[:MAX_TEXT]
        parsed = parse(text)
        if parsed is None:
            say(dispatcher, domain, f"utter_grid_again_{slot}")
        found[slot] = parsed
        return found

    async def validate_grid_subject(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: Dict[Text, Any]) -> Dict[Text, Any]:
        return self._read(SUBJECT, value, subject_of, dispatcher, tracker, domain)

    async def validate_grid_place(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: Dict[Text, Any]) -> Dict[Text, Any]:
        grid_name = (tracker.get_slot("grid_binding") or {}).get("grid_name") or ""

        def place_of(text: str) -> Optional[str]:
            if grid_name and MY_GRID.search(text):
                return grid_name
            return words_of(MAX_PLACE, 2)(text)

        return self._read(PLACE, value, place_of, dispatcher, tracker, domain)

    async def validate_grid_what(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: Dict[Text, Any]) -> Dict[Text, Any]:
        found = self._read(WHAT, value, words_of(MAX_TEXT, 4), dispatcher, tracker, domain)
        if found.get(WHAT) and tracker.get_slot(REQUESTED_SLOT) == WHAT:
            found[AREA] = area_of(tracker)
        return found

    async def validate_grid_urgency(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: Dict[Text, Any]) -> Dict[Text, Any]:
        found = self._read(URGENCY, value, urgency_of, dispatcher, tracker, domain)
        if tracker.get_slot(DANGER) and not found.get(CANCELLED):
            found[URGENCY] = URGENT  # the danger check marked it: she cannot make it less
        return found

    async def validate_grid_consent(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: Dict[Text, Any]) -> Dict[Text, Any]:
        return self._read(CONSENT, value, consent_of, dispatcher, tracker, domain)

    async def validate_grid_no_consent_reason(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                              domain: Dict[Text, Any]) -> Dict[Text, Any]:
        return self._read(REASON, value, words_of(MAX_REASON, 2), dispatcher, tracker, domain)

    async def validate_grid_confirmed(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                      domain: Dict[Text, Any]) -> Dict[Text, Any]:
        return self._read(CONFIRMED, value, confirmed_of, dispatcher, tracker, domain)
