"""好 / 不用 answer the question asked last (actions/yes_no.py)."""
import asyncio

from actions.yes_no import ActionAnswerYesNo
from bot.knowledge_index import default_index
from tests.actions.dialogue_support import bot_event, run_action, said, topic, user_event
from tests.actions.fakes import InMemoryHandoffStore


def yes_no(text, intent, slots, store=None, before=()):
    events = list(before) + [user_event(text, intent, 0.95)]
    return run_action(ActionAnswerYesNo(store or InMemoryHandoffStore(), default_index()), events, slots)


def test_yes_to_the_offer_of_an_expert_opens_a_handoff_in_the_topics_area():
    store = InMemoryHandoffStore()
    messages, slots = yes_no("好的", "affirm", {"pending_question": "expert_offer",
                                               "topic": topic("legal", "legal.divorce.custody")}, store)
    assert store.requests[0].category == "legal" and slots["handoff_open"] is True


def test_yes_after_an_answer_is_feedback_not_a_handoff():
    store = InMemoryHandoffStore()
    messages, slots = yes_no("嗯嗯", "affirm", {"pending_question": "answer_feedback",
                                              "last_faq_id": "legal.dv.evidence"}, store)
    assert store.requests == [] and slots["last_feedback"] == {"faq_id": "legal.dv.evidence", "helpful": True}


def test_no_after_asking_for_a_person_opens_nothing():
    store = InMemoryHandoffStore()
    messages, slots = yes_no("算了不用了 我自己再想想", "deny",
                             {"pending_question": "handoff_topic", "person_request": {"role": "工作人员", "category": None}},
                             store)
    assert store.requests == [] and slots["person_request"] is None and "先不转了" in said(messages)


def test_a_no_with_a_question_after_it_is_answered_for_the_question():
    messages, slots = yes_no("算了 还是先不离了 想问问他不给家用怎么办", "deny",
                             {"topic": topic("legal", "legal.divorce.process", "legal_divorce")},
                             before=[user_event("我想离婚", "legal_divorce"), bot_event("离婚有两种方式……")])
    assert slots.get("service_area") == "legal" and "你想咨询哪方面" not in said(messages)


def test_a_correction_to_another_person_opens_the_right_handoff():
    store = InMemoryHandoffStore()
    yes_no("不对 我是要律师 离婚的事", "deny",
           {"pending_question": "handoff_topic", "person_request": {"role": "心理咨询师", "category": "care"}}, store)
    assert store.requests[0].category == "legal"


def test_a_bare_yes_with_nothing_asked_is_a_short_acknowledgement():
    messages, _ = yes_no("好", "affirm", {})
    assert len(messages) == 1 and len(messages[0]["text"]) < 40


def open_request(store, conversation="woman-1", urgent=False):
    from actions.handoff_types import HandoffRequest

    return asyncio.run(store.open_request(HandoffRequest(conversation, "rest", "legal", "legal_divorce", urgent,
                                                         "想离婚", [])))


def test_taking_back_an_open_request_withdraws_it_and_says_so_once():
    store = InMemoryHandoffStore()
    record = open_request(store, conversation="woman-1")
    messages, slots = yes_no("算了先不用了 我跟他再谈谈 帮我撤了吧", "deny",
                             {"handoff_open": True, "handoff_id": record.id, "pending_question": "answer_feedback"},
                             store)
    assert store.records[-1].status == "returned" and slots["handoff_open"] is False and slots["handoff_id"] is None
    assert "已经取消了" in said(messages) and "也已经转给" not in said(messages)  # one account of what became of her words
    assert store.forwarded[-1][2].endswith("帮我撤了吧")  # the expert reads it too


def test_an_urgent_request_is_not_withdrawn_by_a_message():
    store = InMemoryHandoffStore()
    record = open_request(store, conversation="woman-1", urgent=True)
    messages, slots = yes_no("算了 不用了", "deny", {"handoff_open": True, "handoff_id": record.id, "urgent": True},
                             store)
    assert store.records[-1].status != "returned" and "handoff_open" not in slots
    assert "确认你平安" in said(messages) and "110" in said(messages)


def test_with_the_backend_unreachable_she_is_told_her_words_were_passed_on():
    store = InMemoryHandoffStore()
    record = open_request(store, conversation="woman-1")
    store.waiting = True
    messages, slots = yes_no("不用转人工了", "deny", {"handoff_open": True, "handoff_id": record.id}, store)
    assert "handoff_open" not in slots and "转给了工作人员" in said(messages)
