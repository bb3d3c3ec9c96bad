"""The schema of an FAQ answer and of a case, and how an answer reads on a phone."""
import pytest

from assistant_contract.catalogue.entries import FAQ_CATEGORIES, PLAIN_LIMIT, case, faq_entry
from assistant_contract.catalogue.knowledge import read_checked


def item(**changes):
    base = {
        "id": "legal.x", "category": "legal", "question": "问题？",
        "paraphrases": ["一", "二", "三", "四", "五", "六"], "answer": "回答。",
        "references": ["《某法》第一条"], "next_step": "拨打12338。",
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def problems_of(**changes):
    return faq_entry(item(**changes), "faq/a.yml#1")[1]


def test_a_well_formed_item_is_an_entry_with_no_problem():
    entry, problems = faq_entry(item(plain="找法院申请。"), "faq/a.yml#1")
    assert problems == [] and entry.id == "legal.x" and entry.plain == "找法院申请。"
    assert entry.questions == ("问题？", "一", "二", "三", "四", "五", "六")


def test_a_missing_id_or_field_is_named_and_builds_no_entry():
    entry, problems = faq_entry(item(id=None, answer=None), "faq/a.yml#1")
    assert entry is None
    assert "faq/a.yml#1: missing field 'id'" in problems and "faq/a.yml#1: missing field 'answer'" in problems


def test_an_empty_field_or_a_list_that_is_not_one_is_refused():
    assert "faq/a.yml#1: 'next_step' is empty" in problems_of(next_step="")
    assert "faq/a.yml#1: 'paraphrases' must be a list" in problems_of(paraphrases="一二三")


def test_an_answer_over_telegrams_limit_is_refused():
    assert any("4096" in problem for problem in problems_of(answer="长" * 4100))


def test_an_unknown_category_and_too_few_paraphrases_are_refused():
    assert "faq/a.yml#1: unknown category 'sports'" in problems_of(category="sports")
    assert "faq/a.yml#1: needs at least 6 paraphrases" in problems_of(paraphrases=["一", "二"])
    assert FAQ_CATEGORIES == ("entrepreneurship", "legal", "family_education", "care", "service")


def test_a_plain_version_too_long_for_a_phone_line_is_refused():
    assert any("'plain'" in problem for problem in problems_of(plain="很" * 90))
    assert any("'plain'" in problem for problem in problems_of(plain="第一行\n第二行"))


def test_a_case_needs_its_fields_and_a_known_category():
    fields = {"id": "case.legal.001", "title": "标题", "category": "legal", "tags": ["家暴"], "situation": "情况",
              "action": "处理", "outcome": "结果", "legal_basis": []}
    built, problems = case(fields, "cases/a.yml#1")
    assert problems == [] and built.card() == "【标题】情况" and "依据" not in built.story()
    assert case(dict(fields, category="sports"), "cases/a.yml#1")[1] == ["cases/a.yml#1: unknown category 'sports'"]
    assert case({k: v for k, v in fields.items() if k != "tags"}, "cases/a.yml#1") == (
        None, ["cases/a.yml#1: missing field 'tags'"])


def test_a_plain_version_falls_back_to_the_answers_first_line():
    entry, _ = faq_entry(item(answer="第一句。\n\n第二句。"), "faq/a.yml#1")
    assert entry.plain_text() == "第一句。"
    entry, _ = faq_entry(item(answer="长" * 100), "faq/a.yml#1")
    assert len(entry.plain_text()) == PLAIN_LIMIT and entry.plain_text().endswith("…")


def test_an_answer_is_one_message_and_its_basis_and_next_step_another():
    entry = next(e for file in read_checked() for e in file.faq if e.id == "legal.dv.evidence")
    assert "\n\n" not in entry.answer_text() and "伤处照片" in entry.answer_text()
    assert entry.basis_and_next_step().startswith("依据：") and "\n\n" not in entry.basis_and_next_step()


@pytest.mark.parametrize("answer", ["回答。", "第一段。\n\n第二段。"])
def test_the_full_text_is_the_answer_its_basis_and_the_next_step(answer):
    entry, _ = faq_entry(item(answer=answer), "faq/a.yml#1")
    assert entry.full_text() == f"{answer}\n\n依据：《某法》第一条\n\n拨打12338。"
