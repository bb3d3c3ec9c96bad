"""The schema of an FAQ answer and of a case, how an answer reads on a phone, and what
counts as a source."""
from datetime import date

import pytest

from assistant_contract.catalogue.entries import FAQ_CATEGORIES, PLAIN_LIMIT, case, citation_problem, faq_entry
from assistant_contract.catalogue.knowledge import read_checked


def item(**changes):
    base = {
        "id": "legal.x", "category": "legal", "question": "问题？",
        "paraphrases": ["一", "二", "三", "四", "五", "六"], "answer": "回答。",
        "references": ["《某法》第一条"], "next_step": "拨打12338。", "checked": date(2026, 11, 30),
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


def case_item(**changes):
    base = {"id": "case.legal.001", "title": "标题", "category": "legal", "tags": ["家暴"], "situation": "情况",
            "action": "处理", "outcome": "结果", "legal_basis": ["《中华人民共和国反家庭暴力法》第二十三条"],
            "checked": date(2026, 11, 30)}
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


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


@pytest.mark.parametrize("reference", [
    "《中华人民共和国反家庭暴力法》第二十三条、第二十五条",
    "《中华人民共和国刑法》第二百七十六条之一",
    "《中华人民共和国民法典》第1032条",  # Arabic numerals
    "《中华人民共和国治安管理处罚法》（2025年修订，2026年1月1日起施行）第五十条",
    "《女职工劳动保护特别规定》第八条",
    "《社会救助暂行办法》第九条",
    "《广东省职工生育保险规定》第十七条",
    "《最高人民法院关于适用〈中华人民共和国民法典〉婚姻家庭编的解释（一）》第四十九条",
    "《最高人民法院关于人身安全保护令案件相关程序问题的批复》（法释〔2016〕15号）第一条",
    "民政部等部门《关于进一步加强事实无人抚养儿童保障工作的意见》（民发〔2019〕62号）",
    "财政部、税务总局《关于进一步支持重点群体创业就业有关税收政策的公告》（2023年第15号）",
    "国家新闻出版署《关于进一步严格管理 切实防止未成年人沉迷网络游戏的通知》（2021年）",
    "国务院《中国妇女发展纲要（2021—2030年）》（国发〔2021〕16号）",
])
def test_a_law_with_its_article_or_a_policy_with_its_number_or_year_is_a_source(reference):
    assert citation_problem(reference) is None


@pytest.mark.parametrize("reference", [
    "《中华人民共和国治安管理处罚法》",
    "《中华人民共和国就业促进法》第五章（职业教育和培训）",  # a chapter is not an article
    "《中华人民共和国民法典》",
    "《广东省职工生育保险规定》",
    "《社会救助暂行办法》",
    "《最高人民法院关于适用〈中华人民共和国民法典〉婚姻家庭编的解释（一）》",
    "《最高人民法院关于人身安全保护令案件相关程序问题的批复》（法释〔2016〕15号）",
])
def test_a_law_without_an_article_is_refused(reference):
    assert "without an article" in citation_problem(reference)


@pytest.mark.parametrize("reference", [
    "民政部等部门《关于进一步加强事实无人抚养儿童保障工作的意见》",
    "《关于推行“妈妈岗”就业模式的通知》",
    "《中国妇女发展纲要》",
])
def test_a_policy_document_without_its_number_or_year_is_refused(reference):
    assert "without its number" in citation_problem(reference)


@pytest.mark.parametrize("reference", ["国家学生资助政策", "广东省“南粤家政”工程相关政策", "相关政策", ""])
def test_a_phrase_that_names_no_document_is_not_a_source(reference):
    assert "names no document" in citation_problem(reference)


def test_two_documents_in_one_reference_are_refused():
    problem = citation_problem("《中华人民共和国民法典》第一千零八十五条、《社会救助暂行办法》第九条")
    assert "names 2 documents" in problem


def test_an_faq_entry_with_a_bad_reference_is_refused_and_named():
    problems = problems_of(references=["《中华人民共和国反家庭暴力法》第二十三条", "《中华人民共和国治安管理处罚法》"])
    assert problems == ["faq/a.yml#1: reference '《中华人民共和国治安管理处罚法》' cites a law without an article (第…条)"]


def test_an_faq_entry_records_the_date_its_sources_were_checked():
    entry, problems = faq_entry(item(), "faq/a.yml#1")
    assert problems == [] and entry.checked == date(2026, 11, 30)
    entry, problems = faq_entry(item(checked="2026-11-30"), "faq/a.yml#1")  # quoted in the YAML
    assert problems == [] and entry.checked == date(2026, 11, 30)


@pytest.mark.parametrize("references", [["《某法》第一条"], []])
def test_an_faq_entry_without_a_checked_date_is_refused_even_with_no_reference(references):
    assert problems_of(references=references, checked=None) == [
        "faq/a.yml#1: missing field 'checked' (the date its sources were last checked, YYYY-MM-DD)"]


@pytest.mark.parametrize("checked", ["上个月", "2026-13-01", "30/11/2026", 2026])
def test_a_checked_value_that_is_not_a_date_is_refused(checked):
    assert any("'checked' must be a date" in problem for problem in problems_of(checked=checked))
    assert any("'checked' must be a date" in problem for problem in case(case_item(checked=checked), "cases/a.yml#1")[1])


def test_a_case_with_a_legal_basis_records_when_it_was_checked():
    built, problems = case(case_item(), "cases/a.yml#1")
    assert problems == [] and built.checked == date(2026, 11, 30)
    assert case(case_item(checked=None), "cases/a.yml#1")[1] == [
        "cases/a.yml#1: missing field 'checked' (the date its sources were last checked, YYYY-MM-DD)"]


def test_a_case_is_held_to_the_same_citation_rule():
    built, problems = case(case_item(legal_basis=["《关于进一步加强事实无人抚养儿童保障工作的意见》"]), "cases/a.yml#1")
    assert built is not None and problems == ["cases/a.yml#1: reference '《关于进一步加强事实无人抚养儿童保障工作的意见》' "
                                              "cites a policy document without its number (〔年〕号) or year"]
