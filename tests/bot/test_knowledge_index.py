import os

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
    write_knowledge(folder, faq=FAQ + [new])
    stamp = os.stat(folder / "faq" / "all.yml").st_mtime + 5
    os.utime(folder / "faq" / "all.yml", (stamp, stamp))
    assert index.search_faq("我想当志愿者")[0].entry.id == "care.volunteer"
