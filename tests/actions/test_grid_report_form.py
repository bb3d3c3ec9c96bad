"""Reading the report form's answers (actions/grid_report_form.py): one question at a
time, 「取消」 at any step, and the danger check on every answer."""
import asyncio

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.grid_report_form import (
    ValidateGridReportForm, consent_of, is_cancel, subject_of, urgency_of,
)
from tests.actions.dialogue_support import crisis_event, domain, said, user_event
from tests.actions.grid_support import BINDING
from tests.conftest import make_tracker


def answer(slot, text, intent="nlu_fallback", slots=None, event=None, **parse):
    """(messages, slots set) when she answers the question for `slot` with `text`."""
    event = event or user_event(text, intent, **parse)
    events = [event, {"event": "slot", "name": slot, "value": text, "timestamp": None}]
    known = {"requested_slot": slot, "grid_binding": BINDING, **(slots or {}), slot: text}
    dispatcher = CollectingDispatcher()
    returned = asyncio.run(ValidateGridReportForm().run(dispatcher, make_tracker(events, slots=known), domain()))
    return said(dispatcher.messages), {e["name"]: e["value"] for e in returned if e.get("event") == "slot"}


@pytest.mark.parametrize("text, subject", [("妇女", "woman"), ("儿童", "child"), ("家庭", "family"),
                                           ("她女儿", "child"), ("一个单亲妈妈", "woman"), ("全家人", "family"),
                                           ("不知道", None)])
def test_whom_the_report_is_about(text, subject):
    assert subject_of(text) == subject


@pytest.mark.parametrize("text, urgency", [("紧急", "urgent"), ("一般", "normal"), ("不紧急", "normal"),
                                           ("挺急的", "urgent"), ("随便", None)])
def test_how_urgent(text, urgency):
    assert urgency_of(text) == urgency


@pytest.mark.parametrize("text, consent", [("同意", "yes"), ("不同意", "no"), ("还没问过她", "no"),
                                           ("她愿意", "yes"), ("嗯", "yes"), ("啥", None)])
def test_whether_she_agreed(text, consent):
    assert consent_of(text) == consent


@pytest.mark.parametrize("text, cancel", [("取消", True), ("不报了", True), ("算了", True), ("取消上报", True),
                                          ("她说算了不想追究，但孩子一直没人管，已经三天没吃饭", False)])
def test_a_cancel_is_a_short_message(text, cancel):
    assert is_cancel(text) is cancel


def test_an_answer_is_read_and_the_next_question_follows():
    text, slots = answer("grid_subject", "儿童")
    assert slots["grid_subject"] == "child" and slots["requested_slot"] == "grid_place" and text == ""


def test_an_answer_not_understood_is_asked_again_kindly():
    text, slots = answer("grid_subject", "这个嘛")
    assert slots["grid_subject"] is None and slots["requested_slot"] == "grid_subject"
    assert "妇女、儿童" in text


def test_her_own_grid_is_the_default_place():
    _, slots = answer("grid_place", "就在我的网格")
    assert slots["grid_place"] == BINDING["grid_name"]
    _, slots = answer("grid_place", "三村村委会后面")
    assert slots["grid_place"] == "三村村委会后面"


def test_the_description_is_triaged_into_its_area():
    _, slots = answer("grid_what", "村里有个留守儿童爷爷奶奶身体不好没人照看", intent="care_children_elderly")
    assert slots["grid_area"] == "care" and slots["grid_what"].startswith("村里有个留守儿童")
    ranking = [{"name": "nlu_fallback", "confidence": 0.3}, {"name": "legal_land_inheritance", "confidence": 0.25}]
    _, slots = answer("grid_what", "她离婚后村里不给分红", intent="nlu_fallback", intent_ranking=ranking)
    assert slots["grid_area"] == "legal"


def test_danger_in_the_description_marks_it_urgent_and_gives_110_at_once():
    event = crisis_event("她老公现在拿着刀在家里砍人", "violence", whose="other")
    text, slots = answer("grid_what", "她老公现在拿着刀在家里砍人", event=event,
                         slots={"grid_subject": "woman", "grid_place": "三村"})
    assert "110" in text and "120" in text and "紧急" in text
    assert slots["grid_danger"] is True and slots["grid_urgency"] == "urgent"
    assert slots["requested_slot"] == "grid_consent"  # urgency is not asked any more


def test_danger_in_a_later_answer_joins_the_description():
    event = crisis_event("在三村，他现在又在打孩子了", "child_danger", whose="child")
    text, slots = answer("grid_place", "在三村，他现在又在打孩子了", event=event,
                         slots={"grid_subject": "child", "grid_what": "孩子身上经常有伤"})
    assert "110" in text and slots["grid_urgency"] == "urgent"
    assert slots["grid_what"] == "孩子身上经常有伤；在三村，他现在又在打孩子了"


def test_she_cannot_make_a_danger_report_less_urgent():
    _, slots = answer("grid_urgency", "一般", slots={"grid_danger": True})
    assert slots["grid_urgency"] == "urgent"


def test_a_reason_is_asked_only_when_she_did_not_agree():
    _, slots = answer("grid_consent", "不同意", slots={"grid_subject": "woman", "grid_place": "三村",
                                                     "grid_what": "经常被丈夫骂", "grid_urgency": "normal"})
    assert slots["grid_consent"] == "no" and slots["requested_slot"] == "grid_no_consent_reason"
    _, slots = answer("grid_consent", "同意", slots={"grid_subject": "woman", "grid_place": "三村",
                                                   "grid_what": "经常被丈夫骂", "grid_urgency": "normal"})
    assert slots["grid_consent"] == "yes" and slots["requested_slot"] == "grid_confirmed"


def test_cancel_at_any_step_ends_the_form():
    _, slots = answer("grid_place", "取消", slots={"grid_subject": "woman"})
    assert slots["grid_cancelled"] is True and slots["grid_place"] is None and slots["requested_slot"] is None


def test_a_slot_filled_before_the_form_asked_is_kept_as_read():
    events = [user_event("村里有个孩子没人管", "care_children_elderly"),
              {"event": "slot", "name": "grid_what", "value": "村里有个孩子没人管", "timestamp": None}]
    tracker = make_tracker(events, slots={"grid_what": "村里有个孩子没人管", "grid_binding": BINDING})
    dispatcher = CollectingDispatcher()
    returned = asyncio.run(ValidateGridReportForm().run(dispatcher, tracker, domain()))
    slots = {e["name"]: e["value"] for e in returned}
    assert slots["grid_what"] == "村里有个孩子没人管" and slots["requested_slot"] == "grid_subject"
    assert dispatcher.messages == []
