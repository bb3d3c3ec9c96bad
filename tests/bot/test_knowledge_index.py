import logging
import os
import shutil

import pytest
import yaml

from assistant_contract import catalogue
from assistant_contract.catalogue.knowledge import KnowledgeError
from bot.knowledge_base import KnowledgeBase
from bot.knowledge_index import KnowledgeIndex
from tests.knowledge_fixture import FAQ, faq_item, write_knowledge


def test_faq_and_cases_are_searchable(tmp_path):
    index = KnowledgeIndex(write_knowledge(tmp_path))
    assert index.search_faq("保护令去哪个法院申请")[0].entry.id == "legal.dv.protection_order"
    (case, _), *_ = index.search_cases("被丈夫打了想申请保护令")
    assert case.id == "case.legal.001"


def test_entries_outside_the_service_area_count_for_less(tmp_path):
    index = KnowledgeIndex(write_knowledge(tmp_path))
    plain = {m.entry.id: m.score for m in index.search_faq("孩子天天玩手机不给抚养费")}
    legal = {m.entry.id: m.score for m in index.search_faq("孩子天天玩手机不给抚养费", "legal")}
    assert legal["family_education.phone_addiction"] < plain["family_education.phone_addiction"]
    assert legal["legal.divorce.child_support"] == plain["legal.divorce.child_support"]


def test_an_edited_file_is_live_without_a_restart(tmp_path):
    folder = write_knowledge(tmp_path)
    index = KnowledgeIndex(folder)
    new = faq_item("care.volunteer", "care", "怎么报名当巾帼志愿者？",
                   ["想当志愿者", "志愿者怎么报名", "巾帼志愿者", "参加志愿服务", "做义工", "志愿活动报名"],
                   "可以联系当地妇联报名。")
    before = index.search_faq("我想当志愿者")  # searched once already: the edit must not be hidden by it
    assert all(match.entry.id != "care.volunteer" for match in before)
    write_knowledge(folder, faq=FAQ + [new])
    stamp = os.stat(folder / "faq" / "all.yml").st_mtime + 5
    os.utime(folder / "faq" / "all.yml", (stamp, stamp))
    assert index.search_faq("我想当志愿者")[0].entry.id == "care.volunteer"


def _save(path, text):
    """Write a knowledge file the way an editor does, with a modification time the index cannot miss."""
    stamp = (path.stat().st_mtime if path.exists() else 0) + 5
    path.write_text(text, encoding="utf-8")
    os.utime(path, (stamp, stamp))


def test_a_broken_copy_of_a_real_knowledge_file_is_rejected_and_answers_still_come(tmp_path, caplog):
    folder = tmp_path / "knowledge"
    for kind in ("faq", "cases"):
        shutil.copytree(catalogue.FOLDER / kind, folder / kind)
    index = KnowledgeIndex(folder)
    before = index.search_faq("保护令去哪个法院申请", "legal")[0]
    legal = folder / "faq" / "legal.yml"
    _save(legal, legal.read_text(encoding="utf-8").replace("    answer: ", "    answr: ", 1))
    with caplog.at_level(logging.ERROR, logger="assistant_contract.catalogue.knowledge"):
        after = index.search_faq("保护令去哪个法院申请", "legal")[0]
    assert after.entry == before.entry and after.score == before.score
    assert "faq/legal.yml" in caplog.text and "missing field 'answer'" in caplog.text
    with pytest.raises(KnowledgeError):  # make test still refuses the broken folder
        KnowledgeBase.load(folder)


@pytest.mark.parametrize("broken", [
    "faq: [unclosed\n", "", "just a sentence\n", "fa:\n  - id: x\n",
    "faq:\n  - {id: x, category: legal, question: q, paraphrases: 5, answer: a, references: [], next_step: n}\n",
])
def test_a_file_that_cannot_be_read_keeps_its_last_good_entries(tmp_path, caplog, broken):
    folder = write_knowledge(tmp_path)
    index = KnowledgeIndex(folder)
    with caplog.at_level(logging.ERROR, logger="assistant_contract.catalogue.knowledge"):
        _save(folder / "faq" / "all.yml", broken)
        assert index.search_faq("保护令去哪个法院申请")[0].entry.id == "legal.dv.protection_order"
    assert "faq/all.yml" in caplog.text


