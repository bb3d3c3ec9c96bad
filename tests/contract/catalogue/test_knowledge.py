"""The knowledge files: the catalogue as shipped in the package, the strict check, and what
a running service takes when a file fails its check."""
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from assistant_contract.catalogue import FOLDER, TOPICS_FILE
from assistant_contract.catalogue.entries import FAQ_CATEGORIES, MIN_PARAPHRASES, PLAIN_LIMIT
from assistant_contract.catalogue.knowledge import KnowledgeError, accepted, read_checked, read_file, read_folder
from tests.knowledge_fixture import CASES, FAQ, faq_item, write_knowledge

LOGGER = "assistant_contract.catalogue.knowledge"
LOAD_FROM_THE_PACKAGE = """
import json
from pathlib import Path
import assistant_contract
from assistant_contract.catalogue import FOLDER
from assistant_contract.catalogue.knowledge import read_checked
from assistant_contract.catalogue.taxonomy import Taxonomy
files = read_checked()
print(json.dumps({"folder": str(FOLDER), "package": str(Path(assistant_contract.__file__).resolve().parent),
                  "faq": sum(len(f.faq) for f in files), "cases": sum(len(f.cases) for f in files),
                  "intents": len(Taxonomy.from_file().intent_names)}))
"""


@pytest.fixture(scope="module")
def files():
    return read_checked()


@pytest.fixture(scope="module")
def faq(files):
    return [entry for file in files for entry in file.faq]


@pytest.fixture(scope="module")
def cases(files):
    return [case for file in files for case in file.cases]


