"""The FAQ answers and cases the console labels and attaches, from the contract's reader."""
from pathlib import Path

import assistant_contract
from routing.console import knowledge
from tests.routing.catalogue_reads import files_read

PACKAGE = Path(assistant_contract.__file__).resolve().parent


def test_answers_and_cases_have_their_kind_category_title_and_text():
    answer = knowledge.catalogue()["legal.dv.what_to_do"]
    assert (answer.kind, answer.category, answer.title) == ("faq", "legal", "遭受家庭暴力怎么办？")
    assert "\n下一步：" in answer.text
    case = next(entry for entry in knowledge.catalogue().values() if entry.kind == "case")
    assert case.title and case.category and case.text
    assert knowledge.attachment_text(answer).startswith("【参考问答】遭受家庭暴力怎么办？\n")
    assert knowledge.attachment_text(case).startswith(f"【参考案例】{case.title}\n")


def test_titles_and_her_category_first():
    assert knowledge.title_of("legal.dv.what_to_do") == "遭受家庭暴力怎么办？"
    assert knowledge.title_of("not.an.entry") == "not.an.entry" and knowledge.title_of(None) == ""
    entries = knowledge.for_category("care")
    first_other = next(number for number, entry in enumerate(entries) if entry.category != "care")
    assert first_other > 0 and all(entry.category != "care" for entry in entries[first_other:])


def test_the_knowledge_is_read_from_the_installed_package_whatever_the_current_directory(monkeypatch, tmp_path):
    opened = files_read(monkeypatch, tmp_path, knowledge.catalogue, [knowledge.catalogue])
    folder = PACKAGE / "catalogue"
    assert opened == sorted(folder.glob("faq/*.yml")) + sorted(folder.glob("cases/*.yml"))
