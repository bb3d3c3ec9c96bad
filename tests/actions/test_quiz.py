"""执委学堂 in the chat (actions/quiz.py): bound cadres only, one question at a time with
buttons, feedback with the explanation and the article at once, the score kept at the end."""
import asyncio

from rasa_sdk.executor import CollectingDispatcher

from actions.answers import ActionAnswerRequest
from actions.grid_types import GridBinding
from actions.quiz import ActionQuizAnswer, ActionQuizStart, QUIZ_LENGTH, default_topics, study_request
from actions.context import Turn
from actions.her_turn import Reply
from actions.routing_protocol import RoutingUnavailable
from tests.actions.dialogue_support import domain, run_action, user_event
from tests.actions.fakes import InMemoryHandoffStore
from tests.conftest import make_tracker


class Bindings:
    def __init__(self, bound=True):
        self.bound = bound

    async def grid_binding_for(self, conversation_id):
        if not self.bound:
            return None
        return GridBinding.from_dict({"user_id": 7, "name": "town", "role": "town_staff", "grid_code": "T01",
                                      "grid_name": "一镇", "conversation_id": conversation_id, "channel": "telegram"})


class Results:
    def __init__(self, down=False):
        self.down, self.saved = down, []

    async def record_study_result(self, conversation_id, topic, score, total):
        if self.down:
            raise RoutingUnavailable("down")
        self.saved.append((conversation_id, topic, score, total))


def ask(text, backend):
    tracker = make_tracker([user_event(text, "out_of_scope")])
    reply = Reply(Turn(tracker, domain()))
    asyncio.run(study_request(Turn(tracker, domain()), reply, backend))
    return reply.messages


def test_a_bound_cadre_gets_the_topics_as_buttons():
    messages = ask("执委学堂", Bindings())
    assert messages[0]["text"].startswith("欢迎来到执委学堂")
    assert len(messages[0]["buttons"]) == len(default_topics()) == 9
    assert messages[0]["buttons"][0]["payload"].startswith('/quiz_start{"quiz_topic":')


def test_a_chat_that_is_not_bound_is_told_how_to_bind():
    assert "绑定 123456" in ask("考考我", Bindings(bound=False))[0]["text"]


def test_other_messages_are_not_taken():
    tracker = make_tracker([user_event("离婚冷静期多久", "legal_divorce")])
    assert asyncio.run(study_request(Turn(tracker, domain()), Reply(Turn(tracker, domain())), Bindings())) is None


def start(topic="dv_report"):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker([user_event(f'/quiz_start{{"quiz_topic":"{topic}"}}', "quiz_start",
                                       entities=[{"entity": "quiz_topic", "value": topic}])])
    events = ActionQuizStart().run(dispatcher, tracker, domain())
    return dispatcher.messages, events[0]["value"]


def answer(quiz, choice, question_id, results):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker([user_event("/quiz_answer", "quiz_answer", entities=[
        {"entity": "quiz_choice", "value": choice}, {"entity": "question_id", "value": question_id}])],
        slots={"quiz": quiz})
    events = asyncio.run(ActionQuizAnswer(client=results).run(dispatcher, tracker, domain()))
    return dispatcher.messages, (events[0]["value"] if events else quiz)


def test_a_quiz_one_question_at_a_time_with_feedback_and_a_kept_score():
    messages, quiz = start()
    assert len(quiz["ids"]) == QUIZ_LENGTH and messages[0]["text"].count("第1题") == 1
    assert [b["title"][:2] for b in messages[0]["buttons"]][:3] == ["A.", "B.", "C."]
    questions = {q.id: q for q in default_topics()["dv_report"].questions}
    results = Results()
    for number, question_id in enumerate(quiz["ids"]):
        question = questions[question_id]
        right = "ABCD"[question.answer_index]
        wrong = next(letter for letter in "ABCD"[: len(question.options)] if letter != right)
        messages, quiz = answer(quiz, right if number % 2 == 0 else wrong, question_id, results)
        feedback = messages[0]["text"]
        assert feedback.startswith("答对了！" if number % 2 == 0 else "正确答案是")
        assert question.explanation in feedback and ("依据：" in feedback or not question.sources)
        if number < QUIZ_LENGTH - 1:
            assert messages[1]["text"].startswith(f"第{number + 2}题") and messages[1]["buttons"]
    assert messages[-1]["text"].startswith("测验完成！") and "答对 3/5 题" in messages[-1]["text"]
    assert results.saved == [("woman-1", "dv_report", 3, 5)] and quiz is None


def test_a_stale_button_does_not_count_twice():
    _, quiz = start()
    messages, same = answer(quiz, "A", "some.other.question", Results())
    assert messages[0]["text"].startswith("这道题已经答过了") and same == quiz


def test_a_score_that_cannot_be_kept_is_still_shown():
    _, quiz = start()
    questions = {q.id: q for q in default_topics()["dv_report"].questions}
    results = Results(down=True)
    for question_id in quiz["ids"]:
        messages, quiz = answer(quiz, "ABCD"[questions[question_id].answer_index], question_id, results)
    assert "答对 5/5 题" in messages[-1]["text"] and "没能保存" in messages[-1]["text"]


def test_the_answering_action_hands_study_requests_here(monkeypatch, knowledge_index):
    import actions.grid_outbox as grid_outbox

    class Sender:
        backend = Bindings(bound=False)

    monkeypatch.setattr(grid_outbox, "default_grid_sender", lambda: Sender())
    messages, _ = run_action(ActionAnswerRequest(InMemoryHandoffStore(), knowledge_index),
                             [user_event("我想进执委学堂学习", "out_of_scope")])
    assert "绑定" in messages[0]["text"]
