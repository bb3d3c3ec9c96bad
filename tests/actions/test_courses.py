"""Courses in the chat (actions/courses.py): a line after an answer, and 「有没有…的课」."""
import pytest

from actions.answers import ActionAnswerRequest
from actions.courses import ActionCourseShow, asks_for_courses, default_courses
from tests.actions.dialogue_support import bot_event, crisis_event, run_action, said, user_event
from tests.actions.fakes import InMemoryHandoffStore


@pytest.fixture(scope="module")
def index(knowledge_index):
    return knowledge_index


def answer(index, events, slots=None):
    return run_action(ActionAnswerRequest(InMemoryHandoffStore(), index), events, slots)


def test_after_an_answer_one_line_names_one_or_two_fitting_courses_in_the_basis_message(index):
    messages, _ = answer(index, [user_event("全职妈妈好几年没上班了，想重新找工作", "job_seeking")])
    assert len(messages) == 3
    basis = messages[1]
    lines = [line for line in basis["text"].split("\n") if line.startswith("📚")]
    assert len(lines) == 1 and "《全职妈妈重返职场第一课》" in lines[0] and lines[0].count("《") <= 2
    assert any(b["payload"] == '/choose_course{"course_id":"course.employment.return_to_work"}'
               for b in basis["buttons"])
    assert "这个回答对你有帮助吗" in messages[2]["text"] and "📚" not in messages[2]["text"]


def test_a_course_she_has_already_been_shown_is_not_offered_again(index):
    earlier = "📚 想多了解，可以看看：《全职妈妈重返职场第一课》"
    messages, _ = answer(index, [bot_event(earlier), user_event("全职妈妈好几年没上班了，想重新找工作", "job_seeking")])
    assert "《全职妈妈重返职场第一课》" not in said(messages)


def test_nothing_is_recommended_inside_a_crisis(index):
    events = [crisis_event("他刚才打我了", "violence"), bot_event("你现在安全吗？"),
              user_event("保护令去哪里申请", "legal_domestic_violence")]
    messages, _ = answer(index, events, slots={"crisis_episode": {"type": "violence", "whose": "self", "safe": False}})
    assert "📚" not in said(messages)


def test_has_a_course_on_maternity_leave_gets_a_short_list_with_buttons(index):
    messages, _ = answer(index, [user_event("有没有讲产假的课", "legal_employment")])
    assert len(messages) == 1
    text = messages[0]["text"]
    assert text.startswith("有的，和“") and "产假" in text and text.count("《") <= 3
    assert messages[0]["buttons"] and all(b["payload"].startswith("/choose_course") for b in messages[0]["buttons"])


def test_courses_of_one_area_put_her_request_in_that_area_whatever_the_classifier_guessed(index):
    _, slots = answer(index, [user_event("有没有那种教夫妻怎么分工带娃的课", "job_seeking", 0.16)])
    assert slots["service_area"] == "family_education"


def test_what_courses_are_there_offers_the_life_stages(index):
    messages, _ = answer(index, [user_event("有什么课", "out_of_scope")])
    assert [b["title"] for b in messages[0]["buttons"]] == ["孕产期", "婴幼儿与学前", "青春期", "就业", "创业",
                                                            "婚姻家庭", "中老年"]


def test_a_long_request_is_listed_under_a_plain_heading(index):
    messages, _ = answer(index, [user_event("有没有教做电商的课程，最好晚上上课", "startup_training")])
    assert messages[0]["text"].startswith("有的，和你问的有关的有这些：") and "电商" in messages[0]["text"]


def test_a_subject_no_course_is_about_is_answered_as_a_question(index):
    messages, _ = answer(index, [user_event("有没有讲量子力学的课", "out_of_scope")])
    assert not messages[0]["text"].startswith("有的，") and "暂时没有专门讲" not in messages[0]["text"]


@pytest.mark.parametrize("text, asks", [
    ("有没有讲产假的课", True), ("有什么课", True), ("推荐点青春期的学习资料", True), ("有冇教点样带仔嘅课", True),
    ("课程怎么报名", False), ("网上的家庭教育课程哪个靠谱", False), ("孩子上课睡觉怎么办", False), ("产假有几天", False),
])
def test_what_reads_as_a_request_for_courses(text, asks):
    assert asks_for_courses(text) is asks


def test_a_course_button_shows_its_description_in_two_messages_with_the_schedule_note():
    course = next(c for c in default_courses() if c.kind == "course")
    payload = f'/choose_course{{"course_id":"{course.id}"}}'
    messages, _ = run_action(ActionCourseShow(InMemoryHandoffStore()), [
        user_event(payload, "choose_course", entities=[{"entity": "course_id", "value": course.id}])])
    assert len(messages) == 2 and course.title in messages[0]["text"]
    assert "以当地妇联实际开课安排为准" in messages[1]["text"] and "主要内容" in messages[1]["text"]


def test_a_life_stage_button_lists_its_titles():
    messages, _ = run_action(ActionCourseShow(InMemoryHandoffStore()), [
        user_event('/choose_course{"life_stage":"pregnancy"}', "choose_course",
                   entities=[{"entity": "life_stage", "value": "pregnancy"}])])
    assert messages[0]["text"].startswith("孕产期") and len(messages[0]["buttons"]) >= 3
