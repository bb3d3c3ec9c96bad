"""好 / 不用 answer the question asked last (actions/yes_no.py)."""
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
