"""FAQ retrieval on held-out questions the index never saw (tests/data/heldout_faq.yml)."""
import pytest

from bot import retrieval_eval
from bot.knowledge_index import ANSWER_THRESHOLD
from bot.taxonomy import load_taxonomy
from tests.conftest import PROJECT_ROOT

QUESTIONS = PROJECT_ROOT / "tests" / "data" / "heldout_faq.yml"


@pytest.fixture(scope="module")
def figures(model_parser, knowledge_index):
    questions = retrieval_eval.load_questions(QUESTIONS)
    search = retrieval_eval.area_aware_searcher(model_parser, knowledge_index, load_taxonomy())
    return retrieval_eval.measure(questions, retrieval_eval.rank_all(search, questions))


def test_the_held_out_set_is_big_enough():
    questions = retrieval_eval.load_questions(QUESTIONS)
    assert sum(1 for q in questions if q.topic) >= 200
    assert sum(1 for q in questions if q.topic is None) >= 40


def test_hit_at_1_is_at_least_90_percent(figures):
    assert figures["hit@1"] >= 0.90, figures["misses"]


def test_hit_at_3_is_at_least_97_percent(figures):
    assert figures["hit@3"] >= 0.97


def test_no_unanswerable_question_is_answered(figures):
    row = next(r for r in figures["by_threshold"] if r["threshold"] == ANSWER_THRESHOLD)
    assert row["unanswerable_answered"] == 0
    assert row["answered_correctly"] == 1.0