def test_one_bad_file_does_not_hold_back_a_good_edit_of_another(tmp_path):
    folder = write_knowledge(tmp_path)
    index = KnowledgeIndex(folder)
    _save(folder / "faq" / "all.yml", yaml.safe_dump({"faq": [dict(FAQ[0], answer="")]}, allow_unicode=True))
    volunteer = faq_item("care.volunteer", "care", "怎么报名当巾帼志愿者？",
                         ["想当志愿者", "志愿者怎么报名", "巾帼志愿者", "参加志愿服务", "做义工", "志愿活动报名"],
                         "可以联系当地妇联报名。")
    _save(folder / "faq" / "care.yml", yaml.safe_dump({"faq": [volunteer]}, allow_unicode=True))
    assert index.search_faq("我想当志愿者")[0].entry.id == "care.volunteer"
    assert index.search_faq("保护令去哪个法院申请")[0].entry.answer.startswith("可以向基层人民法院")


def test_an_edit_that_copies_an_id_from_another_file_is_rejected(tmp_path, caplog):
    folder = write_knowledge(tmp_path)
    index = KnowledgeIndex(folder)
    copy = faq_item("legal.dv.protection_order", "care", "志愿者？", ["一", "二", "三", "四", "五", "六"], "别的回答。")
    with caplog.at_level(logging.ERROR, logger="assistant_contract.catalogue.knowledge"):
        _save(folder / "faq" / "care.yml", yaml.safe_dump({"faq": [copy]}, allow_unicode=True))
        match = index.search_faq("保护令去哪个法院申请")[0]
    assert match.entry.id == "legal.dv.protection_order" and match.entry.category == "legal"
    assert "faq/care.yml" in caplog.text and "duplicate FAQ id 'legal.dv.protection_order'" in caplog.text


def test_a_bad_file_at_start_up_leaves_the_other_files_answering(tmp_path, caplog):
    folder = write_knowledge(tmp_path)
    _save(folder / "faq" / "broken.yml", "faq:\n  - id: legal.broken\n")
    with caplog.at_level(logging.ERROR, logger="assistant_contract.catalogue.knowledge"):
        index = KnowledgeIndex(folder)
    assert index.search_faq("保护令去哪个法院申请")[0].entry.id == "legal.dv.protection_order"
    (case, _), *_ = index.search_cases("被丈夫打了想申请保护令")
    assert case.id == "case.legal.001"
    assert "faq/broken.yml" in caplog.text


def test_a_deleted_file_takes_its_entries_with_it(tmp_path):
    folder = write_knowledge(tmp_path)
    index = KnowledgeIndex(folder)
    (folder / "faq" / "all.yml").unlink()
    assert index.search_faq("保护令去哪个法院申请") == []


def test_an_unforeseen_failure_while_rebuilding_keeps_the_index_in_use(tmp_path, monkeypatch, caplog):
    folder = write_knowledge(tmp_path)
    index = KnowledgeIndex(folder)

    def broken_retriever(documents):
        raise RuntimeError("out of memory")

    monkeypatch.setattr("bot.knowledge_index.faq_retriever", broken_retriever)
    new = faq_item("care.volunteer", "care", "怎么报名当巾帼志愿者？",
                   ["想当志愿者", "志愿者怎么报名", "巾帼志愿者", "参加志愿服务", "做义工", "志愿活动报名"],
                   "可以联系当地妇联报名。")
    _save(folder / "faq" / "care.yml", yaml.safe_dump({"faq": [new]}, allow_unicode=True))
    with caplog.at_level(logging.ERROR, logger="bot.knowledge_index"):
        assert index.search_faq("保护令去哪个法院申请")[0].entry.id == "legal.dv.protection_order"
    assert "previous one keeps answering" in caplog.text


def test_the_same_words_searched_in_several_areas_score_as_if_searched_alone(tmp_path):
    index = KnowledgeIndex(write_knowledge(tmp_path))
    alone = KnowledgeIndex(write_knowledge(tmp_path / "again"))
    index.search_faq("保护令去哪里申请")  # kept for the next searches of these words
    assert index.search_faq("保护令去哪里申请", "care") == alone.search_faq("保护令去哪里申请", "care")
    assert index.search_faq("保护令去哪里申请", limit=1) == alone.search_faq("保护令去哪里申请", limit=1)
