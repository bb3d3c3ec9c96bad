"""The catalogue's JSON Schemas, one test per rule (assistant_contract/catalogue/schemas.py)."""
from datetime import date

import pytest

from assistant_contract.catalogue import FOLDER, schemas
from assistant_contract.catalogue.entries import case, faq_entry
from assistant_contract.catalogue.knowledge import read_checked
from assistant_contract.catalogue.taxonomy import Taxonomy

FAQ = {"id": "legal.employment.pregnancy", "category": "legal", "question": "怀孕被辞退怎么办",
       "paraphrases": ["一", "二", "三", "四", "五", "六"], "answer": "不得解除劳动合同。",
       "references": ["《中华人民共和国劳动合同法》第四十二条"], "next_step": "拨打12338。", "checked": date(2026, 11, 30)}
CASE = {"id": "case.legal.001", "title": "怀孕被辞退", "category": "legal", "tags": ["怀孕"], "situation": "她怀孕了。",
        "action": "申请仲裁。", "outcome": "恢复劳动关系。", "legal_basis": ["《中华人民共和国劳动合同法》第四十二条"],
        "checked": date(2026, 11, 30)}


def faq_problems(**changes):
    return schemas.problems(dict(FAQ, **changes), schemas.FAQ_ITEM, "faq/a.yml#1")


def case_problems(**changes):
    return schemas.problems(dict(CASE, **changes), schemas.CASE_ITEM, "cases/a.yml#1")


def test_the_shipped_catalogue_follows_its_schemas():
    assert read_checked()  # raises KnowledgeError listing every problem
    assert Taxonomy.from_file(FOLDER / "taxonomy.yml").intent_names


def test_a_good_item_has_no_problem():
    assert faq_problems() == [] and case_problems() == []


def test_references_written_as_one_string_fail_loudly_and_are_never_split_into_characters():
    problems = faq_problems(references="《中华人民共和国劳动合同法》第四十二条")
    assert problems == ["faq/a.yml#1: 'references' must be a list"]
    entry, found = faq_entry(dict(FAQ, references="《劳动合同法》"), "faq/a.yml#1")
    assert entry is None and found == problems


@pytest.mark.parametrize("field", ["paraphrases", "references"])
def test_a_list_of_an_faq_answer_must_be_a_list(field):
    assert faq_problems(**{field: "一二三"}) == [f"faq/a.yml#1: '{field}' must be a list"]


@pytest.mark.parametrize("field", ["tags", "legal_basis"])
def test_a_list_of_a_case_must_be_a_list(field):
    assert case_problems(**{field: "一二三"}) == [f"cases/a.yml#1: '{field}' must be a list"]


def test_each_item_of_a_list_is_text():
    assert faq_problems(references=["《某法》第一条", 42]) == ["faq/a.yml#1: 'references.1' must be text"]
    assert case_problems(tags=[""]) == ["cases/a.yml#1: 'tags.0' is empty"]


@pytest.mark.parametrize("field", ["id", "category", "question", "paraphrases", "answer", "references", "next_step"])
def test_every_required_field_of_an_faq_answer(field):
    item = dict(FAQ)
    del item[field]
    assert schemas.problems(item, schemas.FAQ_ITEM, "faq/a.yml#1") == [f"faq/a.yml#1: missing field '{field}'"]


@pytest.mark.parametrize("field", ["id", "title", "category", "tags", "situation", "action", "outcome", "legal_basis"])
def test_every_required_field_of_a_case(field):
    item = dict(CASE)
    del item[field]
    assert schemas.problems(item, schemas.CASE_ITEM, "cases/a.yml#1") == [f"cases/a.yml#1: missing field '{field}'"]


@pytest.mark.parametrize("text", ["", "   ", None])
def test_a_text_field_may_not_be_empty(text):
    assert faq_problems(answer=text) == [
        "faq/a.yml#1: 'answer' is empty" if text is not None else "faq/a.yml#1: 'answer' must be text"]


def test_references_and_legal_basis_may_be_empty_lists():
    assert faq_problems(references=[]) == [] and case_problems(legal_basis=[]) == []


def test_a_case_needs_at_least_one_tag():
    assert case_problems(tags=[]) == ["cases/a.yml#1: 'tags' needs at least 1 item(s)"]


def test_an_faq_answer_needs_six_paraphrases():
    assert faq_problems(paraphrases=["一"] * 5) == ["faq/a.yml#1: needs at least 6 paraphrases"]


def test_an_unknown_category_is_named():
    assert faq_problems(category="sports") == ["faq/a.yml#1: unknown category 'sports'"]
    assert case_problems(category="sports") == ["cases/a.yml#1: unknown category 'sports'"]


