from pathlib import Path

import pytest
import yaml

from bot.knowledge_base import KnowledgeBase, KnowledgeError
from tests.conftest import PROJECT_ROOT

TOPICS_FILE = PROJECT_ROOT / "knowledge" / "topics.yml"  # the catalogue every FAQ answer is written against
AREAS = {"legal", "entrepreneurship", "family_education", "care", "service"}


@pytest.fixture(scope="module")
def knowledge():
    return KnowledgeBase.load()


def test_the_topic_catalogue_is_well_formed():
    topics = yaml.safe_load(TOPICS_FILE.read_text(encoding="utf-8"))
    assert isinstance(topics, dict) and len(topics) >= 60
    for topic_id, topic in topics.items():
        assert topic_id.split(".")[0] in AREAS and topic["category"] in AREAS, topic_id
        assert isinstance(topic["question"], str) and topic["question"].strip(), topic_id
        assert isinstance(topic["facts"], list) and topic["facts"], topic_id
        assert all(isinstance(fact, str) and fact.strip() for fact in topic["facts"]), topic_id


def test_every_catalogue_topic_is_answered_with_its_id_and_category(knowledge):
    topics = yaml.safe_load(TOPICS_FILE.read_text(encoding="utf-8"))
    answered = {entry.id: entry.category for entry in knowledge.faq}
    assert answered == {topic_id: topic["category"] for topic_id, topic in topics.items()}


def test_answers_are_phone_sized_and_end_with_a_next_step(knowledge):
    for entry in knowledge.faq:
        assert 100 <= len(entry.answer) <= 450, entry.id
        assert len(entry.paraphrases) >= 6, entry.id
        assert entry.next_step, entry.id


def test_local_policy_answers_say_so(knowledge):
    local = {"legal.employment.maternity_leave", "entrepreneurship.startup_loan", "entrepreneurship.preferential_policy"}
    for entry in knowledge.faq:
        if entry.id in local:
            assert "以当地" in entry.full_text() and "为准" in entry.full_text(), entry.id


def test_case_library_has_40_cases_over_the_four_areas(knowledge):
    assert len(knowledge.cases) >= 40
    areas = {case.category for case in knowledge.cases}
    assert areas == {"legal", "entrepreneurship", "family_education", "care"}
    for case in knowledge.cases:
        assert case.legal_basis and case.tags, case.id


def write(folder: Path, name: str, items) -> None:
    (folder / "faq").mkdir(parents=True, exist_ok=True)
    (folder / "cases").mkdir(parents=True, exist_ok=True)
    (folder / "faq" / name).write_text(yaml.safe_dump({"faq": items}, allow_unicode=True), encoding="utf-8")


def entry(**changes):
    base = {
        "id": "legal.x", "category": "legal", "question": "问题？",
        "paraphrases": ["一", "二", "三", "四", "五", "六"], "answer": "回答。",
        "references": ["《某法》第一条"], "next_step": "拨打12338。",
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def test_missing_id_or_field_is_rejected(tmp_path):
    write(tmp_path, "a.yml", [entry(id=None), entry(id="legal.y", answer=None)])
    with pytest.raises(KnowledgeError) as error:
        KnowledgeBase.load(tmp_path)
    assert "missing field 'id'" in str(error.value) and "missing field 'answer'" in str(error.value)


def test_answer_over_telegrams_limit_is_rejected(tmp_path):
    write(tmp_path, "a.yml", [entry(answer="长" * 4100)])
    with pytest.raises(KnowledgeError, match="4096"):
        KnowledgeBase.load(tmp_path)


def test_duplicate_ids_and_unknown_categories_are_rejected(tmp_path):
    write(tmp_path, "a.yml", [entry(), entry(category="sports")])
    with pytest.raises(KnowledgeError) as error:
        KnowledgeBase.load(tmp_path)
    assert "duplicate FAQ id" in str(error.value) and "unknown category" in str(error.value)


# ---- plain versions (说简单点) ----------------------------------------------------------

def test_every_faq_entry_has_a_plain_version_in_everyday_length():
    from bot.knowledge_base import PLAIN_LIMIT, KnowledgeBase

    entries = KnowledgeBase.load().faq
    missing = [e.id for e in entries if not e.plain]
    too_long = [e.id for e in entries if len(e.plain) >= PLAIN_LIMIT]
    assert missing == [] and too_long == []


def test_a_plain_version_too_long_for_a_phone_line_is_refused(tmp_path):
    from bot.knowledge_base import KnowledgeBase, KnowledgeError
    from tests.knowledge_fixture import FAQ, write_knowledge

    long_plain = [dict(FAQ[0], plain="很" * 90)] + FAQ[1:]
    with pytest.raises(KnowledgeError, match="plain"):
        KnowledgeBase.load(write_knowledge(tmp_path, faq=long_plain))


def test_an_answer_is_one_message_and_its_basis_and_next_step_another():
    from bot.knowledge_base import KnowledgeBase

    entry = KnowledgeBase.load().faq_by_id("legal.dv.evidence")
    assert "\n\n" not in entry.answer_text() and "伤处照片" in entry.answer_text()
    assert entry.basis_and_next_step().startswith("依据：") and "\n\n" not in entry.basis_and_next_step()
