import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.cases import ActionSearchCases, ActionShowCase, case_query
from bot.knowledge_index import KnowledgeIndex
from tests.conftest import make_tracker, user_event
from tests.knowledge_fixture import write_knowledge


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return KnowledgeIndex(write_knowledge(tmp_path_factory.mktemp("knowledge")))


def test_a_bare_request_for_similar_cases_uses_her_earlier_question():
    tracker = make_tracker([user_event("老公打我，想申请保护令", "legal_domestic_violence"),
                            user_event("有没有类似的案例", "ask_case")])
    assert case_query(tracker) == "老公打我，想申请保护令"


def test_similar_cases_come_as_cards_with_buttons(index):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker([user_event("有没有家暴申请保护令的案例", "ask_case")])
    events = ActionSearchCases(index).run(dispatcher, tracker, {})
    message = dispatcher.messages[0]
    assert "遭受家暴后申请人身安全保护令" in message["text"]
    assert message["buttons"][0]["payload"] == '/show_case{"case_id":"case.legal.001"}'
    assert events[0]["value"][0] == "case.legal.001"


def test_nothing_to_search_asks_for_a_topic(index):
    dispatcher = CollectingDispatcher()
    ActionSearchCases(index).run(dispatcher, make_tracker([user_event("有没有案例", "ask_case")]), {})
    assert dispatcher.messages[0]["response"] == "utter_ask_case_topic"


def test_the_full_story_of_a_case(index):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker([user_event("/show_case", "show_case")], slots={"case_id": "case.legal.001"})
    ActionShowCase(index).run(dispatcher, tracker, {})
    story = dispatcher.messages[0]["text"]
    assert "情况：" in story and "怎么处理：" in story and "结果：" in story and "依据：" in story