def test_an_unknown_field_is_refused_rather_than_ignored():
    assert faq_problems(refrences=["《某法》第一条"]) == ["faq/a.yml#1: unknown field ('refrences' was unexpected)"]


@pytest.mark.parametrize("identifier", ["Legal.Pregnancy", "legal pregnancy", "legal..x", 7])
def test_an_id_is_lower_case_words_joined_by_dots(identifier):
    assert faq_problems(id=identifier)


@pytest.mark.parametrize("checked", ["上个月", "2026-13-01", "30/11/2026", 2026])
def test_checked_is_a_real_date(checked):
    assert faq_problems(checked=checked) == [f"faq/a.yml#1: 'checked' must be a date (YYYY-MM-DD), not '{checked}'"]


def test_checked_may_be_written_as_text_or_read_by_yaml_as_a_date():
    assert faq_problems(checked="2026-11-30") == [] and faq_problems(checked=date(2026, 11, 30)) == []


@pytest.mark.parametrize("plain", ["一行\n两行", "长" * 80])
def test_plain_is_one_short_line(plain):
    assert faq_problems(plain=plain) == ["faq/a.yml#1: 'plain' must be one line under 80 characters"]


def test_every_problem_of_an_item_is_reported_at_once_in_field_order():
    assert faq_problems(answer="", references="x", category="sports") == [
        "faq/a.yml#1: 'answer' is empty", "faq/a.yml#1: unknown category 'sports'",
        "faq/a.yml#1: 'references' must be a list"]


def test_a_case_built_from_a_good_item_keeps_its_lists_whole():
    built, problems = case(CASE, "cases/a.yml#1")
    assert problems == [] and built.legal_basis == ("《中华人民共和国劳动合同法》第四十二条",)


@pytest.mark.parametrize("data, problem", [
    ({}, "taxonomy: missing field 'intents'"),
    ({"intents": {}}, "taxonomy: 'intents' is empty"),
    ({"intents": {"x": {"category": "legal"}}}, "taxonomy: missing field 'covers' in 'intents.x'"),
    ({"intents": {"x": {"covers": "c", "category": "sports"}}}, "taxonomy: unknown category 'sports' in 'intents.x.category'"),
    ({"intents": {"x": {"covers": "c", "crisis": "yes"}}}, "taxonomy: 'intents.x.crisis' must be true or false"),
    ({"intents": {"x": {"covers": "c", "titel": "t"}}}, "taxonomy: unknown field ('titel' was unexpected)"),
    ({"intents": {"Bad-Name": {"covers": "c"}}}, "taxonomy: 'intents':"),
    ({"intents": ["x"]}, "taxonomy: 'intents' must be a mapping of names to values"),
])
def test_each_rule_of_the_taxonomy(data, problem):
    with pytest.raises(ValueError) as raised:
        Taxonomy.from_dict(data)
    assert problem in str(raised.value)


def test_a_good_taxonomy_reads():
    taxonomy = Taxonomy.from_dict({"intents": {"ask_leave": {"covers": "产假", "category": "legal", "title": "产假"}}})
    assert taxonomy.category_of("ask_leave") == "legal"


def test_the_shipped_topic_catalogue_follows_its_schema():
    import yaml

    from assistant_contract.catalogue import TOPICS_FILE
    assert schemas.problems(yaml.safe_load(TOPICS_FILE.read_text(encoding="utf-8")), schemas.TOPICS, "topics.yml") == []


@pytest.mark.parametrize("topic, problem", [
    ({"category": "legal", "question": "q", "facts": "一条事实"}, "topics.yml: 'legal.x.facts' must be a list"),
    ({"category": "legal", "question": "q", "facts": []}, "topics.yml: 'legal.x.facts' needs at least 1 item(s)"),
    ({"category": "legal", "question": "", "facts": ["f"]}, "topics.yml: 'legal.x.question' is empty"),
    ({"category": "sports", "question": "q", "facts": ["f"]}, "topics.yml: unknown category 'sports' in 'legal.x.category'"),
    ({"category": "legal", "question": "q"}, "topics.yml: missing field 'facts' in 'legal.x'"),
])
def test_each_rule_of_a_topic(topic, problem):
    assert problem in schemas.problems({"legal.x": topic}, schemas.TOPICS, "topics.yml")


def test_a_topic_id_starts_with_its_area():
    assert schemas.problems({"sports.x": {"category": "legal", "question": "q", "facts": ["f"]}}, schemas.TOPICS, "t")
