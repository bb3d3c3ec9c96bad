"""执委学堂's quiz: the schema of a question (a source article, a right answer among its
options), the shipped questions, and how an answer is marked."""
from collections import Counter
from datetime import date

import pytest

from assistant_contract.catalogue.knowledge import read_checked
from assistant_contract.catalogue.quiz import TOPICS, question, read_quiz
from assistant_contract.catalogue.sources import CatalogueError


def item(**changes):
    base = {
        "id": "quiz.dv.x", "question": "保护令的有效期是多久？",
        "options": ["不超过六个月", "一年", "永久"], "answer": "不超过六个月",
        "explanation": "反家庭暴力法第三十条规定，有效期不超过六个月。",
        "sources": ["《中华人民共和国反家庭暴力法》第三十条"], "checked": date(2026, 11, 30),
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def problems_of(topic="domestic_violence", known_faq=None, **changes):
    return question(item(**changes), topic, "quiz/x.yml#1", known_faq)[1]


def test_a_well_formed_question_has_no_problem():
    built, problems = question(item(), "domestic_violence", "quiz/x.yml#1")
    assert problems == [] and built.answer_index == 0 and built.topic == "domestic_violence"


def test_a_question_whose_answer_is_not_among_its_options_is_refused():
    assert any("is not one of its options" in p for p in problems_of(answer="三个月"))


def test_a_question_without_a_source_article_is_refused():
    assert any("needs at least one source" in p for p in problems_of(sources=None))
    assert any("without an article" in p for p in problems_of(sources=["《中华人民共和国反家庭暴力法》"]))
    # a policy document with its number is a source, but not an article of law
    assert any("no source names an article" in p
               for p in problems_of(sources=["国务院《中国妇女发展纲要（2021—2030年）》（国发〔2021〕16号）"]))


def test_a_question_without_its_checked_date_builds_nothing():
    built, problems = question(item(checked=None), "domestic_violence", "quiz/x.yml#1")
    assert built is None and "quiz/x.yml#1: missing field 'checked'" in problems


@pytest.mark.parametrize("options", [["只有一个"], ["一", "二"], ["一", "二", "三", "四", "五"]])
def test_fewer_than_three_or_more_than_four_options_are_refused(options):
    assert any("needs 3 or 4 options" in p for p in problems_of(options=options, answer=options[0]))


def test_two_identical_options_are_refused():
    assert any("two options are the same" in p for p in problems_of(options=["不超过六个月", "一年", "一年"]))


def test_an_answer_written_as_a_number_is_refused_for_its_shape():
    assert "quiz/x.yml#1: 'answer' must be text" in problems_of(options=["12338", "12345", "12355"], answer=12338)


def test_a_service_question_rests_on_a_knowledge_entry_that_exists():
    assert problems_of("service", sources=None, faq=["service.response_time"]) == []
    assert any("cite the knowledge entry" in p for p in problems_of("service", sources=None))
    assert any("unknown knowledge entry 'service.nowhere'" in p
               for p in problems_of("service", known_faq={"service.response_time"}, sources=None,
                                    faq=["service.nowhere"]))


@pytest.mark.parametrize("said, right", [("A", True), ("a", True), ("1", True), ("不超过六个月", True),
                                         ("B", False), ("2", False), ("一年", False), ("随便", False)])
def test_her_answer_is_read_by_letter_number_or_text(said, right):
    built, _ = question(item(), "domestic_violence", "quiz/x.yml#1")
    assert built.is_right(said) is right


def test_feedback_gives_the_right_answer_the_explanation_and_the_article():
    built, _ = question(item(), "domestic_violence", "quiz/x.yml#1")
    wrong = built.feedback("B")
    assert wrong.startswith("正确答案是 A. 不超过六个月") and "第三十条" in wrong
    assert built.feedback("A").startswith("答对了")


def test_the_shipped_quiz_has_120_questions_over_every_topic_with_known_entries():
    known = {entry.id for file in read_checked() for entry in file.faq}
    topics = read_quiz(known_faq=known)
    questions = [q for topic in topics.values() for q in topic.questions]
    assert len(questions) >= 120 and set(topics) == set(TOPICS)
    assert all(len(topic.questions) >= 10 for topic in topics.values())


def test_the_right_answers_are_spread_over_the_option_positions():
    positions = Counter(q.answer_index for t in read_quiz().values() for q in t.questions)
    assert len(positions) >= 3 and max(positions.values()) <= 0.4 * sum(positions.values())


def test_a_file_with_a_bad_question_is_refused_naming_it(tmp_path):
    (tmp_path / "dv.yml").write_text(
        "topic: domestic_violence\nquestions:\n"
        "  - {id: quiz.a, question: 问？, options: [甲, 乙, 丙], answer: 丁, explanation: 因为。,"
        " sources: ['《中华人民共和国反家庭暴力法》第二条'], checked: 2026-11-30}\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"dv.yml#1 \(quiz.a\): the answer '丁' is not one of its options"):
        read_quiz(tmp_path)


def test_an_unknown_topic_is_refused(tmp_path):
    (tmp_path / "x.yml").write_text("topic: cooking\nquestions: []\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="topic must be one of"):
        read_quiz(tmp_path)
