import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import ActionAnswerFaq, ActionAnswerRequest, ActionRecordFeedback
from bot.knowledge_index import ANSWER_THRESHOLD, SUGGEST_THRESHOLD, FaqMatch, KnowledgeIndex
from tests.conftest import make_tracker, user_event
from tests.knowledge_fixture import write_knowledge


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return KnowledgeIndex(write_knowledge(tmp_path_factory.mktemp("knowledge")))


class FixedScores:
    """An index whose scores the test sets, to check each band of the reply."""

    def __init__(self, real, scores):
        self.knowledge, self._scores = real.knowledge, scores

    def search_faq(self, text, category=None, limit=3):
        return [FaqMatch(self.knowledge.faq_by_id(i), s) for i, s in self._scores][:limit]


def answer(index, text, intent):
    dispatcher = CollectingDispatcher()
    events = ActionAnswerRequest(index).run(dispatcher, make_tracker([user_event(text, intent)]), {})
    return dispatcher.messages, events


def test_a_confident_match_is_answered_with_basis_next_step_and_feedback(index):
    assert index.search_faq("保护令去哪里申请", "legal")[0].score >= ANSWER_THRESHOLD
    messages, events = answer(index, "保护令去哪里申请", "legal_domestic_violence")
    assert "基层人民法院" in messages[0]["text"] and "依据：" in messages[0]["text"] and "12338" in messages[0]["text"]
    assert [b["title"] for b in messages[1]["buttons"]] == ["有帮助", "没帮助"]
    assert {"name": "last_faq_id", "value": "legal.dv.protection_order"}.items() <= events[-1].items()
    assert events[0]["name"] == "service_area" and events[0]["value"] == "legal"


def test_a_middle_score_offers_the_close_questions_and_a_person(index):
    middle = (SUGGEST_THRESHOLD + ANSWER_THRESHOLD) / 2
    fixed = FixedScores(index, [("family_education.phone_addiction", middle),
                                ("legal.divorce.child_support", SUGGEST_THRESHOLD),
                                ("legal.dv.protection_order", SUGGEST_THRESHOLD - 0.01)])
    messages, _ = answer(fixed, "孩子的事情想问问", "family_screen_study")
    assert messages[0]["response"] == "utter_suggest_faq"
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payloads == ['/choose_faq{"faq_id":"family_education.phone_addiction"}',
                        '/choose_faq{"faq_id":"legal.divorce.child_support"}', "/request_human"]


def test_a_weak_match_says_it_is_not_sure_and_offers_an_expert(index):
    fixed = FixedScores(index, [("legal.dv.protection_order", SUGGEST_THRESHOLD - 0.01)])
    messages, _ = answer(fixed, "单位不给交社保怎么办", "legal_employment")
    assert [m["response"] for m in messages] == [
        "utter_knowledge_unsure", "utter_topic_legal_employment", "utter_offer_expert"]


def test_a_chosen_question_is_answered(index):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker([user_event("/choose_faq", "choose_faq")], slots={"faq_id": "legal.divorce.child_support"})
    ActionAnswerFaq(index).run(dispatcher, tracker, {})
    assert "百分之二十至三十" in dispatcher.messages[0]["text"]


@pytest.mark.parametrize("helpful, response", [("yes", "utter_feedback_thanks"), ("no", "utter_feedback_sorry")])
def test_feedback_is_kept_with_the_conversation(helpful, response):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker([user_event("/feedback", "feedback")],
                           slots={"helpful": helpful, "last_faq_id": "legal.dv.protection_order"})
    events = ActionRecordFeedback().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == response
    feedback = next(e for e in events if e["name"] == "last_feedback")["value"]
    assert feedback == {"faq_id": "legal.dv.protection_order", "helpful": helpful == "yes"}


def test_out_of_scope_is_declined_unless_the_faq_is_sure(index):
    weak = FixedScores(index, [("legal.dv.protection_order", ANSWER_THRESHOLD - 0.05)])
    messages, events = answer(weak, "今天天气怎么样", "out_of_scope")
    assert [m["response"] for m in messages] == ["utter_out_of_scope"] and events == []
    sure = FixedScores(index, [("legal.dv.protection_order", ANSWER_THRESHOLD)])
    messages, _ = answer(sure, "保护令", "out_of_scope")
    assert "基层人民法院" in messages[0]["text"]