def test_the_catalogue_loads_with_no_errors_through_the_installed_package_alone(tmp_path):
    """Another current directory, no PYTHONPATH: only the installed package can find its files."""
    environment = {name: value for name, value in os.environ.items() if not name.startswith("PYTHON")}
    result = subprocess.run([sys.executable, "-I", "-c", LOAD_FROM_THE_PACKAGE], cwd=tmp_path, env=environment,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert Path(loaded["folder"]) == Path(loaded["package"]) / "catalogue"
    assert loaded["faq"] >= 60 and loaded["cases"] >= 40 and loaded["intents"] >= 40


def test_the_topic_catalogue_is_well_formed():
    topics = yaml.safe_load(TOPICS_FILE.read_text(encoding="utf-8"))
    assert isinstance(topics, dict) and len(topics) >= 60
    for topic_id, topic in topics.items():
        assert topic_id.split(".")[0] in FAQ_CATEGORIES and topic["category"] in FAQ_CATEGORIES, topic_id
        assert isinstance(topic["question"], str) and topic["question"].strip(), topic_id
        assert isinstance(topic["facts"], list) and topic["facts"], topic_id
        assert all(isinstance(fact, str) and fact.strip() for fact in topic["facts"]), topic_id


def test_every_catalogue_topic_is_answered_with_its_id_and_category(faq):
    topics = yaml.safe_load(TOPICS_FILE.read_text(encoding="utf-8"))
    assert {entry.id: entry.category for entry in faq} == {topic_id: topic["category"]
                                                           for topic_id, topic in topics.items()}


def test_answers_are_phone_sized_and_end_with_a_next_step(faq):
    for entry in faq:
        assert 100 <= len(entry.answer) <= 450, entry.id
        assert len(entry.paraphrases) >= MIN_PARAPHRASES, entry.id
        assert entry.next_step, entry.id


def test_every_faq_entry_has_a_plain_version_in_everyday_length(faq):
    assert [e.id for e in faq if not e.plain] == []
    assert [e.id for e in faq if len(e.plain) >= PLAIN_LIMIT] == []


def test_local_policy_answers_say_so(faq):
    local = {"legal.employment.maternity_leave", "entrepreneurship.startup_loan", "entrepreneurship.preferential_policy"}
    for entry in faq:
        if entry.id in local:
            assert "以当地" in entry.full_text() and "为准" in entry.full_text(), entry.id


def test_case_library_has_40_cases_over_the_four_areas(cases):
    assert len(cases) >= 40
    assert {case.category for case in cases} == {"legal", "entrepreneurship", "family_education", "care"}
    for case in cases:
        assert case.legal_basis and case.tags, case.id


def test_the_folder_is_read_faq_files_first_each_kind_by_name():
    assert [file.name for file in read_folder(FOLDER)] == (
        [f"faq/{path.name}" for path in sorted((FOLDER / "faq").glob("*.yml"))]
        + [f"cases/{path.name}" for path in sorted((FOLDER / "cases").glob("*.yml"))])


@pytest.mark.parametrize("broken", [
    "faq: [unclosed\n", "", "just a sentence\n", "fa:\n  - id: x\n", "faq:\n  - 5\n",
    "faq:\n  - {id: x, category: legal, question: q, paraphrases: 5, answer: a, references: [], next_step: n}\n",
])
def test_reading_a_broken_file_never_raises_and_says_what_is_wrong(tmp_path, broken):
    (tmp_path / "broken.yml").write_text(broken, encoding="utf-8")
    file = read_file(tmp_path / "broken.yml", "faq", "faq/broken.yml")
    assert file.problems and all(problem.startswith("faq/broken.yml") for problem in file.problems)


@pytest.mark.parametrize("kind, text, fault", [
    ("faq", "faq: legal.dv.protection_order\n", "'faq' must be a list"),
    ("faq", "faq: []\n", "'faq' needs at least 1 item(s)"),
    ("faq", "faq:\n  - 5\n", "'faq.0' must be a mapping of names to values"),
    ("faq", "fa:\n  - id: x\n", "missing field 'faq'"),
    ("faq", "faq:\n  - id: x\nreviewed: true\n", "unknown field ('reviewed' was unexpected)"),
    ("cases", "faq:\n  - id: x\n", "missing field 'cases'"),
    ("cases", "cases: case.legal.001\n", "'cases' must be a list"),
    ("faq", "just a sentence\n", "must be a mapping of names to values"),
])
def test_a_knowledge_file_not_shaped_as_a_list_of_items_is_refused_whole(tmp_path, kind, text, fault):
    (tmp_path / "broken.yml").write_text(text, encoding="utf-8")
    file = read_file(tmp_path / "broken.yml", kind, f"{kind}/broken.yml")
    assert file.faq == () and file.cases == ()
    assert any(problem.startswith(f"{kind}/broken.yml: ") and fault in problem for problem in file.problems)


def test_a_good_item_beside_a_misplaced_field_is_not_taken(tmp_path):
    good = yaml.safe_dump({"faq": [FAQ[0]], "note": "draft"}, allow_unicode=True)
    (tmp_path / "all.yml").write_text(good, encoding="utf-8")
    file = read_file(tmp_path / "all.yml", "faq", "faq/all.yml")
    assert file.faq == () and file.problems == ("faq/all.yml: unknown field ('note' was unexpected)",)


def test_every_problem_of_every_file_is_reported_at_once(tmp_path):
    folder = write_knowledge(tmp_path, faq=FAQ + [FAQ[0], dict(FAQ[1], id="legal.other", category="sports")])
    (folder / "cases" / "more.yml").write_text(yaml.safe_dump({"cases": [CASES[0]]}, allow_unicode=True),
                                               encoding="utf-8")
    with pytest.raises(KnowledgeError) as error:
        read_checked(folder)
    message = str(error.value)
    assert "faq/all.yml: duplicate FAQ id 'legal.dv.protection_order'" in message
    assert "unknown category 'sports'" in message
    assert "cases/more.yml: duplicate case id 'case.legal.001' (already in cases/all.yml)" in message


def test_a_failing_file_with_no_good_version_is_left_out_and_logged(tmp_path, caplog):
    folder = write_knowledge(tmp_path)
    (folder / "faq" / "broken.yml").write_text("faq:\n  - id: legal.broken\n", encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger=LOGGER):
        kept = accepted(read_folder(folder))
    assert [file.name for file in kept] == ["faq/all.yml", "cases/all.yml"]
    assert "faq/broken.yml rejected, it has no good version to keep" in caplog.text


def test_a_failing_file_keeps_its_last_good_version(tmp_path, caplog):
    folder = write_knowledge(tmp_path)
    last_good = {file.name: file for file in accepted(read_folder(folder))}
    (folder / "faq" / "all.yml").write_text("faq: [unclosed\n", encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger=LOGGER):
        kept = {file.name: file for file in accepted(read_folder(folder), last_good)}
    assert kept == last_good
    assert "faq/all.yml rejected, its last good entries stay live" in caplog.text


def test_when_two_files_claim_an_id_the_one_that_changed_is_rejected(tmp_path, caplog):
    folder = write_knowledge(tmp_path)
    last_good = {file.name: file for file in accepted(read_folder(folder))}
    copy = faq_item("legal.dv.protection_order", "care", "志愿者？", ["一", "二", "三", "四", "五", "六"], "别的回答。")
    (folder / "faq" / "a_copy.yml").write_text(yaml.safe_dump({"faq": [copy]}, allow_unicode=True), encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger=LOGGER):
        kept = accepted(read_folder(folder), last_good)
    assert [file.name for file in kept] == ["faq/all.yml", "cases/all.yml"]
    assert "faq/a_copy.yml: duplicate FAQ id 'legal.dv.protection_order' (already in faq/all.yml)" in caplog.text


def test_a_source_without_its_article_or_date_is_named_by_its_id_and_the_last_good_file_keeps_answering(
        tmp_path, caplog):
    faq = [dict(entry, checked="2026-11-30") for entry in FAQ]
    cases = [dict(item, checked="2026-11-30", legal_basis=["《中华人民共和国反家庭暴力法》第二十三条"]) for item in CASES]
    folder = write_knowledge(tmp_path, faq=faq, cases=cases)
    last_good = {file.name: file for file in accepted(read_folder(folder))}
    assert [len(last_good["faq/all.yml"].faq), len(last_good["cases/all.yml"].cases)] == [len(FAQ), len(CASES)]
    undated = {key: value for key, value in cases[0].items() if key != "checked"}
    write_knowledge(folder, faq=[dict(faq[0], references=["《中华人民共和国治安管理处罚法》"])] + faq[1:],
                    cases=[undated] + cases[1:])
    with pytest.raises(KnowledgeError) as error:
        read_checked(folder)
    assert ("faq/all.yml#1 (legal.dv.protection_order): reference '《中华人民共和国治安管理处罚法》' "
            "cites a law without an article (第…条)") in str(error.value)
    assert "cases/all.yml#1 (case.legal.001): missing field 'checked'" in str(error.value)
    with caplog.at_level(logging.ERROR, logger=LOGGER):
        kept = {file.name: file for file in accepted(read_folder(folder), last_good)}
    assert kept == last_good
    assert "faq/all.yml rejected, its last good entries stay live" in caplog.text
    assert "cases/all.yml rejected, its last good entries stay live" in caplog.text


def test_every_shipped_entry_says_when_its_sources_were_checked(faq, cases):
    assert [entry.id for entry in faq if entry.checked is None] == []
    assert [case.id for case in cases if case.checked is None] == []
